//! `quire import` of every format producers publish, from made-up fixtures
//! in each one's schema (`tests/fixtures/import/mixed/`): imported, built,
//! and read back from the pages and the JSON; a mixed folder; bad input.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::import::{fixture, import, import_fails, json, zh_site};
use crate::support::{select, text, tree, Site};

/// Imports one fixture, builds, and checks a re-import changes nothing.
fn imported(site: &Site, args: &[&str], line: &str) {
    let (out, err) = import(site, args);
    assert!(out.trim().ends_with(line), "{out}\n{err}");
    site.build(&[]);
    let before = tree(&site.path("content"));
    let (again, _) = import(site, args);
    assert!(again.contains("0 added, 0 updated"), "{again}");
    assert_eq!(tree(&site.path("content")), before, "import again: byte-identical");
}

#[test]
fn per_paper_json_needs_a_date_and_marks_a_cut_abstract() {
    let site = zh_site();
    site.full_text();
    let folder = fixture("mixed/seed/2024-04-02");
    imported(&site, &[&folder], "paper-json: 2 added, 0 updated, 0 unchanged, 0 skipped.");
    let crane = json(&site, "paper/2404.10001/index.json");
    assert_eq!((crane["date"].as_str(), crane["announce_type"].as_str()), (Some("2024-04-02"), Some("new")));
    assert_eq!(crane["translated_title"], "用扩散策略折纸鹤");
    assert_eq!(crane["summary"], "扩散策略让机械臂学会折纸鹤。");
    assert_eq!(
        crane["extra"],
        json!({"tldr_en": "A diffusion policy teaches a robot arm to fold paper cranes."})
    );
    assert!(crane["body"].as_str().unwrap().starts_with("我们用少量虚构的示范"), "{crane}");
    assert!(crane["abstract"].as_str().unwrap().starts_with("We teach a robot arm"), "{crane}");
    let queue = json(&site, "paper/2404.10002/index.json");
    assert_eq!(
        (queue["announce_type"].as_str(), queue["categories"].clone()),
        (Some("cross"), json!(["math.PR"]))
    );
    assert_eq!(queue["title"], "Umbrella Queues: Waiting Times When Everyone Carries One");
    assert_eq!(queue["extra"]["truncated"], true);
    let page = site.page("paper/2404.10002/index.html");
    assert_eq!(
        select(&page, ".abstract .truncated a")[0].value().attr("href"),
        Some("https://arxiv.org/abs/2404.10002")
    );
    let other = zh_site();
    other.write(
        "papers/24/04/2404.10001.json",
        std::fs::read(fixture("mixed/seed/2024-04-02/2404.10001.json")).unwrap(),
    );
    let (out, err) = import(&other, &["papers", "--date", "2024-04-05"]);
    assert!(out.contains("paper-json: 1 added") && err.is_empty(), "{out}{err}");
    let (_, err) = import(&zh_site(), &[&format!("{folder}/2404.10001.json"), "--from", "paper-json"]);
    assert!(err.is_empty(), "the folder's name gives the date: {err}");
}

#[test]
fn jsonl_takes_its_date_from_the_file_name_and_heads_sections_in_the_sites_language() {
    let site = zh_site();
    site.full_text();
    imported(
        &site,
        &[&fixture("mixed/daily/2024-04-02_AI_enhanced_Chinese.jsonl")],
        "jsonl: 3 added, 0 updated, 0 unchanged, 0 skipped.",
    );
    let crane = json(&site, "paper/2404.10001/index.json");
    assert_eq!(crane["date"], "2024-04-02");
    assert_eq!(crane["authors"], json!(["Ada Folder", "Ben Crease"]));
    assert_eq!(crane["categories"], json!(["cs.RO", "cs.LG"]));
    assert_eq!(crane["extra"], json!({"comment": "8 pages, 5 figures"}));
    assert!(
        crane["body"].as_str().unwrap().starts_with("#### 动机\n\n折纸需要精确的顺序操作。\n\n#### 方法\n\n"),
        "{crane}"
    );
    let clouds = json(&site, "paper/2404.10003/index.json");
    assert_eq!(clouds["summary"], "在虚构的天空照片中数云。", "AI.task in older files");
    assert_eq!(clouds["categories"], json!(["cs.CV", "cs.AI"]), "an id twice is one paper");
    let hum = json(&site, "paper/2404.10004/index.json");
    assert_eq!(
        (hum["summary"].clone(), hum["body"].as_str()),
        (serde_json::Value::Null, Some("")),
        "no AI, nothing lost"
    );
    let headings: Vec<String> =
        select(&site.page("paper/2404.10001/index.html"), ".body h4").iter().map(text).collect();
    assert_eq!(headings, ["动机", "方法", "结果", "结论"]);
    let english = Site::new();
    english.full_text();
    import(&english, &[&fixture("mixed/daily/2024-04-02_AI_enhanced_Chinese.jsonl")]);
    english.build(&[]);
    let headings: Vec<String> =
        select(&english.page("paper/2404.10001/index.html"), ".body h4").iter().map(text).collect();
    assert_eq!(headings, ["Motivation", "Method", "Results", "Conclusion"]);
}

#[test]
fn arxiv_api_atom_is_unwrapped_and_dated_by_published() {
    let site = zh_site();
    imported(
        &site,
        &[&fixture("mixed/arxiv/api-query.xml")],
        "arxiv-api: 2 added, 0 updated, 0 unchanged, 0 skipped.",
    );
    let clouds = json(&site, "paper/2404.10003/index.json");
    assert_eq!(clouds["title"], "Counting Clouds in ``Blue'' Skies");
    assert_eq!(clouds["abstract"], "We count clouds in made-up photographs of skies --- with $O(n \\log n)$ work. Every sky is imaginary.");
    assert_eq!(
        (clouds["date"].as_str(), clouds["extra"].clone()),
        (Some("2024-04-02"), json!({"comment": "4 pages"}))
    );
    let hum = json(&site, "paper/2404.10004/index.json");
    assert_eq!(hum["authors"], json!(["Dee Gradient", "Hal Momentum"]));
    assert_eq!(hum["categories"], json!(["cs.LG", "cs.SD"]));
    assert_eq!(
        hum["extra"],
        json!({"comment": "Code: https://github.com/dee-gradient/humming-rates.", "journal_ref": "Imaginary Proceedings 1 (2024) 1-4"})
    );
    assert_eq!(hum["code"], "https://github.com/dee-gradient/humming-rates", "found in the comment");
    assert_eq!(clouds["code"], serde_json::Value::Null, "no repository named");
    let row = site.page("digest/2024-04-02/index.html");
    let code: Vec<_> =
        select(&row, "[id=\"ref-2404.10004\"] a.code, [id=\"paper-2404.10004\"] .links a.code")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect();
    assert_eq!(
        code, ["https://github.com/dee-gradient/humming-rates"; 2],
        "a Code link on the row and the details"
    );
    let digest = json(&site, "digest/2024-04-02/index.json");
    assert_eq!(digest["count"], 2);
    let dated = zh_site();
    import(&dated, &[&fixture("mixed/arxiv/api-query.xml"), "--date", "2024-04-07"]);
    dated.build(&[]);
    assert_eq!(json(&dated, "paper/2404.10003/index.json")["date"], "2024-04-07");
}

#[test]
fn arxiv_rss_and_its_atom_twin_give_announce_types_and_the_feeds_day() {
    let site = zh_site();
    imported(&site, &[&fixture("mixed/rss/cs.CV.xml")], "rss: 2 added, 0 updated, 0 unchanged, 0 skipped.");
    let page = site.page("digest/2024-04-02/index.html");
    let titles: Vec<String> = select(&page, ".summary-table td.title a").iter().map(text).collect();
    // The page shows arXiv's TeX quotes as quotes; the file keeps them as written.
    assert_eq!(titles, ["Counting Clouds in “Blue” Skies", "Folding Paper Cranes with Diffusion Policies"]);
    assert_eq!(json(&site, "paper/2404.10003/index.json")["title"], "Counting Clouds in ``Blue'' Skies");
    let crane = json(&site, "paper/2404.10001/index.json");
    assert_eq!(
        (crane["announce_type"].as_str(), crane["authors"].clone()),
        (Some("cross"), json!(["Ada Folder", "Ben Crease"]))
    );
    assert_eq!(
        crane["abstract"],
        "We teach a robot arm to fold paper cranes from a handful of made-up demonstrations."
    );
    let twin = zh_site();
    imported(
        &twin,
        &[&fixture("mixed/rss/cs.LG.atom")],
        "rss-atom: 2 added, 0 updated, 0 unchanged, 0 skipped.",
    );
    let hum = json(&twin, "paper/2404.10004/index.json");
    assert_eq!((hum["date"].as_str(), hum["announce_type"].as_str()), (Some("2024-04-03"), Some("replace")));
    assert_eq!(hum["authors"], json!(["Dee Gradient", "Hal Momentum"]));
}

#[test]
fn hugging_face_daily_papers_bring_ai_summaries_keywords_and_upvotes() {
    let site = zh_site();
    imported(
        &site,
        &[&fixture("mixed/hf/daily_papers.json")],
        "hf: 2 added, 0 updated, 0 unchanged, 0 skipped.",
    );
    let whisper = json(&site, "paper/2404.10005/index.json");
    assert_eq!(whisper["date"], "2024-04-03", "the day it was listed");
    assert_eq!(whisper["summary"], "Quieter prompts get quieter answers from language models.");
    assert_eq!(whisper["code"], "https://github.com/fay-token/whispering", "githubRepo");
    let file = std::fs::read_to_string(site.path("content/2024-04-03/2404.10005.md")).unwrap();
    assert!(file.contains("\ncode: \"https://github.com/fay-token/whispering\"\n"), "{file}");
    assert_eq!(
        (whisper["tags"].clone(), whisper["extra"].clone()),
        (json!(["prompting", "tone"]), json!({"upvotes": 17}))
    );
    assert_eq!(whisper["abstract"], "Language models answer quieter prompts with quieter words. We measure the volume of made-up answers.");
    assert!(site.path("public/tag/prompting/index.html").is_file());
    let order: Vec<String> = json(&site, "digest/2024-04-03/index.json")["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(order, ["2404.10005", "2404.10001"], "the list's order");
}

#[test]
fn a_mixed_folder_gives_one_file_per_paper_with_listings_and_merged_categories() {
    let site = zh_site();
    let (out, err) = import(&site, &[&fixture("mixed")]);
    assert!(err.is_empty(), "{err}");
    for part in [
        "paper-json: 2 added",
        "jsonl: 5 added",
        "arxiv-api: 2 added",
        "rss-atom: 2 added",
        "rss: 2 added",
        "hf: 2 added",
    ] {
        assert!(out.contains(part), "{part}: {out}");
    }
    let files: Vec<_> = tree(&site.path("content"))
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(files.len(), 5, "{files:?}");
    site.build(&[]);
    let crane = std::fs::read_to_string(site.path("content/2024-04-02/2404.10001.md")).unwrap();
    assert!(crane.contains("categories: [\"cs.RO\", \"cs.LG\", \"cs.CV\"]"), "{crane}");
    assert!(
        crane.contains("date: \"2024-04-02\"") && crane.contains("listed:\n  - date: \"2024-04-03\"\n"),
        "{crane}"
    );
    let queue = json(&site, "paper/2404.10002/index.json");
    assert_eq!(
        (queue["date"].as_str(), queue["categories"].clone()),
        (Some("2024-04-02"), json!(["math.PR", "cs.PF", "cs.LG"]))
    );
    let hum = std::fs::read_to_string(site.path("content/2024-04-02/2404.10004.md")).unwrap();
    assert!(
        hum.contains("listed:\n  - date: \"2024-04-03\"\n    order: 1\n    announce_type: \"replace\"\n"),
        "{hum}"
    );
    let before = tree(&site.path("content"));
    let (again, _) = import(&site, &[&fixture("mixed")]);
    assert!(!again.contains(" added, 1") && again.contains("hf: 0 added, 0 updated, 2 unchanged"), "{again}");
    assert_eq!(tree(&site.path("content")), before);
}

#[test]
fn bad_input_is_named_by_file_and_line_and_the_rest_is_imported() {
    let site = zh_site();
    let paper = std::fs::read_to_string(fixture("mixed/seed/2024-04-02/2404.10001.json")).unwrap();
    site.write("bad/2024-04-02/2404.10001.json", &paper[..paper.find("\"tldr\"").unwrap()]);
    let daily = std::fs::read_to_string(fixture("mixed/daily/2024-04-02_AI_enhanced_Chinese.jsonl")).unwrap();
    let mut lines: Vec<&str> = daily.lines().collect();
    lines.insert(1, "{\"id\": \"2404.10009\", \"title\": \"cut in the mid");
    site.write("bad/2024-04-02_AI_enhanced_Chinese.jsonl", lines.join("\n"));
    let rss = std::fs::read_to_string(fixture("mixed/rss/cs.CV.xml")).unwrap();
    site.write(
        "bad/cs.CV.xml",
        rss.replacen("<description>arXiv:2404.10003v1", "<description><b>arXiv:2404.10003v1", 1),
    );
    let (out, err) = import(&site, &["bad"]);
    assert!(err.contains("bad/2024-04-02/2404.10001.json:10:2: the record is cut short"), "{err}");
    assert!(
        err.contains("bad/2024-04-02_AI_enhanced_Chinese.jsonl:2:45: this line is not a paper record"),
        "{err}"
    );
    assert!(err.contains("bad/cs.CV.xml:21:111: this record is not well-formed XML"), "{err}");
    assert!(out.contains("jsonl: 3 added, 0 updated, 0 unchanged, 1 skipped"), "{out}");
    assert!(out.contains("rss: 1 added, 0 updated, 0 unchanged, 1 skipped"), "{out}");
    site.build(&[]);
}

/// `text` with a byte that is not UTF-8 before the first `marker`, and
/// where it is: the line and column an editor shows, and its offset.
fn with_bad_byte(text: &str, marker: &str) -> (Vec<u8>, String) {
    let at = text.find(marker).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    let mut bytes = text.as_bytes()[..at].to_vec();
    bytes.push(0xff);
    bytes.extend(&text.as_bytes()[at..]);
    (bytes, format!("{line}:{column}: the file is not UTF-8 text: byte 0xff at offset {at}"))
}

#[test]
fn a_byte_that_is_not_utf8_is_named_by_line_and_column_in_every_format() {
    let read = |rel: &str| std::fs::read_to_string(fixture(rel)).unwrap();
    // (file, text, the bad byte goes before this, papers still imported)
    let cases = [
        ("2024-04-02.md", read("seed-digest.md"), "Self-Supervised Learning in Electron", 0),
        ("2024-04-02/x.json", read("mixed/seed/2024-04-02/2404.10001.json"), "用扩散策略", 0),
        ("2024-04-02.jsonl", read("mixed/daily/2024-04-02_AI_enhanced_Chinese.jsonl"), "Learning Rates", 2),
        ("feed.xml", read("mixed/rss/cs.CV.xml"), "Diffusion Policies</title>", 1),
        ("twin.atom", read("mixed/rss/cs.LG.atom"), "Everyone Carries", 1),
        ("hf.json", read("mixed/hf/daily_papers.json"), "Folding Paper", 1),
    ];
    for (name, text, marker, others) in cases {
        let site = zh_site();
        let (bytes, place) = with_bad_byte(&text, marker);
        site.write(name, bytes);
        let run = site.quire(&["import", name]);
        let (out, err) = (String::from_utf8_lossy(&run.stdout), crate::support::stderr(&run));
        assert_eq!(run.status.success(), others > 0, "nothing imported fails the run: {name}: {err}");
        assert!(err.contains(&format!("{name}:{place}")), "{name} {place}: {err}");
        assert!(
            out.contains(&format!(": {others} added, 0 updated, 0 unchanged, 1 skipped")),
            "{name}: {out}"
        );
    }
}

#[test]
fn a_feed_piped_to_standard_input_imports_in_one_line() {
    let site = zh_site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["import", "-"])
        .current_dir(site.root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&std::fs::read(fixture("mixed/rss/cs.CV.xml")).unwrap()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("rss: 2 added"));
    site.build(&[]);
    assert_eq!(json(&site, "paper/2404.10003/index.json")["categories"], json!(["cs.CV", "eess.IV"]));
}

#[test]
fn an_input_of_no_known_format_is_an_error_that_names_it_and_writes_nothing() {
    let site = zh_site();
    site.write("in/notes.md", "# Notes\n\nNot a digest.\n");
    site.write("in/feed.xml", std::fs::read(fixture("mixed/rss/cs.CV.xml")).unwrap());
    let err = import_fails(&site, &["in"]);
    assert!(err.contains("cannot tell the format of 1 input; nothing was imported:\n  in/notes.md: fits no format quire reads"), "{err}");
    assert!(err.contains("--from FORMAT"), "{err}");
    assert!(tree(&site.path("content")).is_empty());
    let err = import_fails(&site, &["in/feed.xml", "--from", "atom"]);
    assert!(err.contains("--from `atom` is not a format quire reads"), "{err}");
}

#[test]
fn a_record_over_ten_megabytes_is_named_by_its_line() {
    let site = zh_site();
    let daily = std::fs::read_to_string(fixture("mixed/daily/2024-04-02_AI_enhanced_Chinese.jsonl")).unwrap();
    let huge =
        format!("{{\"id\": \"2404.10010\", \"categories\": [], \"summary\": \"{}\"}}", "x".repeat(11 << 20));
    site.write("2024-04-02.jsonl", format!("{huge}\n{daily}"));
    let (out, err) = import(&site, &["2024-04-02.jsonl"]);
    assert!(err.contains("2024-04-02.jsonl:1:1: this line is longer than 10 MB"), "{err}");
    assert!(out.contains("jsonl: 3 added, 0 updated, 0 unchanged, 1 skipped"), "{out}");
}
