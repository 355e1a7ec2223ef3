//! View models of worked examples: inputs said in words, the formula in one
//! line, and the engine's figures formatted for reading (元 with thousands
//! separators, rates with 2 decimals). No figure here is computed; every
//! number comes from the engine's outcome.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::engine::outputs::Outcome;
use crate::engine::{
    self, Method, Money, NegotiationOption, Penalty, Pricing, Rate, Schedule, Situation,
};
use crate::model::{Example, ExampleInput, PolicyValue};

#[derive(Serialize)]
pub struct ExampleView {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub note: Option<String>,
    /// The inputs in one sentence.
    pub inputs: String,
    /// The method's formula in one line.
    pub formula: String,
    pub items: Vec<ItemView>,
    pub rows: Vec<RowView>,
    pub options: Vec<OptionView>,
    pub totals: Vec<ItemView>,
    /// Notes on the cost (APR above a legal threshold, headline vs APR).
    pub warnings: Vec<String>,
}

#[derive(Serialize)]
pub struct ItemView {
    pub label: String,
    pub how: String,
    pub amount: String,
}

#[derive(Serialize)]
pub struct RowView {
    pub period: u32,
    pub payment: String,
    pub principal: String,
    pub interest: String,
    pub fee: String,
    pub balance: String,
}

#[derive(Serialize)]
pub struct OptionView {
    pub label: String,
    pub total_paid: String,
    pub cost: String,
    pub first_payment: String,
    pub apr: String,
    pub saving: String,
}

/// Legal cost thresholds from site.yaml, by id (`apr-24`, `lpr-4x`).
pub struct Thresholds<'a>(pub &'a [PolicyValue]);

impl Thresholds<'_> {
    fn percent(&self, id: &str) -> Option<(Decimal, &PolicyValue)> {
        let p = self.0.iter().find(|p| p.id == id)?;
        let v = p.value.trim().strip_suffix('%')?.parse::<Decimal>().ok()?;
        Some((v, p))
    }
}

fn yuan(m: Money) -> String {
    format!("{}元", m.to_grouped_string())
}

fn pct(fraction: Decimal, places: u32) -> String {
    engine::format_fraction_as_percent(fraction, places)
}

fn rate_words(rate: &Rate) -> String {
    format!(
        "年利率{}（按{}天计息，日利率{}）",
        pct(rate.annual(), 4),
        rate.day_count().days(),
        pct(rate.daily(), 6)
    )
}

fn penalty_words(p: &Penalty, rate: &Rate) -> String {
    match p {
        Penalty::Markup(m) => format!(
            "罚息在合同利率之外加收{}（即年化{}）",
            pct(*m, 2),
            pct(rate.annual() * *m, 4)
        ),
        Penalty::AnnualRate(a) => format!("罚息年利率{}", pct(*a, 4)),
        Penalty::DailyRate(d) => format!("罚息日利率{}", pct(*d, 6)),
    }
}

fn method_words(m: Method) -> (&'static str, &'static str) {
    match m {
        Method::EqualInstallment => (
            "等额本息",
            "每月还款额 = 本金×月利率×(1+月利率)^期数 ÷ ((1+月利率)^期数 − 1)，最后一期还清余额",
        ),
        Method::EqualPrincipal => (
            "等额本金",
            "每月本金 = 本金÷期数，利息 = 剩余本金×月利率，最后一期还清余额",
        ),
        Method::InterestFirst => (
            "先息后本",
            "每月只还利息 = 本金×月利率，最后一期连本金一起还",
        ),
        Method::Bullet => (
            "到期一次还本付息",
            "最后一期还本金 + 本金×月利率×期数，此前每月为0",
        ),
    }
}

pub fn view(example: &Example, outcome: &Outcome, thresholds: &Thresholds) -> ExampleView {
    let mut v = ExampleView {
        id: example.id.clone(),
        title: example.title.clone(),
        kind: example.input.type_name(),
        note: example.note.clone(),
        inputs: String::new(),
        formula: String::new(),
        items: Vec::new(),
        rows: Vec::new(),
        options: Vec::new(),
        totals: Vec::new(),
        warnings: Vec::new(),
    };
    match (&example.input, outcome) {
        (ExampleInput::Overdue(i), Outcome::Overdue(r)) => {
            v.inputs = format!(
                "借款{}，{}，逾期{}天；{}{}。",
                yuan(i.principal),
                rate_words(&i.rate),
                i.days,
                penalty_words(&i.penalty, &i.rate),
                if i.compound {
                    format!("；未还利息{}计复利", yuan(i.unpaid_interest))
                } else {
                    String::new()
                }
            );
            v.formula =
                "利息 = 本金 × 日利率 × 天数；罚息 = 本金 × 罚息日利率 × 天数；每项四舍五入到分"
                    .into();
            v.items = vec![
                ItemView {
                    label: "正常利息".into(),
                    how: format!(
                        "{} × {} × {}天",
                        yuan(i.principal),
                        pct(r.daily_rate, 6),
                        i.days
                    ),
                    amount: yuan(r.interest),
                },
                ItemView {
                    label: "罚息".into(),
                    how: format!(
                        "{} × {} × {}天",
                        yuan(i.principal),
                        pct(r.penalty_daily_rate, 6),
                        i.days
                    ),
                    amount: yuan(r.penalty),
                },
            ];
            if i.compound {
                v.items.push(ItemView {
                    label: "复利".into(),
                    how: format!(
                        "{} × ({} + {}) × {}天",
                        yuan(i.unpaid_interest),
                        pct(r.daily_rate, 6),
                        pct(r.penalty_daily_rate, 6),
                        i.days
                    ),
                    amount: yuan(r.compound),
                });
            }
            v.totals = vec![
                ItemView {
                    label: "逾期期间的费用合计".into(),
                    how: "以上各项之和".into(),
                    amount: yuan(r.total_charges),
                },
                ItemView {
                    label: "到时应还总额".into(),
                    how: "本金 + 未还利息 + 费用合计".into(),
                    amount: yuan(r.total_due),
                },
            ];
        }
        (ExampleInput::Schedule(i), Outcome::Schedule(s)) => {
            let (name, formula) = method_words(i.method);
            v.inputs = format!(
                "借款{}，{}，分{}期，{}{}{}。",
                yuan(i.principal),
                rate_words(&i.rate),
                i.months,
                name,
                if i.monthly_fee_rate.is_zero() {
                    String::new()
                } else {
                    format!("，每月手续费为本金的{}", pct(i.monthly_fee_rate, 4))
                },
                if i.upfront_fee.amount().is_zero() {
                    String::new()
                } else {
                    format!("，放款时先扣{}", yuan(i.upfront_fee))
                },
            );
            v.formula = if i.monthly_fee_rate.is_zero() {
                formula.to_string()
            } else {
                format!("{formula}；手续费 = 原始本金×月费率")
            };
            v.rows = rows(s);
            v.totals = schedule_totals(s);
            v.warnings = cost_warnings(&i.rate, i.monthly_fee_rate, s, thresholds);
        }
        (ExampleInput::Negotiation { situation, options }, Outcome::Negotiation(outcomes)) => {
            v.inputs = situation_words(situation);
            v.formula = "结清后余额 = 本金 + 未还利息×(1 − 减免比例) + 已产生罚息×(1 − 减免比例)；分期与展期按所选方式计算；“与第一项相比”是和第一种做法的总还款额相比".into();
            v.options = options
                .iter()
                .zip(outcomes)
                .map(|(choice, o)| OptionView {
                    label: option_label(&choice.label, &choice.option),
                    total_paid: yuan(o.total_paid),
                    cost: yuan(o.cost),
                    first_payment: yuan(o.first_payment),
                    apr: o.apr.map_or_else(|| "—".into(), engine::format_percent),
                    saving: compared(o.saving),
                })
                .collect();
        }
        _ => {}
    }
    v
}

/// A saving against the first option, said the way a reader would.
fn compared(saving: Money) -> String {
    let amount = saving.amount();
    if amount.is_zero() {
        "—".into()
    } else if amount.is_sign_negative() {
        format!("多付{}", yuan(Money::new(-amount)))
    } else {
        format!("省{}", yuan(saving))
    }
}

fn rows(s: &Schedule) -> Vec<RowView> {
    s.rows
        .iter()
        .map(|r| RowView {
            period: r.period,
            payment: r.payment.to_grouped_string(),
            principal: r.principal.to_grouped_string(),
            interest: r.interest.to_grouped_string(),
            fee: r.fee.to_grouped_string(),
            balance: r.balance.to_grouped_string(),
        })
        .collect()
}

fn schedule_totals(s: &Schedule) -> Vec<ItemView> {
    vec![
        ItemView {
            label: "利息合计".into(),
            how: String::new(),
            amount: yuan(s.total_interest),
        },
        ItemView {
            label: "手续费合计".into(),
            how: String::new(),
            amount: yuan(s.total_fees),
        },
        ItemView {
            label: "总还款额".into(),
            how: "本金 + 利息 + 手续费".into(),
            amount: yuan(s.total_paid),
        },
        ItemView {
            label: "年化利率（APR）".into(),
            how: "按实际到手金额和每期还款算出的内部收益率 × 12（人民银行2021年第3号公告口径）"
                .into(),
            amount: engine::format_percent(s.apr),
        },
        ItemView {
            label: "实际年利率".into(),
            how: "(1 + 月内部收益率)^12 − 1".into(),
            amount: engine::format_percent(s.effective_annual_rate),
        },
    ]
}

fn cost_warnings(rate: &Rate, fee: Decimal, s: &Schedule, t: &Thresholds) -> Vec<String> {
    let mut w = Vec::new();
    let headline = rate.annual() + fee * Decimal::from(12);
    if !fee.is_zero() {
        w.push(format!(
            "宣传口径常把月费率×12说成“年费率{}”，但按实际占用资金计算，年化利率是{}。",
            pct(headline, 2),
            engine::format_percent(s.apr)
        ));
    }
    if let Some((cap, p)) = t.percent("apr-24").filter(|(cap, _)| s.apr > *cap) {
        w.push(format!(
            "年化利率超过{cap}%（{}，来源：{}）。可以要求贷款机构说明费用构成。",
            p.label, p.source.title
        ));
    }
    if let Some((cap, p)) = t.percent("lpr-4x").filter(|(cap, _)| s.apr > *cap) {
        w.push(format!(
            "年化利率超过{cap}%（{}）。注意：这条上限适用于民间借贷，不适用于银行、消费金融公司、小额贷款公司等持牌金融机构的贷款。",
            p.label
        ));
    }
    w
}

fn situation_words(s: &Situation) -> String {
    format!(
        "现在欠本金{}、未还利息{}、已产生罚息{}；{}，{}。",
        yuan(s.principal),
        yuan(s.unpaid_interest),
        yuan(s.penalty_accrued),
        rate_words(&s.rate),
        penalty_words(&s.penalty, &s.rate)
    )
}

fn option_label(label: &str, option: &NegotiationOption) -> String {
    let detail = match option {
        NegotiationOption::StayOverdue { .. } => String::new(),
        NegotiationOption::Settle { waivers }
        | NegotiationOption::Extension { waivers, .. }
        | NegotiationOption::Installment { waivers, .. } => {
            let mut parts = Vec::new();
            if !waivers.penalty.is_zero() {
                parts.push(format!("减免罚息{}", pct(waivers.penalty, 2)));
            }
            if !waivers.interest.is_zero() {
                parts.push(format!("减免利息{}", pct(waivers.interest, 2)));
            }
            match option {
                NegotiationOption::Installment {
                    pricing: Pricing::AnnualRate(r),
                    method,
                    ..
                } => parts.push(format!(
                    "{}，年利率{}",
                    method_words(*method).0,
                    pct(r.annual(), 4)
                )),
                NegotiationOption::Installment {
                    pricing: Pricing::MonthlyFeeRate(f),
                    method,
                    ..
                } => parts.push(format!(
                    "{}，月手续费{}",
                    method_words(*method).0,
                    pct(*f, 4)
                )),
                NegotiationOption::Extension { rate, .. } => {
                    parts.push(format!("先息后本，年利率{}", pct(rate.annual(), 4)))
                }
                _ => {}
            }
            parts.join("，")
        }
    };
    if detail.is_empty() {
        label.to_string()
    } else {
        format!("{label}（{detail}）")
    }
}
