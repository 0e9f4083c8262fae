//! Looking at a built site over HTTP, as a static host serves it: a plain
//! file server for a folder under a path prefix, a minimal HTTP/1.0 GET, and
//! a crawler that follows every internal link from a start URL.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use scraper::{Html, Selector};

/// Serves the files of a folder at `http://127.0.0.1:<port><prefix>`, GET
/// only: `<prefix>a/b.css` is `a/b.css`, `<prefix>x/` is `x/index.html`,
/// anything else is a 404. Stopped when dropped.
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `dir` under `prefix`, which starts and ends with `/`.
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (dir, prefix, stopped) = (dir.to_path_buf(), prefix.to_owned(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let _ = answer(stream, &dir, &prefix);
                }
            }
        });
        StaticServer { addr, stop, thread: Some(thread) }
    }

    /// The URL of a path on this server: `url("/repo/")`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request and answers it.
fn answer(mut stream: TcpStream, dir: &Path, prefix: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buf = [0; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let (status, body) = match method {
        "GET" => file_for(dir, prefix, target).map_or(("404 Not Found", Vec::new()), |f| ("200 OK", f)),
        _ => ("405 Method Not Allowed", Vec::new()),
    };
    let kind = content_type(target.split(['?', '#']).next().unwrap_or(""));
    write!(stream, "HTTP/1.0 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n", body.len())?;
    stream.write_all(&body)
}

/// The bytes of the file a request target names under `prefix`.
fn file_for(dir: &Path, prefix: &str, target: &str) -> Option<Vec<u8>> {
    let path = target.split(['?', '#']).next()?.strip_prefix(prefix)?;
    let path = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    if path.split('/').any(|s| s == ".." || s == "." || s.contains('\\')) {
        return None;
    }
    let rel = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.into() };
    std::fs::read(dir.join(rel)).ok()
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        _ if path.ends_with('/') => "text/html; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// An answer to [`get`].
pub struct Response {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// `GET url` over HTTP/1.0 (`http://host:port/path` only), read to the end.
pub fn get(url: &str) -> Response {
    let rest = url.strip_prefix("http://").unwrap_or_else(|| panic!("{url} is not an http:// URL"));
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).unwrap_or_else(|e| panic!("{url}: {e}"));
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let path = if path.is_empty() { "/" } else { path };
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap_or_else(|e| panic!("{url}: {e}"));
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("{url}: no header"));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let content_type = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-type")))
        .map_or(String::new(), |(_, v)| v.trim().to_owned());
    Response { status, content_type, body: raw[end + 4..].to_vec() }
}

/// What [`crawl`] saw.
#[derive(Debug, Default)]
pub struct Crawl {
    /// Every HTML page fetched, by URL.
    pub pages: BTreeSet<String>,
    /// Every URL fetched (pages, stylesheets, scripts, feeds, ...).
    pub fetched: usize,
    /// Broken links and links that leave the start URL's folder, with the page they are on.
    pub problems: Vec<String>,
}

/// Fetches `start`, then every `href` and `src` of every HTML page it
/// reaches on the same host, each URL once. Links to other hosts are not
/// followed; a link that answers anything but 200, or leaves the folder of
/// `start` (`http://host/repo/` keeps to `/repo/`), is a problem.
pub fn crawl(start: &str) -> Crawl {
    let (origin, start_path) = split_url(start);
    let scope = &start_path[..=start_path.rfind('/').unwrap_or(0)];
    let mut crawl = Crawl::default();
    let mut queue = VecDeque::from([(start.to_owned(), String::from("(start)"))]);
    let mut seen = HashSet::from([start.to_owned()]);
    while let Some((url, from)) = queue.pop_front() {
        let response = get(&url);
        crawl.fetched += 1;
        if response.status != 200 {
            crawl.problems.push(format!("{from}: {url} answers {}", response.status));
            continue;
        }
        if !response.content_type.starts_with("text/html") {
            continue;
        }
        for link in links(&response.body) {
            let Some(target) = resolve(&url, &link) else { continue };
            let (target_origin, target_path) = split_url(&target);
            if target_origin != origin {
                continue;
            }
            if !target_path.starts_with(scope) {
                crawl.problems.push(format!("{url}: link {link} leaves {scope}"));
            } else if seen.insert(target.clone()) {
                queue.push_back((target, url.clone()));
            }
        }
        crawl.pages.insert(url);
    }
    crawl
}

/// Every `href` and `src` of an HTML page.
fn links(html: &[u8]) -> Vec<String> {
    let page = Html::parse_document(&String::from_utf8_lossy(html));
    let selector = Selector::parse("[href], [src]").unwrap();
    let attrs = |e: scraper::ElementRef| {
        let element = e.value();
        [element.attr("href"), element.attr("src")]
            .into_iter()
            .flatten()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    page.select(&selector).flat_map(attrs).collect()
}

/// `http://host:port/a/b?q` -> (`http://host:port`, `/a/b?q`).
fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
    url.split_at(path_start)
}

/// `href` resolved against the page URL `base` as a browser does
/// ([`url::Url::join`]), without its fragment; `None` for schemes other
/// than http(s).
pub fn resolve(base: &str, href: &str) -> Option<String> {
    let mut url = url::Url::parse(base).ok()?.join(href).ok()?;
    url.set_fragment(None);
    ["http", "https"].contains(&url.scheme()).then(|| url.into())
}

#[test]
fn links_resolve_like_a_browser() {
    let page = "http://h:1/repo/digest/2024-04-02/";
    let cases = [
        ("../../paper/x/", "http://h:1/repo/paper/x/"),
        ("../../../../../style.css", "http://h:1/style.css"),
        ("index.html#ref-x", "http://h:1/repo/digest/2024-04-02/index.html"),
        ("./a/./b/..", "http://h:1/repo/digest/2024-04-02/a/"),
        ("/repo/atom.xml", "http://h:1/repo/atom.xml"),
        ("?q=nerf", "http://h:1/repo/digest/2024-04-02/?q=nerf"),
        ("#top", "http://h:1/repo/digest/2024-04-02/"),
        ("//other.org/x", "http://other.org/x"),
        ("https://arxiv.org/abs/1", "https://arxiv.org/abs/1"),
    ];
    for (href, expected) in cases {
        assert_eq!(resolve(page, href).as_deref(), Some(expected), "{href}");
    }
    assert_eq!(
        resolve("http://h:1/repo/paper/x/index.html", "../y/").as_deref(),
        Some("http://h:1/repo/paper/y/")
    );
    assert_eq!(resolve(page, "mailto:a@b.org"), None);
    assert_eq!(resolve(page, "javascript:alert(1)"), None);
}

#[test]
fn the_static_server_serves_only_its_folder_under_its_prefix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("x")).unwrap();
    std::fs::write(dir.path().join("index.html"), "<a href=x/>x</a> <a href=/elsewhere/>out</a>").unwrap();
    std::fs::write(dir.path().join("x/index.html"), "<a href=../missing.css>missing</a>").unwrap();
    let server = StaticServer::start(dir.path(), "/repo/");
    assert_eq!(get(&server.url("/repo/x/")).status, 200);
    assert_eq!(get(&server.url("/repo/x/index.html")).content_type, "text/html; charset=utf-8");
    for missing in ["/x/", "/repo/y/", "/repo/../repo/x/", "/repo/%2e%2e/x/"] {
        assert_eq!(get(&server.url(missing)).status, 404, "{missing}");
    }
    let crawl = crawl(&server.url("/repo/"));
    assert_eq!(crawl.pages.len(), 2, "{crawl:?}");
    assert_eq!(crawl.problems.len(), 2, "{crawl:?}");
    assert!(crawl.problems[0].ends_with("link /elsewhere/ leaves /repo/"), "{crawl:?}");
    assert!(crawl.problems[1].ends_with("/repo/missing.css answers 404"), "{crawl:?}");
}
