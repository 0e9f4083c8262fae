//! Serve, answering: the HTTP side of `quire serve` (axum).
//!
//! Files come from the site in memory, never from the output folder, so a
//! request can only reach what a build would write: a page is rendered
//! when first asked for and kept in a bounded cache ([`Memory`]) until a
//! change drops it. Only GET and HEAD are answered; a path that
//! tries to climb out (`..`, encoded or not, backslashes) is refused with
//! 400, and so is a request with no `Host` or two, or with an absolute URL
//! in its request line (`GET http://evil.example/`); a request whose `Host`
//! is not this server is refused with 403 (DNS rebinding: see [`Hosts`]).
//! Nothing is cached, no CORS header is sent, browsers must not guess types
//! (`nosniff`) and no other site may frame a page (`frame-ancestors 'none'`).
//! A connection that has not sent its headers within [`HEADER_TIMEOUT`] is
//! closed, so slow or silent clients cannot hold the server's sockets.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};
use tokio::sync::watch;

use super::reload::{self, Status, EVENTS_PATH};
use crate::error::Result;
use crate::site::Site;
use crate::write::Memory as Files;

/// What every request handler needs.
#[derive(Clone)]
pub struct AppState {
    /// The site: it makes any file not in `files`.
    pub site: Arc<RwLock<Site>>,
    /// The files made so far, a bounded cache.
    pub files: Files,
    pub status: watch::Receiver<Status>,
    /// The site's path prefix, `/` or `/repo/`; a rebuild may change it.
    pub base_path: Arc<RwLock<String>>,
    /// `Host` values this server answers to.
    pub hosts: Arc<Hosts>,
}

/// How long a client may take to send a request's headers before its
/// connection is closed: a browser on this machine sends them at once, and
/// a connection that trickles them (or says nothing) holds a socket.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Answers every connection `listener` accepts with `router`, over
/// HTTP/1.1, until the future is dropped. Unlike `axum::serve`, it closes
/// connections that do not send their headers within [`HEADER_TIMEOUT`].
pub async fn serve(listener: tokio::net::TcpListener, router: Router) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait for connections to close.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The router: live-reload events, then every file of the site.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(file)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Refuses malformed requests, foreign hosts and other methods; marks
/// every answer `no-store`, `nosniff` and not to be framed.
async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = match refusal(&state.hosts, &request) {
        Some(refused) => refused,
        None => next.run(request).await,
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("frame-ancestors 'none'"));
    response
}

/// Why `request` is not answered, if it is not.
fn refusal(hosts: &Hosts, request: &Request) -> Option<Response> {
    let host: Vec<_> = request.headers().get_all(header::HOST).iter().collect();
    let uri = request.uri();
    if host.len() != 1 || uri.scheme().is_some() || uri.authority().is_some() {
        let why = "a request needs one Host header and a path (not an absolute URL)\n";
        return Some((StatusCode::BAD_REQUEST, why).into_response());
    }
    if !hosts.allows(host[0].to_str().unwrap_or("")) {
        let why = "quire serve answers only to its own address\n";
        return Some((StatusCode::FORBIDDEN, why).into_response());
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Some((StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")], "").into_response());
    }
    None
}

/// The `Host` values this server answers to: `localhost`, the loopback
/// addresses and the address it listens on, at its port. Listening on every
/// interface (`0.0.0.0`, `::`), it answers to each address of the machine
/// (its interfaces' addresses, asked again when an unknown one comes, since
/// they change). Any other name is refused, so a web page whose name was
/// pointed at this machine (DNS rebinding) cannot read the preview.
#[derive(Debug)]
pub struct Hosts {
    port: u16,
    /// Loopback and the address listened on.
    fixed: Vec<IpAddr>,
    /// The machine's addresses, when listening on every interface.
    interfaces: Option<RwLock<Vec<IpAddr>>>,
}

impl Hosts {
    pub fn new(addr: SocketAddr) -> Self {
        let interfaces = addr.ip().is_unspecified().then(|| RwLock::new(interface_addresses()));
        let fixed = vec![Ipv4Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into(), addr.ip()];
        Hosts { port: addr.port(), fixed, interfaces }
    }

    /// Whether a request with this `Host` is for this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else { return false };
        if port != self.port {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else { return false };
        if self.fixed.contains(&ip) {
            return true;
        }
        let Some(interfaces) = &self.interfaces else { return false };
        if interfaces.read().unwrap_or_else(|e| e.into_inner()).contains(&ip) {
            return true;
        }
        let now = interface_addresses();
        let found = now.contains(&ip);
        *interfaces.write().unwrap_or_else(|e| e.into_inner()) = now;
        found
    }
}

/// The addresses of this machine's network interfaces.
pub fn interface_addresses() -> Vec<IpAddr> {
    if_addrs::get_if_addrs().map(|all| all.into_iter().map(|i| i.ip()).collect()).unwrap_or_default()
}

/// `name:port`, `[v6]:port`, or a bare name (port 80), as `Host` carries them.
fn split_host(host: &str) -> Option<(&str, u16)> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (name, after) = rest.split_once(']')?;
            (name, after.strip_prefix(':'))
        }
        None if host.matches(':').count() > 1 => return None,
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port = port.map_or(Some(80), |p| p.parse().ok())?;
    (!name.is_empty()).then_some((name, port))
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, by output path.
    File(String),
    /// The same path with a trailing slash, or the prefix itself (asked
    /// for without its slash, or at the host's root).
    Redirect(String),
    NotFound,
    /// A path that tries to leave the site, or is not valid.
    Bad,
}

/// Resolves a raw (still percent-encoded) request path against the site.
pub fn resolve(raw: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> Target {
    if raw.contains('\\') || raw.to_ascii_lowercase().contains("%5c") {
        return Target::Bad;
    }
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else { return Target::Bad };
    if path.contains(['\\', '\0']) || path.split('/').any(|s| s == ".." || s == ".") {
        return Target::Bad;
    }
    // `/repo` and the host's root lead to the site at `/repo/`.
    if format!("{path}/") == base_path || path == "/" && base_path != "/" {
        return Target::Redirect(base_path.to_owned());
    }
    let Some(rel) = path.strip_prefix(base_path) else { return Target::NotFound };
    let file = crate::url::output_file(rel);
    if exists(&file) {
        Target::File(file)
    } else if exists(&format!("{rel}/index.html")) {
        Target::Redirect(format!("{base_path}{rel}/"))
    } else {
        Target::NotFound
    }
}

async fn file(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    // Rendering a page takes the site's lock and some CPU: off the async threads.
    tokio::task::spawn_blocking(move || answer(&state, &path)).await.unwrap_or_else(|_| {
        (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be made\n").into_response()
    })
}

/// The answer to a GET of `raw`, with the site locked for reading: a
/// rebuild waits, so a page is never made from one state and kept after
/// the next.
fn answer(state: &AppState, raw: &str) -> Response {
    let base_path = state.base_path.read().unwrap_or_else(|e| e.into_inner()).clone();
    let site = state.site.read().unwrap_or_else(|e| e.into_inner());
    match resolve(raw, &base_path, |f| site.has_file(f)) {
        Target::File(path) => match cached(&site, &state.files, &path) {
            Some(Ok(bytes)) => serve_bytes(StatusCode::OK, &path, bytes),
            Some(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{}\n", e.chain())).into_response(),
            None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        },
        Target::Redirect(to) => (StatusCode::FOUND, [(header::LOCATION, to)]).into_response(),
        Target::Bad => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
        Target::NotFound => match cached(&site, &state.files, "404.html") {
            Some(Ok(page)) => serve_bytes(StatusCode::NOT_FOUND, "404.html", page),
            _ => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        },
    }
}

/// The file at `path` from the cache, or made by the site and kept.
fn cached(site: &Site, files: &Files, path: &str) -> Option<Result<Bytes>> {
    if let Some(bytes) = files.get(path) {
        return Some(Ok(bytes));
    }
    Some(site.file(path)?.map(|bytes| {
        let bytes = Bytes::from(bytes);
        files.keep(path, bytes.clone());
        bytes
    }))
}

fn serve_bytes(status: StatusCode, path: &str, bytes: Bytes) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        Body::from(reload::inject(&String::from_utf8_lossy(&bytes)))
    } else {
        Body::from(bytes)
    };
    (status, [(header::CONTENT_TYPE, kind)], body).into_response()
}

/// The media type of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Server-sent events: the current warnings and problem at once, then
/// every new signal.
async fn events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut status = state.status;
    let first = status.borrow_and_update().on_connect();
    let stream = stream::unfold((status, first), |(mut status, mut pending)| async move {
        let next = match pending.is_empty() {
            false => pending.remove(0),
            true => {
                status.changed().await.ok()?;
                status.borrow_and_update().clone()
            }
        };
        let (name, data) = next.signal.event().unwrap_or(("ping", String::new()));
        // Browsers drop an event that has no `data:` line: send the name as data.
        let data = if data.is_empty() { name.to_owned() } else { data };
        let event = Event::default().event(name).id(next.generation.to_string()).data(data);
        Some((Ok(event), (status, pending)))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_in(raw: &str, base: &str) -> Target {
        let files = ["index.html", "digest/2024-04-02/index.html", "style.css", "404.html"];
        resolve(raw, base, |f| files.contains(&f))
    }

    #[test]
    fn paths_map_to_files_under_the_prefix() {
        assert_eq!(resolve_in("/", "/"), Target::File("index.html".into()));
        assert_eq!(resolve_in("/style.css", "/"), Target::File("style.css".into()));
        assert_eq!(
            resolve_in("/digest/2024-04-02/", "/"),
            Target::File("digest/2024-04-02/index.html".into())
        );
        assert_eq!(resolve_in("/digest/2024-04-02", "/"), Target::Redirect("/digest/2024-04-02/".into()));
        assert_eq!(resolve_in("/repo/style.css", "/repo/"), Target::File("style.css".into()));
        assert_eq!(resolve_in("/repo", "/repo/"), Target::Redirect("/repo/".into()));
        assert_eq!(resolve_in("/", "/repo/"), Target::Redirect("/repo/".into()));
        assert_eq!(resolve_in("/", "/a/b/"), Target::Redirect("/a/b/".into()));
        assert_eq!(resolve_in("/style.css", "/repo/"), Target::NotFound);
        assert_eq!(resolve_in("/nope", "/"), Target::NotFound);
    }

    #[test]
    fn climbing_out_is_refused() {
        for raw in [
            "/../site.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fsite.toml",
            "/a/..",
            "/%5c..%5csite.toml",
            "/\\..\\x",
            "/%00",
        ] {
            assert_eq!(resolve_in(raw, "/"), Target::Bad, "{raw}");
        }
        assert_eq!(resolve_in("/%252e%252e/site.toml", "/"), Target::NotFound);
    }

    #[test]
    fn only_this_servers_names_and_addresses_are_hosts() {
        let hosts = Hosts::new("127.0.0.1:1111".parse().unwrap());
        for ok in
            ["localhost:1111", "LocalHost:1111", "127.0.0.1:1111", "[::1]:1111", "[0:0:0:0:0:0:0:1]:1111"]
        {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example:1111",
            "localhost",
            "localhost:1112",
            "127.0.0.1:1111:1",
            "::1:1111",
            "10.1.2.3:1111",
            "localhost.evil.example:1111",
            "",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
        let lan = Hosts::new("0.0.0.0:1111".parse().unwrap());
        for ip in interface_addresses() {
            let host = SocketAddr::new(ip, 1111).to_string();
            assert!(lan.allows(&host), "{host}");
            assert!(!hosts.allows(&host) || ip.is_loopback(), "{host} on a loopback-only server");
        }
        assert!(!lan.allows("203.0.113.9:1111") && !lan.allows("evil.example:1111"));
        assert_eq!(split_host("example.org"), Some(("example.org", 80)));
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }
}
