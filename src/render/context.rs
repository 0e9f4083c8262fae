//! Stage 3, data: what each template receives, as plain serialisable structs.
//!
//! This is the theme's interface (documented in the README): `site` and `t`
//! on every page, then `digest`, `paper`, `papers`, `pagination`... per page.
//! Links are root-relative and already carry the base path.

use std::borrow::Cow;

use chrono::Datelike;
use serde::Serialize;
use serde_json::Value;

use super::pages::{
    digest_path, home_path, paper_anchor, paper_on_digest, paper_path, ref_anchor, term_path,
};
use crate::arxiv::is_id as is_arxiv_id;
use crate::config::SiteConfig;
use crate::dates::format_day;
use crate::group::{Digest, Model, Term, TermKind};
use crate::load::Paper;
use crate::text::tex;
use crate::url::BaseUrl;

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
    /// `https://host`, to make a root-relative link absolute (`og:url`);
    /// empty when `base_url` is a bare path.
    pub origin: &'a str,
    /// The language as OpenGraph writes it: `zh` -> `zh_CN`, `en` -> `en_US`.
    pub locale: String,
    /// Paper pages repeat the abstract and body (`[paper] full_text`).
    pub paper_full_text: bool,
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
            origin: &config.base_url.origin,
            locale: og_locale(&config.language),
            paper_full_text: config.paper_full_text,
            extra: &config.extra,
        }
    }
}

/// `og:locale` for a site language: a language with a region (`pt-BR`)
/// keeps it, the two the theme speaks get their usual region.
fn og_locale(language: &str) -> String {
    match language {
        "zh" => "zh_CN".into(),
        "en" => "en_US".into(),
        other => other.replace('-', "_"),
    }
}

/// A paper in a list (home, category and tag pages, "cited by", previous
/// and next): what a list names it by and links it with. Few fields, as a
/// large site holds them for every paper; the paper's full value has them
/// too ([`PaperContext`], [`paper_values`]).
#[derive(Serialize)]
pub struct PaperInList<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    /// Its number in its digest: the footnote number of its summary row.
    pub number: usize,
    /// The title as plain text, arXiv's TeX resolved (`\"o` -> ö, `\emph{x}`
    /// -> x), formulas as written: for `<title>`, meta tags and feeds.
    pub title: Cow<'a, str>,
    pub translated_title: Option<Cow<'a, str>>,
    /// The titles as HTML: TeX resolved, emphasis, formulas as MathML.
    pub title_html: String,
    pub translated_title_html: Option<String>,
    pub date: String,
    /// The paper's own page.
    pub permalink: String,
    /// Its details on its digest page (`.../digest/KEY/#paper-SLUG`).
    pub digest_permalink: String,
}

/// A paper with its rendered text and every link a template needs: what
/// lists show ([`PaperInList`]) and the rest.
#[derive(Serialize)]
pub struct PaperContext<'a> {
    /// The fields a list shows, given to templates beside the others.
    #[serde(skip)]
    pub list: PaperInList<'a>,
    pub url: Option<&'a str>,
    pub pdf_url: Option<&'a str>,
    /// Its code repository (an http(s) address, checked when loaded).
    pub code: Option<&'a str>,
    /// The summary as plain text, arXiv's TeX resolved.
    pub summary: Option<Cow<'a, str>>,
    /// The summary as HTML: escaped text, TeX resolved, formulas as MathML.
    pub summary_html: Option<String>,
    pub abstract_html: Option<String>,
    pub body_html: String,
    /// The authors' names, arXiv's TeX resolved (`M\"uller` -> Müller).
    pub authors: Vec<Cow<'a, str>>,
    pub categories: &'a [String],
    pub tags: &'a [String],
    /// Its categories and tags with the links to their pages.
    pub category_links: Vec<TermLink<'a>>,
    pub tag_links: Vec<TermLink<'a>>,
    pub announce_type: Option<&'a str>,
    pub extra: &'a Value,
    /// The id of its details on the digest page.
    pub anchor: String,
    /// The id of its row in the digest's summary table.
    pub ref_anchor: String,
    /// Its row in its digest's summary table (`.../digest/KEY/#ref-SLUG`).
    pub ref_permalink: String,
    pub digest_key: &'a str,
    /// The id when it is an arXiv id (for `citation_arxiv_id`).
    pub arxiv_id: Option<&'a str>,
    /// A BibTeX entry for the paper, as plain text.
    pub bibtex: String,
    /// The body is in the site's language beside an abstract in the original
    /// one: the language toggle shows one or the other.
    pub translated_body: bool,
    /// It has a translated title or a translated body.
    pub bilingual: bool,
    /// What a language model wrote into it (`generated:`), or null.
    pub generated: Option<GeneratedContext<'a>>,
}

/// `generated` of a paper: the model, the day, and the fields it wrote.
#[derive(Serialize)]
pub struct GeneratedContext<'a> {
    pub by: &'a str,
    pub date: String,
    pub fields: &'a [String],
}

/// A category or tag as a paper shows it.
#[derive(Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub permalink: String,
}

impl<'a> TermLink<'a> {
    fn all(kind: TermKind, names: &'a [String], base: &BaseUrl) -> Vec<Self> {
        names
            .iter()
            .map(|name| TermLink {
                name,
                permalink: base.link(&term_path(kind, &crate::slug::term(name), 1)),
            })
            .collect()
    }
}

/// A category, tag or topic on its own page and in the index of terms.
#[derive(Serialize)]
pub struct TermContext<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    /// `category`, `tag` or `topic`.
    pub kind: &'static str,
    pub permalink: String,
    pub feed: String,
    pub count: usize,
    /// A topic's words, as `site.toml` lists them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<&'a [String]>,
}

impl<'a> TermContext<'a> {
    /// `words`: a topic's.
    pub fn new(kind: TermKind, term: &'a Term, words: Option<&'a [String]>, base: &BaseUrl) -> Self {
        let permalink = base.link(&term_path(kind, &term.slug, 1));
        TermContext {
            name: &term.name,
            slug: &term.slug,
            kind: kind.segment(),
            feed: format!("{permalink}atom.xml"),
            permalink,
            count: term.papers.len(),
            words,
        }
    }
}

/// The rendered HTML of one paper's texts.
pub struct PaperHtml {
    pub title_html: String,
    pub translated_title_html: Option<String>,
    pub summary_html: Option<String>,
    pub abstract_html: Option<String>,
    pub body_html: String,
}

impl<'a> PaperContext<'a> {
    pub fn new(paper: &'a Paper, number: usize, digest: &'a Digest, html: PaperHtml, base: &BaseUrl) -> Self {
        let anchor = paper_anchor(&paper.slug);
        let ref_anchor = ref_anchor(&paper.slug);
        let digest_link = base.link(&digest_path(&digest.key));
        let translated_body = has_translated_body(paper);
        let list = PaperInList {
            id: &paper.id,
            slug: &paper.slug,
            number,
            title: tex::to_text(&paper.title),
            translated_title: paper.translated_title.as_deref().map(tex::to_text),
            title_html: html.title_html,
            translated_title_html: html.translated_title_html,
            date: format_day(paper.date),
            permalink: base.link(&paper_path(&paper.slug)),
            digest_permalink: base.link(&paper_on_digest(&digest.key, &paper.slug)),
        };
        PaperContext {
            list,
            url: paper.url.as_deref(),
            pdf_url: paper.pdf_url.as_deref(),
            code: paper.code.as_deref(),
            summary: paper.summary.as_deref().map(tex::to_text),
            summary_html: html.summary_html,
            abstract_html: html.abstract_html,
            body_html: html.body_html,
            authors: paper.authors.iter().map(|a| tex::to_text(a)).collect(),
            categories: &paper.categories,
            tags: &paper.tags,
            category_links: TermLink::all(TermKind::Category, &paper.categories, base),
            tag_links: TermLink::all(TermKind::Tag, &paper.tags, base),
            announce_type: paper.announce_type.as_deref(),
            extra: &paper.extra,
            ref_permalink: format!("{digest_link}#{ref_anchor}"),
            anchor,
            ref_anchor,
            digest_key: &digest.key,
            arxiv_id: is_arxiv_id(&paper.id).then_some(paper.id.as_str()),
            bibtex: super::bibtex::entry(paper),
            translated_body,
            bilingual: is_bilingual(paper),
            generated: paper.generated.as_ref().map(|g| GeneratedContext {
                by: &g.by,
                date: g.date.to_string(),
                fields: &g.fields,
            }),
        }
    }
}

/// The body is a translation beside the original abstract.
fn has_translated_body(paper: &Paper) -> bool {
    paper.abstract_md.is_some() && !paper.body.trim().is_empty()
}

/// The paper has text in the site's language beside the original: a
/// translated title or body.
pub fn is_bilingual(paper: &Paper) -> bool {
    has_translated_body(paper) || paper.translated_title.is_some()
}

/// `page` on every HTML page: where it is, and what its header offers.
#[derive(Serialize)]
pub struct PageContext {
    /// Its link from the site root, with the base path: `/repo/paper/x/`.
    pub permalink: String,
    /// Its absolute address (the permalink when `base_url` has no host).
    pub url: String,
    /// It shows translated text beside the original: a language toggle helps.
    pub bilingual: bool,
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
    /// Every category of its papers, once, sorted: the filter chips.
    pub categories: Vec<&'a str>,
}

impl<'a> DigestContext<'a> {
    pub fn new(site: &'a Model, digest: &'a Digest, base: &BaseUrl) -> Self {
        let mut categories: Vec<&str> = site.entries[digest.entries.clone()]
            .iter()
            .flat_map(|e| site.papers[e.paper].categories.iter().map(String::as_str))
            .collect();
        categories.sort_unstable();
        categories.dedup();
        DigestContext {
            key: &digest.key,
            date: format_day(digest.start),
            year: digest.start.year(),
            month: digest.start.month(),
            permalink: base.link(&digest_path(&digest.key)),
            count: digest.entries.len(),
            categories,
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
    pub fn new(number: usize, of: usize, base: &BaseUrl, path: impl Fn(usize) -> String) -> Self {
        Pagination {
            number,
            of,
            previous: (number > 1).then(|| base.link(&path(number - 1))),
            next: (number < of).then(|| base.link(&path(number + 1))),
        }
    }

    pub fn home(number: usize, of: usize, base: &BaseUrl) -> Self {
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

pub fn archive<'a>(site: &'a Model, base: &BaseUrl) -> Vec<ArchiveYear<'a>> {
    let mut years: Vec<ArchiveYear> = Vec::new();
    for digest in &site.digests {
        let d = DigestContext::new(site, digest, base);
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
/// A context as a template value. The contexts are plain structs of
/// strings, numbers and lists, which always convert.
pub fn to_value<T: Serialize>(value: &T) -> tera::Value {
    tera::Value::try_from_serializable(value).unwrap_or_else(|_| tera::Value::none())
}

/// A paper's full value and its value in lists ([`PaperInList`]), which
/// share the strings of the fields both have.
pub fn paper_values(paper: &PaperContext) -> (tera::Value, tera::Value) {
    let list = to_value(&paper.list);
    let rest = to_value(paper).into_map().unwrap_or_default();
    // A copy of the list's map keeps its hashes: only the rest are hashed again.
    let mut full = list.as_map().cloned().unwrap_or_default();
    full.reserve_exact(rest.len());
    full.extend(rest);
    (full.into(), list)
}

/// `sections` on every page: whether the site has pages of categories,
/// of tags and of topics, which the menu links only then.
#[derive(Serialize)]
pub struct Sections {
    pub categories: bool,
    pub tags: bool,
    pub topics: bool,
}

impl Sections {
    pub fn new(model: &Model) -> Self {
        Sections {
            categories: !model.categories.is_empty(),
            tags: !model.tags.is_empty(),
            topics: !model.topics.is_empty(),
        }
    }
}

/// `search` on the search page.
#[derive(Serialize)]
pub struct SearchContext {
    /// How many papers the index holds.
    pub docs: usize,
    /// Where the index is: the folder of `meta.json`.
    pub index: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_lists_its_papers_categories_once_sorted() {
        let mut other = Paper::arxiv_example();
        other.id = "2404.00002".into();
        other.categories = vec!["cs.RO".into(), "cs.AI".into()];
        let papers = [Paper::arxiv_example(), other].map(std::sync::Arc::new);
        let site = crate::group::group(papers, crate::config::Period::Day, &[]).unwrap();
        let digest = DigestContext::new(&site, &site.digests[0], &BaseUrl::parse("/").unwrap());
        assert_eq!(digest.categories, ["cs.AI", "cs.CV", "cs.RO"]);
    }

    #[test]
    fn a_paper_is_bilingual_with_a_translated_title_or_a_body_beside_its_abstract() {
        let digest = Digest {
            key: "2024-04-02".into(),
            start: chrono::NaiveDate::from_ymd_opt(2024, 4, 2).unwrap(),
            entries: 0..1,
        };
        let html = || PaperHtml {
            title_html: String::new(),
            translated_title_html: None,
            summary_html: None,
            abstract_html: None,
            body_html: String::new(),
        };
        let flags = |p: &Paper| {
            let c = PaperContext::new(p, 1, &digest, html(), &BaseUrl::parse("/").unwrap());
            (c.bilingual, c.translated_body, c.arxiv_id.map(str::to_owned))
        };
        let plain = Paper::example("x", "2024-04-02");
        assert_eq!(flags(&plain), (false, false, None));
        let notes = Paper { body: "Notes.".into(), ..Paper::example("x", "2024-04-02") };
        assert_eq!(flags(&notes), (false, false, None), "a body without an abstract is not a translation");
        let title = Paper { translated_title: Some("标题".into()), ..Paper::arxiv_example() };
        assert_eq!(flags(&title), (true, false, Some("2404.01300".into())));
        let body =
            Paper { abstract_md: Some("Text.".into()), body: "正文。".into(), ..Paper::arxiv_example() };
        assert_eq!(flags(&body), (true, true, Some("2404.01300".into())));
    }

    #[test]
    fn a_paper_in_a_list_has_the_fields_lists_show_and_its_full_value_has_them_too() {
        let paper = Paper::arxiv_example();
        let digest = Digest { key: "2024-04-02".into(), start: paper.date, entries: 0..1 };
        let html = PaperHtml {
            title_html: "T".into(),
            translated_title_html: None,
            summary_html: None,
            abstract_html: None,
            body_html: "<p>Body.</p>".into(),
        };
        let ctx = PaperContext::new(&paper, 1, &digest, html, &BaseUrl::parse("/repo/").unwrap());
        let (full, list) = paper_values(&ctx);
        let keys = |v: &tera::Value| -> Vec<String> {
            v.as_map().unwrap().keys().map(|k| k.as_str().unwrap().to_owned()).collect()
        };
        let listed = [
            "id",
            "slug",
            "number",
            "title",
            "translated_title",
            "title_html",
            "translated_title_html",
            "date",
            "permalink",
            "digest_permalink",
        ];
        assert_eq!(keys(&list), listed);
        let full_keys = keys(&full);
        assert!(listed.iter().all(|k| full_keys.iter().any(|f| f == k)), "{full_keys:?}");
        assert!(full_keys.iter().any(|k| k == "body_html") && full_keys.iter().any(|k| k == "anchor"));
        assert_eq!(ctx.list.digest_permalink, "/repo/digest/2024-04-02/#paper-2404.01300");
    }

    #[test]
    fn opengraph_locales() {
        assert_eq!(og_locale("zh"), "zh_CN");
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("pt-BR"), "pt_BR");
        assert_eq!(og_locale("fr"), "fr");
    }
}
