//! Stage 4: write the site into a fresh folder, then swap it in whole.
//!
//! Pages are written into a temporary folder beside the output folder (in a
//! randomly named folder inside it, which ext4 places on its own). Only
//! when everything is written is the old output replaced (two renames), so
//! a failed build leaves the previous output byte-for-byte untouched, and the
//! temporary folder is removed on every path out. quire refuses to replace a
//! folder that looks like a site's sources rather than its own output.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::TempDir;

use super::{Output, Sink};
use crate::error::{Error, Result};

/// A build in progress: a temporary folder that becomes the output on commit.
pub struct OutputDir {
    target: PathBuf,
    /// Removed with all it holds when dropped, so also on every failure.
    staging: TempDir,
    /// The new site: a folder inside `staging`, renamed to `target` on commit.
    site: PathBuf,
    /// Folders made so far: each is made once, not checked for every file.
    made: Mutex<HashSet<PathBuf>>,
}

impl OutputDir {
    /// Checks that `target` may be replaced and creates the staging folder.
    pub fn create(root: &Path, target: &Path) -> Result<Self> {
        check_target(root, target)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(Error::io("create", &parent))?;
        let name = target.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.quire-"))
            .tempdir_in(&parent)
            .map_err(Error::io("create a temporary folder in", &parent))?;
        spread_folders(staging.path());
        let site = tempfile::Builder::new()
            .prefix("site-")
            .tempdir_in(staging.path())
            .map_err(Error::io("create a temporary folder in", staging.path()))?
            .keep();
        Ok(OutputDir { target: target.to_path_buf(), staging, site, made: Mutex::default() })
    }

    /// Writes one file at `rel` (a `/`-separated path under the output root).
    pub fn write_bytes(&self, rel: &str, contents: &[u8]) -> Result<()> {
        let path = self.site.join(rel);
        if let Some(dir) = path.parent() {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(dir) {
                std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
                made.insert(dir.to_path_buf());
            }
        }
        std::fs::write(&path, contents).map_err(Error::io("write", path))
    }

    /// Writes the pages `produce` hands over, from one thread, while
    /// `produce` renders them on others. Writing from the rendering threads
    /// instead gains nothing measurable on tmpfs (10,000 papers: median
    /// 2.0 s either way over 6 runs), and on a disk where new inodes land
    /// among recently deleted ones (see `spread_folders`) the writers
    /// contend in the kernel: about 10 s of system time for 22,000 files,
    /// against 5.3 s from one thread.
    pub fn write_from(&self, produce: &dyn Fn(&Sink) -> Result<()>) -> Result<()> {
        let (pages, received) = std::sync::mpsc::sync_channel::<(String, Vec<u8>)>(256);
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                for (path, bytes) in received {
                    self.write_bytes(&path, &bytes)?;
                }
                Ok(())
            });
            let produced = produce(&|path, bytes| {
                // A closed channel means the writer stopped on an error, reported below.
                pages.send((path, bytes)).map_err(|_| Error::WriterStopped)
            });
            drop(pages);
            let written: Result<()> = writer.join().unwrap_or(Err(Error::Panicked("the file writer")));
            written.and(produced)
        })
    }

    fn copy_file(&self, from: &Path, rel: &str) -> Result<()> {
        let to = self.site.join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
        }
        std::fs::copy(from, &to).map(drop).map_err(Error::io("copy", from))
    }

    /// Swaps the finished folder in place of the output folder.
    pub fn commit(self) -> Result<()> {
        swap(&self.site, &self.target)?;
        let staging = self.staging.path().to_path_buf();
        self.staging.close().map_err(Error::io("remove", staging))
    }
}

impl Output for OutputDir {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        self.write_bytes(path, &bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        self.copy_file(from, path)
    }

    /// The staging folder starts empty: only a file put earlier in this
    /// build can be there.
    fn remove(&self, path: &str) -> Result<()> {
        let path = self.site.join(path);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io("remove", path)(e)),
            _ => Ok(()),
        }
    }

    fn receive(&self, produce: &dyn Fn(&Sink) -> Result<()>) -> Result<()> {
        self.write_from(produce)
    }
}

/// Marks `dir` as the top of its own tree (`chattr +T`, `FS_TOPDIR_FL`).
/// ext4 then places each folder made in it in a block group with few
/// folders and many free inodes, searched from the hash of the folder's
/// name, rather than beside `dir`; the site's folder in it has a random
/// name. Without the mark, each build's files land where the previous
/// output was just removed, and on ext4 without a journal every new inode
/// among recently deleted ones costs a scan of its group: rebuilding 10,000
/// papers took 12.4, then 20.6, then 27.9 s, against 2.7 to 5.5 s with the
/// mark (ext4 may still pick a group just freed when no fresh one comes
/// first). Other file systems refuse the request, which is fine.
fn spread_folders(dir: &Path) {
    #[cfg(target_os = "linux")]
    if let Ok(folder) = std::fs::File::open(dir) {
        use rustix::fs::{ioctl_getflags, ioctl_setflags, IFlags};
        if let Ok(flags) = ioctl_getflags(&folder) {
            let _ = ioctl_setflags(&folder, flags | IFlags::TOPDIR);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
}

/// Replaces `target` by `fresh`; the old output is removed only after.
fn swap(fresh: &Path, target: &Path) -> Result<()> {
    if !target.exists() {
        return std::fs::rename(fresh, target).map_err(Error::io("move the new site to", target));
    }
    let old = fresh.with_extension("old");
    std::fs::rename(target, &old).map_err(Error::io("move aside", target))?;
    if let Err(e) = std::fs::rename(fresh, target) {
        let _ = std::fs::rename(&old, target);
        return Err(Error::io("move the new site to", target)(e));
    }
    std::fs::remove_dir_all(&old).map_err(Error::io("remove the old output", old))
}

/// Refuses an output folder that is (or holds) the site's sources.
fn check_target(root: &Path, target: &Path) -> Result<()> {
    let refuse =
        |reason: &str| Err(Error::UnsafeOutput { path: target.to_path_buf(), reason: reason.into() });
    let root = root.canonicalize().map_err(Error::io("read", root))?;
    if let Ok(target) = target.canonicalize() {
        if root.starts_with(&target) {
            return refuse("it is the site folder or contains it");
        }
        if target.join(crate::config::FILE_NAME).exists() {
            return refuse("it holds a site.toml; choose an output folder of its own");
        }
        let made_by_quire = target.join(".nojekyll").exists();
        if target.join(crate::load::CONTENT_DIR).is_dir() && !made_by_quire {
            return refuse("it holds a content/ folder; choose an output folder of its own");
        }
        if !target.is_dir() {
            return refuse("it is a file");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_site_root_and_source_folders() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("site.toml"), "").unwrap();
        assert!(check_target(site.path(), site.path()).is_err());
        assert!(check_target(site.path(), &site.path().join("..")).is_err());
        let other = site.path().join("elsewhere");
        std::fs::create_dir_all(other.join("content")).unwrap();
        assert!(check_target(site.path(), &other).is_err());
        assert!(check_target(site.path(), &site.path().join("public")).is_ok());
    }

    #[test]
    fn a_build_that_is_not_committed_leaves_nothing_behind() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let out = OutputDir::create(site.path(), &target).unwrap();
        out.write_bytes("new.html", b"new").unwrap();
        drop(out);
        let names: Vec<_> = std::fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["public"]);
        assert_eq!(std::fs::read_to_string(target.join("old.html")).unwrap(), "old");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_new_site_is_spread_where_the_file_system_allows_it() {
        use rustix::fs::{ioctl_getflags, ioctl_setflags, IFlags};
        let topdir = |dir: &Path| {
            let folder = std::fs::File::open(dir).unwrap();
            ioctl_getflags(&folder).is_ok_and(|flags| flags.contains(IFlags::TOPDIR))
        };
        let site = tempfile::tempdir().unwrap();
        let probe = site.path().join("probe");
        std::fs::create_dir(&probe).unwrap();
        let _ = ioctl_setflags(std::fs::File::open(&probe).unwrap(), IFlags::TOPDIR);
        if !topdir(&probe) {
            return; // This file system has no such mark.
        }
        let out = OutputDir::create(site.path(), &site.path().join("public")).unwrap();
        assert!(topdir(out.staging.path()));
        assert!(out.site.starts_with(out.staging.path()));
    }

    #[test]
    fn commit_replaces_the_old_output() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let out = OutputDir::create(site.path(), &target).unwrap();
        out.write_bytes("a/index.html", b"new").unwrap();
        out.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(target.join("a/index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(site.path()).unwrap().count(), 1);
    }
}
