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
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::{self, Replace};
use crate::error::{Error, Result};
use crate::import::text::{Line as TextLine, TextReader};

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
    /// Reads the record in `content`, a line at a time, then the lines of
    /// its journal an import that was stopped left (they are newer); a
    /// missing file is an empty record. Only regular files are read: a link
    /// (to `/dev/zero`, to a file elsewhere) or a device is an error naming it.
    pub fn load(content: &Path) -> Result<Produced> {
        let path = content.join(FILE_NAME);
        let mut produced = Produced { path, ..Produced::default() };
        let record = produced.path.clone();
        produced.read_lines(&record, true)?;
        produced.changed = produced.read_lines(&journal_path(&record), false)?;
        Ok(produced)
    }

    /// Reads the lines of `path` into the marks; false when there is no file.
    fn read_lines(&mut self, path: &Path, note_unreadable: bool) -> Result<bool> {
        let Some(file) = open_regular(path)? else { return Ok(false) };
        let mut reader = TextReader::new(file);
        let mut line = Vec::new();
        loop {
            let at = match reader.read_line(&mut line).map_err(Error::io("read", path))? {
                None => return Ok(true),
                Some(TextLine::TooLong(at)) => at,
                Some(TextLine::Text(_)) if line.iter().all(u8::is_ascii_whitespace) => continue,
                Some(TextLine::Text(at)) => {
                    let text = std::str::from_utf8(&line).ok();
                    if let Some((text, l)) =
                        text.and_then(|t| Some((t, serde_json::from_str::<Line>(t).ok()?)))
                    {
                        self.papers.insert(l.id.into(), text.into());
                        continue;
                    }
                    at
                }
            };
            // A journal's last line may be cut by a kill: it is simply left out.
            if note_unreadable {
                self.unreadable.push(at.line);
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<Marks> {
        self.papers.get(id).and_then(|line| serde_json::from_str::<Line>(line).ok()).map(|l| l.marks)
    }

    /// Sets the marks of paper `id`; returns its line when it changed.
    pub fn set(&mut self, id: &str, marks: Marks) -> Option<String> {
        let line = serde_json::to_string(&Line { id: id.to_owned(), marks }).unwrap_or_default();
        if self.papers.get(id).map(AsRef::as_ref) == Some(line.as_str()) {
            return None;
        }
        self.papers.insert(id.into(), line.as_str().into());
        self.changed = true;
        Some(line)
    }

    /// The line of paper `id`, as the record has it now.
    pub fn line(&self, id: &str) -> Option<&str> {
        self.papers.get(id).map(AsRef::as_ref)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal, opened to append the lines of the papers written from now on.
    pub fn journal(&self) -> Result<Journal> {
        Journal::open(&journal_path(&self.path))
    }

    /// Writes the record back when it changed (whole, through a temporary
    /// file), then removes the journal, which it now holds.
    pub fn save(&self) -> Result<()> {
        if self.changed {
            let mut ids: Vec<&Box<str>> = self.papers.keys().collect();
            ids.sort();
            let mut text = String::with_capacity(ids.len() * 300);
            for id in ids {
                text.push_str(&self.papers[id]);
                text.push('\n');
            }
            if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
            }
            atomic::write(&self.path, text.as_bytes(), Replace::Allowed, atomic::Sync::Flush)?;
        }
        let journal = journal_path(&self.path);
        match std::fs::remove_file(&journal) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io("remove", &journal)(e)),
            _ => Ok(()),
        }
    }
}

/// `.quire-import.jsonl.quire-journal`, beside the record: the lines of
/// the papers an import has written so far, in order. The record is
/// written once, at the end; a kill before then leaves the journal, which
/// the next import reads.
fn journal_path(record: &Path) -> PathBuf {
    let name = record.file_name().unwrap_or_default().to_string_lossy();
    record.with_file_name(format!("{name}.quire-journal"))
}

/// The record's journal, appended to a line at a time.
pub struct Journal {
    path: PathBuf,
    file: std::fs::File,
}

impl Journal {
    pub fn open(path: &Path) -> Result<Journal> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
        }
        let file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .map_err(Error::io("write", path))?;
        Ok(Journal { path: path.to_path_buf(), file })
    }

    /// Appends `line` in one write: a kill leaves it whole or cut at the end.
    pub fn append(&mut self, line: &str) -> Result<()> {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        self.file.write_all(&bytes).map_err(Error::io("write", &self.path))
    }
}

/// A file opened for reading when it is there; refused when it is not a
/// regular file of its own.
fn open_regular(path: &Path) -> Result<Option<std::fs::File>> {
    let not_a_file = |what: &str| {
        Error::Usage(format!(
            "{} is {what}, not a file quire writes: remove it (move the file itself there if it \
             is an import record), then import again",
            path.display()
        ))
    };
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", path)(e)),
        Ok(m) if m.file_type().is_symlink() => return Err(not_a_file("a symbolic link")),
        Ok(_) => {}
    }
    let file = std::fs::File::open(path).map_err(Error::io("read", path))?;
    // Checked on the file opened: it may have been swapped since.
    match file.metadata().map_err(Error::io("read", path))?.is_file() {
        true => Ok(Some(file)),
        false => Err(not_a_file("not a regular file")),
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
