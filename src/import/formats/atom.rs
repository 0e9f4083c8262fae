//! Formats `arxiv-api` and `rss-atom`: Atom as arXiv writes it, either a
//! saved API response (`export.arxiv.org/api/query`) or the Atom twin of a
//! category's feed (`rss.arxiv.org/atom/cs.CV`).
//!
//! | element | becomes |
//! | --- | --- |
//! | `id` (`http://arxiv.org/abs/ID`vN, `oai:arXiv.org:ID`vN) | the id |
//! | `title` (wrapped) | `title` |
//! | `summary` (wrapped; the feed's announce prefix taken off) | `abstract` |
//! | `author/name` (each), or `dc:creator` (names separated by commas) | `authors` |
//! | `arxiv:primary_category`, then each `category` term | `categories` |
//! | `arxiv:announce_type` (else the summary's prefix) | `announce_type` |
//! | `arxiv:comment`, `arxiv:journal_ref`, `arxiv:doi` | `extra.comment`, `extra.journal_ref`, `extra.doi` |
//! | `published` (its day as written) | the date, unless `--date` |
//! | `updated`, the abs and pdf links | left out (the id gives both links) |

use std::io::Read;

use serde_json::Value as Json;

use super::rss::{announce_and_text, digest_of_title, split_names, Feed};
use super::xml::{Elements, Piece, Pieces, Shape};
use super::{hf::day_of, Context, Format};
use crate::error::Diagnostic;
use crate::import::record::{diagnostic_at, non_empty, Item, Record};
use crate::import::text::TextReader;
use crate::import::{arxiv, clean};

/// What this reader looks up in a feed.
static SHAPE: Shape = Shape {
    record: "entry",
    head: &["updated", "title"],
    fields: &[
        "link",
        "id",
        "published",
        "summary",
        "author/name",
        "creator",
        "primary_category",
        "category",
        "comment",
        "journal_ref",
        "doi",
        "announce_type",
        "title",
    ],
    attrs: &["rel", "href", "term"],
};

pub fn read<R: Read>(reader: &mut TextReader<R>, format: Format, cx: &Context, emit: &mut dyn FnMut(Item)) {
    let mut pieces = Pieces::new(reader, &SHAPE);
    let mut feed = Feed::default();
    let mut order = 0;
    while let Some(piece) = pieces.next_piece(cx) {
        match piece {
            Ok(Piece::Head(head)) => {
                feed = Feed {
                    date: head.text("updated").and_then(day_of),
                    digest: head.text("title").and_then(digest_of_title),
                    ..Feed::default()
                }
            }
            Ok(Piece::Record { line, elements }) => {
                order += 1;
                let record = entry(&elements, line, order, &feed, format, cx);
                emit(record.map_or_else(Item::Skipped, |r| Item::Paper(Box::new(r))));
            }
            Err(d) => {
                // A broken record keeps its place in the feed's order.
                order += 1;
                emit(Item::Skipped(d));
            }
        }
    }
}

fn entry(
    e: &Elements,
    line: usize,
    order: i64,
    feed: &Feed,
    format: Format,
    cx: &Context,
) -> Result<Record, Diagnostic> {
    let problem = |message: &str, help: &str| diagnostic_at(cx.shown, line, 0, message).help(help);
    let alternate = e.all("link").find(|l| l.attr("rel") == Some("alternate")).and_then(|l| l.attr("href"));
    let id = e
        .text("id")
        .and_then(crate::arxiv::id_from_text)
        .or_else(|| alternate.and_then(crate::arxiv::id_from_link))
        .ok_or_else(|| problem("this entry has no arXiv id", "an entry's <id> is http://arxiv.org/abs/ID"))?;
    let date = cx.date.or_else(|| e.text("published").and_then(day_of)).or(feed.date).ok_or_else(|| {
        problem("the entry's date is unknown", "pass --date YYYY-MM-DD, or keep <published>")
    })?;
    let (word, text) = announce_and_text(e.text("summary").unwrap_or(""));
    let mut authors: Vec<String> =
        e.all("author/name").filter_map(|a| non_empty(clean::one_line(&a.text))).collect();
    if authors.is_empty() {
        authors = e.text("creator").and_then(split_names).unwrap_or_default();
    }
    let mut categories: Vec<String> = Vec::new();
    let terms = e.all("primary_category").chain(e.all("category")).filter_map(|c| c.attr("term"));
    for term in terms.filter_map(non_empty) {
        if !categories.contains(&term) {
            categories.push(term);
        }
    }
    if categories.is_empty() {
        categories.extend(cx.category.clone());
    }
    let extra = ["comment", "journal_ref", "doi"]
        .into_iter()
        .filter_map(|key| e.text(key).map(|v| (key, Json::String(clean::one_line(v)))))
        .collect();
    Ok(Record {
        line,
        date,
        order: Some(order),
        announce_type: e.text("announce_type").or(word).and_then(arxiv::announce_type),
        digest: feed.digest_name(cx, format.name()),
        title: e.text("title").map(clean::one_line).and_then(non_empty),
        abstract_md: non_empty(clean::unwrap(text)),
        authors: Some(authors).filter(|a| !a.is_empty()),
        categories,
        extra,
        id,
        ..Record::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, format: Format) -> Vec<Result<Record, String>> {
        let cx = Context { date: None, ..Context::example("feed.xml", "2024-04-02", None) };
        let mut reader = TextReader::new(text.as_bytes());
        let mut out = Vec::new();
        read(&mut reader, format, &cx, &mut |item| {
            out.push(match item {
                Item::Paper(p) => Ok(*p),
                Item::Skipped(d) => Err(d.to_string()),
            })
        });
        out
    }

    const API: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?id_list=2404.00041" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: id_list=2404.00041</title>
  <id>http://arxiv.org/api/made-up</id>
  <updated>2024-04-03T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/2404.00041v2</id>
    <updated>2024-04-05T10:00:00Z</updated>
    <published>2024-04-01T17:59:55Z</published>
    <title>A Made-Up Title Wrapped
  Across Two Lines</title>
    <summary>  We make things up, wrapped
across lines.

A second paragraph.
</summary>
    <author><name>Ada Example</name></author>
    <author><name>Bo Sample</name><arxiv:affiliation xmlns:arxiv="http://arxiv.org/schemas/atom">Nowhere</arxiv:affiliation></author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">12 pages,
  3 figures</arxiv:comment>
    <link href="http://arxiv.org/abs/2404.00041v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2404.00041v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="stat.ML" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"#;

    #[test]
    fn api_entries_are_unwrapped_and_keep_their_primary_category_first() {
        let got = run(API, Format::ArxivApi);
        let p = got[0].as_ref().unwrap();
        assert_eq!((p.id.as_str(), p.date.to_string().as_str()), ("2404.00041", "2024-04-01"));
        assert_eq!(p.title.as_deref(), Some("A Made-Up Title Wrapped Across Two Lines"));
        assert_eq!(
            p.abstract_md.as_deref(),
            Some("We make things up, wrapped across lines.\n\nA second paragraph.")
        );
        assert_eq!(p.authors.as_ref().unwrap(), &["Ada Example", "Bo Sample"]);
        assert_eq!(p.categories, ["cs.LG", "stat.ML"]);
        assert_eq!(p.extra, [("comment", Json::String("12 pages, 3 figures".into()))]);
        assert_eq!((p.announce_type, p.digest.as_str()), (None, "arxiv-api"));
    }

    const TWIN: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="en-us">
  <id>http://rss.arxiv.org/atom/cs.CV</id>
  <title>cs.CV updates on arXiv.org</title>
  <updated>2024-04-02T04:00:00.000Z</updated>
  <entry>
    <id>oai:arXiv.org:2404.00042v1</id>
    <title>Twin Entry</title>
    <updated>2024-04-02T00:00:00-04:00</updated>
    <link href="https://arxiv.org/abs/2404.00042" rel="alternate" type="text/html"/>
    <summary>arXiv:2404.00042v1 Announce Type: cross 
Abstract: Seen twice.</summary>
    <category term="cs.RO" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
    <published>2024-04-02T00:00:00-04:00</published>
    <arxiv:announce_type>cross</arxiv:announce_type>
    <dc:creator>Ada Example, Bo Sample</dc:creator>
  </entry>
  <entry>
    <title>No id</title>
  </entry>
</feed>
"#;

    #[test]
    fn the_rss_twin_gives_the_announce_type_and_the_feeds_category() {
        let got = run(TWIN, Format::RssAtom);
        let p = got[0].as_ref().unwrap();
        assert_eq!((p.id.as_str(), p.date.to_string().as_str()), ("2404.00042", "2024-04-02"));
        assert_eq!((p.announce_type, p.digest.as_str()), (Some("cross"), "cs.CV"));
        assert_eq!(p.abstract_md.as_deref(), Some("Seen twice."));
        assert_eq!(p.categories, ["cs.RO", "cs.CV"]);
        assert_eq!(p.authors.as_ref().unwrap(), &["Ada Example", "Bo Sample"]);
        assert!(
            got[1].as_ref().unwrap_err().starts_with("feed.xml:19: this entry has no arXiv id"),
            "{got:?}"
        );
    }
}
