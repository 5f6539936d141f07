//! The minutes of a secret ballot (*biên bản kiểm phiếu*) as DOCX and PDF,
//! once the ballot is closed: the same facts as the HTML minutes, worded as
//! sentences and laid out by `tdkt_docs` (NĐ 30/2020 page rules, embedded
//! fonts). Before close there is nothing to count, so 404 — the ballot page
//! itself never shows a partial tally.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tdkt_core::ballot::{Elected, Outcome};
use tdkt_core::number::format_vi;
use tdkt_core::review::{Paragraph, ReviewDocument, Section};
use tdkt_docs::Format;
use tdkt_store::ballots::BallotInfo;

use super::ballots::{base_label, question_label, seen};
use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new().route("/ballots/{id}/minutes/{format}", get(download))
}

fn para(text: impl Into<String>) -> Paragraph {
    Paragraph {
        text: text.into(),
        indicator: None,
    }
}

/// `2026-11-27T09:05:00Z` as `16 giờ 05 ngày 27/11/2026` in Việt Nam time.
fn closed_at_vn(at: &str) -> String {
    let Ok(t) = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
    else {
        return at.to_owned();
    };
    let t = t.to_offset(time::macros::offset!(+7));
    format!(
        "{} giờ {:02} ngày {}",
        t.hour(),
        t.minute(),
        tdkt_core::date::format_vn(t.date())
    )
}

/// The minutes as a document of sentences.
#[must_use]
pub fn minutes_document(b: &BallotInfo, unit_name: &str, outcome: &Outcome) -> ReviewDocument {
    let mut head = vec![
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc"),
        para(format!("Về việc: {}.", b.spec.title)),
        para(format!(
            "Đơn vị tổ chức: {unit_name}{}.",
            if b.context.is_empty() {
                String::new()
            } else {
                format!(" ({})", b.context)
            }
        )),
        para(format!(
            "Hình thức: bỏ phiếu kín; {}.",
            question_label(b.spec.question).to_lowercase()
        )),
        para(format!(
            "Tỷ lệ cử tri tham gia tối thiểu: {}/{} tổng số cử tri, tức ít nhất {} cử tri. Ngưỡng đạt: {}% {}.",
            b.spec.quorum.num,
            b.spec.quorum.den,
            b.spec.quorum.required(b.spec.eligible),
            b.spec.threshold.percent,
            base_label(b.spec.threshold.base)
        )),
    ];
    if let Some(at) = &b.closed_at {
        head.push(para(format!("Kết thúc bỏ phiếu lúc {}.", closed_at_vn(at))));
    }
    let mut result = Vec::new();
    match outcome {
        Outcome::NoQuorum { explanation, .. } => {
            result.push(para(explanation.clone()));
            result.push(para(
                "Cuộc bỏ phiếu không đủ tỷ lệ cử tri tham gia nên không có kết quả.",
            ));
        }
        Outcome::Counted(t) => {
            result.push(para(format!(
                "Tổng số cử tri: {}; số cử tri tham gia bỏ phiếu: {}; số phiếu thu về: {}; số phiếu hợp lệ: {}; số phiếu không hợp lệ: {}.",
                t.eligible, t.present, t.cast, t.valid, t.invalid
            )));
            for c in &t.candidates {
                let verdict = match c.elected {
                    Elected::Yes => "đạt",
                    Elected::TieAtCutoff => "bằng phiếu ở vị trí cuối, cần bỏ phiếu lại",
                    Elected::No => "không đạt",
                };
                result.push(para(format!(
                    "{}: {} phiếu đồng ý trên {} ({}%), {} phiếu không đồng ý, {} phiếu để trống — {verdict}.",
                    c.name,
                    c.yes,
                    c.base,
                    format_vi(c.share_percent),
                    c.no,
                    c.blank
                )));
            }
            result.push(para(t.explanation.clone()));
        }
    }
    ReviewDocument {
        title: "Biên bản kiểm phiếu".into(),
        sections: vec![
            Section {
                heading: None,
                paragraphs: head,
            },
            Section {
                heading: Some("Kết quả kiểm phiếu".into()),
                paragraphs: result,
            },
            Section {
                heading: Some("Bảo đảm bí mật".into()),
                paragraphs: vec![
                    para("Phiếu bầu được lưu tách khỏi danh sách người tham gia; mỗi cử tri nhận một mã biên nhận để tự kiểm tra phiếu của mình đã được tính."),
                    para("Tổ kiểm phiếu                                        Chủ trì"),
                ],
            },
        ],
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
