//! The content vocabulary: every name a contributor may write as a value
//! (example types, repayment methods, option kinds, guide kinds, confidence,
//! licences) and which keys each example `type` and option `kind` takes.
//!
//! One leaf, read by the three places that must agree on it: `parse` (its raw
//! structs name the schema stand-ins in [`field`] and the key rules in
//! [`rules`]), `validate` (which checks values and keys against these lists)
//! and `lendguide schema` (which offers them to editors). It imports nothing
//! from the crate, so none of those three depends on another for it.
//!
//! Each name list is in the order of the enum it names: `model::Confidence`,
//! `model::GuideKind` and `model::Licence` take their `NAMES` from here and
//! index them; `validate` maps methods and option kinds by position.

pub mod field;
pub mod rules;

/// `type:` of a worked example.
pub const EXAMPLE_TYPES: [&str; 3] = ["overdue", "schedule", "negotiation"];

/// `method:` of a schedule or an installment option.
pub const METHODS: [&str; 4] = [
    "equal-installment",
    "equal-principal",
    "interest-first",
    "bullet",
];

/// `kind:` of a negotiation option.
pub const OPTION_KINDS: [&str; 4] = ["stay-overdue", "settle", "installment", "extension"];

/// `confidence:` of a sourced fact.
pub const CONFIDENCES: [&str; 3] = ["confirmed", "reported", "unverified"];

/// `kind:` of a guide.
pub const GUIDE_KINDS: [&str; 5] = [
    "waiver",
    "installment",
    "extension",
    "after-overdue",
    "overdue-costs",
];

/// The licence of a lender of record.
pub const LICENCES: [&str; 4] = ["bank", "consumer-finance", "microloan", "platform"];

/// What a complaint route's `applies_to` may name: a licence, or `all`.
pub const ROUTE_SCOPES: [&str; 5] = ["bank", "consumer-finance", "microloan", "platform", "all"];

/// The keys each example `type` does not take. `validate` refuses them and
/// `lendguide schema` emits the same rules, so the editor and `check` agree.
pub const KEYS_REFUSED: [(&str, &[&str]); 3] = [
    (
        "overdue",
        &[
            "months",
            "method",
            "monthly_fee_rate",
            "upfront_fee",
            "situation",
            "options",
        ],
    ),
    (
        "schedule",
        &[
            "days",
            "unpaid_interest",
            "compound",
            "daily_rate",
            "penalty",
            "situation",
            "options",
        ],
    ),
    (
        "negotiation",
        &[
            "principal",
            "annual_rate",
            "daily_rate",
            "days",
            "unpaid_interest",
            "compound",
            "months",
            "method",
            "monthly_fee_rate",
            "upfront_fee",
            "day_count",
            "penalty",
        ],
    ),
];

/// The keys each negotiation option `kind` takes besides `kind` and `label`
/// (same pairing as [`KEYS_REFUSED`]: read by `validate` and `schema`), in
/// the order of [`OPTION_KINDS`].
pub const OPTION_KEYS: [(&str, &[&str]); 4] = [
    ("stay-overdue", &["days"]),
    ("settle", &["waive_penalty", "waive_interest"]),
    (
        "installment",
        &[
            "months",
            "method",
            "annual_rate",
            "monthly_fee_rate",
            "waive_penalty",
            "waive_interest",
        ],
    ),
    (
        "extension",
        &["months", "annual_rate", "waive_penalty", "waive_interest"],
    ),
];

/// Every key an option may have besides `kind` and `label`.
pub const ALL_OPTION_KEYS: [&str; 7] = [
    "days",
    "months",
    "method",
    "annual_rate",
    "monthly_fee_rate",
    "waive_penalty",
    "waive_interest",
];

/// `a` or `an` before an English word (an example type in a message).
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_keys_follow_option_kinds_and_stay_within_all_option_keys() {
        let kinds: Vec<&str> = OPTION_KEYS.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, OPTION_KINDS);
        for (kind, keys) in OPTION_KEYS {
            for key in keys {
                assert!(ALL_OPTION_KEYS.contains(key), "{kind}: {key}");
            }
        }
    }

    #[test]
    fn refused_keys_are_listed_for_every_example_type() {
        let types: Vec<&str> = KEYS_REFUSED.iter().map(|(t, _)| *t).collect();
        assert_eq!(types, EXAMPLE_TYPES);
    }

    #[test]
    fn route_scopes_are_the_licences_and_all() {
        assert_eq!(ROUTE_SCOPES[..LICENCES.len()], LICENCES);
        assert_eq!(ROUTE_SCOPES[LICENCES.len()..], ["all"]);
    }
}
