//! Stage 3, crawlers: `sitemap.xml` (split with an index past 50,000 URLs)
//! and `robots.txt` pointing to it. Every URL is absolute.

use crate::config::SiteConfig;

/// A `<urlset>` of absolute page URLs.
pub fn urlset(urls: &[String]) -> Vec<u8> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", super::markdown::escape_html(url)));
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
        out.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", super::markdown::escape_html(&loc)));
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
    fn urls_are_escaped() {
        let xml = String::from_utf8(urlset(&["https://x.org/a?b&c".into()])).unwrap();
        assert!(xml.contains("<loc>https://x.org/a?b&amp;c</loc>"), "{xml}");
    }
}
