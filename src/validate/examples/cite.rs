//! `@<policy-id>` in an example's inputs: replaced by the lender's policy
//! `figure`, keeping the position, so a policy change recomputes examples.

use super::*;

/// Replaces `@<policy-id>` with that policy's `figure`, keeping the position.
pub(super) fn cite<T>(c: &mut Checker<'_, T>, s: &mut S, policies: &[PolicyValue]) {
    let Some(id) = s.value.trim().strip_prefix('@') else {
        return;
    };
    match policies.iter().find(|p| p.id == id) {
        Some(PolicyValue {
            figure: Some(f), ..
        }) => s.value = f.clone(),
        Some(_) => {
            let id = id.to_string();
            c.error(
                "no-figure",
                s,
                format!("policy `{id}` has no `figure` to compute with"),
                format!("add `figure:` (e.g. `50%`) to policy `{id}` in lender.yaml"),
            );
        }
        None => {
            let ids: Vec<&str> = policies
                .iter()
                .filter(|p| p.figure.is_some())
                .map(|p| p.id.as_str())
                .collect();
            let help = crate::suggest::did_you_mean(id, &ids).map_or_else(
                || {
                    if ids.is_empty() {
                        "this lender has no policy with a `figure`".to_string()
                    } else {
                        format!("policies with a figure: {}", ids.join(", "))
                    }
                },
                |n| format!("did you mean `@{n}`?"),
            );
            let id = id.to_string();
            c.error(
                "unknown-policy",
                s,
                format!("no policy `{id}` with a figure for this guide's lender"),
                help,
            );
        }
    }
}

/// Visits every scalar input of an example (not ids, titles or notes).
pub(super) fn for_each_scalar(raw: &mut RawExample, f: &mut dyn FnMut(&mut S)) {
    fn penalty(p: &mut Option<Spanned<RawPenalty>>, f: &mut dyn FnMut(&mut S)) {
        if let Some(p) = p {
            for s in [
                &mut p.value.daily_rate,
                &mut p.value.annual_rate,
                &mut p.value.markup,
            ]
            .into_iter()
            .flatten()
            {
                f(s);
            }
        }
    }
    for s in [
        &mut raw.principal,
        &mut raw.annual_rate,
        &mut raw.daily_rate,
        &mut raw.days,
        &mut raw.unpaid_interest,
        &mut raw.months,
        &mut raw.monthly_fee_rate,
        &mut raw.upfront_fee,
    ]
    .into_iter()
    .flatten()
    {
        f(s);
    }
    penalty(&mut raw.penalty, f);
    if let Some(sit) = &mut raw.situation {
        let v = &mut sit.value;
        f(&mut v.principal);
        for s in [
            &mut v.unpaid_interest,
            &mut v.penalty_accrued,
            &mut v.annual_rate,
            &mut v.daily_rate,
        ]
        .into_iter()
        .flatten()
        {
            f(s);
        }
        penalty(&mut v.penalty, f);
    }
    for o in raw.options.iter_mut().flatten() {
        let o = &mut o.value;
        for s in [
            &mut o.days,
            &mut o.months,
            &mut o.annual_rate,
            &mut o.monthly_fee_rate,
            &mut o.waive_penalty,
            &mut o.waive_interest,
        ]
        .into_iter()
        .flatten()
        {
            f(s);
        }
    }
}
