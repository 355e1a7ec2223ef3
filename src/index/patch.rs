//! Incremental postings: a rebuild after a few pages changed starts from
//! the previous build's postings and replaces only those pages' entries,
//! instead of tokenising every page again (at 10,000 guides the postings
//! are most of the index's time).
//!
//! Exact by construction. A page's entries depend only on its search text
//! (its Simplified page file, its blocks' fields, its pinyin), the program
//! and the fold table:
//! - the previous shards are read only when the previous build recorded
//!   them with the same program ([`base`]) and a fold table that folds
//!   every character of every unchanged page as this build's does (an
//!   edit that brings a new character changes the table for that
//!   character only: `pages::Published::previous_fold_alike`);
//! - a page whose text fingerprint ([`page_fingerprint`]) changed, or whose
//!   id is new, is tokenised again; pages past the new last id are dropped;
//! - every other page's entries are kept as they were, byte for byte.
//!
//! `tests/it/incremental.rs` compares every byte with a cold build.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::BODY_BASE;
use super::docs::{Doc, Field};
use super::encode::{Posting, Split, Vlq, push_posting, push_vlq};
use super::fold::FoldTable;
use super::postings::{self, Key, Map};
use super::shards;
use crate::sink::{Fingerprint, Hasher, Sink};

/// Patch only when at most this share of the pages changed; past it,
/// tokenising every page costs less than reading the previous shards.
const MAX_CHANGED_SHARE: usize = 4;

/// What the postings of a build were made with: the program and the fold
/// table. The shards and the manifest are recorded with it.
pub fn base(program: Fingerprint, fold: &FoldTable) -> Fingerprint {
    let mut h = Hasher::new();
    h.bytes(&program.to_le_bytes())
        .bytes(fold.to_pairs_string().as_bytes());
    h.finish()
}

/// Everything a page's postings are made from but the fold table: its
/// Simplified page file (`key`, the hash of everything the file is made
/// from), its blocks' fields and its pinyin spellings.
pub fn page_fingerprint(program: Fingerprint, doc: &Doc, key: Fingerprint) -> Fingerprint {
    let mut h = Hasher::new();
    h.bytes(&program.to_le_bytes()).bytes(&key.to_le_bytes());
    let fields: Vec<u8> = doc
        .blocks
        .iter()
        .map(|b| match b.field {
            Field::Title => 0,
            Field::Heading => 1,
            Field::Body => 2,
        })
        .collect();
    h.bytes(&fields);
    for spelling in &doc.pinyin {
        h.bytes(spelling.as_bytes());
    }
    h.finish()
}

/// The postings of `docs` (token → encoded), patched from the previous
/// build's when it was made from `base` and few enough pages changed;
/// `None` when a cold build of the postings is needed.
pub fn postings(
    sink: &dyn Sink,
    base: Fingerprint,
    docs: &[Doc],
    block_starts: &[Vec<u32>],
    fold: &FoldTable,
    changed: &[usize],
) -> Option<BTreeMap<String, Split>> {
    if changed.len() * MAX_CHANGED_SHARE > docs.len() {
        return None;
    }
    let previous = previous(sink, base)?;
    let mut fresh: Map<Vec<Posting>> = Map::default();
    let folder = fold.folder();
    for &id in changed {
        for (token, positions) in postings::doc_tokens(&docs[id], &block_starts[id], &folder) {
            fresh.entry(token).or_default().push(Posting {
                doc: id as u32,
                positions,
            });
        }
    }
    for list in fresh.values_mut() {
        list.sort_by_key(|p| p.doc);
    }
    let mut dropped = vec![false; docs.len()];
    for &id in changed {
        dropped[id] = true;
    }
    let dropped = |doc: u32| dropped.get(doc as usize).is_none_or(|d| *d);
    let kept: Option<Vec<Option<(String, Split)>>> = previous
        .into_par_iter()
        .map(|(token, old)| {
            let new = fresh.get(&Key::new(&token));
            if new.is_none() && !touches(&old.head, dropped)? && !touches(&old.body, dropped)? {
                return Some(Some((token, old)));
            }
            let new = new.map_or(&[][..], Vec::as_slice);
            let split = Split {
                head: splice(&old.head, dropped, &half(new, false))?,
                body: splice(&old.body, dropped, &half(new, true))?,
            };
            Some((!split.head.is_empty() || !split.body.is_empty()).then_some((token, split)))
        })
        .collect();
    let mut out: BTreeMap<String, Split> = kept?.into_iter().flatten().collect();
    for (token, list) in fresh {
        out.entry(token.as_str().to_string())
            .or_insert_with(|| Split::encode(&list));
    }
    Some(out)
}

/// The previous build's postings, when they were made from `base`.
fn previous(sink: &dyn Sink, base: Fingerprint) -> Option<BTreeMap<String, Split>> {
    let manifest = sink.previous("search/manifest.json", base)?;
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).ok()?;
    let count = |key: &str| u32::try_from(manifest[key].as_u64()?).ok();
    let [head, body] = shards::COUNT_KEYS;
    shards::read([count(head)?, count(body)?], |path| {
        sink.previous(path, base)
    })
    .ok()
}

/// Whether encoded postings hold an entry for a page `dropped` names;
/// `None` when they do not decode.
fn touches(encoded: &str, dropped: impl Fn(u32) -> bool) -> Option<bool> {
    let mut numbers = Vlq::new(encoded);
    let mut doc = 0u32;
    while let Some(delta) = numbers.next() {
        doc = doc.checked_add(delta?)?;
        if dropped(doc) {
            return Some(true);
        }
        let count = numbers.next()??;
        for _ in 0..count {
            numbers.next()??;
        }
    }
    Some(false)
}

/// The entries of `postings` with their positions before [`BODY_BASE`]
/// (the head) or from it on (the body), as (page, positions); pages with
/// none there left out.
fn half(postings: &[Posting], body: bool) -> Vec<(u32, &[u32])> {
    postings
        .iter()
        .filter_map(|p| {
            let (head, rest) = p
                .positions
                .split_at(p.positions.partition_point(|&x| x < BODY_BASE));
            let part = if body { rest } else { head };
            (!part.is_empty()).then_some((p.doc, part))
        })
        .collect()
}

/// One half of a token's encoded postings without the entries of pages
/// `dropped` names and with `new` merged in (page-ordered, every page in
/// it dropped): what encoding the merged list would give, made by copying
/// each kept entry's characters as they are; only the page delta of an
/// entry after a change is written again. At 10,000 guides an edited page
/// touches the postings of most common words, thousands of entries long;
/// decoding and encoding them whole was a quarter of the patch. `None`
/// when `old` does not decode.
fn splice(old: &str, dropped: impl Fn(u32) -> bool, new: &[(u32, &[u32])]) -> Option<String> {
    let mut out = String::with_capacity(old.len() + 16 * new.len());
    let mut numbers = Vlq::new(old);
    let mut new = new.iter().peekable();
    let (mut old_doc, mut written) = (0u32, 0u32);
    loop {
        let start = old.len() - numbers.rest();
        let Some(delta) = numbers.next() else { break };
        let doc = old_doc.checked_add(delta?)?;
        let after_delta = old.len() - numbers.rest();
        for _ in 0..numbers.next()?? {
            numbers.next()??;
        }
        let end = old.len() - numbers.rest();
        while let Some((d, positions)) = new.next_if(|(d, _)| *d < doc) {
            push_posting(&mut out, written, *d, positions);
            written = *d;
        }
        if !dropped(doc) {
            if written == old_doc {
                out.push_str(&old[start..end]);
            } else {
                push_vlq(&mut out, doc - written);
                out.push_str(&old[after_delta..end]);
            }
            written = doc;
        }
        old_doc = doc;
    }
    for (d, positions) in new {
        push_posting(&mut out, written, *d, positions);
        written = *d;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::encode::encode_postings;

    #[test]
    fn touches_finds_a_page_among_the_entries() {
        let encoded = encode_postings(&[
            Posting::new(2, &[1, 40]),
            Posting::new(7, &[100_000]),
            Posting::new(30, &[5]),
        ]);
        for doc in [2, 7, 30] {
            assert_eq!(touches(&encoded, |d| d == doc), Some(true), "{doc}");
        }
        for doc in [0, 1, 5, 40, 100_000] {
            assert_eq!(touches(&encoded, |d| d == doc), Some(false), "{doc}");
        }
        assert_eq!(touches("A!", |_| false), None);
    }

    /// Splicing gives what decoding, merging and encoding again gives,
    /// on lists that keep, drop and add pages at the start, middle and end,
    /// in both halves.
    #[test]
    fn splice_equals_encoding_the_merged_list() {
        use crate::index::encode::decode_postings;
        let mut seed = 0x5eed_u64;
        let mut next = move |n: u32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % u64::from(n)) as u32
        };
        for round in 0..300 {
            let pages = 1 + next(40);
            let mut old = Vec::new();
            let mut new = Vec::new();
            let dropped: Vec<bool> = (0..pages).map(|_| next(3) == 0).collect();
            for doc in 0..pages {
                let mut positions: Vec<u32> = (0..1 + next(4))
                    .map(|_| {
                        if next(2) == 0 {
                            next(BODY_BASE)
                        } else {
                            BODY_BASE + next(5000)
                        }
                    })
                    .collect();
                positions.sort_unstable();
                positions.dedup();
                if next(2) == 0 {
                    old.push(Posting::new(doc, &positions));
                }
                if dropped[doc as usize] && next(2) == 0 {
                    new.push(Posting::new(doc, &positions));
                }
            }
            let is_dropped = |d: u32| dropped[d as usize];
            let mut want: Vec<Posting> =
                old.iter().filter(|p| !is_dropped(p.doc)).cloned().collect();
            want.extend(new.iter().cloned());
            want.sort_by_key(|p| p.doc);
            let want = Split::encode(&want);
            let old = Split::encode(&old);
            let got = Split {
                head: splice(&old.head, is_dropped, &half(&new, false)).unwrap(),
                body: splice(&old.body, is_dropped, &half(&new, true)).unwrap(),
            };
            assert_eq!(got, want, "round {round}");
            assert!(decode_postings(&got.head).is_some());
        }
        assert_eq!(splice("A!", |_| false, &[]), None);
    }
}
