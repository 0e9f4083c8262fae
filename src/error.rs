//! Errors that say where they happened.
//!
//! Problems in a site's own files (front matter, `site.toml`, templates) are
//! [`Diagnostic`]s: a file, a line and column counted from the top of that
//! file, a message, and a short fix. A build collects every diagnostic of a
//! run and fails once with all of them ([`Error::Site`]). Everything else
//! (I/O, a refused output folder) is a plain typed [`Error`] variant whose
//! cause chain `main` prints.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Every way a quire command can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's files; each names its file and line.
    #[error("{} found in the site; nothing was written", plural(.0.len(), "problem"))]
    Site(Vec<Diagnostic>),
    /// A file or folder could not be read or written.
    #[error("cannot {action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The output folder is one quire must not replace.
    #[error("refusing to write into {}: {reason}", .path.display())]
    UnsafeOutput { path: PathBuf, reason: String },
    /// A command-line value that cannot be used as given.
    #[error("{0}")]
    Usage(String),
    /// `quire import --strict`: records that could not be read, each named.
    #[error("{} could not be read; nothing was written (--strict)", plural(.0.len(), "record"))]
    Skipped(Vec<Diagnostic>),
}

impl Error {
    /// The error and its causes on one line: `cannot read x: No such file`.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        text
    }

    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Io { action, path, source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem in one file, with its place and a suggested fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user would type it (relative to the site root).
    pub path: PathBuf,
    /// 1-based line counted from the top of the file; 0 when unknown.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    pub message: String,
    /// The text of the offending line, shown under the message.
    pub source_line: Option<String>,
    /// How to fix it, in a few words.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: None,
            help: None,
        }
    }

    /// Places the diagnostic at `line`/`column` of `source` (the whole file).
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line =
            source.lines().nth(line.wrapping_sub(1)).map(|l| l.trim_end_matches('\r').to_owned());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `path:line:column`, the way editors and terminals link to a place.
    pub fn place(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.path.display().to_string(),
            (l, 0) => format!("{}:{l}", self.path.display()),
            (l, c) => format!("{}:{l}:{c}", self.path.display()),
        }
    }

    /// A multi-line report with the source line and a caret, for terminals.
    pub fn render(&self, renderer: &Renderer) -> String {
        let path = self.path.display().to_string();
        let title = Level::ERROR.primary_title(&self.message);
        let group = match &self.source_line {
            Some(line) => {
                let start = char_offset_to_byte(line, self.column.saturating_sub(1));
                let end = token_end(line, start);
                title.element(
                    Snippet::source(line.as_str())
                        .line_start(self.line)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            None => title.element(annotate_snippets::Origin::path(self.place())),
        };
        let mut report = vec![group];
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
        }
        renderer.render(&report).to_string()
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `path:line:col: message (help: fix)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

fn char_offset_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices().nth(chars).map_or(line.len(), |(i, _)| i)
}

/// The end of the token starting at `start`: up to a separator, at least one char.
fn token_end(line: &str, start: usize) -> usize {
    let rest = &line[start..];
    let len = rest.find(|c: char| c == ':' || c.is_whitespace()).unwrap_or(rest.len());
    let at_least_one = rest.chars().next().map_or(0, char::len_utf8);
    start + len.max(at_least_one)
}

/// The closest of `known` to `unknown`, if it is close enough to be a typo.
pub fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The help line for an unknown field: a suggestion, or the list of known ones.
pub fn unknown_field_help(unknown: &str, known: &[&str]) -> String {
    match closest(unknown, known) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("known fields are: {}", known.join(", ")),
    }
}

/// The unknown name and the known ones in serde's standard message
/// "unknown field `x`, expected `a`" / "expected one of `a`, `b`".
pub fn unknown_field_in_message(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let known = rest.split('`').skip(1).step_by(2).collect();
    Some((field, known))
}

/// Displays a path relative to `root` when it is inside it.
pub fn relative(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// `1 problem`, `3 problems`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_known_field() {
        assert_eq!(closest("titel", &["id", "title", "tags"]), Some("title"));
        assert_eq!(closest("zzz", &["id", "title"]), None);
        assert_eq!(unknown_field_help("titel", &["title"]), "did you mean `title`?");
        let (field, known) =
            unknown_field_in_message("unknown field `perod`, expected one of `period`, `x`").unwrap();
        assert_eq!((field, known), ("perod", vec!["period", "x"]));
    }

    #[test]
    fn a_diagnostic_names_file_line_and_column() {
        let d = Diagnostic::new("content/a.md", "unknown field `titel`")
            .at("---\ntitel: x\n---\n", 2, 1)
            .help("did you mean `title`?");
        assert_eq!(d.place(), "content/a.md:2:1");
        assert_eq!(d.source_line.as_deref(), Some("titel: x"));
        let text = d.render(&Renderer::plain());
        assert!(text.contains("content/a.md:2:1"), "{text}");
        assert!(text.contains("did you mean `title`?"), "{text}");
    }
}
