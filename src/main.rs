//! The `lendguide` command line: turns arguments into checked options, runs
//! the library pipeline, prints diagnostics, and maps outcomes to exit codes
//! (0 success, 1 content errors, 2 usage or internal/IO errors).

mod allocator;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use lendguide::diagnostics::{self, Format};
use lendguide::scaffold::{NewFile, NewOptions};
use lendguide::schema::FileKind;
use lendguide::{BuildOptions, Report};

/// Build the lendguide site: sourced guides on negotiating overdue online
/// loans, in Simplified and Traditional Chinese.
#[derive(Parser)]
#[command(name = "lendguide", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site into the output folder (atomically).
    Build {
        /// Folder with site.yaml, lenders/ and topics/.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Folder with the Tera templates and static/ assets.
        #[arg(long, default_value = "templates")]
        templates: PathBuf,
        /// Folder to write the site into; replaced only after a clean build.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Base URL for canonical links and the sitemap (overrides site.yaml):
        /// an absolute http(s) address ending in `/`.
        #[arg(long, value_parser = base_url)]
        base_url: Option<String>,
        /// Diagnostics format.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Print the wall time of each stage to stderr.
        #[arg(long)]
        timings: bool,
    },
    /// Validate all content without rendering; exit 1 on content errors.
    Check {
        /// Folder with site.yaml, lenders/ and topics/.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Diagnostics format.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Preview the site: build into memory, serve it on 127.0.0.1, rebuild
    /// on every change and reload open pages; errors show in the page.
    Serve {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Folder with site.yaml, lenders/ and topics/.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Folder with the Tera templates and static/ assets.
        #[arg(long, default_value = "templates")]
        templates: PathBuf,
    },
    /// Compute one worked example given as YAML (same keys as in a guide).
    Calc {
        /// YAML file with one example, or `-` for standard input.
        file: PathBuf,
        /// Print the figures as JSON (money "150.00", rates "13.03%").
        #[arg(long)]
        json: bool,
    },
    /// Start a new lender or guide from a template that passes `check`.
    #[command(after_help = NEW_HELP)]
    New {
        #[command(subcommand)]
        file: NewCommand,
        /// The day you read the sources (YYYY-MM-DD; default today).
        #[arg(long, global = true, value_name = "DATE")]
        checked: Option<String>,
    },
    /// Print the JSON Schema of content files, for editor completion.
    #[command(after_help = SCHEMA_HELP)]
    Schema {
        /// Only this file's schema. Without it: one schema for every file.
        #[arg(value_enum)]
        kind: Option<SchemaArg>,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// Write <content>/lenders/SLUG/lender.yaml.
    Lender {
        /// Folder name and URL of the lender: lower-case letters, digits, dashes.
        slug: String,
        /// Folder with site.yaml, lenders/ and topics/.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Write <content>/lenders/LENDER/KIND.md for an existing lender.
    Guide {
        /// The lender's slug (its folder under lenders/).
        lender: String,
        /// waiver, installment, extension, after-overdue or overdue-costs.
        kind: String,
        /// Folder with site.yaml, lenders/ and topics/.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

const NEW_HELP: &str = "\
Examples:
  lendguide new lender weilidai
  lendguide new guide weilidai waiver

Every key is present with a comment saying what it is for; replace each
待填写 placeholder with sourced facts, then run `lendguide check`.
Nothing is written when the slug is invalid (exit 2), the kind is unknown
(exit 2), the lender is missing or the file already exists (exit 1).";

const SCHEMA_HELP: &str = "\
Editor completion (VS Code's YAML extension or any yaml-language-server):
  lendguide schema > lendguide.schema.json
saved beside the content folder; files from `lendguide new` already start
with `# yaml-language-server: $schema=../../../lendguide.schema.json`.";

/// The file kinds `lendguide schema` describes.
#[derive(Clone, Copy, ValueEnum)]
enum SchemaArg {
    /// content/site.yaml
    Site,
    /// content/lenders/<slug>/lender.yaml
    Lender,
    /// front matter of content/lenders/<slug>/<guide>.md
    Guide,
    /// front matter of content/topics/<topic>.md
    Topic,
    /// one worked example, as `lendguide calc` reads it
    Example,
}

impl From<SchemaArg> for FileKind {
    fn from(k: SchemaArg) -> Self {
        match k {
            SchemaArg::Site => FileKind::Site,
            SchemaArg::Lender => FileKind::Lender,
            SchemaArg::Guide => FileKind::Guide,
            SchemaArg::Topic => FileKind::Topic,
            SchemaArg::Example => FileKind::Example,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
        }
    }
}

fn main() -> ExitCode {
    allocator::no_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            content,
            templates,
            out,
            base_url,
            format,
            timings,
        } => {
            let options = BuildOptions {
                content,
                templates,
                out: out.clone(),
                base_url,
            };
            let result = lendguide::build(&options);
            if timings && let Ok(r) = &result {
                diagnostics::note(&timing_report(&r.timings));
                if r.kept_files > 0 {
                    diagnostics::note(&format!(
                        "{} files read back as earlier builds checked them",
                        r.kept_files
                    ));
                }
            }
            finish(result, format.into(), false, |r| {
                let mut line = format!("built {} pages into {}", r.pages, out.display());
                if r.reused > 0 {
                    line = format!(
                        "built {} pages ({} reused) into {}",
                        r.pages,
                        r.reused,
                        out.display()
                    );
                }
                if let Some(c) = &r.changes {
                    line.push_str(&change_report(c));
                }
                line
            })
        }
        Command::Calc { file, json } => calc(&file, json),
        Command::New { file, checked } => new(file, checked),
        Command::Schema { kind } => schema(kind.map(FileKind::from)),
        Command::Serve {
            port,
            content,
            templates,
        } => serve(port, content, templates),
        Command::Check {
            content,
            format,
            strict,
        } => finish(
            lendguide::check(&content).map(|(_, r)| r),
            format.into(),
            strict,
            |_| "content is valid".to_string(),
        ),
    }
}

/// `--base-url` follows site.yaml's `base_url` rule and is checked before
/// anything runs, so a bad one is a usage error (exit 2).
fn base_url(value: &str) -> Result<String, String> {
    let url = value.trim();
    lendguide::validate::url::base_url(url)
        .map(|()| url.to_string())
        .map_err(|p| format!("{}\n\n  help: {}", p.message, p.help))
}

fn serve(port: u16, content: PathBuf, templates: PathBuf) -> ExitCode {
    // Rebuilds follow one another all session: keep their memory.
    allocator::keep_freed_memory();
    let options = lendguide::serve::ServeOptions {
        build: BuildOptions {
            content,
            templates,
            // Never written: serve builds into memory.
            out: PathBuf::from("output"),
            base_url: None,
        },
        port,
    };
    match lendguide::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(fatal) => {
            diagnostics::note(&format!("error: {fatal}"));
            ExitCode::from(2)
        }
    }
}

fn new(command: NewCommand, checked: Option<String>) -> ExitCode {
    let today = match checked.as_deref().map(lendguide::model::Date::parse) {
        None => lendguide::model::Date::today(),
        Some(Some(date)) => date,
        Some(None) => {
            diagnostics::note(&format!(
                "error: `--checked {}` is not a date",
                checked.unwrap_or_default()
            ));
            diagnostics::note("help: write it as YYYY-MM-DD, e.g. --checked 2026-11-25");
            return ExitCode::from(2);
        }
    };
    let (content, file) = match command {
        NewCommand::Lender { slug, content } => (content, NewFile::Lender { slug }),
        NewCommand::Guide {
            lender,
            kind,
            content,
        } => (content, NewFile::Guide { lender, kind }),
    };
    let options = NewOptions {
        content,
        file,
        today,
    };
    match lendguide::scaffold::create(&options) {
        Ok(path) => {
            diagnostics::note(&format!("created {}", path.display()));
            diagnostics::note(
                "next: replace every 待填写 placeholder with sourced facts, then run `lendguide check`",
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            diagnostics::note(&format!("error: {e}"));
            if let Some(help) = e.help() {
                diagnostics::note(&format!("help: {help}"));
            }
            ExitCode::from(e.exit_code())
        }
    }
}

fn schema(kind: Option<FileKind>) -> ExitCode {
    let value = lendguide::schema::schema(kind);
    match serde_json::to_string_pretty(&value) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            diagnostics::note(&format!("error: {e}"));
            ExitCode::from(2)
        }
    }
}

fn calc(file: &std::path::Path, json: bool) -> ExitCode {
    let source = match lendguide::load::read_input(file) {
        Ok(s) => s,
        Err(d) => {
            let code = if d.is_io() { 2 } else { 1 };
            diagnostics::emit(&[d], &Default::default(), Format::Human);
            return ExitCode::from(code);
        }
    };
    let (result, diags, sources) = lendguide::calc::calc(&source);
    let format = if json { Format::Json } else { Format::Human };
    if !diags.is_empty() {
        // Printed by position; `error_json` keeps the order the checks ran
        // in, the one order the browser calculator can reproduce.
        let mut sorted = diags.clone();
        diagnostics::sort(&mut sorted);
        diagnostics::emit(&sorted, &sources, Format::Human);
    }
    let Some((example, outcome)) = result else {
        if json {
            let error = lendguide::calc::error_json(&diags);
            println!(
                "{}",
                serde_json::to_string_pretty(&error).unwrap_or_default()
            );
        }
        return ExitCode::from(1);
    };
    let text = match format {
        Format::Json => {
            let value = lendguide::calc::to_json(&example, &outcome);
            serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
        }
        Format::Human => lendguide::calc::to_table(&example, &outcome),
    };
    print!("{text}");
    if diags.iter().any(|d| d.is_error()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Which pages a build added, changed or removed (HTML pages listed first).
fn change_report(c: &lendguide::write::Changes) -> String {
    let mut out = format!(
        ": {} changed, {} added, {} removed, {} unchanged",
        c.changed.len(),
        c.added.len(),
        c.removed.len(),
        c.unchanged
    );
    for (mark, list) in [("~", &c.changed), ("+", &c.added), ("-", &c.removed)] {
        let pages: Vec<_> = list.iter().filter(|p| p.ends_with(".html")).collect();
        for p in pages.iter().take(30) {
            out.push_str(&format!("\n  {mark} {p}"));
        }
        if pages.len() > 30 {
            out.push_str(&format!("\n  {mark} … and {} more", pages.len() - 30));
        }
    }
    out
}

/// `timings: load 0.41 s (peak 80 MB), parse 1.20 s (peak 210 MB), …, total 9.80 s`.
fn timing_report(timings: &[lendguide::Timing]) -> String {
    let total: std::time::Duration = timings.iter().map(|t| t.wall).sum();
    let mut parts: Vec<String> = timings
        .iter()
        .map(|t| {
            let peak = t
                .peak_rss
                .map(|b| format!(" (peak {} MB)", b / 1_000_000))
                .unwrap_or_default();
            format!("{} {:.2} s{peak}", t.stage, t.wall.as_secs_f64())
        })
        .collect();
    parts.push(format!("total {:.2} s", total.as_secs_f64()));
    format!("timings: {}", parts.join(", "))
}

fn finish(
    result: Result<Report, lendguide::Fatal>,
    format: Format,
    strict: bool,
    success: impl Fn(&Report) -> String,
) -> ExitCode {
    match result {
        Ok(report) => {
            let failed = report.has_errors() || (strict && !report.diagnostics.is_empty());
            if format == Format::Json || !report.diagnostics.is_empty() {
                diagnostics::emit(&report.diagnostics, &report.sources, format);
            }
            if format == Format::Human {
                if failed {
                    diagnostics::note(&format!(
                        "failed: {}; output left untouched",
                        diagnostics::summary(&report.diagnostics)
                    ));
                } else {
                    let line = success(&report);
                    diagnostics::note(&if report.diagnostics.is_empty() {
                        line
                    } else {
                        // The summary belongs on the first line, before any list.
                        let (first, rest) = line
                            .split_once('\n')
                            .map_or((line.as_str(), ""), |(f, r)| (f, r));
                        let summary = diagnostics::summary(&report.diagnostics);
                        if rest.is_empty() {
                            format!("{first} ({summary})")
                        } else {
                            format!("{first} ({summary})\n{rest}")
                        }
                    });
                }
            }
            if report.has_io_errors() {
                ExitCode::from(2)
            } else if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(fatal) => {
            diagnostics::note(&format!("error: {fatal}"));
            ExitCode::from(2)
        }
    }
}
