//! URLs: which may become links, the site's own address, and the file a
//! site path is served from.
//!
//! Markdown links and images, a paper's `url`, `base_url` and the
//! `safe_url` filter of templates all ask [`check`]. It reads a URL as a
//! browser would (ASCII whitespace and control characters, which browsers
//! drop inside a scheme, are removed; the scheme is compared without case)
//! and says what kind of link it is. Only http(s), mailto and relative
//! links are allowed anywhere; `javascript:`, `data:`, `vbscript:`, `file:`
//! and every other scheme are refused, whatever their disguise.
//!
//! Every link to a page of the site is made by [`BaseUrl::link`] (or
//! [`BaseUrl::absolute`]) from its site path (`digest/2024-04-02/`), and
//! that path is written to (and served from) [`output_file`].

/// What kind of link a URL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `http:` or `https:`.
    Web,
    /// `mailto:`.
    Mail,
    /// No scheme: `/x`, `../x`, `x`, `#x`, `//host/x`.
    Relative,
    /// Any other scheme, or a relative link with a backslash (which
    /// browsers read as `/`, so `\\host` would leave the site).
    Refused,
}

/// A URL as a browser reads it, and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub url: String,
    pub kind: Kind,
}

/// Reads `raw` the way a browser does and says what kind of link it is.
/// Entities must be decoded already (the Markdown parser and YAML do).
pub fn check(raw: &str) -> Checked {
    let url: String = raw.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
    let kind = match url.split_once(':') {
        Some((scheme, _)) if is_scheme(scheme) => match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" => Kind::Web,
            "mailto" => Kind::Mail,
            _ => Kind::Refused,
        },
        _ if url.contains('\\') => Kind::Refused,
        _ => Kind::Relative,
    };
    Checked { url, kind }
}

/// What could be a URL scheme: letters, digits, `+`, `-` or `.` (RFC 3986
/// also asks for a letter first; refusing more is the safe side). Anything
/// else before a colon is part of a relative path.
fn is_scheme(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `raw` read as a browser would, when it is an absolute http(s) URL.
pub fn web_url(raw: &str) -> Option<String> {
    let checked = check(raw);
    (checked.kind == Kind::Web).then_some(checked.url)
}

/// The site's public address, split into what links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://user.github.io`, or empty when the site has no host.
    pub origin: String,
    /// The path prefix every link starts with: `/` or `/repo/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host/prefix/`, `http://...` or a bare `/prefix/`.
    /// The scheme is decided by the rule every URL follows ([`crate::url::check`]).
    pub fn parse(raw: &str) -> std::result::Result<Self, String> {
        let raw = raw.trim();
        let checked = check(raw);
        if checked.url != raw {
            return Err(format!("`{raw}` has spaces or control characters in it"));
        }
        let (origin, path) = match (checked.kind, raw.split_once("://")) {
            (Kind::Web, Some((scheme, rest))) => {
                let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                if host.is_empty() {
                    return Err(format!("`{raw}` has no host"));
                }
                (format!("{}://{host}", scheme.to_ascii_lowercase()), path)
            }
            (Kind::Refused | Kind::Mail, _) => {
                let scheme = raw.split(':').next().unwrap_or(raw);
                return Err(format!("`{scheme}` is not http or https"));
            }
            (Kind::Relative, _) if raw.starts_with('/') => (String::new(), raw),
            _ => return Err(format!("`{raw}` is not an http(s) URL or a path starting with `/`")),
        };
        if path.contains(['?', '#']) {
            return Err(format!("`{raw}` must not carry a query or fragment"));
        }
        let path = format!("/{}/", path.trim_matches('/')).replace("//", "/");
        Ok(BaseUrl { origin, path })
    }

    /// The absolute URL of a site path such as `digest/2024-04-02/`.
    pub fn absolute(&self, site_path: &str) -> String {
        [&self.origin, &self.path, site_path].concat()
    }

    /// The root-relative link to a site path: `/repo/digest/2024-04-02/`.
    pub fn link(&self, site_path: &str) -> String {
        [&self.path, site_path].concat()
    }
}

/// A `--base-url` argument, or a usage error that says what is wrong.
pub fn base_url_argument(raw: &str) -> crate::error::Result<BaseUrl> {
    BaseUrl::parse(raw).map_err(|msg| crate::error::Error::Usage(format!("invalid --base-url: {msg}")))
}

/// The file a site path is written to: a folder's `index.html`.
pub fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every disguise of a dangerous scheme found so far.
    const HOSTILE: &[&str] = &[
        "javascript:alert(document.domain)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\u{1}javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "\\\\evil.example/x",
    ];

    #[test]
    fn hostile_schemes_are_refused_in_any_disguise() {
        for raw in HOSTILE {
            assert_eq!(check(raw).kind, Kind::Refused, "{raw:?}");
            assert_eq!(web_url(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn web_mail_and_relative_links_pass_as_a_browser_reads_them() {
        assert_eq!(web_url(" https://arxiv.org/abs/1\n"), Some("https://arxiv.org/abs/1".into()));
        assert_eq!(web_url("HTTP://example.org/"), Some("HTTP://example.org/".into()));
        assert_eq!(check("mailto:a@b.c").kind, Kind::Mail);
        for relative in ["/paper/x/", "../x/", "#sec", "//cdn.example/x", "./a:b"] {
            assert_eq!(check(relative).kind, Kind::Relative, "{relative}");
        }
        assert_eq!(web_url("/paper/x/"), None);
        assert_eq!(web_url("mailto:a@b.c"), None);
    }

    #[test]
    fn base_url_keeps_its_path_prefix() {
        let b = BaseUrl::parse("https://user.github.io/repo").unwrap();
        assert_eq!(b.origin, "https://user.github.io");
        assert_eq!(b.path, "/repo/");
        assert_eq!(b.link("digest/x/"), "/repo/digest/x/");
        assert_eq!(b.absolute("atom.xml"), "https://user.github.io/repo/atom.xml");
        assert_eq!(BaseUrl::parse("https://example.org").unwrap().path, "/");
        assert_eq!(BaseUrl::parse("/").unwrap().path, "/");
        assert!(BaseUrl::parse("ftp://x/").is_err());
        assert!(BaseUrl::parse("example.org").is_err());
        assert_eq!(BaseUrl::parse("HTTPS://example.org/").unwrap().origin, "https://example.org");
        for hostile in
            ["javascript://x/%0aalert(1)", "java\tscript://x/", "https://exa\u{1b}mple.org/", "/a b/"]
        {
            assert!(BaseUrl::parse(hostile).is_err(), "{hostile:?}");
        }
    }

    #[test]
    fn a_folder_is_written_to_its_index_html() {
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("archive/"), "archive/index.html");
        assert_eq!(output_file("404.html"), "404.html");
        assert_eq!(output_file("search/meta.json"), "search/meta.json");
    }
}
