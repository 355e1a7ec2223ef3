//! Index: the typed model → the search files under `output/search/`.
//!
//! The stage after `render`. It reads `Content` (never HTML), cuts each page
//! into sections and blocks ([`docs`]), folds all text to one Simplified,
//! half-width, lower-case form ([`fold`]), tokenises it into Han pairs,
//! single characters and Latin words with their positions ([`tokens`]) and
//! publishes postings in shards (title and heading positions apart from
//! body positions, [`shards`]), a manifest and per-page files in both
//! scripts ([`encode`]). A rebuild patches the previous build's postings
//! when few pages' search text changed ([`patch`]). [`query`] evaluates a
//! query exactly as
//! `templates/static/search.js` does, for tests and the benchmark.
//!
//! Positions tell fields apart without a lookup: title units count from 0,
//! pinyin spellings sit at [`PINYIN_POS`], headings count from
//! [`HEADING_BASE`] and body text from [`BODY_BASE`]; blocks are one unit
//! apart so a phrase never spans two of them.
//!
//! It never touches files and never reads templates.

pub mod docs;
pub mod encode;
pub mod fold;
mod patch;
mod postings;
pub mod query;
pub mod shards;
pub mod tokens;

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Located};
use crate::memo::Memo;
use crate::model::Content;
use crate::plan::Plan;
use crate::sink::{Fingerprint, Hasher, PageRecord, Sink};
use docs::{Doc, Field};
use encode::Manifest;
use fold::{FoldBuilder, FoldPart, FoldTable};

pub const PINYIN_POS: u32 = 900;
pub const HEADING_BASE: u32 = 1_000;
pub const BODY_BASE: u32 = 100_000;

/// The field a position falls in.
pub fn field_of(pos: u32) -> Field {
    if pos < HEADING_BASE {
        Field::Title
    } else if pos < BODY_BASE {
        Field::Heading
    } else {
        Field::Body
    }
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

/// The stage: builds the index and hands each of its files to `sink` as
/// soon as it is made (page files first, while their text is at hand; the
/// postings shards and the manifest at the end). A Traditional page file
/// whose Simplified source is unchanged since the previous build (same
/// `program`, same text) is taken from the sink, not converted again.
///
/// With a `memo` (`serve`), a page whose search text is unchanged since an
/// earlier rebuild is not laid out, serialised or scanned for the fold
/// table again.
pub fn index(
    content: &Content,
    plan: &Plan,
    program: Option<Fingerprint>,
    sink: &dyn Sink,
    memo: Option<&Memo>,
) -> Vec<Diagnostic> {
    // The same s2t conversion as the published pages, so snippets match.
    let s2t = match crate::script::Converter::shared() {
        Ok(c) => c,
        Err(e) => {
            return vec![Diagnostic::error(
                "opencc",
                &Located::new("<opencc>", 1, 1),
                e,
            )];
        }
    };
    let docs = docs::docs(content, plan);
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
    let fold = fold.finish();
    changed.sort_unstable();
    let base = program.map(|program| patch::base(program, &fold));
    let encoded = base
        .and_then(|base| patch::postings(sink, base, &docs, &block_starts, &fold, &changed))
        .unwrap_or_else(|| postings::build(&docs, &block_starts, &fold));
    // Recorded with what they were made from, for the next build to patch.
    let record = base.map(PageRecord::file);
    let [head_shards, body_shards] = shards::write(&encoded, |path, json| {
        sink.put(&path, json.into_bytes(), record.clone())
    });
    drop(encoded);
    let manifest = Manifest {
        version: 2,
        docs: docs.len() as u32,
        head_shards,
        body_shards,
        pinyin_pos: PINYIN_POS,
        heading_base: HEADING_BASE,
        body_base: BODY_BASE,
        fold: fold.to_pairs_string(),
        py: title_pinyin(&docs, &fold),
    };
    sink.put(
        "search/manifest.json",
        serde_json::to_vec(&manifest).unwrap_or_default(),
        record,
    );
    Vec::new()
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
    s2t: &crate::script::Converter,
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

/// The manifest's pinyin table: every Han character of a title or lender
/// name, folded, with its plain pinyin (the reading the index's pinyin
/// tokens use).
fn title_pinyin(docs: &[Doc], fold: &FoldTable) -> String {
    use pinyin::ToPinyin;
    let chars: BTreeSet<char> = docs
        .iter()
        .flat_map(|d| d.title.chars().chain(d.lender.chars()))
        .filter(|c| tokens::is_han(*c))
        .map(|c| fold.fold_char(c))
        .collect();
    let mut out = String::new();
    for c in chars {
        if let Some(p) = c.to_pinyin() {
            out.push(c);
            out.push_str(p.plain());
        }
    }
    out
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
