//! Format `digest`: the seed producer's Markdown digest -> records.
//!
//! Rows and details are matched by their footnote number; the table gives
//! the order, the link (hence the id) and the summary, the details give the
//! titles and the abstracts ([`super::digest_parse`] finds those pieces).
//! A row that cannot be read is skipped with its line and the reason; the
//! other rows are imported.

use std::collections::{HashMap, HashSet};

use std::io::Read;

use super::digest_parse::{self, Detail, Paragraph, Row, Source};
use super::Context;
use crate::error::Diagnostic;
use crate::import::record::{non_empty, Item, Record};
use crate::import::text::TextReader;
use crate::import::{arxiv, clean};

/// Every paper of the digest, in the table's order. The digest is read
/// whole (it is cut into rows only once read): a byte that is not UTF-8
/// skips the file, naming its line and offset.
pub fn read<R: Read>(reader: &mut TextReader<R>, cx: &Context, emit: &mut dyn FnMut(Item)) {
    let mut bytes = Vec::new();
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return emit(Item::Skipped(cx.read_problem(reader, &e)));
    }
    let raw = match crate::error::utf8_text(cx.shown, bytes) {
        Ok(raw) => raw,
        Err(d) => return emit(Item::Skipped(d)),
    };
    let text = clean::normalize(&raw);
    let src = Source::new(cx.shown, &text);
    let Some(date) = cx.day() else {
        emit(Item::Skipped(
            Diagnostic::new(cx.shown, "the digest's date is unknown").help(
                "pass --date YYYY-MM-DD, or name the file or its folder after the date (2024-04-02.md)",
            ),
        ));
        return;
    };
    let digest = match digest_parse::parse(&src) {
        Ok(digest) => digest,
        Err(problems) => return problems.into_iter().for_each(|d| emit(Item::Skipped(d))),
    };
    let mut problems = Vec::new();
    let details = details_by_number(&src, &digest.details, &digest.rows, &mut problems);
    problems.into_iter().chain(digest.bad_rows).for_each(|d| emit(Item::Skipped(d)));
    let mut ids = HashMap::new();
    for row in &digest.rows {
        let read = row_id(&src, row, &mut ids).and_then(|id| {
            let detail = details.get(&row.number).ok_or_else(|| {
                src.at(row.line, 3, format!("[^{}] has no details", row.number)).help(format!(
                    "add `[^{}]: translated title` and the paper's paragraphs below the table",
                    row.number
                ))
            })?;
            paper(&src, row, id, detail)
        });
        match read {
            Ok(mut record) => {
                record.date = date;
                record.digest = cx.digest_name("digest");
                if record.categories.is_empty() {
                    record.categories.extend(cx.category.clone());
                }
                emit(Item::Paper(Box::new(record)));
            }
            Err(d) => emit(Item::Skipped(d)),
        }
    }
}

/// The details by footnote number; duplicates, details without a row, and
/// rows numbered twice are problems.
fn details_by_number<'d, 'a>(
    src: &Source,
    details: &'d [Detail<'a>],
    rows: &[Row],
    problems: &mut Vec<Diagnostic>,
) -> HashMap<usize, &'d Detail<'a>> {
    let mut by_number = HashMap::new();
    for d in details {
        if by_number.insert(d.number, d).is_some() {
            problems.push(
                src.at(d.line, 1, format!("[^{}] has details twice", d.number))
                    .help("remove or renumber one"),
            );
        }
    }
    let mut numbers = HashSet::new();
    for row in rows {
        if !numbers.insert(row.number) {
            problems.push(
                src.at(row.line, 3, format!("[^{}] is in the table twice", row.number))
                    .help("renumber the rows 1, 2, 3, ..."),
            );
        }
    }
    for d in details.iter().filter(|d| !numbers.contains(&d.number)) {
        problems.push(src.at(d.line, 1, format!("[^{}] has no row in the summary table", d.number)).help(
            format!(
                "add `| [^{}] | [title](url) | summary |` to the table, or remove these details",
                d.number
            ),
        ));
    }
    by_number
}

/// The paper id of a row's link; a paper is in the table once.
fn row_id(src: &Source, row: &Row, seen: &mut HashMap<String, usize>) -> Result<String, Diagnostic> {
    let id = crate::arxiv::id_from_link(row.url).ok_or_else(|| {
        src.at(row.line, row.url_column, format!("`{}` is not an arXiv link", row.url))
            .help("link the paper as https://arxiv.org/abs/ID, for example https://arxiv.org/abs/2404.01300")
    })?;
    if let Some(first) = seen.get(&id) {
        return Err(src
            .at(row.line, row.url_column, format!("paper {id} is also in the row on line {first}"))
            .help("remove one of the two rows and its details"));
    }
    seen.insert(id.clone(), row.line);
    Ok(id)
}

fn paper(src: &Source, row: &Row, id: String, detail: &Detail) -> Result<Record, Diagnostic> {
    let paragraphs = detail.paragraphs();
    let [title, link, rest @ ..] = paragraphs.as_slice() else {
        let d = src.at(
            detail.line,
            1,
            format!("the details of [^{}] need the original title and the link", detail.number),
        );
        return Err(d.help(
            "below `[^N]: ...`, indent the original title, then `[url](url)`, each as its own paragraph",
        ));
    };
    check_link(src, link, &id)?;
    let (title_text, category) = clean::split_title(&clean::one_line(&title.text()));
    if title_text.is_empty() {
        return Err(src
            .at(title.line, 1, "the original title is empty")
            .help("write the paper's title here"));
    }
    let (translated, _) = clean::split_title(&clean::one_line(detail.heading));
    let (summary, abstracts) = rest.split_first().map_or((None, &[][..]), |(s, a)| (Some(s), a));
    let abstracts = Abstracts::split(abstracts);
    let mut extra = Vec::new();
    if clean::looks_cut(&abstracts.english_raw) {
        extra.push(("truncated", serde_json::Value::Bool(true)));
    }
    Ok(Record {
        line: row.line,
        order: Some(row.number as i64),
        translated_title: Some(translated).filter(|t| !t.is_empty() && *t != title_text),
        title: Some(title_text),
        summary: row_summary(row).or_else(|| summary.and_then(|s| non_empty(clean::one_line(&s.text())))),
        categories: category.into_iter().collect(),
        announce_type: abstracts.announce_type(src)?,
        abstract_md: non_empty(&abstracts.english),
        body: non_empty(&abstracts.chinese),
        extra,
        id,
        ..Record::default()
    })
}

/// The details' link must point to the row's paper.
fn check_link(src: &Source, link: &Paragraph, id: &str) -> Result<(), Diagnostic> {
    let text = clean::one_line(&link.text());
    let Some(found) = digest_parse::link(&text) else {
        return Err(src
            .at(link.line, 1, "expected the paper's link here")
            .help("write the link on its own, as `[https://arxiv.org/abs/ID](https://arxiv.org/abs/ID)`"));
    };
    match crate::arxiv::id_from_link(found.url) {
        Some(other) if other == id => Ok(()),
        Some(other) => Err(src
            .at(link.line, 1, format!("these details link to {other}, but their table row links to {id}"))
            .help("check that the footnote numbers of the row and the details match")),
        None => Err(src
            .at(link.line, 1, format!("`{}` is not an arXiv link", found.url))
            .help("link the paper as https://arxiv.org/abs/ID")),
    }
}

fn row_summary(row: &Row) -> Option<String> {
    non_empty(clean::one_line(&clean::unescape_cell(row.summary)))
}

/// A paper's abstract paragraphs, by language, without their arXiv prefix.
struct Abstracts {
    /// The English paragraphs as written, prefix included.
    english_raw: String,
    english: String,
    chinese: String,
    /// The type word of the English prefix and the line it is on.
    english_word: Option<(String, usize)>,
    chinese_word: Option<String>,
}

impl Abstracts {
    fn split(paragraphs: &[Paragraph]) -> Abstracts {
        let (chinese, english): (Vec<&Paragraph>, Vec<&Paragraph>) =
            paragraphs.iter().partition(|p| p.is_chinese());
        let line = english.first().map_or(0, |p| p.line);
        let english_raw = joined(&english);
        let (english_word, english) = without_prefix(&english_raw);
        let (chinese_word, chinese) = without_prefix(&joined(&chinese));
        Abstracts {
            english_raw,
            english,
            chinese,
            english_word: english_word.map(|w| (w, line)),
            chinese_word,
        }
    }

    /// The English prefix's type wins; an English word that is no announce
    /// type skips the row (the loader would refuse it); an unknown
    /// translation is left out.
    fn announce_type(&self, src: &Source) -> Result<Option<&'static str>, Diagnostic> {
        match &self.english_word {
            Some((word, line)) => match arxiv::announce_type(word) {
                Some(t) => Ok(Some(t)),
                None => Err(src
                    .at(*line, 1, format!("unknown announce type `{word}`"))
                    .help("use one of: new, cross, replace, replace-cross")),
            },
            None => Ok(self.chinese_word.as_deref().and_then(arxiv::announce_type)),
        }
    }
}

fn joined(paragraphs: &[&Paragraph]) -> String {
    paragraphs.iter().map(|p| p.text()).collect::<Vec<_>>().join("\n\n")
}

/// The text without the announce prefix at its start, and the prefix's type word.
fn without_prefix(text: &str) -> (Option<String>, String) {
    match arxiv::split_announce(text) {
        Some(prefix) => (Some(prefix.word.to_owned()), prefix.rest.trim().to_owned()),
        None => (None, text.trim().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn fixture() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/seed-digest.md");
        std::fs::read_to_string(path).unwrap()
    }

    fn run(text: &str, category: Option<&str>) -> (Vec<Record>, Vec<String>) {
        let cx = Context::example("d.md", "2024-04-02", category);
        let (mut papers, mut skipped) = (Vec::new(), Vec::new());
        read(&mut TextReader::new(text.as_bytes()), &cx, &mut |item| match item {
            Item::Paper(p) => papers.push(*p),
            Item::Skipped(d) => skipped.push(d.to_string()),
        });
        (papers, skipped)
    }

    fn seed_papers() -> Vec<Record> {
        let (papers, skipped) = run(&fixture(), None);
        assert!(skipped.is_empty(), "{skipped:#?}");
        papers
    }

    #[test]
    fn the_seed_digest_gives_18_papers_in_order() {
        let papers = seed_papers();
        assert_eq!(papers.len(), 18);
        assert_eq!(papers[0].id, "2404.01300");
        assert_eq!(papers.iter().map(|p| p.order.unwrap()).collect::<Vec<_>>(), (1..=18).collect::<Vec<_>>());
        assert_eq!(papers[17].id, "2303.11525");
        let p13 = &papers[12];
        assert_eq!(p13.categories, ["cs.CV"]);
        let title = p13.title.as_deref().unwrap();
        assert!(!title.contains("(arXiv:") && title.ends_with("Visual Question Generation"), "{title}");
        assert_eq!(p13.id, "2401.10005", "from the link http://arxiv.org/abs/2401.10005");
        assert!(papers.iter().all(|p| p.date.to_string() == "2024-04-02" && p.digest == "digest"));
    }

    #[test]
    fn the_seed_digest_announce_types_and_prefixes() {
        let papers = seed_papers();
        let types: Vec<_> = papers.iter().map(|p| p.announce_type).collect();
        assert_eq!(types[..8], [Some("cross"); 8]);
        assert_eq!(types[8..11], [None; 3]);
        assert_eq!(types[11], Some("replace-cross"));
        for p in &papers {
            let text =
                format!("{}{}", p.abstract_md.as_deref().unwrap_or(""), p.body.as_deref().unwrap_or(""));
            assert!(!text.contains("arXiv:") && !text.contains("摘要:"), "{}: {text}", p.id);
            assert!(p.abstract_md.is_some(), "{}", p.id);
        }
        assert!(papers[2].body.as_deref().unwrap().starts_with("三维医学图像"));
        assert!(papers[0].abstract_md.as_deref().unwrap().starts_with("Neural fields excel"));
    }

    #[test]
    fn the_seed_digest_titles_summaries_and_cut_abstracts() {
        let papers = seed_papers();
        assert_eq!(
            papers[0].translated_title.as_deref(),
            Some("NeRF-MAE: 自监督三维表示学习中的Masked AutoEncoders")
        );
        assert_eq!(papers[6].translated_title, None, "same as the title");
        assert!(papers[0].summary.as_deref().unwrap().starts_with("通过使用Masked AutoEncoders"));
        assert_eq!(papers[16].categories, ["cs.HC"]);
        assert_eq!(papers[17].categories, ["cs.LG"]);
        assert!(papers[..12].iter().all(|p| p.categories.is_empty()));
        let truncated = serde_json::Value::Bool(true);
        assert_eq!(papers[0].extra, [("truncated", truncated)], "cut at 1,000 characters");
        assert!(papers[3].extra.is_empty(), "ends with a full stop");
    }

    #[test]
    fn the_category_fills_papers_without_a_title_suffix() {
        let (papers, _) = run(&fixture(), Some("cs.LG"));
        assert_eq!(papers[0].categories, ["cs.LG"]);
        assert_eq!(papers[12].categories, ["cs.CV"], "the suffix wins");
        assert!(papers.iter().all(|p| p.digest == "cs.LG"));
    }

    const TABLE: &str = "| Ref | Title | Summary |\n|---|---|---|\n";

    #[test]
    fn rows_and_details_must_match_and_bad_rows_are_skipped_alone() {
        let text = format!(
            "{TABLE}| [^1] | [a](https://arxiv.org/abs/2404.01300) | s |\n| [^2] | [b](https://arxiv.org/abs/2404.01300v2) | s |\n\
             | [^3] | [c](https://arxiv.org/abs/2404.1) | s |\n| [^5] | [e](https://arxiv.org/abs/2404.01305) | s |\n\n\
             [^1]: a\n\n    a\n\n    [u](https://arxiv.org/abs/2404.01301)\n\n[^4]: d\n\n\
             [^5]: e\n\n    e\n\n    [u](https://arxiv.org/abs/2404.01305)\n"
        );
        let (papers, shown) = run(&text, None);
        let places: Vec<&str> = shown.iter().map(|s| s.split(": ").next().unwrap()).collect();
        assert_eq!(places, ["d.md:14:1", "d.md:12:1", "d.md:4:14", "d.md:5:14"], "{shown:#?}");
        assert!(shown[0].contains("[^4] has no row"), "{shown:#?}");
        assert!(
            shown[1].contains("link to 2404.01301, but their table row links to 2404.01300"),
            "{shown:#?}"
        );
        assert!(shown[2].contains("2404.01300 is also in the row on line 3"), "{shown:#?}");
        assert_eq!(papers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["2404.01305"]);
    }

    #[test]
    fn an_unknown_english_announce_type_skips_the_row() {
        let text = format!(
            "{TABLE}| [^1] | [a](https://arxiv.org/abs/2404.01300) | s |\n\n[^1]: a\n\n    a\n\n    [u](https://arxiv.org/abs/2404.01300)\n\n\
             \x20   s\n\n    arXiv:2404.01300v1 Announce Type: updated  Abstract: Text.\n"
        );
        let (papers, shown) = run(&text, None);
        assert_eq!(shown, ["d.md:13:1: unknown announce type `updated` (help: use one of: new, cross, replace, replace-cross)"]);
        assert!(papers.is_empty());
    }

    #[test]
    fn pipes_and_translated_prefixes_as_real_digests_write_them() {
        let text = format!(
            "{TABLE}| [^1] | [P(Y|X) models](https://rss.arxiv.org/abs/2405.12345) | 估计 $P(Y|X)$ 与 |S|^2，范数 $\\{{ \\|x_t - x_\\infty\\| \\}}$ \\| 完 |\n\n\
             [^1]: 标题\n\n    P(Y|X) models\n\n    [u](https://export.arxiv.org/abs/2405.12345v2)\n\n    总结\n\n\
             \x20   摘要：arXiv:2405.12345v2 公告类型：替换交叉 摘要：中文。\n\n    arXiv:2405.12345v2 arXiv:2405.12345v2 Announce Type: replace-cross Abstract: English.\n"
        );
        let (papers, shown) = run(&text, None);
        assert!(shown.is_empty(), "{shown:#?}");
        let p = &papers[0];
        assert_eq!(p.id, "2405.12345");
        assert_eq!(
            p.summary.as_deref(),
            Some("估计 $P(Y|X)$ 与 |S|^2，范数 $\\{ \\|x_t - x_\\infty\\| \\}$ | 完")
        );
        assert_eq!((p.announce_type, p.body.as_deref()), (Some("replace-cross"), Some("中文。")));
        assert_eq!(p.abstract_md.as_deref(), Some("English."));
    }

    #[test]
    fn without_a_date_nothing_is_read() {
        let cx = Context { date: None, ..Context::example("d.md", "2024-04-02", None) };
        let mut items = Vec::new();
        read(&mut TextReader::new(fixture().as_bytes()), &cx, &mut |i| items.push(i));
        assert_eq!(items.len(), 1);
        assert!(matches!(&items[0], Item::Skipped(d) if d.message == "the digest's date is unknown"));
    }
}
