//! Import, one field at a time: what a paper file says now ([`Current`]),
//! the rule that decides between it and a producer's new value
//! ([`decide`]), and each value as the YAML lines that write it.

use serde::Deserialize;
use serde_json::Value as Json;

use super::produced::Hash;
use crate::import::yaml::FrontMatter;
use crate::text::quote;

/// The fields of a paper file an import reads, as written (no defaults).
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Current {
    pub id: Option<String>,
    pub title: Option<String>,
    pub translated_title: Option<String>,
    pub date: Option<String>,
    pub order: Option<i64>,
    pub summary: Option<String>,
    #[serde(rename = "abstract")]
    pub abstract_md: Option<String>,
    pub body: Option<String>,
    pub authors: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub announce_type: Option<String>,
    pub code: Option<String>,
    pub listed: Option<Vec<CurrentListing>>,
    pub extra: Option<Json>,
}

/// One entry of `listed` as written.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct CurrentListing {
    pub date: Option<String>,
    pub order: Option<i64>,
    pub announce_type: Option<String>,
}

impl Current {
    /// Reads the front matter `yaml` (empty: nothing set).
    pub fn read(yaml: &str) -> Result<Current, String> {
        if yaml.trim().is_empty() {
            return Ok(Current::default());
        }
        serde_saphyr::from_str(yaml).map_err(|e| e.to_string())
    }

    /// The value of `extra.<key>`, when `extra` is a map that has it.
    pub fn extra(&self, key: &str) -> Option<&Json> {
        self.extra.as_ref().and_then(|e| e.get(key))
    }
}

/// What to do with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The file already has the producer's new value.
    Same,
    /// Write the producer's new value.
    Take,
    /// Keep what the file has: a person wrote it. `conflict`: the producer's
    /// value changed since it last wrote (or it never did), so say so.
    Keep { conflict: bool },
}

/// The merge rule for one field. `current`: the file's value (`None`:
/// absent); `last`: what the producer last wrote there (`None`: no record);
/// `new`: the producer's value now.
///
/// - the file has the new value: nothing to do;
/// - `force`: the producer's value wins;
/// - the file still has what the producer last wrote: it is the
///   producer's, and is replaced;
/// - the field is absent and no producer ever wrote it: it is added;
/// - anything else was written (or removed) by a person, and is kept.
pub fn decide(current: Option<Hash>, last: Option<Hash>, new: Hash, force: bool) -> Decision {
    if current == Some(new) {
        Decision::Same
    } else if force || current == last {
        Decision::Take
    } else {
        Decision::Keep { conflict: last != Some(new) }
    }
}

pub fn text_hash(text: &str) -> Hash {
    Hash::of(text)
}

pub fn list_hash(items: &[String]) -> Hash {
    Hash::of(&items.join("\u{1f}"))
}

pub fn json_hash(value: &Json) -> Hash {
    Hash::of(&value.to_string())
}

/// `key: "value"`, or a literal block for multi-line text.
pub fn text_yaml(key: &str, value: &str) -> String {
    let mut fm = FrontMatter::default();
    fm.text(key, value);
    fm.into_yaml()
}

/// `key: ["a", "b"]`.
pub fn list_yaml(key: &str, items: &[String]) -> String {
    let mut fm = FrontMatter::default();
    fm.list(key, items);
    fm.into_yaml()
}

/// An `extra` value as a YAML scalar (or JSON, which YAML reads too).
pub fn json_yaml(value: &Json) -> String {
    match value {
        Json::String(s) => quote(s),
        other => other.to_string(),
    }
}

/// A listing's date, order and announce type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingValues {
    pub date: String,
    pub order: Option<i64>,
    pub announce_type: Option<String>,
}

impl ListingValues {
    pub fn hash(&self) -> Hash {
        let order = self.order.map(|o| o.to_string()).unwrap_or_default();
        Hash::of(&format!("{}\u{1f}{}", order, self.announce_type.as_deref().unwrap_or("")))
    }
}

/// `listed:` with one block entry per listing.
pub fn listed_yaml(listings: &[ListingValues]) -> String {
    let mut out = String::from("listed:\n");
    for l in listings {
        out.push_str(&format!("  - date: {}\n", quote(&l.date)));
        if let Some(order) = l.order {
            out.push_str(&format!("    order: {order}\n"));
        }
        if let Some(t) = &l.announce_type {
            out.push_str(&format!("    announce_type: {}\n", quote(t)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Hash {
        Hash::of(s)
    }

    #[test]
    fn the_rule_keeps_what_a_person_wrote() {
        let (a, b, c) = (h("a"), h("b"), h("c"));
        assert_eq!(decide(Some(b), Some(a), b, false), Decision::Same);
        assert_eq!(decide(Some(a), Some(a), b, false), Decision::Take, "the producer's last value");
        assert_eq!(decide(None, None, b, false), Decision::Take, "never written: added");
        assert_eq!(decide(Some(c), Some(a), b, false), Decision::Keep { conflict: true }, "edited by hand");
        assert_eq!(decide(Some(c), Some(b), b, false), Decision::Keep { conflict: false }, "said before");
        assert_eq!(decide(None, Some(a), b, false), Decision::Keep { conflict: true }, "removed by hand");
        assert_eq!(decide(Some(c), None, b, false), Decision::Keep { conflict: true }, "no record");
        assert_eq!(decide(Some(c), Some(a), b, true), Decision::Take, "--force");
    }

    #[test]
    fn values_are_written_as_yaml_that_reads_back() {
        let yaml = [
            text_yaml("title", "A \"quoted\" title"),
            text_yaml("abstract", "Two\nlines\n"),
            list_yaml("tags", &["a".into(), "b: c".into()]),
            listed_yaml(&[ListingValues {
                date: "2024-04-09".into(),
                order: Some(17),
                announce_type: Some("replace".into()),
            }]),
            format!(
                "extra:\n  upvotes: {}\n  comment: {}\n",
                json_yaml(&Json::from(3)),
                json_yaml(&Json::from("x: y"))
            ),
        ]
        .concat();
        let current = Current::read(&yaml).unwrap();
        assert_eq!(current.title.as_deref(), Some("A \"quoted\" title"));
        assert_eq!(current.abstract_md.as_deref(), Some("Two\nlines\n"));
        assert_eq!(current.tags.unwrap(), ["a", "b: c"]);
        let listing = CurrentListing {
            date: Some("2024-04-09".into()),
            order: Some(17),
            announce_type: Some("replace".into()),
        };
        assert_eq!(current.listed.unwrap(), [listing]);
        assert_eq!(current.extra.unwrap(), serde_json::json!({"upvotes": 3, "comment": "x: y"}));
        assert_eq!(Current::read("").unwrap(), Current::default());
    }
}
