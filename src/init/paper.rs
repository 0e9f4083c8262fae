//! `quire new ID`: a paper file skeleton with every field of the content
//! contract, in `content/<date>/`, that builds as it is.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{create_new, fill, quote};
use crate::dates::date_argument;
use crate::error::{relative, Error, Result};
use crate::load::CONTENT_DIR;
use crate::slug::paper as slug;

const SKELETON: &str = include_str!("scaffold/new-paper.md");

/// What `quire new` was asked to do.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub id: String,
    /// `YYYY-MM-DD`; today (local time) when absent.
    pub date: Option<String>,
    pub root: PathBuf,
}

/// Writes the skeleton and returns its path; never replaces a file.
pub fn new_paper(options: &NewOptions) -> Result<PathBuf> {
    let id = options.id.trim();
    if id.is_empty() {
        return Err(Error::Usage("the paper id is empty: give one like 2404.01300".into()));
    }
    let date = match &options.date {
        Some(date) => date_argument(date)?,
        None => chrono::Local::now().date_naive(),
    };
    let folder = options.root.join(CONTENT_DIR).join(date.format("%Y-%m-%d").to_string());
    let path = relative(&folder.join(file_name(id)), Path::new("."));
    if !create_new(&path, &skeleton(id, date))? {
        return Err(Error::Usage(format!(
            "{} already exists; nothing was written (edit it, or remove it first)",
            path.display()
        )));
    }
    Ok(path)
}

/// The file name: the id's slug, which the loader reads back as the id
/// when they are the same (`2404.01300.md`; `cs/0112017` -> `cs-0112017.md`).
fn file_name(id: &str) -> String {
    format!("{}.md", slug(id))
}

/// The file's text: `id` is written only when the file name cannot carry it.
fn skeleton(id: &str, date: NaiveDate) -> String {
    let id_line = if slug(id) == id {
        format!("# id: {}  # default: the file name", quote(id))
    } else {
        format!("id: {}  # the file name cannot carry this id", quote(id))
    };
    fill(SKELETON, &[("id", &id_line), ("date", &date.format("%Y-%m-%d").to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_paper, FileKind, FIELDS};

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 4, 2).unwrap()
    }

    #[test]
    fn file_names_carry_the_id_when_they_can() {
        assert_eq!(file_name("2404.01300"), "2404.01300.md");
        assert_eq!(file_name("cs/0112017"), "cs-0112017.md");
        assert!(skeleton("2404.01300", date()).starts_with("---\n# id: \"2404.01300\""));
        assert!(skeleton("cs/0112017", date()).starts_with("---\nid: \"cs/0112017\""));
    }

    #[test]
    fn the_skeleton_shows_every_field_of_the_contract() {
        let text = skeleton("2404.01300", date());
        for field in FIELDS {
            assert!(
                text.lines().any(|l| l.trim_start_matches("# ").starts_with(&format!("{field}:"))),
                "{field} is missing:\n{text}"
            );
        }
        assert!(text.contains("# date: 2024-04-02 "), "{text}");
    }

    #[test]
    fn skeletons_load_as_they_are() {
        let root = tempfile::tempdir().unwrap();
        for id in ["2404.01300", "cs/0112017", "a \"quoted\" id", "..", "notes_1"] {
            let options =
                NewOptions { id: id.into(), date: Some("2024-04-02".into()), root: root.path().into() };
            let path = new_paper(&options).unwrap();
            let paper =
                load_paper(root.path(), &path, FileKind::Markdown).unwrap_or_else(|d| panic!("{d:#?}"));
            assert_eq!((paper.id.as_str(), paper.date), (id, date()));
            assert!(paper.title.starts_with("TODO"), "{paper:?}");
        }
    }

    #[test]
    fn existing_files_and_bad_dates_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let options =
            NewOptions { id: "2404.01300".into(), date: Some("2024-04-02".into()), root: root.path().into() };
        let path = new_paper(&options).unwrap();
        std::fs::write(&path, "mine").unwrap();
        assert!(matches!(new_paper(&options), Err(Error::Usage(m)) if m.contains("already exists")));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        for bad in ["2024-13-01", "2024-4-2", "yesterday"] {
            let options = NewOptions { date: Some(bad.into()), ..options.clone() };
            assert!(matches!(new_paper(&options), Err(Error::Usage(m)) if m.contains("YYYY-MM-DD")), "{bad}");
        }
        assert!(matches!(new_paper(&NewOptions { id: " ".into(), ..options }), Err(Error::Usage(_))));
    }
}
