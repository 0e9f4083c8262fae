//! Import, arXiv's listings as producers write them: inputs named after a
//! category (`cs.LG.xml`), and the announce prefix
//! (`arXiv:2404.01300v1 Announce Type: cross Abstract: ...`) in English or
//! in any translation, recognised by its shape rather than by a word list.
//! Paper ids in every form they are written, and category names, are
//! [`crate::arxiv`]'s.

use crate::arxiv::is_category;

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.get(..prefix.len()).filter(|p| p.eq_ignore_ascii_case(prefix)).map(|_| &text[prefix.len()..])
}

/// The category a file is named after: `cs.LG.md` -> `cs.LG`.
pub fn category_of_file_name(name: &str) -> Option<String> {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    is_category(stem).then(|| stem.to_owned())
}

/// The content contract's announce type for a type word, in English or
/// translated: what it says (replaced, cross-listed, new), not the word.
pub fn announce_type(word: &str) -> Option<&'static str> {
    let word = word.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| word.contains(w));
    let replaced = has(&["replace", "替换", "替代", "更换", "置换", "更新", "修订"]);
    let crossed = has(&["cross", "交叉", "跨"]);
    match (replaced, crossed) {
        (true, true) => Some("replace-cross"),
        (true, false) => Some("replace"),
        (false, true) => Some("cross"),
        _ if word == "new" || has(&["新"]) => Some("new"),
        _ => None,
    }
}

/// An announce prefix taken off the front of a text.
#[derive(Debug, PartialEq, Eq)]
pub struct Prefix<'a> {
    /// The type word as written (`cross`, `交叉`).
    pub word: &'a str,
    /// What follows the prefix.
    pub rest: &'a str,
}

/// Takes the announce prefix off `text`: an optional `摘要：`, the id once
/// or more (`arXiv:2404.01300v1`), a short label, `:` or `：`, the type
/// word, a short label, `:` or `：`. Without an id, the type word must be
/// one [`announce_type`] knows. Translations drop or merge parts, so a
/// label that names the type (`公告类型`, `Announce Type`) may also be
/// followed by the type word and the text at once (`公告类型: 新 我们…`),
/// or carry the type itself (`交叉类型：`), an abstract's label
/// (`摘要：`) after either being optional. `None` when `text` has no such
/// prefix.
pub fn split_announce(text: &str) -> Option<Prefix<'_>> {
    let mut rest = text.trim_start();
    for lead in ["摘要", "Abstract"] {
        if let Some(after) = rest.strip_prefix(lead).and_then(after_colon) {
            rest = after;
        }
    }
    let mut ids = 0;
    while let Some(after) = strip_prefix_ignore_case(rest, "arxiv:") {
        let (_, after) = after.split_once(char::is_whitespace)?;
        (ids, rest) = (ids + 1, after.trim_start());
    }
    let (label, after) = split_at_colon(rest)?;
    short_label(label)?;
    let whole = split_at_colon(after.trim_start()).and_then(|(segment, rest)| {
        let (word, second) = split_word(segment.trim())?;
        short_label(second)?;
        // What follows the type word is a label (`摘要`, `Abstract`), not the
        // start of the text with a colon in its first words.
        let labels = is_abstract_label(second) || second.chars().count() <= label.trim().chars().count();
        (labels && (ids > 0 || announce_type(word).is_some()))
            .then(|| Prefix { word, rest: rest.trim_start() })
    });
    whole.or_else(|| type_label_prefix(label.trim(), after))
}

/// `摘要`, `原文摘要`, `Abstract`: the label an abstract starts with.
fn is_abstract_label(label: &str) -> bool {
    let label = label.trim();
    label.ends_with("摘要") && label.chars().count() <= 6 || label.to_lowercase().ends_with("abstract")
}

/// The shapes a translation leaves of a prefix whose label names the type
/// (`公告类型`, `Announce Type`): the type in the label (`交叉类型：`), or
/// the type word with the text right after it (`公告类型: 新 我们…`).
fn type_label_prefix<'a>(label: &'a str, after: &'a str) -> Option<Prefix<'a>> {
    let lowered = label.to_lowercase();
    let named = match lowered.strip_suffix("type") {
        Some(before) if before.is_empty() || before.ends_with(' ') => label.len() - "type".len(),
        _ => label.strip_suffix("类型").map(str::len)?,
    };
    let in_label = label[..named].trim();
    if announce_type(in_label).is_some() {
        return Some(Prefix { word: in_label, rest: without_abstract_label(after) });
    }
    let after = after.trim_start();
    let (word, rest) = after.split_once(char::is_whitespace)?;
    let known = word.chars().count() <= 16 && announce_type(word).is_some();
    known.then(|| Prefix { word, rest: without_abstract_label(rest) })
}

/// `text` without a leading abstract's label (`摘要：`, `Abstract:`).
fn without_abstract_label(text: &str) -> &str {
    let text = text.trim_start();
    let label = split_at_colon(text).filter(|(label, _)| is_abstract_label(label));
    label.map_or(text, |(_, rest)| rest.trim_start())
}

/// The text before the first `:` or `：` and the text after it.
fn split_at_colon(text: &str) -> Option<(&str, &str)> {
    let at = text.find([':', '：'])?;
    let colon = text[at..].chars().next()?;
    Some((&text[..at], &text[at + colon.len_utf8()..]))
}

fn after_colon(text: &str) -> Option<&str> {
    let text = text.trim_start();
    text.strip_prefix(':').or_else(|| text.strip_prefix('：')).map(str::trim_start)
}

/// A label of a few words: `Announce Type`, `公告类型`, `原文摘要`.
fn short_label(label: &str) -> Option<()> {
    let label = label.trim();
    let fits = !label.is_empty() && label.chars().count() <= 24 && label.split_whitespace().count() <= 3;
    fits.then_some(())
}

/// `cross  Abstract` -> (`cross`, `Abstract`); `替换交叉摘要` -> (`替换交叉`, `摘要`).
fn split_word(segment: &str) -> Option<(&str, &str)> {
    if let Some((word, label)) = segment.split_once(char::is_whitespace) {
        return Some((word, label.trim()));
    }
    // The shortest start of the segment that says as much as any longer one.
    let ends: Vec<usize> = segment.char_indices().map(|(i, _)| i).skip(1).collect();
    let most = ends.iter().rev().find_map(|&end| announce_type(&segment[..end]))?;
    let end = ends.into_iter().find(|&end| announce_type(&segment[..end]) == Some(most))?;
    Some(segment.split_at(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_named_after_a_category_give_it() {
        assert_eq!(category_of_file_name("cs.LG.md").as_deref(), Some("cs.LG"));
        assert_eq!(category_of_file_name("hep-th.xml").as_deref(), Some("hep-th"));
        assert_eq!(category_of_file_name("seed-digest.md"), None);
    }

    #[test]
    fn type_words_map_by_what_they_say() {
        for (word, t) in [
            ("new", "new"),
            ("New", "new"),
            ("cross", "cross"),
            ("replace", "replace"),
            ("replace-cross", "replace-cross"),
            ("Replace-Cross", "replace-cross"),
            ("新", "new"),
            ("新的", "new"),
            ("交叉", "cross"),
            ("跨越", "cross"),
            ("交叉列表", "cross"),
            ("替换", "replace"),
            ("更新", "replace"),
            ("替换交叉", "replace-cross"),
            ("替换-交叉", "replace-cross"),
            ("替换跨越", "replace-cross"),
        ] {
            assert_eq!(announce_type(word), Some(t), "{word}");
        }
        assert_eq!(announce_type("updated"), None);
        assert_eq!(announce_type(""), None);
    }

    fn split(text: &str) -> Option<(&str, &str)> {
        split_announce(text).map(|p| (p.word, p.rest))
    }

    #[test]
    fn prefixes_are_recognised_by_their_shape() {
        let cases = [
            (
                "arXiv:2404.01300v1 Announce Type: cross  Abstract: Neural fields.",
                ("cross", "Neural fields."),
            ),
            ("arXiv:2608.16868v1 公告类型：交叉 摘要：三维。", ("交叉", "三维。")),
            ("公告类型: 新 原文摘要: 我们提出。", ("新", "我们提出。")),
            ("arXiv:2403.15992v1 通告类型：替换 摘要：文本", ("替换", "文本")),
            ("arXiv:2403.15992v1 声明类型: 新 摘要: 文本", ("新", "文本")),
            ("arXiv:2403.15992v1 发表类型：替换交叉 摘要：文本", ("替换交叉", "文本")),
            ("arXiv:2403.15992v1 发布类型: 跨越  摘要: 文本", ("跨越", "文本")),
            ("摘要：arXiv:2403.15992v1 发布类型：新 摘要：文本", ("新", "文本")),
            ("arXiv:2402.16014v1 arXiv:2402.16014v1 Announce Type: cross Abstract: Text", ("cross", "Text")),
            ("arXiv:2311.17717v2 发布类型：替换交叉摘要：概念擦除", ("替换交叉", "概念擦除")),
            ("arXiv:2404.01300v1 Announce Type: new \nAbstract: Wrapped.", ("new", "Wrapped.")),
            // Translations that drop the abstract's label, or put the type in the label.
            (
                "arXiv:2403.06833v1 公告类型: 跨 我们提出一种方法：它有效。",
                ("跨", "我们提出一种方法：它有效。"),
            ),
            ("arXiv:2403.06833v1 交叉类型：摘要：文本", ("交叉", "文本")),
            ("交叉类型：我们提出：一种方法。", ("交叉", "我们提出：一种方法。")),
            ("公告类型: 新 我们提出。", ("新", "我们提出。")),
            ("公告类型: 新\n\n我们提出。", ("新", "我们提出。")),
            (
                "arXiv:2404.01300v1 Announce Type: cross We present a method.",
                ("cross", "We present a method."),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(split(text), Some(want), "{text}");
        }
    }

    #[test]
    fn texts_without_the_shape_are_left_alone() {
        for text in [
            "There is a gulf.",
            "arXiv: is a server",
            "Note: we study X. Result: it works.",
            "In this paper: a study of many things that goes on and on: and more.",
            "Note: new results show that it works.",
            "类型：新方法",
            "Prototype: cross-checked results.",
            "",
        ] {
            assert_eq!(split(text), None, "{text}");
        }
        assert_eq!(
            split("arXiv:2404.01300v1 Announce Type: updated Abstract: Text"),
            Some(("updated", "Text"))
        );
    }
}
