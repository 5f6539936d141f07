//! The minutes of a secret ballot (*biên bản kiểm phiếu*) as DOCX and PDF,
//! once the ballot is closed: the same facts as the HTML minutes, worded in
//! core (`tdkt_core::review::minutes`, templates beside the review
//! reports') and laid out by `tdkt_docs` (NĐ 30/2020 page rules, embedded
//! fonts). Before close there is nothing to count, so 404 — the ballot page
//! itself never shows a partial tally.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tdkt_core::ballot::Outcome;
use tdkt_core::review::minutes::Minutes;
use tdkt_core::review::ReviewDocument;
use tdkt_docs::Format;
use tdkt_store::ballots::BallotInfo;

use super::ballots::seen;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new().route("/ballots/{id}/minutes/{format}", get(download))
}

/// The minutes as a document of sentences, worded in core
/// (`tdkt_core::review::minutes`, beside the review reports' templates).
#[must_use]
pub fn minutes_document(b: &BallotInfo, unit_name: &str, outcome: &Outcome) -> ReviewDocument {
    Minutes {
        spec: &b.spec,
        unit: unit_name,
        context: &b.context,
        closed_at: b.closed_at.as_deref(),
        outcome,
    }
    .vietnamese()
}

async fn download(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let format = match format.as_str() {
        "docx" => Format::Docx,
        "pdf" => Format::Pdf,
        _ => return Err(AppError::NotFound),
    };
    if !s.info.closed {
        return Err(AppError::NotFound);
    }
    let outcome = state.store.ballot_result(id).await?;
    let unit = state.store.unit(s.info.unit_id).await?;
    let doc = minutes_document(&s.info, &unit.name, &outcome);
    let bytes = match format {
        Format::Docx => tdkt_docs::docx::render(&doc),
        _ => tdkt_docs::pdf::render(&doc),
    }
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, format.mime().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"bien-ban-kiem-phieu-{id}.{}\"",
                    format.extension()
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
