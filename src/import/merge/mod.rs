//! Import, merging: every record goes into the paper file of its id. A
//! paper whose id is nowhere in the content folder gets a new file,
//! `<into>/<date>/<id>.md`; a paper already there (in any folder, under any
//! file name) is updated in its file, which is never duplicated.
//!
//! - A listing is added for each new digest date (`date` stays the
//!   earliest; the others go to `listed`), and categories are merged.
//! - A field is replaced only while it still holds what a producer last
//!   wrote there ([`produced`] keeps a hash of it); a value a person wrote,
//!   changed or removed is kept, and the report says so when the producer's
//!   value changed. Notes added below the producer's body stay. Fields no
//!   producer sets (`tags` a person wrote, `extra` keys, `draft`, `url`,
//!   comments) are never touched.
//! - Without a record of a paper (files written by hand or by an older
//!   quire), a field that is absent is added, one equal to the producer's
//!   is left, and one that differs is kept as a person's; `--force` takes
//!   the producer's value for such fields (never for the body).
//! - A file that exists is checked with the loader before and after the
//!   merge: an import never changes a file that does not load, and never
//!   leaves one the build refuses (the record is skipped, naming it). New
//!   files are written whole by quire's own writer.
//! - Every file is written whole or not at all ([`atomic`]), and the
//!   record learns of each paper as soon as its file is in place (its
//!   journal): an import killed at any moment leaves files that load, and
//!   the next one finishes the job. A file that cannot be written stops the
//!   import, naming it and the system's reason.

mod atomic;
mod content;
mod doc;
mod edit;
mod fields;
mod fill;
mod produced;
mod terms;
mod writer;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use atomic::Replace;
use doc::Doc;
use edit::Edit;
use fields::Current;
pub use produced::{GeneratedMark, Hash, Produced};
use writer::Writer;

use super::record::{diagnostic_at, Record};
use crate::error::{Diagnostic, Error, Result};
use crate::load::{paper_kind, FileKind};

pub use fill::PaperFile;
pub use produced::FILE_NAME as RECORD_FILE;

/// When files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writes {
    /// As each record is merged: memory stays flat however long the input.
    Now,
    /// All at the end (`--strict`: only when nothing was skipped).
    AtEnd,
    /// Never (`--dry-run`).
    Never,
}

/// What an import merges into.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Where new papers go (`<into>/<date>/`).
    pub into: PathBuf,
    /// The folder searched for existing papers, which holds the record.
    pub content: PathBuf,
    pub force: bool,
    pub writes: Writes,
}

/// What an import did to one paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
}

/// A paper touched by this import.
#[derive(Debug)]
struct Touched {
    /// Hash of the file's bytes before the import (`None`: no file).
    before: Option<Hash>,
    /// Hash of its bytes now.
    now: Hash,
    /// The sources (`1 << source` of [`Merger::apply`]) whose records touched it.
    sources: u16,
    /// With `Writes::Never`: its file and the fields changed, for the report.
    shown: Option<(PathBuf, Vec<String>)>,
}

impl Touched {
    fn outcome(&self) -> Outcome {
        match self.before {
            None => Outcome::Added,
            Some(before) if before == self.now => Outcome::Unchanged,
            Some(_) => Outcome::Updated,
        }
    }
}

/// A file waiting to be written (`Writes::AtEnd` and `Never`): its paper and text.
#[derive(Debug)]
struct Pending {
    id: String,
    text: String,
    replace: Replace,
}

/// The papers of one import run, merged one record at a time.
pub struct Merger {
    options: MergeOptions,
    index: content::Index,
    produced: Produced,
    /// Files waiting to be written (`Writes::AtEnd` and `Never`).
    pending: BTreeMap<PathBuf, Pending>,
    touched: HashMap<String, Touched>,
    /// Hand edits kept against a producer's new value, one line per paper.
    pub kept: Vec<String>,
    /// Terms left out because the build would refuse them, one line each.
    pub left_out: Vec<String>,
    /// With `Writes::Now`: the thread that writes the files.
    writer: Option<Writer>,
}

impl Merger {
    pub fn new(options: MergeOptions) -> Result<Merger> {
        if options.writes != Writes::Never {
            atomic::remove_leftovers(&options.content)?;
        }
        let index = content::Index::build(&options.content)?;
        let produced = Produced::load(&options.content)?;
        let writer = match options.writes {
            Writes::Now => Some(Writer::start(produced.journal()?)),
            _ => None,
        };
        Ok(Merger {
            index,
            produced,
            pending: BTreeMap::new(),
            touched: HashMap::new(),
            kept: Vec::new(),
            left_out: Vec::new(),
            writer,
            options,
        })
    }

    /// Lines of the record file that could not be read.
    pub fn unreadable_record_lines(&self) -> (&Path, &[usize]) {
        (self.produced.path(), &self.produced.unreadable)
    }

    /// Merges one record read from `input`: `Ok(Err(_))` says why it was
    /// skipped; `Err` is a file that could not be written, which stops the
    /// import. `source` (below 16) is counted in [`Self::outcomes`].
    pub fn apply(&mut self, record: &Record, input: &Path, source: usize) -> Result<Result<(), Diagnostic>> {
        // A file still on its way to the disk is read once it is there.
        if let (Some(path), Some(writer)) = (self.index.get(&record.id), &mut self.writer) {
            writer.settle(path)?;
        }
        let mut written = None;
        let merged = self.merge(record, input, &mut written);
        if let Ok(ok) = &merged {
            let line = self.produced.set(&record.id, ok.marks.clone());
            self.touch(&record.id, &ok.path, ok.before.as_deref(), &ok.text, source, ok.changed.clone());
            match written {
                Some((path, text, replace)) => self.write(&path, &record.id, text, replace, line)?,
                None => {
                    if let (Some(line), Some(writer)) = (line, &mut self.writer) {
                        writer.record(line)?;
                    }
                }
            }
        }
        Ok(merged.map(|_| ()))
    }

    /// The record merged into its paper's text; `written` gets the file to
    /// write when the text changed.
    fn merge(
        &mut self,
        record: &Record,
        input: &Path,
        written: &mut Option<(PathBuf, String, Replace)>,
    ) -> std::result::Result<Merged, Diagnostic> {
        let at = |message: String, help: &str| diagnostic_at(input, record.line, 0, message).help(help);
        let (path, before) = self.locate(record).map_err(|(m, help)| at(m, help))?;
        let kind =
            paper_kind(&path.file_name().unwrap_or_default().to_string_lossy()).unwrap_or(FileKind::Markdown);
        let doc = match &before {
            Some(text) => open(&path, text, kind).map_err(|m| at(m, "fix that file, then import again"))?,
            None => Doc::new(),
        };
        let current = Current::read(&doc.yaml())
            .map_err(|e| at(format!("cannot read {}: {e}", path.display()), "fix that file"))?;
        if current.title.is_none() && record.title.is_none() {
            return Err(at(format!("paper {} has no title", record.id), "a new paper needs its title"));
        }
        let marks = self.produced.get(&record.id).unwrap_or_default();
        let folder = before.as_ref().and_then(|_| folder_date(&path));
        let mut left_out = Vec::new();
        let categories = self.index.terms.normalise(terms::Kind::Category, &record.categories, &mut left_out);
        let tags =
            record.tags.as_ref().map(|t| self.index.terms.normalise(terms::Kind::Tag, t, &mut left_out));
        let place = diagnostic_at(input, record.line, 0, "").place();
        self.left_out.extend(left_out.into_iter().map(|why| format!("{place}: paper {}: {why}", record.id)));
        let mut edit = Edit::new(doc, &current, folder, marks, self.options.force);
        if before.is_none() {
            edit.doc.set("id", &fields::text_yaml("id", &record.id));
        }
        edit.record(record, &categories, tags.as_deref());
        let text = edit.doc.render();
        // A file that was there is checked with the loader before it is
        // replaced; a new one is written whole by the writer (tested to load).
        if before.is_some() {
            if let Err(d) = crate::load::parse_paper(&path, text.clone(), kind) {
                let first = d.first().map_or(String::new(), |d| d.message.clone());
                let message = format!("merging this record would break {}: {first}", path.display());
                return Err(at(message, "fix that file"));
            }
        }
        if !edit.kept.is_empty() {
            self.kept.push(format!("{}: kept {}", path.display(), edit.kept.join(", ")));
        }
        if before.as_deref() != Some(text.as_str()) {
            let new = before.is_none() && !self.touched.contains_key(&record.id);
            let replace = if new { Replace::Never } else { Replace::Allowed };
            *written = Some((path.clone(), text.clone(), replace));
        }
        self.index.insert(&record.id, &path);
        Ok(Merged { path, before, text, marks: edit.marks, changed: edit.changed })
    }

    /// The file of the record's paper and its text, or where a new one goes.
    fn locate(
        &mut self,
        record: &Record,
    ) -> std::result::Result<(PathBuf, Option<String>), (String, &'static str)> {
        if let Some(files) = self.index.clashes.get(&record.id) {
            let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            let message = format!("paper {} is in {} files: {}", record.id, files.len(), names.join(", "));
            return Err((message, "keep one of them (move what you wrote into it), then import again"));
        }
        match self.index.get(&record.id).map(Path::to_path_buf) {
            Some(path) => {
                let text = self.read(&path).map_err(|e| (e.chain(), "check the file's permissions"))?;
                Ok((path, Some(text)))
            }
            None => {
                let path =
                    self.new_path(record).map_err(|m| (m, "move that file, or give it its paper's id"))?;
                Ok((path, None))
            }
        }
    }

    /// Notes what this import did to paper `id`.
    fn touch(
        &mut self,
        id: &str,
        path: &Path,
        before: Option<&str>,
        text: &str,
        source: usize,
        changed: Vec<String>,
    ) {
        let dry = self.options.writes == Writes::Never;
        let touched = self.touched.entry(id.to_owned()).or_insert_with(|| Touched {
            before: before.map(Hash::of),
            now: Hash::of(""),
            sources: 0,
            shown: dry.then(|| (path.to_path_buf(), Vec::new())),
        });
        touched.now = Hash::of(text);
        touched.sources |= 1 << source;
        if let Some((_, shown)) = &mut touched.shown {
            for field in changed {
                if !shown.contains(&field) {
                    shown.push(field);
                }
            }
        }
    }

    /// What the import did to paper `id` (touched by some record).
    #[cfg(test)]
    pub fn outcome(&self, id: &str) -> Option<Outcome> {
        self.touched.get(id).map(Touched::outcome)
    }

    /// What the import did to each paper, with the sources that touched it.
    pub fn outcomes(&self) -> impl Iterator<Item = (Outcome, u16)> + '_ {
        self.touched.values().map(|t| (t.outcome(), t.sources))
    }

    /// With `Writes::Never`: each paper added or updated, its file, outcome
    /// and changed fields, by path.
    pub fn changes(&self) -> Vec<(PathBuf, Outcome, Vec<String>)> {
        let mut changes: Vec<_> = self
            .touched
            .values()
            .filter(|t| t.outcome() != Outcome::Unchanged)
            .filter_map(|t| t.shown.clone().map(|(path, changed)| (path, t.outcome(), changed)))
            .collect();
        changes.sort();
        changes
    }

    /// Writes what waits (unless `Writes::Never`), then the record.
    pub fn finish(mut self) -> Result<()> {
        if self.options.writes == Writes::Never {
            return Ok(());
        }
        let mut writer = match self.writer.take() {
            Some(writer) => writer,
            None => Writer::start(self.produced.journal()?),
        };
        for (path, pending) in std::mem::take(&mut self.pending) {
            let line = self.produced.line(&pending.id).map(str::to_owned);
            writer.write(&path, pending.text, pending.replace, line)?;
        }
        writer.finish()?;
        self.produced.save()
    }

    fn read(&mut self, path: &Path) -> Result<String> {
        if let Some(pending) = self.pending.get(path) {
            return Ok(pending.text.clone());
        }
        std::fs::read_to_string(path).map_err(Error::io("read", path))
    }

    /// Writes paper `id`'s file now (through the writer, then its record
    /// `line` to the journal) or later.
    fn write(
        &mut self,
        path: &Path,
        id: &str,
        text: String,
        replace: Replace,
        line: Option<String>,
    ) -> Result<()> {
        match &mut self.writer {
            Some(writer) => writer.write(path, text, replace, line),
            None => {
                // A file first made in this run is still new when written again.
                let replace = self.pending.get(path).map_or(replace, |p| p.replace);
                self.pending.insert(path.to_path_buf(), Pending { id: id.to_owned(), text, replace });
                Ok(())
            }
        }
    }

    /// `<into>/<date>/<slug>.md`, unless another paper's file is there.
    fn new_path(&self, record: &Record) -> std::result::Result<PathBuf, String> {
        let dir = self.options.into.join(crate::dates::format_day(record.date));
        let path = dir.join(format!("{}.md", crate::slug::paper(&record.id)));
        // Every paper file of the folder is in the index, the new ones too.
        if self.index.holds(&path) || self.pending.contains_key(&path) {
            return Err(format!("{} holds another paper", path.display()));
        }
        Ok(path)
    }
}

/// A paper file to edit; it must load as it is.
fn open(path: &Path, text: &str, kind: FileKind) -> std::result::Result<Doc, String> {
    let problem = |d: Option<&Diagnostic>| {
        format!("{} does not load: {}", path.display(), d.map_or(String::new(), ToString::to_string))
    };
    crate::load::parse_paper(path, text.to_owned(), kind).map_err(|d| problem(d.first()))?;
    Doc::parse(&normalized(text), kind).ok_or_else(|| problem(None))
}

/// The file's text as the loader sees it (no BOM, `\n` line ends).
fn normalized(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The date of the nearest folder named `YYYY-MM-DD` above `path`.
fn folder_date(path: &Path) -> Option<chrono::NaiveDate> {
    path.ancestors().skip(1).find_map(|p| crate::dates::parse_day(&p.file_name()?.to_string_lossy()))
}

/// A record merged into its paper's text.
struct Merged {
    path: PathBuf,
    before: Option<String>,
    text: String,
    marks: produced::Marks,
    changed: Vec<String>,
}

#[cfg(test)]
mod tests;
