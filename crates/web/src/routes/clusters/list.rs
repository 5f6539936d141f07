//! The clusters list (issue 15): count, sortable columns, filters by kind
//! and year, numbered pages and the filtered list as XLSX/CSV. Clusters
//! are tens a year and public like the org tree, so the list is read whole
//! and arranged here ([`Listing::arrange`]).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use tdkt_core::access::Action;
use tdkt_core::date::format_vn;
use tdkt_core::text::fold;
use tdkt_store::clusters::{Cluster, ClusterKind};
use tdkt_store::listing::SortKey;

use super::base;
use crate::auth::authorize;
use crate::layout::Ctx;
use crate::listing::{col, export, Cell, Column, ListQuery, Listing};
use crate::{AppError, SharedState};

/// A column the clusters list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum ClusterSort {
    /// The store's order.
    #[default]
    Stored,
    Name,
    Kind,
    Year,
    Leader,
}

impl SortKey for ClusterSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ten", Self::Name),
        ("loai", Self::Kind),
        ("nam", Self::Year),
        ("cum_truong", Self::Leader),
    ];
}

const KINDS: [ClusterKind; 2] = [ClusterKind::Cluster, ClusterKind::Block];

pub(super) async fn list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let view: Listing<ClusterSort> = Listing::of_query("/clusters", &["loai", "nam"], &q);
    let kind = view
        .filter("loai")
        .and_then(|k| KINDS.into_iter().find(|x| x.code() == k));
    let year: Option<i32> = view.filter("nam").and_then(|y| y.parse().ok());
    let lineage = state.store.lineage().await?;
    let rows: Vec<(Cluster, String)> = state
        .store
        .clusters(None)
        .await?
        .into_iter()
        .filter(|c| kind.is_none_or(|k| c.kind == k) && year.is_none_or(|y| c.year == y))
        .map(|c| {
            let leader = c
                .leader_unit_id
                .and_then(|id| lineage.unit(id))
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (c, leader)
        })
        .collect();
    let found = view.arrange(rows, |sort, (a, al), (b, bl)| match sort {
        ClusterSort::Stored => std::cmp::Ordering::Equal,
        ClusterSort::Name => fold(&a.name).cmp(&fold(&b.name)),
        ClusterSort::Kind => a.kind.label().cmp(b.kind.label()),
        ClusterSort::Year => a.year.cmp(&b.year),
        ClusterSort::Leader => fold(al).cmp(&fold(bl)),
    });
    if let Some(f) = view.format {
        return export(
            f,
            "Cụm, khối thi đua",
            "cum-khoi-thi-dua",
            &COLUMNS,
            found.rows.iter().map(|(c, leader)| row(c, leader)),
        );
    }
    let may_create = ctx.principal().is_some_and(|p| {
        tdkt_core::access::role_may(p.role, Action::ManageCluster) && p.scope_unit.is_some()
            || p.role == tdkt_core::access::Role::Admin
    });
    let chosen = view.filter("loai").unwrap_or_default();
    Ok(ctx
        .page(
            "Cụm, khối thi đua",
            html! {
                h1 { "Cụm, khối thi đua" }
                @if may_create { p { a.button href="/clusters/new" { "Tạo cụm, khối" } } }
                form.filters method="get" action="/clusters" {
                    label { "Loại "
                        select name="loai" {
                            option value="" { "Tất cả" }
                            @for k in KINDS { option value=(k.code()) selected[chosen == k.code()] { (k.label()) } }
                        }
                    }
                    label { "Năm " input name="nam" size="4" inputmode="numeric" value=(view.filter("nam").unwrap_or_default()); }
                    (view.filter_submit())
                }
                (view.count(found.total, "cụm, khối"))
                @if found.rows.is_empty() {
                    p.muted {
                        @if view.filtered() { "Không có cụm, khối nào khớp bộ lọc." } @else {
                            "Chưa có cụm, khối nào."
                            @if may_create { " Bấm «Tạo cụm, khối» để lập cụm, khối đầu tiên." } @else { " Cơ quan thường trực Hội đồng Thi đua – Khen thưởng lập cụm, khối." }
                        }
                    }
                } @else {
                    (view.export_links())
                    (view.sort_menu(&[("Tên", ClusterSort::Name), ("Loại", ClusterSort::Kind), ("Năm", ClusterSort::Year), ("Cụm trưởng", ClusterSort::Leader)]))
                    div.scroll { table.responsive #clusters {
                        thead { tr {
                            (view.th("Tên", ClusterSort::Name))
                            (view.th("Loại", ClusterSort::Kind))
                            (view.th("Năm", ClusterSort::Year))
                            (view.th("Cụm trưởng, khối trưởng", ClusterSort::Leader))
                            th { "Ký giao ước" }
                        } }
                        tbody { @for (c, leader) in &found.rows { tr {
                            td data-label="Tên" { a href=(base(c)) { (c.name) } }
                            td data-label="Loại" { (c.kind.label()) }
                            td data-label="Năm" { (c.year) }
                            td data-label="Cụm trưởng, khối trưởng" { @if leader.is_empty() { span.muted { "chưa bầu" } } @else { (leader) } }
                            td data-label="Ký giao ước" { (c.pledge_signed_on.map(format_vn).unwrap_or_default()) }
                        } } }
                    } }
                    (view.pager(found.total))
                }
            },
        )
        .into_response())
}

const COLUMNS: [Column; 6] = [
    col("Mã cụm, khối", 18),
    col("Tên", 44),
    col("Loại", 14),
    col("Năm", 7),
    col("Cụm trưởng, khối trưởng", 30),
    col("Ngày ký giao ước", 14),
];

fn row(c: &Cluster, leader: &str) -> Vec<Cell> {
    vec![
        Cell::text(&c.key),
        Cell::text(&c.name),
        Cell::text(c.kind.label()),
        Cell::Int(i64::from(c.year)),
        Cell::text(leader),
        Cell::date(c.pledge_signed_on),
    ]
}
