//! A draft decision changed before it is issued: the annexed list uploaded
//! as a file (CSV or XLSX, read by the award import's reader, each bad row
//! reported as `core::import::RowError`), the header and list edited, the
//! draft deleted. An issued decision is refused both by the store (409),
//! which checks the status inside its transaction.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use tdkt_core::access::Action;
use tdkt_core::import::RowError;
use tdkt_store::decisions::{Decision, NewRecipient};

use super::{authorities_with, header_of, list_of, new_page, readable_decision, NewForm, Refusal};
use crate::form::read_upload;
use crate::layout::{form_error, Ctx};
use crate::view::{import_template, TemplateColumn};
use crate::{AppError, SharedState};

pub(super) fn router() -> Router<crate::SharedState> {
    Router::new()
        .route("/decisions/upload", post(upload))
        .route("/decisions/template.xlsx", get(template))
        .route("/decisions/{id}/edit", get(edit_form).post(edit))
        .route("/decisions/{id}/delete", post(delete))
}

/// The list fields of the new and edit forms: a file, or pasted rows.
pub(super) fn list_fields(pasted: &str, editing: bool) -> Markup {
    html! {
        label {
            "Danh sách khen thưởng: tệp CSV hoặc XLSX (dòng đầu là tiêu đề; loại đối tượng: cá nhân, tập thể, hộ gia đình)"
            input type="file" name="file" accept=".csv,.xlsx";
        }
        p.template { a href="/decisions/template.xlsx" download { "Tải mẫu danh sách (Excel)" } }
        label {
            @if editing { "hoặc dán danh sách mới (để trống cả hai: giữ danh sách hiện tại)" }
            @else { "hoặc dán danh sách (CSV)" }
            textarea name="recipients" rows="8" { (pasted) }
        }
    }
}

fn form_of(fields: &std::collections::HashMap<String, String>) -> NewForm {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    NewForm {
        authority: get("authority"),
        number: get("number"),
        decided_on: get("decided_on"),
        signer_name: get("signer_name"),
        signer_title: get("signer_title"),
        title: get("title"),
        bases: get("bases"),
        dossier_id: get("dossier_id"),
        recipients: get("recipients"),
    }
}

/// The file if one was chosen, else the pasted rows if any.
fn list_source(file: Option<(String, String, Vec<u8>)>, f: &NewForm) -> Option<(String, Vec<u8>)> {
    match file {
        Some((name, _, bytes)) => Some((name, bytes)),
        None if !f.recipients.trim().is_empty() => Some((
            "danh-sach.csv".to_owned(),
            f.recipients.clone().into_bytes(),
        )),
        None => None,
    }
}

async fn upload(
    State(state): State<SharedState>,
    ctx: Ctx,
    mp: Multipart,
) -> Result<Response, AppError> {
    // the role first, so a reader is refused before the form is read
    tdkt_web_gate(&state, &ctx).await?;
    let (file, fields) = read_upload(mp).await?;
    let f = form_of(&fields);
    let source = list_source(file, &f);
    let result = super::draft(&state, &ctx, &f, source).await;
    match result {
        Ok(id) => Ok(super::super::saved(
            &format!("/decisions/{id}"),
            "du-thao-qd",
        )),
        Err(Refusal::Field(e @ (AppError::Invalid { .. } | AppError::Conflict(..)))) => {
            let authorities = authorities_with(&state, &ctx, Action::IssueDecisions).await?;
            Ok((e.status(), new_page(&ctx, &authorities, &f, Some(&e), &[])).into_response())
        }
        Err(Refusal::Rows(rows)) => {
            let authorities = authorities_with(&state, &ctx, Action::IssueDecisions).await?;
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                new_page(&ctx, &authorities, &f, None, &rows),
            )
                .into_response())
        }
        Err(Refusal::Field(e)) => Err(e),
    }
}

async fn tdkt_web_gate(state: &SharedState, ctx: &Ctx) -> Result<(), AppError> {
    crate::auth::authorize(state, &ctx.user, Action::IssueDecisions, None, &ctx.path).await
}

fn edit_page(
    ctx: &Ctx,
    d: &Decision,
    f: &NewForm,
    err: Option<&AppError>,
    rows: &[RowError],
) -> Markup {
    ctx.page(
        &format!("Sửa dự thảo {}", d.number),
        html! {
            p.muted { a href={ "/decisions/" (d.id) } { "← Quyết định " (d.number) } }
            h1 { "Sửa dự thảo quyết định " (d.number) }
            (form_error(err))
            @if !rows.is_empty() {
                div.alert role="alert" #row-errors {
                    p { "Danh sách có dòng lỗi; chưa lưu gì:" }
                    ul { @for e in rows { li { (e.to_string()) } } }
                }
            }
            form.stack method="post" enctype="multipart/form-data" action={ "/decisions/" (d.id) "/edit?csrf_token=" (ctx.csrf) } {
                (ctx.csrf_field())
                label { "Số quyết định (số thứ tự trong năm)" input name="number" required inputmode="numeric" value=(f.number); }
                label { "Ngày ban hành" input type="date" name="decided_on" required value=(f.decided_on); }
                label { "Người ký" input name="signer_name" required value=(f.signer_name); }
                label { "Chức vụ người ký" input name="signer_title" required value=(f.signer_title); }
                label { "Trích yếu" input name="title" required value=(f.title); }
                label { "Căn cứ ban hành (mỗi dòng một căn cứ)" textarea name="bases" rows="5" required { (f.bases) } }
                label { "Mã hồ sơ đề nghị (nếu có)" input name="dossier_id" inputmode="numeric" value=(f.dossier_id); }
                (list_fields(&f.recipients, true))
                button type="submit" { "Lưu thay đổi" }
            }
            section.card #delete {
                p { "Xóa dự thảo: quyết định chưa ban hành chưa ghi gì vào sổ khen thưởng hay sổ quỹ; việc xóa được ghi vào nhật ký." }
                form method="post" action={ "/decisions/" (d.id) "/delete" } {
                    (ctx.csrf_field())
                    button.danger type="submit" { "Xóa dự thảo" }
                }
            }
        },
    )
}

/// A draft's header as the edit form shows it first.
fn form_from(d: &Decision) -> NewForm {
    NewForm {
        authority: d.unit_code.clone(),
        number: d.seq.to_string(),
        decided_on: d.decided_on.to_string(),
        signer_name: d.signer_name.clone(),
        signer_title: d.signer_title.clone(),
        title: d.title.clone(),
        bases: d.bases.clone(),
        dossier_id: d.dossier_id.map(|x| x.to_string()).unwrap_or_default(),
        recipients: String::new(),
    }
}

fn not_draft(d: &Decision) -> AppError {
    AppError::Conflict(
        format!(
            "Quyết định {} đã ban hành: không được sửa hoặc xóa.",
            d.number
        ),
        "status",
    )
}

async fn edit_form(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = readable_decision(&state, &ctx, id, Action::IssueDecisions).await?;
    if d.issued() {
        return Err(not_draft(&d));
    }
    Ok(edit_page(&ctx, &d, &form_from(&d), None, &[]).into_response())
}

async fn edit(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let d = readable_decision(&state, &ctx, id, Action::IssueDecisions).await?;
    let who = ctx.require()?.clone();
    let (file, fields) = read_upload(mp).await?;
    let mut f = form_of(&fields);
    f.authority.clone_from(&d.unit_code);
    let result: Result<(), Refusal> = async {
        let authority = state
            .store
            .decision_authority(d.authority_unit_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let head = header_of(&authority, &f)?;
        let (lines, names) = match list_source(file, &f) {
            Some((name, bytes)) => {
                let r = list_of(&state, &who, &name, bytes).await?;
                (r.lines, r.names)
            }
            // neither: the current list stays
            None => {
                let current = state.store.decision_lines(id).await?;
                let names = current
                    .iter()
                    .map(tdkt_store::decisions::RecipientLine::name)
                    .collect();
                let lines = current
                    .into_iter()
                    .map(|l| NewRecipient {
                        kind: l.recipient(),
                        person_id: l.person_id,
                        unit_id: l.unit_id,
                        household: l.household,
                        award_code: l.award_code,
                        year: l.year,
                        reason: l.reason,
                        dossier_id: l.dossier_id,
                    })
                    .collect();
                (lines, names)
            }
        };
        state
            .store
            .update_decision_draft(&who.username, id, &head, &lines, &names)
            .await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(super::super::saved(&format!("/decisions/{id}"), "sua-qd")),
        Err(Refusal::Field(e @ (AppError::Invalid { .. } | AppError::Conflict(..)))) => {
            Ok((e.status(), edit_page(&ctx, &d, &f, Some(&e), &[])).into_response())
        }
        Err(Refusal::Rows(rows)) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            edit_page(&ctx, &d, &f, None, &rows),
        )
            .into_response()),
        Err(Refusal::Field(e)) => Err(e),
    }
}

async fn delete(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = readable_decision(&state, &ctx, id, Action::IssueDecisions).await?;
    let who = ctx.require()?.clone();
    state
        .store
        .delete_decision_draft(&who.username, d.id)
        .await?;
    Ok(super::super::saved("/decisions", "xoa-qd"))
}

/// The columns of the annexed list's template: the Vietnamese header of
/// `tdkt_store::decisions::file::TEMPLATE_HEADER`, a note on each.
const TEMPLATE: [TemplateColumn; 7] = [
    TemplateColumn {
        header: "Loại đối tượng",
        note: "Bắt buộc: cá nhân, tập thể hoặc hộ gia đình.",
        example: "cá nhân",
    },
    TemplateColumn {
        header: "Số CCCD",
        note: "Cá nhân, chủ hộ gia đình: 12 chữ số, giữ số 0 đầu.",
        example: "092191938273",
    },
    TemplateColumn {
        header: "Mã đơn vị",
        note: "Bắt buộc với tập thể; với cá nhân: đơn vị công tác (được đối chiếu).",
        example: "can-tho.so-xay-dung",
    },
    TemplateColumn {
        header: "Họ tên",
        note: "Họ tên cá nhân (đối chiếu với hồ sơ), tên tập thể hoặc hộ.",
        example: "Bùi Thị Hồng Nhung",
    },
    TemplateColumn {
        header: "Danh hiệu",
        note: "Bắt buộc: mã danh hiệu, hình thức khen thưởng trong danh mục.",
        example: "bang-khen-cap-tinh",
    },
    TemplateColumn {
        header: "Năm thành tích",
        note: "Bắt buộc: 4 chữ số.",
        example: "2025",
    },
    TemplateColumn {
        header: "Thành tích",
        note: "Không bắt buộc: nội dung thành tích.",
        example: "Hoàn thành xuất sắc nhiệm vụ năm 2025",
    },
];

/// «Tải mẫu» of a decision's annexed list.
async fn template(State(state): State<SharedState>, ctx: Ctx) -> Result<Response, AppError> {
    tdkt_web_gate(&state, &ctx).await?;
    import_template(
        "mau-danh-sach-khen-thuong.xlsx",
        "Mẫu danh sách khen thưởng kèm quyết định: mỗi dòng một đối tượng. Giữ dòng tiêu đề, thay dòng ví dụ bằng danh sách thật.",
        &TEMPLATE,
        &[],
    )
}
