use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::engine::rate::DayCount;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn money(s: &str) -> Money {
    Money::new(d(s))
}

/// The seed article's case (facts.md §4a): 10,000 at 18%, 30 days overdue.
fn seed(day_count: DayCount, penalty: Penalty) -> OverdueInput {
    OverdueInput {
        principal: money("10000"),
        rate: Rate::from_annual(d("0.18"), day_count).unwrap(),
        days: 30,
        penalty,
        unpaid_interest: Money::ZERO,
        compound: false,
    }
}

#[test]
fn markup_of_half_on_360_days() {
    let result = compute_overdue(&seed(DayCount::Days360, Penalty::Markup(d("0.5")))).unwrap();
    assert_eq!(result.interest, money("150.00"));
    assert_eq!(result.penalty, money("75.00"));
    assert_eq!(result.compound, Money::ZERO);
    assert_eq!(result.total_charges, money("225.00"));
    assert_eq!(result.total_due, money("10225.00"));
    assert_eq!(result.daily_rate, d("0.0005"));
    assert_eq!(result.penalty_daily_rate, d("0.00025"));
}

#[test]
fn annual_penalty_rates() {
    let result = compute_overdue(&seed(DayCount::Days360, Penalty::AnnualRate(d("0.27")))).unwrap();
    assert_eq!(result.penalty, money("225.00"));
    let result =
        compute_overdue(&seed(DayCount::Days360, Penalty::AnnualRate(d("0.234")))).unwrap();
    assert_eq!(result.penalty, money("195.00"));
    let result = compute_overdue(&seed(DayCount::Days365, Penalty::AnnualRate(d("0.27")))).unwrap();
    assert_eq!(result.penalty, money("221.92"));
    let result =
        compute_overdue(&seed(DayCount::Days365, Penalty::AnnualRate(d("0.234")))).unwrap();
    assert_eq!(result.penalty, money("192.33"));
}

#[test]
fn day_count_365() {
    let result = compute_overdue(&seed(DayCount::Days365, Penalty::Markup(d("0.5")))).unwrap();
    assert_eq!(result.interest, money("147.95"));
    assert_eq!(result.penalty, money("73.97"));
}

#[test]
fn daily_penalty_rate() {
    let result =
        compute_overdue(&seed(DayCount::Days360, Penalty::DailyRate(d("0.00025")))).unwrap();
    assert_eq!(result.penalty, money("75.00"));
    assert_eq!(result.penalty_daily_rate, d("0.00025"));
}

#[test]
fn compound_on_unpaid_interest() {
    // facts.md §4a: 150 of unpaid interest at 0.075%/day for 30 days adds 3.38.
    let mut input = seed(DayCount::Days360, Penalty::Markup(d("0.5")));
    input.unpaid_interest = money("150");
    input.compound = true;
    let result = compute_overdue(&input).unwrap();
    assert_eq!(result.compound, money("3.38"));
    assert_eq!(result.total_charges, money("228.38"));
    assert_eq!(result.total_due, money("10378.38"));
    input.compound = false;
    let result = compute_overdue(&input).unwrap();
    assert_eq!(result.compound, Money::ZERO);
    assert_eq!(result.total_due, money("10375.00"));
}

#[test]
fn exact_half_cent_rounds_up_on_365_days() {
    // 182.50 × 1% × 1 / 365 = 0.005 exactly; dividing last keeps it a midpoint.
    let input = OverdueInput {
        principal: money("182.50"),
        rate: Rate::from_annual(d("0.01"), DayCount::Days365).unwrap(),
        days: 1,
        penalty: Penalty::Markup(Decimal::ZERO),
        unpaid_interest: Money::ZERO,
        compound: false,
    };
    assert_eq!(compute_overdue(&input).unwrap().interest, money("0.01"));
}

#[test]
fn rejects_out_of_range_inputs() {
    let mut input = seed(DayCount::Days360, Penalty::Markup(d("0.5")));
    input.days = 0;
    let err = compute_overdue(&input).unwrap_err();
    assert_eq!(err.field(), Some("days"));
    assert_eq!(
        err.message(),
        "`days`: days must be between 1 and 36500, not 0"
    );
    input.days = 36_501;
    assert!(compute_overdue(&input).is_err());
    input.days = 36_500;
    assert!(compute_overdue(&input).is_ok());

    let mut input = seed(DayCount::Days360, Penalty::Markup(d("-0.5")));
    assert_eq!(
        compute_overdue(&input).unwrap_err().field(),
        Some("penalty")
    );
    input.penalty = Penalty::AnnualRate(d("10.01"));
    assert_eq!(
        compute_overdue(&input).unwrap_err().field(),
        Some("penalty")
    );
    input.penalty = Penalty::DailyRate(d("0.03"));
    assert_eq!(
        compute_overdue(&input).unwrap_err().field(),
        Some("penalty")
    );
    input.penalty = Penalty::Markup(d("0.5"));
    input.principal = Money::ZERO;
    assert_eq!(
        compute_overdue(&input).unwrap_err().field(),
        Some("principal")
    );
    input.principal = money("10000");
    input.unpaid_interest = money("-1");
    assert_eq!(
        compute_overdue(&input).unwrap_err().field(),
        Some("unpaid_interest")
    );
}

#[test]
fn largest_inputs_do_not_overflow() {
    let input = OverdueInput {
        principal: money("999999999999.99"),
        rate: Rate::from_annual(MAX_ANNUAL, DayCount::Days360).unwrap(),
        days: MAX_DAYS,
        penalty: Penalty::AnnualRate(MAX_ANNUAL),
        unpaid_interest: money("999999999999.99"),
        compound: true,
    };
    let result = compute_overdue(&input).unwrap();
    assert!(result.total_due > result.total_charges);
}
