//! Parse: split guides into front matter and body, and read every YAML
//! document into the raw structs of [`raw`], keeping positions.
//!
//! A file that does not parse yields one located diagnostic and is left out;
//! the other files still parse, so one run reports every broken file.
//! Parsing never panics on any input (serde-saphyr is panic-free and budgeted).

pub mod raw;
mod tree;
mod yaml;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Located};
use crate::load::SourceFile;
use crate::memo::Memo;
use raw::{RawGuide, RawLender, S};
pub use tree::{GuideDoc, KeptFile, Parsed, ParsedLender, parse};
pub use yaml::from_yaml;

/// One parsed file: its raw value, where it lives, and its Markdown body.
/// It borrows the file's text from the loaded files rather than copying it.
#[derive(Debug)]
pub struct Doc<'a, T> {
    pub file: String,
    /// File name without extension: the guide or topic slug (unchecked).
    pub stem: String,
    /// Shared with serve's memo, which keeps it by the YAML's text.
    pub value: std::sync::Arc<T>,
    /// Added to YAML line numbers (front matter starts on line 2).
    pub line_offset: usize,
    pub body: Option<Body<'a>>,
    /// The whole file, for positions inside block scalars.
    pub source: &'a str,
    /// Byte offsets where the lines of `source` start, built on first use.
    pub line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl<T> Doc<'_, T> {
    /// The file position of a raw scalar.
    pub fn at(&self, s: &S) -> Located {
        Located::new(
            self.file.clone(),
            s.referenced.line() as usize + self.line_offset,
            s.referenced.column() as usize,
        )
    }

    /// Where the text of a scalar starts, for Markdown inside YAML: a block
    /// scalar (`|`) starts on the next line, indented.
    pub fn text_origin(&self, s: &S) -> crate::markdown::Origin {
        let at = self.at(s);
        let line = self.source_line(at.line.saturating_sub(1));
        let first = line.chars().nth(at.column.saturating_sub(1));
        if matches!(first, Some('|' | '>')) {
            let next = self.source_line(at.line);
            let indent = next.chars().take_while(|c| *c == ' ').count();
            crate::markdown::Origin {
                file: self.file.clone(),
                first_line: at.line + 1,
                first_column: indent,
                every_line_indent: indent,
            }
        } else {
            crate::markdown::Origin {
                file: self.file.clone(),
                first_line: at.line,
                first_column: at.column - 1,
                every_line_indent: 0,
            }
        }
    }

    /// Line `index` (0-based) of the file, without its line break. The
    /// line starts are found once per file: a guide with thousands of steps
    /// asks for thousands of lines, and walking from the top for each one made
    /// `check` quadratic.
    fn source_line(&self, index: usize) -> &str {
        let starts = self.line_starts.get_or_init(|| {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(self.source.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            #[cfg(test)]
            count_lines(starts.len());
            starts
        });
        let Some(&start) = starts.get(index) else {
            return "";
        };
        let end = starts.get(index + 1).copied().unwrap_or(self.source.len());
        let line = self.source.get(start..end).unwrap_or("");
        line.strip_suffix('\n')
            .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l))
    }

    pub fn start(&self) -> Located {
        Located::new(self.file.clone(), 1, 1)
    }
}

#[cfg(test)]
thread_local! {
    /// Lines of source text stepped over to find positions (tests count work).
    static LINES_SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
fn count_lines(n: usize) {
    LINES_SCANNED.with(|c| c.set(c.get() + n));
}

#[derive(Debug)]
pub struct Body<'a> {
    pub text: &'a str,
    /// 1-based line where the body starts in the file.
    pub first_line: usize,
}

/// Parses one guide file.
pub fn guide_doc<'a>(file: &'a SourceFile) -> Result<Doc<'a, RawGuide>, Diagnostic> {
    markdown_doc(file, None)
}

/// Parses one lender.yaml.
pub fn lender_doc<'a>(file: &'a SourceFile) -> Result<Doc<'a, RawLender>, Diagnostic> {
    yaml_doc(file, None)
}

/// What a file's YAML is read into: owned, and cloneable for the memo.
trait Parse: DeserializeOwned + Clone + Send + Sync + 'static {}
impl<T: DeserializeOwned + Clone + Send + Sync + 'static> Parse for T {}

/// `yaml` (starting on line `line_offset + 1` of `file`) read as `T`,
/// from `memo` when it holds it.
fn value<T: Parse>(
    yaml: &str,
    file: &str,
    line_offset: usize,
    memo: Option<&Memo>,
) -> Result<std::sync::Arc<T>, Diagnostic> {
    let parse = || from_yaml(yaml, file, line_offset).map(std::sync::Arc::new);
    match memo {
        Some(memo) => memo.value(&[yaml.as_bytes()], parse),
        None => parse(),
    }
}

fn yaml_doc<'a, T: Parse>(
    file: &'a SourceFile,
    memo: Option<&Memo>,
) -> Result<Doc<'a, T>, Diagnostic> {
    let value = value(&file.text, &file.path, 0, memo)?;
    Ok(Doc {
        file: file.path.clone(),
        stem: stem(&file.path),
        value,
        line_offset: 0,
        body: None,
        source: &file.text,
        line_starts: Default::default(),
    })
}

fn markdown_doc<'a, T: Parse>(
    file: &'a SourceFile,
    memo: Option<&Memo>,
) -> Result<Doc<'a, T>, Diagnostic> {
    let Some((front, body, body_line)) = split_front_matter(&file.text) else {
        return Err(Diagnostic::error(
            "no-front-matter",
            &Located::new(file.path.clone(), 1, 1),
            "a guide starts with YAML front matter between two `---` lines",
        )
        .with_help("begin the file with `---`, the YAML fields, then `---` on its own line"));
    };
    let value = value(front, &file.path, 1, memo)?;
    Ok(Doc {
        file: file.path.clone(),
        stem: stem(&file.path),
        value,
        line_offset: 1,
        body: Some(Body {
            text: body,
            first_line: body_line,
        }),
        source: &file.text,
        line_starts: Default::default(),
    })
}

/// Splits `---\n<yaml>\n---\n<body>`; returns (yaml, body, body's first line).
pub fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let body = &rest[offset + line.len()..];
            return Some((&rest[..offset], body, i + 3));
        }
        offset += line.len();
    }
    None
}

fn stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use raw::RawSource;

    #[test]
    fn front_matter_split_reports_body_line() {
        let (y, b, line) = split_front_matter("---\na: 1\nb: 2\n---\n正文\n").unwrap();
        assert_eq!(y, "a: 1\nb: 2\n");
        assert_eq!(b, "正文\n");
        assert_eq!(line, 5);
        assert!(split_front_matter("no front matter").is_none());
    }

    #[test]
    fn unknown_key_gets_a_suggestion_and_position() {
        let d = from_yaml::<RawSource>("title: x\nurll: y\n", "f.yaml", 1).unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("unknown-key", 3, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `url`?"));
    }

    #[test]
    fn duplicate_key_points_at_second() {
        let d = from_yaml::<RawSource>("title: x\ntitle: y\n", "f.yaml", 0).unwrap_err();
        assert_eq!((d.code, d.line), ("duplicate-key", 2));
    }

    /// Issue 8: `check` was quadratic in the steps of a guide because each
    /// step's Markdown origin was found by walking the file from its start.
    #[test]
    fn text_origins_walk_the_file_once() {
        let n = 2000;
        let text: String = (0..n).map(|i| format!("- b{i}\n")).collect();
        let file = SourceFile {
            path: "f.yaml".into(),
            text,
        };
        let doc: Doc<'_, Vec<S>> = yaml_doc(&file, None).unwrap();
        let before = LINES_SCANNED.with(|c| c.get());
        for (i, s) in doc.value.iter().enumerate() {
            let origin = doc.text_origin(s);
            assert_eq!((origin.first_line, origin.first_column), (i + 1, 2));
        }
        let scanned = LINES_SCANNED.with(|c| c.get()) - before;
        assert!(scanned <= 2 * n, "{scanned} lines walked for {n} origins");
    }

    #[test]
    fn numbers_stay_exact_text() {
        let s: RawSource = from_yaml("title: 84793.03\n", "f", 0).unwrap();
        assert_eq!(s.title.value, "84793.03");
    }
}
