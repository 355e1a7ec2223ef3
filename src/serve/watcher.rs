//! Watching `content/` and `templates/` and rebuilding on change.
//!
//! notify reports every file event; the debouncer folds an editor's burst
//! of writes, renames and temp files into one batch, and one rebuild thread
//! turns each batch into one rebuild. notify also reports *reads* (inotify
//! `OPEN`), and every build reads every file, so access events are ignored:
//! otherwise each rebuild would trigger the next one. Rebuilds run on their own thread so
//! the HTTP side never blocks on the pipeline; a batch that arrives during
//! a rebuild is folded into the next one.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::live::LiveSite;
use crate::diagnostics;
use crate::{BuildOptions, Fatal};

/// How long the folders must be quiet before a rebuild starts.
/// An editor's save (write a temp file, rename it over) takes a few
/// milliseconds; a longer wait only delays the reload (issue 12: edit →
/// reload within 300 ms). A burst that outlasts it costs one more rebuild,
/// never a stale page: events during a rebuild start the next one.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// Watches the content and template folders. Changes queue up until
/// [`Watch::rebuild_on_change`] starts consuming them, so nothing that
/// changes during the first build is missed.
pub struct Watch {
    // Dropping the debouncer stops watching and ends the rebuild thread.
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    changes: Option<mpsc::Receiver<DebounceEventResult>>,
}

impl Watch {
    pub fn start(options: &BuildOptions) -> Result<Self, Fatal> {
        let (tx, changes) = mpsc::channel();
        let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
            .map_err(|e| Fatal(format!("cannot watch files: {e}")))?;
        for dir in [&options.content, &options.templates] {
            debouncer
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|e| Fatal(format!("cannot watch {}: {e}", dir.display())))?;
        }
        Ok(Self {
            _debouncer: debouncer,
            changes: Some(changes),
        })
    }

    /// Starts the rebuild thread: one rebuild per batch of changes.
    pub fn rebuild_on_change(&mut self, options: BuildOptions, live: LiveSite) {
        let Some(changes) = self.changes.take() else {
            return;
        };
        std::thread::spawn(move || {
            while let Ok(batch) = changes.recv() {
                let mut relevant = is_relevant(&batch);
                // Fold whatever else arrived while we were busy.
                while let Ok(more) = changes.try_recv() {
                    relevant |= is_relevant(&more);
                }
                if !relevant {
                    continue;
                }
                let outcome = live.rebuild(&options);
                let ms = outcome.elapsed.as_millis();
                diagnostics::note(&if outcome.failed {
                    format!("rebuild failed after {ms} ms; the pages show the errors")
                } else {
                    format!("rebuilt {} pages in {ms} ms", outcome.pages)
                });
            }
        });
    }
}

/// Whether a batch changes something other than editor scratch files.
fn is_relevant(batch: &DebounceEventResult) -> bool {
    match batch {
        Ok(events) => events.iter().any(|e| {
            !matches!(e.kind, EventKind::Access(_))
                && (e.paths.is_empty() || e.paths.iter().any(|p| !is_scratch(p)))
        }),
        // A watcher error may mean missed events: rebuild to be safe.
        Err(_) => true,
    }
}

fn is_scratch(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy());
    match name.as_deref() {
        Some(n) => {
            n.ends_with('~')
                || n.ends_with(".swp")
                || n.ends_with(".swx")
                || n == "4913"
                || n.starts_with(".#")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_scratch;
    use std::path::Path;

    #[test]
    fn editor_scratch_files_do_not_rebuild() {
        assert!(is_scratch(Path::new("content/a.md~")));
        assert!(is_scratch(Path::new("content/.a.md.swp")));
        assert!(is_scratch(Path::new("content/4913")));
        assert!(!is_scratch(Path::new("content/lenders/x/waiver.md")));
    }
}
