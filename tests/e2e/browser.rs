//! Pages in a real browser: runs the Node tests in `tests/browser/` (headless
//! Chromium driven by playwright-core: `quire serve`'s live reload, the
//! default theme's toggles, filter, keys, BibTeX and an axe-core audit; the
//! math font, display math and search opened from disk)
//! against the binary under test. Needs Node.js and Debian's Chromium; fails,
//! never skips, when they are missing.

use std::path::Path;
use std::process::{Command, Output};

/// The browser the Node tests launch (Debian's `chromium` package).
const CHROMIUM: &str = "/usr/bin/chromium";

#[test]
fn browser_tests_pass_in_headless_chromium() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        Path::new(CHROMIUM).is_file(),
        "the browser test needs Chromium at {CHROMIUM}: install it with \
         `apt-get install chromium` (as root; .ci/run does this)"
    );
    let node = run(Command::new("node").arg("--version"), "node", "nodejs");
    let version = String::from_utf8_lossy(&node.stdout);
    let major: u32 =
        version.trim().trim_start_matches('v').split('.').next().unwrap_or("").parse().unwrap_or(0);
    assert!(major >= 18, "the browser test needs Node.js 18 or newer, found {version}");
    let missing = missing_packages(&dir);
    if !missing.is_empty() {
        eprintln!("tests/browser: installing {} with `npm ci`", missing.join(", "));
        let install =
            run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir), "npm", "npm");
        assert!(install.status.success(), "`npm ci` in tests/browser failed:\n{}", both(&install));
    }
    let out = run(
        Command::new("node").arg("--test").current_dir(&dir).env("QUIRE_BIN", env!("CARGO_BIN_EXE_quire")),
        "node",
        "nodejs",
    );
    assert!(out.status.success(), "the browser tests in tests/browser failed:\n{}", both(&out));
}

/// The devDependencies of `package.json` that `node_modules/` lacks.
fn missing_packages(dir: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(dir.join("package.json")).expect("tests/browser/package.json");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("package.json is JSON");
    let wanted = manifest["devDependencies"].as_object().expect("package.json has devDependencies");
    wanted
        .keys()
        .filter(|name| !dir.join("node_modules").join(name).join("package.json").is_file())
        .cloned()
        .collect()
}

/// Runs a command that must exist; says which Debian package gives it if not.
fn run(command: &mut Command, program: &str, package: &str) -> Output {
    command.output().unwrap_or_else(|e| {
        panic!("the browser test needs `{program}` ({e}): install it with `apt-get install {package}`")
    })
}

fn both(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}
