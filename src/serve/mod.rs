//! `lendguide serve`: the live preview for contributors.
//!
//! Builds the site into memory with [`crate::build_in_memory`] (the same
//! pipeline as `build`, never touching `output/`), serves it on 127.0.0.1
//! only (and only to requests addressed to a loopback name), watches `content/` and `templates/`, rebuilds on change and tells
//! open pages to reload over server-sent events. A build with errors does
//! not stop the server: pages keep showing the last good site with the
//! located diagnostics in an overlay until the content is fixed.
//!
//! - [`path`]: request path → site key; the one gate against traversal.
//! - [`live`]: the swappable snapshot (last good site + latest errors).
//! - [`page`]: what is added to served HTML (reload script, overlay).
//! - [`http`]: axum handlers; state comes through `State`, never a global.
//! - [`host`]: only requests for a loopback `Host:` are answered (DNS rebinding).
//! - [`watcher`]: notify + debouncer → one rebuild per burst of changes.
//!
//! Besides the watched folders, this module never touches the filesystem:
//! every request is answered from memory.

pub mod host;
pub mod http;
pub mod live;
pub mod page;
pub mod path;
pub mod watcher;

use std::future::{Future, IntoFuture};
use std::net::Ipv4Addr;
use std::time::Duration;

use tokio::sync::watch;

use crate::diagnostics;
use crate::{BuildOptions, Fatal};
use live::LiveSite;
use watcher::Watch;

/// What `lendguide serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Content and templates to build; `out` is never written.
    pub build: BuildOptions,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

/// How long open connections get to finish after Ctrl-C.
const GRACE: Duration = Duration::from_secs(3);

/// Runs the dev server until Ctrl-C. Errors are about the machine (a port
/// in use, a folder that cannot be watched), never about the content.
pub fn serve(options: &ServeOptions) -> Result<(), Fatal> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(run(options, async {
        // If the handler cannot be installed, fall back to never stopping
        // on our own; the default SIGINT action still ends the process.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }))
}

/// Runs the dev server until `shutdown` completes, then stops gracefully.
pub async fn run(options: &ServeOptions, shutdown: impl Future<Output = ()>) -> Result<(), Fatal> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))
        .await
        .map_err(|e| Fatal(format!("cannot listen on 127.0.0.1:{}: {e}", options.port)))?;
    let address = listener
        .local_addr()
        .map_err(|e| Fatal(format!("cannot read the server address: {e}")))?;

    // Watch before the first build so edits made during it are not lost.
    let mut watch = Watch::start(&options.build)?;
    let live = LiveSite::new(instance());
    let first = live.rebuild(&options.build);
    diagnostics::note(&if first.failed {
        "the first build failed; the pages show the errors until they are fixed".to_string()
    } else {
        format!(
            "built {} pages in {} ms",
            first.pages,
            first.elapsed.as_millis()
        )
    });
    watch.rebuild_on_change(options.build.clone(), live.clone());

    let (stop, stopping) = watch::channel(false);
    let app = http::App {
        live,
        stopping: stopping.clone(),
    };
    let mut stopped = stopping;
    let server = tokio::spawn(
        axum::serve(listener, http::router(app))
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .into_future(),
    );
    diagnostics::note(&format!(
        "serving http://{address}/ (watching {} and {}; Ctrl-C to stop)",
        crate::load::display(&options.build.content),
        crate::load::display(&options.build.templates)
    ));

    shutdown.await;
    diagnostics::note("stopping");
    let _ = stop.send(true);
    match tokio::time::timeout(GRACE, server).await {
        Ok(Ok(Ok(()))) | Err(_) => Ok(()),
        Ok(Ok(Err(e))) => Err(Fatal(format!("server error: {e}"))),
        Ok(Err(e)) => Err(Fatal(format!("server task failed: {e}"))),
    }
}

/// Tells server runs apart, so a page left open across a restart reloads.
fn instance() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
