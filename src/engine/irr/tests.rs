use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn fee_plan_irr_matches_reference() {
    let payments = [d("1072"); 12];
    let irr = monthly_irr(d("12000"), &payments).unwrap();
    // Python Decimal bisection (facts.md §5): 1.086185%.
    assert_eq!(round_money_places(irr * d("100"), 6), d("1.086185"));
    let rates = cost_rates(irr).unwrap();
    assert_eq!(rates.apr, d("13.03"));
    assert_eq!(rates.effective, d("13.84"));
    assert_eq!(round_money_places(rates.apr_exact, 4), d("13.0342"));
    assert_eq!(round_money_places(rates.effective_exact, 4), d("13.8418"));
}

fn round_money_places(v: Decimal, places: u32) -> Decimal {
    crate::engine::money::round_half_up(v, places)
}

#[test]
fn single_payment_irr_is_exact_growth() {
    // 100 received, 110 repaid after one month: 10% a month.
    let irr = monthly_irr(d("100"), &[d("110")]).unwrap();
    assert_eq!(round_money_places(irr, 12), d("0.1"));
}

#[test]
fn zero_cost_is_exactly_zero() {
    let irr = monthly_irr(d("1200"), &[d("100"); 12]).unwrap();
    assert_eq!(irr, Decimal::ZERO);
    let rates = cost_rates(irr).unwrap();
    assert_eq!(rates.apr, Decimal::ZERO);
    assert_eq!(rates.effective, Decimal::ZERO);
}

#[test]
fn huge_cost_widens_the_bracket() {
    // 0.01 received, 1,000,000 repaid in a month.
    let irr = monthly_irr(d("0.01"), &[d("1000000")]).unwrap();
    assert_eq!(round_money_places(irr, 6), d("99999999"));
}

#[test]
fn underpaid_and_bad_inputs_are_errors() {
    assert!(monthly_irr(d("100"), &[d("50")]).is_err());
    assert!(monthly_irr(d("0"), &[d("50")]).is_err());
    assert!(monthly_irr(d("100"), &[d("-1"), d("200")]).is_err());
}
