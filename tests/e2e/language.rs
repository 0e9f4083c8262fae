//! Interface languages: only those with strings (the theme's, or the site's
//! own `i18n/<language>.toml`) are accepted, and counts read right in each
//! (`1 paper`, `2 papers`).

use crate::support::{select, stderr, text, Site};

/// A site in `language` with one paper in one digest (and its category and tag).
fn one_paper_site(language: &str) -> Site {
    let site = Site::new();
    site.write(
        "site.toml",
        format!("title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"{language}\"\n"),
    );
    site.write(
        "content/2024-04-02/a.md",
        "---\nid: a\ntitle: Alone\ncategories: [cs.CV]\ntags: [nerf]\n---\nBody.\n",
    );
    site
}

/// The texts of the elements `css` selects on a page of the output.
fn texts(site: &Site, page: &str, css: &str) -> Vec<String> {
    select(&site.page(page), css).iter().map(text).collect()
}

fn description(site: &Site, page: &str) -> String {
    let page = site.page(page);
    select(&page, "meta[name='description']")[0].value().attr("content").unwrap().to_owned()
}

#[test]
fn one_paper_is_one_paper_on_every_page_that_counts() {
    let site = one_paper_site("en");
    site.build(&[]);
    assert_eq!(texts(&site, "index.html", "main h2 small"), ["1 paper"]);
    assert_eq!(texts(&site, "archive/index.html", "main li small"), ["1 paper"]);
    assert_eq!(texts(&site, "digest/2024-04-02/index.html", "#paper-count"), ["1 paper"]);
    let digest = site.page("digest/2024-04-02/index.html");
    let count = select(&digest, "#paper-count")[0].value().attr("data-text-shown").unwrap().to_owned();
    assert_eq!(count, "{n} of {total} paper");
    assert!(description(&site, "digest/2024-04-02/index.html").starts_with("1 paper"));
    for term in ["category/cs-cv/index.html", "tag/nerf/index.html"] {
        assert!(texts(&site, term, "main p.count")[0].starts_with("1 paper ·"), "{term}");
        assert!(description(&site, term).starts_with("1 paper"), "{term}");
    }
    assert_eq!(
        texts(&site, "search/index.html", "#search-status"),
        ["Search the title, summary, authors and abstract of 1 paper."]
    );
    let search = site.page("search/index.html");
    let form = select(&search, "main form[role=search]")[0].value();
    assert_eq!(form.attr("data-text-count-one"), Some("{n} paper matches."));
    assert_eq!(form.attr("data-text-count"), Some("{n} papers match."));
    // Two papers are papers again.
    site.write("content/2024-04-02/b.md", "---\nid: b\ntitle: Second\n---\n");
    site.build(&[]);
    assert_eq!(texts(&site, "index.html", "main h2 small"), ["2 papers"]);
    assert_eq!(texts(&site, "digest/2024-04-02/index.html", "#paper-count"), ["2 papers"]);
}

#[test]
fn chinese_counts_have_one_form() {
    let site = one_paper_site("zh");
    site.build(&[]);
    assert_eq!(texts(&site, "index.html", "main h2 small"), ["1 篇论文"]);
    assert_eq!(texts(&site, "digest/2024-04-02/index.html", "#paper-count"), ["1 篇论文"]);
}

#[test]
fn a_language_without_strings_fails_the_build_naming_those_there_are() {
    let site = one_paper_site("fr");
    let err = site.build_fails(&[]);
    assert!(err.contains("site.toml:3"), "{err}");
    assert!(err.contains("the theme `default` has no interface text in `fr`"), "{err}");
    assert!(err.contains("use one of: en, zh; or run `quire theme eject --i18n fr`"), "{err}");
    assert!(err.contains("writes the English strings into i18n/fr.toml to translate"), "{err}");
    assert!(!site.path("public").exists());
    // The site's own strings bring the language; what they lack stays English.
    site.write("i18n/fr.toml", "archive = \"Archives\"\n");
    site.build(&[]);
    let page = site.page("index.html");
    assert_eq!(select(&page, "html")[0].value().attr("lang"), Some("fr"));
    assert!(select(&page, "a").iter().any(|a| text(a) == "Archives"), "the site's string is used");
    assert_eq!(texts(&site, "index.html", "main h2 small"), ["1 paper"]);
}

#[test]
fn init_refuses_a_language_it_has_no_strings_for() {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    let out = site.quire(&["init", "digest", "--language", "fr"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("no interface text in `fr`: use --language en or zh"), "{err}");
    assert!(!site.path("digest").exists(), "nothing was written");
    let out = site.quire(&["init", "digest", "--language", "zh"]);
    assert!(out.status.success(), "{}", stderr(&out));
    site.build(&["--root", "digest", "--output-dir", "public"]);
    assert_eq!(select(&site.page("index.html"), "html")[0].value().attr("lang"), Some("zh"));
}
