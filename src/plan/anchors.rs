//! The ids a page gives its parts, named once: templates receive them as
//! data, and the search index and the feeds link to the same ids.

use crate::model::Date;

/// A lender page's sections and rows.
pub const GUIDES: &str = "guides-h";
pub const CHANNELS: &str = "channels-h";
pub const POLICIES: &str = "policy-h";
pub const HISTORY: &str = "history-h";

/// The row of one policy value.
pub fn policy(id: &str) -> String {
    format!("policy-{id}")
}

/// The change-log entry of one change.
pub fn change(date: Date, policy: &str) -> String {
    format!("change-{date}-{policy}")
}

/// A guide's update, as the feed names it.
pub fn updated(date: Date) -> String {
    format!("updated-{date}")
}
