//! Import, one field at a time: the rule that decides between what a
//! paper file says now (as the loader reads it, [`crate::load::Written`])
//! and a producer's new value ([`decide`]), the hashes it compares, and
//! each value as the YAML lines that write it.

use serde_json::Value as Json;

use super::produced::Hash;
use crate::import::yaml::FrontMatter;
use crate::text::quote;

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
        let read = crate::load::RawFrontMatter::read(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(read.title(), "A \"quoted\" title");
        assert_eq!(read.abstract_md(), Some("Two\nlines\n"));
        assert_eq!(read.tags(), ["a", "b: c"]);
        let listed: Vec<_> = read.listed().map(|l| (l.date(), l.order(), l.announce_type())).collect();
        assert_eq!(listed, [(Some("2024-04-09"), Some(17), Some("replace"))]);
        assert_eq!(read.extra(), Some(&serde_json::json!({"upvotes": 3, "comment": "x: y"})));
    }
}
