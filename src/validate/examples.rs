//! Worked examples: raw `examples:` entries → typed engine inputs.
//!
//! Owns which keys each example `type` and each negotiation option `kind`
//! takes, the reading of amounts and rates (through the engine's own
//! parsers, so `84793.03` never passes through a float), and the check that
//! `expect:` names real outputs. Every problem is located at the key.

use rust_decimal::Decimal;
use serde_saphyr::Spanned;

use super::fields::Checker;
use crate::compute::{
    self, DayCount, Method, Money, NegotiationOption, Penalty, Pricing, Rate, RateField, Waivers,
};
use crate::diagnostics::Located;
use crate::model::{Example, ExampleInput, Expectation, NegotiationChoice, PolicyValue};
use crate::parse::raw::{RawExample, RawOption, RawPenalty, RawSituation, S};

pub const TYPES: [&str; 3] = ["overdue", "schedule", "negotiation"];
pub const METHODS: [&str; 4] = [
    "equal-installment",
    "equal-principal",
    "interest-first",
    "bullet",
];
pub const OPTION_KINDS: [&str; 4] = ["stay-overdue", "settle", "installment", "extension"];

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
    let kind = c.one_of(&raw.kind, "example type", &TYPES, |s| {
        TYPES.iter().position(|t| *t == s)
    });
    let mut keys = Vec::new();
    let input = match kind {
        Some(0) => {
            refuse(
                c,
                raw,
                "overdue",
                &[
                    ("months", &raw.months),
                    ("method", &raw.method),
                    ("monthly_fee_rate", &raw.monthly_fee_rate),
                    ("upfront_fee", &raw.upfront_fee),
                ],
            );
            refuse_nested(c, raw, "overdue");
            overdue(c, raw, &mut keys)
        }
        Some(1) => {
            refuse(
                c,
                raw,
                "schedule",
                &[
                    ("days", &raw.days),
                    ("unpaid_interest", &raw.unpaid_interest),
                    ("compound", &raw.compound),
                    ("daily_rate", &raw.daily_rate),
                ],
            );
            if let Some(p) = &raw.penalty {
                c.error(
                    "wrong-key",
                    &spanned_at(p),
                    "`penalty` does not apply to a schedule example",
                    "a schedule is a repayment plan; penalties belong to `overdue` examples",
                );
            }
            refuse_nested(c, raw, "schedule");
            schedule(c, raw, &mut keys)
        }
        Some(_) => {
            refuse(
                c,
                raw,
                "negotiation",
                &[
                    ("principal", &raw.principal),
                    ("annual_rate", &raw.annual_rate),
                    ("daily_rate", &raw.daily_rate),
                    ("days", &raw.days),
                    ("unpaid_interest", &raw.unpaid_interest),
                    ("compound", &raw.compound),
                    ("months", &raw.months),
                    ("method", &raw.method),
                    ("monthly_fee_rate", &raw.monthly_fee_rate),
                    ("upfront_fee", &raw.upfront_fee),
                    ("day_count", &raw.day_count),
                ],
            );
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
        let names = compute::outputs::field_names(input.type_name(), options);
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

type Keys = Vec<(&'static str, Located)>;

/// Replaces `@<policy-id>` with that policy's `figure`, keeping the position.
fn cite<T>(c: &mut Checker<'_, T>, s: &mut S, policies: &[PolicyValue]) {
    let Some(id) = s.value.trim().strip_prefix('@') else {
        return;
    };
    match policies.iter().find(|p| p.id == id) {
        Some(PolicyValue {
            figure: Some(f), ..
        }) => s.value = f.clone(),
        Some(_) => {
            let id = id.to_string();
            c.error(
                "no-figure",
                s,
                format!("policy `{id}` has no `figure` to compute with"),
                format!("add `figure:` (e.g. `50%`) to policy `{id}` in lender.yaml"),
            );
        }
        None => {
            let ids: Vec<&str> = policies
                .iter()
                .filter(|p| p.figure.is_some())
                .map(|p| p.id.as_str())
                .collect();
            let help = crate::suggest::did_you_mean(id, &ids).map_or_else(
                || {
                    if ids.is_empty() {
                        "this lender has no policy with a `figure`".to_string()
                    } else {
                        format!("policies with a figure: {}", ids.join(", "))
                    }
                },
                |n| format!("did you mean `@{n}`?"),
            );
            let id = id.to_string();
            c.error(
                "unknown-policy",
                s,
                format!("no policy `{id}` with a figure for this guide's lender"),
                help,
            );
        }
    }
}

/// Visits every scalar input of an example (not ids, titles or notes).
fn for_each_scalar(raw: &mut RawExample, f: &mut dyn FnMut(&mut S)) {
    fn penalty(p: &mut Option<Spanned<RawPenalty>>, f: &mut dyn FnMut(&mut S)) {
        if let Some(p) = p {
            for s in [
                &mut p.value.daily_rate,
                &mut p.value.annual_rate,
                &mut p.value.markup,
            ]
            .into_iter()
            .flatten()
            {
                f(s);
            }
        }
    }
    for s in [
        &mut raw.principal,
        &mut raw.annual_rate,
        &mut raw.daily_rate,
        &mut raw.days,
        &mut raw.unpaid_interest,
        &mut raw.months,
        &mut raw.monthly_fee_rate,
        &mut raw.upfront_fee,
    ]
    .into_iter()
    .flatten()
    {
        f(s);
    }
    penalty(&mut raw.penalty, f);
    if let Some(sit) = &mut raw.situation {
        let v = &mut sit.value;
        f(&mut v.principal);
        for s in [
            &mut v.unpaid_interest,
            &mut v.penalty_accrued,
            &mut v.annual_rate,
            &mut v.daily_rate,
        ]
        .into_iter()
        .flatten()
        {
            f(s);
        }
        penalty(&mut v.penalty, f);
    }
    for o in raw.options.iter_mut().flatten() {
        let o = &mut o.value;
        for s in [
            &mut o.days,
            &mut o.months,
            &mut o.annual_rate,
            &mut o.monthly_fee_rate,
            &mut o.waive_penalty,
            &mut o.waive_interest,
        ]
        .into_iter()
        .flatten()
        {
            f(s);
        }
    }
}

fn overdue<T>(c: &mut Checker<'_, T>, raw: &RawExample, keys: &mut Keys) -> Option<ExampleInput> {
    let day_count = day_count(c, &raw.day_count);
    let rate = contract_rate(
        c,
        &raw.annual_rate,
        &raw.daily_rate,
        &raw.id,
        day_count?,
        keys,
    );
    let principal = required_money(c, &raw.principal, "principal", &raw.id, keys);
    let days = count(c, &raw.days, "days", 1, compute::MAX_DAYS, &raw.id, keys);
    let penalty = penalty(c, &raw.penalty, &raw.id, day_count?, keys);
    let unpaid = optional_money(c, &raw.unpaid_interest, "unpaid_interest", keys);
    let compound = flag(c, &raw.compound);
    Some(ExampleInput::Overdue(compute::OverdueInput {
        principal: principal?,
        rate: rate?,
        days: days?,
        penalty: penalty?,
        unpaid_interest: unpaid?,
        compound: compound?,
    }))
}

fn schedule<T>(c: &mut Checker<'_, T>, raw: &RawExample, keys: &mut Keys) -> Option<ExampleInput> {
    let day_count = day_count(c, &raw.day_count)?;
    let rate = contract_rate(c, &raw.annual_rate, &None, &raw.id, day_count, keys);
    let principal = required_money(c, &raw.principal, "principal", &raw.id, keys);
    let months = count(
        c,
        &raw.months,
        "months",
        1,
        compute::MAX_MONTHS,
        &raw.id,
        keys,
    );
    let method = method(c, &raw.method);
    let fee = fee_rate(c, &raw.monthly_fee_rate, keys);
    let upfront = optional_money(c, &raw.upfront_fee, "upfront_fee", keys);
    Some(ExampleInput::Schedule(compute::ScheduleInput {
        principal: principal?,
        rate: rate?,
        months: months?,
        method: method?,
        monthly_fee_rate: fee?,
        upfront_fee: upfront?,
    }))
}

fn negotiation<T>(
    c: &mut Checker<'_, T>,
    raw: &RawExample,
    keys: &mut Keys,
) -> Option<ExampleInput> {
    let Some(situation) = &raw.situation else {
        c.error("missing-key", &raw.id, "a negotiation example needs `situation:`", "give the loan as it stands: principal, unpaid_interest, penalty_accrued, annual_rate, penalty");
        return None;
    };
    let situation = situation_of(c, &situation.value, &raw.id, keys);
    let Some(options) = raw.options.as_ref().filter(|o| !o.is_empty()) else {
        c.error(
            "missing-key",
            &raw.id,
            "a negotiation example needs `options:`",
            "list the options to compare, e.g. `- {kind: stay-overdue, days: 90}`",
        );
        return None;
    };
    let choices: Vec<_> = options
        .iter()
        .map(|o| choice(c, o, situation.as_ref().map(|s| s.rate.day_count())))
        .collect();
    let options = choices.into_iter().collect::<Option<Vec<_>>>()?;
    Some(ExampleInput::Negotiation {
        situation: situation?,
        options,
    })
}

fn situation_of<T>(
    c: &mut Checker<'_, T>,
    raw: &RawSituation,
    anchor: &S,
    keys: &mut Keys,
) -> Option<compute::Situation> {
    let day_count = day_count(c, &raw.day_count)?;
    let rate = contract_rate(
        c,
        &raw.annual_rate,
        &raw.daily_rate,
        anchor,
        day_count,
        keys,
    );
    let principal = money(c, &raw.principal, "principal", keys);
    let unpaid = optional_money(c, &raw.unpaid_interest, "unpaid_interest", keys);
    let accrued = optional_money(c, &raw.penalty_accrued, "penalty_accrued", keys);
    let penalty = penalty(c, &raw.penalty, anchor, day_count, keys);
    Some(compute::Situation {
        principal: principal?,
        unpaid_interest: unpaid?,
        penalty_accrued: accrued?,
        rate: rate?,
        penalty: penalty?,
    })
}

fn choice<T>(
    c: &mut Checker<'_, T>,
    raw: &Spanned<RawOption>,
    day_count: Option<DayCount>,
) -> Option<NegotiationChoice> {
    let o = &raw.value;
    let kind = c.one_of(&o.kind, "option kind", &OPTION_KINDS, |s| {
        OPTION_KINDS.iter().position(|k| *k == s)
    })?;
    let name = OPTION_KINDS[kind];
    let allowed: &[&str] = match kind {
        0 => &["days"],
        1 => &["waive_penalty", "waive_interest"],
        2 => &[
            "months",
            "method",
            "annual_rate",
            "monthly_fee_rate",
            "waive_penalty",
            "waive_interest",
        ],
        _ => &["months", "annual_rate", "waive_penalty", "waive_interest"],
    };
    let present = [
        ("days", &o.days),
        ("months", &o.months),
        ("method", &o.method),
        ("annual_rate", &o.annual_rate),
        ("monthly_fee_rate", &o.monthly_fee_rate),
        ("waive_penalty", &o.waive_penalty),
        ("waive_interest", &o.waive_interest),
    ];
    for (key, value) in present {
        if let Some(v) = value.as_ref().filter(|_| !allowed.contains(&key)) {
            c.error(
                "wrong-key",
                v,
                format!("`{key}` does not apply to a `{name}` option"),
                format!("a `{name}` option takes: {}", allowed.join(", ")),
            );
        }
    }
    let day_count = day_count?;
    let mut keys = Vec::new();
    let waive = |c: &mut Checker<'_, T>| -> Option<Waivers> {
        Some(Waivers {
            penalty: share(c, &o.waive_penalty)?,
            interest: share(c, &o.waive_interest)?,
        })
    };
    let option = match kind {
        0 => NegotiationOption::StayOverdue {
            days: count(c, &o.days, "days", 1, compute::MAX_DAYS, &o.kind, &mut keys)?,
        },
        1 => NegotiationOption::Settle { waivers: waive(c)? },
        2 => {
            let months = count(
                c,
                &o.months,
                "months",
                1,
                compute::MAX_MONTHS,
                &o.kind,
                &mut keys,
            );
            let method = method(c, &o.method);
            let pricing = match (&o.annual_rate, &o.monthly_fee_rate) {
                (Some(_), Some(fee)) => {
                    c.error(
                        "conflicting-keys",
                        fee,
                        "give either `annual_rate` or `monthly_fee_rate`, not both",
                        "an installment plan is priced by an interest rate or by a monthly fee",
                    );
                    None
                }
                (Some(_), None) => {
                    contract_rate(c, &o.annual_rate, &None, &o.kind, day_count, &mut keys)
                        .map(Pricing::AnnualRate)
                }
                (None, Some(_)) => {
                    fee_rate(c, &o.monthly_fee_rate, &mut keys).map(Pricing::MonthlyFeeRate)
                }
                (None, None) => Some(Pricing::AnnualRate(Rate::zero(day_count))),
            };
            NegotiationOption::Installment {
                months: months?,
                method: method?,
                pricing: pricing?,
                waivers: waive(c)?,
            }
        }
        _ => {
            let months = count(
                c,
                &o.months,
                "months",
                1,
                compute::MAX_MONTHS,
                &o.kind,
                &mut keys,
            );
            let rate = contract_rate(c, &o.annual_rate, &None, &o.kind, day_count, &mut keys);
            NegotiationOption::Extension {
                months: months?,
                rate: rate?,
                waivers: waive(c)?,
            }
        }
    };
    let label = c
        .opt_text(&o.label)
        .unwrap_or_else(|| default_label(&option));
    Some(NegotiationChoice {
        label,
        option,
        at: c.doc.at(&o.kind),
    })
}

fn default_label(option: &NegotiationOption) -> String {
    match option {
        NegotiationOption::StayOverdue { days } => format!("继续逾期{days}天"),
        NegotiationOption::Settle { .. } => "一次性结清".into(),
        NegotiationOption::Installment { months, .. } => format!("分{months}期还款"),
        NegotiationOption::Extension { months, .. } => format!("展期{months}个月"),
    }
}

/// Keys that a `type` does not take are errors, not silently ignored.
fn refuse<T>(
    c: &mut Checker<'_, T>,
    _raw: &RawExample,
    type_name: &str,
    keys: &[(&str, &Option<S>)],
) {
    for (key, value) in keys {
        if let Some(v) = value {
            c.error(
                "wrong-key",
                v,
                format!(
                    "`{key}` does not apply to a{} {type_name} example",
                    if type_name.starts_with('o') { "n" } else { "" }
                ),
                "see CONTRIBUTING.md for the keys each example type takes",
            );
        }
    }
}

fn refuse_nested<T>(c: &mut Checker<'_, T>, raw: &RawExample, type_name: &str) {
    if let Some(s) = &raw.situation {
        c.error(
            "wrong-key",
            &spanned_at(s),
            format!("`situation` only applies to a negotiation example, not {type_name}"),
            "use `type: negotiation` to compare options",
        );
    }
    if let Some(o) = raw.options.as_ref().and_then(|o| o.first()) {
        c.error(
            "wrong-key",
            &spanned_at(o),
            format!("`options` only applies to a negotiation example, not {type_name}"),
            "use `type: negotiation` to compare options",
        );
    }
}

/// A position-only scalar for errors about a whole mapping.
fn spanned_at<V>(s: &Spanned<V>) -> S {
    Spanned {
        value: String::new(),
        referenced: s.referenced,
        defined: s.defined,
    }
}

fn day_count<T>(c: &mut Checker<'_, T>, s: &Option<S>) -> Option<DayCount> {
    let Some(s) = s else {
        return Some(DayCount::Days360);
    };
    match s
        .value
        .trim()
        .parse::<u32>()
        .map_err(|_| ())
        .and_then(|d| DayCount::from_days(d).map_err(|_| ()))
    {
        Ok(d) => Some(d),
        Err(()) => {
            c.error("bad-value", s, format!("day_count must be 360 or 365, not `{}`", s.value), "360 is the RMB convention (日利率 = 年利率/360); use 365 only when the lender says so");
            None
        }
    }
}

fn contract_rate<T>(
    c: &mut Checker<'_, T>,
    annual: &Option<S>,
    daily: &Option<S>,
    anchor: &S,
    day_count: DayCount,
    keys: &mut Keys,
) -> Option<Rate> {
    match (annual, daily) {
        (Some(_), Some(d)) => {
            c.error(
                "conflicting-keys",
                d,
                "give either `annual_rate` or `daily_rate`, not both",
                "the other is derived from it with `day_count` (360 unless stated)",
            );
            None
        }
        (Some(a), None) => rate(c, a, RateField::AnnualRate, day_count, "annual_rate", keys),
        (None, Some(d)) => rate(c, d, RateField::DailyRate, day_count, "daily_rate", keys),
        (None, None) => {
            c.error(
                "missing-key",
                anchor,
                "this example needs a rate: `annual_rate` or `daily_rate`",
                "e.g. `annual_rate: 18%` or `daily_rate: 日利率万分之五`",
            );
            None
        }
    }
}

fn rate<T>(
    c: &mut Checker<'_, T>,
    s: &S,
    field: RateField,
    day_count: DayCount,
    key: &'static str,
    keys: &mut Keys,
) -> Option<Rate> {
    keys.push((key, c.doc.at(s)));
    match compute::parse_rate(&s.value).and_then(|p| p.into_rate(field, day_count)) {
        Ok(r) => Some(r),
        Err(e) => {
            c.error("bad-rate", s, e.message().to_string(), e.help().to_string());
            None
        }
    }
}

fn fee_rate<T>(c: &mut Checker<'_, T>, s: &Option<S>, keys: &mut Keys) -> Option<Decimal> {
    match s {
        None => Some(Decimal::ZERO),
        Some(s) => rate(
            c,
            s,
            RateField::MonthlyFeeRate,
            DayCount::Days360,
            "monthly_fee_rate",
            keys,
        )
        .map(|r| r.monthly()),
    }
}

fn penalty<T>(
    c: &mut Checker<'_, T>,
    raw: &Option<Spanned<RawPenalty>>,
    anchor: &S,
    day_count: DayCount,
    keys: &mut Keys,
) -> Option<Penalty> {
    let Some(p) = raw else {
        c.error("missing-key", anchor, "this example needs `penalty:`", "e.g. `penalty: {markup: 50%}` (50% of the contract rate on top), `{annual_rate: 27%}` or `{daily_rate: 0.075%}`");
        return None;
    };
    let at = spanned_at(p);
    match (&p.value.daily_rate, &p.value.annual_rate, &p.value.markup) {
        (Some(d), None, None) => rate(c, d, RateField::DailyRate, day_count, "penalty", keys)
            .map(|r| Penalty::DailyRate(r.daily())),
        (None, Some(a), None) => rate(c, a, RateField::AnnualRate, day_count, "penalty", keys)
            .map(|r| Penalty::AnnualRate(r.annual())),
        (None, None, Some(m)) => {
            keys.push(("penalty", c.doc.at(m)));
            match compute::parse_percent(&m.value) {
                Ok(f) => Some(Penalty::Markup(f)),
                Err(e) => {
                    c.error("bad-rate", m, e.message().to_string(), e.help().to_string());
                    None
                }
            }
        }
        _ => {
            c.error(
                "bad-value",
                &at,
                "`penalty` takes exactly one of `daily_rate`, `annual_rate` or `markup`",
                "e.g. `penalty: {markup: 50%}`",
            );
            None
        }
    }
}

fn money<T>(c: &mut Checker<'_, T>, s: &S, key: &'static str, keys: &mut Keys) -> Option<Money> {
    keys.push((key, c.doc.at(s)));
    match compute::parse_money(&s.value) {
        Ok(m) => Some(m),
        Err(e) => {
            c.error(
                "bad-amount",
                s,
                e.message().to_string(),
                e.help().to_string(),
            );
            None
        }
    }
}

fn required_money<T>(
    c: &mut Checker<'_, T>,
    s: &Option<S>,
    key: &'static str,
    anchor: &S,
    keys: &mut Keys,
) -> Option<Money> {
    match s {
        Some(s) => money(c, s, key, keys),
        None => {
            c.error(
                "missing-key",
                anchor,
                format!("this example needs `{key}`"),
                format!("add `{key}: 10000` (元)"),
            );
            None
        }
    }
}

fn optional_money<T>(
    c: &mut Checker<'_, T>,
    s: &Option<S>,
    key: &'static str,
    keys: &mut Keys,
) -> Option<Money> {
    let Some(s) = s else { return Some(Money::ZERO) };
    keys.push((key, c.doc.at(s)));
    match compute::parse_non_negative_money(&s.value) {
        Ok(m) => Some(m),
        Err(e) => {
            c.error(
                "bad-amount",
                s,
                e.message().to_string(),
                e.help().to_string(),
            );
            None
        }
    }
}

fn count<T>(
    c: &mut Checker<'_, T>,
    s: &Option<S>,
    key: &'static str,
    min: u32,
    max: u32,
    anchor: &S,
    keys: &mut Keys,
) -> Option<u32> {
    let Some(s) = s else {
        c.error(
            "missing-key",
            anchor,
            format!("this example needs `{key}`"),
            format!("add `{key}:` with a whole number from {min} to {max}"),
        );
        return None;
    };
    keys.push((key, c.doc.at(s)));
    match s
        .value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
    {
        Some(n) => Some(n),
        None => {
            c.error(
                "out-of-range",
                s,
                format!(
                    "`{key}` must be a whole number from {min} to {max}, not `{}`",
                    s.value
                ),
                format!(
                    "{key} counts whole {}",
                    if key == "days" {
                        "days (at most 100 years)"
                    } else {
                        "months (at most 50 years)"
                    }
                ),
            );
            None
        }
    }
}

fn method<T>(c: &mut Checker<'_, T>, s: &Option<S>) -> Option<Method> {
    let Some(s) = s else {
        return Some(Method::EqualInstallment);
    };
    let i = c.one_of(s, "repayment method", &METHODS, |v| {
        METHODS.iter().position(|m| *m == v)
    })?;
    Some(
        [
            Method::EqualInstallment,
            Method::EqualPrincipal,
            Method::InterestFirst,
            Method::Bullet,
        ][i],
    )
}

fn share<T>(c: &mut Checker<'_, T>, s: &Option<S>) -> Option<Decimal> {
    let Some(s) = s else {
        return Some(Decimal::ZERO);
    };
    match compute::parse_percent(&s.value) {
        Ok(f) if f >= Decimal::ZERO && f <= Decimal::ONE => Some(f),
        Ok(_) => {
            c.error(
                "out-of-range",
                s,
                format!("a waiver must be between 0% and 100%, not `{}`", s.value),
                "e.g. `waive_penalty: 100%` when the lender drops all penalty interest",
            );
            None
        }
        Err(e) => {
            c.error("bad-rate", s, e.message().to_string(), e.help().to_string());
            None
        }
    }
}

fn flag<T>(c: &mut Checker<'_, T>, s: &Option<S>) -> Option<bool> {
    match s.as_ref().map(|s| s.value.trim()) {
        None | Some("false") => Some(false),
        Some("true") => Some(true),
        Some(other) => {
            let s = s.as_ref()?;
            c.error(
                "bad-value",
                s,
                format!("`compound` must be true or false, not `{other}`"),
                "true when unpaid interest itself bears interest (复利)",
            );
            None
        }
    }
}
