//! Property tests of the engine's invariants. Case counts are kept modest (the build
//! machine is small): each `proptest!` block states its own.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::EqualInstallment),
        Just(Method::EqualPrincipal),
        Just(Method::InterestFirst),
        Just(Method::Bullet),
    ]
}

/// Principal in cents: 0.01 ..= 999,999,999,999.99, biased to everyday amounts.
fn principal() -> impl Strategy<Value = Money> {
    prop_oneof![
        3 => 1i64..=100_000_000i64,
        1 => 1i64..=99_999_999_999_999i64,
    ]
    .prop_map(|cents| Money::new(Decimal::new(cents, 2)))
}

/// Annual rate in basis points: 0% ..= 1000%, biased to 0–36%.
fn annual_bp() -> impl Strategy<Value = i64> {
    prop_oneof![3 => 0i64..=3_600, 1 => 0i64..=100_000]
}

fn rate(bp: i64) -> Rate {
    Rate::from_annual(Decimal::new(bp, 4), DayCount::Days360).expect("bp within range")
}

fn schedule_input(p: Money, bp: i64, months: u32, method: Method, fee_bp: i64) -> ScheduleInput {
    ScheduleInput {
        principal: p,
        rate: rate(bp),
        months,
        method,
        monthly_fee_rate: Decimal::new(fee_bp, 4),
        upfront_fee: Money::ZERO,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn principal_column_sums_to_p_and_balance_ends_at_zero(
        p in principal(), bp in annual_bp(), months in 1u32..=600, m in method(), fee_bp in 0i64..=200,
    ) {
        let s = build_schedule(&schedule_input(p, bp, months, m, fee_bp)).unwrap();
        let principal_sum: Decimal = s.rows.iter().map(|r| r.principal.amount()).sum();
        prop_assert_eq!(principal_sum, p.amount());
        prop_assert_eq!(s.rows.len(), months as usize);
        prop_assert_eq!(s.rows.last().unwrap().balance, Money::ZERO);
        for r in &s.rows {
            prop_assert!(r.principal.amount() >= Decimal::ZERO && r.balance.amount() >= Decimal::ZERO);
            prop_assert_eq!(r.payment.amount(), r.principal.amount() + r.interest.amount() + r.fee.amount());
            prop_assert_eq!(round_money(r.payment.amount()), r.payment.amount());
            // The fee is charged every month for every method, bullet included.
            prop_assert_eq!(r.fee.amount(), round_money(p.amount() * Decimal::new(fee_bp, 4)));
        }
    }

    #[test]
    fn total_paid_is_principal_plus_interest_plus_fees(
        p in principal(), bp in annual_bp(), months in 1u32..=120, m in method(), fee_bp in 0i64..=200,
        upfront_share in 0i64..=50,
    ) {
        let mut input = schedule_input(p, bp, months, m, fee_bp);
        input.upfront_fee = Money::rounded(p.amount() * Decimal::new(upfront_share, 2));
        prop_assume!(input.upfront_fee < p);
        let s = build_schedule(&input).unwrap();
        prop_assert_eq!(
            s.total_paid.amount(),
            p.amount() + s.total_interest.amount() + s.total_fees.amount()
        );
        prop_assert_eq!(s.total_paid.amount(), s.total_of_payments.amount() + s.upfront_fee.amount());
    }

    #[test]
    fn zero_rate_zero_fee_plan_has_zero_apr(p in principal(), months in 1u32..=600, m in method()) {
        let s = build_schedule(&schedule_input(p, 0, months, m, 0)).unwrap();
        prop_assert_eq!(s.cost_rates.monthly_irr, Decimal::ZERO);
        prop_assert_eq!(format_percent(s.apr), "0.00%");
        prop_assert_eq!(s.total_paid, p);
    }

    #[test]
    fn rounding_is_idempotent(mantissa in any::<i64>(), scale in 0u32..=12) {
        let value = Decimal::new(mantissa, scale);
        let once = round_money(value);
        prop_assert_eq!(round_money(once), once);
        prop_assert!((once - value).abs() <= Decimal::new(5, 3));
    }

    #[test]
    fn overdue_charges_never_fall_as_days_grow(
        p in principal(), bp in annual_bp(), markup_pct in 0i64..=100, unpaid_cents in 0i64..=10_000_000,
        compound in any::<bool>(), days in 1u32..36_500, extra in 1u32..=365,
        day_count in prop_oneof![Just(DayCount::Days360), Just(DayCount::Days365)],
    ) {
        let rate = Rate::from_annual(Decimal::new(bp, 4), day_count).unwrap();
        let input = |days| OverdueInput {
            principal: p,
            rate,
            days,
            penalty: Penalty::Markup(Decimal::new(markup_pct, 2)),
            unpaid_interest: Money::new(Decimal::new(unpaid_cents, 2)),
            compound,
        };
        let shorter = compute_overdue(&input(days)).unwrap();
        let longer = compute_overdue(&input((days + extra).min(MAX_DAYS))).unwrap();
        prop_assert!(longer.total_charges >= shorter.total_charges);
        prop_assert_eq!(
            shorter.total_charges.amount(),
            shorter.interest.amount() + shorter.penalty.amount() + shorter.compound.amount()
        );
    }
}

fn non_annuity_method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::EqualPrincipal),
        Just(Method::InterestFirst),
        Just(Method::Bullet),
    ]
}

fn total_interest(p: Money, bp: i64, months: u32, m: Method) -> Money {
    build_schedule(&schedule_input(p, bp, months, m, 0))
        .expect("inputs within range")
        .total_interest
}

proptest! {
    // Two schedules per case, so fewer cases.
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Holds over the whole input domain for 等额本金, 先息后本 and bullet.
    #[test]
    fn higher_rate_never_lowers_total_interest(
        p in principal(), low in annual_bp(), step in 1i64..=3_600, months in 1u32..=600,
        m in non_annuity_method(),
    ) {
        let high = (low + step).min(100_000);
        prop_assume!(high > low);
        let lower = total_interest(p, low, months, m);
        let higher = total_interest(p, high, months, m);
        prop_assert!(higher >= lower, "{} at {}bp vs {} at {}bp", lower, low, higher, high);
    }

    /// 等额本息 rounds its level payment to the cent and the last row takes the rest,
    /// so a tiny principal (or an extreme rate × term) can repay faster at a higher
    /// rate and owe less interest (see the schedule unit test
    /// `equal_installment_rounding_can_beat_a_higher_rate`). On consumer-loan inputs
    /// (≥ 10,000 yuan, ≤ 36% a year, ≤ 60 months) the rate always wins.
    #[test]
    fn higher_rate_never_lowers_equal_installment_interest_on_consumer_loans(
        cents in 1_000_000i64..=99_999_999_999_999, low in 0i64..=3_599, step in 1i64..=3_600,
        months in 1u32..=60,
    ) {
        let p = Money::new(Decimal::new(cents, 2));
        let high = (low + step).min(3_600);
        let lower = total_interest(p, low, months, Method::EqualInstallment);
        let higher = total_interest(p, high, months, Method::EqualInstallment);
        prop_assert!(higher >= lower, "{} at {}bp vs {} at {}bp", lower, low, higher, high);
    }
}
