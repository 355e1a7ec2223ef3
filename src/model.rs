//! The typed content model: what `validate` produces and every later stage
//! reads. Values here are already checked (slugs, dates, enums, references),
//! so later stages never re-validate or see raw YAML.
//!
//! Nothing in this module touches the filesystem or knows about HTML layout.

use std::fmt;

use crate::compute;
use crate::diagnostics::Located;
use crate::markdown::Markdown;

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
    pub fn lender(&self, slug: &str) -> Option<&Lender> {
        self.lenders.iter().find(|l| l.slug == slug)
    }

    pub fn guides_of<'a>(&'a self, lender: &'a str) -> impl Iterator<Item = &'a Guide> + 'a {
        self.guides.iter().filter(move |g| g.lender == lender)
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
}

#[derive(Debug, Clone)]
pub struct Lender {
    pub slug: String,
    pub name: String,
    pub operator: String,
    pub summary: String,
    pub channels: Vec<Channel>,
    pub policies: Vec<PolicyValue>,
    pub history: Vec<PolicyChange>,
    pub at: Located,
}

#[derive(Debug, Clone)]
pub struct Channel {
    pub label: String,
    pub value: String,
    pub note: Option<String>,
    pub source: Source,
    pub confidence: Confidence,
}

/// A figure a lender or a regulation sets, with where it comes from.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
pub struct PolicyChange {
    pub date: Date,
    pub policy: String,
    pub old: Option<String>,
    pub new: String,
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
    pub article: Option<String>,
    pub publisher: Option<String>,
}

/// A source as a guide or topic cites it.
#[derive(Debug, Clone)]
pub struct Citation {
    pub source: Source,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    Confirmed,
    Reported,
    Unverified,
}

impl Confidence {
    pub const NAMES: [&'static str; 3] = ["confirmed", "reported", "unverified"];

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GuideKind {
    Waiver,
    Installment,
    Extension,
    AfterOverdue,
    OverdueCosts,
}

impl GuideKind {
    pub const NAMES: [&'static str; 5] = [
        "waiver",
        "installment",
        "extension",
        "after-overdue",
        "overdue-costs",
    ];

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

#[derive(Debug, Clone)]
pub struct Guide {
    pub slug: String,
    pub lender: String,
    pub kind: GuideKind,
    pub title: String,
    pub summary: String,
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

/// A worked example: checked inputs for the engine, and the figures a
/// source claims (`expect:`), each with where it was written.
#[derive(Debug, Clone)]
pub struct Example {
    pub id: String,
    pub title: String,
    pub note: Option<String>,
    pub input: ExampleInput,
    pub expect: Vec<Expectation>,
    pub at: Located,
    /// Where each input key was written, for engine errors that name a key.
    pub keys: Vec<(&'static str, Located)>,
}

#[derive(Debug, Clone)]
pub enum ExampleInput {
    Overdue(compute::OverdueInput),
    Schedule(compute::ScheduleInput),
    Negotiation {
        situation: compute::Situation,
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
#[derive(Debug, Clone)]
pub struct NegotiationChoice {
    pub label: String,
    pub option: compute::NegotiationOption,
    pub at: Located,
}

/// A figure a source states for an output of the example.
#[derive(Debug, Clone)]
pub struct Expectation {
    /// Output name: `penalty`, `apr`, `options.2.total_paid`, …
    pub field: String,
    pub claimed: String,
    pub at: Located,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub body: Markdown,
    pub materials: Vec<String>,
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

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists in that month.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day == 0 || day > days {
            return None;
        }
        Some(Self {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Days since 1970-01-01 (civil calendar), for staleness checks.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The civil date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Option<Self> {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Some(Self {
            year: u16::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }

    /// Today (UTC) from the system clock, or `LENDGUIDE_TODAY=YYYY-MM-DD`
    /// when set, so staleness checks can be reproduced.
    pub fn today() -> Self {
        if let Some(d) = std::env::var("LENDGUIDE_TODAY")
            .ok()
            .and_then(|v| Self::parse(&v))
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0)).unwrap_or(Self {
            year: 1970,
            month: 1,
            day: 1,
        })
    }

    /// `2025年1月18日`, the way the site shows dates.
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
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
    fn dates_are_checked() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()),
            Some("2024-02-29".into())
        );
        assert!(Date::parse("2025-02-29").is_none());
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("2025-1-01").is_none());
        assert!(Date::parse("２０２５-01-01").is_none());
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
        for s in ["2024-02-29", "2026-11-25", "1999-12-31", "2100-03-01"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), Some(d));
        }
    }

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
