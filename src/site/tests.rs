//! The site core on a real folder: edits in place, regrouping, files left
//! waiting and problems, each checked against a fresh load of the same files.

use std::collections::BTreeMap;
use std::path::Path;

use axum::body::Bytes;

use super::{Address, Changes, Site};
use crate::error::Diagnostic;
use crate::write::Memory as Files;

const PAPERS: &[(&str, &str)] = &[
    ("a", "---\ntitle: A\ndate: 2024-04-01\ncategories: [cs.CV]\ntags: [nerf]\n---\nSee [[b]].\n"),
    ("b", "---\ntitle: B\ndate: 2024-04-01\ncategories: [cs.CV]\n---\nBody of b.\n"),
    ("c", "---\ntitle: C\ndate: 2024-04-02\ntags: [nerf]\n---\nBody of c.\n"),
    ("d", "---\ntitle: D\ndate: 2024-04-03\n---\nBody of d.\n"),
];

/// The papers in a folder. Paper pages show their text (`full_text`), so
/// the page of a paper citing another shows that paper's title.
fn site_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = "title = \"T\"\nbase_url = \"http://127.0.0.1:1111/\"\n[paper]\nfull_text = true\n";
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
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
    let mut site = Site::open(root, false, served()).unwrap();
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

/// Served as `quire serve` serves it.
fn served() -> Address {
    Address::Origin("http://127.0.0.1:1111".into())
}

/// Tells one grouping from another.
fn grouping(site: &Site) -> Option<*const crate::group::Digest> {
    site.built.as_ref().map(|b| b.model.digests.as_ptr())
}

fn snapshot(files: &Files) -> BTreeMap<String, Bytes> {
    files.snapshot()
}

#[test]
fn edits_in_place_render_only_their_pages_and_equal_a_fresh_load() {
    let dir = site_folder();
    let (mut site, files) = loaded(dir.path());
    let all = files.snapshot().len();
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

/// Applies `changes` as `quire serve` does: the files they touch leave
/// the cache, but for the first few, rendered at once.
fn serve_change(site: &mut Site, cache: &Files, changes: &Changes) {
    let applied = site.apply(changes).unwrap();
    site.emit_first(&applied.plan, cache, 2).unwrap();
    let waiting = site.waiting();
    site.emit_first(&waiting, cache, 0).unwrap();
    if changes.everything || changes.theme {
        site.render_each_template(cache).unwrap();
    }
}

/// Every file of a served site, as requests get them: from the cache when
/// it holds them, else made by the site then and kept.
fn requested(site: &Site, cache: &Files) -> BTreeMap<String, Bytes> {
    let pages = site.built.as_ref().unwrap().pages();
    let paths = pages.plan().into_iter().map(|p| pages.output_file(p)).chain(site.statics.keys().cloned());
    paths.map(|path| (path.clone(), request(site, cache, &path))).collect()
}

/// One file of a served site, as a request gets it.
fn request(site: &Site, cache: &Files, path: &str) -> Bytes {
    match cache.get(path) {
        Some(bytes) => bytes,
        None => {
            let bytes = Bytes::from(site.file(path).expect("the site has the file").unwrap());
            cache.keep(path, bytes.clone());
            bytes
        }
    }
}

#[test]
fn a_served_site_after_edits_serves_what_a_whole_build_writes() {
    let dir = site_folder();
    std::fs::create_dir(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/extra.css"), "p { color: olive }").unwrap();
    // A cache for most of the files: a few are dropped and made again.
    let budget = 60_000;
    let cache = Files::bounded(budget);
    let mut served = Site::open(dir.path(), false, served()).unwrap();
    serve_change(&mut served, &cache, &Changes::everything());
    let before = requested(&served, &cache);
    let total: usize = before.values().map(Bytes::len).sum();
    assert!(cache.bytes() <= budget && budget < total, "{} of {total} bytes kept", cache.bytes());
    // What the edits below change is asked for last, so the cache holds it.
    let touched =
        ["paper/b/index.html", "paper/a/index.html", "paper/d/index.html", "index.html", "atom.xml"];
    let touched = touched.into_iter().chain(["digest/2024-04-01/index.html", "extra.css"]);
    touched.clone().for_each(|path| drop(request(&served, &cache, path)));
    let edits = [
        ("b", "---\ntitle: B in place\ndate: 2024-04-01\ncategories: [cs.CV]\n---\nNew body.\n"),
        ("d", "---\ntitle: D moved\ndate: 2024-04-05\n---\nBody of d.\n"),
    ];
    for (id, text) in edits {
        let path = served.root().join(format!("content/{id}.md"));
        std::fs::write(&path, text).unwrap();
        serve_change(&mut served, &cache, &Changes { papers: [path].into(), ..Changes::default() });
    }
    std::fs::write(dir.path().join("static/extra.css"), "p { color: teal }").unwrap();
    let css = Changes { statics: ["extra.css".to_string()].into(), ..Changes::default() };
    serve_change(&mut served, &cache, &css);
    let mut site = Site::open(dir.path(), false, Address::AsConfigured).unwrap();
    let collector = crate::write::Collector::default();
    let plan = site.read_whole().unwrap();
    site.emit(&plan, &collector).unwrap();
    let collected: BTreeMap<String, Bytes> =
        collector.into_files().into_iter().map(|(k, v)| (k, Bytes::from(v))).collect();
    assert!(collected.contains_key("extra.css") && collected.contains_key(".nojekyll"));
    for path in touched {
        assert_eq!(request(&served, &cache, path), collected[path], "{path} was served as before the edits");
    }
    assert_eq!(collected, requested(&served, &cache));
    assert_ne!(before, requested(&served, &cache), "the edits were served");
    // The eager way, every planned page written at once, agrees.
    let (_, written) = loaded(dir.path());
    assert_eq!(collected, snapshot(&written));
}

#[test]
fn a_served_site_renders_at_first_only_a_page_of_each_template_and_no_text_it_need_not() {
    let dir = site_folder();
    let toml = "title = \"T\"\nbase_url = \"http://127.0.0.1:1111/\"\n[home]\nper_page = 1\n";
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    // In the oldest digest: none of the first pages shows it.
    let e = "---\ntitle: E\ndate: 2023-01-02\n---\nBad $\\href{x}{y}$.\n";
    std::fs::write(dir.path().join("content/e.md"), e).unwrap();
    let cache = Files::default();
    let mut site = Site::open(dir.path(), false, served()).unwrap();
    serve_change(&mut site, &cache, &Changes::everything());
    let made = cache.snapshot();
    // The plan's first two pages and a page of each of the 8 templates.
    assert!(made.len() <= 2 + 8, "{:?}", made.keys());
    assert!(made.contains_key("index.html") && made.contains_key("paper/d/index.html"));
    // Texts no page needed yet are rendered in steps; then their warnings are known.
    assert!(site.warnings().is_empty(), "the text with a warning was not rendered yet");
    let held = site.built.as_ref().unwrap().full_texts_held();
    while site.render_texts(1) > 0 {}
    assert!(site.warnings().iter().any(|w| w.to_string().contains("e.md")), "{:?}", site.warnings());
    // The background keeps what lists show and the warnings, not the full texts.
    assert_eq!(site.built.as_ref().unwrap().full_texts_held(), held);
    assert!(made.len() * 3 < requested(&site, &cache).len());
}

#[test]
fn a_served_site_keeps_its_last_good_pages_while_its_configuration_is_broken() {
    let dir = site_folder();
    let cache = Files::bounded(1);
    let mut site = Site::open(dir.path(), false, served()).unwrap();
    serve_change(&mut site, &cache, &Changes::everything());
    let good = site.file("paper/b/index.html").unwrap().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \n").unwrap();
    assert!(site.apply(&Changes::everything()).is_err());
    assert_eq!(site.file("paper/b/index.html").unwrap().unwrap(), good);
    std::fs::remove_dir_all(dir.path().join("content")).unwrap();
    assert!(site.apply(&Changes { theme: true, content_tree: true, ..Changes::default() }).is_err());
    assert_eq!(site.file("paper/b/index.html").unwrap().unwrap(), good);
}

#[test]
fn a_whole_build_in_batches_writes_what_one_pass_writes_and_holds_no_full_text() {
    let dir = site_folder();
    let e = "---\ntitle: E\ndate: 2023-01-02\n---\nBad $\\href{x}{y}$.\n";
    std::fs::write(dir.path().join("content/e.md"), e).unwrap();
    let whole = |batch_papers: Option<usize>| {
        let mut site = Site::open(dir.path(), false, Address::AsConfigured).unwrap();
        let collector = crate::write::Collector::default();
        let plan = site.read_whole().unwrap();
        match batch_papers {
            Some(n) => site.emit_in_batches(&plan, &collector, n).unwrap(),
            None => site.emit(&plan, &collector).unwrap(),
        }
        (collector.into_files(), site)
    };
    let (at_once, site) = whole(None);
    assert_eq!(site.built.as_ref().unwrap().full_texts_held(), 5);
    // A batch a digest: each digest's texts are let go once its pages are written.
    let (batched, site) = whole(Some(1));
    assert_eq!(batched, at_once);
    assert_eq!(site.built.as_ref().unwrap().full_texts_held(), 0, "every full text was let go");
    assert!(site.warnings().iter().any(|w| w.to_string().contains("e.md")), "warnings are kept");
}
