//! Single example inputs: day count, rates, penalties, amounts, counts,
//! methods, waiver shares and flags, each read through the engine's own
//! parsers and reported at its key.

use super::*;
use crate::vocabulary::METHODS;

pub(super) fn day_count<T>(c: &mut Checker<'_, T>, s: &Option<S>) -> Option<DayCount> {
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

pub(super) fn contract_rate<T>(
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

pub(super) fn rate<T>(
    c: &mut Checker<'_, T>,
    s: &S,
    field: RateField,
    day_count: DayCount,
    key: &'static str,
    keys: &mut Keys,
) -> Option<Rate> {
    keys.push((key.into(), c.doc.at(s)));
    match engine::parse_rate(&s.value).and_then(|p| p.into_rate(field, day_count)) {
        Ok(r) => Some(r),
        Err(e) => {
            c.error("bad-rate", s, e.message().to_string(), e.help().to_string());
            None
        }
    }
}

pub(super) fn fee_rate<T>(
    c: &mut Checker<'_, T>,
    s: &Option<S>,
    keys: &mut Keys,
) -> Option<Decimal> {
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

pub(super) fn penalty<T>(
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
            keys.push(("penalty".into(), c.doc.at(m)));
            match engine::parse_percent(&m.value) {
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

pub(super) fn money<T>(
    c: &mut Checker<'_, T>,
    s: &S,
    key: &'static str,
    keys: &mut Keys,
) -> Option<Money> {
    keys.push((key.into(), c.doc.at(s)));
    reported(c, s, "bad-amount", engine::parse_money(&s.value))
}

/// An engine parse result; a failure is reported at `s` with the engine's help.
pub(super) fn reported<T, V>(
    c: &mut Checker<'_, T>,
    s: &S,
    code: &'static str,
    result: Result<V, engine::InputError>,
) -> Option<V> {
    result
        .map_err(|e| c.error(code, s, e.message().to_string(), e.help().to_string()))
        .ok()
}

pub(super) fn required_money<T>(
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

pub(super) fn optional_money<T>(
    c: &mut Checker<'_, T>,
    s: &Option<S>,
    key: &'static str,
    keys: &mut Keys,
) -> Option<Money> {
    let Some(s) = s else { return Some(Money::ZERO) };
    keys.push((key.into(), c.doc.at(s)));
    reported(
        c,
        s,
        "bad-amount",
        engine::parse_non_negative_money(&s.value),
    )
}

pub(super) fn count<T>(
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
    keys.push((key.into(), c.doc.at(s)));
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

pub(super) fn method<T>(c: &mut Checker<'_, T>, s: &Option<S>) -> Option<Method> {
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

pub(super) fn share<T>(c: &mut Checker<'_, T>, s: &Option<S>) -> Option<Decimal> {
    let Some(s) = s else {
        return Some(Decimal::ZERO);
    };
    match engine::parse_percent(&s.value) {
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

pub(super) fn flag<T>(c: &mut Checker<'_, T>, s: &Option<S>) -> Option<bool> {
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
