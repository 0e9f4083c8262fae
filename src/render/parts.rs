//! Stage 3, what each page shows: a page's context is a list of [`Part`]s
//! by key. The same list gives the context ([`SiteRenderer::value`]), a
//! fingerprint of everything the page shows ([`SiteRenderer::fingerprint`],
//! which tells `serve` what to render again) and the papers it shows
//! ([`SiteRenderer::pages_showing`], for an edit that keeps every paper in
//! its place).

use std::hash::{Hash, Hasher};
use std::ops::Range;

use rayon::prelude::*;
use tera::Value;

use super::context::{self, Pagination, TermContext};
use super::{pages, PageKind, SiteRenderer};
use crate::group::TermKind;

/// One piece of a page's context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    /// A paper with its rendered text.
    Paper(usize),
    Digest(usize),
    /// Full papers, in order.
    Papers(Range<usize>),
    /// Digests with their papers.
    DigestCards(Range<usize>),
    Pagination {
        number: usize,
        of: usize,
    },
    /// Pagination of a category's or tag's pages.
    TermPagination {
        kind: TermKind,
        term: usize,
        number: usize,
        of: usize,
    },
    Archive,
    /// A category or tag.
    Term(TermKind, usize),
    /// Every category or tag.
    TermList(TermKind),
    /// Papers of a term, by position in its list.
    TermPapers(TermKind, usize, Range<usize>),
    /// Absolute URLs of the HTML pages in one sitemap file.
    Urls(Range<usize>),
    /// How many sitemap files the index lists.
    SitemapParts,
    /// `category` or `tag`.
    Kind(TermKind),
    /// The papers that cite a paper.
    CitedBy(usize),
    /// The search index of every paper.
    Search,
    Nothing,
}

impl SiteRenderer {
    /// A number that changes whenever anything the page shows changes.
    pub fn fingerprint(&self, page: PageKind) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        (self.theme_version, pages::site_path(&self.site, page), page).hash(&mut h);
        for (key, part) in self.parts(page) {
            key.hash(&mut h);
            self.hash_part(&part, &mut h);
        }
        h.finish()
    }

    /// What each page shows, by context key: the one description both
    /// [`render`](Self::render) and [`fingerprint`](Self::fingerprint) follow.
    pub(super) fn parts(&self, page: PageKind) -> Vec<(&'static str, Part)> {
        let link = |i: Option<usize>| i.map_or(Part::Nothing, Part::Paper);
        let digest =
            |d: Option<usize>| d.filter(|&d| d < self.digests.len()).map_or(Part::Nothing, Part::Digest);
        match page {
            PageKind::Home { number, of } => {
                let per = self.config.home_per_page;
                let shown = (number - 1) * per..(number * per).min(self.site.digests.len());
                vec![("digests", Part::DigestCards(shown)), ("pagination", Part::Pagination { number, of })]
            }
            PageKind::Digest(d) => vec![
                ("digest", Part::Digest(d)),
                ("papers", Part::Papers(self.site.digests[d].papers.clone())),
                ("newer", digest(d.checked_sub(1))),
                ("older", digest(Some(d + 1))),
            ],
            PageKind::Paper(p) => {
                let place = self.site.placement[p];
                let range = &self.site.digests[place.digest].papers;
                vec![
                    ("paper", Part::Paper(p)),
                    ("digest", Part::Digest(place.digest)),
                    ("previous", link(p.checked_sub(1).filter(|i| range.contains(i)))),
                    ("next", link(Some(p + 1).filter(|i| range.contains(i)))),
                    ("cited_by", Part::CitedBy(p)),
                ]
            }
            PageKind::Archive => vec![("years", Part::Archive)],
            PageKind::NotFound | PageKind::Robots => vec![],
            PageKind::Terms(kind) => vec![("kind", Part::Kind(kind)), ("terms", Part::TermList(kind))],
            PageKind::Term { kind, term, number, of } => {
                let per = self.config.terms_per_page;
                let shown = (number - 1) * per..(number * per).min(self.site.terms(kind)[term].papers.len());
                vec![
                    ("term", Part::Term(kind, term)),
                    ("papers", Part::TermPapers(kind, term, shown)),
                    ("pagination", Part::TermPagination { kind, term, number, of }),
                ]
            }
            PageKind::SiteFeed => {
                vec![("digests", Part::DigestCards(0..self.config.feed_limit.min(self.site.digests.len())))]
            }
            PageKind::TermFeed { kind, term } => {
                let shown = 0..self.config.feed_limit.min(self.site.terms(kind)[term].papers.len());
                vec![("term", Part::Term(kind, term)), ("papers", Part::TermPapers(kind, term, shown))]
            }
            PageKind::Sitemap => {
                let html = self.html_pages().len();
                match html.div_ceil(pages::SITEMAP_LIMIT) {
                    0 | 1 => vec![("urls", Part::Urls(0..html))],
                    _ => vec![("parts", Part::SitemapParts)],
                }
            }
            PageKind::SitemapPart(n) => {
                let html = self.html_pages().len();
                vec![(
                    "urls",
                    Part::Urls(n * pages::SITEMAP_LIMIT..((n + 1) * pages::SITEMAP_LIMIT).min(html)),
                )]
            }
            // Written from the papers' data, not from these values; the
            // parts say what the files show.
            PageKind::DigestJson(d) => vec![
                ("digest", Part::Digest(d)),
                ("papers", Part::Papers(self.site.digests[d].papers.clone())),
            ],
            PageKind::PaperJson(p) => vec![("paper", Part::Paper(p))],
            PageKind::Search | PageKind::SearchMeta | PageKind::SearchShard(_) | PageKind::SearchDocs(_) => {
                vec![("search", Part::Search)]
            }
        }
    }

    pub(super) fn value(&self, part: &Part) -> Value {
        let base = self.config.base_url.path.as_str();
        let papers = |indices: &mut dyn Iterator<Item = usize>| -> Value {
            indices.map(|p| self.papers[p].value.clone()).collect::<Vec<_>>().into()
        };
        match part {
            Part::Paper(p) => self.papers[*p].value.clone(),
            Part::Digest(d) => self.digests[*d].clone(),
            Part::Papers(r) => papers(&mut r.clone()),
            Part::DigestCards(r) => r.clone().map(|d| self.digest_card(d)).collect::<Vec<_>>().into(),
            Part::Pagination { number, of } => context::to_value(&Pagination::home(*number, *of, base)),
            Part::TermPagination { kind, term, number, of } => {
                let slug = &self.site.terms(*kind)[*term].slug;
                context::to_value(&Pagination::new(*number, *of, base, |n| pages::term_path(*kind, slug, n)))
            }
            Part::Archive => context::to_value(&context::archive(&self.site, base)),
            Part::Term(kind, t) => {
                context::to_value(&TermContext::new(*kind, &self.site.terms(*kind)[*t], base))
            }
            Part::TermList(kind) => (0..self.site.terms(*kind).len())
                .map(|t| self.value(&Part::Term(*kind, t)))
                .collect::<Vec<_>>()
                .into(),
            Part::TermPapers(kind, t, r) => {
                papers(&mut self.site.terms(*kind)[*t].papers[r.clone()].iter().copied())
            }
            Part::Urls(r) => self.html_pages()[r.clone()]
                .iter()
                .map(|&page| Value::from(self.config.base_url.absolute(&pages::site_path(&self.site, page))))
                .collect::<Vec<_>>()
                .into(),
            Part::SitemapParts => {
                let parts = self.html_pages().len().div_ceil(pages::SITEMAP_LIMIT);
                (1..=parts).map(Value::from).collect::<Vec<_>>().into()
            }
            Part::Kind(kind) => Value::from(kind.segment()),
            Part::CitedBy(p) => papers(&mut self.site.citations.cited_by[*p].iter().copied()),
            Part::Search => context::to_value(&context::SearchContext {
                docs: self.site.papers.len(),
                index: format!("{base}{}", pages::SEARCH_PATH),
            }),
            Part::Nothing => Value::none(),
        }
    }

    /// Hashes what a part shows: the version of each paper it shows
    /// ([`each_paper_shown`](Self::each_paper_shown)), and the rest.
    fn hash_part(&self, part: &Part, h: &mut impl Hasher) {
        std::mem::discriminant(part).hash(h);
        match part {
            Part::Digest(d) => hash_value(&self.digests[*d], h),
            Part::DigestCards(r) => r.clone().for_each(|d| hash_value(&self.digests[d], h)),
            Part::Pagination { number, of } => (number, of).hash(h),
            Part::TermPagination { kind, term, number, of } => {
                (self.site.terms(*kind)[*term].slug.as_str(), number, of).hash(h)
            }
            Part::Archive => self.digests.iter().for_each(|d| hash_value(d, h)),
            Part::Term(..) | Part::TermList(_) | Part::Urls(_) | Part::SitemapParts => {
                hash_value(&self.value(part), h)
            }
            Part::Kind(kind) => kind.hash(h),
            // Every paper: their versions are hashed once per renderer.
            Part::Search => {
                return self
                    .search_version
                    .get_or_init(|| {
                        let mut all = std::hash::DefaultHasher::new();
                        self.papers.iter().for_each(|p| p.version.hash(&mut all));
                        all.finish()
                    })
                    .hash(h)
            }
            _ => {}
        }
        self.each_paper_shown(part, &mut |p| self.papers[p].version.hash(h));
    }

    /// Calls `f` with every paper whose text or title a part shows: what
    /// decides whether a page changes when a paper does.
    fn each_paper_shown(&self, part: &Part, f: &mut dyn FnMut(usize)) {
        match part {
            Part::Paper(p) => f(*p),
            Part::Papers(r) => r.clone().for_each(f),
            Part::DigestCards(r) => {
                r.clone().for_each(|d| self.site.digests[d].papers.clone().for_each(&mut *f))
            }
            Part::TermPapers(kind, t, r) => {
                self.site.terms(*kind)[*t].papers[r.clone()].iter().for_each(|&p| f(p))
            }
            Part::CitedBy(p) => self.site.citations.cited_by[*p].iter().for_each(|&c| f(c)),
            Part::Search => (0..self.papers.len()).for_each(f),
            Part::Digest(_)
            | Part::Pagination { .. }
            | Part::TermPagination { .. }
            | Part::Archive
            | Part::Term(..)
            | Part::TermList(_)
            | Part::Urls(_)
            | Part::SitemapParts
            | Part::Kind(_)
            | Part::Nothing => {}
        }
    }

    /// Whether `page` shows a paper for which `test` holds.
    pub(super) fn any_paper_shown(&self, page: PageKind, test: impl Fn(usize) -> bool) -> bool {
        let mut any = false;
        for (_, part) in self.parts(page) {
            self.each_paper_shown(&part, &mut |p| any |= test(p));
        }
        any
    }

    /// The pages that show any of `papers` (indices into the site's papers).
    pub fn pages_showing(&self, papers: &[usize]) -> Vec<PageKind> {
        if papers.is_empty() {
            return Vec::new();
        }
        let mut marked = vec![false; self.papers.len()];
        papers.iter().for_each(|&p| marked[p] = true);
        let shows = |page: PageKind| {
            self.parts(page).iter().any(|(_, part)| {
                let mut any = matches!(part, Part::Search);
                if !any {
                    self.each_paper_shown(part, &mut |p| any |= marked[p]);
                }
                any
            })
        };
        self.plan().into_par_iter().filter(|&page| shows(page)).collect()
    }

    /// The HTML pages a reader visits, in plan order (for the sitemap).
    fn html_pages(&self) -> Vec<PageKind> {
        self.plan().into_iter().filter(|p| p.is_html()).collect()
    }

    /// A digest for lists and feeds: its context plus its papers.
    fn digest_card(&self, d: usize) -> Value {
        let mut map = self.digests[d].as_map().cloned().unwrap_or_default();
        map.insert("papers".into(), self.value(&Part::Papers(self.site.digests[d].papers.clone())));
        map.into()
    }
}

/// Hashes a value by its JSON text: maps keep their order, so equal values
/// hash alike.
fn hash_value(value: &Value, h: &mut impl Hasher) {
    serde_json::to_string(value).unwrap_or_default().hash(h)
}
