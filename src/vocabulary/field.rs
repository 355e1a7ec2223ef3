//! Schema-only stand-ins for the raw structs' `Spanned<String>` scalars,
//! named by `parse::raw` in `#[schemars(with = …)]`.
//!
//! YAML scalars reach the parser as text, so `principal: 10000` and
//! `principal: "10000"` are the same; the schema accepts both where a
//! number makes sense and a string where text is meant. Enum values are the
//! vocabulary's own name lists, the ones `validate` checks against.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::{
    CONFIDENCES, EXAMPLE_TYPES, GUIDE_KINDS, LICENCES, METHODS, OPTION_KINDS, ROUTE_SCOPES,
};

macro_rules! stand_in {
    ($(#[$doc:meta])* $name:ident => $schema:tt) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

stand_in!(
    /// An amount, rate, count or figure: `10000`, `"84793.03"`, `18%`.
    Number => { "type": ["string", "number"] }
);
stand_in!(
    /// `true` or `false`.
    Flag => { "enum": [true, false, "true", "false"] }
);
stand_in!(
    /// A calendar date, quoted: `"2025-01-18"`.
    Date => { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }
);
stand_in!(
    /// A slug: lower-case letters, digits and dashes (`model::is_slug`).
    Slug => {
        "type": "string",
        "pattern": "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$",
        "maxLength": 64
    }
);
stand_in!(
    /// A full web address.
    Url => { "type": "string", "pattern": "^https?://[^\\s\"<>]+$" }
);
stand_in!(
    /// How sure we are of a fact.
    Confidence => { "type": "string", "enum": CONFIDENCES }
);
stand_in!(
    /// What a guide helps with.
    GuideKind => { "type": "string", "enum": GUIDE_KINDS }
);
stand_in!(
    /// The licence of a lender of record.
    Licence => { "type": "string", "enum": LICENCES }
);
stand_in!(
    /// A licence a complaint route serves, or `all`.
    RouteScope => { "type": "string", "enum": ROUTE_SCOPES }
);
stand_in!(
    /// The kind of worked example.
    ExampleType => { "type": "string", "enum": EXAMPLE_TYPES }
);
stand_in!(
    /// A repayment method.
    Method => { "type": "string", "enum": METHODS }
);
stand_in!(
    /// A negotiation option.
    OptionKind => { "type": "string", "enum": OPTION_KINDS }
);
