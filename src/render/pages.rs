//! Stage 3, plan: which pages a site has and where each is published.
//!
//! Every output file is a [`PageKind`]; its site path (`digest/2024-04-02/`)
//! gives both its link (with the base path in front) and its output file
//! (`digest/2024-04-02/index.html`). HTML pages go through a template;
//! feeds, the sitemap, `robots.txt`, JSON data and the search index are
//! generated directly.

use super::search;
use crate::config::SiteConfig;
use crate::group::{Model, TermKind};

/// The largest number of URLs in one sitemap file (the protocol's limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// One output file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// Home page `number` (1-based) of the newest digests.
    Home {
        number: usize,
        of: usize,
    },
    /// A digest, by index into `Model::digests`.
    Digest(usize),
    /// A paper, by index into `Model::papers`.
    Paper(usize),
    Archive,
    NotFound,
    /// All categories, tags or topics, with counts.
    Terms(TermKind),
    /// Page `number` of one category, tag or topic, by index into its list.
    Term {
        kind: TermKind,
        term: usize,
        number: usize,
        of: usize,
    },
    /// The site's feed (one entry per digest).
    SiteFeed,
    /// A category's, tag's or topic's feed (one entry per paper).
    TermFeed {
        kind: TermKind,
        term: usize,
    },
    /// `sitemap.xml`: the list itself, or an index of `part`s when large.
    Sitemap,
    SitemapPart(usize),
    Robots,
    /// A digest's data as JSON, beside its page (with `[data] json`).
    DigestJson(usize),
    /// A paper's data as JSON, beside its page (with `[data] json`).
    PaperJson(usize),
    /// The search page; its index is the files below, under `search/`.
    Search,
    /// `search/meta.json`: what a search script needs to read the index.
    SearchMeta,
    /// `search/s/<n>.json`: one shard of the inverted index.
    SearchShard(usize),
    /// `search/d/<n>.json`: the data of one chunk of documents.
    SearchDocs(usize),
    /// A reader's starred papers, kept in their browser: a page of the
    /// themes that have its template ([`STARRED_TEMPLATE`]), which no
    /// sitemap lists.
    Starred,
}

/// The template of [`PageKind::Starred`]; a theme without it has no such page.
pub const STARRED_TEMPLATE: &str = "starred.html";

impl PageKind {
    /// The template that renders this page; `None` for generated files.
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            PageKind::Home { .. } => "index.html",
            PageKind::Digest(_) => "digest.html",
            PageKind::Paper(_) => "paper.html",
            PageKind::Archive => "archive.html",
            PageKind::NotFound => "404.html",
            PageKind::Terms(_) => "terms.html",
            PageKind::Term { .. } => "term.html",
            PageKind::Search => "search.html",
            PageKind::Starred => STARRED_TEMPLATE,
            PageKind::SiteFeed
            | PageKind::TermFeed { .. }
            | PageKind::Sitemap
            | PageKind::SitemapPart(_)
            | PageKind::Robots
            | PageKind::DigestJson(_)
            | PageKind::PaperJson(_)
            | PageKind::SearchMeta
            | PageKind::SearchShard(_)
            | PageKind::SearchDocs(_) => return None,
        })
    }

    /// What kind of output the page is, as reports of a site's size name
    /// it: `paper pages`, `digest pages`, `search index`...
    pub fn output_kind(self) -> &'static str {
        match self {
            PageKind::Home { .. } => "home pages",
            PageKind::Digest(_) => "digest pages",
            PageKind::Paper(_) => "paper pages",
            PageKind::Terms(TermKind::Topic) | PageKind::Term { kind: TermKind::Topic, .. } => "topic pages",
            PageKind::Terms(_) | PageKind::Term { .. } => "category and tag pages",
            PageKind::Archive | PageKind::NotFound | PageKind::Starred => "other pages",
            PageKind::SiteFeed | PageKind::TermFeed { .. } => "feeds",
            PageKind::Sitemap | PageKind::SitemapPart(_) | PageKind::Robots => "sitemaps",
            PageKind::DigestJson(_) | PageKind::PaperJson(_) => "JSON data",
            PageKind::Search | PageKind::SearchMeta | PageKind::SearchShard(_) | PageKind::SearchDocs(_) => {
                "search index"
            }
        }
    }

    /// Whether the file can wait until the pages a reader looks at are
    /// served again: every file made without a template (feeds, sitemaps,
    /// JSON data and the search index, which every paper feeds).
    pub fn can_wait(self) -> bool {
        self.template().is_none()
    }

    /// Whether the page is an HTML page a reader visits at its own address
    /// (its links may be made relative).
    pub fn is_html(self) -> bool {
        self.template().is_some() && self != PageKind::NotFound
    }

    /// Whether the sitemap lists the page: every HTML page a reader visits
    /// but the starred papers, which show what one browser keeps.
    pub fn in_sitemap(self) -> bool {
        self.is_html() && self != PageKind::Starred
    }
}

/// Every page of `site` with the settings of `config`, given the number of
/// search index shards.
pub fn plan(site: &Model, config: &SiteConfig, search_shards: usize) -> Vec<PageKind> {
    let homes = site.digests.len().div_ceil(config.home_per_page).max(1);
    let mut pages: Vec<PageKind> = (1..=homes).map(|number| PageKind::Home { number, of: homes }).collect();
    pages.extend((0..site.digests.len()).map(PageKind::Digest));
    pages.extend((0..site.papers.len()).map(PageKind::Paper));
    if config.json {
        pages.extend((0..site.digests.len()).map(PageKind::DigestJson));
        pages.extend((0..site.papers.len()).map(PageKind::PaperJson));
    }
    pages.extend([PageKind::Archive, PageKind::NotFound, PageKind::SiteFeed, PageKind::Robots]);
    pages.extend([PageKind::Search, PageKind::SearchMeta]);
    pages.extend((0..search_shards).map(PageKind::SearchShard));
    pages.extend((0..search::chunk_count(site.papers.len())).map(PageKind::SearchDocs));
    // A site without tags has no page of all tags (nor a menu item for it);
    // one without `[topics]` none of topics.
    let kinds = [TermKind::Category, TermKind::Tag, TermKind::Topic];
    for kind in kinds.into_iter().filter(|&k| !site.terms(k).is_empty()) {
        pages.push(PageKind::Terms(kind));
        for (term, t) in site.terms(kind).iter().enumerate() {
            let of = t.papers.len().div_ceil(config.terms_per_page).max(1);
            pages.extend((1..=of).map(|number| PageKind::Term { kind, term, number, of }));
            pages.push(PageKind::TermFeed { kind, term });
        }
    }
    let html = pages.iter().filter(|p| p.in_sitemap()).count();
    pages.push(PageKind::Sitemap);
    if html > SITEMAP_LIMIT {
        pages.extend((0..html.div_ceil(SITEMAP_LIMIT)).map(PageKind::SitemapPart));
    }
    pages
}

/// The site path of a page: what follows the base path in its URL.
pub fn site_path(site: &Model, page: PageKind) -> String {
    match page {
        PageKind::Home { number, .. } => home_path(number),
        PageKind::Digest(d) => digest_path(&site.digests[d].key),
        PageKind::Paper(p) => paper_path(&site.papers[p].slug),
        PageKind::Archive => "archive/".into(),
        PageKind::NotFound => "404.html".into(),
        PageKind::Terms(kind) => format!("{}/", kind.segment()),
        PageKind::Term { kind, term, number, .. } => term_path(kind, &site.terms(kind)[term].slug, number),
        PageKind::SiteFeed => "atom.xml".into(),
        PageKind::TermFeed { kind, term } => {
            format!("{}atom.xml", term_path(kind, &site.terms(kind)[term].slug, 1))
        }
        PageKind::Sitemap => "sitemap.xml".into(),
        PageKind::SitemapPart(n) => format!("sitemap-{}.xml", n + 1),
        PageKind::Robots => "robots.txt".into(),
        PageKind::DigestJson(d) => format!("{}index.json", digest_path(&site.digests[d].key)),
        PageKind::PaperJson(p) => format!("{}index.json", paper_path(&site.papers[p].slug)),
        PageKind::Search => SEARCH_PATH.into(),
        PageKind::SearchMeta => format!("{SEARCH_PATH}meta.json"),
        PageKind::SearchShard(n) => format!("{SEARCH_PATH}s/{n}.json"),
        PageKind::SearchDocs(n) => format!("{SEARCH_PATH}d/{n}.json"),
        PageKind::Starred => "starred/".into(),
    }
}

/// The search page, and the folder of its index.
pub const SEARCH_PATH: &str = "search/";

pub fn home_path(number: usize) -> String {
    if number <= 1 {
        String::new()
    } else {
        format!("page/{number}/")
    }
}

pub fn digest_path(key: &str) -> String {
    format!("digest/{key}/")
}

pub fn paper_path(slug: &str) -> String {
    format!("paper/{slug}/")
}

/// What the id of a paper's details on a digest's page starts with.
const PAPER_ANCHOR: &str = "paper-";

/// The id of a paper's details on a digest's page: `paper-<slug>`.
pub fn paper_anchor(slug: &str) -> String {
    [PAPER_ANCHOR, slug].concat()
}

/// The id of a paper's row in a digest's summary table: `ref-<slug>`.
pub fn ref_anchor(slug: &str) -> String {
    format!("ref-{slug}")
}

/// A paper's details on the page of digest `key`:
/// `digest/2024-04-02/#paper-2404.01300`.
pub fn paper_on_digest(key: &str, slug: &str) -> String {
    [&digest_path(key), "#", PAPER_ANCHOR, slug].concat()
}

pub fn term_path(kind: TermKind, slug: &str, number: usize) -> String {
    match number {
        0 | 1 => format!("{}/{slug}/", kind.segment()),
        n => format!("{}/{slug}/page/{n}/", kind.segment()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::output_file;

    #[test]
    fn paths_follow_the_contract() {
        assert_eq!(home_path(1), "");
        assert_eq!(home_path(2), "page/2/");
        assert_eq!(digest_path("2024-W14"), "digest/2024-W14/");
        assert_eq!(paper_path("cs-0112017"), "paper/cs-0112017/");
        assert_eq!(term_path(TermKind::Category, "cs-cv", 1), "category/cs-cv/");
        assert_eq!(term_path(TermKind::Tag, "nerf", 3), "tag/nerf/page/3/");
        assert_eq!(paper_on_digest("2024-04-02", "cs-0112017"), "digest/2024-04-02/#paper-cs-0112017");
    }

    fn config(json: bool) -> SiteConfig {
        let text = format!("title = \"T\"\nbase_url = \"/\"\n[data]\njson = {json}\n");
        SiteConfig::parse(&text).unwrap()
    }

    #[test]
    fn json_data_is_planned_only_when_asked_for() {
        let papers = [crate::load::Paper::example("a", "2024-04-02")].map(std::sync::Arc::new);
        let site = crate::group::group(papers, crate::config::Period::Day, &[]).unwrap();
        let json = |pages: Vec<PageKind>| {
            pages
                .into_iter()
                .filter(|p| matches!(p, PageKind::DigestJson(_) | PageKind::PaperJson(_)))
                .count()
        };
        assert_eq!(json(plan(&site, &config(false), 1)), 0);
        assert_eq!(json(plan(&site, &config(true), 1)), 2, "one beside the digest, one beside the paper");
    }

    #[test]
    fn an_empty_site_still_has_its_fixed_pages() {
        let pages = plan(&Model::default(), &config(false), 1);
        for page in [
            PageKind::Home { number: 1, of: 1 },
            PageKind::Archive,
            PageKind::NotFound,
            PageKind::SiteFeed,
            PageKind::Robots,
            PageKind::Sitemap,
            PageKind::Search,
            PageKind::SearchMeta,
            PageKind::SearchShard(0),
        ] {
            assert!(pages.contains(&page), "{page:?}");
        }
        assert!(!pages.contains(&PageKind::SearchDocs(0)), "no documents, no chunks");
    }

    #[test]
    fn each_kind_of_output_is_named_apart_for_size_reports() {
        let papers = [crate::load::Paper {
            categories: vec!["cs.CV".into()],
            tags: vec!["nerf".into()],
            ..crate::load::Paper::example("2404.01300", "2024-04-02")
        }]
        .map(std::sync::Arc::new);
        let site = crate::group::group(papers, crate::config::Period::Day, &[]).unwrap();
        let mut kinds: Vec<(&str, String)> = plan(&site, &config(true), 1)
            .into_iter()
            .map(|page| (page.output_kind(), output_file(&site_path(&site, page))))
            .collect();
        kinds.sort();
        kinds.dedup_by_key(|(kind, _)| *kind);
        let first: Vec<(&str, &str)> = kinds.iter().map(|(k, f)| (*k, f.as_str())).collect();
        assert_eq!(
            first,
            [
                ("JSON data", "digest/2024-04-02/index.json"),
                ("category and tag pages", "category/cs-cv/index.html"),
                ("digest pages", "digest/2024-04-02/index.html"),
                ("feeds", "atom.xml"),
                ("home pages", "index.html"),
                ("other pages", "404.html"),
                ("paper pages", "paper/2404.01300/index.html"),
                ("search index", "search/d/0.json"),
                ("sitemaps", "robots.txt"),
            ]
        );
        assert_eq!(PageKind::Starred.output_kind(), "other pages");
    }

    #[test]
    fn the_search_page_and_its_index_live_under_search() {
        let site = Model::default();
        assert_eq!(site_path(&site, PageKind::Search), "search/");
        assert_eq!(output_file(&site_path(&site, PageKind::Search)), "search/index.html");
        assert_eq!(site_path(&site, PageKind::SearchMeta), "search/meta.json");
        assert_eq!(site_path(&site, PageKind::SearchShard(3)), "search/s/3.json");
        assert_eq!(site_path(&site, PageKind::SearchDocs(0)), "search/d/0.json");
        assert!(PageKind::Search.is_html());
        assert!(PageKind::Search.in_sitemap());
        assert!(PageKind::Starred.is_html() && !PageKind::Starred.in_sitemap());
        assert!(!PageKind::SearchShard(0).is_html());
    }
}
