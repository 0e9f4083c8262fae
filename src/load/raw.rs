//! Stage 1, reading: front matter -> [`RawFrontMatter`], the fields of a
//! paper file exactly as written (no defaults, nothing trimmed or checked).
//!
//! It is the one reading of a paper's fields: `load` validates it into a
//! [`super::Paper`], and `import` and `enrich`, which edit a file field by
//! field, read what a file holds now through its accessors. [`FIELDS`] is
//! the one list of the fields a paper may have, in the order quire writes
//! them.

use serde::{Deserialize, Deserializer};

use super::generated::RawGenerated;
use super::listing::RawListing;
use super::plain_yaml::{self, Entry, Value};
use super::spanned::Spanned;

/// Every field of the content contract, in the order quire writes them
/// (`abstract` and `body`, the long ones, last).
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "translated_title",
    "url",
    "date",
    "order",
    "summary",
    "authors",
    "categories",
    "tags",
    "announce_type",
    "listed",
    "draft",
    "code",
    "extra",
    "generated",
    "abstract",
    "body",
];

/// The fields that hold a list.
pub const LIST_FIELDS: &[&str] = &["authors", "categories", "tags"];

/// The fields a paper file may have, exactly as written, in the order of
/// [`FIELDS`].
#[derive(Debug, Default, Clone, Deserialize)]
#[cfg_attr(test, derive(PartialEq))]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub(super) id: Option<Spanned<String>>,
    pub(super) title: Spanned<String>,
    pub(super) translated_title: Option<String>,
    pub(super) url: Option<Spanned<String>>,
    pub(super) date: Option<Spanned<String>>,
    pub(super) order: Option<i64>,
    pub(super) summary: Option<String>,
    /// `None` when absent: `authors: []` is written, and an import keeps it.
    #[serde(default, deserialize_with = "present")]
    pub(super) authors: Option<Vec<String>>,
    #[serde(default)]
    pub(super) categories: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) tags: Vec<Spanned<String>>,
    pub(super) announce_type: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) listed: Vec<Spanned<RawListing>>,
    #[serde(default)]
    pub(super) draft: bool,
    pub(super) code: Option<Spanned<String>>,
    pub(super) extra: Option<serde_json::Value>,
    pub(super) generated: Option<Spanned<RawGenerated>>,
    #[serde(rename = "abstract")]
    pub(super) abstract_md: Option<Spanned<String>>,
    pub(super) body: Option<Spanned<String>>,
}

/// A field that is there, read as its type (`null` is no list either).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
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
                ("code", value) => raw.code = Some(spanned(value)?),
                ("date", value) => raw.date = Some(spanned(value)?),
                ("abstract", value) => raw.abstract_md = Some(spanned(value)?),
                ("body", value) => raw.body = Some(spanned(value)?),
                ("announce_type", value) => raw.announce_type = Some(spanned(value)?),
                ("authors", Value::List(items)) => {
                    raw.authors = Some(items.into_iter().map(|i| i.0).collect())
                }
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

/// Each field as the file writes it, for a command that edits it in place
/// (a value a producer or a model wrote is told from a person's by it).
impl RawFrontMatter {
    pub fn title(&self) -> &str {
        &self.title.value
    }

    pub fn translated_title(&self) -> Option<&str> {
        self.translated_title.as_deref()
    }

    pub fn date(&self) -> Option<&str> {
        self.date.as_ref().map(|d| d.value.as_str())
    }

    pub fn order(&self) -> Option<i64> {
        self.order
    }

    pub fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }

    pub fn authors(&self) -> Option<&[String]> {
        self.authors.as_deref()
    }

    pub fn categories(&self) -> Vec<String> {
        self.categories.iter().map(|c| c.value.clone()).collect()
    }

    pub fn tags(&self) -> Vec<String> {
        self.tags.iter().map(|t| t.value.clone()).collect()
    }

    pub fn announce_type(&self) -> Option<&str> {
        self.announce_type.as_ref().map(|t| t.value.as_str())
    }

    /// The further listings, each as written.
    pub fn listed(&self) -> impl Iterator<Item = &RawListing> {
        self.listed.iter().map(|l| &l.value)
    }

    pub fn code(&self) -> Option<&str> {
        self.code.as_ref().map(|c| c.value.as_str())
    }

    pub fn extra(&self) -> Option<&serde_json::Value> {
        self.extra.as_ref()
    }

    pub fn abstract_md(&self) -> Option<&str> {
        self.abstract_md.as_ref().map(|a| a.value.as_str())
    }

    /// A YAML paper's `body:` field (a Markdown paper's body is below its
    /// front matter: [`super::Written::body`]).
    pub fn body(&self) -> Option<&str> {
        self.body.as_ref().map(|b| b.value.as_str())
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
