//! People: search (diacritics-insensitive, scoped to the caller's subtree),
//! person pages with CCCD masked unless the role needs it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Form;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{Action, Principal};
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::org::Unit;
use tdkt_core::person::NewPerson;
use tdkt_store::people::{PeopleScope, Person};

use crate::auth::{authorize, search_scope};
use crate::layout::{form_error, Ctx};
use crate::load::{by_name, readable_person, units_with};
use crate::picker::{unit_select, Ended};
use crate::{AppError, SharedState};

mod list;
mod positions;

pub const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/people", get(list::list).post(create))
        .route("/people/{id}", get(page))
        .route("/people/{id}/move", post(move_person))
        .merge(positions::router())
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub unit: Option<String>,
    pub after: Option<i64>,
    /// The list's sort, one of `PeopleOrder::WORDS` (issue 15).
    pub sap_xep: Option<String>,
    /// The list's page number, from 1.
    pub trang: Option<String>,
    /// `xlsx` or `csv`: the whole filtered list as a file.
    pub format: Option<String>,
}

/// The caller's scope for a search; `unit` narrows it to one unit's subtree
/// (and its predecessors) inside the caller's scope.
///
/// # Errors
/// Unknown unit or a unit outside the caller's scope (404).
pub async fn scope(
    state: &SharedState,
    who: &Principal,
    q: &SearchQuery,
    next: &str,
) -> Result<PeopleScope, AppError> {
    let mut scope = search_scope(state, who, q.q.as_deref().unwrap_or_default()).await?;
    if let Some(code) = q.unit.as_deref().filter(|c| !c.is_empty()) {
        let unit = state
            .store
            .unit_by_code(code)
            .await
            .map_err(|_| AppError::NotFound)?;
        authorize(
            state,
            &crate::auth::CurrentUser(Some(who.clone())),
            Action::ReadPeople,
            Some(unit.id),
            next,
        )
        .await?;
        let narrowed = state.store.lineage().await?.scope(unit.id);
        scope = match scope {
            PeopleScope::All => PeopleScope::Units(narrowed),
            PeopleScope::Units(s) => {
                PeopleScope::Units(s.intersection(&narrowed).copied().collect())
            }
        };
    }
    Ok(scope)
}

/// Runs a scoped search, keyset-paginated by id (the API's list).
///
/// # Errors
/// As [`scope`].
pub async fn search(
    state: &SharedState,
    who: &Principal,
    q: &SearchQuery,
    next: &str,
) -> Result<Vec<Person>, AppError> {
    let scope = scope(state, who, q, next).await?;
    Ok(state
        .store
        .search_people(
            &scope,
            q.q.as_deref().unwrap_or_default(),
            q.after,
            PAGE_SIZE,
        )
        .await?)
}

/// The units a new person may be put in, or moved to: those in being on
/// which the caller may write people, by name.
pub(super) async fn new_person_units(
    state: &SharedState,
    ctx: &Ctx,
) -> Result<Vec<Unit>, AppError> {
    Ok(by_name(units_with(state, ctx, Action::WritePeople).await?))
}

/// The new-person form, filled with `f` on a refusal (issue 15 item 3).
pub(super) fn person_form(
    ctx: &Ctx,
    units: &[Unit],
    f: Option<&PersonForm>,
    err: Option<&AppError>,
) -> Markup {
    let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
    let gender = f.map_or("", |f| f.gender.as_str());
    html! {
        (form_error(err))
        form.stack method="post" action="/people" {
            (ctx.csrf_field())
            label { "Họ và tên" input name="full_name" required value=(text(f.map(|f| f.full_name.as_str()))); }
            label { "Giới tính" select name="gender" {
                option value="female" selected[gender == "female"] { "Nữ" }
                option value="male" selected[gender == "male"] { "Nam" }
            } }
            label { "Ngày sinh" input name="birth_date" type="date" required value=(text(f.map(|f| f.birth_date.as_str()))); }
            label { "Số CCCD (12 số)" input name="cccd" inputmode="numeric" pattern="[0-9]{12}" required autocomplete="off" value=(text(f.map(|f| f.cccd.as_str()))); }
            (unit_select("person-unit", "unit", "Đơn vị công tác", units, Ended::Hide, f.map_or("", |f| f.unit.as_str()), None))
            label { "Chức vụ" input name="position" value=(text(f.and_then(|f| f.position.as_deref()))); }
            label { input type="checkbox" name="is_leader" value="true" checked[f.is_some_and(|f| f.is_leader.is_some())]; " Giữ chức vụ lãnh đạo, quản lý" }
            button type="submit" { "Thêm" }
        }
    }
}

#[derive(Deserialize)]
pub struct PersonForm {
    pub full_name: String,
    pub gender: String,
    pub birth_date: String,
    pub cccd: String,
    pub unit: String,
    pub position: Option<String>,
    pub is_leader: Option<String>,
}

impl PersonForm {
    /// # Errors
    /// The first invalid field.
    pub fn parse(&self) -> Result<NewPerson, AppError> {
        Ok(NewPerson::parse(
            &self.full_name,
            &self.gender,
            &self.birth_date,
            &self.cccd,
            &self.unit,
            self.position.as_deref().unwrap_or_default(),
            self.is_leader
                .as_deref()
                .is_some_and(|v| v == "true" || v == "on"),
            today_vn(),
        )?)
    }
}

/// Checks the caller may write people in the person's unit.
///
/// # Errors
/// An unknown unit (422), a caller without the right (401/403).
pub async fn authorize_unit_write(
    state: &SharedState,
    user: &crate::auth::CurrentUser,
    unit_code: &str,
    next: &str,
) -> Result<(), AppError> {
    let unit = state
        .store
        .unit_by_code(unit_code)
        .await
        .map_err(|_| AppError::Invalid {
            field: "unit",
            message: format!("Không tìm thấy đơn vị có mã «{unit_code}»."),
        })?;
    authorize(state, user, Action::WritePeople, Some(unit.id), next).await
}

async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Form<PersonForm>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    authorize(&state, &ctx.user, Action::WritePeople, None, &ctx.path).await?;
    let result = async {
        let new = f.parse()?;
        authorize_unit_write(&state, &ctx.user, &new.unit_code, &ctx.path).await?;
        Ok::<_, AppError>(state.store.create_person(&who, &new, today_vn()).await?)
    }
    .await;
    match result {
        Ok(p) => Ok(super::saved(&format!("/people/{}", p.id), "ca-nhan")),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => Ok((
            e.status(),
            ctx.page(
                "Thêm người",
                html! { h1 { "Thêm người" } (person_form(&ctx, &new_person_units(&state, &ctx).await?, Some(&f), Some(&e))) },
            ),
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let p = readable_person(&state, &ctx.user, id, &ctx.path).await?;
    let full = if authorize(
        &state,
        &ctx.user,
        Action::SeeFullCccd,
        Some(p.unit_id),
        &ctx.path,
    )
    .await
    .is_ok()
    {
        Some(state.store.reveal_cccd(p.id).await?)
    } else {
        None
    };
    let may_move = authorize(
        &state,
        &ctx.user,
        Action::WritePeople,
        Some(p.unit_id),
        &ctx.path,
    )
    .await
    .is_ok();
    let move_units: Vec<Unit> = if may_move {
        new_person_units(&state, &ctx)
            .await?
            .into_iter()
            .filter(|u| u.id != p.unit_id)
            .collect()
    } else {
        Vec::new()
    };
    let jobs = state.store.employment(p.id).await?;
    let positions = positions::section(&ctx, &p, &state.store.positions(p.id).await?, may_move);
    let history = super::awards::person_history(&state, p.id).await?;
    let eligibility = super::eligibility::person_section(&state, &ctx, &p, None).await?;
    Ok(ctx.page(
        &p.full_name,
        html! {
            p.muted { a href="/people" { "Cán bộ, cá nhân" } }
            h1 { (p.full_name) }
            section.card {
                dl.facts {
                    dt { "Giới tính" } dd { (p.gender().map_or("", |g| g.label())) }
                    dt { "Ngày sinh" } dd { (format_vn(p.birth_date)) }
                    dt { "Số CCCD" } dd { code.cccd { (full.as_deref().unwrap_or(&p.cccd_masked)) } }
                    dt { "Đơn vị" } dd { a href={ "/units/" (p.unit_code) } { (p.unit_name) } }
                    dt { "Chức vụ" } dd { (p.position) @if p.is_leader { span.tag { "lãnh đạo, quản lý" } } }
                }
            }
            section.card {
                h2 { "Quá trình công tác" }
                table.responsive {
                    thead { tr { th { "Đơn vị" } th { "Từ ngày" } th { "Đến ngày" } } }
                    tbody {
                        @for (code, name, start, end) in &jobs {
                            tr {
                                td data-label="Đơn vị" { a href={ "/units/" (code) } { (name) } }
                                td data-label="Từ ngày" { (format_vn(*start)) }
                                td data-label="Đến ngày" { (end.map_or_else(|| "nay".to_owned(), format_vn)) }
                            }
                        }
                    }
                }
            }
            (positions)
            (history)
            (eligibility)
            @if may_move {
                details.card {
                    summary { "Chuyển công tác" }
                    form.inline method="post" action={ "/people/" (p.id) "/move" } {
                        (ctx.csrf_field())
                        (unit_select("move-unit", "unit", "Đơn vị mới", &move_units, Ended::Hide, "", None))
                        label { "Từ ngày" input name="from" type="date" required; }
                        button type="submit" { "Chuyển" }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize)]
pub struct MoveForm {
    pub unit: String,
    pub from: String,
}

async fn move_person(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    let p = readable_person(&state, &ctx.user, id, &ctx.path).await?;
    authorize(
        &state,
        &ctx.user,
        Action::WritePeople,
        Some(p.unit_id),
        &ctx.path,
    )
    .await?;
    authorize_unit_write(&state, &ctx.user, &f.unit, &ctx.path).await?;
    let from = tdkt_core::date::parse(&f.from).map_err(|m| AppError::Invalid {
        field: "from",
        message: format!("Ngày chuyển: {m}."),
    })?;
    state
        .store
        .update_person_unit(&who, id, &f.unit, from)
        .await?;
    Ok(super::saved(&format!("/people/{id}"), "chuyen-don-vi"))
}
