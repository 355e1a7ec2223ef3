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
pub mod kept;
pub mod load;
pub mod markdown;
pub mod memo;
pub mod model;
pub mod parse;
pub mod percent;
pub mod plan;
pub mod render;
mod report;
pub mod scaffold;
pub mod schema;
pub mod script;
pub mod serve;
pub mod shortcode;
pub mod sink;
pub mod suggest;
pub mod utf8;
pub mod validate;
pub mod vocabulary;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use compute::Computed;
use diagnostics::Diagnostic;
use kept::Kept;
use load::{ContentFiles, TemplateFiles};
use model::Content;
use render::RenderOptions;
pub use report::{Fatal, Report, Timing};
use report::{kept_sources, render_may_point_at};
use sink::{Built, MemorySink, Sink};

/// What `serve` keeps from one rebuild to the next, so that a rebuild
/// reads, parses, renders the Markdown of and indexes only what changed.
#[derive(Default)]
pub struct Memory {
    pub reads: load::ReadCache,
    /// Parsed front matter, validated guides, rendered Markdown, each
    /// page's link check, HowTo JSON, each page's search file and
    /// fold-table part, by their inputs.
    pub values: memo::Memo,
}

/// Where to read from and write to.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
    /// Overrides site.yaml's `base_url` (canonical URLs, sitemap).
    pub base_url: Option<String>,
}

/// load → parse → validate → compute. Returns the model and the computed
/// examples when the site could be built.
pub fn check(
    content_dir: &std::path::Path,
) -> Result<(Option<(Content, Computed)>, Report), Fatal> {
    let clock = std::time::Instant::now();
    let (files, diags) = load::load_content(content_dir).map_err(|e| Fatal(e.0))?;
    let (content, mut report) = check_files(&files, diags, clock, None, None);
    report.sources = kept_sources(files, &report.diagnostics, &BTreeMap::new());
    Ok((content, report))
}

/// `check` on files already loaded (with what loading found); the report's
/// `sources` are left for the caller to choose. `kept`: what earlier builds
/// kept of this stage's work (`build`).
fn check_files(
    files: &ContentFiles,
    diags: Vec<Diagnostic>,
    mut clock: std::time::Instant,
    memory: Option<&Memory>,
    kept: Option<&Kept>,
) -> (Option<(Content, Computed)>, Report) {
    let mut report = Report {
        diagnostics: diags,
        ..Report::default()
    };
    report.time("load", &mut clock);
    let memo = memory.map(|m| &m.values);
    let (parsed, diags) = parse::parse(files, memo, kept);
    report.diagnostics.extend(diags);
    report.time("parse", &mut clock);
    let (content, diags) = validate::validate(parsed, &files.root, memo, kept);
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
    (content, report)
}

/// What `check` and the templates give when the site can be rendered.
struct Ready {
    content: Content,
    computed: Computed,
    templates: TemplateFiles,
    /// The content files' hashes, for the plan's page inputs.
    files: plan::FileHashes,
}

/// Every input file of a build, read, with what reading them found.
struct Inputs {
    content: ContentFiles,
    content_diags: Vec<Diagnostic>,
    templates: TemplateFiles,
    template_diags: Vec<Diagnostic>,
    /// When reading started, for `--timings`.
    started: std::time::Instant,
}

impl Inputs {
    /// Reads every input; with `reads` (`serve`), files unchanged since
    /// the last load come from memory.
    fn load(options: &BuildOptions, reads: Option<&load::ReadCache>) -> Result<Self, Fatal> {
        if let Some(url) = &options.base_url {
            validate::url::base_url(url)
                .map_err(|p| Fatal(format!("--base-url: {}\n  help: {}", p.message, p.help)))?;
        }
        let started = std::time::Instant::now();
        if let Some(reads) = reads {
            reads.begin();
        }
        let (content, content_diags) =
            load::load_content_cached(&options.content, reads).map_err(|e| Fatal(e.0))?;
        let (templates, template_diags) =
            load::load_templates_cached(&options.templates, reads).map_err(|e| Fatal(e.0))?;
        Ok(Self {
            content,
            content_diags,
            templates,
            template_diags,
            started,
        })
    }

    /// The hash of everything the output can depend on: the program, every
    /// content and template file, `--base-url`, and today (staleness
    /// warnings depend on the day). `None` when the files could not all
    /// be read or the program is unknown.
    fn key(&self, options: &BuildOptions) -> Option<sink::Fingerprint> {
        if !(self.content_diags.is_empty() && self.template_diags.is_empty()) {
            return None;
        }
        let mut h = sink::Hasher::new();
        h.bytes(&load::program()?.to_le_bytes());
        h.bytes(model::Date::today().to_string().as_bytes());
        h.bytes(options.base_url.as_deref().unwrap_or("-").as_bytes());
        self.content.hash_into(&mut h);
        self.templates.hash_into(&mut h);
        Some(h.finish())
    }
}

/// parse → … → compute on the inputs, then the templates. `None` when an
/// error was found.
fn prepare(
    inputs: Inputs,
    memory: Option<&Memory>,
    kept: Option<&Kept>,
) -> (Option<Ready>, Report) {
    let files = plan::FileHashes::of(&inputs.content);
    let (content, mut report) = check_files(
        &inputs.content,
        inputs.content_diags,
        inputs.started,
        memory,
        kept,
    );
    // Render may still report a link written in prose: keep those lines.
    let lines = content
        .as_ref()
        .map(|(content, _)| render_may_point_at(content))
        .unwrap_or_default();
    report.sources = kept_sources(inputs.content, &report.diagnostics, &lines);
    drop(lines);
    let templates = inputs.templates;
    for (_, f) in &templates.templates {
        report.sources.insert(f.path.clone(), f.text.clone());
    }
    report.diagnostics.extend(inputs.template_diags);
    let ready = content
        .filter(|_| !report.has_errors())
        .map(|(content, computed)| Ready {
            content,
            computed,
            templates,
            files,
        });
    diagnostics::sort(&mut report.diagnostics);
    if ready.is_none() {
        // Nothing will be rendered: only what the diagnostics show is kept.
        report.sources.retain_pointed_at(&report.diagnostics);
    }
    (ready, report)
}

/// plan → render → index, every file into `sink` as it is made. False when
/// an error was found (the sink's files must then not be published).
///
/// The model and the plan are freed once the index has its documents, which
/// is all it reads of them: the index's postings and shards then reuse
/// their memory instead of adding to it. `serve` frees them on another
/// thread, so the reload need not wait (11–12 ms of a 1,000-guide rebuild).
fn publish(
    ready: Ready,
    options: &BuildOptions,
    sink: &dyn Sink,
    memory: Option<&Memory>,
    report: &mut Report,
) -> bool {
    let mut clock = std::time::Instant::now();
    let render_options = RenderOptions {
        base_url: options.base_url.clone(),
        program: load::program(),
    };
    // What every page displays, decided once for render and index alike.
    let mut ready = ready;
    let computed = std::mem::take(&mut ready.computed);
    let plan = plan::Plan::build(&ready.content, computed, Some(&ready.files));
    report.time("plan", &mut clock);
    let memo = memory.map(|m| &m.values);
    let (rendered, diags) = render::render(
        &ready.content,
        &plan,
        &ready.templates,
        &render_options,
        sink,
        memo,
    );
    report.diagnostics.extend(diags);
    report.time("render", &mut clock);
    diagnostics::sort(&mut report.diagnostics);
    let on_thread = memory.is_some();
    if report.has_errors() {
        free((ready, plan), on_thread);
        return false;
    }
    report.pages = rendered.pages;
    report.reused = rendered.reused;
    let target = index::Target::new(render_options.program, sink);
    let docs = index::docs::docs(&ready.content, &plan, Some(&target));
    // Stubs may need their text after all: keep what they are made from.
    let held = match docs.iter().any(index::docs::Doc::is_stub) {
        true => Some((ready, plan)),
        false => {
            free((ready, plan), on_thread);
            None
        }
    };
    let fill = |docs: &mut [index::docs::Doc]| {
        if let Some((ready, plan)) = &held {
            index::docs::fill(&ready.content, plan, docs);
        }
    };
    let diags = index::index(docs, target, memo, &fill);
    if let Some(held) = held {
        // Nothing is built after this that could use the memory: freed
        // on a thread of its own while `build` writes its manifest.
        free(held, true);
    }
    report.diagnostics.extend(diags);
    report.time("index", &mut clock);
    !report.has_errors()
}

/// Drops `value` here, or on a thread of its own (`serve`).
fn free<T: Send + 'static>(value: T, on_thread: bool) {
    if on_thread {
        std::thread::spawn(move || drop(value));
    } else {
        drop(value);
    }
}

/// Everything `build` writes, in memory (what `serve` serves). The site is
/// `None` when any error was found.
pub fn build_in_memory(options: &BuildOptions) -> Result<(Option<Built>, Report), Fatal> {
    build_in_memory_reusing(options, None, None)
}

/// [`build_in_memory`], reusing the pages of `previous` whose inputs did
/// not change, and the files read and parsed by earlier builds that
/// `memory` holds (`serve` passes the site it is serving and its memory).
pub fn build_in_memory_reusing(
    options: &BuildOptions,
    previous: Option<std::sync::Arc<Built>>,
    memory: Option<&Memory>,
) -> Result<(Option<Built>, Report), Fatal> {
    if let Some(memory) = memory {
        memory.values.begin();
    }
    let inputs = Inputs::load(options, memory.map(|m| &m.reads))?;
    let (ready, mut report) = prepare(inputs, memory, None);
    let Some(ready) = ready else {
        return Ok((None, report));
    };
    let sink = MemorySink::new(previous);
    let ok = publish(ready, options, &sink, memory, &mut report);
    report.sources.retain_pointed_at(&report.diagnostics);
    Ok((ok.then(|| sink.into_built()), report))
}

/// The whole pipeline: files stream into a staging folder beside the
/// output, which is swapped in only when the build found no error. Pages
/// whose inputs did not change are linked from the previous output.
pub fn build(options: &BuildOptions) -> Result<Report, Fatal> {
    let guard = write::OutputGuard {
        content: options.content.clone(),
        templates: options.templates.clone(),
        project: std::env::current_dir().map_err(|e| Fatal(e.to_string()))?,
    };
    // Refuse a bad output folder before spending time on the build.
    // The resolved path is the one written to (`typo/../out` never creates `typo/`).
    let out = write::check_output_dir(&options.out, &guard).map_err(|e| Fatal(e.to_string()))?;
    let inputs = Inputs::load(options, None)?;
    let key = inputs.key(options);
    // Nothing the output depends on changed since a build that found
    // nothing to report: the output is already what this build would write.
    if let Some(done) = key.and_then(|key| write::unchanged(&out, key)) {
        let mut report = Report {
            pages: done.pages,
            reused: done.pages,
            changes: Some(write::Changes {
                unchanged: done.files,
                ..write::Changes::default()
            }),
            ..Report::default()
        };
        let mut clock = inputs.started;
        report.time("load", &mut clock);
        return Ok(report);
    }
    // What earlier builds kept of the check stages, beside the output; a
    // rebuild stores the shards it changed while it renders. Another build
    // only reads the store: it makes nothing for it.
    let storing = write::stores_kept(&out);
    let kept = load::kept_folder(&out)
        .zip(load::program())
        .map(|(dir, program)| (load::read_kept(&dir, program), dir))
        .filter(|(kept, _)| storing || !kept.is_empty())
        .map(|(kept, dir)| match storing {
            true => (kept, dir),
            false => (kept.without_keeping(), dir),
        });
    let (ready, mut report) = prepare(inputs, None, kept.as_ref().map(|(k, _)| k));
    report.kept_files = kept.as_ref().map_or(0, |(k, _)| k.read_back());
    let _storing = kept
        .filter(|_| storing)
        .map(|(kept, dir)| write::Storing::start(kept, dir));
    let Some(ready) = ready else {
        return Ok(report);
    };
    let mut clock = std::time::Instant::now();
    let staging = write::Staging::begin(&out, &guard).map_err(|e| Fatal(e.to_string()))?;
    report.time("staging", &mut clock);
    let published = publish(ready, options, &staging, None, &mut report);
    report.sources.retain_pointed_at(&report.diagnostics);
    if published {
        let mut clock = std::time::Instant::now();
        // Only a build with nothing to report may be skipped next time:
        // its diagnostics would not be shown again.
        let key = key.filter(|_| report.diagnostics.is_empty());
        let changes = staging.finish(key).map_err(|e| Fatal(e.to_string()))?;
        report.changes = Some(changes);
        report.time("write", &mut clock);
    }
    // A staging folder not finished is removed when it is dropped.
    Ok(report)
}
