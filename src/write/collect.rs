//! Stage 4, for reading back: every file of a site in one map, for
//! `quire check` to follow links through. Nothing touches the disk.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{File, Output};
use crate::error::Result;

/// Gathers every file put into it, by output path.
#[derive(Default)]
pub struct Collector {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Collector {
    /// The files gathered, by output path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Output for Collector {
    fn put(&self, file: File) -> Result<()> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).insert(file.path, file.bytes);
        Ok(())
    }

    fn remove(&self, path: &str) -> Result<()> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).remove(path);
        Ok(())
    }
}
