//! Stage 3, what each page shows: a page's context is a list of [`Part`]s
//! by key. The same list gives the context ([`Pages::value`]) and, through
//! [`Pages::each_paper_shown`], the papers a page shows; the site reads it
//! to tell which pages a change touches ([`crate::site`]).

use std::ops::Range;

use tera::Value;

use super::context::{self, Pagination, TermContext};
use super::{listed, pages, PageKind, Pages};
use crate::dates::format_day;
use crate::group::TermKind;

/// One piece of a page's context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A paper with its rendered text.
    Paper(usize),
    /// A row of a digest as a list shows it (previous, next), by index in
    /// the model's entries.
    Listed(usize),
    Digest(usize),
    /// Rows of digests: full papers as their listings there show them, by
    /// index in the model's entries.
    Entries(Range<usize>),
    /// Every digest that lists a paper listed in more than one, in date order.
    Listings(usize),
    /// Digests with their first papers, at most `papers` each.
    DigestCards {
        digests: Range<usize>,
        papers: usize,
    },
    Pagination {
        number: usize,
        of: usize,
    },
    /// Pagination of a category's, tag's or topic's pages.
    TermPagination {
        kind: TermKind,
        term: usize,
        number: usize,
        of: usize,
    },
    Archive,
    /// A category, tag or topic.
    Term(TermKind, usize),
    /// Every category, tag or topic.
    TermList(TermKind),
    /// Papers of a term, by position in its list.
    TermPapers(TermKind, usize, Range<usize>),
    /// Absolute URLs of the HTML pages in one sitemap file, with their dates.
    Urls(Range<usize>),
    /// How many sitemap files the index lists.
    SitemapParts,
    /// `category`, `tag` or `topic`.
    Kind(TermKind),
    /// The papers that cite a paper.
    CitedBy(usize),
    /// The search index of every paper.
    Search,
    /// Which sections have pages: categories, tags, topics (the menu links those).
    Sections,
    Nothing,
}

impl Pages<'_> {
    /// What each page shows, by context key: the one description that both
    /// rendering and the site's change tracking follow.
    pub fn parts(&self, page: PageKind) -> Vec<(&'static str, Part)> {
        let mut parts = self.own_parts(page);
        if page.template().is_some() {
            parts.push(("sections", Part::Sections));
        }
        parts
    }

    /// What a page shows besides what every page does.
    fn own_parts(&self, page: PageKind) -> Vec<(&'static str, Part)> {
        let link = |e: Option<usize>| e.map_or(Part::Nothing, Part::Listed);
        // Most papers are listed once: their page has no list to show.
        let listings = |p: usize| match self.model.relisted.contains_key(&p) {
            true => Part::Listings(p),
            false => Part::Nothing,
        };
        let digest =
            |d: Option<usize>| d.filter(|&d| d < self.digests.len()).map_or(Part::Nothing, Part::Digest);
        let model = self.model;
        match page {
            PageKind::Home { number, of } => {
                let per = self.config().home_per_page;
                let digests = (number - 1) * per..(number * per).min(model.digests.len());
                let papers = self.config().home_papers;
                vec![
                    ("digests", Part::DigestCards { digests, papers }),
                    ("pagination", Part::Pagination { number, of }),
                ]
            }
            PageKind::Digest(d) => vec![
                ("digest", Part::Digest(d)),
                ("papers", Part::Entries(model.digests[d].entries.clone())),
                ("newer", digest(d.checked_sub(1))),
                ("older", digest(Some(d + 1))),
            ],
            PageKind::Paper(p) => {
                let place = model.placement[p];
                let range = &model.digests[place.digest].entries;
                let e = model.first_entry(p);
                vec![
                    ("paper", Part::Paper(p)),
                    ("digest", Part::Digest(place.digest)),
                    ("previous", link(e.checked_sub(1).filter(|i| range.contains(i)))),
                    ("next", link(Some(e + 1).filter(|i| range.contains(i)))),
                    ("cited_by", Part::CitedBy(p)),
                    ("listings", listings(p)),
                ]
            }
            PageKind::Archive => vec![("years", Part::Archive)],
            PageKind::NotFound | PageKind::Robots | PageKind::Starred => vec![],
            PageKind::Terms(kind) => vec![("kind", Part::Kind(kind)), ("terms", Part::TermList(kind))],
            PageKind::Term { kind, term, number, of } => {
                let per = self.config().terms_per_page;
                let shown = (number - 1) * per..(number * per).min(model.terms(kind)[term].papers.len());
                vec![
                    ("term", Part::Term(kind, term)),
                    ("papers", Part::TermPapers(kind, term, shown)),
                    ("pagination", Part::TermPagination { kind, term, number, of }),
                ]
            }
            PageKind::SiteFeed => {
                let papers = self.config().home_papers;
                vec![("digests", Part::DigestCards { digests: self.feed_digests(), papers })]
            }
            PageKind::TermFeed { kind, term } => vec![
                ("term", Part::Term(kind, term)),
                ("papers", Part::TermPapers(kind, term, self.feed_papers(kind, term))),
            ],
            PageKind::Sitemap | PageKind::SitemapPart(_) => match self.sitemap_urls(page) {
                Some(range) => vec![("urls", Part::Urls(range))],
                None => vec![("parts", Part::SitemapParts)],
            },
            // Written from the papers' data, not from these values; the
            // parts say what the files show.
            PageKind::DigestJson(d) => {
                vec![("digest", Part::Digest(d)), ("papers", Part::Entries(model.digests[d].entries.clone()))]
            }
            PageKind::PaperJson(p) => vec![("paper", Part::Paper(p))],
            PageKind::Search | PageKind::SearchMeta | PageKind::SearchShard(_) | PageKind::SearchDocs(_) => {
                vec![("search", Part::Search)]
            }
        }
    }

    /// The digests the site feed shows.
    pub(super) fn feed_digests(&self) -> Range<usize> {
        0..self.config().feed_limit.min(self.model.digests.len())
    }

    /// The papers a term's feed shows, by position in the term's list.
    pub(super) fn feed_papers(&self, kind: TermKind, term: usize) -> Range<usize> {
        0..self.config().feed_limit.min(self.model.terms(kind)[term].papers.len())
    }

    /// Which of the HTML pages a sitemap file lists; `None` for the index
    /// of sitemap files a large site has instead.
    pub(super) fn sitemap_urls(&self, page: PageKind) -> Option<Range<usize>> {
        let html = self.html_pages().len();
        let limit = pages::SITEMAP_LIMIT;
        match page {
            PageKind::Sitemap if html.div_ceil(limit) <= 1 => Some(0..html),
            PageKind::SitemapPart(n) => Some(n * limit..((n + 1) * limit).min(html)),
            _ => None,
        }
    }

    /// How many sitemap files the index lists.
    pub(super) fn sitemap_parts(&self) -> usize {
        self.html_pages().len().div_ceil(pages::SITEMAP_LIMIT)
    }

    /// The template value of one part.
    pub fn value(&self, part: &Part) -> Value {
        let base = &self.config().base_url;
        let model = self.model;
        // Lists show papers by their list fields ([`super::Brief`]).
        let papers = |indices: &mut dyn Iterator<Item = usize>| -> Value {
            indices.map(|p| self.texts.brief(p).list.clone()).collect::<Vec<_>>().into()
        };
        match part {
            Part::Paper(p) => self.texts[*p].value.clone(),
            Part::Listed(e) => {
                self.as_listed(self.texts.brief(self.model.entries[*e].paper).list.clone(), *e)
            }
            Part::Digest(d) => self.digests[*d].clone(),
            Part::Entries(r) => r.clone().map(|e| self.entry_value(e)).collect::<Vec<_>>().into(),
            Part::Listings(p) => context::to_value(&listed::listings(model, *p, base)),
            Part::DigestCards { digests, papers } => {
                digests.clone().map(|d| self.digest_card(d, *papers)).collect::<Vec<_>>().into()
            }
            Part::Pagination { number, of } => context::to_value(&Pagination::home(*number, *of, base)),
            Part::TermPagination { kind, term, number, of } => {
                let slug = &model.terms(*kind)[*term].slug;
                context::to_value(&Pagination::new(*number, *of, base, |n| pages::term_path(*kind, slug, n)))
            }
            Part::Archive => context::to_value(&context::archive(model, base)),
            Part::Term(kind, t) => {
                // Model::topics are the configuration's, in its order.
                let words = (*kind == TermKind::Topic).then(|| self.config().topics[*t].words.as_slice());
                context::to_value(&TermContext::new(*kind, &model.terms(*kind)[*t], words, base))
            }
            Part::TermList(kind) => (0..model.terms(*kind).len())
                .map(|t| self.value(&Part::Term(*kind, t)))
                .collect::<Vec<_>>()
                .into(),
            Part::TermPapers(kind, t, r) => {
                papers(&mut model.terms(*kind)[*t].papers[r.clone()].iter().copied())
            }
            Part::Urls(r) => self
                .urls(r.clone())
                .into_iter()
                .map(|u| Value::from(vec![Value::from(u.loc), Value::from(u.lastmod.map(format_day))]))
                .collect::<Vec<_>>()
                .into(),
            Part::SitemapParts => (1..=self.sitemap_parts()).map(Value::from).collect::<Vec<_>>().into(),
            Part::Kind(kind) => Value::from(kind.segment()),
            Part::CitedBy(p) => papers(&mut model.citations.cited_by[*p].iter().copied()),
            Part::Search => context::to_value(&context::SearchContext {
                docs: model.papers.len(),
                index: base.link(pages::SEARCH_PATH),
            }),
            Part::Sections => context::to_value(&context::Sections::new(model)),
            Part::Nothing => Value::none(),
        }
    }

    /// Calls `f` with every paper whose text or title a part shows: what
    /// decides whether a page changes when a paper does.
    pub fn each_paper_shown(&self, part: &Part, f: &mut dyn FnMut(usize)) {
        let model = self.model;
        match part {
            Part::Paper(p) => f(*p),
            Part::Listed(e) => f(model.entries[*e].paper),
            Part::Entries(r) => model.entries[r.clone()].iter().for_each(|e| f(e.paper)),
            Part::DigestCards { digests, papers } => digests.clone().for_each(|d| {
                model.entries[model.digests[d].entries.clone()].iter().take(*papers).for_each(|e| f(e.paper))
            }),
            Part::TermPapers(kind, t, r) => {
                model.terms(*kind)[*t].papers[r.clone()].iter().for_each(|&p| f(p))
            }
            Part::CitedBy(p) => model.citations.cited_by[*p].iter().for_each(|&c| f(c)),
            Part::Search => (0..self.texts.len()).for_each(f),
            Part::Digest(_)
            | Part::Pagination { .. }
            | Part::TermPagination { .. }
            | Part::Archive
            | Part::Listings(_)
            | Part::Term(..)
            | Part::TermList(_)
            | Part::Urls(_)
            | Part::SitemapParts
            | Part::Kind(_)
            | Part::Sections
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

    /// The HTML pages the sitemap lists, in plan order.
    pub(super) fn html_pages(&self) -> Vec<PageKind> {
        self.plan().into_iter().filter(|p| p.in_sitemap()).collect()
    }

    /// A digest for lists: its context plus its first `papers` papers
    /// (its `count` says how many it has).
    fn digest_card(&self, d: usize, papers: usize) -> Value {
        let mut map = self.digests[d].as_map().cloned().unwrap_or_default();
        let all = self.model.digests[d].entries.clone();
        let shown = all.start..all.end.min(all.start.saturating_add(papers));
        let papers: Vec<Value> = shown
            .map(|e| self.as_listed(self.texts.brief(self.model.entries[e].paper).list.clone(), e))
            .collect();
        map.insert("papers".into(), papers.into());
        map.into()
    }

    /// A paper as a row of a digest shows it: its full text, as that
    /// row's listing shows it ([`Pages::as_listed`]).
    fn entry_value(&self, e: usize) -> Value {
        self.as_listed(self.texts[self.model.entries[e].paper].value.clone(), e)
    }

    /// A paper's value (full or as a list shows it) as row `e` of a digest
    /// shows it: with the number and announce type of the listing that put
    /// it there, and links to that digest. The first listing's row is the
    /// value as it is.
    fn as_listed(&self, value: Value, e: usize) -> Value {
        let entry = &self.model.entries[e];
        if entry.listing.is_none() {
            return value;
        }
        let mut map = value.as_map().cloned().unwrap_or_default();
        let base = &self.config().base_url;
        let listed = listed::ListedAs::new(self.model, entry, base);
        for (key, value) in context::to_value(&listed).as_map().into_iter().flatten() {
            map.insert(key.clone(), value.clone());
        }
        map.into()
    }
}
