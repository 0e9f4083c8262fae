//! `quire check`: every internal link and fragment, with and without a
//! base path prefix, reported with the page it is on.

use crate::support::{stderr, Site};

#[test]
fn a_broken_link_is_reported_with_its_page() {
    let site = Site::new();
    site.paper("content/2024-04-02/a.md", "a", "2024-04-02");
    site.write(
        "content/2024-04-02/b.md",
        "---\nid: b\ntitle: B\n---\nSee [a](/paper/a/), [gone](/paper/gone/) and [bad](/paper/a/#nowhere).\n",
    );
    let out = site.quire(&["check"]);
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("broken link on /paper/b/: /paper/gone/ (no such page)"), "{report}");
    assert!(
        report.contains("/digest/2024-04-02/: /paper/a/#nowhere (no element with id `nowhere` there)"),
        "{report}"
    );
    assert!(!report.contains(": /paper/a/ ("), "{report}");
    assert!(stderr(&out).contains("broken"), "{}", stderr(&out));
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn a_template_link_that_ignores_the_base_path_is_caught_even_at_the_root() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.write("templates/404.html", "<a href=\"/archive/\">archive</a>");
    let out = site.quire(&["check"]);
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("/archive/ (outside the site's base path"), "{report}");
}

#[test]
fn the_example_site_passes() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["check", "--root", env!("CARGO_MANIFEST_DIR")])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}{}", stderr(&out));
    assert!(report.contains(": 0 broken."), "{report}");
}
