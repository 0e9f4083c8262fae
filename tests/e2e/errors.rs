//! Bad input: every problem is reported with file, line and a fix, the
//! exit code is non-zero, and the previous output stays byte-for-byte.

use crate::support::Site;

/// Builds a good site, then adds `bad` files and checks the failed build's
/// error mentions each of `expected`, with the old output untouched.
fn fails_cleanly(bad: &[(&str, &[u8])], expected: &[&str]) -> String {
    let site = Site::new();
    site.paper("content/2024-04-02/good.md", "good", "2024-04-02");
    site.build(&[]);
    let before = site.output();
    for (path, contents) in bad {
        site.write(path, contents);
    }
    let err = site.build_fails(&[]);
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(site.output(), before, "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("quire"))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left: {leftovers:?}");
    err
}

#[test]
fn missing_title_names_the_file_and_line() {
    fails_cleanly(
        &[("content/x.md", b"---\nid: x\ndate: 2024-04-02\n---\n")],
        &["content/x.md:1:1", "missing required field `title`", "add `title: ...`"],
    );
}

#[test]
fn missing_date_outside_a_date_folder() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitle: X\n---\n")],
        &["content/x.md:1", "missing required field `date`", "YYYY-MM-DD"],
    );
}

#[test]
fn wrong_type_names_the_line_and_column() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitle: X\ndate: 2024-04-02\nauthors: [a, b]\norder: first\n---\n")],
        &["content/x.md:5:8", "order"],
    );
}

#[test]
fn malformed_date() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitle: X\ndate: 2024-13-45\n---\n")],
        &["content/x.md:3:7", "`2024-13-45` is not a date", "YYYY-MM-DD"],
    );
}

#[test]
fn unknown_field_suggests_the_closest() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitel: X\ndate: 2024-04-02\n---\n")],
        &["content/x.md:2:1", "unknown field `titel`", "did you mean `title`?"],
    );
}

#[test]
fn duplicate_ids_name_both_files() {
    fails_cleanly(
        &[("content/2024-04-03/copy.md", b"---\nid: good\ntitle: X\n---\n")],
        &["duplicate id `good`", "content/2024-04-02/good.md", "content/2024-04-03/copy.md:2"],
    );
}

#[test]
fn three_files_with_one_id_are_named_in_path_order() {
    let err = fails_cleanly(
        &[
            ("content/2024-04-04/b.md", b"---\nid: good\ntitle: Y\n---\n"),
            ("content/2024-04-03/a.md", b"---\nid: good\ntitle: X\n---\n"),
        ],
        &[
            "content/2024-04-03/a.md:2",
            "content/2024-04-04/b.md:2",
            "duplicate id `good`: also in content/2024-04-02/good.md",
            "duplicate id `good`: also in content/2024-04-03/a.md",
        ],
    );
    // Each later file is named with the one before it, whatever order the
    // files were read in.
    assert!(!err.contains("also in content/2024-04-04/b.md"), "{err}");
    assert_eq!(err.matches("also in content/2024-04-02/good.md").count(), 1, "{err}");
}

#[test]
fn ids_sharing_a_slug_name_both_files() {
    fails_cleanly(
        &[
            ("content/2024-04-03/a.md", b"---\nid: cs/0112017\ntitle: X\n---\n"),
            ("content/2024-04-03/b.md", b"---\nid: cs-0112017\ntitle: Y\n---\n"),
        ],
        &["content/2024-04-03/a.md", "content/2024-04-03/b.md", "/paper/cs-0112017/"],
    );
}

#[test]
fn unterminated_front_matter() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitle: X\ndate: 2024-04-02\n\nBody without a closing line.\n")],
        &["content/x.md:1:1", "never ends", "add a line `---`"],
    );
}

#[test]
fn non_utf8_file_names_the_line() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitle: caf\xe9\ndate: 2024-04-02\n---\n")],
        &["content/x.md:2:11", "not UTF-8", "save the file as UTF-8"],
    );
}

#[test]
fn yaml_syntax_errors_are_placed_in_the_file() {
    fails_cleanly(&[("content/x.md", b"---\ndate: 2024-04-02\ntitle: 'open\n---\n")], &["content/x.md:3"]);
}

#[test]
fn a_quote_left_open_is_reported_where_it_opens() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitle: \"Attention\ndate: 2024-04-02\nsummary: \"Short.\"\n---\n")],
        &["content/x.md:2:8", "this quote is not closed on its line", "ran on to line 4"],
    );
}

#[test]
fn an_empty_title_points_at_the_title() {
    fails_cleanly(
        &[("content/x.md", b"---\ndate: 2024-04-02\ntitle: \"\"\n---\n")],
        &["content/x.md:3:8", "`title` is empty"],
    );
}

#[test]
fn tex_in_double_quotes_gets_the_fix() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitle: X\ndate: 2024-04-02\nsummary: \"$x \\in \\mathbb{R}$\"\n---\n")],
        &["content/x.md:4:10", "unknown escape", "single quotes", "double each backslash"],
    );
}

#[test]
fn a_list_written_as_text_gets_its_brackets() {
    fails_cleanly(
        &[("content/x.md", b"---\ntitle: X\ndate: 2024-04-02\nauthors: Ada Lovelace\n---\n")],
        &["content/x.md:4:10", "expected a list", "`authors: [Ada Lovelace]`"],
    );
}

#[test]
fn every_problem_of_a_run_is_reported_together() {
    let err = fails_cleanly(
        &[
            ("content/a.md", b"---\ntitel: X\ndate: 2024-04-02\n---\n"),
            ("content/b.md", b"---\ntitle: X\ndate: nope\n---\n"),
            ("content/c.md", b"no front matter\n"),
        ],
        &["content/a.md:2:1", "content/b.md:3:7", "content/c.md:1:1", "3 problems"],
    );
    assert!(err.contains("nothing was written"), "{err}");
}

#[test]
fn bad_site_toml_names_its_line_and_suggests() {
    let site = Site::new();
    site.write("site.toml", "title = \"T\"\nbase_url = \"/\"\nlanguag = \"zh\"\n");
    let err = site.build_fails(&[]);
    assert!(err.contains("site.toml:3:1") && err.contains("did you mean `language`?"), "{err}");
}

#[test]
fn a_template_error_names_template_line_and_page() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.build(&[]);
    let before = site.output();
    site.write("templates/paper.html", "<h1>{{ paper.title }}</h1>\n<p>{{ paper.titel }}</p>\n");
    let err = site.build_fails(&[]);
    assert!(err.contains("templates/paper.html:2"), "{err}");
    assert!(err.contains("/paper/a/"), "{err}");
    assert_eq!(site.output(), before);
}

#[test]
fn refuses_to_write_over_the_site_itself() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    let err = site.build_fails(&["--output-dir", "."]);
    assert!(err.contains("refusing"), "{err}");
    assert!(site.path("content/a.md").is_file() && site.path("site.toml").is_file());
    std::fs::create_dir_all(site.path("other/content")).unwrap();
    let err = site.build_fails(&["--output-dir", "other"]);
    assert!(err.contains("content/"), "{err}");
    assert!(site.path("other/content").is_dir());
}

#[test]
fn a_listing_on_the_papers_own_date_names_its_line() {
    fails_cleanly(
        &[(
            "content/x.md",
            b"---\ntitle: X\ndate: 2024-04-02\nlisted:\n  - date: 2024-04-09\n  - date: 2024-04-02\n---\n",
        )],
        &["content/x.md:6:11", "the paper's `date` is already 2024-04-02"],
    );
}

#[test]
fn a_paper_with_listings_builds() {
    let site = Site::new();
    site.write(
        "content/x.md",
        "---\ntitle: X\ndate: 2024-04-02\nlisted:\n  - date: 2024-04-09\n    order: 3\n    announce_type: replace\n---\n",
    );
    site.build(&[]);
    assert!(site.path("public/paper/x/index.html").is_file());
}

#[test]
fn import_of_a_digest_that_is_not_utf8_names_the_line_of_the_first_bad_byte() {
    let site = Site::new();
    site.write("digest.md", b"| Ref | Title | Summary |\n|---|---|---|\n| [^1] | [caf\xe9](https://arxiv.org/abs/2404.01300) | s |\n");
    // A file that cannot be read is skipped and named; --strict makes it an error.
    let out = site.quire(&["import", "digest.md", "--date", "2024-04-02", "--strict"]);
    assert!(!out.status.success());
    let err = crate::support::stderr(&out);
    assert!(err.contains("--> digest.md:3:14"), "{err}");
    assert!(err.contains("not UTF-8 text: byte 0xe9 at offset 53"), "{err}");
    assert!(!site.path("content/2024-04-02").exists(), "nothing is written");
    // Without --strict it is skipped and named; as nothing else was imported, the run fails.
    let out = site.quire(&["import", "digest.md", "--date", "2024-04-02"]);
    assert!(!out.status.success());
    let err = crate::support::stderr(&out);
    assert!(err.contains("digest.md:3:14: the file is not UTF-8 text: byte 0xe9 at offset 53"), "{err}");
    assert!(err.contains("error: nothing was imported from digest.md"), "{err}");
    assert!(!site.path("content/2024-04-02").exists(), "nothing is written");
}

#[test]
fn an_id_too_long_for_a_file_name_names_its_place() {
    let long = "a".repeat(300);
    let err = fails_cleanly(
        &[("content/x.md", format!("---\ntitle: T\nid: \"{long}\"\ndate: 2024-04-02\n---\n").as_bytes())],
        &[
            "--> content/x.md:3:5",
            "is too long for a file name (300 bytes",
            "write another `id:` (a shorter one)",
        ],
    );
    assert!(!err.contains("File name too long"), "{err}");
}

#[test]
fn an_empty_or_wordless_tag_or_category_names_its_line_and_column() {
    let long = "b".repeat(201);
    fails_cleanly(
        &[(
            "content/x.md",
            format!("---\ntitle: T\ndate: 2024-04-02\ncategories: [cs.CV, \"\"]\ntags:\n  - ok\n  - \"!!\"\n  - {long}\n---\n")
                .as_bytes(),
        )],
        &[
            "category `` has no letters or digits",
            "--> content/x.md:4:21",
            "tag `!!` has no letters or digits",
            "--> content/x.md:7:5",
            "is too long for a file name (201 bytes",
            "--> content/x.md:8:5",
        ],
    );
}

/// Windows is a release target: ids and terms it cannot name a folder
/// after are refused where they are written.
#[test]
fn names_windows_keeps_for_devices_are_refused_as_ids_and_terms() {
    let err = fails_cleanly(
        &[
            ("content/x.md", b"---\ntitle: T\nid: CON\ndate: 2024-04-02\ntags: [ok, AUX]\n---\n"),
            ("content/2024-04-02/nul.md", b"---\ntitle: T\n---\n"),
            ("content/y.md", b"---\ntitle: T\nid: con.txt\ndate: 2024-04-02\ncategories: [com1]\n---\n"),
        ],
        &[
            "--> content/x.md:3:5",
            "id `CON` is a name Windows keeps for a device (`CON`)",
            "--> content/x.md:5:12",
            "tag `AUX` is a name Windows keeps for a device (`aux`)",
            "id `nul` is a name Windows keeps for a device (`nul`): no file or folder can be named so there, from the file name",
            "id `con.txt` is a name Windows keeps for a device (`con`)",
            "--> content/y.md:5:14",
        ],
    );
    assert!(!err.contains("panicked"), "{err}");
    let site = Site::new();
    let out = site.quire(&["new", "LPT1"]);
    let err = crate::support::stderr(&out);
    assert!(!out.status.success() && err.contains("`LPT1` is a name Windows keeps for a device"), "{err}");
}

/// Two spellings of one term (`LLM`, `llm`) would share a page: the error
/// points at the second spelling, where it is written.
#[test]
fn two_terms_sharing_a_page_are_named_at_their_line_and_column() {
    fails_cleanly(
        &[
            ("content/a.md", b"---\ntitle: A\nid: a\ndate: 2024-04-02\ntags: [LLM]\n---\n"),
            ("content/b.md", b"---\ntitle: B\nid: b\ndate: 2024-04-01\ncategories:\n  - cs.CV\n  - cs-cv\ntags:\n  - x\n  - llm\n---\n"),
        ],
        &[
            "tag `llm` and `LLM` (content/a.md) would share the page /tag/llm/",
            "--> content/b.md:10:5",
            "category `cs-cv` and `cs.CV` (content/b.md) would share the page /category/cs-cv/",
            "--> content/b.md:7:5",
        ],
    );
}
