//! Import, writing one file whole or not at all. Every file an import
//! writes (a new paper, an updated one, the record) is first written to a
//! hidden temporary file beside it (`.<name>.quire-tmp`), then renamed
//! into place; a new paper never replaces a file that is already there. So
//! a kill -9 or a full disk at any moment leaves each file as it was or as
//! it is meant to be, never empty or cut, and an error names the file and
//! the system's reason ("No space left on device"). The record, rewritten
//! whole by every import, is also flushed to the disk before its rename
//! ([`Sync::Flush`]), against a power cut; a paper is not (flushing each of
//! thousands of new files made an import four times slower). Temporary
//! files a killed import left are removed by the next ([`remove_leftovers`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};

/// The end of a temporary file's name.
const TEMP_SUFFIX: &str = ".quire-tmp";

/// Whether a file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// A new file: an error if one is there (its folder exists).
    Never,
    /// A file that may be there, replaced whole.
    Allowed,
}

/// Whether a file reaches the disk before it is renamed into place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sync {
    Flush,
    Later,
}

/// Writes `bytes` to `path` through a temporary file and a rename; on an
/// error the temporary file is removed and `path` is as it was.
pub fn write(path: &Path, bytes: &[u8], replace: Replace, sync: Sync) -> Result<()> {
    let temp = temp_path(path);
    let written = std::fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            match sync {
                Sync::Flush => file.sync_data(),
                Sync::Later => Ok(()),
            }
        })
        .map_err(Error::io("write", path))
        .and_then(|()| rename(&temp, path, replace));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// `dir/.<name>.quire-tmp` for `dir/<name>`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}{TEMP_SUFFIX}"))
}

/// Renames `temp` to `path`; with [`Replace::Never`], only where nothing is
/// (Linux: in one step, `renameat2` with `RENAME_NOREPLACE`).
fn rename(temp: &Path, path: &Path, replace: Replace) -> Result<()> {
    let taken = || Error::PaperFileTaken(path.to_path_buf());
    if replace == Replace::Allowed {
        return std::fs::rename(temp, path).map_err(Error::io("write", path));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, temp, CWD, path, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::EXIST) => return Err(taken()),
            // A file system without it (some network ones): as elsewhere.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(e) => return Err(Error::io("write", path)(e.into())),
        }
    }
    // One import at a time holds the content folder's lock, so nothing
    // of quire's can appear between the check and the rename.
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(taken());
    }
    std::fs::rename(temp, path).map_err(Error::io("write", path))
}

/// Removes the temporary files killed imports left under `dir`; returns
/// how many.
pub fn remove_leftovers(dir: &Path) -> Result<usize> {
    let mut removed = 0;
    for entry in WalkDir::new(dir).follow_links(false).into_iter().filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.starts_with('.') && name.ends_with(TEMP_SUFFIX) {
            std::fs::remove_file(entry.path()).map_err(Error::io("remove", entry.path()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_a_new_one_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        write(&path, b"one", Replace::Never, Sync::Later).unwrap();
        let err = write(&path, b"two", Replace::Never, Sync::Later).unwrap_err();
        assert!(matches!(&err, Error::PaperFileTaken(taken) if *taken == path), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write(&path, b"three", Replace::Allowed, Sync::Flush).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["a.md"], "no temporary file is left");
    }

    #[test]
    fn an_error_names_the_file_and_the_reason_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing/a.md");
        let err = write(&path, b"x", Replace::Never, Sync::Later).unwrap_err();
        assert!(err.chain().contains("missing/a.md: No such file or directory"), "{}", err.chain());
    }

    #[test]
    fn leftovers_of_killed_imports_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("2024-04-02")).unwrap();
        for name in
            ["2024-04-02/.a.md.quire-tmp", ".quire-import.jsonl.quire-tmp", "2024-04-02/b.md", ".keep"]
        {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        assert_eq!(remove_leftovers(dir.path()).unwrap(), 2);
        assert!(dir.path().join("2024-04-02/b.md").exists() && dir.path().join(".keep").exists());
    }
}
