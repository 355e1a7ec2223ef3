//! The postings' files: each token's [`Split`] published as head shards
//! (`search/head/<n>.json`), body shards (`search/body/<n>.json`) and, for
//! the heaviest tokens, body files of their own (see [`write`]); and read
//! back for a patched rebuild and for the Rust mirror of the client.
//!
//! A query reads the head shards first: the pages that hold every word
//! there rank first and fill the first screen, so the body's far larger
//! postings are read after it (at 10,000 guides the head holds 8% of the
//! postings bytes).

use std::borrow::Borrow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::encode::Split;
use super::tokens::shard_of;

/// Shards are cut to about this many bytes of postings, so a query's few
/// tokens download a few small files, and a site of a handful of pages one
/// file of each half. The bytes a query pays beyond its own tokens'
/// postings are the other tokens that hash into the same shards.
pub const TARGET_SHARD_BYTES: usize = 16 * 1024;
pub const MAX_SHARDS: usize = 16_384;

/// A token whose body postings reach this many bytes has a file of its own
/// (`search/body/own/<hex>.json`), named in the head shard its hash sends it
/// to. At 10,000 guides 3,559 tokens of 11,702 hold 98% of the body
/// postings; in shards by hash, a query for a rare word paid for whichever
/// of them shared its shard (`18%`: 48 KB gzipped for postings of a few KB).
/// The other tokens' body postings are cut into shards of about
/// [`TARGET_SHARD_BYTES`] (4 KB shards gave rare words a few KB less, but
/// 1,275 files at 1k instead of 319 cost `serve` 20 ms a rebuild).
pub const OWN_FILE_BYTES: usize = 4 * 1024;

/// A head shard: the head postings of the tokens hashed to it, and which of
/// them have their body postings in a file of their own.
#[derive(Debug, Default, Serialize, Deserialize)]
struct HeadShard<S: Ord> {
    own: Vec<S>,
    postings: BTreeMap<S, S>,
}

/// Whether `split`'s body postings are published in a file of their own.
pub fn has_own_file(split: &Split) -> bool {
    split.body.len() >= OWN_FILE_BYTES
}

/// The file of `token`'s own body postings: its UTF-8 bytes in hex, so the
/// name is ASCII and no two tokens share one.
pub fn own_file(token: &str) -> String {
    let hex: String = token.bytes().map(|b| format!("{b:02x}")).collect();
    format!("search/body/own/{hex}.json")
}

/// The bytes serde_json writes for a [`HeadShard`], written directly.
fn head_json(shard: &HeadShard<&str>) -> String {
    let mut out = String::with_capacity(map_len(&shard.postings) + 32);
    out.push_str(r#"{"own":["#);
    for (i, token) in shard.own.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, token);
    }
    out.push_str(r#"],"postings":"#);
    push_json_map(&mut out, &shard.postings);
    out.push('}');
    out
}

/// The bytes serde_json writes for a map of strings, written directly.
fn map_json(map: &BTreeMap<&str, &str>) -> String {
    let mut out = String::with_capacity(map_len(map));
    push_json_map(&mut out, map);
    out
}

/// About how long `map` is as JSON, to size its buffer once.
fn map_len(map: &BTreeMap<&str, &str>) -> usize {
    2 + map
        .iter()
        .map(|(t, p)| t.len() + p.len() + 6)
        .sum::<usize>()
}

fn push_json_map(out: &mut String, map: &BTreeMap<&str, &str>) {
    out.push('{');
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(out, key);
        out.push(':');
        push_json_str(out, value);
    }
    out.push('}');
}

/// `s` as a JSON string, as serde_json writes it. Postings (base64 digits)
/// and nearly every token have nothing to escape and are copied as they
/// are: serde_json's byte-by-byte escaping of the 100 MB of shards a
/// one-guide rebuild writes at 10,000 guides was 5% of its samples.
fn push_json_str(out: &mut String, s: &str) {
    // No early exit: the compiler checks many bytes at a time.
    let escape = s
        .bytes()
        .fold(false, |e, b| e | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if escape {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// Shards for postings of `bytes` in all, at about `target` bytes each.
fn count(bytes: usize, target: usize) -> u32 {
    bytes.div_ceil(target).clamp(1, MAX_SHARDS) as u32
}

/// Publishes the postings, handing each file to `put` as it is made:
/// - `search/head/<n>.json`: a [`HeadShard`] for the tokens hashed to `n`;
/// - `search/body/own/<hex>.json`: a heavy token's body postings (a JSON
///   string);
/// - `search/body/<n>.json`: `{token: postings}`, the other tokens' body
///   postings.
///
/// Files are made and handed over across cores, each on the thread that
/// made it (so it is freed where it was made): a rebuild that patches the
/// postings of one guide at 10,000 guides rewrites 70 MB of them, which
/// took half a second on one thread.
///
/// Returns the number of head and of body shards.
pub fn write(encoded: &BTreeMap<String, Split>, put: impl Fn(String, String) + Sync) -> [u32; 2] {
    let head_bytes = encoded
        .iter()
        .filter(|(_, s)| !s.head.is_empty())
        .map(|(t, s)| t.len() + s.head.len() + 6)
        .sum();
    let head_count = count(head_bytes, TARGET_SHARD_BYTES);
    let mut heads: BTreeMap<u32, HeadShard<&str>> = BTreeMap::new();
    for (token, split) in encoded {
        let own = has_own_file(split);
        if split.head.is_empty() && !own {
            continue;
        }
        let shard = heads.entry(shard_of(token, head_count)).or_default();
        if !split.head.is_empty() {
            shard.postings.insert(token, &split.head);
        }
        if own {
            shard.own.push(token);
        }
    }
    let empty = HeadShard::default();
    (0..head_count).into_par_iter().for_each(|n| {
        let shard = heads.get(&n).unwrap_or(&empty);
        put(format!("search/head/{n}.json"), head_json(shard));
    });

    let light = || {
        encoded
            .iter()
            .filter(|(_, s)| !s.body.is_empty() && !has_own_file(s))
    };
    let body_count = count(
        light().map(|(t, s)| t.len() + s.body.len() + 6).sum(),
        TARGET_SHARD_BYTES,
    );
    let mut bodies: BTreeMap<u32, BTreeMap<&str, &str>> = BTreeMap::new();
    for (token, split) in light() {
        bodies
            .entry(shard_of(token, body_count))
            .or_default()
            .insert(token, &split.body);
    }
    let empty = BTreeMap::new();
    (0..body_count).into_par_iter().for_each(|n| {
        let shard = bodies.get(&n).unwrap_or(&empty);
        put(format!("search/body/{n}.json"), map_json(shard));
    });
    let own: Vec<(&String, &Split)> = encoded.iter().filter(|(_, s)| has_own_file(s)).collect();
    own.into_par_iter().for_each(|(token, split)| {
        let mut json = String::with_capacity(split.body.len() + 2);
        push_json_str(&mut json, &split.body);
        put(own_file(token), json);
    });
    [head_count, body_count]
}

/// The manifest's shard count of each half.
pub const COUNT_KEYS: [&str; 2] = ["headShards", "bodyShards"];

/// Every token's postings from the files of a build with `counts` shards in
/// each half, read through `read` (path under the output folder → bytes)
/// across cores; an error names a file that is missing or does not parse,
/// or a token in a shard its hash does not send it to.
pub fn read<B: Borrow<Vec<u8>>>(
    counts: [u32; 2],
    read: impl Fn(&str) -> Option<B> + Sync,
) -> Result<BTreeMap<String, Split>, String> {
    let heads: Vec<HeadShard<String>> = (0..counts[0])
        .into_par_iter()
        .map(|n| {
            let path = format!("search/head/{n}.json");
            let shard: HeadShard<String> = load(&read, &path)?;
            misplaced(&path, counts[0], n, shard.postings.keys().chain(&shard.own))?;
            Ok(shard)
        })
        .collect::<Result<_, String>>()?;
    let bodies: Vec<BTreeMap<String, String>> = (0..counts[1])
        .into_par_iter()
        .map(|n| {
            let path = format!("search/body/{n}.json");
            let shard: BTreeMap<String, String> = load(&read, &path)?;
            misplaced(&path, counts[1], n, shard.keys())?;
            Ok(shard)
        })
        .collect::<Result<_, String>>()?;
    let own: Vec<String> = heads.iter().flat_map(|h| h.own.iter().cloned()).collect();
    let owned: Vec<String> = own
        .par_iter()
        .map(|t| load(&read, &own_file(t)))
        .collect::<Result<_, String>>()?;
    // One bulk build each: appending map after map would copy the whole
    // growing map each time.
    let mut out: BTreeMap<String, Split> = heads
        .into_iter()
        .flat_map(|h| h.postings)
        .map(|(token, head)| {
            let split = Split {
                head,
                body: String::new(),
            };
            (token, split)
        })
        .collect();
    let body = bodies
        .into_iter()
        .flatten()
        .chain(own.into_iter().zip(owned));
    for (token, body) in body {
        out.entry(token).or_default().body = body;
    }
    Ok(out)
}

/// File `path`, parsed.
fn load<T: DeserializeOwned, B: Borrow<Vec<u8>>>(
    read: &impl Fn(&str) -> Option<B>,
    path: &str,
) -> Result<T, String> {
    let bytes = read(path).ok_or(format!("cannot read {path}"))?;
    serde_json::from_slice(bytes.borrow()).map_err(|e| format!("{path}: {e}"))
}

/// An error naming the first of `tokens` that shard `n` of `count` should
/// not hold.
fn misplaced<'t>(
    path: &str,
    count: u32,
    n: u32,
    mut tokens: impl Iterator<Item = &'t String>,
) -> Result<(), String> {
    match tokens.find(|t| shard_of(t, count) != n) {
        Some(t) => Err(format!("{t} is in the wrong shard {path}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::BODY_BASE;
    use crate::index::encode::Posting;

    proptest::proptest! {
        /// Written directly, every shard is what serde_json writes.
        #[test]
        fn shards_are_the_json_serde_json_writes(
            entries in proptest::collection::btree_map(
                "[a-z\\\\\"\\u{0}-\\u{1f}罚息é]{0,6}", "[A-Za-z0-9+/\\\\\"\\n]{0,12}", 0..8),
            own in proptest::collection::vec("[a-z\\\\\"\\t罚]{0,4}", 0..3),
        ) {
            let map: BTreeMap<&str, &str> =
                entries.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            proptest::prop_assert_eq!(map_json(&map), serde_json::to_string(&map).unwrap());
            let shard = HeadShard {
                own: own.iter().map(String::as_str).collect(),
                postings: map,
            };
            proptest::prop_assert_eq!(head_json(&shard), serde_json::to_string(&shard).unwrap());
        }
    }

    #[test]
    fn heavy_tokens_get_own_files_and_everything_reads_back() {
        let pages = |n: u32, at: u32| -> Vec<Posting> {
            (0..n)
                .map(|doc| Posting {
                    doc,
                    positions: vec![at + doc % 7],
                })
                .collect()
        };
        let encoded: BTreeMap<String, Split> = [
            ("罚息", Split::encode(&pages(3000, BODY_BASE))),
            (
                "息",
                Split::encode(&[pages(3, 0), pages(1, BODY_BASE)].concat()),
            ),
            ("网商", Split::encode(&pages(2, 4))),
        ]
        .into_iter()
        .map(|(t, s)| (t.to_string(), s))
        .collect();
        assert!(has_own_file(&encoded["罚息"]) && !has_own_file(&encoded["息"]));
        let files = std::sync::Mutex::new(BTreeMap::new());
        let counts = write(&encoded, |path, json| {
            files.lock().unwrap().insert(path, json.into_bytes());
        });
        let files = files.into_inner().unwrap();
        let own = own_file("罚息");
        assert_eq!(own, "search/body/own/e7bd9ae681af.json");
        assert!(files.contains_key(&own));
        let head = String::from_utf8(files["search/head/0.json"].clone()).unwrap();
        assert!(
            head.starts_with(r#"{"own":["罚息"],"postings":{"#),
            "{head}"
        );
        let light = String::from_utf8(files["search/body/0.json"].clone()).unwrap();
        assert!(!light.contains("罚息"), "{light}");
        assert_eq!(read(counts, |p| files.get(p).cloned()).unwrap(), encoded);

        // A missing own file or shard is an error, not an empty list.
        let mut broken = files.clone();
        broken.remove(&own);
        assert!(read(counts, |p| broken.get(p).cloned()).is_err());
        let err = read([counts[0], counts[1] + 1], |p| files.get(p).cloned());
        assert!(err.is_err());
    }
}
