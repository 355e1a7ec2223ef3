//! Fold counts: how many pages add each mark and each pair to the fold
//! table, so a rebuild can take a changed page's part out and put its new
//! one in, without reading every other page's search files back.
//!
//! A fold table built from the counts is the one built from every page's
//! text ([`FoldBuilder::add`]): a character is marked while some page
//! marks it, a pair kept while some page has it. The build records the
//! counts beside the output (`.lendguide-fold`, with the number of pages
//! they hold); `tests/it/incremental.rs` holds patched builds equal to
//! cold ones.

use std::collections::BTreeMap;

use super::sets::HanSet;
use super::{FoldBuilder, FoldPart, SITE, SOURCE, differing_pairs};
use crate::index::tokens::is_han;

/// Pages per mark bit ([`SOURCE`], [`SITE`]) of each Han character, and
/// pages per differing pair.
#[derive(Default)]
pub struct FoldCounts {
    /// Indexed by character: pages that mark it [`SOURCE`], and [`SITE`].
    marks: Vec<[u32; 2]>,
    pairs: BTreeMap<(char, char), u32>,
    /// One page's marks while it is being counted, and which are set.
    page: HanSet,
    touched: Vec<char>,
}

/// The first line of the recorded counts; others are not read.
const HEADER: &str = "lendguide fold counts 1";

impl FoldCounts {
    /// Counts one page: its Simplified file and that file's Traditional
    /// form (what [`FoldPart::of`] holds, without sorting the text).
    pub fn add_page(&mut self, hans: &str, hant: &str) {
        for (text, bits) in [(hans, SOURCE | SITE), (hant, SITE)] {
            for c in text.chars().filter(|c| is_han(*c)) {
                if self.page.get(c) == 0 {
                    self.touched.push(c);
                }
                self.page.mark(c, bits);
            }
        }
        for c in std::mem::take(&mut self.touched) {
            let bits = self.page.get(c);
            self.page.set(c, 0);
            self.bump(c, bits);
        }
        let mut pairs = differing_pairs(hans, hant);
        pairs.sort_unstable();
        pairs.dedup();
        for pair in pairs {
            *self.pairs.entry(pair).or_default() += 1;
        }
    }

    /// Counts a page by its part.
    pub fn add(&mut self, part: &FoldPart) {
        for &(c, bits) in &part.marks {
            self.bump(c, bits);
        }
        for &pair in &part.pairs {
            *self.pairs.entry(pair).or_default() += 1;
        }
    }

    /// Takes a counted page out by its part; `None` (and the counts left
    /// unusable) when they do not hold it.
    pub fn remove(&mut self, part: &FoldPart) -> Option<()> {
        for &(c, bits) in &part.marks {
            let slot = self.marks.get_mut(c as usize)?;
            for (i, bit) in [SOURCE, SITE].into_iter().enumerate() {
                if bits & bit != 0 {
                    slot[i] = slot[i].checked_sub(1)?;
                }
            }
        }
        for pair in &part.pairs {
            let n = self.pairs.get_mut(pair)?;
            *n = n.checked_sub(1)?;
            if *n == 0 {
                self.pairs.remove(pair);
            }
        }
        Some(())
    }

    fn bump(&mut self, c: char, bits: u32) {
        if self.marks.is_empty() {
            self.marks = vec![[0; 2]; HanSet::LEN];
        }
        if let Some(slot) = self.marks.get_mut(c as usize) {
            for (i, bit) in [SOURCE, SITE].into_iter().enumerate() {
                if bits & bit != 0 {
                    slot[i] += 1;
                }
            }
        }
    }

    /// How many counted pages have `c` in their Simplified file.
    pub fn source_pages(&self, c: char) -> u32 {
        self.marks.get(c as usize).map_or(0, |m| m[0])
    }

    /// Each character some counted page has in its Simplified file, with
    /// how many pages have it.
    pub fn sources(&self) -> impl Iterator<Item = (char, u32)> + '_ {
        self.marked()
            .filter(|(_, n)| n[0] > 0)
            .map(|(c, n)| (c, n[0]))
    }

    /// Both counts in one.
    pub fn merge(mut self, other: Self) -> Self {
        if self.marks.is_empty() {
            self.marks = other.marks;
        } else {
            for (mine, theirs) in self.marks.iter_mut().zip(&other.marks) {
                mine[0] += theirs[0];
                mine[1] += theirs[1];
            }
        }
        for (pair, n) in other.pairs {
            *self.pairs.entry(pair).or_default() += n;
        }
        self
    }

    /// What a builder fed every counted page would hold.
    pub fn builder(&self) -> FoldBuilder {
        let mut b = FoldBuilder::default();
        for (c, [source, site]) in self.marked() {
            let bits = if source > 0 { SOURCE } else { 0 } | if site > 0 { SITE } else { 0 };
            b.seen.mark(c, bits);
        }
        for &(s, t) in self.pairs.keys() {
            b.pair(s, t);
        }
        b
    }

    fn marked(&self) -> impl Iterator<Item = (char, [u32; 2])> + '_ {
        self.marks
            .iter()
            .enumerate()
            .filter(|(_, n)| n[0] > 0 || n[1] > 0)
            .filter_map(|(c, n)| char::from_u32(c as u32).map(|c| (c, *n)))
    }

    /// The counts as recorded, for `pages` pages: the header, `pages N`,
    /// then a line per character (`m`, it, and its two counts) and per
    /// pair (`p`, the two characters, the count).
    pub fn to_text(&self, pages: usize) -> String {
        let mut out = format!("{HEADER}\npages {pages}\n");
        for (c, [source, site]) in self.marked() {
            out.push_str(&format!("m{c} {source} {site}\n"));
        }
        for (&(s, t), n) in &self.pairs {
            out.push_str(&format!("p{s}{t} {n}\n"));
        }
        out
    }

    /// Reads [`Self::to_text`] back, with its number of pages.
    pub fn from_text(text: &str) -> Option<(Self, usize)> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let pages = lines.next()?.strip_prefix("pages ")?.parse().ok()?;
        let mut counts = Self::default();
        for line in lines {
            let mut chars = line.chars();
            let (kind, a) = (chars.next()?, chars.next()?);
            match kind {
                'm' => {
                    let mut n = chars.as_str().split(' ').skip(1);
                    let source: u32 = n.next()?.parse().ok()?;
                    let site: u32 = n.next()?.parse().ok()?;
                    if !is_han(a) || n.next().is_some() {
                        return None;
                    }
                    counts.bump(a, 0);
                    counts.marks[a as usize] = [source, site];
                }
                'p' => {
                    let b = chars.next()?;
                    let n: u32 = chars.as_str().strip_prefix(' ')?.parse().ok()?;
                    counts.pairs.insert((a, b), n);
                }
                _ => return None,
            }
        }
        Some((counts, pages))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGES: [(&str, &str); 3] = [
        ("网商贷协商减免罚息", "網商貸協商減免罰息"),
        ("罚息怎么算", "罰息怎麼算"),
        ("里程 app 95384", "里程 app 95384"),
    ];

    fn table(counts: &FoldCounts) -> String {
        counts.builder().finish().to_pairs_string()
    }

    /// Counted page by page, by part, read back, or with a page taken out:
    /// always the table the remaining pages' text gives.
    #[test]
    fn counts_give_the_table_the_pages_give() {
        let mut by_page = FoldCounts::default();
        let mut by_part = FoldCounts::default();
        for (hans, hant) in PAGES {
            by_page.add_page(hans, hant);
            by_part.add(&FoldPart::of(hans, hant));
        }
        let all = FoldTable::build(PAGES).to_pairs_string();
        assert_eq!(table(&by_page), all);
        assert_eq!(by_page.to_text(3), by_part.to_text(3));
        let (read, pages) = FoldCounts::from_text(&by_page.to_text(3)).unwrap();
        assert_eq!((read.to_text(3), pages), (by_page.to_text(3), 3));

        by_page
            .remove(&FoldPart::of(PAGES[0].0, PAGES[0].1))
            .unwrap();
        let rest = FoldTable::build(PAGES[1..].iter().copied()).to_pairs_string();
        assert_eq!(table(&by_page), rest);
        assert_ne!(rest, all, "taking the page out changed the table");
        assert!(
            by_page
                .remove(&FoldPart::of(PAGES[0].0, PAGES[0].1))
                .is_none()
        );
        assert!(FoldCounts::from_text("lendguide fold counts 0\npages 1\n").is_none());
    }

    use super::super::FoldTable;
}
