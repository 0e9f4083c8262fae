//! `quire serve`: a local preview that rebuilds on save and reloads the browser.
//!
//! Beside the build pipeline, not in it: [`watch`] turns file events into
//! batches of paths, [`changes`] decides what they mean, [`live`] keeps the
//! site in memory and re-renders only what changed, [`http`] serves it from
//! memory (never touching `public/`), and [`reload`] tells open pages to
//! reload or to show the error.

pub mod changes;
pub mod http;
pub mod live;
pub mod reload;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use annotate_snippets::Renderer;
use tokio::net::TcpListener;
use tokio::sync::watch as channel;

use crate::config::BaseUrl;
use crate::error::{plural, Error, Result};
use changes::{classify, Plan};
use live::{LiveSite, Outcome};
use reload::{Signal, Status};

/// What `quire serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

/// How many ports after the asked one are tried when it is taken.
const PORT_TRIES: u16 = 10;

/// Builds the site in memory, serves it, and rebuilds on every change until Ctrl+C.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(run(options))
}

async fn run(options: &ServeOptions) -> Result<()> {
    let root = options.root.canonicalize().map_err(Error::io("read", &options.root))?;
    let listener = bind(options.interface, options.port).await?;
    let addr = listener.local_addr().map_err(|e| Error::Usage(format!("no local address: {e}")))?;
    if !options.interface.is_loopback() {
        eprintln!("warning: serving on {addr}: other machines on the network can read this preview");
    }
    let origin = format!("http://{addr}");
    let files = live::Files::default();
    let mut site = LiveSite::new(&root, options.drafts, BaseUrl { origin, path: "/".into() }, files.clone());
    let (status, status_rx) = channel::channel(Status { generation: 0, signal: Signal::Idle });
    let started = Instant::now();
    let first = site.apply(&Plan { everything: true, ..Plan::default() });
    site.render_waiting();
    report(&first, started);
    let base_path = Arc::new(RwLock::new(site.base_url().path.clone()));
    publish(&status, &first, false);
    let url = site.base_url().absolute("");
    println!("Serving {url} (Ctrl+C to stop)");
    let (batches_tx, batches) = mpsc::channel();
    let watcher = watch::watch(&root, batches_tx)?;
    let hosts = Arc::new(http::Hosts::new(addr));
    let state = http::AppState { files, status: status_rx, base_path: base_path.clone(), hosts };
    std::thread::spawn(move || rebuild_loop(site, watcher, batches, status, base_path));
    if options.open {
        open_browser(&url);
    }
    axum::serve(listener, http::router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Error::Usage(format!("the server stopped: {e}")))
}

/// Binds `port`, or the next free one (saying so).
async fn bind(interface: IpAddr, port: u16) -> Result<TcpListener> {
    let mut last = None;
    for candidate in port..port.saturating_add(PORT_TRIES) {
        match TcpListener::bind(SocketAddr::new(interface, candidate)).await {
            Ok(listener) => {
                if candidate != port {
                    eprintln!("port {port} is in use; using {candidate} instead");
                }
                return Ok(listener);
            }
            Err(e) => last = Some(e),
        }
    }
    let reason = last.map(|e| e.to_string()).unwrap_or_default();
    Err(Error::Usage(format!(
        "cannot listen on {interface} ports {port}-{}: {reason}; choose another with --port",
        port.saturating_add(PORT_TRIES - 1)
    )))
}

/// Applies each batch of changes (and any that queued meanwhile) in turn.
fn rebuild_loop(
    mut site: LiveSite,
    mut watcher: watch::Watcher,
    batches: mpsc::Receiver<Vec<PathBuf>>,
    status: channel::Sender<Status>,
    base_path: Arc<RwLock<String>>,
) {
    let root = site.root().to_path_buf();
    let mut next = None;
    while let Some(batch) = next.take().or_else(|| batches.recv().ok()) {
        let mut paths: Vec<PathBuf> = batch;
        paths.extend(batches.try_iter().flatten());
        let theme = site.theme_name().unwrap_or("default").to_owned();
        let mut plan = Plan::from_changes(paths.iter().map(|p| classify(&root, &theme, p)));
        // A source folder made after start: watch it, and read everything again.
        if watcher.watch_new_folders().unwrap_or(false) {
            plan.everything = true;
        }
        if plan.is_empty() {
            continue;
        }
        let started = Instant::now();
        let outcome = site.apply(&plan);
        report(&outcome, started);
        *base_path.write().unwrap_or_else(|e| e.into_inner()) = site.base_url().path.clone();
        publish(&status, &outcome, plan.css_only());
        // Saves that came meanwhile go first; feeds and the index after.
        match batches.try_recv() {
            Ok(batch) => next = Some(batch),
            Err(_) => catch_up(&mut site),
        }
    }
}

/// Renders what could wait until the changed pages were served: feeds,
/// data and the search index.
fn catch_up(site: &mut LiveSite) {
    let started = Instant::now();
    let n = site.render_waiting();
    if n > 0 {
        println!(
            "Then updated feeds, data and the search index ({}) in {} ms.",
            plural(n, "file"),
            started.elapsed().as_millis()
        );
    }
}

/// Tells open pages what happened.
fn publish(status: &channel::Sender<Status>, outcome: &Outcome, css_only: bool) {
    let was_problem = matches!(status.borrow().signal, Signal::Problem(_));
    let signal = match outcome {
        Outcome::Failed(problems) => Signal::Problem(problem_text(problems)),
        Outcome::Changed(_) if css_only => Signal::Css,
        Outcome::Changed(_) => Signal::Reload,
        Outcome::Unchanged if was_problem => Signal::Fixed,
        Outcome::Unchanged => return,
    };
    status.send_modify(|s| {
        s.generation += 1;
        s.signal = signal;
    });
}

fn problem_text(problems: &[crate::error::Diagnostic]) -> String {
    let renderer = Renderer::plain();
    problems.iter().map(|d| d.render(&renderer)).collect::<Vec<_>>().join("\n\n")
}

/// One line per rebuild on the terminal, or the problems.
fn report(outcome: &Outcome, started: Instant) {
    let ms = started.elapsed().as_millis();
    match outcome {
        Outcome::Changed(n) => println!("Rebuilt {} in {ms} ms.", plural(*n, "file")),
        Outcome::Unchanged => println!("Nothing changed ({ms} ms)."),
        Outcome::Failed(problems) => {
            eprintln!("{}", problem_text(problems));
            eprintln!("error: {}; still serving the last good pages", plural(problems.len(), "problem"));
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not start {opener}; open {url} yourself");
    }
}
