//! The people list (issue 15): how many match, numbered pages, columns
//! sorted by a whitelisted `sap_xep` word, and the whole filtered list as
//! XLSX or CSV (`?format=xlsx|csv`), scoped exactly as the page and with the
//! CCCD masked as on the page. Award exports are not audited; neither are
//! these.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tdkt_core::access::Action;
use tdkt_core::csv_cell;
use tdkt_core::date::format_vn;
use tdkt_core::number::format_count;
use tdkt_store::people::{PeopleOrder, PeopleSort, Person};

use super::{new_person_units, person_form, scope, SearchQuery, PAGE_SIZE};
use crate::auth::authorize;
use crate::error::urlencode;
use crate::layout::Ctx;
use crate::routes::awards::{Format, EXPORT_MAX};
use crate::view::download;
use crate::{AppError, SharedState};

/// The list's state as parsed from the query: what every link keeps.
struct View {
    q: String,
    unit: Option<String>,
    order: PeopleOrder,
    page: i64,
}

impl View {
    fn parse(q: &SearchQuery) -> Self {
        Self {
            q: q.q.clone().unwrap_or_default(),
            unit: q.unit.clone().filter(|u| !u.is_empty()),
            order: PeopleOrder::parse(q.sap_xep.as_deref().unwrap_or_default()),
            page: q
                .trang
                .as_deref()
                .and_then(|t| t.trim().parse::<i64>().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// `/people?…` with the filters, `order` and `page` (1 left out).
    fn link(&self, order: PeopleOrder, page: i64, format: Option<&str>) -> String {
        let mut s = format!("/people?q={}", urlencode(&self.q));
        if let Some(u) = &self.unit {
            s.push_str("&unit=");
            s.push_str(&urlencode(u));
        }
        let word = order.word();
        if !word.is_empty() {
            s.push_str("&sap_xep=");
            s.push_str(&word);
        }
        if page > 1 {
            s.push_str(&format!("&trang={page}"));
        }
        if let Some(f) = format {
            s.push_str("&format=");
            s.push_str(f);
        }
        s
    }
}

pub(super) async fn list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.clone();
    authorize(&state, &ctx.user, Action::ReadPeople, None, &ctx.path).await?;
    let view = View::parse(&q);
    let format = match q.format.as_deref() {
        Some("xlsx") => Some(Format::Xlsx),
        Some("csv") => Some(Format::Csv),
        _ => None,
    };
    let scope = scope(&state, &who, &q, &ctx.path).await?;
    let (page, limit) = if format.is_some() {
        (1, EXPORT_MAX)
    } else {
        (view.page, PAGE_SIZE)
    };
    let found = state
        .store
        .list_people(&scope, &view.q, view.order, page, limit)
        .await?;
    if let Some(f) = format {
        return export(&found.people, f);
    }
    let add = if tdkt_core::access::role_may(who.role, Action::WritePeople) {
        Some(person_form(
            &ctx,
            &new_person_units(&state, &ctx).await?,
            None,
            None,
        ))
    } else {
        None
    };
    Ok(ctx
        .page(
            "Cán bộ, cá nhân",
            render(&view, &found.people, found.total, add),
        )
        .into_response())
}

fn render(view: &View, people: &[Person], total: i64, add: Option<Markup>) -> Markup {
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let header = |label: &str, sort: PeopleSort| {
        let current = view.order.sort == sort;
        let next = PeopleOrder {
            sort,
            descending: current && !view.order.descending,
        };
        let aria = match (current, view.order.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        };
        let arrow = match (current, view.order.descending) {
            (false, _) => "",
            (true, false) => " ↑",
            (true, true) => " ↓",
        };
        html! { th aria-sort=(aria) { a href=(view.link(next, 1, None)) { (label) (arrow) } } }
    };
    html! {
        h1 { "Cán bộ, cá nhân" }
        form.search method="get" action="/people" {
            input name="q" value=(view.q) placeholder="Họ tên hoặc đơn vị, không cần dấu; hoặc số CCCD đủ 12 số" aria-label="Tìm người";
            @if let Some(u) = &view.unit { input type="hidden" name="unit" value=(u); }
            @let word = view.order.word();
            @if !word.is_empty() { input type="hidden" name="sap_xep" value=(word); }
            button type="submit" { "Tìm" }
        }
        @if let Some(u) = &view.unit { p.muted { "Trong đơn vị " code { (u) } " và các đơn vị trực thuộc, tiền thân. " a href="/people" { "Bỏ lọc" } } }
        p #people-count { strong { (format_count(u64::try_from(total).unwrap_or(0))) " người" } }
        @if people.is_empty() {
            p.muted { "Không tìm thấy ai trong phạm vi của bạn." }
        } @else {
            p { "Xuất danh sách: " a href=(view.link(view.order, 1, Some("xlsx"))) { "Excel (XLSX)" } " · " a href=(view.link(view.order, 1, Some("csv"))) { "CSV" } }
            table.responsive #people {
                thead { tr {
                    (header("Họ và tên", PeopleSort::Name))
                    th { "Giới tính" }
                    (header("Ngày sinh", PeopleSort::BirthDate))
                    th { "CCCD" }
                    (header("Đơn vị", PeopleSort::Unit))
                    th { "Chức vụ" }
                } }
                tbody {
                    @for p in people {
                        tr {
                            td data-label="Họ và tên" { a href={ "/people/" (p.id) } { (p.full_name) } }
                            td data-label="Giới tính" { (p.gender().map_or("", |g| g.label())) }
                            td data-label="Ngày sinh" { (format_vn(p.birth_date)) }
                            td data-label="CCCD" { code { (p.cccd_masked) } }
                            td data-label="Đơn vị" { a href={ "/units/" (p.unit_code) } { (p.unit_name) } }
                            td data-label="Chức vụ" { (p.position) @if p.is_leader { span.tag { "lãnh đạo" } } }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pages aria-label="Trang" {
                    @if view.page > 1 { a href=(view.link(view.order, view.page - 1, None)) rel="prev" { "← Trang trước" } " " }
                    @for n in page_numbers(view.page, pages) {
                        @match n {
                            Some(n) if n == view.page => { strong aria-current="page" { (n) } " " }
                            Some(n) => { a href=(view.link(view.order, n, None)) { (n) } " " }
                            None => { "… " }
                        }
                    }
                    @if view.page < pages { a href=(view.link(view.order, view.page + 1, None)) rel="next" { "Trang sau →" } }
                }
            }
        }
        @if let Some(add) = add {
            details.card {
                summary { "Thêm người" }
                (add)
            }
        }
    }
}

/// The page numbers to show: the first, the last, and two either side of
/// the current one; `None` for a gap.
fn page_numbers(current: i64, pages: i64) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    let mut last = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || (n - current).abs() <= 2 {
            if n > last + 1 {
                out.push(None);
            }
            out.push(Some(n));
            last = n;
        }
    }
    out
}

const HEADERS: [&str; 8] = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Mã đơn vị",
    "Đơn vị",
    "Chức vụ",
    "Lãnh đạo, quản lý",
];

fn row(p: &Person) -> [String; 8] {
    [
        p.full_name.clone(),
        p.gender().map_or("", |g| g.label()).to_owned(),
        format_vn(p.birth_date),
        p.cccd_masked.clone(),
        p.unit_code.clone(),
        p.unit_name.clone(),
        p.position.clone(),
        if p.is_leader { "Có" } else { "" }.to_owned(),
    ]
}

/// The filtered list as XLSX (frozen header, birth dates as dates) or CSV
/// (UTF-8 with BOM, every cell neutralised as the award exports).
fn export(people: &[Person], format: Format) -> Result<Response, AppError> {
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(format!("xuất tệp: {e}"));
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            w.write_record(csv_cell::record(&HEADERS))
                .map_err(|e| internal(&e))?;
            for p in people {
                w.write_record(csv_cell::record(&row(p)))
                    .map_err(|e| internal(&e))?;
            }
            let body = w.into_inner().map_err(|e| internal(&e))?;
            Ok(download(
                body,
                "text/csv; charset=utf-8",
                "can-bo-ca-nhan.csv",
            ))
        }
        Format::Xlsx => {
            use rust_xlsxwriter::{ExcelDateTime, Format as Fmt, Workbook};
            let mut wb = Workbook::new();
            let bold = Fmt::new().set_bold();
            let date = Fmt::new().set_num_format("dd/mm/yyyy");
            let ws = wb.add_worksheet();
            ws.set_name("Cán bộ, cá nhân").map_err(|e| internal(&e))?;
            for (c, h) in (0u16..).zip(HEADERS) {
                ws.write_string_with_format(0, c, h, &bold)
                    .map_err(|e| internal(&e))?;
            }
            for (c, w) in (0u16..).zip([30, 9, 12, 14, 14, 34, 24, 10]) {
                ws.set_column_width(c, w).map_err(|e| internal(&e))?;
            }
            ws.set_freeze_panes(1, 0).map_err(|e| internal(&e))?;
            for (i, p) in people.iter().enumerate() {
                let r = u32::try_from(i + 1).map_err(|e| internal(&e))?;
                for (c, v) in (0u16..).zip(row(p)) {
                    if c == 2 {
                        let d = p.birth_date;
                        let dt = ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            d.month() as u8,
                            d.day(),
                        )
                        .map_err(|e| internal(&e))?;
                        ws.write_datetime_with_format(r, c, &dt, &date)
                            .map_err(|e| internal(&e))?;
                    } else {
                        ws.write_string(r, c, v).map_err(|e| internal(&e))?;
                    }
                }
            }
            let body = wb.save_to_buffer().map_err(|e| internal(&e))?;
            Ok(download(
                body,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "can-bo-ca-nhan.xlsx",
            ))
        }
    }
}
