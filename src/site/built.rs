//! The site, rendered: the grouped model, each paper's text and each
//! digest's context, kept from one change to the next.
//!
//! Grouping again keeps the rendered text of every paper that stayed the
//! very same paper at the same place, citing papers that still show the
//! same ([`Built::new`] given the previous one); an edit that keeps every
//! paper in its place renders only the edited paper's text, and that of the
//! papers showing its title ([`Built::replace`]). Texts are rendered when
//! first needed ([`crate::render::texts`]): all at once for a build
//! ([`Built::render_texts`]), page by page and then in the background when
//! served.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::Value;

use super::plan::Showing;
use crate::error::Diagnostic;
use crate::group::Model;
use crate::load::Paper;
use crate::render::feeds;
use crate::render::search::SearchIndex;
use crate::render::texts::{Text, Texts};
use crate::render::{PageKind, Pages, PaperText, Renderer};
use crate::text::markdown::MarkdownOptions;

/// Papers whose texts a whole build renders together: enough to keep both
/// cores busy, few enough that a large site's texts are not all held at
/// once (two batches are: one shown, the next rendered beside it).
pub(super) const BATCH_PAPERS: usize = 1_024;

/// Papers, and the pages that show them in full.
#[derive(Default)]
struct Batch {
    pages: Vec<PageKind>,
    papers: Vec<usize>,
}

/// The pages of a whole build by what they show ([`Built::batches`]).
struct Batches {
    index: Vec<PageKind>,
    batches: Vec<Batch>,
    rest: Vec<PageKind>,
}

/// One step of a whole build ([`Built::steps`]): its pages are rendered in
/// parallel beside the texts the next step's pages show; then the full
/// texts its pages showed are let go.
#[derive(Default)]
pub(super) struct Step {
    /// Papers whose texts are rendered during this step, for the next.
    pub texts: Vec<usize>,
    pub pages: Vec<PageKind>,
    /// Papers whose full texts are let go after it.
    pub done: Vec<usize>,
}

pub(super) struct Built {
    /// The theme's templates, for the configuration the site was grouped
    /// with: shared with the next grouping when neither changed.
    pub renderer: Arc<Renderer>,
    pub model: Model,
    /// How paper text is rendered, `[[id]]` targets included.
    md: MarkdownOptions,
    /// Each paper's text, by index in `model.papers`.
    pub texts: Vec<Text>,
    /// Whether a category or tag feed shows each paper: its text keeps
    /// what the feed shows.
    in_feed: Vec<bool>,
    /// Each digest's context, by index in `model.digests`.
    digests: Vec<Value>,
    search: OnceLock<SearchIndex>,
    /// Every page by output file, made when first asked for.
    files: OnceLock<HashMap<String, PageKind>>,
    /// Which pages show each paper, made when an edit first needs it.
    showing: OnceLock<Showing>,
    /// A hash of every paper's text version, in order: what the search
    /// index depends on.
    search_version: OnceLock<u64>,
}

impl Built {
    /// The texts of `model`, keeping each text of `previous` that is still
    /// right; the others are rendered when first needed, as is the search
    /// index.
    pub fn new(renderer: Arc<Renderer>, model: Model, previous: Option<&Built>) -> Self {
        let md = renderer.text_options(&model);
        let in_feed = feeds::shown_in_term_feeds(&model, renderer.config().feed_limit);
        let old: HashMap<&str, usize> = previous
            .map(|p| p.model.papers.iter().enumerate().map(|(j, p)| (p.slug.as_str(), j)).collect())
            .unwrap_or_default();
        let texts = (0..model.papers.len())
            .into_par_iter()
            .map(|i| {
                let reused = old.get(model.papers[i].slug.as_str()).and_then(|&j| {
                    let prev = previous?;
                    let feed_kept = prev.in_feed[j] || !in_feed[i];
                    (feed_kept && prev.same_text(j, &model, i, &md)).then(|| prev.texts[j].clone())
                });
                reused.unwrap_or_default()
            })
            .collect();
        let digests = renderer.digests(&model);
        let (search, files, showing, search_version) =
            (OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new());
        Built { renderer, model, md, texts, in_feed, digests, search, files, showing, search_version }
    }

    /// Whether paper `j` here is the very same paper, at the same place, as
    /// paper `i` of `model`, citing papers that still show the same.
    fn same_text(&self, j: usize, model: &Model, i: usize, md: &MarkdownOptions) -> bool {
        let (old, new) = (self.model.placement[j], model.placement[i]);
        let cited_same = model.citations.cites[i].iter().all(|&c| {
            let id = &model.papers[c].id;
            self.md.papers.get(id) == md.papers.get(id)
        });
        Arc::ptr_eq(&self.model.papers[j], &model.papers[i])
            && old.number == new.number
            && self.model.digests[old.digest].key == model.digests[new.digest].key
            && cited_same
    }

    /// The index of the paper read from the same file as `paper`.
    pub fn position(&self, paper: &Paper) -> Option<usize> {
        self.model.papers.iter().position(|p| p.source == paper.source)
    }

    /// Puts `paper` in the place of paper `i`, which it may take without
    /// grouping again ([`crate::group::same_place`]): renders its text, and
    /// that of the papers citing it when the title they show changed.
    /// Returns the papers whose text changed.
    pub fn replace(&mut self, i: usize, paper: Arc<Paper>) -> Vec<usize> {
        self.model.papers[i] = paper;
        let reference = self.renderer.paper_ref(&self.model, i);
        let id = self.model.papers[i].id.clone();
        let title_changed = self.md.papers.get(&id) != Some(&reference);
        self.md.papers.insert(id, reference);
        let mut changed = vec![i];
        if title_changed {
            changed.extend(&self.model.citations.cited_by[i]);
        }
        for &p in &changed {
            self.texts[p] =
                Text::rendered(self.renderer.paper_text(&self.model, p, &self.md, self.in_feed[p]));
        }
        self.search = OnceLock::new();
        self.search_version = OnceLock::new();
        changed
    }

    /// Renders, in parallel, up to `most` of the texts not rendered yet,
    /// keeping only what lists show and their warnings
    /// ([`Texts::render_brief`]); returns how many are left.
    pub fn render_texts(&self, most: usize) -> usize {
        let texts = self.texts();
        let left: Vec<usize> = (0..self.texts.len()).filter(|&i| self.texts[i].brief().is_none()).collect();
        left.par_iter().take(most).for_each(|&i| texts.render_brief(i));
        left.len().saturating_sub(most)
    }

    /// How many papers have their full text rendered and held.
    #[cfg(test)]
    pub fn full_texts_held(&self) -> usize {
        self.texts.iter().filter(|t| t.is_full()).count()
    }

    /// Renders the texts of `papers`, in parallel.
    pub fn render_some(&self, papers: &[usize]) {
        let texts = self.texts();
        papers.par_iter().for_each(|&i| {
            texts.get(i);
        });
    }

    /// Lets go of the full texts of `papers`, keeping what lists show.
    /// Returns the texts let go: dropping a batch's texts takes a few
    /// milliseconds, for the caller to spend where no thread waits on it.
    pub fn forget(&mut self, papers: &[usize]) -> Vec<Arc<PaperText>> {
        papers.iter().filter_map(|&i| self.texts[i].forget()).collect()
    }

    /// `pages` in the steps a whole build writes them in: first the files
    /// the search index makes, beside the first batch's texts; then each
    /// batch's pages, beside the next batch's texts; the other pages, which
    /// show papers in lists only, with the last batch's pages.
    pub fn steps(&self, pages: &[PageKind], batch_papers: usize) -> Vec<Step> {
        let Batches { index, batches, rest } = self.batches(pages, batch_papers);
        let mut steps = vec![Step { pages: index, ..Step::default() }];
        for batch in batches {
            if let Some(before) = steps.last_mut() {
                before.texts.clone_from(&batch.papers);
            }
            steps.push(Step { texts: Vec::new(), pages: batch.pages, done: batch.papers });
        }
        if let Some(last) = steps.last_mut() {
            last.pages.extend(rest);
        }
        steps
    }

    /// `pages` by what they show: those the search index makes; batches of
    /// whole digests, each with the papers it lists and the pages showing
    /// them in full (digest and paper pages, and their data), of at least
    /// `batch_papers` papers; the other pages, which show papers in lists
    /// only.
    fn batches(&self, pages: &[PageKind], batch_papers: usize) -> Batches {
        let mut by_digest = vec![Vec::new(); self.model.digests.len()];
        let (mut index, mut rest) = (Vec::new(), Vec::new());
        for &page in pages {
            match page {
                PageKind::SearchMeta | PageKind::SearchShard(_) => index.push(page),
                PageKind::Digest(d) | PageKind::DigestJson(d) => by_digest[d].push(page),
                PageKind::Paper(p) | PageKind::PaperJson(p) => {
                    by_digest[self.model.placement[p].digest].push(page)
                }
                _ => rest.push(page),
            }
        }
        let mut batches = Vec::new();
        let mut batch = Batch::default();
        for (d, pages) in by_digest.into_iter().enumerate() {
            batch.pages.extend(pages);
            let rows = &self.model.entries[self.model.digests[d].entries.clone()];
            batch.papers.extend(rows.iter().map(|e| e.paper));
            if batch.papers.len() >= batch_papers {
                batches.push(std::mem::take(&mut batch));
            }
        }
        if !batch.pages.is_empty() {
            batches.push(batch);
        }
        Batches { index, batches, rest }
    }

    /// Lets go of the search index.
    pub fn forget_search(&mut self) {
        self.search = OnceLock::new();
    }

    /// The page written to output file `path`, if there is one.
    pub fn page_at(&self, path: &str) -> Option<PageKind> {
        let files = self.files.get_or_init(|| {
            let pages = self.pages();
            pages.plan().into_iter().map(|page| (pages.output_file(page), page)).collect()
        });
        files.get(path).copied()
    }

    /// Which pages show each paper.
    pub fn showing(&self) -> &Showing {
        self.showing.get_or_init(|| Showing::new(&self.pages()))
    }

    fn texts(&self) -> Texts<'_> {
        Texts {
            slots: &self.texts,
            renderer: &self.renderer,
            model: &self.model,
            md: &self.md,
            in_feed: &self.in_feed,
        }
    }

    /// Every page, ready to render.
    pub fn pages(&self) -> Pages<'_> {
        Pages {
            renderer: &self.renderer,
            model: &self.model,
            texts: self.texts(),
            digests: &self.digests,
            search: &self.search,
        }
    }

    /// A number that changes whenever any paper's text does.
    pub fn search_version(&self) -> u64 {
        *self.search_version.get_or_init(|| {
            let mut all = std::hash::DefaultHasher::new();
            self.texts.iter().for_each(|t| t.version().hash(&mut all));
            all.finish()
        })
    }

    /// The warnings of the texts rendered so far, of versions after `since`.
    pub fn warnings(&self, since: u64) -> Vec<Diagnostic> {
        let rendered = self.texts.iter().filter(|t| t.version() > since).filter_map(Text::brief);
        rendered.flat_map(|t| t.warnings.iter().cloned()).collect()
    }
}
