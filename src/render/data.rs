//! Stage 3, data for other tools: `index.json` beside each digest and paper
//! page. The fields are the content contract's, plus where the paper is
//! published; they are documented in the README and kept stable.

use serde::Serialize;
use serde_json::Value;

use crate::config::SiteConfig;
use crate::group::Model;
use crate::load::Paper;

use super::context::DigestContext;
use super::pages::{digest_path, paper_path};

/// One paper, as `paper/<slug>/index.json` and inside its digest's JSON.
#[derive(Serialize)]
pub struct PaperData<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub translated_title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub pdf_url: Option<&'a str>,
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
}

impl<'a> PaperData<'a> {
    pub fn new(site: &'a Model, i: usize, config: &SiteConfig) -> Self {
        let paper: &Paper = &site.papers[i];
        let place = site.placement[i];
        let digest = &site.digests[place.digest].key;
        PaperData {
            id: &paper.id,
            slug: &paper.slug,
            title: &paper.title,
            translated_title: paper.translated_title.as_deref(),
            url: paper.url.as_deref(),
            pdf_url: paper.pdf_url.as_deref(),
            date: paper.date.to_string(),
            summary: paper.summary.as_deref(),
            abstract_md: paper.abstract_md.as_deref(),
            body: &paper.body,
            authors: &paper.authors,
            categories: &paper.categories,
            tags: &paper.tags,
            announce_type: paper.announce_type.as_deref(),
            extra: &paper.extra,
            digest,
            number: place.number,
            permalink: config.base_url.absolute(&paper_path(&paper.slug)),
            digest_permalink: format!(
                "{}#paper-{}",
                config.base_url.absolute(&digest_path(digest)),
                paper.slug
            ),
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
            digest: DigestContext::new(site, digest, &config.base_url.path),
            papers: digest.papers.clone().map(|p| PaperData::new(site, p, config)).collect(),
        }
    }
}

/// Compact JSON with a final newline.
pub fn to_json(value: &impl Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec(value).unwrap_or_default();
    out.push(b'\n');
    out
}
