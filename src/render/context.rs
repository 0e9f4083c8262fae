//! Stage 3, data: what each template receives, as plain serialisable structs.
//!
//! This is the theme's interface (documented in the README): `site` and `t`
//! on every page, then `digest`, `paper`, `papers`, `pagination`... per page.
//! Links are root-relative and already carry the base path.

use chrono::Datelike;
use serde::Serialize;
use serde_json::Value;

use super::pages::{digest_path, home_path, paper_path, term_path};
use crate::config::SiteConfig;
use crate::group::{terms, Digest, Site, Term, TermKind};
use crate::load::Paper;

/// `site` in every template.
#[derive(Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// The path prefix of every link: `/` or `/repo/`.
    pub base_path: &'a str,
    /// The absolute address of the home page.
    pub base_url: String,
    pub extra: &'a Value,
}

impl<'a> SiteContext<'a> {
    pub fn new(config: &'a SiteConfig) -> Self {
        SiteContext {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_path: &config.base_url.path,
            base_url: config.base_url.absolute(""),
            extra: &config.extra,
        }
    }
}

/// A paper with its rendered text and every link a template needs.
#[derive(Serialize)]
pub struct PaperContext<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    /// Its number in its digest: the footnote number of its summary row.
    pub number: usize,
    pub title: &'a str,
    pub translated_title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub pdf_url: Option<&'a str>,
    pub date: String,
    pub summary: Option<&'a str>,
    /// The summary as HTML: escaped text, its `$...$` formulas as MathML.
    pub summary_html: Option<String>,
    pub abstract_html: Option<String>,
    pub body_html: String,
    pub authors: &'a [String],
    pub categories: &'a [String],
    pub tags: &'a [String],
    /// Its categories and tags with the links to their pages.
    pub category_links: Vec<TermLink<'a>>,
    pub tag_links: Vec<TermLink<'a>>,
    pub announce_type: Option<&'a str>,
    pub extra: &'a Value,
    /// The paper's own page.
    pub permalink: String,
    /// The id of its details on the digest page.
    pub anchor: String,
    /// The id of its row in the digest's summary table.
    pub ref_anchor: String,
    /// Its details on its digest page (`.../digest/KEY/#paper-SLUG`).
    pub digest_permalink: String,
    /// Its row in its digest's summary table (`.../digest/KEY/#ref-SLUG`).
    pub ref_permalink: String,
    pub digest_key: &'a str,
}

/// A category or tag as a paper shows it.
#[derive(Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub permalink: String,
}

impl<'a> TermLink<'a> {
    fn all(kind: TermKind, names: &'a [String], base: &str) -> Vec<Self> {
        names
            .iter()
            .map(|name| TermLink {
                name,
                permalink: format!("{base}{}", term_path(kind, &terms::slug(name), 1)),
            })
            .collect()
    }
}

/// A category or tag on its own page and in the index of terms.
#[derive(Serialize)]
pub struct TermContext<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    /// `category` or `tag`.
    pub kind: &'static str,
    pub permalink: String,
    pub feed: String,
    pub count: usize,
}

impl<'a> TermContext<'a> {
    pub fn new(kind: TermKind, term: &'a Term, base: &str) -> Self {
        let permalink = format!("{base}{}", term_path(kind, &term.slug, 1));
        TermContext {
            name: &term.name,
            slug: &term.slug,
            kind: kind.segment(),
            feed: format!("{permalink}atom.xml"),
            permalink,
            count: term.papers.len(),
        }
    }
}

/// The rendered HTML of one paper's texts.
pub struct PaperHtml {
    pub summary_html: Option<String>,
    pub abstract_html: Option<String>,
    pub body_html: String,
}

impl<'a> PaperContext<'a> {
    pub fn new(paper: &'a Paper, number: usize, digest: &'a Digest, html: PaperHtml, base: &str) -> Self {
        let anchor = format!("paper-{}", paper.slug);
        let ref_anchor = format!("ref-{}", paper.slug);
        let digest_link = format!("{base}{}", digest_path(&digest.key));
        PaperContext {
            id: &paper.id,
            slug: &paper.slug,
            number,
            title: &paper.title,
            translated_title: paper.translated_title.as_deref(),
            url: paper.url.as_deref(),
            pdf_url: paper.pdf_url.as_deref(),
            date: paper.date.to_string(),
            summary: paper.summary.as_deref(),
            summary_html: html.summary_html,
            abstract_html: html.abstract_html,
            body_html: html.body_html,
            authors: &paper.authors,
            categories: &paper.categories,
            tags: &paper.tags,
            category_links: TermLink::all(TermKind::Category, &paper.categories, base),
            tag_links: TermLink::all(TermKind::Tag, &paper.tags, base),
            announce_type: paper.announce_type.as_deref(),
            extra: &paper.extra,
            permalink: format!("{base}{}", paper_path(&paper.slug)),
            digest_permalink: format!("{digest_link}#{anchor}"),
            ref_permalink: format!("{digest_link}#{ref_anchor}"),
            anchor,
            ref_anchor,
            digest_key: &digest.key,
        }
    }
}

/// A digest as listed on home and archive pages, and as the head of its page.
#[derive(Serialize)]
pub struct DigestContext<'a> {
    pub key: &'a str,
    /// The first day of its period, `YYYY-MM-DD`.
    pub date: String,
    pub year: i32,
    pub month: u32,
    pub permalink: String,
    pub count: usize,
}

impl<'a> DigestContext<'a> {
    pub fn new(digest: &'a Digest, base: &str) -> Self {
        DigestContext {
            key: &digest.key,
            date: digest.start.to_string(),
            year: digest.start.year(),
            month: digest.start.month(),
            permalink: format!("{base}{}", digest_path(&digest.key)),
            count: digest.papers.len(),
        }
    }
}

/// Links between the pages of a paginated list.
#[derive(Serialize)]
pub struct Pagination {
    pub number: usize,
    pub of: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pagination {
    /// Links between the pages `path(1)`, `path(2)`... of a list.
    pub fn new(number: usize, of: usize, base: &str, path: impl Fn(usize) -> String) -> Self {
        Pagination {
            number,
            of,
            previous: (number > 1).then(|| format!("{base}{}", path(number - 1))),
            next: (number < of).then(|| format!("{base}{}", path(number + 1))),
        }
    }

    pub fn home(number: usize, of: usize, base: &str) -> Self {
        Self::new(number, of, base, home_path)
    }
}

/// The archive: digests by year, then month, newest first.
#[derive(Serialize)]
pub struct ArchiveYear<'a> {
    pub year: i32,
    pub months: Vec<ArchiveMonth<'a>>,
}

#[derive(Serialize)]
pub struct ArchiveMonth<'a> {
    pub year: i32,
    pub month: u32,
    pub digests: Vec<DigestContext<'a>>,
}

pub fn archive<'a>(site: &'a Site, base: &str) -> Vec<ArchiveYear<'a>> {
    let mut years: Vec<ArchiveYear> = Vec::new();
    for digest in &site.digests {
        let d = DigestContext::new(digest, base);
        if years.last().is_none_or(|y| y.year != d.year) {
            years.push(ArchiveYear { year: d.year, months: Vec::new() });
        }
        let months = &mut years.last_mut().expect("pushed above").months;
        if months.last().is_none_or(|m| m.month != d.month) {
            months.push(ArchiveMonth { year: d.year, month: d.month, digests: Vec::new() });
        }
        months.last_mut().expect("pushed above").digests.push(d);
    }
    years
}

/// Serialises a context value; our structs cannot fail to serialise.
pub fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
