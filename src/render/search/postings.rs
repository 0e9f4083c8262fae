//! Stage 3, search postings: the documents of each token of one batch of
//! documents, gathered in one pass over their tokens and kept compact.
//!
//! A batch numbers its tokens as it meets them, in a table of small entries
//! (a token of up to [`INLINE`] bytes, nearly every one, is kept in its
//! entry), so the table stays in the processor's cache; each token's first
//! occurrence in a document is appended to one list, in document order. At
//! the end the list is grouped by token with a counting sort, which keeps
//! each token's documents in order, and they are written as varint gaps.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Range;

/// The longest token kept inside its table entry.
const INLINE: usize = 15;

/// A token of at most [`INLINE`] bytes as two machine words: its length,
/// its bytes, then zeros, little-endian. A token has one form, so equal
/// tokens have equal keys. Its words are filled byte by byte, not copied
/// through memory: a copy of a few bytes is a call, and reading them back
/// as words stalls the processor.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Key([u64; 2]);

impl Key {
    fn new(bytes: &[u8]) -> Option<Self> {
        if bytes.len() > INLINE {
            return None;
        }
        let mut words = [bytes.len() as u64, 0];
        for (i, &byte) in bytes.iter().enumerate() {
            let at = i + 1;
            words[at / 8] |= u64::from(byte) << (at % 8 * 8);
        }
        Some(Key(words))
    }

    /// The key's bytes: the length, then the token's bytes.
    fn bytes(&self) -> [u8; INLINE + 1] {
        let [low, high] = self.0.map(u64::to_le_bytes);
        std::array::from_fn(|i| if i < 8 { low[i] } else { high[i - 8] })
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.into_iter().for_each(|word| state.write_u64(word));
    }
}

/// A token as a shard part holds it: inline as a [`Key`]'s bytes, or on
/// the heap.
pub(super) enum Token {
    Inline([u8; INLINE + 1]),
    Heap(Box<[u8]>),
}

impl Token {
    pub(super) fn as_bytes(&self) -> &[u8] {
        match self {
            Token::Inline(key) => &key[1..=usize::from(key[0])],
            Token::Heap(bytes) => bytes,
        }
    }
}

/// A token met in the batch: its number, and the last document it was in.
#[derive(Clone, Copy)]
struct Seen {
    token: u32,
    doc: u32,
}

/// Token -> [`Seen`], hashed a word at a time (tokens are short; SipHash's
/// protection against chosen keys is not needed for a site's own text).
type Table<K> = HashMap<K, Seen, BuildHasherDefault<WordHash>>;

/// The tokens of one batch of documents, as they are added.
#[derive(Default)]
pub(super) struct Batch {
    short: Table<Key>,
    long: Table<Box<[u8]>>,
    /// `(token, doc * 2 + title)` for each token's first occurrence in
    /// each document, in document order.
    found: Vec<(u32, u32)>,
}

impl Batch {
    /// Adds a token of document `doc`; documents come in increasing order.
    /// Only a token's first occurrence in a document is kept, with its
    /// title mark: a document's titles are added first.
    pub(super) fn add(&mut self, token: &[u8], doc: u32, title: bool) {
        let fresh = Seen { token: (self.short.len() + self.long.len()) as u32, doc: u32::MAX };
        let seen = match Key::new(token) {
            Some(key) => self.short.entry(key).or_insert(fresh),
            None => long_entry(&mut self.long, token, fresh),
        };
        if seen.doc != doc {
            seen.doc = doc;
            self.found.push((seen.token, doc * 2 + u32::from(title)));
        }
    }

    /// The batch's postings split among `shards` parts by `shard_of`, each
    /// part sorted by token.
    pub(super) fn into_parts(self, shards: usize, shard_of: impl Fn(&[u8]) -> usize) -> Vec<Part> {
        let (starts, values) = grouped(self.short.len() + self.long.len(), &self.found);
        let tokens = (self.short.into_iter().map(|(key, seen)| (Token::Inline(key.bytes()), seen.token)))
            .chain(self.long.into_iter().map(|(bytes, seen)| (Token::Heap(bytes), seen.token)));
        let mut parts: Vec<Part> = (0..shards).map(|_| Part::default()).collect();
        for (token, number) in tokens {
            let part = &mut parts[shard_of(token.as_bytes())];
            let n = number as usize;
            let from = part.gaps.len();
            let mut before = 0;
            for &value in &values[starts[n]..starts[n + 1]] {
                push_varint(&mut part.gaps, value - before);
                before = value;
            }
            part.tokens.push((token, from..part.gaps.len()));
        }
        for part in &mut parts {
            part.tokens.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        }
        parts
    }
}

/// The entry of a long token, copied into the table the first time only.
fn long_entry<'t>(long: &'t mut Table<Box<[u8]>>, token: &[u8], fresh: Seen) -> &'t mut Seen {
    if !long.contains_key(token) {
        long.insert(token.into(), fresh);
    }
    long.get_mut(token).expect("inserted above")
}

/// `found`'s values grouped by token, each token's in the order found:
/// token `n`'s are `values[starts[n]..starts[n + 1]]`.
fn grouped(tokens: usize, found: &[(u32, u32)]) -> (Vec<usize>, Vec<u32>) {
    let mut starts = vec![0; tokens + 1];
    for &(token, _) in found {
        starts[token as usize + 1] += 1;
    }
    for n in 1..starts.len() {
        starts[n] += starts[n - 1];
    }
    let mut next = starts.clone();
    let mut values = vec![0; found.len()];
    for &(token, value) in found {
        values[next[token as usize]] = value;
        next[token as usize] += 1;
    }
    (starts, values)
}

/// One batch's postings of one shard, sorted by token: each token with the
/// range of `gaps` that holds its sorted `doc * 2 + title` values, the
/// first as it is, then each minus the one before, as LEB128 varints (a
/// byte or two each).
#[derive(Default)]
pub(super) struct Part {
    pub tokens: Vec<(Token, Range<usize>)>,
    pub gaps: Vec<u8>,
}

/// The values that [`Part::gaps`] holds in `gaps`, in order.
pub(super) fn values(gaps: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut bytes = gaps.iter();
    let mut value = 0;
    std::iter::from_fn(move || {
        value += read_varint(&mut bytes)?;
        Some(value)
    })
}

/// Appends `n` as a LEB128 varint: seven bits a byte, low bits first, the
/// high bit set on every byte but the last.
fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint [`push_varint`] wrote.
fn read_varint(bytes: &mut std::slice::Iter<'_, u8>) -> Option<u32> {
    let mut n = 0;
    for shift in (0..32).step_by(7) {
        let byte = *bytes.next()?;
        n |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            break;
        }
    }
    Some(n)
}

/// A multiply-rotate hash of whole words (rustc's FxHash): a few
/// instructions a word. The table's slot is taken from the low bits, which
/// a multiplication mixes least, so the finished hash is rotated to bring
/// its best-mixed bits there.
#[derive(Default)]
struct WordHash(u64);

impl Hasher for WordHash {
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    /// Each token of `batch` with its values, in token order.
    fn postings(batch: Batch) -> Vec<(String, Vec<u32>)> {
        let part = batch.into_parts(1, |_| 0).pop().unwrap();
        let text = |t: &Token| String::from_utf8(t.as_bytes().to_vec()).unwrap();
        part.tokens.iter().map(|(t, range)| (text(t), values(&part.gaps[range.clone()]).collect())).collect()
    }

    #[test]
    fn a_token_keeps_its_first_occurrence_in_each_document_with_its_title_mark() {
        let long = "pneumonoultramicroscopicsilicovolcanoconiosis".as_bytes();
        let mut batch = Batch::default();
        for (token, doc, title) in
            [("mask", 3, true), ("mask", 3, false), ("自监", 3, false), ("mask", 7, false), ("mask", 9, true)]
        {
            batch.add(token.as_bytes(), doc, title);
        }
        [(long, 4, true), (long, 4, false), (long, 5, false)]
            .into_iter()
            .for_each(|(t, d, m)| batch.add(t, d, m));
        let long = String::from_utf8(long.to_vec()).unwrap();
        assert_eq!(
            postings(batch),
            [("mask".into(), vec![7, 14, 19]), (long, vec![9, 10]), ("自监".into(), vec![6])],
            "sorted by bytes; doc * 2 + title"
        );
    }

    #[test]
    fn parts_split_tokens_by_shard() {
        let mut batch = Batch::default();
        ["ab", "b", "abc"].into_iter().for_each(|t| batch.add(t.as_bytes(), 0, false));
        let parts = batch.into_parts(3, |t| t.len() - 1);
        let shard = |n: usize| parts[n].tokens.iter().map(|(t, _)| t.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            [shard(0), shard(1), shard(2)],
            [vec![b"b".to_vec()], vec![b"ab".to_vec()], vec![b"abc".to_vec()]]
        );
    }

    #[test]
    fn gaps_give_back_every_value_they_were_given() {
        let values_in = [3, 4, 130, 16_384, 16_385, 2_097_151, 2_097_152, u32::MAX - 1, u32::MAX];
        let mut gaps = Vec::new();
        let mut before = 0;
        for v in values_in {
            push_varint(&mut gaps, v - before);
            before = v;
        }
        assert_eq!(values(&gaps).collect::<Vec<_>>(), values_in);
        assert!(gaps.len() < values_in.len() * 4, "gaps are kept in fewer bytes than values");
    }

    #[test]
    fn short_tokens_spread_over_the_table_slots() {
        // A table of 1,024 slots takes a hash's low 10 bits.
        let two_letters: Vec<[u8; 2]> =
            (b'a'..=b'z').flat_map(|a| (b'a'..=b'z').map(move |b| [a, b])).collect();
        let slots: std::collections::HashSet<u64> = (two_letters.iter())
            .map(|t| BuildHasherDefault::<WordHash>::default().hash_one(Key::new(t).unwrap()) & 1023)
            .collect();
        assert!(slots.len() > 400, "676 tokens in {} slots", slots.len());
    }

    #[test]
    fn keys_hold_tokens_of_up_to_fifteen_bytes() {
        let bytes = Key::new(b"fifteen-bytes!!").unwrap().bytes();
        assert_eq!(Token::Inline(bytes).as_bytes(), b"fifteen-bytes!!");
        assert_eq!(Token::Inline(Key::new(b"").unwrap().bytes()).as_bytes(), b"");
        assert!(Key::new(b"sixteen-bytes!!!").is_none());
        assert!(Key::new(b"ab") != Key::new(b"ab\0"), "the length tells a trailing zero apart");
    }
}
