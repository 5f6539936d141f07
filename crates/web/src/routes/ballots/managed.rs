//! The ballots a unit runs, as a list (issue 15): count, sortable columns,
//! a filter by state, numbered pages and the filtered list as XLSX/CSV.
//! A unit runs a few ballots a year, so the scoped list is read whole and
//! arranged here ([`Listing::arrange`]).

use maud::{html, Markup};
use tdkt_core::text::fold;
use tdkt_store::ballots::BallotInfo;
use tdkt_store::listing::{Page, SortKey};

use super::state_tag;
use crate::listing::{col, Cell, Column, ListQuery, Listing};

/// A column the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum BallotSort {
    /// The store's order.
    #[default]
    Stored,
    Title,
    Turnout,
    State,
    Opened,
}

impl SortKey for BallotSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ten", Self::Title),
        ("tham_gia", Self::Turnout),
        ("trang_thai", Self::State),
        ("ngay", Self::Opened),
    ];
}

pub(super) fn view(q: &ListQuery) -> Listing<BallotSort> {
    Listing::of_query("/ballots", &["trang_thai"], q)
}

/// The managed ballots that pass the filter, sorted and cut to the page.
pub(super) fn arrange(view: &Listing<BallotSort>, all: Vec<BallotInfo>) -> Page<BallotInfo> {
    let closed = match view.filter("trang_thai") {
        Some("dang_bo_phieu") => Some(false),
        Some("da_ket_thuc") => Some(true),
        _ => None,
    };
    let rows: Vec<BallotInfo> = all
        .into_iter()
        .filter(|b| closed.is_none_or(|c| b.closed == c))
        .collect();
    view.arrange(rows, |sort, a, b| match sort {
        BallotSort::Stored => std::cmp::Ordering::Equal,
        BallotSort::Title => fold(&a.spec.title).cmp(&fold(&b.spec.title)),
        BallotSort::Turnout => a.turnout.cmp(&b.turnout),
        BallotSort::State => a.closed.cmp(&b.closed),
        BallotSort::Opened => a.created_at.cmp(&b.created_at),
    })
}

/// The section's table with its count, filter, pages and export links.
pub(super) fn section(view: &Listing<BallotSort>, found: &Page<BallotInfo>) -> Markup {
    let chosen = view.filter("trang_thai").unwrap_or_default();
    html! {
        form.filters method="get" action="/ballots" {
            label { "Trạng thái "
                select name="trang_thai" {
                    option value="" { "Tất cả" }
                    option value="dang_bo_phieu" selected[chosen == "dang_bo_phieu"] { "Đang bỏ phiếu" }
                    option value="da_ket_thuc" selected[chosen == "da_ket_thuc"] { "Đã kết thúc" }
                }
            }
            (view.filter_submit())
        }
        (view.count(found.total, "cuộc bỏ phiếu"))
        @if found.rows.is_empty() { p.muted { "Không có cuộc bỏ phiếu nào." } } @else {
            (view.export_links())
            (view.sort_menu(&[("Tên", BallotSort::Title), ("Tham gia", BallotSort::Turnout), ("Trạng thái", BallotSort::State), ("Ngày mở", BallotSort::Opened)]))
            div.scroll { table.responsive #managed {
                thead { tr {
                    (view.th("Cuộc bỏ phiếu", BallotSort::Title))
                    th { "Bối cảnh" }
                    (view.th("Tham gia", BallotSort::Turnout))
                    (view.th("Trạng thái", BallotSort::State))
                    (view.th("Ngày mở", BallotSort::Opened))
                } }
                tbody {
                    @for b in &found.rows {
                        tr {
                            td data-label="Cuộc bỏ phiếu" { a href={ "/ballots/" (b.id) } { (b.spec.title) } }
                            td data-label="Bối cảnh" { (b.context) }
                            td.num data-label="Tham gia" { (b.turnout) "/" (b.spec.eligible) }
                            td data-label="Trạng thái" { (state_tag(b)) }
                            td data-label="Ngày mở" { (tdkt_core::date::format_instant_vn(&b.created_at)) }
                        }
                    }
                }
            } }
            (view.pager(found.total))
        }
    }
}

pub(super) const COLUMNS: [Column; 6] = [
    col("Cuộc bỏ phiếu", 44),
    col("Bối cảnh", 36),
    col("Số cử tri", 10),
    col("Đã tham gia", 10),
    col("Trạng thái", 14),
    col("Thời điểm mở (giờ Việt Nam)", 20),
];

pub(super) fn row(b: &BallotInfo) -> Vec<Cell> {
    vec![
        Cell::text(&b.spec.title),
        Cell::text(&b.context),
        Cell::Int(i64::from(b.spec.eligible)),
        Cell::Int(i64::from(b.turnout)),
        Cell::text(if b.closed {
            "đã kết thúc"
        } else {
            "đang bỏ phiếu"
        }),
        Cell::Text(tdkt_core::date::format_instant_vn(&b.created_at)),
    ]
}
