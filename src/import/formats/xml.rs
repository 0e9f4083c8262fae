//! XML feeds, one record at a time: the stream is cut at each `<item>` or
//! `<entry>` and every piece is parsed alone (quick-xml), so a broken item
//! is skipped with its line and the items after it are still read.
//!
//! A piece is read into a flat list of [`Element`]s (path of local names,
//! attributes, text), which is all the feed readers need.

use std::io::{BufRead, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::Context;
use crate::error::Diagnostic;
use crate::import::record::diagnostic_at;
use crate::import::text::{advance, utf8_at, Place, TextReader, RECORD_LIMIT};

/// One element of a piece: its path of local names below the piece's root
/// (`title`, `author/name`), its attributes and its text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Element {
    pub path: String,
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

/// Cuts a feed into its head and its records (`tag` elements).
pub struct Pieces<'r, R> {
    reader: &'r mut TextReader<R>,
    tag: &'static str,
    buf: Vec<u8>,
    /// Where `buf[0]` is.
    buf_at: Place,
    in_record: bool,
    head_done: bool,
    done: bool,
}

impl<'r, R: Read> Pieces<'r, R> {
    pub fn new(reader: &'r mut TextReader<R>, tag: &'static str) -> Self {
        Pieces {
            reader,
            tag,
            buf: Vec::new(),
            buf_at: Place { line: 1, column: 1, offset: 0 },
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
            if self.buf.len() > RECORD_LIMIT {
                self.done = true;
                let what = if self.in_record { "this record" } else { "the feed's head" };
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
                    let end = self.buf.len();
                    return self.cut(end, cx);
                }
                Ok(bytes) => {
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

    /// Where the next `<tag>` starts in the buffer.
    fn find_open(&self) -> Option<usize> {
        let open = format!("<{}", self.tag);
        self.buf.windows(open.len() + 1).position(|w| {
            w.starts_with(open.as_bytes())
                && matches!(w[open.len()], b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
        })
    }

    /// Where the current record's `</tag>` ends in the buffer.
    fn find_close(&self) -> Option<usize> {
        let close = format!("</{}>", self.tag);
        self.buf.windows(close.len()).position(|w| w == close.as_bytes()).map(|at| at + close.len())
    }

    /// Takes `buf[..end]` as the next piece (the head, a record, or text
    /// between records, which is dropped).
    fn cut(&mut self, end: usize, cx: &Context) -> Option<Result<Piece, Diagnostic>> {
        let bytes: Vec<u8> = self.buf.drain(..end).collect();
        let at = self.buf_at;
        self.buf_at = advance(at, &bytes);
        let (line, column) = (at.line, at.column);
        let record = self.in_record;
        let head = !record && !self.head_done;
        // After a record comes text between records; after that, a record.
        self.in_record = !record && !self.done;
        if !record && !head {
            return None;
        }
        self.head_done = true;
        let elements = utf8_at(&bytes, at)
            .map_err(|bad| cx.not_utf8(bad))
            .and_then(|text| parse(text, cx, line, column));
        Some(elements.map(|elements| match record {
            true => Piece::Record { line, elements },
            false => Piece::Head(elements),
        }))
    }
}

/// The elements of one piece of XML that starts at `first_line`, `first_column`.
fn parse(text: &str, cx: &Context, first_line: usize, first_column: usize) -> Result<Elements, Diagnostic> {
    let mut reader = Reader::from_str(text);
    let mut tree = Tree::default();
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
            Event::Text(t) => tree.text(&t.xml10_content().unwrap_or_default()),
            Event::CData(t) => tree.text(&t.decode().unwrap_or_default()),
            Event::GeneralRef(r) => {
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

/// The elements read so far and the ones still open.
#[derive(Default)]
struct Tree {
    path: Vec<String>,
    open: Vec<usize>,
    elements: Vec<Element>,
}

impl Tree {
    fn open(&mut self, e: &BytesStart, decoder: quick_xml::Decoder) {
        let attrs = e
            .attributes()
            .flatten()
            .map(|a| {
                let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                let value = a.decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder);
                (key, value.map(|v| v.into_owned()).unwrap_or_default())
            })
            .collect();
        self.path.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
        let below_root = &self.path[1.min(self.path.len() - 1)..];
        self.elements.push(Element { path: below_root.join("/"), attrs, text: String::new() });
        self.open.push(self.elements.len() - 1);
    }

    fn close(&mut self) {
        self.path.pop();
        self.open.pop();
    }

    fn text(&mut self, text: &str) {
        if let Some(&i) = self.open.last() {
            self.elements[i].text.push_str(text);
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
