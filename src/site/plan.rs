//! The site, deciding what a change touches: a [`Plan`] of outputs.
//!
//! Every page has a fingerprint: a hash of the theme's version, the page's
//! path and everything its parts show (each paper by the version of its
//! rendered text, digests and terms by their values). After grouping again,
//! a page is rendered only if its fingerprint changed, and outputs that are
//! no longer planned are removed. After an edit that keeps every paper in
//! place, the pages showing the edited papers are rendered. Files made
//! without a template (feeds, JSON, the search index) can wait until the
//! pages a reader looks at are served: the [`Tracker`] keeps them waiting.
//! The first plan is every page: its fingerprints are needed only by the
//! next grouping, and are worked out when first needed ([`Tracker::settle`]),
//! so a large site is served sooner.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use tera::Value;

use crate::render::parts::Part;
use crate::render::{PageKind, Pages};

/// Outputs to write or remove, for the state of the site it was made from.
#[derive(Debug, Default)]
pub struct Plan {
    /// The site's state this plan is for ([`super::Site::emit`] checks it).
    pub(super) generation: u64,
    /// Pages to render, in this order of priority.
    pub(super) pages: Vec<PageKind>,
    /// Files that are not rendered (static files, `.nojekyll`, `CNAME`), by output path.
    pub(super) files: Vec<String>,
    /// Output paths that no longer exist.
    pub(super) removed: Vec<String>,
}

impl Plan {
    /// Outputs written or removed.
    pub fn len(&self) -> usize {
        self.pages.len() + self.files.len() + self.removed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The HTML pages a reader visits among the pages.
    pub fn html_pages(&self) -> usize {
        self.pages.iter().filter(|p| p.is_html()).count()
    }
}

/// What was last rendered, to tell what a change touches.
#[derive(Default)]
pub(super) struct Tracker {
    /// Output path -> fingerprint of each page last planned.
    fingerprints: HashMap<String, u64>,
    /// Pages planned but left to render after the others are served.
    waiting: Vec<PageKind>,
    /// The theme version of a first plan whose fingerprints are still to
    /// work out.
    unsettled: Option<u64>,
}

/// What the fingerprints depend on besides the pages themselves.
#[derive(Clone, Copy)]
pub(super) struct Versions {
    pub theme: u64,
    pub search: u64,
}

impl Tracker {
    /// After grouping again: the pages to render now, in plan order, and the
    /// output paths that are gone. Files that can wait are kept waiting.
    pub fn regrouped(&mut self, pages: &Pages, versions: Versions) -> (Vec<PageKind>, Vec<String>) {
        let plan = pages.plan();
        if self.fingerprints.is_empty() {
            // Nothing was planned before (or a first plan was never settled).
            self.unsettled = Some(versions.theme);
            let (later, now) = plan.into_iter().partition(|p| p.can_wait());
            self.waiting = later;
            return (now, Vec::new());
        }
        let fingerprints = fingerprints(pages, versions, &plan);
        let (later, now): (Vec<_>, Vec<_>) = plan
            .into_iter()
            .filter(|&p| {
                let file = pages.output_file(p);
                self.fingerprints.get(&file) != fingerprints.get(&file)
            })
            .partition(|p| p.can_wait());
        let removed = self.fingerprints.keys().filter(|k| !fingerprints.contains_key(*k)).cloned().collect();
        self.fingerprints = fingerprints;
        self.waiting = later;
        (now, removed)
    }

    /// After an edit in place: the pages showing any of `papers` to render
    /// now, the edited paper's own page and its digest first. Those that
    /// can wait join the waiting ones.
    pub fn edited(
        &mut self,
        pages: &Pages,
        versions: Versions,
        papers: &[usize],
        showing: &Showing,
    ) -> Vec<PageKind> {
        let showing = showing.of(papers);
        self.fingerprints
            .extend(showing.iter().map(|&p| (pages.output_file(p), fingerprint(pages, versions, p))));
        let (later, mut now): (Vec<_>, Vec<_>) = showing.into_iter().partition(|p| p.can_wait());
        now.sort_by_key(|p| match p {
            PageKind::Paper(_) => 0,
            PageKind::Digest(_) => 1,
            _ => 2,
        });
        // Places did not move: pages still waiting from before keep waiting.
        let waiting: HashSet<PageKind> = self.waiting.iter().copied().collect();
        self.waiting.extend(later.into_iter().filter(|p| !waiting.contains(p)));
        now
    }

    /// Works out the fingerprints of a first plan, if they are still to
    /// do: `pages` is the site as planned since (edits in place included),
    /// `search` its search version. Pages still waiting get none.
    pub fn settle(&mut self, pages: &Pages, search: u64) {
        let Some(theme) = self.unsettled.take() else { return };
        let waiting: HashSet<PageKind> = self.waiting.iter().copied().collect();
        let plan: Vec<PageKind> = pages.plan().into_iter().filter(|p| !waiting.contains(p)).collect();
        self.fingerprints = fingerprints(pages, Versions { theme, search }, &plan);
    }

    /// Pages still waiting were never rendered: forgetting their
    /// fingerprints makes the next grouping render them. `pages` is the
    /// site they were planned for.
    pub fn forget_waiting(&mut self, pages: &Pages) {
        for page in std::mem::take(&mut self.waiting) {
            self.fingerprints.remove(&pages.output_file(page));
        }
    }

    /// The pages left waiting, now to be rendered.
    pub fn take_waiting(&mut self) -> Vec<PageKind> {
        std::mem::take(&mut self.waiting)
    }
}

/// The fingerprint of each page of `plan`, by output file.
fn fingerprints(pages: &Pages, versions: Versions, plan: &[PageKind]) -> HashMap<String, u64> {
    plan.par_iter().map(|&p| (pages.output_file(p), fingerprint(pages, versions, p))).collect()
}

/// A number that changes whenever anything the page shows changes.
fn fingerprint(pages: &Pages, versions: Versions, page: PageKind) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (versions.theme, pages.site_path(page), page).hash(&mut h);
    for (key, part) in pages.parts(page) {
        key.hash(&mut h);
        hash_part(pages, versions, &part, &mut h);
    }
    h.finish()
}

/// Hashes what a part shows: the version of each paper it shows, and the rest.
fn hash_part(pages: &Pages, versions: Versions, part: &Part, h: &mut impl Hasher) {
    std::mem::discriminant(part).hash(h);
    match part {
        Part::Digest(d) => hash_value(&pages.digests[*d], h),
        Part::DigestCards { digests, papers } => {
            papers.hash(h);
            digests.clone().for_each(|d| hash_value(&pages.digests[d], h));
            let rows = digests.clone().flat_map(|d| {
                pages.model.entries[pages.model.digests[d].entries.clone()].iter().take(*papers)
            });
            rows.for_each(|e| (e.number, e.listing).hash(h))
        }
        Part::Pagination { number, of } => (number, of).hash(h),
        Part::TermPagination { kind, term, number, of } => {
            (pages.model.terms(*kind)[*term].slug.as_str(), number, of).hash(h)
        }
        Part::Archive => pages.digests.iter().for_each(|d| hash_value(d, h)),
        Part::Term(..) | Part::TermList(_) | Part::Urls(_) | Part::SitemapParts | Part::Sections => {
            hash_value(&pages.value(part), h)
        }
        Part::Kind(kind) => kind.hash(h),
        Part::Listings(_) => hash_value(&pages.value(part), h),
        // Where a row shows a paper: its number and listing there.
        Part::Entries(r) => pages.model.entries[r.clone()].iter().for_each(|e| (e.number, e.listing).hash(h)),
        Part::Listed(e) => {
            let e = &pages.model.entries[*e];
            (e.number, e.listing).hash(h)
        }
        // Every paper: their versions are hashed once per grouping.
        Part::Search => return versions.search.hash(h),
        _ => {}
    }
    pages.each_paper_shown(part, &mut |p| pages.texts.version(p).hash(h));
}

/// Hashes a value by its JSON text: maps keep their order, so equal values
/// hash alike.
fn hash_value(value: &Value, h: &mut impl Hasher) {
    serde_json::to_string(value).unwrap_or_default().hash(h)
}

/// Which pages show each paper, so that an edit in place finds its pages
/// without going through every page of the site; the pages that show
/// every paper (the search index) are kept apart. Made once per grouping.
pub(super) struct Showing {
    /// Paper `p`'s pages are `pages[starts[p]..starts[p + 1]]`, in plan order.
    starts: Vec<usize>,
    pages: Vec<PageKind>,
    every: Vec<PageKind>,
}

impl Showing {
    pub fn new(pages: &Pages) -> Self {
        let plan = pages.plan();
        let shows_every =
            |page: PageKind| pages.parts(page).iter().any(|(_, part)| matches!(part, Part::Search));
        let every: Vec<PageKind> = plan.iter().copied().filter(|&page| shows_every(page)).collect();
        // (paper, page), grouped by page in plan order: a page showing a paper
        // twice gives two neighbours once sorted (the sort keeps that order).
        let mut pairs: Vec<(usize, PageKind)> = plan
            .par_iter()
            .flat_map_iter(|&page| {
                let mut shown = Vec::new();
                for (_, part) in pages.parts(page) {
                    if !matches!(part, Part::Search) {
                        pages.each_paper_shown(&part, &mut |p| shown.push((p, page)));
                    }
                }
                shown
            })
            .collect();
        pairs.par_sort_by_key(|&(p, _)| p);
        pairs.dedup();
        let mut starts = vec![0; pages.texts.len() + 1];
        pairs.iter().for_each(|&(p, _)| starts[p + 1] += 1);
        (0..pages.texts.len()).for_each(|p| starts[p + 1] += starts[p]);
        Showing { starts, pages: pairs.into_iter().map(|(_, page)| page).collect(), every }
    }

    /// The pages that show any of `papers` (indices into the model's papers).
    fn of(&self, papers: &[usize]) -> Vec<PageKind> {
        if papers.is_empty() {
            return Vec::new();
        }
        let own = papers.iter().flat_map(|&p| &self.pages[self.starts[p]..self.starts[p + 1]]);
        let mut seen = HashSet::new();
        own.chain(&self.every).copied().filter(|&page| seen.insert(page)).collect()
    }
}
