//! Stage 3, search words: the tokenizer of the search index (see the module
//! doc of [`search`](super) for what it does; `search.js` does exactly the
//! same with the parameters of `meta.json`), on the words and CJK letters
//! that [`fold`] reads.

use crate::fold::{self, Piece};

/// The shortest Latin word kept (a single ASCII digit is kept too).
pub const MIN_WORD_LEN: usize = 2;
/// English words too common to be worth an entry.
pub const STOPWORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have", "if", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "such", "than", "that", "the", "their", "then",
    "there", "these", "they", "this", "to", "via", "was", "we", "were", "which", "while", "will", "with",
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

/// The tokens of `text`, in order, with repeats (see the module doc).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut |t| tokens.push(t.to_owned()));
    tokens
}

/// Hands each token of `text` to `emit`, without allocating one string
/// each: the words [`fold::read`] finds, and the bigrams of its CJK runs,
/// each handed over as soon as its second letter is read.
pub(super) fn tokenize_into(text: &str, emit: &mut impl FnMut(&str)) {
    let mut run = CjkRun::default();
    fold::read(text, &mut |piece| match piece {
        Piece::Word { folded, chars } => {
            run.end(emit);
            let kept = chars >= MIN_WORD_LEN || (chars == 1 && folded.as_bytes()[0].is_ascii_digit());
            if kept && !is_stopword(folded) {
                emit(folded);
            }
        }
        Piece::Cjk(c) => run.push(c, emit),
        Piece::Break => run.end(emit),
    });
    run.end(emit);
}

/// The CJK run being read.
#[derive(Default)]
struct CjkRun {
    /// Its last letter, if a run is being read.
    last: Option<char>,
    /// Whether it has more than one letter.
    longer: bool,
    /// The bigram being handed over, kept for its room.
    pair: String,
}

impl CjkRun {
    /// Reads the run's next letter: hands over the bigram it ends.
    fn push(&mut self, c: char, emit: &mut impl FnMut(&str)) {
        if let Some(last) = self.last {
            self.pair.clear();
            self.pair.push(last);
            self.pair.push(c);
            emit(&self.pair);
            self.longer = true;
        }
        self.last = Some(c);
    }

    /// Ends the run: a run of one letter is that letter's token.
    fn end(&mut self, emit: &mut impl FnMut(&str)) {
        if let (Some(only), false) = (self.last, self.longer) {
            emit(only.encode_utf8(&mut [0; 4]));
        }
        (self.last, self.longer) = (None, false);
    }
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
