//! JSON inputs, one value at a time: the elements of a top-level array, or
//! the top-level values one after another, each with the line and column
//! it starts on.
//!
//! A value is cut out by its brackets (strings and escapes respected) and
//! parsed alone, so one bad element is skipped with its place and the
//! others are read; a file cut short gives its last element as it is (its
//! parse fails at the end, which says so).

use std::io::{BufRead, Read};

use serde::de::DeserializeOwned;

use super::Context;
use crate::error::Diagnostic;
use crate::import::record::diagnostic_at;
use crate::import::text::{utf8_at, Place, TextReader};

/// One value's text and where it starts.
pub struct Value {
    pub at: Place,
    pub bytes: Vec<u8>,
}

impl Value {
    /// Parses the value as `T`, or says where and why it cannot be read.
    pub fn parse<T: DeserializeOwned>(&self, cx: &Context) -> Result<T, Diagnostic> {
        let text = utf8_at(&self.bytes, self.at).map_err(|bad| cx.not_utf8(bad))?;
        serde_json::from_str(text).map_err(|e| self.problem(cx, &e))
    }

    fn problem(&self, cx: &Context, e: &serde_json::Error) -> Diagnostic {
        let line = self.at.line + e.line().saturating_sub(1);
        let column = if e.line() <= 1 { self.at.column + e.column().saturating_sub(1) } else { e.column() };
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        if e.is_eof() {
            diagnostic_at(cx.shown, line, column, format!("the record is cut short: {message}"))
                .help("the file ends inside this record; it may be truncated")
        } else {
            diagnostic_at(cx.shown, line, column, format!("cannot read this record: {message}"))
                .help("fix the JSON here; the other records were read")
        }
    }
}

/// The values of a JSON input, in order.
pub struct Values<'r, R> {
    reader: &'r mut TextReader<R>,
    started: bool,
    in_array: bool,
    done: bool,
}

impl<'r, R: Read> Values<'r, R> {
    pub fn new(reader: &'r mut TextReader<R>) -> Self {
        Values { reader, started: false, in_array: false, done: false }
    }

    /// The next value; `Err` when the input stops being readable (after
    /// which there is nothing more).
    pub fn next_value(&mut self, cx: &Context) -> Option<Result<Value, Diagnostic>> {
        if self.done {
            return None;
        }
        let result = self.skip_to_value().and_then(|found| match found {
            true => self.collect().map(Some),
            false => Ok(None),
        });
        match result {
            Ok(Some(value)) => Some(Ok(value)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(cx.read_problem(self.reader, &e)))
            }
        }
    }

    /// Skips blanks (and, in an array, commas and the opening `[`); false at the end.
    fn skip_to_value(&mut self) -> std::io::Result<bool> {
        loop {
            let buf = self.reader.fill_buf()?;
            let Some(at) =
                buf.iter().position(|&b| !(b.is_ascii_whitespace() || (self.in_array && b == b',')))
            else {
                if buf.is_empty() {
                    return Ok(false);
                }
                let n = buf.len();
                self.reader.consume(n);
                continue;
            };
            let first = buf[at];
            self.reader.consume(at);
            if !self.started && first == b'[' {
                (self.started, self.in_array) = (true, true);
                self.reader.consume(1);
                continue;
            }
            self.started = true;
            if self.in_array && first == b']' {
                self.reader.consume(1);
                return Ok(false);
            }
            return Ok(true);
        }
    }

    /// Reads one value from its first byte to its end (or the input's end).
    fn collect(&mut self) -> std::io::Result<Value> {
        let at = self.reader.place();
        self.reader.mark();
        let mut bytes = Vec::new();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(Value { at, bytes });
            }
            let mut end = None;
            let mut i = 0;
            while i < buf.len() {
                if escaped {
                    escaped = false;
                    i += 1;
                    continue;
                }
                if in_string {
                    // Straight to the string's next quote or backslash.
                    match buf[i..].iter().position(|&b| b == b'"' || b == b'\\') {
                        Some(k) => {
                            i += k;
                            (in_string, escaped) = (buf[i] == b'\\', buf[i] == b'\\');
                        }
                        None => i = buf.len(),
                    }
                    i += 1;
                    continue;
                }
                match buf[i] {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    b',' | b'}' | b']' if depth == 0 => {
                        // A stray closer still makes progress: it is the (bad) value.
                        end = Some(if bytes.is_empty() && i == 0 { 1 } else { i });
                        break;
                    }
                    b if depth == 0 && b.is_ascii_whitespace() => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
            let take = end.unwrap_or(buf.len());
            bytes.extend_from_slice(&buf[..take]);
            self.reader.consume(take);
            if end.is_some() {
                return Ok(Value { at, bytes });
            }
        }
    }
}

/// The object keys written in `text` (a JSON head, possibly cut short), at any depth.
pub fn keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = string_end(after) else { break };
        let tail = after[end + 1..].trim_start();
        if tail.starts_with(':') {
            keys.push(after[..end].to_owned());
        }
        rest = &after[end + 1..];
    }
    keys
}

/// The byte index of the `"` that closes a string whose text starts `text`.
fn string_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Result<(usize, usize, String), String>> {
        let cx = Context::example("f.json", "2024-04-02", None);
        let mut reader = TextReader::new(text.as_bytes());
        let mut values = Values::new(&mut reader);
        let mut out = Vec::new();
        while let Some(v) = values.next_value(&cx) {
            out.push(
                v.map(|v| (v.at.line, v.at.column, String::from_utf8(v.bytes).unwrap()))
                    .map_err(|d| d.to_string()),
            );
        }
        out
    }

    #[test]
    fn array_elements_come_one_by_one_with_their_places() {
        let got = values("[\n  {\"a\": \"}],\\\"\"},\n  {\"b\": [1, {\"c\": 2}]} , 3,\"s\"\n]\n");
        let want = [
            (2, 3, "{\"a\": \"}],\\\"\"}"),
            (3, 3, "{\"b\": [1, {\"c\": 2}]}"),
            (3, 26, "3"),
            (3, 28, "\"s\""),
        ];
        assert_eq!(got, want.map(|(l, c, s)| Ok((l, c, s.to_owned()))));
        assert_eq!(values("  {\"one\": 1}\n"), [Ok((1, 3, "{\"one\": 1}".to_owned()))]);
        assert_eq!(values("[]"), []);
    }

    #[test]
    fn a_file_cut_short_gives_its_last_value_as_it_is() {
        let got = values("[{\"a\": 1},\n {\"b\": \"cut");
        assert_eq!(got[1], Ok((2, 2, "{\"b\": \"cut".to_owned())));
        let cx = Context::example("f.json", "2024-04-02", None);
        let value = Value { at: Place { line: 2, column: 2, offset: 12 }, bytes: b"{\"b\": \"cut".to_vec() };
        let err = value.parse::<serde_json::Value>(&cx).unwrap_err().to_string();
        assert!(err.starts_with("f.json:2:11: the record is cut short: EOF while parsing a string"), "{err}");
        let value =
            Value { at: Place { line: 4, column: 3, offset: 40 }, bytes: b"{\"b\":\n  tru}".to_vec() };
        let err = value.parse::<serde_json::Value>(&cx).unwrap_err().to_string();
        assert!(err.starts_with("f.json:5:6: cannot read this record: expected ident"), "{err}");
    }

    #[test]
    fn a_bad_byte_skips_only_its_value() {
        let mut text = b"[{\"a\": 1},\n {\"b\": \"".to_vec();
        text.extend(b"\xff\"}, {\"c\": 3}]");
        let cx = Context::example("f.json", "2024-04-02", None);
        let mut reader = TextReader::new(&text[..]);
        let mut values = Values::new(&mut reader);
        let mut parsed = Vec::new();
        while let Some(value) = values.next_value(&cx) {
            parsed.push(value.unwrap().parse::<serde_json::Value>(&cx).map_err(|d| d.to_string()));
        }
        assert_eq!(parsed[0], Ok(serde_json::json!({"a": 1})));
        let err = parsed[1].as_ref().unwrap_err();
        assert!(err.starts_with("f.json:2:9: the file is not UTF-8 text: byte 0xff at offset 19"), "{err}");
        assert_eq!(parsed[2], Ok(serde_json::json!({"c": 3})));
    }

    #[test]
    fn keys_are_found_in_a_head() {
        assert_eq!(keys("{\"id\": \"x:\", \"AI\": {\"tldr\": \"a\\\"b\"}, \"cut"), ["id", "AI", "tldr"]);
    }
}
