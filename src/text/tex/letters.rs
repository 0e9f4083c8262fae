//! Text engine, TeX letters: `\"o`, `\c{c}`, `{\'\i}`, `\ss` and the other
//! accents and letter commands of TeX text, as Unicode letters (composed
//! where Unicode has one character, else the letter and its combining mark).

use std::borrow::Cow;

use super::spaces;

/// An accented letter or a letter command at the start of `s` (which starts
/// with `\`): its length and the letter.
pub fn letter(s: &str) -> Option<(usize, Cow<'static, str>)> {
    let body = s.strip_prefix('\\')?;
    let symbol = body.chars().next()?;
    if let Some(mark) = symbol_accent(symbol) {
        let (len, shown) = accent_argument(&body[1..], mark)?;
        return Some((2 + len, shown));
    }
    let name_len = body.bytes().take_while(u8::is_ascii_alphabetic).count();
    let name = &body[..name_len];
    if let Some(mark) = letter_accent(name) {
        let skip = spaces(&body[name_len..]);
        let (len, shown) = accent_argument(&body[name_len + skip..], mark)?;
        return Some((1 + name_len + skip + len, shown));
    }
    let shown = special_letter(name)?;
    // `\ss{}` or `\ss ` (the space ends the command, it is not shown).
    let tail = &body[name_len..];
    let extra = if tail.starts_with("{}") {
        2
    } else if tail.starts_with(' ') && tail[1..].starts_with(|c: char| c.is_alphabetic()) {
        1
    } else {
        0
    };
    Some((1 + name_len + extra, shown.into()))
}

/// The argument of an accent (`o`, `{o}`, `\i`, `{\i}`), with the accent
/// applied: its length and the letter.
fn accent_argument(s: &str, mark: char) -> Option<(usize, Cow<'static, str>)> {
    let (len, base) = if let Some(inner) = s.strip_prefix('{') {
        let close = inner.find('}')?;
        let arg = &inner[..close];
        (close + 2, base_letter(arg)?)
    } else {
        let c = s.chars().next()?;
        if c == '\\' {
            let name_len = s[1..].bytes().take_while(u8::is_ascii_alphabetic).count();
            (1 + name_len, base_letter(&s[..1 + name_len])?)
        } else {
            (c.len_utf8(), c.is_alphabetic().then_some(c)?)
        }
    };
    Some((len, compose(base, mark).into()))
}

/// `o`, `\i` or `\j`: the letter an accent goes on.
fn base_letter(arg: &str) -> Option<char> {
    match arg.trim() {
        "\\i" => Some('i'),
        "\\j" => Some('j'),
        a => {
            let mut chars = a.chars();
            let c = chars.next()?;
            (chars.next().is_none() && c.is_alphabetic()).then_some(c)
        }
    }
}

/// A letter with a combining mark, as one character where Unicode has one.
fn compose(base: char, mark: char) -> String {
    match unicode_normalization::char::compose(base, mark) {
        Some(c) => c.to_string(),
        None => format!("{base}{mark}"),
    }
}

/// The combining mark of `\"`, `\'` and the other accent symbols.
fn symbol_accent(c: char) -> Option<char> {
    Some(match c {
        '"' => '\u{308}',
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        _ => return None,
    })
}

/// The combining mark of `\c`, `\v` and the other accent commands.
fn letter_accent(name: &str) -> Option<char> {
    Some(match name {
        "c" => '\u{327}',
        "v" => '\u{30C}',
        "u" => '\u{306}',
        "H" => '\u{30B}',
        "k" => '\u{328}',
        "r" => '\u{30A}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        _ => return None,
    })
}

fn special_letter(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        _ => return None,
    })
}
