//! Import, cleaning: the text rules that turn a digest's raw strings into
//! field values.
//!
//! Each rule is a pure function of a string, shown by example in the tests
//! below: control characters go, `\|` outside math in a table cell becomes
//! `|`, wrapped lines are joined, a title's `(arXiv:ID [cat])` suffix
//! becomes its primary category, and an abstract cut by its producer is
//! recognised. arXiv's own conventions (ids, the announce prefix) are in
//! [`super::arxiv`].

/// The digest text with `\n` line ends and without control characters
/// (other than newline and tab) or byte-order marks.
///
/// Newlines are kept, so line numbers stay those an editor shows.
pub fn normalize(text: &str) -> String {
    if is_normal(text.as_bytes()) {
        return text.to_owned();
    }
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || c == '\u{feff}'))
        .collect()
}

/// Whether UTF-8 `bytes` hold no `\r`, control character (C0 but newline
/// and tab, DEL, C1) or byte-order mark: a quick look at the bytes.
fn is_normal(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'\n' | b'\t' => true,
        0..=0x1f | 0x7f => false,
        0xc2 => !bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xef => bytes.get(i + 1..i + 3) != Some(&[0xbb, 0xbf]),
        _ => true,
    })
}

/// A table cell's text with `\|` unescaped outside math. Inside `$...$`,
/// `$$...$$`, `\(...\)` and `\[...\]`, `\|` is TeX's double bar and stays.
pub fn unescape_cell(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut closing: Option<&str> = None;
    let mut rest = cell;
    while let Some(c) = rest.chars().next() {
        let take = match closing {
            Some(close) if rest.starts_with(close) => {
                closing = None;
                close.len()
            }
            None if rest.starts_with("\\|") => {
                out.push('|');
                rest = &rest[2..];
                continue;
            }
            None => match ["$$", "$", "\\(", "\\["].into_iter().find(|open| rest.starts_with(open)) {
                Some(open) => {
                    closing = Some(match open {
                        "\\(" => "\\)",
                        "\\[" => "\\]",
                        same => same,
                    });
                    open.len()
                }
                None => escaped_len(rest).unwrap_or(c.len_utf8()),
            },
            Some(_) => escaped_len(rest).unwrap_or(c.len_utf8()),
        };
        out.push_str(&rest[..take]);
        rest = &rest[take..];
    }
    out
}

/// The length of a backslash and the character it escapes at the start of `text`.
fn escaped_len(text: &str) -> Option<usize> {
    let after = text.strip_prefix('\\')?;
    Some(1 + after.chars().next().map_or(0, char::len_utf8))
}

/// Text wrapped across lines made whole: the lines of each paragraph
/// (paragraphs are separated by blank lines) joined by single spaces.
pub fn unwrap(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().chain([""]) {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(one_line(&current.join(" ")));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    paragraphs.join("\n\n")
}

/// Whether an abstract as its producer stored it (prefix included) was cut
/// at about 1,000 characters: that long, and not ending a sentence.
pub fn looks_cut(raw: &str) -> bool {
    let raw = raw.trim_end();
    let ends_sentence = raw.ends_with(['.', '!', '?', '。', '！', '？', ')', '）', '"', '”', '$', ']']);
    (950..=1010).contains(&raw.chars().count()) && !ends_sentence
}

/// Runs of whitespace (line breaks included) made one space, ends trimmed.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title without its `. (arXiv:2401.10005v1 [cs.CV])` suffix, and the
/// primary category that suffix names.
pub fn split_title(title: &str) -> (String, Option<String>) {
    let title = title.trim();
    let Some(start) = title.rfind("(arXiv:").filter(|_| title.ends_with(')')) else {
        return (title.to_owned(), None);
    };
    let inside = &title[start + "(arXiv:".len()..title.len() - 1];
    let category = inside
        .split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .and_then(|(names, _)| names.split_whitespace().next())
        .filter(|c| c.chars().all(|c| c.is_ascii_alphabetic() || c == '.' || c == '-'))
        .map(str::to_owned);
    let head = title[..start].trim_end();
    let head = head.strip_suffix('.').unwrap_or(head).trim_end();
    (head.to_owned(), category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_control_characters_but_keeps_lines() {
        assert_eq!(normalize("a\u{c}b\r\nc\rd\te\u{7}\u{85}\u{feff}"), "ab\nc\nd\te");
        assert_eq!(normalize("\u{feff}# x\n\n"), "# x\n\n");
        assert_eq!(normalize("全角：冒号 £\n"), "全角：冒号 £\n");
        assert!(
            !is_normal("a\u{85}b".as_bytes()) && !is_normal("\r".as_bytes()) && is_normal("é\t".as_bytes())
        );
    }

    #[test]
    fn table_cells_unescape_pipes_outside_math() {
        assert_eq!(unescape_cell(r"a \| b | c"), "a | b | c");
        assert_eq!(unescape_cell(r"$P(Y\|X)$ and \|S\|"), r"$P(Y\|X)$ and |S|");
        assert_eq!(unescape_cell(r"$\{ \|x_t - x_\infty\| \}$ \| b"), r"$\{ \|x_t - x_\infty\| \}$ | b");
        assert_eq!(unescape_cell(r"$$\|v\|$$, \(\|w\|\) \[\|u\|\] \|"), r"$$\|v\|$$, \(\|w\|\) \[\|u\|\] |");
        assert_eq!(unescape_cell(r"costs \$5 \| $x\|$"), r"costs \$5 | $x\|$");
    }

    #[test]
    fn wrapped_text_is_unwrapped_by_paragraph() {
        assert_eq!(
            unwrap("  Neural fields\n  excel at 3D.\n\nSecond\nparagraph.\n"),
            "Neural fields excel at 3D.\n\nSecond paragraph."
        );
        assert_eq!(unwrap(""), "");
    }

    #[test]
    fn abstracts_cut_at_a_thousand_characters_are_recognised() {
        let cut = format!("arXiv:2404.01300v1 Announce Type: cross  Abstract: {}", "word ".repeat(200));
        let cut: String = cut.chars().take(1000).collect();
        assert!(looks_cut(&cut));
        assert!(!looks_cut(&format!("{}.", &cut[..999])), "ends a sentence");
        assert!(!looks_cut("A short abstract without a full stop"));
        assert!(!looks_cut(&"long ".repeat(400)), "longer than any cut");
    }

    #[test]
    fn one_line_collapses_whitespace() {
        assert_eq!(one_line("  a  b\nc\t d "), "a b c d");
    }

    #[test]
    fn title_suffix_becomes_the_primary_category() {
        let (title, cat) = split_title("Towards X with CLIP. (arXiv:2308.12919v1 [cs.CV])");
        assert_eq!((title.as_str(), cat.as_deref()), ("Towards X with CLIP", Some("cs.CV")));
        let (title, cat) = split_title("Why? (arXiv:2305.00510v2 [cs.HC] UPDATED)");
        assert_eq!((title.as_str(), cat.as_deref()), ("Why?", Some("cs.HC")));
        let (title, cat) = split_title(" NeRF-MAE : Masked AutoEncoders ");
        assert_eq!((title.as_str(), cat), ("NeRF-MAE : Masked AutoEncoders", None));
        let (title, cat) = split_title("Ends with (parenthesis)");
        assert_eq!((title.as_str(), cat), ("Ends with (parenthesis)", None));
    }
}
