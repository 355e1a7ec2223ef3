// Mutations of content files and examples, driven by the run's PRNG so that
// a seed and a run number always give the same bytes.
//
// Most mutations keep the text valid UTF-8 and cut at line or character
// boundaries, so the input gets past the loader and reaches the parser,
// validator and engine; a few break the encoding on purpose.

use super::pieces::{BAD_UTF8, MARKUP, NUMBERS, UNICODE, YAML_BITS};
use super::rng::Rng;

/// What mutations may borrow from: other seeds' lines and the model's words.
pub struct Material<'a> {
    pub seeds: &'a [Vec<u8>],
    pub words: &'a [String],
}

/// Applies one to four mutations to `input`, usually one: a single change
/// more often gets past the parser into validation and the engine.
pub fn mutate(input: &[u8], rng: &mut Rng, material: &Material) -> Vec<u8> {
    let mut out = once(input.to_vec(), rng, material);
    for _ in 0..3 {
        if !rng.chance(35) {
            break;
        }
        out = once(out, rng, material);
    }
    out
}

fn once(mut b: Vec<u8>, rng: &mut Rng, m: &Material) -> Vec<u8> {
    match rng.below(14) {
        0 => flip(&mut b, rng),
        1 => {
            let (s, e) = span(&b, rng);
            b.drain(s..e);
        }
        2 => {
            let (s, e) = span(&b, rng);
            let copy = b[s..e].to_vec();
            let at = boundary(&b, rng);
            let most = if rng.chance(10) { 200 } else { 3 };
            let times = 1 + rng.below(most);
            for _ in 0..times {
                b.splice(at..at, copy.iter().copied());
            }
        }
        3 => splice_line(&mut b, rng, m),
        4 => reindent(&mut b, rng),
        5 => drop_colon(&mut b, rng),
        6 => insert_at_value(&mut b, rng, YAML_BITS),
        7 => long_scalar(&mut b, rng),
        8 => nest(&mut b, rng),
        9 => insert_at_value(&mut b, rng, NUMBERS),
        10 => unicode(&mut b, rng),
        11 => insert_anywhere(&mut b, rng, MARKUP),
        12 => dictionary(&mut b, rng, m),
        _ => aliases(&mut b, rng),
    }
    b
}

/// Start offsets of lines, and the end of the text.
fn line_starts(b: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        b.iter()
            .enumerate()
            .filter(|(_, c)| **c == b'\n')
            .map(|(i, _)| i + 1)
            .filter(|i| *i < b.len()),
    );
    starts
}

/// A random line as (start, end without its newline).
fn line(b: &[u8], rng: &mut Rng) -> (usize, usize) {
    let starts = line_starts(b);
    let s = *rng.pick(&starts);
    let e = b[s..]
        .iter()
        .position(|c| *c == b'\n')
        .map_or(b.len(), |i| s + i);
    (s, e)
}

/// A random offset, usually on a character boundary.
fn boundary(b: &[u8], rng: &mut Rng) -> usize {
    let mut at = rng.below(b.len() + 1);
    if rng.chance(95) {
        while at < b.len() && (b[at] & 0xC0) == 0x80 {
            at += 1;
        }
    }
    at
}

/// A short span, usually on character boundaries; sometimes a whole line.
fn span(b: &[u8], rng: &mut Rng) -> (usize, usize) {
    if rng.chance(40) {
        let (s, e) = line(b, rng);
        return (s, (e + 1).min(b.len()));
    }
    let s = boundary(b, rng);
    let mut e = (s + 1 + rng.below(24)).min(b.len());
    while e < b.len() && (b[e] & 0xC0) == 0x80 {
        e += 1;
    }
    (s, e)
}

fn flip(b: &mut [u8], rng: &mut Rng) {
    if b.is_empty() {
        return;
    }
    let at = rng.below(b.len());
    if b[at].is_ascii() && rng.chance(80) {
        // Stay ASCII so the text stays UTF-8 and reaches the parser.
        b[at] = (b[at] ^ (1 << rng.below(7))) & 0x7F;
    } else {
        b[at] = rng.next() as u8;
    }
}

fn splice_line(b: &mut Vec<u8>, rng: &mut Rng, m: &Material) {
    let donor = rng.pick(m.seeds);
    if donor.is_empty() {
        return;
    }
    let (s, e) = line(donor, rng);
    let count = 1 + rng.below(4);
    let starts = line_starts(donor);
    let last = starts
        .iter()
        .position(|x| *x == s)
        .and_then(|i| starts.get(i + count))
        .copied()
        .unwrap_or(e);
    let mut piece = donor[s..last.max(e)].to_vec();
    piece.push(b'\n');
    let starts = line_starts(b);
    let at = *rng.pick(&starts);
    if rng.chance(30) {
        // Replace the line instead of adding one.
        let (ls, le) = line(b, rng);
        b.splice(ls..le, piece[..piece.len() - 1].iter().copied());
    } else {
        b.splice(at..at, piece);
    }
}

fn reindent(b: &mut Vec<u8>, rng: &mut Rng) {
    let (s, _) = line(b, rng);
    match rng.below(4) {
        0 => {
            let n = 1 + rng.below(4);
            b.splice(s..s, std::iter::repeat_n(b' ', n));
        }
        1 => b.insert(s, b'\t'),
        _ => {
            let spaces = b[s..].iter().take_while(|c| **c == b' ').count();
            let cut = spaces.min(1 + rng.below(4));
            b.drain(s..s + cut);
        }
    }
}

fn drop_colon(b: &mut Vec<u8>, rng: &mut Rng) {
    let (s, e) = line(b, rng);
    if let Some(i) = b[s..e].windows(2).position(|w| w == b": ") {
        let at = s + i;
        match rng.below(3) {
            0 => {
                b.drain(at..at + 2);
            }
            1 => {
                b.remove(at + 1);
            }
            _ => b[at] = b' ',
        }
    }
}

/// Replaces the value after a line's `: ` (or its `- ` item) with `bits`, or
/// inserts them somewhere.
fn insert_at_value(b: &mut Vec<u8>, rng: &mut Rng, bits: &[&str]) {
    let piece = rng.pick(bits).as_bytes().to_vec();
    let (s, e) = line(b, rng);
    let colon = b[s..e].windows(2).position(|w| w == b": " || w == b"- ");
    match colon {
        Some(i) if rng.chance(85) => {
            let v = s + i + 2;
            if rng.chance(70) {
                b.splice(v..e, piece);
            } else {
                b.splice(v..v, piece.into_iter().chain([b' ']));
            }
        }
        _ => {
            let at = boundary(b, rng);
            b.splice(at..at, piece);
        }
    }
}

fn insert_anywhere(b: &mut Vec<u8>, rng: &mut Rng, bits: &[&str]) {
    let piece = rng.pick(bits).as_bytes();
    let at = boundary(b, rng);
    b.splice(at..at, piece.iter().copied());
}

fn long_scalar(b: &mut Vec<u8>, rng: &mut Rng) {
    let unit: &[u8] = match rng.below(4) {
        0 => b"x",
        1 => "罚".as_bytes(),
        2 => b"9",
        _ => b"ab ",
    };
    let len = if rng.chance(80) {
        100 + rng.below(5_000)
    } else if rng.chance(85) {
        50_000 + rng.below(200_000)
    } else {
        // Past the 1 MiB input limit, which must be refused, not truncated:
        // as a comment, the keys after it vanish if the input is cut.
        let len = (1 << 20) + rng.below(1 << 16);
        if rng.chance(50) {
            let starts = line_starts(b);
            let at = *rng.pick(&starts);
            let comment = [&b"# "[..], &b"x".repeat(len), b"\n"].concat();
            b.splice(at..at, comment);
            return;
        }
        len
    };
    let piece: Vec<u8> = unit
        .iter()
        .copied()
        .cycle()
        .take(len * unit.len())
        .collect();
    insert_value_bytes(b, rng, piece);
}

fn nest(b: &mut Vec<u8>, rng: &mut Rng) {
    let depth = if rng.chance(80) {
        2 + rng.below(60)
    } else {
        1_000 + rng.below(20_000)
    };
    let piece: Vec<u8> = match rng.below(3) {
        0 => b"["
            .repeat(depth)
            .into_iter()
            .chain(b"]".repeat(depth))
            .collect(),
        1 => b"{a: "
            .repeat(depth)
            .into_iter()
            .chain(b"}".repeat(depth))
            .collect(),
        _ => {
            let depth = depth.min(400);
            let mut v = Vec::new();
            for i in 0..depth {
                v.push(b'\n');
                v.extend(std::iter::repeat_n(b' ', 2 * (i + 1)));
                v.extend_from_slice(b"k:");
            }
            v.extend_from_slice(b" x");
            v
        }
    };
    insert_value_bytes(b, rng, piece);
}

fn insert_value_bytes(b: &mut Vec<u8>, rng: &mut Rng, piece: Vec<u8>) {
    let (s, e) = line(b, rng);
    match b[s..e].windows(2).position(|w| w == b": ") {
        Some(i) => {
            b.splice(s + i + 2..e, piece);
        }
        None => {
            let at = boundary(b, rng);
            b.splice(at..at, piece);
        }
    }
}

fn unicode(b: &mut Vec<u8>, rng: &mut Rng) {
    let at = boundary(b, rng);
    if rng.chance(20) {
        let bad = *rng.pick(BAD_UTF8);
        b.splice(at..at, bad.iter().copied());
    } else if rng.chance(10) {
        // Whole-file encodings: a byte-order mark or CRLF line ends.
        if rng.chance(50) {
            b.splice(0..0, "\u{FEFF}".bytes());
        } else {
            *b = String::from_utf8_lossy(b)
                .replace('\n', "\r\n")
                .into_bytes();
        }
    } else {
        let piece = rng.pick(UNICODE).as_bytes();
        b.splice(at..at, piece.iter().copied());
    }
}

/// Renames a key, or adds a line `key: value` where the content model has
/// such words, so validation meets known keys in the wrong place.
fn dictionary(b: &mut Vec<u8>, rng: &mut Rng, m: &Material) {
    if m.words.is_empty() {
        return;
    }
    let word = rng.pick(m.words).clone();
    let (s, e) = line(b, rng);
    let text = &b[s..e];
    let indent = text
        .iter()
        .take_while(|c| **c == b' ' || **c == b'-')
        .count();
    let key_end = text.iter().position(|c| *c == b':');
    match (key_end, rng.below(3)) {
        (Some(k), 0) if k > indent => {
            b.splice(s + indent..s + k, word.into_bytes());
        }
        (Some(k), 1) if k + 2 <= e - s => {
            b.splice(s + k + 2..e, word.into_bytes());
        }
        _ => {
            let value = rng.pick(NUMBERS).to_string();
            let spaces = " ".repeat(text.iter().take_while(|c| **c == b' ').count());
            let new = format!("{spaces}{word}: {value}\n");
            b.splice(s..s, new.into_bytes());
        }
    }
}

/// Anchors and aliases: a value becomes an anchor, another line refers to it
/// (sometimes to an anchor that does not exist), or an alias bomb appears.
fn aliases(b: &mut Vec<u8>, rng: &mut Rng) {
    if rng.chance(20) {
        let mut bomb = String::from("\nlol0: &l0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..(3 + rng.below(7)) {
            bomb.push_str(&format!(
                "lol{i}: &l{i} [{}]\n",
                format!("*l{}, ", i - 1).repeat(9)
            ));
        }
        b.extend_from_slice(bomb.as_bytes());
        return;
    }
    let (s, e) = line(b, rng);
    if let Some(i) = b[s..e].windows(2).position(|w| w == b": ") {
        let v = s + i + 2;
        b.splice(v..v, *b"&anc ");
        let starts = line_starts(b);
        let (ts, te) = {
            let s2 = *rng.pick(&starts);
            let e2 = b[s2..]
                .iter()
                .position(|c| *c == b'\n')
                .map_or(b.len(), |i| s2 + i);
            (s2, e2)
        };
        if let Some(j) = b[ts..te].windows(2).position(|w| w == b": ") {
            let alias: &[u8] = if rng.chance(80) { b"*anc" } else { b"*nope" };
            b.splice(ts + j + 2..te, alias.iter().copied());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_mutant() {
        let seeds = vec![b"a: 1\nb: [x]\n".to_vec()];
        let words = vec!["principal".to_string()];
        let m = Material {
            seeds: &seeds,
            words: &words,
        };
        for run in 0..200 {
            let a = mutate(&seeds[0], &mut Rng::for_run(7, run), &m);
            let b = mutate(&seeds[0], &mut Rng::for_run(7, run), &m);
            assert_eq!(a, b);
        }
    }
}
