//! The site core on a real folder: edits in place, regrouping, files left
//! waiting and problems, each checked against a fresh load of the same files.

use std::collections::BTreeMap;
use std::path::Path;

use axum::body::Bytes;

use super::{Changes, Site};
use crate::error::Diagnostic;
use crate::write::Memory as Files;

const PAPERS: &[(&str, &str)] = &[
    ("a", "---\ntitle: A\ndate: 2024-04-01\ncategories: [cs.CV]\ntags: [nerf]\n---\nSee [[b]].\n"),
    ("b", "---\ntitle: B\ndate: 2024-04-01\ncategories: [cs.CV]\n---\nBody of b.\n"),
    ("c", "---\ntitle: C\ndate: 2024-04-02\ntags: [nerf]\n---\nBody of c.\n"),
    ("d", "---\ntitle: D\ndate: 2024-04-03\n---\nBody of d.\n"),
];

fn site_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"T\"\nbase_url = \"http://127.0.0.1:1111/\"\n")
        .unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    for (id, text) in PAPERS {
        std::fs::write(dir.path().join(format!("content/{id}.md")), text).unwrap();
    }
    dir
}

/// What applying a change and emitting its plan did.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Changed(usize),
    Unchanged,
    Failed(Vec<Diagnostic>),
}

fn apply(site: &mut Site, files: &Files, changes: &Changes) -> Outcome {
    match site.apply(changes) {
        Err(problems) => Outcome::Failed(problems),
        Ok(applied) => {
            site.emit(&applied.plan, files).unwrap();
            match applied.plan.len() {
                0 => Outcome::Unchanged,
                n => Outcome::Changed(n),
            }
        }
    }
}

fn render_waiting(site: &mut Site, files: &Files) {
    let plan = site.waiting();
    site.emit(&plan, files).unwrap();
}

fn loaded(root: &Path) -> (Site, Files) {
    let files = Files::default();
    let mut site = Site::open(root, false, "http://127.0.0.1:1111".into());
    assert!(matches!(apply(&mut site, &files, &Changes::everything()), Outcome::Changed(_)));
    render_waiting(&mut site, &files);
    (site, files)
}

/// Saves a paper and rebuilds, leaving feeds, data and the index waiting.
fn save(site: &mut Site, files: &Files, id: &str, text: &str) -> Outcome {
    let path = site.root().join(format!("content/{id}.md"));
    std::fs::write(&path, text).unwrap();
    apply(site, files, &Changes { papers: [path].into(), ..Changes::default() })
}

fn edit(site: &mut Site, files: &Files, id: &str, text: &str) -> Outcome {
    let outcome = save(site, files, id, text);
    render_waiting(site, files);
    outcome
}

/// Tells one grouping from another.
fn grouping(site: &Site) -> Option<*const crate::group::Digest> {
    site.built.as_ref().map(|b| b.model.digests.as_ptr())
}

fn snapshot(files: &Files) -> BTreeMap<String, Bytes> {
    files.read().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[test]
fn edits_in_place_render_only_their_pages_and_equal_a_fresh_load() {
    let dir = site_folder();
    let (mut site, files) = loaded(dir.path());
    let all = files.read().unwrap().len();
    let before = grouping(&site);
    // Text only: the paper stays in place. Its title is shown by `a`, which cites it.
    let outcome = edit(
        &mut site,
        &files,
        "b",
        "---\ntitle: B renamed\ndate: 2024-04-01\ncategories: [cs.CV]\nsummary: New $x$\n---\nNew body.\n",
    );
    let Outcome::Changed(n) = outcome else { panic!("{outcome:?}") };
    assert!(n < all / 2, "{n} of {all} files rendered again for one edit");
    assert_eq!(grouping(&site), before, "the papers were grouped again");
    // A new date moves the paper: regrouped.
    edit(&mut site, &files, "d", "---\ntitle: D\ndate: 2024-04-04\n---\nBody of d.\n");
    assert_ne!(grouping(&site), before);
    edit(
        &mut site,
        &files,
        "c",
        "---\ntitle: C\ndate: 2024-04-02\ntags: [nerf]\nabstract: An abstract.\n---\nBody.\n",
    );
    let (_, fresh) = loaded(dir.path());
    assert_eq!(snapshot(&files), snapshot(&fresh));
    let paper_a = String::from_utf8_lossy(&snapshot(&files)["paper/a/index.html"]).into_owned();
    assert!(paper_a.contains("B renamed"), "the citing paper shows the new title");
}

#[test]
fn files_left_waiting_by_one_rebuild_are_rendered_after_the_next() {
    let dir = site_folder();
    let (mut site, files) = loaded(dir.path());
    let saves = [
        ("b", "---\ntitle: B2\ndate: 2024-04-01\ncategories: [cs.CV]\n---\nIn place.\n"),
        ("c", "---\ntitle: C2\ndate: 2024-04-02\ntags: [nerf]\n---\nIn place too.\n"),
        ("d", "---\ntitle: D2\ndate: 2024-03-30\n---\nMoved.\n"),
        ("b", "---\ntitle: B3\ndate: 2024-04-01\ncategories: [cs.CV]\n---\nIn place again.\n"),
    ];
    for (id, text) in saves {
        assert!(matches!(save(&mut site, &files, id, text), Outcome::Changed(_)));
    }
    render_waiting(&mut site, &files);
    let (_, fresh) = loaded(dir.path());
    assert_eq!(snapshot(&files), snapshot(&fresh));
}

#[test]
fn a_paper_broken_then_fixed_takes_its_old_place_with_the_edits_made_meanwhile() {
    let dir = site_folder();
    let (mut site, files) = loaded(dir.path());
    let before = snapshot(&files);
    let grouped = grouping(&site);
    // Caught half-written by the watcher: an error, the last good pages stay.
    assert!(matches!(save(&mut site, &files, "b", ""), Outcome::Failed(_)));
    let edited_c = "---\ntitle: C edited meanwhile\ndate: 2024-04-02\ntags: [nerf]\n---\nBody of c.\n";
    assert!(matches!(save(&mut site, &files, "c", edited_c), Outcome::Failed(_)));
    assert_eq!(snapshot(&files), before, "nothing is rendered while a file has a problem");
    let fixed = "---\ntitle: B fixed\ndate: 2024-04-01\ncategories: [cs.CV]\n---\nBody of b.\n";
    assert!(matches!(edit(&mut site, &files, "b", fixed), Outcome::Changed(_)));
    assert_eq!(grouping(&site), grouped, "the papers were grouped again");
    let (_, fresh) = loaded(dir.path());
    assert_eq!(snapshot(&files), snapshot(&fresh));
    // Put back as it was before the problem: nothing to render, and the
    // problem is over.
    assert!(matches!(save(&mut site, &files, "b", ""), Outcome::Failed(_)));
    assert_eq!(edit(&mut site, &files, "b", fixed), Outcome::Unchanged);
}

#[test]
fn a_paper_that_enters_a_term_feed_is_shown_there_with_its_text() {
    let dir = site_folder();
    let toml = "title = \"T\"\nbase_url = \"http://127.0.0.1:1111/\"\n[feeds]\nlimit = 1\n";
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    let a = "---\ntitle: A\ndate: 2024-04-01\ntags: [nerf]\nsummary: Sum $y$\n---\nSee [[b]].\n";
    std::fs::write(dir.path().join("content/a.md"), a).unwrap();
    let (mut site, files) = loaded(dir.path());
    let feed = |files: &Files| String::from_utf8_lossy(&snapshot(files)["tag/nerf/atom.xml"]).into_owned();
    // `c` is the newest paper tagged nerf; `a` enters the feed once `c` is older.
    assert!(feed(&files).contains("<title>C</title>"), "{}", feed(&files));
    edit(&mut site, &files, "c", "---\ntitle: C\ndate: 2024-03-01\ntags: [nerf]\n---\nBody of c.\n");
    assert!(feed(&files).contains("<title>A</title>"), "{}", feed(&files));
    assert!(feed(&files).contains("Sum &lt;math"), "the summary's formula is in the feed: {}", feed(&files));
    let (_, fresh) = loaded(dir.path());
    assert_eq!(snapshot(&files), snapshot(&fresh));
}

#[test]
fn a_whole_load_writes_the_same_files_as_a_served_site() {
    let dir = site_folder();
    std::fs::create_dir(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/extra.css"), "p { color: olive }").unwrap();
    let (_, served) = loaded(dir.path());
    let config = crate::config::SiteConfig::load(dir.path()).unwrap();
    let mut site = Site::load(dir.path(), config, false).unwrap();
    let collector = crate::write::Collector::default();
    let plan = site.everything();
    site.emit(&plan, &collector).unwrap();
    let collected: BTreeMap<String, Bytes> =
        collector.into_files().into_iter().map(|(k, v)| (k, Bytes::from(v))).collect();
    assert!(collected.contains_key("extra.css") && collected.contains_key(".nojekyll"));
    assert_eq!(collected, snapshot(&served));
}
