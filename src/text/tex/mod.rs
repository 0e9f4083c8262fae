//! Text engine, arXiv's TeX outside math: titles and abstracts as arXiv writes
//! them (`Enestr\"om`, `\emph{arbitrary}`, ``` ``quoted'' ```) shown as a
//! reader expects them.
//!
//! [`walk`] cuts a text into [`Piece`]s: text as written, formulas and code
//! (found by [`super::spans`], left to their own renderers), and the
//! constructs below. A command it does not know stays as written, and
//! nothing inside a formula or code is touched.
//!
//! | TeX | shown |
//! | --- | --- |
//! | `\"o`, `\'e`, `` \`a ``, `\^o`, `\~n`, `\=a`, `\.z`, `\c{c}`, `\v{s}`, `\u{a}`, `\H{o}`, `\k{a}`, `\r{a}`, `\d{a}`, `\b{a}`, with or without braces (`{\"u}`, `\"{u}`, `\'{\i}`) | the accented letter (ö, é, à, ô, ñ, ā, ż, ç, š, ă, ő, ą, å, ạ, a̱, í) |
//! | `\ss`, `\o`, `\O`, `\ae`, `\AE`, `\oe`, `\OE`, `\aa`, `\AA`, `\l`, `\L`, `\i`, `\j` | ß ø Ø æ Æ œ Œ å Å ł Ł ı ȷ |
//! | `\&`, `\%`, `\_`, `\#`, `\$` | the character |
//! | `--`, `---` | – and — (longer runs of hyphens stay; in Markdown, not a run with an escaped one: `\---`) |
//! | ``` ``...'' ```, ``` ``..." ```, `` `...' `` | “...”, “...”, ‘...’ (not code) |
//! | a formula of quotes only: `` $``$...$"$ `` | “...” |
//! | `~` after a letter, digit or `.`, before a non-space (`Fig.~3`) | a no-break space; elsewhere (`~5%`, `~~gone~~`) it stays |
//! | `\emph{...}`, `\textit{...}` / `\textbf{...}` | emphasis / strong (when the brace closes) |
//! | `\url{...}` | a link, under the URL allow-list of every link |
//!
//! In Markdown, `` \` `` before a letter is TeX's grave accent (`Universit\`a`),
//! unless a backtick closes it later on its line, as in Markdown's escaped
//! backtick (`` \`not code` ``).
//!
//! [`to_text`] gives the plain text (for `<title>`, meta tags, feeds and the
//! search index) and [`to_html`] the HTML of a title or summary.

use std::borrow::Cow;

mod letters;
mod marks;

use letters::letter;
pub use marks::dashes;
use marks::{closes_on_its_line, dash, escaped_hyphens, paragraph_end, quote_mark};

use super::html::escape_html;
use super::math;
use super::spans::{self, Reading, Span};
use crate::url::{check, Kind};

/// Emphasis or strong text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Em,
    Strong,
}

impl Style {
    pub fn tags(self) -> (&'static str, &'static str) {
        match self {
            Style::Em => ("<em>", "</em>"),
            Style::Strong => ("<strong>", "</strong>"),
        }
    }
}

/// A piece of a text, with the source it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text with no construct in it.
    Text(&'a str),
    /// A construct shown as other text: an accented letter, a quote, a
    /// no-break space.
    Char {
        source: &'a str,
        shown: Cow<'static, str>,
    },
    /// `\&` and the like: Markdown reads these escapes by itself.
    Escape {
        source: &'a str,
        shown: char,
    },
    /// `--` or `---`.
    Dash {
        source: &'a str,
        shown: &'static str,
    },
    Open {
        source: &'a str,
        style: Style,
    },
    Close {
        source: &'a str,
        style: Style,
    },
    /// `\url{...}`.
    Url {
        source: &'a str,
        url: &'a str,
    },
    /// A formula: its source with delimiters, and its TeX.
    Math {
        source: &'a str,
        tex: &'a str,
        display: bool,
    },
    /// Code, in Markdown.
    Code {
        source: &'a str,
    },
}

/// Cuts `text` into pieces, read as `reading`; with `tex` off, only
/// formulas and code are told apart from the text.
pub fn walk<'a>(text: &'a str, reading: Reading, tex: bool, emit: &mut impl FnMut(Piece<'a>)) {
    let spans = spans::find(text, reading);
    let mut walker =
        Walker { text, spans: &spans, markdown: reading.markdown, closes: Vec::new(), quotes: [0, 0], emit };
    let mut at = 0;
    for span in &spans {
        let range = span.range();
        walker.segment(at..range.start, tex);
        let source = &text[range.clone()];
        match span {
            Span::Math { tex: t, .. } if tex && quote_mark(&text[t.clone()]).is_some() => {
                let shown = quote_mark(&text[t.clone()]).unwrap_or_default();
                (walker.emit)(Piece::Char { source, shown: shown.into() })
            }
            Span::Math { tex: t, display, .. } => {
                (walker.emit)(Piece::Math { source, tex: &text[t.clone()], display: *display })
            }
            Span::Code { .. } => (walker.emit)(Piece::Code { source: &text[range.clone()] }),
        }
        at = range.end;
    }
    walker.segment(at..text.len(), tex);
}

/// Plain text with arXiv's TeX resolved (formulas kept as written): for
/// titles and summaries where HTML cannot go.
pub fn to_text(text: &str) -> Cow<'_, str> {
    if !may_hold_tex(text) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    walk(text, Reading::PLAIN, true, &mut |piece| match piece {
        Piece::Text(s)
        | Piece::Math { source: s, .. }
        | Piece::Code { source: s }
        | Piece::Url { url: s, .. } => out.push_str(s),
        Piece::Char { shown, .. } => out.push_str(&shown),
        Piece::Escape { shown, .. } => out.push(shown),
        Piece::Dash { shown, .. } => out.push_str(shown),
        Piece::Open { .. } | Piece::Close { .. } => {}
    });
    out.into()
}

/// Plain text (a summary) as HTML: escaped, with arXiv's TeX outside math
/// resolved and each formula rendered by [`math::to_html`] (see
/// [`to_html`] and [`spans`] for what is read how).
/// No Markdown: `*stars*` and `[link](url)` stay as written.
pub fn plain_text_to_html(text: &str, warnings: &mut Vec<String>) -> String {
    to_html(text, true, warnings)
}

/// Plain text (a title or a summary) as HTML: escaped, arXiv's TeX resolved,
/// formulas as MathML ([`math::to_html`], which reports what it cannot
/// render in `warnings`). `\url{}` is a link only with `links` (a title is
/// shown inside links).
pub fn to_html(text: &str, links: bool, warnings: &mut Vec<String>) -> String {
    if !may_hold_tex(text) {
        // Nothing to resolve (most titles and summaries): the text, escaped.
        return escape_html(text);
    }
    walk_to_html(text, links, warnings)
}

/// [`to_html`] of a text read piece by piece.
fn walk_to_html(text: &str, links: bool, warnings: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    walk(text, Reading::PLAIN, true, &mut |piece| match piece {
        Piece::Text(s) | Piece::Code { source: s } => out.push_str(&escape_html(s)),
        Piece::Char { shown, .. } => out.push_str(&escape_html(&shown)),
        Piece::Escape { shown, .. } => out.push_str(&escape_html(shown.encode_utf8(&mut [0; 4]))),
        Piece::Dash { shown, .. } => out.push_str(shown),
        Piece::Open { style, .. } => out.push_str(style.tags().0),
        Piece::Close { style, .. } => out.push_str(style.tags().1),
        Piece::Url { url, .. } => out.push_str(&link_html(url, links)),
        Piece::Math { source, tex, display } => out.push_str(&math::to_html(source, tex, display, warnings)),
    });
    out
}

/// `\url{...}` as a link (when allowed and safe), else as its text.
pub fn link_html(url: &str, links: bool) -> String {
    // Absolute only: the site's path prefix never applies.
    let checked = check(url);
    match links && has_scheme(url) && checked.kind != Kind::Refused {
        true => format!("<a href=\"{}\">{}</a>", escape_html(&checked.url), escape_html(url)),
        false => escape_html(url),
    }
}

/// Only absolute links are made from `\url{}`: a bare path would be read
/// relative to the page.
fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'))
}

/// Whether `text` may hold a construct at all (most titles do not).
pub fn may_hold_tex(text: &str) -> bool {
    spans::may_hold_math(text) || memchr::memchr(b'~', text.as_bytes()).is_some() || text.contains("--")
}

struct Walker<'a, 's, F> {
    text: &'a str,
    spans: &'s [Span],
    /// Markdown: `\-` and `` \` `` may be its escapes.
    markdown: bool,
    /// Where each open `\emph{` and the like closes, innermost last.
    closes: Vec<(usize, Style)>,
    /// Open quotations waiting for their close: `` ` `` ones, ``` `` ``` ones.
    quotes: [usize; 2],
    emit: &'s mut F,
}

impl<'a, F: FnMut(Piece<'a>)> Walker<'a, '_, F> {
    /// Emits the pieces of `text[range]`, which holds no formula or code.
    fn segment(&mut self, range: std::ops::Range<usize>, tex: bool) {
        if !tex {
            if !range.is_empty() {
                (self.emit)(Piece::Text(&self.text[range]));
            }
            return;
        }
        let bytes = self.text.as_bytes();
        let may_start = |b: &u8| matches!(b, b'\\' | b'{' | b'}' | b'-' | b'`' | b'\'' | b'"' | b'~');
        let (mut i, mut plain) = (range.start, range.start);
        while i < range.end {
            // Past the text that holds no construct, in one tight loop.
            match bytes[i..range.end].iter().position(may_start) {
                Some(skip) => i += skip,
                None => break,
            }
            match self.construct(i, range.end) {
                Some((len, piece)) => {
                    if plain < i {
                        (self.emit)(Piece::Text(&self.text[plain..i]));
                    }
                    if let Some(piece) = piece {
                        (self.emit)(piece);
                    }
                    i += len;
                    plain = i;
                }
                // A backslash and what it escapes, a run of backticks, or one byte.
                None => match bytes[i] {
                    b'\\' => i += 2,
                    b'`' => i += bytes[i..range.end].iter().take_while(|&&b| b == b'`').count(),
                    _ => i += 1,
                },
            }
        }
        if plain < range.end.min(self.text.len()) {
            (self.emit)(Piece::Text(&self.text[plain..range.end]));
        }
    }

    /// The construct at `i` (not past `end`): its length and its piece
    /// (`None` for a piece that shows nothing).
    fn construct(&mut self, i: usize, end: usize) -> Option<(usize, Option<Piece<'a>>)> {
        let text = self.text;
        let rest = &text[i..end];
        let bytes = rest.as_bytes();
        let source = |len: usize| &text[i..i + len];
        match bytes[0] {
            b'}' => {
                let &(at, style) = self.closes.last()?;
                (at == i).then(|| {
                    self.closes.pop();
                    (1, Some(Piece::Close { source: source(1), style }))
                })
            }
            b'{' => {
                // `{\"u}`: braces around one accented letter.
                let (len, shown) = letter(&rest[1..])?;
                rest[1 + len..]
                    .starts_with('}')
                    .then(|| (len + 2, Some(Piece::Char { source: source(len + 2), shown })))
            }
            b'-' => {
                let run = bytes.iter().take_while(|&&b| b == b'-').count();
                if self.markdown && rest[run..].starts_with("\\-") {
                    return Some(escaped_hyphens(rest, run));
                }
                let before = i > 0 && text.as_bytes()[i - 1] == b'-';
                let shown = dash(run).filter(|_| !before)?;
                Some((run, Some(Piece::Dash { source: source(run), shown })))
            }
            b'`' => {
                let run = bytes.iter().take_while(|&&b| b == b'`').count();
                let paragraph = paragraph_end(text, i);
                let opens = run <= 2 && spans::quote_closes(&text[i + run..paragraph], run);
                opens.then(|| {
                    self.quotes[run - 1] += 1;
                    let shown = if run == 2 { "“" } else { "‘" };
                    (run, Some(Piece::Char { source: source(run), shown: shown.into() }))
                })
            }
            b'\'' if bytes.starts_with(b"''") && self.quotes[1] > 0 => {
                self.quotes[1] -= 1;
                Some((2, Some(Piece::Char { source: source(2), shown: "”".into() })))
            }
            b'\'' if self.quotes[0] > 0 && !rest[1..].starts_with(char::is_alphanumeric) => {
                self.quotes[0] -= 1;
                Some((1, Some(Piece::Char { source: source(1), shown: "’".into() })))
            }
            b'"' if self.quotes[1] > 0 => {
                self.quotes[1] -= 1;
                Some((1, Some(Piece::Char { source: source(1), shown: "”".into() })))
            }
            b'~' => {
                let before = text[..i].chars().next_back();
                let after = rest[1..].chars().next();
                // `~~gone~~` is Markdown's strikethrough, not two ties.
                let joins = before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
                    && after.is_some_and(|c| !c.is_whitespace() && c != '~');
                joins.then(|| (1, Some(Piece::Char { source: source(1), shown: "\u{a0}".into() })))
            }
            b'\\' => self.command(i, end),
            _ => None,
        }
    }

    /// A construct starting with `\` at `i`.
    fn command(&mut self, i: usize, end: usize) -> Option<(usize, Option<Piece<'a>>)> {
        let text = self.text;
        let rest = &text[i..end];
        let next = rest[1..].chars().next()?;
        if let Some(shown) = "&%_#$".contains(next).then_some(next) {
            return Some((2, Some(Piece::Escape { source: &rest[..2], shown })));
        }
        if self.markdown && next == '-' && rest[2..].starts_with('-') {
            return Some(escaped_hyphens(rest, 0));
        }
        if self.markdown && next == '`' && closes_on_its_line(&text[i + 2..]) {
            // Markdown's escaped backtick, as written.
            return None;
        }
        if let Some((len, shown)) = letter(rest) {
            return Some((len, Some(Piece::Char { source: &rest[..len], shown })));
        }
        let name_len = rest[1..].bytes().take_while(u8::is_ascii_alphabetic).count();
        let name = &rest[1..1 + name_len];
        let style = match name {
            "emph" | "textit" => Some(Style::Em),
            "textbf" => Some(Style::Strong),
            _ => None,
        };
        let after = 1 + name_len + spaces(&rest[1 + name_len..]);
        if !rest[after..].starts_with('{') || (style.is_none() && name != "url") {
            return None;
        }
        let open = i + after;
        let close = self.matching_brace(open)?;
        if let Some(style) = style {
            self.closes.push((close, style));
            return Some((after + 1, Some(Piece::Open { source: &rest[..after + 1], style })));
        }
        let url = text[open + 1..close].trim();
        let plain = !url.is_empty() && !url.contains(char::is_whitespace) && !url.contains(['{', '\\']);
        plain.then(|| (close + 1 - i, Some(Piece::Url { source: &text[i..=close], url })))
    }

    /// The `}` that closes the `{` at `open`, outside formulas and code, in
    /// the segment or past it (a formula may sit inside the braces).
    fn matching_brace(&self, open: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut i = open;
        let limit = self.closes.last().map_or(self.text.len(), |&(c, _)| c);
        while i < limit {
            if let Some(span) = self.spans.iter().find(|s| s.range().start == i) {
                i = span.range().end;
                continue;
            }
            match bytes[i] {
                b'\\' => i += 1,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                b'\n' if i + 1 < bytes.len() && bytes[i + 1] == b'\n' => return None,
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// Spaces after a control word (TeX skips them).
pub(super) fn spaces(s: &str) -> usize {
    s.bytes().take_while(|&b| b == b' ').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_without_tex_is_shown_as_reading_it_shows_it() {
        let plain = [
            "Zero-Shot Retrieval (arXiv:2301.00959v1 [cs.CL])",
            "A <b>&amp; \"quoted\" 'single' {braces} it's",
            "构建检索多模态三维注意力，长上下文。",
        ];
        for text in plain {
            assert!(!may_hold_tex(text), "{text}");
            assert_eq!(walk_to_html(text, true, &mut Vec::new()), escape_html(text), "{text}");
            assert_eq!(to_html(text, true, &mut Vec::new()), escape_html(text), "{text}");
        }
        assert_eq!(to_html("a -- b", true, &mut Vec::new()), "a – b", "a construct is still read");
    }

    fn html(text: &str) -> String {
        let mut warnings = Vec::new();
        let out = to_html(text, true, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        out
    }

    #[test]
    fn accents_in_every_spelling_become_letters() {
        assert_eq!(to_text(r#"Enestr\"om and Phragm\'en"#), "Eneström and Phragmén");
        assert_eq!(to_text(r#"M{\"u}ller, \"{u}, \`a \^o \~n \=a \.z"#), "Müller, ü, à ô ñ ā ż");
        assert_eq!(to_text(r"\c{c}a \v{s} \v s \u{a} \H{o} \k{a} \r{a} \'{\i} \'\i"), "ça š š ă ő ą å í í");
        assert_eq!(to_text(r"Stra\ss e, \o, \AE, \l{}\'od\'z"), "Straße, ø, Æ, łódź");
        assert_eq!(to_text(r"\d{a}"), "ạ");
        assert_eq!(to_text(r"\b{a}"), "a\u{331}", "no precomposed letter: base and mark");
    }

    #[test]
    fn escapes_dashes_quotes_and_ties() {
        assert_eq!(to_text(r"R\&D, 50\%, a\_b, \#1, \$5"), "R&D, 50%, a_b, #1, $5");
        assert_eq!(to_text("pages 1--2 --- and ---- or -x"), "pages 1–2 — and ---- or -x");
        assert_eq!(to_text("so-called ``arbitrary'' inputs"), "so-called “arbitrary” inputs");
        assert_eq!(to_text("``half\" and `single' and `don't' it's"), "“half” and ‘single’ and ‘don't’ it's");
        assert_eq!(to_text("a $``$texture sticking$\"$ b"), "a “texture sticking” b");
        assert_eq!(to_text("``no close and `none"), "``no close and `none");
        assert_eq!(to_text(r"Universit\`a and \`a"), "Università and à", "an accent, in plain text always");
        assert_eq!(to_text("it's a ''prime''"), "it's a ''prime''", "no opening quote");
        assert_eq!(
            to_text("Fig.~3 and et~al. but ~5% and 提升~5%"),
            "Fig.\u{a0}3 and et\u{a0}al. but ~5% and 提升~5%"
        );
        assert_eq!(to_text("~~gone~~"), "~~gone~~");
    }

    #[test]
    fn styles_and_links_become_html_and_unknown_commands_stay() {
        assert_eq!(
            html(r#"an \emph{arbitrary} \textit{x} and \textbf{bold \"o} \foo{bar} \emph{open"#),
            "an <em>arbitrary</em> <em>x</em> and <strong>bold ö</strong> \\foo{bar} \\emph{open"
        );
        assert_eq!(to_text(r"an \emph{arbitrary} one"), "an arbitrary one");
        assert_eq!(
            html(r"code at \url{https://github.com/a_b/c} and \url{javascript:alert(1)}"),
            "code at <a href=\"https://github.com/a_b/c\">https://github.com/a_b/c</a> and javascript:alert(1)"
        );
        assert_eq!(to_html(r"\url{https://x.org/}", false, &mut Vec::new()), "https://x.org/");
        assert_eq!(html("<b>\\\"o</b> & \\unknown"), "&lt;b&gt;ö&lt;/b&gt; &amp; \\unknown");
    }

    #[test]
    fn math_and_tex_around_it_are_told_apart() {
        let h = html(r"\emph{bounds $a_i$ for} --- $x--y$ ok");
        assert!(h.starts_with("<em>bounds <math display=\"inline\"><msub>"), "{h}");
        assert!(h.contains("</math> for</em> — <math"), "{h}");
        assert_eq!(to_text(r#"$\"o$ \"o"#), r#"$\"o$ ö"#);
        assert_eq!(to_text(r"\emph{a $}$ b}"), "a $}$ b", "the brace inside the formula does not close");
    }

    #[test]
    fn summaries_render_dollar_math_and_nothing_else() {
        let mut w = Vec::new();
        let h = plain_text_to_html(
            "Uses $a_i$ and *stars* [link](javascript:x) <script>alert(1)</script>",
            &mut w,
        );
        assert!(h.starts_with("Uses <math display=\"inline\"><msub>"), "{h}");
        assert!(h.contains(" and *stars* [link](javascript:x) &lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        assert!(!h.contains("<script") && !h.contains("<em>") && !h.contains("<a "), "{h}");
        assert!(w.is_empty(), "{w:?}");

        let h = plain_text_to_html("$$\\sum_i x_i$$ costs $5 or $10, \\$3, a $ b $, $x$", &mut w);
        assert!(h.starts_with("<math display=\"block\">"), "{h}");
        assert!(
            h.contains(" costs $5 or $10, $3, a <math display=\"inline\"><mi>b</mi></math>, <math"),
            "{h}"
        );
        assert_eq!(plain_text_to_html("a & b < c", &mut w), "a &amp; b &lt; c");
        assert_eq!(plain_text_to_html("$$ and $", &mut w), "$$ and $");
        assert!(w.is_empty(), "{w:?}");

        let h = plain_text_to_html("bad $\\frac{$ here", &mut w);
        assert_eq!(h, "bad <span class=\"math math-inline\">$\\frac{$</span> here");
        assert_eq!(w.len(), 1);
    }
}
