//! The fold table's working sets: a flat per-Han-character table and a
//! small union–find over characters.

use std::collections::BTreeMap;

use crate::index::tokens::is_han;

/// A value per Han character (0 by default), in a flat table over the
/// code points [`is_han`] accepts; other characters are ignored.
#[derive(Default)]
pub(super) struct HanSet {
    pub(super) values: Vec<u32>,
}

impl HanSet {
    pub(super) const LEN: usize = 0x3_1350;

    pub(super) fn get(&self, c: char) -> u32 {
        self.values.get(c as usize).copied().unwrap_or(0)
    }

    pub(super) fn set(&mut self, c: char, v: u32) {
        if is_han(c) {
            if self.values.is_empty() {
                self.values = vec![0; Self::LEN];
            }
            self.values[c as usize] = v;
        }
    }

    pub(super) fn mark(&mut self, c: char, bits: u32) {
        if is_han(c) && self.get(c) & bits != bits {
            let v = self.get(c) | bits;
            self.set(c, v);
        }
    }

    pub(super) fn chars(&self, bits: u32) -> impl Iterator<Item = char> + '_ {
        self.values
            .iter()
            .enumerate()
            .filter(move |(_, v)| **v & bits != 0)
            .filter_map(|(c, _)| char::from_u32(c as u32))
    }
}

/// A tiny union–find over characters.
#[derive(Default)]
pub(super) struct UnionFind {
    parent: BTreeMap<char, char>,
}

impl UnionFind {
    pub(super) fn find(&self, c: char) -> char {
        let mut c = c;
        while let Some(&p) = self.parent.get(&c) {
            if p == c {
                break;
            }
            c = p;
        }
        c
    }

    pub(super) fn union(&mut self, a: char, b: char) {
        self.parent.entry(a).or_insert(a);
        self.parent.entry(b).or_insert(b);
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Lower root wins: keeps roots stable whatever the order.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent.insert(hi, lo);
        }
    }

    pub(super) fn keys(&self) -> Vec<char> {
        self.parent.keys().copied().collect()
    }
}
