//! The compute stage: runs the engine on every worked example of every
//! guide and checks the figures sources claim (`expect:`).
//!
//! It sits between `validate` and `render`: it reads typed examples and
//! returns outcomes keyed by guide and example id. It knows locations (to
//! report a failed claim where it was written) but never Markdown or Tera.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::diagnostics::{Diagnostic, Located};
use crate::engine::outputs::{Figure, Outcome};
use crate::engine::{self, ComputeError, NegotiationError};
use crate::model::{Content, Example, ExampleInput};

/// Outcomes by (lender, guide) and example id.
#[derive(Debug, Default)]
pub struct Computed {
    pub outcomes: BTreeMap<(String, String), BTreeMap<String, Outcome>>,
}

impl Computed {
    pub fn get(&self, lender: &str, guide: &str, example: &str) -> Option<&Outcome> {
        self.outcomes
            .get(&(lender.to_string(), guide.to_string()))
            .and_then(|m| m.get(example))
    }
}

/// Examples are independent, so they run across cores; outcomes and
/// diagnostics are taken in guide and example order.
pub fn compute(content: &Content) -> (Computed, Vec<Diagnostic>) {
    let per_guide: Vec<_> = content
        .guides
        .par_iter()
        .map(|guide| {
            let results: Vec<_> = guide
                .examples
                .par_iter()
                .map(|example| run(example).map(|o| (check_claims(example, &o), o)))
                .collect();
            (guide, results)
        })
        .collect();
    let mut computed = Computed::default();
    let mut diags = Vec::new();
    for (guide, results) in per_guide {
        let mut outcomes = BTreeMap::new();
        for (example, result) in guide.examples.iter().zip(results) {
            match result {
                Ok((claims, outcome)) => {
                    diags.extend(claims);
                    outcomes.insert(example.id.clone(), outcome);
                }
                Err(d) => diags.push(d),
            }
        }
        computed
            .outcomes
            .insert((guide.lender.clone(), guide.slug.clone()), outcomes);
    }
    (computed, diags)
}

/// Computes one example; an engine error is located at the key it names.
pub fn run(example: &Example) -> Result<Outcome, Diagnostic> {
    let located = |e: &ComputeError, fallback: &Located| {
        let at = e
            .field()
            .and_then(|f| example.keys.iter().find(|(k, _)| *k == f))
            .map_or_else(|| fallback.clone(), |(_, at)| at.clone());
        Diagnostic::error(
            "compute",
            &at,
            format!("example `{}`: {}", example.id, e.message()),
        )
        .with_help(e.help())
    };
    match &example.input {
        ExampleInput::Overdue(input) => engine::compute_overdue(input)
            .map(Outcome::Overdue)
            .map_err(|e| located(&e, &example.at)),
        ExampleInput::Schedule(input) => engine::build_schedule(input)
            .map(Outcome::Schedule)
            .map_err(|e| located(&e, &example.at)),
        ExampleInput::Negotiation { situation, options } => {
            let list: Vec<_> = options.iter().map(|o| o.option).collect();
            engine::compare_options(situation, &list)
                .map(Outcome::Negotiation)
                .map_err(|e| match e {
                    NegotiationError::Situation(e) => located(&e, &example.at),
                    NegotiationError::Option { index, error } => {
                        located(&error, options.get(index).map_or(&example.at, |o| &o.at))
                    }
                })
        }
    }
}

/// One diagnostic per claimed figure the engine disagrees with.
pub fn check_claims(example: &Example, outcome: &Outcome) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for claim in &example.expect {
        let Some(figure) = outcome.figure(&claim.field) else {
            continue;
        };
        let help = "the source's figure is wrong, or the inputs differ from the source's; fix the inputs, or drop the claim and say in the text why the source is wrong";
        match parse_claim(&claim.claimed, figure) {
            Some(claimed) if claimed == figure.value() => {}
            Some(_) => diags.push(
                Diagnostic::error(
                    "claim-mismatch",
                    &claim.at,
                    format!(
                        "example `{}`: the source claims {} = {}, the engine computes {}",
                        example.id,
                        claim.field,
                        claim.claimed,
                        figure.plain()
                    ),
                )
                .with_help(help),
            ),
            None => diags.push(
                Diagnostic::error(
                    "bad-amount",
                    &claim.at,
                    format!("cannot read `{}` as a figure", claim.claimed),
                )
                .with_help("write money as `150.00` (元 optional) and rates as `13.03%`"),
            ),
        }
    }
    diags
}

/// A claimed figure in the unit of `like`: `1,350元` → 1350.00, `13.03%` → 13.03.
fn parse_claim(text: &str, like: Figure) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    match like {
        Figure::Money(_) => cleaned.parse::<Decimal>().ok().map(engine::round_money),
        Figure::Percent(_) => cleaned
            .strip_suffix('%')?
            .parse::<Decimal>()
            .ok()
            .map(|p| engine::round_half_up(p, 2)),
    }
}
