//! An archive that grows: papers listed again on later days and in several
//! categories' digests of one day (`listed`). Each paper keeps one file and
//! one page, and shows in every digest that listed it, with that listing's
//! number and announce type.

use std::collections::{BTreeMap, BTreeSet};

use crate::import::{import, json, made_up_digest, zh_site};
use crate::support::{select, stderr, text, tree, Site};

/// The ids a 20-day, three-category archive lists on each day: each
/// category's own papers, one paper all three list, and each category's
/// first paper of two days before, listed again.
fn twenty_days() -> BTreeMap<u32, BTreeMap<&'static str, Vec<String>>> {
    let mut days = BTreeMap::new();
    for day in 1..=20u32 {
        let mut categories = BTreeMap::new();
        for (c, category) in ["cs.AI", "cs.LG", "stat.ML"].into_iter().enumerate() {
            let mut ids: Vec<String> = (0..6).map(|k| format!("2404.{day:02}{c}{k:02}")).collect();
            ids.push(format!("2404.{day:02}900"));
            if day > 2 {
                ids.push(format!("2404.{:02}{c}00", day - 2));
            }
            categories.insert(category, ids);
        }
        days.insert(day, categories);
    }
    days
}

/// The `id`s of the elements `css` selects, in page order.
fn ids(page: &scraper::Html, css: &str) -> Vec<String> {
    select(page, css).iter().map(|e| e.value().attr("id").unwrap_or_default().to_owned()).collect()
}

#[test]
fn twenty_days_of_three_categories_build_clean_with_every_digest_complete() {
    let site = zh_site();
    let days = twenty_days();
    for (day, categories) in &days {
        for (category, ids) in categories {
            site.write(
                &format!("digests/2024-04-{day:02}/{category}.md"),
                made_up_digest(category, *day, ids),
            );
        }
    }
    import(&site, &["digests"]);
    let out = site.build(&[]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let all: BTreeSet<&String> = days.values().flat_map(|c| c.values().flatten()).collect();
    for (day, categories) in &days {
        let listed: BTreeSet<&String> = categories.values().flatten().collect();
        let page = site.page(&format!("digest/2024-04-{day:02}/index.html"));
        let rows = ids(&page, ".summary-table tbody tr");
        let details = ids(&page, "article.paper");
        let want: BTreeSet<String> = listed.iter().map(|id| format!("ref-{id}")).collect();
        assert_eq!(rows.iter().cloned().collect::<BTreeSet<_>>(), want, "day {day}");
        assert_eq!(rows.len(), listed.len(), "day {day}: each paper once");
        assert_eq!(details, rows.iter().map(|r| r.replacen("ref-", "paper-", 1)).collect::<Vec<_>>());
        let numbers: Vec<String> = select(&page, ".summary-table td.ref a").iter().map(text).collect();
        let expected: Vec<String> = (1..=listed.len()).map(|n| format!("[{n}]")).collect();
        assert_eq!(numbers, expected, "day {day}: numbered like any row");
        let count = text(&select(&page, "#paper-count")[0]);
        assert!(count.starts_with(&listed.len().to_string()), "day {day}: {count}");
    }
    let pages = tree(&site.path("public/paper")).into_keys().filter(|p| p.ends_with("index.html")).count();
    assert_eq!(pages, all.len(), "one page per paper");
    // Listed on April 3 and again, by the three categories, on April 5.
    let page = site.page("paper/2404.03100/index.html");
    let listed: Vec<String> = select(&page, ".listed-in a").iter().map(text).collect();
    assert_eq!(listed, ["2024-04-03", "2024-04-05"]);
    let back: Vec<String> = select(&page, ".crumbs a").iter().map(text).collect();
    assert_eq!(back, ["速递 2024-04-03"], "its digest is its first listing's");
    // A category page lists a paper once, at its first listing's place.
    let lg = site.page("category/cs-lg/index.html");
    let links: Vec<&str> = select(&lg, "main li a").iter().filter_map(|a| a.value().attr("href")).collect();
    // 2404.18100: on April 18 and again, by cs.LG, on April 20.
    let shown: Vec<_> = links.iter().filter(|h| h.contains("#paper-2404.18100")).collect();
    assert_eq!(shown, [&"/digest/2024-04-18/#paper-2404.18100"], "{links:?}");
    let check = site.quire(&["check"]);
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success() && report.contains(": 0 broken."), "{report}{}", stderr(&check));
    let data = json(&site, "paper/2404.03100/index.json");
    let dates: Vec<&str> =
        data["listings"].as_array().unwrap().iter().map(|l| l["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2024-04-03", "2024-04-05"]);
}

/// Paper 2404.00001 of April 1 (`new`), listed as `listed` says, beside a
/// paper of April 10.
fn site_with_listings(period: &str, listed: &str) -> Site {
    let site = Site::new();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", format!("{toml}\n[digest]\nperiod = \"{period}\"\n\n[data]\njson = true\n"));
    site.write(
        "content/a.md",
        format!(
            "---\nid: \"2404.00001\"\ntitle: \"Listed again\"\ndate: 2024-04-01\nannounce_type: new\n\
             categories: [cs.LG]\nlisted:\n{listed}---\nBody.\n"
        ),
    );
    site.write(
        "content/b.md",
        "---\nid: \"2404.00002\"\ntitle: \"Only once\"\ndate: 2024-04-10\norder: 1\nannounce_type: cross\n---\nBody.\n",
    );
    site
}

#[test]
fn a_later_listing_shows_its_own_number_and_announce_type_on_its_day() {
    let site = site_with_listings("day", "  - date: 2024-04-10\n    order: 2\n    announce_type: replace\n");
    let out = site.build(&[]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let later = site.page("digest/2024-04-10/index.html");
    let rows = ids(&later, ".summary-table tbody tr");
    assert_eq!(rows, ["ref-2404.00002", "ref-2404.00001"]);
    let row = &select(&later, "#ref-2404\\.00001")[0];
    assert_eq!(text(&crate::support::select_in(row, "td.ref a")[0]), "[2]");
    let badge = crate::support::select_in(row, ".announce");
    assert_eq!(
        badge.iter().map(|b| b.value().attr("data-announce").unwrap()).collect::<Vec<_>>(),
        ["replace"]
    );
    assert_eq!(text(&badge[0]), "replaced");
    let detail = &select(&later, "#paper-2404\\.00001")[0];
    assert_eq!(text(&crate::support::select_in(detail, ".backref")[0]), "[2]");
    assert_eq!(text(&crate::support::select_in(detail, ".announce")[0]), "replaced");
    // On its first day it is new: no label; its page names both listings.
    let first = site.page("digest/2024-04-01/index.html");
    assert!(select(&first, ".announce").is_empty());
    let page = site.page("paper/2404.00001/index.html");
    let listed: Vec<String> = select(&page, ".listed-in a").iter().map(text).collect();
    assert_eq!(listed, ["2024-04-01", "2024-04-10"]);
    assert_eq!(text(&select(&page, ".listed-in")[0]), "Listed in: 2024-04-01 new, 2024-04-10 replaced");
    let once = site.page("paper/2404.00002/index.html");
    assert!(select(&once, ".listed-in").is_empty(), "a paper listed once names no list");
    let digest = json(&site, "digest/2024-04-10/index.json");
    let papers: Vec<(&str, u64, &str)> = digest["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (p["id"].as_str().unwrap(), p["number"].as_u64().unwrap(), p["announce_type"].as_str().unwrap())
        })
        .collect();
    assert_eq!(papers, [("2404.00002", 1, "cross"), ("2404.00001", 2, "replace")]);
    let paper = json(&site, "paper/2404.00001/index.json");
    assert_eq!(
        paper["listings"],
        serde_json::json!([
            {"date": "2024-04-01", "digest": "2024-04-01", "order": null, "number": 1, "announce_type": "new"},
            {"date": "2024-04-10", "digest": "2024-04-10", "order": 2, "number": 2, "announce_type": "replace"}
        ])
    );
    assert_eq!((paper["digest"].as_str(), paper["number"].as_u64()), (Some("2024-04-01"), Some(1)));
    // Home, archive, feed and sitemap count it in both digests, once each.
    let home = site.page("index.html");
    let counts: Vec<String> = select(&home, ".digest-card h2 small").iter().map(text).collect();
    assert_eq!(counts, ["2 papers", "1 paper"]);
    let feed = std::fs::read_to_string(site.path("public/atom.xml")).unwrap();
    assert_eq!(feed.matches("/paper/2404.00001/").count(), 2, "listed by both digests' entries: {feed}");
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    assert_eq!(sitemap.matches("/paper/2404.00001/").count(), 1, "{sitemap}");
    assert_eq!(tree(&site.path("public/paper")).keys().filter(|p| p.ends_with("index.html")).count(), 2);
}

#[test]
fn two_listings_in_one_week_show_the_paper_once_at_the_first() {
    let site = site_with_listings(
        "week",
        "  - date: 2024-04-03\n    announce_type: replace\n  - date: 2024-04-11\n    announce_type: cross\n",
    );
    site.build(&[]);
    // April 1 and 3 are in week 14; April 10 and 11 in week 15.
    let w14 = site.page("digest/2024-W14/index.html");
    assert_eq!(ids(&w14, ".summary-table tbody tr"), ["ref-2404.00001"]);
    assert!(select(&w14, ".announce").is_empty(), "shown at the first listing: new");
    let w15 = site.page("digest/2024-W15/index.html");
    assert_eq!(ids(&w15, ".summary-table tbody tr"), ["ref-2404.00002", "ref-2404.00001"]);
    let badges: Vec<&str> =
        select(&w15, "tr .announce").iter().map(|b| b.value().attr("data-announce").unwrap()).collect();
    assert_eq!(badges, ["cross", "cross"]);
    let page = site.page("paper/2404.00001/index.html");
    let listed: Vec<String> = select(&page, ".listed-in a").iter().map(text).collect();
    assert_eq!(listed, ["2024-W14", "2024-W15"]);
    // Its data names every listing; the one its week showed already has no number.
    let paper = json(&site, "paper/2404.00001/index.json");
    let listings: Vec<(&str, &str, Option<u64>)> = paper["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["date"].as_str().unwrap(), l["digest"].as_str().unwrap(), l["number"].as_u64()))
        .collect();
    assert_eq!(
        listings,
        [
            ("2024-04-01", "2024-W14", Some(1)),
            ("2024-04-03", "2024-W14", None),
            ("2024-04-11", "2024-W15", Some(2))
        ]
    );
}
