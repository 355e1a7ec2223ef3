//! The live site: the last good build, the errors of the latest one, and a
//! generation number that changes with every rebuild.
//!
//! Readers (request handlers) take a cheap `Arc` of the current
//! [`Snapshot`] and never wait for a rebuild; the one rebuild thread builds
//! the next snapshot outside the lock and swaps it in whole, so a request
//! sees either the old site or the new one, never a mix. A failed rebuild
//! keeps the previous site and adds its diagnostics, which the pages then
//! show in an overlay. State is owned here and passed to handlers through
//! axum's `State`; there is no global.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::diagnostics::{self, Format};
use crate::sink::Built;
use crate::{BuildOptions, Memory, Report};

/// One consistent view of the site, as requests see it.
#[derive(Debug)]
pub struct Snapshot {
    /// Changes with every rebuild (and between server runs), so a page can
    /// tell whether it is stale: `<instance>-<counter>`.
    pub generation: String,
    /// The last site that built cleanly; `None` until one has.
    pub site: Option<Arc<Built>>,
    /// The latest build's diagnostics as plain rustc-style text, when that
    /// build failed; shown in the page overlay.
    pub errors: Option<String>,
}

/// What one build produced, for the terminal.
pub struct Outcome {
    pub elapsed: Duration,
    pub pages: usize,
    pub failed: bool,
}

/// The shared, swappable site and the channel that announces rebuilds.
#[derive(Clone)]
pub struct LiveSite {
    current: Arc<RwLock<Arc<Snapshot>>>,
    reloads: broadcast::Sender<String>,
    instance: u64,
    counter: Arc<std::sync::atomic::AtomicU64>,
    /// What earlier rebuilds read, parsed, rendered and indexed, so the
    /// next redoes only what changed.
    memory: Arc<Memory>,
}

impl LiveSite {
    /// An empty live site (no build yet). `instance` tells server runs apart.
    pub fn new(instance: u64) -> Self {
        let (reloads, _) = broadcast::channel(16);
        Self {
            current: Arc::new(RwLock::new(Arc::new(Snapshot {
                generation: format!("{instance}-0"),
                site: None,
                errors: None,
            }))),
            reloads,
            instance,
            counter: Arc::default(),
            memory: Arc::default(),
        }
    }

    /// The snapshot requests should see now.
    pub fn current(&self) -> Arc<Snapshot> {
        // A poisoned lock only means a panic elsewhere while swapping an
        // `Arc`; the value inside is still whole.
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A receiver of the generation of every rebuild from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.reloads.subscribe()
    }

    /// Builds the site in memory, prints its diagnostics, swaps the result
    /// in and tells every open page to reload.
    pub fn rebuild(&self, options: &BuildOptions) -> Outcome {
        let started = Instant::now();
        let previous = self.current().site.clone();
        // Pages whose inputs did not change are reused from the site being
        // served, not rendered again.
        let result = crate::build_in_memory_reusing(options, previous.clone(), Some(&self.memory));
        let elapsed = started.elapsed();
        let (site, errors, pages) = match result {
            Ok((Some(site), report)) => {
                print_warnings(&report);
                (Some(Arc::new(site)), None, report.pages)
            }
            Ok((None, report)) => {
                diagnostics::emit(&report.diagnostics, &report.sources, Format::Human);
                // Errors first: they are why the page is stale; warnings
                // (stale sources and the like) can wait below them.
                let mut ordered = report.diagnostics.clone();
                ordered.sort_by_key(|d| !d.is_error());
                let text = diagnostics::render_human(&ordered, &report.sources, false);
                let text = if text.trim().is_empty() {
                    "the build failed without a diagnostic".to_string()
                } else {
                    text
                };
                (previous, Some(text), 0)
            }
            Err(fatal) => {
                diagnostics::note(&format!("error: {fatal}"));
                (previous, Some(format!("error: {fatal}\n")), 0)
            }
        };
        let failed = errors.is_some();
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        let generation = format!("{}-{n}", self.instance);
        let snapshot = Arc::new(Snapshot {
            generation: generation.clone(),
            site,
            errors,
        });
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = snapshot;
        // No open page is not an error.
        let _ = self.reloads.send(generation);
        Outcome {
            elapsed,
            pages,
            failed,
        }
    }
}

fn print_warnings(report: &Report) {
    if !report.diagnostics.is_empty() {
        diagnostics::emit(&report.diagnostics, &report.sources, Format::Human);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(content: &str) -> BuildOptions {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        BuildOptions {
            content: root.join(content),
            templates: root.join("templates"),
            out: root.join("output"),
            base_url: None,
        }
    }

    #[test]
    fn a_failed_rebuild_keeps_the_last_good_site() {
        let live = LiveSite::new(7);
        let mut reloads = live.subscribe();
        let good = live.rebuild(&options("tests/fixtures/valid/content"));
        assert!(!good.failed);
        let first = live.current();
        assert!(first.site.is_some() && first.errors.is_none());
        assert_eq!(reloads.try_recv().unwrap(), "7-1");

        let bad = live.rebuild(&options("tests/fixtures/no-such-folder"));
        assert!(bad.failed);
        let second = live.current();
        assert!(Arc::ptr_eq(
            first.site.as_ref().unwrap(),
            second.site.as_ref().unwrap()
        ));
        assert!(second.errors.as_deref().unwrap().contains("no-such-folder"));
        assert_eq!(reloads.try_recv().unwrap(), "7-2");
    }
}
