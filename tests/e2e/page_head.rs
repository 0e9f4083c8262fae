//! What every page of the default theme carries besides its text: a
//! description and OpenGraph tags, the favicon, a menu of the sections the
//! site has (and a sitemap of them), both titles in a digest's table, dates
//! kept whole, and the Chinese words for a digest, its summary table and an
//! abstract.

use crate::support::{select, text, Site};

/// Two bilingual papers in Chinese; `terms` adds a category to the first.
fn bilingual_site(description: Option<&str>, terms: bool) -> Site {
    let site = Site::new();
    let description = description.map(|d| format!("description = \"{d}\"\n")).unwrap_or_default();
    site.write(
        "site.toml",
        format!(
            "title = \"论文速递\"\n{description}base_url = \"https://example.org/\"\nlanguage = \"zh\"\n"
        ),
    );
    let categories = if terms { "categories: [cs.CV]\n" } else { "" };
    site.write(
        "content/a.md",
        format!(
            "---\nid: \"2404.00001\"\ntitle: Neural Fields\ntranslated_title: 神经场\ndate: 2024-04-02\n\
             summary: 一句话总结。\n{categories}abstract: An abstract.\n---\n中文正文。\n"
        ),
    );
    site.write("content/b.md", "---\nid: \"2404.00002\"\ntitle: Plain Title\ndate: 2024-04-02\n---\n");
    site.build(&[]);
    site
}

/// The HTML pages of the output, by path.
fn html_pages(site: &Site) -> Vec<String> {
    crate::support::tree(&site.path("public"))
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with(".html"))
        .collect()
}

fn description(page: &scraper::Html) -> Vec<String> {
    select(page, "head meta[name=description]")
        .iter()
        .map(|m| m.value().attr("content").unwrap().to_owned())
        .collect()
}

#[test]
fn every_page_has_a_description_and_a_paper_its_summary() {
    let site = bilingual_site(Some("每天的论文"), true);
    for path in html_pages(&site) {
        let page = site.page(&path);
        let found = description(&page);
        assert_eq!(found.len(), 1, "{path}: {found:?}");
        assert!(!found[0].trim().is_empty(), "{path}: an empty description");
    }
    assert_eq!(description(&site.page("index.html")), ["每天的论文"]);
    assert_eq!(description(&site.page("paper/2404.00001/index.html")), ["一句话总结。"]);
    assert_eq!(description(&site.page("digest/2024-04-02/index.html")), ["2 篇论文 · 每天的论文"]);
    // Without a description in site.toml, a page is described by the site's title.
    let untitled = bilingual_site(None, true);
    assert_eq!(description(&untitled.page("archive/index.html")), ["论文速递"]);
}

/// A page's `og:` property.
fn og(page: &scraper::Html, property: &str) -> Option<String> {
    let tag = select(page, &format!("head meta[property=\"og:{property}\"]"));
    tag.first().and_then(|m| m.value().attr("content")).map(str::to_owned)
}

#[test]
fn a_paper_page_is_an_article_titled_and_described_by_the_paper_and_a_list_a_website() {
    let feed = |page: &scraper::Html| !select(page, "head link[rel=alternate]").is_empty();
    for (described, fallback) in [(Some("每天的论文"), "每天的论文"), (None, "论文速递")] {
        let site = bilingual_site(described, false);
        let translated = site.page("paper/2404.00001/index.html");
        assert_eq!(og(&translated, "title").as_deref(), Some("神经场"), "the translated title first");
        assert_eq!(og(&translated, "type").as_deref(), Some("article"));
        assert_eq!(description(&translated), ["一句话总结。"]);
        assert!(!feed(&translated), "a paper's page links the feed from its menu only");
        let plain = site.page("paper/2404.00002/index.html");
        assert_eq!(og(&plain, "title").as_deref(), Some("Plain Title"));
        assert_eq!(og(&plain, "description"), None, "written once, as the description meta");
        assert_eq!(description(&plain), [fallback], "no summary: the site's description, else its title");
        let digest = site.page("digest/2024-04-02/index.html");
        assert_eq!(og(&digest, "title").as_deref(), Some("速递 2024-04-02"));
        assert_eq!(og(&digest, "type").as_deref(), Some("website"));
        assert!(feed(&digest));
    }
}

#[test]
fn every_page_names_the_favicon_the_theme_ships_and_a_site_may_replace() {
    let site = bilingual_site(None, false);
    for path in html_pages(&site) {
        let icons: Vec<_> = select(&site.page(&path), "head link[rel=icon]")
            .iter()
            .map(|l| l.value().attr("href").unwrap().to_owned())
            .collect();
        assert_eq!(icons, ["/favicon.ico"], "{path}");
    }
    let shipped = std::fs::read(site.path("public/favicon.ico")).unwrap();
    assert_eq!(&shipped[..4], b"\0\0\x01\0", "an icon file");
    site.write("static/favicon.ico", b"mine");
    site.build(&[]);
    assert_eq!(std::fs::read(site.path("public/favicon.ico")).unwrap(), b"mine");
}

#[test]
fn menu_and_sitemap_name_categories_and_tags_only_when_the_site_has_some() {
    let menu = |site: &Site| -> Vec<String> {
        let page = site.page("index.html");
        select(&page, "header nav a").iter().map(|a| a.value().attr("href").unwrap().to_owned()).collect()
    };
    let sitemap = |site: &Site| std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();

    let bare = bilingual_site(None, false);
    assert_eq!(menu(&bare), ["/", "/archive/", "/atom.xml"]);
    assert!(
        !sitemap(&bare).contains("/category/") && !sitemap(&bare).contains("/tag/"),
        "{}",
        sitemap(&bare)
    );
    assert!(!bare.path("public/category/index.html").exists(), "no empty page of categories");
    assert!(!bare.path("public/tag/index.html").exists());

    let with_categories = bilingual_site(None, true);
    assert_eq!(menu(&with_categories), ["/", "/archive/", "/category/", "/atom.xml"]);
    assert!(sitemap(&with_categories).contains("<loc>https://example.org/category/</loc>"));
    assert!(!sitemap(&with_categories).contains("/tag/"));
    crate::support::check_links(&with_categories.path("public"), "/");
}

#[test]
fn the_digest_table_shows_both_titles_and_chinese_names_its_parts_apart() {
    let site = bilingual_site(None, true);
    let digest = site.page("digest/2024-04-02/index.html");
    let row = &select(&digest, "[id=\"ref-2404.00001\"] td.title")[0];
    let original: Vec<_> = crate::support::select_in(row, ".lang-orig").iter().map(text).collect();
    let translated: Vec<_> = crate::support::select_in(row, ".lang-tr").iter().map(text).collect();
    assert_eq!((original, translated), (vec!["Neural Fields".to_owned()], vec!["神经场".to_owned()]));
    assert!(crate::support::select_in(row, "[class*=only]").is_empty(), "neither title waits for a toggle");

    // The digest (速递), its summary table (概览) and an abstract (摘要) are three words.
    let heading = text(&select(&digest, "h1")[0]);
    let table = text(&select(&digest, "h2#summary")[0]);
    let abstract_label = text(&select(&digest, "div.abstract .abstract-label")[0]);
    assert_eq!(heading, "速递 2024-04-02");
    assert_eq!(table, "概览");
    assert!(abstract_label.contains("摘要"), "{abstract_label}");
    assert!(!heading.contains("摘要") && !table.contains("摘要"), "{heading} / {table}");
    // A date is one unbreakable token (the theme keeps `time` on one line).
    let time = &select(&digest, "h1 time")[0];
    assert_eq!((text(time), time.value().attr("datetime")), ("2024-04-02".to_owned(), Some("2024-04-02")));
}
