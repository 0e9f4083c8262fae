//! The one kind of lock quire takes: an OS advisory lock on a file beside
//! what a command writes (`.public.quire-lock` beside a build's output,
//! `.content.quire-lock` beside the content folder an import writes),
//! held while it writes and released when the process ends, however it
//! ends. A second command that would write the same place fails at once,
//! saying which command holds it; the file is removed when the holder is
//! done (a killed holder leaves it, and the next command takes it).

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A lock held until dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    _file: std::fs::File,
}

impl Lock {
    /// Takes the lock of `path` for `command` (`build`, `import`), which
    /// writes `target`; fails at once with [`Error::Busy`] while another
    /// command holds it.
    pub fn take(path: &Path, command: &'static str, target: &Path) -> Result<Lock> {
        loop {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(Error::io("create", path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = match holder.trim() {
                        "" => "command".to_owned(),
                        name => crate::error::printable_line(name).into_owned(),
                    };
                    return Err(Error::Busy {
                        holder,
                        target: target.to_path_buf(),
                        lock: path.to_path_buf(),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", path)(e)),
            }
            // The command that held it may have just removed the file: then
            // lock the file that is there now.
            if is_same_file(&file, path) {
                // Who holds it, for the message of the next one.
                let _ = file
                    .set_len(0)
                    .and_then(|()| file.rewind())
                    .and_then(|()| file.write_all(command.as_bytes()));
                return Ok(Lock { path: path.to_path_buf(), _file: file });
            }
        }
    }
}

impl Drop for Lock {
    /// Removes the file, then (closing it) releases the lock. Where a file
    /// cannot be told from its successor, it stays.
    fn drop(&mut self) {
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn is_same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_: &std::fs::File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_fails_naming_the_holder_until_the_first_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".content.quire-lock");
        let first = Lock::take(&path, "import", Path::new("content")).unwrap();
        let err = Lock::take(&path, "enrich", Path::new("content")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "another quire import is writing content now (it holds {}); run this one when it is done",
                path.display()
            )
        );
        drop(first);
        assert!(!path.exists(), "the file goes with the lock");
        drop(Lock::take(&path, "enrich", Path::new("content")).unwrap());
    }
}
