//! Errors that say where they happened.
//!
//! Problems in a site's own files (front matter, `site.toml`, templates) are
//! [`Diagnostic`]s: a file, a line and column counted from the top of that
//! file, a message, and a short fix. A build collects every diagnostic of a
//! run and fails once with all of them ([`Error::Site`]). Everything else
//! (I/O, a refused output folder) is a plain typed [`Error`] variant whose
//! cause chain `main` prints.
//!
//! Warnings are diagnostics too ([`Severity::Warning`]: a formula that is
//! shown as its source, say): values handed back to the command, which
//! prints them; nothing below the command prints anything.
//!
//! Text that comes from content or from a file name is printed only through
//! [`printable`] or [`printable_line`], so no file can send a terminal an
//! escape sequence: a diagnostic applies it to each of its parts.

use std::borrow::Cow;
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
    /// Another command (`holder`: `build`, `import`) is writing the same folder.
    #[error("another quire {holder} is writing {} now (it holds {}); run this one when it is done", .target.display(), .lock.display())]
    Busy { holder: String, target: PathBuf, lock: PathBuf },
    /// A command that works on a site was run where there is none.
    #[error("no site.toml in {}: run quire in a site's folder, or pass --root DIR, or start a site with `quire init`", .0.display())]
    NoSite(PathBuf),
    /// A command-line value that cannot be used as given.
    #[error("{0}")]
    Usage(String),
    /// `quire serve --port`: the port asked for is taken.
    #[error("port {port} is in use on {interface}: choose another with --port, or leave --port out to use the first free one from {default}")]
    PortInUse { port: u16, interface: std::net::IpAddr, default: u16 },
    /// `quire check --external` asks other sites with curl, and there is none.
    #[error("`quire check --external` asks other sites with curl, which is not on PATH: install curl (Debian and Ubuntu: `apt-get install curl`; macOS and Windows 10 and later have it)")]
    CurlMissing,
    /// `quire new ID`: the site has a paper with that id already.
    #[error("`{id}` is already a paper of this site, in {}; nothing was written. {advice}", .path.display())]
    PaperExists { id: String, path: PathBuf, advice: String },
    /// A new paper's file would replace a file that appeared meanwhile.
    #[error("{} holds another paper", .0.display())]
    PaperFileTaken(PathBuf),
    /// `quire import --strict`: records that could not be read, each named.
    #[error("{} could not be read; nothing was written (--strict)", plural(.0.len(), "record"))]
    Skipped(Vec<Diagnostic>),
    /// `quire import`: the inputs had records, and none could be imported.
    #[error("nothing was imported from {}: every record was skipped (listed above)", paths(.0))]
    NothingImported(Vec<PathBuf>),
    /// `quire serve` could not start or keep running its server.
    #[error("cannot {action}")]
    Server {
        action: String,
        #[source]
        source: std::io::Error,
    },
    /// `quire check` found links that lead nowhere (each is listed).
    #[error("{} broken", plural(*.0, "link"))]
    BrokenLinks(usize),
    /// `quire enrich` stopped early: the API refused the key or a request,
    /// or a paper got no answer within its tries (the message says which).
    #[error("{0}")]
    Enrich(String),
    /// The thread writing files stopped before everything was handed to
    /// it; its own error says why.
    #[error("the file writer stopped early")]
    WriterStopped,
    /// A worker thread panicked: a bug in quire. What it was doing is lost,
    /// so the command fails rather than report less than it should.
    #[error("{0} stopped unexpectedly (a bug in quire; please report it)")]
    Panicked(&'static str),
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

    /// The diagnostics of an error, or one made from its message: what
    /// `serve` shows when a rebuild fails.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            Error::Site(d) => d,
            other => vec![Diagnostic::new("", other.chain())],
        }
    }

    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Io { action, path, source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whether a diagnostic stops the site from being built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Severity {
    /// Nothing is written until it is fixed.
    #[default]
    Error,
    /// The site is built; the reader sees something less than intended.
    Warning,
}

/// One problem in one file, with its place and a suggested fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
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
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: None,
            help: None,
        }
    }

    /// A warning about `path`: the site is still built.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::new(path, message) }
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
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

    /// `path:line:column`, the way editors and terminals link to a place
    /// (control characters in the path escaped).
    pub fn place(&self) -> String {
        let path = self.path.display().to_string();
        let path = printable_line(&path);
        match (self.line, self.column) {
            (0, _) => path.into_owned(),
            (l, 0) => format!("{path}:{l}"),
            (l, c) => format!("{path}:{l}:{c}"),
        }
    }

    /// A multi-line report with the source line and a caret, for terminals.
    /// Every part (message, path, source line, help) is [`printable_line`].
    pub fn render(&self, renderer: &Renderer) -> String {
        let path = self.path.display().to_string();
        let path = printable_line(&path);
        let message = printable_line(&self.message);
        let level = if self.is_warning() { Level::WARNING } else { Level::ERROR };
        let title = level.primary_title(message.as_ref());
        let shown_line = self.source_line.as_deref().map(printable_line);
        let group = match (&self.source_line, &shown_line) {
            (Some(line), Some(shown)) => {
                let start = char_offset_to_byte(line, self.column.saturating_sub(1));
                let end = token_end(line, start);
                // The caret's place in the line as shown, escapes included.
                let span = printable_line(&line[..start]).len()..printable_line(&line[..end]).len();
                title.element(
                    Snippet::source(shown.as_ref())
                        .line_start(self.line)
                        .path(path.as_ref())
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            _ => title.element(annotate_snippets::Origin::path(self.place())),
        };
        let mut report = vec![group];
        let help = self.help.as_deref().map(printable_line);
        if let Some(help) = &help {
            report.push(Group::with_title(Level::HELP.secondary_title(help.as_ref())));
        }
        renderer.render(&report).to_string()
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `path:line:col: message (help: fix)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), printable_line(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " (help: {})", printable_line(help))?;
        }
        Ok(())
    }
}

/// `text` as it may be printed: every control character (ESC, BEL, CR,
/// DEL, the C1 range...) but line feeds and tabs, and the bidirectional
/// overrides that reorder what a terminal shows, written as `\u{1b}`.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape_for_terminal(text, &['\n', '\t'])
}

/// [`printable`] for text that must stay on one line: line feeds escaped too.
pub fn printable_line(text: &str) -> Cow<'_, str> {
    escape_for_terminal(text, &['\t'])
}

/// The one rule: which characters a terminal must not receive as they are.
fn escape_for_terminal<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    let unsafe_char = |c: char| {
        !keep.contains(&c)
            && (c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    };
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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

/// `bytes` as text, or a diagnostic at the line and column of the first
/// byte that is not UTF-8 (its byte offset in the message).
pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let err = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(err) => err,
    };
    let at = err.utf8_error().valid_up_to();
    let bytes = err.as_bytes();
    let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line_end = bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| at + i);
    // The valid prefix of the line is text; the bad byte and the rest are shown lossily.
    let before = std::str::from_utf8(&bytes[line_start..at]).unwrap_or_default();
    let line = String::from_utf8_lossy(&bytes[line_start..line_end]);
    let mut d =
        Diagnostic::new(path, format!("the file is not UTF-8 text: byte 0x{:02x} at offset {at}", bytes[at]))
            .help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")");
    d.line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    d.column = before.chars().count() + 1;
    d.source_line = Some(line.trim_end_matches('\r').to_owned());
    Err(d)
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

/// Paths as a list for a message: `a.xml, b.xml`.
fn paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
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
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(printable("plain 论文\tand\nlines"), "plain 论文\tand\nlines");
        assert_eq!(printable("\u{1b}]0;title\u{7}"), "\\u{1b}]0;title\\u{7}");
        assert_eq!(printable("a\rb\u{9b}c\u{202e}d\u{7f}"), "a\\u{d}b\\u{9b}c\\u{202e}d\\u{7f}");
        assert_eq!(printable_line("a\nb"), "a\\u{a}b");
        let d = Diagnostic::new("content/\u{1b}[2J.md", "bad `\u{1b}]0;x\u{7}`")
            .at("---\nx: \u{1b}[31m y\n", 2, 10)
            .help("fix \u{7}");
        let styled = d.render(&Renderer::styled());
        assert!(!styled.contains(['\u{7}']) && !styled.contains("\u{1b}]") && !styled.contains("\u{1b}[2J"));
        assert!(styled.contains("content/\\u{1b}[2J.md"), "{styled:?}");
        assert!(d.to_string().starts_with("content/\\u{1b}[2J.md:2:10: bad `\\u{1b}]0;x\\u{7}`"));
        let plain = d.render(&Renderer::plain());
        assert!(!plain.contains(['\u{1b}', '\u{7}']), "{plain:?}");
        // The caret stays under the token, escapes counted.
        let caret = plain.lines().find(|l| l.contains('^')).unwrap();
        let line = plain.lines().find(|l| l.contains("x: ")).unwrap();
        assert_eq!(&line[caret.find('^').unwrap()..][..1], "y", "{plain}");
    }

    #[test]
    fn text_that_is_not_utf8_is_placed_at_its_first_bad_byte() {
        assert_eq!(utf8_text(Path::new("a.md"), b"ok\n".to_vec()).unwrap(), "ok\n");
        let d = utf8_text(Path::new("a.md"), b"one\r\ntwo caf\xe9 x\nthree \xff\n".to_vec()).unwrap_err();
        assert_eq!(d.place(), "a.md:2:8");
        assert!(d.message.ends_with("byte 0xe9 at offset 12"), "{}", d.message);
        assert_eq!(d.source_line.as_deref(), Some("two caf\u{fffd} x"));
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
