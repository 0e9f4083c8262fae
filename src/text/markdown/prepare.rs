//! Text engine, before Markdown: what pulldown-cmark must not read is taken
//! out first, each piece replaced by one private-use character ([`Prepared`]).
//!
//! - **Formulas** ([`spans`](crate::text::spans)): Markdown would read
//!   `\{`, `*` and `|` inside them; taken out, they reach the TeX renderer as
//!   written, and `[[...]]` inside one is no cross-link.
//! - **arXiv's TeX** in an abstract ([`tex`](crate::text::tex)): Markdown
//!   would read `\"o` as an escaped quote, ``` `` ``` as code and `~3~` as
//!   strikethrough. Dashes and `\&`-like escapes stay: Markdown reads them
//!   right, and `---` alone on a line is a rule.
//!
//! After parsing, a piece in text is shown ([`Piece`]); in code, a URL or
//! raw HTML it is put back as written ([`Prepared::restore`]), so nothing is
//! lost where the guess of what is code was wrong.

use std::borrow::Cow;

use crate::text::spans::{self, Reading};
use crate::text::tex::{self, Style};

/// The first placeholder: piece `n` is `char::from_u32(FIRST + n)`
/// (Supplementary Private Use Area-A).
const FIRST: u32 = 0xF_0000;
/// The most pieces one text may have; past that the text stays as written.
const MAX_PIECES: usize = 0xFFFD;

/// What a placeholder character found in the input becomes (U+FFFFD).
const INERT: char = '\u{FFFFD}';

/// A text with pieces taken out.
pub struct Prepared<'a> {
    /// The text pulldown-cmark reads.
    pub text: Cow<'a, str>,
    pub pieces: Vec<Taken<'a>>,
}

/// One piece taken out: where it was in the original text and what it is.
pub struct Taken<'a> {
    /// Its byte offset in the original text.
    pub at: usize,
    pub source: &'a str,
    pub piece: Piece<'a>,
}

/// What a piece shows in text.
pub enum Piece<'a> {
    Math {
        tex: &'a str,
        display: bool,
    },
    /// An accented letter, a quote, a no-break space.
    Char(Cow<'static, str>),
    Open(Style),
    Close(Style),
    Url(&'a str),
}

/// Takes the formulas (and with `arxiv`, arXiv's TeX) out of `text`.
pub fn prepare(text: &str, arxiv: bool) -> Prepared<'_> {
    let mut prepared = Prepared { text: Cow::Borrowed(text), pieces: Vec::new() };
    let has_placeholder = holds_placeholder(text);
    let tie = arxiv && memchr::memchr(b'~', text.as_bytes()).is_some();
    if !has_placeholder && !tie && !spans::may_hold_math(text) {
        return prepared;
    }
    // A placeholder in the input becomes another private-use character of
    // the same length, so offsets stay those of `text`.
    let clean: Cow<str> = if has_placeholder {
        text.chars()
            .map(|c| if placeholder_index(c).is_some() { INERT } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    let reading = if arxiv { Reading::ARXIV_MARKDOWN } else { Reading::MARKDOWN };
    let mut out = String::with_capacity(text.len());
    let mut pieces = Vec::new();
    let base = clean.as_ptr() as usize;
    tex::walk(&clean, reading, arxiv, &mut |p| {
        let (source, piece) = match p {
            tex::Piece::Math { source, tex, display } => (source, Some(Piece::Math { tex, display })),
            tex::Piece::Char { source, shown } => (source, Some(Piece::Char(shown))),
            tex::Piece::Open { source, style } => (source, Some(Piece::Open(style))),
            tex::Piece::Close { source, style } => (source, Some(Piece::Close(style))),
            tex::Piece::Url { source, url } => (source, Some(Piece::Url(url))),
            tex::Piece::Text(s) | tex::Piece::Code { source: s } => (s, None),
            tex::Piece::Escape { source, .. } | tex::Piece::Dash { source, .. } => (source, None),
        };
        match piece {
            Some(piece) if pieces.len() < MAX_PIECES => {
                out.push(placeholder(pieces.len()));
                pieces.push((source.as_ptr() as usize - base, source, piece));
            }
            _ => out.push_str(source),
        }
    });
    if pieces.is_empty() && !has_placeholder {
        return prepared;
    }
    // The pieces borrow from `clean`, which differs from `text` only in the
    // characters replaced, one for one at the same offsets.
    prepared.pieces = pieces
        .into_iter()
        .map(|(at, source, piece)| Taken {
            at,
            source: &text[at..at + source.len()],
            piece: own(piece, text, at, source),
        })
        .collect();
    prepared.text = out.into();
    prepared
}

/// The piece re-borrowed from the original text (same offsets as `clean`).
fn own<'a>(piece: Piece<'_>, text: &'a str, at: usize, source: &str) -> Piece<'a> {
    let rebase = |s: &str| {
        let offset = s.as_ptr() as usize - source.as_ptr() as usize + at;
        &text[offset..offset + s.len()]
    };
    match piece {
        Piece::Math { tex, display } => Piece::Math { tex: rebase(tex), display },
        Piece::Url(url) => Piece::Url(rebase(url)),
        Piece::Char(c) => Piece::Char(c),
        Piece::Open(s) => Piece::Open(s),
        Piece::Close(s) => Piece::Close(s),
    }
}

fn placeholder(n: usize) -> char {
    char::from_u32(FIRST + n as u32).unwrap_or('\u{FFFD}')
}

/// Whether `text` holds a placeholder character (all start with byte 0xF3).
pub fn holds_placeholder(text: &str) -> bool {
    memchr::memchr(0xF3, text.as_bytes()).is_some() && text.chars().any(|c| placeholder_index(c).is_some())
}

/// The piece number of a placeholder character.
pub fn placeholder_index(c: char) -> Option<usize> {
    let n = (c as u32).checked_sub(FIRST)? as usize;
    (n < MAX_PIECES).then_some(n)
}

impl<'a> Prepared<'a> {
    /// `s` (a part of the prepared text) with every piece put back as written.
    pub fn restore<'s>(&self, s: &'s str) -> Cow<'s, str> {
        if self.pieces.is_empty() || !holds_placeholder(s) {
            return s.into();
        }
        s.chars()
            .fold(String::with_capacity(s.len() * 2), |mut out, c| {
                match placeholder_index(c).and_then(|n| self.pieces.get(n)) {
                    Some(taken) => out.push_str(taken.source),
                    None => out.push(c),
                }
                out
            })
            .into()
    }

    /// The byte offset in the original text of offset `at` of the prepared text.
    pub fn original_offset(&self, at: usize) -> usize {
        let mut shift: isize = 0;
        for (n, taken) in self.pieces.iter().enumerate() {
            let prepared_at = taken.at as isize + shift;
            if prepared_at >= at as isize {
                break;
            }
            shift += placeholder(n).len_utf8() as isize - taken.source.len() as isize;
        }
        (at as isize - shift).max(0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_arxiv_tex_are_taken_out_and_put_back() {
        let text = r#"Enestr\"om's $a_{[[x]]}$ and `$code$` ``quoted''"#;
        let p = prepare(text, true);
        assert!(!p.text.contains('$') || p.text.contains("`$code$`"), "{}", p.text);
        assert!(!p.text.contains("[[") && !p.text.contains("\\\""), "{}", p.text);
        assert_eq!(p.restore(&p.text), text);
        assert_eq!(p.pieces.len(), 4, "the accent, the formula, two quotes");
        let body = prepare(text, false);
        assert_eq!(body.pieces.len(), 1, "a body: only the formula");
        assert!(body.text.contains("\\\"om"), "{}", body.text);
    }

    #[test]
    fn placeholders_in_the_input_are_not_pieces() {
        let text = format!("a {} $x$", placeholder(0));
        let p = prepare(&text, false);
        assert_eq!(p.pieces.len(), 1);
        assert!(p.text.contains(INERT), "{}", p.text);
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let text = "ab $x+y$ cd\n$$\nz\n$$ ef";
        let p = prepare(text, false);
        let prepared = &p.text;
        let cd = prepared.find("cd").unwrap();
        assert_eq!(p.original_offset(cd), text.find("cd").unwrap());
        let ef = prepared.find("ef").unwrap();
        assert_eq!(p.original_offset(ef), text.find("ef").unwrap());
    }
}
