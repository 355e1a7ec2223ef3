//! Postings: every page's tokens with their positions, merged in page
//! order into each token's encoded postings, head and body apart
//! ([`encode::SplitWriter`]).
//!
//! The hot loop of the index at scale (10,000 guides make about 18 million
//! token-page pairs), so it avoids an allocation per token: tokens are
//! walked with [`tokens::each_token`] (the same tokens as
//! [`tokens::text_tokens`], a test holds them equal) and kept as [`Key`]s,
//! inline up to 23 bytes, in maps with a fast hash. Pages are tokenised in
//! parallel a chunk at a time, so a large site never holds every position
//! as a number at once, and merged in parallel too, each core taking the
//! tokens of its own parts.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::docs::{Doc, Field};
use super::fold::{FoldTable, Folder};
use super::{BODY_BASE, PINYIN_POS, encode, tokens};

/// A token: inline when short (every Han pair), boxed otherwise.
#[derive(Clone, PartialEq, Eq)]
pub(super) enum Key {
    Inline { len: u8, bytes: [u8; 23] },
    Long(Box<str>),
}

impl Key {
    pub(super) fn new(token: &str) -> Self {
        let mut bytes = [0; 23];
        match bytes.get_mut(..token.len()) {
            Some(slot) => {
                slot.copy_from_slice(token.as_bytes());
                Self::Inline {
                    len: token.len() as u8,
                    bytes,
                }
            }
            None => Self::Long(token.into()),
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            // Built from a whole `&str`, so always valid UTF-8.
            Self::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default()
            }
            Self::Long(s) => s,
        }
    }
}

impl std::hash::Hash for Key {
    /// The token's bytes in one write: a derived hash fed the variant, the
    /// length and all 23 bytes to a streaming hasher, 29% of the
    /// tokenising in a profile at 10k guides.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(self.as_str().as_bytes());
    }
}

pub(super) type Map<V> = HashMap<Key, V, OneShot>;

/// Hashes a [`Key`]'s bytes with xxh3's one-shot function.
#[derive(Clone, Copy, Default)]
pub(super) struct OneShot;

impl std::hash::BuildHasher for OneShot {
    type Hasher = OneShotHasher;

    fn build_hasher(&self) -> OneShotHasher {
        OneShotHasher(0)
    }
}

pub(super) struct OneShotHasher(u64);

impl std::hash::Hasher for OneShotHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxh3_64_with_seed(bytes, self.0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// How many parts the tokens are merged in, each on its own core.
const PARTS: usize = 8;

/// Which of the [`PARTS`] a token is merged in (its own hash, not the
/// maps', so each part's map still spreads its keys over every bucket).
fn part_of(token: &Key) -> usize {
    (xxh3_64_with_seed(token.as_str().as_bytes(), 1) % PARTS as u64) as usize
}

/// Every token of `docs` → its encoded postings.
///
/// A chunk of pages is tokenised across cores, each page's tokens sorted
/// into [`PARTS`] by token; then each part merges its tokens from every
/// page of the chunk, in page order, across cores. Merging on one thread
/// took 3.9 s of a cold 10k build, while the other core waited.
pub fn build(
    docs: &[Doc],
    block_starts: &[Vec<u32>],
    fold: &FoldTable,
) -> BTreeMap<String, encode::Split> {
    type Tokens = Vec<(Key, Vec<u32>)>;
    let mut parts: Vec<Map<encode::SplitWriter>> = (0..PARTS).map(|_| Map::default()).collect();
    let ids: Vec<usize> = (0..docs.len()).collect();
    let folder = fold.folder();
    for chunk in ids.chunks(256) {
        let pages: Vec<Vec<Tokens>> = chunk
            .par_iter()
            .map(|&i| {
                let mut by_part: Vec<Tokens> = vec![Vec::new(); PARTS];
                for (token, positions) in doc_tokens(&docs[i], &block_starts[i], &folder) {
                    by_part[part_of(&token)].push((token, positions));
                }
                by_part
            })
            .collect();
        let mut by_part: Vec<Vec<(u32, Tokens)>> = (0..PARTS).map(|_| Vec::new()).collect();
        for (&doc, page) in chunk.iter().zip(pages) {
            for (part, tokens) in by_part.iter_mut().zip(page) {
                part.push((doc as u32, tokens));
            }
        }
        parts
            .par_iter_mut()
            .zip(by_part)
            .for_each(|(encoded, pages)| {
                for (doc, tokens) in pages {
                    for (token, positions) in tokens {
                        encoded.entry(token).or_default().push(doc, &positions);
                    }
                }
            });
    }
    parts
        .into_iter()
        .flatten()
        .map(|(token, postings)| (token.as_str().to_string(), postings.finish()))
        .collect()
}

/// A doc's tokens with their sorted, distinct positions.
pub(super) fn doc_tokens(doc: &Doc, starts: &[u32], fold: &Folder) -> Map<Vec<u32>> {
    let mut out: Map<Vec<u32>> = Map::default();
    let mut folded = Vec::new();
    for (block, &start) in doc.blocks.iter().zip(starts) {
        let limit = match block.field {
            Field::Title => PINYIN_POS,
            Field::Heading => BODY_BASE,
            Field::Body => u32::MAX,
        };
        fold.fold_into(&block.text, &mut folded);
        tokens::each_token(&folded, start, |token, pos| {
            if pos < limit {
                out.entry(Key::new(token)).or_default().push(pos);
            }
        });
    }
    for spelling in &doc.pinyin {
        out.entry(Key::new(spelling)).or_default().push(PINYIN_POS);
    }
    for positions in out.values_mut() {
        positions.sort_unstable();
        positions.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_text_short_or_long() {
        for t in [
            "",
            "罚息",
            "a",
            "12345678901234567890123",
            "123456789012345678901234",
        ] {
            assert_eq!(Key::new(t).as_str(), t);
        }
        assert!(matches!(Key::new("罚息"), Key::Inline { .. }));
        assert!(matches!(Key::new(&"x".repeat(24)), Key::Long(_)));
    }
}
