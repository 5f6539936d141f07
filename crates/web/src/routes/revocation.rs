//! Revoking and correcting one registry record on the web (issue 14;
//! Điều 93 Luật TĐKT 2022, NĐ 152/2025/NĐ-CP Điều 56–58). Officers whose
//! scope reaches the record's unit only: 404 outside it, 403 for roles
//! that never write. A refused form comes back with its values and the
//! reason; nothing is half-written (one store call, one transaction).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::Action;
use tdkt_core::date::format_vn;
use tdkt_core::revocation::{Correction, Ground, Revocation};
use tdkt_store::awards::{catalogue, AwardRecord};
use tdkt_store::revocations::corrected_of;

use super::certificates::readable_record;
use crate::layout::{form_error, Ctx};
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/awards/{id}/revoke", get(revoke_form).post(revoke))
        .route("/awards/{id}/correct", get(correct_form).post(correct))
}

#[derive(Deserialize, Default)]
pub struct RevokeForm {
    #[serde(default)]
    ground: String,
    #[serde(default)]
    decision_no: String,
    #[serde(default)]
    decision_date: String,
    #[serde(default)]
    reason: String,
}

fn summary(r: &AwardRecord) -> Markup {
    html! {
        section.card {
            dl.facts {
                dt { "Khen thưởng" } dd { (r.award_name()) " năm " (r.year) }
                dt { "Người, tập thể nhận" } dd { (r.recipient_name()) " — " (r.unit_name) }
                dt { "Quyết định" } dd { code { (r.decision_no) } " ngày " (format_vn(r.decision_date)) }
                dt { "Trạng thái" } dd { (r.status_text()) }
            }
        }
    }
}

fn revoke_page(ctx: &Ctx, r: &AwardRecord, f: &RevokeForm, err: Option<&AppError>) -> Markup {
    let honorary = catalogue()
        .get(&r.award_code)
        .is_some_and(|a| a.group == tdkt_core::revocation::HONORARY_GROUP);
    ctx.page(
        "Hủy bỏ khen thưởng",
        html! {
            p.muted { a href={ "/awards/" (r.id) } { "← Bản ghi khen thưởng" } }
            h1 { "Hủy bỏ khen thưởng" }
            p { "Hủy bỏ khen thưởng của một người (tập thể) trong quyết định, theo Điều 93 Luật Thi đua, khen thưởng 2022; hiện vật và tiền thưởng phải nộp lại trong 15 ngày làm việc (Điều 58 Nghị định 152/2025/NĐ-CP). Các trường hợp khác trong cùng quyết định giữ nguyên." }
            (summary(r))
            (form_error(err))
            form.stack method="post" action={ "/awards/" (r.id) "/revoke" } {
                (ctx.csrf_field())
                fieldset {
                    legend { "Căn cứ hủy bỏ" }
                    @for g in Ground::CHOOSABLE {
                        @if g != Ground::TuocDanhHieuVinhDu || honorary {
                            label.check {
                                input type="radio" name="ground" value=(g.code()) required checked[f.ground == g.code()];
                                span { (g.label()) " " span.cite { "(" (g.citation()) ")" } }
                            }
                        }
                    }
                }
                label { "Số quyết định hủy bỏ" input name="decision_no" required value=(f.decision_no) placeholder="vd. 12/QĐ-UBND"; }
                label { "Ngày quyết định hủy bỏ" input type="date" name="decision_date" required value=(f.decision_date); }
                label { "Lý do" textarea name="reason" rows="3" required { (f.reason) } }
                button type="submit" { "Hủy bỏ khen thưởng này" }
            }
        },
    )
}

async fn revoke_form(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = readable_record(&state, &ctx, id, Action::WritePeople).await?;
    Ok(revoke_page(&ctx, &r, &RevokeForm::default(), None).into_response())
}

async fn revoke(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, AppError> {
    let r = readable_record(&state, &ctx, id, Action::WritePeople).await?;
    let who = ctx.require()?.username.clone();
    let group = catalogue()
        .get(&r.award_code)
        .map_or("", |a| a.group.as_str());
    let parsed = Revocation::parse(
        &f.ground,
        &f.decision_no,
        &f.decision_date,
        &f.reason,
        r.decision_date,
        group,
        tdkt_core::date::today_vn(),
    )
    .map_err(AppError::from);
    let result = match parsed {
        Ok(rev) => state
            .store
            .revoke_award(&who, id, &rev)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(super::saved(&format!("/awards/{id}"), "thu-hoi")),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => {
            let status = e.status();
            let r = state.store.award_record(id).await?;
            Ok((status, revoke_page(&ctx, &r, &f, Some(&e))).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct CorrectForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    decision_no: String,
    #[serde(default)]
    decision_date: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    achievement: String,
    #[serde(default)]
    reason: String,
}

impl CorrectForm {
    fn of(r: &AwardRecord) -> Self {
        Self {
            year: r.year.to_string(),
            decision_no: r.decision_no.clone(),
            decision_date: r.decision_date.to_string(),
            authority: r.authority.clone(),
            achievement: r.reason.clone(),
            reason: String::new(),
        }
    }
}

fn correct_page(ctx: &Ctx, r: &AwardRecord, f: &CorrectForm, err: Option<&AppError>) -> Markup {
    ctx.page(
        "Đính chính khen thưởng",
        html! {
            p.muted { a href={ "/awards/" (r.id) } { "← Bản ghi khen thưởng" } }
            h1 { "Đính chính thông tin quyết định" }
            p { "Sửa số, ngày, cơ quan quyết định, năm thành tích hoặc nội dung thành tích nhập sai; giá trị cũ được giữ trong nhật ký. Không sửa người nhận hay danh hiệu, hình thức: trường hợp đó phải hủy bỏ và ghi bản ghi mới." }
            (summary(r))
            (form_error(err))
            form.stack method="post" action={ "/awards/" (r.id) "/correct" } {
                (ctx.csrf_field())
                label { "Năm thành tích" input name="year" inputmode="numeric" required value=(f.year); }
                label { "Số quyết định" input name="decision_no" required value=(f.decision_no); }
                label { "Ngày quyết định" input type="date" name="decision_date" required value=(f.decision_date); }
                label { "Cấp quyết định" input name="authority" value=(f.authority); }
                label { "Thành tích" textarea name="achievement" rows="2" { (f.achievement) } }
                label { "Lý do đính chính" textarea name="reason" rows="2" required { (f.reason) } }
                button type="submit" { "Lưu đính chính" }
            }
        },
    )
}

async fn correct_form(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = readable_record(&state, &ctx, id, Action::WritePeople).await?;
    Ok(correct_page(&ctx, &r, &CorrectForm::of(&r), None).into_response())
}

async fn correct(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<CorrectForm>,
) -> Result<Response, AppError> {
    let r = readable_record(&state, &ctx, id, Action::WritePeople).await?;
    let who = ctx.require()?.username.clone();
    let result = match Correction::parse(
        &corrected_of(&r),
        &f.year,
        &f.decision_no,
        &f.decision_date,
        &f.authority,
        &f.achievement,
        &f.reason,
    ) {
        Ok(c) => state
            .store
            .correct_award(&who, id, &c)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(super::saved(&format!("/awards/{id}"), "dinh-chinh")),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => {
            Ok((e.status(), correct_page(&ctx, &r, &f, Some(&e))).into_response())
        }
        Err(e) => Err(e),
    }
}
