//! Format `rss`: arXiv's RSS 2.0 feed of a category (a saved
//! `rss.arxiv.org/rss/cs.CV`).
//!
//! | element | becomes |
//! | --- | --- |
//! | `link` (else `guid`) | the id |
//! | `title` | `title` |
//! | `description` (`arXiv:... Announce Type: new Abstract: ...`) | `abstract` |
//! | `category` (each) | `categories` |
//! | `dc:creator` (one string, names separated by commas) | `authors` |
//! | `arxiv:announce_type` (else the description's prefix) | `announce_type` |
//!
//! The date is the channel's `pubDate` unless `--date` is given; the feed's
//! order is the digest's. A broken item is skipped with its line.

use std::io::Read;

use super::xml::{Elements, Piece, Pieces, Shape};
use super::Context;
use crate::error::Diagnostic;
use crate::import::record::{diagnostic_at, non_empty, Item, Record};
use crate::import::text::TextReader;
use crate::import::{arxiv, clean};

/// What this reader looks up in a feed.
static SHAPE: Shape = Shape {
    record: "item",
    head: &["channel/pubDate", "channel/title"],
    fields: &["link", "guid", "pubDate", "description", "category", "announce_type", "title", "creator"],
    attrs: &[],
};

pub fn read<R: Read>(reader: &mut TextReader<R>, cx: &Context, emit: &mut dyn FnMut(Item)) {
    let mut pieces = Pieces::new(reader, &SHAPE);
    let mut channel = Feed::default();
    let mut order = 0;
    while let Some(piece) = pieces.next_piece(cx) {
        match piece {
            Ok(Piece::Head(head)) => {
                let date = head.text("channel/pubDate").map(rfc2822_day);
                channel = Feed {
                    date: date.clone().and_then(Result::ok),
                    date_problem: date.and_then(Result::err),
                    digest: head.text("channel/title").and_then(digest_of_title),
                }
            }
            Ok(Piece::Record { line, elements }) => {
                order += 1;
                let record = item(&elements, line, order, &channel, cx);
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

/// What the head of a feed says about all its records.
#[derive(Default)]
pub struct Feed {
    pub date: Option<chrono::NaiveDate>,
    /// What is wrong with the feed's date, when it has one that is none.
    pub date_problem: Option<String>,
    /// The category (or `a+b` categories) the feed is of.
    pub digest: Option<String>,
}

impl Feed {
    pub fn digest_name(&self, cx: &Context, format: &str) -> String {
        cx.category.clone().or_else(|| self.digest.clone()).unwrap_or_else(|| format.to_owned())
    }
}

fn item(e: &Elements, line: usize, order: i64, channel: &Feed, cx: &Context) -> Result<Record, Diagnostic> {
    let problem = |message: &str, help: &str| diagnostic_at(cx.shown, line, 0, message).help(help);
    let id = e
        .text("link")
        .and_then(crate::arxiv::id_from_link)
        .or_else(|| e.text("guid").and_then(crate::arxiv::id_from_text))
        .ok_or_else(|| {
            problem("this item has no arXiv link", "an item's <link> is https://arxiv.org/abs/ID")
        })?;
    let own_date = e.text("pubDate").map(rfc2822_day);
    let date = cx.date.or(channel.date).or_else(|| own_date.clone()?.ok()).ok_or_else(|| {
        match channel.date_problem.clone().or_else(|| own_date?.err()) {
            Some(why) => problem(
                &format!("the feed's date is wrong: {why}"),
                "pass --date YYYY-MM-DD with the digest's day, or fix the feed's <pubDate>",
            ),
            None => problem(
                "the item's date is unknown",
                "pass --date YYYY-MM-DD, or keep the channel's <pubDate>",
            ),
        }
    })?;
    let (word, text) = announce_and_text(e.text("description").unwrap_or(""));
    let mut categories: Vec<String> = e.all("category").filter_map(|c| non_empty(&c.text)).collect();
    if categories.is_empty() {
        categories.extend(cx.category.clone());
    }
    Ok(Record {
        line,
        date,
        order: Some(order),
        announce_type: e.text("announce_type").or(word).and_then(arxiv::announce_type),
        digest: channel.digest_name(cx, "rss"),
        title: e.text("title").map(clean::one_line).and_then(non_empty),
        abstract_md: non_empty(clean::unwrap(text)),
        authors: e.text("creator").and_then(split_names),
        categories,
        id,
        ..Record::default()
    })
}

/// A feed text's announce type word and the text after the prefix.
pub fn announce_and_text(text: &str) -> (Option<&str>, &str) {
    match arxiv::split_announce(text) {
        Some(prefix) => (Some(prefix.word), prefix.rest),
        None => (None, text),
    }
}

/// `Ada Example, Bo Sample` -> the names.
pub fn split_names(names: &str) -> Option<Vec<String>> {
    let names: Vec<String> = names.split(',').filter_map(non_empty).collect();
    (!names.is_empty()).then_some(names)
}

/// `Tue, 02 Apr 2024 00:00:00 -0400` -> 2024-04-02, the date as written;
/// else what is wrong with it (a weekday that is not the date's, say).
fn rfc2822_day(text: &str) -> Result<chrono::NaiveDate, String> {
    let text = text.trim();
    if let Ok(time) = chrono::DateTime::parse_from_rfc2822(text) {
        return Ok(time.date_naive());
    }
    let written = text.split_once(',').and_then(|(day, rest)| {
        let day: chrono::Weekday = day.trim().parse().ok()?;
        Some((day, chrono::DateTime::parse_from_rfc2822(rest.trim()).ok()?.date_naive()))
    });
    Err(match written {
        Some((day, date)) => {
            let full = |d: chrono::Weekday| {
                chrono::NaiveDate::from_isoywd_opt(2024, 1, d)
                    .map_or(String::new(), |x| x.format("%A").to_string())
            };
            let is = chrono::Datelike::weekday(&date);
            format!("<pubDate> `{text}` says {}, but {date} is a {}", full(day), full(is))
        }
        None => {
            format!("<pubDate> `{text}` is not a date as RSS writes one (Tue, 02 Apr 2024 00:00:00 -0400)")
        }
    })
}

/// `cs.CV updates on arXiv.org` -> `cs.CV`; `hep-ex, cs.LG updates ...` -> `hep-ex+cs.LG`.
pub fn digest_of_title(title: &str) -> Option<String> {
    let names = title.split(" updates").next()?;
    let names: Vec<&str> = names.split([',', '+']).map(str::trim).collect();
    names.iter().all(|n| crate::arxiv::is_category(n)).then(|| names.join("+"))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn run(text: &str, date: Option<&str>) -> Vec<Result<Record, String>> {
        let mut cx = Context::example("cs.CV.xml", "2024-04-02", None);
        cx.date = date.and_then(crate::dates::parse_day);
        let mut reader = TextReader::new(text.as_bytes());
        let mut out = Vec::new();
        read(&mut reader, &cx, &mut |item| {
            out.push(match item {
                Item::Paper(p) => Ok(*p),
                Item::Skipped(d) => Err(d.to_string()),
            })
        });
        out
    }

    const FEED: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>cs.CV updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.CV</link>
    <pubDate>Tue, 02 Apr 2024 00:00:00 -0400</pubDate>
    <item>
      <title>Seeing Made-Up &amp; Things</title>
      <link>https://arxiv.org/abs/2404.00031</link>
      <description>arXiv:2404.00031v1 Announce Type: new 
Abstract: We look at
made-up things &lt;here&gt;.</description>
      <guid isPermaLink="false">oai:arXiv.org:2404.00031v1</guid>
      <category>cs.CV</category>
      <category>cs.AI</category>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:creator>Ada Example, Bo Sample</dc:creator>
    </item>
    <item>
      <title>Broken</title>
      <link>https://arxiv.org/abs/2404.00032</link>
      <description>unclosed <b>bold</description>
    </item>
    <item>
      <title>No link</title>
    </item>
    <item>
      <title><![CDATA[Replaced <Paper>]]></title>
      <link>https://arxiv.org/abs/2403.00033</link>
      <description>arXiv:2403.00033v2 Announce Type: replace-cross Abstract: Older.</description>
      <category>cs.LG</category>
    </item>
  </channel>
</rss>
"#;

    #[test]
    fn items_become_records_and_broken_ones_are_skipped_at_their_line() {
        let got = run(FEED, None);
        assert_eq!(got.len(), 4, "{got:#?}");
        let p = got[0].as_ref().unwrap();
        assert_eq!(
            (p.id.as_str(), p.date.to_string().as_str(), p.order),
            ("2404.00031", "2024-04-02", Some(1))
        );
        assert_eq!(p.title.as_deref(), Some("Seeing Made-Up & Things"));
        assert_eq!(p.abstract_md.as_deref(), Some("We look at made-up things <here>."));
        assert_eq!((p.categories.join(" "), p.announce_type), ("cs.CV cs.AI".to_owned(), Some("new")));
        assert_eq!(p.authors.as_ref().unwrap(), &["Ada Example", "Bo Sample"]);
        assert_eq!(p.digest, "cs.CV");
        let broken = got[1].as_ref().unwrap_err();
        assert!(broken.starts_with("cs.CV.xml:22:") && broken.contains("not well-formed XML"), "{broken}");
        assert!(
            got[2].as_ref().unwrap_err().starts_with("cs.CV.xml:24: this item has no arXiv link"),
            "{got:?}"
        );
        let q = got[3].as_ref().unwrap();
        assert_eq!(
            (q.title.as_deref(), q.announce_type, q.order),
            (Some("Replaced <Paper>"), Some("replace-cross"), Some(4))
        );
    }

    #[test]
    fn the_date_is_the_channels_unless_given() {
        assert_eq!(run(FEED, Some("2024-04-05"))[0].as_ref().unwrap().date.to_string(), "2024-04-05");
        assert_eq!(digest_of_title("hep-ex, cs.LG updates on arXiv.org").as_deref(), Some("hep-ex+cs.LG"));
        assert_eq!(digest_of_title("My feed"), None);
    }
}
