//! Import, the record of what producers last wrote: for each paper, a hash
//! of every field value an import set, so a value still equal to it is the
//! producer's (an import may replace it) and anything else is a person's
//! (kept).
//!
//! It lives in `.quire-import.jsonl` in the content folder, one line per
//! paper sorted by id (so a day's import changes only its papers' lines in
//! version control). Hidden files are never read by `load`, `build` or
//! `serve`. Only hashes are kept: 65,000 papers make about 20 MB.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The record file's name, inside the content folder.
pub const FILE_NAME: &str = ".quire-import.jsonl";

/// What the producers last wrote into one paper's file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks {
    /// Field (or `extra.<key>`) -> hash of the value written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Hash>,
    /// Hash and length in bytes of the body written (notes may follow it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<(Hash, usize)>,
    /// Every category a producer gave.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The tags a producer gave last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// The listings written, by date.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub listed: BTreeMap<String, ListingMark>,
    /// What a language model wrote (`quire enrich`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<GeneratedMark>,
}

/// The fields a language model wrote into a paper, each with the hash of
/// the value written (a value that differs now is a person's), and the
/// hash of the text it was given (when that changes, the paper is asked again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedMark {
    pub source: Hash,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Hash>,
}

/// One listing as written: which digest owns it, and its values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingMark {
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub announce_type: Option<String>,
}

/// A value's hash, written as 16 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hash(pub u64);

impl Hash {
    /// FNV-1a (64 bits) of `text`: stable across machines and versions.
    pub fn of(text: &str) -> Hash {
        Hash(
            text.bytes()
                .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)),
        )
    }
}

impl Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:016x}", self.0))
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Hash, D::Error> {
        let text = String::deserialize(d)?;
        u64::from_str_radix(&text, 16).map(Hash).map_err(serde::de::Error::custom)
    }
}

#[derive(Serialize, Deserialize)]
struct Line {
    id: String,
    #[serde(flatten)]
    marks: Marks,
}

/// Every paper's marks, read from and written back to the record file.
/// Each paper's line is kept as its JSON text (a few hundred bytes) and
/// read when its paper is merged, so a large archive costs little memory.
#[derive(Debug, Default)]
pub struct Produced {
    path: PathBuf,
    papers: HashMap<Box<str>, Box<str>>,
    changed: bool,
    /// Lines that could not be read (their papers have no marks).
    pub unreadable: Vec<usize>,
}

impl Produced {
    /// Reads the record in `content`; a missing file is an empty record.
    pub fn load(content: &Path) -> Result<Produced> {
        let path = content.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::Io { action: "read", path, source: e }),
        };
        let mut produced = Produced { path, ..Produced::default() };
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            match serde_json::from_str::<Line>(line) {
                Ok(l) => {
                    produced.papers.insert(l.id.into(), line.into());
                }
                Err(_) => produced.unreadable.push(i + 1),
            }
        }
        Ok(produced)
    }

    pub fn get(&self, id: &str) -> Option<Marks> {
        self.papers.get(id).and_then(|line| serde_json::from_str::<Line>(line).ok()).map(|l| l.marks)
    }

    pub fn set(&mut self, id: &str, marks: Marks) {
        let line = serde_json::to_string(&Line { id: id.to_owned(), marks }).unwrap_or_default();
        if self.papers.get(id).map(AsRef::as_ref) != Some(line.as_str()) {
            self.papers.insert(id.into(), line.into());
            self.changed = true;
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the record back when it changed (through a temporary file).
    pub fn save(&self) -> Result<()> {
        if !self.changed {
            return Ok(());
        }
        let mut ids: Vec<&Box<str>> = self.papers.keys().collect();
        ids.sort();
        let mut text = String::with_capacity(ids.len() * 300);
        for id in ids {
            text.push_str(&self.papers[id]);
            text.push('\n');
        }
        super::write_file(&self.path, &text, self.path.exists())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fnv1a() {
        assert_eq!(Hash::of(""), Hash(0xcbf29ce484222325));
        assert_eq!(Hash::of("a"), Hash(0xaf63dc4c8601ec8c));
    }

    #[test]
    fn the_record_reads_back_and_skips_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut produced = Produced::load(dir.path()).unwrap();
        let mut marks = Marks::default();
        marks.fields.insert("title".into(), Hash::of("T"));
        marks.body = Some((Hash::of("B\n"), 2));
        marks.listed.insert(
            "2024-04-02".into(),
            ListingMark { digest: "cs.CV".into(), order: Some(3), announce_type: Some("new".into()) },
        );
        produced.set("2404.00002", marks.clone());
        produced.set("2404.00001", Marks::default());
        produced.save().unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(
            text,
            "{\"id\":\"2404.00001\"}\n{\"id\":\"2404.00002\",\"fields\":{\"title\":\"af64094c86023903\"},\
             \"body\":[\"0912de07b5aa117d\",2],\"listed\":{\"2024-04-02\":{\"digest\":\"cs.CV\",\"order\":3,\"type\":\"new\"}}}\n"
        );
        std::fs::write(dir.path().join(FILE_NAME), format!("{text}not json\n")).unwrap();
        let back = Produced::load(dir.path()).unwrap();
        assert_eq!(back.get("2404.00002"), Some(marks));
        assert_eq!(back.unreadable, [3]);
    }
}
