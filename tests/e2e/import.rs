//! `quire import` of the seed's Markdown digest as real files are written:
//! re-import changes nothing, a bad row is skipped and named, a later
//! version of the day updates the producer's fields and keeps a person's,
//! and an archive of many days and categories gives one file per paper.

use std::path::PathBuf;

use crate::support::{fixtures, select, stderr, text, tree, Site};

/// Runs `quire import ARGS` in the site, which must succeed; (stdout, stderr).
pub fn import(site: &Site, args: &[&str]) -> (String, String) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = site.quire(&all);
    assert!(out.status.success(), "import failed:\n{}", stderr(&out));
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr(&out))
}

/// `quire import ARGS` that must fail; its standard error.
pub fn import_fails(site: &Site, args: &[&str]) -> String {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = site.quire(&all);
    assert!(!out.status.success(), "import should fail:\n{}", String::from_utf8_lossy(&out.stdout));
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A fixture's path as text.
pub fn fixture(rel: &str) -> String {
    fixtures().join("import").join(rel).to_string_lossy().into_owned()
}

/// A JSON file of the built site.
pub fn json(site: &Site, rel: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(site.path("public").join(rel)).unwrap()).unwrap()
}

/// A Chinese site that writes JSON data, which these tests read.
pub fn zh_site() -> Site {
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"Digest\"\nbase_url = \"https://example.org/\"\nlanguage = \"zh\"\n\n[data]\njson = true\n",
    );
    site
}

fn seed() -> String {
    std::fs::read_to_string(fixture("seed-digest.md")).unwrap()
}

#[test]
fn import_build_import_again_changes_no_byte() {
    let site = zh_site();
    site.full_text();
    let (out, err) = import(&site, &[&fixture("seed-digest.md"), "--date", "2024-04-02"]);
    assert_eq!(out.trim(), "Imported into content/: digest: 18 added, 0 updated, 0 unchanged, 0 skipped.");
    assert!(err.is_empty(), "{err}");
    site.build(&[]);
    let before = tree(&site.path("content"));
    assert!(before.contains_key(&PathBuf::from(".quire-import.jsonl")), "the record of what was written");
    let (out, _) = import(&site, &[&fixture("seed-digest.md"), "--date", "2024-04-02"]);
    assert_eq!(out.trim(), "Imported into content/: digest: 0 added, 0 updated, 18 unchanged, 0 skipped.");
    assert_eq!(tree(&site.path("content")), before);
    let page = site.page("paper/2404.01300/index.html");
    assert_eq!(select(&page, ".abstract .truncated a").len(), 1, "the cut abstract says it goes on");
    assert!(
        select(&site.page("paper/2403.13808/index.html"), ".truncated").is_empty(),
        "a whole one does not"
    );
}

#[test]
fn a_digest_with_an_unreadable_row_imports_all_the_others_and_names_the_line() {
    let site = zh_site();
    let broken = seed()
        .replace("(https://arxiv.org/abs/2403.10663)", "(https://example.org/x)")
        .replace("| [^6] |", "| [^99] | [No details](https://arxiv.org/abs/2404.99999) | y |\n| [^6] |");
    site.write("in/2024-04-02.md", broken);
    let (out, err) = import(&site, &["in/2024-04-02.md"]);
    assert_eq!(
        out.trim(),
        "Imported into content/: digest: 17 added, 0 updated, 0 unchanged, 2 skipped.",
        "{err}"
    );
    assert!(err.starts_with("warning: 2 records skipped; the others were imported:"), "{err}");
    assert!(err.contains("in/2024-04-02.md:9:115: `https://example.org/x` is not an arXiv link"), "{err}");
    assert!(err.contains("in/2024-04-02.md:10:3: [^99] has no details"), "{err}");
    assert!(!site.path("content/2024-04-02/2403.10663.md").exists());
    site.build(&[]);
    assert_eq!(select(&site.page("digest/2024-04-02/index.html"), ".summary-table tbody tr").len(), 17);
    let err = import_fails(&site, &["missing.md", "--date", "2024-04-02"]);
    assert!(err.contains("cannot read missing.md: no such file or folder"), "{err}");
}

#[test]
fn strict_makes_a_skipped_row_an_error_that_writes_nothing() {
    let site = zh_site();
    site.write(
        "in.md",
        seed().replace("(https://arxiv.org/abs/2403.10663)", "(https://example.org/2403.10663)"),
    );
    let err = import_fails(&site, &["in.md", "--date", "2024-04-02", "--strict"]);
    assert!(err.contains("in.md:9:"), "{err}");
    assert!(err.contains("error: 1 record could not be read; nothing was written (--strict)"), "{err}");
    assert!(tree(&site.path("content")).is_empty());
}

#[test]
fn links_pipes_and_translated_prefixes_as_real_digests_write_them() {
    let site = zh_site();
    let digest = "# 摘要\n\n| Ref | Title | Summary |\n| --- | --- | --- |\n\
        | [^1] | [Bounds on P(Y|X)](https://rss.arxiv.org/abs/2405.12345) | 估计 $P(Y|X)$ 与 |S|^2，范数 $\\{ \\|x_t - x_\\infty\\| \\}$ |\n\
        | [^2] | [Second](http://arxiv.org/pdf/2405.12346v2) | 第二 \\| 篇 |\n\n# 详细\n\n\
        [^1]: 条件概率的界\n\n    Bounds on P(Y|X)\n\n    [https://export.arxiv.org/abs/2405.12345v3](https://export.arxiv.org/abs/2405.12345v3)\n\n    总结\n\n\
        \x20   摘要：arXiv:2405.12345v3 公告类型：替换交叉 摘要：中文译文。\n\n\
        \x20   arXiv:2405.12345v3 arXiv:2405.12345v3 Announce Type: replace-cross Abstract: English text.\n\n\
        [^2]: 第二篇\n\n    Second\n\n    [u](https://arxiv.org/abs/2405.12346)\n\n    总结\n\n\
        \x20   公告类型: 新 原文摘要: 只有中文。\n";
    site.write("in/cs.LG.md", digest);
    let (_, err) = import(&site, &["in/cs.LG.md", "--date", "2024-04-02"]);
    assert!(err.is_empty(), "{err}");
    site.build(&[]);
    let page = site.page("digest/2024-04-02/index.html");
    let summaries: Vec<String> = select(&page, ".summary-table td.summary").iter().map(text).collect();
    assert!(summaries[1] == "第二 | 篇", "{summaries:?}");
    let first = json(&site, "paper/2405.12345/index.json");
    assert_eq!(first["announce_type"], "replace-cross");
    assert_eq!(first["summary"], "估计 $P(Y|X)$ 与 |S|^2，范数 $\\{ \\|x_t - x_\\infty\\| \\}$");
    assert_eq!(
        (first["abstract"].as_str(), first["body"].as_str()),
        (Some("English text."), Some("中文译文。\n"))
    );
    assert_eq!(first["categories"], serde_json::json!(["cs.LG"]), "named after its category");
    let second = json(&site, "paper/2405.12346/index.json");
    assert_eq!(
        (second["announce_type"].as_str(), second["body"].as_str()),
        (Some("new"), Some("只有中文。\n"))
    );
    let other = zh_site();
    other.write("in/cs.LG.md", digest);
    import(&other, &["in/cs.LG.md", "--date", "2024-04-02", "--category", "stat.ML"]);
    other.build(&[]);
    assert_eq!(json(&other, "paper/2405.12346/index.json")["categories"], serde_json::json!(["stat.ML"]));
}

#[test]
fn a_later_version_of_the_day_updates_the_producers_fields_and_keeps_a_persons() {
    let site = zh_site();
    site.write("in/2024-04-02.md", seed());
    import(&site, &["in/2024-04-02.md"]);
    let file = site.path("content/2024-04-02/2403.18211.md");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("extra:\n", "tags: [\"fmri\"]\nextra:\n  rating: 5\n")
        .replace("summary: \"NeuroPictor", "summary: \"我的总结：NeuroPictor");
    std::fs::write(&file, format!("{edited}\n## 笔记\n\n读过。\n")).unwrap();
    let v2 = seed()
        .replace("[^2]: NeuroPictor: 通过多个个体的预训练", "[^2]: NeuroPictor：重新翻译的标题，通过多个个体的预训练")
        .replace("| [^2] | [NeuroPictor", "| [^19] | [A Made-Up Late Paper](https://arxiv.org/abs/2404.09999) | 新论文。 |\n| [^2] | [NeuroPictor")
        + "\n[^19]: 迟到的论文\n\n    A Made-Up Late Paper\n\n    [https://arxiv.org/abs/2404.09999](https://arxiv.org/abs/2404.09999)\n\n    新论文。\n";
    site.write(
        "in/2024-04-02.md",
        v2.replace("实现了fMRI到图像的重建，在多个", "实现了fMRI到图像的重建（改），在多个"),
    );
    let (dry, _) = import(&site, &["in/2024-04-02.md", "--dry-run"]);
    assert!(dry.contains("add     content/2024-04-02/2404.09999.md\n"), "{dry}");
    assert!(dry.contains("update  content/2024-04-02/2403.18211.md (translated_title)\n"), "{dry}");
    assert!(
        dry.trim_end()
            .ends_with("(dry run, nothing written): digest: 1 added, 1 updated, 17 unchanged, 0 skipped."),
        "{dry}"
    );
    assert!(!site.path("content/2024-04-02/2404.09999.md").exists());
    let (out, err) = import(&site, &["in/2024-04-02.md"]);
    assert!(out.contains("digest: 1 added, 1 updated, 17 unchanged, 0 skipped"), "{out}");
    assert!(err.contains("content/2024-04-02/2403.18211.md: kept summary"), "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("translated_title: \"NeuroPictor：重新翻译的标题"), "{text}");
    assert!(text.contains("summary: \"我的总结：NeuroPictor"), "{text}");
    assert!(
        text.contains("tags: [\"fmri\"]\nextra:\n  rating: 5\n  truncated: true\n")
            && text.ends_with("\n## 笔记\n\n读过。\n"),
        "{text}"
    );
    site.build(&[]);
}

/// A digest of `category` on `day` in the seed producer's shape, listing
/// `ids` (a title suffix on every other one).
pub fn made_up_digest(category: &str, day: u32, ids: &[String]) -> String {
    let mut table = String::from("# 摘要\n\n| Ref | Title | Summary |\n| --- | --- | --- |\n");
    let mut details = String::from("\n# 详细\n\n");
    for (i, id) in ids.iter().enumerate() {
        let n = i + 1;
        let suffix = if n % 2 == 0 { format!(". (arXiv:{id}v1 [{category}])") } else { String::new() };
        let kind = if n % 3 == 0 { "replace" } else { "new" };
        table.push_str(&format!(
            "| [^{n}] | [Made-up paper {id}{suffix}](https://arxiv.org/abs/{id}) | 第{day}天的总结 {n}。 |\n"
        ));
        details.push_str(&format!(
            "[^{n}]: 虚构论文 {id}\n\n    Made-up paper {id}{suffix}\n\n    [https://arxiv.org/abs/{id}](https://arxiv.org/abs/{id})\n\n    第{day}天的总结 {n}。\n\n\
             \x20   arXiv:{id}v1 公告类型：{zh} 摘要：虚构的摘要。\n\n    arXiv:{id}v1 Announce Type: {kind} Abstract: A made-up abstract.\n\n",
            zh = if kind == "new" { "新" } else { "替换" }
        ));
    }
    table + &details
}

#[test]
fn twenty_days_of_three_categories_give_one_file_per_paper() {
    let site = zh_site();
    let categories = ["cs.AI", "cs.LG", "stat.ML"];
    let mut all = std::collections::BTreeSet::new();
    for day in 1..=20u32 {
        for (c, category) in categories.iter().enumerate() {
            // Each day has its own papers, shares some with the other categories,
            // and lists again some papers of two days before.
            let mut ids: Vec<String> = (0..6).map(|k| format!("2404.{:02}{}{:02}", day, c, k)).collect();
            ids.push(format!("2404.{day:02}900"));
            if day > 2 {
                ids.push(format!("2404.{:02}{}00", day - 2, c));
            }
            all.extend(ids.iter().cloned());
            site.write(
                &format!("digests/2024-04-{day:02}/{category}.md"),
                made_up_digest(category, day, &ids),
            );
        }
    }
    let (out, err) = import(&site, &["digests"]);
    assert!(err.is_empty(), "{err}");
    assert!(
        out.contains(&format!("digest: {} added, 0 updated, 0 unchanged, 0 skipped", all.len())),
        "{out}"
    );
    let files: Vec<PathBuf> = tree(&site.path("content"))
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(files.len(), all.len(), "one file per paper");
    let shared = std::fs::read_to_string(site.path("content/2024-04-05/2404.05900.md")).unwrap();
    assert!(shared.contains("categories: [\"cs.AI\", \"cs.LG\", \"stat.ML\"]"), "{shared}");
    let again = std::fs::read_to_string(site.path("content/2024-04-03/2404.03100.md")).unwrap();
    assert!(
        again.contains("date: \"2024-04-03\"") && again.contains("listed:\n  - date: \"2024-04-05\"\n"),
        "{again}"
    );
    site.build(&[]);
    let (out, _) = import(&site, &["digests"]);
    assert!(
        out.contains(&format!("digest: 0 added, 0 updated, {} unchanged, 0 skipped", all.len())),
        "{out}"
    );
}
