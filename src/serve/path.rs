//! Request paths → keys of the in-memory site.
//!
//! The dev server never opens a file per request: it looks the path up in
//! the built site's `files` map. This module is the one gate between a request
//! target as it came off the wire and that map. It decodes percent escapes
//! once, refuses anything that could step outside the site (`..`, encoded
//! slashes or backslashes, raw backslashes, control bytes, invalid UTF-8)
//! and never resolves `..` "helpfully": a path that needs it is simply not
//! a page of the site.

/// The site key a request path names, with `index.html` added for folder
/// URLs (`/` → `index.html`, `/lenders/x/` → `lenders/x/index.html`).
/// `None` means the path cannot name a file of the site (or names the
/// build's bookkeeping, `.lendguide-…`): answer 404.
pub fn site_key(raw: &str) -> Option<String> {
    let decoded = decode(raw.strip_prefix('/')?)?;
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            // The build's bookkeeping (`.lendguide-fold`, …), not the site.
            s if s.starts_with(".lendguide-") => return None,
            s => segments.push(s),
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        segments.push("index.html");
    }
    Some(segments.join("/"))
}

/// Percent-decodes a path. Encoded `/` and `\` are refused rather than
/// decoded, because they would change how the path splits into segments.
fn decode(raw: &str) -> Option<String> {
    use crate::percent::{Piece, pieces};
    let mut out = Vec::with_capacity(raw.len());
    for piece in pieces(raw) {
        let b = match piece {
            Piece::Escape {
                byte: b'/' | b'\\', ..
            }
            | Piece::Stray => return None,
            Piece::Escape { byte, .. } => byte,
            Piece::Plain(b) => b,
        };
        if b == b'\\' || b.is_ascii_control() {
            return None;
        }
        out.push(b);
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::site_key;

    #[test]
    fn folders_map_to_their_index() {
        assert_eq!(site_key("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_key("/lenders/weilidai/").as_deref(),
            Some("lenders/weilidai/index.html")
        );
        assert_eq!(
            site_key("/static/style.css").as_deref(),
            Some("static/style.css")
        );
        // A folder without its slash is a key the caller may redirect.
        assert_eq!(site_key("/compare").as_deref(), Some("compare"));
    }

    #[test]
    fn chinese_anchors_and_escapes_decode() {
        assert_eq!(
            site_key("/zh-Hant/%E6%8C%87%E5%8D%97.html").as_deref(),
            Some("zh-Hant/指南.html")
        );
        assert_eq!(site_key("/./a//b.html").as_deref(), Some("a/b.html"));
    }

    #[test]
    fn traversal_is_refused() {
        for raw in [
            "/../Cargo.toml",
            "/a/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/Cargo.toml",
            "/.%2e/Cargo.toml",
            "/..%2fCargo.toml",
            "/..%2FCargo.toml",
            "/..%5cCargo.toml",
            "/..\\Cargo.toml",
            "/%00",
            "/%zz",
            "/%e6%8c",
            "Cargo.toml",
            "/lenders/%2e%2e",
        ] {
            assert_eq!(site_key(raw), None, "{raw}");
        }
    }

    /// The build's own bookkeeping (the index's fold counts, the manifest,
    /// the marker) is not part of the site: the preview answers 404, as a
    /// static host configured to hide it would.
    #[test]
    fn bookkeeping_files_are_not_served() {
        for raw in [
            "/.lendguide-fold",
            "/.lendguide-manifest",
            "/zh-Hant/.lendguide-fold",
            "/%2Elendguide-fold",
        ] {
            assert_eq!(site_key(raw), None, "{raw}");
        }
        assert_eq!(
            site_key("/.well-known/x.txt").as_deref(),
            Some(".well-known/x.txt")
        );
    }

    #[test]
    fn absolute_paths_stay_inside_the_site() {
        // `//etc/passwd` names the site key `etc/passwd`, which no site has.
        assert_eq!(site_key("//etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(
            site_key("/%2Fetc/passwd"),
            None,
            "an encoded leading slash is refused"
        );
    }
}
