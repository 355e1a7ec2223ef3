//! lendguide's integration tests, as one test crate with a module per area
//! (ripgrep's layout), so a one-line edit relinks one test binary, not nine.
//!
//! - `site`: building fixture and bundled sites end to end;
//! - `diagnostics`: invalid fixture sites, discovered from tests/fixtures/invalid;
//! - `examples`: worked examples and `calc`;
//! - `content`: the bundled guides' promises to readers (issue 9);
//! - `calculator`: calc.js (the in-browser engine) against the engine;
//! - `contributor`: `new` and `schema`;
//! - `maintainer`: policy changes, history, feeds, staleness;
//! - `search`: the index without a browser; `search_page`: the no-JS list stays small;
//! - `reader`: what a reader in trouble needs first on negotiation guides;
//! - `content`: the bundled content says what a reader needs (checked through the model);
//! - `browser`, `serve`: headless Chromium and the live preview;
//! - `a11y`: axe-core on every kind of page, both scripts, light and dark;
//! - `incremental`: rebuilds after random edits equal cold builds (disk and memory);
//! - `kept`: the check's results kept beside the output, read back, never trusted blindly;
//! - `architecture`: the one-way rule, read from the `crate::` paths in `src/`.
//!
//! Shared helpers: `common` (fixture sites, the binary), `driver` (chromedriver).

mod common;
mod driver;

mod a11y;
mod architecture;
mod browser;
mod calculator;
mod content;
mod contributor;
mod diagnostics;
mod examples;
mod incremental;
mod kept;
mod maintainer;
mod reader;
mod search;
mod search_page;
mod serve;
mod site;
