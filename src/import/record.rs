//! Import, the common shape: one paper as one producer gave it.
//!
//! Every format reader turns its input into [`Item`]s: a [`Record`] per
//! paper it could read, or a skipped record's diagnostic (file, line, why).
//! A field a producer does not give is `None` and leaves the paper file's
//! value alone; the merge rules ([`super::merge`]) decide the rest.

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::Diagnostic;

/// One paper of one input, cleaned, in the content contract's terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    /// The arXiv id, without version.
    pub id: String,
    /// The line of its input where it starts.
    pub line: usize,
    /// The digest that lists it: its date, position and announce type.
    pub date: NaiveDate,
    pub order: Option<i64>,
    pub announce_type: Option<&'static str>,
    /// Which digest of that day: its category, or the format's name. One
    /// digest keeps a listing's order against another's (see `merge`).
    pub digest: String,
    pub title: Option<String>,
    pub translated_title: Option<String>,
    pub summary: Option<String>,
    pub abstract_md: Option<String>,
    pub body: Option<String>,
    pub authors: Option<Vec<String>>,
    /// The primary category first, when known.
    pub categories: Vec<String>,
    pub tags: Option<Vec<String>>,
    /// The paper's code repository, an http(s) address ([`super::code`]).
    pub code: Option<String>,
    /// Values for the paper's `extra` map, by key.
    pub extra: Vec<(&'static str, Value)>,
}

/// What a reader found in its input, in order.
#[derive(Debug)]
pub enum Item {
    Paper(Box<Record>),
    /// A record (or the rest of a file) that could not be read.
    Skipped(Diagnostic),
}

/// `Some(text)` unless it is empty after trimming.
pub fn non_empty(text: impl AsRef<str>) -> Option<String> {
    let text = text.as_ref().trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A diagnostic at a line and column of a streamed input (no source line to show).
pub fn diagnostic_at(
    path: &std::path::Path,
    line: usize,
    column: usize,
    message: impl Into<String>,
) -> Diagnostic {
    let mut d = Diagnostic::new(path, message);
    d.line = line;
    d.column = column;
    d
}
