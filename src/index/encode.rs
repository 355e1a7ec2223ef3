//! The published form of the index: a manifest, posting shards and one file
//! per page and script, all JSON with sorted keys so the bytes are
//! deterministic.
//!
//! A token's postings are strings of base-64 VLQ numbers (the encoding of
//! source maps): for each page `doc-delta, count, first position, position
//! deltas…`. Small numbers take one character, so a posting costs about two
//! bytes where a JSON array of numbers costs four or more.
//!
//! Each token's postings are encoded in two halves ([`Split`]): positions in
//! titles, pinyin, lender names and headings (the head), and body positions.
//! [`super::shards`] publishes them apart.

use serde::Serialize;

use super::BODY_BASE;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends `n` as base-64 VLQ: five bits a character, low bits first, the
/// sixth bit set on every character but the last.
pub fn push_vlq(out: &mut String, mut n: u32) {
    loop {
        let digit = n & 31;
        n >>= 5;
        let c = if n > 0 { digit | 32 } else { digit };
        out.push(ALPHABET[c as usize] as char);
        if n == 0 {
            break;
        }
    }
}

/// Each byte's value in [`ALPHABET`], 255 for a byte outside it.
const DIGITS: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The numbers of a VLQ string, one at a time; `Some(None)` at a character
/// outside the alphabet or a number over 32 bits.
pub struct Vlq<'a> {
    bytes: std::slice::Iter<'a, u8>,
}

impl<'a> Vlq<'a> {
    pub fn new(s: &'a str) -> Self {
        Self {
            bytes: s.as_bytes().iter(),
        }
    }

    /// How many bytes are left to read.
    pub fn rest(&self) -> usize {
        self.bytes.len()
    }
}

impl Iterator for Vlq<'_> {
    type Item = Option<u32>;

    fn next(&mut self) -> Option<Option<u32>> {
        let (mut n, mut shift) = (0u32, 0u32);
        for &b in self.bytes.by_ref() {
            let v = DIGITS[b as usize];
            if v == 255 {
                return Some(None);
            }
            let Some(part) = u32::from(v & 31).checked_shl(shift) else {
                return Some(None);
            };
            n |= part;
            if v & 32 == 0 {
                return Some(Some(n));
            }
            shift += 5;
        }
        // A string that ends inside a number has no more whole numbers.
        None
    }
}

/// Reads a VLQ string back; `None` on a character outside the alphabet.
pub fn read_vlq(s: &str) -> Option<Vec<u32>> {
    Vlq::new(s).collect()
}

/// One page's positions for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    /// Sorted, distinct.
    pub positions: Vec<u32>,
}

impl Posting {
    pub fn new(doc: u32, positions: &[u32]) -> Self {
        Self {
            doc,
            positions: positions.to_vec(),
        }
    }
}

/// Appends one page's entry; `prev_doc` is the page of the entry before
/// (0 for the first), `positions` sorted and distinct.
pub fn push_posting(out: &mut String, prev_doc: u32, doc: u32, positions: &[u32]) {
    push_vlq(out, doc - prev_doc);
    push_vlq(out, positions.len() as u32);
    let mut prev = 0;
    for &pos in positions {
        push_vlq(out, pos - prev);
        prev = pos;
    }
}

/// A token's postings cut at [`BODY_BASE`]: a page's positions before it in
/// `head`, the rest in `body`, each half with its own page deltas and
/// without the pages it has no position for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub head: String,
    pub body: String,
}

/// Builds a [`Split`] a page at a time, in page order.
#[derive(Debug, Default)]
pub struct SplitWriter {
    split: Split,
    head_doc: u32,
    body_doc: u32,
}

impl SplitWriter {
    /// Appends page `doc`'s sorted, distinct `positions`.
    pub fn push(&mut self, doc: u32, positions: &[u32]) {
        let cut = positions.partition_point(|&p| p < BODY_BASE);
        let (head, body) = positions.split_at(cut);
        if !head.is_empty() {
            push_posting(&mut self.split.head, self.head_doc, doc, head);
            self.head_doc = doc;
        }
        if !body.is_empty() {
            push_posting(&mut self.split.body, self.body_doc, doc, body);
            self.body_doc = doc;
        }
    }

    pub fn finish(self) -> Split {
        self.split
    }
}

impl Split {
    pub fn encode(postings: &[Posting]) -> Self {
        let mut w = SplitWriter::default();
        for p in postings {
            w.push(p.doc, &p.positions);
        }
        w.finish()
    }

    /// Both halves as one page-ordered list; `None` when either does not
    /// decode, or puts a position in the wrong half.
    pub fn decode(&self) -> Option<Vec<Posting>> {
        join(decode_postings(&self.head)?, decode_postings(&self.body)?)
    }
}

/// Head and body postings of one token as one list, each page's head
/// positions before its body positions; `None` when a position is in the
/// wrong half.
pub fn join(head: Vec<Posting>, body: Vec<Posting>) -> Option<Vec<Posting>> {
    if head
        .iter()
        .flat_map(|p| &p.positions)
        .any(|&p| p >= BODY_BASE)
        || body
            .iter()
            .flat_map(|p| &p.positions)
            .any(|&p| p < BODY_BASE)
    {
        return None;
    }
    let mut out = Vec::with_capacity(head.len().max(body.len()));
    let mut body = body.into_iter().peekable();
    for mut h in head {
        while let Some(b) = body.next_if(|b| b.doc < h.doc) {
            out.push(b);
        }
        if let Some(b) = body.next_if(|b| b.doc == h.doc) {
            h.positions.extend(b.positions);
        }
        out.push(h);
    }
    out.extend(body);
    Some(out)
}

pub fn encode_postings(postings: &[Posting]) -> String {
    let mut out = String::new();
    let mut prev_doc = 0;
    for p in postings {
        push_posting(&mut out, prev_doc, p.doc, &p.positions);
        prev_doc = p.doc;
    }
    out
}

pub fn decode_postings(s: &str) -> Option<Vec<Posting>> {
    let nums = read_vlq(s)?;
    let mut out = Vec::new();
    let mut it = nums.into_iter();
    let mut doc = 0u32;
    while let Some(delta) = it.next() {
        doc = doc.checked_add(delta)?;
        let count = it.next()?;
        let mut positions = Vec::with_capacity(count as usize);
        let mut pos = 0u32;
        for _ in 0..count {
            pos = pos.checked_add(it.next()?)?;
            positions.push(pos);
        }
        out.push(Posting { doc, positions });
    }
    Some(out)
}

/// What the client reads first: sizes, position layout and the fold table.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub version: u32,
    pub docs: u32,
    #[serde(rename = "headShards")]
    pub head_shards: u32,
    #[serde(rename = "bodyShards")]
    pub body_shards: u32,
    #[serde(rename = "pinyinPos")]
    pub pinyin_pos: u32,
    #[serde(rename = "headingBase")]
    pub heading_base: u32,
    #[serde(rename = "bodyBase")]
    pub body_base: u32,
    /// Fold table: `from` `to` characters run together.
    pub fold: String,
    /// Pinyin of the (folded) Han characters of titles and lender names,
    /// `微wei粒li贷dai`, so the client can mark the run a pinyin query spells.
    pub py: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vlq_round_trips() {
        let mut s = String::new();
        for n in [0, 1, 31, 32, 1000, 100_000, u32::MAX] {
            push_vlq(&mut s, n);
        }
        assert_eq!(
            read_vlq(&s).unwrap(),
            vec![0, 1, 31, 32, 1000, 100_000, u32::MAX]
        );
        let postings = vec![
            Posting {
                doc: 3,
                positions: vec![0, 7, 100_003],
            },
            Posting {
                doc: 9,
                positions: vec![1000],
            },
        ];
        assert_eq!(
            decode_postings(&encode_postings(&postings)).unwrap(),
            postings
        );
        assert!(decode_postings("A!").is_none());
    }

    #[test]
    fn split_cuts_at_the_body_and_joins_back() {
        let postings = vec![
            Posting {
                doc: 1,
                positions: vec![0, 1_004],
            },
            Posting {
                doc: 2,
                positions: vec![3, BODY_BASE, BODY_BASE + 9],
            },
            Posting {
                doc: 5,
                positions: vec![BODY_BASE + 1],
            },
        ];
        let split = Split::encode(&postings);
        let head = decode_postings(&split.head).unwrap();
        let body = decode_postings(&split.body).unwrap();
        assert_eq!(
            head.iter().map(|p| p.doc).collect::<Vec<_>>(),
            [1, 2],
            "a page with no head position is not in the head"
        );
        assert_eq!(head[1].positions, [3]);
        assert_eq!(body.iter().map(|p| p.doc).collect::<Vec<_>>(), [2, 5]);
        assert_eq!(split.decode().unwrap(), postings);
        // A body position in the head half is refused, not ranked as a title.
        let wrong = Split {
            head: split.body.clone(),
            body: String::new(),
        };
        assert!(wrong.decode().is_none());
    }
}
