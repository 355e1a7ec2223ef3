//! Repayment plans: one row a month for 等额本息, 等额本金, 先息后本 and
//! 到期一次还本付息, with fees, totals and the plan's APR.
//!
//! Owns: the `schedule` example's semantics (DESIGN.md, "Worked examples"): interest
//! is `round(balance × annual / 12)`, each row item is rounded once with
//! [`round_money`], the last row repays whatever balance is left. Never uses floats,
//! never panics on input.

use rust_decimal::Decimal;

use super::error::ComputeError;
use super::exact::{add, div, mul, powi, sub, sum};
use super::irr::{CostRates, cost_rates, monthly_irr};
use super::money::{Money, check_amount, round_money};
use super::overdue::check_share;
use super::rate::{MAX_ANNUAL, Rate};

pub const MAX_MONTHS: u32 = 600;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Method {
    /// 等额本息: a level payment, round(P·i(1+i)^n / ((1+i)^n − 1)).
    #[default]
    EqualInstallment,
    /// 等额本金: round(P/n) of principal a month plus interest on the balance.
    EqualPrincipal,
    /// 先息后本: interest every month, all principal in the last month.
    InterestFirst,
    /// 到期一次还本付息: principal and interest in the last month; earlier rows
    /// carry only the monthly fee.
    Bullet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScheduleInput {
    pub principal: Money,
    pub rate: Rate,
    pub months: u32,
    pub method: Method,
    /// Fee each month on the original principal, as a fraction (0.006 for 0.6%).
    #[serde(with = "super::stored")]
    pub monthly_fee_rate: Decimal,
    /// Deducted from the cash received (砍头息-style); counted in `total_fees`.
    pub upfront_fee: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based month.
    pub period: u32,
    /// principal + interest + fee.
    pub payment: Money,
    pub principal: Money,
    pub interest: Money,
    pub fee: Money,
    /// Balance after this row's principal.
    pub balance: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub rows: Vec<Row>,
    pub total_interest: Money,
    /// Monthly fees plus the upfront fee.
    pub total_fees: Money,
    pub upfront_fee: Money,
    /// principal − upfront_fee: what the borrower actually gets.
    pub cash_received: Money,
    /// Sum of the monthly payments (the upfront fee is not among them).
    pub total_of_payments: Money,
    /// principal + total_interest + total_fees = total_of_payments + upfront_fee.
    pub total_paid: Money,
    /// APR in percent, 2 places (13.03 for 13.03%).
    pub apr: Decimal,
    /// Effective annual rate in percent, 2 places.
    pub effective_annual_rate: Decimal,
    /// The same rates unrounded, and the monthly IRR.
    pub cost_rates: CostRates,
}

pub fn build_schedule(input: &ScheduleInput) -> Result<Schedule, ComputeError> {
    check_inputs(input)?;
    let principal = input.principal.amount();
    let months = input.months;
    let n = Decimal::from(months);
    let annual = input.rate.annual();
    let twelve = Decimal::from(12);
    let monthly_interest = |balance: Decimal| -> Result<Decimal, ComputeError> {
        Ok(round_money(div(mul(balance, annual)?, twelve)?))
    };
    let monthly_fee = round_money(mul(principal, input.monthly_fee_rate)?);

    let level = match input.method {
        Method::EqualInstallment => Some(level_payment(principal, &input.rate, months)?),
        _ => None,
    };
    let equal_part = round_money(div(principal, n)?);

    let mut rows = Vec::with_capacity(months as usize);
    let mut balance = principal;
    for period in 1..=months {
        let last = period == months;
        let (principal_k, interest_k, fee_k) = match input.method {
            // The fee is charged every month, bullet included: deferring it to
            // maturity would understate the APR. Earlier rows carry the fee alone.
            Method::Bullet if !last => (Decimal::ZERO, Decimal::ZERO, monthly_fee),
            Method::Bullet => {
                // Interest for all n months, rounded once, at maturity.
                let interest = round_money(div(mul(mul(principal, annual)?, n)?, twelve)?);
                (balance, interest, monthly_fee)
            }
            method => {
                let interest = monthly_interest(balance)?;
                let due = match (method, level) {
                    _ if last => balance,
                    (Method::EqualInstallment, Some(payment)) => sub(payment, interest)?,
                    (Method::EqualPrincipal, _) => equal_part,
                    _ => Decimal::ZERO,
                };
                // Never more than the balance: with tiny principals, rounding P/n (or
                // the level payment) up would otherwise repay the loan early and push
                // the balance below zero.
                (due.min(balance), interest, monthly_fee)
            }
        };
        balance = sub(balance, principal_k)?;
        rows.push(Row {
            period,
            payment: Money::new(add(add(principal_k, interest_k)?, fee_k)?),
            principal: Money::new(principal_k),
            interest: Money::new(interest_k),
            fee: Money::new(fee_k),
            balance: Money::new(balance),
        });
    }
    totals(input, rows)
}

fn totals(input: &ScheduleInput, rows: Vec<Row>) -> Result<Schedule, ComputeError> {
    let principal = input.principal.amount();
    let upfront = input.upfront_fee.amount();
    let total_interest = sum(rows.iter().map(|r| r.interest.amount()))?;
    let monthly_fees = sum(rows.iter().map(|r| r.fee.amount()))?;
    let payments: Vec<Decimal> = rows.iter().map(|r| r.payment.amount()).collect();
    let total_of_payments = sum(payments.iter().copied())?;
    let cash_received = sub(principal, upfront)?;
    let rates = cost_rates(monthly_irr(cash_received, &payments)?)?;
    Ok(Schedule {
        total_interest: Money::new(total_interest),
        total_fees: Money::new(add(monthly_fees, upfront)?),
        upfront_fee: input.upfront_fee,
        cash_received: Money::new(cash_received),
        total_of_payments: Money::new(total_of_payments),
        total_paid: Money::new(add(total_of_payments, upfront)?),
        apr: rates.apr,
        effective_annual_rate: rates.effective,
        cost_rates: rates,
        rows,
    })
}

/// round(P·i(1+i)^n / ((1+i)^n − 1)), or round(P/n) at 0%. Computed as
/// P·i·(f/(f−1)) so a large f cannot overflow the product; when f itself leaves
/// `Decimal`'s range (> 7.9e28), f/(f−1) is 1 to 28 digits and the payment is P·i.
fn level_payment(principal: Decimal, rate: &Rate, months: u32) -> Result<Decimal, ComputeError> {
    let i = rate.monthly();
    let growth = powi(add(Decimal::ONE, i)?, months).ok();
    let ratio = match growth {
        Some(f) if f > Decimal::ONE => div(f, sub(f, Decimal::ONE)?)?,
        // (1+i)^n rounds to exactly 1 only for i = 0 or i below 1e-28.
        Some(_) => return Ok(round_money(div(principal, Decimal::from(months))?)),
        None => Decimal::ONE,
    };
    Ok(round_money(mul(mul(principal, i)?, ratio)?))
}

fn check_inputs(input: &ScheduleInput) -> Result<(), ComputeError> {
    check_amount("principal", input.principal, false)?;
    check_amount("upfront_fee", input.upfront_fee, true)?;
    if input.upfront_fee >= input.principal {
        return Err(ComputeError::invalid(
            "upfront_fee",
            format!(
                "the upfront fee {} leaves no cash from the principal {}",
                input.upfront_fee, input.principal
            ),
            "an upfront fee is deducted from the cash received, so it must be less than the principal",
        ));
    }
    if !(1..=MAX_MONTHS).contains(&input.months) {
        return Err(ComputeError::invalid(
            "months",
            format!(
                "months must be between 1 and {MAX_MONTHS}, not {}",
                input.months
            ),
            "give the number of monthly payments, e.g. `months: 12`",
        ));
    }
    let max_monthly = div(MAX_ANNUAL, Decimal::from(12))?;
    check_share(
        "monthly_fee_rate",
        input.monthly_fee_rate,
        max_monthly,
        "the monthly fee rate",
        "between 0% and 1000% a year (83.33% a month)",
    )
}

#[cfg(test)]
mod tests;
