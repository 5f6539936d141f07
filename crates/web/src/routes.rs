//! All routes, one module per area, each with its own `router()`.

pub mod admin;
pub mod api;
pub mod award_import;
pub mod awards;
pub mod ballots;
pub mod certificates;
pub mod cluster_setup;
pub mod cluster_xlsx;
pub mod clusters;
pub mod cong_khai;
pub mod councils;
pub mod decisions;
pub mod disclosure;
pub mod dossier;
pub mod eligibility;
pub mod guide;
pub mod home;
pub mod minutes;
pub mod movements;
pub mod people;
pub mod proposals;
pub mod public;
pub mod revocation;
pub mod scoring;
pub mod session;
pub mod units;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::SharedState;

pub fn router() -> Router<SharedState> {
    Router::new()
        .merge(home::router())
        .merge(session::router())
        .merge(units::router())
        .merge(people::router())
        .merge(awards::router())
        .merge(award_import::router())
        .merge(admin::router())
        .merge(ballots::router())
        .merge(ballots::api_router())
        .merge(minutes::router())
        .merge(clusters::router())
        .merge(eligibility::router())
        .merge(proposals::router())
        .merge(cluster_setup::router())
        .merge(cluster_xlsx::router())
        .merge(movements::router())
        .merge(scoring::router())
        .merge(certificates::router())
        .merge(revocation::router())
        .merge(decisions::router())
        .merge(dossier::router())
        .merge(councils::router())
        .merge(public::router())
        .merge(disclosure::router())
        .merge(cong_khai::router())
        .merge(guide::router())
        .nest("/api/v1", api::router())
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .fallback(|| async { crate::AppError::NotFound })
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        crate::layout::CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        crate::layout::JS,
    )
}

/// A 303 redirect after a successful form post.
pub(crate) fn see_other(to: &str) -> axum::response::Response {
    (
        axum::http::StatusCode::SEE_OTHER,
        [(header::LOCATION, to.to_owned())],
    )
        .into_response()
}

/// A 303 redirect after a successful save, with the one-shot confirmation
/// `what` (a code of [`crate::layout::SAVED`]) for the next page; the flag
/// goes before any `#section` so that the browser keeps both.
pub(crate) fn saved(to: &str, what: &str) -> axum::response::Response {
    debug_assert!(
        crate::layout::SAVED.iter().any(|(c, _)| *c == what),
        "unknown confirmation {what}"
    );
    let (path, fragment) = to.split_once('#').map_or((to, ""), |(p, f)| (p, f));
    let sep = if path.contains('?') { '&' } else { '?' };
    let hash = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    see_other(&format!("{path}{sep}luu={what}{hash}"))
}
