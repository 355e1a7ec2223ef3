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
/// `manifest_text`): the changed-pages report and page reuse read it.
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

/// The manifest: a header line, the inputs line, then per file (sorted by path)
/// `hash \t stamp \t fingerprint \t path \t ids \t links`, the
/// fingerprint `-` for files that are not pages, ids and links as [`Facts`]
/// stores them.
pub(super) fn manifest_text(inputs: Option<Fingerprint>, entries: &[(String, Entry)]) -> String {
    let mut out = format!("{MANIFEST_HEADER}\n{}\n", inputs_line(inputs));
    for (path, entry) in entries {
        let storable = |s: &str| !s.contains(['\t', '\n']);
        match &entry.page {
            Some(p) if storable(path) && storable(&p.facts.ids) && storable(&p.facts.links) => {
                out.push_str(&format!(
                    "{:032x}\t{}\t{:032x}\t{path}\t{}\t{}\n",
                    entry.hash,
                    Stamp::text(entry.stamp),
                    p.fingerprint,
                    p.facts.ids,
                    p.facts.links
                ));
            }
            _ if storable(path) => out.push_str(&format!(
                "{:032x}\t{}\t-\t{path}\t\t\n",
                entry.hash,
                Stamp::text(entry.stamp)
            )),
            // A path with a tab or newline cannot be listed; the next
            // build sees it as added.
            _ => {}
        }
    }
    out
}

/// The previous build's manifest entries (the inputs line is skipped);
/// empty when missing or of another version (every file then counts as
/// added or changed, and nothing is reused). Pages' link facts are read
/// only when `facts` (page reuse needs them; the rest, a fifth of the
/// time, does not).
pub(super) fn read_manifest(out: &Path, facts: bool) -> HashMap<String, Entry> {
    let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else {
        return HashMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return HashMap::new();
    }
    lines
        .skip(1)
        .filter_map(|line| {
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
        })
        .collect()
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
