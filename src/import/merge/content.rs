//! Import, what is already there: every paper file under the content
//! folder (any depth), by id, so a paper already imported, moved or written
//! by hand is updated where it is instead of getting a second file; and
//! the spelling of every category and tag, so an import writes each term
//! as the site does ([`super::terms`]).
//!
//! Every file is read with the loader, as a build reads it: a file that
//! does not load (cut short, written by hand with a mistake) stops the
//! import before it writes anything, naming the file, the line and the fix.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::terms::{Kind, Terms};
use crate::error::{Diagnostic, Error, Result};
use crate::load::{paper_files_under, read_paper, FileKind};

/// The paper files of the content folder by id.
#[derive(Debug, Default)]
pub struct Index {
    by_id: HashMap<String, PathBuf>,
    /// Every paper file, by path.
    paths: HashSet<PathBuf>,
    /// Ids written in more than one file: the build refuses them, and so
    /// does an import of such a paper until one file is left.
    pub clashes: HashMap<String, Vec<PathBuf>>,
    /// The terms of every paper.
    pub terms: Terms,
}

/// What the index keeps of one paper file.
struct Seen {
    id: String,
    categories: Vec<String>,
    tags: Vec<String>,
}

impl Index {
    /// Loads every paper file under `dir` (none when it does not exist);
    /// the problems of the files that do not load are the error.
    pub fn build(dir: &Path) -> Result<Index> {
        if !dir.is_dir() {
            return Ok(Index::default());
        }
        let files = paper_files_under(dir)?;
        // Only the id and the terms are kept: a large archive is read in
        // parallel, a file at a time, in little memory.
        let seen: Vec<(PathBuf, std::result::Result<Seen, Vec<Diagnostic>>)> = files
            .into_par_iter()
            .map(|(path, kind)| {
                let seen = seen(&path, kind);
                (path, seen)
            })
            .collect();
        let mut index = Index::default();
        let mut problems = Vec::new();
        for (path, seen) in seen {
            match seen {
                Ok(seen) => index.add(seen, path),
                Err(d) => problems.extend(d),
            }
        }
        match problems.is_empty() {
            true => Ok(index),
            false => Err(Error::Site(problems)),
        }
    }

    fn add(&mut self, seen: Seen, path: PathBuf) {
        self.terms.add(Kind::Category, &seen.categories);
        self.terms.add(Kind::Tag, &seen.tags);
        self.paths.insert(path.clone());
        if let Some(first) = self.by_id.get(&seen.id) {
            self.clashes.entry(seen.id).or_insert_with(|| vec![first.clone()]).push(path);
        } else {
            self.by_id.insert(seen.id, path);
        }
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

/// A paper file read with the loader, or its problems.
fn seen(path: &Path, kind: FileKind) -> std::result::Result<Seen, Vec<Diagnostic>> {
    let paper = read_paper(path, path, kind)?;
    Ok(Seen { id: paper.id, categories: paper.categories, tags: paper.tags })
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
        write("2024-04-02/2404.00001.md", "---\ntitle: t\ntags: [LLM]\n---\n");
        write(
            "2024-04-03/cs-0112017.md",
            "---\ntitle: t\nid: \"cs/0112017\" # old style\n---\nid: not this\n",
        );
        write("mine.yaml", "title: t\nid: 2404.10\ndate: 2024-04-02\n");
        write("2024-04-04/2404.00001.md", "---\ntitle: again\n---\n");
        write("2024-04-02/.hidden.md", "---\nid: hidden\n---\n");
        let index = Index::build(dir.path()).unwrap();
        assert!(index.get("2404.00001").unwrap().ends_with("2024-04-02/2404.00001.md"));
        assert!(index.get("cs/0112017").unwrap().ends_with("2024-04-03/cs-0112017.md"));
        assert!(index.get("2404.10").unwrap().ends_with("mine.yaml"));
        assert_eq!(index.clashes["2404.00001"].len(), 2);
        assert!(index.get("hidden").is_none());
        assert!(Index::build(&dir.path().join("missing")).unwrap().get("x").is_none());
        let mut terms = index.terms;
        assert_eq!(terms.normalise(Kind::Tag, &["llm".into()], &mut Vec::new()), ["LLM"]);
    }

    #[test]
    fn a_file_that_does_not_load_stops_the_import_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("2024-04-02")).unwrap();
        std::fs::write(dir.path().join("2024-04-02/2404.00001.md"), "").unwrap();
        std::fs::write(dir.path().join("2024-04-02/2404.00002.md"), "---\ntitle: fine\n---\n").unwrap();
        let Err(Error::Site(problems)) = Index::build(dir.path()) else {
            panic!("an empty paper file loads")
        };
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].to_string().contains("2024-04-02/2404.00001.md:1:1: no front matter"),
            "{}",
            problems[0]
        );
    }
}
