//! `quire new ID`: a paper file skeleton with every field of the content
//! contract, in `content/<date>/` of a site, that builds as it is (as a
//! draft, like Hugo's `new`). Text where TeX may go is in single quotes or
//! a block, where a backslash is just a backslash.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{create_new, fill, quote};
use crate::dates::{date_argument, format_day};
use crate::error::{relative, Error, Result};
use crate::layout::CONTENT_DIR;
use crate::load::Paper;
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

/// Writes the skeleton and returns its path; never replaces a file, and
/// writes nothing outside a site (a folder with `site.toml`).
pub fn new_paper(options: &NewOptions) -> Result<PathBuf> {
    let id = options.id.trim();
    if id.is_empty() {
        return Err(Error::Usage("the paper id is empty: give one like 2404.01300".into()));
    }
    if let Some(problem) = crate::slug::problem(&slug(id)) {
        return Err(Error::Usage(format!(
            "the paper id `{}` {problem}: the id names its file and its page's folder; use another one",
            abbreviated(id)
        )));
    }
    if !options.root.join(crate::layout::CONFIG_FILE).is_file() {
        return Err(Error::NoSite(options.root.clone()));
    }
    let date = match &options.date {
        Some(date) => date_argument(date)?,
        None => chrono::Local::now().date_naive(),
    };
    if let Some(paper) = paper_with_id(&options.root, id)? {
        return Err(Error::PaperExists {
            id: id.to_owned(),
            path: paper.source.clone(),
            advice: listed_again(&paper, date),
        });
    }
    let folder = options.root.join(CONTENT_DIR).join(format_day(date));
    let path = relative(&folder.join(file_name(id)), Path::new("."));
    if !create_new(&path, skeleton(id, date))? {
        return Err(Error::Usage(format!(
            "{} already exists; nothing was written (edit it, or remove it first)",
            path.display()
        )));
    }
    Ok(path)
}

/// The paper of the site at `root` whose id is `id` (or shares its page),
/// if there is one; files that do not load are left out. Only the files
/// named after it or holding its text are parsed: a large archive is
/// searched in a blink.
fn paper_with_id(root: &Path, id: &str) -> Result<Option<Paper>> {
    use rayon::prelude::*;
    if !root.join(CONTENT_DIR).is_dir() {
        return Ok(None);
    }
    let page = slug(id).to_ascii_lowercase();
    let named =
        |path: &Path| path.file_stem().is_some_and(|s| s.to_string_lossy().to_ascii_lowercase() == page);
    let holds =
        |path: &Path| std::fs::read(path).is_ok_and(|b| memchr::memmem::find(&b, id.as_bytes()).is_some());
    let found = crate::load::paper_files(root)?.into_par_iter().filter_map(|(path, kind)| {
        if !named(&path) && !holds(&path) {
            return None;
        }
        let paper = crate::load::load_paper(root, &path, kind).ok()?;
        (paper.id == id || paper.slug.to_ascii_lowercase() == page).then_some(paper)
    });
    // The first in path order, as the build names a clash.
    Ok(found.min_by(|a, b| a.source.cmp(&b.source)))
}

/// What to do when `paper` is asked for again on `date`: one paper is one
/// file, and a further digest that lists it is a `listed` entry in it.
fn listed_again(paper: &Paper, date: NaiveDate) -> String {
    let day = format_day(date);
    if paper.date == date {
        return format!("It is dated {day} already: edit that file.");
    }
    if paper.listed.iter().any(|l| l.date == date) {
        return format!("It is listed on {day} already (`listed:`): edit that file.");
    }
    let add = match paper.listed.is_empty() {
        true => format!("add to its front matter:\n  listed:\n    - date: {day}"),
        false => format!("add under its `listed:`:\n    - date: {day}"),
    };
    format!(
        "To list the same paper in the digest of {day} too, {add}\n(README: \"One paper, several \
         digests\"); if it is another paper, give it another id."
    )
}

/// `id`, or its start and end around `…` when it is too long to read.
fn abbreviated(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 60 {
        return id.to_owned();
    }
    let (start, end) = (&chars[..40], &chars[chars.len() - 10..]);
    format!(
        "{}…{} ({} characters)",
        start.iter().collect::<String>(),
        end.iter().collect::<String>(),
        chars.len()
    )
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
    fill(SKELETON, &[("id", &id_line), ("date", &format_day(date))])
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
    fn an_id_too_long_for_a_file_name_is_refused_by_name() {
        let root = site();
        let id = format!("long-{}", "a".repeat(295));
        let options =
            NewOptions { id: id.clone(), date: Some("2024-04-02".into()), root: root.path().into() };
        let Err(Error::Usage(message)) = new_paper(&options) else { panic!("a 300-character id is refused") };
        assert!(message.contains("`long-aaaa") && message.contains("(300 characters)"), "{message}");
        assert!(message.contains("at most 200"), "{message}");
        assert!(!root.path().join("content").exists(), "nothing is written");
        let fits = NewOptions { id: "a".repeat(200), ..options };
        assert!(new_paper(&fits).is_ok());
    }

    #[test]
    fn skeletons_load_as_they_are() {
        let root = site();
        for id in ["2404.01300", "cs/0112017", "a \"quoted\" id", "..", "notes_1"] {
            let options =
                NewOptions { id: id.into(), date: Some("2024-04-02".into()), root: root.path().into() };
            let path = new_paper(&options).unwrap();
            let paper =
                load_paper(root.path(), &path, FileKind::Markdown).unwrap_or_else(|d| panic!("{d:#?}"));
            assert_eq!((paper.id.as_str(), paper.date), (id, date()));
            assert!(paper.title.starts_with("TODO"), "{paper:?}");
            assert!(paper.draft, "a new paper is a draft");
        }
    }

    /// An empty site: a folder with a site.toml.
    fn site() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("site.toml"), "title = \"T\"\nbase_url = \"/\"\n").unwrap();
        root
    }

    #[test]
    fn tex_written_into_the_skeleton_loads_as_written() {
        let text: String = skeleton("2404.01300", date())
            .replace("title: 'TODO: the paper''s original title'", r"title: 'On $\mathbb{R}^n$, it''s fine'")
            .replace("summary: ''", r"summary: '$x \in \mathbb{R}$ and \textit{y}'")
            .lines()
            .map(|l| match l.starts_with("abstract: |") {
                true => format!("{l}\n  We show $\\sum_i x_i \\le 1$.\n  Twice.\n"),
                false => format!("{l}\n"),
            })
            .collect();
        let root = site();
        let rel = Path::new("content/2024-04-02/2404.01300.md");
        std::fs::create_dir_all(root.path().join("content/2024-04-02")).unwrap();
        std::fs::write(root.path().join(rel), &text).unwrap();
        let paper = load_paper(root.path(), &root.path().join(rel), FileKind::Markdown)
            .unwrap_or_else(|d| panic!("{d:#?}\n{text}"));
        assert_eq!(paper.title, r"On $\mathbb{R}^n$, it's fine");
        assert_eq!(paper.summary.as_deref(), Some(r"$x \in \mathbb{R}$ and \textit{y}"));
        assert_eq!(paper.abstract_md.as_deref(), Some("We show $\\sum_i x_i \\le 1$.\nTwice."));
    }

    #[test]
    fn outside_a_site_nothing_is_written() {
        let root = tempfile::tempdir().unwrap();
        let options =
            NewOptions { id: "2404.01300".into(), date: Some("2024-04-02".into()), root: root.path().into() };
        assert!(matches!(new_paper(&options), Err(Error::NoSite(r)) if r == root.path()));
        assert!(!root.path().join("content").exists());
    }

    #[test]
    fn an_id_the_site_has_is_told_to_be_listed_again() {
        let root = site();
        let on = |date: &str| NewOptions {
            id: "2404.01300".into(),
            date: Some(date.into()),
            root: root.path().into(),
        };
        let first = new_paper(&on("2024-04-02")).unwrap();
        let Err(Error::PaperExists { id, path, advice }) = new_paper(&on("2024-04-05")) else {
            panic!("refused")
        };
        assert_eq!(
            (id.as_str(), path.as_path()),
            ("2404.01300", Path::new("content/2024-04-02/2404.01300.md"))
        );
        assert!(advice.ends_with("too, add to its front matter:\n  listed:\n    - date: 2024-04-05\n(README: \"One paper, several digests\"); if it is another paper, give it another id."), "{advice}");
        assert!(!root.path().join("content/2024-04-05").exists(), "nothing is written");
        // Its listing added, a third date is added under it; the dates it has are told so.
        let text = std::fs::read_to_string(&first).unwrap().replacen(
            "\n---\n",
            "\nlisted:\n  - date: 2024-04-05\n---\n",
            1,
        );
        std::fs::write(&first, text).unwrap();
        let Err(Error::PaperExists { advice, .. }) = new_paper(&on("2024-04-09")) else { panic!() };
        assert!(advice.contains("add under its `listed:`:\n    - date: 2024-04-09\n"), "{advice}");
        let Err(Error::PaperExists { advice, .. }) = new_paper(&on("2024-04-05")) else { panic!() };
        assert_eq!(advice, "It is listed on 2024-04-05 already (`listed:`): edit that file.");
        // Another file name with the same id is the same paper.
        let other = NewOptions { id: "2404.01300".into(), ..on("2024-04-02") };
        std::fs::rename(&first, root.path().join("content/2024-04-02/renamed.md")).unwrap();
        let text = std::fs::read_to_string(root.path().join("content/2024-04-02/renamed.md")).unwrap();
        std::fs::write(root.path().join("content/2024-04-02/renamed.md"), text.replace("# id: ", "id: "))
            .unwrap();
        let Err(Error::PaperExists { advice, .. }) = new_paper(&other) else { panic!() };
        assert_eq!(advice, "It is dated 2024-04-02 already: edit that file.");
    }

    #[test]
    fn existing_files_and_bad_dates_are_refused() {
        let root = site();
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
