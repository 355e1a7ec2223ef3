//! The one tokeniser rule, shared word for word with `templates/static/search.js`
//! and pinned by `tests/search_vectors.json`.
//!
//! Chinese has no spaces, so words are not split: after folding (see
//! [`super::fold`]) the text is a sequence of *units*, each a Han character or
//! a run of `[a-z0-9]`. Punctuation and spaces separate units but are not
//! units, so positions count units only. The index keeps, at each unit's
//! position: the Han character alone, the pair it starts with the next Han
//! character of the same run, and for a word the word itself (plus `18%` when
//! a number is followed by `%`, so both `18` and `18%` find `年化18%`).
//!
//! A query is split on whitespace into parts (an AND); each part is a phrase
//! whose tokens must sit at the same offsets in the page as in the query.
//! A run of n ≥ 2 Han characters becomes its n−1 pairs, so `协商减免罚息`
//! only finds pages where the six characters stand together.
//!
//! This module never folds: callers fold first, so tokens and text offsets
//! stay in step (folding maps one character to one character).

/// A token and the unit position (or query offset) where it stands.
pub type Token = (String, u32);

/// One whitespace-separated part of a query: tokens with their offsets,
/// all of which must match at the same base position in a page.
pub type Part = Vec<Token>;

/// Han ideographs: the unified blocks, extension A, the compatibility block
/// and the supplementary planes 2 and 3. Both tokenisers use these ranges.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_word(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// A unit of folded text: its token(s) and the char offset where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub kind: UnitKind,
    /// Index (in chars) of the unit's first character.
    pub start: usize,
    /// Length in chars (a word with its `%`, or one Han character).
    pub len: usize,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Han,
    Word,
}

/// Splits folded text into units.
pub fn units(folded: &str) -> Vec<Unit> {
    let chars: Vec<char> = folded.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_han(c) {
            out.push(Unit {
                kind: UnitKind::Han,
                start: i,
                len: 1,
                text: c.to_string(),
            });
            i += 1;
        } else if is_word(c) {
            let start = i;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            let mut text: String = chars[start..i].iter().collect();
            i = thousands_groups(&chars, i, &mut text);
            if chars.get(i) == Some(&'%') && text.ends_with(|c: char| c.is_ascii_digit()) {
                text.push('%');
                i += 1;
            }
            out.push(Unit {
                kind: UnitKind::Word,
                start,
                len: i - start,
                text,
            });
        } else {
            i += 1;
        }
    }
    out
}

/// Thousands separators: a number written `10,000` is the word `10000`,
/// so it matches `10000` and `10,000` alike. `text` is the run of word
/// characters that ends before `chars[i]`; while it is all digits (at most
/// three before the first comma) and a comma is followed by exactly three
/// digits, the comma is skipped and the digits join the word. Returns where
/// the word now ends. `2023,2024` and `1,2345` stay two words.
fn thousands_groups(chars: &[char], mut i: usize, text: &mut String) -> usize {
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(text) || text.len() > 3 {
        return i;
    }
    while chars.get(i) == Some(&',')
        && chars.len() > i + 3
        && chars[i + 1..=i + 3].iter().all(char::is_ascii_digit)
        && !chars.get(i + 4).is_some_and(|c| is_word(*c))
    {
        text.extend(&chars[i + 1..=i + 3]);
        i += 4;
    }
    i
}

/// True when unit `b` directly follows Han unit `a` in the same run.
fn same_run(a: &Unit, b: &Unit) -> bool {
    a.kind == UnitKind::Han && b.kind == UnitKind::Han && b.start == a.start + 1
}

/// Every token the index keeps for a piece of folded text, with positions
/// counted from `base`. Order: by position, then single, pair, word.
pub fn text_tokens(folded: &str, base: u32) -> Vec<Token> {
    let units = units(folded);
    let mut out = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let pos = base + i as u32;
        match u.kind {
            UnitKind::Han => {
                out.push((u.text.clone(), pos));
                if let Some(next) = units.get(i + 1).filter(|n| same_run(u, n)) {
                    out.push((format!("{}{}", u.text, next.text), pos));
                }
            }
            UnitKind::Word => {
                if let Some(number) = u.text.strip_suffix('%') {
                    out.push((number.to_string(), pos));
                }
                out.push((u.text.clone(), pos));
            }
        }
    }
    out
}

/// The tokens of [`text_tokens`], in another order, without allocating one
/// string per token: `f` gets each token and its position. Takes the folded
/// text as chars, which the index folds each page into. The index's hot
/// loop (`postings.rs`); a test holds the two equal as multisets.
pub fn each_token(chars: &[char], base: u32, mut f: impl FnMut(&str, u32)) {
    let mut pair = String::new();
    let mut word = String::new();
    // The previous Han unit: its character, char index and position.
    let mut prev_han: Option<(char, usize, u32)> = None;
    let mut unit = 0u32;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = base + unit;
        if is_han(c) {
            f(c.encode_utf8(&mut [0; 4]), pos);
            if let Some((p, _, p_pos)) = prev_han.filter(|(_, start, _)| start + 1 == i) {
                pair.clear();
                pair.push(p);
                pair.push(c);
                f(&pair, p_pos);
            }
            prev_han = Some((c, i, pos));
            i += 1;
        } else if is_word(c) {
            let start = i;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            word.clear();
            word.extend(&chars[start..i]);
            i = thousands_groups(chars, i, &mut word);
            if chars.get(i) == Some(&'%') && word.ends_with(|c: char| c.is_ascii_digit()) {
                f(&word, pos);
                word.push('%');
                i += 1;
            }
            f(&word, pos);
        } else {
            i += 1;
            continue;
        }
        unit += 1;
    }
}

/// Number of units in folded text: the positions one block occupies.
pub fn unit_count(folded: &str) -> u32 {
    units(folded).len() as u32
}

/// A folded query → its parts. Empty parts (only punctuation) are dropped.
pub fn query_parts(folded: &str) -> Vec<Part> {
    folded
        // U+FEFF too: JavaScript's `\s` counts it, and the rule is shared.
        .split(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .map(query_part)
        .filter(|p| !p.is_empty())
        .collect()
}

fn query_part(folded: &str) -> Part {
    let units = units(folded);
    let mut out = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let offset = i as u32;
        match u.kind {
            UnitKind::Han => {
                let prev_in_run = i > 0 && same_run(&units[i - 1], u);
                let next = units.get(i + 1).filter(|n| same_run(u, n));
                match next {
                    Some(next) => out.push((format!("{}{}", u.text, next.text), offset)),
                    // A lone Han character (not the tail of a pair) stands alone.
                    None if !prev_in_run => out.push((u.text.clone(), offset)),
                    None => {}
                }
            }
            UnitKind::Word => out.push((u.text.clone(), offset)),
        }
    }
    out
}

/// FNV-1a over the token's code points: which shard holds a token. The
/// client computes the same with `Math.imul`.
pub fn shard_of(token: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in token.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(String, u32)> {
        text_tokens(s, 0)
    }

    /// `each_token` is `text_tokens` without the allocations: the same
    /// tokens at the same positions, on tricky strings and on every
    /// bundled content file.
    #[test]
    fn each_token_gives_the_tokens_of_text_tokens() {
        let sorted_each = |s: &str| {
            let mut v = Vec::new();
            let chars: Vec<char> = s.chars().collect();
            each_token(&chars, 7, |t, p| v.push((t.to_string(), p)));
            v.sort();
            v
        };
        let sorted_text = |s: &str| {
            let mut v = text_tokens(s, 7);
            v.sort();
            v
        };
        let mut texts: Vec<String> = [
            "",
            "罚息",
            "约10,000元",
            "18%的利率",
            "a1,234,5678b",
            "1,23",
            "x%",
            "50%%",
            "减 免",
            "微粒贷weilidai罚息0.05%",
            "一,二",
            "abc，罚息",
            "1,000,000,000",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(root) {
            if let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) {
                texts.push(text.to_lowercase());
            }
        }
        assert!(texts.len() > 40);
        for t in &texts {
            assert_eq!(sorted_each(t), sorted_text(t), "{t}");
        }
    }

    #[test]
    fn han_pairs_and_singles() {
        assert_eq!(
            toks("罚息。协商"),
            vec![
                ("罚".into(), 0),
                ("罚息".into(), 0),
                ("息".into(), 1),
                ("协".into(), 2),
                ("协商".into(), 2),
                ("商".into(), 3),
            ]
        );
    }

    #[test]
    fn numbers_keep_percent() {
        let t = toks("年化18%");
        assert!(t.contains(&("18".into(), 2)));
        assert!(t.contains(&("18%".into(), 2)));
        assert_eq!(query_parts("18%"), vec![vec![("18%".to_string(), 0)]]);
    }

    #[test]
    fn thousands_separators_fold_into_the_number() {
        let words = |s: &str| -> Vec<String> {
            units(s)
                .into_iter()
                .filter(|u| u.kind == UnitKind::Word)
                .map(|u| u.text)
                .collect()
        };
        assert_eq!(words("本金10,000元"), ["10000"]);
        assert_eq!(words("共1,234,567.89元"), ["1234567", "89"]);
        assert_eq!(words("10000"), ["10000"]);
        assert_eq!(words("年化18,5%"), ["18", "5%"]);
        assert_eq!(words("2023,2024"), ["2023", "2024"]);
        assert_eq!(words("1,2345"), ["1", "2345"]);
        assert_eq!(words("1,000%"), ["1000%"]);
        assert_eq!(words("a,000"), ["a", "000"]);
        let u = &units("约10,000元")[1];
        assert_eq!((u.start, u.len), (1, 6), "the unit spans the comma");
        assert_eq!(query_parts("10,000"), query_parts("10000"));
    }

    #[test]
    fn query_phrases_and_parts() {
        assert_eq!(
            query_parts("协商减免 罚息"),
            vec![
                vec![
                    ("协商".to_string(), 0),
                    ("商减".to_string(), 1),
                    ("减免".to_string(), 2)
                ],
                vec![("罚息".to_string(), 0)],
            ]
        );
        assert_eq!(query_parts("贷"), vec![vec![("贷".to_string(), 0)]]);
        assert_eq!(
            query_parts("微信app"),
            vec![vec![("微信".to_string(), 0), ("app".to_string(), 2)]]
        );
        assert!(query_parts(" ，。 ").is_empty());
    }
}
