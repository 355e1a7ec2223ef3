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

/// File positions of byte offsets in one Markdown string. Offsets asked in
/// increasing order (as parser events come) cost one walk of the text in
/// all; an earlier offset starts the walk again from the top.
pub(crate) struct Locator<'a> {
    src: &'a str,
    origin: &'a Origin,
    /// Byte offset reached so far, and the 0-based line and character
    /// column there.
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(src: &'a str, origin: &'a Origin) -> Self {
        Self {
            src,
            origin,
            offset: 0,
            line: 0,
            column: 0,
        }
    }

    /// The file position of byte `offset` of the text.
    pub(crate) fn at(&mut self, offset: usize) -> Located {
        let mut offset = offset.min(self.src.len());
        while !self.src.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            (self.offset, self.line, self.column) = (0, 0, 0);
        }
        let walked = &self.src[self.offset..offset];
        #[cfg(test)]
        count_bytes(walked.len());
        match walked.rfind('\n') {
            Some(last) => {
                self.line += walked.matches('\n').count();
                self.column = walked[last + 1..].chars().count();
            }
            None => self.column += walked.chars().count(),
        }
        self.offset = offset;
        let shift = if self.line == 0 {
            self.origin.first_column
        } else {
            self.origin.every_line_indent
        };
        Located::new(
            self.origin.file.clone(),
            self.origin.first_line + self.line,
            self.column + 1 + shift,
        )
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes of prose stepped over to find positions (tests count work).
    static BYTES_SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
fn count_bytes(n: usize) {
    BYTES_SCANNED.with(|c| c.set(c.get() + n));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 8: every link and shortcode was located by walking the prose
    /// from its start, so a long body cost the square of its length.
    #[test]
    fn positions_in_one_text_walk_it_once() {
        let n = 2000;
        let src: String = (0..n)
            .map(|i| format!("见[第{i}步](#s{i})。{{{{ figure(\"x\", \"y\") }}}}\n\n"))
            .collect();
        let origin = Origin {
            file: "g.md".into(),
            first_line: 3,
            first_column: 0,
            every_line_indent: 0,
        };
        let before = BYTES_SCANNED.with(|c| c.get());
        let mut diags = Vec::new();
        let text = crate::shortcode::extract(
            &src,
            &origin,
            &mut Vec::new(),
            &|_| crate::shortcode::Cited::Unknown,
            &mut diags,
        );
        let md = super::super::render(&text, &origin, &mut diags);
        let scanned = BYTES_SCANNED.with(|c| c.get()) - before;
        assert_eq!(md.links.len(), n);
        assert_eq!(diags.len(), n);
        assert_eq!(
            (md.links[n - 1].at.line, md.links[n - 1].at.column),
            (3 + 2 * (n - 1), 2)
        );
        assert_eq!(
            (diags[n - 1].line, diags[n - 1].column),
            (3 + 2 * (n - 1), 5 + format!("{}", n - 1).len() + 10)
        );
        assert!(
            scanned <= 4 * src.len(),
            "{scanned} bytes walked in a text of {}",
            src.len()
        );
    }
}
