//! Negotiation examples: the situation and each option, with the keys each
//! option `kind` takes.

use super::*;
use crate::vocabulary::{ALL_OPTION_KEYS, OPTION_KEYS, OPTION_KINDS};

pub(super) fn negotiation<T>(
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
        .map(|o| {
            let day_count = situation
                .as_ref()
                .map_or(DayCount::Days360, |s| s.rate.day_count());
            choice(c, o, day_count)
        })
        .collect();
    let options = choices.into_iter().collect::<Option<Vec<_>>>()?;
    Some(ExampleInput::Negotiation {
        situation: situation?,
        options,
    })
}

pub(super) fn situation_of<T>(
    c: &mut Checker<'_, T>,
    raw: &RawSituation,
    anchor: &S,
    keys: &mut Keys,
) -> Option<engine::Situation> {
    // As in `overdue`: a bad day count hides none of the other faults.
    let day_count = day_count(c, &raw.day_count);
    let checked = day_count.unwrap_or(DayCount::Days360);
    let rate = contract_rate(c, &raw.annual_rate, &raw.daily_rate, anchor, checked, keys);
    let principal = money(c, &raw.principal, "principal", keys);
    let unpaid = optional_money(c, &raw.unpaid_interest, "unpaid_interest", keys);
    let accrued = optional_money(c, &raw.penalty_accrued, "penalty_accrued", keys);
    let penalty = penalty(c, &raw.penalty, anchor, checked, keys);
    day_count?;
    Some(engine::Situation {
        principal: principal?,
        unpaid_interest: unpaid?,
        penalty_accrued: accrued?,
        rate: rate?,
        penalty: penalty?,
    })
}

pub(super) fn choice<T>(
    c: &mut Checker<'_, T>,
    raw: &Spanned<RawOption>,
    day_count: DayCount,
) -> Option<NegotiationChoice> {
    let o = &raw.value;
    let kind = c.one_of(&o.kind, "option kind", &OPTION_KINDS, |s| {
        OPTION_KINDS.iter().position(|k| *k == s)
    })?;
    let name = OPTION_KINDS[kind];
    let allowed = OPTION_KEYS[kind].1;
    let present = ALL_OPTION_KEYS.map(|key| {
        let value = match key {
            "days" => &o.days,
            "months" => &o.months,
            "method" => &o.method,
            "annual_rate" => &o.annual_rate,
            "monthly_fee_rate" => &o.monthly_fee_rate,
            "waive_penalty" => &o.waive_penalty,
            _ => &o.waive_interest,
        };
        (key, value)
    });
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
    let mut keys = Vec::new();
    let waive = |c: &mut Checker<'_, T>| -> Option<Waivers> {
        let penalty = share(c, &o.waive_penalty);
        let interest = share(c, &o.waive_interest);
        Some(Waivers {
            penalty: penalty?,
            interest: interest?,
        })
    };
    let option = match kind {
        0 => NegotiationOption::StayOverdue {
            days: count(c, &o.days, "days", 1, engine::MAX_DAYS, &o.kind, &mut keys)?,
        },
        1 => NegotiationOption::Settle { waivers: waive(c)? },
        2 => {
            let months = count(
                c,
                &o.months,
                "months",
                1,
                engine::MAX_MONTHS,
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
                engine::MAX_MONTHS,
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

pub(super) fn default_label(option: &NegotiationOption) -> String {
    match option {
        NegotiationOption::StayOverdue { days } => format!("继续逾期{days}天"),
        NegotiationOption::Settle { .. } => "一次性结清".into(),
        NegotiationOption::Installment { months, .. } => format!("分{months}期还款"),
        NegotiationOption::Extension { months, .. } => format!("展期{months}个月"),
    }
}
