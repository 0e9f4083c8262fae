//! Stage 1, validating: front matter -> a [`Paper`].
//!
//! YAML is read into [`RawFrontMatter`] ([`super::raw`]), which mirrors the
//! content contract field by field (unknown fields are errors).
//! [`RawFrontMatter::validate`] then applies the defaults (id from the file
//! stem, date from a `YYYY-MM-DD` folder, URL from an arXiv id) and checks
//! every value, so the rest of the pipeline only ever sees a complete,
//! well-formed `Paper`.

use std::path::Path;

use chrono::NaiveDate;

use super::generated::{check_generated, Generated};
use super::listing::{check_listed, Listing};
use super::raw::RawFrontMatter;
use super::spanned::Spanned;
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
    /// The file line and column of each category and tag, in order, to
    /// place the problems grouping finds (empty when not read from a file).
    pub category_places: Vec<(usize, usize)>,
    pub tag_places: Vec<(usize, usize)>,
    pub announce_type: Option<String>,
    pub order: Option<i64>,
    /// Further digests that list the paper (`listed`), in the order written.
    pub listed: Vec<Listing>,
    pub draft: bool,
    /// The paper's code repository: an http(s) address.
    pub code: Option<String>,
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
            category_places: vec![],
            tag_places: vec![],
            announce_type: None,
            order: None,
            listed: vec![],
            draft: false,
            code: None,
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
            let message = format!("id `{}` {why}", abbreviated(&id));
            let d = match &self.id {
                Some(span) => origin.at_span(span, message),
                None => origin.at(0, 1, format!("{message}, from the file name")),
            };
            problems.push(
                d.help("write another `id:` (a shorter one); it names the paper's folder, /paper/<id>/"),
            );
        }

        if self.title.value.trim().is_empty() {
            problems.push(
                origin.at_span(&self.title, "`title` is empty").help("write the paper's original title"),
            );
        }
        let date = self.check_date(origin, &mut problems);
        let listed = check_listed(origin, std::mem::take(&mut self.listed), date, &mut problems);
        let url = self.check_url(origin, &mut problems);
        let code = self.check_code(origin, &mut problems);
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
        let (categories, category_places) = check_terms(origin, self.categories, "category", &mut problems);
        let (tags, tag_places) = check_terms(origin, self.tags, "tag", &mut problems);
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
            authors: self.authors.unwrap_or_default(),
            categories,
            tags,
            category_places,
            tag_places,
            announce_type: self.announce_type.map(|t| t.value),
            order: self.order,
            listed,
            draft: self.draft,
            code,
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
        web_address(
            origin,
            raw,
            "url",
            "the paper's web address, like https://arxiv.org/abs/2404.01300",
            problems,
        )
    }

    /// The code repository becomes a "Code" link: an http(s) URL too.
    fn check_code(&self, origin: &Origin, problems: &mut Vec<Diagnostic>) -> Option<String> {
        let raw = self.code.as_ref().filter(|c| !c.value.trim().is_empty())?;
        web_address(
            origin,
            raw,
            "code",
            "the repository's web address, like https://github.com/owner/repo",
            problems,
        )
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

/// The http(s) address written in `field`, as a browser reads it; an error
/// at its place otherwise, whose fix is to write `what` or remove the field.
fn web_address(
    origin: &Origin,
    raw: &Spanned<String>,
    field: &str,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let url = crate::url::web_url(&raw.value);
    if url.is_none() {
        let message = format!("`{field}` is not an http(s) address: `{}`", raw.value.trim());
        problems.push(origin.at_span(raw, message).help(format!("write {what}, or remove `{field}`")));
    }
    url
}

/// A paper's categories or tags, with the file line and column of each;
/// each names a folder of the output, so a name with no letters or digits,
/// or a very long one, is an error at its place.
fn check_terms(
    origin: &Origin,
    terms: Vec<Spanned<String>>,
    kind: &str,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<String>, Vec<(usize, usize)>) {
    for name in &terms {
        if let Some(why) = crate::slug::problem(&crate::slug::term(&name.value)) {
            problems.push(origin.at_span(name, format!("{kind} `{}` {why}", abbreviated(&name.value))).help(
                format!("write the {kind} another way, with letters or digits, in a few words, or remove it"),
            ));
        }
    }
    let places = terms
        .iter()
        .map(|n| (origin.file_line(n.referenced.line() as usize), n.referenced.column() as usize))
        .collect();
    (terms.into_iter().map(|n| n.value).collect(), places)
}

/// The first 40 characters of `text`, and `...` when it goes on.
fn abbreviated(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
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
