//! The client side of the serve tests: `quire serve` started on a port it
//! chooses itself, its output kept, plain HTTP/1.1 requests and the
//! live-reload event stream read as a browser reads it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::Site;

/// A running `quire serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    /// Every line it printed so far, standard output then error interleaved
    /// as they came: `out: ...` or `err: ...`.
    output: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(site: &Site) -> Server {
        Server::start_on(site, "127.0.0.1")
    }

    /// `quire serve --interface <interface> --port 0`: the server takes a
    /// port the system gives it and says which. A port found free by the
    /// test and handed over could be taken by any other socket of the
    /// suite before the server binds it.
    pub fn start_on(site: &Site, interface: &str) -> Server {
        Server::spawn(site, &["--interface", interface, "--port", "0"])
    }

    /// `quire serve <args>` in the site's folder, once it says where it serves.
    pub fn spawn(site: &Site, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .arg("serve")
            .args(args)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        keep_lines(child.stderr.take().unwrap(), "err", output.clone());
        let stdout = child.stdout.take().unwrap();
        // Owned first: if the server never says where it serves, it is
        // still stopped when the test fails.
        let mut server = Server { child, port: 0, output: output.clone() };
        let port = wait_for_serving(stdout, output);
        server.port = port.unwrap_or_else(|| panic!("no Serving line:\n{}", server.output().join("\n")));
        server
    }

    /// The lines printed so far (`out: ...`, `err: ...`).
    pub fn output(&self) -> Vec<String> {
        self.output.lock().unwrap().clone()
    }

    /// Waits until a printed line contains `needle`; returns it.
    pub fn wait_for_line(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(line) = self.output().into_iter().find(|l| l.contains(needle)) {
                return line;
            }
            assert!(Instant::now() < deadline, "no line with {needle:?}:\n{}", self.output().join("\n"));
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn get(&self, path: &str) -> Response {
        request(
            self.port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", self.port),
        )
    }

    /// Polls `path` until its body contains `needle`.
    pub fn wait_for(&self, path: &str, needle: &str) -> Response {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let r = self.get(path);
            if r.body.contains(needle) {
                return r;
            }
            assert!(Instant::now() < deadline, "{path} never showed {needle:?}; last:\n{}", r.body);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Subscribes to the live-reload events.
    pub fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET /__quire/live HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", self.port).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while line != "\r\n" {
            line.clear();
            reader.read_line(&mut line).expect("the event stream answers");
        }
        Events { reader }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads standard output until `Serving http://host:PORT/...`; returns
/// PORT, and keeps reading every line in the background.
fn wait_for_serving(stdout: ChildStdout, output: Arc<Mutex<Vec<String>>>) -> Option<u16> {
    let mut lines = BufReader::new(stdout).lines();
    let mut port = None;
    for line in lines.by_ref().map_while(Result::ok) {
        output.lock().unwrap().push(format!("out: {line}"));
        if let Some(url) = line.strip_prefix("Serving http://") {
            let authority = url.split('/').next().unwrap_or_default();
            port = authority.rsplit_once(':').and_then(|(_, p)| p.parse().ok());
            break;
        }
    }
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            output.lock().unwrap().push(format!("out: {line}"));
        }
    });
    port
}

/// Keeps every line of standard error, read in the background, so the
/// server never waits on a full pipe.
fn keep_lines(stderr: ChildStderr, tag: &'static str, output: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            output.lock().unwrap().push(format!("{tag}: {line}"));
        }
    });
}

pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event's name and data (multi-line data joined by newlines).
    pub fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), Vec::new());
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("no event within 10 s");
            assert!(n > 0, "event stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_owned();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v).to_owned());
            } else if line.is_empty() {
                // As a browser does: an event without data is dropped.
                if !data.is_empty() && !name.is_empty() && name != "ping" {
                    return (name, data.join("\n"));
                }
                (name, data) = (String::new(), Vec::new());
            }
        }
    }

    /// Waits for an event named `name`, skipping others.
    pub fn expect(&mut self, name: &str) -> String {
        loop {
            let (n, data) = self.next();
            if n == name {
                return data;
            }
        }
    }
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// Sends `raw` (a whole request, asking to close) to the server on `port`
/// and reads the answer to its end.
pub fn request(port: u16, raw: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Response { status, head: head.to_owned(), body: body.to_owned() }
}
