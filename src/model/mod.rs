//! The typed content model: what `validate` produces and every later stage
//! reads. Values here are already checked (slugs, dates, enums, references),
//! so later stages never re-validate or see raw YAML.
//!
//! Nothing in this module touches the filesystem or knows about HTML layout.

mod date;
mod reader;

pub use date::Date;
pub use reader::{
    CompareColumn, ComplaintRoute, Displayed, LenderOfRecord, Letter, Licence, RouteScope, Sourced,
    displayed,
};

use crate::diagnostics::Located;
use crate::engine;
use crate::markdown::Markdown;
use crate::vocabulary;

/// Everything the site is built from, in deterministic (sorted) order.
#[derive(Debug, Clone)]
pub struct Content {
    pub site: Site,
    /// Sorted by slug.
    pub lenders: Vec<Lender>,
    /// Sorted by (lender, slug).
    pub guides: Vec<Guide>,
    /// Sorted by slug.
    pub topics: Vec<Topic>,
}

impl Content {
    /// Binary search: `lenders` is sorted by slug.
    pub fn lender(&self, slug: &str) -> Option<&Lender> {
        self.lenders
            .binary_search_by(|l| l.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &self.lenders[i])
    }

    /// The guides of one lender: a range of `guides`, sorted by lender, so a
    /// site of thousands of lenders does not scan every guide per lender.
    pub fn guides_of<'a>(&'a self, lender: &str) -> impl Iterator<Item = &'a Guide> + 'a {
        let start = self.guides.partition_point(|g| g.lender.as_str() < lender);
        let end = self.guides.partition_point(|g| g.lender.as_str() <= lender);
        self.guides[start..end].iter()
    }
}

#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub tagline: String,
    pub base_url: String,
    pub staleness_days: u32,
    pub disclaimer: String,
    pub thresholds: Vec<PolicyValue>,
    pub complaint_routes: Vec<ComplaintRoute>,
    /// What to try after a refusal, before complaining (Markdown, inline).
    pub if_refused: Vec<Markdown>,
    pub letters: Vec<Letter>,
    /// The compare page's policy columns, in order.
    pub compare: Vec<CompareColumn>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Lender {
    pub slug: String,
    pub name: String,
    pub operator: String,
    pub summary: String,
    pub licence: Sourced<Licence>,
    pub lender_of_record: LenderOfRecord,
    pub channels: Vec<Channel>,
    /// The lender's own complaint channels.
    pub complaint: Vec<Channel>,
    pub policies: Vec<PolicyValue>,
    pub history: Vec<PolicyChange>,
    pub at: Located,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Channel {
    pub label: String,
    pub value: String,
    pub note: Option<String>,
    pub source: Source,
    pub confidence: Confidence,
}

/// A figure a lender or a regulation sets, with where it comes from.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PolicyValue {
    pub id: String,
    pub label: String,
    pub value: String,
    pub note: Option<String>,
    pub source: Source,
    pub as_of: Date,
    pub confidence: Confidence,
    /// A machine-readable figure examples may cite as `@<id>`.
    pub figure: Option<String>,
    pub at: Located,
}

/// A dated change of one policy value.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PolicyChange {
    pub date: Date,
    pub policy: String,
    pub old: Option<String>,
    pub new: String,
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
    pub article: Option<String>,
    pub publisher: Option<String>,
    /// The source's own date (published or in force), beside the date we
    /// checked it (`as_of` where the fact has one).
    pub date: Option<Date>,
}

/// A source as a guide or topic cites it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Citation {
    pub source: Source,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Confidence {
    Confirmed,
    Reported,
    Unverified,
}

impl Confidence {
    pub const NAMES: [&'static str; 3] = vocabulary::CONFIDENCES;

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "confirmed" => Some(Self::Confirmed),
            "reported" => Some(Self::Reported),
            "unverified" => Some(Self::Unverified),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The reader-facing label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Confirmed => "已核实",
            Self::Reported => "公开报道",
            Self::Unverified => "未经核实",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum GuideKind {
    Waiver,
    Installment,
    Extension,
    AfterOverdue,
    OverdueCosts,
}

impl GuideKind {
    /// Guides about asking the lender for something: they open with the
    /// act-now card and carry a letter and the refusal routes.
    pub fn is_negotiation(self) -> bool {
        matches!(self, Self::Waiver | Self::Installment | Self::Extension)
    }

    pub const NAMES: [&'static str; 5] = vocabulary::GUIDE_KINDS;

    pub fn parse(s: &str) -> Option<Self> {
        const ALL: [GuideKind; 5] = [
            GuideKind::Waiver,
            GuideKind::Installment,
            GuideKind::Extension,
            GuideKind::AfterOverdue,
            GuideKind::OverdueCosts,
        ];
        Self::NAMES.iter().position(|n| *n == s).map(|i| ALL[i])
    }

    pub fn key(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Waiver => "减免罚息/利息",
            Self::Installment => "协商分期",
            Self::Extension => "延期/展期",
            Self::AfterOverdue => "逾期处理",
            Self::OverdueCosts => "逾期费用与后果",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Guide {
    pub slug: String,
    pub lender: String,
    pub kind: GuideKind,
    pub title: String,
    pub summary: String,
    /// The one sentence to say first (negotiation guides).
    pub say_first: Option<String>,
    pub updated: Date,
    pub steps: Vec<Step>,
    pub materials: Vec<String>,
    pub sources: Vec<Citation>,
    pub examples: Vec<Example>,
    /// What each placeholder in the prose stands for (see `shortcode`).
    pub shortcodes: Vec<crate::shortcode::Shortcode>,
    pub body: Markdown,
    pub at: Located,
}

impl Guide {
    /// Every link written in the guide's prose: its body, then its steps.
    pub fn links(&self) -> impl Iterator<Item = &crate::markdown::Link> {
        let steps = self.steps.iter().flat_map(|s| &s.body.links);
        self.body.links.iter().chain(steps)
    }
}

/// A worked example: checked inputs for the engine, and the figures a
/// source claims (`expect:`), each with where it was written.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Example {
    pub id: String,
    pub title: String,
    pub note: Option<String>,
    pub input: ExampleInput,
    pub expect: Vec<Expectation>,
    pub at: Located,
    /// Where each input key was written, for engine errors that name a key.
    pub keys: Vec<(std::borrow::Cow<'static, str>, Located)>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum ExampleInput {
    Overdue(engine::OverdueInput),
    Schedule(engine::ScheduleInput),
    Negotiation {
        situation: engine::Situation,
        options: Vec<NegotiationChoice>,
    },
}

impl Example {
    /// Number of negotiation options (0 for other types).
    pub fn options(&self) -> usize {
        match &self.input {
            ExampleInput::Negotiation { options, .. } => options.len(),
            _ => 0,
        }
    }
}

impl ExampleInput {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Overdue(_) => "overdue",
            Self::Schedule(_) => "schedule",
            Self::Negotiation { .. } => "negotiation",
        }
    }
}

/// One option of a negotiation, with the label the page shows.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NegotiationChoice {
    pub label: String,
    pub option: engine::NegotiationOption,
    pub at: Located,
}

/// A figure a source states for an output of the example.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Expectation {
    /// Output name: `penalty`, `apr`, `options.2.total_paid`, …
    pub field: String,
    pub claimed: String,
    pub at: Located,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub body: Markdown,
    pub materials: Vec<String>,
    /// What to say on the phone.
    pub script: Option<String>,
    /// What to keep as evidence.
    pub keep: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub updated: Date,
    pub lenders: Vec<String>,
    pub sources: Vec<Citation>,
    pub body: Markdown,
    pub at: Located,
}

/// Slugs name folders, files and URLs: `[a-z0-9-]+`, no leading/trailing dash.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("weilidai"));
        assert!(is_slug("after-overdue-2"));
        assert!(!is_slug("Weilidai"));
        assert!(!is_slug("../x"));
        assert!(!is_slug("-x"));
        assert!(!is_slug("微粒贷"));
    }
}
