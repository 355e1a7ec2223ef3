//! plan: what the site's pages are and what they display, decided once,
//! between compute and render/index.
//!
//! - [`Route`]: one page, with its path in each script, the path from the
//!   script root that templates prefix with `nav.root`, and its canonical
//!   URL; [`anchors`] names the ids a page gives its parts.
//! - [`Plan`]: every displayed figure as a display value (HTML for the
//!   page, plain text for the search index), every worked example as the
//!   view its table is rendered from, and its calculator link's query;
//!   and what each guide's pages are made from ([`FileHashes`]), so render
//!   and index can tell an unchanged guide without building its views.
//!
//! render, index, the feeds and the sitemap read the plan; none of them
//! writes a URL or an anchor by hand, formats a figure or fills a
//! shortcode on its own, so a search result, a feed entry and a page can
//! never disagree.

pub mod anchors;
mod calc_link;
pub mod examples;
mod figures;
mod inputs;
mod route;

pub use figures::{DisplayValue, GuidePlan, Plan, PlannedExample, ShortcodeValue};
pub use inputs::FileHashes;
pub use route::Route;
