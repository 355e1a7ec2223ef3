//! The manifest: what each file of an output folder was built from.
//!
//! `.lendguide-manifest` holds a header line, the hash of the build's
//! inputs, then one line per file, sorted by path: its content hash
//! (xxh3-128), its [`Stamp`] as written, and, for pages, the fingerprint
//! and link facts a later build reuses them by. The changed-pages report
//! compares two manifests; a file whose stamp moved since is not trusted
//! to hold what its line says.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use super::MARKER;
use crate::sink::{Facts, Fingerprint, PageRecord};

/// What each output file was built from, sorted by path (see
/// `write_manifest`): the changed-pages report and page reuse read it.
pub const MANIFEST: &str = ".lendguide-manifest";
/// The manifest's first line; a manifest of another version is ignored.
const MANIFEST_HEADER: &str = "lendguide manifest 3";

/// What a build changed compared with the previous output.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// One file of a manifest.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub hash: u128,
    /// The file as this build left it; `None` when it could not be read.
    pub stamp: Option<Stamp>,
    pub page: Option<PageRecord>,
}

/// What `lstat` says of a file that changes whenever its bytes are
/// replaced or rewritten: inode, length and modification time. A file
/// whose stamp is the one recorded still holds the bytes recorded, short
/// of an edit that keeps the length within the filesystem's clock tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    inode: u64,
    len: u64,
    mtime_ns: i128,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Self {
        #[cfg(unix)]
        let (inode, mtime_ns) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ino(),
                i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            )
        };
        #[cfg(not(unix))]
        let (inode, mtime_ns) = (
            0,
            meta.modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128),
        );
        Self {
            inode,
            len: meta.len(),
            mtime_ns,
        }
    }

    /// The stamp of the file at `path` (not following a symlink).
    pub fn read(path: &Path) -> Option<Self> {
        fs::symlink_metadata(path).ok().map(|m| Self::of(&m))
    }

    fn text(stamp: Option<Self>) -> String {
        match stamp {
            Some(s) => format!("{}:{}:{}", s.inode, s.len, s.mtime_ns),
            None => "-".into(),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        let mut f = text.split(':');
        let stamp = Self {
            inode: f.next()?.parse().ok()?,
            len: f.next()?.parse().ok()?,
            mtime_ns: f.next()?.parse().ok()?,
        };
        f.next().is_none().then_some(stamp)
    }
}

impl Entry {
    /// Whether the file at `path` is still the one this entry recorded.
    pub fn holds(&self, path: &Path) -> bool {
        self.stamp.is_some() && Stamp::read(path) == self.stamp
    }
}

fn inputs_line(key: Option<Fingerprint>) -> String {
    match key {
        Some(key) => format!("inputs {key:032x}"),
        None => "inputs -".into(),
    }
}

pub(super) fn changes(entries: &[(String, Entry)], previous: &HashMap<String, Entry>) -> Changes {
    let mut c = Changes::default();
    let mut seen = std::collections::HashSet::new();
    for (path, entry) in entries {
        seen.insert(path.as_str());
        match previous.get(path) {
            None => c.added.push(path.clone()),
            Some(old) if old.hash != entry.hash => c.changed.push(path.clone()),
            Some(_) => c.unchanged += 1,
        }
    }
    c.removed = previous
        .keys()
        .filter(|p| !seen.contains(p.as_str()))
        .cloned()
        .collect();
    c.removed.sort();
    c
}

/// Writes the manifest: a header line, the inputs line, then per file
/// (sorted by path) `hash \t stamp \t fingerprint \t path \t ids \t links`,
/// the fingerprint `-` for files that are not pages, ids and links as
/// [`Facts`] stores them. Streamed: at 10,000 guides it is 44 MB, which
/// was held whole as one string, made a line at a time with `format!`.
pub(super) fn write_manifest(
    out: &mut impl io::Write,
    inputs: Option<Fingerprint>,
    entries: &[(String, Entry)],
) -> io::Result<()> {
    writeln!(out, "{MANIFEST_HEADER}\n{}", inputs_line(inputs))?;
    for (path, entry) in entries {
        let storable = |s: &str| !s.contains(['\t', '\n']);
        match &entry.page {
            Some(p) if storable(path) && storable(&p.facts.ids) && storable(&p.facts.links) => {
                writeln!(
                    out,
                    "{:032x}\t{}\t{:032x}\t{path}\t{}\t{}",
                    entry.hash,
                    Stamp::text(entry.stamp),
                    p.fingerprint,
                    p.facts.ids,
                    p.facts.links
                )?;
            }
            _ if storable(path) => writeln!(
                out,
                "{:032x}\t{}\t-\t{path}\t\t",
                entry.hash,
                Stamp::text(entry.stamp)
            )?,
            // A path with a tab or newline cannot be listed; the next
            // build sees it as added.
            _ => {}
        }
    }
    Ok(())
}

/// The previous build's manifest entries (the inputs line is skipped);
/// empty when missing or of another version (every file then counts as
/// added or changed, and nothing is reused). Pages' link facts are read
/// only when `facts` (page reuse needs them; the rest, a fifth of the
/// time, does not).
pub(super) fn read_manifest(out: &Path, facts: bool) -> HashMap<String, Entry> {
    // Read a line at a time: the file is tens of megabytes at 10,000 guides.
    let Ok(file) = fs::File::open(out.join(MANIFEST)) else {
        return HashMap::new();
    };
    let mut reader = io::BufReader::with_capacity(1 << 16, file);
    let mut line = String::new();
    let mut next = |line: &mut String| {
        line.clear();
        match io::BufRead::read_line(&mut reader, line) {
            Ok(0) => Ok(false),
            Ok(_) => {
                // As `str::lines` cuts them.
                let end = line.strip_suffix('\n').unwrap_or(line);
                let end = end.strip_suffix('\r').unwrap_or(end).len();
                line.truncate(end);
                Ok(true)
            }
            Err(e) => Err(e),
        }
    };
    // A manifest that cannot be read whole is not trusted at all.
    let header = next(&mut line).map(|more| more && line == MANIFEST_HEADER);
    if !matches!(header, Ok(true)) || next(&mut line).is_err() {
        return HashMap::new();
    }
    let mut entries = HashMap::new();
    loop {
        match next(&mut line) {
            Ok(true) => {}
            Ok(false) => return entries,
            Err(_) => return HashMap::new(),
        }
        if let Some((path, entry)) = manifest_entry(&line, facts) {
            entries.insert(path, entry);
        }
    }
}

/// One line of a manifest past its header, when it reads as one.
fn manifest_entry(line: &str, facts: bool) -> Option<(String, Entry)> {
    let mut f = line.splitn(6, '\t');
    let hash = u128::from_str_radix(f.next()?, 16).ok()?;
    let stamp = Stamp::parse(f.next()?);
    let fingerprint = f.next()?;
    let path = f.next()?.to_string();
    let (ids, links) = (f.next()?, f.next()?);
    let page = u128::from_str_radix(fingerprint, 16)
        .ok()
        .map(|fingerprint| PageRecord {
            fingerprint,
            facts: match facts {
                true => Facts {
                    ids: ids.into(),
                    links: links.into(),
                },
                false => Facts::default(),
            },
        });
    Some((path, Entry { hash, stamp, page }))
}

/// What an output folder already holds when its inputs did not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unchanged {
    pub pages: usize,
    pub files: usize,
}

/// When `out` was built from inputs with this `key` (the manifest says so)
/// and holds exactly the files the manifest lists, what it holds. Removes
/// the leftovers of dead builds either way, as every build does.
pub fn unchanged(out: &Path, key: Fingerprint) -> Option<Unchanged> {
    let (parent, name) = super::beside(out);
    super::swap::remove_leftovers(&parent, &name);
    // The two header lines first: most builds stop here, before reading
    // the rest (tens of megabytes at 10,000 guides).
    let file = fs::File::open(out.join(MANIFEST)).ok()?;
    let mut head = io::BufRead::lines(io::BufReader::new(file));
    let mut next = || head.next().and_then(Result::ok);
    if next()? != MANIFEST_HEADER || next()? != inputs_line(Some(key)) {
        return None;
    }
    if !out.join(MARKER).is_file() {
        return None;
    }
    let entries = read_manifest(out, false);
    let mut found = Unchanged { pages: 0, files: 0 };
    for (path, entry) in &entries {
        if !entry.holds(&out.join(path)) {
            return None;
        }
        found.files += 1;
        if entry.page.is_some() && path.ends_with(".html") {
            found.pages += 1;
        }
    }
    // A file someone added to the output would stay; a full build removes it.
    let present = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .count();
    (present == found.files + 2).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<(String, Entry)> {
        let page = |n: u128, ids: &str, links: &str| PageRecord {
            fingerprint: n,
            facts: Facts {
                ids: ids.into(),
                links: links.into(),
            },
        };
        let stamp = Stamp::parse("12:345:1796129207726195297");
        vec![
            (
                "index.html".into(),
                Entry {
                    hash: 1 << 100,
                    stamp,
                    page: Some(page(7, "main\u{1e}协商", "lenders/a/index.html")),
                },
            ),
            (
                "search/x.json".into(),
                Entry {
                    hash: 3,
                    stamp: None,
                    page: None,
                },
            ),
            (
                "zh-Hant/index.html".into(),
                Entry {
                    hash: 4,
                    stamp,
                    page: Some(page(8, "", "")),
                },
            ),
        ]
    }

    fn written(entries: &[(String, Entry)]) -> Vec<u8> {
        let mut out = Vec::new();
        write_manifest(&mut out, Some(9), entries).unwrap();
        out
    }

    /// What is written reads back line by line as it was, facts only
    /// when asked for; a manifest of another version, or one that is not
    /// UTF-8 anywhere, is not trusted at all.
    #[test]
    fn a_manifest_reads_back_as_written_and_a_damaged_one_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let entries = entries();
        let bytes = written(&entries);
        fs::write(dir.path().join(MANIFEST), &bytes).unwrap();
        let back = read_manifest(dir.path(), true);
        assert_eq!(back.len(), entries.len());
        for (path, entry) in &entries {
            let got = &back[path];
            assert_eq!((got.hash, got.stamp), (entry.hash, entry.stamp), "{path}");
            assert_eq!(got.page, entry.page, "{path}");
        }
        let without = read_manifest(dir.path(), false);
        let page = without["index.html"].page.as_ref().unwrap();
        assert_eq!((page.fingerprint, &page.facts), (7, &Facts::default()));

        let mut bad = bytes.clone();
        let last = bad.len() - 3;
        bad[last] = 0xFF;
        fs::write(dir.path().join(MANIFEST), &bad).unwrap();
        assert!(read_manifest(dir.path(), true).is_empty(), "not UTF-8");
        let other = String::from_utf8(bytes)
            .unwrap()
            .replacen("manifest 3", "manifest 2", 1);
        fs::write(dir.path().join(MANIFEST), other).unwrap();
        assert!(
            read_manifest(dir.path(), true).is_empty(),
            "another version"
        );
    }
}
