//! `quire serve` as a new user meets it: what it says when it starts and
//! after a fix, where it listens and which address it gives, a site
//! without `site.toml`, the host's root under a base path, and the site's
//! own interface strings watched like the rest.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::client::Server;
use super::{paper, site_with_two_papers};
use crate::support::{stderr, Site};

#[test]
fn the_first_line_says_what_build_says() {
    let site = site_with_two_papers();
    let built = String::from_utf8(site.build(&[]).stdout).unwrap();
    // `Built 2 papers in 1 digest: 11 pages, 30 files`, less the size and time.
    let counts = &built[..built.rfind(", ").unwrap()];
    assert!(counts.starts_with("Built 2 papers in 1 digest: "), "{built}");
    let server = Server::start(&site);
    let first = server.output().into_iter().find(|l| l.starts_with("out: ")).unwrap();
    assert!(first.starts_with(&format!("out: {counts} in ")), "{first}\nbuild said: {built}");
}

#[test]
fn after_a_fix_it_says_once_that_the_problem_is_gone() {
    let site = site_with_two_papers();
    let server = Server::start(&site);
    let mut events = server.events();
    site.write("content/2024-04-02/a.md", "---\ntitle: [\n---\n");
    events.expect("problem");
    server.wait_for_line("still serving the last good pages");
    assert!(!server.output().iter().any(|l| l.contains("Fixed")));
    site.write("content/2024-04-02/a.md", paper("Fixed title"));
    events.expect("reload");
    server.wait_for_line("out: Fixed: the site builds again.");
    site.write("content/2024-04-02/a.md", paper("Edited again"));
    events.expect("reload");
    server.wait_for("/paper/2404.00001/", "Edited again");
    let fixed = server.output().iter().filter(|l| l.contains("Fixed")).count();
    assert_eq!(fixed, 1, "{:?}", server.output());
}

/// Runs `quire serve <args>` in `site`, which must exit within 10 s;
/// returns its exit status and standard error.
fn serve_exits(site: &Site, args: &[&str]) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("serve")
        .args(args)
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("quire serve {args:?} kept running");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.success(), stderr(&out))
}

#[test]
fn with_no_site_it_fails_as_build_does() {
    let site = Site::new();
    std::fs::remove_file(site.path("site.toml")).unwrap();
    let built = site.build_fails(&[]);
    let (ok, served) = serve_exits(&site, &["--port", "0"]);
    assert!(!ok);
    assert!(served.contains("site.toml"), "{served}");
    assert_eq!(served, built);
}

#[test]
fn the_hosts_root_leads_to_the_base_path() {
    let site = site_with_two_papers();
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", config.replace("https://example.org/", "https://u.github.io/repo/"));
    let server = Server::start(&site);
    assert!(server
        .output()
        .iter()
        .any(|l| l.ends_with(&format!("Serving http://127.0.0.1:{}/repo/ (Ctrl+C to stop)", server.port))));
    let root = server.get("/");
    assert_eq!(root.status, 302, "{}", root.head);
    assert!(root.head.to_ascii_lowercase().contains("\r\nlocation: /repo/"), "{}", root.head);
    assert!(server.get("/repo/").body.contains("First title"));
}

#[test]
fn a_port_asked_for_that_is_taken_is_an_error() {
    let site = site_with_two_papers();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (ok, said) = serve_exits(&site, &["--port", &port]);
    assert!(!ok);
    assert!(said.contains(&format!("port {port} is in use")), "{said}");
    assert!(said.contains("choose another with --port"), "{said}");
}

#[test]
fn only_the_default_port_moves_to_the_next_free_one() {
    let site = site_with_two_papers();
    // Held here, or by another program: taken either way.
    let _held = std::net::TcpListener::bind("127.0.0.1:1111");
    let server = Server::spawn(&site, &[]);
    assert!((1112..1121).contains(&server.port), "{}", server.port);
    server.wait_for_line(&format!("err: port 1111 is in use; using {} instead", server.port));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn on_every_interface_it_gives_addresses_a_browser_can_open() {
    let site = site_with_two_papers();
    let server = Server::start_on(&site, "0.0.0.0");
    let port = server.port;
    server.wait_for_line("warning: serving on 0.0.0.0");
    let own = if_addrs::get_if_addrs().unwrap().into_iter().map(|i| i.ip());
    for ip in own.filter(|ip| ip.is_ipv4() && !ip.is_loopback()) {
        server.wait_for_line(&format!("out:   and on the network at http://{ip}:{port}/"));
    }
    let output = server.output();
    assert!(
        output.contains(&format!("out: Serving http://127.0.0.1:{port}/ (Ctrl+C to stop)")),
        "{output:?}"
    );
    assert!(!output.iter().any(|l| l.contains("http://0.0.0.0")), "{output:?}");
}

#[test]
fn an_edit_to_the_sites_own_interface_strings_is_served() {
    let site = site_with_two_papers();
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", config.replace("language = \"en\"", "language = \"fr\""));
    site.write("i18n/fr.toml", "archive = \"Archives\"\n");
    let server = Server::start(&site);
    server.wait_for("/", "Archives");
    let mut events = server.events();
    site.write("i18n/fr.toml", "archive = \"Toutes les archives\"\n");
    events.expect("reload");
    server.wait_for("/", "Toutes les archives");
}

#[test]
fn the_sites_warnings_are_printed_when_it_starts() {
    let site = site_with_two_papers();
    site.write("content/2024-04-02/b.md", "---\nid: \"2404.00002\"\ntitle: B\n---\nBad $\\href{x}{y}$.\n");
    let built = stderr(&site.build(&[]));
    let warning = built.lines().find(|l| l.starts_with("warning: ")).expect("build warns");
    let server = Server::start(&site);
    // No page is asked for: the texts are rendered in the background, then said.
    assert_eq!(server.wait_for_line("err: warning: "), format!("err: {warning}"));
}
