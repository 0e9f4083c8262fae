//! The daily arXiv workflow `quire init --feed` writes, run here as a runner
//! would run its steps: its own `run:` scripts, in a throwaway git
//! repository with a bare one as `origin`, the real `quire`, and saved RSS
//! feeds standing in for `curl`'s download (no network). A first run imports
//! and commits the papers; a second run of the same feeds commits nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{fixtures, stderr, Site};

/// A site from `quire init --feed cs.CV --feed cs.LG`, in a git repository
/// pushed to a bare `origin`, and its daily workflow as data.
fn scaffolded() -> (Site, Value) {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    let out = site.quire(&["init", "site", "--feed", "cs.CV", "--feed", "cs.LG"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = std::fs::read_to_string(site.path("site/.github/workflows/daily.yml")).unwrap();
    let workflow = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    git(&site.path("."), &["init", "-q", "--bare", "-b", "main", "origin.git"]);
    let repo = site.path("site");
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "A new digest"]);
    git(&repo, &["remote", "add", "origin", site.path("origin.git").to_str().unwrap()]);
    git(&repo, &["push", "-q", "-u", "origin", "main"]);
    (site, workflow)
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .args(["-c", "user.name=quire", "-c", "user.email=quire@example.org"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    out
}

/// A `curl` that answers `https://rss.arxiv.org/rss/<category>` with the
/// saved feed of that category, in a folder to put first on the PATH.
fn fake_curl(site: &Site) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let feeds = fixtures().join("import/mixed/rss");
    let bin = site.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        "#!/bin/sh\nfor url; do :; done\ncategory=${{url##*/rss/}}\n\
         cat \"{dir}/$category.xml\" 2>/dev/null || cat \"{dir}/$category.atom\"\n",
        dir = feeds.display()
    );
    std::fs::write(bin.join("curl"), script).unwrap();
    std::fs::set_permissions(bin.join("curl"), std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// Runs the `run:` script of the import job's step `name` as GitHub does
/// (`bash -e -o pipefail`), with the job's env, in the repository; returns
/// its output and what it wrote to `GITHUB_OUTPUT`.
fn run_step(site: &Site, workflow: &Value, name: &str) -> (Output, String) {
    let job = &workflow["jobs"]["import"];
    let step = job["steps"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap();
    let script = site.path("step.sh");
    std::fs::write(&script, step["run"].as_str().unwrap()).unwrap();
    let outputs = site.path("github_output");
    std::fs::write(&outputs, "").unwrap();
    let quire = Path::new(env!("CARGO_BIN_EXE_quire")).parent().unwrap();
    let path = std::env::join_paths(
        [fake_curl(site), quire.to_path_buf()]
            .into_iter()
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-e", "-o", "pipefail"])
        .arg(&script)
        .current_dir(site.path("site"))
        .env("PATH", path)
        .env("FEEDS", job["env"]["FEEDS"].as_str().unwrap())
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_REF_NAME", "main")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(out.status.success(), "step {name}:\n{said}");
    (out, std::fs::read_to_string(&outputs).unwrap())
}

fn commits(dir: &Path) -> usize {
    String::from_utf8(git(dir, &["rev-list", "--count", "main"]).stdout).unwrap().trim().parse().unwrap()
}

#[test]
fn the_daily_workflow_imports_the_feeds_commits_them_and_then_nothing() {
    let (site, workflow) = scaffolded();
    assert_eq!(workflow["jobs"]["import"]["env"]["FEEDS"], "cs.CV cs.LG");
    assert_eq!(workflow["jobs"]["publish"]["uses"], "./.github/workflows/pages.yml");
    let (imported, _) = run_step(&site, &workflow, "Import");
    let said = String::from_utf8_lossy(&imported.stdout);
    assert!(said.contains("rss: 2 added") && said.contains("rss-atom: 2 added"), "{said}");
    // Someone pushed meanwhile: the import goes on top of their commit.
    let elsewhere = site.path("elsewhere");
    git(&site.path("."), &["clone", "-q", site.path("origin.git").to_str().unwrap(), "elsewhere"]);
    std::fs::write(elsewhere.join("README.md"), "A digest.\n").unwrap();
    git(&elsewhere, &["add", "README.md"]);
    git(&elsewhere, &["commit", "-q", "-m", "A readme"]);
    git(&elsewhere, &["push", "-q", "origin", "main"]);
    let (_, output) = run_step(&site, &workflow, "Commit");
    assert!(site.path("site/content/2024-04-02/2404.10003.md").is_file());
    assert!(site.path("site/README.md").is_file(), "the other push is kept");
    let head = String::from_utf8(git(&site.path("site"), &["rev-parse", "HEAD"]).stdout).unwrap();
    assert_eq!(output.trim(), format!("commit={}", head.trim()), "the commit pages.yml publishes");
    assert_eq!(commits(&site.path("origin.git")), 3, "pushed");
    let message = git(&site.path("site"), &["log", "-1", "--format=%s"]).stdout;
    assert!(String::from_utf8_lossy(&message).starts_with("Import from arXiv: cs.CV cs.LG ("));
    // The next morning, the same feeds: nothing new, nothing committed or published.
    run_step(&site, &workflow, "Import");
    let (again, output) = run_step(&site, &workflow, "Commit");
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing to commit"));
    assert_eq!(output, "", "no commit to publish");
    assert_eq!(commits(&site.path("origin.git")), 3);
    assert!(git(&site.path("site"), &["status", "--porcelain"]).stdout.is_empty());
}
