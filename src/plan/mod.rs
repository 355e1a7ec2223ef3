//! plan: what the site's pages are, decided once, between compute and
//! render/index. A [`Route`] is one page: its path in each script, the
//! path from the script root that templates prefix with `nav.root`, and
//! its canonical URL; [`anchors`] names the ids a page gives its parts.
//! render, index, the feeds and the sitemap ask the plan; none of them
//! writes `lenders/…` or an anchor by hand, so a search result, a feed
//! entry and a page link cannot point at different places.
//!
//! Still to come (ARCHITECTURE.md says so): every displayed figure as a
//! display value computed here once, for render and index alike.

pub mod anchors;
mod route;

pub use route::Route;
