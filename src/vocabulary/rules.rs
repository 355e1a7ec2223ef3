//! Which keys apply to which example `type` and option `kind`, as JSON
//! Schema rules (`if`/`then`), for the raw structs' `#[schemars(transform)]`:
//! an editor flags a key the type does not take, as `check` does.

use schemars::Schema;
use serde_json::{Map, Value, json};

use super::{ALL_OPTION_KEYS, KEYS_REFUSED, OPTION_KEYS, article};

/// `#[schemars(transform)]` of a worked example: keys that do not apply to
/// its `type` are flagged.
pub fn example_rules(schema: &mut Schema) {
    let rules = KEYS_REFUSED
        .iter()
        .map(|(kind, keys)| {
            let what = format!("{} {kind} example", article(kind));
            refuse_when("type", kind, keys, &what)
        })
        .collect();
    schema.insert("allOf".into(), Value::Array(rules));
}

/// `#[schemars(transform)]` of a negotiation option: keys that do not apply
/// to its `kind` are flagged.
pub fn option_rules(schema: &mut Schema) {
    let rules = OPTION_KEYS
        .iter()
        .map(|(kind, allowed)| {
            let refused: Vec<&str> = ALL_OPTION_KEYS
                .into_iter()
                .filter(|k| !allowed.contains(k))
                .collect();
            refuse_when("kind", kind, &refused, &format!("a `{kind}` option"))
        })
        .collect();
    schema.insert("allOf".into(), Value::Array(rules));
}

/// If `tag` is `value`, each of `keys` is refused, with the reason an
/// editor shows.
fn refuse_when(tag: &str, value: &str, keys: &[&str], what: &str) -> Value {
    let properties: Map<String, Value> = keys
        .iter()
        .map(|k| {
            let why = format!("`{k}` does not apply to {what}");
            // Only null (which the parser reads as absent) is allowed.
            // `errorMessage` is the text the YAML language server shows for
            // a type mismatch; validators ignore it.
            let rule = json!({ "type": "null", "description": why, "errorMessage": why });
            (k.to_string(), rule)
        })
        .collect();
    json!({
        "if": { "properties": { tag: { "const": value } }, "required": [tag] },
        "then": { "properties": properties },
    })
}
