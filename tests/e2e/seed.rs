//! The seed digest, imported and built: one digest page that reads like the
//! seed (same papers, order, titles, links and summaries), with every link
//! resolving, at the root and under a GitHub Pages project path.

use crate::support::{check_links, fixtures, select, select_in, text, Site};

/// (title, url, summary) of each row of the seed's summary table, read
/// straight from the Markdown so the test does not trust the importer.
fn seed_rows() -> Vec<(String, String, String)> {
    let seed = std::fs::read_to_string(fixtures().join("import/seed-digest.md")).unwrap();
    seed.lines()
        .filter(|l| l.starts_with("| [^"))
        .map(|row| {
            let cells: Vec<String> = split_cells(row);
            let title_cell = &cells[1];
            let (title, url) = title_cell.rsplit_once("](").unwrap();
            (title.trim_start_matches('[').to_owned(), url.trim_end_matches(')').to_owned(), cells[2].clone())
        })
        .collect()
}

/// Splits a table row on `|` that is not escaped as `\|`.
fn split_cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = row.trim().trim_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => cells.last_mut().unwrap().push(chars.next().unwrap()),
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_owned()).collect()
}

fn imported_seed() -> Site {
    let site = Site::new();
    site.write("site.toml", "title = \"Seed\"\nbase_url = \"https://example.org/\"\nlanguage = \"zh\"\n");
    let seed = fixtures().join("import/seed-digest.md");
    let out = site.quire(&["import", seed.to_str().unwrap(), "--date", "2024-04-02", "--into", "content"]);
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
    site
}

#[test]
fn the_seed_becomes_one_digest_page_like_the_seed() {
    let site = imported_seed();
    site.build(&[]);
    let rows = seed_rows();
    assert_eq!(rows.len(), 18);
    let page = site.page("digest/2024-04-02/index.html");
    let table_rows = select(&page, ".summary-table tbody tr");
    assert_eq!(table_rows.len(), 18);
    for (i, (row, (title, url, summary))) in table_rows.iter().zip(&rows).enumerate() {
        let link = &select_in(row, "td.title a")[0];
        assert_eq!(&text(link), title.trim_end_matches('.'), "row {}", i + 1);
        assert_eq!(
            link.value().attr("href").unwrap().replace("http://", "https://"),
            url.replace("http://", "https://")
        );
        assert_eq!(&text(&select_in(row, "td.summary")[0]), summary, "row {}", i + 1);
        let reference = &select_in(row, "td.ref a")[0];
        assert_eq!(text(reference), format!("[{}]", i + 1));
    }
    assert_eq!(select(&page, "article.paper").len(), 18);
    check_links(&site.path("public"), "/");
}

#[test]
fn lists_carry_the_original_titles_for_the_language_toggle() {
    let site = imported_seed();
    site.build(&[]);
    let digest = site.page("digest/2024-04-02/index.html");
    let originals: Vec<String> =
        select(&digest, ".summary-table td.title a[lang]").iter().map(text).collect();
    assert_eq!(originals.len(), 18);
    let home = site.page("index.html");
    let items = select(&home, ".paper-list li a");
    assert_eq!(items.len(), 18);
    let mut translated = 0;
    for (item, original) in items.iter().zip(&originals) {
        // The original, in English, is always there: alone, or for the toggle.
        let english = select_in(item, "[lang=en]");
        assert_eq!(english.len(), 1, "{}", item.html());
        assert_eq!(&text(&english[0]), original);
        if !select_in(item, ".lang-tr").is_empty() {
            assert!(english[0].value().has_class("lang-orig-only", scraper::CaseSensitivity::CaseSensitive));
            translated += 1;
        }
    }
    assert!(translated > 9, "{translated} of 18 listed with a translated title");
    assert_eq!(select(&home, "[data-lang-toggle]").len(), 1, "the toggle on the home page");
    // A category's pages, long in a large archive, list each paper once, by
    // the title a reader sees: the translated one, else the original.
    let category = site.page("category/cs-cv/index.html");
    let listed = select(&category, ".term-papers li a");
    assert!(listed.len() > 1);
    for item in &listed {
        assert!(select_in(item, "span").len() <= 1, "one title: {}", item.html());
    }
    assert!(listed.iter().any(|a| select_in(a, "[lang=en]").is_empty()), "translated titles");
    assert!(select(&category, ".term-papers .lang-orig-only").is_empty());
    assert!(select(&category, "[data-lang-toggle]").is_empty(), "one title each, no toggle");
    assert!(
        select(&site.page("archive/index.html"), "[data-lang-toggle]").is_empty(),
        "no titles, no toggle"
    );
}

#[test]
fn the_seed_works_under_a_project_path() {
    let site = imported_seed();
    site.build(&["--base-url", "https://user.github.io/repo/"]);
    let checked = check_links(&site.path("public"), "/repo/");
    assert!(checked > 18 * 4, "only {checked} links checked");
}

#[test]
fn the_example_site_in_the_repository_builds() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output-dir", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", crate::support::stderr(&status));
    let digest = out.join("digest/2024-04-02/index.html");
    let html = scraper::Html::parse_document(&std::fs::read_to_string(digest).unwrap());
    assert_eq!(select(&html, ".summary-table tbody tr").len(), 18);
    check_links(&out, "/");
}
