//! Stage 4: where a site's files go.
//!
//! The [`crate::site::Site`] emits a plan into an [`Output`]; there are three:
//!
//! - [`dir`]: the output folder on disk for `quire build`, written whole
//!   into a staging folder and swapped in at once;
//! - [`memory`]: the files `quire serve` answers from, updated file by file;
//! - [`collect`]: every file in a map, for `quire check` to read.
//!
//! [`tally`] counts what passes on its way into one of them.
//!
//! An output only stores what it is given, a [`File`] at a time: its path,
//! its bytes, and what kind of output it is as reports name it (a label it
//! is given, never guessed from the path). What to render, and when, is the
//! site's decision.

pub mod collect;
mod dir;
pub mod memory;
pub mod tally;

use std::path::Path;

pub use collect::Collector;
pub use dir::OutputDir;
pub use memory::Memory;
pub use tally::{Sizes, Tally};

use crate::error::{Error, Result};

/// One file of a site, ready for an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Where it goes: `/`-separated, under the output root
    /// (`digest/2024-04-02/index.html`).
    pub path: String,
    /// What kind of output it is, as reports of a site's size name it
    /// (`paper pages`, `static files`).
    pub kind: &'static str,
    pub bytes: Vec<u8>,
}

/// Hands one file to an output. Callable from many threads at once.
pub type Sink<'a> = dyn Fn(File) -> Result<()> + Sync + 'a;

/// Somewhere a site's files are written.
pub trait Output: Sync {
    /// Writes (or replaces) `file`.
    fn put(&self, file: File) -> Result<()>;

    /// Writes a copy of the source file `from` at `path`, a file of `kind`.
    /// A file that cannot be read is an error naming it.
    fn copy(&self, path: &str, kind: &'static str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(Error::io("read", from))?;
        self.put(File { path: path.to_owned(), kind, bytes })
    }

    /// Removes the file at `path`, if there is one.
    fn remove(&self, path: &str) -> Result<()>;

    /// Runs `produce` once: it makes files on many threads and hands each to
    /// the sink it is given. By default each file is put by the thread that
    /// made it; an output may gather them on a thread of its own instead.
    fn receive(&self, produce: &mut dyn FnMut(&Sink) -> Result<()>) -> Result<()> {
        produce(&|file| self.put(file))
    }
}
