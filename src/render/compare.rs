//! The compare page's view, from lender.yaml only: one row per lender; the
//! licence, the lender of record and the official channels, then one cell
//! per column site.yaml's `compare:` names, each with its confidence and
//! its source. A lender without that policy shows 未知, never a guess.

use serde::Serialize;

use super::views::{SourceView, source};
use crate::model::{Confidence, Content, Lender, Source, displayed};
use crate::plan::Route;

#[derive(Serialize)]
pub struct CompareView {
    pub columns: Vec<String>,
    pub rows: Vec<CompareRow>,
}

#[derive(Serialize)]
pub struct CompareRow {
    pub name: String,
    pub href: String,
    pub licence: Cell,
    pub lender_of_record: Cell,
    pub channels: Vec<String>,
    pub cells: Vec<Cell>,
}

#[derive(Serialize)]
pub struct Cell {
    /// `None`: the lender's file has no such value (shown as 未知).
    pub value: Option<String>,
    pub note: Option<String>,
    pub source: Option<SourceView>,
    pub confidence: &'static str,
    pub confidence_label: &'static str,
}

impl Cell {
    fn known(value: String, note: Option<String>, src: &Source, c: Confidence) -> Self {
        Self {
            value: Some(value),
            note,
            source: Some(source(src)),
            confidence: c.key(),
            confidence_label: c.label(),
        }
    }

    fn unknown() -> Self {
        Self {
            value: None,
            note: None,
            source: None,
            confidence: "unknown",
            confidence_label: "未知",
        }
    }
}

pub fn compare(content: &Content) -> CompareView {
    CompareView {
        columns: content
            .site
            .compare
            .iter()
            .map(|c| c.label.clone())
            .collect(),
        rows: content.lenders.iter().map(|l| row(content, l)).collect(),
    }
}

fn row(content: &Content, l: &Lender) -> CompareRow {
    let record = &l.lender_of_record;
    let mut record_value = record.name.clone();
    if !record.partners.is_empty() {
        record_value.push_str(&format!("；合作放贷机构：{}", record.partners.join("、")));
    }
    if let Some(g) = &record.guarantor {
        record_value.push_str(&format!("；担保：{g}"));
    }
    CompareRow {
        name: l.name.clone(),
        href: Route::lender(&l.slug).file(),
        licence: Cell::known(
            l.licence.value.label().to_string(),
            None,
            &l.licence.source,
            l.licence.confidence,
        ),
        lender_of_record: Cell::known(record_value, None, &record.source, record.confidence),
        channels: l
            .channels
            .iter()
            // The one rule for how sure a contact may look.
            .map(|c| displayed(&c.value, c.confidence, &l.name).line(&c.label))
            .collect(),
        cells: content
            .site
            .compare
            .iter()
            .map(|col| {
                l.policies
                    .iter()
                    .find(|p| p.id == col.policy)
                    .map_or_else(Cell::unknown, |p| {
                        Cell::known(p.value.clone(), p.note.clone(), &p.source, p.confidence)
                    })
            })
            .collect(),
    }
}
