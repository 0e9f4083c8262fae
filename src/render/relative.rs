//! Stage 3, last step of an HTML page when `relative_urls = true`: every
//! internal link becomes relative to the page that holds it.
//!
//! Templates and Markdown write links from the site root (`/repo/paper/x/`),
//! which is right on a server. Opened from disk (`file://`), those links
//! point at the root of the disk. With `relative_urls`, the page
//! `digest/2024-04-02/` links `../../paper/x/index.html` instead: relative,
//! and naming the file, because a browser shows a folder as a listing rather
//! than its `index.html`. Feeds, sitemaps and JSON keep absolute URLs.

/// The attributes that hold links in the pages quire renders.
const LINK_ATTRIBUTES: [&str; 3] = ["href", "src", "action"];

/// Rewrites the links of `html`, rendered for the page at `site_path`
/// (`digest/2024-04-02/`, `404.html`), that start with `base` (`/repo/`).
pub fn relativize(html: &[u8], site_path: &str, base: &str) -> Vec<u8> {
    let up = "../".repeat(site_path.matches('/').count());
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((value_start, value_len)) = next_link(rest, base.as_bytes()) {
        out.extend_from_slice(&rest[..value_start]);
        let value = String::from_utf8_lossy(&rest[value_start..value_start + value_len]);
        out.extend_from_slice(relative_link(&value[base.len()..], &up).as_bytes());
        rest = &rest[value_start + value_len..];
    }
    out.extend_from_slice(rest);
    out
}

/// The next quoted link attribute value starting with `base` (but not `//`):
/// its offset and length in `html`.
fn next_link(html: &[u8], base: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let quote = from + find(&html[from..], b"=\"")?;
        let value_start = quote + 2;
        let value = &html[value_start..];
        let end = value.iter().position(|&b| b == b'"')?;
        let is_link = LINK_ATTRIBUTES.iter().any(|a| attribute_before(html, quote) == a.as_bytes());
        if is_link && value.starts_with(base) && !value[..end].starts_with(b"//") {
            return Some((value_start, end));
        }
        from = value_start + end;
    }
}

/// The attribute name that ends at `at` (`<a href` -> `href`).
fn attribute_before(html: &[u8], at: usize) -> &[u8] {
    let start =
        html[..at].iter().rposition(|b| !b.is_ascii_alphanumeric() && *b != b'-').map_or(0, |i| i + 1);
    &html[start..at]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `paper/x/#a` seen from two folders down -> `../../paper/x/index.html#a`.
fn relative_link(target: &str, up: &str) -> String {
    let split = target.find(['#', '?']).unwrap_or(target.len());
    let (path, suffix) = target.split_at(split);
    let file = if path.is_empty() || path.ends_with('/') { "index.html" } else { "" };
    format!("{up}{path}{file}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(html: &str, page: &str, base: &str) -> String {
        String::from_utf8(relativize(html.as_bytes(), page, base)).unwrap()
    }

    #[test]
    fn links_become_relative_to_the_page_and_name_the_file() {
        let html = r#"<a href="/repo/paper/x/#p">x</a><link rel="stylesheet" href="/repo/style.css">"#;
        assert_eq!(
            rel(html, "digest/2024-04-02/", "/repo/"),
            r#"<a href="../../paper/x/index.html#p">x</a><link rel="stylesheet" href="../../style.css">"#
        );
    }

    #[test]
    fn the_home_page_and_root_files_link_from_where_they_are() {
        assert_eq!(rel(r#"<a href="/">home</a>"#, "", "/"), r#"<a href="index.html">home</a>"#);
        assert_eq!(rel(r#"<img src="/a.png">"#, "404.html", "/"), r#"<img src="a.png">"#);
        assert_eq!(
            rel(r#"<form action="/search/?q=1">"#, "page/2/", "/"),
            r#"<form action="../../search/index.html?q=1">"#
        );
    }

    #[test]
    fn other_links_and_text_stay_as_they_are() {
        let html = concat!(
            r##"<a href="https://arxiv.org/abs/1">a</a><a href="#row">b</a><a href="//cdn/x">c</a>"##,
            r#"<a href="/other/">d</a><p data-url="/repo/x/">title="/repo/x/"</p>"#
        );
        assert_eq!(rel(html, "paper/x/", "/repo/"), html);
    }
}
