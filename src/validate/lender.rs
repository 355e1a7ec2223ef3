//! One lender's `lender.yaml` → [`Lender`]: the folder's slug and file,
//! its policies, channels, licence and history (each history entry must
//! name a policy of the same file).

use crate::diagnostics::{Diagnostic, Located};
use crate::model::{Lender, PolicyChange, is_slug};
use crate::parse::ParsedLender;
use crate::parse::raw::RawLender;
use crate::suggest::did_you_mean;

use super::fields::Checker;
use super::reader;

pub(super) fn lender(folder: &ParsedLender, diags: &mut Vec<Diagnostic>) -> Option<Lender> {
    let dir_at = Located::new(folder.dir.clone(), 1, 1);
    if !is_slug(&folder.slug) {
        diags.push(
            Diagnostic::error(
                "bad-slug",
                &dir_at,
                format!("lender folder `{}` is not a valid slug", folder.slug),
            )
            .with_help(
                "rename the folder with lower-case letters, digits and dashes, e.g. `weilidai`",
            ),
        );
        return None;
    }
    if !folder.has_file {
        diags.push(
            Diagnostic::error(
                "missing-file",
                &dir_at,
                "this lender folder has no lender.yaml",
            )
            .with_help(format!(
                "create {}/lender.yaml (`lendguide new lender {}` writes one)",
                folder.dir, folder.slug
            )),
        );
        return None;
    }
    let doc = folder.lender.as_ref()?;
    let before = diags.len();
    let mut c = Checker::new(doc, diags);
    let raw: &RawLender = &doc.value;
    c.unique(raw.policies.iter().map(|p| &p.id), "policy id");
    let policies: Vec<_> = raw
        .policies
        .iter()
        .filter_map(|p| c.policy_value(p))
        .collect();
    let channels = reader::channels(&mut c, &raw.channels, "channel");
    let complaint = reader::channels(&mut c, &raw.complaint, "complaint channel");
    let licence = reader::licence(&mut c, &raw.licence);
    let lender_of_record = reader::lender_of_record(&mut c, &raw.lender_of_record);
    let ids: Vec<&str> = raw.policies.iter().map(|p| p.id.value.trim()).collect();
    let mut history: Vec<PolicyChange> = raw
        .history
        .iter()
        .filter_map(|h| {
            let policy = h.policy.value.trim();
            if !ids.contains(&policy) {
                let help = match did_you_mean(policy, &ids) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "history entries name a policy id of this file: {}",
                        ids.join(", ")
                    ),
                };
                c.error(
                    "unknown-policy",
                    &h.policy,
                    format!("no policy `{policy}` in this lender"),
                    help,
                );
            }
            Some(PolicyChange {
                date: c.date(&h.date)?,
                policy: policy.to_string(),
                old: c.opt_text(&h.old),
                new: c.text(&h.new, "new value"),
                note: c.opt_text(&h.note),
                source: c.source(&h.source),
            })
        })
        .collect();
    history.sort_by(|a, b| b.date.cmp(&a.date).then(a.policy.cmp(&b.policy)));
    let lender = Lender {
        slug: folder.slug.clone(),
        name: c.text(&raw.name, "name"),
        operator: c.text(&raw.operator, "operator"),
        summary: c.text(&raw.summary, "summary"),
        licence: licence?,
        lender_of_record: lender_of_record?,
        channels,
        complaint,
        policies,
        history,
        at: doc.start(),
    };
    (diags.len() == before || !diags[before..].iter().any(Diagnostic::is_error)).then_some(lender)
}
