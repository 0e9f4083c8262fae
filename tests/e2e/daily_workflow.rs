//! The daily arXiv workflow `quire init --feed` writes, run here as a runner
//! would run its steps: its own `run:` scripts, in a throwaway git
//! repository with a bare one as `origin`, the real `quire`, and saved RSS
//! feeds standing in for `curl`'s download (no network). A first run imports
//! and commits the papers; a second run of the same feeds commits nothing.
//! With the secret `LLM_API_KEY` the run has a model (a local fake API)
//! translate and summarise the papers; without it, it says it skips that.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::llm_server::{Answer, LlmServer};
use crate::support::{fixtures, select, stderr, text, Site};

/// A site from `quire init --feed cs.CV --feed cs.LG` (and `more` options),
/// in a git repository pushed to a bare `origin`, and its daily workflow as data.
fn scaffolded(more: &[&str]) -> (Site, Value) {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    let out = site.quire(&[&["init", "site", "--feed", "cs.CV", "--feed", "cs.LG"], more].concat());
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
/// (`bash -e -o pipefail`), with the job's env and `env` (the step's, as
/// GitHub would fill it in), in the repository; returns its output and
/// what it wrote to `GITHUB_OUTPUT`.
fn run_step(site: &Site, workflow: &Value, name: &str, env: &[(&str, &str)]) -> (Output, String) {
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
        .envs(env.iter().copied())
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
    let (site, workflow) = scaffolded(&[]);
    assert_eq!(workflow["jobs"]["import"]["env"]["FEEDS"], "cs.CV cs.LG");
    assert_eq!(workflow["jobs"]["publish"]["uses"], "./.github/workflows/pages.yml");
    let (imported, _) = run_step(&site, &workflow, "Import", &[]);
    let said = String::from_utf8_lossy(&imported.stdout);
    assert!(said.contains("rss: 2 added") && said.contains("rss-atom: 2 added"), "{said}");
    // Someone pushed meanwhile: the import goes on top of their commit.
    let elsewhere = site.path("elsewhere");
    git(&site.path("."), &["clone", "-q", site.path("origin.git").to_str().unwrap(), "elsewhere"]);
    std::fs::write(elsewhere.join("README.md"), "A digest.\n").unwrap();
    git(&elsewhere, &["add", "README.md"]);
    git(&elsewhere, &["commit", "-q", "-m", "A readme"]);
    git(&elsewhere, &["push", "-q", "origin", "main"]);
    let (_, output) = run_step(&site, &workflow, "Commit", &[]);
    assert!(site.path("site/content/2024-04-02/2404.10003.md").is_file());
    assert!(site.path("site/README.md").is_file(), "the other push is kept");
    let head = String::from_utf8(git(&site.path("site"), &["rev-parse", "HEAD"]).stdout).unwrap();
    assert_eq!(output.trim(), format!("commit={}", head.trim()), "the commit pages.yml publishes");
    assert_eq!(commits(&site.path("origin.git")), 3, "pushed");
    let message = git(&site.path("site"), &["log", "-1", "--format=%s"]).stdout;
    assert!(String::from_utf8_lossy(&message).starts_with("Import from arXiv: cs.CV cs.LG ("));
    // The next morning, the same feeds: nothing new, nothing committed or published.
    run_step(&site, &workflow, "Import", &[]);
    let (again, output) = run_step(&site, &workflow, "Commit", &[]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing to commit"));
    assert_eq!(output, "", "no commit to publish");
    assert_eq!(commits(&site.path("origin.git")), 3);
    assert!(git(&site.path("site"), &["status", "--porcelain"]).stdout.is_empty());
}

#[test]
fn with_a_key_the_daily_workflow_has_a_model_translate_and_summarise_the_papers() {
    let (site, workflow) = scaffolded(&["--language", "zh"]);
    let steps = workflow["jobs"]["import"]["steps"].as_array().unwrap();
    let at = |name: &str| steps.iter().position(|s| s["name"] == name).unwrap();
    assert!(at("Import") < at("Enrich") && at("Enrich") < at("Commit"));
    let enrich = &steps[at("Enrich")];
    assert_eq!(enrich["env"]["LLM_API_KEY"], "${{ secrets.LLM_API_KEY }}");
    assert_eq!(enrich["continue-on-error"], true, "a failure keeps the import");
    run_step(&site, &workflow, "Import", &[]);

    // No secret: the step says so and changes nothing.
    let unset = [("LLM_API_KEY", ""), ("LLM_BASE_URL", ""), ("LLM_MODEL", "")];
    let (skipped, _) = run_step(&site, &workflow, "Enrich", &unset);
    assert!(String::from_utf8_lossy(&skipped.stdout)
        .contains("No LLM_API_KEY secret in this repository: quire enrich skipped"));
    let paper = site.path("site/content/2024-04-02/2404.10003.md");
    assert!(!std::fs::read_to_string(&paper).unwrap().contains("summary:"));

    // The secret, and the API and model as repository variables.
    let server = LlmServer::start(Answer::Good, &[]);
    let base_url = server.base_url();
    let set = [("LLM_API_KEY", "sk-daily"), ("LLM_BASE_URL", base_url.as_str()), ("LLM_MODEL", "fake-model")];
    let (enriched, _) = run_step(&site, &workflow, "Enrich", &set);
    let said = String::from_utf8_lossy(&enriched.stdout);
    assert!(
        said.contains("Enriched content/ with fake-model (zh): ")
            && said.contains(" 0 skipped, 0 failed, 0 left;"),
        "{said}"
    );
    run_step(&site, &workflow, "Commit", &[]);
    let committed = git(&site.path("site"), &["show", "--stat", "--format=", "HEAD"]).stdout;
    assert!(String::from_utf8_lossy(&committed).contains("content/2024-04-02/2404.10003.md"));

    let built = Site { dir: tempfile::tempdir().unwrap() };
    let out = site.quire(&["build", "-r", "site", "-o", built.path("public").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut papers = 0;
    for digest in std::fs::read_dir(built.path("public/digest")).unwrap() {
        let key = digest.unwrap().file_name().into_string().unwrap();
        if key == "2017-06-12" {
            continue; // `quire init`'s example paper, written by a person: kept as it is.
        }
        let page = built.page(&format!("digest/{key}/index.html"));
        for row in select(&page, ".summary-table tbody tr") {
            let translated = text(&crate::support::select_in(&row, "td.title .lang-tr")[0]);
            let summary = text(&crate::support::select_in(&row, "td.summary")[0]);
            assert!(translated.starts_with("译："), "{key}: {translated}");
            assert!(summary.ends_with("的一句话总结。"), "{key}: {summary}");
            papers += 1;
        }
        let bodies: Vec<String> = select(&page, "article.paper .body").iter().map(text).collect();
        assert!(bodies.iter().all(|b| b.contains("的摘要译文。")), "{key}: {bodies:?}");
    }
    assert_eq!(papers, 4, "the papers of the feeds");
}
