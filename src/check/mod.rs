//! `quire check`: build in memory, then verify every internal link.
//!
//! Beside the pipeline: it renders the site as `quire build` would, without
//! writing anything, and follows every `href` and `src` of every page and
//! every link of every feed that points into the site. A link must reach a
//! file of the output, and its `#fragment` an element id on that page.
//! Each file is read as it is made ([`scan`]: its links and ids) and let
//! go, so a large site is never held whole; the search index and JSON data
//! are listed, not made. The links are then followed page by page, in
//! parallel.
//!
//! The site is checked twice, at its own base path and under an extra path
//! prefix, so a link that forgets the base path is caught even when the
//! site lives at the root. It is rendered once, under the prefix: at its
//! own base path its links are those same links with the prefix taken off
//! the ones made with it ([`moved`]), as a theme makes them with
//! `base_url`. (Only a feed cut to fit its size limit can differ: under
//! the longer prefix it may hold a few papers fewer, whose pages are
//! checked anyway.) Links to other sites are gathered, and asked only with
//! `--external` ([`external`]).

pub mod external;
mod scan;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use rayon::prelude::*;
use url::Url;

use crate::config::SiteConfig;
use crate::error::{plural, Diagnostic, Result};
use crate::site::{Address, Site};
use crate::url::output_file;
use crate::url::BaseUrl;
use crate::write::Collector;
use scan::{Markup, Scanned};

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

/// Checks the links of the site at `root` at its base path (or
/// `base_url` when given) and under a prefix; with `external`, asks other
/// sites too.
///
/// The site is rendered once, under the prefix, and its links checked as
/// they are; then checked again as they are at the site's own base path:
/// the same links, with the prefix taken off those made with it
/// ([`moved`]). A link made without the base path stays as it is in both,
/// so it is broken under the prefix even when the site lives at the root.
pub fn check(
    root: &Path,
    base_url: Option<BaseUrl>,
    drafts: bool,
    external: Option<external::Politeness>,
) -> Result<Report> {
    let base = match base_url {
        Some(base) => base,
        None => SiteConfig::load(root)?.base_url,
    };
    let prefixed = BaseUrl { origin: base.origin.clone(), path: format!("{}quire-check-prefix/", base.path) };
    let mut site = Site::open(root, drafts, Address::At(prefixed.clone()))?;
    let files = scan_site(&mut site)?;
    let warnings = site.warnings();
    drop(site);
    let mut report = check_files(&files, &base, &prefixed);
    let under_prefix = check_files(&files, &prefixed, &prefixed);
    report.links += under_prefix.links;
    report.broken.extend(under_prefix.broken);
    report.warnings = warnings;
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

/// Renders `site` as a build would, reading each file as it is made
/// ([`scan`]): every output path, with the links and ids of its file. The
/// files that are neither pages nor feeds and are not copied from a
/// folder (the search index, JSON data) are listed without being made.
fn scan_site(site: &mut Site) -> Result<BTreeMap<String, Scanned>> {
    let plan = site.read_whole()?;
    let (plan, unread) = site.skip_pages(plan, |path| Markup::of(path).is_none());
    let collector = Collector::reading(|file| scan::scan(&file.path, &file.bytes));
    site.emit_whole(&plan, &collector)?;
    let mut files = collector.into_files();
    for path in unread {
        files.entry(path).or_default();
    }
    Ok(files)
}

/// What the links of one page found.
#[derive(Default)]
struct Found {
    links: usize,
    broken: Vec<Broken>,
    /// (URL, page) of each link to another site.
    external: Vec<(String, String)>,
}

/// Checks the links of every page and feed among `files`, rendered for
/// `rendered_at`, as they are at `base`; in parallel.
pub fn check_files(files: &BTreeMap<String, Scanned>, base: &BaseUrl, rendered_at: &BaseUrl) -> Report {
    let pages: Vec<(&String, &Scanned)> = files.iter().filter(|(_, file)| !file.links.is_empty()).collect();
    let found: Vec<Found> =
        pages.par_iter().map(|&(path, file)| check_page(path, file, files, base, rendered_at)).collect();
    let mut report = Report { files: files.len(), ..Report::default() };
    for found in found {
        report.links += found.links;
        report.broken.extend(found.broken);
        for (link, page) in found.external {
            report.external.entry(link).or_default().insert(page);
        }
    }
    report.broken.sort();
    report
}

/// Checks the links of the page at output path `path`, rendered for
/// `rendered_at`, as they are at `base`.
fn check_page(
    path: &str,
    file: &Scanned,
    files: &BTreeMap<String, Scanned>,
    base: &BaseUrl,
    rendered_at: &BaseUrl,
) -> Found {
    let page = base.link(path.trim_end_matches("index.html"));
    let page_url = page_url(base, &page);
    let mut found = Found::default();
    for (link, times) in &file.links {
        let link = moved(link, rendered_at, base);
        if is_external(&link, base) {
            found.external.push((link.to_string(), page.clone()));
            continue;
        }
        found.links += *times as usize;
        if let Err(reason) = resolve(&link, page_url.as_ref(), base, files) {
            found.broken.push(Broken { page: page.clone(), link: link.to_string(), reason });
        }
    }
    found
}

/// `link`, made for a site at `from`, as it is made for the site at `to`:
/// a link that starts with `from`'s address, or with its path, starts
/// with `to`'s instead; any other stays as it is.
fn moved<'a>(link: &'a str, from: &BaseUrl, to: &BaseUrl) -> Cow<'a, str> {
    if from == to {
        return Cow::Borrowed(link);
    }
    let absolute = (!from.origin.is_empty()).then(|| link.strip_prefix(&from.origin)).flatten();
    if let Some(rest) = absolute.and_then(|path| path.strip_prefix(&from.path)) {
        return Cow::Owned([&to.origin, &to.path, rest].concat());
    }
    match link.strip_prefix(&from.path) {
        Some(rest) => Cow::Owned([&to.path, rest].concat()),
        None => Cow::Borrowed(link),
    }
}

/// A link to another site (http or https, not under the site's own address).
fn is_external(link: &str, base: &BaseUrl) -> bool {
    let web = link.starts_with("http://") || link.starts_with("https://");
    web && (base.origin.is_empty() || !link.starts_with(&base.origin))
}

/// Follows one link from the page at `page`; `Err` says why it leads nowhere.
fn resolve(
    link: &str,
    page: Option<&Url>,
    base: &BaseUrl,
    files: &BTreeMap<String, Scanned>,
) -> std::result::Result<(), String> {
    let Some(url) = page.and_then(|page| follow(page, link)) else {
        return Ok(()); // Another site, or another scheme (mailto:).
    };
    let Some(rel) = url.path().strip_prefix(&base.path) else {
        return Err(format!("outside the site's base path {}", base.path));
    };
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
    let Some(target) = files.get(&output_file(&rel)) else {
        return Err("no such page".into());
    };
    let fragment = url.fragment().map(|f| percent_encoding::percent_decode_str(f).decode_utf8_lossy());
    match fragment.filter(|f| !f.is_empty()) {
        Some(fragment) if !target.has_id(&fragment) => Err(format!("no element with id `{fragment}` there")),
        _ => Ok(()),
    }
}

/// The URL of the page at URL path `page`; a site without a host of its
/// own is resolved on a placeholder one.
fn page_url(base: &BaseUrl, page: &str) -> Option<Url> {
    let origin = if base.origin.is_empty() { "http://site.invalid" } else { &base.origin };
    Url::parse(origin).ok()?.join(page).ok()
}

/// Where `link`, on the page at `page`, leads, resolved as a browser does
/// ([`Url::join`]); `None` when it leaves the site's host.
fn follow(page: &Url, link: &str) -> Option<Url> {
    let url = page.join(link).ok()?;
    (url.origin() == page.origin()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Scanned> {
        pages.iter().map(|(p, html)| (p.to_string(), scan::scan(p, html.as_bytes()))).collect()
    }

    /// Where `link` on the page at URL path `page` leads.
    fn follow_from(base: &BaseUrl, page: &str, link: &str) -> Option<Url> {
        follow(&page_url(base, page)?, link)
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
        let report = check_files(&files, &base("/"), &base("/"));
        let broken: Vec<String> = report.broken.iter().map(|b| b.to_string()).collect();
        assert_eq!(broken, ["/a/: #nope (no element with id `nope` there)", "/a/: /missing/ (no such page)"]);
    }

    #[test]
    fn links_that_forget_the_base_path_are_broken() {
        let files = site(&[
            ("index.html", r#"<a href="/repo/">ok</a><a href="/a/">forgot</a>"#),
            ("a/index.html", ""),
        ]);
        let report = check_files(&files, &base("/repo/"), &base("/repo/"));
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
        let report = check_files(&files, &base("/"), &base("/"));
        assert_eq!(report.broken.len(), 1, "{:?}", report.broken);
        assert_eq!(report.broken[0].link, "https://x.org/gone/");
    }

    fn join(page: &str, link: &str) -> String {
        follow_from(&base("/"), page, link).unwrap().path().to_owned()
    }

    #[test]
    fn relative_links_resolve_against_the_page() {
        assert_eq!(join("/repo/a/b/", "../c/"), "/repo/a/c/");
        assert_eq!(join("/a/", "./x.css"), "/a/x.css");
    }

    #[test]
    fn links_leaving_the_site_are_not_followed_and_fragments_are_read_as_written() {
        assert!(follow_from(&base("/"), "/a/", "//elsewhere.org/x").is_none());
        assert!(follow_from(&base("/"), "/a/", "mailto:a@b.org").is_none());
        let at_root = BaseUrl { origin: String::new(), path: "/".into() };
        assert_eq!(follow_from(&at_root, "/a/", "../b/?q=1#x").unwrap().path(), "/b/");
        let files = site(&[("index.html", r##"<a href="#r%C3%A9sum%C3%A9">x</a><p id="résumé">"##)]);
        assert!(check_files(&files, &base("/"), &base("/")).broken.is_empty());
    }

    #[test]
    fn links_rendered_under_a_prefix_are_checked_as_the_site_has_them_at_its_base_path() {
        let files = site(&[
            (
                "index.html",
                r##"<a href="/pre/a/#sec">a</a><a href="https://x.org/pre/gone/">g</a><a href="/a/">made without the base path</a><a href="a/">relative</a>"##,
            ),
            ("a/index.html", r#"<h2 id="sec">x</h2><a href="../../up/">climbs out</a>"#),
        ]);
        let (at_root, under_prefix) = (
            check_files(&files, &base("/"), &base("/pre/")),
            check_files(&files, &base("/pre/"), &base("/pre/")),
        );
        let broken = |r: &Report| r.broken.iter().map(|b| b.to_string()).collect::<Vec<_>>();
        assert_eq!(
            broken(&at_root),
            ["/: https://x.org/gone/ (no such page)", "/a/: ../../up/ (no such page)"]
        );
        assert_eq!(
            broken(&under_prefix),
            [
                "/pre/: /a/ (outside the site's base path /pre/)",
                "/pre/: https://x.org/pre/gone/ (no such page)",
                "/pre/a/: ../../up/ (outside the site's base path /pre/)"
            ]
        );
        assert_eq!((at_root.links, under_prefix.links), (5, 5));
        let no_host = BaseUrl { origin: String::new(), path: "/".into() };
        let no_host_prefixed = BaseUrl { origin: String::new(), path: "/pre/".into() };
        assert_eq!(moved("/pre/x/", &no_host_prefixed, &no_host), "/x/");
        assert_eq!(moved("https://x.org/pre/x/", &no_host_prefixed, &no_host), "https://x.org/pre/x/");
        assert_eq!(moved("/prefix/", &base("/pre/"), &base("/")), "/prefix/");
    }

    /// What [`check`] checks at the base path, rendered under the prefix.
    fn scanned_at(base: &BaseUrl) -> BTreeMap<String, Scanned> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        scan_site(&mut Site::open(root, false, Address::At(base.clone())).unwrap()).unwrap()
    }

    #[test]
    fn the_example_site_under_a_prefix_has_the_links_it_has_at_its_base_path_with_the_prefix_taken_off() {
        let no_host = BaseUrl { origin: String::new(), path: "/".into() };
        for base in [base("/"), base("/repo/"), no_host] {
            let prefixed =
                BaseUrl { origin: base.origin.clone(), path: format!("{}quire-check-prefix/", base.path) };
            let (plain, under) = (scanned_at(&base), scanned_at(&prefixed));
            assert_eq!(plain.keys().collect::<Vec<_>>(), under.keys().collect::<Vec<_>>());
            for (path, file) in &plain {
                let mut links: Vec<(String, u32)> = under[path]
                    .links
                    .iter()
                    .map(|(l, n)| (moved(l, &prefixed, &base).into_owned(), *n))
                    .collect();
                links.sort();
                let expected: Vec<(String, u32)> =
                    file.links.iter().map(|(l, n)| (l.to_string(), *n)).collect();
                assert_eq!(links, expected, "{path} at {base:?}");
                assert_eq!(file.ids, under[path].ids, "{path}");
            }
            assert!(plain.values().map(|f| f.links.len()).sum::<usize>() > 100);
        }
    }
}
