//! Incremental postings: a rebuild after a few pages changed starts from
//! the previous build's postings and replaces only those pages' entries,
//! instead of tokenising every page again (at 10,000 guides the postings
//! are most of the index's time).
//!
//! Exact by construction. A page's entries depend only on its search text
//! (its Simplified page file, its blocks' fields, its pinyin), the program
//! and the fold table:
//! - the previous shards are read only when the previous build recorded
//!   them with the same program and fold table ([`base`]);
//! - a page whose text fingerprint ([`page_fingerprint`]) changed, or whose
//!   id is new, is tokenised again; pages past the new last id are dropped;
//! - every other page's entries are kept as they were, byte for byte.
//!
//! `tests/it/incremental.rs` compares every byte with a cold build.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::docs::{Doc, Field};
use super::encode::{Posting, Split, Vlq};
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
/// Simplified page file `hans` (text, positions, sections), its blocks'
/// fields and its pinyin spellings.
pub fn page_fingerprint(program: Fingerprint, doc: &Doc, hans: &str) -> Fingerprint {
    let mut h = Hasher::new();
    h.bytes(&program.to_le_bytes()).bytes(hans.as_bytes());
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
    for &id in changed {
        for (token, positions) in postings::doc_tokens(&docs[id], &block_starts[id], fold) {
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
            let mut list = old.decode()?;
            list.retain(|p| !dropped(p.doc));
            let list = merge(list, new.map_or(&[][..], Vec::as_slice));
            Some((!list.is_empty()).then(|| (token, Split::encode(&list))))
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

/// Two page-ordered lists with no page in both, as one.
fn merge(old: Vec<Posting>, new: &[Posting]) -> Vec<Posting> {
    let mut out = Vec::with_capacity(old.len() + new.len());
    let mut new = new.iter().peekable();
    for p in old {
        while let Some(n) = new.next_if(|n| n.doc < p.doc) {
            out.push(n.clone());
        }
        out.push(p);
    }
    out.extend(new.cloned());
    out
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

    #[test]
    fn merge_keeps_page_order() {
        let old = vec![
            Posting::new(1, &[1]),
            Posting::new(4, &[4]),
            Posting::new(9, &[9]),
        ];
        let new = [
            Posting::new(0, &[0]),
            Posting::new(5, &[5]),
            Posting::new(12, &[12]),
        ];
        let docs: Vec<u32> = merge(old, &new).iter().map(|p| p.doc).collect();
        assert_eq!(docs, [0, 1, 4, 5, 9, 12]);
    }
}
