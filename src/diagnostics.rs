//! Diagnostics: the one type every stage reports problems with, and the one
//! place that turns them into text for people (rustc style, via
//! annotate-snippets) or machines (`--format json`).
//!
//! Stages never print; they return `Vec<Diagnostic>` next to their value and
//! the command line hands the whole list here. Lines and columns are 1-based;
//! columns count characters (not bytes), so a caret under Chinese text lands
//! under the right character.

mod relative;
mod sources;

use serde::Serialize;

pub use relative::relative_to;
pub use sources::SourceMap;

/// How bad a diagnostic is. Warnings never fail a build unless `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One located problem in the content, the templates or the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case name of the problem (`unknown-key`, `bad-date`, …).
    pub code: &'static str,
    /// Path as the user would type it, relative to where lendguide runs.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, at: &Located, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            file: at.file.clone(),
            line: at.line.max(1),
            column: at.column.max(1),
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, at: &Located, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, at, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A file that could not be read at all (as opposed to one that was
    /// read and is wrong): the run fails with exit code 2, not 1.
    pub fn is_io(&self) -> bool {
        self.is_error() && self.code == IO
    }
}

/// The code of diagnostics about files that could not be read.
pub const IO: &str = "io";

/// A place in a file: where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Located {
    #[serde(
        serialize_with = "relative::serialize",
        deserialize_with = "relative::deserialize"
    )]
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Located {
    pub fn new(file: impl Into<String>, line: usize, column: usize) -> Self {
        Self {
            file: file.into(),
            line,
            column,
        }
    }
}

/// Sorts diagnostics by file, then position, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

pub fn error_count(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

/// Renders diagnostics as rustc-style text: header, `--> file:line:col`,
/// the offending line with a caret, and a `help:` line.
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let origin = format!("{}:{}:{}", d.file, d.line, d.column);
        let group = match sources.line(&d.file, d.line) {
            Some(line_text) => {
                let start = byte_of_column(line_text, d.column);
                let end = next_char_end(line_text, start);
                let label = "";
                title.element(
                    Snippet::source(line_text)
                        .line_start(d.line)
                        .path(d.file.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end).label(label)),
                )
            }
            None => title.element(annotate_snippets::Origin::path(origin.as_str())),
        };
        let mut report = vec![group];
        if let Some(help) = &d.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

/// Renders diagnostics as the JSON array documented in DESIGN.md.
pub fn render_json(diags: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".to_string())
}

/// One-line summary for the end of a run.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = error_count(diags);
    let warnings = diags.len() - errors;
    format!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}

/// Prints diagnostics to stderr in the chosen format. The only printer of
/// diagnostics in the program.
pub fn emit(diags: &[Diagnostic], sources: &SourceMap, format: Format) {
    use std::io::{IsTerminal, Write};
    let text = match format {
        Format::Human => render_human(diags, sources, std::io::stderr().is_terminal()),
        Format::Json => render_json(diags) + "\n",
    };
    // A closed stderr is not worth a panic.
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Prints one plain line to stderr (progress and summaries).
pub fn note(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Byte offset of a 1-based character column, clamped to the line's end.
fn byte_of_column(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(b, _)| b)
}

fn next_char_end(line: &str, start: usize) -> usize {
    line[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_lands_under_chinese_character() {
        let mut sources = SourceMap::new();
        sources.insert("a.yaml".into(), "title: 你好\nkind: 减免\n".into());
        let d = Diagnostic::error("bad-kind", &Located::new("a.yaml", 2, 7), "unknown kind")
            .with_help("use one of: waiver");
        let text = render_human(&[d], &sources, false);
        assert!(text.contains("a.yaml:2:7"), "{text}");
        assert!(text.contains("kind: 减免"), "{text}");
        assert!(text.contains("help: use one of: waiver"), "{text}");
    }

    #[test]
    fn json_has_documented_keys() {
        let d = Diagnostic::error("x", &Located::new("f", 3, 4), "m").with_help("h");
        let v: serde_json::Value = serde_json::from_str(&render_json(&[d])).unwrap();
        let keys: Vec<_> = v[0].as_object().unwrap().keys().cloned().collect();
        for k in [
            "severity", "code", "file", "line", "column", "message", "help",
        ] {
            assert!(keys.contains(&k.to_string()), "{k} missing");
        }
        assert_eq!(v[0]["severity"], "error");
    }
}
