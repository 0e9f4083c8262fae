//! What a new user is told, as the first hour meets it: a tab, a month
//! that does not exist, Zola's TOML front matter, a command run outside a
//! site, a feed that is no arXiv category, and drafts a build left out.

use crate::support::{stderr, Site};

/// Builds a site with `paper` as its one paper file; the build must fail.
fn build_of(paper: &str) -> String {
    let site = Site::new();
    site.write("content/x.md", paper);
    site.build_fails(&[])
}

#[test]
fn a_tab_is_shown_on_its_own_line_with_the_fix() {
    let error = build_of("---\ntitle: X\n\tdate: 2024-04-02\n---\n");
    assert!(error.contains("error: a tab indents this line; YAML indents with spaces only"), "{error}");
    assert!(error.contains("content/x.md:3:1"), "{error}");
    // The tab is drawn as spaces, with the caret under it.
    assert!(error.contains("3 |     date: 2024-04-02\n  | ^^^^\n"), "the tab's own line:\n{error}");
    assert!(error.contains("help: replace the tab with spaces"), "{error}");
}

#[test]
fn a_date_with_no_such_month_says_so() {
    let error = build_of("---\ntitle: X\ndate: 2024-13-45\n---\n");
    assert!(error.contains("`2024-13-45` is not a date: there is no month 13"), "{error}");
    let error = build_of("---\ntitle: X\ndate: 2024-04-31\n---\n");
    assert!(error.contains("`2024-04-31` is not a date: April 2024 has 30 days, not 31"), "{error}");
    let site = Site::new();
    let out = site.quire(&["new", "x", "--date", "2024-02-30"]);
    assert!(stderr(&out).contains("February 2024 has 29 days, not 30"), "{}", stderr(&out));
}

#[test]
fn toml_front_matter_is_told_to_be_yaml() {
    let error = build_of("+++\ntitle = \"X\"\ndate = 2024-04-02\n+++\nBody.\n");
    assert!(error.contains("content/x.md:1:1"), "{error}");
    assert!(error.contains("TOML front matter (`+++`): quire reads YAML front matter"), "{error}");
    assert!(error.contains("`title = \"X\"` -> `title: \"X\"`"), "{error}");
}

#[test]
fn commands_outside_a_site_say_how_to_get_to_one() {
    let nowhere = Site { dir: tempfile::tempdir().unwrap() };
    for command in [&["build"][..], &["check"], &["enrich", "--dry-run"], &["new", "x"]] {
        let out = nowhere.quire(command);
        assert!(!out.status.success(), "{command:?}");
        let error = stderr(&out);
        assert!(
            error.contains("no site.toml in .: run quire in a site's folder, or pass --root DIR, or start a site with `quire init`"),
            "{command:?}: {error}"
        );
    }
}

#[test]
fn a_feed_that_is_no_arxiv_category_is_refused_with_the_closest() {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    let out = site.quire(&["init", "s", "--feed", "cs.CVV"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--feed cs.CVV: not an arXiv category; did you mean --feed cs.CV?"),
        "{}",
        stderr(&out)
    );
    assert!(!site.path("s").exists(), "nothing is written");
}

#[test]
fn a_build_says_how_many_drafts_it_left_out() {
    let site = Site::new();
    site.paper("content/2024-04-02/a.md", "a", "2024-04-02");
    for id in ["b", "c", "d"] {
        site.write(
            &format!("content/2024-04-02/{id}.md"),
            format!("---\ntitle: {id}\ndate: 2024-04-02\ndraft: true\n---\n"),
        );
    }
    let said = String::from_utf8(site.build(&[]).stdout).unwrap();
    assert!(said.starts_with("Built 1 paper in 1 digest: "), "{said}");
    assert!(said.trim_end().ends_with(" ms. 3 drafts left out; --drafts builds them."), "{said}");
    let said = String::from_utf8(site.build(&["--drafts"]).stdout).unwrap();
    assert!(said.starts_with("Built 4 papers") && !said.contains("draft"), "{said}");
}
