//! Page files: each page's search file in both scripts, published or
//! taken from the previous build, and what each adds to the fold table.
//!
//! A page's Simplified file is its [`Doc`] laid out (each block's first
//! position) and serialised; the Traditional one is that file converted
//! with OpenCC. A Traditional file whose Simplified source is unchanged
//! since the previous build (same program, same text) is taken from the
//! sink, not converted again; with a `memo` (`serve`), a page whose search
//! text is unchanged since an earlier rebuild is not laid out, serialised
//! or scanned for the fold table again.

use std::convert::Infallible;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::docs::Doc;
use super::fold::{FoldBuilder, FoldPart, FoldTable};
use super::{BODY_BASE, HEADING_BASE, patch, tokens};
use crate::memo::Memo;
use crate::script::Converter;
use crate::sink::{Fingerprint, Hasher, PageRecord, Sink};

/// Publishes every page's file in both scripts, a chunk of pages at a time
/// across cores; returns what the fold table gathered of them, each page's
/// block starts, and the pages whose search text changed since the
/// previous build, in order.
pub fn publish(
    docs: &[Doc],
    s2t: &Converter,
    program: Option<Fingerprint>,
    sink: &dyn Sink,
    memo: Option<&Memo>,
) -> (FoldBuilder, Vec<Vec<u32>>, Vec<usize>) {
    let mut files: Vec<Option<Arc<PageFile>>> = docs
        .par_iter()
        .map(|doc| Some(page_file(doc, memo)))
        .collect();
    let block_starts: Vec<Vec<u32>> = files.iter().flatten().map(|f| f.starts.clone()).collect();
    // Each page's file in both scripts, published at once; what the fold
    // table needs of them is gathered a chunk of pages at a time, with the
    // pages whose search text changed since the previous build.
    let (fold, mut changed) = files
        .par_chunks_mut(256)
        .enumerate()
        .map(|(n, chunk)| {
            let mut fold = FoldBuilder::default();
            let mut changed = Vec::new();
            for (i, file) in chunk.iter_mut().enumerate() {
                let id = n * 256 + i;
                let Some(file) = file.take() else { continue };
                let hans = file.hans.as_str();
                publish_traditional(s2t, hans, id, program, sink, &mut fold, memo);
                // Taken whole when no memo shares it; copied otherwise.
                let hans = Arc::try_unwrap(file).map_or_else(|f| f.hans.clone(), |f| f.hans);
                if !publish_simplified(&docs[id], hans, id, program, sink) {
                    changed.push(id);
                }
            }
            (fold, changed)
        })
        .reduce(
            || (FoldBuilder::default(), Vec::new()),
            |(fold, mut changed), (other, more)| {
                changed.extend(more);
                (fold.merge(other), changed)
            },
        );
    changed.sort_unstable();
    (fold, block_starts, changed)
}

/// A page file as the client reads it (`docs/hans/<id>.json`).
#[derive(Serialize)]
struct DocFile<'a> {
    u: &'a str,
    t: &'a str,
    l: &'a str,
    k: &'a str,
    /// Sections: `[anchor, title]`.
    s: Vec<(&'a str, &'a str)>,
    /// Blocks: `[first position, section, text]`.
    b: Vec<(u32, usize, &'a str)>,
}

/// Publishes page file `id` in Simplified, recorded with what its
/// postings are made from; `true` when the previous build had the same.
fn publish_simplified(
    doc: &Doc,
    hans: String,
    id: usize,
    program: Option<Fingerprint>,
    sink: &dyn Sink,
) -> bool {
    let path = format!("search/docs/hans/{id}.json");
    let fingerprint = program.map(|program| patch::page_fingerprint(program, doc, &hans));
    if fingerprint.is_some_and(|f| sink.reuse(&path, f).is_some()) {
        return true;
    }
    let record = fingerprint.map(PageRecord::file);
    sink.put(&path, hans.into_bytes(), record);
    false
}

/// Publishes page file `id` in Traditional — taken from the previous build
/// when its Simplified source `hans` is unchanged, converted otherwise —
/// and adds the pair to the fold table.
fn publish_traditional(
    s2t: &Converter,
    hans: &str,
    id: usize,
    program: Option<Fingerprint>,
    sink: &dyn Sink,
    fold: &mut FoldBuilder,
    memo: Option<&Memo>,
) {
    let path = format!("search/docs/hant/{id}.json");
    let fingerprint = program.map(|program| {
        let mut h = Hasher::new();
        h.bytes(&program.to_le_bytes()).bytes(hans.as_bytes());
        h.finish()
    });
    let reused = fingerprint.and_then(|f| sink.reuse_bytes(&path, f));
    // The reused file is read as text only when its fold part is not
    // remembered.
    if let Some(bytes) = reused.as_deref()
        && add_to_fold(fold, hans, || std::str::from_utf8(bytes).ok(), memo)
    {
        return;
    }
    let hant = s2t.to_traditional(hans);
    add_to_fold(fold, hans, || Some(&hant), memo);
    let record = fingerprint.map(PageRecord::file);
    sink.put(&path, hant.into_bytes(), record);
}

/// Adds a page file in both scripts to the fold table; with a `memo`, its
/// part is remembered by the Simplified text (the Traditional one is made
/// from it by the same program), and `hant` is asked for only when it is
/// not. False when `hant` was asked for and had no text.
fn add_to_fold<'h>(
    fold: &mut FoldBuilder,
    hans: &str,
    hant: impl FnOnce() -> Option<&'h str>,
    memo: Option<&Memo>,
) -> bool {
    let Some(memo) = memo else {
        let Some(hant) = hant() else {
            return false;
        };
        fold.add(hans, hant);
        return true;
    };
    let part = memo.value(&[hans.as_bytes()], || {
        hant()
            .map(|hant| Arc::new(FoldPart::of(hans, hant)))
            .ok_or(())
    });
    match part {
        Ok(part) => {
            fold.add_part(&part);
            true
        }
        Err(()) => false,
    }
}

/// A page's search file in Simplified, with where each of its blocks
/// starts: what the index makes of a [`Doc`] before it publishes it.
struct PageFile {
    starts: Vec<u32>,
    hans: String,
}

/// The page file of `doc`; with a `memo`, remembered by everything the
/// file and its layout are made from.
fn page_file(doc: &Doc, memo: Option<&Memo>) -> Arc<PageFile> {
    let make = || {
        let starts = layout(doc);
        let hans = doc_file(doc, &starts);
        Arc::new(PageFile { starts, hans })
    };
    let Some(memo) = memo else {
        return make();
    };
    let key = doc_key(doc).to_le_bytes();
    let Ok(file) = memo.value(&[&key], || Ok::<_, Infallible>(make()));
    file
}

/// The hash of what a page file is made from: everything of `doc` but its
/// pinyin.
fn doc_key(doc: &Doc) -> Fingerprint {
    let mut h = Hasher::new();
    h.bytes(doc.url.as_bytes())
        .bytes(doc.title.as_bytes())
        .bytes(doc.lender.as_bytes())
        .bytes(doc.kind.as_bytes());
    h.bytes(&(doc.sections.len() as u64).to_le_bytes());
    for s in &doc.sections {
        h.bytes(s.anchor.as_bytes()).bytes(s.title.as_bytes());
    }
    for b in &doc.blocks {
        h.bytes(&[b.field as u8])
            .bytes(&(b.section as u64).to_le_bytes())
            .bytes(b.text.as_bytes());
    }
    h.finish()
}

/// Assigns each block its first position, field by field.
fn layout(doc: &Doc) -> Vec<u32> {
    let mut next = [0, HEADING_BASE, BODY_BASE];
    // Width and case folding may turn `ＡＰＰ` into a unit; the character
    // table maps Han to Han only, so it never changes the count.
    let width_and_case = FoldTable::default();
    doc.blocks
        .iter()
        .map(|b| {
            let slot = &mut next[b.field as usize];
            let start = *slot;
            *slot += tokens::unit_count(&width_and_case.fold(&b.text)) + 1;
            start
        })
        .collect()
}

fn doc_file(doc: &Doc, starts: &[u32]) -> String {
    let file = DocFile {
        u: &doc.url,
        t: &doc.title,
        l: &doc.lender,
        k: &doc.kind,
        s: doc
            .sections
            .iter()
            .map(|s| (s.anchor.as_str(), s.title.as_str()))
            .collect(),
        b: doc
            .blocks
            .iter()
            .zip(starts)
            .map(|(b, &start)| (start, b.section, b.text.as_str()))
            .collect(),
    };
    serde_json::to_string(&file).unwrap_or_default()
}
