//! The report of achievements of a dossier's recipient (*báo cáo thành
//! tích*, issue 14): `GET /dossiers/{id}/report?recipient=R` drafts it from
//! tdkt's records ([`tdkt_store::Store::achievement_draft`]) into a form the
//! officer edits; `POST /dossiers/{id}/report` renders the edited text as a
//! DOCX in the official layout and saves it as the dossier's
//! `bao-cao-thanh-tich` document, content-addressed through the attachments
//! module, with the date of the report — refused when that date is in the
//! future or already older than 6 months (khoản 9 Điều 33 NĐ 152/2025/NĐ-CP).
//!
//! Both need `HandleDossiers` and the level holding the dossier, like an
//! upload; reading the dossier is checked first (404 out of scope).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{self, Action};
use tdkt_core::date::{format_vn, today_vn};
use tdkt_docs::achievement::AchievementDocument;
use tdkt_store::attachments::Owner;

use super::{readable, url};
use crate::layout::Ctx;
use crate::{AppError, SharedState};

/// The checklist item the report answers.
const DOCUMENT: &str = "bao-cao-thanh-tich";

#[derive(Deserialize)]
pub(super) struct DraftQuery {
    recipient: Option<i64>,
}

/// Reads the dossier, then checks the role and the level: the officer of
/// the level holding an open dossier drafts and saves its reports.
async fn holder(state: &SharedState, ctx: &Ctx, id: i64) -> Result<(), AppError> {
    readable(state, ctx, id).await?;
    let who = ctx.require()?;
    if !access::role_may(who.role, Action::HandleDossiers) {
        return Err(AppError::Forbidden);
    }
    let d = state.store.dossier_for_holder(who, id).await?;
    if !d.state()?.status.is_open() {
        return Err(AppError::Invalid {
            field: "recipient",
            message: format!(
                "Hồ sơ #{id} đang ở trạng thái «{}»: không bổ sung báo cáo được nữa.",
                d.status_label()
            ),
        });
    }
    Ok(())
}

pub(super) async fn draft(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<DraftQuery>,
) -> Result<Markup, AppError> {
    holder(&state, &ctx, id).await?;
    let v = state.store.dossier_view(id).await?;
    let recipient = q
        .recipient
        .or_else(|| v.recipients.first().map(|r| r.id))
        .ok_or(AppError::NotFound)?;
    let today = today_vn();
    let a = state
        .store
        .achievement_draft(id, recipient, today)
        .await
        .map_err(|e| match e {
            tdkt_store::StoreError::NotFound(_) => AppError::NotFound,
            other => other.into(),
        })?;
    let f = &a.facts;
    Ok(ctx.page(
        &format!("Báo cáo thành tích — {}", a.recipient.name),
        html! {
            p.muted { a href=(url(id)) { "Hồ sơ #" (id) } }
            h1 { "Báo cáo thành tích: " (a.recipient.name) }
            p #report-period { "Đề nghị tặng " strong { (f.award_name) } "; thành tích từ năm " (f.from) " đến năm " (f.to)
                " (các năm mà tiêu chuẩn của hình thức này xét đến). Bản dự thảo lấy từ dữ liệu xếp loại, sáng kiến, khen thưởng và kỷ luật trong tdkt; hãy đọc lại và sửa trước khi lưu." }
            @if v.recipients.len() > 1 {
                p { "Người, tập thể khác: "
                    @for r in v.recipients.iter().filter(|r| r.id != recipient) {
                        a href={ (url(id)) "/report?recipient=" (r.id) } { (r.name) } " "
                    }
                }
            }
            form.stack method="post" action={ (url(id)) "/report" } {
                (ctx.csrf_field())
                input type="hidden" name="recipient" value=(recipient);
                label { "Ngày lập báo cáo (dd/mm/yyyy; không quá 6 tháng khi hồ sơ được chuyển lên, khoản 9 Điều 33 NĐ 152/2025/NĐ-CP)"
                    input name="report_date" value=(format_vn(today)) required; }
                label { "Nội dung báo cáo" textarea name="report_text" rows="24" required { (a.draft.text) } }
                button type="submit" { "Lưu vào hồ sơ (DOCX)" }
            }
        },
    ))
}

#[derive(Deserialize)]
pub(super) struct SaveForm {
    // text, read after the role and level are checked
    recipient: String,
    report_date: String,
    report_text: String,
}

pub(super) async fn save(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<SaveForm>,
) -> Result<Response, AppError> {
    holder(&state, &ctx, id).await?;
    let who = ctx.require()?;
    let recipient: i64 = f.recipient.trim().parse().map_err(|_| AppError::Invalid {
        field: "recipient",
        message: "Chưa chọn người, tập thể được đề nghị.".into(),
    })?;
    let text = f.report_text.replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Err(AppError::Invalid {
            field: "report_text",
            message: "Nội dung báo cáo thành tích đang để trống.".into(),
        });
    }
    let date = tdkt_core::date::parse(f.report_date.trim()).map_err(|m| AppError::Invalid {
        field: "report_date",
        message: format!("Ngày lập báo cáo «{}»: {m}", f.report_date.trim()),
    })?;
    let file_name = format!("bao-cao-thanh-tich-ho-so-{id}-{recipient}.docx");
    let date =
        tdkt_store::achievements::document_date(DOCUMENT, &file_name, Some(date), today_vn())?
            .unwrap_or(date);
    let a = state
        .store
        .achievement_draft(id, recipient, date)
        .await
        .map_err(|e| match e {
            tdkt_store::StoreError::NotFound(_) => AppError::NotFound,
            other => other.into(),
        })?;
    let place = if a.place.is_empty() {
        "…"
    } else {
        a.place.as_str()
    };
    let doc = AchievementDocument {
        parent_body: a.parent_body,
        body: a.body,
        place_date: tdkt_core::decision::place_date(place, date),
        title: a.draft.title,
        subject: a.draft.subject,
        text,
        sign_left: a.draft.sign_left,
        sign_right: a.draft.sign_right,
    };
    let bytes =
        tdkt_docs::achievement::render(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .attachments
        .put_dated(
            &state.store,
            &who.username,
            Owner {
                kind: "dossier",
                id,
                document: DOCUMENT,
            },
            &file_name,
            bytes,
            Some(date),
        )
        .await?;
    Ok(super::super::saved(&url(id), "bao-cao-ho-so"))
}
