//! Import, what is already there: every paper file under the content
//! folder (any depth), by id, so a paper already imported, moved or written
//! by hand is updated where it is instead of getting a second file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Result;
use crate::load::{paper_files_under, FileKind};

/// The paper files of the content folder by id.
#[derive(Debug, Default)]
pub struct Index {
    by_id: HashMap<String, PathBuf>,
    /// Every paper file, by path.
    paths: HashSet<PathBuf>,
    /// Ids written in more than one file: the build refuses them, and so
    /// does an import of such a paper until one file is left.
    pub clashes: HashMap<String, Vec<PathBuf>>,
}

impl Index {
    /// Reads the id of every paper file under `dir` (none when it does not exist).
    pub fn build(dir: &Path) -> Result<Index> {
        if !dir.is_dir() {
            return Ok(Index::default());
        }
        let files = paper_files_under(dir)?;
        let ids: Vec<(String, PathBuf)> =
            files.into_par_iter().map(|(path, kind)| (id_of(&path, kind), path)).collect();
        let mut index = Index::default();
        for (id, path) in ids {
            index.paths.insert(path.clone());
            if let Some(first) = index.by_id.get(&id) {
                index.clashes.entry(id.clone()).or_insert_with(|| vec![first.clone()]).push(path);
            } else {
                index.by_id.insert(id, path);
            }
        }
        Ok(index)
    }

    pub fn get(&self, id: &str) -> Option<&Path> {
        self.by_id.get(id).map(PathBuf::as_path)
    }

    pub fn insert(&mut self, id: &str, path: &Path) {
        self.paths.insert(path.to_path_buf());
        self.by_id.insert(id.to_owned(), path.to_path_buf());
    }

    /// Whether a paper file is at `path`.
    pub fn holds(&self, path: &Path) -> bool {
        self.paths.contains(path)
    }
}

/// A file's `id:` (a top-level line of its front matter), else its name.
/// Its first 4 KiB are read, and the rest only when the front matter goes on.
fn id_of(path: &Path, kind: FileKind) -> String {
    let stem = || path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut bytes = Vec::new();
    let Ok(mut file) = std::fs::File::open(path) else { return stem() };
    if std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, 4096), &mut bytes).is_err() {
        return stem();
    }
    if let Some(id) = id_in(&String::from_utf8_lossy(&bytes), kind, bytes.len() < 4096) {
        return id.unwrap_or_else(stem);
    }
    if std::io::Read::read_to_end(&mut file, &mut bytes).is_err() {
        return stem();
    }
    id_in(&String::from_utf8_lossy(&bytes), kind, true).flatten().unwrap_or_else(stem)
}

/// The `id:` of the front matter in `text`: `Some(None)` when it has none,
/// `None` when `text` ends before the front matter does and is not `whole`.
fn id_in(text: &str, kind: FileKind, whole: bool) -> Option<Option<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Only whole lines: a cut one could hold half an id.
    let text = if whole { text } else { &text[..text.rfind('\n').map_or(0, |n| n + 1)] };
    let mut lines = text.lines();
    if kind == FileKind::Markdown && lines.next().map(str::trim_end) != Some("---") {
        return Some(None);
    }
    let mut closed = false;
    let line = lines
        .take_while(|l| {
            closed = kind == FileKind::Markdown && matches!(l.trim_end(), "---" | "...");
            !closed
        })
        .find(|l| l.starts_with("id:"));
    let Some(line) = line else { return (closed || whole).then_some(None) };
    let id = serde_saphyr::from_str::<HashMap<String, String>>(line).ok().and_then(|mut m| m.remove("id"));
    Some(id.map(|id| id.trim().to_owned()).filter(|id| !id.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_front_matter_or_the_file_name_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("2024-04-02/2404.00001.md", "---\ntitle: t\n---\n");
        write("deep/er/cs-0112017.md", "---\ntitle: t\nid: \"cs/0112017\" # old style\n---\nid: not this\n");
        write("mine.yaml", "title: t\nid: 2404.10\n");
        write("elsewhere/2404.00001.md", "---\ntitle: again\n---\n");
        let long =
            format!("---\nabstract: |\n{}id: \"2404.00009\"\n---\n", "  long line of text\n".repeat(400));
        write("long.md", &long);
        let cut = format!("---\nabstract: |\n  {}\nid: \"2404.00010\"\n---\n", "x".repeat(4096 - 22));
        write("cut.md", &cut);
        write(".hidden.md", "---\nid: hidden\n---\n");
        let index = Index::build(dir.path()).unwrap();
        assert!(index.get("2404.00001").unwrap().ends_with("2024-04-02/2404.00001.md"));
        assert!(index.get("cs/0112017").unwrap().ends_with("deep/er/cs-0112017.md"));
        assert!(index.get("2404.10").unwrap().ends_with("mine.yaml"));
        assert_eq!(index.clashes["2404.00001"].len(), 2);
        assert!(index.get("hidden").is_none());
        assert!(index.get("2404.00009").unwrap().ends_with("long.md"), "an id after the first 4 KiB");
        assert!(index.get("2404.00010").unwrap().ends_with("cut.md"), "an id line cut at 4 KiB");
        assert!(Index::build(&dir.path().join("missing")).unwrap().get("x").is_none());
    }
}
