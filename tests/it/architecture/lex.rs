//! What the architecture scan must not read: comments, and items under
//! `#[cfg(test)]` (inline, or whole files declared as `mod tests;`).
//!
//! Works on two views of a file, each exactly as long as the file (blanked
//! bytes become spaces, newlines stay, so offsets and line numbers hold):
//! `code` without comments, strings kept (attribute strings name paths), and
//! `bare`, with string and char literals blanked too, for matching braces.

use std::collections::BTreeSet;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The file without comments and without test-only items.
pub fn code_outside_tests(text: &str) -> String {
    let (code, bare) = views(text);
    let mut code = code.into_bytes();
    for (range, _) in test_items(&bare) {
        blank(&mut code, range);
    }
    String::from_utf8(code).unwrap_or_default()
}

/// The byte ranges of inline `mod name { … }` blocks in a bare view.
pub fn inline_modules(bare: &str) -> Vec<Range<usize>> {
    let b = bare.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = find_word(bare, "mod", at) {
        at = i + 3;
        let rest = &bare[at..];
        let name_len = rest
            .trim_start()
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(0);
        let after = at + (rest.len() - rest.trim_start().len()) + name_len;
        let open = after + (bare[after..].len() - bare[after..].trim_start().len());
        if name_len > 0 && b.get(open) == Some(&b'{') {
            found.push(open..matching_brace(b, open));
        }
    }
    found
}

/// Files that are only compiled for tests: declared under `#[cfg(test)]`
/// as `mod name;`, with every file below them.
pub fn test_only_files(src: &Path, files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut dirs = Vec::new();
    for file in files {
        let text = fs::read_to_string(file).unwrap_or_default();
        let (_, bare) = views(&text);
        for (_, declared) in test_items(&bare) {
            let Some(name) = declared else { continue };
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let parent = file.parent().unwrap_or(src);
            let dir = if ["lib", "main", "mod"].contains(&stem) {
                parent.to_path_buf()
            } else {
                parent.join(stem)
            };
            dirs.push(dir.join(&name));
        }
    }
    files
        .iter()
        .filter(|f| {
            dirs.iter()
                .any(|d| f.starts_with(d) || **f == d.with_extension("rs"))
        })
        .cloned()
        .collect()
}

/// Each `#[cfg(test)]` item's range, and the module name if the item is a
/// `mod name;` declaration (its body is another file).
fn test_items(bare: &str) -> Vec<(Range<usize>, Option<String>)> {
    const ATTR: &str = "#[cfg(test)]";
    let b = bare.as_bytes();
    let mut items = Vec::new();
    let mut at = 0;
    while let Some(found) = bare[at..].find(ATTR) {
        let start = at + found;
        let mut i = start + ATTR.len();
        // Further attributes on the same item.
        loop {
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            if b.get(i) == Some(&b'#') && b.get(i + 1) == Some(&b'[') {
                i = matching(b, i + 1, b'[', b']');
            } else {
                break;
            }
        }
        let item_start = i;
        let mut end = b.len();
        while i < b.len() {
            match b[i] {
                b';' => {
                    end = i + 1;
                    break;
                }
                b'{' => {
                    end = matching_brace(b, i);
                    break;
                }
                _ => i += 1,
            }
        }
        let head: Vec<&str> = bare[item_start..end].split_whitespace().collect();
        let declared = match head.as_slice() {
            ["mod", name] | [_, "mod", name] => name.strip_suffix(';').map(str::to_string),
            _ => None,
        };
        items.push((start..end, declared));
        at = end.max(start + 1);
    }
    items
}

/// The end (exclusive) of the block whose `{` is at `open`.
fn matching_brace(b: &[u8], open: usize) -> usize {
    matching(b, open, b'{', b'}')
}

fn matching(b: &[u8], open: usize, up: u8, down: u8) -> usize {
    let mut depth = 0usize;
    for (i, &c) in b.iter().enumerate().skip(open) {
        if c == up {
            depth += 1;
        } else if c == down {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
    }
    b.len()
}

/// `word` as a whole word at or after `from`.
fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut at = from;
    while let Some(i) = text[at..].find(word) {
        let i = at + i;
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + word.len()).copied();
        let ident = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
        if !ident(before) && !ident(after) {
            return Some(i);
        }
        at = i + word.len();
    }
    None
}

/// (`code`, `bare`): see the module header.
pub fn views(text: &str) -> (String, String) {
    let b = text.as_bytes();
    let mut code = b.to_vec();
    let mut bare = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        let ident = |j: usize| b[j].is_ascii_alphanumeric() || b[j] == b'_';
        // `r"…"` and `br"…"` open raw strings; `for"` or `bar"` do not.
        let ident_before = i > 0 && ident(i - 1) && !(b[i - 1] == b'b' && (i < 2 || !ident(i - 2)));
        if b[i..].starts_with(b"//") {
            let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
            blank(&mut code, i..end);
            blank(&mut bare, i..end);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let end = block_comment_end(b, i);
            blank(&mut code, i..end);
            blank(&mut bare, i..end);
            i = end;
        } else if b[i] == b'r' && !ident_before && raw_string_hashes(b, i + 1).is_some() {
            let hashes = raw_string_hashes(b, i + 1).unwrap_or(0);
            let body = i + 2 + hashes;
            let close = format!("\"{}", "#".repeat(hashes));
            let end = text[body..]
                .find(&close)
                .map_or(b.len(), |n| body + n + close.len());
            blank(&mut bare, body..end.saturating_sub(close.len()));
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut bare, i + 1..j.min(b.len()));
            i = j + 1;
        } else if b[i] == b'\'' {
            i = char_literal_end(text, i)
                .inspect(|&end| blank(&mut bare, i + 1..end - 1))
                .unwrap_or(i + 1);
        } else {
            i += 1;
        }
    }
    let text = |v: Vec<u8>| String::from_utf8(v).unwrap_or_default();
    (text(code), text(bare))
}

/// After `r` at `at - 1`: the number of `#` when a raw string starts here.
fn raw_string_hashes(b: &[u8], at: usize) -> Option<usize> {
    let hashes = b[at..].iter().take_while(|&&c| c == b'#').count();
    (b.get(at + hashes) == Some(&b'"')).then_some(hashes)
}

/// Block comments nest in Rust.
fn block_comment_end(b: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < b.len() {
        if b[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if b[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// The end of a char literal starting at `start`, or `None` for a lifetime
/// (`'a`, `'static`).
fn char_literal_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start + 1..];
    if let Some(escaped) = rest.strip_prefix('\\') {
        let close = escaped.char_indices().skip(1).find(|(_, c)| *c == '\'')?.0;
        return Some(start + 2 + close + 1);
    }
    let c = rest.chars().next()?;
    rest[c.len_utf8()..]
        .starts_with('\'')
        .then(|| start + 1 + c.len_utf8() + 1)
}

/// Spaces over `range`, newlines kept.
fn blank(bytes: &mut [u8], range: Range<usize>) {
    let end = range.end.min(bytes.len());
    for byte in &mut bytes[range.start.min(end)..end] {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
}
