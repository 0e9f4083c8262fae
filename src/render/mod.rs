//! Stage 3: papers and digests -> HTML pages.
//!
//! Each paper's Markdown is rendered once ([`markdown`]) into a context value
//! ([`context`]) that every page showing the paper reuses. The page plan
//! ([`pages`]) lists every page; each page's context is assembled from
//! parts ([`parts`]), so the same description yields both the context and a
//! fingerprint of everything the page shows: `serve` re-renders only pages
//! whose fingerprint changed. Pages are rendered in parallel through the
//! theme's templates ([`theme`], [`engine`]) and handed to a sink as soon as
//! each is ready, so the whole site is never held in memory by a build.
//! The search index ([`search`]) is built once per renderer (by a build,
//! before the papers' texts) and written as many small files; with
//! `relative_urls`, links are made relative last ([`relative`]).

pub mod context;
pub mod data;
pub mod engine;
pub mod feeds;
pub mod markdown;
pub mod math;
mod math_input;
mod math_sanitize;
pub mod pages;
mod parts;
pub mod relative;
pub mod search;
pub mod sitemap;
pub mod spans;
pub mod tex;
mod tex_letters;
pub mod theme;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::Value;

pub use pages::PageKind;
pub use theme::Theme;

use crate::config::SiteConfig;
use crate::error::{printable_line, Diagnostic, Error, Result};
use crate::group::Site;
use crate::load::Paper;
use context::{DigestContext, PaperContext, PaperHtml, SiteContext};
use markdown::MarkdownOptions;

/// A finished page: where it goes (relative to the output root) and its bytes.
pub struct RenderedPage {
    pub path: String,
    pub html: Vec<u8>,
}

/// A rendered paper context and the version that identifies its content.
/// A template value shares its strings, lists and maps: every page and list
/// showing the paper clones it for the cost of a few reference counts.
#[derive(Clone)]
struct PaperValue {
    value: Value,
    version: u64,
}

/// Renders the pages of one site.
pub struct SiteRenderer {
    site: Site,
    config: SiteConfig,
    theme: Theme,
    tera: tera::Tera,
    /// Changes whenever the templates or interface strings change.
    theme_version: u64,
    /// Each paper's full context, by index in `site.papers`.
    /// Shared, so a rebuild reuses an unchanged paper without copying it.
    papers: Vec<Arc<PaperValue>>,
    /// Each digest's context, by index in `site.digests`.
    digests: Vec<Value>,
    /// How paper text was rendered, `[[id]]` targets included.
    md: MarkdownOptions,
    /// The search index: given by [`with_search`](Self::with_search), or
    /// built when first needed.
    search: OnceLock<search::SearchIndex>,
    /// A hash of every paper's version, in order: what the index depends on.
    search_version: OnceLock<u64>,
}

impl SiteRenderer {
    /// Parses the templates and renders every paper's Markdown once.
    pub fn new(config: SiteConfig, theme: Theme, site: Site) -> Result<Self> {
        Self::reusing(config, theme, site, None)
    }

    /// Like [`SiteRenderer::new`], but keeps the rendered text of every paper
    /// that `previous` already rendered at the same place: after one edit,
    /// only the edited paper's Markdown is rendered again. `previous` must
    /// have the same configuration.
    pub fn reusing(
        config: SiteConfig,
        theme: Theme,
        site: Site,
        previous: Option<&SiteRenderer>,
    ) -> Result<Self> {
        let base = config.base_url.path.clone();
        let mut tera = engine::build(&theme, &base).map_err(|d| Error::Site(vec![d]))?;
        // `site` and `t`, the same on every page.
        tera.global_context().insert("site", &SiteContext::new(&config));
        tera.global_context().insert("t", &theme.strings);
        let md = MarkdownOptions {
            base_path: base.clone(),
            unsafe_html: config.unsafe_html,
            papers: paper_refs(&site, &base),
        };
        let old = previous.map(|p| p.paper_index()).unwrap_or_default();
        let papers = (0..site.papers.len())
            .into_par_iter()
            .map(|i| {
                let reused = old.get(site.papers[i].slug.as_str()).and_then(|&j| {
                    let prev = previous?;
                    prev.same_paper_at(j, &site, i, &md).then(|| prev.papers[j].clone())
                });
                reused.unwrap_or_else(|| paper_value(&site, i, &md, &base))
            })
            .collect();
        let digests =
            site.digests.iter().map(|d| context::to_value(&DigestContext::new(&site, d, &base))).collect();
        let theme_version = match previous {
            Some(p) if p.theme.templates == theme.templates && p.theme.strings == theme.strings => {
                p.theme_version
            }
            _ => next_version(),
        };
        Ok(SiteRenderer {
            site,
            config,
            theme,
            tera,
            theme_version,
            papers,
            digests,
            md,
            search: OnceLock::new(),
            search_version: OnceLock::new(),
        })
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// Every page of the site.
    pub fn plan(&self) -> Vec<PageKind> {
        let shards = search::shard_count(self.site.papers.len());
        pages::plan(&self.site, self.config.home_per_page, self.config.terms_per_page, shards)
    }

    /// Uses `index`, built beforehand from the same site, as the search index.
    pub fn with_search(self, index: search::SearchIndex) -> Self {
        let _ = self.search.set(index);
        self
    }

    /// The search index, built on first use unless it was given.
    pub fn search(&self) -> &search::SearchIndex {
        self.search.get_or_init(|| search::SearchIndex::build(&self.site))
    }

    /// The output file of a page.
    pub fn output_file(&self, page: PageKind) -> String {
        pages::output_file(&pages::site_path(&self.site, page))
    }

    /// Renders every page in parallel, handing each to `sink`; returns the
    /// number of HTML pages and of files in all.
    pub fn render_all(&self, sink: &(dyn Fn(RenderedPage) -> Result<()> + Sync)) -> Result<(usize, usize)> {
        let plan = self.plan();
        self.render_pages(&plan, sink)?;
        Ok((plan.iter().filter(|p| p.is_html()).count(), plan.len()))
    }

    /// Renders `pages` in parallel, handing each to `sink`. Template errors
    /// are collected (once per template mistake); a sink error stops at once.
    pub fn render_pages(
        &self,
        pages: &[PageKind],
        sink: &(dyn Fn(RenderedPage) -> Result<()> + Sync),
    ) -> Result<()> {
        let outcomes = pages
            .par_iter()
            .map(|&page| match self.render(page) {
                Ok(rendered) => sink(rendered).map(Ok),
                Err(d) => Ok(Err(d)),
            })
            .collect::<Result<Vec<_>>>()?;
        let problems: Vec<Diagnostic> = outcomes.into_iter().filter_map(Result::err).collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Site(dedup(problems)))
        }
    }

    /// Renders one page.
    pub fn render(&self, page: PageKind) -> Result<RenderedPage, Diagnostic> {
        let site_path = pages::site_path(&self.site, page);
        let shown = format!("{}{site_path}", self.config.base_url.path);
        let html = match page.template() {
            Some(template) => self
                .render_template(template, self.context(page), self.page_value(page, &site_path))
                .map_err(|e| engine::diagnostic(&self.theme, &e, Some(&shown)))?,
            None => self.generate(page),
        };
        // The 404 page is served at any address, so its links stay absolute.
        let html = if self.config.relative_urls && page.is_html() && page != PageKind::NotFound {
            relative::relativize(&html, &site_path, &self.config.base_url.path)
        } else {
            html
        };
        Ok(RenderedPage { path: pages::output_file(&site_path), html })
    }

    /// `page`: a function of the page's path and of the papers it shows,
    /// both in its fingerprint already.
    fn page_value(&self, page: PageKind, site_path: &str) -> Value {
        let bilingual = |p: usize| context::is_bilingual(&self.site.papers[p]);
        let base_url = &self.config.base_url;
        context::to_value(&context::PageContext {
            permalink: base_url.link(site_path),
            url: base_url.absolute(site_path),
            bilingual: match page {
                PageKind::Paper(p) => bilingual(p),
                PageKind::Digest(d) => self.site.digests[d].papers.clone().any(bilingual),
                // Lists show titles: the translated one, or the original.
                PageKind::Home { .. } | PageKind::Term { .. } => {
                    self.any_paper_shown(page, |p| self.site.papers[p].translated_title.is_some())
                }
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
        self.tera.render_to(template, &context, &mut html)?;
        Ok(html)
    }

    /// The values a page shows, by key.
    fn context(&self, page: PageKind) -> Vec<(&'static str, Value)> {
        self.parts(page).into_iter().map(|(key, part)| (key, self.value(&part))).collect()
    }

    /// Files made without a template: feeds, sitemaps, robots.txt, JSON.
    fn generate(&self, page: PageKind) -> Vec<u8> {
        match page {
            PageKind::DigestJson(d) => {
                return data::to_json(&data::DigestData::new(&self.site, d, &self.config))
            }
            PageKind::PaperJson(p) => {
                return data::to_json(&data::PaperData::new(&self.site, p, &self.config))
            }
            _ => {}
        }
        let ctx = self.context(page);
        let none = Value::none();
        let get = |key: &str| ctx.iter().find(|(k, _)| *k == key).map_or(&none, |(_, v)| v);
        let list = |key: &str| get(key).as_array().unwrap_or_default();
        let urls =
            |key: &str| list(key).iter().filter_map(|u| u.as_str().map(str::to_owned)).collect::<Vec<_>>();
        match page {
            PageKind::SiteFeed => feeds::site_feed(&self.config, &self.theme.strings, list("digests")),
            PageKind::TermFeed { .. } => feeds::term_feed(&self.config, get("term"), list("papers")),
            PageKind::Sitemap if list("parts").is_empty() => sitemap::urlset(&urls("urls")),
            PageKind::Sitemap => sitemap::index(&self.config, list("parts").len()),
            PageKind::SitemapPart(_) => sitemap::urlset(&urls("urls")),
            PageKind::Robots => sitemap::robots(&self.config),
            PageKind::SearchMeta => self.search().meta.clone(),
            PageKind::SearchShard(n) => self.search().shards[n].clone(),
            PageKind::SearchDocs(n) => search::chunk(&self.site, n, &self.config.base_url.path),
            _ => Vec::new(),
        }
    }

    /// Puts `paper` in the place of paper `i`, which it may take without
    /// grouping again ([`crate::group::same_place`]): renders its text, and
    /// that of the papers citing it when the title they show changed.
    /// Returns the papers whose context changed.
    pub fn replace_paper(&mut self, i: usize, paper: Arc<Paper>) -> Vec<usize> {
        let base = self.config.base_url.path.clone();
        self.site.papers[i] = paper;
        let reference = paper_ref(&self.site, i, &base);
        let title_changed = self.md.papers.get(&self.site.papers[i].id) != Some(&reference);
        self.md.papers.insert(self.site.papers[i].id.clone(), reference);
        let mut changed = vec![i];
        if title_changed {
            changed.extend(&self.site.citations.cited_by[i]);
        }
        for &p in &changed {
            self.papers[p] = paper_value(&self.site, p, &self.md, &base);
        }
        self.search = OnceLock::new();
        self.search_version = OnceLock::new();
        changed
    }

    /// Slug -> index of each paper, to find a paper again after regrouping.
    fn paper_index(&self) -> HashMap<&str, usize> {
        self.site.papers.iter().enumerate().map(|(i, p)| (p.slug.as_str(), i)).collect()
    }

    /// Whether paper `j` here is the very same paper, at the same place, as
    /// paper `i` of `site`, citing papers that still show the same.
    fn same_paper_at(&self, j: usize, site: &Site, i: usize, md: &MarkdownOptions) -> bool {
        let (old, new) = (self.site.placement[j], site.placement[i]);
        let cited_same = site.citations.cites[i].iter().all(|&c| {
            let id = &site.papers[c].id;
            self.md.papers.get(id) == md.papers.get(id)
        });
        Arc::ptr_eq(&self.site.papers[j], &site.papers[i])
            && old.number == new.number
            && self.site.digests[old.digest].key == site.digests[new.digest].key
            && cited_same
    }
}

/// What `[[id]]` shows for each paper, by id.
fn paper_refs(site: &Site, base: &str) -> HashMap<String, markdown::PaperRef> {
    (0..site.papers.len()).map(|i| (site.papers[i].id.clone(), paper_ref(site, i, base))).collect()
}

/// What `[[id]]` shows for paper `i`: its title, linking to its details.
fn paper_ref(site: &Site, i: usize, base: &str) -> markdown::PaperRef {
    let p = &site.papers[i];
    let digest = &site.digests[site.placement[i].digest].key;
    let title = tex::to_text(p.translated_title.as_deref().unwrap_or(&p.title)).into_owned();
    let url = format!("{base}{}#paper-{}", pages::digest_path(digest), p.slug);
    markdown::PaperRef { title, url }
}

fn paper_value(site: &Site, i: usize, md: &MarkdownOptions, base: &str) -> Arc<PaperValue> {
    let paper: &Paper = &site.papers[i];
    let place = site.placement[i];
    let mut warnings = Vec::new();
    let summary_html = paper.summary.as_deref().map(|s| math::plain_text_to_html(s, &mut warnings));
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
    let html = PaperHtml { title_html, translated_title_html, summary_html, abstract_html, body_html };
    let mut seen = std::collections::HashSet::new();
    let report: String = warnings
        .iter()
        .filter(|w| seen.insert(*w))
        .map(|w| {
            let source = paper.source.display().to_string();
            format!("warning: {}: {}\n", printable_line(&source), printable_line(w))
        })
        .collect();
    eprint!("{report}");
    let ctx = PaperContext::new(paper, place.number, &site.digests[place.digest], html, base);
    let value = context::to_value(&ctx);
    Arc::new(PaperValue { value, version: next_version() })
}

/// A fresh version number: versions only need to differ, not to mean anything.
fn next_version() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One template mistake shows on every page of a kind; report it once.
fn dedup(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| {
        (d.path.clone(), d.line, d.message.split(" (while rendering").next().map(str::to_owned))
    };
    let mut seen = std::collections::HashSet::new();
    problems.retain(|d| seen.insert(key(d)));
    problems
}
