//! Stage 3, search words: the tokenizer of the search index (see the module
//! doc of [`search`](super) for what it does; `search.js` does exactly the
//! same with the parameters of `meta.json`).

/// The shortest Latin word kept (a single ASCII digit is kept too).
pub const MIN_WORD_LEN: usize = 2;
/// English words too common to be worth an entry.
pub const STOPWORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have", "if", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "such", "than", "that", "the", "their", "then",
    "there", "these", "they", "this", "to", "via", "was", "we", "were", "which", "while", "will", "with",
];
/// Characters segmented as CJK (inclusive ranges): Hangul Jamo, 々〆〇,
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

/// Each of [`STOPWORDS`] as one number ([`packed`]), so a word is compared
/// with them all at once.
const PACKED_STOPWORDS: [u64; STOPWORDS.len()] = {
    let mut packed_words = [0; STOPWORDS.len()];
    let mut i = 0;
    while i < STOPWORDS.len() {
        packed_words[i] = packed(STOPWORDS[i].as_bytes());
        i += 1;
    }
    packed_words
};

/// The bytes of a word of at most 8 as one number: two words without a
/// zero byte (every word here) are equal when their numbers are.
const fn packed(word: &[u8]) -> u64 {
    let mut n = 0;
    let mut i = 0;
    while i < word.len() {
        n = (n << 8) | word[i] as u64;
        i += 1;
    }
    n
}

pub(super) fn is_stopword(word: &str) -> bool {
    word.len() <= 5 && PACKED_STOPWORDS.contains(&packed(word.as_bytes()))
}

fn is_cjk(c: char) -> bool {
    let c32 = c as u32;
    c32 >= CJK_RANGES[0].0
        && CJK_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c32))
        && c.is_alphanumeric()
}

/// The tokens of `text`, in order, with repeats (see the module doc).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut |t| tokens.push(t.to_owned()));
    tokens
}

/// Hands each token of `text` to `emit`, without allocating one string each.
pub(super) fn tokenize_into(text: &str, emit: &mut impl FnMut(&str)) {
    let mut word = String::new();
    let mut word_len = 0;
    let mut cjk: Vec<char> = Vec::new();
    let mut pair = String::new();
    let mut flush = |word: &mut String, word_len: &mut usize, cjk: &mut Vec<char>| {
        if *word_len == 0 && cjk.is_empty() {
            return;
        }
        let kept = *word_len >= MIN_WORD_LEN || (*word_len == 1 && word.as_bytes()[0].is_ascii_digit());
        if kept && !is_stopword(word) {
            emit(word);
        }
        word.clear();
        *word_len = 0;
        if cjk.len() == 1 {
            pair.clear();
            pair.push(cjk[0]);
            emit(&pair);
        }
        for two in cjk.windows(2) {
            pair.clear();
            pair.extend(two);
            emit(&pair);
        }
        cjk.clear();
    };
    // Bytes, decoding a character only outside ASCII: most text is ASCII.
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii_alphanumeric() {
            if !cjk.is_empty() {
                flush(&mut word, &mut word_len, &mut cjk);
            }
            word.push(char::from(b.to_ascii_lowercase()));
            word_len += 1;
            at += 1;
        } else if b == b'\\' && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic) {
            flush(&mut word, &mut word_len, &mut cjk);
            at += 1;
            while bytes.get(at).is_some_and(u8::is_ascii_alphabetic) {
                at += 1;
            }
        } else if b.is_ascii() {
            flush(&mut word, &mut word_len, &mut cjk);
            at += 1;
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            at += c.len_utf8();
            if is_cjk(c) {
                if word_len > 0 {
                    flush(&mut word, &mut word_len, &mut cjk);
                }
                cjk.push(c);
            } else if c.is_alphanumeric() {
                if !cjk.is_empty() {
                    flush(&mut word, &mut word_len, &mut cjk);
                }
                fold_into(c, &mut word);
                word_len += 1;
            } else if is_accent(c) {
                // A combining accent (decomposed text) is folded away, inside the word.
            } else {
                flush(&mut word, &mut word_len, &mut cjk);
            }
        }
    }
    flush(&mut word, &mut word_len, &mut cjk);
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

    fn tokens(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn english_is_lowercased_words_of_two_or_more_letters_and_numbers() {
        assert_eq!(
            tokens("Masked AutoEncoders for Self-Supervised 3D Learning: a 2-step O(n) method, v2"),
            ["masked", "autoencoders", "self", "supervised", "3d", "learning", "2", "step", "method", "v2"]
        );
        assert_eq!(tokens("Schrödinger's ΣΑΣ"), ["schrodinger", "σασ"]);
    }

    #[test]
    fn stopwords_are_sorted_and_short() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOPWORDS.iter().all(|w| w.len() <= 5 && is_stopword(w)));
        assert!(!is_stopword("masked"));
        let near = ["a", "n", "th", "thes", "ands", "nd", "thé", "ofa", "ta"];
        assert!(near.iter().all(|w| !is_stopword(w)), "only the words themselves");
    }

    #[test]
    fn tex_and_markdown_punctuation_are_dropped() {
        assert_eq!(
            tokens(r"**Bold** [link](#x) `code` $\mathcal{O}(n \log n)$ and $\ell_2$ ~~gone~~"),
            ["bold", "link", "code", "2", "gone"]
        );
        assert_eq!(tokens(r"\alpha-\beta 论文\cite{x}"), ["论文"]);
    }

    #[test]
    fn chinese_is_split_into_overlapping_bigrams() {
        assert_eq!(tokens("自监督"), ["自监", "监督"]);
        assert_eq!(tokens("三维表示，学习。"), ["三维", "维表", "表示", "学习"]);
        assert_eq!(tokens("猫"), ["猫"]);
        assert_eq!(tokens("a\\"), Vec::<String>::new());
        assert_eq!(
            tokens("日本語のテキスト 한국어"),
            ["日本", "本語", "語の", "のテ", "テキ", "キス", "スト", "한국", "국어"]
        );
    }

    #[test]
    fn mixed_text_switches_between_words_and_bigrams() {
        assert_eq!(
            tokens("NeRF-MAE: 自监督三维表示"),
            ["nerf", "mae", "自监", "监督", "督三", "三维", "维表", "表示"]
        );
        assert_eq!(tokens("3D重建GPT4模型"), ["3d", "重建", "gpt4", "模型"]);
    }

    #[test]
    fn accents_fold_in_every_form_and_cjk_keeps_its_marks() {
        assert_eq!(
            tokens("Eneström ENESTRÖM Enestro\u{308}m Phragmén Łódź Ἀθῆναι"),
            ["enestrom", "enestrom", "enestrom", "phragmen", "łodz", "αθηναι"]
        );
        assert_eq!(tokens("が"), ["が"], "kana keep their voicing mark");
        assert_eq!(tokens("한국"), ["한국"]);
    }
}
