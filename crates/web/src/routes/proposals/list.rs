//! A unit's proposal lists as a list (`/units/{code}/proposals`, issue 15):
//! count, sortable columns, filters by year, award and state, numbered
//! pages and the filtered list as XLSX/CSV, with the form that opens a new
//! list. A unit opens a few lists a year, so they are read whole and
//! arranged here ([`Listing::arrange`]).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use tdkt_core::access::Action;
use tdkt_core::catalogue::Recipient;
use tdkt_core::date::today_vn;
use tdkt_core::text::fold;
use tdkt_store::listing::SortKey;
use tdkt_store::proposals::ProposalList;

use super::{award_name, list_url, may_write, rules, unit_for};
use crate::error::urlencode;
use crate::layout::Ctx;
use crate::listing::{col, export, Cell, Column, ListQuery, Listing};
use crate::{AppError, SharedState};

/// A column the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum ProposalSort {
    /// The store's order: the newest year first, then by award.
    #[default]
    Stored,
    Year,
    Award,
    State,
    Author,
}

impl SortKey for ProposalSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("nam", Self::Year),
        ("danh_hieu", Self::Award),
        ("trang_thai", Self::State),
        ("nguoi_lap", Self::Author),
    ];
}

const SORTS: [(&str, ProposalSort); 4] = [
    ("Năm", ProposalSort::Year),
    ("Danh hiệu, hình thức", ProposalSort::Award),
    ("Trạng thái", ProposalSort::State),
    ("Người lập", ProposalSort::Author),
];

/// `trang_thai` words and the stored states they name.
const STATES: [(&str, &str, &str); 2] = [
    ("dang_soan", "draft", "Đang soạn"),
    ("da_trinh", "submitted", "Đã trình"),
];

fn kind_label(l: &ProposalList) -> &'static str {
    if l.nominee_kind == "unit" {
        "tập thể"
    } else {
        "cá nhân"
    }
}

pub(super) async fn lists(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ReadPeople).await?;
    let path = format!("/units/{}/proposals", urlencode(&unit.code));
    let view: Listing<ProposalSort> =
        Listing::of_query(path.clone(), &["nam", "danh_hieu", "trang_thai"], &q);
    let year: Option<i32> = view.filter("nam").and_then(|y| y.trim().parse().ok());
    let award = view.filter("danh_hieu");
    let status = view
        .filter("trang_thai")
        .and_then(|w| STATES.iter().find(|(word, _, _)| *word == w))
        .map(|(_, st, _)| *st);
    let all = state.store.proposal_lists_of(unit.id).await?;
    let none_yet = all.is_empty();
    // the award's name once per list, for the sort and the cells
    let rows: Vec<(ProposalList, String)> = all
        .into_iter()
        .filter(|l| year.is_none_or(|y| l.year == y))
        .filter(|l| award.is_none_or(|a| l.award_code == a))
        .filter(|l| status.is_none_or(|s| l.status == s))
        .map(|l| {
            let name = award_name(&l.award_code);
            (l, name)
        })
        .collect();
    let found = view.arrange(rows, |sort, (a, an), (b, bn)| match sort {
        ProposalSort::Stored => std::cmp::Ordering::Equal,
        ProposalSort::Year => (a.year, a.id).cmp(&(b.year, b.id)),
        ProposalSort::Award => fold(an).cmp(&fold(bn)),
        ProposalSort::State => a.is_draft().cmp(&b.is_draft()).reverse(),
        ProposalSort::Author => a.created_by.cmp(&b.created_by),
    });
    if let Some(f) = view.format {
        return export(
            f,
            "Danh sách đề nghị",
            &format!("danh-sach-de-nghi-{}", unit.code),
            &COLUMNS,
            found.rows.iter().map(|(l, name)| row(l, name)),
        );
    }
    let may_write = may_write(&state, &ctx, &unit).await;
    let this_year = today_vn().year() - 1;
    let awards: Vec<_> = rules()
        .catalogue()
        .awards()
        .iter()
        .filter(|a| a.accepts(Recipient::Individual) || a.accepts(Recipient::Collective))
        .collect();
    let (chosen_award, chosen_state) = (
        award.unwrap_or_default(),
        view.filter("trang_thai").unwrap_or_default(),
    );
    Ok(ctx
        .page(
            &format!("Danh sách đề nghị — {}", unit.name),
            html! {
                p.muted { a href={ "/units/" (unit.code) } { (unit.name) } }
                h1 { "Danh sách đề nghị khen thưởng" }
                @if may_write {
                    details.card #new-list open[none_yet] {
                        summary { "Lập danh sách đề nghị" }
                        form.stack method="post" action={ "/units/" (unit.code) "/proposals" } {
                            (ctx.csrf_field())
                            label { "Năm thành tích" input name="year" type="number" required value=(this_year); }
                            label { "Danh hiệu, hình thức" select name="award" {
                                @for a in &awards { option value=(a.code) { (a.name) } }
                            } }
                            label { "Đề nghị cho" select name="kind" {
                                option value="person" { "cá nhân" }
                                option value="unit" { "tập thể" }
                            } }
                            label { "Ghi chú" input name="note"; }
                            button type="submit" { "Lập danh sách" }
                        }
                    }
                }
                @if none_yet {
                    (view.count(0, "danh sách"))
                    p.muted { "Đơn vị chưa có danh sách đề nghị nào." }
                } @else {
                    form.filters method="get" action=(path) {
                        label { "Năm " input name="nam" size="4" inputmode="numeric" value=(view.filter("nam").unwrap_or_default()); }
                        label { "Danh hiệu, hình thức "
                            select name="danh_hieu" {
                                option value="" { "Tất cả" }
                                @for a in &awards { option value=(a.code) selected[chosen_award == a.code] { (a.name) } }
                            }
                        }
                        label { "Trạng thái "
                            select name="trang_thai" {
                                option value="" { "Tất cả" }
                                @for (word, _, label) in STATES { option value=(word) selected[chosen_state == word] { (label) } }
                            }
                        }
                        (view.filter_submit())
                    }
                    (view.count(found.total, "danh sách"))
                    @if found.rows.is_empty() { p.muted { "Không có danh sách nào khớp bộ lọc." } } @else {
                        (view.export_links())
                        (view.sort_menu(&SORTS))
                        div.scroll { table.responsive #proposal-lists {
                            thead { tr {
                                @for (label, sort) in SORTS { (view.th(label, sort)) }
                            } }
                            tbody { @for (l, name) in &found.rows { tr {
                                td data-label="Năm" { (l.year) }
                                td data-label="Danh hiệu, hình thức" { a href=(list_url(&unit, l.id)) { (name) } " " span.muted { "(" (kind_label(l)) ")" } }
                                td data-label="Trạng thái" { (l.status_label()) }
                                td data-label="Người lập" { (l.created_by) }
                            } } }
                        } }
                        (view.pager(found.total))
                    }
                }
            },
        )
        .into_response())
}

const COLUMNS: [Column; 7] = [
    col("Năm thành tích", 10),
    col("Danh hiệu, hình thức", 40),
    col("Đề nghị cho", 12),
    col("Trạng thái", 12),
    col("Người lập", 20),
    col("Người trình", 20),
    col("Ghi chú", 40),
];

fn row(l: &ProposalList, award: &str) -> Vec<Cell> {
    vec![
        Cell::Int(i64::from(l.year)),
        Cell::text(award),
        Cell::text(kind_label(l)),
        Cell::text(l.status_label()),
        Cell::text(&l.created_by),
        l.submitted_by.as_deref().map_or(Cell::Empty, Cell::text),
        Cell::text(&l.note),
    ]
}
