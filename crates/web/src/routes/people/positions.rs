//! A person's positions (*chức vụ*) as a dated history on the person page
//! (issue 13): the periods with their days, and for an officer of the
//! person's unit the forms to add one (a new current position closes the
//! one held until then), correct one or remove one entered by mistake.
//! Each form is parsed into `tdkt_core::person::NewPosition`; overlaps are
//! refused by the store with the field named.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::person::NewPosition;
use tdkt_store::people::{Person, PositionPeriod};

use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/people/{id}/positions", post(add))
        .route("/people/{id}/positions/{pid}", post(edit))
        .route("/people/{id}/positions/{pid}/delete", post(delete))
}

/// Every field optional: a missing one is refused by the parse, after the
/// caller was authorized, with the field named.
#[derive(Deserialize)]
pub struct PositionForm {
    pub position: Option<String>,
    pub is_leader: Option<String>,
    pub position_from: Option<String>,
    pub position_to: Option<String>,
}

impl PositionForm {
    fn parse(&self) -> Result<NewPosition, AppError> {
        Ok(NewPosition::parse(
            self.position.as_deref().unwrap_or_default(),
            self.is_leader
                .as_deref()
                .is_some_and(|v| v == "true" || v == "on"),
            self.position_from.as_deref().unwrap_or_default(),
            self.position_to.as_deref().unwrap_or_default(),
            today_vn(),
        )?)
    }
}

fn fields(p: Option<&PositionPeriod>) -> Markup {
    let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    html! {
        label { "Chức vụ" input name="position" required value=(p.map_or("", |p| p.title.as_str())); }
        label { input type="checkbox" name="is_leader" value="true" checked[p.is_some_and(|p| p.is_leader)]; " Lãnh đạo, quản lý" }
        label { "Từ ngày" input name="position_from" type="date" required value=(date(p.map(|p| p.start_date))); }
        label { "Đến ngày (để trống nếu đang giữ)" input name="position_to" type="date" value=(date(p.and_then(|p| p.end_date))); }
    }
}

/// The «Quá trình giữ chức vụ» card: the periods, newest first, and the
/// forms when `may_write`.
pub fn section(ctx: &Ctx, person: &Person, periods: &[PositionPeriod], may_write: bool) -> Markup {
    html! {
        section.card #positions {
            h2 { "Quá trình giữ chức vụ" }
            @if periods.is_empty() { p.muted { "Chưa có chức vụ nào được ghi nhận." } } @else {
                table.responsive {
                    thead { tr { th { "Chức vụ" } th { "Từ ngày" } th { "Đến ngày" } @if may_write { th {} } } }
                    tbody {
                        @for p in periods.iter().rev() {
                            tr {
                                td data-label="Chức vụ" { (p.title) @if p.is_leader { " " span.tag { "lãnh đạo, quản lý" } } }
                                td data-label="Từ ngày" { (format_vn(p.start_date)) }
                                td data-label="Đến ngày" { (p.end_date.map_or_else(|| "nay".to_owned(), format_vn)) }
                                @if may_write {
                                    td {
                                        details {
                                            summary { "Sửa" }
                                            form.stack method="post" action={ "/people/" (person.id) "/positions/" (p.id) } {
                                                (ctx.csrf_field())
                                                (fields(Some(p)))
                                                button type="submit" { "Lưu" }
                                            }
                                            form method="post" action={ "/people/" (person.id) "/positions/" (p.id) "/delete" } {
                                                (ctx.csrf_field())
                                                button.secondary type="submit" { "Xóa (nhập nhầm)" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if may_write {
                details #add-position {
                    summary { "Thêm chức vụ" }
                    p.muted { "Chức vụ mới đang giữ sẽ kết thúc chức vụ hiện tại vào ngày hôm trước." }
                    form.stack method="post" action={ "/people/" (person.id) "/positions" } {
                        (ctx.csrf_field())
                        (fields(None))
                        button type="submit" { "Thêm" }
                    }
                }
            }
        }
    }
}

fn back(id: i64, said: &str) -> Response {
    crate::routes::saved(&format!("/people/{id}#positions"), said)
}

async fn add(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PositionForm>,
) -> Result<Response, AppError> {
    let (who, p) = crate::load::writable_person(&state, &ctx, id).await?;
    let new = f.parse()?;
    state.store.add_position(&who, p.id, &new).await?;
    Ok(back(p.id, "chuc-vu"))
}

async fn edit(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((id, pid)): Path<(i64, i64)>,
    Form(f): Form<PositionForm>,
) -> Result<Response, AppError> {
    let (who, p) = crate::load::writable_person(&state, &ctx, id).await?;
    let new = f.parse()?;
    state.store.edit_position(&who, p.id, pid, &new).await?;
    Ok(back(p.id, "chuc-vu"))
}

async fn delete(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((id, pid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (who, p) = crate::load::writable_person(&state, &ctx, id).await?;
    state.store.delete_position(&who, p.id, pid).await?;
    Ok(back(p.id, "xoa-chuc-vu"))
}
