//! Worked examples: raw `examples:` entries → typed engine inputs.
//!
//! Owns the checking of which keys each example `type` and each negotiation
//! option `kind` takes (the tables are [`crate::vocabulary`]'s), the reading of amounts and rates (through the engine's own
//! parsers, so `84793.03` never passes through a float), and the check that
//! `expect:` names real outputs. Every problem is located at the key.
//!
//! `cite` resolves `@<policy>` references, `inputs` reads single values
//! (amounts, rates, counts), `negotiation` reads situations and options.

use rust_decimal::Decimal;
use serde_saphyr::Spanned;

mod cite;
mod inputs;
mod negotiation;

use super::fields::Checker;
use crate::diagnostics::Located;
use crate::engine::{
    self, DayCount, Method, Money, NegotiationOption, Penalty, Pricing, Rate, RateField, Waivers,
};
use crate::model::{Example, ExampleInput, Expectation, NegotiationChoice, PolicyValue};
use crate::parse::raw::{RawExample, RawOption, RawPenalty, RawSituation, S};
use crate::vocabulary::{EXAMPLE_TYPES, KEYS_REFUSED, article};
use cite::{cite, for_each_scalar};
use inputs::*;
use negotiation::negotiation;

/// Checks one example; `None` (with diagnostics) when it cannot be computed.
/// `policies` are the lender's policy values that inputs may cite as
/// `@<id>`, so a policy change recomputes every example that uses it.
pub fn example<T>(
    c: &mut Checker<'_, T>,
    raw: &RawExample,
    policies: &[PolicyValue],
) -> Option<Example> {
    let before = c.diags.len();
    let mut resolved = raw.clone();
    for_each_scalar(&mut resolved, &mut |s| cite(c, s, policies));
    if c.diags[before..].iter().any(|d| d.is_error()) {
        return None;
    }
    let raw = &resolved;
    let id = c.slug(&raw.id, "example id");
    let title = c.text(&raw.title, "example title");
    let kind = c.one_of(&raw.kind, "example type", &EXAMPLE_TYPES, |s| {
        EXAMPLE_TYPES.iter().position(|t| *t == s)
    });
    let mut keys = Vec::new();
    let input = match kind {
        Some(0) => {
            refuse(c, raw, "overdue");
            overdue(c, raw, &mut keys)
        }
        Some(1) => {
            refuse(c, raw, "schedule");
            schedule(c, raw, &mut keys)
        }
        Some(_) => {
            refuse(c, raw, "negotiation");
            negotiation(c, raw, &mut keys)
        }
        None => None,
    };
    let options = match &input {
        Some(ExampleInput::Negotiation { options, .. }) => options.len(),
        _ => 0,
    };
    let mut expect = Vec::new();
    if let (Some(map), Some(input)) = (&raw.expect, &input) {
        let names = engine::outputs::field_names(input.type_name(), options);
        for (field, value) in map {
            let at = c.doc.at(value);
            if !names.iter().any(|n| n == field) {
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                let help = match crate::suggest::did_you_mean(field, &refs) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "a {} example reports: {}",
                        input.type_name(),
                        names.join(", ")
                    ),
                };
                c.error(
                    "unknown-output",
                    value,
                    format!("`expect` names `{field}`, which this example does not compute"),
                    help,
                );
                continue;
            }
            expect.push(Expectation {
                field: field.clone(),
                claimed: value.value.trim().to_string(),
                at,
            });
        }
    }
    if c.diags[before..].iter().any(|d| d.is_error()) {
        return None;
    }
    Some(Example {
        id: id?,
        title,
        note: c.opt_text(&raw.note),
        input: input?,
        expect,
        at: c.doc.at(&raw.id),
        keys,
    })
}

pub(super) type Keys = Vec<(std::borrow::Cow<'static, str>, Located)>;

fn overdue<T>(c: &mut Checker<'_, T>, raw: &RawExample, keys: &mut Keys) -> Option<ExampleInput> {
    // A bad day count is reported once; the other keys are still checked
    // (with the default in its place) so it hides none of their faults.
    let day_count = day_count(c, &raw.day_count);
    let checked = day_count.unwrap_or(DayCount::Days360);
    let rate = contract_rate(c, &raw.annual_rate, &raw.daily_rate, &raw.id, checked, keys);
    let principal = required_money(c, &raw.principal, "principal", &raw.id, keys);
    let days = count(c, &raw.days, "days", 1, engine::MAX_DAYS, &raw.id, keys);
    let penalty = penalty(c, &raw.penalty, &raw.id, checked, keys);
    let unpaid = optional_money(c, &raw.unpaid_interest, "unpaid_interest", keys);
    let compound = flag(c, &raw.compound);
    day_count?;
    Some(ExampleInput::Overdue(engine::OverdueInput {
        principal: principal?,
        rate: rate?,
        days: days?,
        penalty: penalty?,
        unpaid_interest: unpaid?,
        compound: compound?,
    }))
}

fn schedule<T>(c: &mut Checker<'_, T>, raw: &RawExample, keys: &mut Keys) -> Option<ExampleInput> {
    let day_count = day_count(c, &raw.day_count);
    let checked = day_count.unwrap_or(DayCount::Days360);
    // Optional here: a plan priced only by `monthly_fee_rate` (a credit-card 分期) is 0%.
    let rate = match &raw.annual_rate {
        Some(a) => rate(c, a, RateField::AnnualRate, checked, "annual_rate", keys),
        None => Some(Rate::zero(checked)),
    };
    let principal = required_money(c, &raw.principal, "principal", &raw.id, keys);
    let months = count(
        c,
        &raw.months,
        "months",
        1,
        engine::MAX_MONTHS,
        &raw.id,
        keys,
    );
    let method = method(c, &raw.method);
    let fee = fee_rate(c, &raw.monthly_fee_rate, keys);
    let upfront = optional_money(c, &raw.upfront_fee, "upfront_fee", keys);
    day_count?;
    Some(ExampleInput::Schedule(engine::ScheduleInput {
        principal: principal?,
        rate: rate?,
        months: months?,
        method: method?,
        monthly_fee_rate: fee?,
        upfront_fee: upfront?,
    }))
}

/// Keys that a `type` does not take are errors, not silently ignored.
fn refuse<T>(c: &mut Checker<'_, T>, raw: &RawExample, type_name: &str) {
    let refused = KEYS_REFUSED
        .iter()
        .find(|(t, _)| *t == type_name)
        .map_or(&[][..], |(_, keys)| *keys);
    for key in refused {
        let Some(at) = key_at(raw, key) else { continue };
        let (message, help) = match (*key, type_name) {
            ("penalty", "negotiation") => (
                "`penalty` of a negotiation example belongs under `situation`".to_string(),
                "move it: `situation: {…, penalty: {markup: 50%}}`",
            ),
            ("penalty", _) => (
                format!("`penalty` does not apply to a {type_name} example"),
                "a schedule is a repayment plan; penalties belong to `overdue` examples",
            ),
            ("situation" | "options", _) => (
                format!("`{key}` only applies to a negotiation example, not {type_name}"),
                "use `type: negotiation` to compare options",
            ),
            _ => (
                format!(
                    "`{key}` does not apply to {} {type_name} example",
                    article(type_name)
                ),
                "see CONTRIBUTING.md for the keys each example type takes",
            ),
        };
        c.error("wrong-key", &at, message, help);
    }
}

/// Where `key` was written in an example, if it was.
fn key_at(raw: &RawExample, key: &str) -> Option<S> {
    let scalar = match key {
        "principal" => &raw.principal,
        "annual_rate" => &raw.annual_rate,
        "daily_rate" => &raw.daily_rate,
        "day_count" => &raw.day_count,
        "days" => &raw.days,
        "unpaid_interest" => &raw.unpaid_interest,
        "compound" => &raw.compound,
        "months" => &raw.months,
        "method" => &raw.method,
        "monthly_fee_rate" => &raw.monthly_fee_rate,
        "upfront_fee" => &raw.upfront_fee,
        "penalty" => return raw.penalty.as_ref().map(spanned_at),
        "situation" => return raw.situation.as_ref().map(spanned_at),
        "options" => return raw.options.as_ref().and_then(|o| o.first()).map(spanned_at),
        _ => return None,
    };
    scalar.clone()
}

/// A position-only scalar for errors about a whole mapping.
pub(super) fn spanned_at<V>(s: &Spanned<V>) -> S {
    Spanned {
        value: String::new(),
        referenced: s.referenced,
        defined: s.defined,
    }
}
