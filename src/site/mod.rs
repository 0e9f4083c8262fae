//! The site core: one [`Site`] value holds a site while quire works on it,
//! and `build`, `serve` and `check` all go through it.
//!
//! A site is loaded (stages 1 to 3 up to the texts: [`crate::load`],
//! [`crate::group`], [`crate::render`]), told what changed
//! ([`Site::apply`], with [`Changes`]), and asked to emit a [`Plan`] of
//! outputs into a [`crate::write::Output`] ([`Site::emit`]). What a change
//! touches is decided here, never by the renderer. The pieces:
//!
//! - [`change`]: changed paths -> what must be read again;
//! - [`sources`]: `site.toml`, the theme and the papers by path, as last read;
//! - [`built`]: the grouped model, its renderer and each paper's rendered text, kept;
//! - [`plan`]: fingerprints, and which outputs a change touches;
//! - [`statics`]: the files that are not rendered.
//!
//! One way in for every command: [`Site::open`], then [`Site::apply`] of
//! what changed (`serve`), or of everything ([`Site::read_whole`]: `build`
//! and `check`). Diagnostics are values: an apply fails with every
//! problem, and warnings come back from [`Site::warnings`] and
//! [`Site::apply`] for the command to show.

mod built;
pub mod change;
mod plan;
mod sources;
pub mod statics;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use change::{classify, Change, Changes};
pub use plan::Plan;
pub use sources::Address;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Error, Result};
use crate::group;
use crate::load::Paper;
use crate::render::{next_version, PageKind, PaperText, Renderer};
use crate::url::BaseUrl;
use crate::write::{File, Output, Sink};
use built::Built;
use plan::{Tracker, Versions};
use sources::Sources;

/// A site in memory: its sources, the site built from them, and what was
/// last planned.
pub struct Site {
    drafts: bool,
    sources: Sources,
    /// The site as last grouped, with its renderer: none until the sources
    /// first group without a problem (a site `serve` opened with a mistake
    /// in it). While a later change has a problem, the last good one stays,
    /// and is served.
    built: Option<Built>,
    /// The configuration or the theme was read again: the next grouping
    /// makes a new renderer.
    new_renderer: bool,
    /// The configuration was read again: the next grouping renders every
    /// text anew.
    texts_afresh: bool,
    /// Changes whenever the configuration, templates or interface strings do.
    theme_version: u64,
    tracker: Tracker,
    /// The files that are not rendered, as last planned.
    statics: statics::Files,
    /// Static files changed, and gone, since the last plan: while the site
    /// has a problem they wait for it to be fixed.
    pending: Vec<String>,
    gone: Vec<String>,
    /// Counts the states of the site: a plan is for the state it was made in.
    generation: u64,
}

/// What [`Site::apply`] did.
#[derive(Debug)]
pub struct Applied {
    /// The outputs to write now.
    pub plan: Plan,
    /// Warnings about the texts rendered for this change.
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// Opens the site at `root`, published at `address`: reads `site.toml`
    /// and the theme; nothing else is read until the first
    /// [`apply`](Self::apply) (or [`read_whole`](Self::read_whole)). Fails
    /// only when they cannot be read at all (no `site.toml`: no site here,
    /// said as `build` says it); a mistake in them is a problem the first
    /// apply reports.
    pub fn open(root: &Path, drafts: bool, address: Address) -> Result<Site> {
        let mut sources = Sources::empty(root, address);
        sources.read_setup()?;
        // The watcher names files by their full paths; so does the site.
        sources.root = root.canonicalize().map_err(Error::io("read", root))?;
        Ok(Site {
            drafts,
            sources,
            built: None,
            new_renderer: true,
            texts_afresh: true,
            theme_version: next_version(),
            tracker: Tracker::default(),
            statics: statics::Files::new(),
            pending: Vec::new(),
            gone: Vec::new(),
            generation: 0,
        })
    }

    /// Reads the site whole and plans every output, for one build or
    /// check: every problem of every file is an error, reported at once.
    pub fn read_whole(&mut self) -> Result<Plan> {
        self.apply(&Changes::everything()).map_err(Error::Site)?;
        let pages = self.built.as_ref().map(|b| b.pages().plan()).unwrap_or_default();
        Ok(self.plan(pages, self.statics.keys().cloned().collect(), Vec::new()))
    }

    /// Takes out of `plan` the pages whose output path `skip` names, for an
    /// output that needs to know only that they exist (`check`, of the
    /// search index and the JSON data): they are not rendered. Returns the
    /// plan left and the output paths of the pages taken out.
    pub fn skip_pages(&self, mut plan: Plan, skip: impl Fn(&str) -> bool) -> (Plan, Vec<String>) {
        let Some(built) = &self.built else { return (plan, Vec::new()) };
        let pages = built.pages();
        let mut skipped = Vec::new();
        plan.pages.retain(|&page| {
            let path = pages.output_file(page);
            let kept = !skip(&path);
            if !kept {
                skipped.push(path);
            }
            kept
        });
        (plan, skipped)
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        &self.sources.root
    }

    /// The configuration, once read.
    pub fn config(&self) -> Option<&SiteConfig> {
        self.sources.setup.as_ref().ok().map(|s| &s.config)
    }

    /// Where the site is published (host and path prefix), once read.
    pub fn base_url(&self) -> Option<&BaseUrl> {
        self.config().map(|c| &c.base_url)
    }

    /// How many papers and digests the site has, as last grouped.
    pub fn counts(&self) -> (usize, usize) {
        self.built.as_ref().map_or((0, 0), |b| (b.model.papers.len(), b.model.digests.len()))
    }

    /// How many papers are drafts that are not shown (no `--drafts`).
    pub fn drafts_left_out(&self) -> usize {
        match self.drafts {
            true => 0,
            false => self.sources.papers.values().filter(|p| p.draft).count(),
        }
    }

    /// Every warning about the site as it is.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.built.as_ref().map(|b| b.warnings(0)).unwrap_or_default()
    }

    /// Reads again what `changes` names and plans the outputs that touches.
    /// While any file has a problem nothing is planned: the problems come
    /// back, and what changed meanwhile waits for the fix.
    pub fn apply(&mut self, changes: &Changes) -> Result<Applied, Vec<Diagnostic>> {
        let since = next_version();
        let first = self.built.is_none() && self.sources.setup.is_err();
        let everything = changes.everything || first;
        self.sources.moved |= everything || changes.theme || changes.content_tree;
        if everything {
            self.settle();
            self.read_setup(true);
            self.sources.read_all();
            self.texts_afresh = true;
        } else {
            if changes.theme {
                self.read_setup(false);
            }
            if changes.content_tree {
                self.sources.rescan();
            }
            for path in &changes.papers {
                self.sources.read_paper(path);
            }
        }
        self.update_statics(everything || changes.theme, changes);
        let (pages, removed) = self.plan_changes()?;
        let files = std::mem::take(&mut self.pending);
        let warnings = self.built.as_ref().map(|b| b.warnings(since)).unwrap_or_default();
        Ok(Applied { plan: self.plan(pages, files, removed), warnings })
    }

    /// The pages left waiting by the last change: feeds, data and the
    /// search index, rendered after the pages a reader looks at.
    pub fn waiting(&mut self) -> Plan {
        let pages = self.tracker.take_waiting();
        self.plan(pages, Vec::new(), Vec::new())
    }

    /// Writes `plan` into `out`: removals, then every page (rendered in
    /// parallel, each handed over as soon as it is ready), then the files
    /// that are not rendered. Template mistakes are collected, once each.
    pub fn emit(&self, plan: &Plan, out: &dyn Output) -> Result<()> {
        self.remove_gone(plan, out)?;
        self.render_into(&plan.pages, out)?;
        self.emit_files(plan, out)
    }

    /// Writes `plan` into `out` as [`Site::emit`] does, but first the
    /// search index, which is then let go, and then a few digests at a
    /// time: the pages showing one batch's texts in full are written while
    /// the next batch's texts are rendered, then those full texts are let
    /// go, keeping what lists show. A whole build holds two batches of
    /// texts, not the site's, and one writer takes every file.
    pub fn emit_whole(&mut self, plan: &Plan, out: &dyn Output) -> Result<()> {
        self.emit_in_batches(plan, out, built::BATCH_PAPERS)
    }

    /// [`Site::emit_whole`] with batches of at least `batch_papers` papers.
    fn emit_in_batches(&mut self, plan: &Plan, out: &dyn Output, batch_papers: usize) -> Result<()> {
        self.remove_gone(plan, out)?;
        if let Some(built) = &mut self.built {
            let steps = built.steps(&plan.pages, batch_papers);
            if steps.first().is_some_and(|first| !first.pages.is_empty()) {
                // Built here, on every thread: built by the first of its
                // pages to need it, it would have that page's thread alone,
                // the others waiting for it.
                built.pages().search();
            }
            out.receive(&mut |sink| {
                // Each batch's texts are dropped beside the next step's work.
                let mut gone = Vec::new();
                for (i, step) in steps.iter().enumerate() {
                    render_step(built, &step.texts, gone, &step.pages, sink)?;
                    if i == 0 {
                        // The first step writes the search index's files.
                        built.forget_search();
                    }
                    gone = built.forget(&step.done);
                }
                Ok(())
            })?;
        }
        self.emit_files(plan, out)
    }

    /// Removes what `plan` says is gone.
    fn remove_gone(&self, plan: &Plan, out: &dyn Output) -> Result<()> {
        assert_eq!(plan.generation, self.generation, "a plan is emitted for the state it was made in");
        plan.removed.iter().try_for_each(|path| out.remove(path))
    }

    /// Writes the files of `plan` that are not rendered.
    fn emit_files(&self, plan: &Plan, out: &dyn Output) -> Result<()> {
        plan.files.iter().try_for_each(|path| statics::emit(out, path, &self.statics[path]))
    }

    /// Applies `plan` to `out`, a cache of the files served, whose other
    /// files are made when asked for ([`Site::file`]): what the plan
    /// removes or writes is dropped from it, except its `first` pages,
    /// rendered now: what a change touches first (an edited paper's page
    /// and its digest).
    pub fn emit_first(&self, plan: &Plan, out: &dyn Output, first: usize) -> Result<()> {
        assert_eq!(plan.generation, self.generation, "a plan is emitted for the state it was made in");
        let (now, later) = plan.pages.split_at(first.min(plan.pages.len()));
        let pages = self.built.as_ref().map(Built::pages);
        let dropped = later.iter().filter_map(|&page| Some(pages?.output_file(page)));
        for path in plan.removed.iter().chain(&plan.files).cloned().chain(dropped) {
            out.remove(&path)?;
        }
        self.render_into(now, out)
    }

    /// Renders the first page of each template into `out`: a template
    /// mistake shows as a problem, as in a build, without rendering every
    /// page.
    pub fn render_each_template(&self, out: &dyn Output) -> Result<()> {
        let Some(built) = &self.built else { return Ok(()) };
        let mut templates = std::collections::HashSet::new();
        let mut pages = built.pages().plan();
        pages.retain(|page| page.template().is_some_and(|t| templates.insert(t)));
        render_into(built, &pages, out)
    }

    /// Renders `pages` into `out` ([`render_into`]). A plan made before
    /// the site was first built has no pages.
    fn render_into(&self, pages: &[PageKind], out: &dyn Output) -> Result<()> {
        match &self.built {
            Some(built) => render_into(built, pages, out),
            None => Ok(()),
        }
    }

    /// Whether the site has a file at output path `path`
    /// (`paper/2404.01300/index.html`).
    pub fn has_file(&self, path: &str) -> bool {
        self.statics.contains_key(path) || self.page_at(path).is_some()
    }

    /// The file at output path `path`, read or rendered now; `None` when
    /// the site has no such file. A file of the site's own `static/`
    /// replaces a page at the same path, as in a build.
    pub fn file(&self, path: &str) -> Option<Result<Vec<u8>>> {
        if let Some(source) = self.statics.get(path) {
            return Some(statics::read(source));
        }
        let page = self.page_at(path)?;
        let rendered = self.built.as_ref()?.pages().render(page).map_err(|d| Error::Site(vec![d]));
        Some(rendered.map(|r| r.html))
    }

    /// Renders up to `most` of the texts no page asked for yet, in
    /// parallel; returns how many are left. Until none is,
    /// [`Site::warnings`] knows only the warnings of the texts rendered.
    pub fn render_texts(&self, most: usize) -> usize {
        self.built.as_ref().map_or(0, |built| built.render_texts(most))
    }

    /// Works out, while nothing else is asked of the site, what edits and
    /// requests would otherwise wait for: which pages show each paper,
    /// every page by output file, and the first plan's fingerprints.
    pub fn prepare(&mut self) {
        if let Some(built) = &self.built {
            built.showing();
            built.page_at("");
        }
        self.settle();
    }

    /// Works out what the next grouping compares with, if still to do
    /// ([`plan::Tracker::settle`]).
    fn settle(&mut self) {
        if let Some(built) = &self.built {
            self.tracker.settle(&built.pages(), built.search_version());
        }
    }

    fn page_at(&self, path: &str) -> Option<PageKind> {
        self.built.as_ref()?.page_at(path)
    }

    /// A plan for the site as it is now.
    fn plan(&mut self, pages: Vec<PageKind>, files: Vec<String>, removed: Vec<String>) -> Plan {
        self.generation += 1;
        Plan { generation: self.generation, pages, files, removed }
    }

    /// Reads `site.toml` and the theme again. The theme's version changes
    /// unless only the theme was read and its templates and strings are
    /// the same.
    fn read_setup(&mut self, everything: bool) {
        self.new_renderer = true;
        // A site.toml that is gone or cannot be read is a problem like any other here.
        let _ = self.sources.read_setup();
        let same = match (&self.built, &self.sources.setup) {
            (Some(built), Ok(s)) => {
                let theme = built.renderer.theme();
                !everything && theme.templates == s.theme.templates && theme.strings == s.theme.strings
            }
            _ => false,
        };
        if !same {
            self.theme_version = next_version();
        }
    }

    /// Lists the files that are not rendered again; those that changed wait
    /// in `pending` (and gone ones are removed) until the next plan.
    fn update_statics(&mut self, all: bool, changes: &Changes) {
        let Ok(setup) = &self.sources.setup else { return };
        let static_dir = self.sources.root.join(crate::layout::STATIC_DIR);
        let current = match statics::list(&setup.theme, &self.sources.root, setup.config.cname.as_deref()) {
            Ok(current) => current,
            Err(e) => {
                self.sources.problems.insert(static_dir, e.into_diagnostics());
                return;
            }
        };
        self.sources.problems.remove(&static_dir);
        let (written, gone) = statics::diff(&self.statics, &current, &changes.statics, all);
        self.pending.retain(|p| current.contains_key(p) && !written.contains(p));
        self.pending.extend(written);
        self.statics = current;
        self.gone.extend(gone);
    }

    /// Plans what changed: in place when only papers were edited in place,
    /// else by grouping again. After a failure, the next render groups again.
    fn plan_changes(&mut self) -> Result<(Vec<PageKind>, Vec<String>), Vec<Diagnostic>> {
        let mut problems = self.sources.problems();
        if !problems.is_empty() {
            // Every problem at once: clashing ids and unknown references too.
            problems.extend(self.sources.duplicates());
            problems.extend(self.sources.reference_problems(self.drafts));
            return Err(problems);
        }
        let edited = std::mem::take(&mut self.sources.edited);
        let moved = std::mem::replace(&mut self.sources.moved, true);
        let planned = match self.in_place(&edited).filter(|_| !moved) {
            Some(replaced) => Ok((self.render_in_place(replaced), Vec::new())),
            None => self.regroup(),
        };
        self.sources.moved = planned.is_err();
        let (pages, mut removed) = planned?;
        removed.append(&mut self.gone);
        Ok((pages, removed))
    }

    /// Where each edited paper goes in the current model, if every one can
    /// take its old place.
    fn in_place(&self, edited: &[PathBuf]) -> Option<Vec<(usize, Arc<Paper>)>> {
        let built = self.built.as_ref()?;
        edited
            .iter()
            .map(|path| {
                let paper = self.sources.papers.get(path)?;
                let i = built.position(paper)?;
                let visible = self.drafts || !paper.draft;
                let topics = &built.renderer.config().topics;
                (visible && group::same_place(&built.model.papers[i], paper, topics))
                    .then(|| (i, paper.clone()))
            })
            .collect()
    }

    /// Puts edited papers in their places; plans the pages showing them.
    fn render_in_place(&mut self, replaced: Vec<(usize, Arc<Paper>)>) -> Vec<PageKind> {
        let Some(built) = self.built.as_mut() else { return Vec::new() };
        let mut changed = Vec::new();
        for (i, paper) in replaced {
            changed.extend(built.replace(i, paper));
        }
        let versions = Versions { theme: self.theme_version, search: built.search_version() };
        self.tracker.edited(&built.pages(), versions, &changed, built.showing())
    }

    /// Groups every visible paper again and plans the pages whose
    /// fingerprint changed, and the removal of those that are gone.
    fn regroup(&mut self) -> Result<(Vec<PageKind>, Vec<String>), Vec<Diagnostic>> {
        self.settle();
        if let Some(built) = &self.built {
            self.tracker.forget_waiting(&built.pages());
        }
        let setup = self.sources.setup.as_ref().map_err(Clone::clone)?;
        let (sources, drafts) = (&self.sources, self.drafts);
        // Clashing ids are looked for while the papers are grouped, on
        // another thread: grouping makes do with them, and what it made is
        // dropped when there are any.
        let (problems, model) = rayon::join(
            || sources.duplicates(),
            || {
                let papers = sources.papers.values().filter(|p| drafts || !p.draft).cloned();
                group::group_without(
                    papers,
                    &sources.absent(drafts),
                    setup.config.period,
                    &setup.config.topics,
                )
            },
        );
        if !problems.is_empty() {
            return Err(problems);
        }
        let model = model?;
        let renderer = match &self.built {
            Some(built) if !self.new_renderer => built.renderer.clone(),
            _ => Arc::new(Renderer::new(setup.config.clone(), setup.theme.clone()).map_err(|d| vec![d])?),
        };
        let previous = if self.texts_afresh { None } else { self.built.as_ref() };
        let built = Built::new(renderer, model, previous);
        let versions = Versions { theme: self.theme_version, search: built.search_version() };
        let planned = self.tracker.regrouped(&built.pages(), versions);
        self.built = Some(built);
        (self.new_renderer, self.texts_afresh) = (false, false);
        Ok(planned)
    }
}

/// Renders `pages` of `built` into `out`, in parallel, each handed over as
/// soon as it is ready. Template mistakes are collected, once each.
fn render_into(built: &Built, pages: &[PageKind], out: &dyn Output) -> Result<()> {
    out.receive(&mut |sink| render_step(built, &[], Vec::new(), pages, sink))
}

/// Renders `pages` of `built`, in parallel, each handed to `sink` as soon
/// as it is ready, and beside them the texts of `papers`, which pages
/// rendered next show, after dropping the texts `gone`. Template mistakes
/// are collected, once each.
fn render_step(
    built: &Built,
    papers: &[usize],
    gone: Vec<Arc<PaperText>>,
    pages: &[PageKind],
    sink: &Sink,
) -> Result<()> {
    let site = built.pages();
    let problems = std::sync::Mutex::new(Vec::new());
    let ((), handed) = rayon::join(
        || {
            drop(gone);
            built.render_some(papers)
        },
        || {
            pages.par_iter().try_for_each(|&page| match site.render(page) {
                Ok(page) => sink(File { path: page.path, kind: page.kind, bytes: page.html }),
                Err(d) => {
                    problems.lock().unwrap_or_else(|e| e.into_inner()).push(d);
                    Ok(())
                }
            })
        },
    );
    handed?;
    let problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Site(crate::render::dedup(problems)))
    }
}

#[cfg(test)]
mod tests;
