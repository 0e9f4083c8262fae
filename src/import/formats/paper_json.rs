//! Format `paper-json`: the seed producer's per-paper JSON
//! (`papers/YY/MM/<id>.json`), one paper a file.
//!
//! | field | becomes |
//! | --- | --- |
//! | `title` (its `(arXiv:... [cat])` suffix, if any) | `title` (`categories`) |
//! | `abstract` (`arXiv:... Announce Type: ... Abstract:` prefix) | `abstract`, `announce_type`; `extra.truncated` when cut at about 1,000 characters |
//! | `translated_title` | `translated_title` |
//! | `translated_abstract` (translated prefix) | the body |
//! | `tldr` | `summary` (`en_tdlr` when there is no `tldr`) |
//! | `en_tdlr` | `extra.tldr_en` |
//! | `link` | the id (else the file name); not kept |
//! | `context`, `path`, `total_tokens` | left out |
//!
//! The record carries no date: `--date` or a `YYYY-MM-DD` in the path gives it.

use std::io::Read;

use serde::Deserialize;
use serde_json::Value as Json;

use super::json::Values;
use super::Context;
use crate::error::Diagnostic;
use crate::import::record::{non_empty, Item, Record};
use crate::import::text::TextReader;
use crate::import::{arxiv, clean};

#[derive(Deserialize)]
struct PaperJson {
    title: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    link: Option<String>,
    translated_title: Option<String>,
    translated_abstract: Option<String>,
    tldr: Option<String>,
    en_tdlr: Option<String>,
}

pub fn read<R: Read>(reader: &mut TextReader<R>, cx: &Context, emit: &mut dyn FnMut(Item)) {
    let mut values = Values::new(reader);
    while let Some(value) = values.next_value(cx) {
        let record = value.and_then(|v| {
            let paper: PaperJson = v.parse(cx)?;
            record(paper, v.at.line, cx)
        });
        emit(record.map_or_else(Item::Skipped, |r| Item::Paper(Box::new(r))));
    }
}

fn record(paper: PaperJson, line: usize, cx: &Context) -> Result<Record, Diagnostic> {
    let problem = |message: &str, help: &str| {
        crate::import::record::diagnostic_at(cx.shown, line, 1, message).help(help)
    };
    let stem = cx.shown.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let id = paper
        .link
        .as_deref()
        .and_then(crate::arxiv::id_from_link)
        .or_else(|| crate::arxiv::id_from_text(&stem))
        .ok_or_else(|| {
            problem(
                "no arXiv id: neither `link` nor the file name is one",
                "name the file <id>.json, or add `link`",
            )
        })?;
    let date = cx.day().ok_or_else(|| {
        problem("the paper's date is unknown", "pass --date YYYY-MM-DD (per-paper JSON carries no date)")
    })?;
    let (title, category) = clean::split_title(&clean::one_line(paper.title.as_deref().unwrap_or("")));
    let raw_abstract = paper.abstract_text.unwrap_or_default();
    let (english_word, english) = split(&raw_abstract);
    let (chinese_word, chinese) = split(paper.translated_abstract.as_deref().unwrap_or(""));
    let announce_type =
        english_word.and_then(arxiv::announce_type).or_else(|| chinese_word.and_then(arxiv::announce_type));
    let tldr = paper.tldr.and_then(non_empty);
    let tldr_en = paper.en_tdlr.and_then(non_empty);
    let mut extra = Vec::new();
    if clean::looks_cut(&raw_abstract) {
        extra.push(("truncated", Json::Bool(true)));
    }
    if let (Some(_), Some(en)) = (&tldr, &tldr_en) {
        extra.push(("tldr_en", Json::String(en.clone())));
    }
    Ok(Record {
        line,
        date,
        announce_type,
        digest: cx.digest_name("paper-json"),
        title: non_empty(title),
        translated_title: paper.translated_title.map(|t| clean::one_line(&t)).and_then(non_empty),
        summary: tldr.or(tldr_en).map(|s| clean::one_line(&s)),
        abstract_md: non_empty(english),
        body: non_empty(chinese),
        categories: category.or_else(|| cx.category.clone()).into_iter().collect(),
        extra,
        id,
        ..Record::default()
    })
}

/// The type word of a text's announce prefix, and the text without it.
fn split(text: &str) -> (Option<&str>, &str) {
    match arxiv::split_announce(text) {
        Some(prefix) => (Some(prefix.word), prefix.rest.trim()),
        None => (None, text.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, shown: &'static str, date: Option<&str>) -> Vec<Result<Record, String>> {
        let mut cx = Context::example(shown, "2024-04-02", None);
        cx.date = date.and_then(crate::dates::parse_day);
        let mut reader = TextReader::new(text.as_bytes());
        let mut out = Vec::new();
        read(&mut reader, &cx, &mut |item| {
            out.push(match item {
                Item::Paper(p) => Ok(*p),
                Item::Skipped(d) => Err(d.to_string()),
            })
        });
        out
    }

    const PAPER: &str = r#"{
  "title": "A Made-Up Study of Things",
  "abstract": "arXiv:2404.00001v2 Announce Type: replace  Abstract: We study things.",
  "link": "https://arxiv.org/abs/2404.00001",
  "context": "bookkeeping",
  "path": "papers/24/04/2404.00001.json",
  "total_tokens": 1234,
  "translated_title": "关于事物的虚构研究",
  "translated_abstract": "arXiv:2404.00001v2 公告类型：替换 摘要：我们研究事物。",
  "tldr": "研究事物。",
  "en_tdlr": "Things are studied."
}"#;

    #[test]
    fn a_paper_file_becomes_one_record() {
        let got = run(PAPER, "papers/24/04/2404.00001.json", Some("2024-04-02"));
        let p = got[0].as_ref().unwrap();
        assert_eq!((p.id.as_str(), p.date.to_string().as_str(), p.line), ("2404.00001", "2024-04-02", 1));
        assert_eq!(p.title.as_deref(), Some("A Made-Up Study of Things"));
        assert_eq!(p.translated_title.as_deref(), Some("关于事物的虚构研究"));
        assert_eq!(
            (p.abstract_md.as_deref(), p.body.as_deref()),
            (Some("We study things."), Some("我们研究事物。"))
        );
        assert_eq!((p.announce_type, p.summary.as_deref()), (Some("replace"), Some("研究事物。")));
        assert_eq!(p.extra, [("tldr_en", Json::String("Things are studied.".into()))]);
        assert_eq!(p.digest, "paper-json");
    }

    #[test]
    fn the_id_comes_from_the_file_name_without_a_link_and_a_date_is_needed() {
        let text =
            r#"{"title": "T (arXiv:2404.00002v1 [cs.CL])", "abstract": "Text.", "en_tdlr": "One line."}"#;
        let got = run(text, "2404.00002.json", Some("2024-04-03"));
        let p = got[0].as_ref().unwrap();
        assert_eq!((p.id.as_str(), p.categories.as_slice()), ("2404.00002", &["cs.CL".to_owned()][..]));
        assert_eq!((p.summary.as_deref(), p.extra.len()), (Some("One line."), 0));
        let err = run(text, "2404.00002.json", None);
        assert!(err[0].as_ref().unwrap_err().starts_with("2404.00002.json:1:1: the paper's date is unknown"));
        let err = run(text, "notes.json", Some("2024-04-03"));
        assert!(err[0].as_ref().unwrap_err().contains("no arXiv id"), "{err:?}");
    }

    #[test]
    fn a_truncated_file_is_skipped_at_its_end_and_a_cut_abstract_is_marked() {
        let got = run(&PAPER[..PAPER.find("\"tldr\"").unwrap()], "x.json", Some("2024-04-02"));
        let err = got[0].as_ref().unwrap_err();
        assert!(err.starts_with("x.json:10:") && err.contains("the record is cut short"), "{err}");
        let cut: String =
            format!("arXiv:2404.00003v1 Announce Type: new  Abstract: {}", "words ".repeat(200))
                .chars()
                .take(1000)
                .collect();
        let text =
            serde_json::json!({"title": "T", "abstract": cut, "link": "https://arxiv.org/abs/2404.00003"});
        let got = run(&text.to_string(), "x.json", Some("2024-04-02"));
        assert_eq!(got[0].as_ref().unwrap().extra, [("truncated", Json::Bool(true))]);
    }
}
