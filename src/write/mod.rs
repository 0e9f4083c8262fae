//! Stage 4: where a site's files go.
//!
//! The [`crate::site::Site`] emits a plan into an [`Output`]; there are three:
//!
//! - [`dir`]: the output folder on disk for `quire build`, written whole
//!   into a staging folder and swapped in at once;
//! - [`memory`]: the files `quire serve` answers from, updated file by file;
//! - [`collect`]: every file in a map, for `quire check` to read.
//!
//! An output only stores what it is given: what to render, and when, is
//! the site's decision.

pub mod collect;
mod dir;
pub mod memory;

use std::path::Path;

pub use collect::Collector;
pub use dir::OutputDir;
pub use memory::Memory;

use crate::error::{Error, Result};

/// Hands one file to an output: its path (`/`-separated, under the output
/// root) and its bytes. Callable from many threads at once.
pub type Sink<'a> = dyn Fn(String, Vec<u8>) -> Result<()> + Sync + 'a;

/// Somewhere a site's files are written.
pub trait Output: Sync {
    /// Writes (or replaces) the file at `path` (`digest/2024-04-02/index.html`).
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()>;

    /// Writes a copy of the source file `from` at `path`. A file that
    /// cannot be read is an error naming it.
    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(Error::io("read", from))?;
        self.put(path, bytes)
    }

    /// Removes the file at `path`, if there is one.
    fn remove(&self, path: &str) -> Result<()>;

    /// Runs `produce`, which makes files on many threads and hands each to
    /// the sink it is given. By default each file is put by the thread that
    /// made it; an output may gather them on a thread of its own instead.
    fn receive(&self, produce: &dyn Fn(&Sink) -> Result<()>) -> Result<()> {
        produce(&|path, bytes| self.put(&path, bytes))
    }
}
