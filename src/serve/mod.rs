//! `quire serve`: a local preview that rebuilds on save and reloads the browser.
//!
//! Beside the build pipeline, not in it: [`watch`] turns file events into
//! batches of paths; the [`Site`] is told what they change
//! ([`crate::site::change`]) and drops what that touches from the files
//! served ([`Memory`], a bounded cache); [`http`] serves any file of the
//! site from memory (never touching `public/`), rendering a page when it is
//! first asked for, and [`reload`] tells open pages to reload, or shows the
//! error or the warnings over them. So the first page of a large archive is
//! served as soon as its papers are read and grouped: no page is rendered
//! before a reader asks for it, and only what the cache holds is kept. The
//! papers' texts no page asked for are rendered between rebuilds, in small
//! steps: then the site's warnings are known, printed (at start-up) and shown.

pub mod http;
pub mod listen;
pub mod reload;
pub mod watch;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use annotate_snippets::Renderer;
use tokio::sync::watch as channel;

use crate::error::{plural, Diagnostic, Error, Result};
use crate::site::{classify, Address, Changes, Site};
use crate::write::Memory;
use reload::{Signal, Status};

/// What `quire serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// The port asked for; without one, the default or the next free one.
    pub port: Option<u16>,
    pub open: bool,
    pub drafts: bool,
}

/// The most bytes of pages kept rendered: a few hundred pages of a large
/// archive, more than a reader opens between two edits.
const CACHE_BYTES: usize = 96 << 20;

/// Texts rendered in one step between rebuilds: a step is short enough
/// that a save waits for it no more than a few milliseconds.
const TEXTS_PER_STEP: usize = 64;

/// Builds the site in memory, serves it, and rebuilds on every change until Ctrl+C.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Server { action: "start the server's runtime".into(), source })?;
    runtime.block_on(run(options))
}

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Files changed: this many were written or removed, `pages` of them
    /// HTML pages.
    Changed { files: usize, pages: usize },
    /// Nothing served changed.
    Unchanged,
    /// The site has problems; the last good files are still served.
    Failed(Vec<Diagnostic>),
}

async fn run(options: &ServeOptions) -> Result<()> {
    let listener = listen::bind(options.interface, options.port).await?;
    let addr = listener
        .local_addr()
        .map_err(|source| Error::Server { action: "find the server's address".into(), source })?;
    let origin = format!("http://{}", listen::local(addr));
    // No site here: fail as `build` does. A site.toml with a mistake is
    // served, the mistake shown over the page until it is fixed.
    let mut site = Site::open(&options.root, options.drafts, Address::Origin(origin.clone()))?;
    if !options.interface.is_loopback() {
        eprintln!("warning: serving on {}: other machines on the network can read this preview", addr.ip());
    }
    // Watching before the site is read: a save made meanwhile is not missed.
    let (batches_tx, batches) = mpsc::channel();
    let watcher = watch::watch(site.root(), batches_tx)?;
    let files = Memory::bounded(CACHE_BYTES);
    let (status, status_rx) = channel::channel(Status::default());
    let started = Instant::now();
    let first = rebuild(&mut site, &Changes::everything(), &files, false);
    match first {
        // What `build` says, less the size: pages are made when asked for.
        Outcome::Changed { files, pages } => {
            let (papers, digests) = site.counts();
            let ms = started.elapsed().as_millis();
            let drafts = crate::drafts_left_out(site.drafts_left_out(), "serves");
            println!("{} in {ms} ms.{drafts}", crate::built_line(papers, digests, pages, files));
        }
        _ => report(&first, started),
    }
    let base_path = Arc::new(RwLock::new(path_prefix(&site, "/")));
    publish(&status, &first, false, &site);
    let url = format!("{origin}{}", base_path.read().unwrap_or_else(|e| e.into_inner()));
    println!("Serving {url} (Ctrl+C to stop)");
    let path = base_path.read().unwrap_or_else(|e| e.into_inner()).clone();
    for other in listen::network(addr, &http::interface_addresses()) {
        println!("  and on the network at http://{other}{path}");
    }
    let hosts = Arc::new(http::Hosts::new(addr));
    let site = Arc::new(RwLock::new(site));
    let state = http::AppState {
        site: site.clone(),
        files: files.clone(),
        status: status_rx,
        base_path: base_path.clone(),
        hosts,
    };
    std::thread::spawn(move || rebuild_loop(site, files, watcher, batches, status, base_path));
    if options.open {
        open_browser(&url);
    }
    tokio::select! {
        () = http::serve(listener, http::router(state)) => Ok(()),
        stopped = tokio::signal::ctrl_c() => {
            stopped.map_err(|source| Error::Server { action: "wait for Ctrl+C".into(), source })
        }
    }
}

/// The site's path prefix, or `last` while `site.toml` cannot be read.
fn path_prefix(site: &Site, last: &str) -> String {
    site.base_url().map_or_else(|| last.to_owned(), |b| b.path.clone())
}

/// Pages rendered at once after a change ([`Site::emit_first`]): an edited
/// paper's page and its digest.
const FIRST_PAGES: usize = 2;

/// Applies `changes`: the files they touch are dropped from `files`, but
/// for the first few, rendered now ([`Site::emit_first`]); so are the
/// files left waiting (feeds, data, the search index), made again when
/// asked for. After the configuration or the theme changed, a page of each
/// template is rendered instead (with `templates`; the first reading leaves
/// that until the site is served), so that a template mistake shows as a
/// problem. Warnings go to the terminal.
fn rebuild(site: &mut Site, changes: &Changes, files: &Memory, templates: bool) -> Outcome {
    let applied = match site.apply(changes) {
        Ok(applied) => applied,
        Err(problems) => return Outcome::Failed(problems),
    };
    for warning in &applied.warnings {
        eprintln!("warning: {warning}");
    }
    let setup = changes.everything || changes.theme;
    let first = if setup { 0 } else { FIRST_PAGES };
    let emitted = site.emit_first(&applied.plan, files, first).and_then(|()| {
        let waiting = site.waiting();
        site.emit_first(&waiting, files, 0)?;
        if setup && templates {
            site.render_each_template(files)?;
        }
        Ok((waiting.len(), waiting.html_pages()))
    });
    match emitted {
        Err(e) => Outcome::Failed(e.into_diagnostics()),
        Ok((0, _)) if applied.plan.is_empty() => Outcome::Unchanged,
        Ok((files, pages)) => {
            Outcome::Changed { files: applied.plan.len() + files, pages: applied.plan.html_pages() + pages }
        }
    }
}

/// Applies each batch of changes (and any that queued meanwhile) in turn;
/// while no change waits, renders the texts no page asked for yet, a step
/// at a time, then shows the warnings they have.
fn rebuild_loop(
    site: Arc<RwLock<Site>>,
    files: Memory,
    mut watcher: watch::Watcher,
    batches: mpsc::Receiver<Vec<PathBuf>>,
    status: channel::Sender<Status>,
    base_path: Arc<RwLock<String>>,
) {
    let root = read(&site).root().to_path_buf();
    // Left from the first reading, now that pages are served.
    let checked = read(&site).render_each_template(&files);
    if let Err(e) = checked {
        let outcome = Outcome::Failed(e.into_diagnostics());
        report(&outcome, Instant::now());
        publish(&status, &outcome, false, &read(&site));
    }
    let mut work_left = true;
    let mut warnings_told = false;
    loop {
        let wait = if work_left { Duration::ZERO } else { Duration::from_secs(3600) };
        let mut paths = match batches.recv_timeout(wait) {
            Ok(batch) => batch,
            Err(RecvTimeoutError::Timeout) => {
                work_left = warm_up(&site);
                if !work_left {
                    let site = read(&site);
                    // Once every text of the first good site is rendered: its
                    // warnings, as `build` prints them. Later ones come with
                    // the rebuild that brings them.
                    if site.counts() != (0, 0) && !std::mem::replace(&mut warnings_told, true) {
                        for warning in site.warnings() {
                            eprintln!("warning: {warning}");
                        }
                    }
                    publish_warnings(&status, &site);
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        paths.extend(batches.try_iter().flatten());
        let theme = read(&site).config().map_or("default", |c| c.theme.as_str()).to_owned();
        let mut changes = Changes::from_changes(paths.iter().map(|p| classify(&root, &theme, p)));
        // A source folder made after start: watch it, and read everything again.
        if watcher.watch_new_folders().unwrap_or(false) {
            changes.everything = true;
        }
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        let mut site = site.write().unwrap_or_else(|e| e.into_inner());
        let outcome = rebuild(&mut site, &changes, &files, true);
        report(&outcome, started);
        if !matches!(outcome, Outcome::Failed(_)) && matches!(status.borrow().signal, Signal::Problem(_)) {
            println!("Fixed: the site builds again.");
        }
        {
            let mut path = base_path.write().unwrap_or_else(|e| e.into_inner());
            *path = path_prefix(&site, &path);
        }
        publish(&status, &outcome, changes.css_only(), &site);
        work_left = true;
    }
}

/// One step of the work done between rebuilds; whether any is left.
/// Texts are rendered with the site locked for reading, so pages are
/// served meanwhile; [`Site::prepare`] comes last.
fn warm_up(site: &RwLock<Site>) -> bool {
    if read(site).render_texts(TEXTS_PER_STEP) > 0 {
        return true;
    }
    site.write().unwrap_or_else(|e| e.into_inner()).prepare();
    false
}

fn read(site: &RwLock<Site>) -> std::sync::RwLockReadGuard<'_, Site> {
    site.read().unwrap_or_else(|e| e.into_inner())
}

/// Shows the site's warnings on open pages once every text is rendered,
/// if they are not shown already. While a problem is shown, pages connect
/// with both; open ones keep the problem.
fn publish_warnings(status: &channel::Sender<Status>, site: &Site) {
    let warnings = problem_text(&site.warnings());
    status.send_if_modified(|s| {
        if s.warnings == warnings {
            return false;
        }
        s.warnings = warnings.clone();
        if matches!(s.signal, Signal::Problem(_)) || warnings.is_empty() {
            return false;
        }
        s.generation += 1;
        s.signal = Signal::Warning(warnings);
        true
    });
}

/// Tells open pages what happened, and which warnings the site has now.
fn publish(status: &channel::Sender<Status>, outcome: &Outcome, css_only: bool, site: &Site) {
    let was_problem = matches!(status.borrow().signal, Signal::Problem(_));
    let signal = match outcome {
        Outcome::Failed(problems) => Signal::Problem(problem_text(problems)),
        Outcome::Changed { .. } if css_only => Signal::Css,
        Outcome::Changed { .. } => Signal::Reload,
        Outcome::Unchanged if was_problem => Signal::Fixed,
        Outcome::Unchanged => return,
    };
    let warnings = problem_text(&site.warnings());
    status.send_modify(|s| {
        s.generation += 1;
        s.signal = signal;
        s.warnings = warnings;
    });
}

fn problem_text(problems: &[Diagnostic]) -> String {
    let renderer = Renderer::plain();
    problems.iter().map(|d| d.render(&renderer)).collect::<Vec<_>>().join("\n\n")
}

/// One line per rebuild on the terminal, or the problems.
fn report(outcome: &Outcome, started: Instant) {
    let ms = started.elapsed().as_millis();
    match outcome {
        Outcome::Changed { files, .. } => println!("Updated {} in {ms} ms.", plural(*files, "file")),
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
