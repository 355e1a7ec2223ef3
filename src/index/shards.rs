//! The postings' files: each token's [`Split`] published as head shards
//! (`search/head/<n>.json`) and body shards (`search/body/<n>.json`), each
//! `{token: postings}` for the tokens hashed to it ([`shard_of`]), and read
//! back for a patched rebuild and for the Rust mirror of the client.
//!
//! A query reads the head shards first: the pages that hold every word
//! there rank first and fill the first screen, so the body's far larger
//! postings are read after it (at 10,000 guides the head holds 8% of the
//! postings bytes).

use std::borrow::Borrow;
use std::collections::BTreeMap;

use rayon::prelude::*;

use super::encode::Split;
use super::tokens::shard_of;

/// Shards of each half are cut to about this many bytes of postings, so a query's few
/// tokens download a few small files, and a site of a handful of pages one
/// file. The bytes a query pays beyond its own tokens' postings are the
/// other tokens that hash into the same shards; at 10,000 guides about
/// 4,000 tokens hold 97% of the postings, so the shard count must exceed
/// the number of heavy tokens for most shards to hold at most one of them.
/// Measured at 10k (ARCHITECTURE.md, index row): 4,096 shards of 32 KB let
/// `协商减免罚息` download 157 KB gzipped of shards for 110 KB of its own
/// postings; 8,022 shards of 16 KB, 113 KB.
pub const TARGET_SHARD_BYTES: usize = 16 * 1024;
pub const MAX_SHARDS: usize = 16_384;

/// The two halves' shard folders under `search/`.
pub const HALVES: [&str; 2] = ["head", "body"];

/// Cuts encoded postings into the head and the body shards:
/// `search/<half>/<n>.json` → `{token: postings}` for the tokens with
/// postings in that half, handing each file to `put` as it is made.
/// Returns the number of shards of each half.
pub fn write(encoded: &BTreeMap<String, Split>, mut put: impl FnMut(String, String)) -> [u32; 2] {
    let mut counts = [0; 2];
    for (i, name) in HALVES.iter().enumerate() {
        let total: usize = encoded
            .iter()
            .filter(|(_, s)| !s.half(i).is_empty())
            .map(|(t, s)| t.len() + s.half(i).len() + 6)
            .sum();
        let count = total.div_ceil(TARGET_SHARD_BYTES).clamp(1, MAX_SHARDS) as u32;
        let mut groups: BTreeMap<u32, BTreeMap<&str, &str>> = BTreeMap::new();
        for (token, split) in encoded {
            let postings = split.half(i);
            if !postings.is_empty() {
                groups
                    .entry(shard_of(token, count))
                    .or_default()
                    .insert(token, postings);
            }
        }
        for n in 0..count {
            let group = groups.remove(&n).unwrap_or_default();
            let json = serde_json::to_string(&group).unwrap_or_else(|_| "{}".into());
            put(format!("search/{name}/{n}.json"), json);
        }
        counts[i] = count;
    }
    counts
}

/// The manifest's shard count of each half.
pub const COUNT_KEYS: [&str; 2] = ["headShards", "bodyShards"];

/// Every token's postings from the shards of a build with `counts` shards
/// in each half, read through `read` (path under the output folder →
/// bytes) across cores; an error names a shard that is missing, does not
/// parse, or holds a token its hash does not send there.
pub fn read<B: Borrow<Vec<u8>>>(
    counts: [u32; 2],
    read: impl Fn(&str) -> Option<B> + Sync,
) -> Result<BTreeMap<String, Split>, String> {
    let mut halves = Vec::new();
    for (name, count) in HALVES.iter().zip(counts) {
        let maps: Result<Vec<BTreeMap<String, String>>, String> = (0..count)
            .into_par_iter()
            .map(|n| {
                let path = format!("search/{name}/{n}.json");
                let map: BTreeMap<String, String> = read(&path)
                    .and_then(|b| serde_json::from_slice(b.borrow()).ok())
                    .ok_or(format!("cannot read {path}"))?;
                match map.keys().find(|t| shard_of(t, count) != n) {
                    Some(t) => Err(format!("{t} is in the wrong shard {path}")),
                    None => Ok(map),
                }
            })
            .collect();
        // One bulk build: appending map after map would copy the whole
        // growing map each time.
        halves.push(maps?.into_iter().flatten().collect::<BTreeMap<_, _>>());
    }
    let body = halves.pop().unwrap_or_default();
    let mut out: BTreeMap<String, Split> = halves
        .pop()
        .unwrap_or_default()
        .into_iter()
        .map(|(token, head)| {
            let split = Split {
                head,
                body: String::new(),
            };
            (token, split)
        })
        .collect();
    for (token, body) in body {
        out.entry(token).or_default().body = body;
    }
    Ok(out)
}
