//! Staleness: a policy value whose `as_of` is older than the site's limit
//! (`staleness_days` in site.yaml) gets a warning, so maintainers re-check
//! it; `check --strict` turns the warning into a failure.

use crate::diagnostics::Diagnostic;
use crate::model::{Content, Date, PolicyValue};

pub fn check(content: &Content, today: Date) -> Vec<Diagnostic> {
    let limit = i64::from(content.site.staleness_days);
    let values = content
        .site
        .thresholds
        .iter()
        .chain(content.lenders.iter().flat_map(|l| l.policies.iter()));
    values.filter_map(|p| stale(p, today, limit)).collect()
}

fn stale(p: &PolicyValue, today: Date, limit: i64) -> Option<Diagnostic> {
    let age = today.days_since_epoch() - p.as_of.days_since_epoch();
    (age > limit).then(|| {
        Diagnostic::warning(
            "stale",
            &p.at,
            format!("policy value `{}` was last checked {age} days ago (as_of {}); the limit is {limit} days", p.id, p.as_of),
        )
        .with_help("check the source again and update `as_of` (and the value, with a `history` entry if it changed)")
    })
}
