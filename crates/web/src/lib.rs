//! HTTP layer of tdkt: server-rendered Vietnamese pages (maud, escaped by
//! construction) and the JSON API under `/api/v1`. Every route checks role
//! and org subtree through [`auth::authorize`]; every form carries a CSRF
//! token checked by [`csrf::layer`].

pub mod auth;
mod complete;
pub mod csrf;
pub mod error;
mod form;
pub mod headers;
pub mod layout;
pub mod limits;
pub mod listing;
mod load;
mod picker;
pub mod routes;
mod saved;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
mod view;

use std::sync::Arc;

use axum::Router;
use tdkt_store::Store;
use tokio::net::TcpListener;

pub use error::AppError;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Award imports started from the web, running or recently finished.
    pub imports: routes::award_import::Jobs,
    /// The address the public reaches this server at (`--public-url`):
    /// certificates' QR codes point to `{public_url}/xac-minh/{code}`.
    pub public_url: String,
    /// Where attached files are kept (`--files-dir`, `--files-url`).
    pub attachments: Arc<tdkt_store::attachments::Attachments>,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// The public address when none is configured.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

pub type SharedState = Arc<AppState>;

/// The whole application: pages, API, static files, CSRF and tracing.
pub fn app(state: AppState) -> Router {
    let state = Arc::new(state);
    routes::router()
        // after the CSRF check: free-text lengths (issue 12, item 14)
        .layer(axum::middleware::from_fn(limits::layer))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            throttle::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::layer,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            64 * 1024 * 1024,
        ))
        // inside the span, so that the spawned work logs under it
        .layer(axum::middleware::from_fn(complete::layer))
        // Spans carry the path only: a query string may hold a CCCD search.
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(
            |req: &axum::http::Request<axum::body::Body>| {
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
            },
        ))
        // outermost, so that every answer carries them (also a 413)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::layer,
        ))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // the peer address keys the login throttle
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
