//! Stage 1, YAML errors: what serde-saphyr reports, turned into a
//! diagnostic at the place a person would fix, with the fix.
//!
//! Four mistakes get more than the parser's words: a quote left open (the
//! parser stumbles lines later, where the text finally closes; the
//! diagnostic points back at the opening quote), a tab in the indentation
//! (the parser names the value before it; the diagnostic, the tab), a
//! backslash in double quotes (TeX: `"$x \in A$"` is an unknown escape),
//! and a list field written as plain text (`authors: Ada Lovelace`).

use super::paper::Origin;
use super::raw::{FIELDS, LIST_FIELDS};
use crate::error::{unknown_field_help, Diagnostic};

/// Turns a YAML error into a diagnostic with a fix where one is known.
pub fn yaml_diagnostic(origin: &Origin, err: &serde_saphyr::Error) -> Diagnostic {
    let err = err.without_snippet();
    let (line, column) = err.location().map_or((0, 1), |l| (l.line() as usize, l.column() as usize));
    match err {
        // A field of a map inside the front matter (`listed`, `generated`) is one of that map's.
        serde_saphyr::Error::SerdeUnknownField { field, expected, .. } if !expected.contains(&"title") => {
            origin
                .at(line, column, format!("unknown field `{field}`"))
                .help(unknown_field_help(field, expected))
        }
        serde_saphyr::Error::SerdeUnknownField { field, .. } => origin
            .at(line, column, format!("unknown field `{field}`"))
            .help(format!("{} (free-form values go under `extra:`)", unknown_field_help(field, FIELDS))),
        serde_saphyr::Error::SerdeMissingField { field, .. } => origin
            .at(0, 1, format!("missing required field `{field}`"))
            .help(format!("add `{field}: ...` to the front matter")),
        other => {
            let message = strip_location_prefix(&other.to_string());
            if message.contains("tab") {
                if let Some((tab_line, tab_column)) = indenting_tab(origin) {
                    return origin
                        .at(tab_line, tab_column, "a tab indents this line; YAML indents with spaces only")
                        .help("replace the tab with spaces (editors: \"convert indentation to spaces\")");
                }
            }
            let source_line = origin.line_text(line);
            if message.starts_with("invalid trailing content after") {
                if let Some((open_line, open_column)) = opening_quote(origin, line, column) {
                    return origin.at(open_line, open_column, "this quote is not closed on its line").help(
                        format!(
                            "close it before the line ends; the text ran on to line {}, where the \
                             next quote closed it (a quote inside the text: {QUOTE_INSIDE})",
                            origin.file_line(line)
                        ),
                    );
                }
            }
            let help = if message.contains("unknown escape character") {
                "in double quotes a backslash starts an escape: write TeX in single quotes \
                 ('$x \\in \\mathbb{R}$') or double each backslash (\"$x \\\\in \\\\mathbb{R}$\")"
                    .to_owned()
            } else if message.starts_with("unclosed quote") {
                format!("close the quote on this line (a quote inside the text: {QUOTE_INSIDE})")
            } else if let Some(list) =
                message.starts_with("expected a list").then(|| as_list(source_line)).flatten()
            {
                format!("write a list: `{list}`")
            } else {
                "check the YAML syntax and the field's type (text, list, number, true/false)".to_owned()
            };
            origin.at(line, column, message).help(help)
        }
    }
}

/// How to put a quote inside quoted text.
const QUOTE_INSIDE: &str = "write \\\" in double quotes, or '' in single quotes";

/// serde-saphyr's message without the YAML-relative place (we give the
/// file's), in the words of the content format rather than Rust's types.
fn strip_location_prefix(message: &str) -> String {
    let message = message.lines().next().unwrap_or(message);
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let message = match message.strip_prefix("line ").and_then(|rest| rest.split_once(": ")) {
        Some((_, rest)) => rest,
        None => message,
    };
    let message = message.split(" at line ").next().unwrap_or(message).trim();
    let plain = [
        ("invalid i64", "expected a whole number"),
        ("expected sequence start", "expected a list, like [a, b]"),
        ("expected string scalar", "expected text"),
        ("invalid boolean", "expected true or false"),
    ];
    match plain.iter().find(|(from, _)| message.starts_with(from)) {
        Some((_, to)) => (*to).to_owned(),
        None => message.to_owned(),
    }
}

/// Where the quoted text that ends just before (`line`, `column`) (YAML
/// lines, 1-based characters) was opened, when that is on an earlier line:
/// the nearest quote of the same kind before the closing one that is not
/// escaped (`\"` in double quotes, `''` in single ones).
fn opening_quote(origin: &Origin, line: usize, column: usize) -> Option<(usize, usize)> {
    let lines: Vec<Vec<char>> = (1..=line).map(|l| origin.line_text(l).chars().collect()).collect();
    let close_at = column.checked_sub(2)?;
    let quote = *lines.last()?.get(close_at)?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    // Every character before the closing quote, last first, with its place.
    let mut before = lines.iter().enumerate().rev().flat_map(|(l, chars)| {
        let end = if l + 1 == line { close_at } else { chars.len() };
        chars[..end].iter().enumerate().rev().map(move |(c, ch)| (l + 1, c + 1, *ch, &chars[..c]))
    });
    loop {
        let (l, c, ch, preceding) = before.next()?;
        if ch != quote {
            continue;
        }
        let escaped = match quote {
            '"' => preceding.iter().rev().take_while(|p| **p == '\\').count() % 2 == 1,
            _ => preceding.last() == Some(&'\''),
        };
        if quote == '\'' && escaped {
            before.next(); // the other quote of the pair
            continue;
        }
        if !escaped {
            return (l < line).then_some((l, c));
        }
    }
}

/// The first tab in the indentation of a line of the YAML (YAML lines,
/// 1-based characters). The parser reports a tab where the value before it
/// began, lines earlier; the tab is where the fix is.
fn indenting_tab(origin: &Origin) -> Option<(usize, usize)> {
    let yaml = origin.text.lines().skip(origin.file_line(1) - 1);
    let yaml = yaml.take_while(|l| origin.yaml_line == 1 || !matches!(l.trim_end(), "---" | "..."));
    yaml.enumerate().find_map(|(i, l)| {
        let indent = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
        indent.find('\t').map(|at| (i + 1, at + 1))
    })
}

/// `authors: Ada Lovelace, Charles Babbage` -> `authors: [Ada Lovelace, Charles Babbage]`,
/// for a list field written as text.
fn as_list(line: &str) -> Option<String> {
    let (key, value) = line.split_once(':')?;
    let value = value.split(" #").next().unwrap_or(value).trim();
    let key = key.trim();
    (LIST_FIELDS.contains(&key) && !value.is_empty()).then(|| format!("{key}: [{value}]"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn diagnose(yaml: &str) -> Diagnostic {
        let text = format!("---\n{yaml}---\n");
        let origin = Origin { path: Path::new("x.md"), text: &text, yaml_line: 2 };
        let err = serde_saphyr::from_str::<super::super::raw::RawFrontMatter>(yaml).unwrap_err();
        yaml_diagnostic(&origin, &err)
    }

    #[test]
    fn location_prefix_is_removed() {
        assert_eq!(strip_location_prefix("error: line 2 column 8: invalid i64"), "expected a whole number");
        assert_eq!(strip_location_prefix("unclosed quote at line 3, column 8"), "unclosed quote");
    }

    #[test]
    fn a_quote_left_open_is_shown_where_it_opens() {
        // (front matter, the opening quote's line and column, the line it closed on)
        for (yaml, line, column, closed) in [
            ("title: \"Attention\ndate: 2024-04-02\nsummary: \"short\"\n", 2, 8, 4),
            ("title: 'It''s\ndate: 2024-04-02\nsummary: 'short'\n", 2, 8, 4),
            ("title: \"a \\\" b\ndate: 2024-04-02\nsummary: \"short\"\n", 2, 8, 4),
            ("title: X\nauthors: [\"Ada\n  ]\nsummary: \"short\"\n", 3, 11, 5),
        ] {
            let d = diagnose(yaml);
            assert_eq!(
                (d.line, d.column, d.message.as_str()),
                (line, column, "this quote is not closed on its line")
            );
            assert!(d.help.as_deref().is_some_and(|h| h.contains(&format!("line {closed},"))), "{d:?}");
        }
        // Text after a quote that closed on its own line stays that error.
        let d = diagnose("title: \"X\" Y\ndate: 2024-04-02\n");
        assert_eq!((d.line, d.message.as_str()), (2, "invalid trailing content after double-quoted scalar"));
    }

    #[test]
    fn tex_in_double_quotes_is_told_to_use_single_quotes() {
        let d = diagnose("title: X\nsummary: \"$x \\in \\mathbb{R}$\"\n");
        assert_eq!((d.line, d.column), (3, 10));
        let help = d.help.unwrap();
        assert!(help.contains("single quotes") && help.contains("\\\\in"), "{help}");
    }

    #[test]
    fn a_tab_is_shown_on_its_own_line() {
        for (yaml, line, column) in [
            ("title: X\n\tdate: 2024-04-02\n", 3, 1),
            ("title: X\nauthors:\n\t- A\n", 4, 1),
            ("title: X\nextra:\n  a: 1\n\tb: 2\n", 5, 1),
        ] {
            let d = diagnose(yaml);
            assert_eq!((d.line, d.column), (line, column), "{yaml:?}: {d:?}");
            assert_eq!(d.message, "a tab indents this line; YAML indents with spaces only");
            assert!(d.help.as_deref().is_some_and(|h| h.starts_with("replace the tab with spaces")));
        }
    }

    #[test]
    fn a_list_written_as_text_gets_its_brackets() {
        let d = diagnose("title: X\nauthors: Ada Lovelace, Charles Babbage  # two\n");
        assert_eq!((d.line, d.message.as_str()), (3, "expected a list, like [a, b]"));
        assert_eq!(d.help.as_deref(), Some("write a list: `authors: [Ada Lovelace, Charles Babbage]`"));
        assert_eq!(as_list("order: 1"), None);
    }
}
