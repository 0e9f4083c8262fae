//! XML feeds, one record at a time: the stream is cut at each `<item>` or
//! `<entry>` and every piece is parsed alone (quick-xml), so a broken item
//! is skipped with its line and the items after it are still read. The
//! 10 MB limit applies to each piece, never to the stream.
//!
//! A piece is read into a flat list of [`Element`]s (path of local names,
//! attributes, text), which is all the feed readers need. Only the elements
//! and attributes a reader asks for ([`Shape`]) are kept: however deep or
//! many the others are, a piece costs about its own size, and every byte is
//! looked at a bounded number of times.

use std::io::{BufRead, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::Context;
use crate::error::Diagnostic;
use crate::import::record::diagnostic_at;
use crate::import::text::{advance, utf8_at, Place, TextReader, RECORD_LIMIT};

/// What a feed reader reads: the element that is one record, and the
/// element paths (below the root, `author/name`) and attribute names it
/// looks up, in the head before the first record and in each record.
pub struct Shape {
    pub record: &'static str,
    pub head: &'static [&'static str],
    pub fields: &'static [&'static str],
    pub attrs: &'static [&'static str],
}

/// The deepest path a [`Shape`] may name, in elements below the root.
const MAX_DEPTH: usize = 2;

/// One element of a piece: its path of local names below the piece's root
/// (`title`, `author/name`), its attributes and its text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Element {
    pub path: &'static str,
    pub attrs: Vec<(String, String)>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// The elements of a piece, with lookups by path.
pub struct Elements(pub Vec<Element>);

impl Elements {
    /// The text of the first element at `path`, when it has any.
    pub fn text<'a>(&'a self, path: &'a str) -> Option<&'a str> {
        self.all(path).next().map(|e| e.text.as_str()).filter(|t| !t.trim().is_empty())
    }

    pub fn all<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.0.iter().filter(move |e| e.path == path)
    }
}

/// A piece of the stream: the head before the first record, or a record.
pub enum Piece {
    Head(Elements),
    Record { line: usize, elements: Elements },
}

/// Cuts a feed into its head and its records (`shape.record` elements).
pub struct Pieces<'r, R> {
    reader: &'r mut TextReader<R>,
    shape: &'static Shape,
    /// Read and not yet cut: `buf[start..]`.
    buf: Vec<u8>,
    start: usize,
    /// Where `buf[start]` is.
    buf_at: Place,
    /// `buf[start..scanned]` holds no start (or end) of a record.
    scanned: usize,
    in_record: bool,
    head_done: bool,
    done: bool,
}

impl<'r, R: Read> Pieces<'r, R> {
    pub fn new(reader: &'r mut TextReader<R>, shape: &'static Shape) -> Self {
        Pieces {
            reader,
            shape,
            buf: Vec::new(),
            start: 0,
            buf_at: Place { line: 1, column: 1, offset: 0 },
            scanned: 0,
            in_record: false,
            head_done: false,
            done: false,
        }
    }

    /// The next piece, or the reason the stream or a record cannot be read.
    pub fn next_piece(&mut self, cx: &Context) -> Option<Result<Piece, Diagnostic>> {
        while !self.done {
            let found = if self.in_record { self.find_close() } else { self.find_open() };
            if let Some(end) = found {
                if let Some(piece) = self.cut(end, cx) {
                    return Some(piece);
                }
                continue;
            }
            if self.buf.len() - self.start > RECORD_LIMIT {
                self.done = true;
                let what = match (self.in_record, self.head_done) {
                    (true, _) => "this record",
                    (false, false) => "the feed's head",
                    (false, true) => "the text after this record",
                };
                return Some(Err(diagnostic_at(
                    cx.shown,
                    self.buf_at.line,
                    1,
                    format!("{what} is longer than 10 MB"),
                )
                .help("a record this long is no paper; nothing after this point was read")));
            }
            match self.reader.fill_buf() {
                Ok([]) => {
                    self.done = true;
                    let end = self.buf.len() - self.start;
                    return self.cut(end, cx);
                }
                Ok(bytes) => {
                    if self.start > 0 && self.start >= self.buf.len() / 2 {
                        self.buf.drain(..self.start);
                        self.scanned -= self.start;
                        self.start = 0;
                    }
                    self.buf.extend_from_slice(bytes);
                    let n = bytes.len();
                    self.reader.consume(n);
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(cx.read_problem(self.reader, &e)));
                }
            }
        }
        None
    }

    /// Where the next `<record` starts, from the start of the unread bytes.
    fn find_open(&mut self) -> Option<usize> {
        let open = format!("<{}", self.shape.record);
        self.find(open.len() + 1, |w| {
            w.starts_with(open.as_bytes())
                && matches!(w[open.len()], b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
        })
    }

    /// Where the current record's `</record>` ends, from the start of the unread bytes.
    fn find_close(&mut self) -> Option<usize> {
        let close = format!("</{}>", self.shape.record);
        self.find(close.len(), |w| w == close.as_bytes()).map(|at| at + close.len())
    }

    /// The first window of `len` bytes that `fits`, searching each byte once:
    /// bytes already searched are not searched again when more arrive.
    fn find(&mut self, len: usize, fits: impl Fn(&[u8]) -> bool) -> Option<usize> {
        let from = self.scanned.max(self.start);
        let found = self.buf[from..].windows(len).position(fits).map(|at| from + at - self.start);
        self.scanned = match found {
            Some(_) => self.start,
            None => self.buf.len().saturating_sub(len - 1).max(from),
        };
        found
    }

    /// Takes the next `end` unread bytes as the next piece (the head, a
    /// record, or text between records, which is dropped).
    fn cut(&mut self, end: usize, cx: &Context) -> Option<Result<Piece, Diagnostic>> {
        let bytes = &self.buf[self.start..self.start + end];
        self.start += end;
        self.scanned = self.start;
        // The record limit counts from here, the start of the next piece.
        self.reader.mark();
        let at = self.buf_at;
        self.buf_at = advance(at, bytes);
        let (line, column) = (at.line, at.column);
        let record = self.in_record;
        let head = !record && !self.head_done;
        // After a record comes text between records; after that, a record.
        self.in_record = !record && !self.done;
        if !record && !head {
            return None;
        }
        self.head_done = true;
        let wanted = Wanted {
            paths: if record { self.shape.fields } else { self.shape.head },
            attrs: self.shape.attrs,
        };
        let elements = utf8_at(bytes, at)
            .map_err(|bad| cx.not_utf8(bad))
            .and_then(|text| parse(text, &wanted, cx, line, column));
        Some(elements.map(|elements| match record {
            true => Piece::Record { line, elements },
            false => Piece::Head(elements),
        }))
    }
}

/// The element paths and attribute names a piece is read for.
struct Wanted {
    paths: &'static [&'static str],
    attrs: &'static [&'static str],
}

/// The elements of one piece of XML that starts at `first_line`, `first_column`.
fn parse(
    text: &str,
    wanted: &Wanted,
    cx: &Context,
    first_line: usize,
    first_column: usize,
) -> Result<Elements, Diagnostic> {
    let mut reader = Reader::from_str(text);
    let mut tree = Tree { wanted, names: Vec::new(), open: Vec::new(), elements: Vec::new() };
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = (reader.error_position() as usize).min(text.len());
            let (line, column) = crate::text::line_col(text, at);
            let column = if line == 1 { first_column + column - 1 } else { column };
            diagnostic_at(
                cx.shown,
                first_line + line - 1,
                column,
                format!("this record is not well-formed XML: {e}"),
            )
            .help("fix the XML here; the other records were read")
        })?;
        match event {
            Event::Start(e) => tree.open(&e, reader.decoder()),
            Event::Empty(e) => {
                tree.open(&e, reader.decoder());
                tree.close();
            }
            Event::End(_) => tree.close(),
            Event::Text(t) if tree.keeps_text() => tree.text(&t.xml10_content().unwrap_or_default()),
            Event::CData(t) if tree.keeps_text() => tree.text(&t.decode().unwrap_or_default()),
            Event::GeneralRef(r) if tree.keeps_text() => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&name)
                        .map_or_else(|| format!("&{name};"), str::to_owned),
                };
                tree.text(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(Elements(tree.elements))
}

/// The elements kept so far and the ones still open.
struct Tree<'w> {
    wanted: &'w Wanted,
    /// The local names of the open elements, the root's first, as deep as
    /// a wanted path goes; deeper ones only count in `open`.
    names: Vec<String>,
    /// For each open element, the index of its element when it is kept.
    open: Vec<Option<usize>>,
    elements: Vec<Element>,
}

impl Tree<'_> {
    fn open(&mut self, e: &BytesStart, decoder: quick_xml::Decoder) {
        let depth = self.open.len();
        if depth > MAX_DEPTH {
            self.open.push(None);
            return;
        }
        self.names.truncate(depth);
        self.names.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
        let below_root = &self.names[1.min(depth)..];
        let path = self.wanted.paths.iter().find(|p| {
            let mut parts = p.split('/');
            below_root.iter().all(|name| parts.next() == Some(name.as_str())) && parts.next().is_none()
        });
        let Some(&path) = path else {
            self.open.push(None);
            return;
        };
        let attrs = e
            .attributes()
            .flatten()
            .filter(|a| self.wanted.attrs.iter().any(|w| w.as_bytes() == a.key.local_name().as_ref()))
            .map(|a| {
                let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                let value = a.decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder);
                (key, value.map(|v| v.into_owned()).unwrap_or_default())
            })
            .collect();
        self.elements.push(Element { path, attrs, text: String::new() });
        self.open.push(Some(self.elements.len() - 1));
    }

    fn close(&mut self) {
        self.open.pop();
    }

    /// Whether text here belongs to a kept element.
    fn keeps_text(&self) -> bool {
        matches!(self.open.last(), Some(Some(_)))
    }

    fn text(&mut self, text: &str) {
        if let Some(Some(i)) = self.open.last() {
            self.elements[*i].text.push_str(text);
        }
    }
}

/// The name of the root element of an XML head: `rss`, `feed`.
pub fn root_name(head: &str) -> Option<String> {
    let mut rest = head;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<?").or_else(|| rest.strip_prefix("<!")) {
            let end = if after.starts_with("--") { after.find("-->")? + 3 } else { after.find('>')? + 1 };
            rest = &after[end..];
            continue;
        }
        let name = rest.strip_prefix('<')?;
        let end = name.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(name.len());
        let name = &name[..end];
        return Some(name.rsplit(':').next().unwrap_or(name).to_owned());
    }
}
