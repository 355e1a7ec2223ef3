//! HTML safety of prose: which raw HTML and link URLs are refused as
//! located errors, and the ammonia allowlist that sanitises whatever raw
//! HTML remains. `render` asks here; nothing here parses Markdown (a link
//! arrives as pulldown-cmark's start event).
//!
//! Named patterns (`<script`, `on…=`, `javascript:`) give the clearest
//! messages, but encodings and odd whitespace slip past any list; so every
//! piece of raw HTML and every link is also run through ammonia alone and
//! both sides are tokenised by html5ever: an attribute ammonia removed is
//! reported, whatever trick hid it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use pulldown_cmark::{Event, Tag, TagEnd};

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

/// The sanitiser's rules, built once: a fresh `ammonia::Builder` fills a
/// dozen hash sets, and every body, step and raw HTML block is sanitised.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"])
        .link_rel(Some("noopener noreferrer"));
    builder
});

pub(super) fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Whether the sanitiser keeps the URL of a link or image start event.
pub(super) fn link_survives(start: &Event<'_>) -> bool {
    let end = match start {
        Event::Start(Tag::Image { .. }) => TagEnd::Image,
        _ => TagEnd::Link,
    };
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, [start.clone(), Event::End(end)].into_iter());
    // Prose repeats a few links (topics, sibling guides) thousands of times,
    // and the sanitiser's verdict on the same tag is always the same: each
    // thread remembers its latest verdicts instead of sanitising again.
    thread_local! {
        static VERDICTS: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    }
    VERDICTS.with(|verdicts| {
        if let Some(&survives) = verdicts.borrow().get(&html) {
            return survives;
        }
        let survives = dropped_attributes(&html).is_empty();
        let mut verdicts = verdicts.borrow_mut();
        if verdicts.len() >= 1024 {
            verdicts.clear();
        }
        verdicts.insert(html, survives);
        survives
    })
}

/// A start tag: its name and attributes (names and decoded values).
type StartTag = (String, Vec<(String, String)>);

/// The attributes ammonia removes from `html`, as `name="value"` on `<tag>`,
/// for tags that survive it (a tag ammonia drops whole is judged by
/// [`hostile_html`]; out of its context, a lone `<td>` vanishes anyway).
pub(super) fn dropped_attributes(html: &str) -> Vec<String> {
    let kept = start_tags(&sanitize(html));
    let mut from = 0;
    let mut dropped = Vec::new();
    for (name, attrs) in start_tags(html) {
        let Some(i) = kept[from..].iter().position(|(n, _)| *n == name) else {
            continue;
        };
        let survivor = &kept[from + i].1;
        from += i + 1;
        for (attr, value) in attrs {
            if !survivor.iter().any(|(a, _)| *a == attr) {
                let value: String = value
                    .chars()
                    .flat_map(char::escape_default)
                    .take(60)
                    .collect();
                dropped.push(format!("`{attr}=\"{value}\"` on `<{name}>`"));
            }
        }
    }
    dropped
}

fn start_tags(html: &str) -> Vec<StartTag> {
    struct Sink(RefCell<Vec<StartTag>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token
                && tag.kind == TagKind::StartTag
            {
                let attrs = tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                self.0.borrow_mut().push((tag.name.to_string(), attrs));
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink(RefCell::new(Vec::new())), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}
