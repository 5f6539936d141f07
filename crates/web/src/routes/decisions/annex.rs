//! A decision's annexed list (*danh sách kèm theo*) and, once issued, its
//! registry records and certificates, as a list (issue 15): count, sortable
//! columns, filters by kind of recipient, year and (issued) record state,
//! numbered pages and the filtered list as XLSX/CSV
//! (`/decisions/{id}?format=xlsx|csv`). The page reads every line already
//! for the decision's total and the fund check, so the lines are arranged
//! here ([`Listing::arrange`]); the total stays the whole decision's.

use maud::{html, Markup};
use tdkt_core::catalogue::Recipient;
use tdkt_core::decision::format_dong;
use tdkt_core::text::fold;
use tdkt_store::decisions::{Decision, RecipientLine};
use tdkt_store::listing::{Page, SortKey};
use tdkt_store::Store;

use crate::listing::{col, Cell, Column, ListQuery, Listing};

/// A column the annex sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum AnnexSort {
    /// The annex's order (STT).
    #[default]
    Position,
    Name,
    Award,
    Year,
    Amount,
}

impl SortKey for AnnexSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ten", Self::Name),
        ("hinh_thuc", Self::Award),
        ("nam", Self::Year),
        ("so_tien", Self::Amount),
    ];
}

const SORTS: [(&str, AnnexSort); 4] = [
    ("Cá nhân, tập thể, hộ gia đình", AnnexSort::Name),
    ("Hình thức khen thưởng", AnnexSort::Award),
    ("Năm", AnnexSort::Year),
    ("Số tiền", AnnexSort::Amount),
];

/// `doi_tuong` words and the recipients they name.
const KINDS: [(&str, Recipient); 3] = [
    ("ca_nhan", Recipient::Individual),
    ("tap_the", Recipient::Collective),
    ("ho_gia_dinh", Recipient::Household),
];

/// `ban_ghi` words: records in force or revoked (an issued decision).
const RECORDS: [(&str, &str); 2] = [("con_hieu_luc", "Còn hiệu lực"), ("da_huy", "Đã hủy bỏ")];

/// A line of the annex with its amount (or why it has none).
pub(super) type Line = (RecipientLine, Result<i64, String>);

/// The annex's state from the page's query.
pub(super) fn view(id: i64, q: &ListQuery) -> Listing<AnnexSort> {
    Listing::of_query(
        format!("/decisions/{id}"),
        &["doi_tuong", "nam", "ban_ghi"],
        q,
    )
}

fn revoked(l: &RecipientLine) -> bool {
    l.record_status.as_deref() == Some("revoked")
}

/// The lines that pass the filters, sorted and cut to the page, and the
/// whole decision's total.
pub(super) fn arrange(
    view: &Listing<AnnexSort>,
    d: &Decision,
    lines: &[RecipientLine],
) -> (Page<Line>, i64) {
    let amounts = Store::line_amounts(d, lines);
    let total: i64 = amounts.iter().filter_map(|a| a.as_ref().ok()).sum();
    let kind = view
        .filter("doi_tuong")
        .and_then(|w| KINDS.iter().find(|(word, _)| *word == w))
        .map(|(_, k)| *k);
    let year: Option<i32> = view.filter("nam").and_then(|y| y.trim().parse().ok());
    let record = view.filter("ban_ghi");
    let rows: Vec<Line> = lines
        .iter()
        .cloned()
        .zip(amounts)
        .filter(|(l, _)| kind.is_none_or(|k| l.recipient() == k))
        .filter(|(l, _)| year.is_none_or(|y| l.year == y))
        .filter(|(l, _)| match record {
            Some("con_hieu_luc") => l.record_id.is_some() && !revoked(l),
            Some("da_huy") => revoked(l),
            _ => true,
        })
        .collect();
    let found = view.arrange(rows, |sort, (a, aa), (b, ba)| match sort {
        AnnexSort::Position => a.position.cmp(&b.position),
        AnnexSort::Name => fold(&a.name()).cmp(&fold(&b.name())),
        AnnexSort::Award => fold(&a.award_name()).cmp(&fold(&b.award_name())),
        AnnexSort::Year => a.year.cmp(&b.year),
        AnnexSort::Amount => aa.as_ref().ok().cmp(&ba.as_ref().ok()),
    });
    (found, total)
}

/// The annex: its filters, count, export links, table and pages.
pub(super) fn section(
    view: &Listing<AnnexSort>,
    d: &Decision,
    found: &Page<Line>,
    total: i64,
    may_print: bool,
) -> Markup {
    let path = format!("/decisions/{}", d.id);
    let (kind, record) = (
        view.filter("doi_tuong").unwrap_or_default(),
        view.filter("ban_ghi").unwrap_or_default(),
    );
    html! {
        form.filters method="get" action=(path) {
            label { "Đối tượng "
                select name="doi_tuong" {
                    option value="" { "Tất cả" }
                    @for (word, k) in KINDS { option value=(word) selected[kind == word] { (k.label()) } }
                }
            }
            label { "Năm " input name="nam" size="4" inputmode="numeric" value=(view.filter("nam").unwrap_or_default()); }
            @if d.issued() {
                label { "Bản ghi "
                    select name="ban_ghi" {
                        option value="" { "Tất cả" }
                        @for (word, label) in RECORDS { option value=(word) selected[record == word] { (label) } }
                    }
                }
            }
            (view.filter_submit())
        }
        (view.count(found.total, "người, tập thể"))
        @if found.rows.is_empty() { p.muted { "Không có dòng nào khớp bộ lọc." } } @else {
            (view.export_links())
            (view.sort_menu(&SORTS))
        }
        div.scroll { table.responsive #annex {
            thead { tr {
                th { "STT" }
                (view.th(SORTS[0].0, SORTS[0].1))
                th { "Chức vụ, đơn vị" }
                (view.th(SORTS[1].0, SORTS[1].1))
                (view.th(SORTS[2].0, SORTS[2].1))
                (view.th(SORTS[3].0, SORTS[3].1))
                @if d.issued() { th { "Sổ khen thưởng" } }
            } }
            tbody {
                @for (l, a) in &found.rows {
                    tr {
                        td data-label="STT" { (l.position) }
                        td data-label="Cá nhân, tập thể, hộ gia đình" {
                            @if let (Some(pid), false) = (l.person_id, l.recipient() == Recipient::Household) {
                                a href={ "/people/" (pid) } { (l.name()) }
                            } @else { (l.name()) }
                            " " span.muted { "(" (l.recipient().label()) ")" }
                        }
                        td data-label="Chức vụ, đơn vị" { (l.detail()) }
                        td data-label="Hình thức khen thưởng" { (l.award_name()) }
                        td data-label="Năm" { (l.year) }
                        td.num data-label="Số tiền" {
                            @match a {
                                Ok(v) => { (format_dong(*v)) }
                                Err(m) => { span.alert { (m) } }
                            }
                        }
                        @if d.issued() {
                            td data-label="Sổ khen thưởng" {
                                @if let Some(r) = l.record_id {
                                    a href={ "/awards/" (r) } { "#" (r) }
                                    @if revoked(l) {
                                        " " span.revoked { "đã hủy bỏ" }
                                    } @else if may_print {
                                        " · " a href={ "/awards/" (r) "/certificate.pdf" } { "Giấy chứng nhận (PDF)" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            tfoot { tr {
                td {} td { strong { @if view.filtered() { "Tổng cộng cả quyết định" } @else { "Tổng cộng" } } }
                td {} td {} td {} td.num #total { strong { (format_dong(total)) } } @if d.issued() { td {} }
            } }
        } }
        (view.pager(found.total))
    }
}

pub(super) const COLUMNS: [Column; 9] = [
    col("STT", 6),
    col("Cá nhân, tập thể, hộ gia đình", 36),
    col("Đối tượng", 14),
    col("Chức vụ, đơn vị", 40),
    col("Hình thức khen thưởng", 36),
    col("Năm thành tích", 10),
    col("Số tiền (đồng)", 16),
    col("Số sổ khen thưởng", 12),
    col("Trạng thái bản ghi", 16),
];

pub(super) fn row((l, amount): &Line) -> Vec<Cell> {
    vec![
        Cell::Int(i64::from(l.position)),
        Cell::Text(l.name()),
        Cell::text(l.recipient().label()),
        Cell::Text(l.detail()),
        Cell::Text(l.award_name()),
        Cell::Int(i64::from(l.year)),
        amount.as_ref().map_or(Cell::Empty, |v| Cell::Int(*v)),
        l.record_id.map_or(Cell::Empty, Cell::Int),
        match (l.record_id, revoked(l)) {
            (None, _) => Cell::Empty,
            (Some(_), true) => Cell::text("đã hủy bỏ"),
            (Some(_), false) => Cell::text("còn hiệu lực"),
        },
    ]
}
