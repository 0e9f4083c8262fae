//! Stage 4, in memory: the files `quire serve` answers from.
//!
//! A map from output path to bytes behind a lock; clones share it, so the
//! server reads what the rebuild thread writes, file by file, as soon as
//! each is ready. Nothing touches the disk.

use std::collections::HashMap;
use std::sync::{Arc, LockResult, RwLock, RwLockReadGuard};

use axum::body::Bytes;

use super::Output;
use crate::error::Result;

/// The served files: output path (`digest/2024-04-02/index.html`) -> bytes.
#[derive(Clone, Default)]
pub struct Memory {
    files: Arc<RwLock<HashMap<String, Bytes>>>,
}

impl Memory {
    /// Every file, locked for reading while the guard lives.
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, HashMap<String, Bytes>>> {
        self.files.read()
    }
}

impl Output for Memory {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_owned(), Bytes::from(bytes));
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
        let err = files.copy("style.css", missing).unwrap_err();
        assert!(err.chain().contains("cannot read /nonexistent/quire/style.css"), "{}", err.chain());
        assert!(files.read().unwrap().get("style.css").is_none());
        files.copy("self.rs", std::path::Path::new(file!())).unwrap();
        assert!(!files.read().unwrap()["self.rs"].is_empty());
    }
}
