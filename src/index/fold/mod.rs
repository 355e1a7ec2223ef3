//! Folding: the one normal form that both the index and every query pass
//! through, so 網商貸 finds 网商贷, `ＡＰＰ` finds `app`, `９５３８４` finds `95384`.
//!
//! The browser can only afford a character table, not OpenCC's phrase
//! dictionaries, so folding is character by character, on both sides alike
//! (folding the index with phrase-level OpenCC and the query with a table
//! would let the two disagree). The table is built here from OpenCC itself:
//! - every Traditional character that OpenCC's T2s turns into one other
//!   character, probed one character at a time over the Han blocks;
//! - every character pair where the site's own Traditional text (OpenCC s2t
//!   of the source) differs from the Simplified source at the same place.
//!
//! Characters linked by either are one class (union–find), folded to one
//! representative: a character of the Simplified source where the class has
//! one. Only classes that touch the site's text are shipped to the browser:
//! any other character cannot match anything anyway. Beside that table,
//! full-width ASCII becomes ASCII (U+3000 a space) and ASCII is lower-cased.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

use super::tokens::is_han;
use sets::{HanSet, UnionFind};

mod counts;
mod sets;

pub use counts::FoldCounts;

/// Characters → their folded representative (only the ones that change).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FoldTable {
    map: BTreeMap<char, char>,
}

/// [`FoldTable::fold_char`] with every character of the Basic Multilingual
/// Plane folded ahead (256 KB): the index folds every character of every
/// page, and a tree lookup each was a sixth of its tokenising.
pub struct Folder<'a> {
    table: &'a FoldTable,
    /// Indexed by code point; surrogates (never a `char`) hold `\0`.
    bmp: Vec<char>,
}

impl Folder<'_> {
    pub fn fold_char(&self, c: char) -> char {
        match self.bmp.get(c as usize) {
            Some(&folded) => folded,
            None => self.table.fold_char(c),
        }
    }

    /// `text` folded, as chars, into `out` (cleared first).
    pub fn fold_into(&self, text: &str, out: &mut Vec<char>) {
        out.clear();
        out.extend(text.chars().map(|c| self.fold_char(c)));
    }
}

/// OpenCC's single-character T2s pairs, probed once per process.
fn opencc_pairs() -> &'static [(char, char)] {
    static PAIRS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let Ok(t2s) = OpenCC::from_config(BuiltinConfig::T2s) else {
            return Vec::new();
        };
        // One conversion over all characters, separated so that no two
        // form a phrase: OpenCC maps each alone.
        let probe: Vec<char> = [0x3400..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF]
            .into_iter()
            .flatten()
            .filter_map(char::from_u32)
            .collect();
        let mut text = String::with_capacity(probe.len() * 4);
        for c in &probe {
            text.push(*c);
            text.push('\n');
        }
        let converted = t2s.convert(&text);
        let lines: Vec<&str> = converted.split('\n').collect();
        probe
            .iter()
            .zip(lines)
            .filter_map(|(t, s)| {
                let mut cs = s.chars();
                match (cs.next(), cs.next()) {
                    (Some(s), None) if s != *t && is_han(s) => Some((*t, s)),
                    _ => None,
                }
            })
            .collect()
    })
}

impl FoldTable {
    /// Builds the table for a site whose Simplified text is `hans` and whose
    /// Traditional text is `hant`, given as aligned pieces (same pieces in
    /// the same order; a pair whose lengths differ is skipped).
    pub fn build<'a>(pieces: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut builder = FoldBuilder::default();
        for (hans, hant) in pieces {
            builder.add(hans, hant);
        }
        builder.finish()
    }
}

/// A [`FoldTable`] being built from pieces of the site's text, in any
/// order ([`FoldTable::build`]), or from counts ([`FoldCounts::builder`]).
#[derive(Default)]
pub struct FoldBuilder {
    // The site's text is tens of megabytes at 10,000 guides and uses a
    // few thousand distinct characters: mark them in flat tables rather
    // than a tree per character.
    seen: HanSet,
    pairs: BTreeSet<(char, char)>,
    /// The last partner of each character (most pairs repeat).
    last_pair: HanSet,
}

impl FoldBuilder {
    /// One aligned piece: a Simplified text and its Traditional form.
    pub fn add(&mut self, hans: &str, hant: &str) {
        for c in hans.chars() {
            self.seen.mark(c, SOURCE | SITE);
        }
        for c in hant.chars() {
            self.seen.mark(c, SITE);
        }
        for (s, t) in differing_pairs(hans, hant) {
            self.pair(s, t);
        }
    }

    /// Links Simplified `s` with Traditional `t` (most pairs repeat: the
    /// last partner of each character is checked before the set).
    fn pair(&mut self, s: char, t: char) {
        if self.last_pair.get(s) != t as u32 {
            self.last_pair.set(s, t as u32);
            self.pairs.insert((s, t));
        }
    }

    pub fn finish(self) -> FoldTable {
        let (seen, pairs) = (self.seen, self.pairs);
        let mut classes = UnionFind::default();
        for (s, t) in pairs {
            classes.union(s, t);
        }
        let source_chars: BTreeSet<char> = seen.chars(SOURCE).collect();
        let site_chars: BTreeSet<char> = seen.chars(SITE).collect();
        for &(t, s) in opencc_pairs() {
            classes.union(t, s);
        }
        let mut members: BTreeMap<char, Vec<char>> = BTreeMap::new();
        for c in classes.keys() {
            members.entry(classes.find(c)).or_default().push(c);
        }
        let traditional: BTreeSet<char> = opencc_pairs().iter().map(|p| p.0).collect();
        let mut map = BTreeMap::new();
        for chars in members.values() {
            if !chars.iter().any(|c| site_chars.contains(c)) {
                continue;
            }
            // Prefer a character the source uses, then one OpenCC calls
            // Simplified, then the lowest: deterministic either way.
            let rep = chars
                .iter()
                .copied()
                .filter(|c| source_chars.contains(c))
                .min()
                .or_else(|| {
                    chars
                        .iter()
                        .copied()
                        .filter(|c| !traditional.contains(c))
                        .min()
                })
                .unwrap_or(chars[0]);
            for &c in chars {
                if c != rep {
                    map.insert(c, rep);
                }
            }
        }
        FoldTable { map }
    }
}

impl FoldTable {
    /// Folds one character.
    pub fn fold_char(&self, c: char) -> char {
        let c = match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        };
        let c = c.to_ascii_lowercase();
        self.map.get(&c).copied().unwrap_or(c)
    }

    /// Folds text; the result has exactly as many chars as the input.
    pub fn fold(&self, text: &str) -> String {
        text.chars().map(|c| self.fold_char(c)).collect()
    }

    /// The table as one lookup per character, for folding a whole site.
    pub fn folder(&self) -> Folder<'_> {
        let bmp = (0..=0xFFFF)
            .map(|u| char::from_u32(u).map_or('\0', |c| self.fold_char(c)))
            .collect();
        Folder { table: self, bmp }
    }

    /// The table as the client reads it: pairs `from` `to` run together.
    pub fn to_pairs_string(&self) -> String {
        self.map.iter().flat_map(|(a, b)| [*a, *b]).collect()
    }

    /// Reads [`Self::to_pairs_string`] back (tests, benchmark).
    pub fn from_pairs_string(s: &str) -> Self {
        let chars: Vec<char> = s.chars().collect();
        Self {
            map: chars
                .chunks(2)
                .filter(|c| c.len() == 2)
                .map(|c| (c[0], c[1]))
                .collect(),
        }
    }

    /// The characters that `self` and `other` fold differently.
    pub fn differences<'a>(&'a self, other: &'a Self) -> impl Iterator<Item = char> + 'a {
        let keys: BTreeSet<char> = self.map.keys().chain(other.map.keys()).copied().collect();
        keys.into_iter()
            .filter(|c| self.map.get(c) != other.map.get(c))
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// What one aligned piece adds to a [`FoldBuilder`], each character and
/// pair once: small enough for `serve` to remember per page, and what a
/// page's old files take out of the [`FoldCounts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FoldPart {
    marks: Vec<(char, u32)>,
    pairs: Vec<(char, char)>,
}

impl FoldPart {
    /// The part of `hans` and its Traditional form `hant`.
    pub fn of(hans: &str, hant: &str) -> Self {
        let source = hans.chars().map(|c| (c, SOURCE | SITE));
        let site = hant.chars().map(|c| (c, SITE));
        let mut marks: Vec<(char, u32)> = source.chain(site).filter(|(c, _)| is_han(*c)).collect();
        marks.sort_unstable();
        marks.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 |= later.1;
            }
            same
        });
        let mut pairs = differing_pairs(hans, hant);
        pairs.sort_unstable();
        pairs.dedup();
        Self { marks, pairs }
    }
}

/// The Han characters where `hant` differs from `hans` at the same place,
/// as (Simplified, Traditional) pairs; none when the two do not align
/// (their lengths in characters differ) or are equal.
fn differing_pairs(hans: &str, hant: &str) -> Vec<(char, char)> {
    let mut diff = Vec::new();
    if hans == hant {
        return diff;
    }
    let (mut s_chars, mut t_chars) = (hans.chars(), hant.chars());
    loop {
        match (s_chars.next(), t_chars.next()) {
            (Some(s), Some(t)) => {
                if s != t && is_han(s) && is_han(t) {
                    diff.push((s, t));
                }
            }
            (None, None) => return diff,
            _ => return Vec::new(),
        }
    }
}

const SOURCE: u32 = 1;
const SITE: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder's table gives what the tree gives, for every character.
    #[test]
    fn the_folder_folds_every_character_as_the_table() {
        let t = FoldTable::build([("网商贷协商减免罚息", "網商貸協商減免罰息")]);
        let folder = t.folder();
        let all = (0..=0x10FFFF).filter_map(char::from_u32);
        for c in all {
            assert_eq!(folder.fold_char(c), t.fold_char(c), "{c:?}");
        }
        let mut out = Vec::new();
        folder.fold_into("ＡＰＰ　網商貸𠀀", &mut out);
        assert_eq!(out.iter().collect::<String>(), t.fold("ＡＰＰ　網商貸𠀀"));
    }

    #[test]
    fn folds_scripts_width_and_case() {
        let t = FoldTable::build([("网商贷协商减免罚息", "網商貸協商減免罰息")]);
        assert_eq!(t.fold("網商貸"), "网商贷");
        assert_eq!(t.fold("協商減免罰息"), "协商减免罚息");
        assert_eq!(t.fold("ＡＰＰ　９５３８４"), "app 95384");
        assert_eq!(t.fold("WeBank"), "webank");
        // Only classes the site touches are kept.
        assert!(t.len() < 100, "{}", t.len());
        assert_eq!(FoldTable::from_pairs_string(&t.to_pairs_string()), t);
    }

    /// Adding a piece's part marks the same characters and pairs as adding
    /// the piece, on every bundled content file and its conversion.
    #[test]
    fn a_part_adds_what_its_piece_adds() {
        let s2t = crate::script::Converter::shared().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut pieces: Vec<(String, String)> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .map(|hans| {
                let hant = s2t.to_traditional(&hans);
                (hans, hant)
            })
            .collect();
        // A piece whose forms do not align adds characters but no pair.
        pieces.push(("后来".into(), "後來了".into()));
        let mut whole = FoldBuilder::default();
        let (mut by_part, mut by_page) = (FoldCounts::default(), FoldCounts::default());
        for (hans, hant) in &pieces {
            whole.add(hans, hant);
            by_part.add(&FoldPart::of(hans, hant));
            by_page.add_page(hans, hant);
        }
        assert!(whole.pairs.len() > 50, "{}", whole.pairs.len());
        for counts in [by_part, by_page] {
            let counted = counts.builder();
            assert_eq!(whole.pairs, counted.pairs);
            assert!(
                whole.seen.values == counted.seen.values,
                "the same characters"
            );
        }
    }
}
