//! Import, filling fields of one paper file in place: how `quire enrich`
//! writes what a language model answered. The file is edited line by line
//! like an import's merge ([`Doc`]: every other line, comment and a
//! person's formatting stays as written), checked with the loader, and
//! replaced whole through a temporary file, so no reader sees half of it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::doc::Doc;
use super::fields::{list_yaml, text_yaml};
use super::produced::Hash;
use crate::load::{FileKind, Paper, Written};
use crate::text::quote;

/// A paper file open for filling.
pub struct PaperFile {
    path: PathBuf,
    before: String,
    doc: Doc,
    /// The file as the loader read it when it was opened.
    written: Written,
    paper: Paper,
    /// The hash of each field set since.
    filled: HashMap<String, Hash>,
}

impl PaperFile {
    /// Reads the paper at `path`; it must load as it is.
    pub fn open(path: &Path) -> Result<PaperFile, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let super::Opened { written, paper, doc } = super::open(path, &text)?;
        Ok(PaperFile { path: path.to_path_buf(), before: text, doc, written, paper, filled: HashMap::new() })
    }

    /// The paper as the loader read it when the file was opened.
    pub fn paper(&self) -> &Paper {
        &self.paper
    }

    /// The hash of a field's value as the file has it now (`None`: absent
    /// or blank): `translated_title`, `summary`, `body` or `tags`.
    pub fn hash(&self, field: &str) -> Option<Hash> {
        if let Some(hash) = self.filled.get(field) {
            return Some(*hash);
        }
        let fields = self.written.fields();
        let text = match field {
            "translated_title" => fields.translated_title().map(str::to_owned),
            "summary" => fields.summary().map(str::to_owned),
            "body" => Some(self.written.body().to_owned()),
            "tags" => Some(fields.tags().join("\u{1f}")),
            _ => None,
        };
        text.filter(|t| !t.trim().is_empty()).map(|t| Hash::of(&t))
    }

    /// Sets one field to `value` (tags: one per line); returns the hash
    /// [`Self::hash`] gives for it from now on.
    pub fn set(&mut self, field: &str, value: &str) -> Hash {
        let hash = match field {
            "body" => {
                let body = format!("{}\n", value.trim_end());
                match self.written.kind() {
                    FileKind::Markdown => self.doc.body = body.clone(),
                    FileKind::Yaml => self.doc.set("body", &text_yaml("body", &body)),
                }
                Hash::of(&body)
            }
            "tags" => {
                let tags: Vec<String> = value.lines().map(str::to_owned).collect();
                self.doc.set("tags", &list_yaml("tags", &tags));
                Hash::of(&tags.join("\u{1f}"))
            }
            _ => {
                self.doc.set(field, &text_yaml(field, value));
                Hash::of(value)
            }
        };
        self.filled.insert(field.to_owned(), hash);
        hash
    }

    /// Writes `generated:` (model, date, fields), or removes it when no field is the model's.
    pub fn set_generated(&mut self, by: &str, date: &str, fields: &[String]) {
        if fields.is_empty() {
            self.doc.set("generated", "");
            return;
        }
        let names: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        let yaml = format!(
            "generated:\n  by: {}\n  date: {}\n  fields: [{}]\n",
            quote(by),
            quote(date),
            names.join(", ")
        );
        self.doc.set("generated", &yaml);
    }

    /// Writes the file when it changed (a temporary file renamed into
    /// place), after checking that it loads; `Ok(false)`: nothing changed.
    pub fn save(&self) -> Result<bool, String> {
        let text = self.doc.render();
        if text == self.before {
            return Ok(false);
        }
        if let Err(d) = crate::load::parse_paper(&self.path, text.clone(), self.written.kind()) {
            let first = d.first().map_or(String::new(), ToString::to_string);
            return Err(format!("the answer would break {}: {first}", self.path.display()));
        }
        super::atomic::write(
            &self.path,
            text.as_bytes(),
            super::atomic::Replace::Allowed,
            super::atomic::Sync::Later,
        )
        .map_err(|e| e.chain())?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn fields_are_filled_in_place_and_read_back() {
        let text = "---\ntitle: \"T\"  # the original\ndate: 2024-04-02\nmine: 1\n---\n";
        let (_dir, path) = file(text, "a.md");
        let text = text.replace("mine: 1\n", "");
        std::fs::write(&path, &text).unwrap();
        let mut paper = PaperFile::open(&path).unwrap();
        assert_eq!(paper.hash("summary"), None);
        assert_eq!(paper.hash("body"), None, "an empty body is missing");
        let summary = paper.set("summary", "一句话：\"引号\" 与 --- 横线");
        let body = paper.set("body", "译文。\n\n---\n\n第二段");
        let tags = paper.set("tags", "nerf\n3d");
        paper.set_generated("deepseek-chat", "2024-04-03", &["summary".into(), "body".into()]);
        assert!(paper.save().unwrap());
        let again = PaperFile::open(&path).unwrap();
        assert_eq!(
            (again.hash("summary"), again.hash("body"), again.hash("tags")),
            (Some(summary), Some(body), Some(tags))
        );
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(saved.starts_with("---\ntitle: \"T\"  # the original\n"), "{saved}");
        let loaded = crate::load::parse_paper(&path, saved, FileKind::Markdown).unwrap();
        assert_eq!(loaded.body, "译文。\n\n---\n\n第二段\n");
        assert_eq!(loaded.tags, ["nerf", "3d"]);
        let generated = loaded.generated.unwrap();
        assert_eq!((generated.by.as_str(), generated.fields.len()), ("deepseek-chat", 2));
        assert!(!again.save().unwrap(), "nothing changed");
    }

    #[test]
    fn a_yaml_paper_gets_its_body_as_a_field() {
        let (_dir, path) = file("title: T\ndate: 2024-04-02\n", "a.yaml");
        let mut paper = PaperFile::open(&path).unwrap();
        let hash = paper.set("body", "两行\n文字");
        paper.save().unwrap();
        assert_eq!(PaperFile::open(&path).unwrap().hash("body"), Some(hash));
        let mut paper = PaperFile::open(&path).unwrap();
        paper.set_generated("m", "2024-04-03", &[]);
        assert!(!paper.save().unwrap(), "no `generated` to remove");
    }

    #[test]
    fn a_file_that_does_not_load_is_not_opened() {
        let (_dir, path) = file("---\ntitle: T\n---\n", "a.md");
        assert!(PaperFile::open(&path).err().unwrap().contains("does not load"));
    }
}
