//! Load: the only stage that reads the content and template folders.
//!
//! It walks `content/` and `templates/` in sorted order (so every later stage
//! sees files in the same order on every machine), refuses symlinks, files
//! that are too large or not UTF-8, and classifies each file by where it sits.
//! It never interprets a file's text; that is `parse`'s job.
//!
//! It never blocks: opening a named pipe waits for a writer forever, so
//! anything that is not a regular file or a folder (FIFO, socket, device) is
//! refused from its directory entry, before any open; and every read opens
//! without waiting (`O_NONBLOCK`) and reads only what is a regular file
//! once open, in case a file was swapped for a pipe after the walk.

mod cache;
mod kept;
mod read;
mod templates;

pub use cache::ReadCache;
pub use kept::{is_kept_folder, kept_folder, read_kept};
pub use templates::{load_templates, load_templates_cached};

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use read::{decode, io_error, not_a_file, read_text, special_kind, too_large, walk_cached};

use crate::diagnostics::{Diagnostic, Located};

/// Content files larger than this are refused: no guide needs 1 MiB of text,
/// and a huge file is more likely a mistake or an attack than a guide.
pub const MAX_CONTENT_BYTES: u64 = 1024 * 1024;
/// Static assets (CSS, JS, icons) may be larger, within reason.
pub const MAX_ASSET_BYTES: u64 = 8 * 1024 * 1024;

/// A text file as read, with the path diagnostics should show.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct ContentFiles {
    /// What every file's shown path starts with ([`shown_root`]).
    pub root: String,
    pub site: Option<SourceFile>,
    /// `site.yaml` exists, even if it could not be read (so it is not
    /// reported missing on top of what is wrong with it).
    pub site_found: bool,
    pub lenders: Vec<LenderFiles>,
    pub topics: Vec<SourceFile>,
}

/// One folder under `content/lenders/`.
#[derive(Debug)]
pub struct LenderFiles {
    /// The folder name (not yet checked as a slug).
    pub slug: String,
    pub dir: String,
    pub lender: Option<SourceFile>,
    /// `lender.yaml` exists, even if it could not be read.
    pub lender_found: bool,
    pub guides: Vec<SourceFile>,
}

#[derive(Debug, Default)]
pub struct TemplateFiles {
    /// Tera templates, named by their path under `templates/` (`guide.html`).
    pub templates: Vec<(String, SourceFile)>,
    /// Files under `templates/static/`, copied to `output/static/`.
    pub assets: Vec<(String, Vec<u8>)>,
}

/// An error that stops loading altogether (exit code 2).
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads everything under `dir` that the content model knows about.
pub fn load_content(dir: &Path) -> Result<(ContentFiles, Vec<Diagnostic>), LoadError> {
    load_content_cached(dir, None)
}

/// [`load_content`], taking unchanged files from `cache` when given
/// (`serve`; see [`ReadCache`]).
pub fn load_content_cached(
    dir: &Path,
    cache: Option<&ReadCache>,
) -> Result<(ContentFiles, Vec<Diagnostic>), LoadError> {
    let meta = fs::symlink_metadata(dir)
        .map_err(|e| LoadError(format!("cannot read content folder {}: {e}", dir.display())))?;
    if !meta.is_dir() {
        return Err(LoadError(format!(
            "content folder {} is not a folder",
            dir.display()
        )));
    }
    let mut files = ContentFiles {
        root: shown_root(dir),
        ..ContentFiles::default()
    };
    let mut diags = Vec::new();
    // The files to read: what each is, its lender folder, path, shown path.
    let mut wanted: Vec<(Kind, Option<usize>, PathBuf, String)> = Vec::new();
    for entry in walk_cached(dir, cache) {
        let entry = match entry {
            Ok(e) => e,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let path = display(entry.path());
        let at = Located::new(path.clone(), 1, 1);
        if entry.path_is_symlink() {
            // A symlinked site.yaml or lender.yaml exists too: refuse it,
            // but do not also call it missing.
            mark_found(&mut files, &parts);
            diags.push(
                Diagnostic::error("symlink", &at, "symbolic links are not followed")
                    .with_help("copy the file into content/ instead of linking to it"),
            );
            continue;
        }
        if let Some(kind) = special_kind(entry.file_type()) {
            // A site.yaml or lender.yaml that is a pipe or socket exists:
            // say what it is, not that it is missing.
            mark_found(&mut files, &parts);
            diags.push(not_a_file(&at, kind));
            continue;
        }
        if entry.file_type().is_dir() {
            match parts.as_slice() {
                [l] if l == "lenders" || l == "topics" => {}
                [l, slug] if l == "lenders" => files.lenders.push(LenderFiles {
                    slug: slug.clone(),
                    dir: path,
                    lender: None,
                    lender_found: false,
                    guides: Vec::new(),
                }),
                _ => diags.push(unexpected(&at, "folder")),
            }
            continue;
        }
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let kind = match parts.as_slice() {
            ["site.yaml"] => Kind::Site,
            ["lenders", _, "lender.yaml"] => Kind::Lender,
            ["lenders", _, name] if name.ends_with(".md") => Kind::Guide,
            ["topics", name] if name.ends_with(".md") => Kind::Topic,
            _ => {
                diags.push(unexpected(&at, "file"));
                continue;
            }
        };
        mark_found(&mut files, &parts);
        // The folder entry always precedes its files in a sorted walk.
        let folder = files.lenders.len().checked_sub(1);
        wanted.push((kind, folder, entry.into_path(), path));
    }
    // Files are read across cores, then placed in walk order. Each file
    // has at most one problem, and the caller sorts diagnostics by place.
    let read: Vec<_> = wanted
        .par_iter()
        .map(|(_, _, path, shown)| {
            let mut found = Vec::new();
            let file = read_text(path, shown, MAX_CONTENT_BYTES, &mut found, cache);
            (file, found)
        })
        .collect();
    for ((kind, folder, _, _), (file, found)) in wanted.into_iter().zip(read) {
        diags.extend(found);
        let Some(file) = file else { continue };
        let lender = folder.and_then(|i| files.lenders.get_mut(i));
        match (kind, lender) {
            (Kind::Site, _) => files.site = Some(file),
            (Kind::Topic, _) => files.topics.push(file),
            (Kind::Lender, Some(lender)) => lender.lender = Some(file),
            (Kind::Guide, Some(lender)) => lender.guides.push(file),
            (Kind::Lender | Kind::Guide, None) => {}
        }
    }
    Ok((files, diags))
}

/// Records that `site.yaml` or a `lender.yaml` exists at `parts` (a path
/// under `content/`), whether or not it can be read, so it is reported for
/// what is wrong with it and never also as missing.
fn mark_found<S: AsRef<str>>(files: &mut ContentFiles, parts: &[S]) {
    let parts: Vec<&str> = parts.iter().map(AsRef::as_ref).collect();
    match parts.as_slice() {
        ["site.yaml"] => files.site_found = true,
        ["lenders", _, "lender.yaml"] => {
            // The folder entry always precedes its files in a sorted walk.
            if let Some(lender) = files.lenders.last_mut() {
                lender.lender_found = true;
            }
        }
        _ => {}
    }
}

#[derive(PartialEq, Eq)]
enum Kind {
    Site,
    Lender,
    Guide,
    Topic,
}

fn unexpected(at: &Located, what: &str) -> Diagnostic {
    Diagnostic::warning("unexpected-file", at, format!("this {what} is not part of the content model and is ignored"))
        .with_help("content/ holds site.yaml, lenders/<slug>/lender.yaml, lenders/<slug>/<guide>.md and topics/<topic>.md")
}

/// Reads one input file for `calc`; `-` reads standard input. Input that is
/// too large or not UTF-8 is refused as a file would be, never cut short.
pub fn read_input(path: &Path) -> Result<SourceFile, Diagnostic> {
    use std::io::Read;
    if path.as_os_str() == "-" {
        let shown = "<stdin>";
        let at = Located::new(shown, 1, 1);
        // One byte over the limit is enough to know the input is too large.
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_CONTENT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(&at, &e))?;
        if bytes.len() as u64 > MAX_CONTENT_BYTES {
            return Err(too_large(
                &at,
                &format!("standard input is over {MAX_CONTENT_BYTES} bytes"),
                MAX_CONTENT_BYTES,
            ));
        }
        return decode(bytes, shown);
    }
    let shown = display(path);
    let mut diags = Vec::new();
    match read_text(path, &shown, MAX_CONTENT_BYTES, &mut diags, None) {
        Some(file) => Ok(file),
        None => Err(diags.into_iter().next().unwrap_or_else(|| {
            Diagnostic::error(
                crate::diagnostics::IO,
                &Located::new(shown.as_str(), 1, 1),
                "cannot read file",
            )
            .with_help("check the path")
        })),
    }
}

impl ContentFiles {
    /// `shown`, a path under the content folder as shown, without the
    /// folder: what a file is wherever the folder sits and however it was
    /// spelled (`lenders/weilidai/waiver.md`).
    pub fn under_root<'a>(&self, shown: &'a str) -> &'a str {
        under_root(&self.root, shown)
    }

    /// Feeds every file's place under the folder and text, and which
    /// files exist, to `h`.
    pub fn hash_into(&self, h: &mut crate::sink::Hasher) {
        h.bytes(&[u8::from(self.site_found)]);
        let file = |h: &mut crate::sink::Hasher, f: &SourceFile| {
            h.bytes(self.under_root(&f.path).as_bytes())
                .bytes(f.text.as_bytes());
        };
        self.site.iter().for_each(|f| file(h, f));
        for l in &self.lenders {
            h.bytes(l.slug.as_bytes())
                .bytes(self.under_root(&l.dir).as_bytes());
            h.bytes(&[u8::from(l.lender_found)]);
            l.lender.iter().for_each(|f| file(h, f));
            h.bytes(&(l.guides.len() as u64).to_le_bytes());
            l.guides.iter().for_each(|f| file(h, f));
        }
        h.bytes(b"topics");
        self.topics.iter().for_each(|f| file(h, f));
    }
}

/// The process's peak resident memory in bytes (`VmHWM`), where the OS
/// tells it (Linux); for `build --timings`.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The running program, as a hash of its executable: part of every page's
/// fingerprint, so pages rendered by another build of lendguide are never
/// reused. Read once per process; `None` (no reuse) when it cannot be read.
pub fn program() -> Option<crate::sink::Fingerprint> {
    static PROGRAM: std::sync::OnceLock<Option<crate::sink::Fingerprint>> =
        std::sync::OnceLock::new();
    *PROGRAM.get_or_init(|| {
        let exe = std::env::current_exe().ok()?;
        let bytes = std::fs::read(exe).ok()?;
        Some(crate::sink::content_hash(&bytes))
    })
}

/// `shown` without `root`, what the paths under a folder are shown
/// starting with ([`shown_root`]).
pub fn under_root<'a>(root: &str, shown: &'a str) -> &'a str {
    shown.strip_prefix(root).unwrap_or(shown)
}

/// What the paths of the files under `dir` are shown starting with:
/// `content/` for `content` or `./content/`, empty for `.`.
pub fn shown_root(dir: &Path) -> String {
    let shown = display(&dir.join("x"));
    shown.strip_suffix('x').unwrap_or_default().to_string()
}

/// Paths are shown with forward slashes, as typed on the command line.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Resolves a user-given folder (for messages) without requiring it to exist.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::load_templates;

    /// Every diagnostic has a help line, templates included: a symlinked
    /// template and an oversized asset were reported with none.
    #[test]
    fn template_problems_say_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("templates");
        std::fs::create_dir_all(templates.join("static")).unwrap();
        std::fs::write(dir.path().join("page.html"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("page.html"), templates.join("page.html"))
            .unwrap();
        let big = std::fs::File::create(templates.join("static/big.css")).unwrap();
        big.set_len(super::MAX_ASSET_BYTES + 1).unwrap();
        let (_, diags) = load_templates(&templates).unwrap();
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["symlink", "too-large"], "{diags:?}");
        for d in &diags {
            assert!(d.help.as_ref().is_some_and(|h| !h.is_empty()), "{d:?}");
        }
    }
}
