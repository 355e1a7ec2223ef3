//! Checked `Decimal` arithmetic for the engine: every operation that could leave
//! `Decimal`'s range returns [`ComputeError::Overflow`] instead of panicking.
//!
//! Owns: add, sub, mul, div and integer powers. Never rounds to cents (that is
//! `money::round_money`), never uses floats.

use rust_decimal::Decimal;

use super::error::ComputeError;

pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, ComputeError> {
    a.checked_add(b).ok_or(ComputeError::Overflow)
}

pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, ComputeError> {
    a.checked_sub(b).ok_or(ComputeError::Overflow)
}

pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ComputeError> {
    a.checked_mul(b).ok_or(ComputeError::Overflow)
}

/// Division; a zero divisor is reported as overflow because callers only divide by
/// values they have shown to be non-zero, so reaching it means a value blew up.
pub(crate) fn div(a: Decimal, b: Decimal) -> Result<Decimal, ComputeError> {
    a.checked_div(b).ok_or(ComputeError::Overflow)
}

/// `base^exp` by repeated multiplication, so the result matches a hand calculation
/// step for step (exp ≤ 600 in this engine, so the loop is short).
pub(crate) fn powi(base: Decimal, exp: u32) -> Result<Decimal, ComputeError> {
    let mut acc = Decimal::ONE;
    for _ in 0..exp {
        acc = mul(acc, base)?;
    }
    Ok(acc)
}

pub(crate) fn sum(values: impl IntoIterator<Item = Decimal>) -> Result<Decimal, ComputeError> {
    values.into_iter().try_fold(Decimal::ZERO, add)
}
