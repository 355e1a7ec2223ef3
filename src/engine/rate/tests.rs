use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn parsed(input: &str) -> (RateBasis, Decimal) {
    let rate = parse_rate(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
    (rate.basis, rate.fraction)
}

fn annual_of(input: &str, field: RateField, day_count: DayCount) -> Decimal {
    parse_rate(input)
        .and_then(|p| p.into_rate(field, day_count))
        .unwrap_or_else(|e| panic!("{input:?}: {e}"))
        .annual()
}

#[test]
fn parses_every_accepted_form() {
    use RateBasis::*;
    assert_eq!(parsed("18%"), (Unspecified, d("0.18")));
    assert_eq!(parsed("0.05%"), (Unspecified, d("0.0005")));
    assert_eq!(parsed("0.0005"), (Unspecified, d("0.0005")));
    assert_eq!(parsed("5‱"), (Unspecified, d("0.0005")));
    assert_eq!(parsed("3‰"), (Unspecified, d("0.003")));
    assert_eq!(parsed("18％"), (Unspecified, d("0.18")));
    assert_eq!(parsed("日利率万分之五"), (Daily, d("0.0005")));
    assert_eq!(parsed("万分之2.1"), (Unspecified, d("0.00021")));
    assert_eq!(parsed("万分之二点一"), (Unspecified, d("0.00021")));
    assert_eq!(parsed("千分之1.5"), (Unspecified, d("0.0015")));
    assert_eq!(parsed("百分之十八"), (Unspecified, d("0.18")));
    assert_eq!(parsed("百分之二十四"), (Unspecified, d("0.24")));
    assert_eq!(parsed("月利率1%"), (Monthly, d("0.01")));
    assert_eq!(parsed("年化18%"), (Annual, d("0.18")));
    assert_eq!(parsed("年利率18%"), (Annual, d("0.18")));
    assert_eq!(parsed("年化利率 24%"), (Annual, d("0.24")));
    assert_eq!(parsed("日利率0.05%"), (Daily, d("0.0005")));
    assert_eq!(parsed(" 0% "), (Unspecified, Decimal::ZERO));
}

#[test]
fn reads_rates_for_their_field() {
    use DayCount::*;
    use RateField::*;
    assert_eq!(annual_of("18%", AnnualRate, Days360), d("0.18"));
    assert_eq!(annual_of("月利率1%", AnnualRate, Days360), d("0.12"));
    assert_eq!(annual_of("0.05%", DailyRate, Days360), d("0.18"));
    assert_eq!(annual_of("0.05%", DailyRate, Days365), d("0.1825"));
    assert_eq!(annual_of("日利率万分之五", DailyRate, Days360), d("0.18"));
    assert_eq!(annual_of("0.6%", MonthlyFeeRate, Days360), d("0.072"));
    let rate = parse_rate("18%")
        .unwrap()
        .into_rate(AnnualRate, Days365)
        .unwrap();
    assert_eq!(round_half_up(rate.daily() * d("100"), 6), d("0.049315"));
    assert_eq!(rate.monthly(), d("0.015"));
    let rate = parse_rate("5‱")
        .unwrap()
        .into_rate(DailyRate, Days360)
        .unwrap();
    assert_eq!(rate.daily(), d("0.0005"));
}

#[test]
fn contradicting_wording_is_an_error() {
    use DayCount::Days360;
    let err = parse_rate("年化18%")
        .unwrap()
        .into_rate(RateField::DailyRate, Days360)
        .unwrap_err();
    assert_eq!(
        err.message(),
        "`daily_rate` is given an annual rate (年化/年利率)"
    );
    assert!(err.help().contains("write it under `annual_rate`"));
    assert!(err.help().contains(RATE_FORMS_HELP));
    assert!(
        parse_rate("日利率0.05%")
            .unwrap()
            .into_rate(RateField::AnnualRate, Days360)
            .is_err()
    );
    assert!(
        parse_rate("月利率1%")
            .unwrap()
            .into_rate(RateField::DailyRate, Days360)
            .is_err()
    );
    assert!(
        parse_rate("年化7.2%")
            .unwrap()
            .into_rate(RateField::MonthlyFeeRate, Days360)
            .is_err()
    );
}

#[test]
fn rejects_junk_with_the_accepted_forms() {
    for bad in [
        "",
        "abc",
        "18",
        "5",
        "1",
        "1.5",
        "-18%",
        "-0.0005",
        "1e-3",
        "1E2%",
        "NaN",
        "18 %%",
        "18%%",
        "年化",
        "万分之",
        "万分之abc",
        "18,5%",
        "0.05 %/day",
        "日利率",
        "负5%",
        ".5%",
        "万分之十十",
    ] {
        let err = parse_rate(bad).expect_err(bad);
        assert_eq!(err.help(), RATE_FORMS_HELP, "{bad:?}");
    }
    assert_eq!(
        RATE_FORMS_HELP,
        "accepted forms: `18%`, `0.05%`, `0.0005`, `5‱`, `日利率万分之五`, `月利率1%`, `年化18%`"
    );
    let err = parse_rate("18").unwrap_err();
    assert_eq!(
        err.message(),
        "cannot read `18` as a rate: a bare number is a fraction, so `18` would mean 1800%; did you mean `18%`?"
    );
    let err = parse_rate("-18%").unwrap_err();
    assert_eq!(
        err.message(),
        "cannot read `-18%` as a rate: it cannot be negative"
    );
}

#[test]
fn rates_above_1000_percent_a_year_are_errors() {
    let err = parse_rate("1001%")
        .unwrap()
        .into_rate(RateField::AnnualRate, DayCount::Days360);
    let err = err.unwrap_err();
    assert_eq!(
        err.message(),
        "rate 1001% a year is above the 1000% a year this tool accepts; check the unit"
    );
    assert!(annual_of("1000%", RateField::AnnualRate, DayCount::Days360) == MAX_ANNUAL);
    // 3%/day is 1080% a year on 360 days.
    assert!(
        parse_rate("3%")
            .unwrap()
            .into_rate(RateField::DailyRate, DayCount::Days360)
            .is_err()
    );
    assert!(Rate::from_annual(d("-0.01"), DayCount::Days360).is_err());
}

#[test]
fn day_count_and_formatting() {
    assert_eq!(DayCount::from_days(365).unwrap(), DayCount::Days365);
    assert_eq!(DayCount::default().days(), 360);
    assert!(DayCount::from_days(366).is_err());
    assert_eq!(format_fraction_as_percent(d("0.18"), 6), "18%");
    assert_eq!(format_fraction_as_percent(d("0.0005"), 6), "0.05%");
    assert_eq!(
        format_fraction_as_percent(d("0.18") / d("365"), 6),
        "0.049315%"
    );
    assert_eq!(format_percent(d("13.0342")), "13.03%");
    assert_eq!(format_percent(d("0")), "0.00%");
    assert_eq!(format_percent(d("13.845")), "13.85%");
}

#[test]
fn percentages_for_waivers_and_markups() {
    assert_eq!(parse_percent("50%").unwrap(), d("0.5"));
    assert_eq!(parse_percent("100%").unwrap(), d("1"));
    assert_eq!(parse_percent("0.5").unwrap(), d("0.5"));
    assert!(parse_percent("50").is_err());
    assert!(parse_percent("-10%").is_err());
}
