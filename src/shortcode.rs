//! Shortcodes: how prose inserts computed figures without typing them.
//!
//! `{{ figure("example-id", "field") }}` puts one figure inline;
//! `{{ example("example-id") }}` puts the example's whole table in a
//! paragraph of its own. Before Markdown runs, each shortcode is checked
//! against the guide's examples and replaced by a placeholder made of
//! private-use characters (which Markdown, ammonia and OpenCC all leave
//! alone); `render` swaps the placeholders for computed HTML.

use crate::diagnostics::Diagnostic;
use crate::markdown::{Locator, Origin};

/// What a placeholder stands for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shortcode {
    pub example: String,
    /// `None` inserts the whole example.
    pub field: Option<String>,
}

const OPEN: char = '\u{E001}';
const CLOSE: char = '\u{E002}';

/// The placeholder text for shortcode number `n` of a guide.
pub fn placeholder(n: usize) -> String {
    format!("{OPEN}{n}{CLOSE}")
}

/// What a guide knows of an example id that prose cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cited {
    /// No example has this id.
    Unknown,
    /// The example exists but has errors of its own, reported there.
    Failed,
    /// The example computes these figures.
    Fields(Vec<String>),
}

const FORMS: &str =
    "write {{ figure(\"example-id\", \"field\") }} or {{ example(\"example-id\") }}";

/// Replaces shortcodes in `src`, appending to `found`; `cited(example)`
/// says what the guide knows of an example id. Private-use characters are
/// refused first: placeholders are made of them, and readers' devices show
/// them as nothing or as some other symbol.
pub fn extract(
    src: &str,
    origin: &Origin,
    found: &mut Vec<Shortcode>,
    cited: &dyn Fn(&str) -> Cited,
    diags: &mut Vec<Diagnostic>,
) -> String {
    private_use(src, origin, diags);
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    let mut consumed = 0;
    let mut locator = Locator::new(src, origin);
    while let Some(start) = rest.find("{{") {
        let at = locator.at(consumed + start);
        let close = rest[start + 2..].find("}}").map(|l| start + 2 + l);
        // A `{{` with no `}}` before the next `{{` (or the end) is unclosed.
        let next_open = rest[start + 2..].find("{{").map(|l| start + 2 + l);
        let end = match (close, next_open) {
            (Some(close), Some(open)) if open < close => None,
            (close, _) => close,
        };
        let Some(end) = end else {
            let upto = next_open.unwrap_or(rest.len());
            let written: String = rest[start..upto]
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            diags.push(
                Diagnostic::error(
                    "bad-shortcode",
                    &at,
                    format!("unclosed shortcode `{}`", written.trim_end()),
                )
                .with_help(format!("end it with `}}}}`: {FORMS}")),
            );
            out.push_str(&rest[..upto]);
            consumed += upto;
            rest = &rest[upto..];
            continue;
        };
        let inner = rest[start + 2..end].trim();
        out.push_str(&rest[..start]);
        match parse(inner) {
            Some(code) => {
                if let Some(problem) = check(&code, cited) {
                    diags.push(
                        Diagnostic::error("bad-shortcode", &at, problem.0).with_help(problem.1),
                    );
                }
                out.push_str(&placeholder(found.len()));
                found.push(code);
            }
            None => {
                diags.push(
                    Diagnostic::error(
                        "bad-shortcode",
                        &at,
                        format!("cannot read `{{{{ {inner} }}}}`"),
                    )
                    .with_help(FORMS),
                );
            }
        }
        consumed += end + 2;
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// U+E000–U+F8FF and planes 15–16.
fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..)
}

fn private_use(src: &str, origin: &Origin, diags: &mut Vec<Diagnostic>) {
    let mut locator = Locator::new(src, origin);
    for (offset, c) in src.char_indices().filter(|(_, c)| is_private_use(*c)) {
        diags.push(
            Diagnostic::error(
                "private-use",
                &locator.at(offset),
                format!("private-use character U+{:04X} in prose", u32::from(c)),
            )
            .with_help("it has no agreed meaning, so readers see nothing or a different symbol; write the character you meant, or remove it"),
        );
    }
}

fn check(code: &Shortcode, cited: &dyn Fn(&str) -> Cited) -> Option<(String, String)> {
    let names = match cited(&code.example) {
        Cited::Unknown => {
            return Some((
                format!("no example `{}` in this guide", code.example),
                "examples are listed under `examples:` in the front matter; use one of their ids"
                    .into(),
            ));
        }
        // The example's own errors say what is wrong; one more here would
        // only repeat them.
        Cited::Failed => return None,
        Cited::Fields(names) => names,
    };
    let field = code.field.as_ref()?;
    if names.contains(field) {
        return None;
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let help = crate::suggest::did_you_mean(field, &refs).map_or_else(
        || format!("this example reports: {}", names.join(", ")),
        |n| format!("did you mean `{n}`?"),
    );
    Some((
        format!("example `{}` has no figure `{field}`", code.example),
        help,
    ))
}

/// `figure("a", "b")` or `example("a")`.
fn parse(inner: &str) -> Option<Shortcode> {
    let (name, args) = inner.split_once('(')?;
    let args = args.strip_suffix(')')?;
    let args: Vec<String> = args
        .split(',')
        .map(|a| a.trim().trim_matches('"').trim_matches('\'').to_string())
        .collect();
    match (name.trim(), args.as_slice()) {
        ("figure", [example, field]) => Some(Shortcode {
            example: example.clone(),
            field: Some(field.clone()),
        }),
        ("example", [example]) => Some(Shortcode {
            example: example.clone(),
            field: None,
        }),
        _ => None,
    }
}

/// Every placeholder in `html` replaced by `fill(shortcode index)`; a
/// placeholder alone in a paragraph replaces the whole paragraph (tables do
/// not belong inside `<p>`).
pub fn fill(html: &str, fill: &dyn Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let Some(len) = rest[start..].find(CLOSE) else {
            break;
        };
        let n: usize = rest[start + OPEN.len_utf8()..start + len]
            .parse()
            .unwrap_or(usize::MAX);
        let end = start + len + CLOSE.len_utf8();
        if let Some(before) = rest[..start].strip_suffix("<p>")
            && rest[end..].starts_with("</p>")
        {
            out.push_str(before);
            out.push_str(&fill(n));
            rest = &rest[end + "</p>".len()..];
            continue;
        }
        out.push_str(&rest[..start]);
        out.push_str(&fill(n));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            file: "g.md".into(),
            first_line: 5,
            first_column: 0,
            every_line_indent: 0,
        }
    }

    #[test]
    fn extracts_checks_and_fills() {
        let fields = |id: &str| {
            if id == "ex" {
                Cited::Fields(vec!["penalty".to_string()])
            } else {
                Cited::Unknown
            }
        };
        let mut found = Vec::new();
        let mut diags = Vec::new();
        let text = extract(
            "罚息 {{ figure(\"ex\", \"penalty\") }}。\n\n{{ example(\"ex\") }}\n\n{{ figure(\"ex\", \"penalt\") }} {{ figure(\"nope\", \"x\") }}",
            &origin(),
            &mut found,
            &fields,
            &mut diags,
        );
        assert!(!text.contains("{{"), "{text}");
        assert_eq!(found.len(), 4);
        assert_eq!(diags.len(), 2);
        assert_eq!((diags[0].line, diags[0].column), (9, 1));
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `penalty`?"));
        let html = format!("<p>a{}</p><p>{}</p>", placeholder(0), placeholder(1));
        assert_eq!(fill(&html, &|n| format!("[{n}]")), "<p>a[0]</p>[1]");
    }
}
