//! A reader's own digest, as the build writes it: a paper's `code` (its
//! "Code" link and its JSON, and the error for an address that is no web
//! address).

use crate::import::json;
use crate::support::{select, select_in, text, Site, SITE_TOML};

const CODE: &str = "https://github.com/ada/crane-folding";

fn site_with_code() -> Site {
    let site = Site::new();
    site.write("site.toml", format!("{SITE_TOML}[data]\njson = true\n"));
    site.write(
        "content/2024-04-02/2404.01304.md",
        format!("---\nid: \"2404.01304\"\ntitle: Folding Cranes\ncode: {CODE}\n---\n"),
    );
    site.write("content/2024-04-02/x.md", "---\nid: \"cs/0112017\"\ntitle: Old Style\n---\n");
    site.build(&[]);
    site
}

fn hrefs(page: &scraper::Html, css: &str) -> Vec<String> {
    select(page, css).iter().map(|a| a.value().attr("href").unwrap().to_owned()).collect()
}

#[test]
fn a_papers_code_is_a_code_link_beside_pdf_on_its_row_its_details_and_its_page() {
    let site = site_with_code();
    let digest = site.page("digest/2024-04-02/index.html");
    assert_eq!(hrefs(&digest, "[id=\"ref-2404.01304\"] td.title a.code"), [CODE]);
    let links = &select(&digest, "[id=\"paper-2404.01304\"] .links")[0];
    let shown: Vec<String> = select_in(links, "a").iter().map(text).collect();
    assert_eq!(shown, ["https://arxiv.org/abs/2404.01304", "PDF", "Code", "Paper page"], "beside PDF");
    assert_eq!(select(&digest, "a.code").len(), 2, "the paper without code has none");
    let page = site.page("paper/2404.01304/index.html");
    assert_eq!(hrefs(&page, "article .links a.code"), [CODE]);
    assert_eq!(json(&site, "paper/2404.01304/index.json")["code"], CODE);
    assert_eq!(json(&site, "paper/cs-0112017/index.json")["code"], serde_json::Value::Null);
    assert_eq!(json(&site, "digest/2024-04-02/index.json")["papers"][0]["code"], CODE);
}

#[test]
fn a_code_that_is_not_a_web_address_is_an_error_at_its_line() {
    let site = Site::new();
    site.write("content/2024-04-02/p.md", "---\nid: p\ntitle: P\ncode: \"javascript:alert(1)\"\n---\n");
    site.write("content/2024-04-02/q.md", "---\nid: q\ntitle: Q\ncode: github.com/ada/repo\n---\n");
    let err = site.build_fails(&[]);
    assert!(err.contains("--> content/2024-04-02/p.md:4:7\n"), "{err}");
    assert!(err.contains("--> content/2024-04-02/q.md:4:7\n"), "{err}");
    assert_eq!(err.matches("error: `code` is not an http(s) address").count(), 2, "{err}");
    assert!(
        err.contains(
            "help: write the repository's web address, like https://github.com/owner/repo, or remove `code`"
        ),
        "{err}"
    );
    assert!(!site.path("public").exists(), "nothing is written");
    // An empty `code` is no link, as an empty `url` is.
    site.write("content/2024-04-02/p.md", "---\nid: p\ntitle: P\ncode: \"\"\n---\n");
    site.write("content/2024-04-02/q.md", "---\nid: q\ntitle: Q\ncode: \" HTTPS://gitlab.com/ada/q\"\n---\n");
    site.build(&[]);
    let digest = site.page("digest/2024-04-02/index.html");
    assert_eq!(hrefs(&digest, "[id=\"paper-q\"] a.code"), ["HTTPS://gitlab.com/ada/q"]);
    assert!(select(&digest, "[id=\"paper-p\"] a.code").is_empty());
}
