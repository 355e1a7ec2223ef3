//! The HTTP side of `serve`: site pages out of the in-memory map, the
//! dev server's own files under `/__lendguide/`, and the server-sent
//! events stream that tells open pages to reload.
//!
//! Handlers get everything through axum's `State` ([`App`]); they never
//! touch the filesystem and never wait for a rebuild. Requests not
//! addressed to a loopback name are refused first (421, see [`host`]).

use std::convert::Infallible;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::{broadcast, watch};

use super::host;
use super::live::{LiveSite, Snapshot};
use super::page::{self, PREFIX};
use super::path::site_key;

/// What every handler can see.
#[derive(Clone)]
pub struct App {
    pub live: LiveSite,
    /// Turns true when the server is shutting down, so that the endless
    /// event streams end and graceful shutdown does not wait for them.
    pub stopping: watch::Receiver<bool>,
}

pub fn router(app: App) -> Router {
    Router::new()
        .route(&format!("{PREFIX}reload.js"), get(reload_js))
        .route(&format!("{PREFIX}overlay.css"), get(overlay_css))
        .route(&format!("{PREFIX}events"), get(events))
        .fallback(site_file)
        .layer(axum::middleware::from_fn(loopback_only))
        .with_state(app)
}

/// Every request, routes and fallback alike: answered only when it is
/// addressed to a loopback name (see [`host`]), in `Host:` and in an
/// absolute-form target.
async fn loopback_only(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let target = request.uri().authority().map(|a| a.as_str());
    if host.is_some_and(host::is_loopback) && target.is_none_or(host::is_loopback) {
        return next.run(request).await;
    }
    bytes(
        StatusCode::MISDIRECTED_REQUEST,
        "text/plain; charset=utf-8",
        "lendguide serve answers only requests for localhost, 127.0.0.1 or [::1]\n",
    )
}

async fn reload_js() -> Response {
    bytes(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        page::RELOAD_JS,
    )
}

async fn overlay_css() -> Response {
    bytes(StatusCode::OK, "text/css; charset=utf-8", page::OVERLAY_CSS)
}

/// Any other path: a file of the site, a redirect to a folder's slash, or
/// the site's 404 page.
async fn site_file(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = bytes(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "the preview is read-only: use GET or HEAD\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = app.live.current();
    let Some(site) = &snapshot.site else {
        return bytes(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            page::overlay_page(&snapshot),
        );
    };
    let key = site_key(uri.path());
    if let Some(key) = &key {
        if let Some(body) = site.files.get(key) {
            return file(StatusCode::OK, key, body, &snapshot);
        }
        // `/compare` → `/compare/`, so the page's relative links resolve.
        let folder_index = format!("{key}/index.html");
        if !uri.path().ends_with('/') && site.files.contains_key(&folder_index) {
            let location = format!("/{key}/");
            return match HeaderValue::from_str(&location) {
                Ok(location) => (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, location)],
                )
                    .into_response(),
                Err(_) => StatusCode::NOT_FOUND.into_response(),
            };
        }
    }
    let not_found = match &key {
        Some(k) if k.starts_with("zh-Hant/") && site.files.contains_key("zh-Hant/404.html") => {
            "zh-Hant/404.html"
        }
        _ => "404.html",
    };
    match site.files.get(not_found) {
        Some(body) => file(StatusCode::NOT_FOUND, not_found, body, &snapshot),
        None => bytes(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "not found\n",
        ),
    }
}

fn file(status: StatusCode, key: &str, body: &[u8], snapshot: &Snapshot) -> Response {
    let kind = page::content_type(key);
    if page::is_html(key) {
        bytes(status, kind, page::decorate(body, snapshot))
    } else {
        bytes(status, kind, body.to_vec())
    }
}

fn bytes(status: StatusCode, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            // A preview must never show a stale page after a reload.
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body.into(),
    )
        .into_response()
}

/// `GET /__lendguide/events?generation=G`: a `reload` event for every
/// rebuild, and one at once when the page's generation `G` is already
/// stale (a rebuild finished between loading the page and connecting).
async fn events(
    State(app): State<App>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rebuilds = app.live.subscribe();
    let current = app.live.current().generation.clone();
    let seen = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("generation="))
        .filter(|g| !g.is_empty())
        .map(str::to_string);
    let pending = seen.filter(|g| *g != current).map(|_| current);
    let stream = futures_util::stream::unfold(
        Feed {
            greeted: false,
            pending,
            rebuilds,
            stopping: app.stopping,
        },
        next_event,
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

struct Feed {
    greeted: bool,
    pending: Option<String>,
    rebuilds: broadcast::Receiver<String>,
    stopping: watch::Receiver<bool>,
}

async fn next_event(mut feed: Feed) -> Option<(Result<Event, Infallible>, Feed)> {
    if !feed.greeted {
        // Sent at once so the client knows the stream is subscribed.
        feed.greeted = true;
        return Some((Ok(Event::default().comment("connected")), feed));
    }
    if let Some(generation) = feed.pending.take() {
        return Some((Ok(reload(&generation)), feed));
    }
    if *feed.stopping.borrow() {
        return None;
    }
    let generation = tokio::select! {
        received = feed.rebuilds.recv() => match received {
            Ok(generation) => generation,
            // Missed some rebuilds: one reload covers them all.
            Err(broadcast::error::RecvError::Lagged(_)) => String::new(),
            Err(broadcast::error::RecvError::Closed) => return None,
        },
        _ = feed.stopping.changed() => return None,
    };
    Some((Ok(reload(&generation)), feed))
}

fn reload(generation: &str) -> Event {
    Event::default().event("reload").data(generation)
}
