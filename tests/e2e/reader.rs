//! A reader's own digest, as the build writes it: a paper's `code` (its
//! "Code" link and its JSON, and the error for an address that is no web
//! address), the hooks the theme's scripts read (`data-paper`,
//! `data-digest`), and the `/starred/` page, which no sitemap lists. What
//! the scripts do with them is tested in Chromium (`tests/browser/reader.test.mjs`).

use crate::import::json;
use crate::support::{check_links, select, select_in, text, Site, SITE_TOML};

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

#[test]
fn papers_and_digests_carry_the_hooks_the_theme_reads() {
    let site = site_with_code();
    let digest = site.page("digest/2024-04-02/index.html");
    let ids = |css: &str| -> Vec<String> {
        select(&digest, css).iter().map(|e| e.value().attr("data-paper").unwrap().to_owned()).collect()
    };
    assert_eq!(ids("tr[data-paper]"), ["2404.01304", "cs/0112017"], "each row, by id as written");
    assert_eq!(ids("article[data-paper]"), ["2404.01304", "cs/0112017"], "each paper's details");
    let h1 = &select(&digest, "h1[data-digest]")[0];
    assert_eq!(
        (h1.value().attr("data-digest"), h1.value().attr("data-count")),
        (Some("2024-04-02"), Some("2"))
    );
    assert_eq!(select(&digest, "button[data-reader-open][hidden]").len(), 1, "shown by the script only");
    assert_eq!(
        select(&digest, "template#quire-reader form#reader-panel").len(),
        0,
        "a template's form is not in the page"
    );
    assert!(
        digest.html().contains("<form class=\"reader-panel\" id=\"reader-panel\">"),
        "it is in the template"
    );
    let home = site.page("index.html");
    let card = &select(&home, "section.digest-card")[0];
    assert_eq!(
        (card.value().attr("data-digest"), card.value().attr("data-count")),
        (Some("2024-04-02"), Some("2"))
    );
    let paper = site.page("paper/cs-0112017/index.html");
    assert_eq!(select(&paper, "article[data-paper=\"cs/0112017\"]").len(), 1);
    // A paper's page has a star's label only; the script makes the menu's link to the starred papers.
    let texts = &select(&paper, "template#quire-reader")[0];
    assert_eq!(
        (texts.value().attr("data-star"), texts.value().attr("data-starred-label")),
        (Some("Star"), Some("Starred"))
    );
    assert_eq!(texts.value().attrs().count(), 3, "id, data-star, data-starred-label");
    assert!(select(&home, "a[href=\"/starred/\"]").is_empty());
}

#[test]
fn the_starred_page_is_for_one_browser_not_for_search_engines() {
    let site = site_with_code();
    let starred = site.page("starred/index.html");
    assert_eq!(text(&select(&starred, "h1")[0]), "Starred");
    assert_eq!(select(&starred, "head meta[name=robots]")[0].value().attr("content"), Some("noindex"));
    assert_eq!(select(&starred, "[data-starred] ol#starred-list").len(), 1);
    assert_eq!(select(&starred, ".starred-tools[hidden] button").len(), 4, "copy, download, export, import");
    assert!(text(&select(&starred, "noscript")[0]).contains("JavaScript"));
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/paper/2404.01304/</loc>"), "{sitemap}");
    assert!(!sitemap.contains("starred"), "{sitemap}");
    for script in ["reader.js", "keywords.js", "starred.js"] {
        assert!(site.path("public").join(script).is_file(), "{script}");
    }
    check_links(&site.path("public"), "/");
}

#[test]
fn a_theme_without_a_starred_template_has_no_starred_page() {
    let site = Site::from_fixture("tiny-theme");
    site.build(&[]);
    assert!(!site.path("public/starred").exists());
    assert!(!site.path("public/reader.js").exists(), "nothing of the default theme");
}
