//! What readers use beyond the digest: category and tag pages, feeds, the
//! sitemap and robots.txt, and JSON data beside pages.

use atom_syndication::Feed;

use crate::support::{check_links, select, text, Site};

fn paper(site: &Site, id: &str, date: &str, categories: &str, tags: &str) {
    site.write(
        &format!("content/{id}.md"),
        format!("---\nid: \"{id}\"\ntitle: \"Title {id}\"\ndate: {date}\ncategories: [{categories}]\ntags: [{tags}]\nsummary: \"Summary {id}\"\nabstract: \"Abstract\\f of {id}\"\n---\nBody.\n"),
    );
}

fn term_site() -> Site {
    let site = Site::new();
    site.write(
        "site.toml",
        format!("{}[terms]\nper_page = 2\n[feeds]\nlimit = 2\n", crate::support::SITE_TOML),
    );
    paper(&site, "p1", "2024-04-01", "cs.CV, cs.LG", "nerf");
    paper(&site, "p2", "2024-04-02", "cs.LG", "nerf, self-supervised");
    paper(&site, "p3", "2024-04-03", "cs.LG", "");
    site.build(&[]);
    site
}

fn hrefs(page: &scraper::Html, css: &str) -> Vec<String> {
    select(page, css).iter().map(|a| a.value().attr("href").unwrap().to_owned()).collect()
}

#[test]
fn a_paper_is_listed_under_every_category_newest_first_and_paginated() {
    let site = term_site();
    let lg = site.page("category/cs-lg/index.html");
    assert_eq!(text(&select(&lg, "h1")[0]), "cs.LG");
    assert_eq!(
        hrefs(&lg, ".term-papers a"),
        ["/digest/2024-04-03/#paper-p3", "/digest/2024-04-02/#paper-p2"]
    );
    let lg2 = site.page("category/cs-lg/page/2/index.html");
    assert_eq!(hrefs(&lg2, ".term-papers a"), ["/digest/2024-04-01/#paper-p1"]);
    let cv = site.page("category/cs-cv/index.html");
    assert_eq!(hrefs(&cv, ".term-papers a"), ["/digest/2024-04-01/#paper-p1"]);
    let nerf = site.page("tag/nerf/index.html");
    assert_eq!(
        hrefs(&nerf, ".term-papers a"),
        ["/digest/2024-04-02/#paper-p2", "/digest/2024-04-01/#paper-p1"]
    );
    let index = site.page("category/index.html");
    let counts: Vec<_> = select(&index, ".term-index li").iter().map(text).collect();
    assert_eq!(counts, ["cs.CV 1", "cs.LG 3"]);
    let digest = site.page("digest/2024-04-01/index.html");
    assert_eq!(hrefs(&digest, "a.category"), ["/category/cs-cv/", "/category/cs-lg/"]);
    check_links(&site.path("public"), "/");
}

#[test]
fn categories_sharing_a_slug_are_an_error_naming_both() {
    let site = Site::new();
    paper(&site, "a", "2024-04-01", "cs.CV", "");
    paper(&site, "b", "2024-04-02", "cs-cv", "C++");
    paper(&site, "c", "2024-04-02", "", "C");
    let err = site.build_fails(&[]);
    assert!(err.contains("`cs.CV`") && err.contains("`cs-cv`") && err.contains("/category/cs-cv/"), "{err}");
    assert!(err.contains("`C++`") && err.contains("`C`"), "{err}");
}

#[test]
fn feeds_are_valid_atom_with_the_right_entries() {
    let site = term_site();
    let read = |path: &str| -> Feed {
        let xml = std::fs::read_to_string(site.path("public").join(path)).unwrap();
        xml.parse::<Feed>().unwrap_or_else(|e| panic!("{path} is not valid Atom: {e}\n{xml}"))
    };
    let main = read("atom.xml");
    let ids: Vec<_> = main.entries().iter().map(|e| e.id().to_owned()).collect();
    assert_eq!(
        ids,
        ["https://example.org/digest/2024-04-03/", "https://example.org/digest/2024-04-02/"],
        "newest first, limited"
    );
    let newest = main.entries()[0].content().unwrap().value().unwrap();
    assert!(
        newest.contains("https://example.org/paper/p3/"),
        "a digest's entry links to its papers: {newest}"
    );
    assert!(newest.contains("https://example.org/digest/2024-04-03/"), "and to the digest: {newest}");
    assert!(!newest.contains("Summary p3"), "a short text, not the day's: {newest}");
    assert_eq!(main.entries()[0].summary().unwrap().value, "1 paper");
    let lg = read("category/cs-lg/atom.xml");
    let ids: Vec<_> = lg.entries().iter().map(|e| e.id().to_owned()).collect();
    assert_eq!(ids, ["https://example.org/paper/p3/", "https://example.org/paper/p2/"]);
    assert_eq!(lg.entries()[0].summary().unwrap().value, "Summary p3");
    assert!(lg
        .links()
        .iter()
        .any(|l| l.rel() == "self" && l.href() == "https://example.org/category/cs-lg/atom.xml"));
    let nerf = read("tag/nerf/atom.xml");
    assert_eq!(nerf.entries().len(), 2);
    assert!(!std::fs::read_to_string(site.path("public/tag/nerf/atom.xml")).unwrap().contains('\u{c}'));
}

#[test]
fn the_sitemap_lists_every_page_and_robots_points_to_it() {
    let site = term_site();
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    let pages: Vec<String> = crate::support::tree(&site.path("public"))
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with("index.html"))
        // What one browser starred is no page for search engines.
        .filter(|p| p != "starred/index.html")
        .map(|p| format!("https://example.org/{}", p.trim_end_matches("index.html")))
        .collect();
    assert_eq!(locs.len(), pages.len(), "{locs:?}");
    for page in &pages {
        assert!(locs.contains(&page.as_str()), "{page} missing from the sitemap");
    }
    let robots = std::fs::read_to_string(site.path("public/robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml"), "{robots}");
}

#[test]
fn every_sitemap_url_gives_the_date_its_page_last_changed() {
    let site = term_site();
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    let dates: std::collections::BTreeMap<&str, &str> = sitemap
        .split("<url>")
        .skip(1)
        .map(|u| {
            let field =
                |name: &str| u.split(&format!("<{name}>")).nth(1)?.split(&format!("</{name}>")).next();
            (field("loc").unwrap(), field("lastmod").unwrap_or_else(|| panic!("no lastmod in {u}")))
        })
        .collect();
    let at = |path: &str| dates[format!("https://example.org/{path}").as_str()];
    assert_eq!(at("paper/p1/"), "2024-04-01");
    assert_eq!(at("digest/2024-04-02/"), "2024-04-02");
    assert_eq!(at("tag/nerf/"), "2024-04-02", "the newest paper tagged nerf");
    assert_eq!(at(""), "2024-04-03", "the home page: the newest paper");
    site.build(&[]);
    assert_eq!(std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap(), sitemap, "deterministic");
}

#[test]
fn json_beside_pages_carries_the_paper_fields() {
    let site = term_site();
    assert!(!site.path("public/paper/p2/index.json").exists(), "no JSON unless asked for");
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", format!("{toml}[data]\njson = true\n"));
    site.build(&[]);
    let read = |path: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(site.path("public").join(path)).unwrap()).unwrap()
    };
    let paper = read("paper/p2/index.json");
    assert_eq!(paper["id"], "p2");
    assert_eq!(paper["title"], "Title p2");
    assert_eq!(paper["categories"], serde_json::json!(["cs.LG"]));
    assert_eq!(paper["digest"], "2024-04-02");
    assert_eq!(paper["permalink"], "https://example.org/paper/p2/");
    assert_eq!(paper["body"], "Body.\n");
    let digest = read("digest/2024-04-02/index.json");
    assert_eq!(digest["key"], "2024-04-02");
    assert_eq!(digest["categories"], serde_json::json!(["cs.LG"]));
    assert_eq!(digest["papers"][0]["id"], "p2");
}

#[test]
fn feeds_and_sitemap_honour_a_project_path() {
    let site = term_site();
    site.build(&["--base-url", "https://user.github.io/repo/"]);
    let feed: Feed = std::fs::read_to_string(site.path("public/atom.xml")).unwrap().parse().unwrap();
    assert!(feed.entries().iter().all(|e| e.id().starts_with("https://user.github.io/repo/digest/")));
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://user.github.io/repo/category/cs-lg/</loc>"));
    check_links(&site.path("public"), "/repo/");
}

#[test]
fn cross_links_lead_to_the_cited_paper_and_back() {
    let site = Site::new();
    site.write(
        "content/2024-04-01/old.md",
        "---\nid: \"2403.18211\"\ntitle: NeuroPictor\ntranslated_title: 神经画师\n---\nOld.\n",
    );
    site.write(
        "content/2024-04-02/new.md",
        "---\nid: \"2404.01300\"\ntitle: NeRF-MAE\nabstract: Builds on [[2403.18211]].\n---\nAs in [[2403.18211]], not `[[code]]`.\n",
    );
    site.build(&[]);
    let new = site.page("digest/2024-04-02/index.html");
    let refs = select(&new, "a.paper-ref");
    assert_eq!(refs.len(), 2, "body and abstract");
    for r in &refs {
        assert_eq!(r.value().attr("href"), Some("/digest/2024-04-01/#paper-2403.18211"));
        assert_eq!(text(r), "神经画师");
    }
    let old = site.page("paper/2403.18211/index.html");
    assert_eq!(hrefs(&old, ".cited-by a"), ["/digest/2024-04-02/#paper-2404.01300"]);
    check_links(&site.path("public"), "/");
}

#[test]
fn a_cross_link_to_an_unknown_paper_fails_the_build_at_its_line() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.build(&[]);
    let before = site.output();
    site.write(
        "content/b.md",
        "---\nid: b\ntitle: B\ndate: 2024-04-02\n---\nFine [[a]].\n\nBroken [[2401.99999]].\n",
    );
    let err = site.build_fails(&[]);
    assert!(err.contains("content/b.md:8:8") && err.contains("[[2401.99999]] names no paper"), "{err}");
    assert_eq!(site.output(), before);
}

#[test]
fn brackets_that_name_no_paper_are_text_unless_they_name_an_arxiv_id() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.write(
        "content/b.md",
        "---\nid: b\ntitle: B\ndate: 2024-04-02\n---\nTake x[[0, 2]], see [[a]], [[TODO]] and [[foo]].\n\n\
         ![[foo]]\n\n[[foo]]: /url \"title\"\n",
    );
    site.build(&[]);
    let page = site.page("digest/2024-04-02/index.html");
    let body = text(&select(&page, "[id=paper-b] div.body")[0]);
    assert!(body.contains("Take x[[0, 2]], see Paper a, [[TODO]] and [[foo]]."), "{body}");
    assert!(body.contains("![[foo]]") && body.contains("[[foo]]: /url \"title\""), "{body}");
    assert_eq!(hrefs(&page, "[id=paper-b] div.body a"), ["/digest/2024-04-02/#paper-a"]);
}

#[test]
fn a_cross_link_to_a_draft_says_it_is_a_draft_and_how_to_build_it() {
    let site = Site::new();
    site.write("content/d.md", "---\nid: \"2404.00002\"\ntitle: D\ndate: 2024-04-02\ndraft: true\n---\n");
    site.write("content/b.md", "---\nid: b\ntitle: B\ndate: 2024-04-02\n---\nAs in [[2404.00002]].\n");
    let err = site.build_fails(&[]);
    assert!(err.contains("content/b.md:6:7"), "{err}");
    assert!(err.contains("[[2404.00002]] names a draft, left out of this build"), "{err}");
    assert!(err.contains("`--drafts`") && !err.contains("names no paper"), "{err}");
    site.build(&["--drafts"]);
    assert_eq!(
        hrefs(&site.page("digest/2024-04-02/index.html"), "a.paper-ref"),
        ["/digest/2024-04-02/#paper-2404.00002"]
    );
}

#[test]
fn a_bad_cross_link_is_reported_with_the_front_matter_problems_of_other_files() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.write(
        "content/b.md",
        "---\nid: b\ntitle: B\ndate: 2024-04-02\n---\nBroken [[2401.99999]], fine [[c]].\n",
    );
    site.write("content/c.md", "---\ntitel: C\ndate: 2024-04-02\n---\n");
    let err = site.build_fails(&[]);
    assert!(err.contains("content/c.md:2:1") && err.contains("unknown field `titel`"), "{err}");
    assert!(err.contains("content/b.md:6:8") && err.contains("[[2401.99999]] names no paper"), "{err}");
    assert!(!err.contains("[[c]] names"), "c is the paper of the file that could not be read: {err}");
}

#[test]
fn a_papers_page_shows_its_text_or_with_full_text_off_links_to_it_in_its_digest() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\nid: a\ntitle: Title a\ndate: 2024-04-02\nsummary: One line.\nauthors: [Ada]\n\
         abstract: The abstract.\n---\nThe body.\n",
    );
    site.paper("content/b.md", "b", "2024-04-02");
    site.write("content/c.md", "---\nid: c\ntitle: Title c\ndate: 2024-04-02\n---\n");
    site.build(&[]);
    let page = site.page("paper/a/index.html");
    let article = text(&select(&page, "article.paper")[0]);
    assert!(article.contains("The abstract.") && article.contains("The body."), "{article}");
    assert!(select(&page, ".full-text").is_empty());
    check_links(&site.path("public"), "/");

    site.write("site.toml", format!("{}[paper]\nfull_text = false\n", crate::support::SITE_TOML));
    site.build(&[]);
    let page = site.page("paper/a/index.html");
    let article = text(&select(&page, "article.paper")[0]);
    for shown in ["Title a", "One line.", "Ada", "@misc{a,"] {
        assert!(article.contains(shown), "{shown}: {article}");
    }
    for left in ["The abstract.", "The body."] {
        assert!(!article.contains(left), "{left} is on the digest's page: {article}");
    }
    assert_eq!(hrefs(&page, ".full-text a"), ["/digest/2024-04-02/#paper-a"]);
    let digest = text(&select(&site.page("digest/2024-04-02/index.html"), "[id=paper-a]")[0]);
    assert!(digest.contains("The abstract.") && digest.contains("The body."), "{digest}");
    let bare = site.page("paper/c/index.html");
    assert!(select(&bare, ".full-text").is_empty(), "no text, no pointer to it");
    assert_eq!(hrefs(&bare, ".links a"), ["/digest/2024-04-02/#paper-c"], "but the way to its digest");
    check_links(&site.path("public"), "/");
}
