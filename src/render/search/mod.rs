//! Stage 3, search index: every paper, searchable offline from static files.
//!
//! **What is indexed.** Each paper is one document, numbered in site order
//! (`Model::papers`: newest digest first, digest order inside), so a smaller
//! number is a newer paper. Its title and translated title, summary,
//! authors and abstract (Markdown as written, arXiv's TeX resolved:
//! [`tex::to_text`]) are tokenized; a token found in
//! the title or the translated title is marked as a title match. The body
//! is not indexed.
//!
//! **Tokenizer** ([`tokenize`]; `search.js` does exactly the same with the
//! parameters of `meta.json`), on text as [`crate::fold`] reads it, the
//! reading topics share. Characters that are letters or digits form
//! runs; anything else separates them (so `$`, `*`, `[`, `-`, `{`, `，` and
//! the rest of TeX and Markdown punctuation are dropped), and a TeX command
//! (`\` and ASCII letters: `\mathcal`) is dropped whole.
//! - Latin (and every other non-CJK script): a run is lowercased character by
//!   character, accents folded away (each character's canonical
//!   decomposition without the combining marks U+0300 to U+036F, which are
//!   skipped inside a word too: `Eneström` and `Enestrom` give `enestrom`),
//!   and kept when it has at least [`MIN_WORD_LEN`] characters or
//!   is one ASCII digit; [`STOPWORDS`] are left out. `NeRF-MAE` ->
//!   `nerf`, `mae`; `3D` -> `3d`.
//! - CJK (Han, kana, hangul: [`CJK_RANGES`]): a run gives its overlapping
//!   character bigrams (`自监督` -> `自监`, `监督`); a run of one
//!   character gives that character. A query is tokenized the same way and
//!   every token must match (AND), so a Chinese query of two or more
//!   characters finds the texts holding all its bigrams.
//!
//! **Postings.** Each token maps to the sorted list of its documents, each
//! encoded as `doc * 2 + title` (`title` is 1 for a title match), written as
//! gaps: the first value as it is, then each value minus the one before.
//!
//! **Sharding.** A token goes to shard `fnv1a32(utf8(token)) % shards`
//! (32-bit FNV-1a). There is one shard per [`DOCS_PER_SHARD`] documents
//! (at least one): postings grow with the documents, so a shard holds about
//! 64 KiB at any size (measured on the benchmark corpus), and the count is
//! known before the index is built, so the page plan does not wait for it.
//! A query fetches one shard per token.
//! Document data is in chunks of [`CHUNK_SIZE`] documents, so showing a
//! result fetches one small chunk.
//!
//! **Files**, under `search/` beside the search page (`search/index.html`):
//! - `meta.json`: `version`, `docs`, `shards`, `chunk_size`, `hash`,
//!   `fields`, and `tokenizer` (`min_word_len`, `stopwords`, `cjk_ranges`);
//! - `s/<n>.json`, `n` in `0..shards`: `{"token": [gaps...], ...}`, tokens
//!   in byte order;
//! - `d/<n>.json`, `n` in `0..ceil(docs / chunk_size)`: an array of documents
//!   `n * chunk_size ..`, each `{id, title, translated_title?, date, link,
//!   summary?}` (texts as plain text, arXiv's TeX resolved) where `link` is
//!   the paper's `digest_permalink`.
//!
//! Everything is sorted or in site order, so two builds give the same bytes.

mod postings;
mod tokens;

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

pub use crate::fold::CJK_RANGES;
use postings::{Batch, Part, Token};
use tokens::tokenize_into;
pub use tokens::{tokenize, MIN_WORD_LEN, STOPWORDS};

use super::pages::paper_on_digest;
use crate::dates::format_day;
use crate::fold;
use crate::group::Model;
use crate::load::Paper;
use crate::text::tex;
use crate::url::BaseUrl;

/// The format of the files; `search.js` refuses others.
pub const VERSION: u32 = 1;
/// Documents per `d/<n>.json` file: results are often spread over the
/// archive, one chunk each, so a chunk stays small (about 8 KB), and an
/// archive has about one file for 16 papers.
pub const CHUNK_SIZE: usize = 16;
/// Documents per shard: about 64 KiB of postings each.
pub const DOCS_PER_SHARD: usize = 100;
/// The paper fields that are indexed, as `meta.json` lists them.
const FIELDS: &[&str] = &["title", "translated_title", "summary", "authors", "abstract"];

/// Documents tokenized together before their postings are merged.
const BATCH: usize = 1024;

/// The built index: the bytes of every file under `search/`.
pub struct SearchIndex {
    pub docs: usize,
    pub meta: Vec<u8>,
    /// `s/<n>.json`, by `n`. The `d/<n>.json` files need no index: [`chunk`].
    pub shards: Vec<Vec<u8>>,
}

/// One document in a `d/<n>.json` chunk.
#[derive(Serialize)]
struct Doc<'a> {
    id: &'a str,
    title: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translated_title: Option<Cow<'a, str>>,
    date: String,
    link: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Cow<'a, str>>,
}

impl SearchIndex {
    /// Indexes every paper of `site`: each batch of documents is tokenized
    /// and its postings split by shard, in parallel; then each shard is
    /// written from its part of every batch, in parallel, and that part
    /// let go.
    pub fn build(site: &Model) -> Self {
        let docs = site.papers.len();
        let count = shard_count(docs);
        let mut parts: Vec<Vec<Part>> = (0..count).map(|_| Vec::new()).collect();
        for batch in batches(site, count) {
            parts.iter_mut().zip(batch).for_each(|(shard, part)| shard.push(part));
        }
        let shards = parts.into_par_iter().map(shard).collect();
        SearchIndex { docs, meta: meta(docs, count), shards }
    }
}

/// A shard, `{"token":[gaps],...}` in token order, from its part of each
/// batch in document order: a token's documents are its documents in each
/// batch, batch after batch, so they stay sorted.
fn shard(parts: Vec<Part>) -> Vec<u8> {
    let mut postings: Vec<(&Token, &[u8])> = (parts.iter())
        .flat_map(|part| part.tokens.iter().map(|(token, gaps)| (token, &part.gaps[gaps.clone()])))
        .collect();
    // A stable sort keeps a token's batches in order.
    postings.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = Vec::with_capacity(postings.len() * 8);
    out.push(b'{');
    let mut previous: Option<(&[u8], u32)> = None;
    for (token, gaps) in postings {
        let bytes = token.as_bytes();
        let mut last = match previous {
            Some((p, last)) if p == bytes => Some(last),
            _ => {
                if previous.is_some() {
                    out.extend_from_slice(b"],");
                }
                // Tokens are cut from text at character boundaries.
                let text = std::str::from_utf8(bytes).unwrap_or_default();
                serde_json::to_writer(&mut out, text).unwrap_or_default();
                out.extend_from_slice(b":[");
                None
            }
        };
        for value in postings::values(gaps) {
            match last {
                None => push_number(&mut out, value),
                Some(p) => {
                    out.push(b',');
                    push_number(&mut out, value - p);
                }
            }
            last = Some(value);
        }
        previous = last.map(|last| (bytes, last));
    }
    if previous.is_some() {
        out.push(b']');
    }
    out.push(b'}');
    out
}

/// `d/<n>.json`: documents `n * CHUNK_SIZE ..` of `site`, made straight
/// from the papers (links start with `base`), so it is never held in memory.
pub fn chunk(site: &Model, n: usize, base: &BaseUrl) -> Vec<u8> {
    let first = n * CHUNK_SIZE;
    let papers = site.papers.get(first..(first + CHUNK_SIZE).min(site.papers.len())).unwrap_or_default();
    let docs: Vec<Doc> = papers.iter().enumerate().map(|(i, p)| doc(site, first + i, p, base)).collect();
    serde_json::to_vec(&docs).unwrap_or_default()
}

/// The number of shard files for `docs` documents.
pub fn shard_count(docs: usize) -> usize {
    docs.div_ceil(DOCS_PER_SHARD).max(1)
}

/// The number of document chunk files for `docs` documents.
pub fn chunk_count(docs: usize) -> usize {
    docs.div_ceil(CHUNK_SIZE)
}

/// The shard of `token` among `shards`.
pub fn shard_of(token: &str, shards: usize) -> usize {
    shard_of_bytes(token.as_bytes(), shards)
}

fn shard_of_bytes(token: &[u8], shards: usize) -> usize {
    (fnv1a32(token) as usize) % shards.max(1)
}

/// 32-bit FNV-1a: stable across builds, platforms and languages.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h: u32, &b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// Adds document `doc`'s tokens to `batch`: titles first, so a token's
/// first occurrence, the one kept, has its title mark.
fn add_doc(batch: &mut Batch, doc: u32, paper: &Paper) {
    let titles = [Some(paper.title.as_str()), paper.translated_title.as_deref()];
    for text in titles.into_iter().flatten() {
        tokenize_into(&fold::as_shown(text), &mut |t| batch.add(t.as_bytes(), doc, true));
    }
    let others = std::iter::once(paper.summary.as_deref())
        .chain(paper.authors.iter().map(|a| Some(a.as_str())))
        .chain(std::iter::once(paper.abstract_md.as_deref()));
    for text in others.flatten() {
        tokenize_into(&fold::as_shown(text), &mut |t| batch.add(t.as_bytes(), doc, false));
    }
}

/// The postings of each batch of [`BATCH`] documents, in document order,
/// split among `shards` shards, each part sorted by token.
fn batches(site: &Model, shards: usize) -> Vec<Vec<Part>> {
    site.papers
        .par_chunks(BATCH)
        .enumerate()
        .map(|(b, papers)| {
            let mut batch = Batch::default();
            for (i, paper) in papers.iter().enumerate() {
                add_doc(&mut batch, (b * BATCH + i) as u32, paper);
            }
            batch.into_parts(shards, |token| shard_of_bytes(token, shards))
        })
        .collect()
}

/// Appends `n` in decimal.
fn push_number(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Pushed one by one: a copy of a few bytes is a call.
    for &digit in &digits[at..] {
        out.push(digit);
    }
}

fn doc<'a>(site: &'a Model, i: usize, paper: &'a Paper, base: &BaseUrl) -> Doc<'a> {
    let digest = &site.digests[site.placement[i].digest];
    Doc {
        id: &paper.id,
        title: tex::to_text(&paper.title),
        translated_title: paper.translated_title.as_deref().map(tex::to_text),
        date: format_day(paper.date),
        link: base.link(&paper_on_digest(&digest.key, &paper.slug)),
        summary: paper.summary.as_deref().map(tex::to_text),
    }
}

fn meta(docs: usize, shards: usize) -> Vec<u8> {
    let value = json!({
        "version": VERSION,
        "docs": docs,
        "shards": shards,
        "chunk_size": CHUNK_SIZE,
        "hash": "fnv1a32",
        "postings": "gaps of doc * 2 + title",
        "fields": FIELDS,
        "tokenizer": {
            "lowercase": true,
            "min_word_len": MIN_WORD_LEN,
            "numbers": true,
            "tex_commands": "dropped",
            "fold": "NFD without U+0300-036F",
            "cjk": "bigrams",
            "cjk_ranges": CJK_RANGES.iter().map(|&(lo, hi)| [lo, hi]).collect::<Vec<_>>(),
            "stopwords": STOPWORDS,
        },
    });
    serde_json::to_vec(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_stable_across_builds_and_platforms() {
        // FNV-1a reference values; search.js computes the same.
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9c_f968);
        assert_eq!(shard_of("masked", 1), 0);
        assert_eq!(shard_of("masked", 97), fnv1a32(b"masked") as usize % 97);
        assert_eq!(shard_of("自监", 10), shard_of("自监", 10));
        assert_eq!(shard_of("自监", 10), (fnv1a32("自监".as_bytes()) % 10) as usize);
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(DOCS_PER_SHARD), 1);
        assert_eq!(shard_count(DOCS_PER_SHARD + 1), 2);
        assert_eq!(chunk_count(0), 0);
        assert_eq!(chunk_count(CHUNK_SIZE + 1), 2);
    }

    fn paper(id: &str, date: &str, title: &str, translated: Option<&str>, abstract_md: &str) -> Paper {
        Paper {
            title: title.into(),
            translated_title: translated.map(Into::into),
            summary: Some("一句话总结".into()),
            abstract_md: Some(abstract_md.into()),
            body: "正文不索引".into(),
            authors: vec!["Ada Lovelace".into()],
            ..Paper::example(id, date)
        }
    }

    fn site() -> Model {
        let papers = [
            paper("a", "2024-04-01", "Masked autoencoders", None, "Learning with masks."),
            paper("b", "2024-04-02", "Diffusion", Some("自监督扩散"), "Masked tokens and diffusion."),
            paper("c", "2024-04-02", "Graphs", None, "Nothing masked here? No: masked."),
        ];
        crate::group::group(papers.into_iter().map(std::sync::Arc::new), crate::config::Period::Day, &[])
            .unwrap()
    }

    fn shard_entry(index: &SearchIndex, token: &str) -> Vec<u32> {
        let shard: serde_json::Value =
            serde_json::from_slice(&index.shards[shard_of(token, index.shards.len())]).unwrap();
        let gaps: Vec<u32> = serde_json::from_value(shard[token].clone()).unwrap_or_default();
        gaps.iter().scan(0, |v, g| Some(*v + g).inspect(|&x| *v = x)).collect()
    }

    #[test]
    fn the_index_maps_tokens_to_documents_with_title_marks_and_links() {
        let index = SearchIndex::build(&site());
        // Site order: 2024-04-02 (b, c by id), then 2024-04-01 (a).
        assert_eq!(index.docs, 3);
        assert_eq!(shard_entry(&index, "masked"), [0, 2, 2 * 2 + 1], "b, c in abstracts, a in its title");
        assert_eq!(shard_entry(&index, "自监"), [1]);
        assert_eq!(shard_entry(&index, "lovelace"), [0, 2, 4]);
        assert!(shard_entry(&index, "正文").is_empty(), "the body is not indexed");
        assert!(shard_entry(&index, "the").is_empty() && shard_entry(&index, "and").is_empty());
        let chunk: serde_json::Value =
            serde_json::from_slice(&chunk(&site(), 0, &BaseUrl::parse("/repo/").unwrap())).unwrap();
        assert_eq!(chunk[0]["id"], "b");
        assert_eq!(chunk[0]["translated_title"], "自监督扩散");
        assert_eq!(chunk[0]["link"], "/repo/digest/2024-04-02/#paper-b");
        assert_eq!(chunk[2]["link"], "/repo/digest/2024-04-01/#paper-a");
        assert!(chunk[2].get("translated_title").is_none());
        let meta: serde_json::Value = serde_json::from_slice(&index.meta).unwrap();
        assert_eq!(meta["docs"], 3);
        assert_eq!(meta["shards"], index.shards.len());
        assert_eq!(meta["chunk_size"], CHUNK_SIZE);
        assert_eq!(meta["tokenizer"]["stopwords"].as_array().unwrap().len(), STOPWORDS.len());
    }

    #[test]
    fn long_tokens_and_repeats_index_like_short_ones() {
        let long = "pneumonoultramicroscopicsilicovolcanoconiosis";
        assert!(long.len() > 15, "longer than a table entry holds");
        let text = format!("{long} twice {long}; {long} again");
        let papers = [
            paper("a", "2024-04-01", long, None, &text),
            paper("b", "2024-04-01", "Other", None, &format!("{long} once")),
        ];
        let site =
            crate::group::group(papers.map(std::sync::Arc::new), crate::config::Period::Day, &[]).unwrap();
        let index = SearchIndex::build(&site);
        // a is document 0, b document 1; a value is `doc * 2 + title`.
        assert_eq!(
            shard_entry(&index, long),
            [1, 2],
            "a by its title (repeats in its abstract keep the mark), b once"
        );
        assert_eq!(shard_entry(&index, "twice"), [0]);
    }

    #[test]
    fn two_builds_give_the_same_bytes() {
        let (one, two) = (SearchIndex::build(&site()), SearchIndex::build(&site()));
        assert_eq!(one.meta, two.meta);
        assert_eq!(one.shards, two.shards);
        assert_eq!(
            chunk(&site(), 0, &BaseUrl::parse("/").unwrap()),
            chunk(&site(), 0, &BaseUrl::parse("/").unwrap())
        );
        assert!(
            chunk(&site(), 1, &BaseUrl::parse("/").unwrap()).starts_with(b"[]"),
            "past the end: no documents"
        );
    }

    #[test]
    fn tex_accents_are_indexed_as_the_letters_they_show() {
        let papers = [paper("a", "2024-04-01", "Enestr\\\"om and Phragm\\'en", None, "M{\\\"u}ller")];
        let site =
            crate::group::group(papers.map(std::sync::Arc::new), crate::config::Period::Day, &[]).unwrap();
        let index = SearchIndex::build(&site);
        assert_eq!(shard_entry(&index, "enestrom"), [1]);
        assert_eq!(shard_entry(&index, "phragmen"), [1]);
        assert_eq!(shard_entry(&index, "muller"), [0]);
        let chunk: serde_json::Value =
            serde_json::from_slice(&chunk(&site, 0, &BaseUrl::parse("/").unwrap())).unwrap();
        assert_eq!(chunk[0]["title"], "Eneström and Phragmén");
    }
}
