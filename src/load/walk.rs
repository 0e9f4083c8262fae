//! Stage 1, finding: which files under `content/` are papers.
//!
//! Hidden files and folders and editor leftovers are skipped, as in every
//! source folder ([`crate::layout`]), and so is anything that is not `.md`,
//! `.yaml` or `.yml`. The rule is a pure function of a file name, so
//! `serve` asks the same question of a changed path.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::layout::{is_ignored_name, source_files};

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

/// Every paper file under `dir` (the `content/` of the site at `root`),
/// sorted by path so builds are reproducible.
pub fn paper_files(root: &Path, dir: &Path) -> Result<Vec<(PathBuf, FileKind)>> {
    let files = source_files(root, dir, is_ignored_name)?;
    Ok(files
        .into_iter()
        .filter_map(|path| {
            let kind = paper_kind(&path.file_name()?.to_string_lossy())?;
            Some((path, kind))
        })
        .collect())
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
