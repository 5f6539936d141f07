//! Rubrics (*bảng tiêu chí chấm điểm*): the form for a new rubric or
//! version (the item editor of [`super::rubric_editor`], or JSON or XLSX
//! imported), the page of one version, its JSON and XLSX exports, and the
//! checks a rubric passes before it is saved or used.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, RawForm, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{role_may, Action, Principal, Role};
use tdkt_core::number::format_vi;
use tdkt_core::org::UnitId;
use tdkt_core::rubric::json::items_from_json;
use tdkt_core::rubric::{CheckedRubric, Item, ItemKind, Rubric};
use tdkt_store::clusters::Cluster;

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::load::{cluster_named, cluster_reach, Reach};
use crate::picker::{cluster_select, unit_select, Ended};
use crate::{AppError, SharedState};

use super::rubric_editor::{
    import_fields, item_editor, marks_of, rubric_of_rows, Refusal, RubricForm,
};
use super::{invalid, kind_label, xlsx};

/// The rubric form; `reach` (the pickers' choices, issue 15 item 2) is
/// `None` only where the caller's reach was not loaded: plain code fields.
pub(super) fn rubric_form(
    ctx: &Ctx,
    f: &RubricForm,
    marks: &[(usize, &'static str)],
    indicators: &[(String, String)],
    reach: Option<&Reach>,
) -> Markup {
    html! {
        form.stack.wide #rubric-form method="post" action="/scoring/rubrics" {
            (ctx.csrf_field())
            label { "Mã bảng tiêu chí" input name="code" required value=(f.code) placeholder="vd. cum-tay-nam-bo"; }
            label { "Tên" input name="title" required value=(f.title) placeholder="vd. Bảng tiêu chí chấm điểm Cụm thi đua Tây Nam bộ"; }
            @if let Some(ch) = reach {
                (unit_select("rubric-unit", "unit", "Đơn vị sở hữu bảng tiêu chí mới", &ch.own, Ended::Hide, &f.unit, Some("— đơn vị của bạn —")))
                (cluster_select("rubric-cluster", "cluster", "Cụm, khối có giao ước để dùng chỉ tiêu trong công thức", &ch.clusters, &f.cluster, "— không dùng —"))
            } @else {
                label { "Đơn vị sở hữu bảng tiêu chí mới (mã; để trống: đơn vị của bạn)" input name="unit" value=(f.unit) placeholder="vd. can-tho"; }
                label { "Cụm, khối có giao ước (mã/năm) để dùng chỉ tiêu trong công thức" input name="cluster" value=(f.cluster) placeholder="vd. tay-nam-bo/2019"; }
            }
            (item_editor(f, marks, indicators))
            (import_fields(f))
            button type="submit" { "Lưu phiên bản mới" }
            p.muted { "Bảng tiêu chí được kiểm tra khi lưu: công thức sai, chỉ tiêu không có trong giao ước, điểm các mục con vượt điểm nhóm đều bị từ chối và nêu rõ mục." }
        }
        // /static/app.js reads the chosen file into the hidden field and
        // adds and removes the editor's rows
    }
}

/// The pledge indicators a formula row may be bound to: the chosen
/// cluster's when the form names one, else those of every cluster (the
/// save checks them against the chosen cluster's pledge).
pub(super) async fn indicator_choices(
    state: &SharedState,
    cluster: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let chosen = cluster_named(state, "cluster", cluster)
        .await
        .ok()
        .flatten();
    Ok(state
        .store
        .pledge_indicator_names(chosen.map(|c| c.id))
        .await?)
}

pub(super) async fn pledge_keys(
    state: &SharedState,
    cluster: &Cluster,
) -> Result<BTreeSet<String>, AppError> {
    Ok(state
        .store
        .pledge(cluster.id)
        .await?
        .into_iter()
        .map(|(_, i)| i.key.to_string())
        .collect())
}

async fn known_indicators(
    state: &SharedState,
    cluster: &str,
) -> Result<BTreeSet<String>, AppError> {
    match cluster_named(state, "cluster", cluster).await? {
        Some(c) => pledge_keys(state, &c).await,
        None => Ok(BTreeSet::new()),
    }
}

/// Where a new round's formula criteria take their figures. A rubric with
/// formula criteria needs a cluster-year and period: its indicators must be
/// in that pledge and every member must belong to that cluster, otherwise
/// no member could ever be scored on them.
pub(super) fn formula_codes(r: &Rubric) -> Vec<String> {
    r.criteria()
        .filter(|(_, i)| matches!(i.kind, ItemKind::Formula { .. }))
        .map(|(_, i)| i.code.clone())
        .collect()
}

impl RubricForm {
    /// The rubric the form describes: from the Excel file if one was
    /// chosen, else from the JSON if any, else from the editor's rows.
    /// Structure only; the rules are checked by [`RubricForm::checked`].
    fn parse(&self) -> Result<Rubric, Refusal> {
        let line = |m: &str| Refusal {
            lines: vec![m.to_owned()],
            marks: Vec::new(),
        };
        let code = self.code.trim();
        if code.is_empty() {
            return Err(line("Cần nhập mã bảng tiêu chí."));
        }
        let title = self.title.trim();
        if title.is_empty() {
            return Err(line("Cần nhập tên bảng tiêu chí."));
        }
        let rubric = |items| Rubric {
            code: code.to_owned(),
            version: 0,
            title: title.to_owned(),
            items,
        };
        if !self.xlsx_b64.trim().is_empty() {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(self.xlsx_b64.trim())
                .map_err(|_| line("Không đọc được tệp tải lên."))?;
            return xlsx::import(code, title, &bytes).map_err(|e| Refusal {
                lines: e.to_string().lines().map(str::to_owned).collect(),
                marks: Vec::new(),
            });
        }
        let text = self.json.trim();
        if !text.is_empty() {
            return items_from_json(text).map(rubric).map_err(|lines| Refusal {
                lines,
                marks: Vec::new(),
            });
        }
        if !self.has_rows() {
            return Err(line(
                "Cần nhập ít nhất một mục vào bảng, hoặc nhập từ JSON/Excel.",
            ));
        }
        rubric_of_rows(code, title, &self.rows)
    }

    /// The rubric checked against the pledge's indicators, every rule
    /// error said and, for the editor's rows, its cell marked.
    fn checked(&self, known: &BTreeSet<String>) -> Result<Rubric, Refusal> {
        let rubric = self.parse()?;
        match rubric.clone().check(known) {
            Ok(_) => Ok(rubric),
            Err(errors) => Err(Refusal {
                lines: errors.iter().map(ToString::to_string).collect(),
                marks: if self.json.trim().is_empty() && self.xlsx_b64.trim().is_empty() {
                    marks_of(&self.rows, &errors)
                } else {
                    Vec::new()
                },
            }),
        }
    }
}

/// The unit owning the rubric the form saves, once the caller is known to
/// hold [`Action::RunEvaluation`] there (issue 12: rubrics belong to a unit
/// and its subtree; an officer of Sóc Trăng may not version Cần Thơ's). An
/// existing code keeps its owner; a new one is owned by the form's unit or
/// the caller's scope unit. A national rubric (no owner) is for admins:
/// others get 403 for it, and 404 for an owner outside their subtree.
async fn writable_owner(
    state: &SharedState,
    ctx: &Ctx,
    who: &Principal,
    f: &RubricForm,
) -> Result<Option<UnitId>, AppError> {
    let owner = match state.store.rubric_owner(&f.code).await? {
        Some(existing) => existing,
        None => match f.unit.trim() {
            "" => who.scope_unit,
            code => Some(
                state
                    .store
                    .unit_by_code(code)
                    .await
                    .map_err(|_| invalid("unit", format!("Không có đơn vị mã «{code}».")))?
                    .id,
            ),
        },
    };
    match owner {
        Some(unit) => {
            authorize(
                state,
                &ctx.user,
                Action::RunEvaluation,
                Some(unit),
                &ctx.path,
            )
            .await?;
        }
        None if who.role != Role::Admin => return Err(AppError::Forbidden),
        None => {}
    }
    Ok(owner)
}

/// An `AppError::Invalid` as the lines of a refusal.
fn refusal_of(e: &AppError) -> Refusal {
    Refusal {
        lines: e.to_string().lines().map(str::to_owned).collect(),
        marks: Vec::new(),
    }
}

pub(super) async fn create_rubric(
    State(state): State<SharedState>,
    ctx: Ctx,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let f = RubricForm::from_body(&body);
    let principal = ctx.require()?.clone();
    let who = principal.username.clone();
    authorize(&state, &ctx.user, Action::RunEvaluation, None, &ctx.path).await?;
    let owner = writable_owner(&state, &ctx, &principal, &f).await?;
    // Ok(Err(refusal)): the form comes back; Err: an error page
    let result = async {
        let known = match known_indicators(&state, &f.cluster).await {
            Ok(k) => k,
            Err(e @ AppError::Invalid { .. }) => return Ok(Err(refusal_of(&e))),
            Err(e) => return Err(e),
        };
        let rubric = match f.checked(&known) {
            Ok(r) => r,
            Err(refusal) => return Ok(Err(refusal)),
        };
        match state.store.save_rubric(&who, &rubric, &known, owner).await {
            Ok(v) => Ok(Ok((rubric.code, v))),
            Err(e) => match AppError::from(e) {
                e @ AppError::Invalid { .. } => Ok(Err(refusal_of(&e))),
                e => Err(e),
            },
        }
    }
    .await?;
    match result {
        Ok((code, v)) => Ok(crate::routes::saved(
            &format!("/scoring/rubrics/{code}?version={v}"),
            "bang-tieu-chi",
        )),
        Err(refusal) => {
            let indicators = indicator_choices(&state, &f.cluster).await?;
            let reach = cluster_reach(&state, &ctx, Action::RunEvaluation).await?;
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                ctx.page(
                    "Bảng tiêu chí chấm điểm",
                    html! {
                        h1 { "Bảng tiêu chí chấm điểm" }
                        div.alert role="alert" #rubric-errors {
                            p { "Bảng tiêu chí chưa được lưu:" }
                            ul { @for line in &refusal.lines { li { (line) } } }
                        }
                        (rubric_form(&ctx, &f, &refusal.marks, &indicators, Some(&reach)))
                    },
                ),
            )
                .into_response())
        }
    }
}

#[derive(Deserialize)]
pub(super) struct NewQuery {
    /// The code of the rubric a new version starts from.
    from: Option<String>,
    version: Option<u32>,
}

/// The editor: a new rubric, or (`?from=CODE&version=N`) a new version
/// started from a saved one's items.
pub(super) async fn new_rubric(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Markup, AppError> {
    ctx.require()?;
    authorize(&state, &ctx.user, Action::RunEvaluation, None, &ctx.path).await?;
    let (f, heading) = match q.from.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => {
            let r = state.store.rubric(code, q.version).await?;
            let heading = format!("Phiên bản mới của «{}»", r.title);
            (RubricForm::of_rubric(&r), heading)
        }
        None => (
            RubricForm::default(),
            "Thêm bảng tiêu chí chấm điểm".to_owned(),
        ),
    };
    let indicators = indicator_choices(&state, &f.cluster).await?;
    let reach = cluster_reach(&state, &ctx, Action::RunEvaluation).await?;
    Ok(ctx.page(
        &heading,
        html! {
            p.muted { a href="/scoring" { "Chấm điểm thi đua" } }
            h1 { (heading) }
            (rubric_form(&ctx, &f, &[], &indicators, Some(&reach)))
        },
    ))
}

#[derive(Deserialize)]
pub(super) struct VersionQuery {
    pub(super) version: Option<u32>,
}

fn item_rows(items: &[Item], depth: usize) -> Markup {
    html! {
        @for i in items {
            tr class={ "depth-" (depth) } {
                td data-label="Mã" { (i.code) }
                td data-label="Nội dung" style={ "padding-left:" (depth * 16 + 4) "px" } {
                    @if matches!(i.kind, ItemKind::Group { .. }) { strong { (i.title) } } @else { (i.title) }
                }
                td data-label="Loại" { (kind_label(&i.kind)) }
                td.num data-label="Tối đa" {
                    (format_vi(i.max))
                    @if is_cap_group(i) { " (mức trần)" }
                }
                td data-label="Công thức" {
                    @if let ItemKind::Formula { formula, indicator } = &i.kind {
                        code { (formula) }
                        @if let Some(ind) = indicator { br; span.muted { "chỉ tiêu " (ind) } }
                    }
                }
            }
            @if let ItemKind::Group { children } = &i.kind { (item_rows(children, depth + 1)) }
        }
    }
}

/// A group of bonus or penalty items: its maximum is a cap on their sum.
fn is_cap_group(i: &Item) -> bool {
    matches!(&i.kind, ItemKind::Group { children } if !children.is_empty()
        && children.iter().all(|c| matches!(c.kind, ItemKind::Bonus | ItemKind::Penalty)))
}

pub(super) async fn rubric_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Result<Markup, AppError> {
    let may_write = role_may(ctx.require()?.role, Action::RunEvaluation);
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let rubric = state.store.rubric(&code, q.version).await?;
    let versions: Vec<i32> = state
        .store
        .rubrics()
        .await?
        .into_iter()
        .filter(|(c, _, _)| *c == code)
        .map(|(_, v, _)| v)
        .collect();
    let max_total = checked(&rubric).map(|c| c.max_total()).ok();
    Ok(ctx.page(
        &rubric.title,
        html! {
            p.muted { a href="/scoring" { "Chấm điểm thi đua" } }
            h1 { (rubric.title) }
            p.lead { "Mã " code { (rubric.code) } ", phiên bản " (rubric.version)
                @if let Some(m) = max_total { " · tổng điểm tối đa " strong #max-total { (format_vi(m)) } } }
            @if versions.len() > 1 {
                p { "Các phiên bản: " @for v in &versions { a href={ "/scoring/rubrics/" (rubric.code) "?version=" (v) } { (v) } " " } }
            }
            table.responsive #rubric {
                thead { tr { th { "Mã" } th { "Nội dung" } th { "Loại" } th.num { "Tối đa" } th { "Công thức" } } }
                tbody { (item_rows(&rubric.items, 0)) }
            }
            p.actions {
                a.button href={ "/scoring/rubrics/" (rubric.code) "/" (rubric.version) "/xlsx" } { "Xuất Excel" }
                " "
                a.button href={ "/scoring/rubrics/" (rubric.code) "/" (rubric.version) "/json" } { "Xuất JSON" }
                @if may_write {
                    " "
                    a.button #new-version href={ "/scoring/rubrics?from=" (rubric.code) "&version=" (rubric.version) } { "Tạo phiên bản mới từ phiên bản này" }
                }
            }
            p.muted { "Điểm thưởng, điểm trừ trong một nhóm được cộng rồi giới hạn ở mức trần của nhóm. Tổng điểm = điểm các tiêu chí + điểm thưởng − điểm trừ, không dưới 0. Điểm làm tròn đến 2 chữ số thập phân (nửa lên)." }
        },
    ))
}

/// A saved rubric, compiled again for scoring; its problems (if the
/// language changed since it was saved) are shown one per line.
pub(super) fn checked(rubric: &Rubric) -> Result<CheckedRubric, AppError> {
    rubric.clone().check(&all_indicators(rubric)).map_err(|e| {
        invalid(
            "rubric",
            e.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// Every indicator a saved rubric names: it was checked against its pledge
/// when saved, so re-checking it for display trusts those names.
fn all_indicators(r: &Rubric) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, i) in r.criteria() {
        if let ItemKind::Formula { formula, indicator } = &i.kind {
            if let Some(k) = indicator {
                out.insert(k.clone());
            }
            // Identifiers a formula may name: any word that is not
            // a function or variable of the language.
            for w in formula.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if w.chars().next().is_some_and(char::is_alphabetic) {
                    out.insert(w.to_owned());
                }
            }
        }
    }
    out
}

pub(super) async fn export_xlsx(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, version)): Path<(String, u32)>,
) -> Result<Response, AppError> {
    ctx.require()?;
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let rubric = state.store.rubric(&code, Some(version)).await?;
    Ok(crate::view::download(
        xlsx::export(&rubric)?,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{code}-v{version}.xlsx"),
    ))
}

/// A saved version as JSON (what the form's JSON import reads back).
pub(super) async fn export_json(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, version)): Path<(String, u32)>,
) -> Result<Response, AppError> {
    ctx.require()?;
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let rubric = state.store.rubric(&code, Some(version)).await?;
    let body = serde_json::to_vec_pretty(&rubric)
        .map_err(|e| AppError::Internal(format!("rubric json: {e}")))?;
    Ok(crate::view::download(
        body,
        "application/json",
        &format!("{code}-v{version}.json"),
    ))
}
