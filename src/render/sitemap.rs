//! Stage 3, crawlers: `sitemap.xml` (split with an index past 50,000 URLs)
//! and `robots.txt` pointing to it. Every URL is absolute, and each page
//! gives the date it last changed (`lastmod`), from the papers it shows:
//! the same input gives the same sitemap.

use chrono::NaiveDate;

use super::PageKind;
use crate::config::SiteConfig;
use crate::group::Model;

/// One page in a sitemap.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Url {
    /// Absolute.
    pub loc: String,
    pub lastmod: Option<NaiveDate>,
}

/// When `page` last changed: a paper's date, or the newest date of the
/// papers a category or tag has, of the listings a digest has; the site's newest for the pages
/// that list the whole site (home, archive, term lists, search).
pub fn lastmod(model: &Model, page: PageKind) -> Option<NaiveDate> {
    // Papers come newest digest first (in the model and in each term's
    // list): the newest date is among those of the first digest.
    let newest = |papers: &mut dyn Iterator<Item = usize>| {
        let mut papers = papers.peekable();
        let first = model.placement[*papers.peek()?].digest;
        papers.take_while(|&p| model.placement[p].digest == first).map(|p| model.papers[p].date).max()
    };
    match page {
        PageKind::Paper(p) => Some(model.papers[p].date),
        PageKind::Digest(d) => {
            model.entries[model.digests[d].entries.clone()].iter().map(|e| model.entry_date(e)).max()
        }
        PageKind::Term { kind, term, .. } => newest(&mut model.terms(kind)[term].papers.iter().copied()),
        _ => newest(&mut (0..model.papers.len())),
    }
}

/// A `<urlset>` of pages.
pub fn urlset(urls: &[Url]) -> Vec<u8> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        let loc = crate::text::html::escape_html(&url.loc);
        match url.lastmod {
            Some(date) => out.push_str(&format!("  <url><loc>{loc}</loc><lastmod>{date}</lastmod></url>\n")),
            None => out.push_str(&format!("  <url><loc>{loc}</loc></url>\n")),
        }
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// A `<sitemapindex>` of `parts` sitemap files (`sitemap-1.xml`...).
pub fn index(config: &SiteConfig, parts: usize) -> Vec<u8> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=parts {
        let loc = config.base_url.absolute(&format!("sitemap-{n}.xml"));
        out.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", crate::text::html::escape_html(&loc)));
    }
    out.push_str("</sitemapindex>\n");
    out.into_bytes()
}

/// Allows everything and names the sitemap.
pub fn robots(config: &SiteConfig) -> Vec<u8> {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", config.base_url.absolute("sitemap.xml")).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_escaped_and_dated() {
        let urls = [
            Url { loc: "https://x.org/a?b&c".into(), lastmod: NaiveDate::from_ymd_opt(2024, 4, 2) },
            Url { loc: "https://x.org/".into(), lastmod: None },
        ];
        let xml = String::from_utf8(urlset(&urls)).unwrap();
        assert!(
            xml.contains("<url><loc>https://x.org/a?b&amp;c</loc><lastmod>2024-04-02</lastmod></url>"),
            "{xml}"
        );
        assert!(xml.contains("<url><loc>https://x.org/</loc></url>"), "{xml}");
    }
}
