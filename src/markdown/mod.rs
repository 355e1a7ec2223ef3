//! Markdown → safe HTML fragments: the one entry point for every piece of
//! prose (guide and topic bodies, step bodies).
//!
//! It owns heading anchors, the rewriting of relative folder links so they
//! also work from disk (`../x/` → `../x/index.html`), and HTML safety: raw
//! HTML that could run code (`<script>`, `on*=` handlers, `javascript:` URLs,
//! frames, forms, styles) is a located error, and whatever raw HTML remains is
//! sanitised by ammonia anyway. It never touches files or templates.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Located};
use crate::utf8::Text;

mod locate;
mod remember;
mod safety;

pub(crate) use locate::Locator;
pub use locate::Origin;
pub use remember::render_remembered;
use safety::{dropped_attributes, hostile_html, is_script_url, link_survives, sanitize};

/// A rendered piece of prose and what later stages need to know about it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Markdown {
    /// Sanitised HTML.
    pub html: Text,
    pub headings: Vec<Heading>,
    /// Links as written, with where they were written (for link checking).
    pub links: Vec<Link>,
    /// Visible text, for search and summaries.
    pub text: Text,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Link {
    pub href: String,
    pub at: Located,
}

/// Renders `src` to sanitised HTML; problems go to `diags`.
pub fn render(src: &str, origin: &Origin, diags: &mut Vec<Diagnostic>) -> Markdown {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut locator = Locator::new(src, origin);

    let mut out = Markdown::default();
    // The visible text, for search and summaries.
    let mut visible = String::new();
    let mut events = Vec::new();
    let mut heading: Option<(usize, HeadingLevel, String)> = None;
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    // An HTML block being read: its start, its text, and whether a hostile
    // pattern was already reported in it.
    let mut block: Option<(usize, String, bool)> = None;
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        match &event {
            Event::Start(Tag::HtmlBlock) => block = Some((range.start, String::new(), false)),
            Event::End(TagEnd::HtmlBlock) => {
                // A block is judged whole: a tag may span its lines.
                if let Some((start, html, false)) = block.take() {
                    for what in dropped_attributes(&html) {
                        diags.push(dropped(&locator.at(start), &what));
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(why) = hostile_html(html) {
                    diags.push(
                        Diagnostic::error("unsafe-html", &locator.at(range.start), format!("raw HTML is not allowed here: {why}"))
                            .with_help("write plain Markdown; scripts, event handlers, frames, forms and styles are never published"),
                    );
                    if let Some((_, _, reported)) = block.as_mut() {
                        *reported = true;
                    }
                } else if let Some((_, text, _)) = block.as_mut() {
                    text.push_str(html);
                } else {
                    for what in dropped_attributes(html) {
                        diags.push(dropped(&locator.at(range.start), &what));
                    }
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((events.len(), *level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((index, level, text)) = heading.take() {
                    let id = unique_id(&anchor(&text), &mut used_ids);
                    if let Some(Event::Start(Tag::Heading { id: slot, .. })) = events.get_mut(index)
                    {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    out.headings.push(Heading {
                        level: level_number(&level),
                        id,
                        text,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let href = dest_url.to_string();
                let problem = if is_script_url(&href) {
                    Some("links may not run code (`javascript:`, `data:`, `vbscript:`)".to_string())
                } else if !link_survives(&event) {
                    Some(format!(
                        "the sanitiser would remove the link `{}`: it could run code, or its scheme is unknown",
                        href.escape_default()
                    ))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    diags.push(
                        Diagnostic::error("unsafe-link", &locator.at(range.start), problem)
                            .with_help("link to a page with http(s):// or a relative path"),
                    );
                }
                out.links.push(Link {
                    href,
                    at: locator.at(range.start),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = heading.as_mut() {
                    text.push_str(t);
                }
                visible.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                visible.push('\n')
            }
            _ => {}
        }
        events.push(rewrite_link(event));
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = sanitize(&decode_non_ascii_hrefs(&html)).into();
    out.text = visible.into();
    out
}

fn dropped(at: &Located, what: &str) -> Diagnostic {
    Diagnostic::error("unsafe-html", at, format!("raw HTML the sanitiser would remove: {what}"))
        .with_help("only safe HTML is published (no event handlers, styles or script URLs, however encoded); remove it or write plain Markdown")
}

/// pulldown-cmark percent-encodes non-ASCII in links; anchors to Chinese
/// heading ids must stay readable characters so that the Traditional page,
/// converted as text, converts the link and its target alike.
fn decode_non_ascii_hrefs(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        let start = i + 6;
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        out.push_str(&decode_utf8_escapes(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Decodes runs of `%XX` that form non-ASCII UTF-8; ASCII escapes stay.
fn decode_utf8_escapes(href: &str) -> String {
    use crate::percent::{Piece, pieces};
    let mut out = Vec::with_capacity(href.len());
    for piece in pieces(href) {
        match piece {
            Piece::Escape { byte, .. } if byte >= 0x80 => out.push(byte),
            Piece::Escape { raw, .. } => out.extend_from_slice(raw.as_bytes()),
            Piece::Plain(b) => out.push(b),
            Piece::Stray => out.push(b'%'),
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| href.to_string())
}

/// Anchor text for a heading: lower-case, spaces to dashes, punctuation out;
/// Chinese characters stay (they are valid in HTML ids and readable in URLs).
pub fn anchor(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "section".into() } else { id }
}

fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn level_number(level: &HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Relative links to a folder get `index.html`, so the site also works when
/// opened straight from disk.
fn rewrite_link(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if is_relative(&dest_url) {
                CowStr::from(with_index(&dest_url))
            } else {
                dest_url
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    }
}

/// True for links inside the site (no scheme, no leading `/`, not `#…`).
pub fn is_relative(href: &str) -> bool {
    !href.is_empty() && !href.starts_with('#') && !href.starts_with('/') && !has_scheme(href)
}

fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && href[..i].find(['/', '?', '#']).is_none()
        }
        None => false,
    }
}

/// `a/b/` → `a/b/index.html`, keeping any `#fragment`.
pub fn with_index(href: &str) -> String {
    if !is_relative(href) {
        return href.to_string();
    }
    let (path, fragment) = match href.find('#') {
        Some(i) => (&href[..i], &href[i..]),
        None => (href, ""),
    };
    if path.ends_with('/') || path == ".." || path == "." {
        let sep = if path.ends_with('/') { "" } else { "/" };
        format!("{path}{sep}index.html{fragment}")
    } else {
        href.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(src: &str) -> (Markdown, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let origin = Origin {
            file: "g.md".into(),
            first_line: 10,
            first_column: 0,
            every_line_indent: 0,
        };
        (render(src, &origin, &mut diags), diags)
    }

    #[test]
    fn script_is_a_located_error_and_never_published() {
        let (m, d) = md("第一段\n\n<script>alert(1)</script>\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (12, 1));
        assert!(!m.html.contains("<script"));
    }

    #[test]
    fn event_handlers_and_js_links_are_refused() {
        assert_eq!(md("<img src=x onerror=alert(1)>").1.len(), 1);
        assert_eq!(md("[点我](javascript:alert(1))").1.len(), 1);
        assert!(md("<b>只是加粗</b>，不要 onboarding").1.is_empty());
    }

    /// Issue 8: markup that ammonia strips but the string patterns missed
    /// (encoded or split `javascript:`, a form feed before `onerror=`, a URL
    /// scheme ammonia does not allow) disappeared without a word.
    #[test]
    fn whatever_the_sanitiser_drops_is_a_located_error() {
        for src in [
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\"java\tscript:alert(1)\">x</a>",
            "<div>\n<img src=x\x0conerror=alert(1)>\n</div>",
            "<div>\n<img src=x\nonerror=alert(1)>\n</div>",
            "<p style=\"color:red\">红</p>",
            "[链接](foo:bar)",
            "![图](javas&#99;ript:alert(1))",
        ] {
            let (m, d) = md(&format!("第一段\n\n{src}\n"));
            assert_eq!(d.len(), 1, "{src}: {d:?}");
            assert_eq!(d[0].line, 12, "{src}: {d:?}");
            assert!(!m.html.contains("alert"), "{}", m.html);
        }
        let (_, d) = md("文字 <b\tonclick=alert(1)>粗</b>");
        assert_eq!((d.len(), d[0].column), (1, 4), "{d:?}");
        // Outside a block a form feed makes no tag: the text shows as written.
        assert!(
            md("<img src=x\x0conerror=alert(1)>")
                .0
                .html
                .contains("&lt;img")
        );
        let harmless = "<b class=\"x\">粗</b> <a href=\"https://x.org/\">外</a> [内](../a/) [邮件](mailto:a@b.cn) <img src=\"a.png\" alt=\"图\">";
        assert!(md(harmless).1.is_empty(), "{:?}", md(harmless).1);
    }

    /// Verdicts on links are remembered per thread: a link is judged the
    /// same however often it is written.
    #[test]
    fn a_repeated_link_is_judged_the_same_every_time() {
        for _ in 0..2 {
            let (_, d) = md("[坏](foo:bar) [好](../a/) [坏](foo:bar) [好](../a/)");
            assert_eq!(d.len(), 2, "{d:?}");
            assert!(d.iter().all(|d| d.code == "unsafe-link"), "{d:?}");
        }
    }

    #[test]
    fn headings_get_unique_chinese_anchors() {
        let (m, _) = md("## 第一步：联系客服\n\n## 第一步：联系客服\n");
        assert_eq!(m.headings[0].id, "第一步联系客服");
        assert_eq!(m.headings[1].id, "第一步联系客服-2");
        assert!(m.html.contains("id=\"第一步联系客服-2\""), "{}", m.html);
    }

    #[test]
    fn folder_links_work_from_disk() {
        let (m, _) = md("[骗局](../../topics/agent-scams/#警惕)");
        assert!(
            m.html.contains("../../topics/agent-scams/index.html#警惕"),
            "{}",
            m.html
        );
        assert_eq!(with_index("https://x.org/"), "https://x.org/");
    }

    #[test]
    fn tables_and_footnotes_render() {
        let (m, _) = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n注[^1]\n\n[^1]: 来源\n");
        assert!(m.html.contains("<table>"));
        assert!(m.html.contains("footnote"));
    }
}
