//! Stage 1, validating: front matter -> a [`Paper`].
//!
//! YAML is read into [`RawFrontMatter`], which mirrors the content contract
//! field by field (unknown fields are errors). [`RawFrontMatter::validate`]
//! then applies the defaults (id from the file stem, date from a
//! `YYYY-MM-DD` folder, URL from an arXiv id) and checks every value, so the
//! rest of the pipeline only ever sees a complete, well-formed `Paper`.

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use super::plain_yaml::{self, Entry, Value};
use super::spanned::Spanned;

use super::generated::{check_generated, Generated, RawGenerated};
use super::listing::{check_listed, Listing, RawListing};
use crate::arxiv;
use crate::dates::parse_day;
use crate::error::Diagnostic;

/// One paper, validated and complete.
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    pub id: String,
    /// The id made safe for URLs and HTML ids (`cs/0112017` -> `cs-0112017`).
    pub slug: String,
    pub title: String,
    pub translated_title: Option<String>,
    pub url: Option<String>,
    /// The PDF link, known for arXiv ids.
    pub pdf_url: Option<String>,
    pub date: NaiveDate,
    pub summary: Option<String>,
    /// Markdown.
    pub abstract_md: Option<String>,
    /// Markdown.
    pub body: String,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub announce_type: Option<String>,
    pub order: Option<i64>,
    /// Further digests that list the paper (`listed`), in the order written.
    pub listed: Vec<Listing>,
    pub draft: bool,
    pub extra: serde_json::Value,
    /// What a language model wrote into the paper (`generated:`).
    pub generated: Option<Generated>,
    /// The file it came from, relative to the site root.
    pub source: std::path::PathBuf,
    /// The file line the id is written on (1 when it comes from the file name).
    pub id_line: usize,
    /// The file line the body starts on, to place errors found in it.
    pub body_line: usize,
    /// The file line the abstract's text starts on (its `abstract:` line).
    pub abstract_line: usize,
}

#[cfg(test)]
impl Paper {
    /// A minimal valid paper for unit tests elsewhere: change what a test
    /// needs with struct update syntax.
    pub fn example(id: &str, date: &str) -> Paper {
        Paper {
            id: id.into(),
            slug: crate::slug::paper(id),
            title: id.into(),
            translated_title: None,
            url: None,
            pdf_url: None,
            date: crate::dates::parse_day(date).expect("a YYYY-MM-DD date"),
            summary: None,
            abstract_md: None,
            body: String::new(),
            authors: vec![],
            categories: vec![],
            tags: vec![],
            announce_type: None,
            order: None,
            listed: vec![],
            draft: false,
            extra: serde_json::Value::Null,
            generated: None,
            source: Default::default(),
            id_line: 1,
            body_line: 1,
            abstract_line: 1,
        }
    }

    /// A real-looking arXiv paper of 2024-04-02, with a link, two authors
    /// and two categories.
    pub fn arxiv_example() -> Paper {
        Paper {
            title: "NeRF-MAE: Masked AutoEncoders for 3D".into(),
            url: Some("https://arxiv.org/abs/2404.01300".into()),
            authors: vec!["Muhammad Zubair Irshad".into(), "Sergey Zakharov".into()],
            categories: vec!["cs.CV".into(), "cs.RO".into()],
            ..Paper::example("2404.01300", "2024-04-02")
        }
    }
}

/// The fields a paper file may have, exactly as written.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(test, derive(PartialEq))]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    id: Option<Spanned<String>>,
    title: Spanned<String>,
    translated_title: Option<String>,
    url: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    summary: Option<String>,
    #[serde(rename = "abstract")]
    abstract_md: Option<Spanned<String>>,
    body: Option<Spanned<String>>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    categories: Vec<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    announce_type: Option<Spanned<String>>,
    order: Option<i64>,
    #[serde(default)]
    listed: Vec<Spanned<RawListing>>,
    #[serde(default)]
    draft: bool,
    extra: Option<serde_json::Value>,
    generated: Option<Spanned<RawGenerated>>,
}

impl RawFrontMatter {
    /// Reads front matter: the common shape without a YAML parser
    /// ([`plain_yaml`]), anything else, and every error, with serde-saphyr.
    pub fn read(yaml: &str) -> Result<Self, serde_saphyr::Error> {
        match plain_yaml::read(yaml).and_then(Self::from_entries) {
            Some(raw) => Ok(raw),
            None => serde_saphyr::from_str(yaml),
        }
    }

    /// The front matter of plain entries, if each is a field with a value
    /// of its type and `title` is there; else serde-saphyr decides.
    pub(super) fn from_entries(entries: Vec<Entry>) -> Option<Self> {
        let mut raw = RawFrontMatter::default();
        let mut title = None;
        for Entry { key, value } in entries {
            match (key, value) {
                ("title", value) => title = Some(spanned(value)?),
                ("translated_title", Value::Text { text, .. }) => raw.translated_title = Some(text),
                ("summary", Value::Text { text, .. }) => raw.summary = Some(text),
                ("id", value) => raw.id = Some(spanned(value)?),
                ("url", value) => raw.url = Some(spanned(value)?),
                ("date", value) => raw.date = Some(spanned(value)?),
                ("abstract", value) => raw.abstract_md = Some(spanned(value)?),
                ("body", value) => raw.body = Some(spanned(value)?),
                ("announce_type", value) => raw.announce_type = Some(spanned(value)?),
                ("authors", Value::List(items)) => raw.authors = items.into_iter().map(|i| i.0).collect(),
                ("categories", Value::List(items)) => raw.categories = spanned_items(items),
                ("tags", Value::List(items)) => raw.tags = spanned_items(items),
                ("generated", Value::Map { entries, line, column }) => {
                    raw.generated = Some(super::generated::from_entries(entries, line, column)?)
                }
                ("order", Value::Text { text, plain: true, .. }) => raw.order = Some(whole_number(&text)?),
                ("draft", Value::Text { text, plain: true, .. }) => {
                    raw.draft = match text.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        raw.title = title?;
        Some(raw)
    }
}

fn spanned(value: Value) -> Option<Spanned<String>> {
    match value {
        Value::Text { text, line, column, .. } => Some(Spanned::new(text, line, column)),
        Value::List(_) | Value::Map { .. } => None,
    }
}

fn spanned_items(items: Vec<(String, usize, usize)>) -> Vec<Spanned<String>> {
    items.into_iter().map(|(text, line, column)| Spanned::new(text, line, column)).collect()
}

/// A plain whole number as YAML writes one in decimal: `0`, `12`, `-3`.
fn whole_number(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let decimal = !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit());
    (decimal && (digits == "0" || !digits.starts_with('0')) && text != "-0").then(|| text.parse().ok())?
}

/// Every field of the contract, for suggestions.
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "translated_title",
    "url",
    "date",
    "summary",
    "abstract",
    "body",
    "authors",
    "categories",
    "tags",
    "announce_type",
    "order",
    "draft",
    "extra",
    "listed",
    "generated",
];

/// The fields that hold a list.
pub const LIST_FIELDS: &[&str] = &["authors", "categories", "tags"];

pub(super) const ANNOUNCE_TYPES: &[&str] = &["new", "cross", "replace", "replace-cross"];

/// Where a file's text is, so errors can quote it.
pub struct Origin<'a> {
    /// Path relative to the site root.
    pub path: &'a Path,
    /// The whole (normalised) file text.
    pub text: &'a str,
    /// The file line the YAML starts on.
    pub yaml_line: usize,
}

impl Origin<'_> {
    /// The file line of a YAML line; YAML line 0 (unknown) is the opening `---`.
    pub fn file_line(&self, yaml_line: usize) -> usize {
        if yaml_line == 0 {
            self.yaml_line.saturating_sub(1).max(1)
        } else {
            yaml_line + self.yaml_line - 1
        }
    }

    /// A diagnostic at a location inside the YAML.
    pub fn at(&self, line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.path, message).at(self.text, self.file_line(line), column.max(1))
    }

    /// The text of a YAML line (empty past the end).
    pub fn line_text(&self, yaml_line: usize) -> &str {
        self.text.lines().nth(self.file_line(yaml_line) - 1).unwrap_or("").trim_end_matches('\r')
    }

    pub(super) fn at_span<T>(&self, s: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        self.at(s.referenced.line() as usize, s.referenced.column() as usize, message)
    }
}

impl RawFrontMatter {
    /// Checks every value and fills the defaults.
    ///
    /// `body` is the Markdown after the front matter; `body_line` its first line.
    pub fn validate(
        mut self,
        origin: &Origin,
        body: &str,
        body_line: usize,
    ) -> Result<Paper, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let id = match &self.id {
            Some(id) if id.value.trim().is_empty() => {
                problems.push(
                    origin
                        .at_span(id, "`id` is empty")
                        .help("remove it to use the file name, or write the paper's id"),
                );
                String::new()
            }
            Some(id) => id.value.trim().to_owned(),
            None => file_stem(origin.path),
        };
        if let Some(why) = crate::slug::problem(&crate::slug::paper(&id)).filter(|_| !id.is_empty()) {
            let shown: String = id.chars().take(40).collect();
            let message = format!("id `{shown}...` {why}");
            let d = match &self.id {
                Some(span) => origin.at_span(span, message),
                None => origin.at(0, 1, format!("{message}, from the file name")),
            };
            problems.push(d.help("write a shorter `id:`; it names the paper's folder, /paper/<id>/"));
        }

        if self.title.value.trim().is_empty() {
            problems.push(
                origin.at_span(&self.title, "`title` is empty").help("write the paper's original title"),
            );
        }
        let date = self.check_date(origin, &mut problems);
        let listed = check_listed(origin, std::mem::take(&mut self.listed), date, &mut problems);
        let url = self.check_url(origin, &mut problems);
        let body = self.check_body(origin, body, &mut problems);
        if let Some(t) = &self.announce_type {
            if !ANNOUNCE_TYPES.contains(&t.value.as_str()) {
                problems.push(
                    origin
                        .at_span(t, format!("unknown announce_type `{}`", t.value))
                        .help(format!("use one of: {}", ANNOUNCE_TYPES.join(", "))),
                );
            }
        }
        let categories = check_terms(origin, self.categories, "category", &mut problems);
        let tags = check_terms(origin, self.tags, "tag", &mut problems);
        let generated = self.generated.take().and_then(|g| check_generated(origin, g, &mut problems));
        let Some(date) = date.filter(|_| problems.is_empty()) else {
            return Err(problems);
        };
        let arxiv = arxiv::is_id(&id);
        Ok(Paper {
            slug: crate::slug::paper(&id),
            url: url.or_else(|| arxiv.then(|| arxiv::abs_url(&id))),
            pdf_url: arxiv.then(|| arxiv::pdf_url(&id)),
            id,
            title: self.title.value.trim().to_owned(),
            translated_title: non_empty(self.translated_title),
            date,
            summary: non_empty(self.summary),
            abstract_line: self
                .abstract_md
                .as_ref()
                .map_or(1, |s| origin.file_line(s.referenced.line() as usize)),
            abstract_md: non_empty(self.abstract_md.map(|s| s.value)),
            body,
            authors: self.authors,
            categories,
            tags,
            announce_type: self.announce_type.map(|t| t.value),
            order: self.order,
            listed,
            draft: self.draft,
            extra: self.extra.unwrap_or(serde_json::Value::Object(Default::default())),
            generated,
            source: origin.path.to_path_buf(),
            id_line: self.id.as_ref().map_or(1, |s| origin.file_line(s.referenced.line() as usize)),
            body_line,
        })
    }

    fn check_date(&self, origin: &Origin, problems: &mut Vec<Diagnostic>) -> Option<NaiveDate> {
        match &self.date {
            Some(d) => match parse_day(d.value.trim()) {
                Some(date) => Some(date),
                None => {
                    problems.push(
                        origin
                            .at_span(d, crate::dates::not_a_day(&d.value))
                            .help("write the date as YYYY-MM-DD, for example 2024-04-02"),
                    );
                    None
                }
            },
            None => match date_from_folder(origin.path) {
                Some(date) => Some(date),
                None => {
                    problems.push(
                        origin
                            .at(0, 1, "missing required field `date`")
                            .help("add `date: YYYY-MM-DD`, or put the file in a folder named YYYY-MM-DD"),
                    );
                    None
                }
            },
        }
    }

    /// A paper's address must be an http(s) URL, as a browser reads it
    /// ([`crate::url::check`]): it becomes a link on several pages.
    fn check_url(&self, origin: &Origin, problems: &mut Vec<Diagnostic>) -> Option<String> {
        let raw = self.url.as_ref()?;
        if raw.value.trim().is_empty() {
            return Some(String::new()); // No link, as before.
        }
        let url = crate::url::web_url(&raw.value);
        if url.is_none() {
            problems.push(
                origin.at_span(raw, format!("`url` is not an http(s) address: `{}`", raw.value.trim())).help(
                    "write the paper's web address, like https://arxiv.org/abs/2404.01300, or remove `url`",
                ),
            );
        }
        url
    }

    /// The body comes from below the front matter, or from `body` in a YAML file.
    fn check_body(&self, origin: &Origin, body: &str, problems: &mut Vec<Diagnostic>) -> String {
        match &self.body {
            Some(b) if origin.yaml_line > 1 => {
                problems.push(
                    origin
                        .at_span(b, "`body` is only for .yaml papers")
                        .help("write the body below the closing `---` line"),
                );
                String::new()
            }
            Some(b) => b.value.clone(),
            None => body.to_owned(),
        }
    }
}

/// A paper's categories or tags; each names a folder of the output, so a
/// name with no letters or digits, or a very long one, is an error at its place.
fn check_terms(
    origin: &Origin,
    terms: Vec<Spanned<String>>,
    kind: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    for name in &terms {
        if let Some(why) = crate::slug::problem(&crate::slug::term(&name.value)) {
            let shown: String = name.value.chars().take(40).collect();
            problems.push(
                origin
                    .at_span(name, format!("{kind} `{shown}` {why}"))
                    .help(format!("write the {kind} with letters or digits, in a few words, or remove it")),
            );
        }
    }
    terms.into_iter().map(|n| n.value).collect()
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(trimmed).filter(|s| !s.is_empty())
}

/// `s` without spaces around it, copied only when it has some.
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_owned()
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The date of the nearest enclosing folder named `YYYY-MM-DD`.
fn date_from_folder(path: &Path) -> Option<NaiveDate> {
    path.ancestors().skip(1).find_map(|p| p.file_name().and_then(|n| parse_day(&n.to_string_lossy())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_folder_gives_the_date() {
        assert_eq!(
            date_from_folder(Path::new("content/2024-04-02/x.md")),
            NaiveDate::from_ymd_opt(2024, 4, 2)
        );
    }
}
