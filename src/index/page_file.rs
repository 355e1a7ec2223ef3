//! A page's search file: its [`Doc`] laid out (each block's first
//! position, field by field) and serialised as the client reads it
//! (`search/docs/hans/<id>.json`), and the hash of what it is made from.

use std::convert::Infallible;
use std::sync::Arc;

use serde::Serialize;

use super::docs::Doc;
use super::fold::FoldTable;
use super::{BODY_BASE, HEADING_BASE, tokens};
use crate::memo::Memo;
use crate::sink::{Fingerprint, Hasher};

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

/// A page's search file in Simplified, with where each of its blocks
/// starts: what the index makes of a [`Doc`] before it publishes it.
pub(super) struct PageFile {
    pub starts: Vec<u32>,
    pub hans: String,
}

/// The page file of `doc`; with a `memo`, remembered by everything the
/// file and its layout are made from.
/// `key` gives the doc's [`doc_key`] (remembered by the caller).
pub(super) fn page_file(
    doc: &Doc,
    key: &dyn Fn() -> Fingerprint,
    memo: Option<&Memo>,
) -> Arc<PageFile> {
    let make = || {
        let starts = layout(doc);
        let hans = doc_file(doc, &starts);
        Arc::new(PageFile { starts, hans })
    };
    let Some(memo) = memo else {
        return make();
    };
    let Ok(file) = memo.value(&[&key().to_le_bytes()], || Ok::<_, Infallible>(make()));
    file
}

/// The hash of what a page file is made from: everything of `doc` but its
/// pinyin.
pub(super) fn doc_key(doc: &Doc) -> Fingerprint {
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
pub(super) fn layout(doc: &Doc) -> Vec<u32> {
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
