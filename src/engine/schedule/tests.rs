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

fn plan(principal: &str, annual: &str, months: u32, method: Method) -> ScheduleInput {
    ScheduleInput {
        principal: money(principal),
        rate: Rate::from_annual(d(annual), DayCount::Days360).unwrap(),
        months,
        method,
        monthly_fee_rate: Decimal::ZERO,
        upfront_fee: Money::ZERO,
    }
}

#[test]
fn equal_installment_reference() {
    let s = build_schedule(&plan("10000", "0.18", 12, Method::EqualInstallment)).unwrap();
    assert_eq!(s.rows.len(), 12);
    assert_eq!(s.rows[0].payment, money("916.80"));
    assert_eq!(s.rows[0].interest, money("150.00"));
    assert_eq!(s.rows[0].principal, money("766.80"));
    assert!(s.rows[..11].iter().all(|r| r.payment == money("916.80")));
    assert_eq!(s.rows[11].payment, money("916.81"));
    assert_eq!(s.rows[11].balance, Money::ZERO);
    assert_eq!(s.total_interest, money("1001.61"));
    assert_eq!(s.total_paid, money("11001.61"));
    assert_eq!(s.total_fees, Money::ZERO);
    // With no fees the APR is the contract rate.
    assert_eq!(s.apr, d("18.00"));
    assert_eq!(s.effective_annual_rate, d("19.56"));
}

#[test]
fn equal_principal_reference() {
    let s = build_schedule(&plan("10000", "0.18", 12, Method::EqualPrincipal)).unwrap();
    assert_eq!(s.rows[0].payment, money("983.33"));
    assert_eq!(s.rows[1].payment, money("970.83"));
    assert_eq!(s.rows[11].principal, money("833.37"));
    assert_eq!(s.rows[11].payment, money("845.87"));
    assert_eq!(s.total_interest, money("975.00"));
}

#[test]
fn interest_first_reference() {
    let s = build_schedule(&plan("10000", "0.18", 12, Method::InterestFirst)).unwrap();
    assert!(s.rows[..11].iter().all(|r| r.payment == money("150.00")));
    assert!(s.rows[..11].iter().all(|r| r.balance == money("10000")));
    assert_eq!(s.rows[11].payment, money("10150.00"));
    assert_eq!(s.total_interest, money("1800.00"));
}

#[test]
fn bullet_pays_everything_at_maturity() {
    let mut input = plan("10000", "0.18", 12, Method::Bullet);
    let s = build_schedule(&input).unwrap();
    assert!(
        s.rows[..11]
            .iter()
            .all(|r| r.payment == Money::ZERO && r.balance == money("10000"))
    );
    assert_eq!(s.rows[11].interest, money("1800.00"));
    assert_eq!(s.rows[11].payment, money("11800.00"));
    assert_eq!(s.rows[11].balance, Money::ZERO);
    // The fee is charged every month, bullet included (DESIGN.md): deferring it to
    // maturity would understate the APR. Earlier rows carry the fee alone.
    input.monthly_fee_rate = d("0.00333");
    let s = build_schedule(&input).unwrap();
    assert!(s.rows.iter().all(|r| r.fee == money("33.30")));
    assert!(s.rows[..11].iter().all(|r| r.payment == money("33.30")
        && r.principal == Money::ZERO
        && r.interest == Money::ZERO));
    assert_eq!(s.rows[11].payment, money("11833.30"));
    assert_eq!(s.total_fees, money("399.60"));
    assert_eq!(s.total_paid, money("12199.60"));
}

#[test]
fn total_paid_counts_the_upfront_fee_for_every_method() {
    for method in [
        Method::EqualInstallment,
        Method::EqualPrincipal,
        Method::InterestFirst,
        Method::Bullet,
    ] {
        let mut input = plan("10000", "0.12", 6, method);
        input.monthly_fee_rate = d("0.001");
        input.upfront_fee = money("300");
        let s = build_schedule(&input).unwrap();
        assert_eq!(
            s.total_paid.amount(),
            s.total_of_payments.amount() + d("300"),
            "{method:?}"
        );
        assert_eq!(s.total_fees, money("360.00"), "{method:?}");
    }
}

#[test]
fn fee_plan_apr_reference() {
    let mut input = plan("12000", "0", 12, Method::EqualPrincipal);
    input.monthly_fee_rate = d("0.006");
    let s = build_schedule(&input).unwrap();
    assert!(s.rows.iter().all(|r| r.payment == money("1072.00")));
    assert_eq!(s.total_fees, money("864.00"));
    assert_eq!(s.total_paid, money("12864.00"));
    assert_eq!(s.apr, d("13.03"));
    assert_eq!(s.effective_annual_rate, d("13.84"));
    assert_eq!(
        crate::engine::money::round_half_up(s.cost_rates.apr_exact, 4),
        d("13.0342")
    );
}

#[test]
fn zero_rate_plan_costs_nothing() {
    let s = build_schedule(&plan("10000", "0", 12, Method::EqualInstallment)).unwrap();
    assert_eq!(s.rows[0].payment, money("833.33"));
    assert_eq!(s.rows[11].payment, money("833.37"));
    assert_eq!(s.total_paid, money("10000"));
    assert_eq!(s.cost_rates.monthly_irr, Decimal::ZERO);
    assert_eq!(s.apr, Decimal::ZERO);
    assert_eq!(crate::engine::rate::format_percent(s.apr), "0.00%");
}

#[test]
fn upfront_fee_is_a_fee_on_less_cash() {
    let mut input = plan("10000", "0", 10, Method::EqualPrincipal);
    input.upfront_fee = money("500");
    let s = build_schedule(&input).unwrap();
    assert_eq!(s.cash_received, money("9500"));
    assert_eq!(s.total_of_payments, money("10000"));
    assert_eq!(s.total_fees, money("500"));
    assert_eq!(s.total_paid, money("10500"));
    assert!(s.apr > d("10"));
    input.upfront_fee = money("10000");
    assert_eq!(
        build_schedule(&input).unwrap_err().field(),
        Some("upfront_fee")
    );
}

#[test]
fn tiny_principal_never_goes_below_zero() {
    // round(3.00 / 600) = 0.01 would repay 6.00 over 600 months without the cap.
    let s = build_schedule(&plan("3", "0", 600, Method::EqualPrincipal)).unwrap();
    assert!(s.rows.iter().all(|r| r.balance.amount() >= Decimal::ZERO));
    assert_eq!(s.rows[299].balance, Money::ZERO);
    assert_eq!(s.total_paid, money("3"));
}

#[test]
fn extreme_rate_and_term_do_not_overflow() {
    let s = build_schedule(&plan(
        "999999999999.99",
        "10",
        600,
        Method::EqualInstallment,
    ))
    .unwrap();
    assert_eq!(s.rows[599].balance, Money::ZERO);
    let s = build_schedule(&plan("999999999999.99", "10", 600, Method::Bullet)).unwrap();
    assert_eq!(s.rows[599].interest, money("499999999999995.00"));
}

#[test]
fn equal_installment_rounding_can_beat_a_higher_rate() {
    // DESIGN's rule (payment = round(M), last row takes the rest) is not monotone in
    // the rate: at 1.68% the payment rounds up and repays faster than at 1.67%.
    let lower = build_schedule(&plan("10", "0.0167", 36, Method::EqualInstallment)).unwrap();
    let higher = build_schedule(&plan("10", "0.0168", 36, Method::EqualInstallment)).unwrap();
    assert_eq!(lower.total_interest, money("0.24"));
    assert_eq!(higher.total_interest, money("0.23"));
}

#[test]
fn equal_installment_can_round_down_to_interest_only() {
    // 58.20% over 360 months: (1+i)^n ≈ 2.5e7, so the exact payment is 48500.0019 and
    // rounds to the interest alone; nothing amortises until the last row.
    let s = build_schedule(&plan("1000000", "0.582", 360, Method::EqualInstallment)).unwrap();
    assert_eq!(s.rows[0].payment, money("48500.00"));
    assert_eq!(s.rows[0].principal, Money::ZERO);
    assert_eq!(s.rows[358].balance, money("1000000"));
    assert_eq!(s.rows[359].payment, money("1048500.00"));
    assert_eq!(s.total_interest, money("17460000.00"));
}

#[test]
fn rejects_out_of_range_inputs() {
    let mut input = plan("10000", "0.18", 0, Method::EqualInstallment);
    let err = build_schedule(&input).unwrap_err();
    assert_eq!(
        err.message(),
        "`months`: months must be between 1 and 600, not 0"
    );
    input.months = 601;
    assert!(build_schedule(&input).is_err());
    input.months = 12;
    input.monthly_fee_rate = d("-0.001");
    assert_eq!(
        build_schedule(&input).unwrap_err().field(),
        Some("monthly_fee_rate")
    );
    input.monthly_fee_rate = d("0.9");
    assert_eq!(
        build_schedule(&input).unwrap_err().field(),
        Some("monthly_fee_rate")
    );
}
