//! A unit's award history as a list (`/units/{code}/awards`, issue 15):
//! count, numbered pages, sortable columns, filters by year and award, and
//! the filtered list as XLSX/CSV with the registry's export columns.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use tdkt_core::access::Action;
use tdkt_store::awards::unit_list::{UnitAwardFilter, UnitAwardSort};
use tdkt_store::awards::{self, AwardRecord};

use super::{award_table_with, export};
use crate::auth::{authorize, people_scope};
use crate::layout::Ctx;
use crate::listing::Listing;
use crate::{AppError, SharedState};

/// The list's query: `nam`, `danh_hieu` (award code), `sap_xep`, `trang`,
/// `format`. The former keyset cursor `after` is accepted and ignored (the
/// list starts at its first page).
#[derive(Deserialize)]
pub(super) struct UnitListQuery {
    nam: Option<String>,
    danh_hieu: Option<String>,
    sap_xep: Option<String>,
    trang: Option<String>,
    format: Option<String>,
}

/// The columns that sort, by their header.
const SORTS: [(&str, UnitAwardSort); 3] = [
    ("Năm", UnitAwardSort::Year),
    ("Danh hiệu, hình thức", UnitAwardSort::Award),
    ("Ngày quyết định", UnitAwardSort::DecisionDate),
];

pub(super) async fn unit_list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<UnitListQuery>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.clone();
    authorize(&state, &ctx.user, Action::ReadPeople, None, &ctx.path).await?;
    let lineage = state.store.lineage().await?;
    let unit = lineage.by_code(&code).cloned().ok_or(AppError::NotFound)?;
    let scope = people_scope(&state, &who).await?;
    let view: Listing<UnitAwardSort> = Listing::new(
        format!("/units/{}/awards", crate::error::urlencode(&unit.code)),
        vec![
            ("nam", q.nam.clone().unwrap_or_default()),
            ("danh_hieu", q.danh_hieu.clone().unwrap_or_default()),
        ],
        q.sap_xep.as_deref(),
        q.trang.as_deref(),
        q.format.as_deref(),
    );
    let filter = UnitAwardFilter {
        year: view.filter("nam").and_then(|y| y.parse().ok()),
        award: view.filter("danh_hieu").map(str::to_owned),
    };
    let (page, limit) = view.window();
    let found = state
        .store
        .unit_awards_page(&lineage, unit.id, &scope, &filter, view.order, page, limit)
        .await?;
    if let Some(f) = view.format {
        let rows: Vec<(AwardRecord, Option<String>)> = found
            .rows
            .into_iter()
            .map(|e| (e.record, e.inherited))
            .collect();
        return export(&rows, f, &format!("khen-thuong-{}", unit.code));
    }
    let rows: Vec<(&AwardRecord, Option<&str>)> = found
        .rows
        .iter()
        .map(|e| (&e.record, e.inherited.as_deref()))
        .collect();
    let chosen = view.filter("danh_hieu").unwrap_or_default();
    Ok(ctx
        .page(
            &format!("Khen thưởng — {}", unit.name),
            html! {
                p.muted { a href={ "/units/" (unit.code) } { (unit.name) } }
                h1 { "Lịch sử khen thưởng" }
                p.muted { "Gồm khen thưởng của đơn vị, cán bộ của đơn vị và của các đơn vị tiền thân trước khi sáp nhập, chia tách." }
                form.filters method="get" action={ "/units/" (unit.code) "/awards" } {
                    label { "Danh hiệu, hình thức "
                        select name="danh_hieu" {
                            option value="" { "— tất cả —" }
                            @for a in awards::catalogue().awards() {
                                option value=(a.code) selected[chosen == a.code] { (a.name) }
                            }
                        }
                    }
                    label { "Năm " input name="nam" size="4" inputmode="numeric" value=(view.filter("nam").unwrap_or_default()); }
                    (view.filter_submit())
                }
                (view.count(found.total, "khen thưởng"))
                @if rows.is_empty() {
                    p.muted { "Không có khen thưởng nào khớp bộ lọc trong phạm vi của bạn." }
                } @else {
                    (view.export_links())
                    (view.sort_menu(&SORTS))
                    (award_table_with(&rows, &|label| {
                        match SORTS.iter().find(|(l, _)| *l == label) {
                            Some((l, k)) => view.th(l, *k),
                            None => html! { th { (label) } },
                        }
                    }))
                    (view.pager(found.total))
                }
            },
        )
        .into_response())
}
