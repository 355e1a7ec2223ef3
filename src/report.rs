//! What a run reports: its diagnostics with the file texts they point
//! into (`Report`), each stage's time (`Timing`), and the failures that
//! are not about the content (`Fatal`); and which texts a report keeps
//! (`kept_sources`, `render_may_point_at`), so 10,000 guides' texts are not
//! held through render.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{self, Diagnostic, SourceMap};
use crate::load::{self, ContentFiles};
use crate::model::Content;
use crate::write;

/// What a run found, with the file texts its diagnostics point into.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// Number of HTML pages built (0 for `check`).
    pub pages: usize,
    /// How many of them were reused from the previous build, not rendered.
    pub reused: usize,
    /// What `build` changed in the output folder.
    pub changes: Option<write::Changes>,
    /// How many files (guides, lender.yaml) `build` read back as earlier
    /// builds checked them (`.<output>.kept`), not parsed or validated again.
    pub kept_files: usize,
    /// Wall time of each stage, in the order they ran, and the process's
    /// peak memory when it ended (`build --timings`).
    pub timings: Vec<Timing>,
}

/// One stage of a build, for `build --timings`.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub stage: &'static str,
    pub wall: std::time::Duration,
    /// Peak resident memory of the process so far, in bytes (Linux).
    pub peak_rss: Option<u64>,
}

impl Report {
    /// Records the time since `since` as `stage` and restarts the clock.
    pub(crate) fn time(&mut self, stage: &'static str, since: &mut std::time::Instant) {
        let now = std::time::Instant::now();
        self.timings.push(Timing {
            stage,
            wall: now - *since,
            peak_rss: load::peak_rss(),
        });
        *since = now;
    }
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Some file could not be read at all: exit code 2.
    pub fn has_io_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_io)
    }
}

/// A failure that is not about the content: a missing folder, an output
/// folder lendguide may not replace, a disk error. Exit code 2.
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where render may still report a problem in the content, after `check`:
/// the first line of each page's file and every link written in prose (the
/// places render's broken-link check names), by file.
pub(crate) fn render_may_point_at(content: &Content) -> BTreeMap<&str, BTreeSet<usize>> {
    let mut places: Vec<&diagnostics::Located> = Vec::new();
    for l in &content.lenders {
        places.push(&l.at);
    }
    for g in &content.guides {
        places.push(&g.at);
        places.extend(g.links().map(|l| &l.at));
    }
    for t in &content.topics {
        places.push(&t.at);
        places.extend(t.body.links.iter().map(|l| &l.at));
    }
    let mut lines: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for at in places {
        lines.entry(at.file.as_str()).or_default().insert(at.line);
    }
    lines
}

/// The texts a report keeps for its snippets: whole, the files `diags`
/// point into; of the others only `lines`; the rest is freed.
pub(crate) fn kept_sources(
    files: ContentFiles,
    diags: &[Diagnostic],
    lines: &BTreeMap<&str, BTreeSet<usize>>,
) -> SourceMap {
    let named: BTreeSet<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    let all = files.site.into_iter().chain(files.topics).chain(
        files
            .lenders
            .into_iter()
            .flat_map(|l| l.lender.into_iter().chain(l.guides)),
    );
    let mut map = SourceMap::new();
    for file in all {
        if named.contains(file.path.as_str()) {
            map.insert(file.path, file.text);
        } else if let Some(wanted) = lines.get(file.path.as_str()) {
            map.insert_lines(file.path, &file.text, wanted.iter().copied());
        }
    }
    map
}
