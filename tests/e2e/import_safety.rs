//! `quire import` under fire: killed at any moment, on a full disk, run
//! twice at once, pointed at a record that is a link or at a folder that
//! is never built. Whatever happens, `content/` loads, nothing is left
//! half-written, the next import finishes the job, and every failure names
//! the file and the reason.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{stderr, Site};

/// `n` papers in daily-arXiv-ai-enhanced's JSONL, titled `{title} {i}`.
fn papers(n: usize, title: &str) -> String {
    (1..=n)
        .map(|i| {
            format!(
                "{{\"id\": \"2404.{i:05}\", \"title\": \"{title} {i}\", \"categories\": [\"cs.CV\"], \
                 \"summary\": \"{}\"}}\n",
                "Made-up text. ".repeat(20)
            )
        })
        .collect()
}

/// Starts `quire import in/2024-04-02.jsonl` in the site.
fn start_import(site: &Site) -> Child {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["import", "in/2024-04-02.jsonl"])
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The paper files under `content/`.
fn paper_files(site: &Site) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}

/// Waits until `content/` holds `files` paper files (the import still running).
fn wait_for_files(site: &Site, child: &mut Child, files: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while paper_files(site).len() < files {
        assert!(child.try_wait().unwrap().is_none(), "the import ended before {files} files were written");
        assert!(Instant::now() < deadline, "the import wrote fewer than {files} files in 120 s");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Lines of the import record.
fn record_lines(site: &Site) -> usize {
    std::fs::read_to_string(site.path("content/.quire-import.jsonl")).map_or(0, |t| t.lines().count())
}

/// Hidden files an import leaves behind by mistake: temporary files, the journal.
fn leftovers(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".quire-") && n != ".quire-import.jsonl")
        .collect()
}

fn import_ok(site: &Site, args: &[&str]) -> String {
    let out = site.quire(&[&["import"], args].concat());
    assert!(out.status.success(), "import failed:\n{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[cfg(unix)]
#[test]
fn an_import_killed_at_any_moment_leaves_content_that_loads_and_the_next_finishes_it() {
    for kill_after in [1, 400, 1_500] {
        let site = Site::new();
        site.write("in/2024-04-02.jsonl", papers(2_000, "Paper"));
        let mut child = start_import(&site);
        wait_for_files(&site, &mut child, kill_after);
        child.kill().unwrap();
        child.wait().unwrap();
        let written = paper_files(&site);
        assert!(written.len() < 2_000, "killed after {kill_after}: the import had finished");
        for file in &written {
            assert!(std::fs::metadata(file).unwrap().len() > 0, "{} is empty", file.display());
        }
        site.build(&[]);
        let out = import_ok(&site, &["in/2024-04-02.jsonl"]);
        assert!(out.contains(&format!("{} added", 2_000 - written.len())), "{out}");
        assert_eq!((paper_files(&site).len(), record_lines(&site)), (2_000, 2_000));
        assert_eq!(leftovers(site.root()), Vec::<String>::new());
        // The record knew every paper the killed import wrote: a retitle is the producer's.
        site.write("in/2024-04-02.jsonl", papers(2_000, "Retitled"));
        let out = import_ok(&site, &["in/2024-04-02.jsonl"]);
        assert!(out.contains("0 added, 2000 updated"), "killed after {kill_after}: {out}");
    }
}

#[cfg(unix)]
#[test]
fn a_second_import_while_one_runs_fails_at_once_and_harms_neither() {
    let site = Site::new();
    site.write("in/2024-04-02.jsonl", papers(1_500, "Paper"));
    site.write("in/other/2024-04-03.jsonl", papers(1_500, "Other").replace("2404.", "2405."));
    let mut first = start_import(&site);
    wait_for_files(&site, &mut first, 20);
    let before = files_now(&site.path("content"));
    let out = site.quire(&["import", "in/other/2024-04-03.jsonl"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "the second import ran");
    assert!(err.contains("error: another quire import is writing content now"), "{err}");
    let after = files_now(&site.path("content"));
    assert!(after.iter().all(|k| !k.starts_with("2024-04-03")), "it wrote nothing");
    assert!(before.len() <= after.len());
    assert!(first.wait().unwrap().success(), "the first import went on");
    import_ok(&site, &["in/other/2024-04-03.jsonl"]);
    assert_eq!((paper_files(&site).len(), record_lines(&site)), (3_000, 3_000), "no record line lost");
    assert_eq!(leftovers(site.root()), Vec::<String>::new(), "the lock is gone with the import");
}

/// The files under `dir` while an import writes there: a temporary file
/// renamed between the listing and its reading is not there to read.
fn files_now(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let entries = walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok);
    let files = entries.filter(|e| e.file_type().is_file());
    files.filter_map(|e| e.path().strip_prefix(dir).ok().map(std::path::Path::to_path_buf)).collect()
}

#[cfg(unix)]
#[test]
fn an_import_record_that_is_a_link_is_refused_and_never_read() {
    let site = Site::new();
    site.write("in/2024-04-02.jsonl", papers(3, "Paper"));
    site.write("elsewhere.jsonl", "{\"id\": \"2404.00001\"}\n");
    for target in ["/dev/zero", "elsewhere.jsonl"] {
        let link = site.path("content/.quire-import.jsonl");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(site.path(target), &link).unwrap();
        let out = site.quire(&["import", "in/2024-04-02.jsonl"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{target}: imported through a link");
        assert!(err.contains(".quire-import.jsonl is a symbolic link"), "{err}");
        assert!(paper_files(&site).is_empty(), "nothing is written");
    }
    assert_eq!(std::fs::read_to_string(site.path("elsewhere.jsonl")).unwrap(), "{\"id\": \"2404.00001\"}\n");
}

#[test]
fn papers_go_only_into_the_sites_content_folder() {
    let site = Site::new();
    site.write("in/2024-04-02.jsonl", papers(3, "Paper"));
    for into in ["static", "public", ".", "content/../static", "drafts"] {
        let out = site.quire(&["import", "--into", into, "in/2024-04-02.jsonl"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "--into {into} was taken");
        assert!(
            err.contains(&format!("--into {into} is in the site at")) && err.contains("not in its content/"),
            "{err}"
        );
    }
    assert!(paper_files(&site).is_empty() && !site.path("static").exists());
    let out = import_ok(&site, &["--into", "content/arxiv", "in/2024-04-02.jsonl"]);
    assert!(out.contains("3 added"), "{out}");
}

#[test]
fn a_file_that_does_not_load_stops_the_next_import_naming_it() {
    let site = Site::new();
    site.write("in/2024-04-02.jsonl", papers(3, "Paper"));
    import_ok(&site, &["in/2024-04-02.jsonl"]);
    // What an older quire killed mid-write left, and a mistake by hand.
    site.write("content/2024-04-02/2404.00002.md", "");
    site.write("content/mine.md", "---\ntitel: x\n---\n");
    site.write("in/2024-04-02.jsonl", papers(3, "Retitled"));
    let out = site.quire(&["import", "in/2024-04-02.jsonl"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "the import went on");
    assert!(err.contains("content/2024-04-02/2404.00002.md:1:1") && err.contains("no front matter"), "{err}");
    assert!(err.contains("content/mine.md:2:1") && err.contains("unknown field `titel`"), "{err}");
    let first = std::fs::read_to_string(site.path("content/2024-04-02/2404.00001.md")).unwrap();
    assert!(first.contains("Paper 1") && !first.contains("Retitled"), "nothing was written");
}

#[test]
fn terms_that_would_share_a_page_are_written_as_one_and_the_build_takes_them() {
    let site = Site::new();
    let item = |id: &str, keywords: &str| {
        format!(
            "{{\"paper\": {{\"id\": \"{id}\", \"title\": \"T {id}\", \"summary\": \"S.\", \"ai_keywords\": [{keywords}]}}, \
             \"publishedAt\": \"2024-04-02T06:00:00.000Z\"}}"
        )
    };
    let long = "c".repeat(250);
    site.write(
        "in/daily.json",
        format!(
            "[{}, {}, {}]",
            item("2404.00001", "\"LLM\""),
            item("2404.00002", "\"llm\", \"Large-Language Models\", \"large language models\""),
            item("2404.00003", &format!("\"{long}\", \"!!\", \"NUL\""))
        ),
    );
    let out = site.quire(&["import", "in/daily.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning: terms left out (the build would refuse them):"), "{err}");
    assert!(err.contains("in/daily.json:1: paper 2404.00003: tag `cccc"), "{err}");
    assert!(
        err.contains("tag `!!` has no letters or digits")
            && err.contains("tag `NUL` is a name Windows keeps"),
        "{err}"
    );
    site.build(&[]);
    let second = std::fs::read_to_string(site.path("content/2024-04-02/2404.00002.md")).unwrap();
    assert!(second.contains("tags: [\"LLM\", \"Large-Language Models\"]"), "{second}");
}

/// A tmpfs of `size` mounted at `dir` (root only), unmounted when dropped.
#[cfg(target_os = "linux")]
struct Tmpfs(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Tmpfs {
    /// `None` (said loudly) where this machine does not allow it; with CI
    /// set it must.
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output();
        match out {
            Ok(out) if out.status.success() => Some(Tmpfs(dir.to_path_buf())),
            other => {
                let why = match other {
                    Ok(out) => stderr(&out),
                    Err(e) => e.to_string(),
                };
                let line =
                    format!("the full-disk import test needs a small tmpfs (mount as root): {}", why.trim());
                assert!(
                    std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false" || v == "0"),
                    "{line}"
                );
                eprintln!("\nSKIPPED {line}\n");
                None
            }
        }
    }

    fn resize(&self, size: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn on_a_full_disk_the_import_stops_naming_the_file_and_the_next_finishes_the_job() {
    let site = Site::new();
    let disk = site.path("disk");
    std::fs::create_dir(&disk).unwrap();
    let Some(tmpfs) = Tmpfs::mount(&disk, "2m") else { return };
    let small = Site { dir: tempfile::tempdir_in(&disk).unwrap() };
    small.write("site.toml", crate::support::SITE_TOML);
    site.write("in/2024-04-02.jsonl", papers(3_000, "Paper"));
    let input = site.path("in/2024-04-02.jsonl");
    let input = input.to_str().unwrap();
    let out = small.quire(&["import", input]);
    let err = stderr(&out);
    assert!(!out.status.success(), "the import said it succeeded on a full disk");
    assert!(err.contains("error: cannot write content/") && err.contains("No space left on device"), "{err}");
    let written = paper_files(&small);
    assert!(!written.is_empty() && written.len() < 3_000, "{} files", written.len());
    for file in &written {
        assert!(std::fs::metadata(file).unwrap().len() > 0, "{} is empty", file.display());
    }
    let temporary: Vec<String> =
        leftovers(small.root()).into_iter().filter(|n| n.ends_with(".quire-tmp")).collect();
    assert_eq!(temporary, Vec::<String>::new(), "no temporary file is left");
    let public = tempfile::tempdir().unwrap();
    small.build(&["-o", public.path().join("public").to_str().unwrap()]);
    tmpfs.resize("64m");
    let out = import_ok(&small, &[input]);
    assert!(out.contains(&format!("{} added", 3_000 - written.len())), "{out}");
    assert_eq!((paper_files(&small).len(), record_lines(&small)), (3_000, 3_000));
    drop(small);
}
