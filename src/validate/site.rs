//! `site.yaml` → [`Site`]: the title, the base URL every absolute address
//! is built on, the staleness limit, the legal thresholds, and the
//! complaint routes, refusal advice and letters every negotiation guide uses.

use super::fields::Checker;
use crate::diagnostics::Diagnostic;
use crate::memo::Memo;
use crate::model::Site;
use crate::parse::Doc;
use crate::parse::raw::RawSite;

/// With a `memo` (`serve`), the letters' and advice's Markdown rendered by
/// an earlier rebuild from the same text is not rendered again.
pub(super) fn site(
    doc: &Doc<'_, RawSite>,
    memo: Option<&Memo>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Site> {
    let mut c = Checker::new(doc, diags).remembering(memo);
    let raw = &doc.value;
    let base_url = raw.base_url.value.trim().to_string();
    if let Err(problem) = super::url::base_url(&base_url) {
        c.error("bad-url", &raw.base_url, problem.message, problem.help);
    }
    let staleness = raw
        .staleness_days
        .value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=3650).contains(d));
    if staleness.is_none() {
        c.error(
            "bad-number",
            &raw.staleness_days,
            format!(
                "staleness_days `{}` is not a whole number of days from 1 to 3650",
                raw.staleness_days.value
            ),
            "e.g. `staleness_days: 365`",
        );
    }
    c.unique(raw.thresholds.iter().map(|t| &t.id), "threshold id");
    let thresholds: Vec<_> = raw
        .thresholds
        .iter()
        .filter_map(|t| c.policy_value(t))
        .collect();
    let complaint_routes = super::reader::complaint_routes(&mut c, &raw.complaint_routes);
    let if_refused = super::reader::if_refused(&mut c, &raw.if_refused);
    let letters = super::reader::letters(&mut c, &raw.letters);
    let compare = super::reader::compare(&mut c, &raw.compare);
    let site = Site {
        compare,
        complaint_routes,
        if_refused,
        letters,
        title: c.text(&raw.title, "title"),
        tagline: c.text(&raw.tagline, "tagline"),
        base_url,
        staleness_days: staleness?,
        disclaimer: c.text(&raw.disclaimer, "disclaimer"),
        thresholds,
    };
    Some(site)
}
