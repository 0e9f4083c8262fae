//! Which URLs may become links: one rule for every URL that comes from
//! content or configuration.
//!
//! Markdown links and images, a paper's `url`, `base_url` and the
//! `safe_url` filter of templates all ask [`check`]. It reads a URL as a
//! browser would (ASCII whitespace and control characters, which browsers
//! drop inside a scheme, are removed; the scheme is compared without case)
//! and says what kind of link it is. Only http(s), mailto and relative
//! links are allowed anywhere; `javascript:`, `data:`, `vbscript:`, `file:`
//! and every other scheme are refused, whatever their disguise.

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
}
