//! Pages in a real browser: runs the Node tests in `tests/browser/` (headless
//! Chromium driven by playwright-core: `quire serve`'s live reload, the
//! default theme's toggles, filter, keys, BibTeX and an axe-core audit; the
//! math font, display math and search opened from disk; a reader's
//! keywords, stars, /starred/ and what is new) against the binary
//! under test. Needs Node.js, npm and Debian's Chromium: skipped without
//! them, required when `CI` is set ([`crate::tools`]).

use std::path::Path;
use std::process::Command;

use crate::tools::{available, npm_install, Tool};

#[test]
fn browser_tests_pass_in_headless_chromium() {
    if !available("the browser tests (tests/browser)", &[Tool::Node, Tool::Npm, Tool::Chromium]) {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    npm_install(&dir);
    let out = Command::new("node")
        .arg("--test")
        .current_dir(&dir)
        .env("QUIRE_BIN", env!("CARGO_BIN_EXE_quire"))
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "the browser tests in tests/browser failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
