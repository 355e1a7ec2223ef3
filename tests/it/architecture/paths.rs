//! Which top-level module a path reaches: `crate::a::…`, each item of
//! `crate::{a, b::c}`, and `super::…` chains that climb to the crate root.
//! A name at the root that is not a module (`crate::BuildOptions`) is `lib`.

use std::fs;
use std::path::{Component, Path};

use super::lex;

/// The modules `lib.rs` declares.
pub fn top_level_modules(src: &Path) -> Vec<String> {
    let text = fs::read_to_string(src.join("lib.rs")).unwrap_or_default();
    lex::code_outside_tests(&text)
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("pub ").unwrap_or(line);
            let name = line.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_string())
        })
        .collect()
}

/// A file's module path under `src`: `validate/examples/mod.rs` is
/// `[validate, examples]`; `lib.rs` and `main.rs` are the root, `[]`.
pub fn module_path(rel: &Path) -> Vec<String> {
    let mut path: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str().map(str::to_string),
            _ => None,
        })
        .collect();
    if let Some(last) = path.pop() {
        let stem = last.trim_end_matches(".rs");
        let at_root = path.is_empty() && ["lib", "main"].contains(&stem);
        if stem != "mod" && !at_root {
            path.push(stem.to_string());
        }
    }
    path
}

/// Every module outside the file's own top-level module that `code` names,
/// with the byte offset where the path starts.
pub fn reached_modules(
    code: &str,
    module_path: &[String],
    roots: &[String],
) -> Vec<(usize, String)> {
    let (_, bare) = lex::views(code);
    let inline = lex::inline_modules(&bare);
    let b = code.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts_path =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b':');
        if starts_path && b[i..].starts_with(b"crate::") {
            let rest = i + "crate::".len();
            found.extend(
                first_segments(code, rest, roots)
                    .into_iter()
                    .map(|m| (i, m)),
            );
            i = rest;
        } else if starts_path && b[i..].starts_with(b"super::") {
            let mut rest = i;
            let mut ups = 0;
            while b[rest..].starts_with(b"super::") {
                rest += "super::".len();
                ups += 1;
            }
            let depth = module_path.len() + inline.iter().filter(|r| r.contains(&i)).count();
            if ups >= depth {
                found.extend(
                    first_segments(code, rest, roots)
                        .into_iter()
                        .map(|m| (i, m)),
                );
            }
            i = rest;
        } else {
            i += 1;
        }
    }
    found
}

/// The top-level modules named right after `crate::` at `at`: one, or one
/// per item of a `{…}` group.
fn first_segments(code: &str, at: usize, roots: &[String]) -> Vec<String> {
    let rest = &code[at..];
    let items: Vec<&str> = match rest.strip_prefix('{') {
        Some(group) => split_group(group),
        None => vec![rest],
    };
    items
        .into_iter()
        .filter_map(|item| {
            let item = item.trim_start();
            let end = item
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '*'))
                .unwrap_or(item.len());
            let name = &item[..end];
            match name {
                "" | "self" => None,
                _ if roots.iter().any(|r| r == name) => Some(name.to_string()),
                _ => Some("lib".to_string()),
            }
        })
        .collect()
}

/// The items of a `{a, b::{c, d}, e}` group (after its `{`), split at the
/// commas of its own level.
fn split_group(group: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}
