//! Import, reading bytes: an input read as a stream, with the line, column
//! and byte offset of the next byte always known.
//!
//! Every format reads through a [`TextReader`], so no record may grow past
//! [`RECORD_LIMIT`] bytes from its [`TextReader::mark`]: a 2 GB file is read
//! in 64 KiB pieces and one record at a time. Each record is checked as
//! UTF-8 alone ([`utf8_at`]), so a byte that is not UTF-8 is named at its
//! line, column and offset and skips only its record.

use std::fmt;
use std::io::{self, BufRead, Read};

/// The largest record (a line, an entry, an element) a reader accepts.
pub const RECORD_LIMIT: usize = 10 * 1024 * 1024;

const CHUNK: usize = 64 * 1024;

/// The record that starts on `line` is longer than [`RECORD_LIMIT`]; reading stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong {
    pub line: usize,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a record longer than {} MB", RECORD_LIMIT >> 20)
    }
}

impl std::error::Error for TooLong {}

/// Where a byte is: 1-based line and column (in characters), 0-based offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub column: usize,
    pub offset: u64,
}

/// A buffered reader that knows where it is.
pub struct TextReader<R> {
    inner: R,
    buf: Vec<u8>,
    /// Consumed up to here.
    pos: usize,
    /// Filled up to here.
    end: usize,
    eof: bool,
    /// Where the byte at `pos` is.
    at: Place,
    /// Bytes consumed since [`Self::mark`], and the line it was called on.
    since_mark: usize,
    mark_line: usize,
    too_long: Option<TooLong>,
}

impl<R: Read> TextReader<R> {
    pub fn new(inner: R) -> Self {
        TextReader {
            inner,
            buf: vec![0; CHUNK],
            pos: 0,
            end: 0,
            eof: false,
            at: Place { line: 1, column: 1, offset: 0 },
            since_mark: 0,
            mark_line: 1,
            too_long: None,
        }
    }

    /// Where the next byte is.
    pub fn place(&self) -> Place {
        self.at
    }

    /// Starts a record here: it may not grow past [`RECORD_LIMIT`].
    pub fn mark(&mut self) {
        self.since_mark = 0;
        self.mark_line = self.at.line;
    }

    /// Whether reading stopped because a record grew too long.
    pub fn too_long(&self) -> Option<&TooLong> {
        self.too_long.as_ref()
    }

    /// Reads one line (without its `\n`) into `out`: `Ok(None)` at the end.
    /// A line longer than [`RECORD_LIMIT`] is read to its end but not kept,
    /// and is [`Line::TooLong`]; the next line reads as usual.
    pub fn read_line(&mut self, out: &mut Vec<u8>) -> io::Result<Option<Line>> {
        out.clear();
        let at = self.at;
        let mut too_long = false;
        let mut any = false;
        loop {
            self.mark();
            let available = self.fill_buf()?;
            if available.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            too_long |= out.len() + take > RECORD_LIMIT;
            if !too_long {
                out.extend_from_slice(&available[..take]);
            }
            self.consume(take);
            if done {
                break;
            }
        }
        if too_long {
            out.clear();
            return Ok(Some(Line::TooLong(at)));
        }
        if out.last() == Some(&b'\n') {
            out.pop();
        }
        Ok(any.then_some(Line::Text(at)))
    }
}

/// What [`TextReader::read_line`] read, with where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Text(Place),
    TooLong(Place),
}

impl<R: Read> BufRead for TextReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some(too_long) = self.too_long.clone() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, too_long));
        }
        if self.since_mark > RECORD_LIMIT {
            let error = TooLong { line: self.mark_line };
            self.too_long = Some(error.clone());
            return Err(io::Error::new(io::ErrorKind::InvalidData, error));
        }
        while self.pos == self.end && !self.eof {
            if self.pos > 0 {
                (self.pos, self.end) = (0, 0);
            }
            match self.inner.read(&mut self.buf) {
                Ok(n) => {
                    self.eof = n == 0;
                    self.end = n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(&self.buf[self.pos..self.end])
    }

    fn consume(&mut self, amount: usize) {
        let amount = amount.min(self.end - self.pos);
        let bytes = &self.buf[self.pos..self.pos + amount];
        self.at = advance(self.at, bytes);
        self.pos += amount;
        self.since_mark += amount;
    }
}

impl<R: Read> Read for TextReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// Where the byte just past `bytes` is, when they start at `at`.
pub fn advance(at: Place, bytes: &[u8]) -> Place {
    let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    let offset = at.offset + bytes.len() as u64;
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(last) => Place {
            line: at.line + bytes.iter().filter(|&&b| b == b'\n').count(),
            column: 1 + chars(&bytes[last + 1..]),
            offset,
        },
        None => Place { column: at.column + chars(bytes), offset, ..at },
    }
}

/// A byte that is not UTF-8, where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadByte {
    pub byte: u8,
    pub at: Place,
}

/// A record's bytes as text, or its first byte that is not UTF-8, placed
/// from the record's start `at`.
pub fn utf8_at(bytes: &[u8], at: Place) -> Result<&str, BadByte> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        BadByte { byte: bytes[valid], at: advance(at, &bytes[..valid]) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives one byte at a time.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else { return Ok(0) };
            out[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    const START: Place = Place { line: 1, column: 1, offset: 0 };

    #[test]
    fn the_place_of_the_next_byte_is_known() {
        let text = "ab\n数学 $x$\n𝔸 end";
        let mut reader = TextReader::new(Trickle(text.as_bytes()));
        let mut all = String::new();
        reader.read_to_string(&mut all).unwrap();
        assert_eq!(all, text);
        assert_eq!(reader.place(), Place { line: 3, column: 6, offset: text.len() as u64 });
    }

    #[test]
    fn records_are_checked_as_utf8_one_by_one() {
        let mut reader = TextReader::new(&b"ok\nab\xffcd\nfine\n"[..]);
        let mut line = Vec::new();
        let mut got = Vec::new();
        while let Some(Line::Text(at)) = reader.read_line(&mut line).unwrap() {
            got.push(utf8_at(&line, at).map(str::to_owned));
        }
        let bad = BadByte { byte: 0xff, at: Place { line: 2, column: 3, offset: 5 } };
        assert_eq!(got, [Ok("ok".into()), Err(bad), Ok("fine".into())]);
        let at = Place { line: 7, column: 5, offset: 100 };
        let bad = utf8_at(b"{\n  \"a\": \"\xe6\x95\xb0\xff\"", at).unwrap_err();
        assert_eq!(bad, BadByte { byte: 0xff, at: Place { line: 8, column: 10, offset: 113 } });
        assert_eq!(utf8_at(b"ab\xe6\x95", at).unwrap_err().at, Place { line: 7, column: 7, offset: 102 });
    }

    #[test]
    fn lines_come_one_at_a_time_with_their_places() {
        let mut reader = TextReader::new(&b"one\r\n\ntwo"[..]);
        let mut line = Vec::new();
        let mut got = Vec::new();
        while let Some(Line::Text(at)) = reader.read_line(&mut line).unwrap() {
            got.push((at.line, at.offset, String::from_utf8(line.clone()).unwrap()));
        }
        assert_eq!(got, [(1, 0, "one\r".into()), (2, 5, String::new()), (3, 6, "two".into())]);
    }

    #[test]
    fn a_line_over_the_limit_is_named_and_reading_goes_on() {
        let mut text = b"short\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', RECORD_LIMIT + 1));
        text.extend(b"\nafter\n");
        let mut reader = TextReader::new(&text[..]);
        let mut line = Vec::new();
        assert_eq!(reader.read_line(&mut line).unwrap(), Some(Line::Text(START)));
        assert!(matches!(reader.read_line(&mut line).unwrap(), Some(Line::TooLong(Place { line: 2, .. }))));
        assert!(line.is_empty());
        assert!(matches!(reader.read_line(&mut line).unwrap(), Some(Line::Text(Place { line: 3, .. }))));
        assert_eq!(line, b"after");
        assert_eq!(reader.read_line(&mut line).unwrap(), None);
    }

    #[test]
    fn a_record_past_the_limit_from_its_mark_stops_the_reading() {
        let text = vec![b'x'; RECORD_LIMIT + CHUNK * 2];
        let mut reader = TextReader::new(&text[..]);
        reader.mark();
        let err = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(reader.too_long(), Some(&TooLong { line: 1 }));
    }
}
