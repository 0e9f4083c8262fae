//! Stage 4, in memory: the files `quire serve` answers from.
//!
//! A map from output path to bytes behind a lock; clones share it, so the
//! server reads what the rebuild thread writes, file by file, as soon as
//! each is ready. Nothing touches the disk. Served, it is a cache of a
//! bounded size ([`Memory::bounded`]): past it, the files put first are
//! dropped, and made again when asked for ([`crate::site::Site::file`]).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use super::{File, Output};
use crate::error::Result;

/// The files: output path (`digest/2024-04-02/index.html`) -> bytes.
#[derive(Clone, Default)]
pub struct Memory {
    files: Arc<RwLock<Files>>,
}

#[derive(Default)]
struct Files {
    /// Each file and the number of its put.
    by_path: HashMap<String, (Bytes, u64)>,
    /// Puts, oldest first: the path and the number of the put (a path put
    /// again, or removed, leaves its older puts here).
    order: VecDeque<(String, u64)>,
    puts: u64,
    bytes: usize,
    /// The most bytes held; none when 0.
    budget: usize,
}

impl Memory {
    /// A cache that holds at most `budget` bytes of files.
    pub fn bounded(budget: usize) -> Self {
        let files = Files { budget, ..Files::default() };
        Memory { files: Arc::new(RwLock::new(files)) }
    }

    /// The file at `path`, if it is held.
    pub fn get(&self, path: &str) -> Option<Bytes> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).by_path.get(path).map(|f| f.0.clone())
    }

    /// Keeps `bytes` as the file at `path` (while the budget allows).
    pub fn keep(&self, path: &str, bytes: Bytes) {
        self.files.write().unwrap_or_else(|e| e.into_inner()).put(path, bytes);
    }

    /// Every file held, by path.
    pub fn snapshot(&self) -> BTreeMap<String, Bytes> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.by_path.iter().map(|(k, v)| (k.clone(), v.0.clone())).collect()
    }

    /// How many bytes of files are held.
    pub fn bytes(&self) -> usize {
        self.files.read().unwrap_or_else(|e| e.into_inner()).bytes
    }
}

impl Files {
    fn put(&mut self, path: &str, bytes: Bytes) {
        self.remove(path);
        self.puts += 1;
        self.bytes += bytes.len();
        self.by_path.insert(path.to_owned(), (bytes, self.puts));
        if self.budget > 0 {
            self.order.push_back((path.to_owned(), self.puts));
            self.fit();
        }
    }

    fn remove(&mut self, path: &str) {
        if let Some((old, _)) = self.by_path.remove(path) {
            self.bytes -= old.len();
        }
    }

    /// Drops the files put first until the rest fit the budget.
    fn fit(&mut self) {
        while self.bytes > self.budget {
            let Some((path, put)) = self.order.pop_front() else { return };
            if self.by_path.get(&path).is_some_and(|f| f.1 == put) {
                self.remove(&path);
            }
        }
        // Older puts of paths put again or removed pile up: clear them out.
        if self.order.len() > 2 * self.by_path.len() + 64 {
            let by_path = &self.by_path;
            self.order.retain(|(path, put)| by_path.get(path).is_some_and(|f| f.1 == *put));
        }
    }
}

impl Output for Memory {
    fn put(&self, file: File) -> Result<()> {
        self.keep(&file.path, Bytes::from(file.bytes));
        Ok(())
    }

    fn remove(&self, path: &str) -> Result<()> {
        self.files.write().unwrap_or_else(|e| e.into_inner()).remove(path);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_read_is_an_error_naming_it_not_an_empty_file() {
        let files = Memory::default();
        let missing = std::path::Path::new("/nonexistent/quire/style.css");
        let err = files.copy("style.css", "static files", missing).unwrap_err();
        assert!(err.chain().contains("cannot read /nonexistent/quire/style.css"), "{}", err.chain());
        assert!(files.get("style.css").is_none());
        files.copy("self.rs", "static files", std::path::Path::new(file!())).unwrap();
        assert!(!files.get("self.rs").unwrap().is_empty());
    }

    #[test]
    fn a_bounded_cache_drops_the_files_put_first() {
        let files = Memory::bounded(10);
        for (path, size) in [("a", 4), ("b", 4), ("a", 4), ("c", 4)] {
            files.keep(path, vec![b'x'; size].into());
        }
        // `a` was put again after `b`: `b` goes first.
        assert_eq!(files.snapshot().keys().collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(files.bytes(), 8);
        files.remove("a").unwrap();
        assert_eq!(files.bytes(), 4);
        files.keep("big", vec![b'x'; 11].into());
        assert!(files.snapshot().is_empty(), "a file over the budget is not kept");
    }
}
