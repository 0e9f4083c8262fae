//! Import, one command at a time: whatever edits the paper files of a
//! content folder and its import record (`quire import`, and any command
//! that edits them the same way) holds the folder's lock while it writes,
//! so two runs never interleave their files or lose each other's record
//! lines. The lock is the kind a build takes on its output ([`crate::lock`]):
//! `.content.quire-lock` beside `content/`, released however the process
//! ends; a second command fails at once, naming the one that holds it.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::lock::Lock;

/// The lock of a content folder, held until dropped.
#[derive(Debug)]
pub struct ContentLock {
    _held: Lock,
}

/// Takes the lock of the content folder `content` for `command` (`import`,
/// `enrich`), or fails at once saying which command holds it.
pub fn lock(content: &Path, command: &'static str) -> Result<ContentLock> {
    let absolute = std::path::absolute(content).unwrap_or_else(|_| content.to_path_buf());
    let path = match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => parent.join(format!(".{}.quire-lock", name.to_string_lossy())),
        _ => absolute.join(".quire-lock"),
    };
    let shown = match content.as_os_str().is_empty() {
        true => PathBuf::from("."),
        false => content.to_path_buf(),
    };
    Ok(ContentLock { _held: Lock::take(&path, command, &shown)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_command_at_a_time_writes_a_content_folder() {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        let held = lock(&content, "import").unwrap();
        assert!(site.path().join(".content.quire-lock").is_file(), "beside the folder, not in it");
        let err = lock(&content, "enrich").unwrap_err().to_string();
        assert!(err.starts_with("another quire import is writing ") && err.contains("content now"), "{err}");
        drop(held);
        lock(&content, "enrich").unwrap();
    }
}
