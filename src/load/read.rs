//! Reading one file for `load`: regular files only, never blocking, never
//! past a size limit, UTF-8 checked with the position of the first bad
//! byte. Named pipes, sockets and devices are refused by type: opening a
//! pipe would wait for a writer forever.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Located};

use super::SourceFile;
use super::cache::ReadCache;

/// The text of the file at `path` (shown as `shown`), or `None` with what
/// was wrong in `diags`. With a `cache`, a file unchanged since it was last
/// read comes from memory.
pub(super) fn read_text(
    path: &Path,
    shown: &str,
    limit: u64,
    diags: &mut Vec<Diagnostic>,
    cache: Option<&ReadCache>,
) -> Option<SourceFile> {
    if let Some(file) = cache.and_then(|c| c.get(path)) {
        return Some(file);
    }
    let at = Located::new(shown, 1, 1);
    let read_at = std::time::SystemTime::now();
    let (bytes, meta) = match read_regular(path, limit) {
        Ok(read) => read,
        Err(Unreadable::TooLarge(len)) => {
            diags.push(too_large(&at, &format!("file is {len} bytes"), limit));
            return None;
        }
        Err(Unreadable::NotAFile(kind)) => {
            diags.push(not_a_file(&at, kind));
            return None;
        }
        Err(Unreadable::Io(e)) => {
            diags.push(io_error(&at, &e));
            return None;
        }
    };
    let file = decode(bytes, shown).map_err(|d| diags.push(d)).ok()?;
    if let Some(cache) = cache {
        cache.put(path, &meta, read_at, &file);
    }
    Some(file)
}

pub(super) fn too_large(at: &Located, what: &str, limit: u64) -> Diagnostic {
    Diagnostic::error("too-large", at, format!("{what}; the limit is {limit}"))
        .with_help("split the guide, or check that this is the file you meant")
}

/// UTF-8 text without a byte-order mark, or an error at the first byte
/// that is not UTF-8.
pub(super) fn decode(bytes: Vec<u8>, shown: &str) -> Result<SourceFile, Diagnostic> {
    match crate::utf8::string(bytes) {
        Ok(text) => Ok(SourceFile {
            path: shown.to_string(),
            text: text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text),
        }),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let (line, column) = line_col(&bytes[..valid]);
            let byte = bytes.get(valid).copied().unwrap_or_default();
            Err(Diagnostic::error(
                "not-utf8",
                &Located::new(shown, line, column),
                format!("file is not valid UTF-8: byte 0x{byte:02X} at offset {valid}"),
            )
            .with_help("save the file as UTF-8 (GBK and Big5 are not accepted)"))
        }
    }
}

/// A file that exists but cannot be read: exit code 2, at its path.
pub(super) fn io_error(at: &Located, e: &std::io::Error) -> Diagnostic {
    let help = match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            "lendguide may not read this file; give it read permission (e.g. `chmod a+r`)"
        }
        std::io::ErrorKind::NotFound => "check the path; the file does not exist",
        _ => "only regular, readable files belong here; move this one away or check the disk",
    };
    Diagnostic::error(crate::diagnostics::IO, at, format!("cannot read file: {e}")).with_help(help)
}

/// Every entry under `dir` but `dir` itself, sorted by name, symlinks not
/// followed; an entry that cannot be read is its located diagnostic.
pub(super) fn walk(dir: &Path) -> impl Iterator<Item = Result<walkdir::DirEntry, Diagnostic>> + '_ {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .map(move |entry| {
            entry.map_err(|e| {
                let at = Located::new(super::display(e.path().unwrap_or(dir)), 1, 1);
                walk_error(&at, &e)
            })
        })
}

/// [`walk`], with every entry at once; with a `cache` (`serve`), a tree
/// none of whose folders changed since it was last walked comes from
/// memory. A walk that met an error is not remembered.
pub(super) fn walk_cached(
    dir: &Path,
    cache: Option<&ReadCache>,
) -> Vec<Result<walkdir::DirEntry, Diagnostic>> {
    let Some(cache) = cache else {
        return walk(dir).collect();
    };
    if let Some(entries) = cache.listing(dir) {
        return entries.into_iter().map(Ok).collect();
    }
    let listed_at = std::time::SystemTime::now();
    let entries: Vec<_> = walk(dir).collect();
    let found: Option<Vec<walkdir::DirEntry>> =
        entries.iter().map(|e| e.as_ref().ok().cloned()).collect();
    if let Some(found) = found {
        cache.put_listing(dir, &found, listed_at);
    }
    entries
}

fn walk_error(at: &Located, e: &walkdir::Error) -> Diagnostic {
    match e.io_error() {
        Some(io) => io_error(at, io),
        None => Diagnostic::error(crate::diagnostics::IO, at, format!("cannot read: {e}"))
            .with_help("a folder that loops back on itself cannot be read; remove the loop"),
    }
}

/// Why a file's bytes were not read.
pub(super) enum Unreadable {
    /// Its size in bytes, over the limit.
    TooLarge(u64),
    /// What it is instead of a regular file (`a named pipe (FIFO)`).
    NotAFile(&'static str),
    Io(std::io::Error),
}

/// The bytes of a regular file of at most `limit` bytes, with what the
/// opened file said of itself. Opens without waiting, so a named pipe put
/// where a file was cannot block; checks the type and size of what was
/// opened, and never reads past the limit.
pub(super) fn read_regular(path: &Path, limit: u64) -> Result<(Vec<u8>, fs::Metadata), Unreadable> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(Unreadable::Io)?;
    let meta = file.metadata().map_err(Unreadable::Io)?;
    if let Some(kind) = special_kind(meta.file_type()).or((!meta.is_file()).then_some("a folder")) {
        return Err(Unreadable::NotAFile(kind));
    }
    if meta.len() > limit {
        return Err(Unreadable::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Unreadable::Io)?;
    // The file grew after it was measured.
    if bytes.len() as u64 > limit {
        return Err(Unreadable::TooLarge(bytes.len() as u64));
    }
    Ok((bytes, meta))
}

/// What an entry is when it is neither a regular file, a folder nor a
/// symlink (refused on its own), judged from its type without opening it.
pub(super) fn special_kind(file_type: fs::FileType) -> Option<&'static str> {
    if file_type.is_file() || file_type.is_dir() || file_type.is_symlink() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
    }
    Some("a special file")
}

pub(super) fn not_a_file(at: &Located, kind: &str) -> Diagnostic {
    Diagnostic::error(crate::diagnostics::IO, at, format!("this is {kind}, not a file"))
        .with_help("lendguide reads only regular files and folders here; remove it, or replace it with a regular file")
}

/// Line and column (1-based, characters) just after `valid` UTF-8 bytes.
fn line_col(valid: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(valid);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::read_text;
    use std::time::Duration;

    /// A file swapped for a FIFO after the walk saw it must still not block:
    /// reading opens without waiting and refuses what is not a regular file.
    #[test]
    fn reading_a_named_pipe_returns_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut diags = Vec::new();
            let file = read_text(&fifo, "pipe.md", 1024, &mut diags, None);
            let _ = tx.send((file.is_some(), diags));
        });
        let (read, diags) = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("read_text blocked on a named pipe");
        assert!(!read);
        assert!(
            diags[0]
                .message
                .contains("is a named pipe (FIFO), not a file"),
            "{:?}",
            diags[0]
        );
        assert!(diags[0].help.is_some(), "{:?}", diags[0]);
    }
}
