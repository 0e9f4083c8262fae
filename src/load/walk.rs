//! Stage 1, finding: which files under `content/` are papers.
//!
//! Hidden files and folders, editor leftovers (`x.md~`, `.#x.md`, `#x.md#`,
//! vim swap files) and anything that is not `.md`, `.yaml` or `.yml` are
//! skipped. Symbolic links are not followed, so nothing outside the tree is
//! read. The rule is a pure function of a file name, so `serve` asks the same
//! question of a changed path.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};

/// What kind of paper file a path is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Markdown,
    Yaml,
}

/// The kind of paper `name` is, or `None` when it is not a paper file.
pub fn paper_kind(name: &str) -> Option<FileKind> {
    if is_ignored_name(name) {
        return None;
    }
    let (_, ext) = name.rsplit_once('.')?;
    match ext.to_ascii_lowercase().as_str() {
        "md" | "markdown" => Some(FileKind::Markdown),
        "yaml" | "yml" => Some(FileKind::Yaml),
        _ => None,
    }
}

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

/// Every paper file under `dir`, sorted by path so builds are reproducible.
pub fn paper_files(dir: &Path) -> Result<Vec<(PathBuf, FileKind)>> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::Io { action: "read", path, source: e.into() }
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        if let Some(kind) = paper_kind(&entry.file_name().to_string_lossy()) {
            files.push((entry.into_path(), kind));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_are_markdown_and_yaml_files() {
        assert_eq!(paper_kind("2404.01300.md"), Some(FileKind::Markdown));
        assert_eq!(paper_kind("a.YAML"), Some(FileKind::Yaml));
        assert_eq!(paper_kind("a.yml"), Some(FileKind::Yaml));
        assert_eq!(paper_kind("notes.txt"), None);
        assert_eq!(paper_kind("README"), None);
    }

    #[test]
    fn editor_leftovers_and_hidden_files_are_not_papers() {
        for name in ["x.md~", ".#x.md", "#x.md#", ".x.md.swp", ".hidden.md", "x.md.tmp"] {
            assert_eq!(paper_kind(name), None, "{name}");
        }
    }
}
