//! HTML safety of prose: which raw HTML and link URLs are refused as
//! located errors, and the ammonia allowlist that sanitises whatever raw
//! HTML remains. `render` asks here; nothing here parses Markdown.

pub(super) fn is_script_url(href: &str) -> bool {
    let lower: String = href
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// Why a piece of raw HTML is refused, if it is.
pub(super) fn hostile_html(html: &str) -> Option<&'static str> {
    let lower = html.to_lowercase();
    const TAGS: [(&str, &str); 9] = [
        ("<script", "`<script>` runs code"),
        ("<iframe", "`<iframe>` embeds other sites"),
        ("<object", "`<object>` embeds plugins"),
        ("<embed", "`<embed>` embeds plugins"),
        ("<form", "`<form>` sends data"),
        ("<style", "`<style>` changes the whole page"),
        ("<link", "`<link>` loads outside resources"),
        ("<meta", "`<meta>` can redirect the page"),
        ("<base", "`<base>` changes every link"),
    ];
    if let Some((_, why)) = TAGS.iter().find(|(tag, _)| lower.contains(tag)) {
        return Some(why);
    }
    if lower.contains("javascript:") || lower.contains("vbscript:") {
        return Some("`javascript:` URLs run code");
    }
    let bytes = lower.as_bytes();
    for (i, w) in lower.match_indices("on") {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let rest = &lower[i + w.len()..];
        let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let after = rest[name_len..].trim_start();
        if matches!(before, Some(b' ' | b'\t' | b'\n' | b'/' | b'"' | b'\''))
            && name_len > 0
            && after.starts_with('=')
        {
            return Some("`on…=` event handlers run code");
        }
    }
    None
}

pub(super) fn sanitize(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"])
        .link_rel(Some("noopener noreferrer"));
    builder.clean(html).to_string()
}
