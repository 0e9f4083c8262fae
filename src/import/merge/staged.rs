//! Import, files held back: with `--strict` (written only when no record
//! was skipped) and `--dry-run` (never written), each paper file the merge
//! makes waits on the disk, not in memory, so such an import takes no more
//! memory than one that writes as it goes, whatever its input.
//!
//! The files wait in a hidden folder beside the content folder, in the
//! site (`.content.quire-staged-XXXXXX`, one file per paper), which is the
//! run's own: it holds a lock ([`crate::lock`]) inside it for as long as
//! the run lives, and is removed when the run ends, whether it finished,
//! failed or panicked. A folder whose lock nobody holds was left by a run
//! that was killed, and the next import removes it. Where the site cannot
//! be written to (a dry run of a site one may only read), the folder is
//! made in the system's temporary folder instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::atomic::Replace;
use crate::error::{Error, Result};
use crate::lock::Lock;

/// The lock file inside a staging folder.
const LOCK_FILE: &str = ".lock";

/// The files of one run, held back.
pub struct Staged {
    /// The folder; removed (while the lock is still held) when dropped.
    dir: tempfile::TempDir,
    _lock: Lock,
    /// Each file held back, by the path it is to be written to.
    files: BTreeMap<PathBuf, Held>,
}

/// One file held back: its paper, where it waits, and how it is to be written.
#[derive(Debug, Clone)]
pub struct Held {
    pub id: String,
    number: usize,
    pub replace: Replace,
}

impl Staged {
    /// Makes the folder of this run beside `content`, after removing the
    /// folders runs that were killed left there.
    pub fn create(content: &Path) -> Result<Staged> {
        let (beside, prefix) = place(content);
        remove_abandoned(&beside, &prefix);
        let builder = || {
            let mut builder = tempfile::Builder::new();
            builder.prefix(&prefix);
            builder
        };
        let dir = builder()
            .tempdir_in(&beside)
            .or_else(|_| builder().tempdir())
            .map_err(Error::io("create a folder in", &beside))?;
        let lock = Lock::take(&dir.path().join(LOCK_FILE), "import", dir.path())?;
        Ok(Staged { dir, _lock: lock, files: BTreeMap::new() })
    }

    /// Holds back `text`, paper `id`'s file at `path` (replacing what was
    /// held for it); a file first made in this run stays new.
    pub fn put(&mut self, path: &Path, id: &str, text: &str, replace: Replace) -> Result<()> {
        let number = self.files.len();
        let held =
            self.files.entry(path.to_path_buf()).or_insert(Held { id: id.to_owned(), number, replace });
        let staged = self.dir.path().join(held.number.to_string());
        std::fs::write(&staged, text).map_err(Error::io("write", &staged))
    }

    /// The text held back for `path`, if any.
    pub fn get(&self, path: &Path) -> Result<Option<String>> {
        let Some(held) = self.files.get(path) else { return Ok(None) };
        self.read(held).map(Some)
    }

    /// Every file held back, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&Path, &Held)> {
        self.files.iter().map(|(path, held)| (path.as_path(), held))
    }

    /// The text held back as `held`.
    pub fn read(&self, held: &Held) -> Result<String> {
        let staged = self.dir.path().join(held.number.to_string());
        std::fs::read_to_string(&staged).map_err(Error::io("read", &staged))
    }
}

/// The folder the staging folder goes in (the nearest folder there is
/// above `content`), and the start of its name (`.content.quire-staged-`).
fn place(content: &Path) -> (PathBuf, String) {
    let absolute = std::path::absolute(content).unwrap_or_else(|_| content.to_path_buf());
    let name = absolute.file_name().map_or("content".into(), |n| n.to_string_lossy());
    let beside = absolute.ancestors().skip(1).find(|p| p.is_dir()).unwrap_or(Path::new("."));
    (beside.to_path_buf(), format!(".{name}.quire-staged-"))
}

/// Removes the staging folders in `dir` whose runs were killed: those
/// whose lock can be taken. A link is never followed, and a folder that
/// cannot be removed is left.
fn remove_abandoned(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || !entry.file_name().to_string_lossy().starts_with(prefix) {
            continue;
        }
        let folder = entry.path();
        if let Ok(lock) = Lock::take(&folder.join(LOCK_FILE), "import", &folder) {
            let _ = std::fs::remove_dir_all(&folder);
            drop(lock);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staging_folders(site: &Path) -> Vec<String> {
        let names =
            std::fs::read_dir(site).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
        names.filter(|n| n.starts_with(".content.quire-staged-")).collect()
    }

    #[test]
    fn files_wait_on_the_disk_and_the_folder_goes_with_the_run() {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        let mut staged = Staged::create(&content).unwrap();
        let (a, b) = (content.join("2024-04-02/a.md"), content.join("2024-04-02/b.md"));
        staged.put(&b, "b", "B one", Replace::Never).unwrap();
        staged.put(&a, "a", "A", Replace::Allowed).unwrap();
        staged.put(&b, "b", "B two", Replace::Allowed).unwrap();
        assert_eq!(staged.get(&b).unwrap().as_deref(), Some("B two"));
        assert_eq!(staged.get(&content.join("c.md")).unwrap(), None);
        let files: Vec<_> = staged.files().map(|(p, h)| (p.to_path_buf(), h.id.clone(), h.replace)).collect();
        assert_eq!(files, [(a, "a".into(), Replace::Allowed), (b, "b".into(), Replace::Never)], "still new");
        assert!(!content.exists(), "nothing is written into the content folder");
        assert_eq!(staging_folders(site.path()).len(), 1);
        drop(staged);
        assert!(staging_folders(site.path()).is_empty());
    }

    #[test]
    fn a_folder_a_killed_run_left_is_removed_and_a_running_ones_kept() {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        let killed = site.path().join(".content.quire-staged-killed");
        std::fs::create_dir(&killed).unwrap();
        std::fs::write(killed.join("0"), "left").unwrap();
        std::fs::write(killed.join(LOCK_FILE), "import").unwrap();
        let running = Staged::create(&content).unwrap();
        assert!(!killed.exists());
        let next = Staged::create(&content).unwrap();
        assert!(running.dir.path().is_dir(), "a folder in use is kept");
        assert_eq!(staging_folders(site.path()).len(), 2);
        drop((running, next));
        assert!(staging_folders(site.path()).is_empty());
    }
}
