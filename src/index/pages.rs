//! Page files: each page's search file in both scripts, published or
//! taken from the previous build, and what each adds to the fold table.
//!
//! A page's Simplified file is made by [`super::page_file`]; the
//! Traditional one is that file converted with OpenCC. [`Target`] is where
//! they go and what the previous build left there: a page made from the
//! same inputs or the same text as then is published again from the sink,
//! not built; a Traditional file whose Simplified source is unchanged is
//! not converted again; with a `memo` (`serve`), a page whose search text
//! is unchanged since an earlier rebuild is not laid out, serialised or
//! scanned for the fold table again.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

use rayon::prelude::*;

use super::docs::Doc;
use super::fold::{FoldCounts, FoldPart, FoldTable};
use super::page_file::{doc_key, layout, page_file};
use super::patch;
use crate::memo::Memo;
use crate::script::Converter;
use crate::sink::{Fingerprint, Hasher, PageRecord, Sink};

/// What publishing the page files gathered.
pub struct Published {
    /// Every page's marks and pairs for the fold table.
    pub counts: FoldCounts,
    /// The fold table of the previous build's counts, when it had them:
    /// the one its postings were made with.
    previous_fold: Option<FoldTable>,
    /// How many of the changed pages have each character in their
    /// Simplified file.
    changed_sources: HashMap<char, u32>,
    /// Each page's block starts; empty for a page whose search text did
    /// not change since the previous build's counts ([`Published::starts`]
    /// fills them in).
    starts: Vec<Vec<u32>>,
    /// The pages whose search text changed since the previous build, in
    /// order: their postings are made again.
    pub changed: Vec<usize>,
}

impl Published {
    /// The previous build's fold table, when its postings still hold for
    /// every page that did not change under `fold`, this build's table:
    /// no unchanged page has a character the two tables fold apart. (A
    /// new character on an edited page changes the table, most often only
    /// for itself.)
    pub fn previous_fold_alike(&self, fold: &FoldTable) -> Option<&FoldTable> {
        let previous = self.previous_fold.as_ref()?;
        let changed = |c: char| self.changed_sources.get(&c).copied().unwrap_or(0);
        previous
            .differences(fold)
            .all(|c| self.counts.source_pages(c) == changed(c))
            .then_some(previous)
    }

    /// Every page's block starts, laid out again where they were left out.
    pub fn starts(&self, docs: &[Doc], all: bool) -> Vec<Vec<u32>> {
        self.starts
            .par_iter()
            .zip(docs)
            .map(|(s, doc)| match s.is_empty() && all {
                true => layout(doc),
                false => s.clone(),
            })
            .collect()
    }
}

/// Where the fold counts are recorded (beside the manifest: not a file
/// the site's readers need).
pub const COUNTS: &str = ".lendguide-fold";

/// What the fold counts are recorded with: they hold the previous build's
/// page files as that program made them.
pub fn counts_fingerprint(program: Fingerprint) -> Fingerprint {
    let mut h = Hasher::new();
    h.bytes(b"fold counts").bytes(&program.to_le_bytes());
    h.finish()
}

/// Where the index publishes (the sink, the program that builds), and
/// the previous build's fold counts found there: without them no page file
/// is published again, since every page must then be counted.
pub struct Target<'a> {
    pub program: Option<Fingerprint>,
    pub sink: &'a dyn Sink,
    /// The counts and how many pages they hold.
    previous: Option<(FoldCounts, usize)>,
}

/// How much of a page's two files the previous build published again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Republished {
    Not,
    /// The Simplified file only: the Traditional one is made again.
    Hans,
    Both,
}

impl<'a> Target<'a> {
    pub fn new(program: Option<Fingerprint>, sink: &'a dyn Sink) -> Self {
        let previous = program.and_then(|p| {
            let text = sink.previous(COUNTS, counts_fingerprint(p))?;
            FoldCounts::from_text(std::str::from_utf8(&text).ok()?)
        });
        Self {
            program,
            sink,
            previous,
        }
    }

    /// Publishes page `id`'s files again from the previous build when they
    /// were made from `inputs` (see [`super::docs::docs`]).
    pub fn republish(&self, id: usize, inputs: Fingerprint) -> Republished {
        let f = self.program.map(|p| Fingerprints::of_inputs(p, inputs));
        self.republish_files(id, f)
    }

    fn republish_files(&self, id: usize, f: Option<Fingerprints>) -> Republished {
        let reuse = |path: &str, f: Option<Fingerprint>| {
            self.previous.is_some() && f.is_some_and(|f| self.sink.reuse(path, f).is_some())
        };
        let (hans, hant) = paths(id);
        if !reuse(&hans, f.map(|f| f.hans)) {
            Republished::Not
        } else if reuse(&hant, f.map(|f| f.hant)) {
            Republished::Both
        } else {
            Republished::Hans
        }
    }
}

/// Publishes every page's file in both scripts across cores. When the
/// previous build recorded its fold counts, a page whose search text did
/// not change is published again as it was, neither built nor read, and
/// the counts lose the old parts of the pages that changed and gain their
/// new ones; otherwise every page is built (or its Traditional file read
/// back) and counted. A page [`super::docs::docs`] already published again
/// is not offered again; stubs are filled (`fill`) only when the counts
/// must be made again from every page.
pub fn publish(
    docs: &mut [Doc],
    target: &mut Target,
    s2t: &Converter,
    memo: Option<&Memo>,
    fill: &dyn Fn(&mut [Doc]),
) -> Published {
    let (program, sink) = (target.program, target.sink);
    // A chunk of pages at a time: each chunk counts its changed pages.
    let each = |id: usize, counts: &mut FoldCounts| -> Option<Vec<u32>> {
        let doc = &docs[id];
        // Its text's hash, made at most once (fingerprint, memo).
        let key = std::cell::OnceCell::new();
        let key = || *key.get_or_init(|| doc_key(doc));
        let f = program.map(|p| Fingerprints::of(p, doc, &key));
        let (hans_path, hant_path) = paths(id);
        match doc
            .republished
            .unwrap_or_else(|| target.republish_files(id, f))
        {
            Republished::Both => return None,
            Republished::Hans => {
                // Same text as the previous build's, so the same part.
                let file = page_file(doc, &key, memo);
                let hant = s2t.to_traditional(&file.hans);
                sink.put(
                    &hant_path,
                    hant.into_bytes(),
                    f.map(|f| PageRecord::file(f.hant)),
                );
                return None;
            }
            Republished::Not => {}
        }
        let file = page_file(doc, &key, memo);
        let reused = f.and_then(|f| sink.reuse_bytes(&hant_path, f.hant));
        let hant = match reused.as_deref().map(|b| std::str::from_utf8(b)) {
            Some(Ok(hant)) => hant.to_string(),
            _ => {
                let hant = s2t.to_traditional(&file.hans);
                let record = f.map(|f| PageRecord::file(f.hant));
                sink.put(&hant_path, hant.clone().into_bytes(), record);
                hant
            }
        };
        match memo {
            Some(memo) => counts.add(&fold_part(&file.hans, &hant, memo)),
            None => counts.add_page(&file.hans, &hant),
        }
        let record = f.map(|f| PageRecord::file(f.hans));
        let starts = file.starts.clone();
        // Taken whole when no memo shares it; copied otherwise.
        let hans = Arc::try_unwrap(file).map_or_else(|f| f.hans.clone(), |f| f.hans);
        sink.put(&hans_path, hans.into_bytes(), record);
        Some(starts)
    };
    let ids: Vec<usize> = (0..docs.len()).collect();
    let (counts, changed) = ids
        .par_chunks(256)
        .map(|chunk| {
            let mut counts = FoldCounts::default();
            let changed: Vec<(usize, Vec<u32>)> = chunk
                .iter()
                .filter_map(|&id| each(id, &mut counts).map(|s| (id, s)))
                .collect();
            (counts, changed)
        })
        .reduce(
            || (FoldCounts::default(), Vec::new()),
            |(a, mut changed), (b, more)| {
                changed.extend(more);
                (a.merge(b), changed)
            },
        );
    let mut starts = vec![Vec::new(); docs.len()];
    let mut ids = Vec::with_capacity(changed.len());
    for (id, s) in changed {
        starts[id] = s;
        ids.push(id);
    }
    ids.sort_unstable();
    // The changed pages' Simplified characters, before they join the rest.
    let changed_sources = counts.sources().collect();
    let mut previous_fold = None;
    let counts = match target.previous.take() {
        Some((old, pages)) => {
            previous_fold = Some(old.builder().finish());
            match take_out(old, pages, &ids, docs.len(), sink) {
                Some(old) => old.merge(counts),
                None => {
                    fill(docs);
                    recount(docs, &ids, counts, program, sink, s2t)
                }
            }
        }
        None => counts,
    };
    Published {
        previous_fold,
        changed_sources,
        counts,
        starts,
        changed: ids,
    }
}

/// A page's two files.
fn paths(id: usize) -> (String, String) {
    (
        format!("search/docs/hans/{id}.json"),
        format!("search/docs/hant/{id}.json"),
    )
}

/// What a page's two files are recorded with.
#[derive(Clone, Copy)]
struct Fingerprints {
    hans: Fingerprint,
    hant: Fingerprint,
}

impl Fingerprints {
    /// By the page's inputs when they are known, by its text otherwise.
    /// `key`: the doc's [`doc_key`], asked for only without inputs.
    fn of(program: Fingerprint, doc: &Doc, key: &dyn Fn() -> Fingerprint) -> Self {
        if let Some(inputs) = doc.inputs {
            return Self::of_inputs(program, inputs);
        }
        let key = key();
        let mut h = Hasher::new();
        h.bytes(&program.to_le_bytes()).bytes(&key.to_le_bytes());
        Self {
            hans: patch::page_fingerprint(program, doc, key),
            hant: h.finish(),
        }
    }

    /// Everything the page's text, fields and pinyin are made from, for
    /// both files.
    fn of_inputs(program: Fingerprint, inputs: Fingerprint) -> Self {
        let f = |script: &[u8]| {
            let mut h = Hasher::new();
            h.bytes(b"page inputs").bytes(script);
            h.bytes(&program.to_le_bytes()).bytes(&inputs.to_le_bytes());
            h.finish()
        };
        Self {
            hans: f(b"hans"),
            hant: f(b"hant"),
        }
    }
}

/// The previous counts without the old parts of the pages in `changed`
/// and of those past the last page now; `None` when an old file cannot be
/// read back or the counts do not hold it.
fn take_out(
    mut counts: FoldCounts,
    pages: usize,
    changed: &[usize],
    now: usize,
    sink: &dyn Sink,
) -> Option<FoldCounts> {
    let old: Vec<usize> = changed
        .iter()
        .copied()
        .filter(|&id| id < pages)
        .chain(now..pages)
        .collect();
    let parts: Vec<FoldPart> = old
        .par_iter()
        .map(|&id| {
            let (hans, hant) = paths(id);
            let hans = sink.previous_any(&hans)?;
            let hant = sink.previous_any(&hant)?;
            Some(FoldPart::of(
                std::str::from_utf8(&hans).ok()?,
                std::str::from_utf8(&hant).ok()?,
            ))
        })
        .collect::<Option<_>>()?;
    for part in &parts {
        counts.remove(part)?;
    }
    Some(counts)
}

/// Counts every page again, when the previous counts could not be
/// patched: the pages published again from the previous build are read
/// back (or built, if that fails), the others' parts are in `changed`.
fn recount(
    docs: &[Doc],
    changed: &[usize],
    changed_counts: FoldCounts,
    program: Option<Fingerprint>,
    sink: &dyn Sink,
    s2t: &Converter,
) -> FoldCounts {
    let unchanged: Vec<usize> = (0..docs.len())
        .filter(|id| changed.binary_search(id).is_err())
        .collect();
    unchanged
        .par_chunks(256)
        .map(|ids| {
            let mut counts = FoldCounts::default();
            for &id in ids {
                let doc = &docs[id];
                let key = || doc_key(doc);
                let f = program.map(|p| Fingerprints::of(p, doc, &key));
                let (hans_path, hant_path) = paths(id);
                let read = |path: &str, f: Option<Fingerprint>| {
                    let bytes = sink.previous(path, f?)?;
                    String::from_utf8(bytes.to_vec()).ok()
                };
                let hans = read(&hans_path, f.map(|f| f.hans))
                    .unwrap_or_else(|| page_file(doc, &key, None).hans.clone());
                let hant = read(&hant_path, f.map(|f| f.hant))
                    .unwrap_or_else(|| s2t.to_traditional(&hans));
                counts.add_page(&hans, &hant);
            }
            counts
        })
        .reduce(FoldCounts::default, FoldCounts::merge)
        .merge(changed_counts)
}

/// A page's part of the fold table, remembered by the Simplified text
/// (the Traditional one is made from it by the same program).
fn fold_part(hans: &str, hant: &str, memo: &Memo) -> Arc<FoldPart> {
    let Ok(part) = memo.value(&[hans.as_bytes()], || {
        Ok::<_, Infallible>(Arc::new(FoldPart::of(hans, hant)))
    });
    part
}
