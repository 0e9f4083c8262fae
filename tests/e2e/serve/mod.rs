//! `quire serve` as a user runs it: the real binary on a free port, edited
//! files, the reload signal, errors shown and cleared, hostile requests.

mod client;
mod start;
mod topics;

use std::time::{Duration, Instant};

use crate::support::{select, text, tree, Site};
use client::{request, Server};

fn paper(title: &str) -> String {
    format!("---\nid: \"2404.00001\"\ntitle: \"{title}\"\ndate: 2024-04-02\n---\nBody.\n")
}

/// Two papers; their pages show their text, as the pages the tests wait on.
fn site_with_two_papers() -> Site {
    let site = Site::new();
    site.full_text();
    site.write("content/2024-04-02/a.md", paper("First title"));
    site.paper("content/2024-04-02/b.md", "2404.00002", "2024-04-02");
    site
}

#[test]
fn serves_the_site_with_the_reload_script_only_when_served() {
    let site = site_with_two_papers();
    let server = Server::start(&site);
    let page = server.get("/paper/2404.00001/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("First title"));
    assert!(page.body.contains("/__quire/live"));
    assert!(page.head.to_ascii_lowercase().contains("cache-control: no-store"));
    assert!(!page.head.to_ascii_lowercase().contains("access-control-allow-origin"));
    assert!(!site.path("public").exists(), "serve must not write public/");
    site.build(&[]);
    let built = std::fs::read_to_string(site.path("public/paper/2404.00001/index.html")).unwrap();
    assert!(!built.contains("__quire"), "build output must not carry the reload script");
}

#[test]
fn an_edit_in_place_or_by_rename_is_served_and_signalled() {
    let site = site_with_two_papers();
    let server = Server::start(&site);
    let mut events = server.events();
    site.write("content/2024-04-02/a.md", paper("Edited in place"));
    events.expect("reload");
    server.wait_for("/paper/2404.00001/", "Edited in place");
    server.wait_for("/digest/2024-04-02/", "Edited in place");
    site.write("content/2024-04-02/.a.md.tmp", paper("Edited by rename"));
    std::fs::rename(site.path("content/2024-04-02/.a.md.tmp"), site.path("content/2024-04-02/a.md")).unwrap();
    events.expect("reload");
    server.wait_for("/digest/2024-04-02/", "Edited by rename");
}

#[test]
fn a_broken_file_shows_the_problem_and_keeps_the_last_good_pages() {
    let site = site_with_two_papers();
    let server = Server::start(&site);
    let mut events = server.events();
    site.write("content/2024-04-02/a.md", "---\ntitle: \"Broken\"\n<img src=x onerror=alert(1)>: 1\n");
    let problem = events.expect("problem");
    assert!(problem.contains("content/2024-04-02/a.md:1"), "{problem}");
    assert!(server.get("/paper/2404.00001/").body.contains("First title"), "last good page is served");
    let mut late = server.events();
    assert!(late.expect("problem").contains("a.md"), "a page opened later sees the problem too");
    site.write("content/2024-04-02/a.md", paper("Fixed title"));
    events.expect("reload");
    server.wait_for("/paper/2404.00001/", "Fixed title");
}

#[test]
fn warnings_are_sent_to_every_page_that_connects_until_they_are_gone() {
    let site = site_with_two_papers();
    site.write("content/2024-04-02/b.md", "---\nid: \"2404.00002\"\ntitle: B\n---\nBad $\\href{x}{y}$.\n");
    let server = Server::start(&site);
    let warning = server.events().expect("warning");
    assert!(warning.contains("content/2024-04-02/b.md"), "{warning}");
    assert!(warning.contains("unsupported TeX"), "{warning}");
    let mut events = server.events();
    assert!(events.expect("warning").contains("b.md"), "a page opened later sees the warning too");
    site.paper("content/2024-04-02/b.md", "2404.00002", "2024-04-02");
    events.expect("reload");
    server.wait_for("/paper/2404.00002/", "Body of 2404.00002");
    let mut after = server.events();
    site.write("content/2024-04-02/a.md", paper("Edited"));
    assert_eq!(after.next().0, "reload", "no warning is left to send");
}

#[test]
fn a_site_that_fails_at_start_is_served_once_fixed() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitel: x\n---\n");
    let server = Server::start(&site);
    let mut events = server.events();
    assert!(events.expect("problem").contains("did you mean `title`?"));
    site.write("content/a.md", "---\nid: a\ntitle: Now valid\ndate: 2024-04-02\n---\n");
    events.expect("reload");
    server.wait_for("/paper/a/", "Now valid");
}

#[test]
fn a_stylesheet_change_swaps_css_without_a_reload() {
    let site = site_with_two_papers();
    site.write("static/extra.css", "body { color: red }");
    let server = Server::start(&site);
    let mut events = server.events();
    site.write("static/extra.css", "body { color: blue }");
    events.expect("css");
    server.wait_for("/extra.css", "blue");
}

#[test]
fn hostile_requests_are_refused() {
    let site = site_with_two_papers();
    site.write("secret.txt", "TOP SECRET");
    let server = Server::start(&site);
    for path in [
        "/../site.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/\\..\\secret.txt",
        "/..%5csecret.txt",
    ] {
        let r = request(
            server.port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", server.port),
        );
        assert!(r.status == 400 || r.status == 404, "{path}: {}", r.status);
        assert!(
            !r.body.contains("TOP SECRET") && !r.body.contains("base_url") && !r.body.contains("root:"),
            "{path}"
        );
    }
    let foreign =
        request(server.port, "GET / HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n");
    assert_eq!(foreign.status, 403);
    let port = server.port;
    let good = format!("Host: 127.0.0.1:{port}\r\n");
    for (what, raw) in [
        (
            "two Host headers",
            format!("GET / HTTP/1.1\r\n{good}Host: evil.example:{port}\r\nConnection: close\r\n\r\n"),
        ),
        ("no Host header", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n".to_owned()),
        ("an absolute URL", format!("GET http://evil.example/ HTTP/1.1\r\n{good}Connection: close\r\n\r\n")),
        (
            "an absolute URL to itself",
            format!("GET http://127.0.0.1:{port}/ HTTP/1.1\r\n{good}Connection: close\r\n\r\n"),
        ),
    ] {
        let r = request(port, &raw);
        assert!(r.status == 400, "{what}: {} {}", r.status, r.body);
        assert!(!r.body.contains("First title"), "{what}");
    }
    let post = request(
        server.port,
        &format!(
            "POST / HTTP/1.1\r\nHost: localhost:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            server.port
        ),
    );
    assert_eq!(post.status, 405);
}

#[test]
fn pages_may_not_be_sniffed_or_framed() {
    let site = site_with_two_papers();
    let server = Server::start(&site);
    for path in ["/", "/paper/2404.00001/", "/style.css", "/nope/"] {
        let head = server.get(path).head.to_ascii_lowercase();
        assert!(head.contains("\r\nx-content-type-options: nosniff"), "{path}: {head}");
        assert!(head.contains("\r\ncontent-security-policy: frame-ancestors 'none'"), "{path}: {head}");
    }
}

#[test]
fn on_every_interface_the_machines_own_addresses_are_hosts_and_others_are_not() {
    let site = site_with_two_papers();
    let server = Server::start_on(&site, "0.0.0.0");
    let port = server.port;
    let get = |host: String| {
        // Sent over loopback: only the Host header names the address.
        request(port, &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")).status
    };
    let own: Vec<_> = if_addrs::get_if_addrs().unwrap().into_iter().map(|i| i.ip()).collect();
    assert!(own.iter().any(|ip| !ip.is_loopback()), "this test needs an address besides loopback: {own:?}");
    for ip in own {
        assert_eq!(get(std::net::SocketAddr::new(ip, port).to_string()), 200, "{ip}");
    }
    assert_eq!(get(format!("localhost:{port}")), 200);
    for foreign in ["evil.example", "203.0.113.9", "localhost.evil.example", "[2001:db8::1]"] {
        assert_eq!(get(format!("{foreign}:{port}")), 403, "{foreign}");
    }
}

#[test]
fn the_served_site_equals_a_full_build_after_edits() {
    let site = Site::new();
    site.full_text();
    for i in 1..=6 {
        site.paper(&format!("content/p{i}.md"), &format!("2404.0000{i}"), &format!("2024-04-0{}", i % 3 + 1));
    }
    let server = Server::start(&site);
    let mut events = server.events();
    site.write(
        "content/p1.md",
        "---\nid: \"2404.00001\"\ntitle: Moved\ndate: 2024-04-09\norder: 1\n---\nNew body.\n",
    );
    events.expect("reload");
    std::fs::remove_file(site.path("content/p2.md")).unwrap();
    events.expect("reload");
    site.paper("content/p7.md", "2404.00007", "2024-04-01");
    events.expect("reload");
    site.write(
        "content/p8.md",
        "---\nid: \"2404.00008\"\ntitle: Cites\ndate: 2024-04-02\n---\nSee [[2404.00003]].\n",
    );
    events.expect("reload");
    site.write("content/p3.md", "---\nid: \"2404.00003\"\ntitle: Renamed\ndate: 2024-04-01\n---\nBody.\n");
    events.expect("reload");
    server.wait_for("/paper/2404.00008/", "Renamed");
    server.wait_for("/paper/2404.00007/", "2404.00007");
    assert_eq!(server.get("/paper/2404.00002/").status, 404);
    site.build(&["--base-url", &format!("http://127.0.0.1:{}/", server.port)]);
    let built = tree(&site.path("public"));
    assert!(built.len() > 10);
    for (path, bytes) in built {
        let path = path.to_string_lossy().replace('\\', "/");
        let served = server.get(&format!("/{path}"));
        assert_eq!(served.status, 200, "{path}");
        let body = strip_reload_script(&served.body);
        assert_eq!(body, String::from_utf8_lossy(&bytes), "{path} differs from the build");
    }
}

fn strip_reload_script(html: &str) -> String {
    // The reload script's own end: a page may have other scripts before it.
    let start = html.find("<script>\n(() => {\n  const events");
    match start.and_then(|a| Some((a, a + html[a..].find("</script>\n")?))) {
        Some((a, b)) => format!("{}{}", &html[..a], &html[b + "</script>\n".len()..]),
        None => html.to_owned(),
    }
}

#[test]
fn a_source_folder_made_after_start_is_watched() {
    let site = site_with_two_papers();
    let server = Server::start(&site);
    let mut events = server.events();
    site.write("static/late.css", "p { color: green }");
    events.expect("reload");
    server.wait_for("/late.css", "green");
    site.write("static/late.css", "p { color: olive }");
    events.expect("css");
    server.wait_for("/late.css", "olive");
}

#[cfg(unix)]
#[test]
fn serve_refuses_symbolic_links_as_build_does() {
    let site = site_with_two_papers();
    let outside = tempfile::tempdir().unwrap();
    let outside_paper = |title: &str| {
        let text = format!("---\nid: \"2404.09999\"\ntitle: \"{title}\"\ndate: 2024-04-02\n---\n");
        std::fs::write(outside.path().join("x.md"), text).unwrap();
    };
    outside_paper("Outside");
    std::os::unix::fs::symlink(outside.path(), site.path("content/linked")).unwrap();
    let built = site.build_fails(&[]);
    assert!(built.contains("--> content/linked\n"), "{built}");
    let server = Server::start(&site);
    let mut events = server.events();
    let problem = events.expect("problem");
    assert!(problem.contains("content/linked") && problem.contains("quire follows no links"), "{problem}");
    // The file behind the link changes: still not read.
    outside_paper("Outside, edited");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.get("/paper/2404.09999/").status, 404);
    std::fs::remove_file(site.path("content/linked")).unwrap();
    events.expect("reload");
    server.wait_for("/paper/2404.00001/", "First title");
    // A link made while serving is refused the same way, by name.
    std::os::unix::fs::symlink(outside.path().join("x.md"), site.path("content/evil.md")).unwrap();
    let problem = events.expect("problem");
    assert!(problem.contains("content/evil.md") && problem.contains("quire follows no links"), "{problem}");
    assert_eq!(server.get("/paper/2404.09999/").status, 404);
}

#[test]
fn a_template_mistake_shows_as_a_problem_though_pages_are_made_when_asked_for() {
    let site = site_with_two_papers();
    site.write("templates/paper.html", "{{ paper.no_such_field.deeper }}");
    let server = Server::start(&site);
    let problem = server.events().expect("problem");
    assert!(problem.contains("paper.html"), "{problem}");
    assert_eq!(server.get("/paper/2404.00001/").status, 500);
    let mut events = server.events();
    let fixed = "{% extends \"base.html\" %}{% block main %}<h1 class=\"fixed\">{{ paper.title }}</h1>{% endblock main %}";
    site.write("templates/paper.html", fixed);
    events.expect("reload");
    let page = server.get("/paper/2404.00001/");
    assert_eq!(page.status, 200);
    // The fixed template is the one rendered, with the paper in it, inside the theme's page.
    let html = scraper::Html::parse_document(&page.body);
    let heading: Vec<String> = select(&html, "main h1.fixed").iter().map(text).collect();
    assert_eq!(heading, ["First title"], "{}", page.body);
    assert_eq!(select(&html, "head title").iter().map(text).collect::<Vec<_>>(), ["Test digest"]);
}

/// Paper 2404.00001 of 2024-04-02, with `listed` as given.
fn listed_paper(listed: &str) -> String {
    format!("---\nid: \"2404.00001\"\ntitle: \"Listed twice\"\ndate: 2024-04-02\nannounce_type: new\n{listed}---\nBody.\n")
}

#[test]
fn an_edit_of_a_listing_regroups_the_digests_that_list_the_paper() {
    let site = Site::new();
    site.write("content/a.md", listed_paper(""));
    site.paper("content/b.md", "2404.00002", "2024-04-09");
    let server = Server::start(&site);
    let mut events = server.events();
    let later = "/digest/2024-04-09/";
    assert!(!server.get(later).body.contains("id=\"paper-2404.00001\""));
    site.write("content/a.md", listed_paper("listed:\n  - date: 2024-04-09\n    announce_type: replace\n"));
    events.expect("reload");
    let page = server.wait_for(later, "id=\"paper-2404.00001\"");
    assert!(page.body.contains("data-announce=\"replace\""), "{}", page.body);
    server.wait_for("/paper/2404.00001/", "href=\"/digest/2024-04-09/#paper-2404.00001\"");
    site.write("content/a.md", listed_paper("listed:\n  - date: 2024-04-09\n    announce_type: cross\n"));
    events.expect("reload");
    server.wait_for(later, "data-announce=\"cross\"");
    site.write("content/a.md", listed_paper(""));
    events.expect("reload");
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.get(later).body.contains("id=\"paper-2404.00001\"") {
        assert!(Instant::now() < deadline, "the listing removed stays on {later}");
        std::thread::sleep(Duration::from_millis(20));
    }
    site.build(&["--base-url", &format!("http://127.0.0.1:{}/", server.port)]);
    for (path, bytes) in tree(&site.path("public")) {
        let path = path.to_string_lossy().replace('\\', "/");
        let body = strip_reload_script(&server.get(&format!("/{path}")).body);
        assert_eq!(body, String::from_utf8_lossy(&bytes), "{path} differs from the build");
    }
}

/// Connections that never finish their headers (slowloris) are closed by
/// the server after its header-read timeout, and it keeps answering.
#[test]
fn connections_that_send_headers_slowly_are_closed() {
    use std::io::{Read, Write};
    let site = site_with_two_papers();
    let server = Server::start(&site);
    // Half of them say nothing at all; the others start a request.
    let mut open: Vec<(bool, std::net::TcpStream)> = (0..60)
        .map(|i| {
            let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            stream.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
            let talks = i % 2 == 1;
            if talks {
                stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
            }
            (talks, stream)
        })
        .collect();
    // Bounded: the server's timeout is well below this.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !open.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        open.retain_mut(|(talks, stream)| {
            // One more header line now and then, never the blank line that ends them.
            let wrote = !*talks || stream.write_all(b"X-Slow: 1\r\n").is_ok();
            let closed = match stream.read(&mut [0; 512]) {
                Ok(_) => true,
                Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
            };
            wrote && !closed
        });
    }
    assert!(open.is_empty(), "{} slow connections still open after 60 s", open.len());
    assert_eq!(server.get("/paper/2404.00001/").status, 200);
}
