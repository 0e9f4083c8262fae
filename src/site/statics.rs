//! The site, files that are not rendered: the theme's static files, the
//! site's own `static/` over them, and what GitHub Pages reads.
//!
//! `.nojekyll` tells Pages to serve the folder as it is; `CNAME` names a
//! custom domain (site.toml's `cname` wins over a `static/CNAME`). This is
//! the one list of these files: `build`, `serve` and `check` all write it
//! through the same [`Output`] calls, after the pages, so a site's static
//! file replaces a page at the same path.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::layout::{source_files, STATIC_DIR};
use crate::theme::{StaticSource, Theme};
use crate::write::{File, Output};

/// What the files that are not rendered are, as size reports name them.
pub const KIND: &str = "static files";

/// Where a file's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Known already: the embedded theme's files, `.nojekyll`, `CNAME`.
    Bytes(Cow<'static, [u8]>),
    /// A file of the site's sources, read when it is written.
    Disk(PathBuf),
}

/// Every file that is not rendered, by output path.
pub type Files = BTreeMap<String, Source>;

/// The theme's static files, then the site's `static/` over them, then
/// `.nojekyll` and, for a custom domain, `CNAME`. A symbolic link is an
/// error, as everywhere in a site's sources ([`crate::layout::source_files`]).
pub fn list(theme: &Theme, root: &Path, cname: Option<&str>) -> Result<Files> {
    let mut files: Files = theme
        .statics
        .iter()
        .map(|f| {
            let source = match &f.source {
                StaticSource::Embedded(bytes) => Source::Bytes(Cow::Borrowed(bytes)),
                StaticSource::Disk(path) => Source::Disk(path.clone()),
            };
            (slash_path(&f.path), source)
        })
        .collect();
    let site_static = root.join(STATIC_DIR);
    for path in source_files(root, &site_static, |_| false)? {
        let rel = path.strip_prefix(&site_static).unwrap_or(&path);
        files.insert(slash_path(rel), Source::Disk(path.clone()));
    }
    if let Some(domain) = cname {
        files.insert("CNAME".into(), Source::Bytes(format!("{domain}\n").into_bytes().into()));
    }
    files.insert(".nojekyll".into(), Source::Bytes(Cow::Borrowed(b"")));
    Ok(files)
}

/// Writes one file into `out`.
pub fn emit(out: &dyn Output, path: &str, source: &Source) -> Result<()> {
    match source {
        Source::Bytes(bytes) => out.put(File { path: path.to_owned(), kind: KIND, bytes: bytes.to_vec() }),
        Source::Disk(from) => out.copy(path, KIND, from),
    }
}

/// The bytes of one file.
pub fn read(source: &Source) -> Result<Vec<u8>> {
    match source {
        Source::Bytes(bytes) => Ok(bytes.to_vec()),
        Source::Disk(from) => std::fs::read(from).map_err(crate::error::Error::io("read", from)),
    }
}

/// What changed from `old` to `new`: the files to write again (every one
/// when `all`, else those `touched` on disk, new ones and ones whose bytes
/// differ) and the files that are gone.
pub fn diff(old: &Files, new: &Files, touched: &BTreeSet<String>, all: bool) -> (Vec<String>, Vec<String>) {
    let written = new
        .iter()
        .filter(|(path, source)| all || touched.contains(*path) || old.get(*path) != Some(source))
        .map(|(path, _)| path.clone())
        .collect();
    let gone = old.keys().filter(|path| !new.contains_key(*path)).cloned().collect();
    (written, gone)
}

fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(p: &str) -> Source {
        Source::Disk(PathBuf::from(p))
    }

    #[test]
    fn only_touched_new_and_changed_files_are_written_again() {
        let old: Files =
            [("a.css".into(), disk("a")), ("b.js".into(), disk("b")), ("gone".into(), disk("g"))]
                .into_iter()
                .collect();
        let mut new = old.clone();
        new.remove("gone");
        new.insert("new.png".into(), disk("n"));
        new.insert("CNAME".into(), Source::Bytes(b"x.org\n".to_vec().into()));
        let touched = ["b.js".to_string()].into_iter().collect();
        let (written, gone) = diff(&old, &new, &touched, false);
        assert_eq!(written, ["CNAME", "b.js", "new.png"]);
        assert_eq!(gone, ["gone"]);
        assert_eq!(diff(&old, &new, &BTreeSet::new(), true).0.len(), new.len());
    }
}
