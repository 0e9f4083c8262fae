//! Stage 3, feeds: Atom for the whole site and for each category, tag and
//! topic.
//!
//! Written with `atom_syndication`, from typed values: the grouped model,
//! each paper's rendered text and the configuration. The site feed has one
//! entry per digest: a short text (its number of papers, the titles of its
//! first ones linking to their pages, as the home page lists them, and a
//! link to the digest for all), so that `[feeds] limit` digests (50 by
//! default) fit however large each day is. A term feed (a category's, a
//! tag's or a topic's) has one entry per paper. Every URL is absolute (built from `base_url`), dates come from
//! the content, so two builds give the same bytes, and characters XML
//! cannot carry (U+000C and the other C0 controls) are dropped.
//!
//! A feed file stays under [`MAX_FEED_BYTES`]: entries past it are left
//! out (the newest are kept; one entry always is).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Text};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::pages::{digest_path, paper_path, term_path};
use crate::config::SiteConfig;
use crate::group::{Model, TermKind};
use crate::load::Paper;
use crate::text::tex;

/// The largest feed file written, in bytes: feed readers fetch it often.
pub const MAX_FEED_BYTES: usize = 1_000_000;

/// What a paper's entry in a term feed shows besides its fields.
pub struct FeedHtml {
    pub summary_html: Option<String>,
    pub abstract_html: Option<String>,
}

/// Which papers some category's, tag's or topic's feed shows (each feed
/// shows the first `limit` papers of its term), by index in `model.papers`.
pub fn shown_in_term_feeds(model: &Model, limit: usize) -> Vec<bool> {
    let mut shown = vec![false; model.papers.len()];
    for term in model.categories.iter().chain(&model.tags).chain(&model.topics) {
        term.papers.iter().take(limit).for_each(|&p| shown[p] = true);
    }
    shown
}

/// What feeds are written from.
pub struct Source<'a> {
    pub config: &'a SiteConfig,
    /// The theme's interface strings.
    pub strings: &'a BTreeMap<String, String>,
    pub model: &'a Model,
    /// Each paper's rendered text, by index in `model.papers`.
    pub texts: super::texts::Texts<'a>,
}

impl Source<'_> {
    /// The site feed: one entry per digest of `digests`, with a short text.
    pub fn site_feed(&self, digests: Range<usize>) -> Vec<u8> {
        let config = self.config;
        let label = self.string("digest");
        let entries = self.model.digests[digests]
            .iter()
            .map(|d| {
                let page = config.base_url.absolute(&digest_path(&d.key));
                let count = self.count(d.entries.len());
                let text = self.digest_text(d, &page, &count);
                entry(&page, &format!("{label} {}", d.key), d.start, Some(&count), text)
            })
            .collect();
        feed(config, &config.title, &config.base_url.absolute(""), "atom.xml", entries)
    }

    /// A site feed entry's text for a digest (at `page`): its number of
    /// papers (`count`), the titles of its first `[home] papers` linking to
    /// their pages, and a link to the digest for all of them.
    fn digest_text(&self, digest: &crate::group::Digest, page: &str, count: &str) -> String {
        let mut text = format!("<p>{}</p><ol>", esc(count));
        let papers = &self.model.entries[digest.entries.clone()];
        for p in papers.iter().take(self.config.home_papers).map(|e| &self.model.papers[e.paper]) {
            let href = self.config.base_url.absolute(&paper_path(&p.slug));
            text.push_str(&format!("<li><a href=\"{}\">{}</a></li>", esc(&href), esc(&shown_title(p))));
        }
        let all = self.string("all_papers").replace("{n}", &papers.len().to_string());
        text.push_str(&format!("</ol><p><a href=\"{}\">{}</a></p>", esc(page), esc(&all)));
        text
    }

    /// An interface string of the theme (empty if it has none).
    fn string(&self, key: &str) -> &str {
        self.strings.get(key).map_or("", String::as_str)
    }

    /// `n papers`, in the theme's words.
    fn count(&self, n: usize) -> String {
        let key = if n == 1 { "n_papers_one" } else { "n_papers" };
        self.string(key).replace("{n}", &n.to_string())
    }

    /// A term's feed: one entry per paper of `shown`, by position in the term's list.
    pub fn term_feed(&self, kind: TermKind, term: usize, shown: Range<usize>) -> Vec<u8> {
        let config = self.config;
        let term = &self.model.terms(kind)[term];
        let entries = term.papers[shown]
            .iter()
            .map(|&i| {
                let p = &self.model.papers[i];
                let html = self.texts.brief(i).feed.as_ref();
                debug_assert!(html.is_some(), "the text of a paper a feed shows keeps its feed HTML");
                let html = |f: fn(&FeedHtml) -> &Option<String>| {
                    html.and_then(|h| f(h).as_deref()).unwrap_or_default()
                };
                // The summary and the abstract: enough to decide whether to read on.
                let content = format!(
                    "<p>{}</p><p>{}</p>{}",
                    esc(&tex::to_text(&p.title)),
                    html(|h| &h.summary_html),
                    html(|h| &h.abstract_html)
                );
                let page = config.base_url.absolute(&paper_path(&p.slug));
                let summary = p.summary.as_deref().map(tex::to_text);
                entry(&page, &shown_title(p), p.date, summary.as_deref(), content)
            })
            .collect();
        let title = format!("{} · {}", config.title, term.name);
        let path = term_path(kind, &term.slug, 1);
        let page = config.base_url.absolute(&path);
        feed(config, &title, &page, &format!("{path}atom.xml"), entries)
    }
}

/// The `updated` date of a feed with no entries: a fixed one, so two builds
/// of an empty site give the same bytes.
const NO_ENTRIES: DateTime<Utc> = DateTime::UNIX_EPOCH;

/// A feed whose id is the page it follows (`page`), written to `self_path`:
/// its first entries, as many as fit in [`MAX_FEED_BYTES`] (at least one).
fn feed(config: &SiteConfig, title: &str, page: &str, self_path: &str, mut entries: Vec<Entry>) -> Vec<u8> {
    loop {
        let out = write_feed(config, title, page, self_path, entries.clone());
        if out.len() <= MAX_FEED_BYTES || entries.len() <= 1 {
            return out;
        }
        // Entries are of about one size: keep the share that fits, and at
        // least one fewer each time.
        let fit = entries.len() * MAX_FEED_BYTES / out.len();
        entries.truncate(fit.clamp(1, entries.len() - 1));
    }
}

fn write_feed(config: &SiteConfig, title: &str, page: &str, self_path: &str, entries: Vec<Entry>) -> Vec<u8> {
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_else(|| NO_ENTRIES.fixed_offset());
    let feed = Feed {
        title: Text::plain(xml_text(title).into_owned()),
        id: page.to_owned(),
        updated,
        links: vec![link(page, "alternate"), link(&config.base_url.absolute(self_path), "self")],
        subtitle: (!config.description.is_empty())
            .then(|| Text::plain(xml_text(&config.description).into_owned())),
        entries,
        ..Feed::default()
    };
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = feed.write_to(&mut out);
    out
}

fn entry(id: &str, title: &str, date: NaiveDate, summary: Option<&str>, html: String) -> Entry {
    Entry {
        title: Text::plain(xml_text(title).into_owned()),
        id: id.to_owned(),
        updated: date_time(date),
        links: vec![link(id, "alternate")],
        summary: summary.map(|s| Text::plain(xml_text(s).into_owned())),
        content: Some(Content {
            value: Some(xml_text(&html).into_owned()),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

fn link(href: &str, rel: &str) -> Link {
    Link { href: href.to_owned(), rel: rel.to_owned(), ..Link::default() }
}

/// Midnight UTC of a day.
fn date_time(day: NaiveDate) -> FixedDateTime {
    Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN)).fixed_offset()
}

/// Drops the characters XML 1.0 cannot carry (most text has none: it is
/// returned as it is, without a copy).
pub fn xml_text(s: &str) -> std::borrow::Cow<'_, str> {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'));
    if s.chars().all(allowed) {
        s.into()
    } else {
        s.chars().filter(|&c| allowed(c)).collect::<String>().into()
    }
}

fn esc(s: &str) -> String {
    crate::text::html::escape_html(s)
}

/// The title a reader sees in a list: the translated one, or the original.
/// The title a list shows, as text: arXiv's TeX resolved ([`tex::to_text`]).
fn shown_title(p: &Paper) -> Cow<'_, str> {
    tex::to_text(p.translated_title.as_deref().unwrap_or(&p.title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_text_is_kept() {
        assert_eq!(xml_text("a\u{c}b\u{0}c\td\n论文"), "abc\td\n论文");
    }

    use std::sync::Arc;

    use crate::render::texts::{Text, Texts};
    use crate::render::{Brief, PaperText, Renderer};
    use crate::text::markdown::MarkdownOptions;

    /// Digests of `per_day` papers, `n` papers in all, each with `text` as
    /// summary and abstract, and their texts, rendered already.
    fn site(n: usize, per_day: usize, text: &str) -> (Model, Vec<Text>) {
        let papers = (0..n).map(|i| {
            let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
                + chrono::Days::new((i / per_day) as u64);
            Arc::new(Paper {
                summary: Some(text.into()),
                categories: vec!["cs.CV".into()],
                ..Paper::example(&format!("2404.{i:05}"), &day.to_string())
            })
        });
        let model = crate::group::group(papers, crate::config::Period::Day, &[]).unwrap();
        let html = || Some(format!("<p>{text}</p>"));
        let texts = (0..n)
            .map(|_| {
                let feed = Some(FeedHtml { summary_html: html(), abstract_html: html() });
                let brief = Arc::new(Brief { list: tera::Value::none(), feed, warnings: Vec::new() });
                Text::rendered(Arc::new(PaperText { value: tera::Value::none(), brief }))
            })
            .collect();
        (model, texts)
    }

    /// What `feed` makes of `n` papers of `text`, `per_day` a digest.
    fn feed_of(n: usize, per_day: usize, text: &str, feed: impl Fn(&Source) -> Vec<u8>) -> String {
        let config = SiteConfig::parse("title = \"T\"\nbase_url = \"https://example.org/\"\n").unwrap();
        let strings: BTreeMap<String, String> =
            [("digest", "Digest"), ("all_papers", "All {n} papers"), ("n_papers", "{n} papers")]
                .map(|(k, v)| (k.into(), v.into()))
                .into();
        let theme = crate::theme::Theme::load(std::path::Path::new("/nonexistent"), &config).unwrap();
        let renderer = Renderer::new(config.clone(), theme).unwrap();
        let (model, slots) = site(n, per_day, text);
        let md =
            MarkdownOptions { base: config.base_url.clone(), unsafe_html: false, papers: Default::default() };
        let in_feed = vec![true; n];
        let texts = Texts { slots: &slots, renderer: &renderer, model: &model, md: &md, in_feed: &in_feed };
        let bytes = feed(&Source { config: &config, strings: &strings, model: &model, texts });
        assert!(bytes.len() <= MAX_FEED_BYTES, "{} bytes", bytes.len());
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn the_site_feed_holds_fifty_days_of_1200_papers_each_with_a_short_text() {
        let text = feed_of(60_000, 1_200, &"A long one-line summary. ".repeat(8), |s| s.site_feed(0..50));
        let parsed: atom_syndication::Feed = text.parse().unwrap();
        assert_eq!(parsed.entries().len(), 50, "every digest the limit asks for");
        let newest = &parsed.entries()[0];
        assert_eq!(newest.summary().unwrap().value, "1200 papers");
        let html = newest.content().unwrap().value().unwrap();
        assert!(html.contains("All 1200 papers"), "the entry links to the digest for all: {html}");
        assert_eq!(html.matches("<li>").count(), 20, "the first 20 titles, as the home page: {html}");
        assert!(html.contains("https://example.org/paper/2404.58800/"), "titles link to paper pages: {html}");
        assert!(!html.contains("one-line summary"), "not the day's text");
        assert!(text.len() < 300_000, "{} bytes", text.len());
    }

    #[test]
    fn a_feed_stays_under_its_limit_however_large_its_entries() {
        // One paper an entry, 60 KB each: the newest that fit are kept.
        let text = feed_of(50, 50, &"An abstract of many words. ".repeat(1_100), |s| {
            s.term_feed(TermKind::Category, 0, 0..50)
        });
        let parsed: atom_syndication::Feed = text.parse().unwrap();
        assert!((10..50).contains(&parsed.entries().len()), "{} entries", parsed.entries().len());
        assert_eq!(parsed.entries()[0].id(), "https://example.org/paper/2404.00000/", "the newest first");
    }

    #[test]
    fn dates_become_midnight_utc() {
        let day = NaiveDate::from_ymd_opt(2024, 4, 2).unwrap();
        assert_eq!(date_time(day).to_rfc3339(), "2024-04-02T00:00:00+00:00");
    }
}
