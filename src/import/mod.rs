//! Import: what digest producers publish -> one paper file per paper.
//!
//! Outside the build pipeline: `quire import [--from FORMAT] [--date D]
//! [--category CAT] [--into DIR] [--dry-run] [--strict] PATH...` reads each
//! input as it streams ([`formats`]: the seed's Markdown digest and
//! per-paper JSON, daily-arXiv-ai-enhanced JSONL, arXiv API Atom, arXiv RSS
//! and its Atom twin, Hugging Face daily papers) and merges every record
//! into the content folder ([`merge`]): one file per paper, a listing per
//! digest, hand edits kept. A record that cannot be read is skipped and
//! named; the others are imported. This module owns the command's flow and
//! its report. The steps live beside it:
//!
//! - [`input`]: the PATH arguments -> inputs, each with its format; the target site;
//! - [`text`]: reading bytes as checked UTF-8 with lines, one record at a time;
//! - [`formats`]: each format -> [`record::Record`]s;
//! - [`arxiv`], [`clean`]: how producers write arXiv listings, and the text rules;
//! - [`merge`]: records -> paper files, and the record of what producers wrote;
//! - [`lock`]: one command at a time writes a content folder;
//! - [`yaml`]: the front matter writer;
//! - [`enrich`]: `quire enrich`, a language model filling what papers are missing.

mod arxiv;
mod clean;
mod code;
pub mod enrich;
mod formats;
mod input;
mod lock;
mod merge;
mod record;
mod text;
mod yaml;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;

pub use formats::Format;
pub use lock::{lock, ContentLock};
pub use merge::{Outcome, RECORD_FILE};

use crate::error::{plural, Diagnostic, Error, Result};
use record::Item;

/// What `quire import` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Files, folders, or `-` for standard input.
    pub paths: Vec<PathBuf>,
    /// `--from`: the format of every input (default: recognised).
    pub from: Option<String>,
    /// `--date`, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `--category`: the digest's category.
    pub category: Option<String>,
    /// The folder new papers go into (`<into>/<date>/`).
    pub into: PathBuf,
    pub dry_run: bool,
    /// Any skipped record is an error, and nothing is written.
    pub strict: bool,
    /// The producer's values replace hand edits of the fields it sets.
    pub force: bool,
}

/// Papers added, updated, unchanged and records skipped, of one format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct ImportReport {
    pub into: PathBuf,
    pub dry_run: bool,
    pub counts: BTreeMap<Format, Counts>,
    /// Every record skipped, with where and why.
    pub skipped: Vec<Diagnostic>,
    /// Papers whose hand edits were kept against a producer's new value.
    pub kept: Vec<String>,
    /// Categories and tags left out because the build would refuse them.
    pub left_out: Vec<String>,
    /// With `--dry-run`: each paper that would be added or updated.
    pub changes: Vec<(PathBuf, Outcome, Vec<String>)>,
    /// When not one record of the run could be imported: the inputs that had some.
    pub nothing_from: Vec<PathBuf>,
}

impl ImportReport {
    /// What standard error shows: the skipped records and the kept edits.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if !self.skipped.is_empty() {
            let rest = match self.counts.values().all(|c| c.added + c.updated + c.unchanged == 0) {
                true => "nothing was imported",
                false => "the others were imported",
            };
            let mut text = format!("warning: {} skipped; {rest}:", plural(self.skipped.len(), "record"));
            for d in &self.skipped {
                text.push_str(&format!("\n  {d}"));
            }
            warnings.push(text);
        }
        if !self.left_out.is_empty() {
            let mut text = String::from("warning: terms left out (the build would refuse them):");
            for t in &self.left_out {
                text.push_str(&format!("\n  {t}"));
            }
            warnings.push(text);
        }
        if !self.kept.is_empty() {
            let mut text = String::from(
                "note: hand edits kept where the producer's value changed (--force takes the producer's):",
            );
            for k in &self.kept {
                text.push_str(&format!("\n  {k}"));
            }
            warnings.push(text);
        }
        warnings
    }

    /// The error a run ends with when its inputs had records and none could
    /// be imported: a daily job must not pass on a day it lost. An empty
    /// input (a feed on a day arXiv announces nothing) is no failure.
    pub fn failure(&self) -> Option<Error> {
        (!self.nothing_from.is_empty()).then(|| Error::NothingImported(self.nothing_from.clone()))
    }
}

impl fmt::Display for ImportReport {
    /// With `--dry-run`, one line per change; then the one final line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (path, outcome, fields) in &self.changes {
            match outcome {
                Outcome::Added => writeln!(f, "add     {}", path.display())?,
                _ => writeln!(f, "update  {} ({})", path.display(), fields.join(", "))?,
            }
        }
        let into = self.into.display().to_string();
        let into = if into.ends_with('/') { into } else { format!("{into}/") };
        match self.dry_run {
            true => write!(f, "Would import into {into} (dry run, nothing written): ")?,
            false => write!(f, "Imported into {into}: ")?,
        }
        if self.counts.is_empty() {
            return write!(
                f,
                "nothing; the input held no papers (a feed does on days arXiv announces none)."
            );
        }
        let parts: Vec<String> = self
            .counts
            .iter()
            .map(|(format, c)| {
                format!(
                    "{}: {} added, {} updated, {} unchanged, {} skipped",
                    format.name(),
                    c.added,
                    c.updated,
                    c.unchanged,
                    c.skipped
                )
            })
            .collect();
        write!(f, "{}.", parts.join("; "))
    }
}

/// Reads every input and merges its records; see the module's doc.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    let from = options.from.as_deref().map(parse_format).transpose()?;
    let date = options.date.as_deref().map(crate::dates::date_argument).transpose()?;
    if options.paths.is_empty() {
        return Err(Error::Usage("name a file, a folder or `-` (standard input) to import".into()));
    }
    let inputs = input::gather(&options.paths, from)?;
    if inputs.is_empty() {
        return Err(Error::Usage("found no file of a format quire reads in the folders named".into()));
    }
    let target = input::target(&options.into)?;
    let writes = match (options.dry_run, options.strict) {
        (true, _) => merge::Writes::Never,
        (false, true) => merge::Writes::AtEnd,
        (false, false) => merge::Writes::Now,
    };
    // Paths of new files and of the content folder's files are compared: one form for both.
    let into = match target.content.is_absolute() && options.into.is_relative() {
        true => std::path::absolute(&options.into).unwrap_or_else(|_| options.into.clone()),
        false => options.into.clone(),
    };
    // Held until the import is done; a dry run writes nothing and takes none.
    let _lock = (!options.dry_run).then(|| lock(&target.content, "import")).transpose()?;
    let merge_options =
        merge::MergeOptions { into, content: target.content.clone(), force: options.force, writes };
    let mut merger = merge::Merger::new(merge_options)?;
    let mut report =
        ImportReport { into: options.into.clone(), dry_run: options.dry_run, ..ImportReport::default() };
    // Records read, and skipped, per input.
    let mut per_input = vec![(0usize, 0usize); inputs.len()];
    // Inputs are read and parsed on their own thread while records are
    // merged here; when merging fails, the reading stops too.
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(IN_FLIGHT);
        scope.spawn(|| read_inputs(&inputs, options, date, &target.language, &stop, sender));
        let merged = (|| {
            for message in receiver {
                let (index, item) = message?;
                let input: &input::Input = &inputs[index];
                let counts = report.counts.entry(input.format).or_default();
                let result = match item {
                    Item::Paper(record) => merger.apply(&record, &input.shown, input.format as usize)?,
                    Item::Skipped(d) => Err(d),
                };
                per_input[index].0 += 1;
                if let Err(d) = result {
                    counts.skipped += 1;
                    per_input[index].1 += 1;
                    report.skipped.push(d);
                }
            }
            Ok::<(), Error>(())
        })();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        merged
    })?;
    if options.strict && !report.skipped.is_empty() {
        return Err(Error::Skipped(report.skipped));
    }
    // Records were read and not one could be imported: the run failed. One
    // bad file among others' good ones is a skipped record, no more.
    if report.skipped.len() == per_input.iter().map(|(read, _)| read).sum::<usize>() {
        let read = inputs.iter().zip(&per_input).filter(|(_, (read, _))| *read > 0);
        report.nothing_from = read.map(|(input, _)| input.shown.clone()).collect();
    }
    for (outcome, sources) in merger.outcomes() {
        for format in Format::ALL.into_iter().filter(|f| sources & (1 << *f as usize) != 0) {
            let counts = report.counts.entry(format).or_default();
            match outcome {
                Outcome::Added => counts.added += 1,
                Outcome::Updated => counts.updated += 1,
                Outcome::Unchanged => counts.unchanged += 1,
            }
        }
    }
    if options.dry_run {
        report.changes = merger.changes();
    }
    let (record_path, unreadable) = merger.unreadable_record_lines();
    if !unreadable.is_empty() {
        let lines: Vec<String> = unreadable.iter().map(ToString::to_string).collect();
        report.kept.push(format!(
            "{}: lines {} could not be read; their papers were treated as without a record",
            record_path.display(),
            lines.join(", ")
        ));
    }
    report.kept.append(&mut merger.kept);
    report.left_out.append(&mut merger.left_out);
    merger.finish()?;
    Ok(report)
}

/// Records read but not yet merged: each may be up to 10 MB, so few.
const IN_FLIGHT: usize = 8;

/// Reads every input in order, sending each item with its input's index;
/// an input that cannot be opened ends the reading, and so does `stop`.
fn read_inputs(
    inputs: &[input::Input],
    options: &ImportOptions,
    date: Option<NaiveDate>,
    language: &str,
    stop: &std::sync::atomic::AtomicBool,
    sender: std::sync::mpsc::SyncSender<Result<(usize, Item)>>,
) {
    for (index, input) in inputs.iter().enumerate() {
        let cx = formats::Context {
            shown: &input.shown,
            date,
            path_date: input.path_date(),
            category: options.category.clone().or_else(|| input.category()),
            language,
        };
        match input.open() {
            Ok(reader) => formats::read(input.format, Stoppable { reader, stop }, &cx, &mut |item| {
                let _ = sender.send(Ok((index, item)));
            }),
            Err(e) => {
                let _ = sender.send(Err(e));
                return;
            }
        }
    }
}

/// An input that ends (with an error) once the import stops.
struct Stoppable<'s, R> {
    reader: R,
    stop: &'s std::sync::atomic::AtomicBool,
}

impl<R: std::io::Read> std::io::Read for Stoppable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.stop.load(std::sync::atomic::Ordering::Relaxed) {
            true => Err(std::io::Error::other("the import stopped")),
            false => self.reader.read(buf),
        }
    }
}

fn parse_format(name: &str) -> Result<Format> {
    Format::from_name(name).ok_or_else(|| {
        Error::Usage(format!("--from `{name}` is not a format quire reads: use one of {}", Format::names()))
    })
}
