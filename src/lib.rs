//! lendguide turns structured, sourced guides on negotiating overdue online
//! loans into a static site in Simplified and Traditional Chinese.
//!
//! The pipeline runs one way, top to bottom, and no stage reaches back:
//!
//! ```text
//! load → parse → validate → compute → plan → render → index → write
//! ```
//!
//! `plan` decides what every page is (its `Route`s and anchors) and what it
//! displays (every figure, once); render and index only read it.
//!
//! Each stage returns its value and the diagnostics it found; the command
//! line prints them (only [`diagnostics`] prints). `check` stops after
//! `validate`; `build` renders only when no error was found and writes only
//! when rendering found none either, so bad input never touches `output/`.

pub mod calc;
pub mod compute;
pub mod diagnostics;
pub mod engine;
pub mod index;
pub mod load;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod percent;
pub mod plan;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod script;
pub mod serve;
pub mod shortcode;
pub mod suggest;
pub mod validate;
pub mod vocabulary;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use compute::Computed;
use diagnostics::{Diagnostic, SourceMap};
use load::ContentFiles;
use model::Content;
use render::{RenderOptions, SiteOutput};

/// Where to read from and write to.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
    /// Overrides site.yaml's `base_url` (canonical URLs, sitemap).
    pub base_url: Option<String>,
}

/// What a run found, with the file texts its diagnostics point into.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// Number of HTML pages rendered (0 for `check`).
    pub pages: usize,
    /// What `build` changed in the output folder.
    pub changes: Option<write::Changes>,
    /// Wall time of each stage, in the order they ran (`build --timings`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Report {
    /// Records the time since `since` as `stage` and restarts the clock.
    fn time(&mut self, stage: &'static str, since: &mut std::time::Instant) {
        let now = std::time::Instant::now();
        self.timings.push((stage, now - *since));
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

/// load → parse → validate → compute. Returns the model and the computed
/// examples when the site could be built.
pub fn check(
    content_dir: &std::path::Path,
) -> Result<(Option<(Content, Computed)>, Report), Fatal> {
    let (files, content, mut report) = check_stages(content_dir)?;
    report.sources = kept_sources(files, &report.diagnostics, &BTreeMap::new());
    Ok((content, report))
}

/// The model and its computed examples, when the site could be built.
type Checked = Option<(Content, Computed)>;

/// The stages of [`check`], with the loaded files their diagnostics point
/// into (the report's `sources` are left for the caller to choose).
fn check_stages(content_dir: &std::path::Path) -> Result<(ContentFiles, Checked, Report), Fatal> {
    let mut clock = std::time::Instant::now();
    let (files, diags) = load::load_content(content_dir).map_err(|e| Fatal(e.0))?;
    let mut report = Report {
        diagnostics: diags,
        ..Report::default()
    };
    report.time("load", &mut clock);
    let (parsed, diags) = parse::parse(&files);
    report.diagnostics.extend(diags);
    report.time("parse", &mut clock);
    let (content, diags) = validate::validate(parsed, &load::display(content_dir));
    report.diagnostics.extend(diags);
    report.time("validate", &mut clock);
    let content = content.map(|content| {
        report
            .diagnostics
            .extend(validate::staleness::check(&content, model::Date::today()));
        let (computed, diags) = compute::compute(&content);
        report.diagnostics.extend(diags);
        report.time("compute", &mut clock);
        (content, computed)
    });
    diagnostics::sort(&mut report.diagnostics);
    Ok((files, content, report))
}

/// Everything up to `render`, in memory: what `build` writes and `serve`
/// would serve. The site is `None` when any error was found.
pub fn build_in_memory(options: &BuildOptions) -> Result<(Option<SiteOutput>, Report), Fatal> {
    if let Some(url) = &options.base_url {
        validate::url::base_url(url)
            .map_err(|p| Fatal(format!("--base-url: {}\n  help: {}", p.message, p.help)))?;
    }
    let (files, content, mut report) = check_stages(&options.content)?;
    // Render may still report a link written in prose: keep those lines.
    let lines = content
        .as_ref()
        .map(|(content, _)| render_may_point_at(content))
        .unwrap_or_default();
    report.sources = kept_sources(files, &report.diagnostics, &lines);
    drop(lines);
    let site = render_stages(options, content, &mut report)?;
    report.sources.retain_pointed_at(&report.diagnostics);
    Ok((site, report))
}

/// templates → plan → render → index, when the content had no errors.
fn render_stages(
    options: &BuildOptions,
    content: Checked,
    report: &mut Report,
) -> Result<Option<SiteOutput>, Fatal> {
    let mut clock = std::time::Instant::now();
    let (templates, diags) = load::load_templates(&options.templates).map_err(|e| Fatal(e.0))?;
    for (_, f) in &templates.templates {
        report.sources.insert(f.path.clone(), f.text.clone());
    }
    report.diagnostics.extend(diags);
    let Some((content, computed)) = content.filter(|_| !report.has_errors()) else {
        diagnostics::sort(&mut report.diagnostics);
        return Ok(None);
    };
    let render_options = RenderOptions {
        base_url: options.base_url.clone(),
    };
    // What every page displays, decided once for render and index alike.
    let plan = plan::Plan::build(&content, &computed);
    report.time("plan", &mut clock);
    let (site, diags) = render::render(&content, &plan, &templates, &render_options);
    report.diagnostics.extend(diags);
    report.time("render", &mut clock);
    diagnostics::sort(&mut report.diagnostics);
    if report.has_errors() {
        return Ok(None);
    }
    report.pages = site.files.keys().filter(|p| p.ends_with(".html")).count();
    let (search, diags) = index::index(&content, &plan);
    report.diagnostics.extend(diags);
    report.time("index", &mut clock);
    if report.has_errors() {
        return Ok(None);
    }
    let mut site = site;
    site.files.extend(search);
    Ok(Some(site))
}

/// The whole pipeline: builds in memory, then writes atomically.
pub fn build(options: &BuildOptions) -> Result<Report, Fatal> {
    let guard = write::OutputGuard {
        content: options.content.clone(),
        templates: options.templates.clone(),
        project: std::env::current_dir().map_err(|e| Fatal(e.to_string()))?,
    };
    // Refuse a bad output folder before spending time on the build.
    // The resolved path is the one written to (`typo/../out` never creates `typo/`).
    let out = write::check_output_dir(&options.out, &guard).map_err(|e| Fatal(e.to_string()))?;
    let (site, mut report) = build_in_memory(options)?;
    if let Some(site) = site {
        let mut clock = std::time::Instant::now();
        let changes = write::write_site(&out, &site, &guard).map_err(|e| Fatal(e.to_string()))?;
        report.changes = Some(changes);
        report.time("write", &mut clock);
    }
    Ok(report)
}

/// Where render may still report a problem in the content, after `check`:
/// the first line of each page's file and every link written in prose (the
/// places render's broken-link check names), by file.
fn render_may_point_at(content: &Content) -> BTreeMap<&str, BTreeSet<usize>> {
    let mut places: Vec<&diagnostics::Located> = Vec::new();
    for l in &content.lenders {
        places.push(&l.at);
    }
    for g in &content.guides {
        places.push(&g.at);
        let steps = g.steps.iter().flat_map(|s| &s.body.links);
        places.extend(g.body.links.iter().chain(steps).map(|l| &l.at));
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
fn kept_sources(
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
