//! Serve, rebuilding: the site kept in memory and brought up to date by a [`Plan`].
//!
//! Papers are kept by file, parsed once; a changed file is parsed alone.
//! When the only change is papers edited in place, with the same date,
//! order, terms and references ([`group::same_place`]), each takes its old
//! place and only the pages showing it are rendered again. Otherwise a
//! rebuild regroups the papers, reuses the rendered text of every paper that
//! did not move, and renders again only the pages whose fingerprint changed;
//! pages that no longer exist are dropped. Either way the result is the same
//! as a full `quire build` of the same files. While any file has a problem,
//! the last good pages stay served.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;
use rayon::prelude::*;

use super::changes::Plan;
use crate::config::{BaseUrl, SiteConfig};
use crate::error::{Diagnostic, Error};
use crate::load::{self, paper_kind, Paper};
use crate::render::theme::StaticSource;
use crate::render::{PageKind, RenderedPage, SiteRenderer, Theme};
use crate::{group, write};

/// The served files: output path (`digest/2024-04-02/index.html`) -> bytes.
pub type Files = Arc<RwLock<HashMap<String, Bytes>>>;

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Files changed: this many were written or removed.
    Changed(usize),
    /// Nothing served changed.
    Unchanged,
    /// The site has problems; the last good files are still served.
    Failed(Vec<Diagnostic>),
}

/// A site loaded in memory for `quire serve`.
pub struct LiveSite {
    root: PathBuf,
    drafts: bool,
    /// The server's address, with the site's path prefix.
    base_url: BaseUrl,
    setup: Result<(SiteConfig, Theme), Vec<Diagnostic>>,
    papers: BTreeMap<PathBuf, Arc<Paper>>,
    problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    renderer: Option<SiteRenderer>,
    /// Output path -> fingerprint of each page last rendered.
    fingerprints: HashMap<String, u64>,
    /// Pages whose new version is rendered after the others are served.
    waiting: Vec<PageKind>,
    /// Papers replaced since the last render, by file.
    edited: Vec<PathBuf>,
    /// Whether anything else changed since the last render: papers added or
    /// removed, a problem, the configuration or the theme.
    regroup: bool,
    statics: BTreeMap<String, StaticSource>,
    files: Files,
}

impl LiveSite {
    /// An empty site; the first [`apply`](Self::apply) loads everything.
    pub fn new(root: &Path, drafts: bool, base_url: BaseUrl, files: Files) -> Self {
        LiveSite {
            root: root.to_path_buf(),
            drafts,
            base_url,
            setup: Err(Vec::new()),
            papers: BTreeMap::new(),
            problems: BTreeMap::new(),
            renderer: None,
            fingerprints: HashMap::new(),
            waiting: Vec::new(),
            edited: Vec::new(),
            regroup: true,
            statics: BTreeMap::new(),
            files,
        }
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The served base URL (host and path prefix).
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The theme's name, once the configuration is read.
    pub fn theme_name(&self) -> Option<&str> {
        self.setup.as_ref().ok().map(|(c, _)| c.theme.as_str())
    }

    /// Reads what `plan` names again and re-renders what that changed.
    pub fn apply(&mut self, plan: &Plan) -> Outcome {
        let first = self.renderer.is_none() && self.setup.is_err();
        self.regroup |= plan.everything || first || plan.theme || plan.content_tree;
        if plan.everything || first {
            self.read_setup();
            self.read_all_papers();
            self.renderer = None;
        } else {
            if plan.theme {
                self.read_setup();
            }
            if plan.content_tree {
                self.rescan_content();
            }
            for path in &plan.papers {
                self.read_paper(path);
            }
        }
        let statics = self.update_statics(plan.everything || plan.theme || first, plan);
        match self.render() {
            Ok(0) if statics == 0 => Outcome::Unchanged,
            Ok(pages) => Outcome::Changed(pages + statics),
            Err(problems) => Outcome::Failed(problems),
        }
    }

    fn read_setup(&mut self) {
        let mut config = match SiteConfig::load(&self.root) {
            Ok(c) => c,
            Err(e) => return self.setup = Err(diagnostics(e)),
        };
        config.base_url = BaseUrl { origin: self.base_url.origin.clone(), path: config.base_url.path };
        self.base_url = config.base_url.clone();
        self.setup = Theme::load(&self.root, &config).map(|t| (config, t)).map_err(diagnostics);
    }

    fn read_all_papers(&mut self) {
        self.papers.clear();
        self.problems.clear();
        match load::paper_files(&self.root) {
            Ok(files) => {
                let loaded: Vec<_> = files
                    .par_iter()
                    .map(|(path, kind)| (path.clone(), load::load_paper(&self.root, path, *kind)))
                    .collect();
                for (path, result) in loaded {
                    self.store(path, result);
                }
            }
            Err(e) => {
                self.problems.insert(self.root.join(load::CONTENT_DIR), diagnostics(e));
            }
        }
    }

    /// Picks up paper files that appeared and drops those that are gone.
    fn rescan_content(&mut self) {
        let Ok(files) = load::paper_files(&self.root) else { return self.read_all_papers() };
        let known: Vec<PathBuf> = self.papers.keys().chain(self.problems.keys()).cloned().collect();
        for path in known.iter().filter(|p| !files.iter().any(|(f, _)| f == *p)) {
            self.papers.remove(path);
            self.problems.remove(path);
        }
        for (path, _) in files.iter().filter(|(f, _)| !known.contains(f)) {
            self.read_paper(path);
        }
    }

    fn read_paper(&mut self, path: &Path) {
        let kind = path.file_name().and_then(|n| paper_kind(&n.to_string_lossy()));
        match kind.filter(|_| path.is_file() || path.is_symlink()) {
            Some(kind) => {
                // The walk refuses links; a path given by the watcher is checked alike.
                let result = load::check_no_link(&self.root, path)
                    .map_err(|d| vec![d])
                    .and_then(|()| load::load_paper(&self.root, path, kind));
                self.store(path.to_path_buf(), result);
            }
            None => {
                self.papers.remove(path);
                self.problems.remove(path);
                self.regroup = true;
            }
        }
    }

    fn store(&mut self, path: PathBuf, result: Result<Paper, Vec<Diagnostic>>) {
        match result {
            Ok(paper) => {
                self.problems.remove(&path);
                // A save that changed nothing keeps the paper as it was, so
                // none of its pages is rendered again.
                match self.papers.get(&path) {
                    Some(old) if **old == paper => return,
                    Some(_) => self.edited.push(path.clone()),
                    None => self.regroup = true,
                }
                self.papers.insert(path, Arc::new(paper));
            }
            // The last good version stays: once the file is fixed, it is
            // an edit like any other, and may take its old place.
            Err(problems) => {
                self.problems.insert(path, problems);
            }
        }
    }

    /// Copies changed static files into memory; returns how many changed.
    fn update_statics(&mut self, all: bool, plan: &Plan) -> usize {
        let Ok((_, theme)) = &self.setup else { return 0 };
        let static_dir = self.root.join(write::STATIC_DIR);
        let current = match write::static_files(theme, &self.root) {
            Ok(current) => current,
            Err(e) => {
                self.problems.insert(static_dir, diagnostics(e));
                return 0;
            }
        };
        self.problems.remove(&static_dir);
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let mut changed = 0;
        for gone in self.statics.keys().filter(|k| !current.contains_key(*k)) {
            files.remove(gone);
            changed += 1;
        }
        for (rel, source) in &current {
            if all || plan.statics.contains(rel) || !self.statics.contains_key(rel) {
                let bytes = match source {
                    StaticSource::Embedded(b) => Bytes::from_static(b),
                    StaticSource::Disk(p) => std::fs::read(p).map(Bytes::from).unwrap_or_default(),
                };
                files.insert(rel.clone(), bytes);
                changed += 1;
            }
        }
        if all {
            files.insert(".nojekyll".into(), Bytes::new());
        }
        self.statics = current;
        changed
    }

    /// Renders what changed: in place when only papers were edited in
    /// place, else by regrouping. While a paper file has a problem nothing
    /// is rendered, and what changed meanwhile waits for the fix. After any
    /// other failure, the next render regroups.
    fn render(&mut self) -> Result<usize, Vec<Diagnostic>> {
        if !self.problems.is_empty() {
            return Err(self.problems.values().flatten().cloned().collect());
        }
        let edited = std::mem::take(&mut self.edited);
        let regroup = std::mem::replace(&mut self.regroup, true);
        let rendered = match self.in_place(&edited).filter(|_| !regroup) {
            Some(replaced) => self.render_in_place(replaced),
            None => {
                self.forget_waiting();
                self.render_regrouped()
            }
        };
        self.regroup = rendered.is_err();
        rendered
    }

    /// Where each edited paper goes in the current renderer, if every one
    /// can take its old place.
    fn in_place(&self, edited: &[PathBuf]) -> Option<Vec<(usize, Arc<Paper>)>> {
        let site = self.renderer.as_ref()?.site();
        edited
            .iter()
            .map(|path| {
                let paper = self.papers.get(path)?;
                let i = site.papers.iter().position(|p| p.source == paper.source)?;
                let visible = self.drafts || !paper.draft;
                (visible && group::same_place(&site.papers[i], paper)).then(|| (i, paper.clone()))
            })
            .collect()
    }

    /// Puts edited papers in their places and renders the pages showing them.
    fn render_in_place(&mut self, replaced: Vec<(usize, Arc<Paper>)>) -> Result<usize, Vec<Diagnostic>> {
        let Some(renderer) = self.renderer.as_mut() else { return self.render_regrouped() };
        let mut changed = Vec::new();
        for (i, paper) in replaced {
            changed.extend(renderer.replace_paper(i, paper));
        }
        let pages = renderer.pages_showing(&changed);
        let (later, mut now): (Vec<_>, Vec<_>) = pages.iter().partition(|p| p.can_wait());
        // Each page is served as soon as it is rendered, the edited paper's
        // own page and its digest first.
        now.sort_by_key(|p| match p {
            PageKind::Paper(_) => 0,
            PageKind::Digest(_) => 1,
            _ => 2,
        });
        renderer
            .render_pages(&now, &|page: RenderedPage| {
                let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
                files.insert(page.path, Bytes::from(page.html));
                Ok(())
            })
            .map_err(diagnostics)?;
        self.fingerprints.extend(pages.iter().map(|&p| (renderer.output_file(p), renderer.fingerprint(p))));
        // Places did not move: pages still waiting from before keep waiting.
        let waiting: HashSet<PageKind> = self.waiting.iter().copied().collect();
        self.waiting.extend(later.into_iter().filter(|p| !waiting.contains(p)));
        Ok(now.len())
    }

    /// Regroups every paper and renders the pages whose fingerprint changed.
    fn render_regrouped(&mut self) -> Result<usize, Vec<Diagnostic>> {
        let (config, theme) = self.setup.as_ref().map_err(Clone::clone)?;
        let papers: Vec<Arc<Paper>> =
            self.papers.values().filter(|p| self.drafts || !p.draft).cloned().collect();
        let problems = load::duplicates(papers.iter().map(|p| p.as_ref()));
        if !problems.is_empty() {
            return Err(problems);
        }
        let site = group::group(papers, config.period)?;
        let renderer = SiteRenderer::reusing(config.clone(), theme.clone(), site, self.renderer.as_ref())
            .map_err(diagnostics)?;
        let plan = renderer.plan();
        let fingerprints: HashMap<String, u64> =
            plan.par_iter().map(|&p| (renderer.output_file(p), renderer.fingerprint(p))).collect();
        let (later, now): (Vec<_>, Vec<_>) = plan
            .into_iter()
            .filter(|&p| {
                self.fingerprints.get(&renderer.output_file(p)) != fingerprints.get(&renderer.output_file(p))
            })
            .partition(|p| p.can_wait());
        let rendered = render_into_memory(&renderer, &now).map_err(diagnostics)?;
        let removed: Vec<String> =
            self.fingerprints.keys().filter(|k| !fingerprints.contains_key(*k)).cloned().collect();
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        for path in &removed {
            files.remove(path);
        }
        files.extend(rendered);
        self.fingerprints = fingerprints;
        self.renderer = Some(renderer);
        self.waiting = later;
        Ok(now.len() + removed.len())
    }

    /// Pages still waiting from an earlier rebuild were never rendered:
    /// forgetting their fingerprints makes a regrouped site render them.
    fn forget_waiting(&mut self) {
        let Some(renderer) = &self.renderer else { return };
        for page in std::mem::take(&mut self.waiting) {
            self.fingerprints.remove(&renderer.output_file(page));
        }
    }

    /// Renders the files that could wait (the search index); returns how many.
    pub fn render_waiting(&mut self) -> usize {
        let waiting = std::mem::take(&mut self.waiting);
        let Some(renderer) = &self.renderer else { return 0 };
        // Generated files cannot fail to render.
        let Ok(rendered) = render_into_memory(renderer, &waiting) else { return 0 };
        self.files.write().unwrap_or_else(|e| e.into_inner()).extend(rendered);
        waiting.len()
    }
}

/// Renders `pages` into (output path, bytes) pairs.
fn render_into_memory(
    renderer: &SiteRenderer,
    pages: &[PageKind],
) -> crate::error::Result<Vec<(String, Bytes)>> {
    let rendered = Mutex::new(Vec::with_capacity(pages.len()));
    renderer.render_pages(pages, &|page: RenderedPage| {
        rendered.lock().unwrap_or_else(|e| e.into_inner()).push((page.path, Bytes::from(page.html)));
        Ok(())
    })?;
    Ok(rendered.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// The diagnostics of an error, or one made from its message.
fn diagnostics(e: Error) -> Vec<Diagnostic> {
    match e {
        Error::Site(d) => d,
        other => vec![Diagnostic::new("", other.chain())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAPERS: &[(&str, &str)] = &[
        ("a", "---\ntitle: A\ndate: 2024-04-01\ncategories: [cs.CV]\ntags: [nerf]\n---\nSee [[b]].\n"),
        ("b", "---\ntitle: B\ndate: 2024-04-01\ncategories: [cs.CV]\n---\nBody of b.\n"),
        ("c", "---\ntitle: C\ndate: 2024-04-02\ntags: [nerf]\n---\nBody of c.\n"),
        ("d", "---\ntitle: D\ndate: 2024-04-03\n---\nBody of d.\n"),
    ];

    fn site_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"T\"\nbase_url = \"http://127.0.0.1:1111/\"\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        for (id, text) in PAPERS {
            std::fs::write(dir.path().join(format!("content/{id}.md")), text).unwrap();
        }
        dir
    }

    fn loaded(root: &Path) -> (LiveSite, Files) {
        let files = Files::default();
        let base = BaseUrl::parse("http://127.0.0.1:1111/").unwrap();
        let mut site = LiveSite::new(root, false, base, files.clone());
        assert!(matches!(site.apply(&Plan { everything: true, ..Plan::default() }), Outcome::Changed(_)));
        site.render_waiting();
        (site, files)
    }

    /// Saves a paper and rebuilds, leaving feeds, data and the index waiting.
    fn save(site: &mut LiveSite, root: &Path, id: &str, text: &str) -> Outcome {
        let path = root.join(format!("content/{id}.md"));
        std::fs::write(&path, text).unwrap();
        site.apply(&Plan { papers: [path].into(), ..Plan::default() })
    }

    fn edit(site: &mut LiveSite, root: &Path, id: &str, text: &str) -> Outcome {
        let outcome = save(site, root, id, text);
        site.render_waiting();
        outcome
    }

    fn snapshot(files: &Files) -> BTreeMap<String, Bytes> {
        files.read().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    #[test]
    fn edits_in_place_render_only_their_pages_and_equal_a_fresh_load() {
        let dir = site_folder();
        let (mut site, files) = loaded(dir.path());
        let all = files.read().unwrap().len();
        let grouping = |site: &LiveSite| site.renderer.as_ref().map(|r| r.site().digests.as_ptr());
        let before = grouping(&site);
        // Text only: the paper stays in place. Its title is shown by `a`, which cites it.
        let outcome = edit(&mut site, dir.path(), "b", "---\ntitle: B renamed\ndate: 2024-04-01\ncategories: [cs.CV]\nsummary: New $x$\n---\nNew body.\n");
        let Outcome::Changed(n) = outcome else { panic!("{outcome:?}") };
        assert!(n < all / 2, "{n} of {all} files rendered again for one edit");
        assert_eq!(grouping(&site), before, "the papers were grouped again");
        // A new date moves the paper: regrouped.
        edit(&mut site, dir.path(), "d", "---\ntitle: D\ndate: 2024-04-04\n---\nBody of d.\n");
        assert_ne!(grouping(&site), before);
        edit(
            &mut site,
            dir.path(),
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
            assert!(matches!(save(&mut site, dir.path(), id, text), Outcome::Changed(_)));
        }
        site.render_waiting();
        let (_, fresh) = loaded(dir.path());
        assert_eq!(snapshot(&files), snapshot(&fresh));
    }

    #[test]
    fn a_paper_broken_then_fixed_takes_its_old_place_with_the_edits_made_meanwhile() {
        let dir = site_folder();
        let (mut site, files) = loaded(dir.path());
        let before = snapshot(&files);
        let grouping = |site: &LiveSite| site.renderer.as_ref().map(|r| r.site().digests.as_ptr());
        let grouped = grouping(&site);
        // Caught half-written by the watcher: an error, the last good pages stay.
        assert!(matches!(save(&mut site, dir.path(), "b", ""), Outcome::Failed(_)));
        let edited_c = "---\ntitle: C edited meanwhile\ndate: 2024-04-02\ntags: [nerf]\n---\nBody of c.\n";
        assert!(matches!(save(&mut site, dir.path(), "c", edited_c), Outcome::Failed(_)));
        assert_eq!(snapshot(&files), before, "nothing is rendered while a file has a problem");
        let fixed = "---\ntitle: B fixed\ndate: 2024-04-01\ncategories: [cs.CV]\n---\nBody of b.\n";
        assert!(matches!(edit(&mut site, dir.path(), "b", fixed), Outcome::Changed(_)));
        assert_eq!(grouping(&site), grouped, "the papers were grouped again");
        let (_, fresh) = loaded(dir.path());
        assert_eq!(snapshot(&files), snapshot(&fresh));
        // Put back as it was before the problem: nothing to render, and the
        // problem is over.
        assert!(matches!(save(&mut site, dir.path(), "b", ""), Outcome::Failed(_)));
        assert_eq!(edit(&mut site, dir.path(), "b", fixed), Outcome::Unchanged);
    }
}
