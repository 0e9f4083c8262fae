//! Text engine, Markdown after parsing: the text events of one rendered
//! text, made final ([`finish`]).
//!
//! - Runs of text are joined (the parser splits text at brackets).
//! - `[[id]]` links to that paper, showing its title ([`PaperRef`]).
//! - Each piece taken out before parsing ([`prepare`](super::prepare)) is
//!   shown: a formula as MathML, an accented letter, `\emph{...}` as `<em>`
//!   (closed, at the latest, where its Markdown container closes), `\url{}`
//!   as a link.
//! - Bare URLs become links (GFM autolinks, found by `linkify`): `http(s)://`
//!   and `www.` addresses and e-mail addresses, under [`safe_url`].
//! - In arXiv text, `--` and `---` become dashes.
//!
//! Text in code blocks, link texts and image descriptions gets no new
//! links; code blocks and image descriptions get their pieces back as
//! written.

use std::collections::HashMap;

use linkify::{Link, LinkFinder, LinkKind};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::prepare::{placeholder_index, Piece, Prepared};
use super::PaperRef;
use crate::text::html::{escape_html, safe_url};
use crate::text::math;
use crate::text::tex::{self, Style};
use crate::url::BaseUrl;

/// What text events are finished with.
pub struct Finisher<'p, 'a> {
    pub prepared: &'p Prepared<'a>,
    pub papers: &'p HashMap<String, PaperRef>,
    pub base: &'p BaseUrl,
    /// arXiv text: dashes.
    pub arxiv: bool,
    pub warnings: Vec<String>,
}

/// Where an event is.
#[derive(Default)]
struct Place {
    /// Inside a code block or an image description: pieces go back as written.
    verbatim: usize,
    /// Inside a link: no new links.
    link: usize,
    /// Open containers.
    depth: usize,
    /// Open `\emph{` and the like, with the depth they opened at.
    styles: Vec<(Style, usize)>,
}

impl<'a> Finisher<'_, 'a> {
    /// The final events of a text.
    pub fn finish(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        let mut place = Place::default();
        let mut text = Joined::default();
        for event in events {
            if let Event::Text(t) = event {
                text.push(t);
                continue;
            }
            self.flush(&mut text, &mut place, &mut out);
            match &event {
                Event::Start(tag) => {
                    place.depth += 1;
                    match tag {
                        Tag::CodeBlock(_) | Tag::Image { .. } => place.verbatim += 1,
                        Tag::Link { .. } => place.link += 1,
                        _ => {}
                    }
                }
                Event::End(tag) => {
                    close_styles(&mut place, &mut out);
                    place.depth = place.depth.saturating_sub(1);
                    match tag {
                        TagEnd::CodeBlock | TagEnd::Image => {
                            place.verbatim = place.verbatim.saturating_sub(1)
                        }
                        TagEnd::Link => place.link = place.link.saturating_sub(1),
                        _ => {}
                    }
                }
                _ => {}
            }
            out.push(event);
        }
        self.flush(&mut text, &mut place, &mut out);
        close_styles(&mut place, &mut out);
        out
    }

    /// Hands over the joined text gathered so far.
    fn flush(&mut self, text: &mut Joined<'a>, place: &mut Place, out: &mut Vec<Event<'a>>) {
        let Some(joined) = text.take() else { return };
        if place.verbatim > 0 {
            out.push(Event::Text(self.prepared.restore(&joined).into_owned().into()));
            return;
        }
        if !self.has_work(&joined, place) {
            // Most text: handed over as the parser gave it, without a copy.
            out.push(Event::Text(joined));
            return;
        }
        let mut rest: &str = &joined;
        while let Some((start, len, paper)) = next_reference(rest, self.papers) {
            self.pieces(&rest[..start], place, out);
            out.push(Event::InlineHtml(
                format!(
                    "<a class=\"paper-ref\" href=\"{}\">{}</a>",
                    escape_html(&paper.url),
                    paper.title_html
                )
                .into(),
            ));
            rest = &rest[start + len..];
        }
        self.pieces(rest, place, out);
    }

    /// Whether `text` holds anything to change: a reference, a piece, a bare
    /// URL or, in arXiv text, a dash.
    fn has_work(&self, text: &str, place: &Place) -> bool {
        // Every placeholder is encoded with a leading 0xF3 byte.
        text.contains("[[")
            || (!self.prepared.pieces.is_empty() && memchr::memchr(0xF3, text.as_bytes()).is_some())
            || (place.link == 0 && may_hold_link(text))
            || (self.arxiv && text.contains("--"))
    }

    /// Text with pieces in it.
    fn pieces(&mut self, text: &str, place: &mut Place, out: &mut Vec<Event<'a>>) {
        let mut plain = 0;
        for (i, c) in text.char_indices() {
            let Some(taken) = placeholder_index(c).and_then(|n| self.prepared.pieces.get(n)) else {
                continue;
            };
            self.plain(&text[plain..i], place, out);
            plain = i + c.len_utf8();
            match &taken.piece {
                Piece::Math { tex, display } => {
                    let html = math::to_html(taken.source, tex, *display, &mut self.warnings);
                    out.push(Event::InlineHtml(html.into()));
                }
                Piece::Char(shown) => out.push(Event::Text(shown.to_string().into())),
                Piece::Open(style) => {
                    place.styles.push((*style, place.depth));
                    out.push(Event::InlineHtml(style.tags().0.into()));
                }
                Piece::Close(style) => match place.styles.last() {
                    Some(&(open, depth)) if open == *style && depth == place.depth => {
                        place.styles.pop();
                        out.push(Event::InlineHtml(style.tags().1.into()));
                    }
                    // Its opening was closed with its container already.
                    _ => {}
                },
                Piece::Url(url) => out.push(Event::InlineHtml(tex::link_html(url, place.link == 0).into())),
            }
        }
        self.plain(&text[plain..], place, out);
    }

    /// Text with no piece in it: bare URLs linked, dashes.
    fn plain(&self, text: &str, place: &Place, out: &mut Vec<Event<'a>>) {
        if text.is_empty() {
            return;
        }
        let mut last = 0;
        if place.link == 0 && may_hold_link(text) {
            for link in finder().links(text) {
                let Some((shown, href)) = autolink(text, &link, self.base) else { continue };
                self.push_text(&text[last..shown.start], out);
                out.push(Event::InlineHtml(
                    format!("<a href=\"{}\">{}</a>", escape_html(&href), escape_html(&text[shown.clone()]))
                        .into(),
                ));
                last = shown.end;
            }
        }
        self.push_text(&text[last..], out);
    }

    fn push_text(&self, text: &str, out: &mut Vec<Event<'a>>) {
        if text.is_empty() {
            return;
        }
        let shown = if self.arxiv { tex::dashes(text) } else { text.into() };
        out.push(Event::Text(CowStr::from(shown.into_owned())));
    }
}

/// Consecutive text events, joined only when there are several.
#[derive(Default)]
struct Joined<'a> {
    first: Option<CowStr<'a>>,
    more: Option<String>,
}

impl<'a> Joined<'a> {
    fn push(&mut self, text: CowStr<'a>) {
        match (&mut self.more, &self.first) {
            (Some(more), _) => more.push_str(&text),
            (None, Some(first)) => {
                let mut more = String::with_capacity(first.len() + text.len() + 32);
                more.push_str(first);
                more.push_str(&text);
                self.more = Some(more);
            }
            (None, None) => self.first = Some(text),
        }
    }

    fn take(&mut self) -> Option<CowStr<'a>> {
        let first = self.first.take();
        self.more.take().map(CowStr::from).or(first)
    }
}

/// Closes the styles opened inside the container that is closing.
fn close_styles(place: &mut Place, out: &mut Vec<Event<'_>>) {
    while let Some(&(style, depth)) = place.styles.last() {
        if depth < place.depth {
            break;
        }
        place.styles.pop();
        out.push(Event::InlineHtml(style.tags().1.into()));
    }
}

/// The next `[[id]]` naming a known paper: its start, length and paper.
pub fn next_reference<'p>(
    text: &str,
    papers: &'p HashMap<String, PaperRef>,
) -> Option<(usize, usize, &'p PaperRef)> {
    let mut from = 0;
    while let Some(start) = text[from..].find("[[").map(|i| from + i) {
        let len = text[start + 2..].find("]]")?;
        if let Some(paper) = papers.get(text[start + 2..start + 2 + len].trim()) {
            return Some((start, len + 4, paper));
        }
        from = start + 2;
    }
    None
}

/// Whether linkify needs to look at `text` at all.
fn may_hold_link(text: &str) -> bool {
    // `@` with memchr's vector search: `str::contains` of a char reads a
    // word at a time.
    text.contains("://") || text.contains("www.") || memchr::memchr(b'@', text.as_bytes()).is_some()
}

fn finder() -> LinkFinder {
    let mut finder = LinkFinder::new();
    finder.url_must_have_scheme(false);
    finder
}

/// The link of a bare address, as GFM's autolinks make it: a scheme URL
/// as written, `www.` with `http://`, an e-mail address with `mailto:`;
/// `None` for anything else (`example.org` alone stays text) or an unsafe
/// scheme.
///
/// As GFM says, an address starts a line, a word or an emphasis (it comes
/// after a space, `*`, `_`, `~` or `(`; here also after any non-ASCII
/// character, since Chinese and Japanese text runs on without spaces), so
/// `<https://a.b c>` and `<foo\+@bar.example.com>` stay text. An e-mail
/// address is made of letters, digits and `.+-_`, and one followed by `:`
/// is an SSH remote (`git@github.com:foo/bar.git`), not an address.
fn autolink(text: &str, link: &Link, base: &BaseUrl) -> Option<(std::ops::Range<usize>, String)> {
    let mut start = link.start();
    if *link.kind() == LinkKind::Email {
        // The address starts after the last character no address holds.
        let local = &text[start..link.end()].split('@').next().unwrap_or_default();
        start += local
            .rfind(|c: char| !is_address_char(c))
            .map_or(0, |i| i + local[i..].chars().next().map_or(1, char::len_utf8));
    }
    let found = &text[start..link.end()];
    let before = text[..start].chars().next_back();
    if before.is_some_and(|c| c.is_ascii() && !c.is_ascii_whitespace() && !matches!(c, '*' | '_' | '~' | '('))
    {
        return None;
    }
    let href = match link.kind() {
        LinkKind::Email if is_address(found) && !text[link.end()..].starts_with(':') => {
            format!("mailto:{found}")
        }
        LinkKind::Email => return None,
        _ if found.contains("://") => found.to_owned(),
        _ if found.starts_with("www.") => format!("http://{found}"),
        _ => return None,
    };
    Some((start..link.end(), safe_url(&href, base)?))
}

/// What the name before an address's `@` is made of.
fn is_address_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_')
}

/// An e-mail address as GFM reads one: letters, digits and `.+-_`, `@`,
/// then dot-separated names of letters, digits, `-` and `_`, the last
/// ending in neither.
fn is_address(found: &str) -> bool {
    let Some((local, domain)) = found.split_once('@') else { return false };
    let name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
    !local.is_empty()
        && local.chars().all(is_address_char)
        && domain.contains('.')
        && domain.split('.').all(|part| !part.is_empty() && part.chars().all(name))
        && !domain.ends_with(['-', '_'])
}
