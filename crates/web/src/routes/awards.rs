//! The award registry on the web: one search box for people, units and
//! decisions (`/search`, `/api/v1/search`), the award history of a person and
//! of a unit (with its predecessors' awards, labelled), and the export of any
//! of these lists as XLSX or CSV (`…?format=xlsx|csv`). Reading awards needs
//! the right to read people, within the caller's org subtree.

use std::collections::BTreeSet;
use tdkt_core::csv_cell;

mod unit_list;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::json;
use tdkt_core::access::{Action, Principal};
use tdkt_core::date::format_vn;
use tdkt_core::lineage::Lineage;
use tdkt_core::org::{Unit, UnitId};
use tdkt_store::awards::{self, looks_like_decision, AwardFilter, AwardRecord, Cursor};
use tdkt_store::people::{PeopleScope, Person};

use crate::auth::{authorize, people_scope, search_scope, CurrentUser};
use crate::layout::Ctx;
use crate::load::{by_name, readable_person, units_with};
use crate::picker::{unit_select, Ended};
use crate::view::{download, unit_link};
use crate::{AppError, SharedState};

pub const PAGE_SIZE: i64 = 50;
/// Most rows one export writes.
pub const EXPORT_MAX: i64 = 100_000;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/search", get(search_page))
        .route("/api/v1/search", get(search_api))
        .route("/people/{id}/awards", get(person_export))
        .route("/units/{code}/awards", get(unit_list::unit_list))
}

#[derive(Deserialize, Default, Clone)]
pub struct SearchParams {
    pub q: Option<String>,
    pub award: Option<String>,
    pub year_from: Option<String>,
    pub year_to: Option<String>,
    pub unit: Option<String>,
    pub after: Option<String>,
    pub format: Option<String>,
}

fn year(field: &'static str, s: Option<&str>) -> Result<Option<i32>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| AppError::Invalid {
            field,
            message: format!("«{s}» không phải năm."),
        }),
    }
}

/// What one search found.
pub struct Found {
    pub units: Vec<Unit>,
    pub people: Vec<Person>,
    pub awards: Vec<AwardRecord>,
    pub next: Option<Cursor>,
}

fn narrow(scope: PeopleScope, to: BTreeSet<UnitId>) -> PeopleScope {
    match scope {
        PeopleScope::All => PeopleScope::Units(to),
        PeopleScope::Units(s) => PeopleScope::Units(s.intersection(&to).copied().collect()),
    }
}

/// Runs a search within what `who` may read.
///
/// # Errors
/// Bad years, a unit unknown or outside the caller's scope (404).
pub async fn search(
    state: &SharedState,
    who: &Principal,
    p: &SearchParams,
    limit: i64,
    next: &str,
) -> Result<Found, AppError> {
    let mut scope = search_scope(state, who, p.q.as_deref().unwrap_or_default()).await?;
    if let Some(code) = p.unit.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let unit = state
            .store
            .unit_by_code(code)
            .await
            .map_err(|_| AppError::NotFound)?;
        authorize(
            state,
            &CurrentUser(Some(who.clone())),
            Action::ReadPeople,
            Some(unit.id),
            next,
        )
        .await?;
        scope = narrow(scope, state.store.lineage().await?.scope(unit.id));
    }
    let q = p.q.clone().unwrap_or_default();
    let filter = AwardFilter {
        q: q.clone(),
        award: p.award.clone().filter(|a| !a.is_empty()),
        year_from: year("year_from", p.year_from.as_deref())?,
        year_to: year("year_to", p.year_to.as_deref())?,
        person_id: None,
        units: match &scope {
            PeopleScope::All => None,
            PeopleScope::Units(s) => Some(s.clone()),
        },
        after: p.after.as_deref().and_then(Cursor::parse),
        limit,
    };
    let first_page = p.after.is_none();
    let words = !q.trim().is_empty() && !looks_like_decision(&q);
    // the three lists at once, each on a connection of its own: the page
    // waits for the slowest, not for their sum
    let people = async {
        if first_page && words {
            state.store.search_people(&scope, &q, None, 20).await
        } else {
            Ok(Vec::new())
        }
    };
    let units = async {
        if first_page && words && p.unit.as_deref().unwrap_or_default().is_empty() {
            state.store.find_units(&q, None, 10).await
        } else {
            Ok(Vec::new())
        }
    };
    let (awards, people, units) =
        tokio::try_join!(state.store.search_awards(&filter), people, units)?;
    let next_cursor = (i64::try_from(awards.len()) == Ok(limit))
        .then(|| awards.last().map(Cursor::of))
        .flatten();
    Ok(Found {
        units,
        people,
        awards,
        next: next_cursor,
    })
}

async fn search_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.clone();
    authorize(&state, &ctx.user, Action::ReadPeople, None, &ctx.path).await?;
    if let Some(f) = export_format(p.format.as_deref()) {
        let mut all = p.clone();
        all.after = None;
        let found = search(&state, &who, &all, EXPORT_MAX, &ctx.path).await?;
        let rows: Vec<(AwardRecord, Option<String>)> =
            found.awards.into_iter().map(|r| (r, None)).collect();
        return export(&rows, f, "tra-cuu-khen-thuong");
    }
    let found = search(&state, &who, &p, PAGE_SIZE, &ctx.path).await?;
    let q = p.q.clone().unwrap_or_default();
    let qs = query_string(&p);
    let has_query = !q.trim().is_empty()
        || p.award.as_deref().is_some_and(|a| !a.is_empty())
        || p.unit.as_deref().is_some_and(|a| !a.is_empty())
        || p.year_from.as_deref().is_some_and(|a| !a.is_empty())
        || p.year_to.as_deref().is_some_and(|a| !a.is_empty());
    let today = tdkt_core::date::today_vn();
    // The filter is about history: ended units are offered too, dated.
    let filter_units = by_name(units_with(&state, &ctx, Action::ReadPeople).await?);
    Ok(ctx
        .page(
            "Tra cứu khen thưởng",
            html! {
                h1 { "Tra cứu" }
                @if tdkt_core::access::role_may(who.role, Action::WritePeople) {
                    p { a href="/awards/import" { "Nhập lịch sử khen thưởng từ tệp CSV, Excel" } }
                }
                form.search.stack method="get" action="/search" {
                    input name="q" value=(q) placeholder="Họ tên, đơn vị (không cần dấu, thứ tự tùy ý), số CCCD đủ 12 số hoặc số quyết định (vd. 123/QĐ-UBND)" aria-label="Tìm kiếm";
                    div.inline {
                        label { "Danh hiệu, hình thức "
                            select name="award" {
                                option value="" { "— tất cả —" }
                                @for a in awards::catalogue().awards() {
                                    option value=(a.code) selected[p.award.as_deref() == Some(a.code.as_str())] { (a.name) }
                                }
                            }
                        }
                        label { "Từ năm " input name="year_from" size="4" inputmode="numeric" value=(p.year_from.clone().unwrap_or_default()); }
                        label { "đến năm " input name="year_to" size="4" inputmode="numeric" value=(p.year_to.clone().unwrap_or_default()); }
                        (unit_select("search-unit", "unit", "Đơn vị (gồm trực thuộc, tiền thân) ", &filter_units, Ended::Offer, p.unit.as_deref().unwrap_or_default(), Some("— tất cả —")))
                    }
                    button type="submit" { "Tìm" }
                }
                @if !found.units.is_empty() {
                    section.card #units {
                        h2 { "Đơn vị" }
                        ul { @for u in &found.units { li { (unit_link(u, today)) } } }
                    }
                }
                @if !found.people.is_empty() {
                    section.card #people {
                        h2 { "Cán bộ, cá nhân" }
                        ul { @for pp in &found.people {
                            li { a href={ "/people/" (pp.id) } { (pp.full_name) } span.muted { " — " (pp.unit_name) " · " code { (pp.cccd_masked) } } }
                        } }
                    }
                }
                @if has_query {
                    section.card #awards {
                        h2 { "Quyết định khen thưởng" }
                        @if found.awards.is_empty() {
                            p.muted { "Không có bản ghi khen thưởng nào khớp trong phạm vi của bạn." }
                        } @else {
                            p { "Xuất danh sách: " a href={ "/search?" (qs) "&format=xlsx" } { "Excel (XLSX)" } " · " a href={ "/search?" (qs) "&format=csv" } { "CSV" } }
                            (award_table(&found.awards.iter().map(|r| (r, None)).collect::<Vec<_>>()))
                            @if let Some(c) = found.next {
                                p { a href={ "/search?" (qs) "&after=" (c) } { "Trang sau →" } }
                            }
                        }
                    }
                }
            },
        )
        .into_response())
}

fn query_string(p: &SearchParams) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("q", &p.q),
        ("award", &p.award),
        ("year_from", &p.year_from),
        ("year_to", &p.year_to),
        ("unit", &p.unit),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

async fn search_api(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(p): Query<SearchParams>,
) -> Result<Json<serde_json::Value>, AppError> {
    let who = user.require("/api/v1/search")?.clone();
    authorize(&state, &user, Action::ReadPeople, None, "/api/v1/search").await?;
    let found = search(&state, &who, &p, PAGE_SIZE, "/api/v1/search").await?;
    let awards: Vec<serde_json::Value> = found
        .awards
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            v["award_name"] = json!(r.award_name());
            v
        })
        .collect();
    Ok(Json(json!({
        "units": found.units,
        "people": found.people,
        "awards": awards,
        "next_after": found.next.map(|c| c.to_string()),
    })))
}

/// The award table of a list; the second item of a row is the predecessor
/// label of a unit's history.
#[must_use]
pub fn award_table(rows: &[(&AwardRecord, Option<&str>)]) -> Markup {
    award_table_with(rows, &|label| html! { th { (label) } })
}

/// [`award_table`] with each header cell drawn by `th` (a sorting link on
/// the lists that sort).
pub fn award_table_with(
    rows: &[(&AwardRecord, Option<&str>)],
    th: &dyn Fn(&'static str) -> Markup,
) -> Markup {
    html! {
        table.responsive.awards {
            thead { tr {
                @for label in ["Năm", "Danh hiệu, hình thức", "Người, tập thể nhận", "Đơn vị", "Số quyết định", "Ngày quyết định", "Cấp quyết định", "Trạng thái"] {
                    (th(label))
                }
            } }
            tbody {
                @for (r, inherited) in rows {
                    tr.revoked[r.status == "revoked"] {
                        td data-label="Năm" { (r.year) }
                        td data-label="Danh hiệu, hình thức" { (r.award_name()) }
                        td data-label="Người, tập thể nhận" {
                            @if let Some(pid) = r.person_id { a href={ "/people/" (pid) } { (r.recipient_name()) } } @else { (r.recipient_name()) }
                        }
                        td data-label="Đơn vị" {
                            a href={ "/units/" (r.unit_code) } { (r.unit_name) }
                            @if let Some(l) = inherited { br; span.tag.inherited { (l) } }
                        }
                        td data-label="Số quyết định" { a href={ "/awards/" (r.id) } { code { (r.decision_no) } } }
                        td data-label="Ngày quyết định" { (format_vn(r.decision_date)) }
                        td data-label="Cấp quyết định" { (r.authority) }
                        td data-label="Trạng thái" { (r.status_text()) }
                    }
                }
            }
        }
    }
}

/// The history card of a person page.
///
/// # Errors
/// Database failure.
pub async fn person_history(state: &SharedState, person_id: i64) -> Result<Markup, AppError> {
    let records = state.store.person_awards(person_id).await?;
    Ok(html! {
        section.card #history {
            h2 { "Lịch sử khen thưởng" }
            @if records.is_empty() {
                p.muted { "Chưa có danh hiệu, hình thức khen thưởng nào được ghi nhận." }
            } @else {
                p { "Xuất: " a href={ "/people/" (person_id) "/awards?format=xlsx" } { "Excel (XLSX)" } " · " a href={ "/people/" (person_id) "/awards?format=csv" } { "CSV" } }
                (award_table(&records.iter().map(|r| (r, None)).collect::<Vec<_>>()))
            }
        }
    })
}

/// The history card of a unit page: its awards and its predecessors', within
/// what the viewer may read.
///
/// # Errors
/// Database failure.
pub async fn unit_history(
    state: &SharedState,
    ctx: &Ctx,
    lineage: &Lineage,
    unit: &Unit,
) -> Result<Markup, AppError> {
    let Some(who) = ctx.principal() else {
        return Ok(html! {});
    };
    let scope = people_scope(state, who).await?;
    let entries = state
        .store
        .unit_history(lineage, unit.id, &scope, None, PAGE_SIZE)
        .await?;
    let rows: Vec<(&AwardRecord, Option<&str>)> = entries
        .iter()
        .map(|e| (&e.record, e.inherited.as_deref()))
        .collect();
    Ok(html! {
        section.card #history {
            h2 { "Lịch sử khen thưởng" }
            @if rows.is_empty() {
                p.muted { "Chưa có khen thưởng nào của đơn vị và các đơn vị tiền thân trong phạm vi của bạn." }
            } @else {
                p { a href={ "/units/" (unit.code) "/awards" } { "Xem tất cả" } " · Xuất: " a href={ "/units/" (unit.code) "/awards?format=xlsx" } { "Excel (XLSX)" } " · " a href={ "/units/" (unit.code) "/awards?format=csv" } { "CSV" } }
                (award_table(&rows))
            }
        }
    })
}

#[derive(Deserialize)]
struct ListParams {
    format: Option<String>,
}

async fn person_export(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let person = readable_person(&state, &ctx.user, id, &ctx.path).await?;
    let rows: Vec<(AwardRecord, Option<String>)> = state
        .store
        .person_awards(person.id)
        .await?
        .into_iter()
        .map(|r| (r, None))
        .collect();
    let f = export_format(p.format.as_deref()).unwrap_or(Format::Xlsx);
    export(
        &rows,
        f,
        &format!("khen-thuong-{}", tdkt_core::text::slug(&person.full_name)),
    )
}

pub use crate::listing::Format;

fn export_format(s: Option<&str>) -> Option<Format> {
    Format::parse(s)
}

/// Column headers of every export, in Vietnamese.
pub const EXPORT_HEADERS: [&str; 13] = [
    "Năm",
    "Danh hiệu, hình thức",
    "Mã danh hiệu",
    "Đối tượng",
    "Người, tập thể nhận",
    "Số CCCD",
    "Đơn vị",
    "Mã đơn vị",
    "Số quyết định",
    "Ngày quyết định",
    "Cấp quyết định",
    "Trạng thái",
    "Ghi chú",
];

fn export_row(r: &AwardRecord, note: Option<&str>) -> [String; 13] {
    [
        r.year.to_string(),
        r.award_name().to_owned(),
        r.award_code.clone(),
        if r.person_id.is_some() {
            "Cá nhân"
        } else {
            "Tập thể"
        }
        .to_owned(),
        r.recipient_name().to_owned(),
        r.cccd_masked.clone().unwrap_or_default(),
        r.unit_name.clone(),
        r.unit_code.clone(),
        r.decision_no.clone(),
        format_vn(r.decision_date),
        r.authority.clone(),
        r.status_text(),
        note.unwrap_or_default().to_owned(),
    ]
}

/// A list as an XLSX (frozen header, dates as dates, years as numbers) or
/// CSV (UTF-8 with BOM so that Excel reads Vietnamese) download.
///
/// # Errors
/// The writer failed.
pub fn export(
    rows: &[(AwardRecord, Option<String>)],
    format: Format,
    name: &str,
) -> Result<Response, AppError> {
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(format!("xuất tệp: {e}"));
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            // Every cell through csv_cell::neutralise (issue 12, item 8).
            w.write_record(csv_cell::record(&EXPORT_HEADERS))
                .map_err(|e| internal(&e))?;
            for (r, note) in rows {
                w.write_record(csv_cell::record(&export_row(r, note.as_deref())))
                    .map_err(|e| internal(&e))?;
            }
            let body = w.into_inner().map_err(|e| internal(&e))?;
            Ok(download(
                body,
                "text/csv; charset=utf-8",
                &format!("{name}.csv"),
            ))
        }
        Format::Xlsx => {
            use rust_xlsxwriter::{ExcelDateTime, Format as Fmt, Workbook};
            let mut wb = Workbook::new();
            let bold = Fmt::new().set_bold();
            let date = Fmt::new().set_num_format("dd/mm/yyyy");
            let int = Fmt::new().set_num_format("0");
            let ws = wb.add_worksheet();
            ws.set_name("Khen thưởng").map_err(|e| internal(&e))?;
            for (c, h) in (0u16..).zip(EXPORT_HEADERS) {
                ws.write_string_with_format(0, c, h, &bold)
                    .map_err(|e| internal(&e))?;
            }
            for (c, w) in (0u16..).zip([6, 34, 24, 9, 28, 14, 30, 22, 18, 14, 28, 13, 40]) {
                ws.set_column_width(c, w).map_err(|e| internal(&e))?;
            }
            ws.set_freeze_panes(1, 0).map_err(|e| internal(&e))?;
            for (i, (r, note)) in rows.iter().enumerate() {
                let row = u32::try_from(i + 1).map_err(|e| internal(&e))?;
                let cells = export_row(r, note.as_deref());
                ws.write_number_with_format(row, 0, f64::from(r.year), &int)
                    .map_err(|e| internal(&e))?;
                for (c, v) in (1u16..).zip(cells.iter().skip(1)) {
                    if c == 9 {
                        let d = r.decision_date;
                        let dt = ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            d.month() as u8,
                            d.day(),
                        )
                        .map_err(|e| internal(&e))?;
                        ws.write_datetime_with_format(row, c, &dt, &date)
                            .map_err(|e| internal(&e))?;
                    } else {
                        ws.write_string(row, c, v).map_err(|e| internal(&e))?;
                    }
                }
            }
            let body = wb.save_to_buffer().map_err(|e| internal(&e))?;
            Ok(download(
                body,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{name}.xlsx"),
            ))
        }
    }
}
