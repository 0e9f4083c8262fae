//! `quire import` stays bounded whatever its input: hostile inputs of every
//! format (deep nesting, long lines and records, many rows, large files)
//! are imported by the real binary in at most [`MEMORY_LIMIT`] of memory
//! (its peak resident size, read from `/proc`), and the work it does grows
//! linearly with the input: the instructions it runs on an input four times
//! larger (counted by Valgrind, not timed) are at most [`LINEAR`] times as
//! many. Each case is named after the shape that once broke the bound.

use std::process::{Command, Output, Stdio};

use crate::support::Site;
use crate::tools::{available, Tool};

/// The most memory an import may take, whatever it reads.
const MEMORY_LIMIT: u64 = 200 * 1024 * 1024;

/// Instructions on a 4x input over those on a 1x input: 4 when the work
/// is linear (less, as starting up is counted in both), 16 when quadratic.
const LINEAR: f64 = 6.0;

/// Runs `command` and returns its output and its peak resident memory in
/// bytes: the high-water mark of the child's own memory (`VmHWM` in
/// `/proc/<pid>/status`), read every few milliseconds until it exits. (A
/// child's `ru_maxrss` would count the test process's memory too: the
/// child shares it until it runs the binary.)
#[cfg(target_os = "linux")]
fn run_measured(command: &mut Command) -> (Output, u64) {
    use std::io::Read;
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).map(|_| bytes)
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        // Read before asking whether it ended: the last reading is the latest possible.
        let hwm = std::fs::read_to_string(&status_file).ok().and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
        peak = peak.max(hwm.unwrap_or(0) * 1024);
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let output =
        Output { status, stdout: out.join().unwrap().unwrap(), stderr: err.join().unwrap().unwrap() };
    (output, peak)
}

/// Imports `input` (written as `name` in a new site) with `args`, and
/// checks the import succeeded within the memory bound and says `expected`;
/// returns the site.
#[cfg(target_os = "linux")]
fn bounded(name: &str, input: &[u8], args: &[&str], expected: &str) -> Site {
    let site = Site::new();
    site.write(&format!("in/{name}"), input);
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command.arg("import").args(args).arg(format!("in/{name}")).current_dir(site.root());
    let (out, peak) = run_measured(&mut command);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown: String = stderr.chars().take(2000).collect();
    assert!(out.status.success(), "{name}: import failed:\n{shown}");
    assert!(stdout.contains(expected), "{name}: expected {expected:?} in {stdout}\n{shown}");
    assert!(
        peak <= MEMORY_LIMIT,
        "{name} ({} KB): the import took {} MB, over {} MB",
        input.len() >> 10,
        peak >> 20,
        MEMORY_LIMIT >> 20
    );
    site
}

/// The instructions `quire import` runs on `input`, counted by Valgrind's
/// cachegrind (no cache simulation); `None` where Valgrind is missing.
fn instructions(name: &str, input: &[u8], args: &[&str]) -> Option<u64> {
    if !available("the import linearity tests", &[Tool::Valgrind]) {
        return None;
    }
    let site = Site::new();
    site.write(&format!("in/{name}"), input);
    let out = Command::new("valgrind")
        .args(["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"])
        .arg(env!("CARGO_BIN_EXE_quire"))
        .arg("import")
        .args(args)
        .arg(format!("in/{name}"))
        .current_dir(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name}: import under valgrind failed:\n{stderr}");
    let refs = stderr.lines().find_map(|l| l.split_once("I   refs:").or_else(|| l.split_once("I refs:")));
    let count =
        refs.unwrap_or_else(|| panic!("no instruction count in:\n{stderr}")).1.trim().replace(',', "");
    Some(count.parse().unwrap())
}

/// Checks that `make(4 * n)` costs at most [`LINEAR`] times `make(n)`.
fn linear(name: &str, n: usize, args: &[&str], make: impl Fn(usize) -> Vec<u8>) {
    let Some(small) = instructions(name, &make(n), args) else { return };
    let large = instructions(name, &make(4 * n), args).unwrap();
    let ratio = large as f64 / small as f64;
    eprintln!("{name}: {small} -> {large} instructions for 4x the input ({ratio:.2}x)");
    assert!(ratio <= LINEAR, "{name}: 4x the input took {ratio:.1}x the instructions ({small} -> {large})");
}

// The inputs, in each producer's shape.

fn rss(items: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>cs.CV updates on arXiv.org</title>\
         <pubDate>Tue, 02 Apr 2024 00:00:00 -0400</pubDate>\n{items}</channel></rss>\n"
    )
    .into_bytes()
}

fn rss_item(i: usize, extra: &str) -> String {
    format!(
        "<item><title>Paper {i}</title><link>https://arxiv.org/abs/2404.{i:05}</link>\
         <description>arXiv:2404.{i:05}v1 Announce Type: new Abstract: Text {i}.</description>{extra}</item>\n"
    )
}

fn twin(entries: &str) -> Vec<u8> {
    format!(
        "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" \
         xmlns:arxiv=\"http://arxiv.org/schemas/atom\"><id>http://rss.arxiv.org/atom/cs.CV</id>\
         <title>cs.CV updates on arXiv.org</title><updated>2024-04-02T04:00:00Z</updated>\n{entries}</feed>\n"
    )
    .into_bytes()
}

fn api(entries: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>ArXiv Query</title><id>http://arxiv.org/api/made-up</id>\
         <opensearch:totalResults xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">1</opensearch:totalResults>\n\
         {entries}</feed>\n"
    )
    .into_bytes()
}

fn entry(i: usize, extra: &str) -> String {
    format!(
        "<entry><id>http://arxiv.org/abs/2404.{i:05}v1</id><title>Paper {i}</title>\
         <published>2024-04-02T00:00:00Z</published><summary>Text {i}.</summary>\
         <category term=\"cs.CV\"/>{extra}</entry>\n"
    )
}

/// The three XML formats: (file name, input of `entries`, one entry).
type Feed = (&'static str, fn(&str) -> Vec<u8>, fn(usize, &str) -> String);
const FEEDS: [Feed; 3] = [("cs.CV.rss", rss, rss_item), ("twin.atom", twin, entry), ("api.xml", api, entry)];

fn nested(depth: usize) -> String {
    format!("<x>{}{}</x>", "<b>".repeat(depth), "</b>".repeat(depth))
}

/// A digest of `rows` rows of which only the first has details: an import
/// of it imports one paper and skips the rest.
fn digest_without_details(rows: usize) -> Vec<u8> {
    let mut text = String::from("# Digest\n\n| Ref | Title | Summary |\n| --- | --- | --- |\n");
    for i in 1..=rows {
        text.push_str(&format!(
            "| [^{i}] | [Paper {i}](https://arxiv.org/abs/2404.{i:05}) | Summary {i}. |\n"
        ));
    }
    text.push_str("\n[^1]: 论文 1\n\n    Paper 1\n\n    [https://arxiv.org/abs/2404.00001](https://arxiv.org/abs/2404.00001)\n\n    摘要 1\n");
    text.into_bytes()
}

fn jsonl_line(i: usize, summary: &str) -> String {
    format!("{{\"id\": \"2404.{i:05}\", \"title\": \"Paper {i}\", \"categories\": [\"cs.CV\"], \"summary\": \"{summary}\"}}\n")
}

fn hf_item(i: usize, keywords: &str) -> String {
    format!(
        "{{\"title\": \"Paper {i}\", \"publishedAt\": \"2024-04-02T06:00:00.000Z\", \"paper\": {{\"id\": \"2404.{i:05}\", \
         \"title\": \"Paper {i}\", \"summary\": \"Text {i}.\", \"ai_keywords\": [{keywords}]}}}}"
    )
}

fn paper_json(i: usize) -> String {
    format!(
        "{{\"title\": \"Paper {i}\", \"abstract\": \"Text {i}.\", \"translated_title\": \"论文 {i}\", \
         \"link\": \"https://arxiv.org/abs/2404.{i:05}\"}}\n"
    )
}

#[cfg(target_os = "linux")]
#[test]
fn deeply_nested_feed_elements_take_little_memory() {
    for (name, feed, one) in FEEDS {
        let input = feed(&format!("{}{}", one(1, &nested(30_000)), one(2, "")));
        bounded(name, &input, &["--date", "2024-04-02"], ": 2 added");
    }
}

#[test]
fn feed_nesting_costs_linear_work() {
    for (name, feed, one) in FEEDS {
        linear(name, 2_000, &["--date", "2024-04-02"], |depth| feed(&one(1, &nested(depth))));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_feed_over_10_mb_is_read_whole() {
    let text = "word ".repeat(2_200);
    for (name, feed, one) in FEEDS {
        let entries: String = (1..=1_200).map(|i| one(i, &format!("<comment>{text}</comment>"))).collect();
        let input = feed(&entries);
        assert!(input.len() > 12 << 20);
        bounded(name, &input, &["--date", "2024-04-02"], ": 1200 added, 0 updated, 0 unchanged, 0 skipped");
    }
}

#[test]
fn a_long_feed_record_costs_linear_work() {
    for (name, feed, one) in FEEDS {
        linear(name, 500_000, &["--date", "2024-04-02"], |len| {
            feed(&one(1, &format!("<comment>{}</comment>", "w".repeat(len))))
        });
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_feed_record_of_many_elements_takes_little_memory() {
    for (name, feed, one) in FEEDS {
        let input = feed(&format!("{}{}", one(1, &"<y/>".repeat(2_400_000)), one(2, "")));
        bounded(name, &input, &["--date", "2024-04-02"], ": 2 added");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_digest_of_rows_without_details_takes_little_memory() {
    bounded(
        "2024-04-02.md",
        &digest_without_details(40_000),
        &[],
        "digest: 1 added, 0 updated, 0 unchanged, 39999 skipped",
    );
}

#[test]
fn digest_rows_without_details_cost_linear_work() {
    linear("2024-04-02.md", 1_000, &[], digest_without_details);
}

#[cfg(target_os = "linux")]
#[test]
fn jsonl_lines_long_deep_or_many_take_little_memory() {
    let long = "x".repeat(9 << 20);
    let deep =
        format!("{{\"id\": \"2404.00003\", \"title\": {}1{}}}\n", "[".repeat(1 << 20), "]".repeat(1 << 20));
    let too_long = jsonl_line(4, &"y".repeat(11 << 20));
    let input = format!("{}{}{deep}{too_long}", jsonl_line(1, "short"), jsonl_line(2, &long));
    bounded("2024-04-02.jsonl", input.as_bytes(), &[], "jsonl: 2 added, 0 updated, 0 unchanged, 2 skipped");
}

#[test]
fn jsonl_lines_cost_linear_work() {
    linear("2024-04-02.jsonl", 300, &["--dry-run"], |n| {
        (1..=n).map(|i| jsonl_line(i, "Text.")).collect::<String>().into_bytes()
    });
}

#[cfg(target_os = "linux")]
#[test]
fn hf_keyword_lists_and_deep_values_take_little_memory() {
    let many: Vec<String> = (0..800_000).map(|i| format!("\"k{i}\"")).collect();
    let deep = format!("{}1{}", "[".repeat(1 << 20), "]".repeat(1 << 20));
    let input = format!("[{}, {deep}, {}]", hf_item(1, &many.join(",")), hf_item(2, "\"LLM\""));
    bounded("daily.json", input.as_bytes(), &[], "hf: 2 added, 0 updated, 0 unchanged, 1 skipped");
}

#[test]
fn hf_list_items_cost_linear_work() {
    linear("daily.json", 300, &["--dry-run"], |n| {
        let items: Vec<String> = (1..=n).map(|i| hf_item(i, "\"a\", \"b\"")).collect();
        format!("[{}]", items.join(",")).into_bytes()
    });
}

#[cfg(target_os = "linux")]
#[test]
fn paper_json_values_deep_or_many_take_little_memory() {
    let deep = format!("{}1{}\n", "{\"a\":".repeat(1 << 20), "}".repeat(1 << 20));
    let many: String = (1..=20_000).map(paper_json).collect();
    let input = format!("{deep}{many}");
    bounded(
        "2024-04-02.json",
        input.as_bytes(),
        &["--from", "paper-json"],
        "paper-json: 20000 added, 0 updated, 0 unchanged, 1 skipped",
    );
}

#[test]
fn paper_json_values_cost_linear_work() {
    linear("2024-04-02.json", 300, &["--dry-run", "--from", "paper-json"], |n| {
        (1..=n).map(paper_json).collect::<String>().into_bytes()
    });
}

/// The paper files of `site` and the folders beside its content folder
/// whose names start with `.content.`.
#[cfg(target_os = "linux")]
fn papers_and_leftovers(site: &Site) -> (usize, Vec<String>) {
    let papers = walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".md")))
        .count();
    let names = std::fs::read_dir(site.root()).unwrap().map(|e| e.unwrap().file_name());
    (papers, names.map(|n| n.to_string_lossy().into_owned()).filter(|n| n.starts_with(".content.")).collect())
}

/// `--dry-run` and `--strict` write nothing until the end (or ever): the
/// files they would write wait on the disk, so 210 MB of papers pass in
/// the same memory as a normal import, and nothing of the waiting is left.
#[cfg(target_os = "linux")]
#[test]
fn dry_run_and_strict_imports_of_large_papers_take_little_memory() {
    let summary = "w".repeat(1 << 20);
    let input: String = (1..=210).map(|i| jsonl_line(i, &summary)).collect();
    let expected = "jsonl: 210 added, 0 updated, 0 unchanged, 0 skipped";
    let dry = bounded("2024-04-02.jsonl", input.as_bytes(), &["--dry-run"], expected);
    assert_eq!(papers_and_leftovers(&dry), (0, vec![]), "a dry run writes nothing");
    let strict = bounded("2024-04-02.jsonl", input.as_bytes(), &["--strict"], expected);
    assert_eq!(papers_and_leftovers(&strict), (210, vec![]), "--strict writes every paper at the end");
}
