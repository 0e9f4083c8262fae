//! Stage 1, reading one paper file: its text split into front matter and
//! body ([`super::front_matter`]) and its fields as written
//! ([`RawFrontMatter`]), before anything is checked.
//!
//! `load` validates a [`Written`] into a [`Paper`]; `import` and `enrich`,
//! which edit a file in place, learn from it what the file holds now and
//! where its front matter is. So every command reads a paper file one way.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::front_matter::{self, SplitError};
use super::paper::Origin;
use super::raw::RawFrontMatter;
use super::yaml_error::yaml_diagnostic;
use super::{FileKind, Read};
use crate::error::Diagnostic;

/// A paper file as written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The file, as diagnostics name it.
    shown: PathBuf,
    kind: FileKind,
    /// The whole text, normalised (no BOM, `\n` line ends).
    text: String,
    yaml: Range<usize>,
    yaml_line: usize,
    /// Where the text below the front matter starts, in bytes and lines.
    body_start: usize,
    body_line: usize,
    fields: RawFrontMatter,
}

impl Written {
    /// Reads the text of a paper file; `shown` names it in diagnostics.
    /// The problems are those that keep its fields from being read at all.
    pub fn read(shown: &Path, text: String, kind: FileKind) -> Result<Written, Vec<Diagnostic>> {
        let text = front_matter::normalize(text);
        let parts = match kind {
            FileKind::Yaml => front_matter::whole_yaml(&text),
            FileKind::Markdown => {
                front_matter::split_markdown(&text).map_err(|e| vec![split_diagnostic(shown, &text, e)])?
            }
        };
        let origin = Origin { path: shown, text: &text, yaml_line: parts.yaml_line };
        let fields = RawFrontMatter::read(parts.yaml).map_err(|e| vec![yaml_diagnostic(&origin, &e)])?;
        let yaml = parts.yaml_start..parts.yaml_start + parts.yaml.len();
        let (yaml_line, body_start, body_line) =
            (parts.yaml_line, text.len() - parts.body.len(), parts.body_line);
        Ok(Written { shown: shown.to_path_buf(), kind, text, yaml, yaml_line, body_start, body_line, fields })
    }

    /// Checks every value and fills the defaults: the paper, or every
    /// problem of the file.
    pub fn validate(self) -> Read {
        let origin = Origin { path: &self.shown, text: &self.text, yaml_line: self.yaml_line };
        self.fields.validate(&origin, &self.text[self.body_start..], self.body_line)
    }

    /// The fields as written.
    pub fn fields(&self) -> &RawFrontMatter {
        &self.fields
    }

    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The YAML: the front matter, or a YAML paper's whole text.
    pub fn yaml(&self) -> &str {
        &self.text[self.yaml.clone()]
    }

    /// The lines around the front matter as written: `---` before it,
    /// `---` or `...` after it (the last without a line break when the
    /// file ends there); none in a YAML paper.
    pub fn fences(&self) -> (&str, &str) {
        (&self.text[..self.yaml.start], &self.text[self.yaml.end..self.body_start])
    }

    /// The text below the front matter (none in a YAML paper).
    pub fn below(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The body as written: below the front matter, or a YAML paper's `body:`.
    pub fn body(&self) -> &str {
        match self.kind {
            FileKind::Markdown => self.below(),
            FileKind::Yaml => self.fields.body().unwrap_or(""),
        }
    }
}

fn split_diagnostic(path: &Path, text: &str, err: SplitError) -> Diagnostic {
    let d = Diagnostic::new(path, "").at(text, 1, 1);
    match err {
        SplitError::Missing => Diagnostic {
            message: "no front matter".into(),
            ..d.help("start the file with a `---` line, the paper's fields, and another `---` line")
        },
        SplitError::Toml => Diagnostic {
            message: "TOML front matter (`+++`): quire reads YAML front matter, between `---` lines".into(),
            ..d.help(
                "write `---` for each `+++` line and `key: value` for each `key = value` \
                 (`title = \"X\"` -> `title: \"X\"`; lists stay `[a, b]`; `[extra]` -> `extra:` \
                 with its keys indented below it)",
            )
        },
        SplitError::Unterminated => Diagnostic {
            message: "the front matter that starts here never ends".into(),
            ..d.help("add a line `---` after the last field")
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, kind: FileKind) -> Written {
        Written::read(Path::new("p.md"), text.to_owned(), kind).unwrap()
    }

    #[test]
    fn a_markdown_paper_is_its_fences_its_yaml_and_the_text_below() {
        let w = read("\u{feff}---  \r\ntitle: \" T \"\r\nsummary: s\r\n...\r\nBody.\r\n", FileKind::Markdown);
        assert_eq!(w.fences(), ("---  \n", "...\n"));
        assert_eq!((w.yaml(), w.below(), w.body()), ("title: \" T \"\nsummary: s\n", "Body.\n", "Body.\n"));
        assert_eq!((w.fields().title(), w.fields().summary()), (" T ", Some("s")), "as written");
        let at_end = read("---\ntitle: t\n---", FileKind::Markdown);
        assert_eq!((at_end.fences(), at_end.below()), (("---\n", "---"), ""));
    }

    #[test]
    fn a_yaml_paper_is_all_yaml_and_its_body_a_field() {
        let w = read("title: t\nbody: |\n  B.\n", FileKind::Yaml);
        assert_eq!((w.fences(), w.yaml(), w.below()), (("", ""), "title: t\nbody: |\n  B.\n", ""));
        assert_eq!(w.body(), "B.\n");
    }

    #[test]
    fn fields_that_are_absent_are_told_from_empty_ones() {
        let w = read("---\ntitle: t\nauthors: []\n---\n", FileKind::Markdown);
        assert_eq!(w.fields().authors(), Some(&[][..]));
        assert_eq!(read("---\ntitle: t\n---\n", FileKind::Markdown).fields().authors(), None);
    }
}
