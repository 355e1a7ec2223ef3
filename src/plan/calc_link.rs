//! The calculator link under each worked example ("用你自己的数字算一算"):
//! the example's inputs as the query string `templates/static/calculator.js`
//! reads back into its form (`type=overdue&principal=10000&annual_rate=18%25…`).
//!
//! Owns the query names; rates are written exactly, as percentages of the
//! engine's fractions, so the calculator recomputes the same figures. Never
//! computes a figure.

use rust_decimal::Decimal;

use crate::engine::{Method, NegotiationOption, Penalty, Pricing, Rate, Waivers};
use crate::model::{Example, ExampleInput};

/// `type=…&…`, percent-encoded.
pub fn query(example: &Example) -> String {
    let mut q: Vec<(String, String)> = vec![("type".into(), example.input.type_name().into())];
    let mut put = |k: &str, v: String| q.push((k.to_string(), v));
    match &example.input {
        ExampleInput::Overdue(i) => {
            put("principal", i.principal.amount().to_string());
            rate(&mut put, "annual_rate", &i.rate);
            put("days", i.days.to_string());
            penalty(&mut put, &i.penalty);
            if !i.unpaid_interest.amount().is_zero() {
                put("unpaid_interest", i.unpaid_interest.amount().to_string());
            }
            if i.compound {
                put("compound", "true".into());
            }
        }
        ExampleInput::Schedule(i) => {
            put("principal", i.principal.amount().to_string());
            rate(&mut put, "annual_rate", &i.rate);
            put("months", i.months.to_string());
            put("method", method(i.method).into());
            if !i.monthly_fee_rate.is_zero() {
                put("monthly_fee_rate", percent(i.monthly_fee_rate));
            }
            if !i.upfront_fee.amount().is_zero() {
                put("upfront_fee", i.upfront_fee.amount().to_string());
            }
        }
        ExampleInput::Negotiation { situation, options } => {
            let s = situation;
            put("principal", s.principal.amount().to_string());
            put("unpaid_interest", s.unpaid_interest.amount().to_string());
            put("penalty_accrued", s.penalty_accrued.amount().to_string());
            rate(&mut put, "annual_rate", &s.rate);
            penalty(&mut put, &s.penalty);
            for (n, choice) in options.iter().enumerate() {
                let key = |k: &str| format!("o{}_{k}", n + 1);
                let waivers = |put: &mut dyn FnMut(&str, String), w: &Waivers| {
                    if !w.penalty.is_zero() {
                        put(&key("waive_penalty"), percent(w.penalty));
                    }
                    if !w.interest.is_zero() {
                        put(&key("waive_interest"), percent(w.interest));
                    }
                };
                match &choice.option {
                    NegotiationOption::StayOverdue { days } => {
                        put(&key("kind"), "stay-overdue".into());
                        put(&key("days"), days.to_string());
                    }
                    NegotiationOption::Settle { waivers: w } => {
                        put(&key("kind"), "settle".into());
                        waivers(&mut put, w);
                    }
                    NegotiationOption::Installment {
                        months,
                        method: m,
                        pricing,
                        waivers: w,
                    } => {
                        put(&key("kind"), "installment".into());
                        put(&key("months"), months.to_string());
                        put(&key("method"), method(*m).into());
                        match pricing {
                            Pricing::AnnualRate(r) => put(&key("annual_rate"), percent(r.annual())),
                            Pricing::MonthlyFeeRate(f) => {
                                put(&key("monthly_fee_rate"), percent(*f))
                            }
                        }
                        waivers(&mut put, w);
                    }
                    NegotiationOption::Extension {
                        months,
                        rate: r,
                        waivers: w,
                    } => {
                        put(&key("kind"), "extension".into());
                        put(&key("months"), months.to_string());
                        put(&key("annual_rate"), percent(r.annual()));
                        waivers(&mut put, w);
                    }
                }
            }
        }
    }
    q.iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn rate(put: &mut dyn FnMut(&str, String), key: &str, r: &Rate) {
    put(key, percent(r.annual()));
    if r.day_count().days() != 360 {
        put("day_count", r.day_count().days().to_string());
    }
}

fn penalty(put: &mut dyn FnMut(&str, String), p: &Penalty) {
    match p {
        Penalty::DailyRate(d) => put("penalty_daily_rate", percent(*d)),
        Penalty::AnnualRate(a) => put("penalty_annual_rate", percent(*a)),
        Penalty::Markup(m) => put("penalty_markup", percent(*m)),
    }
}

fn method(m: Method) -> &'static str {
    match m {
        Method::EqualInstallment => "equal-installment",
        Method::EqualPrincipal => "equal-principal",
        Method::InterestFirst => "interest-first",
        Method::Bullet => "bullet",
    }
}

/// A fraction as an exact percentage: 0.18 → `18%`, 0.0005 → `0.05%`.
fn percent(fraction: Decimal) -> String {
    match fraction.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", p.normalize()),
        None => fraction.normalize().to_string(),
    }
}

/// Percent-encoding for a query value: all but unreserved ASCII.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
