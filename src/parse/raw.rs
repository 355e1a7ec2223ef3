//! Raw content structs: the YAML exactly as written, every scalar kept as a
//! string with its position, every struct closed to unknown keys.
//!
//! Nothing here is checked beyond YAML shape; `validate` turns these into the
//! typed model. Scalars stay strings on purpose: `84793.03` or `2025-01-18`
//! must never pass through a float or a YAML date guess.

use serde::Deserialize;
use serde_saphyr::Spanned;

/// A scalar as written, with its line and column.
pub type S = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: S,
    pub tagline: S,
    pub base_url: S,
    pub staleness_days: S,
    pub disclaimer: S,
    #[serde(default)]
    pub thresholds: Vec<RawPolicyValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLender {
    pub name: S,
    pub operator: S,
    pub summary: S,
    #[serde(default)]
    pub channels: Vec<RawChannel>,
    #[serde(default)]
    pub policies: Vec<RawPolicyValue>,
    #[serde(default)]
    pub history: Vec<RawChange>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    pub label: S,
    pub value: S,
    pub note: Option<S>,
    pub source: RawSource,
    pub confidence: S,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicyValue {
    pub id: S,
    pub label: S,
    pub value: S,
    pub note: Option<S>,
    pub source: RawSource,
    pub as_of: S,
    pub confidence: S,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    pub date: S,
    pub policy: S,
    pub old: Option<S>,
    pub new: S,
    pub note: Option<S>,
    pub source: RawSource,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: S,
    pub url: Option<S>,
    pub article: Option<S>,
    pub publisher: Option<S>,
}

/// A source as cited by a guide or topic: a source plus how sure we are.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCitation {
    pub title: S,
    pub url: Option<S>,
    pub article: Option<S>,
    pub publisher: Option<S>,
    pub confidence: S,
    pub note: Option<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGuide {
    pub title: S,
    pub lender: S,
    pub kind: S,
    pub summary: S,
    pub updated: S,
    #[serde(default)]
    pub steps: Vec<RawStep>,
    #[serde(default)]
    pub materials: Vec<S>,
    #[serde(default)]
    pub sources: Vec<RawCitation>,
    #[serde(default)]
    pub examples: Vec<RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub id: S,
    pub title: S,
    pub body: S,
    #[serde(default)]
    pub materials: Vec<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub title: S,
    pub summary: S,
    pub updated: S,
    #[serde(default)]
    pub lenders: Vec<S>,
    #[serde(default)]
    pub sources: Vec<RawCitation>,
}

/// A worked example as written under `examples:` in a guide. One struct for
/// every `type` so a typo in any key is still an unknown-key error; which
/// keys a type takes is checked in `validate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExample {
    pub id: S,
    pub title: S,
    #[serde(rename = "type")]
    pub kind: S,
    pub note: Option<S>,
    pub principal: Option<S>,
    pub annual_rate: Option<S>,
    pub daily_rate: Option<S>,
    pub day_count: Option<S>,
    pub days: Option<S>,
    pub penalty: Option<Spanned<RawPenalty>>,
    pub unpaid_interest: Option<S>,
    pub compound: Option<S>,
    pub months: Option<S>,
    pub method: Option<S>,
    pub monthly_fee_rate: Option<S>,
    pub upfront_fee: Option<S>,
    pub situation: Option<Spanned<RawSituation>>,
    pub options: Option<Vec<Spanned<RawOption>>>,
    /// Figures a source states, by output name; `check` compares them.
    pub expect: Option<std::collections::BTreeMap<String, S>>,
}

/// `penalty:` takes exactly one of these.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPenalty {
    pub daily_rate: Option<S>,
    pub annual_rate: Option<S>,
    pub markup: Option<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSituation {
    pub principal: S,
    pub unpaid_interest: Option<S>,
    pub penalty_accrued: Option<S>,
    pub annual_rate: Option<S>,
    pub daily_rate: Option<S>,
    pub day_count: Option<S>,
    pub penalty: Option<Spanned<RawPenalty>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub kind: S,
    pub label: Option<S>,
    pub days: Option<S>,
    pub months: Option<S>,
    pub method: Option<S>,
    pub annual_rate: Option<S>,
    pub monthly_fee_rate: Option<S>,
    pub waive_penalty: Option<S>,
    pub waive_interest: Option<S>,
}
