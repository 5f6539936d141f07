//! The minutes of a secret ballot (*biên bản kiểm phiếu*) as DOCX and PDF,
//! once the ballot is closed: the same facts as the HTML minutes, worded in
//! core (`tdkt_core::review::minutes`, templates beside the review
//! reports', with their official frame: issuing unit, `Số: ……/BB-……`, the
//! day of the close, the signature blocks) and laid out by
//! `tdkt_docs::framed` (NĐ 30/2020 frame and page rules, embedded serif).
//! Before close there is nothing to count, so 404 — the ballot page itself
//! never shows a partial tally.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tdkt_core::ballot::Outcome;
use tdkt_core::review::minutes::Minutes;
use tdkt_docs::Format;
use tdkt_store::ballots::BallotInfo;

use super::ballots::seen;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new().route("/ballots/{id}/minutes/{format}", get(download))
}

/// The minutes of ballot `b`, worded in core (`tdkt_core::review::minutes`,
/// beside the review reports' templates): `.vietnamese()` the text,
/// `.vietnamese_frame()` its official frame. The page (`ballots.rs`) and
/// the files here read the same.
#[must_use]
pub fn minutes_of<'a>(b: &'a BallotInfo, unit_name: &'a str, outcome: &'a Outcome) -> Minutes<'a> {
    Minutes {
        spec: &b.spec,
        unit: unit_name,
        context: &b.context,
        closed_at: b.closed_at.as_deref(),
        outcome,
    }
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
    let minutes = minutes_of(&s.info, &unit.name, &outcome);
    let (doc, frame) = (minutes.vietnamese(), minutes.vietnamese_frame());
    let bytes = match format {
        Format::Docx => tdkt_docs::framed::docx(&doc, &frame),
        _ => tdkt_docs::framed::pdf(&doc, &frame),
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
