//! The engine: the exact money math behind every worked example — the cost of staying
//! overdue, repayment schedules with their APR, and negotiation options side by side.
//!
//! A leaf library: it imports nothing else from the crate (`tests/it/architecture.rs`
//! holds it to that), and every stage may use it. The compute *stage* that runs it
//! over the content's examples is `crate::compute`.
//!
//! Owns: `Money` and `Rate` (newtypes over `rust_decimal::Decimal`), the one rounding
//! rule (`money::round_money`, half-up to 0.01, applied once per reported item), the
//! accepted spellings of amounts and rates, and the semantics in DESIGN.md
//! "Worked examples: exact semantics".
//!
//! Architecture invariants:
//! - no binary floating point anywhere in this module tree (money is `Decimal`);
//! - no panics on input: ranges are checked on entry and arithmetic is checked
//!   (`exact`), overflow is `ComputeError::Overflow`;
//! - the engine never sees Markdown, Tera, YAML or files: callers hand it typed inputs
//!   and attach locations to the errors (`ComputeError::field` names the key).
//!
//! Codemap: `money` (amounts, rounding, display), `rate` (rates and their spellings),
//! `overdue`, `schedule`, `irr` (APR), `negotiation`; `error` and `exact` support them.

mod error;
mod exact;
pub mod irr;
pub mod money;
pub mod negotiation;
pub mod outputs;
pub mod overdue;
pub mod rate;
pub mod schedule;
mod stored;

pub use error::{ComputeError, InputError};
pub use irr::{CostRates, cost_rates, monthly_irr};
pub use money::{
    MONEY_LIMIT, Money, parse_money, parse_non_negative_money, round_half_up, round_money,
};
pub use negotiation::{
    NegotiationError, NegotiationOption, OptionOutcome, Pricing, Situation, Waivers,
    compare_options, waived_balance,
};
pub use overdue::{MAX_DAYS, OverdueInput, OverdueResult, Penalty, compute_overdue};
pub use rate::{
    DayCount, MAX_ANNUAL, ParsedRate, RATE_FORMS_HELP, Rate, RateBasis, RateField,
    format_fraction_as_percent, format_percent, parse_percent, parse_rate,
};
pub use schedule::{MAX_MONTHS, Method, Row, Schedule, ScheduleInput, build_schedule};

#[cfg(test)]
mod proptests;
