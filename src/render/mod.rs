//! Stage 3: the grouped papers -> the bytes of every output file.
//!
//! A [`Renderer`] holds what rendering takes from the configuration and the
//! theme: the Tera instance ([`engine`], from the [`crate::theme`]). Each paper's Markdown
//! is rendered once ([`Renderer::paper_text`], by the text engine
//! [`crate::text`]) into
//! the template value ([`context`]) that every page showing the paper
//! reuses; what could not be shown as written (TeX the converter refuses)
//! comes back with it as warnings. [`Pages`] renders any page of the plan
//! ([`pages`]) from the grouped model and those texts; a page's context is
//! assembled from parts ([`parts`]); a paper listed in several digests
//! shows each listing's number and announce type there ([`listed`]).
//! Templates make the HTML pages; feeds ([`feeds`]), sitemaps
//! ([`sitemap`]), JSON ([`data`]) and the search index ([`search`]) are
//! written from typed values. With `relative_urls`, links
//! are made relative last ([`relative`]).
//!
//! Rendering decides nothing about changes: which texts are kept and which
//! pages are rendered again is [`crate::site`]'s call.

mod bibtex;
pub mod context;
pub mod data;
pub mod engine;
pub mod feeds;
pub mod listed;
pub mod pages;
pub mod parts;
pub mod relative;
pub mod search;
pub mod sitemap;
pub mod texts;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::Value;

pub use pages::PageKind;

use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::group::Model;
use crate::load::Paper;
use crate::text::markdown::{self, MarkdownOptions, PaperRef};
use crate::text::tex;
use crate::theme::Theme;
use crate::url::BaseUrl;
use context::{DigestContext, PaperContext, PaperHtml, SiteContext};

/// A finished file: where it goes (relative to the output root), what kind
/// of output it is ([`PageKind::output_kind`]) and its bytes.
pub struct RenderedPage {
    pub path: String,
    pub kind: &'static str,
    pub html: Vec<u8>,
}

/// One paper's rendered text, as every page showing the paper uses it.
pub struct PaperText {
    /// The `paper` context. A template value shares its strings, lists and
    /// maps: every page and list showing the paper clones it for the cost
    /// of a few reference counts.
    pub value: Value,
    /// What lists and feeds show of it: kept when a build lets go of the
    /// full text ([`texts::Text::forget`]).
    pub brief: Arc<Brief>,
}

/// What a paper shows outside its own page and its digest's.
pub struct Brief {
    /// The paper in a list (home, category and tag pages, "cited by",
    /// previous and next): the fields of the full value that lists show,
    /// [`context::PaperInList`], sharing their strings.
    pub list: Value,
    /// What its entries in category and tag feeds show; kept only for the
    /// papers those feeds show ([`feeds::shown_in_term_feeds`]).
    pub feed: Option<feeds::FeedHtml>,
    /// TeX that could not be shown as written, once each.
    pub warnings: Vec<Diagnostic>,
}

/// The theme's templates, ready for the configuration they were made for.
pub struct Renderer {
    config: SiteConfig,
    theme: Theme,
    tera: tera::Tera,
}

impl Renderer {
    /// Parses the templates; `site` and `t`, the same on every page, are set once.
    pub fn new(config: SiteConfig, theme: Theme) -> Result<Self, Diagnostic> {
        let mut tera = engine::build(&theme, &config.base_url)?;
        tera.global_context().insert("site", &SiteContext::new(&config));
        tera.global_context().insert("t", &theme.strings);
        Ok(Renderer { config, theme, tera })
    }

    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// How paper text is rendered for `model`, `[[id]]` targets included
    /// (every paper's title, rendered in parallel).
    pub fn text_options(&self, model: &Model) -> MarkdownOptions {
        let base = &self.config.base_url;
        MarkdownOptions {
            base: base.clone(),
            unsafe_html: self.config.unsafe_html,
            papers: (0..model.papers.len())
                .into_par_iter()
                .map(|i| (model.papers[i].id.clone(), paper_ref(model, i, base)))
                .collect(),
        }
    }

    /// What `[[id]]` shows for paper `i`: its title, linking to its details.
    pub fn paper_ref(&self, model: &Model, i: usize) -> PaperRef {
        paper_ref(model, i, &self.config.base_url)
    }

    /// Renders paper `i`'s summary, abstract and body, and its context;
    /// `in_feed` keeps what a category or tag feed shows of it.
    pub fn paper_text(&self, model: &Model, i: usize, md: &MarkdownOptions, in_feed: bool) -> Arc<PaperText> {
        let base = &self.config.base_url;
        let paper: &Paper = &model.papers[i];
        let place = model.placement[i];
        let mut warnings = Vec::new();
        let summary_html = paper.summary.as_deref().map(|s| tex::plain_text_to_html(s, &mut warnings));
        // Titles are shown inside links: `\url{}` stays text there.
        let title_html = tex::to_html(&paper.title, false, &mut warnings);
        let translated_title_html =
            paper.translated_title.as_deref().map(|t| tex::to_html(t, false, &mut warnings));
        let mut text = |r: markdown::Rendered| {
            warnings.extend(r.warnings);
            r.html
        };
        let abstract_html = paper
            .abstract_md
            .as_deref()
            .map(|a| text(markdown::render_arxiv(a, &format!("{}-abs", paper.slug), md)));
        let body_html = text(markdown::render(&paper.body, &paper.slug, md));
        let feed = in_feed.then(|| feeds::FeedHtml {
            summary_html: summary_html.clone(),
            abstract_html: abstract_html.clone(),
        });
        let html = PaperHtml { title_html, translated_title_html, summary_html, abstract_html, body_html };
        let ctx = PaperContext::new(paper, place.number, &model.digests[place.digest], html, base);
        let mut seen = HashSet::new();
        let warnings = warnings
            .into_iter()
            .filter(|w| seen.insert(w.clone()))
            .map(|w| Diagnostic::warning(&paper.source, w))
            .collect();
        let (value, list) = context::paper_values(&ctx);
        Arc::new(PaperText { value, brief: Arc::new(Brief { list, feed, warnings }) })
    }

    /// Each digest's context, in order.
    pub fn digests(&self, model: &Model) -> Vec<Value> {
        let base = &self.config.base_url;
        model.digests.iter().map(|d| context::to_value(&DigestContext::new(model, d, base))).collect()
    }
}

/// What `[[id]]` shows for paper `i`: its title, linking to its details.
fn paper_ref(model: &Model, i: usize, base: &BaseUrl) -> PaperRef {
    let p = &model.papers[i];
    let digest = &model.digests[model.placement[i].digest].key;
    // What the title shows is reported where the title is shown.
    let title_html = tex::to_html(p.translated_title.as_deref().unwrap_or(&p.title), false, &mut Vec::new());
    let url = base.link(&pages::paper_on_digest(digest, &p.slug));
    PaperRef { title_html, url }
}

/// A fresh version number: versions only need to differ, not to mean anything.
pub fn next_version() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One site, ready to render any of its pages: the renderer and what it
/// renders from, all borrowed from the [`crate::site::Site`] that owns them.
#[derive(Clone, Copy)]
pub struct Pages<'a> {
    pub renderer: &'a Renderer,
    pub model: &'a Model,
    /// Each paper's text, by index in `model.papers`, rendered when first read.
    pub texts: texts::Texts<'a>,
    /// Each digest's context, by index in `model.digests`.
    pub digests: &'a [Value],
    /// The search index, built when first needed unless given beforehand.
    pub search: &'a OnceLock<search::SearchIndex>,
}

impl<'a> Pages<'a> {
    fn config(&self) -> &'a SiteConfig {
        &self.renderer.config
    }

    /// Every page of the site; the starred page when the theme has one.
    pub fn plan(&self) -> Vec<PageKind> {
        let shards = search::shard_count(self.model.papers.len());
        let mut plan = pages::plan(self.model, self.config(), shards);
        if self.renderer.theme.templates.contains_key(pages::STARRED_TEMPLATE) {
            plan.push(PageKind::Starred);
        }
        plan
    }

    /// The site path of a page: what follows the base path in its URL.
    pub fn site_path(&self, page: PageKind) -> String {
        pages::site_path(self.model, page)
    }

    /// The output file of a page.
    pub fn output_file(&self, page: PageKind) -> String {
        crate::url::output_file(&self.site_path(page))
    }

    /// The search index.
    pub fn search(&self) -> &'a search::SearchIndex {
        self.search.get_or_init(|| search::SearchIndex::build(self.model))
    }

    /// Renders one page.
    pub fn render(&self, page: PageKind) -> Result<RenderedPage, Diagnostic> {
        let site_path = self.site_path(page);
        let shown = self.config().base_url.link(&site_path);
        let html = match page.template() {
            Some(template) => self
                .render_template(template, self.context(page), self.page_value(page, &site_path))
                .map_err(|e| engine::diagnostic(&self.renderer.theme, &e, Some(&shown)))?,
            None => self.generate(page),
        };
        // The 404 page is served at any address, so its links stay absolute.
        let html = if self.config().relative_urls && page.is_html() && page != PageKind::NotFound {
            relative::relativize(&html, &site_path, &self.config().base_url.path)
        } else {
            html
        };
        Ok(RenderedPage { path: crate::url::output_file(&site_path), kind: page.output_kind(), html })
    }

    /// `page`: a function of the page's path and of the papers it shows,
    /// both in what decides whether it changed already.
    fn page_value(&self, page: PageKind, site_path: &str) -> Value {
        let bilingual = |p: usize| context::is_bilingual(&self.model.papers[p]);
        let titled = |p: usize| self.model.papers[p].translated_title.is_some();
        let base_url = &self.config().base_url;
        context::to_value(&context::PageContext {
            permalink: base_url.link(site_path),
            url: base_url.absolute(site_path),
            bilingual: match page {
                // Without its text, a paper's page shows only its titles in two languages.
                PageKind::Paper(p) if self.config().paper_full_text => bilingual(p),
                PageKind::Paper(p) => titled(p),
                PageKind::Digest(d) => self.model.entries[self.model.digests[d].entries.clone()]
                    .iter()
                    .any(|e| bilingual(e.paper)),
                // The home page lists titles: the translated one, or the original.
                PageKind::Home { .. } => self.any_paper_shown(page, titled),
                _ => false,
            },
        })
    }

    fn render_template(
        &self,
        template: &str,
        parts: Vec<(&'static str, Value)>,
        page: Value,
    ) -> tera::TeraResult<Vec<u8>> {
        let mut context = tera::Context::new();
        for (key, value) in parts {
            context.insert_value(key, value);
        }
        context.insert_value("page", page);
        let mut html = Vec::with_capacity(16 * 1024);
        self.renderer.tera.render_to(template, &context, &mut html)?;
        Ok(html)
    }

    /// The values a page shows, by key.
    fn context(&self, page: PageKind) -> Vec<(&'static str, Value)> {
        self.parts(page).into_iter().map(|(key, part)| (key, self.value(&part))).collect()
    }

    /// Files made without a template, from typed values: feeds, sitemaps,
    /// robots.txt, JSON data and the search index. Called only for the
    /// pages [`PageKind::template`] names no template for.
    fn generate(&self, page: PageKind) -> Vec<u8> {
        let config = self.config();
        let feed = feeds::Source {
            config,
            strings: &self.renderer.theme.strings,
            model: self.model,
            texts: self.texts,
        };
        match page {
            PageKind::DigestJson(d) => data::to_json(&data::DigestData::new(self.model, d, config)),
            PageKind::PaperJson(p) => data::to_json(&data::PaperData::new(self.model, p, config)),
            PageKind::SiteFeed => feed.site_feed(self.feed_digests()),
            PageKind::TermFeed { kind, term } => feed.term_feed(kind, term, self.feed_papers(kind, term)),
            PageKind::Sitemap | PageKind::SitemapPart(_) => match self.sitemap_urls(page) {
                Some(range) => sitemap::urlset(&self.urls(range)),
                None => sitemap::index(config, self.sitemap_parts()),
            },
            PageKind::Robots => sitemap::robots(config),
            PageKind::SearchMeta => self.search().meta.clone(),
            PageKind::SearchShard(n) => self.search().shards[n].clone(),
            PageKind::SearchDocs(n) => search::chunk(self.model, n, &config.base_url),
            PageKind::Home { .. }
            | PageKind::Digest(_)
            | PageKind::Paper(_)
            | PageKind::Archive
            | PageKind::NotFound
            | PageKind::Terms(_)
            | PageKind::Term { .. }
            | PageKind::Search
            | PageKind::Starred => unreachable!("{page:?} is rendered through its template"),
        }
    }

    /// The HTML pages in `range` of the plan's HTML pages, for a sitemap.
    fn urls(&self, range: std::ops::Range<usize>) -> Vec<sitemap::Url> {
        let base_url = &self.config().base_url;
        self.html_pages()[range]
            .iter()
            .map(|&page| sitemap::Url {
                loc: base_url.absolute(&self.site_path(page)),
                lastmod: sitemap::lastmod(self.model, page),
            })
            .collect()
    }
}

/// One template mistake shows on every page of a kind; report it once.
pub fn dedup(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| {
        (d.path.clone(), d.line, d.message.split(" (while rendering").next().map(str::to_owned))
    };
    let mut seen = HashSet::new();
    problems.retain(|d| seen.insert(key(d)));
    problems
}
