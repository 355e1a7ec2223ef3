//! The display values of a guide, computed once from the engine's
//! outcomes: each shortcode's value, each example's view and calculator
//! query. render turns them into HTML pages; index into search text.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::calc_link;
use super::examples::{self, ExampleView, Thresholds};
use super::inputs::FileHashes;
use crate::compute::Computed;
use crate::model::{Content, Guide, Lender, PolicyValue};
use crate::shortcode::Shortcode;
use crate::sink::Fingerprint;

/// What the pages display, per guide. A guide's [`GuidePlan`] is made the
/// first time render or index asks for it (from the outcomes the plan
/// holds), so a rebuild that reuses a guide's pages never plans it; its
/// inputs are known from the start.
pub struct Plan {
    guides: BTreeMap<(String, String), Planned>,
    /// Each lender's inputs ([`FileHashes::lender`]), by slug.
    lenders: BTreeMap<String, Fingerprint>,
    computed: Computed,
    /// The site's legal thresholds, which worked examples are held to.
    thresholds: Vec<PolicyValue>,
}

struct Planned {
    /// The hash of the content files the guide's pages are made from
    /// ([`super::inputs`]); `None`: not known, fingerprint the data.
    inputs: Option<Fingerprint>,
    plan: OnceLock<GuidePlan>,
}

/// A guide's worked examples and the values of its shortcodes.
#[derive(Default)]
pub struct GuidePlan {
    /// The examples the engine computed, in the guide's order.
    pub examples: Vec<PlannedExample>,
    /// One per shortcode of the guide's prose, by its index.
    pub shortcodes: Vec<ShortcodeValue>,
}

pub struct PlannedExample {
    pub id: String,
    pub view: ExampleView,
    /// The query string of the calculator link (`type=overdue&…`).
    pub calc_query: String,
}

/// What a shortcode stands for.
pub enum ShortcodeValue {
    /// `{{ figure(id, field) }}`: one figure.
    Figure(DisplayValue),
    /// `{{ example(id) }}`: the example's table (render) or title (index).
    Example { id: String, title: String },
    /// Nothing to show (an example without an outcome).
    Nothing,
}

/// A figure as the page shows it and as search reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayValue {
    pub html: String,
    pub text: String,
}

impl Plan {
    /// `computed`: the engine's outcomes, which the plan keeps. `files`:
    /// the hashes of the content files as loaded, when known.
    pub fn build(content: &Content, computed: Computed, files: Option<&FileHashes>) -> Self {
        let guides = content
            .guides
            .iter()
            .map(|g| {
                let key = (g.lender.clone(), g.slug.clone());
                let inputs = files.and_then(|f| f.guide(content, g));
                let plan = OnceLock::new();
                (key, Planned { inputs, plan })
            })
            .collect();
        let lenders = files.map_or_else(BTreeMap::new, |files| {
            content
                .lenders
                .par_iter()
                .filter_map(|l| Some((l.slug.clone(), files.lender(content, l)?)))
                .collect()
        });
        Self {
            guides,
            lenders,
            computed,
            thresholds: content.site.thresholds.clone(),
        }
    }

    /// What `l`'s page and feed are made from, when known.
    pub fn lender_inputs(&self, l: &Lender) -> Option<Fingerprint> {
        self.lenders.get(&l.slug).copied()
    }

    /// What the site's feed is made from (every lender's inputs, in
    /// order), when every lender's are known.
    pub fn all_lender_inputs(&self, content: &Content) -> Option<Fingerprint> {
        let mut h = crate::sink::Hasher::new();
        h.bytes(b"all lenders");
        for l in &content.lenders {
            h.bytes(l.slug.as_bytes())
                .bytes(&self.lender_inputs(l)?.to_le_bytes());
        }
        Some(h.finish())
    }

    /// What `g`'s page and search file are made from, when known.
    pub fn guide_inputs(&self, g: &Guide) -> Option<Fingerprint> {
        self.guides.get(&(g.lender.clone(), g.slug.clone()))?.inputs
    }

    /// The plan of a guide (empty for a guide the plan does not know),
    /// made on first use.
    pub fn guide(&self, g: &Guide) -> &GuidePlan {
        static EMPTY: GuidePlan = GuidePlan {
            examples: Vec::new(),
            shortcodes: Vec::new(),
        };
        match self.guides.get(&(g.lender.clone(), g.slug.clone())) {
            Some(planned) => planned
                .plan
                .get_or_init(|| guide(g, &self.computed, &Thresholds(&self.thresholds))),
            None => &EMPTY,
        }
    }
}

impl GuidePlan {
    /// The value of shortcode `n`.
    pub fn shortcode(&self, n: usize) -> &ShortcodeValue {
        self.shortcodes.get(n).unwrap_or(&ShortcodeValue::Nothing)
    }
}

fn guide(g: &Guide, computed: &Computed, thresholds: &Thresholds) -> GuidePlan {
    let examples = g
        .examples
        .iter()
        .filter_map(|e| {
            let outcome = computed.get(&g.lender, &g.slug, &e.id)?;
            Some(PlannedExample {
                id: e.id.clone(),
                view: examples::view(e, outcome, thresholds),
                calc_query: calc_link::query(e),
            })
        })
        .collect();
    let shortcodes = g
        .shortcodes
        .iter()
        .map(|code| shortcode(g, code, computed))
        .collect();
    GuidePlan {
        examples,
        shortcodes,
    }
}

fn shortcode(g: &Guide, code: &Shortcode, computed: &Computed) -> ShortcodeValue {
    let outcome = computed.get(&g.lender, &g.slug, &code.example);
    match (&code.field, outcome) {
        (Some(field), Some(o)) => match o.figure(field) {
            Some(f) => {
                let text = f.display();
                ShortcodeValue::Figure(DisplayValue {
                    html: format!("<strong class=\"figure\">{text}</strong>"),
                    text,
                })
            }
            None => ShortcodeValue::Nothing,
        },
        (Some(_), None) => ShortcodeValue::Nothing,
        (None, _) => match g.examples.iter().find(|e| e.id == code.example) {
            Some(e) => ShortcodeValue::Example {
                id: e.id.clone(),
                title: e.title.clone(),
            },
            None => ShortcodeValue::Nothing,
        },
    }
}
