//! `quire check --external`: links to other sites, asked politely.
//!
//! Each distinct URL is asked once, however many pages link to it: a HEAD
//! request, then a GET when the server refuses HEAD. Hosts are asked in
//! parallel, but each host one request at a time with a pause between
//! requests: a digest links every paper to arxiv.org twice, and a checker
//! must not hammer it.
//!
//! The requests are made by the system's `curl` (present on Linux, macOS
//! and Windows 10 and later), so quire compiles no TLS stack of its own
//! (rustls and ring were most of a cold build's time) and a check uses the
//! system's certificates and proxy settings; a URL is asked as written,
//! never expanded as curl's `[1-30]` or `{a,b}` ranges. An answer of 400 or more, a
//! redirect loop or a bad certificate is a broken link; no answer at all (a
//! host that does not resolve, a refused connection, a timeout) says nothing
//! about the link, only that it *could not be checked*, and is counted apart.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use super::Broken;
use crate::error::{Error, Result};

/// How to ask other sites.
#[derive(Debug, Clone, Copy)]
pub struct Politeness {
    /// The pause between two requests to the same host.
    pub delay: Duration,
    /// How long one request may take.
    pub timeout: Duration,
}

/// What asking found: links that are broken, and links that got no answer.
#[derive(Debug, Default)]
pub struct Findings {
    pub broken: Vec<Broken>,
    pub unchecked: Vec<Broken>,
}

/// At most this many hosts are asked at the same time.
const PARALLEL_HOSTS: usize = 4;

/// The program that makes the requests.
const CURL: &str = "curl";

/// curl's exit codes that mean no answer came: the proxy or the host did
/// not resolve (5, 6), the connection was refused (7), the time ran out
/// (28), the connection broke (52, 55, 56).
const NO_ANSWER: &[i32] = &[5, 6, 7, 28, 52, 55, 56];

/// One URL's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Fine,
    Broken(String),
    NoAnswer(String),
}

/// Asks every URL of `links` (URL -> the pages linking to it); returns the
/// broken and the unanswered ones, once per page. Fails when there is no
/// `curl` to ask with, and when a worker panicked: its hosts' broken links
/// would otherwise go unreported.
pub fn check(links: &BTreeMap<String, BTreeSet<String>>, politeness: Politeness) -> Result<Findings> {
    if links.is_empty() {
        return Ok(Findings::default());
    }
    ensure_curl(CURL)?;
    let mut by_host: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for url in links.keys() {
        by_host.entry(host(url)).or_default().push(url);
    }
    let hosts: Vec<Vec<&str>> = by_host.into_values().collect();
    let outcomes = std::thread::scope(|scope| -> Result<Vec<Vec<(&str, Outcome)>>> {
        let workers: Vec<_> = (0..PARALLEL_HOSTS.min(hosts.len()))
            .map(|w| {
                let hosts = &hosts;
                scope.spawn(move || {
                    hosts
                        .iter()
                        .skip(w)
                        .step_by(PARALLEL_HOSTS)
                        .flat_map(|urls| ask_host(urls, politeness))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().map_err(|_| Error::Panicked("a link-checking worker"))).collect()
    })?;
    let mut findings = Findings::default();
    for (url, outcome) in outcomes.into_iter().flatten() {
        let (list, reason) = match outcome {
            Outcome::Fine => continue,
            Outcome::Broken(reason) => (&mut findings.broken, reason),
            Outcome::NoAnswer(reason) => (&mut findings.unchecked, reason),
        };
        list.extend(links[url].iter().map(|page| Broken {
            page: page.clone(),
            link: url.to_owned(),
            reason: reason.clone(),
        }));
    }
    findings.broken.sort();
    findings.unchecked.sort();
    Ok(findings)
}

/// Asks one host's URLs in turn, pausing between them.
fn ask_host<'u>(urls: &[&'u str], politeness: Politeness) -> Vec<(&'u str, Outcome)> {
    let mut outcomes = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(politeness.delay);
        }
        outcomes.push((*url, ask(url, politeness.timeout)));
    }
    outcomes
}

/// HEAD, then GET when the server refuses HEAD.
fn ask(url: &str, timeout: Duration) -> Outcome {
    match request(url, timeout, true) {
        Outcome::Broken(reason) if ["HTTP 403", "HTTP 405", "HTTP 501"].contains(&reason.as_str()) => {
            request(url, timeout, false)
        }
        outcome => outcome,
    }
}

/// One request with curl, following redirects, discarding the body.
fn request(url: &str, timeout: Duration, head: bool) -> Outcome {
    let mut curl = Command::new(CURL);
    // `--globoff`: `[1-30]` and `{a,b}` in a URL are characters of it, not
    // a range of URLs to ask (curl would send one request per expansion).
    curl.args(["--globoff", "--silent", "--show-error", "--location", "--max-redirs", "10"])
        .args(["--proto", "=http,https", "--proto-redir", "=http,https"])
        .args(["--max-time", &format!("{:.3}", timeout.as_secs_f64())])
        .args(["--user-agent", concat!("quire-check/", env!("CARGO_PKG_VERSION"))])
        .args(["--output", if cfg!(windows) { "NUL" } else { "/dev/null" }])
        .args(["--write-out", "%{http_code}"]);
    if head {
        curl.arg("--head");
    }
    // `--` ends the options: a URL can never be taken for one.
    curl.arg("--").arg(url).stdin(Stdio::null());
    match curl.output() {
        Ok(out) => outcome(&out),
        Err(e) => Outcome::NoAnswer(format!("curl did not run: {e}")),
    }
}

/// Reads curl's exit code and the status code it wrote.
fn outcome(out: &Output) -> Outcome {
    let said = String::from_utf8_lossy(&out.stderr);
    let said = said.trim().trim_start_matches("curl: ");
    // `(6) Could not resolve host: x` -> `Could not resolve host: x`
    let said = match said.split_once(") ") {
        Some((code, rest)) if code.starts_with('(') => rest,
        _ => said,
    }
    .to_owned();
    match out.status.code() {
        Some(0) => {
            let status: u16 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
            if (200..400).contains(&status) {
                Outcome::Fine
            } else {
                Outcome::Broken(format!("HTTP {status}"))
            }
        }
        Some(code) if NO_ANSWER.contains(&code) => Outcome::NoAnswer(said),
        _ => Outcome::Broken(said),
    }
}

/// `curl --version`, or an error saying how to get curl.
fn ensure_curl(curl: &str) -> Result<()> {
    let ran = Command::new(curl).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    match ran {
        Ok(status) if status.success() => Ok(()),
        _ => Err(Error::CurlMissing),
    }
}

/// `scheme://host:port` of a URL, the unit requests are spaced by.
fn host(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find(['/', '?', '#']).map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    use super::*;

    #[test]
    fn no_curl_is_an_error_that_says_how_to_get_it() {
        let missing = ensure_curl("/nonexistent/quire-test/curl");
        assert!(matches!(missing, Err(Error::CurlMissing)), "{missing:?}");
        assert!(missing.unwrap_err().to_string().contains("apt-get install curl"));
    }

    #[test]
    fn requests_are_grouped_by_host() {
        assert_eq!(host("https://arxiv.org/abs/2404.01300"), "https://arxiv.org");
        assert_eq!(host("http://127.0.0.1:8080/x?y"), "http://127.0.0.1:8080");
        assert_eq!(host("https://example.org"), "https://example.org");
    }

    /// A server that answers `/gone` with 404, `/no-head` with 405 to HEAD,
    /// and everything else with 200.
    fn answering_server() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(10) {
                let mut stream = stream.unwrap();
                let mut line = String::new();
                BufReader::new(&stream).read_line(&mut line).unwrap();
                let mut words = line.split_whitespace();
                let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
                let status = match (method, path) {
                    (_, "/gone") => "404 Not Found",
                    ("HEAD", "/no-head") => "405 Method Not Allowed",
                    _ => "200 OK",
                };
                let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        port
    }

    #[test]
    fn no_answer_is_told_apart_from_a_broken_link() {
        let answering = answering_server();
        // Connections to it complete (the kernel's backlog), but nobody ever answers.
        let silent = TcpListener::bind("127.0.0.1:0").unwrap();
        let silent_port = silent.local_addr().unwrap().port();
        let urls = [
            format!("http://127.0.0.1:{answering}/ok"),
            format!("http://127.0.0.1:{answering}/gone"),
            format!("http://127.0.0.1:{answering}/no-head"),
            format!("http://127.0.0.1:{silent_port}/slow"),
            "http://unresolvable.invalid/paper".to_owned(),
        ];
        let links = urls.iter().map(|u| (u.clone(), BTreeSet::from(["/paper/a/".to_owned()]))).collect();
        let politeness = Politeness { delay: Duration::ZERO, timeout: Duration::from_millis(1500) };
        let findings = check(&links, politeness).unwrap();
        let broken: Vec<(&str, &str)> =
            findings.broken.iter().map(|b| (b.link.as_str(), b.reason.as_str())).collect();
        assert_eq!(broken, [(urls[1].as_str(), "HTTP 404")]);
        let unchecked: Vec<&str> = findings.unchecked.iter().map(|b| b.link.as_str()).collect();
        assert_eq!(unchecked, [urls[3].as_str(), urls[4].as_str()]);
        assert!(findings.unchecked[0].reason.contains("timed out"), "{:?}", findings.unchecked);
        assert!(findings.unchecked[1].reason.contains("resolve"), "{:?}", findings.unchecked);
        drop(silent);
    }

    /// A server that answers 404 to every request and counts them.
    fn counting_server() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = count.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(100) {
                let mut stream = stream.unwrap();
                let mut line = String::new();
                BufReader::new(&stream).read_line(&mut line).unwrap();
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let _ = write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        (port, count)
    }

    #[test]
    fn brackets_and_braces_in_a_url_are_one_request() {
        let (port, count) = counting_server();
        let urls =
            [format!("http://127.0.0.1:{port}/u[1-30]"), format!("http://127.0.0.1:{port}/v{{a,b,c}}")];
        let links = urls.iter().map(|u| (u.clone(), BTreeSet::from(["/paper/a/".to_owned()]))).collect();
        let politeness = Politeness { delay: Duration::ZERO, timeout: Duration::from_secs(10) };
        let findings = check(&links, politeness).unwrap();
        // One HEAD each, then a GET each (404 is not a refusal of HEAD): no expansion.
        assert_eq!(findings.broken.len(), 2, "{:?}", findings.broken);
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    #[test]
    fn curl_exit_codes_are_read() {
        let out = |code: i32, stdout: &str, stderr: &str| {
            #[cfg(unix)]
            let status = std::os::unix::process::ExitStatusExt::from_raw(code << 8);
            #[cfg(windows)]
            let status = std::os::windows::process::ExitStatusExt::from_raw(code as u32);
            outcome(&Output { status, stdout: stdout.into(), stderr: stderr.into() })
        };
        assert_eq!(out(0, "204", ""), Outcome::Fine);
        assert_eq!(out(0, "410", ""), Outcome::Broken("HTTP 410".into()));
        assert_eq!(
            out(6, "000", "curl: (6) Could not resolve host: x.invalid\n"),
            Outcome::NoAnswer("Could not resolve host: x.invalid".into())
        );
        assert_eq!(
            out(60, "000", "curl: (60) SSL certificate problem\n"),
            Outcome::Broken("SSL certificate problem".into())
        );
    }
}
