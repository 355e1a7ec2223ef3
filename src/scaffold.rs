//! `lendguide new`: write a new lender or guide from a template that passes
//! `check` at once, so a contributor starts from a valid file and replaces
//! placeholders instead of guessing keys.
//!
//! The templates (`src/scaffold/`) show every key with a short Chinese and
//! English comment, mark every placeholder `待填写` (a policy value is
//! `unverified` and says it must be replaced), date themselves today, and
//! start with the `# yaml-language-server: $schema=` comment that wires
//! `lendguide schema` into an editor.
//!
//! Everything is checked before the disk is touched: the slug, the guide
//! kind, that the lender exists, that the file does not. Filesystem access
//! stays in the small functions at the end of this file: two look-ups
//! (does a file exist, which lender folders are there) and
//! [`write_new_file`], the only write, which creates the file with
//! `create_new` so even a file that appears meanwhile is never overwritten.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::{Date, GuideKind, is_slug};
use crate::suggest::did_you_mean;

const LENDER_TEMPLATE: &str = include_str!("scaffold/lender.yaml");
const GUIDE_TEMPLATE: &str = include_str!("scaffold/guide.md");

/// Where `lendguide schema > lendguide.schema.json` saves the schema: beside
/// the content folder, so every new file can point at it relatively.
pub const SCHEMA_FILE: &str = "lendguide.schema.json";

/// What `new` was asked to create.
#[derive(Debug, Clone)]
pub enum NewFile {
    Lender { slug: String },
    Guide { lender: String, kind: String },
}

#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The content folder (`content/`).
    pub content: PathBuf,
    pub file: NewFile,
    /// The date written into `as_of` / `updated`.
    pub today: Date,
}

/// Why nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaffoldError {
    /// A bad argument: an invalid slug, an unknown kind (exit code 2).
    Usage { message: String, help: String },
    /// The content does not allow it: the file exists, the lender does not
    /// (exit code 1).
    Content { message: String, help: String },
    /// The content folder is missing or the disk failed (exit code 2).
    Io { message: String },
}

impl ScaffoldError {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Content { .. } => 1,
            Self::Usage { .. } | Self::Io { .. } => 2,
        }
    }

    pub fn help(&self) -> Option<&str> {
        match self {
            Self::Usage { help, .. } | Self::Content { help, .. } => Some(help),
            Self::Io { .. } => None,
        }
    }
}

impl fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage { message, .. } | Self::Content { message, .. } | Self::Io { message } => {
                f.write_str(message)
            }
        }
    }
}

/// Checks the request, then writes the one new file. Returns its path.
pub fn create(options: &NewOptions) -> Result<PathBuf, ScaffoldError> {
    let (path, text) = plan(options)?;
    write_new_file(&path, &text)?;
    Ok(path)
}

/// The file to write and its text, or why it must not be written.
fn plan(options: &NewOptions) -> Result<(PathBuf, String), ScaffoldError> {
    let content = &options.content;
    match &options.file {
        NewFile::Lender { slug } => {
            check_slug(slug, "lender slug", "weilidai")?;
            check_content_dir(content)?;
            let path = content.join("lenders").join(slug).join("lender.yaml");
            if exists(&path) {
                return Err(ScaffoldError::Content {
                    message: format!("lender `{slug}` already exists: {}", path.display()),
                    help: "edit that file, or choose another slug".into(),
                });
            }
            Ok((path, lender_text(slug, options.today)))
        }
        NewFile::Guide { lender, kind } => {
            check_slug(lender, "lender slug", "weilidai")?;
            let kind = guide_kind(kind)?;
            check_content_dir(content)?;
            let folder = content.join("lenders").join(lender);
            if !exists(&folder.join("lender.yaml")) {
                let known = lender_folders(&content.join("lenders"));
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                let help = match did_you_mean(lender, &names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("create it first with `lendguide new lender {lender}`"),
                };
                return Err(ScaffoldError::Content {
                    message: format!(
                        "no lender `{lender}`: {} does not exist",
                        folder.join("lender.yaml").display()
                    ),
                    help,
                });
            }
            let path = folder.join(format!("{}.md", kind.key()));
            if exists(&path) {
                return Err(ScaffoldError::Content {
                    message: format!(
                        "lender `{lender}` already has a `{}` guide: {}",
                        kind.key(),
                        path.display()
                    ),
                    help: "edit that file instead".into(),
                });
            }
            Ok((path, guide_text(lender, kind, options.today)))
        }
    }
}

fn check_slug(slug: &str, what: &str, example: &str) -> Result<(), ScaffoldError> {
    if is_slug(slug) {
        return Ok(());
    }
    let lower = slug.to_lowercase().replace(['_', ' '], "-");
    let help = if is_slug(&lower) {
        format!("did you mean `{lower}`? Slugs are lower-case letters, digits and dashes")
    } else {
        format!("use lower-case letters, digits and dashes, e.g. `{example}`")
    };
    Err(ScaffoldError::Usage {
        message: format!("`{slug}` is not a valid {what}"),
        help,
    })
}

fn guide_kind(kind: &str) -> Result<GuideKind, ScaffoldError> {
    GuideKind::parse(kind).ok_or_else(|| {
        let names = GuideKind::NAMES.join(", ");
        let help = match did_you_mean(kind, &GuideKind::NAMES) {
            Some(near) => format!("did you mean `{near}`? (kinds: {names})"),
            None => format!("use one of: {names}"),
        };
        ScaffoldError::Usage {
            message: format!("unknown guide kind `{kind}`"),
            help,
        }
    })
}

/// `new` only adds to an existing content folder, so a typo in `--content`
/// does not plant a stray tree somewhere else.
fn check_content_dir(content: &Path) -> Result<(), ScaffoldError> {
    if fs::metadata(content).is_ok_and(|m| m.is_dir()) {
        Ok(())
    } else {
        Err(ScaffoldError::Io {
            message: format!(
                "content folder {} not found: run in the project folder or pass --content DIR",
                content.display()
            ),
        })
    }
}

/// A new `lender.yaml`.
pub fn lender_text(slug: &str, today: Date) -> String {
    fill(
        LENDER_TEMPLATE,
        &[
            ("@SCHEMA@", &schema_path()),
            ("@SLUG@", slug),
            ("@TODAY@", &today.to_string()),
        ],
    )
}

/// A new guide of `kind` for `lender`.
pub fn guide_text(lender: &str, kind: GuideKind, today: Date) -> String {
    fill(
        GUIDE_TEMPLATE,
        &[
            ("@SCHEMA@", &schema_path()),
            ("@LENDER@", lender),
            ("@KIND_LABEL@", kind.label()),
            ("@KIND@", kind.key()),
            ("@TODAY@", &today.to_string()),
        ],
    )
}

/// Replaces `@NAME@` placeholders, keeping each trailing comment in the
/// column the template put it, so the comments stay aligned.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    for line in template.lines() {
        let mut filled = line.to_string();
        for (name, value) in values {
            filled = filled.replace(name, value);
        }
        let trailing = |l: &str| l.find("  #").filter(|i| !l[..*i].trim().is_empty());
        if let (true, Some(was), Some(now)) = (filled != line, trailing(line), trailing(&filled)) {
            let column = width(&line[..was]) + 2;
            let code = filled[..now].trim_end();
            let pad = column.saturating_sub(width(code)).max(2);
            filled = format!("{code}{}{}", " ".repeat(pad), filled[now..].trim_start());
        }
        out.push_str(&filled);
        out.push('\n');
    }
    out
}

/// Terminal columns of `s`: Han characters and full-width forms take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// From `<content>/lenders/<slug>/` up to the content folder's parent.
fn schema_path() -> String {
    format!("../../../{SCHEMA_FILE}")
}

// ---- filesystem access: nothing above this line reads or writes files ----

/// A path exists, as a file, folder or link (a link is never written through).
fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// The names of the folders under `content/lenders/` that hold a
/// `lender.yaml`, for "did you mean".
fn lender_folders(lenders: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(lenders) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("lender.yaml").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

/// Creates `path` (and its lender folder) with `text`. Refuses to replace
/// anything, and removes a folder it created when the file cannot be written.
fn write_new_file(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io = |what: &str, p: &Path, e: std::io::Error| ScaffoldError::Io {
        message: format!("cannot {what} {}: {e}", p.display()),
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    if fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir()) {
        return Err(ScaffoldError::Content {
            message: format!("{} is not a folder", folder.display()),
            help: "lender folders are plain folders under content/lenders/ (links are refused)"
                .into(),
        });
    }
    let created_folder = !exists(folder);
    fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = result {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            let _ = fs::remove_file(path);
        }
        if created_folder {
            let _ = fs::remove_dir(folder);
        }
        return Err(io("write", path, e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn templates_are_filled_in() {
        let lender = lender_text("demo", day("2026-01-02"));
        assert!(
            lender.starts_with("# yaml-language-server: $schema=../../../lendguide.schema.json\n")
        );
        assert!(lender.contains("as_of: \"2026-01-02\""));
        let guide = guide_text("demo", GuideKind::AfterOverdue, day("2026-01-02"));
        assert!(guide.starts_with("---\n# yaml-language-server: $schema="));
        assert!(guide.contains("kind: after-overdue "));
        assert!(guide.contains("逾期处理指南标题"));
        assert!(!guide.contains('@') && !lender.contains('@'));
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        let options = |file| NewOptions {
            content: PathBuf::from("/nonexistent"),
            file,
            today: day("2026-01-02"),
        };
        let e = create(&options(NewFile::Lender {
            slug: "Demo".into(),
        }))
        .unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.help(),
            Some("did you mean `demo`? Slugs are lower-case letters, digits and dashes")
        );
        let e = create(&options(NewFile::Guide {
            lender: "demo".into(),
            kind: "waver".into(),
        }))
        .unwrap_err();
        assert_eq!(e.to_string(), "unknown guide kind `waver`");
        assert!(
            e.help()
                .unwrap()
                .starts_with("did you mean `waiver`? (kinds: waiver, ")
        );
    }
}
