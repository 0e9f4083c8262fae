//! Topics (`[topics]` in `site.toml`): a page and a feed of the papers
//! whose texts name a topic's words, linked from the menu, in the sitemap,
//! passing `quire check`; bad settings refused at their line.

use atom_syndication::Feed;

use crate::support::{check_links, select, text, Site, SITE_TOML};
use crate::tools::{available, Tool};

const TOPICS: &str = "[topics]\ndiffusion = [\"diffusion\", \"扩散\", \"score-based\"]\n\"graph learning\" = [\"graph neural\", \"图神经网络\", \"GNN\"]\n";

/// A paper of `date` with `fields` (YAML lines) besides its id and date.
fn paper(site: &Site, id: &str, date: &str, fields: &str) {
    site.write(
        &format!("content/{id}.md"),
        format!("---\nid: \"{id}\"\ndate: {date}\n{fields}\n---\nBody of {id}.\n"),
    );
}

/// Papers that are in a topic by each of their texts, and some that are
/// not: a word inside another, words out of order, words in the body.
fn topic_site() -> Site {
    let site = Site::new();
    site.write("site.toml", format!("{SITE_TOML}[terms]\nper_page = 2\n{TOPICS}"));
    paper(
        &site,
        "t1",
        "2024-04-03",
        "title: \"Score-Based Models of Molecules\"\nsummary: \"A one-line summary.\"",
    );
    paper(&site, "t2", "2024-04-03", "title: \"A Benchmark\"\ntranslated_title: \"图神经网络基准\"");
    paper(&site, "t3", "2024-04-02", "title: \"Scaling GNNs\"");
    paper(&site, "t4", "2024-04-02", "title: \"MGNN: Multi-Graph Networks\"");
    paper(
        &site,
        "t5",
        "2024-04-01",
        "title: \"Image Generation\"\ntranslated_title: \"基于扩散模型的图像生成\"",
    );
    paper(&site, "t6", "2024-04-01", "title: \"Ideas\"\nabstract: \"We study the DIFFUSIÓN of ideas.\"");
    paper(&site, "t7", "2024-04-01", "title: \"Tagged\"\ntags: [diffusion-models]");
    paper(&site, "t8", "2024-04-01", "title: \"Only the body\"\nsummary: \"Neural graph models.\"");
    site.write(
        "content/t8.md",
        std::fs::read_to_string(site.path("content/t8.md")).unwrap() + "Diffusion, GNN.\n",
    );
    site.build(&[]);
    site
}

fn hrefs(page: &scraper::Html, css: &str) -> Vec<String> {
    select(page, css).iter().map(|a| a.value().attr("href").unwrap().to_owned()).collect()
}

#[test]
fn a_topic_lists_every_paper_whose_texts_name_a_word_paginated() {
    let site = topic_site();
    let diffusion = site.page("topic/diffusion/index.html");
    assert_eq!(text(&select(&diffusion, "h1")[0]), "diffusion");
    assert_eq!(
        text(&select(&diffusion, ".topic-words")[0]),
        "Papers whose title, summary, abstract or tags name any of: diffusion · 扩散 · score-based"
    );
    assert_eq!(
        hrefs(&diffusion, ".term-papers a"),
        ["/digest/2024-04-03/#paper-t1", "/digest/2024-04-01/#paper-t5"],
        "newest first, two a page: by a title (score-based), a translated title (扩散)"
    );
    assert_eq!(hrefs(&diffusion, "a[rel=next]"), ["/topic/diffusion/page/2/"]);
    let second = site.page("topic/diffusion/page/2/index.html");
    assert_eq!(
        hrefs(&second, ".term-papers a"),
        ["/digest/2024-04-01/#paper-t6", "/digest/2024-04-01/#paper-t7"],
        "by an abstract, accents folded (DIFFUSIÓN), and by a tag"
    );
    assert!(!site.path("public/topic/diffusion/page/3").exists());
    let graph = site.page("topic/graph-learning/index.html");
    assert_eq!(
        hrefs(&graph, ".term-papers a"),
        ["/digest/2024-04-03/#paper-t2", "/digest/2024-04-02/#paper-t3"],
        "图神经网络 in a translated title, GNNs; not MGNN, nor neural graph, nor a body's words"
    );
    let index = site.page("topic/index.html");
    assert_eq!(text(&select(&index, "h1")[0]), "Topics");
    let topics: Vec<_> = select(&index, ".term-index li").iter().map(text).collect();
    assert_eq!(topics, ["diffusion 4", "graph learning 2"]);
    assert_eq!(hrefs(&index, ".term-index a"), ["/topic/diffusion/", "/topic/graph-learning/"]);
    check_links(&site.path("public"), "/");
}

/// The links of a page's menu.
fn menu(page: &scraper::Html) -> Vec<String> {
    hrefs(page, "header nav a")
}

#[test]
fn the_menu_links_topics_only_on_a_site_with_topics() {
    let site = topic_site();
    for page in ["index.html", "paper/t1/index.html", "topic/diffusion/page/2/index.html"] {
        assert!(menu(&site.page(page)).contains(&"/topic/".to_owned()), "{page}");
    }
    let bare = Site::new();
    bare.paper("content/a.md", "2404.00001", "2024-04-02").build(&[]);
    assert!(!menu(&bare.page("index.html")).contains(&"/topic/".to_owned()));
    assert!(!bare.path("public/topic").exists());
}

#[test]
fn topic_pages_are_in_the_sitemap() {
    let site = topic_site();
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    for page in ["topic/", "topic/diffusion/", "topic/diffusion/page/2/", "topic/graph-learning/"] {
        let entry = format!("<loc>https://example.org/{page}</loc>");
        assert!(sitemap.contains(&entry), "{entry} in\n{sitemap}");
    }
    assert!(sitemap.contains("<loc>https://example.org/topic/diffusion/</loc><lastmod>2024-04-03</lastmod>"));
}

#[test]
fn a_topic_feed_is_atom_a_feed_reader_takes() {
    let site = topic_site();
    let path = site.path("public/topic/diffusion/atom.xml");
    let xml = std::fs::read_to_string(&path).unwrap();
    let feed: Feed = xml.parse().unwrap_or_else(|e| panic!("not valid Atom: {e}\n{xml}"));
    assert_eq!(feed.title().value, "Test digest · diffusion");
    let ids: Vec<_> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids,
        ["t1", "t5", "t6", "t7"].map(|id| format!("https://example.org/paper/{id}/")),
        "every paper of the topic, not one page of it"
    );
    assert_eq!(feed.entries()[0].summary().unwrap().value, "A one-line summary.");
    assert!(feed
        .links()
        .iter()
        .any(|l| l.rel() == "self" && l.href() == "https://example.org/topic/diffusion/atom.xml"));
    let page = site.page("topic/diffusion/index.html");
    assert_eq!(
        hrefs(&page, "link[type='application/atom+xml'][title$=diffusion]"),
        ["/topic/diffusion/atom.xml"]
    );
    if !available("the feedparser check of topic feeds", &[Tool::Feedparser]) {
        return;
    }
    let read = feedparser(&path);
    assert_eq!(read["bozo"], false, "feedparser finds a problem: {read}");
    assert_eq!(read["version"], "atom10");
    assert_eq!(read["title"], "Test digest · diffusion");
    assert_eq!(read["links"], serde_json::json!(ids));
}

/// What Python's feedparser reads in the feed at `path`: whether it found
/// a problem (`bozo`), the format it took it for, its title and each
/// entry's link.
fn feedparser(path: &std::path::Path) -> serde_json::Value {
    let python = crate::tools::feedparser(&crate::tools::Env::current()).unwrap();
    let script = "import feedparser, json, sys\n\
        d = feedparser.parse(sys.argv[1])\n\
        print(json.dumps({'bozo': bool(d.bozo), 'problem': str(d.get('bozo_exception', '')),\n\
            'version': d.version, 'title': d.feed.get('title'), 'links': [e.link for e in d.entries]}))";
    let out = std::process::Command::new(python).args(["-c", script]).arg(path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn quire_check_passes_on_a_site_with_topics() {
    let site = topic_site();
    let out = site.quire(&["check"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}{}", crate::support::stderr(&out));
    assert!(report.contains(" 0 broken"), "{report}");
}

#[test]
fn a_topic_no_paper_matches_has_its_page_and_feed() {
    let site = Site::new();
    site.write("site.toml", format!("{SITE_TOML}[topics]\nrobotics = [\"robot\"]\n"));
    site.paper("content/a.md", "2404.00001", "2024-04-02").build(&[]);
    let page = site.page("topic/robotics/index.html");
    assert_eq!(select(&page, ".term-papers li").iter().map(text).collect::<Vec<_>>(), ["Nothing here yet."]);
    let xml = std::fs::read_to_string(site.path("public/topic/robotics/atom.xml")).unwrap();
    assert!(xml.parse::<Feed>().unwrap().entries().is_empty());
}

#[test]
fn bad_topics_are_errors_at_their_line_of_site_toml() {
    let site = Site::new();
    site.paper("content/a.md", "2404.00001", "2024-04-02");
    for (topics, place, message) in [
        ("a = []\n", "site.toml:5:5", "topic `a` has no words"),
        (
            "a = [\"x\"]\n\"A\" = [\"y\"]\n",
            "site.toml:6:1",
            "topics `a` and `A` would share the page /topic/a/",
        ),
        ("\"--\" = [\"y\"]\n", "site.toml:5:1", "topic `--` cannot name a page"),
        ("a = [\"ok\", \"?!\"]\n", "site.toml:5:12", "the word \"?!\" has no letter or digit"),
    ] {
        site.write("site.toml", format!("{SITE_TOML}[topics]\n{topics}"));
        let err = site.build_fails(&[]);
        assert!(err.contains(place) && err.contains(message), "{topics}: {err}");
        assert!(!site.path("public").exists(), "nothing is written");
    }
}

#[test]
fn topic_names_and_words_are_shown_as_text() {
    let site = Site::new();
    let topics = "[topics]\n\"<img src=x onerror=alert(1)>\" = [\"<script>alert(1)</script>\"]\n";
    site.write("site.toml", format!("{SITE_TOML}{topics}"));
    site.write(
        "content/a.md",
        "---\nid: \"2404.00001\"\ntitle: \"script alert 1 script\"\ndate: 2024-04-02\n---\nBody.\n",
    );
    site.build(&[]);
    let page = site.page("topic/img-src-x-onerror-alert-1/index.html");
    assert!(select(&page, "main img, main script").is_empty());
    assert_eq!(text(&select(&page, "h1")[0]), "<img src=x onerror=alert(1)>");
    assert!(text(&select(&page, ".topic-words")[0]).ends_with("<script>alert(1)</script>"));
    assert_eq!(select(&page, ".term-papers a").len(), 1, "the word's letters match");
}
