//! Stage 1, reading fast: front matter of the common shape, without a YAML
//! parser.
//!
//! Nearly every paper file is written by a program, and looks the same:
//! one `key: value` line per field at the start of a line, each value a
//! quoted or plain scalar on that line, a flow list (`[a, "b"]`) on that
//! line, a literal block (`|` or `|-`) of lines indented alike, or a map of
//! such scalars and lists, one `key: value` a line indented by two spaces
//! (`generated:`). [`read`]
//! reads exactly that shape, with each value's place as a YAML parser gives
//! it (1-based line, column counted in characters), and gives up (`None`)
//! on anything else: comments, tabs, anchors, escapes other than `\"` and
//! `\\`, values on several lines, a repeated key, words YAML reads as null,
//! a character YAML does not allow. What it gives up on is read by
//! serde-saphyr, which also reports every error; a differential test
//! (`yaml_tests.rs`, reading [`super::raw`]) checks that the two agree on
//! every input this one accepts.

/// One `key: value` entry, in the order written.
#[derive(Debug, PartialEq)]
pub struct Entry<'a> {
    pub key: &'a str,
    pub value: Value,
}

/// A value and where it starts.
#[derive(Debug, PartialEq)]
pub enum Value {
    /// A scalar: its text, whether it was written plain (unquoted, so a
    /// number or a boolean), and its place.
    Text { text: String, plain: bool, line: usize, column: usize },
    /// A flow list of scalars, each with its place.
    List(Vec<(String, usize, usize)>),
    /// A block map of scalars and flow lists, and the place of its first key.
    Map { entries: Vec<(String, Value)>, line: usize, column: usize },
}

/// The entries of `yaml`, if it has the common shape (see the module doc).
pub fn read(yaml: &str) -> Option<Vec<Entry<'_>>> {
    if !yaml.ends_with('\n') || !allowed_characters(yaml) {
        return None;
    }
    // Its lines (it ends with one), found with memchr's vector search.
    let mut start = 0;
    let lines: Vec<&str> = memchr::memchr_iter(b'\n', yaml.as_bytes())
        .map(|end| {
            let line = &yaml[start..end];
            start = end + 1;
            line
        })
        .collect();
    let mut entries: Vec<Entry> = Vec::with_capacity(16);
    let mut at = 0;
    while at < lines.len() {
        let (key, rest) = split_key(lines[at])?;
        if entries.iter().any(|e| e.key == key) {
            return None;
        }
        let (value, used) = match rest {
            "" => map(&lines[at + 1..], at + 2)?,
            // Keys are ASCII: the value's column is a byte count so far.
            _ => value(rest, &lines[at + 1..], at + 1, key.len() + 1, true)?,
        };
        entries.push(Entry { key, value });
        at += 1 + used;
    }
    Some(entries)
}

/// A line's key (lowercase ASCII letters and `_`) and what follows its `:`.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    plain.then_some((key, rest))
}

/// The value after a key's `:` (`rest`, `column` characters into line
/// `line`), a literal block reading on in `after` when `blocks`; and how
/// many lines after its own it takes.
fn value(rest: &str, after: &[&str], line: usize, column: usize, blocks: bool) -> Option<(Value, usize)> {
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    let text = &rest[spaces..];
    if spaces == 0 || text.is_empty() {
        return None;
    }
    let column = column + spaces + 1;
    match text {
        "|" | "|-" if blocks => {
            let (Block { text, indent }, used) = block(after, text == "|")?;
            Some((Value::Text { text, plain: false, line: line + 1, column: indent + 1 }, used))
        }
        _ if text.starts_with('[') => Some((Value::List(flow_list(text, line, column)?), 0)),
        _ => {
            let (text, plain, rest) = scalar(text, false)?;
            rest.trim_start_matches(' ').is_empty().then_some((Value::Text { text, plain, line, column }, 0))
        }
    }
}

/// The map after a bare `key:`: the lines `after` it indented by two
/// spaces, each `key: value` with a scalar or a flow list, up to the first
/// line that is not indented; `line` is the first one's. Anything deeper,
/// a blank line or a repeated key gives up.
fn map(after: &[&str], line: usize) -> Option<(Value, usize)> {
    let mut entries: Vec<(String, Value)> = Vec::new();
    for (i, text) in after.iter().enumerate() {
        let Some(inner) = text.strip_prefix("  ") else { break };
        let (key, rest) = split_key(inner)?;
        if entries.iter().any(|(k, _)| k == key) {
            return None;
        }
        let (value, _) = value(rest, &[], line + i, 2 + key.len() + 1, false)?;
        entries.push((key.to_owned(), value));
    }
    let used = entries.len();
    (used > 0).then_some((Value::Map { entries, line, column: 3 }, used))
}

/// Whether every character of `yaml` is one YAML takes as it is. Control
/// characters (tabs too), DEL, the C1 controls, U+2028, U+2029, U+FEFF,
/// U+FFFE and U+FFFF send the file to the full parser.
fn allowed_characters(yaml: &str) -> bool {
    let bytes = yaml.as_bytes();
    // One pass over every byte that the compiler can vectorise, then a
    // look at the lead bytes of the characters in question, found by
    // memchr's vector search (Chinese text has few of them).
    if bytes.iter().fold(false, |bad, &b| bad | ((b < 0x20) & (b != b'\n')) | (b == 0x7f)) {
        return false;
    }
    memchr::memchr3_iter(0xc2, 0xe2, 0xef, bytes).all(|i| match bytes[i] {
        0xc2 => !(0x80..=0x9f).contains(&bytes[i + 1]),
        0xe2 => !(bytes[i + 1] == 0x80 && matches!(bytes[i + 2], 0xa8 | 0xa9)),
        _ => !matches!((bytes[i + 1], bytes[i + 2]), (0xbb, 0xbf) | (0xbf, 0xbe) | (0xbf, 0xbf)),
    })
}

/// A literal block's text, and the indentation of its lines.
struct Block {
    text: String,
    indent: usize,
}

/// The literal block in `lines` (the lines after its `|` header): its
/// value (`clip` keeps one final line break, else none) and how many lines
/// it takes, trailing empty lines included. Its first line sets the
/// indentation; it ends before the first line that is not indented. A line
/// indented less than the first, or of spaces only, gives up.
fn block(lines: &[&str], clip: bool) -> Option<(Block, usize)> {
    let indent = leading_spaces(lines.first()?);
    if indent == 0 {
        return None;
    }
    let mut text = String::new();
    let mut breaks = 0;
    let mut used = 0;
    for line in lines {
        let spaces = leading_spaces(line);
        if line.is_empty() {
            breaks += 1;
        } else if spaces == 0 {
            break;
        } else if spaces < indent || spaces == line.len() {
            return None;
        } else {
            if used > breaks {
                text.push('\n');
            }
            (0..breaks).for_each(|_| text.push('\n'));
            breaks = 0;
            text.push_str(&line[indent..]);
        }
        used += 1;
    }
    if clip {
        text.push('\n');
    }
    Some((Block { text, indent }, used))
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A scalar at the start of `text`: a `"` or `'` quoted one, or a plain one
/// (up to a `,` or `]` when `in_list`). Returns its value, whether it was
/// plain, and what follows it.
fn scalar(text: &str, in_list: bool) -> Option<(String, bool, &str)> {
    match text.as_bytes().first()? {
        b'"' => double_quoted(&text[1..]).map(|(v, rest)| (v, false, rest)),
        b'\'' => single_quoted(&text[1..]).map(|(v, rest)| (v, false, rest)),
        _ => plain(text, in_list).map(|(v, rest)| (v.to_owned(), true, rest)),
    }
}

/// `"...` after the opening quote: only `\"` and `\\` are read here.
fn double_quoted(text: &str) -> Option<(String, &str)> {
    let mut value = String::with_capacity(text.len());
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                value.push_str(&text[start..i]);
                return Some((value, &text[i + 1..]));
            }
            b'\\' => {
                let escaped = *bytes.get(i + 1)?;
                if escaped != b'"' && escaped != b'\\' {
                    return None;
                }
                value.push_str(&text[start..i]);
                value.push(char::from(escaped));
                i += 2;
                start = i;
            }
            _ => i += 1,
        }
    }
    None
}

/// `'...` after the opening quote, where `''` is one quote.
fn single_quoted(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut rest = text;
    loop {
        let end = rest.find('\'')?;
        value.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                value.push('\'');
                rest = after;
            }
            None => return Some((value, rest)),
        }
    }
}

/// A plain scalar: it starts with a letter, a digit or a character that
/// starts nothing else in YAML, holds no `#`, no `: ` and no flow
/// characters, and is not a word YAML reads as null.
fn plain(text: &str, in_list: bool) -> Option<(&str, &str)> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let signed = first == '-' && chars.next().is_some_and(char::is_alphanumeric);
    if !(signed
        || first.is_alphanumeric()
        || matches!(first, '(' | '$' | '.' | '/' | '+' | '<' | '=' | '^' | '_'))
    {
        return None;
    }
    let end = if in_list { text.find([',', ']']).unwrap_or(text.len()) } else { text.len() };
    let (value, rest) = text.split_at(end);
    let value = value.trim_end_matches(' ');
    // Bytes: every special character is ASCII, and no other character's
    // UTF-8 has an ASCII byte in it.
    let special = |b: &u8| matches!(b, b'#' | b'[' | b']' | b'{' | b'}' | b',' | b'"' | b'\'' | b'\\');
    if value.as_bytes().iter().any(special) || value.contains(": ") || value.ends_with(':') {
        return None;
    }
    if matches!(value, "null" | "Null" | "NULL") {
        return None;
    }
    Some((value, rest))
}

/// `[a, "b", 'c']` on one line starting at `column` of `line`.
fn flow_list(text: &str, line: usize, column: usize) -> Option<Vec<(String, usize, usize)>> {
    let mut items = Vec::new();
    let mut rest = text[1..].trim_start_matches(' ');
    if let Some(after) = rest.strip_prefix(']') {
        return after.trim_start_matches(' ').is_empty().then_some(items);
    }
    loop {
        let item_column = column + text.chars().count() - rest.chars().count();
        let (value, _, after) = scalar(rest, true)?;
        items.push((value, line, item_column));
        rest = after.trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix(',') {
            rest = after.trim_start_matches(' ');
            if rest.starts_with(']') {
                return None;
            }
        } else {
            let after = rest.strip_prefix(']')?;
            return after.trim_start_matches(' ').is_empty().then_some(items);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &Value) -> (&str, usize, usize) {
        match value {
            Value::Text { text, line, column, .. } => (text, *line, *column),
            _ => panic!("not a scalar"),
        }
    }

    #[test]
    fn reads_the_common_shape_with_places() {
        let yaml = "id: \"2404.01300\"\ntitle: A B\ntags: [nerf, \"3d\"]\nabstract: |\n  One\n\n  two\n\n";
        let entries = read(yaml).unwrap();
        assert_eq!(text(&entries[0].value), ("2404.01300", 1, 5));
        assert_eq!(entries[2].value, Value::List(vec![("nerf".into(), 3, 8), ("3d".into(), 3, 14)]));
        assert_eq!(text(&entries[3].value), ("One\n\ntwo\n", 5, 3));
    }

    #[test]
    fn reads_a_map_of_scalars_and_lists() {
        let entries = read("generated:\n  by: \"m\"\n  fields: [a, b]\nid: x\n").unwrap();
        let Value::Map { entries: map, line, column } = &entries[0].value else { panic!("a map") };
        assert_eq!((*line, *column), (2, 3));
        assert_eq!(text(&map[0].1), ("m", 2, 7));
        assert_eq!(map[1].1, Value::List(vec![("a".into(), 3, 12), ("b".into(), 3, 15)]));
        assert_eq!(text(&entries[1].value), ("x", 4, 5));
    }

    #[test]
    fn gives_up_on_anything_else() {
        for yaml in [
            "title: x # comment\n",
            "title: \"x\\ty\"\n",
            "title: x\ntitle: y\n",
            "title: null\n",
            "title:\n  x\n",
            "generated:\n  by: m\n    deeper: x\n",
            "generated:\n  by: m\n  by: n\n",
            "generated:\n  by: |\n    x\n",
            "generated:\n",
            "title: x\n  continued\n",
            "title: &a x\n",
            "title: x",
            "title: \"x\tb\"\n",
        ] {
            assert_eq!(read(yaml), None, "{yaml:?}");
        }
    }
}
