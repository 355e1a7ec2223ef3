//! The one escaping function for everything render writes as markup:
//! Tera's autoescape (HTML pages and the Atom feeds, `feed.xml`) and the
//! sitemap, which is built by hand. A value escaped here is safe in element
//! text and in quoted attributes of both HTML and XML.
//!
//! It escapes the five characters markup gives meaning to, with the same
//! entities as Tera's default (so HTML output is unchanged), and replaces
//! the characters XML 1.0 forbids even as references (C0 controls other
//! than tab, line feed and carriage return; U+FFFE, U+FFFF) with U+FFFD,
//! so no value can make a feed or the sitemap ill-formed.
//!
//! robots.txt is plain text, not markup: [`plain_url`] keeps its `Sitemap:`
//! line one line, whatever the URL holds.

use std::borrow::Cow;
use std::io::{self, Write};

/// `value` as markup text or a quoted attribute value.
pub fn escape(value: &str) -> Cow<'_, str> {
    if !value.chars().any(needs_escape) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if forbidden_in_xml(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape`] in the shape Tera's `set_escape_fn` takes.
pub fn escape_into(value: &str, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(escape(value).as_bytes())
}

/// A URL for a plain-text line: whitespace, controls and non-ASCII are
/// percent-encoded, so the line cannot break or smuggle a directive.
/// `validate::url` already refuses such base URLs; this is the last guard.
pub fn plain_url(url: &str) -> Cow<'_, str> {
    if url.chars().all(|c| c.is_ascii_graphic()) {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len() + 16);
    for c in url.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'') || forbidden_in_xml(c)
}

fn forbidden_in_xml(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::{escape, plain_url};

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape(r#"https://example.org/a&b/<script x="1">'"#),
            "https://example.org/a&amp;b/&lt;script x=&quot;1&quot;&gt;&#39;"
        );
        assert_eq!(escape("微粒贷 ok"), "微粒贷 ok");
    }

    #[test]
    fn characters_xml_forbids_are_replaced() {
        assert_eq!(escape("a\u{1}b\tc\n\u{FFFF}"), "a\u{FFFD}b\tc\n\u{FFFD}");
    }

    #[test]
    fn plain_urls_stay_on_one_line() {
        assert_eq!(
            plain_url("https://example.org/a&b/"),
            "https://example.org/a&b/"
        );
        assert_eq!(
            plain_url("https://x.org/a\nDisallow: /\u{4e2d}"),
            "https://x.org/a%0ADisallow:%20/%E4%B8%AD"
        );
    }
}
