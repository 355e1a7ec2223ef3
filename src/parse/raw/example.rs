//! Raw worked examples: the `examples:` entries of a guide (and `calc`'s
//! input), one struct for every `type` so a typo in any key is still an
//! unknown-key error. Which keys a type takes is checked in `validate`,
//! against the tables in [`crate::vocabulary`].

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::S;

/// A worked example as written under `examples:` in a guide. One struct for
/// every `type` so a typo in any key is still an unknown-key error; which
/// keys a type takes is checked in `validate`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Example",
    transform = crate::vocabulary::rules::example_rules,
    description = "A worked example: the engine computes every figure. overdue: principal, annual_rate | daily_rate, days, penalty, unpaid_interest, compound, day_count. schedule: principal, annual_rate, months, method, monthly_fee_rate, upfront_fee, day_count. negotiation: situation, options."
)]
pub struct RawExample {
    /// 算例编号，正文用它引用 / Example id, cited as {{ figure("<id>", "<output>") }}.
    #[schemars(with = "crate::vocabulary::field::Slug")]
    pub id: S,
    /// 算例标题 / Example title, e.g. 借款1万元、年利率18%、逾期30天要多付多少.
    #[schemars(with = "String")]
    pub title: S,
    /// overdue 逾期费用 | schedule 还款计划 | negotiation 协商方案对比.
    #[serde(rename = "type")]
    #[schemars(with = "crate::vocabulary::field::ExampleType")]
    pub kind: S,
    /// 可选：说明 / Optional note shown under the example.
    #[schemars(with = "Option<String>")]
    pub note: Option<S>,
    /// 本金（元） / Principal in yuan (overdue, schedule).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub principal: Option<S>,
    /// 年利率，如 18% 或 年化18% / Annual rate (not with daily_rate).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub annual_rate: Option<S>,
    /// 日利率，如 0.05% 或 日利率万分之五 / Daily rate (overdue; not with annual_rate).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub daily_rate: Option<S>,
    /// 360（默认）或 365 / Days in a year for the daily rate: 360 (default) or 365.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub day_count: Option<S>,
    /// 逾期天数 1–36500 / Days overdue (overdue).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub days: Option<S>,
    /// 罚息：{markup: 50%}、{annual_rate: 27%} 或 {daily_rate: 0.075%} / Penalty rate (overdue).
    #[schemars(with = "Option<RawPenalty>")]
    pub penalty: Option<Spanned<RawPenalty>>,
    /// 已欠未还的利息（元），默认 0 / Unpaid interest in yuan (overdue), default 0.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub unpaid_interest: Option<S>,
    /// 是否计复利，默认 false / Whether unpaid interest bears interest (overdue), default false.
    #[schemars(with = "Option<crate::vocabulary::field::Flag>")]
    pub compound: Option<S>,
    /// 期数（月） 1–600 / Number of months (schedule).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub months: Option<S>,
    /// 还款方式 / Repayment method (schedule): equal-installment 等额本息, equal-principal 等额本金, interest-first 先息后本, bullet 到期一次还本付息.
    #[schemars(with = "Option<crate::vocabulary::field::Method>")]
    pub method: Option<S>,
    /// 每月服务费率（按原始本金） / Monthly fee rate on the original principal (schedule), default 0.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub monthly_fee_rate: Option<S>,
    /// 放款时扣除的费用（元） / Fee deducted from the cash received (schedule), default 0.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub upfront_fee: Option<S>,
    /// 协商时的欠款情况 / The overdue situation the options start from (negotiation).
    #[schemars(with = "Option<RawSituation>")]
    pub situation: Option<Spanned<RawSituation>>,
    /// 可选方案，逐一比较 / The options compared side by side (negotiation).
    #[schemars(with = "Option<Vec<RawOption>>")]
    pub options: Option<Vec<Spanned<RawOption>>>,
    /// Figures a source states, by output name; `check` compares them.
    #[schemars(
        with = "Option<std::collections::BTreeMap<String, crate::vocabulary::field::Number>>"
    )]
    pub expect: Option<std::collections::BTreeMap<String, S>>,
}

/// `penalty:` takes exactly one of these.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Penalty",
    extend("minProperties" = 1, "maxProperties" = 1)
)]
pub struct RawPenalty {
    /// 罚息日利率，如 0.075% / Penalty as a daily rate.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub daily_rate: Option<S>,
    /// 罚息年利率，如 27% / Penalty as an annual rate.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub annual_rate: Option<S>,
    /// 在合同利率上加收的比例，如 50% / Extra rate as a fraction of the contract rate.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub markup: Option<S>,
}

/// The overdue situation a negotiation starts from.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Situation")]
pub struct RawSituation {
    /// 未还本金（元） / Unpaid principal in yuan.
    #[schemars(with = "crate::vocabulary::field::Number")]
    pub principal: S,
    /// 已欠利息（元），默认 0 / Unpaid interest in yuan, default 0.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub unpaid_interest: Option<S>,
    /// 已产生的罚息（元），默认 0 / Penalty already charged in yuan, default 0.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub penalty_accrued: Option<S>,
    /// 合同年利率 / Contract annual rate (not with daily_rate).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub annual_rate: Option<S>,
    /// 合同日利率 / Contract daily rate (not with annual_rate).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub daily_rate: Option<S>,
    /// 360（默认）或 365 / 360 (default) or 365.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub day_count: Option<S>,
    /// 罚息 / Penalty rate while overdue.
    #[schemars(with = "Option<RawPenalty>")]
    pub penalty: Option<Spanned<RawPenalty>>,
}

/// One option of a negotiation.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NegotiationOption", transform = crate::vocabulary::rules::option_rules)]
pub struct RawOption {
    /// stay-overdue 继续逾期 {days} | settle 一次结清 {waive_*} | installment 分期 {months, method, annual_rate | monthly_fee_rate, waive_*} | extension 展期 {months, annual_rate, waive_*}.
    #[schemars(with = "crate::vocabulary::field::OptionKind")]
    pub kind: S,
    /// 可选：表格里显示的名称 / Optional label shown in the table.
    #[schemars(with = "Option<String>")]
    pub label: Option<S>,
    /// 继续逾期的天数 / Days (stay-overdue).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub days: Option<S>,
    /// 期数（月） / Months (installment, extension).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub months: Option<S>,
    /// 还款方式，默认等额本息 / Repayment method (installment), default equal-installment.
    #[schemars(with = "Option<crate::vocabulary::field::Method>")]
    pub method: Option<S>,
    /// 年利率，默认 0% / Annual rate (installment, extension).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub annual_rate: Option<S>,
    /// 每月服务费率 / Monthly fee rate (installment; not with annual_rate).
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub monthly_fee_rate: Option<S>,
    /// 减免罚息的比例，如 100% / Share of the penalty waived, default 0%.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub waive_penalty: Option<S>,
    /// 减免利息的比例 / Share of the unpaid interest waived, default 0%.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub waive_interest: Option<S>,
}
