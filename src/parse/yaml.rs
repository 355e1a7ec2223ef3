//! YAML → raw structs through serde-saphyr, and its errors → located
//! diagnostics: the file's line (front matter starts on line 2), the
//! character column, and for an unknown key the nearest allowed one.

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Located};
use crate::suggest::did_you_mean;

/// Deserialises YAML into `T`, turning any error into a located diagnostic.
pub fn from_yaml<T: DeserializeOwned>(
    text: &str,
    file: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str(text).map_err(|e| yaml_diagnostic(&e, file, line_offset))
}

fn yaml_diagnostic(e: &serde_saphyr::Error, file: &str, line_offset: usize) -> Diagnostic {
    let (line, column) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .filter(|(l, _)| *l > 0)
        .unwrap_or((1, 1));
    let raw = e.without_snippet().to_string();
    let message = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    let at = Located::new(file, line + line_offset, column);
    if let Some((field, expected)) = unknown_field(&message) {
        let help = match did_you_mean(field, &expected) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the keys allowed here are: {}", expected.join(", ")),
        };
        return Diagnostic::error("unknown-key", &at, format!("unknown key `{field}`"))
            .with_help(help);
    }
    if let Some(field) = between(&message, "missing field `", "`") {
        return Diagnostic::error(
            "missing-key",
            &at,
            format!("missing required key `{field}`"),
        )
        .with_help(format!("add `{field}: …` to this mapping"));
    }
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key).trim();
        return Diagnostic::error("duplicate-key", &at, format!("key `{key}` appears twice"))
            .with_help("keep one of them; YAML would otherwise silently drop the first");
    }
    let (code, help) =
        if message.contains("expected string scalar") || message.contains("invalid type") {
            (
                "wrong-type",
                "this key takes a single value (text or number), not a list or mapping",
            )
        } else if message.contains("sequence") {
            (
                "wrong-type",
                "this key takes a list: write each item on its own line starting with `- `",
            )
        } else {
            (
                "bad-yaml",
                "check the indentation and quoting around this position",
            )
        };
    Diagnostic::error(code, &at, message).with_help(help)
}

/// `unknown field `x`, expected one of a, b` → (x, [a, b]).
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let field = between(message, "unknown field `", "`")?;
    let expected = message
        .split_once("expected one of ")
        .or_else(|| message.split_once("expected "))
        .map(|(_, list)| {
            list.split(',')
                .map(|s| s.trim().trim_matches('`'))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Some((field, expected))
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let len = s[from..].find(end)?;
    Some(&s[from..from + len])
}
