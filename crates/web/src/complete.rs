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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use axum::{body::Body, extract::Request, routing::get, Router};
    use tokio::sync::{oneshot, Mutex};
    use tower::ServiceExt;

    /// A router whose one handler says when it has started, then finishes a
    /// piece of work later, as a transaction between BEGIN and COMMIT would.
    fn app(with_layer: bool) -> (Router, oneshot::Receiver<()>, Arc<AtomicBool>) {
        let (started_tx, started_rx) = oneshot::channel();
        let started_tx = Arc::new(Mutex::new(Some(started_tx)));
        let finished = Arc::new(AtomicBool::new(false));
        let done = finished.clone();
        let router = Router::new().route(
            "/",
            get(move || async move {
                if let Some(tx) = started_tx.lock().await.take() {
                    let _ = tx.send(());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                done.store(true, Ordering::SeqCst);
                "ok"
            }),
        );
        let router = if with_layer {
            router.layer(axum::middleware::from_fn(super::layer))
        } else {
            router
        };
        (router, started_rx, finished)
    }

    /// The caller departs once the handler is under way, as hyper does when
    /// the client closes the connection, then we wait well past the work.
    async fn depart_mid_request(with_layer: bool) -> bool {
        let (router, started, finished) = app(with_layer);
        let call = router.oneshot(Request::get("/").body(Body::empty()).unwrap());
        tokio::select! {
            _ = call => panic!("the handler answered before it had started"),
            _ = started => {}
        }
        // `call` is dropped here: the client has gone
        for _ in 0..100 {
            if finished.load(Ordering::SeqCst) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    #[tokio::test]
    async fn a_request_whose_client_departs_still_runs_to_its_end() {
        assert!(depart_mid_request(true).await);
    }

    /// The hazard the layer exists for: without it the handler's future is
    /// dropped half-way (for sqlx, possibly inside BEGIN).
    #[tokio::test]
    async fn without_the_layer_a_departed_client_cuts_the_handler_short() {
        assert!(!depart_mid_request(false).await);
    }
}
