//! Interest rates: the typed [`Rate`] (an annual fraction plus its [`DayCount`]),
//! reading rates as contributors write them, and showing them as percentages.
//!
//! Owns: every accepted rate spelling (`18%`, `0.05%`, `0.0005`, `5‱`,
//! `日利率万分之五`, `月利率1%`, `年化18%`, …), how a spelling is read for a given
//! field ([`RateField`]), and the 0–1000%-a-year range. Never uses floats, never
//! guesses a unit silently: a bare number is a fraction, and a bare number of 1 or
//! more is rejected with a hint, because `18` almost always means `18%`.

use rust_decimal::Decimal;

use super::error::InputError;
use super::money::round_half_up;

/// The help line of every rate error: the accepted forms, exactly.
pub const RATE_FORMS_HELP: &str =
    "accepted forms: `18%`, `0.05%`, `0.0005`, `5‱`, `日利率万分之五`, `月利率1%`, `年化18%`";

/// Highest accepted annual rate, as a fraction: 1000% a year.
pub const MAX_ANNUAL: Decimal = Decimal::TEN;

/// Days in the interest year: 日利率 = 年利率 / 360 (the RMB default) or / 365.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum DayCount {
    #[default]
    Days360,
    Days365,
}

impl DayCount {
    pub fn from_days(days: u32) -> Result<DayCount, InputError> {
        match days {
            360 => Ok(DayCount::Days360),
            365 => Ok(DayCount::Days365),
            other => Err(InputError::new(
                format!("day_count must be 360 or 365, not {other}"),
                "360 is the RMB convention (日利率 = 年利率/360); 365 when the lender says so",
            )),
        }
    }

    pub fn days(self) -> u32 {
        match self {
            DayCount::Days360 => 360,
            DayCount::Days365 => 365,
        }
    }

    pub(crate) fn decimal(self) -> Decimal {
        Decimal::from(self.days())
    }
}

/// A checked interest rate: annual fraction in `0..=10` (0–1000%) and its day count.
/// The daily and monthly rates are derived once at construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Rate {
    #[serde(with = "super::stored")]
    annual: Decimal,
    #[serde(with = "super::stored")]
    daily: Decimal,
    #[serde(with = "super::stored")]
    monthly: Decimal,
    day_count: DayCount,
}

impl Rate {
    pub fn zero(day_count: DayCount) -> Rate {
        Rate {
            annual: Decimal::ZERO,
            daily: Decimal::ZERO,
            monthly: Decimal::ZERO,
            day_count,
        }
    }

    pub fn from_annual(annual: Decimal, day_count: DayCount) -> Result<Rate, InputError> {
        if annual.is_sign_negative() && !annual.is_zero() {
            return Err(InputError::new(
                format!(
                    "a rate cannot be negative ({})",
                    format_fraction_as_percent(annual, 6)
                ),
                RATE_FORMS_HELP,
            ));
        }
        if annual > MAX_ANNUAL {
            return Err(too_high(annual));
        }
        // annual ≤ 10 and the divisors are 12, 360 or 365, so these cannot fail;
        // checked anyway so no input can reach a panic.
        let daily = annual.checked_div(day_count.decimal());
        let monthly = annual.checked_div(Decimal::from(12));
        match (daily, monthly) {
            (Some(daily), Some(monthly)) => Ok(Rate {
                annual,
                daily,
                monthly,
                day_count,
            }),
            _ => Err(too_high(annual)),
        }
    }

    /// A monthly rate (月利率) becomes annual × 12.
    pub fn from_monthly(monthly: Decimal, day_count: DayCount) -> Result<Rate, InputError> {
        let annual = monthly
            .checked_mul(Decimal::from(12))
            .ok_or_else(|| too_high(monthly))?;
        Rate::from_annual(annual, day_count)
    }

    /// A daily rate (日利率) becomes annual × day_count (0.05%/day = 18% on 360).
    pub fn from_daily(daily: Decimal, day_count: DayCount) -> Result<Rate, InputError> {
        let annual = daily
            .checked_mul(day_count.decimal())
            .ok_or_else(|| too_high(daily))?;
        Rate::from_annual(annual, day_count)
    }

    pub fn annual(&self) -> Decimal {
        self.annual
    }

    /// annual / day_count, at full precision.
    pub fn daily(&self) -> Decimal {
        self.daily
    }

    /// annual / 12, at full precision.
    pub fn monthly(&self) -> Decimal {
        self.monthly
    }

    pub fn day_count(&self) -> DayCount {
        self.day_count
    }
}

fn too_high(annual: Decimal) -> InputError {
    InputError::new(
        format!(
            "rate {} a year is above the 1000% a year this tool accepts; check the unit",
            format_fraction_as_percent(annual, 4)
        ),
        format!("a bare number is a fraction (0.18 means 18%); {RATE_FORMS_HELP}"),
    )
}

/// The period a rate's wording names, if any (`年化`/`年利率`, `月利率`, `日利率`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RateBasis {
    Annual,
    Monthly,
    Daily,
    /// No wording: the field the rate is written under decides.
    Unspecified,
}

/// A rate as written: a fraction (`18%` → 0.18) and the period its wording names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParsedRate {
    pub basis: RateBasis,
    pub fraction: Decimal,
}

/// The example key a rate is written under; it gives unworded rates their period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RateField {
    /// `annual_rate`: accepts `年化…`/`年利率…`, and `月利率…` (converted × 12).
    AnnualRate,
    /// `daily_rate`: accepts `日利率…` only.
    DailyRate,
    /// `monthly_fee_rate`: accepts `月利率…` only.
    MonthlyFeeRate,
}

impl RateField {
    fn key(self) -> &'static str {
        match self {
            RateField::AnnualRate => "annual_rate",
            RateField::DailyRate => "daily_rate",
            RateField::MonthlyFeeRate => "monthly_fee_rate",
        }
    }
}

impl ParsedRate {
    /// Reads the rate for `field`. A worded period that contradicts the field is an
    /// error, except a monthly rate under `annual_rate`, which is exactly × 12. A
    /// daily rate under `annual_rate` is refused rather than converted, so the
    /// conversion always shows up as an explicit `daily_rate` with its day_count.
    pub fn into_rate(self, field: RateField, day_count: DayCount) -> Result<Rate, InputError> {
        use RateBasis as B;
        use RateField as F;
        match (field, self.basis) {
            (F::AnnualRate, B::Annual | B::Unspecified) => {
                Rate::from_annual(self.fraction, day_count)
            }
            (F::AnnualRate, B::Monthly) => Rate::from_monthly(self.fraction, day_count),
            (F::DailyRate, B::Daily | B::Unspecified) => Rate::from_daily(self.fraction, day_count),
            (F::MonthlyFeeRate, B::Monthly | B::Unspecified) => {
                Rate::from_monthly(self.fraction, day_count)
            }
            (_, basis) => Err(contradiction(field, basis)),
        }
    }
}

fn contradiction(field: RateField, basis: RateBasis) -> InputError {
    let (worded, key) = match basis {
        RateBasis::Annual => ("an annual rate (年化/年利率)", "annual_rate"),
        RateBasis::Monthly => ("a monthly rate (月利率)", "annual_rate"),
        RateBasis::Daily => ("a daily rate (日利率)", "daily_rate"),
        RateBasis::Unspecified => ("a rate", field.key()),
    };
    InputError::new(
        format!("`{}` is given {worded}", field.key()),
        format!("write it under `{key}`, or drop the wording; {RATE_FORMS_HELP}"),
    )
}

const PREFIXES: [(&str, RateBasis); 5] = [
    ("年化利率", RateBasis::Annual),
    ("年化", RateBasis::Annual),
    ("年利率", RateBasis::Annual),
    ("月利率", RateBasis::Monthly),
    ("日利率", RateBasis::Daily),
];

/// Parses a rate as written. See [`RATE_FORMS_HELP`]; also `百分之18`, `千分之2`,
/// `万分之2.1`, `万分之二点一`, `3‰` and the full-width `％`.
pub fn parse_rate(input: &str) -> Result<ParsedRate, InputError> {
    let text = input.trim();
    let (basis, rest) = PREFIXES
        .iter()
        .find_map(|(prefix, basis)| text.strip_prefix(prefix).map(|rest| (*basis, rest)))
        .unwrap_or((RateBasis::Unspecified, text));
    let fraction = parse_fraction(rest.trim()).map_err(|why| {
        InputError::new(
            format!("cannot read `{text}` as a rate: {why}"),
            RATE_FORMS_HELP,
        )
    })?;
    Ok(ParsedRate { basis, fraction })
}

/// Parses a share written as a percentage or a fraction: `50%`, `0.5`, `100%`.
/// Used for waivers and penalty markups; the caller checks the range.
pub fn parse_percent(input: &str) -> Result<Decimal, InputError> {
    let help = "write a percentage such as `50%` or `100%`, or a fraction such as `0.5`";
    let text = input.trim();
    parse_fraction(text).map_err(|why| {
        InputError::new(format!("cannot read `{text}` as a percentage: {why}"), help)
    })
}

/// The number part of a rate or share, as a fraction.
fn parse_fraction(text: &str) -> Result<Decimal, String> {
    if text.is_empty() {
        return Err("there is no number".to_string());
    }
    if text.starts_with('-') || text.starts_with('负') {
        return Err("it cannot be negative".to_string());
    }
    let scaled = [("万分之", 10_000u32), ("千分之", 1_000), ("百分之", 100)]
        .iter()
        .find_map(|(word, scale)| text.strip_prefix(word).map(|rest| (rest, *scale)));
    if let Some((rest, scale)) = scaled {
        let value = plain_number(rest).or_else(|| chinese_number(rest));
        let value = value.ok_or_else(|| format!("`{rest}` is not a number"))?;
        return scale_down(value, scale);
    }
    let suffixed = [('%', 100u32), ('％', 100), ('‰', 1_000), ('‱', 10_000)]
        .iter()
        .find_map(|(sign, scale)| text.strip_suffix(*sign).map(|rest| (rest, *scale)));
    if let Some((rest, scale)) = suffixed {
        let value = plain_number(rest.trim_end())
            .ok_or_else(|| format!("`{rest}` is not a plain number"))?;
        return scale_down(value, scale);
    }
    let value =
        plain_number(text).ok_or_else(|| "it is not one of the accepted forms".to_string())?;
    if value >= Decimal::ONE {
        return Err(format!(
            "a bare number is a fraction, so `{text}` would mean {}; did you mean `{text}%`?",
            format_fraction_as_percent(value, 4)
        ));
    }
    Ok(value)
}

fn scale_down(value: Decimal, scale: u32) -> Result<Decimal, String> {
    value
        .checked_div(Decimal::from(scale))
        .ok_or_else(|| format!("`{value}` has too many digits"))
}

/// ASCII digits with an optional decimal part; no sign, exponent, commas or spaces.
fn plain_number(text: &str) -> Option<Decimal> {
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int_part) || frac_part.is_some_and(|f| !digits(f)) {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}

/// Small Chinese numerals as used in rates: `五`, `十`, `十五`, `二十一`, `二点一`.
fn chinese_number(text: &str) -> Option<Decimal> {
    fn digit(c: char) -> Option<u32> {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
            .or(match c {
                '〇' => Some(0),
                '两' => Some(2),
                _ => None,
            })
    }
    let (int_part, frac_part) = match text.split_once('点') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let chars: Vec<char> = int_part.chars().collect();
    let whole = match chars.as_slice() {
        [d] if *d != '十' => digit(*d)?,
        ['十'] => 10,
        ['十', ones] => 10 + digit(*ones)?,
        [tens, '十'] => digit(*tens)? * 10,
        [tens, '十', ones] => digit(*tens)? * 10 + digit(*ones)?,
        _ => return None,
    };
    let mut written = whole.to_string();
    if let Some(frac) = frac_part {
        if frac.is_empty() {
            return None;
        }
        written.push('.');
        for c in frac.chars() {
            written.push(char::from_digit(digit(c)?, 10)?);
        }
    }
    Decimal::from_str_exact(&written).ok()
}

/// A fraction shown as a percentage with up to `max_places` decimals, trailing zeros
/// dropped: 0.18 → `18%`, 0.0005 → `0.05%`, 0.18/365 at 6 places → `0.049315%`.
pub fn format_fraction_as_percent(fraction: Decimal, max_places: u32) -> String {
    let percent = fraction
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|p| round_half_up(p, max_places).normalize());
    match percent {
        Some(p) => format!("{p}%"),
        None => format!("{fraction} (as a fraction)"),
    }
}

/// A percentage value shown with exactly 2 decimals: 13.0342 → `13.03%`.
pub fn format_percent(percent: Decimal) -> String {
    let mut rounded = round_half_up(percent, 2);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    format!("{rounded:.2}%")
}

#[cfg(test)]
mod tests;
