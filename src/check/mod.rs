//! `quire check`: build in memory, then verify every internal link.
//!
//! Beside the pipeline: it renders the site as `quire build` would, without
//! writing anything, and follows every `href` and `src` of every page and
//! every link of every feed that points into the site. A link must reach a
//! file of the output, and its `#fragment` an element id on that page. The
//! site is checked twice, at its own base path and under an extra path
//! prefix, so a link that forgets the base path is caught even when the site
//! lives at the root. Links to other sites are gathered, and asked only
//! with `--external` ([`external`]).

pub mod external;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use html5gum::{Token, Tokenizer};
use url::Url;

use crate::config::SiteConfig;
use crate::error::{plural, Diagnostic, Result};
use crate::site::{Address, Site};
use crate::url::output_file;
use crate::url::BaseUrl;
use crate::write::Collector;

/// A link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Broken {
    /// The page it is on, as a URL path.
    pub page: String,
    pub link: String,
    pub reason: String,
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.page, self.link, self.reason)
    }
}

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    pub files: usize,
    pub links: usize,
    pub broken: Vec<Broken>,
    /// Links to other sites that gave no answer (`--external`): not known to be broken.
    pub unchecked: Vec<Broken>,
    /// Links to other sites: URL -> the pages linking to it.
    pub external: BTreeMap<String, BTreeSet<String>>,
    /// What the reader sees less well than intended.
    pub warnings: Vec<Diagnostic>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        for b in &self.broken {
            writeln!(f, "broken link on {b}")?;
        }
        for u in &self.unchecked {
            writeln!(f, "could not check a link on {u}")?;
        }
        write!(
            f,
            "Checked {} in {}: {} broken",
            plural(self.links, "link"),
            plural(self.files, "file"),
            self.broken.len()
        )?;
        if !self.unchecked.is_empty() {
            write!(f, ", {} could not be checked (no answer)", self.unchecked.len())?;
        }
        match self.warnings.len() {
            0 => write!(f, "."),
            n => write!(f, ", {}.", plural(n, "warning")),
        }
    }
}

/// Renders the site at `root` in memory twice (at its base path, or
/// `base_url` when given, and under a prefix) and checks the links of both;
/// with `external`, asks other sites too.
pub fn check(
    root: &Path,
    base_url: Option<BaseUrl>,
    drafts: bool,
    external: Option<external::Politeness>,
) -> Result<Report> {
    let mut report = Report::default();
    let base = match base_url {
        Some(base) => base,
        None => SiteConfig::load(root)?.base_url,
    };
    let prefixed = BaseUrl { origin: base.origin.clone(), path: format!("{}quire-check-prefix/", base.path) };
    for base in [base, prefixed] {
        let mut site = Site::open(root, drafts, Address::At(base.clone()))?;
        let collector = Collector::default();
        let plan = site.read_whole()?;
        site.emit_whole(&plan, &collector)?;
        if report.warnings.is_empty() {
            report.warnings = site.warnings();
        }
        let files = collector.into_files();
        let found = check_files(&files, &base);
        report.files = files.len();
        report.links += found.links;
        report.broken.extend(found.broken);
        if report.external.is_empty() {
            report.external = found.external;
        }
    }
    if let Some(politeness) = external {
        report.links += report.external.len();
        let found = external::check(&report.external, politeness)?;
        report.broken.extend(found.broken);
        report.unchecked = found.unchecked;
    }
    report.broken.sort();
    report.broken.dedup();
    Ok(report)
}

/// Checks the links of every page and feed among `files`.
pub fn check_files(files: &BTreeMap<String, Vec<u8>>, base: &BaseUrl) -> Report {
    let mut ids: HashMap<&str, BTreeSet<String>> = HashMap::new();
    let mut report = Report { files: files.len(), ..Report::default() };
    for (path, bytes) in files {
        let kind = if path.ends_with(".html") {
            Markup::Html
        } else if path.ends_with(".xml") {
            Markup::Feed
        } else {
            continue;
        };
        let page = base.link(path.trim_end_matches("index.html"));
        for link in links(bytes, kind) {
            if is_external(&link, base) {
                report.external.entry(link).or_default().insert(page.clone());
                continue;
            }
            report.links += 1;
            if let Err(reason) = resolve(&link, &page, base, files, &mut ids) {
                report.broken.push(Broken { page: page.clone(), link, reason });
            }
        }
    }
    report
}

#[derive(Clone, Copy)]
enum Markup {
    Html,
    Feed,
}

/// The link targets in a page, or in a feed (its links and its HTML content).
fn links(bytes: &[u8], kind: Markup) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_content = false;
    for token in Tokenizer::new(bytes).flatten() {
        match token {
            Token::StartTag(tag) => {
                in_content = matches!(kind, Markup::Feed) && &*tag.name == b"content";
                for attr in [&b"href"[..], b"src"] {
                    if let Some(value) = tag.attributes.get(attr) {
                        out.push(String::from_utf8_lossy(value).into_owned());
                    }
                }
            }
            Token::String(text) if in_content => out.extend(links(&text, Markup::Html)),
            Token::EndTag(_) => in_content = false,
            _ => {}
        }
    }
    out
}

/// A link to another site (http or https, not under the site's own address).
fn is_external(link: &str, base: &BaseUrl) -> bool {
    let web = link.starts_with("http://") || link.starts_with("https://");
    web && (base.origin.is_empty() || !link.starts_with(&base.origin))
}

/// The element ids of an HTML page.
fn element_ids(bytes: &[u8]) -> BTreeSet<String> {
    Tokenizer::new(bytes)
        .flatten()
        .filter_map(|t| match t {
            Token::StartTag(tag) => {
                tag.attributes.get(&b"id"[..]).map(|v| String::from_utf8_lossy(v).into_owned())
            }
            _ => None,
        })
        .collect()
}

/// Follows one link from `page`; `Err` says why it leads nowhere.
fn resolve<'f>(
    link: &str,
    page: &str,
    base: &BaseUrl,
    files: &'f BTreeMap<String, Vec<u8>>,
    ids: &mut HashMap<&'f str, BTreeSet<String>>,
) -> std::result::Result<(), String> {
    let Some(url) = follow(base, page, link) else {
        return Ok(()); // Another site, or another scheme (mailto:).
    };
    let Some(rel) = url.path().strip_prefix(&base.path) else {
        return Err(format!("outside the site's base path {}", base.path));
    };
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
    let file = output_file(&rel);
    let Some((name, bytes)) = files.get_key_value(&file) else {
        return Err("no such page".into());
    };
    let fragment = url.fragment().map(|f| percent_encoding::percent_decode_str(f).decode_utf8_lossy());
    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else { return Ok(()) };
    let page_ids = ids.entry(name.as_str()).or_insert_with(|| element_ids(bytes));
    if page_ids.contains(fragment.as_ref()) {
        Ok(())
    } else {
        Err(format!("no element with id `{fragment}` there"))
    }
}

/// Where `link`, on the page at URL path `page`, leads, resolved as a
/// browser does ([`Url::join`]); `None` when it leaves the site's host.
/// A site without a host of its own is resolved on a placeholder one.
fn follow(base: &BaseUrl, page: &str, link: &str) -> Option<Url> {
    let origin = if base.origin.is_empty() { "http://site.invalid" } else { &base.origin };
    let page = Url::parse(origin).ok()?.join(page).ok()?;
    let url = page.join(link).ok()?;
    (url.origin() == page.origin()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages.iter().map(|(p, html)| (p.to_string(), html.as_bytes().to_vec())).collect()
    }

    fn base(path: &str) -> BaseUrl {
        BaseUrl { origin: "https://x.org".into(), path: path.into() }
    }

    #[test]
    fn good_links_pass_and_broken_ones_name_their_page() {
        let files = site(&[
            (
                "index.html",
                r##"<a href="/a/">a</a> <a href="/a/#sec">s</a> <a href="https://elsewhere.org/">e</a>"##,
            ),
            (
                "a/index.html",
                r##"<h2 id="sec">x</h2><a href="../">up</a><a href="/missing/">m</a><a href="#nope">n</a>"##,
            ),
        ]);
        let report = check_files(&files, &base("/"));
        let broken: Vec<String> = report.broken.iter().map(|b| b.to_string()).collect();
        assert_eq!(broken, ["/a/: /missing/ (no such page)", "/a/: #nope (no element with id `nope` there)"]);
    }

    #[test]
    fn links_that_forget_the_base_path_are_broken() {
        let files = site(&[
            ("index.html", r#"<a href="/repo/">ok</a><a href="/a/">forgot</a>"#),
            ("a/index.html", ""),
        ]);
        let report = check_files(&files, &base("/repo/"));
        assert_eq!(report.broken.len(), 1);
        assert_eq!(report.broken[0].reason, "outside the site's base path /repo/");
    }

    #[test]
    fn feed_links_and_their_html_content_are_followed() {
        let files = site(&[
            ("index.html", ""),
            (
                "atom.xml",
                r#"<feed><link href="https://x.org/"/><content type="html">&lt;a href="https://x.org/gone/"&gt;x&lt;/a&gt;</content></feed>"#,
            ),
        ]);
        let report = check_files(&files, &base("/"));
        assert_eq!(report.broken.len(), 1, "{:?}", report.broken);
        assert_eq!(report.broken[0].link, "https://x.org/gone/");
    }

    fn join(page: &str, link: &str) -> String {
        follow(&base("/"), page, link).unwrap().path().to_owned()
    }

    #[test]
    fn relative_links_resolve_against_the_page() {
        assert_eq!(join("/repo/a/b/", "../c/"), "/repo/a/c/");
        assert_eq!(join("/a/", "./x.css"), "/a/x.css");
    }

    #[test]
    fn links_leaving_the_site_are_not_followed_and_fragments_are_read_as_written() {
        assert!(follow(&base("/"), "/a/", "//elsewhere.org/x").is_none());
        assert!(follow(&base("/"), "/a/", "mailto:a@b.org").is_none());
        let at_root = BaseUrl { origin: String::new(), path: "/".into() };
        assert_eq!(follow(&at_root, "/a/", "../b/?q=1#x").unwrap().path(), "/b/");
        let files = site(&[("index.html", r##"<a href="#r%C3%A9sum%C3%A9">x</a><p id="résumé">"##)]);
        assert!(check_files(&files, &base("/")).broken.is_empty());
    }
}
