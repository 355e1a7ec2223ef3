//! Field checks shared by every file kind: text, dates, slugs, enums,
//! sources and policy values. Each returns `Option` and pushes a located
//! diagnostic on failure, so one bad field never hides the next.

use crate::diagnostics::Diagnostic;
use crate::memo::Memo;
use crate::model::{Citation, Confidence, Date, PolicyValue, Source, is_slug};
use crate::parse::Doc;
use crate::parse::raw::{RawCitation, RawPolicyValue, RawSource, S};
use crate::suggest::did_you_mean;

/// The marker `lendguide new` leaves where a person must write something.
pub const PLACEHOLDER: &str = "待填写";

/// Collects diagnostics for one document while its fields are checked.
pub struct Checker<'a, T> {
    pub doc: &'a Doc<'a, T>,
    pub diags: &'a mut Vec<Diagnostic>,
    /// Where rendered Markdown is remembered between rebuilds (`serve`).
    pub memo: Option<&'a Memo>,
}

impl<'a, T> Checker<'a, T> {
    pub fn new(doc: &'a Doc<'a, T>, diags: &'a mut Vec<Diagnostic>) -> Self {
        Self {
            doc,
            diags,
            memo: None,
        }
    }

    /// Renders Markdown through `memo` (`serve`).
    pub fn remembering(self, memo: Option<&'a Memo>) -> Self {
        Self { memo, ..self }
    }

    pub fn error(
        &mut self,
        code: &'static str,
        s: &S,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::error(code, &self.doc.at(s), message).with_help(help);
        self.diags.push(d);
    }

    /// Non-empty text, trimmed.
    pub fn text(&mut self, s: &S, what: &str) -> String {
        let t = s.value.trim();
        if t.is_empty() {
            self.error(
                "empty",
                s,
                format!("{what} is empty"),
                format!("write the {what}"),
            );
        }
        if t.contains(PLACEHOLDER) {
            let d = crate::diagnostics::Diagnostic::warning(
                "placeholder",
                &self.doc.at(s),
                format!("{what} still holds the `{PLACEHOLDER}` placeholder from `lendguide new`"),
            )
            .with_help(
                "replace it with real text before publishing (`check --strict` fails on it)",
            );
            self.diags.push(d);
        }
        t.to_string()
    }

    pub fn opt_text(&mut self, s: &Option<S>) -> Option<String> {
        s.as_ref()
            .map(|s| s.value.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    pub fn date(&mut self, s: &S) -> Option<Date> {
        let d = Date::parse(s.value.trim());
        if d.is_none() {
            self.error(
                "bad-date",
                s,
                format!("`{}` is not a date", s.value),
                "write dates as \"YYYY-MM-DD\", e.g. \"2025-01-18\", and check the day exists",
            );
        }
        d
    }

    pub fn slug(&mut self, s: &S, what: &str) -> Option<String> {
        let v = s.value.trim();
        if is_slug(v) {
            Some(v.to_string())
        } else {
            self.error(
                "bad-slug",
                s,
                format!("{what} `{v}` is not a valid slug"),
                "use lower-case letters, digits and dashes only, e.g. `contact-early`",
            );
            None
        }
    }

    /// One of a fixed set of names, with a suggestion for near misses.
    pub fn one_of<E>(
        &mut self,
        s: &S,
        what: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<E>,
    ) -> Option<E> {
        let v = s.value.trim();
        let parsed = parse(v);
        if parsed.is_none() {
            let help = match did_you_mean(v, names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("use one of: {}", names.join(", ")),
            };
            self.error("bad-value", s, format!("unknown {what} `{v}`"), help);
        }
        parsed
    }

    pub fn confidence(&mut self, s: &S) -> Option<Confidence> {
        self.one_of(s, "confidence", &Confidence::NAMES, Confidence::parse)
    }

    pub fn url(&mut self, s: &Option<S>) -> Option<String> {
        let s = s.as_ref()?;
        let v = s.value.trim();
        let ok = (v.starts_with("https://") || v.starts_with("http://"))
            && v.len() > 8
            && !v
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>');
        if ok {
            Some(v.to_string())
        } else {
            self.error(
                "bad-url",
                s,
                format!("`{v}` is not a web address"),
                "sources link with a full http:// or https:// address; leave `url` out if there is none",
            );
            None
        }
    }

    pub fn source(&mut self, raw: &RawSource) -> Source {
        Source {
            title: self.text(&raw.title, "source title"),
            url: self.url(&raw.url),
            article: self.opt_text(&raw.article),
            publisher: self.opt_text(&raw.publisher),
            date: raw.date.as_ref().and_then(|d| self.date(d)),
        }
    }

    pub fn citation(&mut self, raw: &RawCitation) -> Option<Citation> {
        let source = Source {
            title: self.text(&raw.title, "source title"),
            url: self.url(&raw.url),
            article: self.opt_text(&raw.article),
            publisher: self.opt_text(&raw.publisher),
            date: raw.date.as_ref().and_then(|d| self.date(d)),
        };
        Some(Citation {
            source,
            confidence: self.confidence(&raw.confidence)?,
            note: self.opt_text(&raw.note),
        })
    }

    pub fn policy_value(&mut self, raw: &RawPolicyValue) -> Option<PolicyValue> {
        let id = self.slug(&raw.id, "policy id");
        let label = self.text(&raw.label, "label");
        let value = self.text(&raw.value, "value");
        let source = self.source(&raw.source);
        let as_of = self.date(&raw.as_of);
        let confidence = self.confidence(&raw.confidence);
        Some(PolicyValue {
            id: id?,
            label,
            value,
            note: self.opt_text(&raw.note),
            source,
            as_of: as_of?,
            confidence: confidence?,
            figure: self.figure(&raw.figure),
            at: self.doc.at(&raw.id),
        })
    }

    /// A policy figure must read as an amount, a rate or a share.
    fn figure(&mut self, s: &Option<S>) -> Option<String> {
        let s = s.as_ref()?;
        let v = s.value.trim();
        let ok = crate::engine::parse_rate(v).is_ok()
            || crate::engine::parse_percent(v).is_ok()
            || crate::engine::parse_money(v).is_ok();
        if ok {
            Some(v.to_string())
        } else {
            self.error(
                "bad-value",
                s,
                format!("`figure` `{v}` is not an amount or a rate"),
                "write e.g. `50%`, `0.05%`, `日利率万分之五` or `10000`",
            );
            None
        }
    }

    /// Reports ids that appear more than once, at their second appearance.
    pub fn unique<'s>(&mut self, ids: impl IntoIterator<Item = &'s S>, what: &str) {
        let mut seen = std::collections::BTreeMap::new();
        for s in ids {
            let v = s.value.trim();
            if let Some(first) = seen.insert(v.to_string(), self.doc.at(s).line) {
                self.error(
                    "duplicate-id",
                    s,
                    format!("{what} `{v}` is used twice"),
                    format!(
                        "it is first used on line {first}; each {what} must be unique in the file"
                    ),
                );
            }
        }
    }
}
