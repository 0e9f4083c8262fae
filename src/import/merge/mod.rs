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
//! - A file that exists is read with the loader ([`crate::load::Written`]):
//!   what a merge knows of its fields is what the build reads, and the
//!   file is edited where the loader splits it. It is checked before and
//!   after the merge: an import never changes a file that does not load,
//!   and never leaves one the build refuses (the record is skipped, naming
//!   it). New files are written whole by quire's own writer.
//! - Every file is written whole or not at all ([`atomic`]), and the
//!   record learns of each paper as soon as its file is in place (its
//!   journal): an import killed at any moment leaves files that load, and
//!   the next one finishes the job. A file that cannot be written stops the
//!   import, naming it and the system's reason. With `--strict` and
//!   `--dry-run`, the files wait on the disk until the end ([`staged`]).

mod atomic;
mod content;
mod doc;
mod edit;
mod fields;
mod fill;
mod produced;
mod staged;
mod terms;
mod writer;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use atomic::Replace;
use doc::Doc;
use edit::Edit;
pub use produced::{GeneratedMark, Hash, Produced};
use staged::Staged;
use writer::Writer;

use super::record::{diagnostic_at, Record};
use crate::error::{Diagnostic, Error, Result};
use crate::load::{paper_kind, FileKind, Paper, Written};

pub use fill::PaperFile;
pub use produced::FILE_NAME as RECORD_FILE;

/// When files are written. Files not written at once are held back on
/// the disk ([`staged`]): memory stays flat however long the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writes {
    /// As each record is merged.
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

/// Where the files a merge makes go.
enum Files {
    /// `Writes::Now`: to the thread that writes them.
    Written(Writer),
    /// `Writes::AtEnd` and `Never`: held back on the disk.
    Held(Staged),
}

/// The papers of one import run, merged one record at a time.
pub struct Merger {
    options: MergeOptions,
    index: content::Index,
    produced: Produced,
    files: Files,
    touched: HashMap<String, Touched>,
    /// Hand edits kept against a producer's new value, one line per paper.
    pub kept: Vec<String>,
    /// Terms left out because the build would refuse them, one line each.
    pub left_out: Vec<String>,
}

impl Merger {
    pub fn new(options: MergeOptions) -> Result<Merger> {
        if options.writes != Writes::Never {
            atomic::remove_leftovers(&options.content)?;
        }
        let index = content::Index::build(&options.content)?;
        let produced = Produced::load(&options.content)?;
        let files = match options.writes {
            Writes::Now => Files::Written(Writer::start(produced.journal()?)),
            Writes::AtEnd | Writes::Never => Files::Held(Staged::create(&options.content)?),
        };
        Ok(Merger {
            index,
            produced,
            files,
            touched: HashMap::new(),
            kept: Vec::new(),
            left_out: Vec::new(),
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
        if let (Some(path), Files::Written(writer)) = (self.index.get(&record.id), &mut self.files) {
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
                    if let (Some(line), Files::Written(writer)) = (line, &mut self.files) {
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
        let opened = match &before {
            Some(text) => Some(open(&path, text).map_err(|m| at(m, "fix that file, then import again"))?),
            None => None,
        };
        if opened.is_none() && record.title.is_none() {
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
        let (doc, current) = match opened {
            Some(Opened { doc, written, .. }) => (doc, Some(written)),
            None => (Doc::new(), None),
        };
        let mut edit = Edit::new(doc, current.as_ref(), folder, marks, self.options.force);
        if before.is_none() {
            edit.doc.set("id", &fields::text_yaml("id", &record.id));
        }
        edit.record(record, &categories, tags.as_deref());
        let text = edit.doc.render();
        // A file that was there is checked with the loader before it is
        // replaced; a new one is written whole by the writer (tested to load).
        if let Some(current) = &current {
            if let Err(d) = crate::load::parse_paper(&path, text.clone(), current.kind()) {
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

    /// Writes what was held back (unless `Writes::Never`), then the record.
    pub fn finish(self) -> Result<()> {
        let writer = match self.files {
            Files::Written(writer) => writer,
            Files::Held(_) if self.options.writes == Writes::Never => return Ok(()),
            Files::Held(staged) => {
                let mut writer = Writer::start(self.produced.journal()?);
                for (path, held) in staged.files() {
                    let line = self.produced.line(&held.id).map(str::to_owned);
                    writer.write(path, staged.read(held)?, held.replace, line)?;
                }
                writer
            }
        };
        writer.finish()?;
        self.produced.save()
    }

    fn read(&mut self, path: &Path) -> Result<String> {
        if let Files::Held(staged) = &self.files {
            if let Some(text) = staged.get(path)? {
                return Ok(text);
            }
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
        match &mut self.files {
            Files::Written(writer) => writer.write(path, text, replace, line),
            Files::Held(staged) => staged.put(path, id, &text, replace),
        }
    }

    /// `<into>/<date>/<slug>.md`, unless another paper's file is there.
    fn new_path(&self, record: &Record) -> std::result::Result<PathBuf, String> {
        let dir = self.options.into.join(crate::dates::format_day(record.date));
        let path = dir.join(format!("{}.md", crate::slug::paper(&record.id)));
        // Every paper file of the folder is in the index, the new ones too.
        if self.index.holds(&path) {
            return Err(format!("{} holds another paper", path.display()));
        }
        Ok(path)
    }
}

/// A paper file opened for editing: what the loader reads in it, the
/// paper it is, and its lines.
struct Opened {
    written: Written,
    paper: Paper,
    doc: Doc,
}

/// Opens the text of the paper file at `path`; it must load as it is.
fn open(path: &Path, text: &str) -> std::result::Result<Opened, String> {
    let kind =
        paper_kind(&path.file_name().unwrap_or_default().to_string_lossy()).unwrap_or(FileKind::Markdown);
    let problem = |d: Vec<Diagnostic>| {
        format!("{} does not load: {}", path.display(), d.first().map_or(String::new(), ToString::to_string))
    };
    let written = Written::read(path, text.to_owned(), kind).map_err(problem)?;
    let paper = written.clone().validate().map_err(problem)?;
    Ok(Opened { doc: Doc::of(&written), written, paper })
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
