//! `quire build` on small sites: pages, paths, grouping, themes, base_url.

use std::path::Path;

use crate::support::{check_links, select, stderr, text, tree, Site};

#[test]
fn builds_every_kind_of_page() {
    let site = Site::new();
    site.paper("content/2024-04-02/a.md", "2404.00001", "2024-04-02");
    site.paper("content/2024-04-03/b.md", "2404.00002", "2024-04-03");
    let out = site.build(&[]);
    let line = String::from_utf8_lossy(&out.stdout);
    // 18 files, the favicon, and the theme's math font (three subsets) with
    // its licence; no page of categories or tags: the papers have none.
    assert!(line.starts_with("Built 2 papers in 2 digests: 7 pages, 23 files, "), "{line}");
    assert!(line.contains(" KB in "), "{line}");
    let files = site.output();
    for f in [
        "index.html",
        "digest/2024-04-02/index.html",
        "digest/2024-04-03/index.html",
        "paper/2404.00001/index.html",
        "paper/2404.00002/index.html",
        "archive/index.html",
        "404.html",
        ".nojekyll",
        "style.css",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "search/index.html",
        "favicon.ico",
        "search/meta.json",
        "search/s/0.json",
        "search/d/0.json",
        "search.js",
        "theme.js",
    ] {
        assert!(files.contains_key(std::path::Path::new(f)), "missing {f}");
    }
    let empty: Vec<_> =
        files.iter().filter(|(f, bytes)| bytes.is_empty() && *f != Path::new(".nojekyll")).collect();
    assert!(
        empty.is_empty(),
        "every kind of page has content: {:?}",
        empty.iter().map(|(f, _)| f).collect::<Vec<_>>()
    );
    assert!(
        !files.keys().any(|f| f.extension().is_some_and(|e| e == "json") && !f.starts_with("search")),
        "JSON data is written only when `[data] json` asks for it"
    );
    check_links(&site.path("public"), "/");
}

#[test]
fn home_lists_newest_digests_first_and_paginates() {
    let site = Site::new();
    site.write("site.toml", format!("{}[home]\nper_page = 2\n", crate::support::SITE_TOML));
    for day in 1..=5 {
        site.paper(&format!("content/p{day}.md"), &format!("2404.0000{day}"), &format!("2024-04-0{day}"));
    }
    site.build(&[]);
    let home = site.page("index.html");
    let links: Vec<_> = select(&home, ".digest-card h2 a").iter().map(text).collect();
    assert_eq!(links, ["Digest 2024-04-05", "Digest 2024-04-04"]);
    let page3 = site.page("page/3/index.html");
    assert_eq!(
        select(&page3, ".digest-card h2 a").iter().map(text).collect::<Vec<_>>(),
        ["Digest 2024-04-01"]
    );
    assert!(!site.path("public/page/4/index.html").exists());
    check_links(&site.path("public"), "/");
}

#[test]
fn papers_are_grouped_by_iso_week_and_by_month() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-12-30");
    site.paper("content/b.md", "b", "2025-01-03");
    site.paper("content/c.md", "c", "2025-01-06");
    site.write("site.toml", format!("{}[digest]\nperiod = \"week\"\n", crate::support::SITE_TOML));
    site.build(&[]);
    let week = site.page("digest/2025-W01/index.html");
    assert_eq!(select(&week, ".summary-table tbody tr").len(), 2);
    assert!(site.path("public/digest/2025-W02/index.html").is_file());
    site.write("site.toml", format!("{}[digest]\nperiod = \"month\"\n", crate::support::SITE_TOML));
    site.build(&[]);
    assert!(site.path("public/digest/2024-12/index.html").is_file());
    assert_eq!(select(&site.page("digest/2025-01/index.html"), ".summary-table tbody tr").len(), 2);
}

#[test]
fn digest_order_is_order_then_id_and_anchors_follow_ids() {
    let site = Site::new();
    site.write("content/2024-04-02/z.md", "---\nid: \"2404.9\"\ntitle: Z\norder: 1\n---\n");
    site.write("content/2024-04-02/b.md", "---\nid: \"2404.2\"\ntitle: B\n---\n");
    site.write("content/2024-04-02/a.md", "---\nid: \"2404.1\"\ntitle: A\n---\n");
    site.build(&[]);
    let page = site.page("digest/2024-04-02/index.html");
    let rows: Vec<_> = select(&page, ".summary-table tbody tr")
        .iter()
        .map(|r| r.value().attr("id").unwrap().to_owned())
        .collect();
    assert_eq!(rows, ["ref-2404.9", "ref-2404.1", "ref-2404.2"]);
    let details: Vec<_> =
        select(&page, "article.paper").iter().map(|a| a.value().attr("id").unwrap().to_owned()).collect();
    assert_eq!(details, ["paper-2404.9", "paper-2404.1", "paper-2404.2"]);
}

#[test]
fn defaults_come_from_file_stem_folder_date_and_arxiv_id() {
    let site = Site::new();
    site.write("content/2024-04-02/2404.01300.md", "---\ntitle: NeRF-MAE\n---\n");
    site.write("content/old/cs-style.yaml", "id: cs/0112017\ntitle: Old\ndate: 2001-12-10\n");
    site.write("content/2024-04-02/plain.yml", "id: 2404.10\ntitle: Float-looking id\n");
    site.build(&[]);
    let paper = site.page("paper/2404.01300/index.html");
    let hrefs: Vec<_> =
        select(&paper, ".links a").iter().map(|a| a.value().attr("href").unwrap().to_owned()).collect();
    assert!(hrefs.contains(&"https://arxiv.org/abs/2404.01300".to_owned()), "{hrefs:?}");
    assert!(hrefs.contains(&"https://arxiv.org/pdf/2404.01300".to_owned()), "{hrefs:?}");
    let old = site.page("paper/cs-0112017/index.html");
    assert!(select(&old, "a")
        .iter()
        .any(|a| a.value().attr("href") == Some("https://arxiv.org/abs/cs/0112017")));
    assert!(site.path("public/paper/2404.10/index.html").is_file(), "2404.10 must stay a string id");
    check_links(&site.path("public"), "/");
}

#[test]
fn bom_and_crlf_files_load_like_lf_files() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "\u{feff}---\r\nid: \"a\"\r\ntitle: \"CRLF title\"\r\ndate: 2024-04-02\r\n---\r\nLine one\r\n",
    );
    site.build(&[]);
    let page = site.page("paper/a/index.html");
    assert_eq!(text(&select(&page, ".paper-title")[0]), "[1] CRLF title");
}

#[test]
fn hidden_and_backup_files_are_ignored() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    for junk in
        ["content/a.md~", "content/.#a.md", "content/.hidden.md", "content/.git/x.md", "content/#a.md#"]
    {
        site.write(junk, "not front matter at all");
    }
    site.build(&[]);
    assert_eq!(select(&site.page("digest/2024-04-02/index.html"), "article.paper").len(), 1);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_not_followed() {
    let site = Site::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.md"), "---\ntitle: Outside\ndate: 2024-04-02\n---\n").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    site.paper("content/a.md", "a", "2024-04-02");
    std::os::unix::fs::symlink(outside.path(), site.path("content/linked")).unwrap();
    // Followed nowhere: not in content/, and not as the static folder itself.
    std::os::unix::fs::symlink(outside.path(), site.path("static")).unwrap();
    let err = site.build_fails(&[]);
    assert!(err.contains("--> content/linked\n"), "{err}");
    assert!(err.contains("a symbolic link (to "), "{err}");
    assert!(!site.path("public").exists());
    std::fs::remove_file(site.path("content/linked")).unwrap();
    let err = site.build_fails(&[]);
    assert!(err.contains("--> static\n") && err.contains("quire follows no links"), "{err}");
    std::fs::remove_file(site.path("static")).unwrap();
    std::fs::create_dir(site.path("static")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.path("static/secret.txt")).unwrap();
    std::os::unix::fs::symlink("nowhere", site.path("static/.#style.css")).unwrap(); // an Emacs lock file
    let err = site.build_fails(&[]);
    assert!(err.contains("--> static/secret.txt\n") && !err.contains("style.css"), "{err}");
    std::fs::remove_file(site.path("static/secret.txt")).unwrap();
    site.build(&[]);
    assert!(!site.path("public/paper/x/index.html").exists());
    assert!(!site.path("public/secret.txt").exists());
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.write("content/b.md", "---\nid: b\ntitle: Draft\ndate: 2024-04-02\ndraft: true\n---\n");
    site.build(&[]);
    assert!(!site.path("public/paper/b/index.html").exists());
    site.build(&["--drafts"]);
    assert!(site.path("public/paper/b/index.html").is_file());
}

#[test]
fn base_url_prefix_reaches_every_link() {
    let site = Site::new();
    site.full_text();
    site.paper("content/2024-04-02/a.md", "2404.00001", "2024-04-02");
    site.write(
        "content/2024-04-02/b.md",
        "---\nid: b\ntitle: B\n---\nSee [a](/paper/2404.00001/) and ![i](/img/x.png).\n",
    );
    site.write("static/img/x.png", "png");
    site.build(&["--base-url", "https://user.github.io/repo/"]);
    let checked = check_links(&site.path("public"), "/repo/");
    assert!(checked > 20, "only {checked} links checked");
    let page = site.page("paper/b/index.html");
    assert!(select(&page, ".body a")
        .iter()
        .any(|a| a.value().attr("href") == Some("/repo/paper/2404.00001/")));
    assert!(select(&page, "img").iter().any(|a| a.value().attr("src") == Some("/repo/img/x.png")));
    assert!(select(&page, "link[rel=stylesheet]")
        .iter()
        .all(|l| l.value().attr("href") == Some("/repo/style.css")));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::new();
    for i in 0..30 {
        site.paper(
            &format!("content/p{i}.md"),
            &format!("2404.{i:05}"),
            &format!("2024-04-{:02}", i % 5 + 1),
        );
    }
    site.build(&["--output-dir", "one"]);
    site.build(&["--output-dir", "two"]);
    assert_eq!(tree(&site.path("one")), tree(&site.path("two")));
}

#[test]
fn a_rebuild_replaces_the_whole_output_and_leaves_nothing_beside_it() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.paper("content/b.md", "b", "2024-04-02");
    site.build(&[]);
    std::fs::remove_file(site.path("content/b.md")).unwrap();
    site.build(&[]);
    assert!(site.path("public/paper/a/index.html").is_file());
    assert!(!site.path("public/paper/b").exists(), "a removed paper's page stayed");
    let beside: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("public") || n.contains("quire"))
        .collect();
    assert_eq!(beside, ["public"]);
    // The output folder is made like any other folder (the umask decides),
    // not kept private as temporary folders often are.
    std::fs::create_dir(site.path("plain")).unwrap();
    let mode = |rel: &str| std::fs::metadata(site.path(rel)).unwrap().permissions();
    assert_eq!(mode("public"), mode("plain"));
}

#[test]
fn site_templates_override_the_theme_file_by_file() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.write("templates/404.html", "custom 404 for {{ site.title }}");
    site.build(&[]);
    assert_eq!(std::fs::read_to_string(site.path("public/404.html")).unwrap(), "custom 404 for Test digest");
    assert!(!select(&site.page("paper/a/index.html"), "article.paper").is_empty());
}

#[test]
fn a_theme_folder_replaces_the_builtin_theme_and_static_files_layer() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.write("site.toml", format!("{}theme = \"tiny\"\n", crate::support::SITE_TOML));
    for t in ["index", "digest", "paper", "archive", "404", "terms", "term", "search"] {
        site.write(
            &format!("themes/tiny/templates/{t}.html"),
            format!("<p id=\"{t}\">{{{{ t.hello }}}}</p>"),
        );
    }
    site.write("themes/tiny/i18n/en.toml", "hello = \"hi\"\n");
    site.write("themes/tiny/static/a.css", "theme");
    site.write("themes/tiny/static/b.css", "theme");
    site.write("static/b.css", "site");
    site.build(&[]);
    assert_eq!(
        std::fs::read_to_string(site.path("public/paper/a/index.html")).unwrap(),
        "<p id=\"paper\">hi</p>"
    );
    assert_eq!(std::fs::read_to_string(site.path("public/a.css")).unwrap(), "theme");
    assert_eq!(std::fs::read_to_string(site.path("public/b.css")).unwrap(), "site");
    assert!(!site.path("public/style.css").exists());
}

#[test]
fn interface_text_follows_the_site_language() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.write("site.toml", "title = \"T\"\nbase_url = \"/\"\nlanguage = \"zh\"\n");
    site.build(&[]);
    let page = site.page("digest/2024-04-02/index.html");
    assert_eq!(select(&page, "html")[0].value().attr("lang"), Some("zh"));
    assert_eq!(text(&select(&page, "#details")[0]), "详细");
}

#[test]
fn cli_has_help_and_version() {
    let site = Site::new();
    for args in [&["--version"][..], &["--help"], &["build", "--help"], &["import", "--help"]] {
        let out = site.quire(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert!(String::from_utf8_lossy(&site.quire(&["--version"]).stdout).starts_with("quire "));
}

#[test]
fn relative_urls_make_the_output_browsable_from_disk() {
    let site = Site::new();
    site.write("site.toml", format!("{}relative_urls = true\n", crate::support::SITE_TOML));
    site.paper("content/2024-04-02/a.md", "2404.00001", "2024-04-02");
    site.write(
        "content/2024-04-03/b.md",
        "---\nid: b\ntitle: B\ncategories: [cs.CV]\n---\nSee [[2404.00001]] and ![i](/img/x.png).\n",
    );
    site.write("static/img/x.png", "png");
    site.build(&["--base-url", "https://user.github.io/repo/"]);
    let out = site.path("public");
    let mut checked = 0;
    let pages = tree(&out).into_iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html"));
    // 404.html is served at any address: its links stay absolute.
    for (path, bytes) in pages.filter(|(p, _)| p != Path::new("404.html")) {
        let page = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
        for el in select(&page, "[href], [src], form[action]") {
            let v = el.value();
            let link = v.attr("href").or(v.attr("src")).or(v.attr("action")).unwrap();
            if link.starts_with("https://") || link.starts_with('#') {
                continue;
            }
            assert!(!link.starts_with('/'), "{}: {link} is not relative", path.display());
            // As a browser reads a folder from disk: the link must name a file.
            let file = link.split(['#', '?']).next().unwrap();
            let target = out.join(path.parent().unwrap()).join(file);
            assert!(target.is_file(), "{}: {link} names no file", path.display());
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
    let digest = site.page("digest/2024-04-03/index.html");
    let cross_link = |a: &scraper::ElementRef| a.value().attr("href").unwrap_or_default().to_owned();
    let links: Vec<String> = select(&digest, ".body a").iter().map(cross_link).collect();
    assert!(links.iter().any(|h| h.starts_with("../../digest/2024-04-02/index.html#")), "{links:?}");
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(feed.contains("https://user.github.io/repo/digest/2024-04-03/"), "feeds keep absolute URLs");
    assert_eq!(stylesheet_of_404(&out), "/repo/style.css");
}

#[test]
fn cname_from_site_toml_is_written_for_github_pages() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.write("static/CNAME", "old.example.org\n");
    site.build(&[]);
    assert_eq!(std::fs::read_to_string(site.path("public/CNAME")).unwrap(), "old.example.org\n");
    site.write("site.toml", format!("{}cname = \"digest.example.org\"\n", crate::support::SITE_TOML));
    site.build(&[]);
    assert_eq!(std::fs::read_to_string(site.path("public/CNAME")).unwrap(), "digest.example.org\n");
    assert!(site.path("public/.nojekyll").is_file());
}

fn stylesheet_of_404(out: &Path) -> String {
    let page = scraper::Html::parse_document(&std::fs::read_to_string(out.join("404.html")).unwrap());
    select(&page, "link[rel=stylesheet]")[0].value().attr("href").unwrap().to_owned()
}

#[test]
fn a_site_can_swap_the_theme_completely() {
    let site = Site::from_fixture("tiny-theme");
    site.build(&[]);
    let checked = check_links(&site.path("public"), "/repo/");
    assert!(checked >= 10, "only {checked} links checked");
    let paper = site.page("paper/2404.01300/index.html");
    assert_eq!(
        text(&select(&paper, "h1.tiny-title")[0]),
        "NeRF-MAE: Masked AutoEncoders for Neural Radiance Fields"
    );
    assert_eq!(select(&paper, "link[rel=stylesheet]")[0].value().attr("href"), Some("/repo/tiny.css"));
    let digest = site.page("digest/2024-04-03/index.html");
    assert_eq!(select(&digest, "section.tiny-paper").len(), 1);
    assert!(select(&digest, ".summary-table").is_empty(), "nothing of the default theme is left");
    for default_file in ["style.css", "search.js"] {
        assert!(!site.path("public").join(default_file).exists(), "{default_file} was copied");
    }
    assert!(site.path("public/tiny.css").is_file());
    assert_eq!(text(&select(&site.page("404.html"), "main p")[0]), "Nothing here.");
}
