//! The scoring rounds a unit runs, as a list (issue 15): count, sortable
//! columns, a filter by state, numbered pages and the filtered list as
//! XLSX/CSV. A unit runs a few rounds a year, so the scoped list is read
//! whole and arranged here ([`Listing::arrange`]).

use maud::{html, Markup};
use tdkt_core::scoring::RoundState;
use tdkt_core::text::fold;
use tdkt_store::listing::{Page, SortKey};
use tdkt_store::scoring::RoundInfo;

use super::state_tag;
use crate::listing::{col, Cell, Column, ListQuery, Listing};

/// A column the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum RoundSort {
    /// The store's order.
    #[default]
    Stored,
    Title,
    Unit,
    Members,
    State,
}

impl SortKey for RoundSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ten", Self::Title),
        ("don_vi", Self::Unit),
        ("thanh_vien", Self::Members),
        ("trang_thai", Self::State),
    ];
}

pub(super) fn view(q: &ListQuery) -> Listing<RoundSort> {
    Listing::of_query("/scoring", &["trang_thai"], q)
}

/// The managed rounds (each with its organiser's name) that pass the
/// filter, sorted and cut to the page.
pub(super) fn arrange(
    view: &Listing<RoundSort>,
    all: Vec<(RoundInfo, String)>,
) -> Page<(RoundInfo, String)> {
    let closed = match view.filter("trang_thai") {
        Some("dang_cham") => Some(false),
        Some("da_khoa") => Some(true),
        _ => None,
    };
    let rows: Vec<_> = all
        .into_iter()
        .filter(|(r, _)| closed.is_none_or(|c| (r.round.state == RoundState::Closed) == c))
        .collect();
    view.arrange(rows, |sort, (a, au), (b, bu)| match sort {
        RoundSort::Stored => std::cmp::Ordering::Equal,
        RoundSort::Title => fold(&a.title).cmp(&fold(&b.title)),
        RoundSort::Unit => fold(au).cmp(&fold(bu)),
        RoundSort::Members => a.round.members.len().cmp(&b.round.members.len()),
        RoundSort::State => {
            (a.round.state == RoundState::Closed).cmp(&(b.round.state == RoundState::Closed))
        }
    })
}

/// The section's table with its count, filter, pages and export links.
pub(super) fn section(view: &Listing<RoundSort>, found: &Page<(RoundInfo, String)>) -> Markup {
    let chosen = view.filter("trang_thai").unwrap_or_default();
    html! {
        form.filters method="get" action="/scoring" {
            label { "Trạng thái "
                select name="trang_thai" {
                    option value="" { "Tất cả" }
                    option value="dang_cham" selected[chosen == "dang_cham"] { "Đang chấm" }
                    option value="da_khoa" selected[chosen == "da_khoa"] { "Đã khóa" }
                }
            }
            (view.filter_submit())
        }
        (view.count(found.total, "đợt chấm điểm"))
        @if found.rows.is_empty() { p.muted { "Chưa có đợt chấm điểm nào." } } @else {
            (view.export_links())
            (view.sort_menu(&[("Tên", RoundSort::Title), ("Đơn vị", RoundSort::Unit), ("Thành viên", RoundSort::Members), ("Trạng thái", RoundSort::State)]))
            div.scroll { table.responsive #managed {
                thead { tr {
                    (view.th("Đợt chấm điểm", RoundSort::Title))
                    (view.th("Đơn vị tổ chức", RoundSort::Unit))
                    (view.th("Thành viên", RoundSort::Members))
                    (view.th("Trạng thái", RoundSort::State))
                } }
                tbody { @for (r, unit) in &found.rows {
                    tr {
                        td data-label="Đợt chấm điểm" { a href={ "/scoring/rounds/" (r.id) } { (r.title) } }
                        td data-label="Đơn vị tổ chức" { (unit) }
                        td.num data-label="Thành viên" { (r.round.members.len()) }
                        td data-label="Trạng thái" { (state_tag(&r.round)) }
                    }
                } }
            } }
            (view.pager(found.total))
        }
    }
}

pub(super) const COLUMNS: [Column; 5] = [
    col("Đợt chấm điểm", 44),
    col("Bối cảnh", 36),
    col("Đơn vị tổ chức", 30),
    col("Số thành viên", 10),
    col("Trạng thái", 12),
];

pub(super) fn row((r, unit): &(RoundInfo, String)) -> Vec<Cell> {
    vec![
        Cell::text(&r.title),
        Cell::text(&r.context),
        Cell::text(unit),
        Cell::Int(i64::try_from(r.round.members.len()).unwrap_or(i64::MAX)),
        Cell::text(if r.round.state == RoundState::Closed {
            "đã khóa"
        } else {
            "đang chấm"
        }),
    ]
}
