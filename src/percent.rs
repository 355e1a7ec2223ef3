//! The one percent-decoder. Links in prose, the link check and the dev
//! server all read `%XX` escapes; they differ only in what they do with
//! each piece, so they share the reading and keep their policies:
//! `markdown` decodes non-ASCII escapes and keeps ASCII ones, the link
//! check decodes everything, `serve` refuses anything that could change
//! how a path splits.

/// One piece of a percent-encoded string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A byte as written.
    Plain(u8),
    /// `%XX`: the byte it stands for, and the escape as written.
    Escape { byte: u8, raw: &'a str },
    /// A `%` not followed by two hexadecimal digits.
    Stray,
}

/// The pieces of `s`, in order.
pub fn pieces(s: &str) -> impl Iterator<Item = Piece<'_>> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let b = *bytes.get(i)?;
        if b != b'%' {
            i += 1;
            return Some(Piece::Plain(b));
        }
        match s
            .get(i + 1..i + 3)
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
        {
            Some(hex) => {
                let raw = &s[i..i + 3];
                i += 3;
                u8::from_str_radix(hex, 16)
                    .ok()
                    .map(|byte| Piece::Escape { byte, raw })
            }
            None => {
                i += 1;
                Some(Piece::Stray)
            }
        }
    })
}

/// Every escape decoded; a stray `%` stays; invalid UTF-8 is replaced.
pub fn decode_lossy(s: &str) -> String {
    let bytes: Vec<u8> = pieces(s)
        .map(|p| match p {
            Piece::Plain(b) | Piece::Escape { byte: b, .. } => b,
            Piece::Stray => b'%',
        })
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_escapes_plain_bytes_and_strays() {
        let p: Vec<Piece> = pieces("a%2Fb%zz%E7").collect();
        assert_eq!(
            p,
            [
                Piece::Plain(b'a'),
                Piece::Escape {
                    byte: b'/',
                    raw: "%2F"
                },
                Piece::Plain(b'b'),
                Piece::Stray,
                Piece::Plain(b'z'),
                Piece::Plain(b'z'),
                Piece::Escape {
                    byte: 0xE7,
                    raw: "%E7"
                },
            ]
        );
        assert_eq!(
            pieces("%4").collect::<Vec<_>>(),
            [Piece::Stray, Piece::Plain(b'4')]
        );
        assert_eq!(decode_lossy("%E7%BD%9A%E6%81%AF"), "罚息");
        assert_eq!(decode_lossy("100%"), "100%");
    }
}
