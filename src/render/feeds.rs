//! Stage 3, feeds: Atom for the whole site and for each category and tag.
//!
//! Written with `atom_syndication`, from the same context values the pages
//! use. The site feed has one entry per digest (its papers listed in the
//! entry); a term feed has one entry per paper. Every URL is absolute
//! (built from `base_url`), dates come from the content, so two builds give
//! the same bytes, and characters XML cannot carry (U+000C and the other C0
//! controls) are dropped.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Text};
use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use tera::Value;

use crate::config::SiteConfig;

/// The site feed: `digests` are digest cards (with short paper links).
pub fn site_feed(config: &SiteConfig, t: &BTreeMap<String, String>, digests: &[Value]) -> Vec<u8> {
    let label = t.get("digest").map_or("", String::as_str);
    let entries = digests
        .iter()
        .map(|d| {
            let list: String = array(d, "papers")
                .iter()
                .map(|p| {
                    let href = absolute(config, str_of(p, "digest_permalink"));
                    let summary = str_of(p, "summary");
                    format!("<li><a href=\"{}\">{}</a> {}</li>", esc(&href), esc(title_of(p)), esc(summary))
                })
                .collect();
            entry(
                &absolute(config, str_of(d, "permalink")),
                &format!("{label} {}", str_of(d, "key")),
                str_of(d, "date"),
                None,
                format!("<ol>{list}</ol>"),
            )
        })
        .collect();
    feed(config, &config.title, &config.base_url.absolute(""), "atom.xml", entries)
}

/// A term feed: `term` is the term context, `papers` full paper contexts.
pub fn term_feed(config: &SiteConfig, term: &Value, papers: &[Value]) -> Vec<u8> {
    let entries = papers
        .iter()
        .map(|p| {
            // The summary and the abstract: enough to decide whether to read on.
            let content = format!(
                "<p>{}</p><p>{}</p>{}",
                esc(str_of(p, "title")),
                str_of(p, "summary_html"),
                str_of(p, "abstract_html")
            );
            entry(
                &absolute(config, str_of(p, "permalink")),
                title_of(p),
                str_of(p, "date"),
                p.get_from_path("summary").and_then(Value::as_str),
                content,
            )
        })
        .collect();
    let title = format!("{} · {}", config.title, str_of(term, "name"));
    let page = absolute(config, str_of(term, "permalink"));
    let path = format!("{}atom.xml", str_of(term, "permalink").trim_start_matches(&config.base_url.path));
    feed(config, &title, &page, &path, entries)
}

/// A feed whose id is the page it follows (`page`), written to `self_path`.
fn feed(config: &SiteConfig, title: &str, page: &str, self_path: &str, entries: Vec<Entry>) -> Vec<u8> {
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_else(|| date_time(""));
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

fn entry(id: &str, title: &str, date: &str, summary: Option<&str>, html: String) -> Entry {
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

/// Midnight UTC of a `YYYY-MM-DD` date (1970-01-01 when there is none).
fn date_time(date: &str) -> FixedDateTime {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap_or_default();
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Utc.from_utc_datetime(&midnight).fixed_offset()
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

fn absolute(config: &SiteConfig, root_relative: &str) -> String {
    format!("{}{root_relative}", config.base_url.origin)
}

fn esc(s: &str) -> String {
    super::markdown::escape_html(s)
}

fn title_of(p: &Value) -> &str {
    p.get_from_path("translated_title").and_then(Value::as_str).unwrap_or_else(|| str_of(p, "title"))
}

fn str_of<'v>(v: &'v Value, key: &'v str) -> &'v str {
    v.get_from_path(key).and_then(Value::as_str).unwrap_or_default()
}

fn array<'v>(v: &'v Value, key: &'v str) -> &'v [Value] {
    v.get_from_path(key).and_then(Value::as_array).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_text_is_kept() {
        assert_eq!(xml_text("a\u{c}b\u{0}c\td\n论文"), "abc\td\n论文");
    }

    #[test]
    fn dates_become_midnight_utc() {
        assert_eq!(date_time("2024-04-02").to_rfc3339(), "2024-04-02T00:00:00+00:00");
    }
}
