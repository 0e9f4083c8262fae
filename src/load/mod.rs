//! Stage 1: walk `content/`, read every paper file, validate it -> `Paper`s.
//!
//! Files are parsed in parallel ([`read_papers`]); every problem of every
//! file is kept with its file, so one run reports them all. Ids (and the
//! slugs derived from them) must be unique across the site ([`duplicates`]);
//! a clash names both files. What is read again when a file changes, and
//! when the papers are checked together, is the site's call
//! ([`crate::site`]).

mod front_matter;
mod generated;
mod listing;
mod paper;
mod plain_yaml;
mod raw;
mod spanned;
mod walk;
mod written;
mod yaml_error;
#[cfg(test)]
mod yaml_tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use generated::{Generated, GENERATED_FIELDS};
pub use listing::{Listing, RawListing};
pub use paper::Paper;
pub use raw::{RawFrontMatter, FIELDS};
pub use walk::{paper_kind, FileKind};
pub use written::Written;

use crate::error::{relative, utf8_text, Diagnostic, Error, Result};
use crate::layout::CONTENT_DIR;

/// A paper file as read: its paper, or the problems that keep it from
/// being one.
pub type Read = Result<Paper, Vec<Diagnostic>>;

/// Reads every paper file of the site at `root`, in parallel, drafts
/// included: each file's path and what it holds, in path order.
pub fn read_papers(root: &Path) -> Result<Vec<(PathBuf, Read)>> {
    let files = paper_files(root)?;
    Ok(files
        .into_par_iter()
        .map(|(path, kind)| {
            let read = load_paper(root, &path, kind);
            (path, read)
        })
        .collect())
}

/// Every paper file under the site's `content/`, sorted by path.
pub fn paper_files(root: &Path) -> Result<Vec<(PathBuf, FileKind)>> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return Err(Error::Site(vec![Diagnostic::new(CONTENT_DIR, "no content folder")
            .help("create `content/` and put one file per paper in it")]));
    }
    walk::paper_files(root, &dir)
}

/// Every paper file under any folder `dir`, sorted by path.
pub fn paper_files_under(dir: &Path) -> Result<Vec<(PathBuf, FileKind)>> {
    walk::paper_files(dir, dir)
}

/// Reads and validates one paper file of the site at `root`.
pub fn load_paper(root: &Path, path: &Path, kind: FileKind) -> Read {
    read_paper(path, &relative(path, root), kind)
}

/// Reads and validates the paper file at `path`; `shown` names it in diagnostics.
pub fn read_paper(path: &Path, shown: &Path, kind: FileKind) -> Read {
    let bytes = std::fs::read(path).map_err(|e| vec![Diagnostic::new(shown, format!("cannot read: {e}"))])?;
    let text = utf8_text(shown, bytes).map_err(|d| vec![d])?;
    parse_paper(shown, text, kind)
}

/// Validates the text of a paper file; `shown` names it in diagnostics.
pub fn parse_paper(shown: &Path, text: String, kind: FileKind) -> Read {
    Written::read(shown, text, kind)?.validate()
}

/// Two papers with the same id, or with ids that share a slug, clash. The
/// papers come in path order, so which of three clashing files is named
/// with which does not vary. Each clash is shown at the later file's `id:`
/// line (its `date:` line when the file name is the id), read from `root`.
pub fn duplicates<'a>(root: &Path, papers: impl ExactSizeIterator<Item = &'a Paper>) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, &Paper> = HashMap::with_capacity(papers.len());
    let mut problems = Vec::new();
    for p in papers {
        if let Some(other) = seen.insert(p.slug.to_ascii_lowercase(), p) {
            // Named in path order, whatever order the papers came in.
            let (first, p) = if other.source <= p.source { (other, p) } else { (p, other) };
            let d = if first.id != p.id {
                let what = format!(
                    "ids `{}` and `{}` ({}) would share the page /paper/{}/",
                    p.id,
                    first.id,
                    first.source.display(),
                    p.slug
                );
                Diagnostic::new(&p.source, what).help("give one of the two papers another `id`")
            } else if first.date != p.date {
                // One paper listed on two days: the contract's `listed`.
                let what = format!(
                    "duplicate id `{}`: also in {} (dated {})",
                    p.id,
                    first.source.display(),
                    first.date
                );
                Diagnostic::new(&p.source, what).help(format!(
                    "one paper is one file: if this is the same paper listed again, remove this file \
                     and add `listed: [{{date: {}}}]` to {}; if it is another paper, give it another `id`",
                    p.date,
                    first.source.display()
                ))
            } else {
                let what = format!("duplicate id `{}`: also in {}", p.id, first.source.display());
                Diagnostic::new(&p.source, what)
                    .help("give one of the two papers another `id`, or remove one")
            };
            problems.push(clash_place(root, p, d));
        }
    }
    problems
}

/// `d` placed in `paper`'s file, with the line's text: its `id:` line,
/// else (the file name is the id) its `date:` line, else the file alone.
fn clash_place(root: &Path, paper: &Paper, d: Diagnostic) -> Diagnostic {
    let Ok(text) = std::fs::read_to_string(root.join(&paper.source)) else { return d };
    let starts = |line: usize, key: &str| text.lines().nth(line - 1).is_some_and(|l| l.starts_with(key));
    let line = match starts(paper.id_line, "id:") {
        true => Some(paper.id_line),
        false => text.lines().position(|l| l.starts_with("date:")).map(|i| i + 1),
    };
    match line {
        Some(line) => d.at(&text, line, 1),
        None => d,
    }
}
