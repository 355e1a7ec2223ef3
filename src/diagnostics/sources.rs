//! The file texts diagnostics show snippets from.
//!
//! A snippet is one line: the line a diagnostic points at. So the map keeps
//! a file whole only while some diagnostic may still point anywhere in it,
//! and otherwise only the lines a later stage may still report (a written
//! link that turns out broken), or nothing: at 10,000 guides, keeping every
//! text for the whole build cost over 100 MB for snippets never shown.

use std::collections::BTreeMap;

use super::Diagnostic;

/// Texts by the path diagnostics name: whole files, or some of their lines.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: BTreeMap<String, Source>,
}

#[derive(Debug, Clone)]
enum Source {
    Whole(String),
    /// 1-based line number → the line without its line break.
    Lines(BTreeMap<usize, String>),
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the whole text of `path`.
    pub fn insert(&mut self, path: String, text: String) {
        self.files.insert(path, Source::Whole(text));
    }

    /// Keeps only `lines` (1-based) of `text`, added to any lines of `path`
    /// already kept; a file kept whole stays whole.
    pub fn insert_lines(
        &mut self,
        path: String,
        text: &str,
        lines: impl IntoIterator<Item = usize>,
    ) {
        let entry = self
            .files
            .entry(path)
            .or_insert_with(|| Source::Lines(BTreeMap::new()));
        if let Source::Lines(kept) = entry {
            // One walk over the text, however many lines are wanted.
            let wanted: std::collections::BTreeSet<usize> = lines.into_iter().collect();
            let last = wanted.last().copied().unwrap_or(0);
            for (i, l) in text.split_inclusive('\n').take(last).enumerate() {
                if wanted.contains(&(i + 1)) {
                    kept.insert(i + 1, l.trim_end_matches(['\n', '\r']).to_string());
                }
            }
        }
    }

    /// Adds every file of `other`, replacing what this map held for it.
    pub fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }

    /// The text of 1-based `line` of `path`, without its line break, if kept.
    pub fn line(&self, path: &str, line: usize) -> Option<&str> {
        match self.files.get(path)? {
            Source::Whole(text) => line_slice(text, line),
            Source::Lines(lines) => lines.get(&line).map(String::as_str),
        }
    }

    /// Forgets every file no diagnostic in `diags` points into.
    pub fn retain_pointed_at(&mut self, diags: &[Diagnostic]) {
        let named: std::collections::BTreeSet<&str> =
            diags.iter().map(|d| d.file.as_str()).collect();
        self.files.retain(|path, _| named.contains(path.as_str()));
    }

    /// The paths of the files (whole or in part) kept.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// The text of 1-based `line` without its line break.
fn line_slice(text: &str, line: usize) -> Option<&str> {
    text.split_inclusive('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim_end_matches(['\n', '\r']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_lines_read_as_the_whole_text_does() {
        let text = "a\r\nb\n\nd";
        let mut whole = SourceMap::new();
        whole.insert("f".into(), text.into());
        let mut some = SourceMap::new();
        some.insert_lines("f".into(), text, [2, 3, 4, 9]);
        for line in 0..6 {
            let expected = whole.line("f", line);
            let kept = some.line("f", line);
            if [2, 3, 4].contains(&line) {
                assert_eq!(kept, expected, "line {line}");
            } else {
                assert_eq!(kept, None, "line {line}");
            }
        }
        assert_eq!(whole.line("f", 1), Some("a"));
        assert_eq!(whole.line("f", 0), None);
        assert_eq!(whole.line("f", 5), None);
    }

    #[test]
    fn a_file_kept_whole_stays_whole() {
        let mut map = SourceMap::new();
        map.insert("f".into(), "a\nb\n".into());
        map.insert_lines("f".into(), "a\nb\n", [2]);
        assert_eq!(map.line("f", 1), Some("a"));
    }
}
