//! The cost of staying overdue for a number of days: contract interest, 罚息
//! (penalty interest) and, when the contract says so, 复利 on unpaid interest.
//!
//! Owns: the `overdue` example's semantics (DESIGN.md, "Worked examples"). Each
//! line item is rounded once, with [`round_money`]; intermediate values keep full
//! precision. Never uses floats, never panics on input: ranges are checked first and
//! arithmetic is checked.

use rust_decimal::Decimal;

use super::error::ComputeError;
use super::exact::{add, div, mul};
use super::money::{Money, check_amount, round_money};
use super::rate::{MAX_ANNUAL, Rate, format_fraction_as_percent};

pub const MAX_DAYS: u32 = 36_500;

const ANNUAL_RANGE: &str = "between 0% and 1000% a year";

/// How the penalty rate (罚息) is stated. Values are fractions (`0.5` for 50%).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Penalty {
    /// A penalty rate per day, e.g. 0.025%/day.
    DailyRate(#[serde(with = "super::stored")] Decimal),
    /// A penalty rate per year, converted with the contract rate's day count.
    AnnualRate(#[serde(with = "super::stored")] Decimal),
    /// An extra rate as a fraction of the contract rate (微粒贷: 50%).
    Markup(#[serde(with = "super::stored")] Decimal),
}

impl Penalty {
    /// The penalty as an annual fraction under `contract`'s day count. Staying
    /// annual keeps `amount × annual × days / day_count` to a single division, so
    /// an exact half cent still rounds up.
    pub(crate) fn annual_fraction(self, contract: &Rate) -> Result<Decimal, ComputeError> {
        let annual = match self {
            Penalty::DailyRate(daily) => mul(daily, contract.day_count().decimal())?,
            Penalty::AnnualRate(annual) => annual,
            Penalty::Markup(markup) => {
                check_share(
                    "penalty",
                    markup,
                    MAX_ANNUAL,
                    "the markup",
                    "between 0% and 1000% of the contract rate",
                )?;
                mul(contract.annual(), markup)?
            }
        };
        check_share(
            "penalty",
            annual,
            MAX_ANNUAL,
            "the penalty rate",
            ANNUAL_RANGE,
        )?;
        Ok(annual)
    }
}

/// Checks a fraction is in `0..=max`; `range` says the same in words for the message.
pub(crate) fn check_share(
    field: &'static str,
    value: Decimal,
    max: Decimal,
    what: &str,
    range: &str,
) -> Result<(), ComputeError> {
    if value < Decimal::ZERO || value > max {
        return Err(ComputeError::invalid(
            field,
            format!(
                "{what} must be {range}, not {}",
                format_fraction_as_percent(value, 6)
            ),
            "write a percentage such as `50%` or a fraction such as `0.5`",
        ));
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OverdueInput {
    pub principal: Money,
    /// The contract rate; its day count converts annual and daily rates.
    pub rate: Rate,
    pub days: u32,
    pub penalty: Penalty,
    /// Interest already due and unpaid; only charged further when `compound`.
    pub unpaid_interest: Money,
    pub compound: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverdueResult {
    /// principal × daily × days, rounded.
    pub interest: Money,
    /// principal × penalty_daily × days, rounded.
    pub penalty: Money,
    /// unpaid_interest × (daily + penalty_daily) × days if compound, else 0, rounded.
    pub compound: Money,
    /// interest + penalty + compound (the rounded items).
    pub total_charges: Money,
    /// principal + unpaid_interest + total_charges.
    pub total_due: Money,
    /// Contract daily rate, unrounded, for display.
    pub daily_rate: Decimal,
    /// Penalty daily rate, unrounded, for display.
    pub penalty_daily_rate: Decimal,
}

pub fn compute_overdue(input: &OverdueInput) -> Result<OverdueResult, ComputeError> {
    check_amount("principal", input.principal, false)?;
    check_amount("unpaid_interest", input.unpaid_interest, true)?;
    check_days(input.days)?;
    let day_count = input.rate.day_count().decimal();
    let annual = input.rate.annual();
    let penalty_annual = input.penalty.annual_fraction(&input.rate)?;
    let days = Decimal::from(input.days);
    let accrue = |amount: Money, annual: Decimal| -> Result<Decimal, ComputeError> {
        let product = mul(mul(amount.amount(), annual)?, days)?;
        Ok(round_money(div(product, day_count)?))
    };

    let interest = accrue(input.principal, annual)?;
    let penalty = accrue(input.principal, penalty_annual)?;
    let compound = if input.compound {
        accrue(input.unpaid_interest, add(annual, penalty_annual)?)?
    } else {
        Decimal::ZERO
    };
    let total_charges = add(add(interest, penalty)?, compound)?;
    let total_due = add(
        add(input.principal.amount(), input.unpaid_interest.amount())?,
        total_charges,
    )?;
    Ok(OverdueResult {
        interest: Money::new(interest),
        penalty: Money::new(penalty),
        compound: Money::new(compound),
        total_charges: Money::new(total_charges),
        total_due: Money::rounded(total_due),
        daily_rate: input.rate.daily(),
        penalty_daily_rate: div(penalty_annual, day_count)?,
    })
}

fn check_days(days: u32) -> Result<(), ComputeError> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ComputeError::invalid(
            "days",
            format!("days must be between 1 and {MAX_DAYS}, not {days}"),
            "count calendar days overdue, e.g. `days: 30`",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
