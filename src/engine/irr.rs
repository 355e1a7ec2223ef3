//! The true cost of a repayment plan: the monthly internal rate of return (IRR) of
//! the cash received against the payments, and from it the APR (IRR × 12, as PBOC
//! Announcement 〔2021〕No. 3 asks) and the effective annual rate ((1 + IRR)^12 − 1).
//!
//! Owns: root finding in `Decimal` (bisection on a bracket that is widened until it
//! holds the root). Never uses floats; a plan that costs nothing is exactly 0 without
//! any iteration. The root is a pure function of the cash and the payments, so it is
//! remembered ([`Memo`]): sites repeat the same plans, and `serve` recomputes every
//! guide on each edit.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use rust_decimal::Decimal;

use super::error::ComputeError;
use super::exact::{add, div, mul, powi, sub, sum};
use super::money::round_money;

/// Relative width at which bisection stops: far below the 10 significant digits owed.
const TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 16);
const MAX_STEPS: u32 = 400;

/// The cost of a plan as rates. Percentages are in percent (13.03 means 13.03%).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CostRates {
    /// Monthly IRR as a fraction, unrounded (0.01086185… for 1.086185%).
    pub monthly_irr: Decimal,
    /// IRR × 12 × 100, unrounded.
    pub apr_exact: Decimal,
    /// `apr_exact` rounded half-up to 2 places.
    pub apr: Decimal,
    /// ((1 + IRR)^12 − 1) × 100, unrounded.
    pub effective_exact: Decimal,
    /// `effective_exact` rounded half-up to 2 places.
    pub effective: Decimal,
}

/// Annualises a monthly IRR. Percentages to 2 places use the money rounding: both
/// are half-up to 0.01.
pub fn cost_rates(monthly_irr: Decimal) -> Result<CostRates, ComputeError> {
    let apr_exact = mul(mul(monthly_irr, Decimal::from(12))?, Decimal::ONE_HUNDRED)?;
    let growth = powi(add(Decimal::ONE, monthly_irr)?, 12)?;
    let effective_exact = mul(sub(growth, Decimal::ONE)?, Decimal::ONE_HUNDRED)?;
    Ok(CostRates {
        monthly_irr,
        apr_exact,
        apr: round_money(apr_exact),
        effective_exact,
        effective: round_money(effective_exact),
    })
}

/// The monthly rate `i` at which the payments (one a month, the first a month after
/// the money is received) are worth exactly `cash_received`:
/// `cash_received = Σ payment_k / (1 + i)^k`.
///
/// Payments must be ≥ 0 and add up to at least `cash_received` (a plan never costs
/// less than nothing); equal totals give exactly 0.
pub fn monthly_irr(cash_received: Decimal, payments: &[Decimal]) -> Result<Decimal, ComputeError> {
    let irr_error = |message: &str| {
        ComputeError::invalid(
            "payments",
            message.to_string(),
            "the cash received must be positive and the payments must repay at least that much",
        )
    };
    if cash_received <= Decimal::ZERO {
        return Err(irr_error("the cash received must be greater than 0"));
    }
    if payments
        .iter()
        .any(|p| p.is_sign_negative() && !p.is_zero())
    {
        return Err(irr_error("a payment is negative"));
    }
    let total = sum(payments.iter().copied())?;
    if total == cash_received {
        return Ok(Decimal::ZERO);
    }
    if total < cash_received {
        return Err(irr_error(
            "the payments add up to less than the cash received",
        ));
    }

    let key = Memo::key(cash_received, payments);
    if let Some(irr) = Memo::get(&key) {
        return Ok(irr);
    }
    let irr = bisect(cash_received, payments)?;
    Memo::put(key, irr);
    Ok(irr)
}

/// The root of `present_value(payments, i) = cash_received`, which the caller has
/// checked lies above 0.
fn bisect(cash_received: Decimal, payments: &[Decimal]) -> Result<Decimal, ComputeError> {
    // present_value falls as the rate rises; at 0 it is `total` > cash_received.
    let mut low = Decimal::ZERO;
    let mut high = Decimal::ONE;
    let mut widened = 0;
    while present_value(payments, high)? > cash_received {
        low = high;
        high = mul(high, Decimal::TWO)?;
        widened += 1;
        if widened > 120 {
            return Err(ComputeError::Overflow);
        }
    }
    for _ in 0..MAX_STEPS {
        let mid = div(add(low, high)?, Decimal::TWO)?;
        if present_value(payments, mid)? > cash_received {
            low = mid;
        } else {
            high = mid;
        }
        if sub(high, low)? <= mul(high, TOLERANCE)? {
            break;
        }
    }
    div(add(low, high)?, Decimal::TWO)
}

/// Roots already found, keyed by the exact representation of the inputs (scale
/// included: `1.0` and `1.00` are kept apart, so a remembered root is the one the
/// same arithmetic gave). Cleared when full, so it never grows past [`Memo::MAX`].
struct Memo;

impl Memo {
    const MAX: usize = 100_000;

    fn table() -> std::sync::MutexGuard<'static, HashMap<Vec<u8>, Decimal>> {
        static TABLE: OnceLock<Mutex<HashMap<Vec<u8>, Decimal>>> = OnceLock::new();
        let table = TABLE.get_or_init(Mutex::default);
        // A poisoned lock only means a thread panicked between two whole
        // operations on the map; it is still consistent.
        table.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn key(cash_received: Decimal, payments: &[Decimal]) -> Vec<u8> {
        std::iter::once(&cash_received)
            .chain(payments)
            .flat_map(|d| d.serialize())
            .collect()
    }

    fn get(key: &[u8]) -> Option<Decimal> {
        Self::table().get(key).copied()
    }

    fn put(key: Vec<u8>, irr: Decimal) {
        let mut table = Self::table();
        if table.len() >= Self::MAX {
            table.clear();
        }
        table.insert(key, irr);
    }
}

/// Σ payment_k × v^k with v = 1 / (1 + rate); v^k shrinks, so no step overflows.
fn present_value(payments: &[Decimal], rate: Decimal) -> Result<Decimal, ComputeError> {
    let discount = div(Decimal::ONE, add(Decimal::ONE, rate)?)?;
    let mut factor = Decimal::ONE;
    let mut value = Decimal::ZERO;
    for payment in payments {
        factor = mul(factor, discount)?;
        value = add(value, mul(*payment, factor)?)?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests;
