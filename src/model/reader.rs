//! The typed facts behind the reader-first parts of a page: the licence of
//! the lender of record, who that lender is, the regulators' complaint
//! routes and which licences each serves, and the letters readers copy.

use super::{Confidence, Date, GuideKind, Source};

use crate::vocabulary;

/// A fact with its source, the day we checked it and how sure we are.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Sourced<T> {
    pub value: T,
    pub note: Option<String>,
    pub source: Source,
    pub as_of: Date,
    pub confidence: Confidence,
}

/// What kind of institution the contract's lender is; it decides which
/// regulator hears a complaint.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Licence {
    Bank,
    ConsumerFinance,
    Microloan,
    Platform,
}

impl Licence {
    pub const NAMES: [&'static str; 4] = vocabulary::LICENCES;
    /// What a complaint route's `applies_to` may name.
    pub const SCOPES: [&'static str; 5] = vocabulary::ROUTE_SCOPES;
    const ALL: [Licence; 4] = [
        Licence::Bank,
        Licence::ConsumerFinance,
        Licence::Microloan,
        Licence::Platform,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Self::ALL[i])
    }

    pub fn key(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The reader-facing name of the licence.
    pub fn label(self) -> &'static str {
        match self {
            Self::Bank => "银行",
            Self::ConsumerFinance => "消费金融公司",
            Self::Microloan => "小额贷款公司",
            Self::Platform => "助贷平台（钱由合作机构出借）",
        }
    }
}

/// Which lenders a complaint route serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteScope {
    Licence(Licence),
    All,
}

impl RouteScope {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "all" => Some(Self::All),
            other => Licence::parse(other).map(Self::Licence),
        }
    }
}

/// Who the loan contract names as lender.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LenderOfRecord {
    pub name: String,
    /// A platform's partner lenders.
    pub partners: Vec<String>,
    pub guarantor: Option<String>,
    pub note: Option<String>,
    pub source: Source,
    pub as_of: Date,
    pub confidence: Confidence,
}

/// A regulator's complaint route (site.yaml).
#[derive(Debug, Clone)]
pub struct ComplaintRoute {
    pub id: String,
    pub applies_to: Vec<RouteScope>,
    pub label: String,
    pub value: String,
    pub note: Option<String>,
    pub source: Source,
    pub confidence: Confidence,
}

impl ComplaintRoute {
    /// The one rule for which routes a reader sees: those that name the
    /// lender's licence, or all lenders. The lender's own complaint
    /// channels always come first; that order is the page's, not this.
    pub fn serves(&self, licence: Licence) -> bool {
        self.applies_to
            .iter()
            .any(|s| *s == RouteScope::All || *s == RouteScope::Licence(licence))
    }
}

/// A letter a reader copies (site.yaml), one per negotiation guide kind.
#[derive(Debug, Clone)]
pub struct Letter {
    pub kind: GuideKind,
    pub title: String,
    /// Plain text; 【…】 marks what the reader replaces.
    pub body: String,
}

/// A column of the compare page: which policy id to line up, and its label.
#[derive(Debug, Clone)]
pub struct CompareColumn {
    pub policy: String,
    pub label: String,
}

/// How much of a contact (a channel or complaint route) a page may show,
/// given how sure we are of it: the one rule every page and the search
/// index follow. A confirmed value is shown as it is; a reported number
/// with a reminder to check it in the app; an unverified number not at all,
/// only where to find the real one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Displayed {
    pub value: Option<String>,
    pub caution: Option<String>,
}

impl Displayed {
    /// The contact in one line of text, `label：value（caution）`, for
    /// places that show it as plain text (the compare page, search).
    pub fn line(&self, label: &str) -> String {
        match (&self.value, &self.caution) {
            (Some(v), None) => format!("{label}：{v}"),
            (Some(v), Some(caution)) => format!("{label}：{v}（{caution}）"),
            (None, Some(caution)) => format!("{label}：{caution}"),
            (None, None) => label.to_string(),
        }
    }
}

pub fn displayed(value: &str, confidence: Confidence, lender_name: &str) -> Displayed {
    let number = value.chars().filter(char::is_ascii_digit).count() >= 5;
    let shown = |caution: Option<&str>| Displayed {
        value: Some(value.to_string()),
        caution: caution.map(str::to_string),
    };
    match (confidence, number) {
        (Confidence::Confirmed, _) | (Confidence::Reported, false) => shown(None),
        (Confidence::Reported, true) => shown(Some("据报道，拨打前请在App里核对")),
        (Confidence::Unverified, true) => Displayed {
            value: None,
            caution: Some(format!(
                "号码未经核实，请在{lender_name}的App或官方页面的客服入口里核对"
            )),
        },
        (Confidence::Unverified, false) => shown(Some("未经核实，请在App里核对")),
    }
}
