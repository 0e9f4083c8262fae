//! Import, cleaning: the text rules that turn a digest's raw strings into
//! field values.
//!
//! Each rule is a pure function of a string, shown by example in the tests
//! below: control characters go, `\|` in a table cell becomes `|`, the arXiv
//! announce prefix (in English or in its Chinese translation) becomes an
//! `announce_type`, a title's `(arXiv:ID [cat])` suffix becomes its primary
//! category, and an arXiv link gives the paper id.

use crate::arxiv::is_id as is_arxiv_id;

/// The digest text with `\n` line ends and without control characters
/// (other than newline and tab) or byte-order marks.
///
/// Newlines are kept, so line numbers stay those an editor shows.
pub fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || c == '\u{feff}'))
        .collect()
}

/// A table cell's text with `\|` unescaped.
pub fn unescape_cell(cell: &str) -> String {
    cell.replace("\\|", "|")
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

/// Splits `arXiv:2404.01300v1 Announce Type: cross  Abstract: text` (or its
/// translation `... 发布类型: 跨越  摘要: text`) into the announce word and
/// the text. Text without the prefix is returned whole.
pub fn split_announce(text: &str) -> (Option<&str>, &str) {
    let text = text.trim();
    announce_prefix(text).map_or((None, text), |(word, rest)| (Some(word), rest))
}

fn announce_prefix(text: &str) -> Option<(&str, &str)> {
    let rest = text.get(..6).filter(|p| p.eq_ignore_ascii_case("arxiv:")).map(|_| &text[6..])?;
    let (_id, rest) = rest.split_once(char::is_whitespace)?;
    let rest = after_label(rest.trim_start(), &["Announce Type", "发布类型"])?;
    let (at, label) =
        ["Abstract", "摘要"].iter().filter_map(|label| rest.find(label).map(|at| (at, *label))).min()?;
    let word = rest[..at].trim();
    let after = after_label(&rest[at..], &[label])?;
    Some((word, after.trim()))
}

/// The text after one of `labels` and its colon (ASCII or full-width).
fn after_label<'a>(text: &'a str, labels: &[&str]) -> Option<&'a str> {
    let rest = labels.iter().find_map(|label| text.strip_prefix(label))?.trim_start();
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}

/// The content contract's announce type for a word of the prefix, in
/// English or as the digest's translation writes it.
pub fn announce_type(word: &str) -> Option<&'static str> {
    match word.trim().to_ascii_lowercase().as_str() {
        "new" | "新" => Some("new"),
        "cross" | "跨越" | "交叉" => Some("cross"),
        "replace" | "替换" => Some("replace"),
        "replace-cross" | "替换交叉" | "替换-交叉" | "替换跨越" | "替换-跨越" => {
            Some("replace-cross")
        }
        _ => None,
    }
}

/// The arXiv id of an arXiv link, without its version:
/// `https://arxiv.org/abs/2404.01300v2` -> `2404.01300`.
pub fn arxiv_id(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host.to_ascii_lowercase();
    if !matches!(host.as_str(), "arxiv.org" | "www.arxiv.org" | "export.arxiv.org") {
        return None;
    }
    let path = path.split(['?', '#']).next()?.trim_end_matches('/');
    let id = path.strip_prefix("abs/").or_else(|| path.strip_prefix("pdf/"))?;
    let id = id.strip_suffix(".pdf").unwrap_or(id);
    is_arxiv_id(id).then(|| without_version(id).to_owned())
}

fn without_version(id: &str) -> &str {
    match id.rsplit_once('v') {
        Some((base, v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_control_characters_but_keeps_lines() {
        assert_eq!(normalize("a\u{c}b\r\nc\rd\te\u{7}\u{85}\u{feff}"), "ab\nc\nd\te");
        assert_eq!(normalize("\u{feff}# x\n\n"), "# x\n\n");
    }

    #[test]
    fn table_cells_unescape_pipes() {
        assert_eq!(unescape_cell(r"a \| b | c"), "a | b | c");
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

    #[test]
    fn announce_prefix_is_split_off_in_english_and_chinese() {
        let en = "arXiv:2404.01300v1 Announce Type: cross  Abstract: Neural fields excel.";
        assert_eq!(split_announce(en), (Some("cross"), "Neural fields excel."));
        let zh = "arXiv:2403.15992v1 发布类型: 跨越  摘要: 三维医学图像。";
        assert_eq!(split_announce(zh), (Some("跨越"), "三维医学图像。"));
        let full_width = "arXiv:2311.17717v2 发布类型：替换交叉 摘要：概念擦除";
        assert_eq!(split_announce(full_width), (Some("替换交叉"), "概念擦除"));
        assert_eq!(split_announce(" There is a gulf. "), (None, "There is a gulf."));
        assert_eq!(split_announce("arXiv: is a server"), (None, "arXiv: is a server"));
    }

    #[test]
    fn announce_words_map_to_the_contract() {
        assert_eq!(announce_type("cross"), Some("cross"));
        assert_eq!(announce_type("Replace-Cross"), Some("replace-cross"));
        assert_eq!(announce_type("新"), Some("new"));
        assert_eq!(announce_type("跨越"), Some("cross"));
        assert_eq!(announce_type("交叉"), Some("cross"));
        assert_eq!(announce_type("替换"), Some("replace"));
        assert_eq!(announce_type("替换-交叉"), Some("replace-cross"));
        assert_eq!(announce_type("updated"), None);
    }

    #[test]
    fn ids_come_from_arxiv_links() {
        let id = |url| arxiv_id(url);
        assert_eq!(id("https://arxiv.org/abs/2404.01300").as_deref(), Some("2404.01300"));
        assert_eq!(id("http://arxiv.org/abs/2401.10005").as_deref(), Some("2401.10005"));
        assert_eq!(id("https://arxiv.org/abs/2404.01300v2").as_deref(), Some("2404.01300"));
        assert_eq!(id("https://arxiv.org/abs/cs/0112017").as_deref(), Some("cs/0112017"));
        assert_eq!(id("https://arxiv.org/abs/cs/0112017v3").as_deref(), Some("cs/0112017"));
        assert_eq!(id("https://arxiv.org/pdf/2404.01300v1.pdf").as_deref(), Some("2404.01300"));
        assert_eq!(id("https://www.arxiv.org/abs/2404.01300/?x=1").as_deref(), Some("2404.01300"));
        for bad in [
            "arxiv.org/abs/2404.01300",
            "https://example.org/abs/2404.01300",
            "https://arxiv.org/list/cs.CV",
            "https://arxiv.org/abs/2404.1",
            "",
        ] {
            assert_eq!(id(bad), None, "{bad}");
        }
    }
}
