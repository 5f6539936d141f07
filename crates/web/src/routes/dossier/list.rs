//! The dossiers list (issue 15) and the overdue board: count, numbered
//! pages, sortable columns, filters (status, year, held at my level) and
//! the filtered list as XLSX/CSV, scoped to the levels the caller reads,
//! through [`crate::listing`].

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{self, Action};
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::dossier::Status;
use tdkt_store::dossiers::list::{DossierFilter, DossierSort};
use tdkt_store::dossiers::DossierSummary;

use super::{award_name, read_scope, url};
use crate::layout::Ctx;
use crate::listing::{col, export, Cell, Column, Listing};
use crate::{AppError, SharedState};

/// The list's query: `overdue` (the overdue board), `trang_thai` (a status
/// code), `nam`, `cap=cua_toi` (held at my level), `sap_xep`, `trang`,
/// `format`.
#[derive(Deserialize)]
pub(super) struct ListQuery {
    overdue: Option<String>,
    trang_thai: Option<String>,
    nam: Option<String>,
    cap: Option<String>,
    sap_xep: Option<String>,
    trang: Option<String>,
    format: Option<String>,
}

fn table(
    rows: &[(&DossierSummary, Option<String>)],
    held_here: &dyn Fn(&DossierSummary) -> bool,
    th: &dyn Fn(&str, DossierSort) -> Markup,
) -> Markup {
    html! {
        div.scroll { table.responsive #dossiers {
            thead { tr {
                (th("Số", DossierSort::Number)) (th("Danh hiệu, hình thức", DossierSort::Award))
                (th("Năm", DossierSort::Year)) (th("Đơn vị lập", DossierSort::Unit))
                (th("Cấp đang giữ", DossierSort::Holder)) (th("Trạng thái", DossierSort::Status))
                th { "Số người, tập thể" }
                @if rows.iter().any(|r| r.1.is_some()) { th { "Hạn" } }
            } }
            tbody { @for (d, due) in rows { tr class=[held_here(d).then_some("mine")] {
                td data-label="Số" { a href=(url(d.id)) { "#" (d.id) } }
                td data-label="Danh hiệu, hình thức" { a href=(url(d.id)) { (award_name(&d.award_code)) } @if !d.title.is_empty() { br; span.muted { (d.title) } } }
                td data-label="Năm" { (d.year) }
                td data-label="Đơn vị lập" { (d.unit_name) }
                td data-label="Cấp đang giữ" { (d.holder_name) }
                td data-label="Trạng thái" { (d.status_label()) }
                td data-label="Số người, tập thể" { (d.recipients) }
                @if let Some(due) = due { td data-label="Hạn" { span.missing { (due) } } }
            } } }
        } }
    }
}

pub(super) async fn list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scope = read_scope(&state, &ctx).await?;
    let who = ctx.require()?;
    let mine = who.scope_unit;
    let held_here = |d: &DossierSummary| Some(d.holder_id) == mine;
    let may_handle = access::role_may(who.role, Action::HandleDossiers);
    if q.overdue.is_some() {
        return Ok(overdue(&state, &ctx, scope.as_ref(), mine)
            .await?
            .into_response());
    }
    let view: Listing<DossierSort> = Listing::new(
        "/dossiers",
        vec![
            ("trang_thai", q.trang_thai.clone().unwrap_or_default()),
            ("nam", q.nam.clone().unwrap_or_default()),
            ("cap", q.cap.clone().unwrap_or_default()),
        ],
        q.sap_xep.as_deref(),
        q.trang.as_deref(),
        q.format.as_deref(),
    );
    let mine_only = view.filter("cap") == Some("cua_toi");
    let filter = DossierFilter {
        scope: scope.clone(),
        status: view
            .filter("trang_thai")
            .and_then(|s| Status::parse(s).ok()),
        year: view.filter("nam").and_then(|y| y.parse().ok()),
        // a caller without a unit holds nothing: an id no unit has
        held_by: mine_only.then_some(mine.unwrap_or(-1)),
    };
    let (page, limit) = view.window();
    let found = state
        .store
        .list_dossiers(&filter, view.order, page, limit)
        .await?;
    if let Some(f) = view.format {
        return export(
            f,
            "Hồ sơ khen thưởng",
            "ho-so-khen-thuong",
            &COLUMNS,
            found.rows.iter().map(row),
        );
    }
    let here = match mine {
        Some(unit) => {
            let f = DossierFilter {
                scope,
                held_by: Some(unit),
                ..DossierFilter::default()
            };
            state.store.list_dossiers(&f, view.order, 1, 1).await?.total
        }
        None => 0,
    };
    let reminders = state.store.reminders_for(who, today_vn()).await?;
    let rows: Vec<_> = found.rows.iter().map(|d| (d, None)).collect();
    let chosen = view.filter("trang_thai").unwrap_or_default();
    let th = |label: &str, sort: DossierSort| view.th(label, sort);
    Ok(ctx
        .page(
            "Hồ sơ khen thưởng",
            html! {
                h1 { "Hồ sơ đề nghị khen thưởng" }
                p {
                    a href="/dossiers?overdue" { "Hồ sơ quá hạn" }
                    @if may_handle { " · " a href="/dossiers/new" { "Lập hồ sơ mới" } }
                    @if access::role_may(who.role, Action::DiscloseDossiers) { " · " a href="/disclosures" { "Công khai, lấy ý kiến" } }
                }
                (crate::view::reminders(&reminders))
                p #held-here {
                    "Đang ở cấp của tôi: "
                    a href="/dossiers?cap=cua_toi" { strong { (tdkt_core::number::format_count(here.unsigned_abs())) " hồ sơ" } }
                }
                form.filters method="get" action="/dossiers" {
                    label { "Trạng thái "
                        select name="trang_thai" {
                            option value="" { "Tất cả" }
                            @for s in Status::ALL {
                                option value=(s.code()) selected[chosen == s.code()] { (s.label()) }
                            }
                        }
                    }
                    label { "Năm " input name="nam" value=(view.filter("nam").unwrap_or_default()) inputmode="numeric" size="4"; }
                    label { input type="checkbox" name="cap" value="cua_toi" checked[mine_only]; " Chỉ hồ sơ đang ở cấp của tôi" }
                    (view.filter_submit())
                }
                (view.count(found.total, "hồ sơ"))
                @if rows.is_empty() {
                    p.muted { "Không có hồ sơ nào trong phạm vi của bạn khớp bộ lọc." }
                } @else {
                    (view.export_links())
                    (view.sort_menu(&[("Số", DossierSort::Number), ("Danh hiệu", DossierSort::Award), ("Năm", DossierSort::Year), ("Đơn vị lập", DossierSort::Unit), ("Cấp đang giữ", DossierSort::Holder), ("Trạng thái", DossierSort::Status)]))
                    (table(&rows, &held_here, &th))
                    (view.pager(found.total))
                }
            },
        )
        .into_response())
}

/// The overdue board: open dossiers held in scope past their due date.
async fn overdue(
    state: &SharedState,
    ctx: &Ctx,
    scope: Option<&std::collections::BTreeSet<tdkt_core::org::UnitId>>,
    mine: Option<tdkt_core::org::UnitId>,
) -> Result<Markup, AppError> {
    let held_here = |d: &DossierSummary| Some(d.holder_id) == mine;
    let today = today_vn();
    let late = state.store.overdue_dossiers(scope, today).await?;
    let rows: Vec<(&DossierSummary, Option<String>)> = late
        .iter()
        .map(|(d, due)| {
            (
                d,
                Some(format!(
                    "{} — {} [{}]",
                    format_vn(due.due),
                    due.kind.label(),
                    due.citation
                )),
            )
        })
        .collect();
    // the board is one short list, most late first: headers do not sort it
    let th = |label: &str, _: DossierSort| html! { th { (label) } };
    Ok(ctx.page(
        "Hồ sơ quá hạn",
        html! {
            p.muted { a href="/dossiers" { "Hồ sơ khen thưởng" } }
            h1 { "Hồ sơ quá hạn xử lý" }
            p { "Tính đến ngày " (format_vn(today)) ", theo ngày làm việc (Điều 35 NĐ 152/2025/NĐ-CP và quy định của tỉnh)." }
            @if rows.is_empty() { p.muted #no-overdue { "Không có hồ sơ nào quá hạn." } } @else { (table(&rows, &held_here, &th)) }
        },
    ))
}

const COLUMNS: [Column; 9] = [
    col("Số hồ sơ", 9),
    col("Danh hiệu, hình thức", 34),
    col("Mã danh hiệu", 20),
    col("Nội dung", 36),
    col("Năm", 6),
    col("Đơn vị lập", 30),
    col("Cấp đang giữ", 30),
    col("Trạng thái", 18),
    col("Số người, tập thể", 10),
];

fn row(d: &DossierSummary) -> Vec<Cell> {
    vec![
        Cell::Int(d.id),
        Cell::text(award_name(&d.award_code)),
        Cell::text(&d.award_code),
        Cell::text(&d.title),
        Cell::Int(i64::from(d.year)),
        Cell::text(&d.unit_name),
        Cell::text(&d.holder_name),
        Cell::text(d.status_label()),
        Cell::Int(d.recipients),
    ]
}
