//! Import, assembling: a digest's rows and details -> clean paper records,
//! and each record -> the text of its paper file.
//!
//! Rows and details are matched by their footnote number; the table gives
//! the order, the link (hence the id) and the summary, the details give the
//! titles and the abstracts. Every problem of every paper is collected, so
//! one run reports them all.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::clean;
use super::parse::{self, Detail, Paragraph, Row, Source};
use super::yaml::FrontMatter;
use crate::error::Diagnostic;

/// One paper of the digest, cleaned, with the content contract's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPaper {
    pub id: String,
    /// The `N` of its `[^N]`: its place in the digest.
    pub order: usize,
    pub title: String,
    pub translated_title: Option<String>,
    pub url: String,
    pub summary: Option<String>,
    pub categories: Vec<String>,
    pub announce_type: Option<&'static str>,
    /// The English abstract.
    pub abstract_md: Option<String>,
    /// The Chinese translation of the abstract ("" when there is none).
    pub body: String,
}

/// Every paper of the digest in `src`, in the table's order.
pub fn papers(src: &Source) -> Result<Vec<ImportedPaper>, Vec<Diagnostic>> {
    let digest = parse::parse(src)?;
    let mut problems = Vec::new();
    let details = details_by_number(src, &digest.details, &digest.rows, &mut problems);
    let mut papers: Vec<ImportedPaper> = Vec::new();
    let mut ids = HashMap::new();
    for row in &digest.rows {
        let id = match row_id(src, row, &mut ids) {
            Ok(id) => Some(id),
            Err(d) => {
                problems.push(d);
                None
            }
        };
        let detail = details.get(&row.number);
        if detail.is_none() {
            problems.push(src.at(row.line, 3, format!("[^{}] has no details", row.number)).help(format!(
                "add `[^{}]: translated title` and the paper's paragraphs below the table",
                row.number
            )));
        }
        if let (Some(id), Some(detail)) = (id, detail) {
            match paper(src, row, id, detail) {
                Ok(p) => papers.push(p),
                Err(mut d) => problems.append(&mut d),
            }
        }
    }
    if problems.is_empty() {
        Ok(papers)
    } else {
        Err(problems)
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
    let id = clean::arxiv_id(row.url).ok_or_else(|| {
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

fn paper(src: &Source, row: &Row, id: String, detail: &Detail) -> Result<ImportedPaper, Vec<Diagnostic>> {
    let paragraphs = detail.paragraphs();
    let [title, link, rest @ ..] = paragraphs.as_slice() else {
        let d = src.at(
            detail.line,
            1,
            format!("the details of [^{}] need the original title and the link", detail.number),
        );
        return Err(vec![d.help(
            "below `[^N]: ...`, indent the original title, then `[url](url)`, each as its own paragraph",
        )]);
    };
    check_link(src, link, &id).map_err(|d| vec![d])?;
    let (title_text, category) = clean::split_title(&clean::one_line(&title.text()));
    if title_text.is_empty() {
        return Err(vec![src
            .at(title.line, 1, "the original title is empty")
            .help("write the paper's title here")]);
    }
    let (translated, _) = clean::split_title(&clean::one_line(detail.heading));
    let (summary, abstracts) = rest.split_first().map_or((None, &[][..]), |(s, a)| (Some(s), a));
    let abstracts = Abstracts::split(abstracts);
    Ok(ImportedPaper {
        order: row.number,
        translated_title: Some(translated).filter(|t| !t.is_empty() && *t != title_text),
        title: title_text,
        url: row.url.to_owned(),
        summary: row_summary(row).or_else(|| summary.map(|s| clean::one_line(&s.text()))),
        categories: category.into_iter().collect(),
        announce_type: abstracts.announce_type(src)?,
        abstract_md: Some(abstracts.english).filter(|a| !a.is_empty()),
        body: abstracts.chinese,
        id,
    })
}

/// The details' link must point to the row's paper.
fn check_link(src: &Source, link: &Paragraph, id: &str) -> Result<(), Diagnostic> {
    let text = clean::one_line(&link.text());
    let Some(found) = parse::link(&text) else {
        return Err(src
            .at(link.line, 1, "expected the paper's link here")
            .help("write the link on its own, as `[https://arxiv.org/abs/ID](https://arxiv.org/abs/ID)`"));
    };
    match clean::arxiv_id(found.url) {
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
    Some(clean::one_line(&clean::unescape_cell(row.summary))).filter(|s| !s.is_empty())
}

/// A paper's abstract paragraphs, by language, without their arXiv prefix.
struct Abstracts {
    english: String,
    chinese: String,
    /// The announce word of the English prefix and the line it is on.
    english_word: Option<(String, usize)>,
    chinese_word: Option<String>,
}

impl Abstracts {
    fn split(paragraphs: &[Paragraph]) -> Abstracts {
        let (chinese, english): (Vec<&Paragraph>, Vec<&Paragraph>) =
            paragraphs.iter().partition(|p| p.is_chinese());
        let line = english.first().map_or(0, |p| p.line);
        let (english_word, english) = without_prefix(&english);
        let (chinese_word, chinese) = without_prefix(&chinese);
        Abstracts { english, chinese, english_word: english_word.map(|w| (w, line)), chinese_word }
    }

    /// The English prefix's type wins; an unknown English word is an error
    /// (the loader would refuse it), an unknown translation is ignored.
    fn announce_type(&self, src: &Source) -> Result<Option<&'static str>, Vec<Diagnostic>> {
        match &self.english_word {
            Some((word, line)) => match clean::announce_type(word) {
                Some(t) => Ok(Some(t)),
                None => Err(vec![src
                    .at(*line, 1, format!("unknown announce type `{word}`"))
                    .help("use one of: new, cross, replace, replace-cross")]),
            },
            None => Ok(self.chinese_word.as_deref().and_then(clean::announce_type)),
        }
    }
}

/// The paragraphs as one Markdown text, and the announce word of a prefix at
/// its start, which is removed.
fn without_prefix(paragraphs: &[&Paragraph]) -> (Option<String>, String) {
    let text: Vec<String> = paragraphs.iter().map(|p| p.text()).collect();
    let text = text.join("\n\n");
    let (word, rest) = clean::split_announce(&text);
    (word.map(str::to_owned), rest.to_owned())
}

impl ImportedPaper {
    /// The paper file: front matter in the contract's field order, then the body.
    pub fn to_markdown(&self, date: NaiveDate) -> String {
        let mut fm = FrontMatter::default();
        fm.string("id", &self.id);
        fm.string("title", &self.title);
        if let Some(t) = &self.translated_title {
            fm.string("translated_title", t);
        }
        fm.string("url", &self.url);
        fm.string("date", &date.format("%Y-%m-%d").to_string());
        fm.integer("order", self.order);
        if let Some(s) = &self.summary {
            fm.string("summary", s);
        }
        if !self.categories.is_empty() {
            fm.list("categories", &self.categories);
        }
        if let Some(t) = self.announce_type {
            fm.string("announce_type", t);
        }
        if let Some(a) = &self.abstract_md {
            // A final newline makes it the contract's `abstract: |` block.
            fm.text("abstract", &format!("{a}\n"));
        }
        fm.document(&self.body)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::import::clean::normalize;

    fn fixture() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/seed-digest.md");
        std::fs::read_to_string(path).unwrap()
    }

    fn seed_papers() -> Vec<ImportedPaper> {
        let text = normalize(&fixture());
        let source = Source { path: Path::new("seed-digest.md"), text: &text };
        papers(&source).unwrap_or_else(|d| panic!("{d:#?}"))
    }

    #[test]
    fn the_seed_digest_gives_18_papers_in_order() {
        let papers = seed_papers();
        assert_eq!(papers.len(), 18);
        assert_eq!(papers[0].id, "2404.01300");
        assert_eq!(papers.iter().map(|p| p.order).collect::<Vec<_>>(), (1..=18).collect::<Vec<_>>());
        assert_eq!(papers[17].id, "2303.11525");
        let p13 = &papers[12];
        assert_eq!(p13.categories, ["cs.CV"]);
        assert!(!p13.title.contains("(arXiv:"), "{}", p13.title);
        assert!(p13.title.ends_with("Visual Question Generation"), "{}", p13.title);
        assert_eq!(p13.url, "http://arxiv.org/abs/2401.10005");
    }

    #[test]
    fn the_seed_digest_announce_types_and_prefixes() {
        let papers = seed_papers();
        let types: Vec<_> = papers.iter().map(|p| p.announce_type).collect();
        assert_eq!(types[..8], [Some("cross"); 8]);
        assert_eq!(types[8..11], [None; 3]);
        assert_eq!(types[11], Some("replace-cross"));
        for p in &papers {
            let text = format!("{}{}", p.abstract_md.as_deref().unwrap_or(""), p.body);
            assert!(!text.contains("arXiv:") && !text.contains("摘要:"), "{}: {text}", p.id);
            assert!(p.abstract_md.is_some(), "{}", p.id);
        }
        assert!(papers[2].body.starts_with("三维医学图像"), "{}", papers[2].body);
        assert!(papers[0].abstract_md.as_deref().unwrap().starts_with("Neural fields excel"));
    }

    #[test]
    fn the_seed_digest_titles_and_summaries() {
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
    }

    fn problems(text: &str) -> Vec<String> {
        let source = Source { path: Path::new("d.md"), text };
        papers(&source).unwrap_err().iter().map(|d| d.to_string()).collect()
    }

    const TABLE: &str = "| Ref | Title | Summary |\n|---|---|---|\n";

    #[test]
    fn rows_and_details_must_match() {
        let text = format!(
            "{TABLE}| [^1] | [a](https://arxiv.org/abs/2404.01300) | s |\n| [^2] | [b](https://arxiv.org/abs/2404.01300v2) | s |\n\
             | [^3] | [c](https://arxiv.org/abs/2404.1) | s |\n\n[^1]: a\n\n    a\n\n    [u](https://arxiv.org/abs/2404.01301)\n\n[^4]: d\n"
        );
        let shown = problems(&text);
        let places: Vec<&str> = shown.iter().map(|s| s.split(": ").next().unwrap()).collect();
        assert_eq!(
            places,
            ["d.md:13:1", "d.md:11:1", "d.md:4:14", "d.md:4:3", "d.md:5:14", "d.md:5:3"],
            "{shown:#?}"
        );
        assert!(shown[0].contains("[^4] has no row"), "{shown:#?}");
        assert!(
            shown[1].contains("link to 2404.01301, but their table row links to 2404.01300"),
            "{shown:#?}"
        );
        assert!(shown[2].contains("2404.01300 is also in the row on line 3"), "{shown:#?}");
    }

    #[test]
    fn an_unknown_english_announce_type_is_an_error() {
        let text = format!(
            "{TABLE}| [^1] | [a](https://arxiv.org/abs/2404.01300) | s |\n\n[^1]: a\n\n    a\n\n    [u](https://arxiv.org/abs/2404.01300)\n\n\
             \x20   s\n\n    arXiv:2404.01300v1 Announce Type: updated  Abstract: Text.\n"
        );
        assert_eq!(problems(&text), ["d.md:13:1: unknown announce type `updated` (help: use one of: new, cross, replace, replace-cross)"]);
    }
}
