//! What the dev server adds to pages on their way out: the live-reload
//! script tag, and the build-error overlay while the content has errors.
//!
//! Only served bytes are changed; the built site (and `build`'s output) is
//! never touched. Pages carry a CSP meta tag (`script-src 'self';
//! style-src 'self'; connect-src 'self'`), so everything added here is a
//! same-origin file under `/__lendguide/`: no inline script or style.

use super::live::Snapshot;

/// Where the dev server's own files live; no site path can start with it
/// (site paths are slugs of `[a-z0-9-]`).
pub const PREFIX: &str = "/__lendguide/";
pub const RELOAD_JS: &str = include_str!("assets/reload.js");
pub const OVERLAY_CSS: &str = include_str!("assets/overlay.css");

/// The Content-Type for a site key, by its extension.
pub fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

pub fn is_html(key: &str) -> bool {
    content_type(key).starts_with("text/html")
}

/// A page of the site with the reload script and, when the latest build
/// failed, the overlay added.
pub fn decorate(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let mut out = html.into_owned();
    let tail = match &snapshot.errors {
        Some(errors) => {
            if !insert_before(&mut out, "</head>", STYLESHEET) {
                out.push_str(STYLESHEET);
            }
            overlay(errors, true) + &script(snapshot)
        }
        None => script(snapshot),
    };
    if !insert_before(&mut out, "</body>", &tail) {
        out.push_str(&tail);
    }
    out.into_bytes()
}

/// The page served for every path while no build has succeeded yet.
pub fn overlay_page(snapshot: &Snapshot) -> String {
    let errors = snapshot.errors.as_deref().unwrap_or("building…");
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'self'; script-src 'self'; connect-src 'self'\">\n\
         <title>Build failed · lendguide serve</title>\n{STYLESHEET}</head>\n<body>\n{}{}</body>\n</html>\n",
        overlay(errors, false),
        script(snapshot)
    )
}

const STYLESHEET: &str = "<link rel=\"stylesheet\" href=\"/__lendguide/overlay.css\">\n";

fn script(snapshot: &Snapshot) -> String {
    format!(
        "<script src=\"/__lendguide/reload.js\" data-generation=\"{}\"></script>\n",
        escape(&snapshot.generation)
    )
}

fn overlay(errors: &str, has_site: bool) -> String {
    let lead = if has_site {
        "The page below is the last version that built. Fix these problems; the page reloads by itself when the content builds again."
    } else {
        "No version of the site has built yet. Fix these problems; the page reloads by itself when the content builds."
    };
    format!(
        "<div class=\"lendguide-overlay\" id=\"lendguide-overlay\" role=\"alert\">\
         <div class=\"lendguide-overlay-box\">\n<h2>lendguide: the build failed</h2>\n\
         <p>{lead}</p>\n<pre>{}</pre>\n</div></div>\n",
        escape(errors.trim_end())
    )
}

/// Inserts `text` before the last `marker` (case-insensitive ASCII).
fn insert_before(html: &mut String, marker: &str, text: &str) -> bool {
    let found = html.to_ascii_lowercase().rfind(marker);
    match found {
        Some(at) => {
            html.insert_str(at, text);
            true
        }
        None => false,
    }
}

/// Escapes text for an HTML element or a quoted attribute: the one
/// escaper the built pages use too.
pub fn escape(text: &str) -> String {
    crate::render::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(errors: Option<&str>) -> Snapshot {
        Snapshot {
            generation: "1-2".into(),
            site: None,
            errors: errors.map(str::to_string),
        }
    }

    #[test]
    fn reload_script_goes_before_body_end() {
        let page = "<html><head></head><body><p>x</p></body></html>";
        let out = String::from_utf8(decorate(page.as_bytes(), &snapshot(None))).unwrap();
        assert!(out.contains(
            "<script src=\"/__lendguide/reload.js\" data-generation=\"1-2\"></script>\n</body>"
        ));
        assert!(!out.contains("overlay"));
    }

    #[test]
    fn overlay_is_escaped_and_styled_from_a_file() {
        let page = "<html><head></head><body></body></html>";
        let errors = "error: bad <script> & \"x\"\n --> a.md:3:5";
        let out = String::from_utf8(decorate(page.as_bytes(), &snapshot(Some(errors)))).unwrap();
        assert!(out.contains("overlay.css\">\n</head>"));
        assert!(out.contains("bad &lt;script&gt; &amp; &quot;x&quot;"));
        assert!(out.contains("a.md:3:5"));
        assert!(!out.contains("style="), "the CSP forbids inline styles");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("static/search.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("search/manifest.json"), "application/json");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("blob"), "application/octet-stream");
    }
}
