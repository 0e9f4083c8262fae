//! What a site weighs: the size budget of a realistic archive, bounded list
//! pages and feeds, and the size report and limit warnings of `quire build`.

use std::fmt::Write as _;
use std::path::Path;

use crate::support::{select, select_in, stderr, text, tree, Site};

/// Made-up papers in the shape of a real bilingual arXiv digest (as
/// `bench/realistic.py` makes them): a 1 KB English abstract, sometimes
/// with math, a 0.6 KB Chinese translation as the body, a translated
/// title, a one-line summary, authors and one to four categories; a tag on
/// one paper in four. `days` gives the number of papers of each digest.
fn realistic_site(days: &[usize]) -> Site {
    const EN: &[&str] = &[
        "sparse",
        "robust",
        "latent",
        "diffusion",
        "model",
        "network",
        "transformer",
        "attention",
        "policy",
        "benchmark",
        "alignment",
        "reasoning",
        "retrieval",
        "tokens",
        "graph",
        "training",
        "the",
        "of",
        "with",
        "across",
        "improves",
        "learns",
        "scalable",
        "generalization",
        "representation",
        "video",
    ];
    const ZH: &[&str] = &[
        "模型",
        "方法",
        "框架",
        "网络",
        "表示",
        "学习",
        "训练",
        "推理",
        "数据集",
        "我们",
        "提出",
        "基于",
        "显著",
        "提高",
        "实验",
    ];
    const CATEGORIES: &[&str] = &["cs.CV", "cs.LG", "cs.CL", "cs.AI", "cs.RO", "stat.ML", "cs.IR", "eess.IV"];
    let mut words = Words(7);
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"论文摘要\"\nbase_url = \"https://user.github.io/digest/\"\nlanguage = \"zh\"\n",
    );
    let mut n = 0;
    for (day, &count) in days.iter().enumerate() {
        let date = format!("2024-03-{:02}", day + 1);
        for _ in 0..count {
            n += 1;
            let id = format!("2403.{n:05}");
            let mut abstract_md = words.text(EN, 950, " ");
            if n % 4 == 0 {
                abstract_md.push_str(" with $\\mathcal{O}(n \\log n)$ cost");
            }
            let title = if n % 10 == 0 { "$k$-Means for Schr\\\"odinger Bridges" } else { "" };
            let categories: Vec<&str> =
                (0..1 + words.below(4)).map(|i| CATEGORIES[(n + 3 * i) % CATEGORIES.len()]).collect();
            let mut paper = String::new();
            writeln!(paper, "---\nid: \"{id}\"\ntitle: \"{title}{}\"", words.text(EN, 90, " ")).unwrap();
            writeln!(
                paper,
                "translated_title: \"{}\"\nsummary: \"{}。\"",
                words.text(ZH, 80, ""),
                words.text(ZH, 180, "")
            )
            .unwrap();
            writeln!(paper, "date: {date}\nauthors: [Ada Lovelace, Alan Turing, Grace Hopper, Émile Borel]")
                .unwrap();
            writeln!(paper, "categories: [{}]", categories.join(", ")).unwrap();
            if n % 4 == 1 {
                writeln!(paper, "tags: [nerf]").unwrap();
            }
            writeln!(paper, "abstract: |\n  {abstract_md}\n---\n{}。", words.text(ZH, 640, "")).unwrap();
            site.write(&format!("content/{date}/{id}.md"), paper);
        }
    }
    site
}

/// Made-up text from word lists, the same on every run.
struct Words(u64);

impl Words {
    /// A number below `n`.
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % n
    }

    /// At least `bytes` of words from `pool`, joined by `sep`.
    fn text(&mut self, pool: &[&str], bytes: usize, sep: &str) -> String {
        let mut text = String::new();
        while text.len() < bytes {
            if !text.is_empty() {
                text.push_str(sep);
            }
            text.push_str(pool[self.below(pool.len())]);
        }
        text
    }
}

/// The output's files with their sizes, by path (`/`-separated).
fn sizes(out: &Path) -> Vec<(String, usize)> {
    tree(out).into_iter().map(|(p, bytes)| (p.to_string_lossy().replace('\\', "/"), bytes.len())).collect()
}

#[test]
fn a_realistic_archive_stays_within_its_size_and_file_budgets() {
    // 2,000 papers; one digest of 500, for the page a phone must still open.
    let days = [500, 270, 270, 270, 270, 270, 150];
    let papers: usize = days.iter().sum();
    let site = realistic_site(&days);
    let out = site.build(&[]);
    let files = sizes(&site.path("public"));
    let bytes: usize = files.iter().map(|(_, size)| size).sum();
    let mut folders = std::collections::BTreeMap::new();
    for (path, size) in &files {
        *folders.entry(path.split('/').next().unwrap_or_default()).or_insert(0) += size / papers;
    }
    // The feeds hold the newest entries, 1 MB at most each, however large
    // the archive: on 2,000 papers they weigh more per paper than on a
    // year's, where everything else stays within 12 KB a paper (a paper's
    // page shows its abstract and body: 10 KB without them), about 80,000
    // papers in GitHub Pages' 1 GB.
    let feeds: usize = files.iter().filter(|(p, _)| p.ends_with("atom.xml")).map(|(_, size)| size).sum();
    let per_paper = (bytes - feeds) / papers;
    assert!(per_paper <= 12_000, "{per_paper} bytes per paper, by folder: {folders:?}");
    assert!(files.len() * 10 <= papers * 12, "{} files for {papers} papers", files.len());
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(line.contains(&format!("{} files, ", files.len())), "{line}");
    assert!(line.contains(&format!(", {:.1} MB in ", bytes as f64 / 1e6)), "{line}");

    let is_list = |path: &str| {
        path == "index.html"
            || path.starts_with("page/")
            || path.starts_with("category/")
            || path.starts_with("tag/")
            || path.starts_with("archive/")
    };
    for (path, size) in &files {
        if path.ends_with(".html") && is_list(path) {
            assert!(*size <= 300_000, "{path}: {size} bytes");
        }
        if path.ends_with(".xml") && path.contains("atom") {
            assert!(*size <= 1_000_000, "{path}: {size} bytes");
        }
    }
    let home = site.page("index.html");
    assert_eq!(select(&home, ".digest-card").len(), days.len());
    assert_eq!(select(&home, ".digest-card li").len(), days.len() * 20, "20 titles per digest");
    assert_eq!(select(&home, ".digest-card .more a").len(), days.len(), "and a link to all of them");
    let digest = site.page("digest/2024-03-01/index.html");
    assert_eq!(select(&digest, "article.paper").len(), 500, "the digest page has every paper");
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
