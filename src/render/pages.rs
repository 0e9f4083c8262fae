//! Stage 3, plan: which pages a site has and where each is published.
//!
//! Every page is a [`PageKind`]; its site path (`digest/2024-04-02/`) gives
//! both its link (with the base path in front) and its output file
//! (`digest/2024-04-02/index.html`). New kinds of page (categories, tags,
//! feeds) are new variants here and a template each.

use crate::group::Site;

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// Home page `number` (1-based) of the newest digests.
    Home {
        number: usize,
        of: usize,
    },
    /// A digest, by index into `Site::digests`.
    Digest(usize),
    /// A paper, by index into `Site::papers`.
    Paper(usize),
    Archive,
    NotFound,
}

impl PageKind {
    /// The template that renders this kind of page.
    pub fn template(self) -> &'static str {
        match self {
            PageKind::Home { .. } => "index.html",
            PageKind::Digest(_) => "digest.html",
            PageKind::Paper(_) => "paper.html",
            PageKind::Archive => "archive.html",
            PageKind::NotFound => "404.html",
        }
    }
}

/// Every page of `site`, with home pages of `per_page` digests each.
pub fn plan(site: &Site, per_page: usize) -> Vec<PageKind> {
    let homes = site.digests.len().div_ceil(per_page).max(1);
    let mut pages: Vec<PageKind> = (1..=homes).map(|number| PageKind::Home { number, of: homes }).collect();
    pages.extend((0..site.digests.len()).map(PageKind::Digest));
    pages.extend((0..site.papers.len()).map(PageKind::Paper));
    pages.extend([PageKind::Archive, PageKind::NotFound]);
    pages
}

/// The site path of a page: what follows the base path in its URL.
pub fn site_path(site: &Site, page: PageKind) -> String {
    match page {
        PageKind::Home { number, .. } => home_path(number),
        PageKind::Digest(d) => digest_path(&site.digests[d].key),
        PageKind::Paper(p) => paper_path(&site.papers[p].slug),
        PageKind::Archive => "archive/".into(),
        PageKind::NotFound => "404.html".into(),
    }
}

pub fn home_path(number: usize) -> String {
    if number <= 1 {
        String::new()
    } else {
        format!("page/{number}/")
    }
}

pub fn digest_path(key: &str) -> String {
    format!("digest/{key}/")
}

pub fn paper_path(slug: &str) -> String {
    format!("paper/{slug}/")
}

/// The file a site path is written to.
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

    #[test]
    fn paths_follow_the_contract() {
        assert_eq!(home_path(1), "");
        assert_eq!(home_path(2), "page/2/");
        assert_eq!(digest_path("2024-W14"), "digest/2024-W14/");
        assert_eq!(paper_path("cs-0112017"), "paper/cs-0112017/");
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("archive/"), "archive/index.html");
        assert_eq!(output_file("404.html"), "404.html");
    }

    #[test]
    fn an_empty_site_still_has_a_home_page() {
        let site = Site { papers: vec![], digests: vec![], placement: vec![] };
        assert_eq!(
            plan(&site, 10),
            [PageKind::Home { number: 1, of: 1 }, PageKind::Archive, PageKind::NotFound]
        );
    }
}
