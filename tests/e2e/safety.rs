//! Untrusted text (titles, summaries, abstracts, bodies) never becomes markup,
//! and footnotes of different papers on one page never clash.

use std::collections::HashSet;

use crate::support::{check_links, select, Site};

const EVIL: &str = r#"---
id: evil
title: "<script>alert('title')</script><img src=x onerror=alert(1)>"
translated_title: "<svg onload=alert(2)>"
summary: "<iframe src=javascript:alert(3)></iframe>"
authors: ["<b onmouseover=alert(4)>x</b>"]
categories: ["<script>c</script>"]
date: 2024-04-02
abstract: |
  <script>alert('abstract')</script> [click](javascript:alert(5))
  [entity](&#106;avascript:alert(6)) [upper](JAVASCRIPT:alert(7))
  ![img](data:text/html;base64,PHNjcmlwdD4=)
---
<script>alert('body')</script>
<div onclick="alert(8)">raw</div>
[tab](java	script:alert(9)) [space]( javascript:alert(10))
<a href="javascript:alert(11)">raw link</a>
"#;

#[test]
fn script_and_javascript_urls_never_reach_the_page() {
    let site = Site::new();
    site.write("content/evil.md", EVIL);
    site.build(&[]);
    for page in ["digest/2024-04-02/index.html", "paper/evil/index.html", "index.html"] {
        let html = site.page(page);
        assert!(select(&html, "iframe, svg, img[onerror], div[onclick]").is_empty(), "{page}");
        let scripts: Vec<_> = select(&html, "script").iter().map(|s| s.value().attr("src")).collect();
        assert_eq!(scripts, [Some("/theme.js")], "{page}: no script but the theme's own");
        for el in select(&html, "*") {
            for (name, value) in el.value().attrs() {
                assert!(!name.starts_with("on"), "{page}: attribute {name}={value}");
                let v = value.to_ascii_lowercase().replace(char::is_whitespace, "");
                assert!(!v.starts_with("javascript:") && !v.starts_with("data:"), "{page}: {name}={value}");
            }
        }
    }
    let paper = std::fs::read_to_string(site.path("public/paper/evil/index.html")).unwrap();
    assert!(paper.contains("&lt;script&gt;alert"), "escaped text should still be shown");
}

#[test]
fn raw_html_passes_only_when_the_site_opts_in() {
    let site = Site::new();
    site.write("site.toml", format!("{}[markdown]\nunsafe_html = true\n", crate::support::SITE_TOML));
    site.full_text();
    site.write("content/a.md", "---\nid: a\ntitle: A\ndate: 2024-04-02\n---\n<mark>kept</mark>\n");
    site.build(&[]);
    assert_eq!(select(&site.page("paper/a/index.html"), "mark").len(), 1);
}

#[test]
fn footnotes_of_two_papers_on_one_page_do_not_clash() {
    let site = Site::new();
    for id in ["a", "b"] {
        site.write(
            &format!("content/2024-04-02/{id}.md"),
            format!("---\nid: {id}\ntitle: {id}\nabstract: |\n  Abstract note[^1].\n\n  [^1]: abstract {id}\n---\nBody note[^1].\n\n[^1]: body {id}\n"),
        );
    }
    site.build(&[]);
    let page = site.page("digest/2024-04-02/index.html");
    let ids: Vec<_> =
        select(&page, "[id]").iter().map(|e| e.value().attr("id").unwrap().to_owned()).collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
    for paper in select(&page, "article.paper") {
        let own: HashSet<_> =
            paper.descendants().filter_map(|n| n.value().as_element()?.attr("id")).collect();
        let refs: Vec<_> = paper
            .descendants()
            .filter_map(|n| n.value().as_element()?.attr("href"))
            .filter_map(|h| h.strip_prefix('#'))
            .filter(|h| h.starts_with("fn"))
            .collect();
        assert_eq!(refs.len(), 4, "two references and two back-links per paper");
        for r in refs {
            assert!(own.contains(r), "#{r} points outside its paper");
        }
    }
    check_links(&site.path("public"), "/");
}

/// Every disguise of a dangerous `url` an attacker tried, as YAML text.
const HOSTILE_URLS: &[&str] = &[
    r#""javascript:alert(document.domain)""#,
    r#""JaVaScRiPt:alert(1)""#,
    r#"" javascript:alert(1)""#,
    r#""java\tscript:alert(1)""#,
    r#""java\nscript:alert(1)""#,
    r#""\x01javascript:alert(1)""#,
    r#""data:text/html,<script>alert(1)</script>""#,
    r#""data:image/svg+xml,<svg onload=alert(1)>""#,
    r#""vbscript:msgbox(1)""#,
    r#""file:///etc/passwd""#,
];

#[test]
fn a_url_that_is_not_http_is_a_content_error_at_its_place() {
    let site = Site::new();
    site.paper("content/2024-04-02/good.md", "good", "2024-04-02");
    for (i, url) in HOSTILE_URLS.iter().enumerate() {
        site.write(
            &format!("content/2024-04-02/p{i}.md"),
            format!("---\nid: p{i}\ntitle: P{i}\nurl: {url}\n---\nBody.\n"),
        );
    }
    let err = site.build_fails(&[]);
    for (i, url) in HOSTILE_URLS.iter().enumerate() {
        assert!(
            err.contains(&format!("--> content/2024-04-02/p{i}.md:4:6\n")),
            "p{i} ({url}) not placed:\n{err}"
        );
    }
    assert_eq!(err.matches("error: `url` is not an http(s) address").count(), HOSTILE_URLS.len(), "{err}");
    assert!(err.contains("help: write the paper's web address"), "{err}");
    assert!(!site.path("public").exists(), "nothing is written");
    // An http(s) address, however it is written, is a link.
    for i in 0..HOSTILE_URLS.len() {
        std::fs::remove_file(site.path(&format!("content/2024-04-02/p{i}.md"))).unwrap();
    }
    site.write("content/2024-04-02/ok.md", "---\nid: ok\ntitle: OK\nurl: \" HTTPS://example.org/ok\"\n---\n");
    site.build(&[]);
    let page = site.page("paper/ok/index.html");
    let links: Vec<_> =
        select(&page, "a[href*='example.org']").iter().map(|a| a.value().attr("href")).collect();
    assert!(!links.is_empty() && links.iter().all(|h| *h == Some("HTTPS://example.org/ok")), "{links:?}");
}

#[cfg(unix)]
#[test]
fn control_characters_from_content_and_file_names_reach_the_terminal_escaped() {
    let site = Site::new();
    // An unknown command renders as a name: `\\frac` with one argument still fails.
    let hostile_tex = "---\nid: tex\ntitle: T\ndate: 2024-04-02\n---\nSee $\\frac{\u{1b}]0;pwned\u{7}}$.\n";
    site.write("content/tex\u{1b}]0;title\u{7}.md", hostile_tex);
    let out = site.build(&[]);
    let warnings = crate::support::stderr(&out);
    assert!(warnings.contains("warning: content/tex\\u{1b}]0;title\\u{7}.md: unsupported TeX"), "{warnings}");
    assert!(warnings.contains("\\frac{\\u{1b}]0;pwned\\u{7}}"), "{warnings}");
    let bad = "---\nid: bad\ntitle: B\ndate: 2024-04-02\nurl: \"\\e]8;;x\\a\"\n---\n";
    site.write("content/bad\u{1b}[2J\u{7}.md", bad);
    site.write("content/raw.md", "---\nid: raw\ntitle: \"\u{1b}[31m\"\ndate: 2024-04-02\n---\n");
    let err = site.build_fails(&[]);
    assert!(err.contains("--> content/bad\\u{1b}[2J\\u{7}.md:5:6"), "{err}");
    assert!(err.contains("--> content/raw.md:3:9"), "{err}");
    assert!(err.contains("`\\u{1b}]8;;x\\u{7}`"), "{err}");
    for shown in [&warnings, &err] {
        assert!(!shown.contains(['\u{1b}', '\u{7}']), "a raw control character was printed: {shown:?}");
    }
}

/// The command line is untrusted too: clap's own errors quote what was
/// typed, and it reaches the terminal escaped.
#[test]
fn command_line_errors_print_control_characters_escaped() {
    let cases: [&[&str]; 4] = [
        &["\u{1b}]8;;http://evil/\u{7}X\u{1b}]8;;\u{7}"],
        &["build", "--\u{1b}[2J"],
        &["build", "--root", ".", "extra\r\u{9b}31m"],
        &["import", "--from", "x", "--date"],
    ];
    for args in cases {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_quire")).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(
            !err.contains(['\u{1b}', '\u{7}', '\r', '\u{9b}']),
            "a raw control character was printed: {err:?}"
        );
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_quire")).arg("--\u{1b}[2J").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("--\\u{1b}[2J"), "the argument is shown escaped");
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_quire")).arg("--help").output().unwrap();
    assert!(help.status.success() && String::from_utf8_lossy(&help.stdout).contains("Usage: quire"));
}
