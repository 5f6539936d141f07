//! The people list (issue 15): how many match, numbered pages, columns
//! sorted by a whitelisted `sap_xep` word, and the whole filtered list as
//! XLSX or CSV (`?format=xlsx|csv`), scoped exactly as the page and with the
//! CCCD masked as on the page, all through [`crate::listing`]. Award
//! exports are not audited; neither are these.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tdkt_core::access::Action;
use tdkt_store::people::{PeopleSort, Person};

use super::{new_person_units, person_form, scope, SearchQuery};
use crate::auth::authorize;
use crate::layout::Ctx;
use crate::listing::{col, export, Cell, Column, Listing};
use crate::{AppError, SharedState};

type View = Listing<PeopleSort>;

fn view(q: &SearchQuery) -> View {
    Listing::new(
        "/people",
        vec![
            ("q", q.q.clone().unwrap_or_default()),
            ("unit", q.unit.clone().unwrap_or_default()),
        ],
        q.sap_xep.as_deref(),
        q.trang.as_deref(),
        q.format.as_deref(),
    )
}

pub(super) async fn list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.clone();
    authorize(&state, &ctx.user, Action::ReadPeople, None, &ctx.path).await?;
    let view = view(&q);
    let scope = scope(&state, &who, &q, &ctx.path).await?;
    let (page, limit) = view.window();
    let found = state
        .store
        .list_people(
            &scope,
            view.filter("q").unwrap_or_default(),
            view.order,
            page,
            limit,
        )
        .await?;
    if let Some(f) = view.format {
        return export(
            f,
            "Cán bộ, cá nhân",
            "can-bo-ca-nhan",
            &COLUMNS,
            found.people.iter().map(row),
        );
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
    let q = view.filter("q").unwrap_or_default();
    html! {
        h1 { "Cán bộ, cá nhân" }
        form.search method="get" action="/people" {
            input name="q" value=(q) placeholder="Họ tên hoặc đơn vị, không cần dấu; hoặc số CCCD đủ 12 số" aria-label="Tìm người";
            @if let Some(u) = view.filter("unit") { input type="hidden" name="unit" value=(u); }
            (view.keep_sort())
            button type="submit" { "Tìm" }
        }
        @if let Some(u) = view.filter("unit") { p.muted { "Trong đơn vị " code { (u) } " và các đơn vị trực thuộc, tiền thân. " a href="/people" { "Bỏ lọc" } } }
        div #people-count { (view.count(total, "người")) }
        @if people.is_empty() {
            p.muted { "Không tìm thấy ai trong phạm vi của bạn." }
        } @else {
            (view.export_links())
            (view.sort_menu(&[("Họ và tên", PeopleSort::Name), ("Ngày sinh", PeopleSort::BirthDate), ("Đơn vị", PeopleSort::Unit)]))
            div.scroll { table.responsive #people {
                thead { tr {
                    (view.th("Họ và tên", PeopleSort::Name))
                    th { "Giới tính" }
                    (view.th("Ngày sinh", PeopleSort::BirthDate))
                    th { "CCCD" }
                    (view.th("Đơn vị", PeopleSort::Unit))
                    th { "Chức vụ" }
                } }
                tbody {
                    @for p in people {
                        tr {
                            td data-label="Họ và tên" { a href={ "/people/" (p.id) } { (p.full_name) } }
                            td data-label="Giới tính" { (p.gender().map_or("", |g| g.label())) }
                            td data-label="Ngày sinh" { (tdkt_core::date::format_vn(p.birth_date)) }
                            td data-label="CCCD" { code { (p.cccd_masked) } }
                            td data-label="Đơn vị" { a href={ "/units/" (p.unit_code) } { (p.unit_name) } }
                            td data-label="Chức vụ" { (p.position) @if p.is_leader { span.tag { "lãnh đạo" } } }
                        }
                    }
                }
            } }
            (view.pager(total))
        }
        @if let Some(add) = add {
            details.card {
                summary { "Thêm người" }
                (add)
            }
        }
    }
}

const COLUMNS: [Column; 8] = [
    col("Họ và tên", 30),
    col("Giới tính", 9),
    col("Ngày sinh", 12),
    col("Số CCCD", 14),
    col("Mã đơn vị", 14),
    col("Đơn vị", 34),
    col("Chức vụ", 24),
    col("Lãnh đạo, quản lý", 10),
];

fn row(p: &Person) -> Vec<Cell> {
    vec![
        Cell::text(&p.full_name),
        Cell::text(p.gender().map_or("", |g| g.label())),
        Cell::Date(p.birth_date),
        Cell::text(&p.cccd_masked),
        Cell::text(&p.unit_code),
        Cell::text(&p.unit_name),
        Cell::text(&p.position),
        Cell::text(if p.is_leader { "Có" } else { "" }),
    ]
}
