//! The base URL every absolute address is built on: canonical links, the
//! sitemap, robots.txt and the Atom feeds. One rule for `site.yaml`'s
//! `base_url` and for `--base-url`:
//!
//! - an absolute `http://` or `https://` address with a host and no user
//!   name, query or fragment (page paths are appended to it);
//! - only the characters RFC 3986 allows in a URL, so it can hold no
//!   whitespace, control character, quote, `<`, `>` or non-ASCII letter
//!   (percent-encode those), and so no value can break a line of
//!   robots.txt or leave an attribute;
//! - it ends in `/` (required, not added silently: the error shows the
//!   address to write).
//!
//! `&` and `'` are legal URL characters and pass; every output escapes them
//! (`render::escape`). This module only decides; callers report.

/// Why a base URL was refused, in words for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlProblem {
    pub message: String,
    pub help: String,
}

const EXAMPLE: &str = "e.g. \"https://example.org/lendguide/\"";

/// Checks a base URL (already trimmed) against the rule above.
pub fn base_url(url: &str) -> Result<(), UrlProblem> {
    if let Some(c) = url.chars().find(|c| !is_url_char(*c)) {
        return Err(problem(
            format!(
                "base_url contains {}, which a web address cannot hold",
                describe(c)
            ),
            "percent-encode it (a space is %20), or write a plain address, e.g. \"https://example.org/lendguide/\"",
        ));
    }
    if let Some(at) = url.find('%')
        && !url[at + 1..]
            .bytes()
            .take(2)
            .filter(u8::is_ascii_hexdigit)
            .count()
            .eq(&2)
    {
        return Err(problem(
            format!("base_url `{url}` has a `%` that is not followed by two hex digits"),
            "write `%25` for a literal percent sign",
        ));
    }
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(problem(
            format!("base_url `{url}` is not an absolute http:// or https:// address"),
            EXAMPLE,
        ));
    };
    if url.contains(['?', '#']) {
        return Err(problem(
            format!("base_url `{url}` has a query or fragment (`?…` or `#…`)"),
            "page paths are appended to base_url; give the site's folder address, e.g. \"https://example.org/lendguide/\"",
        ));
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.contains('@') {
        return Err(problem(
            format!("base_url `{url}` holds a user name (`…@`)"),
            "a public address carries no user name or password",
        ));
    }
    if host.is_empty() || host.starts_with(':') {
        return Err(problem(format!("base_url `{url}` has no host"), EXAMPLE));
    }
    if !url.ends_with('/') {
        return Err(problem(
            format!("base_url `{url}` must end in `/`"),
            format!("write \"{url}/\""),
        ));
    }
    Ok(())
}

fn problem(message: String, help: impl Into<String>) -> UrlProblem {
    UrlProblem {
        message,
        help: help.into(),
    }
}

/// RFC 3986: unreserved, reserved and `%` (of percent-encoding).
fn is_url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

fn describe(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '"' => "a double quote `\"`".into(),
        c if c.is_control() => format!("a control character (U+{:04X})", c as u32),
        c if c.is_whitespace() => format!("a space character (U+{:04X})", c as u32),
        c if !c.is_ascii() => format!("`{c}` (not ASCII)"),
        c => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::base_url;

    #[test]
    fn plain_addresses_pass() {
        for ok in [
            "https://example.org/",
            "http://127.0.0.1:8000/",
            "https://example.org/a&b/",
            "https://example.org/%E6%8C%87%E5%8D%97/",
            "https://[::1]:8080/site/",
        ] {
            assert_eq!(base_url(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        for (bad, says) in [
            ("https://example.org/<x>/", "`<`"),
            ("https://example.org/'\"/", "double quote"),
            ("https://example.org/a\u{0}/", "U+0000"),
            ("https://example.org/a\u{3000}/", "U+3000"),
            ("https://example.org/%zz/", "two hex digits"),
            ("https://example.org/%4/", "two hex digits"),
            ("//example.org/", "http:// or https://"),
            ("HTTPS://example.org/", "http:// or https://"),
            ("https://example.org/?a", "query"),
            ("https://a:b@example.org/", "user name"),
            ("https://:80/", "no host"),
            ("https://", "no host"),
            ("https://example.org", "\"https://example.org/\""),
        ] {
            let e = base_url(bad).expect_err(bad);
            let text = format!("{} {}", e.message, e.help);
            assert!(text.contains(says), "{bad}: {text}");
            assert!(!e.help.is_empty());
        }
    }
}
