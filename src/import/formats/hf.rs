//! Format `hf`: a saved Hugging Face daily papers list
//! (`/api/daily_papers?date=YYYY-MM-DD`): a JSON array of
//! `{title, publishedAt, thumbnail, numComments, paper: {...}}`.
//!
//! | field | becomes |
//! | --- | --- |
//! | `paper.id` | the id |
//! | `paper.title` (else `title`) | `title` |
//! | `paper.summary` (wrapped) | `abstract` |
//! | `paper.authors[].name` | `authors` |
//! | `paper.ai_summary` | `summary` |
//! | `paper.ai_keywords` | `tags` |
//! | `paper.upvotes` | `extra.upvotes` |
//! | `paper.githubRepo` (an http(s) address) | `code` |
//! | `thumbnail`, `numComments` | left out |
//!
//! The date is `--date`, else the day of `publishedAt`; the list's order is
//! the digest's.

use std::io::Read;

use serde::Deserialize;
use serde_json::Value as Json;

use super::json::Values;
use super::Context;
use crate::arxiv;
use crate::error::Diagnostic;
use crate::import::clean;
use crate::import::record::{diagnostic_at, non_empty, Item, Record};
use crate::import::text::TextReader;

#[derive(Deserialize)]
struct DailyPaper {
    paper: HfPaper,
    title: Option<String>,
    #[serde(rename = "publishedAt")]
    published_at: Option<String>,
}

#[derive(Deserialize)]
struct HfPaper {
    id: String,
    title: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    authors: Vec<Author>,
    upvotes: Option<i64>,
    #[serde(rename = "publishedAt")]
    published_at: Option<String>,
    ai_summary: Option<String>,
    ai_keywords: Option<Vec<String>>,
    #[serde(rename = "githubRepo")]
    github_repo: Option<String>,
}

#[derive(Deserialize)]
struct Author {
    name: String,
}

pub fn read<R: Read>(reader: &mut TextReader<R>, cx: &Context, emit: &mut dyn FnMut(Item)) {
    let mut values = Values::new(reader);
    let mut order = 0;
    while let Some(value) = values.next_value(cx) {
        order += 1;
        let record = value.and_then(|v| record(v.parse(cx)?, v.at.line, order, cx));
        emit(record.map_or_else(Item::Skipped, |r| Item::Paper(Box::new(r))));
    }
}

fn record(item: DailyPaper, line: usize, order: i64, cx: &Context) -> Result<Record, Diagnostic> {
    let paper = item.paper;
    let problem = |message: String, help: &str| diagnostic_at(cx.shown, line, 1, message).help(help);
    let id = arxiv::id_from_text(&paper.id).ok_or_else(|| {
        problem(format!("`paper.id` `{}` is not an arXiv id", paper.id), "the list's papers are arXiv papers")
    })?;
    let published = item.published_at.or(paper.published_at);
    let date = cx.date.or_else(|| published.as_deref().and_then(day_of)).ok_or_else(|| {
        problem("the paper's date is unknown".into(), "pass --date YYYY-MM-DD, or keep `publishedAt`")
    })?;
    let extra = paper.upvotes.map(|n| ("upvotes", Json::from(n))).into_iter().collect();
    Ok(Record {
        line,
        date,
        order: Some(order),
        digest: cx.digest_name("hf"),
        title: paper.title.or(item.title).map(|t| clean::one_line(&t)).and_then(non_empty),
        abstract_md: paper.summary.map(|s| clean::unwrap(&s)).and_then(non_empty),
        authors: Some(paper.authors.into_iter().map(|a| a.name).collect::<Vec<_>>())
            .filter(|a| !a.is_empty()),
        summary: paper.ai_summary.map(|s| clean::one_line(&s)).and_then(non_empty),
        tags: paper.ai_keywords.filter(|k| !k.is_empty()),
        code: paper.github_repo.as_deref().and_then(crate::url::web_url),
        categories: cx.category.clone().into_iter().collect(),
        extra,
        id,
        ..Record::default()
    })
}

/// `2024-04-02T06:21:47.000Z` -> 2024-04-02, the date as written.
pub fn day_of(timestamp: &str) -> Option<chrono::NaiveDate> {
    crate::dates::parse_day(timestamp.trim().get(..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, date: Option<&str>) -> Vec<Result<Record, String>> {
        let mut cx = Context::example("daily.json", "2024-04-02", None);
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

    const LIST: &str = r#"[
  {"paper": {"id": "2404.00021", "authors": [{"_id": "a1", "name": "Ada Example", "hidden": false}, {"name": "Bo Sample"}],
    "publishedAt": "2024-04-01T17:59:55.000Z", "title": "A Made-Up\n Model", "summary": "We make\nthings up.",
    "upvotes": 42, "ai_summary": "A model of made-up things.", "ai_keywords": ["made-up", "models"],
    "githubRepo": "https://github.com/ada/made-up"},
   "publishedAt": "2024-04-02T06:21:47.000Z", "title": "A Made-Up Model", "thumbnail": "https://example.org/t.png", "numComments": 3},
  {"paper": {"id": "2404.00022", "title": "Another", "summary": "S.", "authors": [], "githubRepo": "javascript:alert(1)"}, "publishedAt": "2024-04-03T01:00:00.000Z"},
  {"paper": {"title": "No id"}}
]"#;

    #[test]
    fn daily_papers_become_records_in_list_order() {
        let got = run(LIST, None);
        let p = got[0].as_ref().unwrap();
        assert_eq!(
            (p.id.as_str(), p.date.to_string().as_str(), p.order),
            ("2404.00021", "2024-04-02", Some(1))
        );
        assert_eq!(p.title.as_deref(), Some("A Made-Up Model"));
        assert_eq!(p.abstract_md.as_deref(), Some("We make things up."));
        assert_eq!(p.summary.as_deref(), Some("A model of made-up things."));
        assert_eq!(p.tags.as_deref(), Some(&["made-up".to_owned(), "models".to_owned()][..]));
        assert_eq!(p.authors.as_ref().unwrap().len(), 2);
        assert_eq!(p.extra, [("upvotes", Json::from(42))]);
        assert_eq!(p.code.as_deref(), Some("https://github.com/ada/made-up"));
        let q = got[1].as_ref().unwrap();
        assert_eq!(
            (q.date.to_string().as_str(), q.order, q.authors.is_none()),
            ("2024-04-03", Some(2), true)
        );
        assert_eq!(q.code, None, "only an http(s) address");
        let err = got[2].as_ref().unwrap_err();
        assert!(err.starts_with("daily.json:8:30: cannot read this record: missing field `id`"), "{err}");
        let dated = run(LIST, Some("2024-05-01"));
        assert_eq!(dated[1].as_ref().unwrap().date.to_string(), "2024-05-01");
    }
}
