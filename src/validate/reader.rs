//! Checks for the reader-first keys: a lender's licence, lender of record
//! and own complaint channels (lender.yaml), and the site's complaint
//! routes, refusal advice and letters (site.yaml). Every value is sourced
//! and every enum name gets a did-you-mean.

use super::fields::Checker;
use crate::markdown::{self, Markdown};
use crate::model::{
    Channel, CompareColumn, ComplaintRoute, GuideKind, LenderOfRecord, Letter, Licence, RouteScope,
    Sourced,
};
use crate::parse::raw::{
    RawChannel, RawCompareColumn, RawComplaintRoute, RawLenderOfRecord, RawLetter, RawLicence, S,
};

pub fn licence<T>(c: &mut Checker<T>, raw: &RawLicence) -> Option<Sourced<Licence>> {
    let value = c.one_of(&raw.value, "licence", &Licence::NAMES, Licence::parse);
    let source = c.source(&raw.source);
    let as_of = c.date(&raw.as_of);
    let confidence = c.confidence(&raw.confidence);
    Some(Sourced {
        value: value?,
        note: c.opt_text(&raw.note),
        source,
        as_of: as_of?,
        confidence: confidence?,
    })
}

pub fn lender_of_record<T>(c: &mut Checker<T>, raw: &RawLenderOfRecord) -> Option<LenderOfRecord> {
    let name = c.text(&raw.value, "lender of record");
    let partners = raw
        .partners
        .iter()
        .map(|p| c.text(p, "partner lender"))
        .collect();
    let guarantor = c.opt_text(&raw.guarantor);
    let source = c.source(&raw.source);
    let as_of = c.date(&raw.as_of);
    let confidence = c.confidence(&raw.confidence);
    Some(LenderOfRecord {
        name,
        partners,
        guarantor,
        note: c.opt_text(&raw.note),
        source,
        as_of: as_of?,
        confidence: confidence?,
    })
}

pub fn channels<T>(c: &mut Checker<T>, raw: &[RawChannel], what: &str) -> Vec<Channel> {
    raw.iter()
        .filter_map(|ch| {
            Some(Channel {
                label: c.text(&ch.label, &format!("{what} label")),
                value: c.text(&ch.value, &format!("{what} value")),
                note: c.opt_text(&ch.note),
                source: c.source(&ch.source),
                confidence: c.confidence(&ch.confidence)?,
            })
        })
        .collect()
}

pub fn complaint_routes<T>(c: &mut Checker<T>, raw: &[RawComplaintRoute]) -> Vec<ComplaintRoute> {
    c.unique(raw.iter().map(|r| &r.id), "complaint route id");
    raw.iter()
        .filter_map(|r| {
            let id = c.slug(&r.id, "complaint route id");
            let applies_to: Vec<Option<RouteScope>> = r
                .applies_to
                .iter()
                .map(|s| c.one_of(s, "licence", &Licence::SCOPES, RouteScope::parse))
                .collect();
            if r.applies_to.is_empty() {
                c.error(
                    "missing-key",
                    &r.id,
                    "this complaint route applies to no lender",
                    "list the licences it serves, e.g. `applies_to: [bank, consumer-finance]`, or `[all]`",
                );
            }
            let label = c.text(&r.label, "route label");
            let value = c.text(&r.value, "route value");
            let source = c.source(&r.source);
            let confidence = c.confidence(&r.confidence);
            Some(ComplaintRoute {
                id: id?,
                applies_to: applies_to.into_iter().collect::<Option<_>>()?,
                label,
                value,
                note: c.opt_text(&r.note),
                source,
                confidence: confidence?,
            })
        })
        .collect()
}

/// Short Markdown items (inline: a link or emphasis, no blocks).
pub fn if_refused<T>(c: &mut Checker<T>, raw: &[S]) -> Vec<Markdown> {
    raw.iter()
        .map(|s| {
            c.text(s, "refusal advice");
            let origin = c.doc.text_origin(s);
            markdown::render_remembered(&s.value, &origin, c.diags, c.memo)
        })
        .collect()
}

pub fn letters<T>(c: &mut Checker<T>, raw: &[RawLetter]) -> Vec<Letter> {
    let mut seen: Vec<GuideKind> = Vec::new();
    raw.iter()
        .filter_map(|l| {
            let kind = c.one_of(&l.kind, "guide kind", &GuideKind::NAMES, GuideKind::parse)?;
            if seen.contains(&kind) {
                c.error(
                    "duplicate-id",
                    &l.kind,
                    format!("a second letter for `{}` guides", kind.key()),
                    "keep one letter per guide kind",
                );
            }
            seen.push(kind);
            let title = c.text(&l.title, "letter title");
            let body = c.text(&l.body, "letter body");
            if !body.contains('【') {
                c.error(
                    "bad-value",
                    &l.body,
                    "this letter has nothing for the reader to fill in",
                    "mark what the reader replaces with 【…】, e.g. 【你的姓名】、【借款编号】",
                );
            }
            Some(Letter { kind, title, body })
        })
        .collect()
}

/// A negotiation guide needs the sentence to say first and a letter of its
/// kind in site.yaml.
pub fn negotiation_guide<T>(
    c: &mut Checker<T>,
    kind_at: &S,
    kind: GuideKind,
    say_first: &Option<S>,
    letter_kinds: &[GuideKind],
) {
    if !kind.is_negotiation() {
        return;
    }
    if say_first.is_none() {
        c.error(
            "missing-key",
            kind_at,
            format!(
                "a `{}` guide opens with the sentence to say first",
                kind.key()
            ),
            "add `say_first:` with one plain sentence a reader can say on the phone, e.g. 你好，我是借款人，我愿意还款，但现在确实有困难，想申请……",
        );
    }
    if !letter_kinds.contains(&kind) {
        c.error(
            "missing-letter",
            kind_at,
            format!("site.yaml has no letter for `{}` guides", kind.key()),
            format!(
                "add an entry with `kind: {}` under `letters:` in site.yaml",
                kind.key()
            ),
        );
    }
}

pub fn compare<T>(c: &mut Checker<T>, raw: &[RawCompareColumn]) -> Vec<CompareColumn> {
    c.unique(raw.iter().map(|col| &col.policy), "compare column");
    raw.iter()
        .filter_map(|col| {
            let label = c.text(&col.label, "column label");
            Some(CompareColumn {
                policy: c.slug(&col.policy, "policy id")?,
                label,
            })
        })
        .collect()
}
