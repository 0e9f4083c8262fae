//! Enrich, which papers and what to ask: every paper file of the content
//! folder is read, and each field to fill is decided against what the
//! file holds and what a model last wrote there (the import record).
//!
//! - A field that is missing is asked for, unless a model wrote it for
//!   the same text before (a person removed it then).
//! - A field that still holds what a model wrote is asked for again when
//!   the paper's title or abstract changed since, or with `--force`.
//! - Anything else was written by a person or a producer, and is never
//!   replaced.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::Field;
use crate::import::merge::{GeneratedMark, Hash, PaperFile, Produced};
use crate::load::Paper;

/// A paper to send, and what to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub id: String,
    pub date: NaiveDate,
    pub ask: Vec<Field>,
    /// The size of its title and abstract, in bytes (for the estimate).
    pub bytes: usize,
}

/// Which papers `--since`, `--ids` and `--force` allow.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub since: Option<NaiveDate>,
    pub ids: Vec<String>,
    pub force: bool,
}

/// The papers to send, newest first, and the files that could not be read.
pub fn candidates(
    files: Vec<PathBuf>,
    produced: &Produced,
    wanted: &[Field],
    filter: &Filter,
) -> (Vec<Candidate>, Vec<String>) {
    let results: Vec<Result<Option<Candidate>, String>> = files
        .into_par_iter()
        .map(|path| {
            let file = PaperFile::open(&path)?;
            let paper = file.paper();
            if !filter.allows(paper) {
                return Ok(None);
            }
            let mark = mark(&file, produced.get(&paper.id).and_then(|m| m.generated));
            let ask = ask(&file, mark.as_ref(), wanted, filter.force);
            Ok((!ask.is_empty()).then(|| Candidate {
                path: path.clone(),
                id: paper.id.clone(),
                date: paper.date,
                bytes: paper.title.len() + paper.abstract_md.as_ref().map_or(0, String::len),
                ask,
            }))
        })
        .collect();
    let mut chosen = Vec::new();
    let mut unreadable = Vec::new();
    for result in results {
        match result {
            Ok(Some(c)) => chosen.push(c),
            Ok(None) => {}
            Err(e) => unreadable.push(e),
        }
    }
    chosen.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    (chosen, unreadable)
}

impl Filter {
    fn allows(&self, paper: &Paper) -> bool {
        !paper.draft
            && self.since.is_none_or(|since| paper.date >= since)
            && (self.ids.is_empty() || self.ids.contains(&paper.id))
    }
}

/// The hash of the text a model is given: the title and the abstract.
pub fn source(paper: &Paper) -> Hash {
    Hash::of(&format!("{}\u{1f}{}", paper.title, paper.abstract_md.as_deref().unwrap_or("")))
}

/// What a model last wrote into `file`: the record's mark, or, when the
/// record lacks it (a run stopped before it saved the record), the fields
/// the file's `generated:` names, as they are now.
pub fn mark(file: &PaperFile, recorded: Option<GeneratedMark>) -> Option<GeneratedMark> {
    recorded.or_else(|| {
        let generated = file.paper().generated.as_ref()?;
        let fields = generated.fields.iter().filter_map(|f| Some((f.clone(), file.hash(f)?))).collect();
        Some(GeneratedMark { source: source(file.paper()), fields })
    })
}

/// The fields of `wanted` to ask for (see the module's doc). The summary
/// and body are made from the abstract: a paper without one is asked only
/// for its translated title and tags.
pub fn ask(file: &PaperFile, mark: Option<&GeneratedMark>, wanted: &[Field], force: bool) -> Vec<Field> {
    let paper = file.paper();
    let changed = mark.is_some_and(|m| m.source != source(paper));
    wanted
        .iter()
        .copied()
        .filter(|f| paper.abstract_md.is_some() || matches!(f, Field::TranslatedTitle | Field::Tags))
        .filter(|f| {
            let written = mark.and_then(|m| m.fields.get(f.name()));
            match (file.hash(f.name()), written) {
                (None, None) => true,
                (None, Some(_)) => changed || force,
                (Some(now), Some(w)) if now == *w => changed || force,
                (Some(_), _) => false,
            }
        })
        .collect()
}

/// Every paper file under `content`, in path order.
pub fn files(content: &Path) -> crate::error::Result<Vec<PathBuf>> {
    if !content.is_dir() {
        return Ok(Vec::new());
    }
    Ok(crate::load::paper_files_under(content)?.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Field] = &[Field::TranslatedTitle, Field::Summary, Field::Body];

    fn open(text: &str) -> (tempfile::TempDir, PaperFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2404.00001.md");
        std::fs::write(&path, text).unwrap();
        let file = PaperFile::open(&path).unwrap();
        (dir, file)
    }

    const BARE: &str = "---\ntitle: \"T\"\ndate: 2024-04-02\nabstract: \"A.\"\n---\n";

    #[test]
    fn missing_fields_are_asked_for_and_a_persons_never() {
        let (_d, file) = open(BARE);
        assert_eq!(ask(&file, None, ALL, false), ALL);
        let (_d, file) = open(&BARE.replace("abstract: \"A.\"\n", "summary: \"我的\"\n"));
        assert_eq!(ask(&file, None, ALL, true), [Field::TranslatedTitle], "no abstract; a person's summary");
    }

    #[test]
    fn a_models_fields_are_asked_again_only_when_the_text_changed() {
        let (_d, file) =
            open(&BARE.replace("---\n\n", "---\n").replace("A.\"\n", "A.\"\nsummary: \"模型的\"\n"));
        let mut mark = GeneratedMark { source: source(file.paper()), fields: Default::default() };
        mark.fields.insert("summary".into(), file.hash("summary").unwrap());
        mark.fields.insert("translated_title".into(), Hash::of("removed by a person"));
        assert_eq!(ask(&file, Some(&mark), ALL, false), [Field::Body], "done: only what was never asked");
        assert_eq!(ask(&file, Some(&mark), ALL, true), ALL, "--force");
        mark.source = Hash::of("an older abstract");
        assert_eq!(ask(&file, Some(&mark), ALL, false), ALL, "the abstract changed");
        mark.fields.insert("summary".into(), Hash::of("what the model wrote, edited since"));
        assert_eq!(ask(&file, Some(&mark), ALL, true), [Field::TranslatedTitle, Field::Body]);
    }

    #[test]
    fn a_generated_map_without_a_record_is_the_models() {
        let text = "---\ntitle: \"T\"\ndate: 2024-04-02\nsummary: \"模型的\"\ngenerated:\n  by: m\n  date: 2024-04-03\n  fields: [summary]\nabstract: \"A.\"\n---\n";
        let (_d, file) = open(text);
        let mark = mark(&file, None).unwrap();
        assert_eq!(mark.fields.keys().collect::<Vec<_>>(), ["summary"]);
        assert_eq!(ask(&file, Some(&mark), ALL, false), [Field::TranslatedTitle, Field::Body]);
    }
}
