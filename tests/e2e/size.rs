//! What a site weighs: the size report and limit warnings of `quire build`.

use std::path::Path;

use crate::support::{select, select_in, stderr, text, tree, Site};

/// The output's files with their sizes, by path (`/`-separated).
fn sizes(out: &Path) -> Vec<(String, usize)> {
    tree(out).into_iter().map(|(p, bytes)| (p.to_string_lossy().replace('\\', "/"), bytes.len())).collect()
}

#[test]
fn the_summary_line_gives_the_files_and_their_size() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    let out = site.build(&[]);
    let bytes: usize = sizes(&site.path("public")).iter().map(|(_, size)| size).sum();
    let line = String::from_utf8_lossy(&out.stdout);
    let size = if bytes < 1_000 { format!("{bytes} B") } else { format!("{:.1} KB", bytes as f64 / 1e3) };
    assert!(line.contains(&format!(" files, {size} in ")), "{line} ({bytes} bytes)");
    assert!(stderr(&out).is_empty(), "a small site hears nothing: {}", stderr(&out));
}

#[test]
fn a_file_over_100_mb_is_named_and_strict_limits_fail_the_build() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    std::fs::create_dir_all(site.path("static")).unwrap();
    // Sparse: the test takes no disk for it where the file system allows.
    let big = std::fs::File::create(site.path("static/video.mp4")).unwrap();
    big.set_len(100_000_001).unwrap();
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: public: video.mp4 is 100.0 MB: GitHub takes no file over 100.0 MB"),
        "{err}"
    );
    assert!(err.contains("[limits] strict = true"), "{err}");
    let count = || walkdir::WalkDir::new(site.path("public")).into_iter().filter(|e| e.is_ok()).count();
    let before = count();

    site.write("content/b.md", "---\nid: b\ntitle: B\ndate: 2024-04-03\n---\n");
    site.write("site.toml", format!("{}[limits]\nstrict = true\n", crate::support::SITE_TOML));
    let err = site.build_fails(&[]);
    assert!(err.contains("video.mp4 is 100.0 MB"), "{err}");
    assert!(!site.path("public/paper/b/index.html").exists(), "nothing of the failed build is written");
    assert_eq!(count(), before, "the last good site stays");
}

#[test]
fn home_pages_list_the_first_papers_of_each_digest_and_link_to_all() {
    let site = Site::new();
    site.write("site.toml", format!("{}[home]\npapers = 2\n", crate::support::SITE_TOML));
    for i in 1..=5 {
        site.paper(&format!("content/2024-04-02/p{i}.md"), &format!("p{i}"), "2024-04-02");
    }
    site.paper("content/2024-04-03/q.md", "q", "2024-04-03");
    site.build(&[]);
    let home = site.page("index.html");
    let cards = select(&home, ".digest-card");
    assert_eq!(cards.len(), 2);
    let titles = |card: &scraper::ElementRef| select_in(card, "li a").iter().map(text).collect::<Vec<_>>();
    assert_eq!(titles(&cards[0]), ["Paper q"], "a digest that fits is listed whole");
    assert!(select_in(&cards[0], ".more").is_empty());
    assert_eq!(titles(&cards[1]), ["Paper p1", "Paper p2"]);
    let more = select_in(&cards[1], ".more a");
    assert_eq!(text(&more[0]), "All 5 papers →");
    assert_eq!(more[0].value().attr("href"), Some("/digest/2024-04-02/"));
}
