//! A request, once received, runs to its end.
//!
//! hyper drops a handler's future when the client goes away (a closed tab,
//! a load tester stopping). sqlx's `begin` is not cancel-safe: a future
//! dropped while `BEGIN` is in flight can send the pooled connection back
//! still inside a transaction it no longer tracks (sqlx issues #2054 and
//! #4393, PostgreSQL too); the next request on that connection then fails
//! ("begin_with at non-zero transaction depth") or waits on "database is
//! locked". Seen under `benches/web.sh` when wrk stops. Running each
//! request on its own task means a departed client only loses the answer:
//! every transaction still commits or rolls back as its code says.

use axum::{
    extract::Request,
    middleware::Next,
    response::{IntoResponse, Response},
};
use tracing::Instrument;

/// Runs the rest of the stack on a spawned task and waits for it.
pub async fn layer(req: Request, next: Next) -> Response {
    let work = tokio::spawn(next.run(req).in_current_span());
    match work.await {
        Ok(response) => response,
        // a panic inside a handler: the same answer hyper would give
        Err(e) => {
            tracing::error!(error = %e, "request task failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
