//! Raw content structs: the YAML exactly as written, every scalar kept as a
//! string with its position, every struct closed to unknown keys.
//!
//! Nothing here is checked beyond YAML shape; `validate` turns these into the
//! typed model. Scalars stay strings on purpose: `84793.03` or `2025-01-18`
//! must never pass through a float or a YAML date guess.
//!
//! The doc comments on fields are what an editor shows for each key: they are
//! the descriptions in `lendguide schema`, which also needs a
//! `#[schemars(with = …)]` stand-in for each `Spanned` scalar: those, and the
//! rules of which keys each example type takes, come from
//! [`crate::vocabulary`], the leaf `validate` and `schema` read too.

use serde::Deserialize;
use serde_saphyr::Spanned;

mod example;
mod reader;
pub use example::{RawExample, RawOption, RawPenalty, RawSituation};
pub use reader::{RawCompareColumn, RawComplaintRoute, RawLenderOfRecord, RawLetter, RawLicence};

/// A scalar as written, with its line and column.
pub type S = Spanned<String>;

/// content/site.yaml: the site's title, disclaimer and legal thresholds.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Site")]
pub struct RawSite {
    /// 网站标题 / Site title.
    #[schemars(with = "String")]
    pub title: S,
    /// 一句话说明网站做什么 / One line under the title.
    #[schemars(with = "String")]
    pub tagline: S,
    /// 网站地址，以 / 结尾 / Full address ending in `/`, for canonical links and the sitemap.
    #[schemars(with = "crate::vocabulary::field::Url")]
    pub base_url: S,
    /// 数据多少天未核实就提醒 / Warn when a policy value's `as_of` is older than this many days (1–3650).
    #[schemars(with = "crate::vocabulary::field::Number")]
    pub staleness_days: S,
    /// 每页底部的免责声明 / Disclaimer shown on every page.
    #[schemars(with = "String")]
    pub disclaimer: S,
    /// 法律、监管上的标准数值，各附来源 / Legal thresholds, each with its source.
    #[serde(default)]
    pub thresholds: Vec<RawPolicyValue>,
    /// 被拒绝后的投诉途径，按贷款机构的牌照选用 / Complaint routes after a refusal, chosen by the lender's licence.
    #[serde(default)]
    pub complaint_routes: Vec<RawComplaintRoute>,
    /// 被拒绝后先试什么（Markdown，每条一句） / What to try next after a refusal, before complaining.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub if_refused: Vec<S>,
    /// 每类协商指南附的可复制信件 / A letter to copy for each negotiation guide kind.
    #[serde(default)]
    pub letters: Vec<RawLetter>,
    /// 对比页的列：各家 lender.yaml 里同一编号的政策 / Columns of /compare/: a policy id every lender may have.
    #[serde(default)]
    pub compare: Vec<RawCompareColumn>,
}

/// content/lenders/<slug>/lender.yaml: one lender, its channels, policy values and their history.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Lender")]
pub struct RawLender {
    /// 产品名称，如 微粒贷 / Product name shown on the site.
    #[schemars(with = "String")]
    pub name: S,
    /// 放贷机构全称 / The licensed lender behind the product, e.g. 微众银行（WeBank）.
    #[schemars(with = "String")]
    pub operator: S,
    /// 一句话介绍 / One-sentence summary.
    #[schemars(with = "String")]
    pub summary: S,
    /// 牌照类型，附来源 / The licence of the lender of record: bank | consumer-finance | microloan | platform.
    pub licence: RawLicence,
    /// 合同上的贷款人 / Who the loan contract names as lender; a platform lists its partner lenders and guarantor.
    pub lender_of_record: RawLenderOfRecord,
    /// 官方联系渠道（只写官方的） / Official contact channels only.
    #[serde(default)]
    pub channels: Vec<RawChannel>,
    /// 贷款机构自己的投诉渠道 / The lender's own complaint channels, tried before any regulator.
    #[serde(default)]
    pub complaint: Vec<RawChannel>,
    /// 贷款机构设定的每个数值，各附来源 / Every figure the lender sets, each with its source.
    #[serde(default)]
    pub policies: Vec<RawPolicyValue>,
    /// 政策数值的变更记录，可为 [] / Dated changes of policy values; may be `[]`.
    #[serde(default)]
    pub history: Vec<RawChange>,
}

/// An official way to contact the lender.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Channel")]
pub struct RawChannel {
    /// 渠道名称，如 客服热线 / Channel name.
    #[schemars(with = "String")]
    pub label: S,
    /// 电话号码、App 入口等，数字请加引号 / Number or where to find it; quote numbers: "95384".
    #[schemars(with = "String")]
    pub value: S,
    /// 可选：补充说明 / Optional remark, e.g. opening hours.
    #[schemars(with = "Option<String>")]
    pub note: Option<S>,
    /// 出处 / Where this comes from.
    pub source: RawSource,
    /// confirmed 已核实原文 | reported 公开报道 | unverified 未经核实.
    #[schemars(with = "crate::vocabulary::field::Confidence")]
    pub confidence: S,
}

/// A figure a lender or a regulation sets, with its source and date.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PolicyValue")]
pub struct RawPolicyValue {
    /// 唯一编号，小写字母、数字和 - / Unique id in this file, e.g. `penalty-rule`.
    #[schemars(with = "crate::vocabulary::field::Slug")]
    pub id: S,
    /// 名称，如 罚息规则 / What the figure is.
    #[schemars(with = "String")]
    pub label: S,
    /// 数值，照来源原样写 / The value as the source states it.
    #[schemars(with = "crate::vocabulary::field::Number")]
    pub value: S,
    /// 可选：给读者的说明 / Optional note for readers, e.g. that it is only reported.
    #[schemars(with = "Option<String>")]
    pub note: Option<S>,
    /// 出处 / Where this comes from.
    pub source: RawSource,
    /// 核实日期 "YYYY-MM-DD" / The day the value was last checked.
    #[schemars(with = "crate::vocabulary::field::Date")]
    pub as_of: S,
    /// confirmed 已核实原文 | reported 公开报道 | unverified 未经核实.
    #[schemars(with = "crate::vocabulary::field::Confidence")]
    pub confidence: S,
    /// 可选：计算示例用 `@<id>` 引用的数值，如 50%、日利率万分之五 / Optional figure that worked examples cite as `@<id>`, so a policy change recomputes them.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub figure: Option<S>,
}

/// A dated change of one policy value.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PolicyChange")]
pub struct RawChange {
    /// 变更日期 "YYYY-MM-DD" / When the change took effect.
    #[schemars(with = "crate::vocabulary::field::Date")]
    pub date: S,
    /// 变更的政策编号（policies 里的 id） / The `id` of the policy that changed.
    #[schemars(with = "crate::vocabulary::field::Slug")]
    pub policy: S,
    /// 可选：原来的值 / Optional: the value before.
    #[schemars(with = "Option<crate::vocabulary::field::Number>")]
    pub old: Option<S>,
    /// 新的值 / The value after.
    #[schemars(with = "crate::vocabulary::field::Number")]
    pub new: S,
    /// 可选：说明 / Optional note.
    #[schemars(with = "Option<String>")]
    pub note: Option<S>,
    /// 出处 / Where this comes from.
    pub source: RawSource,
}

/// Where a fact comes from: a title plus a link or a regulation's article.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Source")]
pub struct RawSource {
    /// 来源标题（必填） / Title of the source (required).
    #[schemars(with = "String")]
    pub title: S,
    /// 可选：原文链接，不要编造 / Optional full http(s) link; never invent one.
    #[schemars(with = "Option<crate::vocabulary::field::Url>")]
    pub url: Option<S>,
    /// 可选：法规条款，如 第十六条 / Optional article of a regulation.
    #[schemars(with = "Option<String>")]
    pub article: Option<S>,
    /// 可选：发布者 / Optional publisher.
    #[schemars(with = "Option<String>")]
    pub publisher: Option<S>,
    /// 可选：来源本身的日期（发布或生效） "YYYY-MM-DD" / Optional: the source's own date (published or in force).
    #[schemars(with = "Option<crate::vocabulary::field::Date>")]
    pub date: Option<S>,
}

/// A source as cited by a guide or topic: a source plus how sure we are.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Citation")]
pub struct RawCitation {
    /// 来源标题（必填） / Title of the source (required).
    #[schemars(with = "String")]
    pub title: S,
    /// 可选：原文链接，不要编造 / Optional full http(s) link; never invent one.
    #[schemars(with = "Option<crate::vocabulary::field::Url>")]
    pub url: Option<S>,
    /// 可选：法规条款，如 第六百七十八条 / Optional article of a regulation.
    #[schemars(with = "Option<String>")]
    pub article: Option<S>,
    /// 可选：发布者 / Optional publisher.
    #[schemars(with = "Option<String>")]
    pub publisher: Option<S>,
    /// 可选：来源本身的日期 "YYYY-MM-DD" / Optional: the source's own date.
    #[schemars(with = "Option<crate::vocabulary::field::Date>")]
    pub date: Option<S>,
    /// confirmed 已核实原文 | reported 公开报道 | unverified 未经核实.
    #[schemars(with = "crate::vocabulary::field::Confidence")]
    pub confidence: S,
    /// 可选：这个来源说了什么 / Optional: what this source says.
    #[schemars(with = "Option<String>")]
    pub note: Option<S>,
}

/// The front matter of content/lenders/<lender>/<guide>.md; the file name is the guide's slug.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Guide")]
pub struct RawGuide {
    /// 指南标题 / Guide title.
    #[schemars(with = "String")]
    pub title: S,
    /// 贷款机构（就是所在文件夹名） / The lender slug: the folder this file is in.
    #[schemars(with = "crate::vocabulary::field::Slug")]
    pub lender: S,
    /// 指南类型 / What the guide helps with: waiver 减免, installment 分期, extension 延期/展期, after-overdue 逾期处理, overdue-costs 逾期费用.
    #[schemars(with = "crate::vocabulary::field::GuideKind")]
    pub kind: S,
    /// 一两句话说明这篇指南帮读者做什么 / One or two sentences on what the reader gets.
    #[schemars(with = "String")]
    pub summary: S,
    /// 联系贷款机构时第一句话怎么说（协商类指南必填） / The one sentence to say first; required for waiver, installment and extension guides.
    #[schemars(with = "Option<String>")]
    pub say_first: Option<S>,
    /// 最后核实日期 "YYYY-MM-DD" / The day you last checked the guide.
    #[schemars(with = "crate::vocabulary::field::Date")]
    pub updated: S,
    /// 按顺序的步骤，显示为 第1步、第2步… / Ordered steps, each with an anchor `#<id>`.
    #[serde(default)]
    pub steps: Vec<RawStep>,
    /// 可打印的材料清单 / The printable materials checklist.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub materials: Vec<S>,
    /// 依据和来源 / Sources, each with a confidence mark.
    #[serde(default)]
    pub sources: Vec<RawCitation>,
    /// 算例：数字由引擎计算，正文用 {{ figure(…) }} 引用 / Worked examples computed by the engine.
    #[serde(default)]
    pub examples: Vec<RawExample>,
}

/// One step of a guide.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Step")]
pub struct RawStep {
    /// 步骤编号，用作锚点 / Step id, used as its anchor, e.g. `contact-early`.
    #[schemars(with = "crate::vocabulary::field::Slug")]
    pub id: S,
    /// 步骤标题 / Step title.
    #[schemars(with = "String")]
    pub title: S,
    /// 正文（Markdown），短段落、具体做法 / Markdown: short paragraphs, concrete actions.
    #[schemars(with = "String")]
    pub body: S,
    /// 可选：这一步要用的材料 / Optional materials for this step.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub materials: Vec<S>,
    /// 可选：电话里怎么说，一两句 / Optional: what to say on the phone, a sentence or two.
    #[schemars(with = "Option<String>")]
    pub script: Option<S>,
    /// 可选：这一步要留下的证据 / Optional: what to keep as evidence from this step.
    #[schemars(with = "Option<String>")]
    pub keep: Option<S>,
}

/// The front matter of content/topics/<topic>.md: a guide across lenders.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Topic")]
pub struct RawTopic {
    /// 专题标题 / Topic title.
    #[schemars(with = "String")]
    pub title: S,
    /// 一两句话介绍 / One or two sentences on what the reader gets.
    #[schemars(with = "String")]
    pub summary: S,
    /// 最后核实日期 "YYYY-MM-DD" / The day you last checked the topic.
    #[schemars(with = "crate::vocabulary::field::Date")]
    pub updated: S,
    /// 相关贷款机构（文件夹名） / Related lender slugs.
    #[serde(default)]
    #[schemars(with = "Vec<crate::vocabulary::field::Slug>")]
    pub lenders: Vec<S>,
    /// 依据和来源 / Sources, each with a confidence mark.
    #[serde(default)]
    pub sources: Vec<RawCitation>,
}
