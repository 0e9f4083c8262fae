//! Stage 4, sizes: an [`Output`] in front of another that counts every file
//! passing through it, by the kind each file is given as (paper pages,
//! static files...), as a host counts them (file sizes).
//!
//! `quire build` reports the total in its summary and checks it against
//! what GitHub Pages publishes ([`crate::limits`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use super::{File, Output, Sink};
use crate::error::{Error, Result};

/// What a site's files weigh.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sizes {
    pub files: usize,
    pub bytes: u64,
    /// Files and bytes by kind of output (`paper pages`, `search index`...).
    pub kinds: BTreeMap<&'static str, (usize, u64)>,
    /// The largest file: its output path and size.
    pub largest: Option<(String, u64)>,
}

impl Sizes {
    /// Counts one file of `kind`.
    pub fn add(&mut self, path: &str, kind: &'static str, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
        let kind = self.kinds.entry(kind).or_default();
        kind.0 += 1;
        kind.1 += bytes;
        if self.largest.as_ref().is_none_or(|(_, size)| bytes > *size) {
            self.largest = Some((path.to_owned(), bytes));
        }
    }

    /// The kinds of output, largest first.
    pub fn largest_kinds(&self) -> Vec<(&'static str, u64)> {
        let mut kinds: Vec<_> = self.kinds.iter().map(|(k, (_, bytes))| (*k, *bytes)).collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        kinds
    }
}

/// Passes every file on to `out`, counting it.
pub struct Tally<'a> {
    out: &'a dyn Output,
    sizes: Mutex<Sizes>,
}

impl<'a> Tally<'a> {
    pub fn new(out: &'a dyn Output) -> Self {
        Tally { out, sizes: Mutex::new(Sizes::default()) }
    }

    /// What was counted so far.
    pub fn sizes(&self) -> Sizes {
        self.sizes.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn count(&self, path: &str, kind: &'static str, bytes: u64) {
        self.sizes.lock().unwrap_or_else(|e| e.into_inner()).add(path, kind, bytes);
    }
}

impl Output for Tally<'_> {
    fn put(&self, file: File) -> Result<()> {
        self.count(&file.path, file.kind, file.bytes.len() as u64);
        self.out.put(file)
    }

    fn copy(&self, path: &str, kind: &'static str, from: &Path) -> Result<()> {
        let size = std::fs::metadata(from).map_err(Error::io("read", from))?.len();
        self.count(path, kind, size);
        self.out.copy(path, kind, from)
    }

    fn remove(&self, path: &str) -> Result<()> {
        self.out.remove(path)
    }

    fn receive(&self, produce: &mut dyn FnMut(&Sink) -> Result<()>) -> Result<()> {
        self.out.receive(&mut |sink| {
            produce(&|file| {
                self.count(&file.path, file.kind, file.bytes.len() as u64);
                sink(file)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::Collector;

    #[test]
    fn every_file_is_counted_by_kind_and_passed_on() {
        let collector = Collector::default();
        let tally = Tally::new(&collector);
        let file = |path: &str, kind, size| File { path: path.into(), kind, bytes: vec![b'x'; size] };
        tally.put(file("paper/a/index.html", "paper pages", 300)).unwrap();
        tally
            .receive(&mut |sink| {
                sink(file("paper/b/index.html", "paper pages", 200))?;
                sink(file("search/s/0.json", "search index", 50))
            })
            .unwrap();
        let sizes = tally.sizes();
        assert_eq!((sizes.files, sizes.bytes), (3, 550));
        assert_eq!(sizes.kinds["paper pages"], (2, 500));
        assert_eq!(sizes.largest, Some(("paper/a/index.html".into(), 300)));
        assert_eq!(sizes.largest_kinds(), [("paper pages", 500), ("search index", 50)]);
        drop(tally);
        assert_eq!(collector.into_files().len(), 3, "every file reaches the output behind");
    }
}
