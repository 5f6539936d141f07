//! The decisions list (issue 15): count, numbered pages, sortable columns,
//! filters by status and year, and the filtered list as XLSX/CSV, scoped
//! to the issuing units the caller reads, through [`crate::listing`].

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use tdkt_core::access::{role_may, Action};
use tdkt_core::date::format_vn;
use tdkt_core::decision::Status;
use tdkt_store::decisions::list::{DecisionFilter, DecisionSort};
use tdkt_store::decisions::Decision;
use tdkt_store::people::PeopleScope;

use crate::auth::{authorize, people_scope};
use crate::layout::Ctx;
use crate::listing::{col, export, Cell, Column, Listing};
use crate::{AppError, SharedState};

/// The list's query: `trang_thai` (`du_thao` | `da_ban_hanh`), `nam`,
/// `sap_xep`, `trang`, `format`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
    trang_thai: Option<String>,
    nam: Option<String>,
    sap_xep: Option<String>,
    trang: Option<String>,
    format: Option<String>,
}

/// The status a `trang_thai` word names.
fn status(word: &str) -> Option<Status> {
    match word {
        "du_thao" => Some(Status::Draft),
        "da_ban_hanh" => Some(Status::Issued),
        _ => None,
    }
}

pub(super) async fn list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.clone();
    authorize(&state, &ctx.user, Action::ReadDecisions, None, &ctx.path).await?;
    let units = match people_scope(&state, &who).await? {
        PeopleScope::All => None,
        PeopleScope::Units(u) => Some(u),
    };
    let view: Listing<DecisionSort> = Listing::new(
        "/decisions",
        vec![
            ("trang_thai", q.trang_thai.clone().unwrap_or_default()),
            ("nam", q.nam.clone().unwrap_or_default()),
        ],
        q.sap_xep.as_deref(),
        q.trang.as_deref(),
        q.format.as_deref(),
    );
    let filter = DecisionFilter {
        units,
        status: view.filter("trang_thai").and_then(status),
        year: view.filter("nam").and_then(|y| y.parse().ok()),
    };
    let (page, limit) = view.window();
    let found = state
        .store
        .list_decisions(&filter, view.order, page, limit)
        .await?;
    if let Some(f) = view.format {
        return export(
            f,
            "Quyết định khen thưởng",
            "quyet-dinh-khen-thuong",
            &COLUMNS,
            found.rows.iter().map(row),
        );
    }
    let may_issue = role_may(who.role, Action::IssueDecisions);
    let this_year = tdkt_core::date::today_vn().year();
    let chosen = view.filter("trang_thai").unwrap_or_default();
    let year = view.filter("nam").unwrap_or_default();
    Ok(ctx
        .page(
            "Quyết định khen thưởng",
            html! {
                h1 { "Quyết định khen thưởng" }
                p {
                    @if may_issue { a.button href="/decisions/new" { "Dự thảo quyết định mới" } " " }
                    a href="/fund" { "Sổ quỹ thi đua, khen thưởng" }
                }
                form.filters method="get" action="/decisions" {
                    label { "Trạng thái "
                        select name="trang_thai" {
                            option value="" { "Tất cả" }
                            option value="du_thao" selected[chosen == "du_thao"] { "Dự thảo" }
                            option value="da_ban_hanh" selected[chosen == "da_ban_hanh"] { "Đã ban hành" }
                        }
                    }
                    label { "Năm " input name="nam" value=(year) inputmode="numeric" size="4" placeholder=(this_year); }
                    (view.filter_submit())
                }
                (view.count(found.total, "quyết định"))
                @if found.rows.is_empty() {
                    p.muted { "Không có quyết định nào trong phạm vi của bạn khớp bộ lọc." }
                } @else {
                    (view.export_links())
                    (view.sort_menu(&[("Số", DecisionSort::Number), ("Ngày", DecisionSort::Date), ("Cơ quan ban hành", DecisionSort::Body), ("Trạng thái", DecisionSort::Status)]))
                    div.scroll { table.responsive #decisions {
                        thead { tr {
                            (view.th("Số", DecisionSort::Number))
                            (view.th("Ngày", DecisionSort::Date))
                            (view.th("Cơ quan ban hành", DecisionSort::Body))
                            th { "Trích yếu" }
                            (view.th("Trạng thái", DecisionSort::Status))
                        } }
                        tbody {
                            @for d in &found.rows {
                                tr {
                                    td data-label="Số" { a href={ "/decisions/" (d.id) } { (d.number) } }
                                    td data-label="Ngày" { (format_vn(d.decided_on)) }
                                    td data-label="Cơ quan ban hành" { (d.body) }
                                    td data-label="Trích yếu" { (d.title) }
                                    td data-label="Trạng thái" { (d.status().label()) }
                                }
                            }
                        }
                    } }
                    (view.pager(found.total))
                }
            },
        )
        .into_response())
}

const COLUMNS: [Column; 7] = [
    col("Số quyết định", 18),
    col("Ngày ban hành", 13),
    col("Cơ quan ban hành", 34),
    col("Trích yếu", 50),
    col("Người ký", 24),
    col("Trạng thái", 13),
    col("Mã hồ sơ", 9),
];

fn row(d: &Decision) -> Vec<Cell> {
    vec![
        Cell::text(&d.number),
        Cell::Date(d.decided_on),
        Cell::text(&d.body),
        Cell::text(&d.title),
        Cell::text(&d.signer_name),
        Cell::text(d.status().label()),
        d.dossier_id.map_or(Cell::Empty, Cell::Int),
    ]
}
