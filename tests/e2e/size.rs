//! What a site weighs: the size report and limit warnings of `quire build`.

use std::path::Path;

use crate::support::{stderr, tree, Site};

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
