//! The org tree and unit pages, with lineage ("sáp nhập từ …").

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Form;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::Action;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::lineage::LineageKind;
use tdkt_core::org::{NewUnit, Unit, UnitId};
use tdkt_core::text;
use tdkt_store::units::NewLineageEvent;

use crate::auth::authorize;
use crate::layout::{form_error, Ctx};
use crate::load::{by_name, units_with};
use crate::picker::{unit_checks, unit_select, Ended};
use crate::view::{formed_line, unit_link};
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/units", get(tree).post(create))
        .route("/units/lineage", post(record_lineage))
        .route("/units/{code}", get(page))
}

#[derive(Deserialize, Default)]
pub struct TreeQuery {
    q: Option<String>,
    all: Option<String>,
}

async fn tree(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<TreeQuery>,
) -> Result<Markup, AppError> {
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let lineage = state.store.lineage().await?;
    let today = today_vn();
    let show_all = q.all.is_some();
    let query = q.q.clone().unwrap_or_default();
    let mut children: HashMap<Option<UnitId>, Vec<&Unit>> = HashMap::new();
    for u in lineage.units() {
        children.entry(u.parent_id).or_default().push(u);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| (a.valid_to.is_some(), &a.name).cmp(&(b.valid_to.is_some(), &b.name)));
    }
    let folded = text::fold(&query);
    let hits: Vec<&Unit> = if folded.is_empty() {
        Vec::new()
    } else {
        let mut v: Vec<&Unit> = lineage
            .units()
            .filter(|u| text::matches(&text::fold(&u.name), &query) || u.code == query.trim())
            .collect();
        v.sort_by_key(|u| (u.valid_to.is_some(), u.name.len()));
        v
    };
    Ok(ctx.page(
        "Cây đơn vị",
        html! {
            h1 { "Cây đơn vị" }
            form.search method="get" action="/units" {
                input name="q" value=(query) placeholder="Tìm đơn vị, không cần dấu (vd. tra vinh, dong thap)" aria-label="Tìm đơn vị";
                @if show_all { input type="hidden" name="all" value="1"; }
                button type="submit" { "Tìm" }
            }
            @if !folded.is_empty() {
                section.card {
                    h2 { "Kết quả cho «" (query) "»" }
                    @if hits.is_empty() { p.muted { "Không có đơn vị nào khớp." } }
                    ul { @for u in &hits { li { (unit_link(u, today)) } } }
                }
            }
            p {
                @if show_all { a href="/units" { "Chỉ hiện đơn vị đang hoạt động" } }
                @else { a href="/units?all=1" { "Hiện cả đơn vị đã sáp nhập, giải thể" } }
            }
            nav.tree.card aria-label="Cây đơn vị" { (branch(&children, None, today, show_all, 0)) }
        },
    ))
}

fn branch(
    children: &HashMap<Option<UnitId>, Vec<&Unit>>,
    parent: Option<UnitId>,
    today: time::Date,
    all: bool,
    depth: usize,
) -> Markup {
    let list: Vec<&&Unit> = children
        .get(&parent)
        .map(|v| v.iter().filter(|u| all || u.valid_on(today)).collect())
        .unwrap_or_default();
    html! {
        @if !list.is_empty() {
            ul {
                @for u in list {
                    li {
                        @if children.get(&Some(u.id)).is_some_and(|c| c.iter().any(|c| all || c.valid_on(today))) {
                            details open[depth < 1] {
                                summary { (unit_link(u, today)) }
                                (branch(children, Some(u.id), today, all, depth + 1))
                            }
                        } @else {
                            (unit_link(u, today))
                        }
                    }
                }
            }
        }
    }
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Markup, AppError> {
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let lineage = state.store.lineage().await?;
    let unit = lineage.by_code(&code).cloned().ok_or(AppError::NotFound)?;
    let today = today_vn();
    let name = |id: UnitId| lineage.unit(id).map(|u| u.name.clone()).unwrap_or_default();
    let parent = unit.parent_id.and_then(|p| lineage.unit(p)).cloned();
    let kinds = state.store.unit_kinds().await?;
    let kind_name = kinds
        .iter()
        .find(|k| k.code == unit.kind)
        .map_or(unit.kind.clone(), |k| k.name.clone());
    let formed: Vec<_> = lineage.formed_by(unit.id).cloned().collect();
    let ended = lineage.ending_event(unit.id).cloned();
    let own: Vec<_> = lineage.own_events(unit.id).cloned().collect();
    let preds = lineage.predecessors(unit.id);
    let current = if unit.valid_on(today) {
        Vec::new()
    } else {
        lineage.successors_at(unit.id, today)
    };
    let children = state.store.children(unit.id).await?;
    let history = super::awards::unit_history(&state, &ctx, &lineage, &unit).await?;
    let eligibility = super::eligibility::unit_section(&state, &ctx, &unit, None).await?;
    let may_edit = authorize(
        &state,
        &ctx.user,
        Action::CreateUnit,
        Some(unit.id),
        &ctx.path,
    )
    .await
    .is_ok();
    let lineage_units = if may_edit {
        by_name(units_with(&state, &ctx, Action::RecordLineage).await?)
    } else {
        Vec::new()
    };
    let may_people = authorize(
        &state,
        &ctx.user,
        Action::ReadPeople,
        Some(unit.id),
        &ctx.path,
    )
    .await
    .is_ok();
    Ok(ctx.page(
        &unit.name,
        html! {
            p.muted {
                a href="/units" { "Cây đơn vị" }
                @if let Some(p) = &parent { " › " a href={ "/units/" (p.code) } { (p.name) } }
            }
            h1 { (unit.name) span.tag { (kind_name) } }
            section.card {
                dl.facts {
                    dt { "Mã đơn vị" } dd { code { (unit.code) } }
                    dt { "Hiệu lực" } dd {
                        "từ " (format_vn(unit.valid_from))
                        @if let Some(t) = unit.valid_to { " đến " (format_vn(t)) } @else { " (đang hoạt động)" }
                    }
                    @if let Some(p) = &parent { dt { "Đơn vị cấp trên" } dd { (unit_link(p, today)) } }
                }
            }
            section.card.lineage #lineage {
                h2 { "Lịch sử sắp xếp" }
                ul {
                    @for e in &formed {
                        li.formed { (formed_line(&lineage, e.kind, &e.from, e.effective)) @if !e.note.is_empty() { br; span.muted { (e.note) } } }
                    }
                    @if let Some(e) = &ended {
                        li.ended {
                            @match e.kind {
                                LineageKind::Dissolve => { "Giải thể từ " (format_vn(e.effective)) }
                                LineageKind::Split => { "Chia tách thành: " (e.to.iter().map(|id| name(*id)).collect::<Vec<_>>().join(", ")) ", từ " (format_vn(e.effective)) }
                                _ => { "Đã sáp nhập vào: " @for (i, id) in e.to.iter().enumerate() { @if i > 0 { ", " } @if let Some(u) = lineage.unit(*id) { a href={ "/units/" (u.code) } { (u.name) } } } ", từ " (format_vn(e.effective)) }
                            }
                            @if !e.note.is_empty() { br; span.muted { (e.note) } }
                        }
                    }
                    @for e in &own {
                        li {
                            @match e.kind {
                                LineageKind::Rename => { "Đổi tên từ «" (e.detail.clone().unwrap_or_default()) "», từ " (format_vn(e.effective)) }
                                _ => { "Chuyển về đơn vị cấp trên hiện nay, từ " (format_vn(e.effective)) @if let Some(d) = &e.detail { " (trước đó thuộc " code { (d) } ")" } }
                            }
                        }
                    }
                    @if formed.is_empty() && ended.is_none() && own.is_empty() { li.muted { "Chưa có sự kiện sáp nhập, chia tách, đổi tên." } }
                }
                @if !current.is_empty() {
                    p { "Đơn vị kế thừa hiện nay: "
                        @for (i, id) in current.iter().enumerate() { @if i > 0 { ", " } @if let Some(u) = lineage.unit(*id) { a.successor href={ "/units/" (u.code) } { (u.name) } } }
                    }
                }
                @if !preds.is_empty() {
                    h2 { "Tiền thân (" (preds.len()) ")" }
                    p.muted { "Thành tích, chuỗi năm liên tục và lịch sử khen thưởng của các đơn vị này được tính cho " (unit.name) "." }
                    ul.predecessors {
                        @for p in &preds {
                            @if let Some(u) = lineage.unit(p.unit) {
                                li style={ "margin-left:" (p.depth.saturating_sub(1)) "rem" } {
                                    a href={ "/units/" (u.code) } { (u.name) }
                                    span.muted { " — " (p.kind.label()) " " (format_vn(p.effective)) }
                                }
                            }
                        }
                    }
                }
            }
            @if !children.is_empty() {
                section.card {
                    h2 { "Đơn vị trực thuộc" }
                    ul { @for c in &children { li { (unit_link(c, today)) } } }
                }
            }
            (history)
            (eligibility)
            @if may_people { p {
                a.button href={ "/people?unit=" (unit.code) } { "Cán bộ, cá nhân của đơn vị" } " "
                a.button href={ "/units/" (unit.code) "/proposals" } { "Danh sách đề nghị khen thưởng" }
            } }
            @if may_edit {
                details.card {
                    summary { "Thêm đơn vị trực thuộc" }
                    (new_unit_form(&ctx, &unit.code, &kinds, None))
                }
                details.card {
                    summary { "Ghi nhận sáp nhập, chia tách, đổi tên, giải thể" }
                    (lineage_form(&ctx, &lineage_units, &LineageForm::about(&unit.code), None))
                }
            }
        },
    ))
}

fn new_unit_form(
    ctx: &Ctx,
    parent: &str,
    kinds: &[tdkt_store::units::UnitKind],
    err: Option<&AppError>,
) -> Markup {
    html! {
        (form_error(err))
        form.stack method="post" action="/units" {
            (ctx.csrf_field())
            input type="hidden" name="parent" value=(parent);
            label { "Mã đơn vị" input name="code" required placeholder=(format!("{parent}.ten-don-vi")); }
            label { "Tên đơn vị" input name="name" required; }
            label { "Loại đơn vị" select name="kind" { @for k in kinds { option value=(k.code) { (k.name) } } } }
            label { "Hiệu lực từ ngày" input name="valid_from" type="date" required; }
            button type="submit" { "Thêm" }
        }
    }
}

/// The lineage form: the units by name (issue 15 item 2), filled with `f`
/// (the page's unit as the source on a new form; what was posted on a
/// refusal). The units are those the caller may record lineage on, ended
/// ones too: an event may be recorded after the fact.
fn lineage_form(ctx: &Ctx, units: &[Unit], f: &LineageForm, err: Option<&AppError>) -> Markup {
    let kind = f.kind.as_str();
    let list = |s: Option<&str>| crate::picker::codes(&s.unwrap_or_default().replace('|', ","));
    let parent = f.new_parent.as_deref().unwrap_or_default();
    // A transfer's new parent came as `new_value` before the picker.
    let rename = if parent.is_empty() && kind == "transfer" {
        ""
    } else {
        f.new_value.as_deref().unwrap_or_default()
    };
    html! {
        (form_error(err))
        form.stack #lineage-form method="post" action="/units/lineage" {
            (ctx.csrf_field())
            label { "Loại sự kiện"
                select name="kind" {
                    option value="merge" selected[kind == "merge"] { "Sáp nhập (nhiều → một)" }
                    option value="split" selected[kind == "split"] { "Chia tách (một → nhiều)" }
                    option value="rename" selected[kind == "rename"] { "Đổi tên" }
                    option value="transfer" selected[kind == "transfer"] { "Chuyển đơn vị cấp trên" }
                    option value="dissolve" selected[kind == "dissolve"] { "Giải thể" }
                }
            }
            label { "Ngày hiệu lực" input name="effective" type="date" required value=(f.effective); }
            (unit_checks("lineage-from", "from", "Đơn vị nguồn", units, Ended::Offer, &list(Some(&f.from))))
            (unit_checks("lineage-to", "to", "Đơn vị đích (sáp nhập: một; chia tách: nhiều)", units, Ended::Offer, &list(f.to.as_deref())))
            label { "Tên mới (đổi tên)" input name="new_value" value=(rename); }
            (unit_select("lineage-parent", "new_parent", "Đơn vị cấp trên mới (chuyển)", units, Ended::Offer, if parent.is_empty() && kind == "transfer" { f.new_value.as_deref().unwrap_or_default() } else { parent }, Some("— không chuyển —")))
            label { "Căn cứ (số nghị quyết, quyết định)" input name="note" value=(f.note.as_deref().unwrap_or_default()); }
            button type="submit" { "Ghi nhận" }
        }
    }
}

#[derive(Deserialize)]
pub struct NewUnitForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

impl NewUnitForm {
    /// # Errors
    /// The first invalid field.
    pub fn parse(&self) -> Result<NewUnit, AppError> {
        let from = tdkt_core::date::parse(&self.valid_from).map_err(|m| AppError::Invalid {
            field: "valid_from",
            message: format!("Ngày bắt đầu hiệu lực: {m}."),
        })?;
        let to = match self
            .valid_to
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => Some(tdkt_core::date::parse(s).map_err(|m| AppError::Invalid {
                field: "valid_to",
                message: format!("Ngày hết hiệu lực: {m}."),
            })?),
            None => None,
        };
        Ok(NewUnit::parse(
            &self.code,
            &self.name,
            &self.kind,
            self.parent.as_deref(),
            from,
            to,
        )?)
    }
}

/// Resolves the parent and checks the caller may create under it.
///
/// # Errors
/// An unknown parent (422), a caller without the right (401/403).
pub async fn authorize_create(
    state: &SharedState,
    ctx_user: &crate::auth::CurrentUser,
    u: &NewUnit,
    next: &str,
) -> Result<(), AppError> {
    let parent = match &u.parent_code {
        Some(pc) => Some(
            state
                .store
                .unit_by_code(pc)
                .await
                .map_err(|_| AppError::Invalid {
                    field: "parent",
                    message: format!("Không tìm thấy đơn vị cấp trên có mã «{pc}»."),
                })?
                .id,
        ),
        None => None,
    };
    // A root unit is an admin's act: only admins pass with no target.
    if parent.is_none()
        && !ctx_user
            .0
            .as_ref()
            .is_some_and(|p| p.role == tdkt_core::access::Role::Admin)
    {
        return Err(AppError::Forbidden);
    }
    authorize(state, ctx_user, Action::CreateUnit, parent, next).await
}

async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Form<NewUnitForm>,
) -> Result<Response, AppError> {
    ctx.require()?;
    let new = f.parse()?;
    authorize_create(&state, &ctx.user, &new, &ctx.path).await?;
    let unit = state
        .store
        .create_unit(&ctx.require()?.username, &new)
        .await?;
    Ok(super::saved(&format!("/units/{}", unit.code), "don-vi"))
}

#[derive(Deserialize)]
pub struct LineageForm {
    pub kind: String,
    pub effective: String,
    pub from: String,
    pub to: Option<String>,
    pub new_value: Option<String>,
    /// A transfer's new parent, as the form's picker posts it (code);
    /// `new_value` still carries it for a client that writes the code there.
    #[serde(default)]
    pub new_parent: Option<String>,
    pub note: Option<String>,
}

impl LineageForm {
    /// From the web form's fields: `from` and `to` repeat, one per unit
    /// checked (an old client's single comma-separated field reads alike).
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let one = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let all = |k: &str| crate::picker::joined(pairs, k).replace('\n', ",");
        Self {
            kind: one("kind").unwrap_or_default(),
            effective: one("effective").unwrap_or_default(),
            from: all("from"),
            to: Some(all("to")),
            new_value: one("new_value"),
            new_parent: one("new_parent"),
            note: one("note"),
        }
    }

    /// The empty form about `code`.
    fn about(code: &str) -> Self {
        Self {
            kind: "merge".into(),
            effective: String::new(),
            from: code.to_owned(),
            to: None,
            new_value: None,
            new_parent: None,
            note: None,
        }
    }

    /// # Errors
    /// The first invalid field.
    pub fn parse(&self) -> Result<NewLineageEvent, AppError> {
        let codes = |s: &str| {
            s.split([',', '|', ';'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        Ok(NewLineageEvent {
            kind: LineageKind::parse(&self.kind)?,
            effective: tdkt_core::date::parse(&self.effective).map_err(|m| AppError::Invalid {
                field: "effective_date",
                message: format!("Ngày hiệu lực: {m}."),
            })?,
            from: codes(&self.from),
            to: codes(self.to.as_deref().unwrap_or_default()),
            new_value: match self.new_parent.as_deref().map(str::trim) {
                Some(p) if !p.is_empty() && self.kind == "transfer" => Some(p.to_owned()),
                _ => self.new_value.clone().filter(|s| !s.trim().is_empty()),
            },
            note: self.note.clone().unwrap_or_default(),
        })
    }
}

/// Every unit the event touches must be in the caller's scope.
///
/// # Errors
/// An unknown unit (422), one outside the caller's scope (401/403).
pub async fn authorize_lineage(
    state: &SharedState,
    user: &crate::auth::CurrentUser,
    ev: &NewLineageEvent,
    next: &str,
) -> Result<(), AppError> {
    let mut codes: Vec<&String> = ev.from.iter().chain(ev.to.iter()).collect();
    if ev.kind == LineageKind::Transfer {
        codes.extend(ev.new_value.as_ref());
    }
    if codes.is_empty() {
        return Err(AppError::Invalid {
            field: "from",
            message: "Phải nêu đơn vị nguồn.".into(),
        });
    }
    for c in codes {
        let unit = state
            .store
            .unit_by_code(c)
            .await
            .map_err(|_| AppError::Invalid {
                field: "from",
                message: format!("Không tìm thấy đơn vị có mã «{c}»."),
            })?;
        authorize(state, user, Action::RecordLineage, Some(unit.id), next).await?;
    }
    Ok(())
}

async fn record_lineage(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    let f = LineageForm::from_pairs(&pairs);
    let ev = f.parse()?;
    authorize_lineage(&state, &ctx.user, &ev, &ctx.path).await?;
    let recorded = state.store.record_lineage(&who, &ev).await;
    match recorded {
        Ok(_) => {
            let target = ev
                .to
                .first()
                .or(ev.from.first())
                .cloned()
                .unwrap_or_default();
            Ok(super::saved(&format!("/units/{target}#lineage"), "sap-xep"))
        }
        Err(e) => {
            let e = AppError::from(e);
            let status = e.status();
            let units = by_name(units_with(&state, &ctx, Action::RecordLineage).await?);
            Ok((status, ctx.page("Không ghi nhận được", html! { h1 { "Không ghi nhận được sự kiện" } (lineage_form(&ctx, &units, &f, Some(&e))) })).into_response())
        }
    }
}
