//! Movements (*phong trào thi đua*): the list, launching one (window in
//! Việt Nam time, the units called to take part, plan and launch decision
//! attached), and registration (*đăng ký thi đua*): each unit in scope, or
//! one of its people, registers the titles and targets it aims for; the
//! launching side sees who has not registered yet.
//!
//! Access: the list and a movement's page are public information (as the
//! org tree); launching, attaching documents and following registrations
//! need [`Action::LaunchMovement`] on the launching unit; registering needs
//! [`Action::RegisterMovement`] on the registering unit (the person's unit
//! for a person); downloading a document needs to be signed in.

use std::collections::{BTreeSet, HashMap};

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use tdkt_core::access::Action;
use tdkt_core::catalogue::{AwardKind, Recipient};
use tdkt_core::movement::{check_titles, format_local, MovementKind, NewMovement};
use tdkt_core::org::{Unit, UnitId};
use tdkt_store::movements::{
    document_kind_label, Movement, NewRegistration, DOCUMENT_KINDS, MAX_DOCUMENT_BYTES,
};
use tdkt_store::people::PeopleScope;

use crate::auth::authorize;
use crate::form::read_upload;
use crate::layout::{form_error, Ctx};
use crate::load::units_with;
use crate::picker::{codes, joined, unit_checks, Ended};
use crate::view::send_document;
use crate::{AppError, SharedState};

mod list;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/movements", get(list::list))
        .route("/movements/new", get(new_form).post(create))
        .route("/movements/{code}", get(page))
        .route("/movements/{code}/register", post(register))
        .route(
            "/movements/{code}/documents",
            post(upload).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 64 * 1024)),
        )
        .route("/movements/{code}/documents/{id}", get(download))
}

type Pairs = Form<Vec<(String, String)>>;

fn one<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.trim())
}

async fn new_form(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    ctx.require()?;
    authorize(&state, &ctx.user, Action::LaunchMovement, None, &ctx.path).await?;
    new_page(&state, &ctx, &[], None).await
}

async fn new_page(
    state: &SharedState,
    ctx: &Ctx,
    f: &[(String, String)],
    err: Option<&AppError>,
) -> Result<Markup, AppError> {
    // Units in being first; an ended one only under its own heading, with
    // its dates, for a movement within its lifetime (the store refuses any
    // other): a province dissolved in 2003 must not read as a choice like
    // the others (issue 15 item 9).
    let today = tdkt_core::date::today_vn();
    let (units, ended): (Vec<_>, Vec<_>) = units_with(state, ctx, Action::LaunchMovement)
        .await?
        .into_iter()
        .partition(|u| u.valid_on(today));
    let all: Vec<_> = units.iter().chain(&ended).cloned().collect();
    let kind = one(f, "kind");
    Ok(ctx.page(
        "Phát động phong trào",
        html! {
            p.muted { a href="/movements" { "Phong trào thi đua" } }
            h1 { "Phát động phong trào thi đua" }
            (form_error(err))
            form.stack method="post" action="/movements/new" {
                (ctx.csrf_field())
                label { "Tên phong trào" input name="name" required value=(one(f, "name")); }
                label { "Mã (chữ thường, không dấu, gạch nối)" input name="code" required autocapitalize="none" value=(one(f, "code")) placeholder="vung-xanh-2021"; }
                label { "Hình thức"
                    select name="kind" {
                        @for k in MovementKind::ALL { option value=(k.code()) selected[kind == k.code()] { (k.label()) } }
                    }
                }
                label { "Bắt đầu (giờ Việt Nam)" input type="datetime-local" name="starts" required value=(one(f, "starts")); }
                label { "Kết thúc (giờ Việt Nam; thi đua thường xuyên để trống = hết năm)" input type="datetime-local" name="ends" value=(one(f, "ends")); }
                label { "Đơn vị phát động"
                    select name="unit" {
                        @for u in &units { option value=(u.code) selected[one(f, "unit") == u.code] { (crate::view::unit_choice(u, &all)) } }
                        @if !ended.is_empty() {
                            optgroup label="Đã giải thể, sáp nhập (chỉ cho phong trào trong thời gian còn hoạt động)" {
                                @for u in &ended { option value=(u.code) selected[one(f, "unit") == u.code] { (crate::view::unit_choice(u, &all)) } }
                            }
                        }
                    }
                }
                // The scope: units in being only (issue 15 item 9), posted
                // as `scope` once per unit; an old client's textarea of
                // codes still reads the same (`joined`).
                (unit_checks("movement-scope", "scope", "Phạm vi: các đơn vị tham gia (không chọn: các đơn vị trực thuộc đơn vị phát động)", &units, Ended::Hide, &codes(&joined(f, "scope"))))
                label { "Nội dung, chỉ tiêu chính" textarea name="description" rows="4" { (one(f, "description")) } }
                button type="submit" { "Phát động" }
            }
        },
    ))
}

async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Pairs,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    let r: Result<Movement, AppError> = async {
        let unit = state
            .store
            .unit_by_code(one(&f, "unit"))
            .await
            .map_err(|_| AppError::Invalid {
                field: "unit",
                message: "Chọn đơn vị phát động.".into(),
            })?;
        authorize(
            &state,
            &ctx.user,
            Action::LaunchMovement,
            Some(unit.id),
            &ctx.path,
        )
        .await?;
        let m = NewMovement::parse(
            one(&f, "code"),
            one(&f, "name"),
            one(&f, "kind"),
            one(&f, "starts"),
            one(&f, "ends"),
            one(&f, "description"),
        )?;
        let start = m.window.starts.to_offset(tdkt_core::date::VN_OFFSET).date();
        let lineage = state.store.lineage().await?;
        let mut scope: Vec<UnitId> = Vec::new();
        let scope_text = joined(&f, "scope");
        let codes: Vec<&str> = scope_text
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|s| !s.is_empty())
            .collect();
        if codes.is_empty() {
            scope.extend(
                state
                    .store
                    .children(unit.id)
                    .await?
                    .iter()
                    .filter(|u| u.valid_on(start))
                    .map(|u| u.id),
            );
        }
        let known = state.store.units_by_codes(codes.iter().copied()).await?;
        for code in codes {
            let u = known.get(code).ok_or_else(|| AppError::Invalid {
                field: "scope",
                message: format!("Không tìm thấy đơn vị có mã «{code}»."),
            })?;
            // A unit calls on its own subtree only.
            if !lineage.ancestry(u.id).contains(&unit.id) {
                return Err(AppError::Invalid {
                    field: "scope",
                    message: format!("«{}» không thuộc {}.", u.name, unit.name),
                });
            }
            if !scope.contains(&u.id) {
                scope.push(u.id);
            }
        }
        if scope.is_empty() {
            return Err(AppError::Invalid {
                field: "scope",
                message: "Phong trào chưa có đơn vị tham gia.".into(),
            });
        }
        Ok(state
            .store
            .create_movement(&who, unit.id, &m, &scope)
            .await?)
    }
    .await;
    match r {
        Ok(m) => Ok(super::saved(
            &format!("/movements/{}", m.code),
            "phong-trao",
        )),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => {
            Ok((e.status(), new_page(&state, &ctx, &f, Some(&e)).await?).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn load(state: &SharedState, code: &str) -> Result<Movement, AppError> {
    state
        .store
        .movement(code)
        .await
        .map_err(|_| AppError::NotFound)
}

/// Scope units the caller may register (for itself or its people).
async fn registrable(
    state: &SharedState,
    ctx: &Ctx,
    scope: &[Unit],
) -> Result<Vec<Unit>, AppError> {
    if ctx.principal().is_none() {
        return Ok(Vec::new());
    }
    let allowed: BTreeSet<UnitId> = units_with(state, ctx, Action::RegisterMovement)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    Ok(scope
        .iter()
        .filter(|u| allowed.contains(&u.id))
        .cloned()
        .collect())
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Markup, AppError> {
    render(&state, &ctx, &code, None).await
}

async fn render(
    state: &SharedState,
    ctx: &Ctx,
    code: &str,
    err: Option<&AppError>,
) -> Result<Markup, AppError> {
    authorize(state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let m = load(state, code).await?;
    let launcher = state.store.unit(m.unit_id).await?;
    let scope = state.store.movement_scope(m.id).await?;
    let manage = ctx.principal().is_some()
        && authorize(
            state,
            &ctx.user,
            Action::LaunchMovement,
            Some(m.unit_id),
            &ctx.path,
        )
        .await
        .is_ok();
    let docs = state.store.documents("movement", m.id).await?;
    let registrations = state.store.registrations(m.id).await?;
    let mine = registrable(state, ctx, &scope).await?;
    let mine_ids: BTreeSet<UnitId> = mine.iter().map(|u| u.id).collect();
    let people = if mine.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .search_people(&PeopleScope::Units(mine_ids.clone()), "", None, 500)
            .await?
    };
    let unregistered = if manage {
        state.store.unregistered_units(m.id).await?
    } else {
        Vec::new()
    };
    let cat = tdkt_store::awards::catalogue();
    let titles: Vec<_> = cat
        .awards()
        .iter()
        .filter(|a| a.kind == AwardKind::Title && a.effective_to.is_none())
        .collect();
    let shown: Vec<_> = registrations
        .iter()
        .filter(|r| manage || mine_ids.contains(&r.unit_id))
        .collect();
    let title_name = |c: &str| cat.get(c).map_or_else(|| c.to_owned(), |a| a.name.clone());
    let here = format!("/movements/{}", m.code);
    Ok(ctx.page(
        &m.name,
        html! {
            p.muted { a href="/movements" { "Phong trào thi đua" } }
            h1 { (m.name) " " span.tag { (m.kind.label()) } }
            (form_error(err))
            section.card {
                dl.facts {
                    dt { "Thời gian" } dd.window { (m.window.label()) }
                    dt { "Đơn vị phát động" } dd { (launcher.name) }
                    dt { "Phạm vi" } dd { (scope.len()) " đơn vị" }
                    dt { "Phát động lúc" } dd { (tdkt_core::movement::from_utc_text(&m.created_at).map(format_local).unwrap_or_default()) }
                }
                @if !m.description.is_empty() { p.prose { (m.description) } }
            }
            section.card #documents {
                h2 { "Văn bản" }
                @if docs.is_empty() { p.muted { "Chưa có văn bản." } }
                ul.documents {
                    @for d in &docs {
                        li { (document_kind_label(&d.kind)) ": "
                            @if ctx.principal().is_some() { a href={ (here) "/documents/" (d.id) } { (d.file_name) } } @else { (d.file_name) }
                            " (" ((d.size + 1023) / 1024) " KB)" }
                    }
                }
                @if manage {
                    form.stack method="post" enctype="multipart/form-data" action={ (here) "/documents?csrf_token=" (ctx.csrf) } {
                        label { "Loại văn bản"
                            select name="kind" {
                                @for (k, l) in DOCUMENT_KINDS { @if k != "regulation" { option value=(k) { (l) } } }
                            }
                        }
                        label { "Tệp (tối đa " (MAX_DOCUMENT_BYTES / 1024 / 1024) " MB)" input type="file" name="file" required; }
                        button type="submit" { "Tải lên" }
                    }
                }
            }
            @if !mine.is_empty() && m.window.check_registration(time::OffsetDateTime::now_utc()).is_err() {
                p.notice #registration-closed { "Phong trào đã kết thúc: không nhận đăng ký thi đua." }
            } @else if !mine.is_empty() {
                section.card #register {
                    h2 { "Đăng ký thi đua" }
                    form.stack method="post" action={ (here) "/register" } {
                        (ctx.csrf_field())
                        label { "Đơn vị"
                            select name="unit" { @for u in &mine { option value=(u.code) { (crate::view::unit_choice(u, &mine)) } } }
                        }
                        label { "Cá nhân đăng ký (để trống nếu đơn vị đăng ký)"
                            select name="person" {
                                option value="" { "— đơn vị đăng ký —" }
                                @for p in &people { option value=(p.id) { (p.full_name) " — " (p.unit_name) } }
                            }
                        }
                        fieldset {
                            legend { "Danh hiệu đăng ký" }
                            @for a in &titles {
                                label.check { input type="checkbox" name="title" value=(a.code); " " (a.name) }
                            }
                        }
                        label { "Chỉ tiêu phấn đấu" textarea name="targets" rows="3" {} }
                        button type="submit" { "Đăng ký" }
                    }
                }
            }
            @if manage || !shown.is_empty() {
                section.card #registrations {
                    h2 { "Đã đăng ký (" (shown.len()) ")" }
                    div.scroll { table {
                        thead { tr { th { "Đơn vị" } th { "Cá nhân" } th { "Danh hiệu" } th { "Chỉ tiêu" } th { "Lúc" } } }
                        tbody {
                            @for r in &shown {
                                tr {
                                    td { (r.unit_name) }
                                    td { (r.person_name.clone().unwrap_or_default()) }
                                    td { (r.titles.iter().map(|t| title_name(t)).collect::<Vec<_>>().join("; ")) }
                                    td { (r.targets) }
                                    td { (tdkt_core::movement::from_utc_text(&r.registered_at).map(format_local).unwrap_or_default()) }
                                }
                            }
                        }
                    } }
                }
            }
            @if manage {
                section.card #unregistered {
                    h2 { "Chưa đăng ký (" (unregistered.len()) "/" (scope.len()) ")" }
                    ul.unregistered { @for u in &unregistered { li { a href={ "/units/" (u.code) } { (u.name) } } } }
                }
            }
        },
    ))
}

async fn register(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Pairs,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    // The role first: a role that may never register must not learn, from
    // 403 against 404, which person ids exist (issue 12).
    authorize(&state, &ctx.user, Action::RegisterMovement, None, &ctx.path).await?;
    let m = load(&state, &code).await?;
    let r: Result<(), AppError> = async {
        let (unit_id, person_id, recipient) = match one(&f, "person") {
            "" => {
                let u = state
                    .store
                    .unit_by_code(one(&f, "unit"))
                    .await
                    .map_err(|_| AppError::NotFound)?;
                (u.id, None, Recipient::Collective)
            }
            p => {
                let pid: i64 = p.parse().map_err(|_| AppError::NotFound)?;
                let person = state
                    .store
                    .person(pid)
                    .await
                    .map_err(|_| AppError::NotFound)?;
                (person.unit_id, Some(pid), Recipient::Individual)
            }
        };
        authorize(
            &state,
            &ctx.user,
            Action::RegisterMovement,
            Some(unit_id),
            &ctx.path,
        )
        .await?;
        let codes: Vec<String> = f
            .iter()
            .filter(|(k, _)| k == "title")
            .map(|(_, v)| v.clone())
            .collect();
        let titles = check_titles(tdkt_store::awards::catalogue(), &codes, recipient)?;
        state
            .store
            .register(
                &who,
                m.id,
                &NewRegistration {
                    unit_id,
                    person_id,
                    titles,
                    targets: one(&f, "targets").to_owned(),
                },
            )
            .await?;
        Ok(())
    }
    .await;
    match r {
        Ok(()) => Ok(super::saved(
            &format!("/movements/{}#registrations", m.code),
            "dang-ky-pt",
        )),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => {
            Ok((e.status(), render(&state, &ctx, &code, Some(&e)).await?).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn upload(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    let m = load(&state, &code).await?;
    authorize(
        &state,
        &ctx.user,
        Action::LaunchMovement,
        Some(m.unit_id),
        &ctx.path,
    )
    .await?;
    let r: Result<(), AppError> = async {
        let (file, fields): (_, HashMap<String, String>) = read_upload(mp).await?;
        let (name, mime, bytes) = file.ok_or(AppError::Invalid {
            field: "file",
            message: "Chưa chọn tệp.".into(),
        })?;
        let kind = fields.get("kind").map_or("other", String::as_str);
        state
            .store
            .add_document(&who, "movement", m.id, kind, &name, &mime, &bytes)
            .await?;
        Ok(())
    }
    .await;
    match r {
        Ok(()) => Ok(super::saved(
            &format!("/movements/{}#documents", m.code),
            "van-ban",
        )),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => {
            Ok((e.status(), render(&state, &ctx, &code, Some(&e)).await?).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn download(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    ctx.require()?;
    let m = load(&state, &code).await?;
    send_document(&state, "movement", m.id, id).await
}
