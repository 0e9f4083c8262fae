//! Serve, rebuilding: the site kept in memory and brought up to date by a [`Plan`].
//!
//! Papers are kept by file, parsed once; a changed file is parsed alone. A
//! rebuild regroups the papers (cheap), reuses the rendered text of every
//! paper that did not move, and renders again only the pages whose
//! fingerprint changed; pages that no longer exist are dropped. The result
//! is the same as a full `quire build` of the same files. While any file has
//! a problem, the last good pages stay served.

use std::collections::{BTreeMap, HashMap};
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
        match kind.filter(|_| path.is_file()) {
            Some(kind) => {
                let result = load::load_paper(&self.root, path, kind);
                self.store(path.to_path_buf(), result);
            }
            None => {
                self.papers.remove(path);
                self.problems.remove(path);
            }
        }
    }

    fn store(&mut self, path: PathBuf, result: Result<Paper, Vec<Diagnostic>>) {
        match result {
            Ok(paper) => {
                self.problems.remove(&path);
                // A save that changed nothing keeps the paper as it was, so
                // none of its pages is rendered again.
                if self.papers.get(&path).is_none_or(|old| **old != paper) {
                    self.papers.insert(path, Arc::new(paper));
                }
            }
            Err(problems) => {
                self.papers.remove(&path);
                self.problems.insert(path, problems);
            }
        }
    }

    /// Copies changed static files into memory; returns how many changed.
    fn update_statics(&mut self, all: bool, plan: &Plan) -> usize {
        let Ok((_, theme)) = &self.setup else { return 0 };
        let Ok(current) = write::static_files(theme, &self.root) else { return 0 };
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

    /// Regroups and renders the pages whose fingerprint changed.
    fn render(&mut self) -> Result<usize, Vec<Diagnostic>> {
        let (config, theme) = self.setup.as_ref().map_err(Clone::clone)?;
        let mut problems: Vec<Diagnostic> = self.problems.values().flatten().cloned().collect();
        let papers: Vec<Arc<Paper>> =
            self.papers.values().filter(|p| self.drafts || !p.draft).cloned().collect();
        problems.extend(load::duplicates(papers.iter().map(|p| p.as_ref())));
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
