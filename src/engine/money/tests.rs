use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn rounds_half_up_not_to_even() {
    assert_eq!(round_money(d("0.125")), d("0.13"));
    assert_eq!(round_money(d("0.135")), d("0.14"));
    assert_eq!(round_money(d("2.675")), d("2.68"));
    assert_eq!(round_money(d("3.375")), d("3.38"));
    assert_eq!(round_money(d("0.124999")), d("0.12"));
    assert_eq!(round_money(d("-0.125")), d("-0.13"));
    assert_eq!(round_money(d("147.945205")), d("147.95"));
}

#[test]
fn parses_plain_and_grouped_amounts() {
    assert_eq!(parse_money("84793.03").unwrap().amount(), d("84793.03"));
    assert_eq!(parse_money("10000").unwrap().amount(), d("10000"));
    assert_eq!(parse_money("10,000").unwrap().amount(), d("10000"));
    assert_eq!(
        parse_money(" 1,234,567.5 ").unwrap().amount(),
        d("1234567.5")
    );
    assert_eq!(parse_money("0.01").unwrap().amount(), d("0.01"));
    assert_eq!(
        parse_money("999999999999.99").unwrap().amount(),
        d("999999999999.99")
    );
    assert_eq!(parse_non_negative_money("0").unwrap(), Money::ZERO);
}

#[test]
fn rejects_bad_amounts() {
    for bad in [
        "0",
        "0.00",
        "-5",
        "1e5",
        "1E5",
        "NaN",
        "inf",
        "",
        "abc",
        "10,00",
        "1,0000",
        ",100",
        "10.",
        ".5",
        "1.234",
        "1000000000000",
        "1,000,000,000,000",
        "99999999999999999999999999999999",
        "+5",
        "5 元",
        "１００",
    ] {
        assert!(parse_money(bad).is_err(), "{bad:?} should be rejected");
    }
    assert!(parse_non_negative_money("-0.01").is_err());
}

#[test]
fn error_texts_are_pinned() {
    let err = parse_money("0").unwrap_err();
    assert_eq!(err.message(), "amount `0` must be greater than 0");
    assert_eq!(
        err.help(),
        "write yuan with at most 2 decimals, e.g. `84793.03`, `10000` or `10,000`"
    );
    let err = parse_money("1e5").unwrap_err();
    assert_eq!(
        err.message(),
        "cannot read `1e5` as an amount of yuan: use digits, optionally grouped by commas in threes (`10,000`)"
    );
    let err = parse_money("1000000000000").unwrap_err();
    assert_eq!(
        err.message(),
        "amount `1000000000000` must be less than 1,000,000,000,000"
    );
}

#[test]
fn displays_two_decimals_and_groups() {
    assert_eq!(Money::new(d("10000")).to_plain_string(), "10000.00");
    assert_eq!(Money::new(d("10000")).to_grouped_string(), "10,000.00");
    assert_eq!(Money::new(d("916.8")).to_string(), "916.80");
    assert_eq!(
        Money::new(d("1234567.891")).to_grouped_string(),
        "1,234,567.89"
    );
    assert_eq!(Money::new(d("100")).to_grouped_string(), "100.00");
    assert_eq!(Money::new(d("-1234.5")).to_grouped_string(), "-1,234.50");
    assert_eq!(Money::new(d("-0.001")).to_plain_string(), "0.00");
    assert_eq!(Money::ZERO.to_grouped_string(), "0.00");
}

#[test]
fn checks_engine_amounts() {
    assert!(check_amount("principal", Money::new(d("0")), false).is_err());
    assert!(check_amount("unpaid_interest", Money::new(d("0")), true).is_ok());
    assert!(check_amount("unpaid_interest", Money::new(d("-1")), true).is_err());
    assert!(check_amount("principal", Money::new(d("0.001")), false).is_err());
    assert!(check_amount("principal", MONEY_LIMIT_MONEY, false).is_err());
}

const MONEY_LIMIT_MONEY: Money = Money(MONEY_LIMIT);

#[test]
fn limit_is_ten_to_the_twelfth() {
    assert_eq!(MONEY_LIMIT, d("1000000000000"));
}
