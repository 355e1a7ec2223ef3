//! Query evaluation, the same algorithm as `templates/static/search.js`,
//! step for step, so tests and the benchmark measure what readers get.
//!
//! 1. Fold the query, split it into parts on whitespace, tokenise each part.
//! 2. A page matches a part when, for some base position, every token of
//!    the part sits at base + its offset (a phrase); it matches the query
//!    when it matches every part (AND).
//! 3. Score: per part, the best field of a match (title 3, heading 2, body 1)
//!    × 100 plus the number of matches (at most 99); +1000 when the parts
//!    also stand together in order (a phrase beats scattered words). Ties go
//!    to the lower page id, so the order is stable.
//! 4. In two passes ([`evaluate`]): first over the head postings alone
//!    (titles, pinyin, lender names, headings), then over all postings for
//!    the pages the first pass did not find. Every page of the first pass
//!    ranks above every page of the second, each scored by what its pass
//!    read, so the client can show the first screen before the body
//!    shards arrive whenever the head finds enough pages.

use std::collections::{BTreeMap, HashMap};

use super::docs::Field;
use super::encode::{Posting, Split, decode_postings, join};
use super::field_of;
use super::fold::FoldTable;
use super::shards;
use super::tokens::{self, Part};

/// A page that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub doc: u32,
    pub score: u32,
    /// Where the best match starts: picks the section to link and the
    /// block to quote.
    pub at: u32,
}

/// Tokens → postings, as many as the query needs (loaded from shards).
pub type Loaded = HashMap<String, Vec<Posting>>;

/// The parts of a raw query, folded with `fold`.
pub fn parse(fold: &FoldTable, query: &str) -> Vec<Part> {
    tokens::query_parts(&fold.fold(query))
}

/// Every distinct token the parts need, sorted.
pub fn needed_tokens(parts: &[Part]) -> Vec<String> {
    let mut t: Vec<String> = parts.iter().flatten().map(|(t, _)| t.clone()).collect();
    t.sort();
    t.dedup();
    t
}

fn rank(field: Field) -> u32 {
    match field {
        Field::Title => 3,
        Field::Heading => 2,
        Field::Body => 1,
    }
}

/// Base positions where `part` matches in `doc`.
fn part_bases(part: &Part, doc: u32, loaded: &Loaded) -> Vec<u32> {
    let lists: Option<Vec<&[u32]>> = part
        .iter()
        .map(|(t, _)| {
            let postings = loaded.get(t)?;
            let i = postings.binary_search_by_key(&doc, |p| p.doc).ok()?;
            Some(postings[i].positions.as_slice())
        })
        .collect();
    let Some(lists) = lists else {
        return Vec::new();
    };
    let (_, first_offset) = part[0];
    lists[0]
        .iter()
        .filter(|&&p| p >= first_offset)
        .map(|&p| p - first_offset)
        .filter(|base| {
            part.iter()
                .zip(&lists)
                .all(|((_, off), list)| list.binary_search(&(base + off)).is_ok())
        })
        .collect()
}

/// Pages that hold every token of `part` (before the phrase check).
fn part_docs(part: &Part, loaded: &Loaded) -> Vec<u32> {
    let mut lists: Vec<&Vec<Posting>> = Vec::new();
    for (t, _) in part {
        match loaded.get(t) {
            Some(l) => lists.push(l),
            None => return Vec::new(),
        }
    }
    lists.sort_by_key(|l| l.len());
    lists[0]
        .iter()
        .map(|p| p.doc)
        .filter(|d| {
            lists[1..]
                .iter()
                .all(|l| l.binary_search_by_key(d, |p| p.doc).is_ok())
        })
        .collect()
}

/// Units a part spans, to place the next part right after it.
fn span(part: &Part) -> u32 {
    part.iter()
        .map(|(t, off)| {
            let han_pair = t.chars().count() == 2 && t.chars().all(tokens::is_han);
            off + if han_pair { 2 } else { 1 }
        })
        .max()
        .unwrap_or(0)
}

/// Ranked hits for `parts`: the pages that match in `head` (every token's
/// head postings), then the other pages that match in `full` (head and body
/// postings joined). Each must hold every token that has postings there (a
/// missing token means no page has it).
pub fn evaluate(parts: &[Part], head: &Loaded, full: &Loaded) -> Vec<Hit> {
    let mut hits = evaluate_in(parts, head);
    let mut first: Vec<u32> = hits.iter().map(|h| h.doc).collect();
    first.sort_unstable();
    hits.extend(
        evaluate_in(parts, full)
            .into_iter()
            .filter(|h| first.binary_search(&h.doc).is_err()),
    );
    hits
}

/// Ranked hits for `parts` in one set of postings.
pub fn evaluate_in(parts: &[Part], loaded: &Loaded) -> Vec<Hit> {
    if parts.is_empty() {
        return Vec::new();
    }
    let mut docs = part_docs(&parts[0], loaded);
    for part in &parts[1..] {
        let other = part_docs(part, loaded);
        docs.retain(|d| other.binary_search(d).is_ok());
    }
    let joined: Part = {
        let mut shift = 0;
        let mut all = Vec::new();
        for p in parts {
            all.extend(p.iter().map(|(t, o)| (t.clone(), o + shift)));
            shift += span(p);
        }
        all
    };
    let mut hits = Vec::new();
    'docs: for doc in docs {
        let mut score = 0;
        let mut best: Option<(u32, u32)> = None;
        for part in parts {
            let bases = part_bases(part, doc, loaded);
            let Some(&first) = bases.first() else {
                continue 'docs;
            };
            let r = rank(field_of(first));
            score += r * 100 + (bases.len() as u32).min(99);
            if best.is_none_or(|(br, _)| r > br) {
                best = Some((r, first));
            }
        }
        if parts.len() > 1 && !part_bases(&joined, doc, loaded).is_empty() {
            score += 1000;
        }
        hits.push(Hit {
            doc,
            score,
            at: best.map_or(0, |(_, at)| at),
        });
    }
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
    hits
}

/// A published index read back from its files, as the client sees it:
/// for tests and the benchmark. Postings stay encoded; a query decodes only
/// the tokens it needs, as the client does.
#[derive(Debug, Default)]
pub struct PublishedIndex {
    pub fold: FoldTable,
    pub docs: u32,
    /// Shards in the head and the body.
    pub counts: [u32; 2],
    pub postings: BTreeMap<String, Split>,
}

/// The files a query downloads (paths under the output folder): the
/// head's first, the body's after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloads {
    pub head: Vec<String>,
    pub body: Vec<String>,
}

impl PublishedIndex {
    /// Reads `search/manifest.json` and every shard from a site's files.
    pub fn from_files<B: std::borrow::Borrow<Vec<u8>> + Sync>(
        files: &BTreeMap<String, B>,
    ) -> Result<Self, String> {
        Self::read(|path| files.get(path).map(|b| b.borrow().clone()))
    }

    /// Reads the index through `read` (path under the output folder → bytes).
    pub fn read(read: impl Fn(&str) -> Option<Vec<u8>> + Sync) -> Result<Self, String> {
        let manifest: serde_json::Value = read("search/manifest.json")
            .ok_or("no search/manifest.json")
            .and_then(|b| serde_json::from_slice(&b).map_err(|_| "bad manifest"))?;
        let number = |k: &str| {
            manifest[k]
                .as_u64()
                .map(|n| n as u32)
                .ok_or(format!("manifest: no {k}"))
        };
        let [head, body] = shards::COUNT_KEYS;
        let counts = [number(head)?, number(body)?];
        Ok(Self {
            fold: FoldTable::from_pairs_string(manifest["fold"].as_str().unwrap_or("")),
            docs: number("docs")?,
            counts,
            postings: shards::read(counts, read)?,
        })
    }

    /// The head postings and the joined postings of the tokens `parts`
    /// need, decoded as the client decodes them.
    pub fn load(&self, parts: &[Part]) -> (Loaded, Loaded) {
        let (mut head, mut full) = (Loaded::new(), Loaded::new());
        for t in needed_tokens(parts) {
            let Some(split) = self.postings.get(&t) else {
                continue;
            };
            let h = decode_postings(&split.head);
            let b = decode_postings(&split.body);
            if let (Some(h), Some(b)) = (h.clone(), b)
                && let Some(joined) = join(h, b)
            {
                full.insert(t.clone(), joined);
            }
            if let Some(h) = h.filter(|h| !h.is_empty()) {
                head.insert(t, h);
            }
        }
        (head, full)
    }

    /// Ranked hits for a raw query, as the client computes them.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let parts = parse(&self.fold, query);
        let (head, full) = self.load(&parts);
        evaluate(&parts, &head, &full)
    }

    /// Hits of the first pass alone: what the client can show before it
    /// reads the body shards.
    pub fn search_head(&self, query: &str) -> Vec<Hit> {
        let parts = parse(&self.fold, query);
        evaluate_in(&parts, &self.load(&parts).0)
    }

    /// The files a query downloads.
    pub fn shards_for(&self, query: &str) -> Downloads {
        let tokens = needed_tokens(&parse(&self.fold, query));
        let mut d = Downloads {
            head: Vec::new(),
            body: Vec::new(),
        };
        for t in &tokens {
            let head = tokens::shard_of(t, self.counts[0]);
            d.head.push(format!("search/head/{head}.json"));
            match self.postings.get(t) {
                Some(split) if shards::has_own_file(split) => d.body.push(shards::own_file(t)),
                _ => {
                    let body = tokens::shard_of(t, self.counts[1]);
                    d.body.push(format!("search/body/{body}.json"));
                }
            }
        }
        for files in [&mut d.head, &mut d.body] {
            files.sort();
            files.dedup();
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{BODY_BASE, HEADING_BASE, encode};

    /// `loaded` as published and read back: (head postings, joined).
    fn halves(loaded: &[(&str, Vec<Posting>)]) -> (Loaded, Loaded) {
        let (mut head, mut full) = (Loaded::new(), Loaded::new());
        for (token, list) in loaded {
            let split = encode::Split::encode(list);
            let h = encode::decode_postings(&split.head).unwrap();
            if !h.is_empty() {
                head.insert(token.to_string(), h);
            }
            full.insert(token.to_string(), split.decode().unwrap());
        }
        (head, full)
    }

    #[test]
    fn pages_with_every_word_in_a_title_or_heading_come_first() {
        // 协商 分期: page 1 has 协商 in its title and 分期 five times in its
        // body; page 2 has both in headings; page 3 has both in body only.
        let (h, b) = (HEADING_BASE, BODY_BASE);
        let (head, full) = halves(&[
            (
                "协商",
                vec![
                    Posting::new(1, &[0]),
                    Posting::new(2, &[h]),
                    Posting::new(3, &[b]),
                ],
            ),
            (
                "分期",
                vec![
                    Posting::new(1, &[b, b + 10, b + 20, b + 30, b + 40]),
                    Posting::new(2, &[h + 10]),
                    Posting::new(3, &[b + 50]),
                ],
            ),
        ]);
        let parts = vec![vec![("协商".to_string(), 0)], vec![("分期".to_string(), 0)]];
        let hits = evaluate(&parts, &head, &full);
        let docs: Vec<u32> = hits.iter().map(|h| h.doc).collect();
        // One pass over everything ranks page 1 first (300 + 1 + 100 + 5
        // against 200 + 1 + 200 + 1).
        assert_eq!(evaluate_in(&parts, &full)[0].doc, 1);
        assert_eq!(docs, [2, 1, 3]);
        assert_eq!(
            evaluate_in(&parts, &head),
            hits[..1],
            "the first pass needs the head alone"
        );
    }
}
