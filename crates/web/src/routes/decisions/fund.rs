//! The fund ledger of a deciding authority (`/fund?unit=…&year=…`):
//! receipts, the payments written by issued decisions, the running balance,
//! a receipt form and the XLSX export (`/fund/so-quy.xlsx`). Reading needs
//! `ReadDecisions` on the unit, entering and exporting `ManageFund`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{role_may, Action};
use tdkt_core::date::format_vn;
use tdkt_core::decision::{FundKind, NewReceipt};
use tdkt_store::decisions::fund::{ledger_xlsx, Ledger};
use tdkt_store::decisions::Authority;

use super::{authorities_with, vnd};
use crate::auth::authorize;
use crate::layout::{form_error, Ctx};
use crate::view::download;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/fund", get(ledger_page))
        .route("/fund/receipts", post(add_receipt))
        .route("/fund/so-quy.xlsx", get(xlsx))
}

#[derive(Deserialize, Default)]
struct Params {
    unit: Option<String>,
    year: Option<String>,
}

/// The authority asked for (or the caller's first) and the year, the
/// caller holding `action` on it.
async fn chosen(
    state: &SharedState,
    ctx: &Ctx,
    p: &Params,
    action: Action,
) -> Result<(Vec<Authority>, Option<Authority>, i32), AppError> {
    ctx.require()?;
    authorize(state, &ctx.user, action, None, &ctx.path).await?;
    let year = match p.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => tdkt_core::date::today_vn().year(),
        Some(s) => s
            .parse()
            .ok()
            .filter(|y| (1945..=9999).contains(y))
            .ok_or_else(|| AppError::Invalid {
                field: "year",
                message: format!("«{s}» không phải năm."),
            })?,
    };
    let all = authorities_with(state, ctx, Action::ReadDecisions).await?;
    let pick = match p.unit.as_deref().filter(|u| !u.is_empty()) {
        Some(code) => {
            // a code out of scope is 404, whether or not it exists
            let a = state
                .store
                .decision_authorities()
                .await?
                .into_iter()
                .find(|a| a.unit_code == code)
                .ok_or(AppError::NotFound)?;
            authorize(
                state,
                &ctx.user,
                Action::ReadDecisions,
                Some(a.unit_id),
                &ctx.path,
            )
            .await?;
            Some(a)
        }
        None => all.first().cloned(),
    };
    if let (Some(a), true) = (&pick, action != Action::ReadDecisions) {
        authorize(state, &ctx.user, action, Some(a.unit_id), &ctx.path).await?;
    }
    Ok((all, pick, year))
}

#[derive(Deserialize, Default)]
struct ReceiptForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    entry_date: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    description: String,
}

fn render(
    ctx: &Ctx,
    all: &[Authority],
    a: Option<&Authority>,
    year: i32,
    l: Option<&Ledger>,
    f: &ReceiptForm,
    err: Option<&AppError>,
) -> Markup {
    let may_manage = ctx
        .principal()
        .is_some_and(|p| role_may(p.role, Action::ManageFund));
    ctx.page(
        "Sổ quỹ thi đua, khen thưởng",
        html! {
            p.muted { a href="/decisions" { "← Quyết định khen thưởng" } }
            h1 { "Sổ quỹ thi đua, khen thưởng" }
            p { "Khoản thu do cán bộ ghi; khoản chi tiền thưởng được ghi tự động khi ban hành quyết định của cơ quan (Điều 46–55 Nghị định 152/2025/NĐ-CP)." }
            form.inline method="get" action="/fund" {
                label { "Cơ quan" select name="unit" {
                    @for x in all { option value=(x.unit_code) selected[a.is_some_and(|a| a.unit_id == x.unit_id)] { (x.body) } }
                } }
                label { "Năm" input name="year" inputmode="numeric" value=(year); }
                button type="submit" { "Xem" }
            }
            (form_error(err))
            @if let (Some(a), Some(l)) = (a, l) {
                h2 { (a.body) " — năm " (year) }
                table #ledger {
                    thead { tr { th { "Ngày" } th { "Loại" } th { "Nội dung" } th { "Quyết định" } th.num { "Thu" } th.num { "Chi" } th.num { "Tồn quỹ" } } }
                    tbody {
                        @for (e, bal) in &l.entries {
                            tr {
                                td { (format_vn(e.entry_date)) }
                                td { (e.kind().label()) }
                                td { (e.description) }
                                td { @if let (Some(id), Some(n)) = (e.decision_id, &e.decision_number) { a href={ "/decisions/" (id) } { (n) } } }
                                td.num { @if e.kind() == FundKind::Receipt { (vnd(e.amount)) } }
                                td.num { @if e.kind() == FundKind::Payment { (vnd(e.amount)) } }
                                td.num .revoked[*bal < 0] { (vnd(*bal)) }
                            }
                        }
                    }
                    tfoot { tr { td {} td {} td { strong { "Cộng" } } td {}
                        td.num #receipts { strong { (vnd(l.totals.receipts)) } }
                        td.num #payments { strong { (vnd(l.totals.payments)) } }
                        td.num #balance { strong { (vnd(l.totals.balance)) } } } }
                }
                @if l.totals.balance < 0 {
                    p.alert role="alert" { "Quỹ âm: tổng chi vượt tổng thu của năm." }
                }
                @if may_manage {
                    p { a href={ "/fund/so-quy.xlsx?unit=" (a.unit_code) "&year=" (year) } { "Tải sổ quỹ (XLSX)" } }
                    section.card #receipt {
                        h2 { "Ghi khoản thu" }
                        form.stack method="post" action="/fund/receipts" {
                            (ctx.csrf_field())
                            input type="hidden" name="unit" value=(a.unit_code);
                            label { "Ngày thu" input type="date" name="entry_date" required value=(f.entry_date); }
                            label { "Số tiền (đồng)" input name="amount" required inputmode="numeric" value=(f.amount) placeholder="vd. 50.000.000"; }
                            label { "Nội dung" input name="description" required value=(f.description); }
                            button type="submit" { "Ghi khoản thu" }
                        }
                    }
                }
            } @else {
                p.muted { "Chưa có cơ quan ban hành nào trong phạm vi của bạn." }
            }
        },
    )
}

async fn ledger_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    let (all, a, year) = chosen(&state, &ctx, &p, Action::ReadDecisions).await?;
    let l = match &a {
        Some(a) => Some(state.store.fund_ledger(a.unit_id, year).await?),
        None => None,
    };
    let f = ReceiptForm {
        entry_date: tdkt_core::date::today_vn().to_string(),
        ..ReceiptForm::default()
    };
    Ok(render(&ctx, &all, a.as_ref(), year, l.as_ref(), &f, None).into_response())
}

async fn add_receipt(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Form<ReceiptForm>,
) -> Result<Response, AppError> {
    let p = Params {
        unit: Some(f.unit.clone()),
        year: None,
    };
    let (all, a, _) = chosen(&state, &ctx, &p, Action::ManageFund).await?;
    let a = a.ok_or(AppError::NotFound)?;
    let who = ctx.require()?.username.clone();
    let result = match NewReceipt::parse(
        &f.entry_date,
        &f.amount,
        &f.description,
        tdkt_core::date::today_vn(),
    ) {
        Ok(r) => state
            .store
            .add_fund_receipt(&who, a.unit_id, &r)
            .await
            .map(|_| r.entry_date.year())
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(year) => Ok(super::super::saved(
            &format!("/fund?unit={}&year={year}", a.unit_code),
            "thu-quy",
        )),
        Err(e @ AppError::Invalid { .. }) => {
            let year = tdkt_core::date::today_vn().year();
            let l = state.store.fund_ledger(a.unit_id, year).await?;
            Ok((
                e.status(),
                render(&ctx, &all, Some(&a), year, Some(&l), &f, Some(&e)),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

async fn xlsx(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    let (_, a, year) = chosen(&state, &ctx, &p, Action::ManageFund).await?;
    let a = a.ok_or(AppError::NotFound)?;
    let l = state.store.fund_ledger(a.unit_id, year).await?;
    let bytes = ledger_xlsx(&a.body, &l).map_err(AppError::Internal)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("so-quy-tdkt-{}-{year}.xlsx", a.unit_code),
    ))
}
