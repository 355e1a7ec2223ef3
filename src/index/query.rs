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

use std::collections::HashMap;

use super::docs::Field;
use super::encode::Posting;
use super::field_of;
use super::fold::FoldTable;
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

/// Ranked hits for `parts`; `loaded` must hold every token that has
/// postings (a missing token means no page has it).
pub fn evaluate(parts: &[Part], loaded: &Loaded) -> Vec<Hit> {
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
/// for tests and the benchmark. Shards stay encoded; a query decodes only
/// the tokens it needs, as the client does.
#[derive(Debug, Default)]
pub struct PublishedIndex {
    pub fold: FoldTable,
    pub shards: u32,
    pub docs: u32,
    /// Per shard: token → encoded postings.
    pub encoded: Vec<HashMap<String, String>>,
}

impl PublishedIndex {
    /// Reads `search/manifest.json` and every shard from a site's files.
    pub fn from_files<B: std::borrow::Borrow<Vec<u8>>>(
        files: &std::collections::BTreeMap<String, B>,
    ) -> Result<Self, String> {
        Self::read(|path| files.get(path).map(|b| b.borrow().clone()))
    }

    /// Reads the index through `read` (path under the output folder → bytes).
    pub fn read(read: impl Fn(&str) -> Option<Vec<u8>>) -> Result<Self, String> {
        let manifest: serde_json::Value = read("search/manifest.json")
            .ok_or("no search/manifest.json")
            .and_then(|b| serde_json::from_slice(&b).map_err(|_| "bad manifest"))?;
        let number = |k: &str| {
            manifest[k]
                .as_u64()
                .map(|n| n as u32)
                .ok_or(format!("manifest: no {k}"))
        };
        let mut index = Self {
            fold: FoldTable::from_pairs_string(manifest["fold"].as_str().unwrap_or("")),
            shards: number("shards")?,
            docs: number("docs")?,
            encoded: Vec::new(),
        };
        for n in 0..index.shards {
            let path = format!("search/shards/{n}.json");
            let shard: HashMap<String, String> = read(&path)
                .and_then(|b| serde_json::from_slice(&b).ok())
                .ok_or(format!("cannot read {path}"))?;
            if let Some(t) = shard
                .keys()
                .find(|t| tokens::shard_of(t, index.shards) != n)
            {
                return Err(format!("{t} is in the wrong shard {n}"));
            }
            index.encoded.push(shard);
        }
        Ok(index)
    }

    /// Decodes the postings of the tokens `parts` need.
    pub fn load(&self, parts: &[Part]) -> Loaded {
        needed_tokens(parts)
            .into_iter()
            .filter_map(|t| {
                let shard = self
                    .encoded
                    .get(tokens::shard_of(&t, self.shards) as usize)?;
                let postings = super::encode::decode_postings(shard.get(&t)?)?;
                Some((t, postings))
            })
            .collect()
    }

    /// Ranked hits for a raw query, as the client computes them.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let parts = parse(&self.fold, query);
        evaluate(&parts, &self.load(&parts))
    }

    /// The shard files a query downloads.
    pub fn shards_for(&self, query: &str) -> Vec<u32> {
        let mut s: Vec<u32> = needed_tokens(&parse(&self.fold, query))
            .iter()
            .map(|t| tokens::shard_of(t, self.shards))
            .collect();
        s.sort();
        s.dedup();
        s
    }
}
