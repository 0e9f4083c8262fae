//! Import, editing a paper file in place: its front matter seen as
//! top-level fields, each the lines from its key to the next key, so one
//! field can be replaced or added while every other line (comments, a
//! person's own fields and formatting) stays exactly as it was written.
//!
//! The file is split where the loader splits it ([`Written`]). New fields
//! go where the content contract's order ([`FIELDS`]) puts them among the
//! fields already there. `extra` is edited one key at a time the same way.

use crate::load::{FileKind, Written, FIELDS};

/// A paper file being edited.
#[derive(Debug, Clone)]
pub struct Doc {
    kind: FileKind,
    /// The YAML's lines, each with its `\n`.
    lines: Vec<String>,
    /// Markdown: the fence lines around the YAML, and the body below.
    open: String,
    close: String,
    pub body: String,
}

impl Doc {
    /// An empty Markdown paper.
    pub fn new() -> Doc {
        Doc {
            kind: FileKind::Markdown,
            lines: Vec::new(),
            open: "---\n".into(),
            close: "---\n".into(),
            body: String::new(),
        }
    }

    /// The lines of a paper file as the loader read it.
    pub fn of(written: &Written) -> Doc {
        let (open, close) = written.fences();
        let mut close = close.to_owned();
        if !close.is_empty() && !close.ends_with('\n') {
            close.push('\n');
        }
        let mut lines: Vec<String> = written.yaml().split_inclusive('\n').map(str::to_owned).collect();
        if let Some(last) = lines.last_mut().filter(|l| !l.ends_with('\n')) {
            last.push('\n');
        }
        Doc { kind: written.kind(), lines, open: open.to_owned(), close, body: written.below().to_owned() }
    }

    /// The YAML part.
    pub fn yaml(&self) -> String {
        self.lines.concat()
    }

    /// The whole file.
    pub fn render(&self) -> String {
        let mut out = format!("{}{}{}", self.open, self.yaml(), self.close);
        out.push_str(&self.body);
        if !self.body.is_empty() && !self.body.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// Replaces the field `key` with `yaml` (whole lines, ending with `\n`),
    /// or adds it in the contract's order.
    pub fn set(&mut self, key: &str, yaml: &str) {
        let new: Vec<String> = yaml.split_inclusive('\n').map(str::to_owned).collect();
        let (start, end) = self.span(key).unwrap_or_else(|| {
            let at = self.insertion_point(key);
            (at, at)
        });
        self.lines.splice(start..end, new);
    }

    /// Sets `key: value` inside the block map `parent` (creating it); false
    /// when `parent` is written inline and cannot be edited line by line.
    pub fn set_in_map(&mut self, parent: &str, key: &str, value: &str) -> bool {
        let Some((start, end)) = self.span(parent) else {
            self.set(parent, &format!("{parent}:\n  {key}: {value}\n"));
            return true;
        };
        let inline = self.lines[start].split_once(':').map_or("", |(_, v)| v).trim();
        if inline == "{}" {
            self.set(parent, &format!("{parent}:\n  {key}: {value}\n"));
            return true;
        }
        if !(inline.is_empty() || inline.starts_with('#')) {
            return false;
        }
        let children = start + 1..end;
        let indent = self.lines[children.clone()]
            .iter()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map_or(2, |l| l.len() - l.trim_start().len());
        let line = format!("{}{key}: {value}\n", " ".repeat(indent));
        let child = children.clone().find(|&i| {
            let l = &self.lines[i];
            l.len() - l.trim_start().len() == indent && key_of(&l[indent..]) == Some(key)
        });
        match child {
            Some(at) => {
                let stop = (at + 1..end)
                    .find(|&i| {
                        let l = &self.lines[i];
                        !l.trim().is_empty() && l.len() - l.trim_start().len() <= indent
                    })
                    .unwrap_or(end);
                self.lines.splice(at..stop, [line]);
            }
            None => self.lines.insert(end, line),
        }
        true
    }

    /// The lines `[start, end)` of the top-level field `key`: its key line
    /// and the indented (or `- ` item) lines below it, without trailing blanks.
    fn span(&self, key: &str) -> Option<(usize, usize)> {
        self.spans().into_iter().find(|(k, _, _)| *k == key).map(|(_, start, end)| (start, end))
    }

    /// Every top-level field's key and lines, in one pass.
    fn spans(&self) -> Vec<(&str, usize, usize)> {
        let mut spans = Vec::new();
        let mut i = 0;
        while i < self.lines.len() {
            let Some(key) = key_of(&self.lines[i]) else {
                i += 1;
                continue;
            };
            let mut end = i + 1;
            while end < self.lines.len() && continues(&self.lines[end]) {
                end += 1;
            }
            let next = end;
            while end > i + 1 && self.lines[end - 1].trim().is_empty() {
                end -= 1;
            }
            spans.push((key, i, end));
            i = next;
        }
        spans
    }

    /// Where a new field `key` goes: after the last field that comes before
    /// it in [`FIELDS`], else before the first that comes after it, else at the end.
    fn insertion_point(&self, key: &str) -> usize {
        let rank = |k: &str| FIELDS.iter().position(|o| *o == k);
        let Some(own) = rank(key) else { return self.end() };
        let spans = self.spans();
        let ranked = spans.iter().filter_map(|&(k, start, end)| Some((rank(k)?, start, end)));
        let before =
            ranked.clone().filter(|(r, _, _)| *r < own).max_by_key(|(r, _, _)| *r).map(|(_, _, end)| end);
        let after = ranked.filter(|(r, _, _)| *r > own).min_by_key(|(r, _, _)| *r).map(|(_, start, _)| start);
        before.or(after).unwrap_or_else(|| self.end())
    }

    /// The end of the YAML, before any trailing blank lines.
    fn end(&self) -> usize {
        let mut end = self.lines.len();
        while end > 0 && self.lines[end - 1].trim().is_empty() {
            end -= 1;
        }
        end
    }
}

/// The key of a top-level `key: ...` line.
fn key_of(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    let rest = line[end..].trim_start_matches([' ', '\t']);
    let after = rest.strip_prefix(':')?;
    (after.is_empty() || after.starts_with([' ', '\t', '\n', '\r'])).then(|| &line[..end])
}

/// Whether a line belongs to the field above it.
fn continues(line: &str) -> bool {
    line.trim().is_empty()
        || line.starts_with([' ', '\t'])
        || line.starts_with("- ")
        || line.trim_end() == "-"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paper file's lines, as the loader reads it.
    fn read(text: &str, kind: FileKind) -> Doc {
        let written = Written::read(std::path::Path::new("p.md"), text.to_owned(), kind);
        Doc::of(&written.unwrap_or_else(|d| panic!("{d:?}")))
    }

    const FILE: &str = "---\nid: \"2404.01300\"\ntitle: \"Old\"\n# a person's note\nauthors:\n  - kept\n\n  - as is\ntags:\n- a\n- b\n\nextra:\n  upvotes: 3\n  nested:\n    deep: 1\n  note: \"x\"\n---\nBody.\n";

    #[test]
    fn an_unchanged_file_renders_as_it_was() {
        for text in [FILE, "---\ntitle: x\n...\nno final newline", "title: x\nbody: |\n  b\n"] {
            let kind = if text.starts_with("---") { FileKind::Markdown } else { FileKind::Yaml };
            let want = if text.ends_with('\n') { text.to_owned() } else { format!("{text}\n") };
            assert_eq!(read(text, kind).render(), want);
        }
        assert_eq!(read("---\ntitle: x\n---", FileKind::Markdown).render(), "---\ntitle: x\n---\n");
        assert_eq!(read("title: x", FileKind::Yaml).render(), "title: x\n");
    }

    #[test]
    fn fields_are_replaced_and_added_in_place() {
        let mut doc = read(FILE, FileKind::Markdown);
        doc.set("title", "title: \"New\"\n");
        doc.set("tags", "tags: [\"a\", \"b\", \"c\"]\n");
        doc.set("summary", "summary: \"S\"\n");
        doc.set("abstract", "abstract: |\n  A\n");
        doc.set("date", "date: \"2024-04-02\"\n");
        assert_eq!(
            doc.render(),
            "---\nid: \"2404.01300\"\ntitle: \"New\"\ndate: \"2024-04-02\"\nsummary: \"S\"\n# a person's note\nauthors:\n  - kept\n\n  - as is\n\
             tags: [\"a\", \"b\", \"c\"]\n\nextra:\n  upvotes: 3\n  nested:\n    deep: 1\n  note: \"x\"\nabstract: |\n  A\n---\nBody.\n"
        );
    }

    #[test]
    fn extra_keys_are_set_one_by_one() {
        let mut doc = read(FILE, FileKind::Markdown);
        assert!(doc.set_in_map("extra", "upvotes", "4"));
        assert!(doc.set_in_map("extra", "nested", "2"));
        assert!(doc.set_in_map("extra", "comment", "\"c\""));
        assert!(
            doc.yaml().ends_with("extra:\n  upvotes: 4\n  nested: 2\n  note: \"x\"\n  comment: \"c\"\n"),
            "{}",
            doc.yaml()
        );
        let mut empty = read("---\ntitle: t\nextra: {}\n---\n", FileKind::Markdown);
        assert!(empty.set_in_map("extra", "doi", "\"d\""));
        assert_eq!(empty.yaml(), "title: t\nextra:\n  doi: \"d\"\n");
        let mut missing = Doc::new();
        assert!(missing.set_in_map("extra", "doi", "\"d\""));
        assert_eq!(missing.render(), "---\nextra:\n  doi: \"d\"\n---\n");
        let mut inline = read("---\ntitle: t\nextra: {a: 1}\n---\n", FileKind::Markdown);
        assert!(!inline.set_in_map("extra", "doi", "\"d\""));
    }

    #[test]
    fn a_new_file_gets_the_contracts_order() {
        let mut doc = Doc::new();
        for (key, yaml) in [
            ("abstract", "abstract: |\n  A\n"),
            ("title", "title: \"T\"\n"),
            ("id", "id: \"x\"\n"),
            ("order", "order: 3\n"),
        ] {
            doc.set(key, yaml);
        }
        doc.body = "Text".into();
        assert_eq!(doc.render(), "---\nid: \"x\"\ntitle: \"T\"\norder: 3\nabstract: |\n  A\n---\nText\n");
    }

    #[test]
    fn keys_are_top_level_keys_only() {
        assert_eq!(key_of("title: x\n"), Some("title"));
        assert_eq!(key_of("translated_title:\n"), Some("translated_title"));
        assert_eq!(key_of("  title: x\n"), None);
        assert_eq!(key_of("# title: x\n"), None);
        assert_eq!(key_of("url: https://x\n"), Some("url"));
        assert_eq!(key_of("http://x\n"), None);
    }
}
