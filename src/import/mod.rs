//! Import: a digest in the seed's format -> one paper file per paper.

use std::fmt;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// What `quire import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub digest: PathBuf,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub into: PathBuf,
    pub force: bool,
}

/// What an import wrote.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub written: Vec<PathBuf>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Imported {} papers.", self.written.len())
    }
}

/// Reads the digest and writes its papers.
pub fn import_digest(_options: &ImportOptions) -> Result<ImportReport> {
    Err(Error::Usage("import is not available yet".into()))
}
