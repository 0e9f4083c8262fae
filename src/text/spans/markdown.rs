//! Text engine, where the formulas are, in Markdown: what Markdown reads
//! as written or as its own, so that no formula is found in it (for
//! [`super::find`]): a code span's end, a link's target, a TeX quotation
//! that is no code span, a line a display formula may start or end.

use std::ops::Range;

/// Whether only spaces and blockquote markers come before `at` on its line.
pub(super) fn starts_line(text: &str, at: usize) -> bool {
    text[..at]
        .rsplit('\n')
        .next()
        .is_some_and(|before| before.bytes().all(|b| matches!(b, b' ' | b'\t' | b'>')))
}

/// Whether only spaces come after `at` on its line.
pub(super) fn ends_line(text: &str, at: usize) -> bool {
    text[at..].split('\n').next().is_some_and(|after| after.trim().is_empty())
}

/// The first link destination starting in `within`, in Markdown: the
/// target of `[text](target)` or of an autolink `<scheme:...>`, which
/// ends before `end`.
pub(super) fn link_target(text: &str, within: Range<usize>, end: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut at = within.start;
    while let Some(step) = memchr::memchr2(b']', b'<', &bytes[at..within.end]) {
        at += step;
        let target = match bytes[at] {
            b']' if bytes.get(at + 1) == Some(&b'(') => {
                destination(&text[at + 2..end]).map(|r| at + 2 + r.start..at + 2 + r.end)
            }
            b'<' => autolink(&text[at + 1..end]).map(|len| at + 1..at + 1 + len),
            _ => None,
        };
        if target.is_some() {
            return target;
        }
        at += 1;
    }
    None
}

/// Where the destination is in `after`, the text after `](`: `<...>` or a
/// run without spaces whose unescaped parentheses balance.
fn destination(after: &str) -> Option<Range<usize>> {
    let bytes = after.as_bytes();
    let start = bytes.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    let mut i = start;
    if bytes.get(i) == Some(&b'<') {
        while i + 1 < bytes.len() {
            i += 1;
            match bytes[i] {
                b'\\' => i += 1,
                b'>' => return Some(start..i + 1),
                b'<' | b'\n' => return None,
                _ => {}
            }
        }
        return None;
    }
    let mut depth = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b if b.is_ascii_whitespace() || b.is_ascii_control() => break,
            _ => {}
        }
        i += 1;
    }
    (i > start).then(|| start..i.min(bytes.len()))
}

/// The length of an autolink's URI in `after`, the text after `<`: a
/// scheme, `:`, and no space, `<` or control character before the `>`.
fn autolink(after: &str) -> Option<usize> {
    let bytes = after.as_bytes();
    let scheme =
        bytes.iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')).count();
    if !(2..=32).contains(&scheme) || !bytes[0].is_ascii_alphabetic() || bytes.get(scheme) != Some(&b':') {
        return None;
    }
    let len = bytes.iter().position(|&b| b == b'>' || b == b'<' || b == b' ' || b.is_ascii_control())?;
    (bytes[len] == b'>').then_some(len)
}

/// Whether a run of `run` backticks opens a TeX quotation, reading
/// `after` (the rest of its paragraph): ``` `` ``` is closed by `''` or `"`,
/// `` ` `` by a `'` that ends a word (not the one in `don't`), and either
/// only when that comes before as many backticks, which would close a code
/// span. An accent's `\'` or `\"` closes nothing.
pub(crate) fn quote_closes(after: &str, run: usize) -> bool {
    let bytes = after.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let len = bytes[i..].iter().take_while(|&&b| b == bytes[i]).count();
        match bytes[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b'`' if len == run => return false,
            b'"' if run == 2 => return true,
            b'\'' if run == 2 && len >= 2 => return true,
            b'\'' if run == 1 => {
                let next = after[i + len..].chars().next();
                if !next.is_some_and(char::is_alphanumeric) {
                    return true;
                }
            }
            _ => {}
        }
        i += len;
    }
    false
}

/// The length (closing run included) of a code span opened by `run`
/// backticks, when a run of exactly as many closes it.
pub(super) fn code_span_end(after: &str, run: usize) -> Option<usize> {
    let bytes = after.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if len == run {
                return Some(i + len);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_quotations_close_before_code_would() {
        assert!(quote_closes("x'' and", 2) && quote_closes("x\" and", 2) && quote_closes("don't' x", 1));
        assert!(
            !quote_closes("code`` it''", 2) && !quote_closes("Enestr\\\"om", 2) && !quote_closes("it's", 1)
        );
    }

    #[test]
    fn link_targets_are_found_where_markdown_reads_them() {
        fn target(text: &str) -> Option<&str> {
            link_target(text, 0..text.len(), text.len()).map(|r| &text[r])
        }
        assert_eq!(target(r"[w](https://x.org/F_\(b\)) $x$"), Some(r"https://x.org/F_\(b\)"));
        assert_eq!(target("[l](</my uri>)"), Some("</my uri>"));
        assert_eq!(target(r"<https://x.org/\(a\)>"), Some(r"https://x.org/\(a\)"));
        assert_eq!(target("a [b] (c) <d> <e f:g>"), None);
        assert_eq!(code_span_end("x`` y", 2), Some(3));
        assert!(starts_line("a\n > \\[", 5) && !starts_line("a \\[", 2) && ends_line("\\] \nb", 2));
    }
}
