//! Money: CNY amounts as exact `Decimal`s, the one rounding rule, amount parsing
//! and amount display.
//!
//! Owns: [`Money`], [`round_money`] (the only place cents are rounded: half-up,
//! 四舍五入), [`parse_money`] and the range checks every example input goes through.
//! Never uses floats, never rounds anywhere else, never formats for a template
//! beyond plain strings (`"10000.00"`, `"10,000.00"`).

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use super::error::{ComputeError, InputError};

/// Amounts must be below 10^12 yuan (一万亿).
pub const MONEY_LIMIT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

const MONEY_HELP: &str = "write yuan with at most 2 decimals, e.g. `84793.03`, `10000` or `10,000`";

/// An amount of CNY. Inputs keep the precision they were written with; outputs of
/// the engine are always built with [`Money::rounded`], so they are whole cents.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Money(#[serde(with = "super::stored")] Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Wraps an amount as is (no rounding).
    pub fn new(amount: Decimal) -> Money {
        Money(amount)
    }

    /// Wraps an amount rounded half-up to the cent.
    pub fn rounded(amount: Decimal) -> Money {
        Money(round_money(amount))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// `"10000.00"`: rounded to the cent, always two decimals, no grouping.
    pub fn to_plain_string(self) -> String {
        format!("{:.2}", cents(self.0))
    }

    /// `"10,000.00"`: like [`Money::to_plain_string`] with thousands separators.
    pub fn to_grouped_string(self) -> String {
        let plain = self.to_plain_string();
        let (sign, unsigned) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, "00"));
        let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
        for (i, digit) in int_part.chars().enumerate() {
            if i > 0 && (int_part.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        format!("{sign}{grouped}.{frac_part}")
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_plain_string())
    }
}

/// THE rounding of money: half-up (away from zero at the midpoint, 四舍五入) to 0.01.
pub fn round_money(value: Decimal) -> Decimal {
    round_half_up(value, 2)
}

/// Half-up rounding to `places` decimals; [`round_money`] is this at 2 places. Used
/// elsewhere only for showing rates with more decimals than cents.
pub fn round_half_up(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounded to the cent, with a zero never shown as `-0.00`.
fn cents(value: Decimal) -> Decimal {
    let mut rounded = round_money(value);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

/// Parses a positive amount: `84793.03`, `10000`, `10,000`, `1,234,567.5`.
/// Rejects zero, negatives, ≥ 10^12, exponents, more than 2 decimals and anything
/// that is not plain digits.
pub fn parse_money(input: &str) -> Result<Money, InputError> {
    let amount = parse_amount(input)?;
    if amount.is_zero() {
        return Err(InputError::new(
            format!("amount `{}` must be greater than 0", input.trim()),
            MONEY_HELP,
        ));
    }
    Ok(Money(amount))
}

/// Like [`parse_money`] but accepts 0, for `unpaid_interest`, `penalty_accrued`
/// and `upfront_fee`.
pub fn parse_non_negative_money(input: &str) -> Result<Money, InputError> {
    parse_amount(input).map(Money)
}

fn parse_amount(input: &str) -> Result<Decimal, InputError> {
    let text = input.trim();
    let unreadable = |why: &str| {
        InputError::new(
            format!("cannot read `{text}` as an amount of yuan: {why}"),
            MONEY_HELP,
        )
    };
    if text.is_empty() {
        return Err(unreadable("it is empty"));
    }
    if text.starts_with('-') {
        return Err(unreadable("amounts cannot be negative"));
    }
    let (int_part, frac_part) = match text.split_once('.') {
        Some((int_part, frac_part)) => (int_part, Some(frac_part)),
        None => (text, None),
    };
    let digits = ungroup(int_part).ok_or_else(|| {
        unreadable("use digits, optionally grouped by commas in threes (`10,000`)")
    })?;
    let mut plain = digits;
    if let Some(frac) = frac_part {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unreadable("digits must follow the decimal point"));
        }
        if frac.len() > 2 {
            return Err(unreadable("an amount has at most 2 decimals (分)"));
        }
        plain.push('.');
        plain.push_str(frac);
    }
    let too_large = || {
        InputError::new(
            format!("amount `{text}` must be less than 1,000,000,000,000"),
            MONEY_HELP,
        )
    };
    let amount = Decimal::from_str_exact(&plain).map_err(|_| too_large())?;
    if amount >= MONEY_LIMIT {
        return Err(too_large());
    }
    Ok(amount)
}

/// Removes thousands separators from an integer part, checking they group by three.
fn ungroup(int_part: &str) -> Option<String> {
    let groups: Vec<&str> = int_part.split(',').collect();
    let first_ok = groups
        .first()
        .is_some_and(|g| !g.is_empty() && (groups.len() == 1 || g.len() <= 3));
    let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
    let digits_ok = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    (first_ok && rest_ok && digits_ok).then(|| groups.concat())
}

/// Checks an engine input amount: `> 0` (or `≥ 0` with `allow_zero`) and `< 10^12`.
pub(crate) fn check_amount(
    field: &'static str,
    amount: Money,
    allow_zero: bool,
) -> Result<(), ComputeError> {
    let value = amount.amount();
    let low_ok = if allow_zero {
        !value.is_sign_negative() || value.is_zero()
    } else {
        value > Decimal::ZERO
    };
    if !low_ok {
        let bound = if allow_zero {
            "0 or more"
        } else {
            "greater than 0"
        };
        return Err(ComputeError::invalid(
            field,
            format!("amount {} must be {bound}", amount.amount()),
            MONEY_HELP,
        ));
    }
    if round_money(value) != value {
        return Err(ComputeError::invalid(
            field,
            format!("amount {value} has more than 2 decimals"),
            MONEY_HELP,
        ));
    }
    if value >= MONEY_LIMIT {
        return Err(ComputeError::invalid(
            field,
            format!(
                "amount {} must be less than 1,000,000,000,000",
                amount.amount()
            ),
            MONEY_HELP,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
