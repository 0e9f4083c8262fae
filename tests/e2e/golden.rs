//! Golden pages: the fixture site `tests/fixtures/golden/` built with the
//! real binary, and its digest page and one paper page compared byte for
//! byte with the files in `tests/fixtures/golden/expected/`. They pin the
//! structure of a digest (summary table, details, anchors and back links,
//! `[[id]]` references, footnotes, math, a paper listed on two days, links
//! under a path prefix): any change to it shows as a diff to read.
//!
//! After a change meant to alter these pages, write them again, then read
//! the diff (`git diff tests/fixtures/golden/expected/`):
//!
//! ```sh
//! QUIRE_BLESS=1 cargo test --test e2e golden
//! ```

use std::path::PathBuf;

use crate::support::Site;

/// Builds the golden site and compares its page at output path `page`
/// with `expected/<name>`, or writes it there with `QUIRE_BLESS=1`.
fn compare(page: &str, name: &str) {
    let site = Site::from_fixture("golden");
    site.build(&[]);
    let built = std::fs::read(site.path("public").join(page)).unwrap();
    let expected =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden/expected").join(name);
    if std::env::var_os("QUIRE_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
        std::fs::write(&expected, &built).unwrap();
        return;
    }
    let want = std::fs::read(&expected).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; write it with QUIRE_BLESS=1 cargo test --test e2e golden",
            expected.display()
        )
    });
    if built != want {
        let (built, want) = (String::from_utf8_lossy(&built), String::from_utf8_lossy(&want));
        let line = built.lines().zip(want.lines()).position(|(b, w)| b != w).unwrap_or(0);
        panic!(
            "{page} differs from {} from line {}:\n  built:    {}\n  expected: {}\n\
             If the change is meant, run `QUIRE_BLESS=1 cargo test --test e2e golden` and read the diff.",
            expected.display(),
            line + 1,
            built.lines().nth(line).unwrap_or("(end of file)"),
            want.lines().nth(line).unwrap_or("(end of file)"),
        );
    }
}

#[test]
fn golden_digest_page_keeps_its_structure() {
    compare("digest/2024-04-02/index.html", "digest-2024-04-02.html");
}

#[test]
fn golden_paper_page_keeps_its_structure() {
    compare("paper/2404.00001/index.html", "paper-2404.00001.html");
}
