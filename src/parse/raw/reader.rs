//! Raw keys behind the pages a reader in trouble needs first: who the lender
//! of record is and what licence it holds (lender.yaml), and the site-wide
//! complaint routes and letters (site.yaml). Shapes only; `validate` checks
//! the values.

use serde::Deserialize;

use super::{RawSource, S};

/// The licence of the lender of record, sourced.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Licence")]
pub struct RawLicence {
    /// bank 银行 | consumer-finance 消费金融公司 | microloan 小额贷款公司 | platform 助贷平台.
    #[schemars(with = "crate::vocabulary::field::Licence")]
    pub value: S,
    /// 可选：对读者意味着什么 / Optional: what the licence means for the reader.
    #[schemars(with = "Option<String>")]
    pub note: Option<S>,
    /// 出处 / Where this comes from.
    pub source: RawSource,
    /// 核对日期 "YYYY-MM-DD" / The day we last checked it.
    #[schemars(with = "crate::vocabulary::field::Date")]
    pub as_of: S,
    /// confirmed 已核实原文 | reported 公开报道 | unverified 未经核实.
    #[schemars(with = "crate::vocabulary::field::Confidence")]
    pub confidence: S,
}

/// Who the loan contract names as lender.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LenderOfRecord")]
pub struct RawLenderOfRecord {
    /// 合同上的贷款人全称 / The lender named in the contract, e.g. 深圳前海微众银行股份有限公司.
    #[schemars(with = "String")]
    pub value: S,
    /// 平台：合作放贷机构 / A platform's partner lenders (banks, consumer-finance or microloan companies).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub partners: Vec<S>,
    /// 可选：担保公司 / Optional guarantor that may repay the lender (代偿) and then collect.
    #[schemars(with = "Option<String>")]
    pub guarantor: Option<S>,
    /// 可选：说明 / Optional remark, e.g. how to find the lender in the contract.
    #[schemars(with = "Option<String>")]
    pub note: Option<S>,
    /// 出处 / Where this comes from.
    pub source: RawSource,
    /// 核对日期 "YYYY-MM-DD" / The day we last checked it.
    #[schemars(with = "crate::vocabulary::field::Date")]
    pub as_of: S,
    /// confirmed 已核实原文 | reported 公开报道 | unverified 未经核实.
    #[schemars(with = "crate::vocabulary::field::Confidence")]
    pub confidence: S,
}

/// A regulator's complaint route, offered after the lender's own channel
/// to readers whose lender holds one of `applies_to`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ComplaintRoute")]
pub struct RawComplaintRoute {
    /// 唯一编号 / Unique id, e.g. `nfra-12378`.
    #[schemars(with = "crate::vocabulary::field::Slug")]
    pub id: S,
    /// 适用的牌照，或 all / The licences this route serves, or `all`.
    #[schemars(with = "Vec<crate::vocabulary::field::RouteScope>")]
    pub applies_to: Vec<S>,
    /// 名称 / Name, e.g. 国家金融监督管理总局 12378 热线.
    #[schemars(with = "String")]
    pub label: S,
    /// 怎么联系（号码请加引号） / How to reach it; quote numbers: "12378".
    #[schemars(with = "String")]
    pub value: S,
    /// 可选：管什么、多久答复 / Optional: what it handles, how long a reply takes.
    #[schemars(with = "Option<String>")]
    pub note: Option<S>,
    /// 出处 / Where this comes from.
    pub source: RawSource,
    /// confirmed 已核实原文 | reported 公开报道 | unverified 未经核实.
    #[schemars(with = "crate::vocabulary::field::Confidence")]
    pub confidence: S,
}

/// A letter a reader copies, fills in and sends.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Letter")]
pub struct RawLetter {
    /// 用于哪类指南 / The guide kind: waiver | installment | extension | after-overdue.
    #[schemars(with = "crate::vocabulary::field::GuideKind")]
    pub kind: S,
    /// 信的标题，如 减免申请 / Title, e.g. 减免罚息申请.
    #[schemars(with = "String")]
    pub title: S,
    /// 正文（纯文本），【】里是读者要替换的内容 / Plain text; 【…】 marks what the reader replaces.
    #[schemars(with = "String")]
    pub body: S,
}

/// A column of the compare page: the policy of this id in each lender.yaml.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CompareColumn")]
pub struct RawCompareColumn {
    /// 政策编号，如 penalty-rule / The policy id to line up, e.g. `penalty-rule`.
    #[schemars(with = "crate::vocabulary::field::Slug")]
    pub policy: S,
    /// 列名 / Column heading, e.g. 罚息规则.
    #[schemars(with = "String")]
    pub label: S,
}
