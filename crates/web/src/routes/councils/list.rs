//! The council's two lists (issue 15): its members (`/councils/{unit}`,
//! with the forms that add and end a membership) and its sessions
//! (`/councils/{unit}/sessions`), each with a count, sortable columns, its
//! filters (serving or not; year and state of a session), numbered pages
//! and the filtered list as XLSX/CSV. A council has tens of members and a
//! few sessions a year, so both lists are read whole and arranged here
//! ([`Listing::arrange`]).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use tdkt_core::access::Action;
use tdkt_core::council::MemberRole;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::text::fold;
use tdkt_store::councils::{CouncilMember, CouncilSession};
use tdkt_store::listing::SortKey;

use super::{may_manage, session_url, unit_for};
use crate::error::urlencode;
use crate::layout::Ctx;
use crate::listing::{col, export, Cell, Column, ListQuery, Listing};
use crate::{AppError, SharedState};

/// A column the members list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum MemberSort {
    /// The store's order: by role (chair first), then name.
    #[default]
    Stored,
    Name,
    Role,
    From,
    To,
}

impl SortKey for MemberSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ten", Self::Name),
        ("chuc_danh", Self::Role),
        ("tu_ngay", Self::From),
        ("den_ngay", Self::To),
    ];
}

const MEMBER_SORTS: [(&str, MemberSort); 4] = [
    ("Họ và tên", MemberSort::Name),
    ("Chức danh", MemberSort::Role),
    ("Từ ngày", MemberSort::From),
    ("Đến ngày", MemberSort::To),
];

/// `hien_nay`: `dang` (a member today) or `da_thoi` (no longer).
fn serving_filter(view: &Listing<MemberSort>) -> Option<bool> {
    match view.filter("hien_nay") {
        Some("dang") => Some(true),
        Some("da_thoi") => Some(false),
        _ => None,
    }
}

pub(super) async fn members(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ReadCouncil).await?;
    let path = format!("/councils/{}", urlencode(&unit.code));
    let view: Listing<MemberSort> = Listing::of_query(path.clone(), &["hien_nay"], &q);
    let today = today_vn();
    let serving = serving_filter(&view);
    let rows: Vec<CouncilMember> = state
        .store
        .council_members_all(unit.id)
        .await?
        .into_iter()
        .filter(|m| serving.is_none_or(|s| m.serves_on(today) == s))
        .collect();
    // an open end sorts after every date
    let to = |m: &CouncilMember| m.to_date.unwrap_or(time::Date::MAX);
    let found = view.arrange(rows, |sort, a, b| match sort {
        MemberSort::Stored => std::cmp::Ordering::Equal,
        MemberSort::Name => fold(&a.full_name).cmp(&fold(&b.full_name)),
        MemberSort::Role => a.role().cmp(&b.role()),
        MemberSort::From => a.from_date.cmp(&b.from_date),
        MemberSort::To => to(a).cmp(&to(b)),
    });
    if let Some(f) = view.format {
        return export(
            f,
            "Thành viên Hội đồng",
            &format!("thanh-vien-hoi-dong-{}", unit.code),
            &MEMBER_COLUMNS,
            found.rows.iter().map(|m| member_row(m, today)),
        );
    }
    let sessions = state.store.council_sessions(unit.id).await?;
    let manage = may_manage(&ctx);
    let chosen = view.filter("hien_nay").unwrap_or_default();
    Ok(ctx.page(
        &format!("Hội đồng TĐKT {}", unit.name),
        html! {
            h1 { "Hội đồng Thi đua - Khen thưởng " (unit.name) }
            section.card #members {
                h2 { "Thành viên" }
                form.filters method="get" action=(path) {
                    label { "Hiện nay "
                        select name="hien_nay" {
                            option value="" { "Tất cả" }
                            option value="dang" selected[chosen == "dang"] { "Đang là thành viên" }
                            option value="da_thoi" selected[chosen == "da_thoi"] { "Đã thôi" }
                        }
                    }
                    (view.filter_submit())
                }
                (view.count(found.total, "thành viên"))
                @if found.rows.is_empty() {
                    p.muted { @if view.filtered() { "Không có thành viên nào khớp bộ lọc." } @else { "Chưa có thành viên nào." } }
                } @else {
                    (view.export_links())
                    (view.sort_menu(&MEMBER_SORTS))
                    div.scroll { table.responsive {
                        thead { tr {
                            @for (label, sort) in MEMBER_SORTS { (view.th(label, sort)) }
                            th { "Hiện nay" }
                        } }
                        tbody { @for m in &found.rows { tr data-member=(m.id) {
                            td data-label="Họ và tên" { (m.full_name) " (" (m.username) ")" }
                            td data-label="Chức danh" { (m.role().label()) }
                            td data-label="Từ ngày" { (format_vn(m.from_date)) }
                            td data-label="Đến ngày" { (m.to_date.map(format_vn).unwrap_or_default()) }
                            td data-label="Hiện nay" {
                                @if m.serves_on(today) { "đang là thành viên" } @else { span.muted { "đã thôi" } }
                                // a membership ends by the date of the decision
                                // that changes the council's composition
                                @if manage && m.to_date.is_none() {
                                    details.end-member { summary { "Cho thôi…" }
                                        form.inline method="post" action={ "/councils/" (unit.code) "/members/" (m.id) "/end" } {
                                            (ctx.csrf_field())
                                            label { "Ngày cuối cùng là thành viên" input name="to" value=(format_vn(today)) required; }
                                            button.secondary type="submit" { "Cho thôi" }
                                        }
                                    }
                                }
                            }
                        } } }
                    } }
                    (view.pager(found.total))
                }
                @if manage {
                    form.stack method="post" action={ "/councils/" (unit.code) "/members" } {
                        (ctx.csrf_field())
                        label { "Tên đăng nhập" input name="username" required; }
                        label { "Chức danh" select name="role" { @for r in MemberRole::ALL { option value=(r.code()) selected[r == MemberRole::Member] { (r.label()) } } } }
                        label { "Từ ngày" input name="from" value=(format_vn(today)) required; }
                        label { "Đến ngày (để trống nếu chưa thôi)" input name="to"; }
                        button type="submit" { "Thêm thành viên" }
                    }
                }
            }
            section.card #sessions {
                h2 { "Phiên họp" }
                @if manage { p { a href={ "/councils/" (unit.code) "/sessions/new" } { "Tạo phiên họp mới" } } }
                @if sessions.is_empty() { p.muted { "Chưa có phiên họp nào." } } @else {
                    p { a href={ (path) "/sessions" } { "Danh sách " (sessions.len()) " phiên họp: lọc, sắp xếp, xuất Excel" } }
                    ul { @for s in &sessions { li {
                        a href=(session_url(s.id)) { "Phiên họp #" (s.id) " ngày " (format_vn(s.held_on)) } " — " (s.place) " (" (s.status_label()) ")"
                    } } }
                }
            }
        },
    )
    .into_response())
}

const MEMBER_COLUMNS: [Column; 6] = [
    col("Họ và tên", 30),
    col("Tên đăng nhập", 20),
    col("Chức danh", 20),
    col("Từ ngày", 12),
    col("Đến ngày", 12),
    col("Hiện nay", 18),
];

fn member_row(m: &CouncilMember, today: time::Date) -> Vec<Cell> {
    vec![
        Cell::text(&m.full_name),
        Cell::text(&m.username),
        Cell::text(m.role().label()),
        Cell::Date(m.from_date),
        Cell::date(m.to_date),
        Cell::text(if m.serves_on(today) {
            "đang là thành viên"
        } else {
            "đã thôi"
        }),
    ]
}

/// A column the sessions list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum SessionSort {
    /// The store's order: the newest first.
    #[default]
    Stored,
    Date,
    Place,
    State,
}

impl SortKey for SessionSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ngay", Self::Date),
        ("dia_diem", Self::Place),
        ("trang_thai", Self::State),
    ];
}

const SESSION_SORTS: [(&str, SessionSort); 3] = [
    ("Ngày họp", SessionSort::Date),
    ("Địa điểm", SessionSort::Place),
    ("Trạng thái", SessionSort::State),
];

/// `trang_thai` words and the stored states they name, in the order of a
/// session's life.
const STATES: [(&str, &str, &str); 3] = [
    ("chuan_bi", "preparing", "Đang chuẩn bị"),
    ("dang_bo_phieu", "voting", "Đang bỏ phiếu"),
    ("da_ket_thuc", "closed", "Đã kết thúc"),
];

fn state_rank(s: &CouncilSession) -> usize {
    STATES
        .iter()
        .position(|(_, st, _)| *st == s.status)
        .unwrap_or(STATES.len())
}

pub(super) async fn sessions(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ReadCouncil).await?;
    let council = format!("/councils/{}", urlencode(&unit.code));
    let path = format!("{council}/sessions");
    let view: Listing<SessionSort> = Listing::of_query(path.clone(), &["nam", "trang_thai"], &q);
    let year: Option<i32> = view.filter("nam").and_then(|y| y.trim().parse().ok());
    let status = view
        .filter("trang_thai")
        .and_then(|w| STATES.iter().find(|(word, _, _)| *word == w))
        .map(|(_, st, _)| *st);
    let rows: Vec<CouncilSession> = state
        .store
        .council_sessions(unit.id)
        .await?
        .into_iter()
        .filter(|s| year.is_none_or(|y| s.held_on.year() == y))
        .filter(|s| status.is_none_or(|st| s.status == st))
        .collect();
    let found = view.arrange(rows, |sort, a, b| match sort {
        SessionSort::Stored => std::cmp::Ordering::Equal,
        SessionSort::Date => (a.held_on, a.id).cmp(&(b.held_on, b.id)),
        SessionSort::Place => fold(&a.place).cmp(&fold(&b.place)),
        SessionSort::State => state_rank(a).cmp(&state_rank(b)),
    });
    if let Some(f) = view.format {
        return export(
            f,
            "Phiên họp Hội đồng",
            &format!("phien-hop-hoi-dong-{}", unit.code),
            &SESSION_COLUMNS,
            found.rows.iter().map(session_row),
        );
    }
    let chosen = view.filter("trang_thai").unwrap_or_default();
    Ok(ctx
        .page(
            &format!("Phiên họp Hội đồng TĐKT {}", unit.name),
            html! {
                p.muted { a href=(council) { "Hội đồng TĐKT " (unit.name) } }
                h1 { "Phiên họp Hội đồng Thi đua - Khen thưởng" }
                @if may_manage(&ctx) { p { a href={ (council) "/sessions/new" } { "Tạo phiên họp mới" } } }
                form.filters method="get" action=(path) {
                    label { "Năm " input name="nam" size="4" inputmode="numeric" value=(view.filter("nam").unwrap_or_default()); }
                    label { "Trạng thái "
                        select name="trang_thai" {
                            option value="" { "Tất cả" }
                            @for (word, _, label) in STATES { option value=(word) selected[chosen == word] { (label) } }
                        }
                    }
                    (view.filter_submit())
                }
                (view.count(found.total, "phiên họp"))
                @if found.rows.is_empty() {
                    p.muted { @if view.filtered() { "Không có phiên họp nào khớp bộ lọc." } @else { "Chưa có phiên họp nào." } }
                } @else {
                    (view.export_links())
                    (view.sort_menu(&SESSION_SORTS))
                    div.scroll { table.responsive #council-sessions {
                        thead { tr {
                            th { "Phiên họp" }
                            @for (label, sort) in SESSION_SORTS { (view.th(label, sort)) }
                            th { "Số thành viên" }
                        } }
                        tbody { @for s in &found.rows { tr {
                            td data-label="Phiên họp" { a href=(session_url(s.id)) { "Phiên họp #" (s.id) } }
                            td data-label="Ngày họp" { (format_vn(s.held_on)) }
                            td data-label="Địa điểm" { (s.place) }
                            td data-label="Trạng thái" { (s.status_label()) }
                            td.num data-label="Số thành viên" { (s.members_total) }
                        } } }
                    } }
                    (view.pager(found.total))
                }
            },
        )
        .into_response())
}

const SESSION_COLUMNS: [Column; 5] = [
    col("Phiên họp số", 12),
    col("Ngày họp", 12),
    col("Địa điểm", 40),
    col("Trạng thái", 16),
    col("Số thành viên", 14),
];

fn session_row(s: &CouncilSession) -> Vec<Cell> {
    vec![
        Cell::Int(s.id),
        Cell::Date(s.held_on),
        Cell::text(&s.place),
        Cell::text(s.status_label()),
        Cell::Int(i64::from(s.members_total)),
    ]
}
