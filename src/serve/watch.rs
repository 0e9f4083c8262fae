//! Serve, watching: file-system events -> batches of changed paths.
//!
//! notify reports events; its debouncer gathers the burst an editor makes on
//! one save (temporary file, rename, metadata) into one batch. Reads (which
//! inotify reports too, our own included) are dropped here; which of the
//! other paths matter is decided by [`crate::site::change`].

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};

use crate::error::{Error, Result};

/// How long a burst of events may last before it is handed over.
const QUIET: Duration = Duration::from_millis(10);

/// The folders a site is built from; `site.toml` is seen by watching the root.
const WATCHED: &[&str] = &["content", "templates", "themes", "static", "i18n"];

/// A running watch over a site's sources.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
}

/// Watches the site at `root`; every batch of changed paths goes to `batches`.
/// Watching stops when the returned [`Watcher`] is dropped.
pub fn watch(root: &Path, batches: Sender<Vec<PathBuf>>) -> Result<Watcher> {
    // Links are not followed, as nowhere in a site's sources (`layout::source_files`).
    let config = notify::Config::default().with_follow_symlinks(false);
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .collect();
        if !paths.is_empty() {
            let _ = batches.send(paths);
        }
    };
    let debouncer = new_debouncer_opt(QUIET, None, handler, RecommendedCache::new(), config)
        .map_err(|e| watch_error(root, e))?;
    let mut watcher = Watcher { root: root.to_path_buf(), debouncer, watched: Vec::new() };
    watcher.debouncer.watch(root, RecursiveMode::NonRecursive).map_err(|e| watch_error(root, e))?;
    watcher.watch_new_folders()?;
    Ok(watcher)
}

impl Watcher {
    /// Starts watching the source folders that did not exist before;
    /// returns whether there was any.
    pub fn watch_new_folders(&mut self) -> Result<bool> {
        let mut added = false;
        for dir in WATCHED.iter().map(|d| self.root.join(d)) {
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.debouncer.watch(&dir, RecursiveMode::Recursive).map_err(|e| watch_error(&dir, e))?;
                self.watched.push(dir);
                added = true;
            }
        }
        Ok(added)
    }
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::Io { action: "watch", path: path.to_path_buf(), source: std::io::Error::other(e) }
}
