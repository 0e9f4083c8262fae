//! Format `jsonl`: daily-arXiv-ai-enhanced's JSONL
//! (`data/YYYY-MM-DD_AI_enhanced_Chinese.jsonl`), one paper a line.
//!
//! | field | becomes |
//! | --- | --- |
//! | `id` | the id |
//! | `title` | `title` |
//! | `summary` (the English abstract, wrapped) | `abstract` |
//! | `authors`, `categories` | `authors`, `categories` |
//! | `AI.tldr` (older files: `AI.task`) | `summary` |
//! | `AI.motivation`, `method`, `result`, `conclusion` | the body, as sections headed in the site's language |
//! | `comment` | `extra.comment` |
//! | `pdf`, `abs` | left out (the id gives both links) |
//!
//! The date comes from the file name unless `--date` is given. A line that
//! is not JSON is skipped with its number; a missing `AI` loses nothing else.

use std::io::Read;

use serde::Deserialize;
use serde_json::Value as Json;

use super::Context;
use crate::arxiv;
use crate::error::Diagnostic;
use crate::import::clean;
use crate::import::record::{diagnostic_at, non_empty, Item, Record};
use crate::import::text::{Line, TextReader};

#[derive(Deserialize)]
struct JsonlPaper {
    id: Json,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    title: Option<String>,
    comment: Option<String>,
    summary: Option<String>,
    #[serde(rename = "AI")]
    ai: Option<Ai>,
}

#[derive(Deserialize, Default)]
struct Ai {
    tldr: Option<String>,
    task: Option<String>,
    motivation: Option<String>,
    method: Option<String>,
    result: Option<String>,
    conclusion: Option<String>,
}

pub fn read<R: Read>(reader: &mut TextReader<R>, cx: &Context, emit: &mut dyn FnMut(Item)) {
    let Some(date) = cx.day() else {
        let d = Diagnostic::new(cx.shown, "the file's date is unknown")
            .help("name the file YYYY-MM-DD_....jsonl, or pass --date YYYY-MM-DD");
        return emit(Item::Skipped(d));
    };
    let mut bytes = Vec::new();
    let mut order = 0;
    loop {
        let at = match reader.read_line(&mut bytes) {
            Ok(None) => return,
            Ok(Some(Line::TooLong(at))) => {
                let d = diagnostic_at(cx.shown, at.line, 1, "this line is longer than 10 MB")
                    .help("a record this long is no paper; the other lines were read");
                emit(Item::Skipped(d));
                continue;
            }
            Ok(Some(Line::Text(at))) => at,
            Err(e) => return emit(Item::Skipped(cx.read_problem(reader, &e))),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        order += 1;
        let record = crate::import::text::utf8_at(&bytes, at)
            .map_err(|bad| cx.not_utf8(bad))
            .and_then(|text| serde_json::from_str::<JsonlPaper>(text).map_err(|e| not_json(cx, at.line, &e)))
            .and_then(|paper| record(paper, at.line, order, cx));
        match record {
            Ok(mut r) => {
                r.date = date;
                emit(Item::Paper(Box::new(r)));
            }
            Err(d) => emit(Item::Skipped(d)),
        }
    }
}

fn not_json(cx: &Context, line: usize, e: &serde_json::Error) -> Diagnostic {
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
    diagnostic_at(cx.shown, line, e.column(), format!("this line is not a paper record: {message}"))
        .help("each line is one JSON object; the other lines were read")
}

fn record(paper: JsonlPaper, line: usize, order: i64, cx: &Context) -> Result<Record, Diagnostic> {
    let id = paper.id.as_str().and_then(arxiv::id_from_text).ok_or_else(|| {
        diagnostic_at(cx.shown, line, 1, format!("`id` {} is not an arXiv id", paper.id))
            .help("write the id as text, like \"2404.01300\"")
    })?;
    let ai = paper.ai.unwrap_or_default();
    let mut extra = Vec::new();
    if let Some(comment) = paper.comment.and_then(non_empty) {
        extra.push(("comment", Json::String(clean::one_line(&comment))));
    }
    let mut categories = paper.categories;
    if categories.is_empty() {
        categories.extend(cx.category.clone());
    }
    Ok(Record {
        line,
        order: Some(order),
        digest: cx.digest_name("jsonl"),
        title: paper.title.map(|t| clean::one_line(&t)).and_then(non_empty),
        abstract_md: paper.summary.map(|s| clean::unwrap(&s)).and_then(non_empty),
        authors: Some(paper.authors).filter(|a| !a.is_empty()),
        summary: ai.tldr.clone().or(ai.task.clone()).and_then(non_empty),
        body: sections(&ai, cx.language),
        categories,
        extra,
        id,
        ..Record::default()
    })
}

/// The AI's analysis as the body: one section per part, headed in `language`.
fn sections(ai: &Ai, language: &str) -> Option<String> {
    let [motivation, method, result, conclusion] = headings(language);
    let parts = [
        (motivation, &ai.motivation),
        (method, &ai.method),
        (result, &ai.result),
        (conclusion, &ai.conclusion),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter_map(|(heading, text)| {
            text.as_deref().and_then(non_empty).map(|t| format!("#### {heading}\n\n{t}"))
        })
        .collect();
    non_empty(text.join("\n\n"))
}

/// The section headings in the site's language (English unless Chinese).
fn headings(language: &str) -> [&'static str; 4] {
    if language.to_ascii_lowercase().starts_with("zh") {
        ["动机", "方法", "结果", "结论"]
    } else {
        ["Motivation", "Method", "Results", "Conclusion"]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &[u8], language: &'static str) -> Vec<Result<Record, String>> {
        let mut cx = Context::example("data/2024-04-02_AI_enhanced_Chinese.jsonl", "2024-04-02", None);
        cx.language = language;
        let mut reader = TextReader::new(text);
        let mut out = Vec::new();
        read(&mut reader, &cx, &mut |item| {
            out.push(match item {
                Item::Paper(p) => Ok(*p),
                Item::Skipped(d) => Err(d.to_string()),
            })
        });
        out
    }

    const LINE: &str = r#"{"id": "2404.00011", "categories": ["cs.CV", "cs.AI"], "pdf": "https://arxiv.org/pdf/2404.00011", "abs": "https://arxiv.org/abs/2404.00011", "authors": ["Ada Example", "Bo Sample"], "title": "Seeing \\emph{Made-Up}\n  Things", "comment": "9 pages", "summary": "We look at\nmade-up things.", "AI": {"tldr": "看见虚构之物。", "motivation": "动机文本。", "method": "方法文本。", "result": "结果文本。", "conclusion": "结论文本。"}}"#;

    #[test]
    fn a_line_becomes_a_record_with_sections_in_the_sites_language() {
        let got = run(LINE.as_bytes(), "zh");
        let p = got[0].as_ref().unwrap();
        assert_eq!((p.id.as_str(), p.order, p.line), ("2404.00011", Some(1), 1));
        assert_eq!(p.title.as_deref(), Some("Seeing \\emph{Made-Up} Things"));
        assert_eq!(p.abstract_md.as_deref(), Some("We look at made-up things."));
        assert_eq!(p.categories, ["cs.CV", "cs.AI"]);
        assert_eq!(p.authors.as_deref(), Some(&["Ada Example".to_owned(), "Bo Sample".to_owned()][..]));
        assert_eq!(p.summary.as_deref(), Some("看见虚构之物。"));
        assert_eq!(
            p.body.as_deref(),
            Some("#### 动机\n\n动机文本。\n\n#### 方法\n\n方法文本。\n\n#### 结果\n\n结果文本。\n\n#### 结论\n\n结论文本。")
        );
        assert_eq!(p.extra, [("comment", Json::String("9 pages".into()))]);
        let english = run(LINE.as_bytes(), "en");
        assert!(english[0].as_ref().unwrap().body.as_deref().unwrap().starts_with("#### Motivation\n\n"));
    }

    #[test]
    fn older_and_missing_ai_fields_lose_nothing_else() {
        let text = "{\"id\": \"2404.00012\", \"title\": \"T\", \"summary\": \"S.\", \"comment\": null, \"AI\": {\"task\": \"任务。\"}}\n\
            {\"id\": \"2404.00013\", \"title\": \"U\", \"summary\": \"S.\"}\n";
        let got = run(text.as_bytes(), "zh");
        let (a, b) = (got[0].as_ref().unwrap(), got[1].as_ref().unwrap());
        assert_eq!((a.summary.as_deref(), a.body.as_deref(), a.extra.len()), (Some("任务。"), None, 0));
        assert_eq!((b.id.as_str(), b.summary.as_deref(), b.order), ("2404.00013", None, Some(2)));
    }

    #[test]
    fn a_line_that_is_not_json_is_skipped_with_its_number() {
        let text = format!(
            "{LINE}\nnot json at all\n\n{{\"id\": 2404.00014, \"title\": \"T\"}}\n{}\n",
            LINE.replace("00011", "00015")
        );
        let got = run(text.as_bytes(), "zh");
        assert_eq!(got.len(), 4);
        let err = got[1].as_ref().unwrap_err();
        assert!(
            err.starts_with("data/2024-04-02_AI_enhanced_Chinese.jsonl:2:2: this line is not a paper record"),
            "{err}"
        );
        assert!(got[2].as_ref().unwrap_err().contains(":4:1: `id` 2404.00014 is not an arXiv id"), "{got:?}");
        assert_eq!(got[3].as_ref().unwrap().id, "2404.00015");
    }

    #[test]
    fn a_bad_byte_is_named_by_line_and_column() {
        let mut text = format!("{LINE}\n{{\"id\": \"2404.00016\", \"title\": \"").into_bytes();
        text.extend(b"ab\xc3(\"}\n");
        let got = run(&text, "zh");
        assert!(got[0].is_ok());
        assert!(
            got[1]
                .as_ref()
                .unwrap_err()
                .starts_with("data/2024-04-02_AI_enhanced_Chinese.jsonl:2:34: the file is not UTF-8 text"),
            "{got:?}"
        );
    }
}
