//! Negotiation options side by side, from one overdue situation: stay overdue,
//! settle now, an installment plan, or an extension (展期), each with what it costs.
//!
//! Owns: the `negotiation` example's semantics (DESIGN.md, "Worked examples"):
//! waivers, the balance they leave, and the per-option totals, cost, first payment,
//! APR and saving. Delegates the arithmetic of staying overdue to `overdue` and of
//! plans to `schedule`. Never uses floats, never panics on input.

use rust_decimal::Decimal;

use super::error::ComputeError;
use super::exact::{add, mul, sub};
use super::money::{Money, check_amount, round_money};
use super::overdue::{OverdueInput, OverdueResult, Penalty, check_share, compute_overdue};
use super::rate::Rate;
use super::schedule::{Method, Schedule, ScheduleInput, build_schedule};

/// The loan as it stands today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Situation {
    pub principal: Money,
    pub unpaid_interest: Money,
    pub penalty_accrued: Money,
    /// The contract rate; carries the day count.
    pub rate: Rate,
    pub penalty: Penalty,
}

/// Shares forgiven by the lender, as fractions in `0..=1` (0.5 for 50%).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Waivers {
    #[serde(with = "super::stored")]
    pub penalty: Decimal,
    #[serde(with = "super::stored")]
    pub interest: Decimal,
}

/// How an installment plan is priced: an interest rate or a monthly fee, never both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Pricing {
    AnnualRate(Rate),
    /// Fraction of the plan's principal charged each month.
    MonthlyFeeRate(#[serde(with = "super::stored")] Decimal),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NegotiationOption {
    StayOverdue {
        days: u32,
    },
    Settle {
        waivers: Waivers,
    },
    /// Defaults per DESIGN.md: `Method::EqualInstallment`, `Pricing::AnnualRate` of 0%.
    Installment {
        months: u32,
        method: Method,
        pricing: Pricing,
        waivers: Waivers,
    },
    /// Interest-first over `months` on the balance after waivers.
    Extension {
        months: u32,
        rate: Rate,
        waivers: Waivers,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionOutcome {
    /// What is owed when the option starts: the waived balance, or for staying
    /// overdue the situation's balance.
    pub balance: Money,
    pub total_paid: Money,
    /// total_paid − situation principal.
    pub cost: Money,
    pub first_payment: Money,
    /// APR in percent (2 places) for installment and extension.
    pub apr: Option<Decimal>,
    /// First option's total_paid − this one's; positive means cheaper.
    pub saving: Money,
    /// The plan behind an installment or extension.
    pub schedule: Option<Schedule>,
    /// The charges behind staying overdue.
    pub overdue: Option<OverdueResult>,
}

/// An option that could not be computed; `index` is its 0-based place in `options`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NegotiationError {
    Situation(ComputeError),
    Option { index: usize, error: ComputeError },
}

/// Evaluates every option against the situation, in order; `saving` is measured
/// against the first option.
pub fn compare_options(
    situation: &Situation,
    options: &[NegotiationOption],
) -> Result<Vec<OptionOutcome>, NegotiationError> {
    check_situation(situation).map_err(NegotiationError::Situation)?;
    let mut outcomes = Vec::with_capacity(options.len());
    for (index, option) in options.iter().enumerate() {
        let outcome = evaluate(situation, option)
            .map_err(|error| NegotiationError::Option { index, error })?;
        outcomes.push(outcome);
    }
    if let Some(baseline) = outcomes.first().map(|o| o.total_paid.amount()) {
        for (index, outcome) in outcomes.iter_mut().enumerate() {
            let saving = sub(baseline, outcome.total_paid.amount())
                .map_err(|error| NegotiationError::Option { index, error })?;
            outcome.saving = Money::new(saving);
        }
    }
    Ok(outcomes)
}

fn check_situation(situation: &Situation) -> Result<(), ComputeError> {
    check_amount("principal", situation.principal, false)?;
    check_amount("unpaid_interest", situation.unpaid_interest, true)?;
    check_amount("penalty_accrued", situation.penalty_accrued, true)?;
    situation
        .penalty
        .annual_fraction(&situation.rate)
        .map(|_| ())
}

/// One option, with `saving` left at zero for [`compare_options`] to fill in.
fn evaluate(
    situation: &Situation,
    option: &NegotiationOption,
) -> Result<OptionOutcome, ComputeError> {
    match *option {
        NegotiationOption::StayOverdue { days } => {
            // No 复利 here: a situation states no compound flag, so this uses the
            // overdue default (false), and unpaid interest and accrued penalty stay
            // flat. Where the contract compounds, the true cost is higher still.
            let overdue = compute_overdue(&OverdueInput {
                principal: situation.principal,
                rate: situation.rate,
                days,
                penalty: situation.penalty,
                unpaid_interest: situation.unpaid_interest,
                compound: false,
            })?;
            let balance = add(
                add(
                    situation.principal.amount(),
                    situation.unpaid_interest.amount(),
                )?,
                situation.penalty_accrued.amount(),
            )?;
            let total = add(
                overdue.total_due.amount(),
                situation.penalty_accrued.amount(),
            )?;
            paid_at_once(situation, balance, total, Some(overdue))
        }
        NegotiationOption::Settle { waivers } => {
            let balance = waived_balance(situation, waivers)?;
            paid_at_once(situation, balance, balance, None)
        }
        NegotiationOption::Installment {
            months,
            method,
            pricing,
            waivers,
        } => {
            let (rate, monthly_fee_rate) = match pricing {
                Pricing::AnnualRate(rate) => (rate, Decimal::ZERO),
                Pricing::MonthlyFeeRate(fee) => (Rate::zero(situation.rate.day_count()), fee),
            };
            planned(situation, waivers, months, method, rate, monthly_fee_rate)
        }
        NegotiationOption::Extension {
            months,
            rate,
            waivers,
        } => planned(
            situation,
            waivers,
            months,
            Method::InterestFirst,
            rate,
            Decimal::ZERO,
        ),
    }
}

fn paid_at_once(
    situation: &Situation,
    balance: Decimal,
    total: Decimal,
    overdue: Option<OverdueResult>,
) -> Result<OptionOutcome, ComputeError> {
    Ok(OptionOutcome {
        balance: Money::new(balance),
        total_paid: Money::new(total),
        cost: Money::new(sub(total, situation.principal.amount())?),
        first_payment: Money::new(total),
        apr: None,
        saving: Money::ZERO,
        schedule: None,
        overdue,
    })
}

fn planned(
    situation: &Situation,
    waivers: Waivers,
    months: u32,
    method: Method,
    rate: Rate,
    monthly_fee_rate: Decimal,
) -> Result<OptionOutcome, ComputeError> {
    let balance = waived_balance(situation, waivers)?;
    let schedule = build_schedule(&ScheduleInput {
        principal: Money::new(balance),
        rate,
        months,
        method,
        monthly_fee_rate,
        upfront_fee: Money::ZERO,
    })?;
    let first_payment = schedule.rows.first().map_or(Money::ZERO, |row| row.payment);
    Ok(OptionOutcome {
        balance: Money::new(balance),
        total_paid: schedule.total_paid,
        cost: Money::new(sub(
            schedule.total_paid.amount(),
            situation.principal.amount(),
        )?),
        first_payment,
        apr: Some(schedule.apr),
        saving: Money::ZERO,
        schedule: Some(schedule),
        overdue: None,
    })
}

/// principal + round(unpaid_interest × (1 − waive_interest))
///           + round(penalty_accrued × (1 − waive_penalty)).
pub fn waived_balance(situation: &Situation, waivers: Waivers) -> Result<Decimal, ComputeError> {
    let full = "between 0% and 100%";
    check_share(
        "waive_interest",
        waivers.interest,
        Decimal::ONE,
        "waive_interest",
        full,
    )?;
    check_share(
        "waive_penalty",
        waivers.penalty,
        Decimal::ONE,
        "waive_penalty",
        full,
    )?;
    let kept = |amount: Money, waived: Decimal| -> Result<Decimal, ComputeError> {
        Ok(round_money(mul(
            amount.amount(),
            sub(Decimal::ONE, waived)?,
        )?))
    };
    let interest = kept(situation.unpaid_interest, waivers.interest)?;
    let penalty = kept(situation.penalty_accrued, waivers.penalty)?;
    add(add(situation.principal.amount(), interest)?, penalty)
}

#[cfg(test)]
mod tests;
