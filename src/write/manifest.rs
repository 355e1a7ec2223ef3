//! The manifest: what each file of an output folder was built from.
//!
//! `.lendguide-manifest` holds a header line, the hash of the build's
//! inputs, then one line per file, sorted by path: its content hash
//! (xxh3-128) and, for pages, the fingerprint and link facts a later build
//! reuses them by. The changed-pages report compares two manifests.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::sink::{Facts, Fingerprint, PageRecord};

/// What each output file was built from, sorted by path (see
/// `manifest_text`): the changed-pages report and page reuse read it.
pub const MANIFEST: &str = ".lendguide-manifest";
/// The manifest's first line; a manifest of another version is ignored.
pub(super) const MANIFEST_HEADER: &str = "lendguide manifest 2";

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
    pub page: Option<PageRecord>,
}

pub(super) fn inputs_line(key: Option<Fingerprint>) -> String {
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
/// `hash \t fingerprint \t path \t ids \t links`, the fingerprint `-` for
/// files that are not pages, ids and links as [`Facts`] stores them.
pub(super) fn manifest_text(inputs: Option<Fingerprint>, entries: &[(String, Entry)]) -> String {
    let mut out = format!("{MANIFEST_HEADER}\n{}\n", inputs_line(inputs));
    for (path, entry) in entries {
        let storable = |s: &str| !s.contains(['\t', '\n']);
        match &entry.page {
            Some(p) if storable(path) && storable(&p.facts.ids) && storable(&p.facts.links) => {
                out.push_str(&format!(
                    "{:032x}\t{:032x}\t{path}\t{}\t{}\n",
                    entry.hash, p.fingerprint, p.facts.ids, p.facts.links
                ));
            }
            _ if storable(path) => out.push_str(&format!("{:032x}\t-\t{path}\t\t\n", entry.hash)),
            // A path with a tab or newline cannot be listed; the next
            // build sees it as added.
            _ => {}
        }
    }
    out
}

/// The previous build's manifest entries (the inputs line is skipped);
/// empty when missing or of another version (every file then counts as
/// added or changed, and nothing is reused).
pub(super) fn read_manifest(out: &Path) -> HashMap<String, Entry> {
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
            let mut f = line.splitn(5, '\t');
            let hash = u128::from_str_radix(f.next()?, 16).ok()?;
            let fingerprint = f.next()?;
            let path = f.next()?.to_string();
            let ids = f.next()?.to_string();
            let links = f.next()?.to_string();
            let page = u128::from_str_radix(fingerprint, 16)
                .ok()
                .map(|fingerprint| PageRecord {
                    fingerprint,
                    facts: Facts { ids, links },
                });
            Some((path, Entry { hash, page }))
        })
        .collect()
}
