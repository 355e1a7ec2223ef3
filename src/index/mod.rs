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
    // The previous postings, made with the previous table, are patched
    // when they still hold for every unchanged page.
    let patch_from = program
        .zip(published.previous_fold_alike(&fold))
        .map(|(program, previous)| patch::base(program, previous));
    let changed = &published.changed;
    let encoded = patch_from
        .and_then(|from| {
            let starts = published.starts(&docs, false);
            patch::postings(sink, from, &docs, &starts, &fold, changed)
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::sync::Arc;

    use super::docs::{Block, Section};
    use super::*;
    use crate::sink::{Built, MemorySink};

    fn page(id: usize, text: &str) -> Doc {
        let title = format!("第{id}页");
        Doc {
            url: format!("p/{id}/index.html"),
            title: title.clone(),
            lender: String::new(),
            kind: "通用知识".into(),
            sections: vec![Section {
                anchor: String::new(),
                title: title.clone(),
            }],
            blocks: vec![
                Block {
                    field: Field::Title,
                    section: 0,
                    text: title,
                },
                Block {
                    field: Field::Body,
                    section: 0,
                    text: text.into(),
                },
            ],
            pinyin: Vec::new(),
            inputs: None,
            republished: None,
        }
    }

    /// Indexes `texts` into a sink holding `previous`; also says whether
    /// the index asked for every page's text (a cold build of the postings).
    fn build(texts: &[String], previous: Option<&Built>) -> (Built, bool) {
        let sink = MemorySink::new(previous.cloned().map(Arc::new));
        let docs = texts.iter().enumerate().map(|(i, t)| page(i, t)).collect();
        let asked = Cell::new(false);
        let fill = |_: &mut [Doc]| asked.set(true);
        assert!(index(docs, Target::new(Some(7), &sink), None, &fill).is_empty());
        (sink.into_built(), asked.get())
    }

    /// An edit that brings a character no page had (轮, whose Traditional
    /// form 輪 joins the fold table) changes the table only for that
    /// character: the other pages' postings still hold and are patched,
    /// and the result is what a cold build gives.
    #[test]
    fn a_new_character_on_an_edited_page_still_patches_the_postings() {
        let mut texts: Vec<String> = [
            "协商减免罚息",
            "申请分期还款",
            "延期还款的条件",
            "逾期以后怎么办",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let (first, _) = build(&texts, None);
        texts[2].push_str("，每一轮沟通都记下来");
        let (patched, cold_postings) = build(&texts, Some(&first));
        let (cold, _) = build(&texts, None);
        assert!(!cold_postings, "the postings were built from every page");
        assert_eq!(patched.files, cold.files);
        let manifest = String::from_utf8(cold.files["search/manifest.json"].to_vec()).unwrap();
        assert!(manifest.contains("輪轮"), "the table changed: {manifest}");

        // A character an unchanged page has, folded apart now: cold again.
        // (干 folds 乾 and 幹 while the site writes only 干; once a page
        // writes 乾, the lower code point, the class folds to it.)
        texts[0].push_str("，先把活干完");
        let (second, _) = build(&texts, None);
        texts[3].push_str("，乾坤未定");
        let (patched, cold_postings) = build(&texts, Some(&second));
        let (cold, _) = build(&texts, None);
        assert!(cold_postings, "page 0's 干 folds to another character now");
        assert_eq!(patched.files, cold.files);
    }
}
