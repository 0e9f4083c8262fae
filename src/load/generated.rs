//! Stage 1, validating `generated`: which fields of a paper a language
//! model wrote (`quire enrich`), by which model and on which day. Each
//! value is checked like any field; an unknown key is an error.

use chrono::NaiveDate;
use serde::Deserialize;

use super::paper::Origin;
use super::plain_yaml::Value;
use super::spanned::Spanned;
use crate::dates::parse_day;
use crate::error::Diagnostic;

/// Which fields of a paper a language model wrote, by which model and on
/// which day (`generated: {by: MODEL, date: YYYY-MM-DD, fields: [...]}`):
/// `quire enrich` writes it, and the default theme says "machine
/// translation (MODEL)" under those fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub by: String,
    pub date: NaiveDate,
    /// Some of [`GENERATED_FIELDS`].
    pub fields: Vec<String>,
}

/// The fields a language model may fill.
pub const GENERATED_FIELDS: &[&str] = &["translated_title", "summary", "body", "tags"];

/// `generated` exactly as written.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(PartialEq))]
#[serde(deny_unknown_fields)]
pub struct RawGenerated {
    by: String,
    date: Spanned<String>,
    #[serde(default)]
    fields: Vec<Spanned<String>>,
}

/// `generated` read fast ([`super::plain_yaml`]): `by` and `date` as text
/// and `fields` as a list, or `None` for serde-saphyr to read it.
pub fn from_entries(
    entries: Vec<(String, Value)>,
    line: usize,
    column: usize,
) -> Option<Spanned<RawGenerated>> {
    let (mut by, mut date, mut fields) = (None, None, Vec::new());
    for (key, value) in entries {
        match (key.as_str(), value) {
            ("by", Value::Text { text, .. }) => by = Some(text),
            ("date", Value::Text { text, line, column, .. }) => date = Some(Spanned::new(text, line, column)),
            ("fields", Value::List(items)) => {
                fields =
                    items.into_iter().map(|(text, line, column)| Spanned::new(text, line, column)).collect()
            }
            _ => return None,
        }
    }
    Some(Spanned::new(RawGenerated { by: by?, date: date?, fields }, line, column))
}

/// `generated`: a model's name, a date, and fields a model may fill.
pub fn check_generated(
    origin: &Origin,
    raw: Spanned<RawGenerated>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Generated> {
    let before = problems.len();
    let place = (raw.referenced.line() as usize, raw.referenced.column() as usize);
    let RawGenerated { by, date, fields } = raw.value;
    if by.trim().is_empty() {
        problems.push(
            origin
                .at(place.0, place.1, "`generated.by` is empty")
                .help("name the model that wrote the fields"),
        );
    }
    let day = parse_day(date.value.trim());
    if day.is_none() {
        problems.push(
            origin
                .at_span(&date, crate::dates::not_a_day(&date.value))
                .help("write the date as YYYY-MM-DD, for example 2024-04-02"),
        );
    }
    for field in &fields {
        if !GENERATED_FIELDS.contains(&field.value.as_str()) {
            problems.push(
                origin
                    .at_span(field, format!("a model does not write `{}`", field.value))
                    .help(format!("name some of: {}", GENERATED_FIELDS.join(", "))),
            );
        }
    }
    let fields = fields.into_iter().map(|f| f.value).collect();
    let date = day.filter(|_| problems.len() == before)?;
    Some(Generated { by: by.trim().to_owned(), date, fields })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::Paper;

    fn parse(generated: &str) -> Result<Paper, Vec<Diagnostic>> {
        let text = format!("---\ntitle: T\ndate: 2024-04-02\ngenerated:\n{generated}---\n");
        crate::load::parse_paper(Path::new("p.md"), text, crate::load::FileKind::Markdown)
    }

    #[test]
    fn generated_names_a_model_a_day_and_fields_a_model_writes() {
        let paper = parse("  by: deepseek-chat\n  date: 2024-04-03\n  fields: [translated_title, summary]\n")
            .unwrap();
        let generated = paper.generated.unwrap();
        assert_eq!(generated.by, "deepseek-chat");
        assert_eq!(generated.fields, ["translated_title", "summary"]);
        let problem = |yaml: &str| parse(yaml).unwrap_err()[0].to_string();
        let typo = problem("  byy: m\n  date: 2024-04-03\n");
        assert!(
            typo.starts_with("p.md:5:3: unknown field `byy`") && typo.contains("did you mean `by`?"),
            "{typo}"
        );
        let field = problem("  by: m\n  date: 2024-04-03\n  fields: [summary, url]\n");
        assert!(field.starts_with("p.md:7:21: a model does not write `url`"), "{field}");
        assert!(problem("  by: m\n  date: tomorrow\n").contains("`tomorrow` is not a date"));
        assert!(problem("  by: \"\"\n  date: 2024-04-03\n").contains("`generated.by` is empty"));
    }
}
