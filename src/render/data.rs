//! Stage 3, data for other tools: `index.json` beside each digest and paper
//! page. The fields are the content contract's, plus where the paper is
//! published and every digest that lists it; they are documented in the
//! README and kept stable. In a digest's JSON, a paper carries the number
//! and announce type of the listing that put it there.

use serde::Serialize;
use serde_json::Value;

use crate::config::{Period, SiteConfig};
use crate::dates::format_day;
use crate::group::{entries, period, Entry, Model};
use crate::load::Paper;

use super::context::DigestContext;
use super::pages::{paper_on_digest, paper_path};

/// One paper, as `paper/<slug>/index.json` and inside its digest's JSON.
#[derive(Serialize)]
pub struct PaperData<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub translated_title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub pdf_url: Option<&'a str>,
    pub code: Option<&'a str>,
    pub date: String,
    pub summary: Option<&'a str>,
    /// Markdown, as written.
    #[serde(rename = "abstract")]
    pub abstract_md: Option<&'a str>,
    /// Markdown, as written.
    pub body: &'a str,
    pub authors: &'a [String],
    pub categories: &'a [String],
    pub tags: &'a [String],
    pub announce_type: Option<&'a str>,
    pub extra: &'a Value,
    /// The digest it belongs to and its number there.
    pub digest: &'a str,
    pub number: usize,
    /// Absolute URLs of its page and of its details in its digest.
    pub permalink: String,
    pub digest_permalink: String,
    /// Every digest that lists it, the first included, in date order.
    pub listings: Vec<ListingData<'a>>,
}

/// One listing of a paper: its first (`date`) or an entry of `listed`.
#[derive(Serialize)]
pub struct ListingData<'a> {
    pub date: String,
    /// The key of the digest of its period.
    pub digest: String,
    pub order: Option<i64>,
    /// Its number in that digest; null when an earlier listing of the same
    /// period shows the paper there.
    pub number: Option<usize>,
    pub announce_type: Option<&'a str>,
}

impl<'a> ListingData<'a> {
    /// Every listing of paper `p`, in date order.
    fn all(site: &'a Model, p: usize, period: Period) -> Vec<Self> {
        let paper = &site.papers[p];
        let shown = site.listings(p);
        let mut all: Vec<Option<usize>> =
            std::iter::once(None).chain((0..paper.listed.len()).map(Some)).collect();
        all.sort_by_key(|&l| entries::listing_date(paper, l));
        all.into_iter()
            .map(|l| {
                let date = entries::listing_date(paper, l);
                let entry = shown.iter().map(|&e| &site.entries[e]).find(|e| e.listing == l);
                ListingData {
                    date: format_day(date),
                    digest: period::key(period, date),
                    order: entries::listing_order(paper, l),
                    number: entry.map(|e| e.number),
                    announce_type: entries::listing_announce_type(paper, l),
                }
            })
            .collect()
    }
}

impl<'a> PaperData<'a> {
    /// Paper `i` at its first listing.
    pub fn new(site: &'a Model, i: usize, config: &SiteConfig) -> Self {
        Self::listed(site, &site.entries[site.first_entry(i)], config)
    }

    /// A paper as the row `entry` of a digest shows it.
    pub fn listed(site: &'a Model, entry: &Entry, config: &SiteConfig) -> Self {
        let i = entry.paper;
        let paper: &Paper = &site.papers[i];
        let digest = &site.digests[entry.digest].key;
        PaperData {
            id: &paper.id,
            slug: &paper.slug,
            title: &paper.title,
            translated_title: paper.translated_title.as_deref(),
            url: paper.url.as_deref(),
            pdf_url: paper.pdf_url.as_deref(),
            code: paper.code.as_deref(),
            date: format_day(paper.date),
            summary: paper.summary.as_deref(),
            abstract_md: paper.abstract_md.as_deref(),
            body: &paper.body,
            authors: &paper.authors,
            categories: &paper.categories,
            tags: &paper.tags,
            announce_type: site.announce_type(entry),
            extra: &paper.extra,
            digest,
            number: entry.number,
            permalink: config.base_url.absolute(&paper_path(&paper.slug)),
            digest_permalink: config.base_url.absolute(&paper_on_digest(digest, &paper.slug)),
            listings: ListingData::all(site, i, config.period),
        }
    }
}

/// A digest with its papers, as `digest/<key>/index.json`.
#[derive(Serialize)]
pub struct DigestData<'a> {
    #[serde(flatten)]
    pub digest: DigestContext<'a>,
    pub papers: Vec<PaperData<'a>>,
}

impl<'a> DigestData<'a> {
    pub fn new(site: &'a Model, d: usize, config: &SiteConfig) -> Self {
        let digest = &site.digests[d];
        DigestData {
            digest: DigestContext::new(site, digest, &config.base_url),
            papers: site.entries[digest.entries.clone()]
                .iter()
                .map(|e| PaperData::listed(site, e, config))
                .collect(),
        }
    }
}

/// Compact JSON with a final newline.
pub fn to_json(value: &impl Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec(value).unwrap_or_default();
    out.push(b'\n');
    out
}
