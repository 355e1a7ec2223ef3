//! Positions of prose: where a piece of Markdown sits in its file, and the
//! file line and column of a byte offset in it.

use crate::diagnostics::Located;

/// Where a piece of Markdown sits in its file, so errors point at the file.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: String,
    /// 1-based line of the Markdown's first line in the file.
    pub first_line: usize,
    /// Column added to positions on the first line only (for inline scalars).
    pub first_column: usize,
    /// Column added on later lines (the indent of a YAML block scalar).
    pub every_line_indent: usize,
}

/// File position of byte `offset` in a Markdown string.
pub(crate) fn locate(src: &str, offset: usize, origin: &Origin) -> Located {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count();
    let last = before.rsplit('\n').next().unwrap_or("");
    let shift = if line == 0 {
        origin.first_column
    } else {
        origin.every_line_indent
    };
    let column = last.chars().count() + 1 + shift;
    Located::new(origin.file.clone(), origin.first_line + line, column)
}
