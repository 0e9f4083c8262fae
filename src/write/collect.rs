//! Stage 4, for reading back: every file of a site in one map, for
//! `quire check` to follow links through. Nothing touches the disk.
//!
//! A [`Collector`] keeps, for each file, what a function given to it reads
//! from the file as it arrives (on the thread that made it): the bytes
//! themselves by default, or only what the reader needs of them, so that a
//! large site is never held whole.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{File, Output};
use crate::error::Result;

/// What a [`Collector`] keeps of each file.
type Reader<T> = Box<dyn Fn(File) -> T + Send + Sync>;

/// Gathers what is read from every file put into it, by output path.
pub struct Collector<T = Vec<u8>> {
    read: Reader<T>,
    files: Mutex<BTreeMap<String, T>>,
}

impl Default for Collector {
    /// Keeps every file's bytes.
    fn default() -> Self {
        Collector::reading(|file| file.bytes)
    }
}

impl<T> Collector<T> {
    /// Keeps `read(file)` of every file put into it.
    pub fn reading(read: impl Fn(File) -> T + Send + Sync + 'static) -> Self {
        Collector { read: Box::new(read), files: Mutex::default() }
    }

    /// What was kept of each file, by output path.
    pub fn into_files(self) -> BTreeMap<String, T> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl<T: Send> Output for Collector<T> {
    fn put(&self, file: File) -> Result<()> {
        let path = file.path.clone();
        let kept = (self.read)(file);
        self.files.lock().unwrap_or_else(|e| e.into_inner()).insert(path, kept);
        Ok(())
    }

    fn remove(&self, path: &str) -> Result<()> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).remove(path);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collector_keeps_what_its_reader_reads_and_a_file_put_again_replaces_it() {
        let sizes = Collector::reading(|file| file.bytes.len());
        let file =
            |path: &str, bytes: &[u8]| File { path: path.into(), kind: "pages", bytes: bytes.to_vec() };
        sizes.put(file("a.html", b"abc")).unwrap();
        sizes.put(file("b.html", b"de")).unwrap();
        sizes.put(file("a.html", b"abcdef")).unwrap();
        sizes.remove("b.html").unwrap();
        assert_eq!(sizes.into_files().into_iter().collect::<Vec<_>>(), [("a.html".to_owned(), 6)]);
    }
}
