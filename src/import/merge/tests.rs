//! The merge rules, shown on real files in a temporary content folder.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::*;
use crate::import::record::Record;
use crate::load::{parse_paper, FileKind, Paper};

struct Content {
    dir: tempfile::TempDir,
}

impl Content {
    fn new() -> Content {
        Content { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    fn paper(&self, rel: &str) -> Paper {
        let kind = if rel.ends_with(".yaml") { FileKind::Yaml } else { FileKind::Markdown };
        parse_paper(Path::new(rel), self.read(rel), kind).unwrap_or_else(|d| panic!("{d:#?}"))
    }

    /// Merges `records` in one run; the outcomes by id and the kept notes.
    fn import(&self, records: &[Record], force: bool) -> (Vec<Option<Outcome>>, Vec<String>) {
        let options = MergeOptions {
            into: self.dir.path().into(),
            content: self.dir.path().into(),
            force,
            writes: Writes::Now,
        };
        let mut merger = Merger::new(options).unwrap();
        for r in records {
            merger.apply(r, Path::new("input"), 0).unwrap().unwrap_or_else(|d| panic!("{d}"));
        }
        let outcomes = records.iter().map(|r| merger.outcome(&r.id)).collect();
        let kept = merger.kept.clone();
        merger.finish().unwrap();
        (outcomes, kept)
    }

    fn files(&self) -> Vec<String> {
        crate::load::paper_files_under(self.dir.path())
            .unwrap()
            .into_iter()
            .map(|(p, _)| p.strip_prefix(self.dir.path()).unwrap().display().to_string())
            .collect()
    }
}

fn record(id: &str, date: &str, order: i64) -> Record {
    Record {
        id: id.into(),
        line: order as usize,
        date: crate::dates::parse_day(date).unwrap(),
        order: Some(order),
        announce_type: Some("new"),
        digest: "cs.CV".into(),
        title: Some(format!("Title of {id}")),
        translated_title: Some("译名".into()),
        summary: Some("总结。".into()),
        abstract_md: Some("An abstract.".into()),
        body: Some("译文。".into()),
        categories: vec!["cs.CV".into()],
        ..Record::default()
    }
}

const ID: &str = "2404.00001";
const FILE: &str = "2024-04-02/2404.00001.md";

#[test]
fn a_new_paper_gets_a_file_that_loads_and_the_same_record_again_changes_nothing() {
    let content = Content::new();
    let r = Record {
        extra: vec![("truncated", Json::Bool(true))],
        authors: Some(vec!["A B".into()]),
        ..record(ID, "2024-04-02", 3)
    };
    assert_eq!(content.import(std::slice::from_ref(&r), false).0, [Some(Outcome::Added)]);
    let paper = content.paper(FILE);
    assert_eq!((paper.id.as_str(), paper.order, paper.announce_type.as_deref()), (ID, Some(3), Some("new")));
    assert_eq!((paper.title.as_str(), paper.body.as_str()), ("Title of 2404.00001", "译文。\n"));
    assert_eq!(paper.extra["truncated"], Json::Bool(true));
    let before = content.read(FILE);
    let record_file = content.read(RECORD_FILE);
    assert_eq!(content.import(&[r], false).0, [Some(Outcome::Unchanged)]);
    assert_eq!((content.read(FILE), content.read(RECORD_FILE)), (before, record_file));
}

#[test]
fn a_later_version_updates_what_the_producer_wrote_and_keeps_what_a_person_wrote() {
    let content = Content::new();
    content.import(&[record(ID, "2024-04-02", 3)], false);
    let edited = content
        .read(FILE)
        .replace("summary: \"总结。\"", "summary: \"我的总结。\"")
        .replace("categories:", "tags: [\"mine\"]\ncategories:")
        .replace(
            "---\n译文。\n",
            "extra:\n  note: \"mine\"  # a comment\ndraft: false\n---\n译文。\n\nMy notes.\n",
        );
    content.write(FILE, &edited);
    let v2 = Record {
        title: Some("Retranslated".into()),
        summary: Some("新总结。".into()),
        body: Some("新译文。".into()),
        ..record(ID, "2024-04-02", 3)
    };
    let (outcomes, kept) = content.import(std::slice::from_ref(&v2), false);
    assert_eq!(outcomes, [Some(Outcome::Updated)]);
    let paper = content.paper(FILE);
    assert_eq!(paper.title, "Retranslated", "the producer's field follows the producer");
    assert_eq!(paper.summary.as_deref(), Some("我的总结。"), "a person's summary is kept");
    assert_eq!(paper.body, "新译文。\n\nMy notes.\n", "notes below the producer's text stay");
    assert_eq!(
        (paper.tags.clone(), paper.extra["note"].clone()),
        (vec!["mine".to_owned()], Json::from("mine"))
    );
    assert!(content.read(FILE).contains("note: \"mine\"  # a comment\ndraft: false\n"));
    assert_eq!(kept, [format!("{}: kept summary", content.path(FILE).display())]);
    assert_eq!(content.import(&[v2], false), (vec![Some(Outcome::Unchanged)], vec![]), "said once");
}

#[test]
fn a_body_a_person_rewrote_is_kept() {
    let content = Content::new();
    content.import(&[record(ID, "2024-04-02", 3)], false);
    content.write(FILE, &content.read(FILE).replace("译文。", "我改写的译文。"));
    let v2 = Record { body: Some("新译文。".into()), ..record(ID, "2024-04-02", 3) };
    let (_, kept) = content.import(&[v2], true);
    assert_eq!(content.paper(FILE).body, "我改写的译文。\n", "not even --force replaces a body");
    assert!(kept[0].ends_with("kept body"), "{kept:?}");
}

#[test]
fn a_paper_anywhere_in_content_is_updated_in_its_own_file() {
    let content = Content::new();
    content.write(
        "notes/by-hand.md",
        &format!("---\nid: \"{ID}\"\ntitle: \"Mine\"\ndate: 2024-03-30\n---\nMine.\n"),
    );
    let (outcomes, kept) = content.import(&[record(ID, "2024-04-02", 3)], false);
    assert_eq!(outcomes, [Some(Outcome::Updated)]);
    assert_eq!(content.files(), ["notes/by-hand.md"], "never a second file");
    let paper = content.paper("notes/by-hand.md");
    assert_eq!((paper.title.as_str(), paper.body.as_str()), ("Mine", "Mine.\n"), "no record: a person's");
    assert_eq!(paper.date.to_string(), "2024-03-30");
    let listed: Vec<_> =
        paper.listed.iter().map(|l| (l.date.to_string(), l.order, l.announce_type.clone())).collect();
    assert_eq!(listed, [("2024-04-02".to_owned(), Some(3), Some("new".to_owned()))]);
    assert_eq!(paper.categories, ["cs.CV"]);
    assert!(kept[0].ends_with("kept title, body"), "{kept:?}");
    content.import(&[record(ID, "2024-04-02", 3)], true);
    assert_eq!(
        content.paper("notes/by-hand.md").title,
        "Title of 2404.00001",
        "--force takes the producer's"
    );
}

#[test]
fn listings_are_added_by_date_and_the_earliest_is_the_papers_date() {
    let content = Content::new();
    let later = Record { announce_type: Some("replace"), ..record(ID, "2024-04-09", 17) };
    content.import(&[record(ID, "2024-04-02", 3), later.clone()], false);
    let paper = content.paper(FILE);
    assert_eq!((paper.date.to_string(), paper.order), ("2024-04-02".to_owned(), Some(3)));
    assert_eq!(paper.listed.len(), 1);
    assert_eq!(
        (paper.listed[0].date.to_string(), paper.listed[0].announce_type.as_deref()),
        ("2024-04-09".to_owned(), Some("replace"))
    );
    let earlier = Record { announce_type: None, order: None, ..record(ID, "2024-03-28", 0) };
    assert_eq!(content.import(&[earlier], false).0, [Some(Outcome::Updated)]);
    let paper = content.paper(FILE);
    assert_eq!(
        (paper.date.to_string(), paper.order, paper.announce_type),
        ("2024-03-28".to_owned(), None, None)
    );
    let dates: Vec<String> = paper.listed.iter().map(|l| l.date.to_string()).collect();
    assert_eq!(dates, ["2024-04-02", "2024-04-09"]);
    assert_eq!(content.files(), [FILE]);
    assert_eq!(content.import(&[later], false).0, [Some(Outcome::Unchanged)]);
}

#[test]
fn the_digests_of_one_day_merge_into_one_listing_owned_by_the_papers_home() {
    let content = Content::new();
    let cross = Record {
        digest: "cs.LG".into(),
        announce_type: Some("cross"),
        categories: vec!["cs.LG".into()],
        ..record(ID, "2024-04-02", 40)
    };
    let home = Record { categories: vec!["cs.CV".into(), "cs.LG".into()], ..record(ID, "2024-04-02", 3) };
    content.import(&[cross.clone(), home.clone()], false);
    let paper = content.paper(FILE);
    assert_eq!((paper.order, paper.announce_type.as_deref(), paper.listed.len()), (Some(3), Some("new"), 0));
    assert_eq!(paper.categories, ["cs.LG", "cs.CV"]);
    for order in [[cross.clone(), home.clone()], [home, cross]] {
        assert_eq!(content.import(&order, false).0, [Some(Outcome::Unchanged); 2], "either order, no change");
    }
}

#[test]
fn what_a_person_removed_stays_removed() {
    let content = Content::new();
    let r = Record { tags: Some(vec!["a".into(), "b".into()]), ..record(ID, "2024-04-02", 3) };
    content.import(&[r.clone(), record(ID, "2024-04-09", 5)], false);
    let text = content.read(FILE);
    let start = text.find("listed:").unwrap();
    let end = text[start..].find("extra").map_or(text[start..].find("abstract").unwrap(), |e| e) + start;
    let edited = text[..start].to_owned() + &text[end..];
    content.write(FILE, &edited.replace("tags: [\"a\", \"b\"]", "tags: [\"a\", \"mine\"]"));
    let r2 = Record { tags: Some(vec!["a".into(), "b".into(), "c".into()]), ..r };
    content.import(&[r2, record(ID, "2024-04-09", 5)], false);
    let paper = content.paper(FILE);
    assert!(paper.listed.is_empty(), "the listing a person removed");
    assert_eq!(paper.tags, ["a", "mine", "c"], "b stays removed, c is new");
}

#[test]
fn a_file_that_does_not_load_is_never_touched_and_stops_the_import() {
    let content = Content::new();
    content.write(FILE, &format!("---\nid: \"{ID}\"\ntitel: x\n---\n"));
    let options =
        MergeOptions { into: content.path(""), content: content.path(""), force: true, writes: Writes::Now };
    let Err(Error::Site(problems)) = Merger::new(options) else { panic!("the import started") };
    let shown = problems[0].to_string();
    assert!(shown.contains(&format!("{FILE}:3:1: unknown field `titel`")), "{shown}");
    assert_eq!(content.read(FILE), format!("---\nid: \"{ID}\"\ntitel: x\n---\n"));
}

#[test]
fn yaml_papers_are_edited_in_place_too() {
    let content = Content::new();
    content.write(
        "mine.yaml",
        &format!("id: \"{ID}\"\ntitle: Mine  # by hand\ndate: 2024-04-02\nbody: |\n  Old.\n"),
    );
    content.import(&[Record { body: Some("Old.".into()), ..record(ID, "2024-04-02", 3) }], false);
    let paper = content.paper("mine.yaml");
    assert_eq!((paper.title.as_str(), paper.order, paper.body.as_str()), ("Mine", Some(3), "Old.\n"));
    let text = content.read("mine.yaml");
    assert!(
        text.starts_with(&format!(
            "id: \"{ID}\"\ntitle: Mine  # by hand\ntranslated_title: \"译名\"\ndate: 2024-04-02\norder: 3\n"
        )),
        "{text}"
    );
}

#[test]
fn with_writes_at_the_end_nothing_is_written_before_finish() {
    let content = Content::new();
    let options = MergeOptions {
        into: content.path(""),
        content: content.path(""),
        force: false,
        writes: Writes::AtEnd,
    };
    let mut merger = Merger::new(options).unwrap();
    merger.apply(&record(ID, "2024-04-02", 3), Path::new("in"), 0).unwrap().unwrap();
    merger.apply(&record(ID, "2024-04-09", 4), Path::new("in"), 0).unwrap().unwrap();
    assert!(content.files().is_empty() && !content.path(RECORD_FILE).exists());
    assert_eq!(merger.outcome(ID), Some(Outcome::Added));
    merger.finish().unwrap();
    assert_eq!(content.paper(FILE).listed.len(), 1);
}

#[test]
fn a_dry_run_merges_held_back_files_and_leaves_nothing() {
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    let options =
        MergeOptions { into: content.clone(), content: content.clone(), force: false, writes: Writes::Never };
    let mut merger = Merger::new(options).unwrap();
    merger.apply(&record(ID, "2024-04-02", 3), Path::new("in"), 0).unwrap().unwrap();
    let later = Record { summary: Some("新总结。".into()), ..record(ID, "2024-04-09", 4) };
    merger.apply(&later, Path::new("in"), 0).unwrap().unwrap();
    let changes = merger.changes();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        (changes[0].0.strip_prefix(&content).unwrap(), changes[0].1),
        (Path::new(FILE), Outcome::Added)
    );
    merger.finish().unwrap();
    let left: Vec<_> = fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "{left:?}");
}
