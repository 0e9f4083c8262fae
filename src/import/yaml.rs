//! Import, writing: YAML front matter fields, one at a time.
//!
//! Only the few shapes a paper file needs, each written so any text reads
//! back exactly: strings are always double-quoted with escapes (so an id
//! like `2404.10` stays a string and `yes` stays text), multi-line text is a
//! literal block scalar (`|`), lists are flow lists of quoted strings.
//! Written by hand rather than with a YAML serializer to keep the output in
//! the order and style the content contract shows.

use std::fmt::Write as _;

use crate::text::{needs_escape, quote};

/// Front matter fields being written; [`FrontMatter::into_yaml`] gives their lines.
#[derive(Debug, Default)]
pub struct FrontMatter {
    yaml: String,
}

impl FrontMatter {
    /// `key: "value"`.
    pub fn string(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.yaml, "{key}: {}", quote(value));
    }

    /// `key: ["a", "b"]`.
    pub fn list(&mut self, key: &str, items: &[String]) {
        let items: Vec<String> = items.iter().map(|i| quote(i)).collect();
        let _ = writeln!(self.yaml, "{key}: [{}]", items.join(", "));
    }

    /// Multi-line text as a literal block, anything else as a quoted string.
    pub fn text(&mut self, key: &str, value: &str) {
        match literal_block(value) {
            Some(block) => {
                let _ = write!(self.yaml, "{key}: {block}");
            }
            None => self.string(key, value),
        }
    }

    /// The fields written so far.
    pub fn into_yaml(self) -> String {
        self.yaml
    }
}

/// `|` and the indented lines of `text`, or `None` when `text` is one line
/// or holds characters a block cannot carry (those need quoting).
///
/// The chomping indicator keeps trailing newlines exact: `|-` for none, `|`
/// for one, `|+` for more. An indentation indicator is added when the first
/// line is empty or starts with a space, which YAML would otherwise take for
/// indentation.
fn literal_block(text: &str) -> Option<String> {
    if !text.contains('\n') || text.chars().any(|c| c != '\n' && c != '\t' && needs_escape(c)) {
        return None;
    }
    let content = text.trim_end_matches('\n');
    let chomp = match text.len() - content.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first = content.lines().next().unwrap_or("");
    let indent = if first.is_empty() || first.starts_with(' ') { "2" } else { "" };
    let mut out = format!("|{indent}{chomp}\n");
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::RawFrontMatter;

    /// Reads `yaml` back with the loader's reader (fast or full).
    fn read(yaml: &str) -> RawFrontMatter {
        RawFrontMatter::read(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
    }

    const TRICKY: &[&str] = &[
        "2404.10",
        "2404.01300",
        "",
        "yes",
        "null",
        "~",
        "- a",
        "# not a comment",
        "key: value",
        "a \"quoted\" \\ backslash",
        "tab\there",
        "form\u{c}feed and bell\u{7}",
        "next\u{85}line, separators\u{2028}\u{2029}, bom\u{feff}",
        "'single'",
        "&anchor *alias !tag %dir @at `tick`",
        "  spaces around  ",
        "数学 $\\textit{x}$ ☃ 𝔸",
    ];

    #[test]
    fn quoted_strings_read_back_exactly() {
        for s in TRICKY {
            let mut fm = FrontMatter::default();
            fm.string("title", s);
            assert_eq!(read(&fm.yaml).title(), *s, "{}", fm.yaml);
        }
        assert_eq!(quote("2404.10"), "\"2404.10\"");
        assert_eq!(quote("a\"b\\c\n\u{c}"), r#""a\"b\\c\n\u000C""#);
    }

    #[test]
    fn multi_line_text_reads_back_exactly() {
        let texts = [
            "one\ntwo\n",
            "no final newline\nhere",
            "kept\n\n\n",
            "  indented first\nline\n",
            "\nstarts empty\n",
            "para one\n\npara two\n",
            "---\n...\n# x: y\n",
            "ws line\n   \nafter\n",
            "tab\tinside\n\tand first\n",
            "ctrl \u{1}\nneeds quoting\n",
        ];
        for text in texts {
            let mut fm = FrontMatter::default();
            fm.text("title", text);
            fm.string("summary", "x");
            let back = read(&fm.yaml);
            assert_eq!(back.title(), text, "{}", fm.yaml);
            assert_eq!(back.summary(), Some("x"), "{}", fm.yaml);
        }
    }

    #[test]
    fn abstracts_look_like_the_contract() {
        let mut fm = FrontMatter::default();
        fm.text("abstract", "Neural fields\nexcel.\n");
        assert_eq!(fm.yaml, "abstract: |\n  Neural fields\n  excel.\n");
        let mut fm = FrontMatter::default();
        fm.text("summary", "one line");
        assert_eq!(fm.yaml, "summary: \"one line\"\n");
    }

    #[test]
    fn fields_are_lines_in_the_order_written() {
        let mut fm = FrontMatter::default();
        fm.string("id", "2404.01300");
        fm.list("categories", &["cs.CV".into(), "a\"b".into()]);
        assert_eq!(fm.into_yaml(), "id: \"2404.01300\"\ncategories: [\"cs.CV\", \"a\\\"b\"]\n");
        assert_eq!(FrontMatter::default().into_yaml(), "");
    }
}
