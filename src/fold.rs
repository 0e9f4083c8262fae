//! How text is read for matching words: case and accents folded, CJK told
//! apart. The one reading the search index ([`crate::render::search`]) and
//! topics ([`crate::group::topics`]) share, so a word a reader searches for
//! and a word a site's owner names a topic by are read alike.
//!
//! Characters that are letters or digits form runs; anything else separates
//! them, and a TeX command (`\` and ASCII letters: `\mathcal`) is dropped
//! whole ([`read`]).
//! - Outside CJK, a run is a [`Piece::Word`]: lowercased character by
//!   character, accents folded away (each character's canonical
//!   decomposition without the combining marks U+0300 to U+036F, which are
//!   skipped inside a word too: `Eneström`, `ENESTRÖM` and `Enestrom` give
//!   `enestrom`; `Ł` stays `ł`).
//! - CJK letters and digits (Han, kana, hangul: [`CJK_RANGES`]) are each a
//!   [`Piece::Cjk`], kept as written; a [`Piece::Break`] between two ends
//!   their run.

use std::borrow::Cow;

/// Characters read as CJK (inclusive ranges): Hangul Jamo, 々〆〇,
/// Hiragana, Katakana, Hangul Compatibility Jamo, Katakana Phonetic
/// Extensions, CJK Extension A, CJK Unified Ideographs, Hangul Jamo
/// Extended-A, Hangul Syllables, Hangul Jamo Extended-B, CJK Compatibility
/// Ideographs, halfwidth Katakana and Hangul, and CJK Extensions B and on.
/// Only letters and digits among them count.
pub const CJK_RANGES: &[(u32, u32)] = &[
    (0x1100, 0x11FF),
    (0x3005, 0x3007),
    (0x3040, 0x309F),
    (0x30A0, 0x30FF),
    (0x3130, 0x318F),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7AF),
    (0xD7B0, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFFDC),
    (0x20000, 0x323AF),
];

/// One piece of a text as [`read`] hands it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A run of letters and digits outside CJK, folded; `chars`: how many
    /// characters it was written with (before folding, accents not counted).
    Word { folded: &'a str, chars: usize },
    /// A CJK letter or digit, as written.
    Cjk(char),
    /// Anything that separates runs: space, punctuation, a TeX command.
    Break,
}

/// Hands each piece of `text` to `emit`, in order (see the module doc). A
/// word is handed over once it ends, so a CJK letter that follows it comes
/// after it.
pub fn read(text: &str, emit: &mut impl FnMut(Piece<'_>)) {
    fn end_word(word: &mut String, chars: &mut usize, emit: &mut impl FnMut(Piece<'_>)) {
        if *chars > 0 {
            emit(Piece::Word { folded: word, chars: *chars });
            word.clear();
            *chars = 0;
        }
    }
    let mut word = String::new();
    let mut chars = 0;
    // Bytes, decoding a character only outside ASCII: most text is ASCII.
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii_alphanumeric() {
            // The whole ASCII run at once: copied, then lowercased in place.
            let run = bytes[at..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            let start = word.len();
            word.push_str(&text[at..at + run]);
            word[start..].make_ascii_lowercase();
            chars += run;
            at += run;
        } else if b == b'\\' && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic) {
            end_word(&mut word, &mut chars, emit);
            emit(Piece::Break);
            at += 1;
            while bytes.get(at).is_some_and(u8::is_ascii_alphabetic) {
                at += 1;
            }
        } else if b.is_ascii() {
            end_word(&mut word, &mut chars, emit);
            emit(Piece::Break);
            at += 1;
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            at += c.len_utf8();
            if is_cjk(c) {
                end_word(&mut word, &mut chars, emit);
                emit(Piece::Cjk(c));
            } else if is_letter_or_digit(c) {
                fold_into(c, &mut word);
                chars += 1;
            } else if is_accent(c) {
                // A combining accent (decomposed text) is folded away, inside the word.
            } else {
                end_word(&mut word, &mut chars, emit);
                emit(Piece::Break);
            }
        }
    }
    end_word(&mut word, &mut chars, emit);
}

/// A paper's text as a reader sees its words: arXiv's TeX resolved
/// (`Enestr\"om` -> Eneström). Only a backslash can change a word (an
/// accent); dashes, quotes, ties and `\emph` braces are separators either
/// way, so other texts are read as they are.
pub fn as_shown(text: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\\', text.as_bytes()).is_some() {
        crate::text::tex::to_text(text)
    } else {
        text.into()
    }
}

/// Whether `c` is a CJK letter or digit ([`CJK_RANGES`]).
pub fn is_cjk(c: char) -> bool {
    let c32 = c as u32;
    HAN.contains(&c32)
        || (c32 >= CJK_RANGES[0].0
            && CJK_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c32))
            && is_letter_or_digit(c))
}

/// The CJK Unified Ideographs, every one a letter: most of a Chinese text.
const HAN: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;

/// Blocks of punctuation and spaces with no letter or digit in them: general
/// punctuation (dashes, quotes), CJK punctuation (`、。《》「」`) and the
/// full-width forms of ASCII punctuation (`，：（）`).
const NO_LETTERS: [std::ops::RangeInclusive<u32>; 5] =
    [0x2000..=0x206F, 0x3000..=0x3004, 0x3008..=0x3020, 0xFF01..=0xFF0F, 0xFF1A..=0xFF20];

/// `c.is_alphanumeric()`, answered at once for the characters Chinese text
/// is mostly written with: Unicode's tables are searched for the others
/// (the search for every ideograph and comma was 7% of the search index's
/// time).
fn is_letter_or_digit(c: char) -> bool {
    let c32 = c as u32;
    if HAN.contains(&c32) {
        true
    } else if NO_LETTERS.iter().any(|block| block.contains(&c32)) {
        false
    } else {
        c.is_alphanumeric()
    }
}

/// A combining accent of Latin, Greek and Cyrillic letters (U+0300 to U+036F).
fn is_accent(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// Appends `c` lowercased with its accents folded away: its canonical
/// decomposition without [`is_accent`] marks (`ö` -> `o`, `Ł` stays `ł`).
fn fold_into(c: char, word: &mut String) {
    unicode_normalization::char::decompose_canonical(c, |d| {
        if !is_accent(d) {
            word.extend(d.to_lowercase());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of `text`: words as themselves, CJK in brackets, breaks as `|`.
    fn pieces(text: &str) -> String {
        let mut out = String::new();
        read(text, &mut |piece| match piece {
            Piece::Word { folded, .. } => out.push_str(folded),
            Piece::Cjk(c) => out.extend(['[', c, ']']),
            Piece::Break => out.push('|'),
        });
        out
    }

    #[test]
    fn words_are_folded_and_separated() {
        assert_eq!(pieces("NeRF-MAE: v2"), "nerf|mae||v2");
        assert_eq!(pieces(r"$\mathcal{O}$"), "|||o||", "a TeX command is one break");
    }

    #[test]
    fn accents_fold_in_every_form() {
        assert_eq!(pieces("Eneström ENESTRÖM Enestro\u{308}m Łódź"), "enestrom|enestrom|enestrom|łodz");
    }

    #[test]
    fn cjk_letters_come_one_by_one_in_order_with_words() {
        assert_eq!(pieces("3D重建GPT4模型"), "3d[重][建]gpt4[模][型]");
        assert_eq!(pieces("扩散，模型"), "[扩][散]|[模][型]");
        assert_eq!(pieces("が"), "[が]", "kana keep their voicing mark");
    }

    #[test]
    fn a_word_counts_the_characters_it_was_written_with() {
        let mut counts = Vec::new();
        read("Ö Enestro\u{308}m", &mut |p| {
            if let Piece::Word { chars, .. } = p {
                counts.push(chars)
            }
        });
        assert_eq!(counts, [1, 8]);
    }

    #[test]
    fn letters_and_digits_are_told_as_unicode_tells_them() {
        let cjk = CJK_RANGES.iter().map(|&(lo, hi)| lo..=hi);
        let blocks = NO_LETTERS.into_iter().chain([HAN]).chain(cjk);
        for c in blocks.flatten().filter_map(char::from_u32) {
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c} U+{:04X}", c as u32);
        }
        assert!(is_cjk('模') && is_cjk('が') && !is_cjk('，') && !is_cjk('、') && !is_cjk('a'));
    }

    #[test]
    fn tex_is_read_as_shown() {
        assert_eq!(as_shown(r#"Enestr\"om"#), "Eneström");
        assert!(matches!(as_shown("plain"), Cow::Borrowed("plain")));
    }
}
