//! Index: the typed model → the search files under `output/search/`.
//!
//! The stage after `render`. It reads `Content` (never HTML), cuts each page
//! into sections and blocks ([`docs`]), folds all text to one Simplified,
//! half-width, lower-case form ([`fold`]), tokenises it into Han pairs,
//! single characters and Latin words with their positions ([`tokens`]) and
//! publishes postings in shards (title and heading positions apart from
//! body positions, [`shards`]), a manifest and per-page files in both
//! scripts ([`encode`], published by [`pages`]). A rebuild patches the
//! previous build's postings when few pages' search text changed
//! ([`patch`]), and its fold table from the counts it recorded
//! ([`fold::FoldCounts`]). [`query`] evaluates a query exactly as
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
mod page_file;
mod pages;
mod patch;
mod postings;
pub mod query;
pub mod shards;
pub mod tokens;

use std::collections::BTreeSet;

use crate::diagnostics::{Diagnostic, Located};
use crate::memo::Memo;
use crate::sink::PageRecord;
use docs::{Doc, Field};
use encode::Manifest;
use fold::FoldTable;
pub use pages::{Republished, Target};

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

/// The stage: builds the index from every page's search document
/// ([`docs::docs`], which the caller makes from the model and the plan, so
/// it can free them before the postings are built) and hands each of its
/// files to the target's sink as soon as it is made (page files first;
/// the fold counts, the postings shards and the manifest at the end). A
/// page whose search text is unchanged since the previous build (same
/// program) is published again from the sink, neither built nor read
/// ([`pages`]). `fill` builds the text of the stubs among `docs`
/// ([`docs::fill`]) in the rare rebuild that needs every page's text.
pub fn index(
    mut docs: Vec<Doc>,
    mut target: Target,
    memo: Option<&Memo>,
    fill: &dyn Fn(&mut [Doc]),
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
    let published = pages::publish(&mut docs, &mut target, s2t, memo, fill);
    let (program, sink) = (target.program, target.sink);
    let fold = published.counts.builder().finish();
    if let Some(program) = program {
        let counts = published.counts.to_text(docs.len()).into_bytes();
        let record = PageRecord::file(pages::counts_fingerprint(program));
        sink.put(pages::COUNTS, counts, Some(record));
    }
    let base = program.map(|program| patch::base(program, &fold));
    let changed = &published.changed;
    let encoded = base
        .and_then(|base| {
            let starts = published.starts(&docs, false);
            patch::postings(sink, base, &docs, &starts, &fold, changed)
        })
        .unwrap_or_else(|| {
            fill(&mut docs);
            postings::build(&docs, &published.starts(&docs, true), &fold)
        });
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
