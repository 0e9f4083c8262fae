//! Stage 3: papers and digests -> HTML pages.
//!
//! Each paper's Markdown is rendered once ([`markdown`]) and its context
//! ([`context`]) is reused on every page that shows it. The page plan
//! ([`pages`]) lists every page; pages are rendered in parallel through the
//! theme's templates ([`theme`], [`engine`]) and handed to a sink (the write
//! stage) as soon as each is ready, so the whole site is never held in memory.

pub mod context;
pub mod engine;
pub mod markdown;
pub mod pages;
pub mod theme;

use rayon::prelude::*;
use serde_json::{json, Map, Value};

pub use theme::Theme;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Error, Result};
use crate::group::Site;
use context::{DigestContext, Pagination, PaperContext, PaperHtml, SiteContext};
use markdown::MarkdownOptions;
use pages::PageKind;

/// A finished page: where it goes (relative to the output root) and its text.
pub struct RenderedPage {
    pub path: String,
    pub html: String,
}

/// Renders the pages of one site.
pub struct SiteRenderer<'a> {
    site: &'a Site,
    config: &'a SiteConfig,
    theme: &'a Theme,
    tera: tera::Tera,
    /// `site` and `t`, shared by every page.
    common: Map<String, Value>,
    /// Each paper's full context, by index in `site.papers`.
    papers: Vec<Value>,
    /// Each digest's context, by index in `site.digests`.
    digests: Vec<Value>,
}

impl<'a> SiteRenderer<'a> {
    /// Parses the templates and renders every paper's Markdown once.
    pub fn new(config: &'a SiteConfig, theme: &'a Theme, site: &'a Site) -> Result<Self> {
        let base = config.base_url.path.as_str();
        let tera = engine::build(theme, base).map_err(|d| Error::Site(vec![d]))?;
        let md = MarkdownOptions { base_path: base.to_owned(), unsafe_html: config.unsafe_html };
        let papers = (0..site.papers.len())
            .into_par_iter()
            .map(|i| {
                let paper = &site.papers[i];
                let place = site.placement[i];
                let html = PaperHtml {
                    abstract_html: paper
                        .abstract_md
                        .as_deref()
                        .map(|a| markdown::render(a, &format!("{}-abs", paper.slug), &md)),
                    body_html: markdown::render(&paper.body, &paper.slug, &md),
                };
                context::to_value(&PaperContext::new(
                    paper,
                    place.number,
                    &site.digests[place.digest],
                    html,
                    base,
                ))
            })
            .collect();
        let digests = site.digests.iter().map(|d| context::to_value(&DigestContext::new(d, base))).collect();
        let mut common = Map::new();
        common.insert("site".into(), context::to_value(&SiteContext::new(config)));
        common.insert("t".into(), context::to_value(&theme.strings));
        Ok(SiteRenderer { site, config, theme, tera, common, papers, digests })
    }

    /// Renders every page in parallel, handing each to `sink`; returns the count.
    pub fn render_all(&self, sink: &(dyn Fn(RenderedPage) -> Result<()> + Sync)) -> Result<usize> {
        let plan = pages::plan(self.site, self.config.home_per_page);
        let outcomes = plan
            .par_iter()
            .map(|&page| match self.render(page) {
                Ok(rendered) => sink(rendered).map(Ok),
                Err(d) => Ok(Err(d)),
            })
            .collect::<Result<Vec<_>>>()?;
        let problems: Vec<Diagnostic> = outcomes.into_iter().filter_map(Result::err).collect();
        if problems.is_empty() {
            Ok(plan.len())
        } else {
            Err(Error::Site(dedup(problems)))
        }
    }

    /// Renders one page.
    pub fn render(&self, page: PageKind) -> Result<RenderedPage, Diagnostic> {
        let site_path = pages::site_path(self.site, page);
        let context = tera::Context::from_value(Value::Object(self.context(page)))
            .map_err(|e| engine::diagnostic(self.theme, &e, Some(&site_path)))?;
        let html = self.tera.render(page.template(), &context).map_err(|e| {
            engine::diagnostic(self.theme, &e, Some(&format!("{}{site_path}", self.config.base_url.path)))
        })?;
        Ok(RenderedPage { path: pages::output_file(&site_path), html })
    }

    /// The template context of one page.
    fn context(&self, page: PageKind) -> Map<String, Value> {
        let mut ctx = self.common.clone();
        let base = self.config.base_url.path.as_str();
        match page {
            PageKind::Home { number, of } => {
                let per = self.config.home_per_page;
                let shown = (number - 1) * per..(number * per).min(self.site.digests.len());
                let digests: Vec<Value> = shown.map(|d| self.digest_with_papers(d)).collect();
                ctx.insert("digests".into(), Value::Array(digests));
                ctx.insert("pagination".into(), context::to_value(&Pagination::home(number, of, base)));
            }
            PageKind::Digest(d) => {
                ctx.insert("digest".into(), self.digests[d].clone());
                ctx.insert(
                    "papers".into(),
                    Value::Array(self.papers[self.site.digests[d].papers.clone()].to_vec()),
                );
                ctx.insert("newer".into(), self.digest_value(d.checked_sub(1)));
                ctx.insert("older".into(), self.digest_value(Some(d + 1)));
            }
            PageKind::Paper(p) => {
                let place = self.site.placement[p];
                let range = &self.site.digests[place.digest].papers;
                ctx.insert("paper".into(), self.papers[p].clone());
                ctx.insert("digest".into(), self.digests[place.digest].clone());
                let previous = p.checked_sub(1).filter(|i| range.contains(i));
                let next = Some(p + 1).filter(|i| range.contains(i));
                ctx.insert("previous".into(), previous.map_or(Value::Null, |i| self.paper_link(i)));
                ctx.insert("next".into(), next.map_or(Value::Null, |i| self.paper_link(i)));
            }
            PageKind::Archive => {
                ctx.insert("years".into(), context::to_value(&context::archive(self.site, base)));
            }
            PageKind::NotFound => {}
        }
        ctx
    }

    fn digest_value(&self, d: Option<usize>) -> Value {
        d.and_then(|d| self.digests.get(d)).cloned().unwrap_or(Value::Null)
    }

    /// A digest for lists: its context plus short links to its papers.
    fn digest_with_papers(&self, d: usize) -> Value {
        let mut value = self.digests[d].clone();
        let papers: Vec<Value> = self.site.digests[d].papers.clone().map(|p| self.paper_link(p)).collect();
        if let Value::Object(map) = &mut value {
            map.insert("papers".into(), Value::Array(papers));
        }
        value
    }

    /// The fields of a paper that lists and neighbours need.
    fn paper_link(&self, p: usize) -> Value {
        let full = &self.papers[p];
        let pick = |k: &str| full.get(k).cloned().unwrap_or(Value::Null);
        json!({
            "id": pick("id"),
            "slug": pick("slug"),
            "number": pick("number"),
            "title": pick("title"),
            "translated_title": pick("translated_title"),
            "summary": pick("summary"),
            "permalink": pick("permalink"),
            "digest_permalink": pick("digest_permalink"),
        })
    }
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
