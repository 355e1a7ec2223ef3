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

fn situation() -> Situation {
    Situation {
        principal: money("10000"),
        unpaid_interest: money("150"),
        penalty_accrued: money("75"),
        rate: Rate::from_annual(d("0.18"), DayCount::Days360).unwrap(),
        penalty: Penalty::Markup(d("0.5")),
    }
}

fn waive(penalty: &str, interest: &str) -> Waivers {
    Waivers {
        penalty: d(penalty),
        interest: d(interest),
    }
}

#[test]
fn options_side_by_side() {
    let options = [
        NegotiationOption::StayOverdue { days: 30 },
        NegotiationOption::Settle {
            waivers: waive("1", "0.5"),
        },
        NegotiationOption::Installment {
            months: 12,
            method: Method::EqualInstallment,
            pricing: Pricing::AnnualRate(Rate::zero(DayCount::Days360)),
            waivers: waive("1", "0"),
        },
        NegotiationOption::Extension {
            months: 3,
            rate: Rate::from_annual(d("0.18"), DayCount::Days360).unwrap(),
            waivers: Waivers::default(),
        },
    ];
    let out = compare_options(&situation(), &options).unwrap();

    // Stay: 10225 owed now + 150 interest + 75 penalty for 30 more days.
    assert_eq!(out[0].balance, money("10225"));
    assert_eq!(out[0].total_paid, money("10450.00"));
    assert_eq!(out[0].first_payment, money("10450.00"));
    assert_eq!(out[0].cost, money("450.00"));
    assert_eq!(out[0].saving, Money::ZERO);
    assert_eq!(out[0].apr, None);

    // Settle: penalty waived, half the interest waived.
    assert_eq!(out[1].total_paid, money("10075.00"));
    assert_eq!(out[1].cost, money("75.00"));
    assert_eq!(out[1].saving, money("375.00"));

    // Installment at 0% on 10150.00 over 12 months.
    assert_eq!(out[2].balance, money("10150"));
    assert_eq!(out[2].first_payment, money("845.83"));
    assert_eq!(out[2].total_paid, money("10150"));
    assert_eq!(out[2].apr, Some(Decimal::ZERO));
    assert_eq!(out[2].saving, money("300"));

    // Extension: interest-first on 10225.00 at 1.5% a month for 3 months.
    let schedule = out[3].schedule.as_ref().unwrap();
    assert_eq!(schedule.rows[0].interest, money("153.38"));
    assert_eq!(out[3].first_payment, money("153.38"));
    assert_eq!(out[3].total_paid, money("10685.14"));
    assert_eq!(out[3].apr, Some(d("18.00")));
    assert_eq!(out[3].saving, money("-235.14"));
}

#[test]
fn fee_priced_installment() {
    let options = [NegotiationOption::Installment {
        months: 12,
        method: Method::EqualPrincipal,
        pricing: Pricing::MonthlyFeeRate(d("0.006")),
        waivers: Waivers::default(),
    }];
    let mut s = situation();
    s.principal = money("12000");
    s.unpaid_interest = Money::ZERO;
    s.penalty_accrued = Money::ZERO;
    let out = compare_options(&s, &options).unwrap();
    assert_eq!(out[0].first_payment, money("1072.00"));
    assert_eq!(out[0].apr, Some(d("13.03")));
}

#[test]
fn waived_balance_rounds_each_part_once() {
    let mut s = situation();
    s.unpaid_interest = money("0.25");
    s.penalty_accrued = money("0.25");
    // 0.25 × 0.5 = 0.125 → 0.13 each.
    assert_eq!(
        waived_balance(&s, waive("0.5", "0.5")).unwrap(),
        d("10000.26")
    );
}

#[test]
fn errors_name_the_option() {
    let options = [
        NegotiationOption::Settle {
            waivers: Waivers::default(),
        },
        NegotiationOption::Settle {
            waivers: waive("1.5", "0"),
        },
    ];
    let err = compare_options(&situation(), &options).unwrap_err();
    match err {
        NegotiationError::Option { index, error } => {
            assert_eq!(index, 1);
            assert_eq!(error.field(), Some("waive_penalty"));
            assert_eq!(
                error.message(),
                "`waive_penalty`: waive_penalty must be between 0% and 100%, not 150%"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    let mut s = situation();
    s.penalty_accrued = money("-1");
    assert!(matches!(
        compare_options(&s, &options),
        Err(NegotiationError::Situation(_))
    ));
    assert_eq!(compare_options(&situation(), &[]).unwrap(), vec![]);
}
