//! A site's folder: the names of its sources (`site.toml`, `content/`,
//! `static/`), and the rules every walk through them follows.
//!
//! Hidden files and folders and the leftovers of editors (`x.md~`, `.#x.md`,
//! `#x.md#`, vim swap files) are no sources ([`is_ignored_name`]).
//!
//! Symbolic links are followed nowhere: a link in `content/`, `static/`,
//! `templates/` or `themes/`, or one of those folders (or `site.toml`) being
//! a link, is an error naming it ([`source_files`], [`check_no_link`]).
//! So nothing outside the site's folder is read, and nothing in it that is
//! not in its sources (`.git/`, `.env`) is published through a link; `build`,
//! `serve` and the static copy all walk through these two functions, and
//! `serve`'s watcher does not follow links either. Links with a name that is
//! skipped anyway (Emacs' `.#x.md` lock files are links) are skipped.
//!
//! Neutral ground: `config`, `load`, `theme`, `site`, `write`, `import` and
//! `init` all ask these rules, and none of them owns them.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{relative, Diagnostic, Error, Result};

/// The configuration file at the site root: what makes a folder a site.
pub const CONFIG_FILE: &str = "site.toml";

/// The folder under the site root that holds the papers.
pub const CONTENT_DIR: &str = "content";

/// The folder of a site's own static files, copied over the theme's.
pub const STATIC_DIR: &str = "static";

/// Hidden files and the temporary or backup files editors leave behind.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

/// Every file under `dir`, a source folder of the site at `root` (nothing
/// when it does not exist), sorted by path; entries whose name `skip`s are
/// left out, folders with all they hold. A symbolic link met on the way, or
/// on the way from `root` to `dir`, is an error: every one is reported.
///
/// The folders right under `dir` are walked in parallel: sites keep their
/// papers in a folder a day or a month, and a walk through 65,000 of them
/// on one thread took a tenth of a second while the other core waited.
pub fn source_files(root: &Path, dir: &Path, skip: impl Fn(&str) -> bool + Sync) -> Result<Vec<PathBuf>> {
    check_no_link(root, dir).map_err(|d| Error::Site(vec![d]))?;
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let walked: Vec<Result<Vec<Found>>> = first_level(dir, &skip)?
        .into_par_iter()
        .map(|found| match found {
            Found::Folder(folder) => walk(&folder, &skip),
            other => Ok(vec![other]),
        })
        .collect();
    let (mut files, mut links) = (Vec::new(), Vec::new());
    for found in walked {
        for found in found? {
            match found {
                Found::File(path) => files.push(path),
                Found::Link(path) => links.push(link_diagnostic(root, &path)),
                Found::Folder(_) => {}
            }
        }
    }
    if links.is_empty() {
        Ok(files)
    } else {
        Err(Error::Site(links))
    }
}

/// What a walk finds under a folder, in path order.
enum Found {
    File(PathBuf),
    /// A symbolic link, whose name is not skipped anyway.
    Link(PathBuf),
    /// A folder right under the one walked, walked on its own.
    Folder(PathBuf),
}

impl Found {
    /// The entry at `path`, of type `kind`: a file, a link or a folder,
    /// or nothing a walk keeps.
    fn new(path: PathBuf, kind: std::fs::FileType) -> Option<Found> {
        if kind.is_symlink() {
            let name = path.file_name().map(|n| n.to_string_lossy());
            (!name.is_some_and(|n| is_ignored_name(&n))).then_some(Found::Link(path))
        } else if kind.is_file() {
            Some(Found::File(path))
        } else if kind.is_dir() {
            Some(Found::Folder(path))
        } else {
            None
        }
    }
}

/// The entries right in `dir` whose name `skip` leaves, by name. Read
/// without `walkdir`: limited to one level, it would still read and sort
/// every folder below.
fn first_level(dir: &Path, skip: &impl Fn(&str) -> bool) -> Result<Vec<Found>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(Error::io("read", dir))? {
        let entry = entry.map_err(Error::io("read", dir))?;
        if !skip(&entry.file_name().to_string_lossy()) {
            let kind = entry.file_type().map_err(Error::io("read", entry.path()))?;
            entries.push((entry.file_name(), entry.path(), kind));
        }
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(entries.into_iter().filter_map(|(_, path, kind)| Found::new(path, kind)).collect())
}

/// Every file and link under `dir`, all the way down; entries whose name
/// `skip`s are left out, folders with all they hold.
fn walk(dir: &Path, skip: &impl Fn(&str) -> bool) -> Result<Vec<Found>> {
    let walker = WalkDir::new(dir).min_depth(1).follow_links(false).sort_by_file_name();
    let mut found = Vec::new();
    for entry in walker.into_iter().filter_entry(|e| !skip(&e.file_name().to_string_lossy())) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::Io { action: "read", path, source: e.into() }
        })?;
        let kind = entry.file_type();
        match Found::new(entry.into_path(), kind) {
            Some(Found::Folder(_)) | None => {}
            Some(kept) => found.push(kept),
        }
    }
    Ok(found)
}

/// Refuses `path` (under `root`) when it, or a folder on the way to it
/// from `root`, is a symbolic link: the outermost link is named.
pub fn check_no_link(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let Ok(rel) = path.strip_prefix(root) else { return Ok(()) };
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(link_diagnostic(root, &at));
        }
    }
    Ok(())
}

fn link_diagnostic(root: &Path, link: &Path) -> Diagnostic {
    let to = std::fs::read_link(link).map(|t| format!(" (to {})", t.display())).unwrap_or_default();
    Diagnostic::new(relative(link, root), format!("a symbolic link{to}: quire follows no links"))
        .help("put the file or folder itself here (copy or move it); nothing outside the site is read")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_and_hidden_files_are_ignored() {
        for name in ["x.md~", ".#x.md", "#x.md#", ".x.md.swp", ".hidden.md", "x.md.tmp", "x.bak"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("2404.01300.md"));
    }

    #[test]
    fn files_come_in_path_order_at_every_depth() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("content");
        for file in ["c.md", "a.md", "b/y/z.md", "b/x.md", "b.md", "a0/q.md", ".hidden/h.md", "b/.h.md", "d~"]
        {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let files = source_files(site.path(), &dir, is_ignored_name).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.strip_prefix(&dir).unwrap().to_str().unwrap()).collect();
        assert_eq!(names, ["a.md", "a0/q.md", "b/x.md", "b/y/z.md", "b.md", "c.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_reported_at_every_depth_in_path_order() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("content");
        std::fs::create_dir_all(dir.join("day/deeper")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", dir.join("day/deeper/b.md")).unwrap();
        std::os::unix::fs::symlink("/etc", dir.join("a")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", dir.join(".#lock.md")).unwrap();
        let Err(Error::Site(problems)) = source_files(site.path(), &dir, is_ignored_name) else {
            panic!("links are errors")
        };
        let files: Vec<_> = problems.iter().map(|d| d.path.to_string_lossy().into_owned()).collect();
        assert_eq!(files, ["content/a", "content/day/deeper/b.md"]);
    }
}
