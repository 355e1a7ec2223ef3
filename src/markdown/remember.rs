//! Rendered Markdown remembered between `serve` rebuilds: the same text
//! from the same place in the same file renders to the same HTML and the
//! same diagnostics (replayed from memory, positions included).

use super::{Markdown, Origin, render};
use crate::diagnostics::Diagnostic;
use crate::memo::Memo;

/// [`render`], remembered in `memo` when given (`serve`): the same text
/// from the same place in the same file renders to the same HTML and the
/// same diagnostics, so an unchanged guide's prose is not rendered again.
pub fn render_remembered(
    src: &str,
    origin: &Origin,
    diags: &mut Vec<Diagnostic>,
    memo: Option<&Memo>,
) -> Markdown {
    let Some(memo) = memo else {
        return render(src, origin, diags);
    };
    let place = format!(
        "{}\n{}\n{}\n{}",
        origin.file, origin.first_line, origin.first_column, origin.every_line_indent
    );
    let made = memo.value(&[src.as_bytes(), place.as_bytes()], || {
        let mut found = Vec::new();
        let markdown = render(src, origin, &mut found);
        Ok::<_, std::convert::Infallible>((markdown, found))
    });
    let Ok((markdown, found)) = made;
    diags.extend(found);
    markdown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(first_line: usize) -> Origin {
        Origin {
            file: "g.md".into(),
            first_line,
            first_column: 0,
            every_line_indent: 0,
        }
    }

    /// A remembered render gives what a fresh one gives, diagnostics
    /// included, and the same text elsewhere is placed there.
    #[test]
    fn remembered_prose_keeps_its_diagnostics_and_their_places() {
        let src = "intro\n\n<script>alert(1)</script>\n";
        let memo = Memo::new();
        memo.begin();
        let run = |line: usize| {
            let mut diags = Vec::new();
            let html = render_remembered(src, &origin(line), &mut diags, Some(&memo)).html;
            (html, diags)
        };
        let mut fresh = Vec::new();
        let expected = render(src, &origin(10), &mut fresh);
        for _ in 0..2 {
            let (html, diags) = run(10);
            assert_eq!(html, expected.html);
            assert_eq!(diags, fresh);
            assert!(!diags.is_empty(), "the script is reported every time");
        }
        let (_, moved) = run(20);
        assert_eq!(moved[0].line, fresh[0].line + 10, "{moved:?}");
    }
}
