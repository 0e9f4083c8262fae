//! Import, reading bytes: an input read as a stream, checked as UTF-8 as it
//! goes, with the line and column of the next byte always known.
//!
//! Every format reads through a [`TextReader`], so no record may grow past
//! [`RECORD_LIMIT`] bytes from its [`TextReader::mark`]: a 2 GB file is read
//! in 64 KiB pieces and one record at a time. A byte that is not UTF-8 is
//! reported at its line and column in any format: by the reader itself
//! (which then stops), or, for formats cut into records, by [`utf8_at`] on
//! each record, so only that record is skipped.

use std::fmt;
use std::io::{self, BufRead, Read};

/// The largest record (a line, an entry, an element) a reader accepts.
pub const RECORD_LIMIT: usize = 10 * 1024 * 1024;

const CHUNK: usize = 64 * 1024;

/// Why reading stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// The byte at this line and column is not UTF-8.
    NotUtf8 { line: usize, column: usize },
    /// The record that starts on this line is longer than [`RECORD_LIMIT`].
    TooLong { line: usize },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::NotUtf8 { .. } => write!(f, "the text is not UTF-8 here"),
            TextError::TooLong { .. } => write!(f, "a record longer than {} MB", RECORD_LIMIT >> 20),
        }
    }
}

impl std::error::Error for TextError {}

/// A buffered reader that hands out only bytes already checked as UTF-8.
pub struct TextReader<R> {
    inner: R,
    buf: Vec<u8>,
    /// Consumed up to here.
    pos: usize,
    /// Checked as UTF-8 up to here (a character may be cut at `end`).
    valid: usize,
    /// Filled up to here.
    end: usize,
    eof: bool,
    /// The 1-based line and column (in characters) of the byte at `pos`.
    line: usize,
    column: usize,
    /// Bytes consumed since [`Self::mark`], and the line it was called on.
    since_mark: usize,
    mark_line: usize,
    failure: Option<TextError>,
    /// Whether bytes are checked as UTF-8 here (else by the record's reader).
    checked: bool,
}

impl<R: Read> TextReader<R> {
    /// A reader that checks every byte as UTF-8 and stops at the first bad one.
    pub fn new(inner: R) -> Self {
        TextReader {
            inner,
            buf: vec![0; CHUNK],
            pos: 0,
            valid: 0,
            end: 0,
            eof: false,
            line: 1,
            column: 1,
            since_mark: 0,
            mark_line: 1,
            failure: None,
            checked: true,
        }
    }

    /// A reader that hands out bytes unchecked: each record is checked with [`utf8_at`].
    pub fn unchecked(inner: R) -> Self {
        TextReader { checked: false, ..TextReader::new(inner) }
    }

    /// The line and column of the next byte.
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }

    /// Starts a record here: it may not grow past [`RECORD_LIMIT`].
    pub fn mark(&mut self) {
        self.since_mark = 0;
        self.mark_line = self.line;
    }

    /// Why reading failed, when it did for a reason of the text itself.
    pub fn failure(&self) -> Option<&TextError> {
        self.failure.as_ref()
    }

    fn fail(&mut self, error: TextError) -> io::Error {
        self.failure = Some(error.clone());
        io::Error::new(io::ErrorKind::InvalidData, error)
    }

    /// Reads and checks more bytes until some are ready or the input ends.
    fn refill(&mut self) -> io::Result<()> {
        while self.valid == self.pos && !(self.eof && self.end == self.valid) {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                (self.end, self.valid, self.pos) = (self.end - self.pos, self.valid - self.pos, 0);
            }
            if self.end == self.buf.len() {
                self.buf.resize(self.buf.len() + CHUNK, 0);
            }
            let n = match self.inner.read(&mut self.buf[self.end..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.eof = n == 0;
            self.end += n;
            if !self.checked {
                self.valid = self.end;
                continue;
            }
            match std::str::from_utf8(&self.buf[self.valid..self.end]) {
                Ok(_) => self.valid = self.end,
                Err(e) => {
                    self.valid += e.valid_up_to();
                    let cut_at_end = e.error_len().is_none() && !self.eof;
                    if !cut_at_end && self.valid == self.pos {
                        let (line, column) = (self.line, self.column);
                        return Err(self.fail(TextError::NotUtf8 { line, column }));
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads one line (without its `\n`) into `out`: `Ok(None)` at the end.
    /// A line longer than [`RECORD_LIMIT`] is read to its end but not kept,
    /// and is [`Line::TooLong`]; the next line reads as usual.
    pub fn read_line(&mut self, out: &mut Vec<u8>) -> io::Result<Option<Line>> {
        out.clear();
        let line = self.line;
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
            return Ok(Some(Line::TooLong(line)));
        }
        if out.last() == Some(&b'\n') {
            out.pop();
        }
        Ok(any.then_some(Line::Text(line)))
    }
}

/// What [`TextReader::read_line`] read, with its line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Text(usize),
    TooLong(usize),
}

impl<R: Read> BufRead for TextReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some(error) = self.failure.clone() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, error));
        }
        if self.since_mark > RECORD_LIMIT {
            let line = self.mark_line;
            return Err(self.fail(TextError::TooLong { line }));
        }
        self.refill()?;
        Ok(&self.buf[self.pos..self.valid])
    }

    fn consume(&mut self, amount: usize) {
        let amount = amount.min(self.valid - self.pos);
        let bytes = &self.buf[self.pos..self.pos + amount];
        let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += bytes.iter().filter(|&&b| b == b'\n').count();
                self.column = 1 + chars(&bytes[last + 1..]);
            }
            None => self.column += chars(bytes),
        }
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

/// A record's bytes as text, or the line and column of its first byte that
/// is not UTF-8, counted from the record's start at `line` and `column`.
pub fn utf8_at(bytes: &[u8], line: usize, column: usize) -> Result<&str, (usize, usize)> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
        let lines = valid.matches('\n').count();
        let after = valid.rsplit('\n').next().unwrap_or("").chars().count();
        (line + lines, if lines == 0 { column + after } else { after + 1 })
    })
}

/// Reads a whole (small) input as text, or fails at its first bad byte.
pub fn read_all<R: Read>(reader: &mut TextReader<R>) -> io::Result<String> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    // Every byte handed out was checked.
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives one byte at a time, to cut characters anywhere.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else { return Ok(0) };
            out[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn text_cut_anywhere_reads_back_whole() {
        let text = "ab\n数学 $x$\n𝔸 end";
        let mut reader = TextReader::new(Trickle(text.as_bytes()));
        assert_eq!(read_all(&mut reader).unwrap(), text);
        assert_eq!(reader.position(), (3, 6));
    }

    #[test]
    fn a_bad_byte_is_placed_at_its_line_and_column() {
        for bytes in [&b"ok\nab\xffcd"[..], b"ok\nab\xe6\x95", b"ok\nab\xe6\x95x"] {
            let mut reader = TextReader::new(Trickle(bytes));
            let err = read_all(&mut reader).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
            assert_eq!(reader.failure(), Some(&TextError::NotUtf8 { line: 2, column: 3 }), "{bytes:?}");
        }
        let mut reader = TextReader::new(&b"\xe6\x95\xb0\xff"[..]);
        read_all(&mut reader).unwrap_err();
        assert_eq!(reader.failure(), Some(&TextError::NotUtf8 { line: 1, column: 2 }));
    }

    #[test]
    fn records_are_checked_one_by_one_when_the_reader_does_not() {
        let mut reader = TextReader::unchecked(&b"ok\nab\xffcd\nfine\n"[..]);
        let mut line = Vec::new();
        let mut got = Vec::new();
        while let Some(Line::Text(n)) = reader.read_line(&mut line).unwrap() {
            got.push(utf8_at(&line, n, 1).map(str::to_owned));
        }
        assert_eq!(got, [Ok("ok".into()), Err((2, 3)), Ok("fine".into())]);
        assert_eq!(utf8_at(b"{\n  \"a\": \"\xe6\x95\xb0\xff\"", 7, 5), Err((8, 10)));
        assert_eq!(utf8_at(b"ab\xff", 7, 5), Err((7, 7)));
    }

    #[test]
    fn lines_come_one_at_a_time_with_their_numbers() {
        let mut reader = TextReader::new(&b"one\r\n\ntwo"[..]);
        let mut line = Vec::new();
        let mut got = Vec::new();
        while let Some(Line::Text(n)) = reader.read_line(&mut line).unwrap() {
            got.push((n, String::from_utf8(line.clone()).unwrap()));
        }
        assert_eq!(got, [(1, "one\r".into()), (2, String::new()), (3, "two".into())]);
    }

    #[test]
    fn a_line_over_the_limit_is_an_error_naming_it_and_reading_goes_on() {
        let mut text = b"short\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', RECORD_LIMIT + 1));
        text.extend(b"\nafter\n");
        let mut reader = TextReader::new(&text[..]);
        let mut line = Vec::new();
        assert_eq!(reader.read_line(&mut line).unwrap(), Some(Line::Text(1)));
        assert_eq!(reader.read_line(&mut line).unwrap(), Some(Line::TooLong(2)));
        assert!(line.is_empty());
        assert_eq!(reader.read_line(&mut line).unwrap(), Some(Line::Text(3)));
        assert_eq!(line, b"after");
        assert_eq!(reader.read_line(&mut line).unwrap(), None);
    }

    #[test]
    fn a_record_past_the_limit_from_its_mark_stops_the_reading() {
        let text = vec![b'x'; RECORD_LIMIT + CHUNK * 2];
        let mut reader = TextReader::new(&text[..]);
        reader.mark();
        let err = read_all(&mut reader).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(reader.failure(), Some(&TextError::TooLong { line: 1 }));
    }
}
