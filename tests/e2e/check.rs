//! `quire check`: every internal link and fragment, with and without a
//! base path prefix, reported with the page it is on.

use crate::support::{stderr, Site};

#[test]
fn a_broken_link_is_reported_with_its_page() {
    let site = Site::new();
    site.full_text();
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
fn anchors_are_checked_on_pages_already_let_go_and_files_listed_but_not_made_count() {
    let site = Site::new();
    site.full_text();
    site.paper("content/2024-04-02/a.md", "a", "2024-04-02");
    site.paper("content/2024-04-03/c.md", "c", "2024-04-03");
    site.write(
        "content/2024-04-03/b.md",
        "---\nid: b\ntitle: B\n---\n[a](/digest/2024-04-02/#paper-a) [c](/digest/2024-04-03/#paper-c) \
         [not there](/digest/2024-04-02/#paper-c) [index](/search/meta.json) [data](/paper/a/index.json)\n",
    );
    let out = site.quire(&["check"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{report}");
    assert!(
        report.contains("/paper/b/: /digest/2024-04-02/#paper-c (no element with id `paper-c` there)"),
        "{report}"
    );
    assert!(report.contains("/paper/b/: /paper/a/index.json (no such page)"), "{report}");
    for good in ["#paper-a (", "/digest/2024-04-03/#paper-c (", "meta.json ("] {
        assert!(!report.contains(good), "{good} is not broken:\n{report}");
    }
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

/// The (path, time) of every request a test server answered.
type Requests = std::sync::Arc<std::sync::Mutex<Vec<(String, std::time::Instant)>>>;

/// A tiny HTTP server on a free port: `/gone` is 404, everything else 200.
fn link_target_server() -> (u16, Requests) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let mut stream = stream.unwrap();
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let status = if path == "/gone" { "404 Not Found" } else { "200 OK" };
            log.lock().unwrap().push((path, std::time::Instant::now()));
            let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (port, seen)
}

#[test]
fn external_links_are_asked_once_each_and_politely_only_when_asked_for() {
    let (port, seen) = link_target_server();
    let site = Site::new();
    site.full_text();
    let body = format!("[a](http://127.0.0.1:{port}/ok) [b](http://127.0.0.1:{port}/gone) [c](http://127.0.0.1:{port}/other)");
    site.write("content/a.md", format!("---\nid: a\ntitle: A\ndate: 2024-04-02\n---\n{body}\n"));
    site.write(
        "content/b.md",
        format!("---\nid: b\ntitle: B\ndate: 2024-04-02\n---\n[again](http://127.0.0.1:{port}/ok)\n"),
    );
    let quiet = site.quire(&["check"]);
    assert!(quiet.status.success(), "{}", String::from_utf8_lossy(&quiet.stdout));
    assert!(seen.lock().unwrap().is_empty(), "no request without --external");
    let out = site.quire(&["check", "--external", "--delay-ms", "200"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{report}");
    assert!(report.contains(&format!("/paper/a/: http://127.0.0.1:{port}/gone (HTTP 404)")), "{report}");
    assert!(!report.contains("/ok ("), "{report}");
    let seen = seen.lock().unwrap();
    let paths: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths.iter().filter(|p| **p == "/ok").count(), 1, "{paths:?}");
    assert_eq!(paths.len(), 3, "{paths:?}");
    for pair in seen.windows(2) {
        assert!(
            pair[1].1 - pair[0].1 >= std::time::Duration::from_millis(180),
            "requests to one host are spaced"
        );
    }
}

#[test]
fn a_host_that_does_not_resolve_could_not_be_checked_and_is_not_broken() {
    let site = Site::new();
    site.full_text();
    site.write(
        "content/a.md",
        "---\nid: a\ntitle: A\ndate: 2024-04-02\n---\n[gone](http://unresolvable.invalid/paper)\n",
    );
    let out = site.quire(&["check", "--external", "--delay-ms", "0"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "no answer is no broken link:\n{report}{}", stderr(&out));
    assert!(
        report.contains(
            "could not check a link on /paper/a/: http://unresolvable.invalid/paper (Could not resolve host"
        ),
        "{report}"
    );
    // Counted like broken links: once per page (the paper's page and its digest).
    assert!(report.contains(": 0 broken, 2 could not be checked (no answer)."), "{report}");
    assert!(!report.contains("broken link on"), "{report}");
}

#[test]
fn warnings_are_reported_and_do_not_fail_the_check() {
    let site = Site::new();
    site.write("content/a.md", "---\nid: a\ntitle: A\ndate: 2024-04-02\n---\nBad $\\href{x}{y}$.\n");
    let out = site.quire(&["check"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}{}", stderr(&out));
    assert!(report.contains("warning: content/a.md: unsupported TeX `\\href{x}{y}`"), "{report}");
    assert!(report.contains(": 0 broken, 1 warning."), "{report}");
}
