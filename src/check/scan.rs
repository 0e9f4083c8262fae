//! What `quire check` keeps of each file of a site, read once as the file
//! is made: the links a page or a feed holds and the element ids a file
//! has; never the file itself, so a large site is not held whole.
//!
//! A page's links are the values of every `href` and `src` attribute; a
//! feed's are those of its elements and those of the HTML in its
//! `<content>` (escaped in the feed, read as HTML). Ids are the `id`
//! attributes of any file's elements. Files are read as HTML is tokenized
//! (html5gum), character references decoded, the first of two attributes
//! of the same name counted, and nothing reported about the markup itself.

use std::convert::Infallible;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, Error, ForwardingEmitter, Span, Tokenizer};

/// What check keeps of one file of a site.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scanned {
    /// Its link targets, each once, sorted, with the number of times it
    /// holds each: none unless it is a page or a feed.
    pub links: Vec<(Box<str>, u32)>,
    /// Its element ids, each once, sorted.
    pub ids: Vec<Box<str>>,
}

impl Scanned {
    /// Whether an element of this file has the id `id`.
    pub fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search_by(|i| (**i).cmp(id)).is_ok()
    }
}

/// The kinds of files whose links are followed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Html,
    Feed,
}

impl Markup {
    /// The kind of the file at output path `path`: `.html` or `.xml`; none
    /// for other files.
    pub fn of(path: &str) -> Option<Markup> {
        if path.ends_with(".html") {
            Some(Markup::Html)
        } else if path.ends_with(".xml") {
            Some(Markup::Feed)
        } else {
            None
        }
    }
}

/// Reads the file at output path `path`.
pub fn scan(path: &str, bytes: &[u8]) -> Scanned {
    let markup = Markup::of(path);
    let mut tags = Tags { feed: markup == Some(Markup::Feed), ..Tags::default() };
    tags.read(bytes);
    let ids = tags.ids.counted().into_iter().map(|(id, _)| id).collect();
    if markup.is_none() {
        return Scanned { links: Vec::new(), ids };
    }
    let mut links = std::mem::take(&mut tags.links);
    for content in tags.contents.slices() {
        let mut html = Tags::default();
        html.read(content);
        html.links.slices().for_each(|link| links.push(link));
    }
    Scanned { links: links.counted(), ids }
}

/// Attribute values, one after another in one buffer.
#[derive(Default)]
struct Values {
    bytes: Vec<u8>,
    /// Where each value ends in `bytes`.
    ends: Vec<usize>,
}

impl Values {
    fn push(&mut self, value: &[u8]) {
        self.bytes.extend_from_slice(value);
        self.ends.push(self.bytes.len());
    }

    fn slices(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(start, &end)| &self.bytes[start..end])
    }

    /// The values as text, each once, sorted, with the number of times each came.
    fn counted(&self) -> Vec<(Box<str>, u32)> {
        let mut values: Vec<&[u8]> = self.slices().collect();
        values.sort_unstable();
        let mut out: Vec<(Box<str>, u32)> = Vec::new();
        let mut last: Option<&[u8]> = None;
        for value in values {
            match out.last_mut() {
                Some((_, times)) if last == Some(value) => *times += 1,
                _ => out.push((String::from_utf8_lossy(value).into(), 1)),
            }
            last = Some(value);
        }
        out
    }
}

/// The attributes kept of a start tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Href,
    Src,
    Id,
}

/// What one tokenizing pass found, event by event.
#[derive(Default)]
struct Tags {
    /// A feed: the text of a `<content>` element is HTML to read too.
    feed: bool,
    /// Inside a feed's `<content>` (until the next tag ends).
    in_content: bool,
    /// The attribute whose value comes next, when it is one kept.
    current: Option<Wanted>,
    /// Whether the start tag being read has each kept attribute (href,
    /// src, id), and their values.
    has: [bool; 3],
    values: [Vec<u8>; 3],
    links: Values,
    ids: Values,
    /// The text of a feed's `<content>` elements.
    contents: Values,
}

impl Tags {
    fn read(&mut self, bytes: &[u8]) {
        let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<Infallible> {
            self.on(event);
            None
        });
        Tokenizer::new_with_emitter(bytes, Quiet(emitter)).for_each(drop);
    }

    /// Forgets the attributes of the last tag.
    fn clear_tag(&mut self) {
        self.has = [false; 3];
        self.values.iter_mut().for_each(Vec::clear);
        self.current = None;
    }

    fn on(&mut self, event: CallbackEvent<'_>) {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.clear_tag();
                self.in_content = self.feed && name == b"content";
            }
            CallbackEvent::AttributeName { name } => {
                self.current = match name {
                    b"href" => Some(Wanted::Href),
                    b"src" => Some(Wanted::Src),
                    b"id" => Some(Wanted::Id),
                    _ => None,
                };
                // The first of two attributes of one name is the one read.
                if let Some(w) = self.current {
                    match self.has[w as usize] {
                        true => self.current = None,
                        false => self.has[w as usize] = true,
                    }
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some(w) = self.current {
                    self.values[w as usize].extend_from_slice(value);
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                for link in [Wanted::Href, Wanted::Src] {
                    if self.has[link as usize] {
                        self.links.push(&self.values[link as usize]);
                    }
                }
                if self.has[Wanted::Id as usize] {
                    self.ids.push(&self.values[Wanted::Id as usize]);
                }
                self.clear_tag();
            }
            CallbackEvent::EndTag { .. } => {
                self.clear_tag();
                self.in_content = false;
            }
            CallbackEvent::String { value } if self.in_content => self.contents.push(value),
            _ => {}
        }
    }
}

/// An emitter that reports nothing about the markup: check reads links,
/// not mistakes, and skips checking every character for them.
struct Quiet<E>(E);

impl<E: Emitter> ForwardingEmitter for Quiet<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn emit_error(&mut self, _: Error) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(values: &[Box<str>]) -> Vec<&str> {
        values.iter().map(|v| &**v).collect()
    }

    fn links(found: &Scanned) -> Vec<(&str, u32)> {
        found.links.iter().map(|(link, times)| (&**link, *times)).collect()
    }

    #[test]
    fn a_page_gives_its_links_and_ids_each_once_with_character_references_decoded() {
        let page = r##"<html><head><link href="style.css"><script src="a.js"></script></head>
            <body><h2 id="top">T</h2><a href="/a/?x=1&amp;y=2">a</a><a href="/a/?x=1&amp;y=2">again</a>
            <img src="i.png" id="pic"><a href="">self</a><a href="#top" href="/second/">first</a>
            <p>not a link: href="/no/"</p></body></html>"##;
        let found = scan("index.html", page.as_bytes());
        let once = |link| (link, 1);
        let expected =
            [once(""), once("#top"), ("/a/?x=1&y=2", 2), once("a.js"), once("i.png"), once("style.css")];
        assert_eq!(links(&found), expected);
        assert_eq!(text(&found.ids), ["pic", "top"]);
        assert!(found.has_id("top") && !found.has_id("to"));
    }

    #[test]
    fn a_feed_gives_the_links_of_its_html_content_and_other_files_only_ids() {
        let feed = r#"<feed><link href="https://x.org/"/><entry><content type="html">&lt;a href="/p/"&gt;p&lt;/a&gt; &lt;b id="no"&gt;</content></entry></feed>"#;
        let found = scan("atom.xml", feed.as_bytes());
        assert_eq!(links(&found), [("/p/", 1), ("https://x.org/", 1)]);
        assert!(found.ids.is_empty(), "ids in a feed's escaped HTML are not the feed's");
        let svg = scan("icons.svg", br#"<svg><symbol id="logo"><a href="/x/"/></symbol></svg>"#);
        assert_eq!((links(&svg), text(&svg.ids)), (vec![], vec!["logo"]));
    }

    #[test]
    fn attributes_of_end_tags_and_of_unfinished_tags_are_not_links() {
        let found = scan("a.html", br#"<p></p href="/end/"><a href="/ok/">x</a><a href="/cut/""#);
        assert_eq!(links(&found), [("/ok/", 1)]);
    }
}
