//! The repository's own example site (`site.toml`, `content/`) built as the
//! README says, and the README held to it: every line it quotes from
//! `quire build` and `quire serve` is what they print (but the time), and
//! every page its table names exists, tag, category, topic, math and
//! `[[id]]` cross-link included.

use std::path::{Path, PathBuf};

use crate::support::{select, stderr};

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    std::fs::read_to_string(repository().join("README.md")).unwrap()
}

/// Builds the example site into a temporary folder; returns the folder
/// and the line the build printed.
fn build_example() -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["build", "--root"])
        .arg(repository())
        .arg("--output-dir")
        .arg(&public)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(run.stderr.is_empty(), "the example site builds without warnings:\n{}", stderr(&run));
    (out, String::from_utf8(run.stdout).unwrap().trim().to_owned())
}

/// `Built ... in 35 ms.` without its time, which varies.
fn without_time(line: &str) -> &str {
    line.rsplit_once(" in ").map_or(line, |(counts, _)| counts)
}

#[test]
fn the_readmes_quoted_lines_are_what_the_commands_print() {
    let (_out, built) = build_example();
    let readme = readme().split_whitespace().collect::<Vec<_>>().join(" ");
    let quoted: Vec<&str> =
        readme.split('`').filter(|q| q.starts_with("Built ") && q.ends_with(" ms.")).collect();
    assert!(quoted.len() >= 2, "the README quotes build's and serve's first lines: {quoted:?}");
    // `build`: everything but the time; `serve`: the same, less the size.
    let without_size = built.rsplit_once(", ").map(|(counts, _)| counts).unwrap();
    for line in quoted {
        let expected = if line.matches(", ").count() == 2 { without_time(&built) } else { without_size };
        assert_eq!(without_time(line), expected, "the README quotes {line:?}; the build printed {built:?}");
    }
}

/// The paths of the README's table of pages, but those that are shapes
/// (`N`, `...`) or need settings the example does not use.
fn readme_pages(readme: &str) -> Vec<String> {
    let table = readme.split("\n## Pages\n").nth(1).unwrap().split("\n## ").next().unwrap();
    let other_settings = [
        "/page/2/",                      // a second home page: more than [home] per_page digests
        "/digest/2024-W14/",             // period = "week"
        "/digest/2024-04/",              // period = "month"
        "/digest/2024-04-02/index.json", // [data] json = true
        "/paper/2404.01300/index.json",
    ];
    table
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|q| q.starts_with('/') && !q.contains("N.") && !q.contains("..."))
        .filter(|q| !other_settings.contains(q))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_page_the_readme_names_is_in_the_example_site() {
    let (out, _) = build_example();
    let public = out.path().join("public");
    let pages = readme_pages(&readme());
    let must = [
        "/tag/nerf/",
        "/category/cs-cv/",
        "/paper/2404.01300/",
        "/category/cs-cv/page/2/",
        "/topic/diffusion/",
    ];
    for must in must {
        assert!(pages.iter().any(|p| p == must), "{must} is in the README's table");
    }
    for page in &pages {
        let file: PathBuf = match page.strip_prefix('/').unwrap() {
            dir if dir.is_empty() || dir.ends_with('/') => public.join(dir).join("index.html"),
            file => public.join(file),
        };
        assert!(file.is_file(), "the README names {page}; the example site has no {}", file.display());
    }
}

#[test]
fn the_example_site_shows_each_feature_the_readme_names() {
    let (out, _) = build_example();
    let page = |rel: &str| {
        let text = std::fs::read_to_string(out.path().join("public").join(rel)).unwrap();
        scraper::Html::parse_document(&text)
    };
    let digest = page("digest/2024-04-02/index.html");
    assert!(!select(&digest, "math[display=block]").is_empty(), "display math");
    let cross = select(&digest, "a.paper-ref[href='/digest/2024-04-02/#paper-2403.13808']");
    assert!(!cross.is_empty(), "a [[id]] cross-link");
    assert!(!select(&page("tag/nerf/index.html"), "a[href$='#paper-2404.01300']").is_empty());
    // Not tagged `diffusion`: its summary says 扩散模型.
    assert!(!select(&page("topic/diffusion/index.html"), "a[href$='#paper-2403.18211']").is_empty());
    for entry in std::fs::read_dir(repository().join("content/2024-04-02")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(text.contains("\ncategories: ["), "every paper has categories:\n{text}");
    }
}
