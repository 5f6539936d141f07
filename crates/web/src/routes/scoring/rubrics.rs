//! Rubrics (*bảng tiêu chí chấm điểm*): the form for a new version (JSON or
//! XLSX), the page of one version, its XLSX export, and the checks a rubric
//! passes before it is saved or used.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{Action, Principal, Role};
use tdkt_core::number::format_vi;
use tdkt_core::org::UnitId;
use tdkt_core::rubric::{CheckedRubric, Item, ItemKind, Rubric};
use tdkt_store::clusters::Cluster;

use crate::auth::authorize;
use crate::layout::{form_error, Ctx};
use crate::load::cluster_named;
use crate::{AppError, SharedState};

use super::{invalid, kind_label, xlsx};

#[derive(Deserialize, Default)]
pub(super) struct RubricForm {
    code: String,
    title: String,
    /// The items as JSON (a whole rubric, or its list of items).
    #[serde(default)]
    json: String,
    /// An XLSX file, base64, filled in by the page's script.
    #[serde(default)]
    xlsx_b64: String,
    /// `key/year` of the cluster whose pledge indicators formulas may use.
    #[serde(default)]
    cluster: String,
    /// Code of the unit that owns a new rubric (empty: the caller's scope
    /// unit). A new version keeps the owner of the first.
    #[serde(default)]
    unit: String,
}

pub(super) fn rubric_form(ctx: &Ctx, err: Option<&AppError>, f: &RubricForm) -> Markup {
    html! {
        (form_error(err))
        form.stack #rubric-form method="post" action="/scoring/rubrics" {
            (ctx.csrf_field())
            label { "Mã bảng tiêu chí" input name="code" required value=(f.code) placeholder="vd. cum-tay-nam-bo"; }
            label { "Tên" input name="title" required value=(f.title) placeholder="vd. Bảng tiêu chí chấm điểm Cụm thi đua Tây Nam bộ"; }
            label { "Đơn vị sở hữu bảng tiêu chí mới (mã; để trống: đơn vị của bạn)" input name="unit" value=(f.unit) placeholder="vd. can-tho"; }
            label { "Cụm, khối có giao ước (mã/năm) để dùng chỉ tiêu trong công thức" input name="cluster" value=(f.cluster) placeholder="vd. tay-nam-bo/2019"; }
            label { "Các mục (JSON)" textarea name="json" rows="8" placeholder=r#"[{"code":"1","title":"…","max":"60","kind":"group","children":[…]}]"# { (f.json) } }
            label { "hoặc tệp Excel (.xlsx, cột code, parent, title, kind, max, formula, indicator)"
                input type="file" #xlsx-file accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"; }
            input type="hidden" name="xlsx_b64" #xlsx-b64;
            button type="submit" { "Lưu phiên bản mới" }
            p.muted { "Bảng tiêu chí được kiểm tra khi lưu: công thức sai, chỉ tiêu không có trong giao ước, điểm các mục con vượt điểm nhóm đều bị từ chối và nêu rõ mục." }
        }
        // /static/app.js reads the chosen file into the hidden field
    }
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
    fn parse(&self) -> Result<Rubric, AppError> {
        let code = self.code.trim();
        if code.is_empty() {
            return Err(invalid("code", "Cần nhập mã bảng tiêu chí."));
        }
        if self.title.trim().is_empty() {
            return Err(invalid("title", "Cần nhập tên bảng tiêu chí."));
        }
        if !self.xlsx_b64.trim().is_empty() {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(self.xlsx_b64.trim())
                .map_err(|_| invalid("xlsx", "Không đọc được tệp tải lên."))?;
            return xlsx::import(code, self.title.trim(), &bytes);
        }
        let text = self.json.trim();
        if text.is_empty() {
            return Err(invalid(
                "json",
                "Cần nhập các mục (JSON) hoặc chọn tệp Excel.",
            ));
        }
        let items: Vec<Item> = if text.starts_with('{') {
            serde_json::from_str::<Rubric>(text)
                .map_err(|e| invalid("json", format!("JSON không hợp lệ: {e}")))?
                .items
        } else {
            serde_json::from_str(text)
                .map_err(|e| invalid("json", format!("JSON không hợp lệ: {e}")))?
        };
        Ok(Rubric {
            code: code.to_owned(),
            version: 0,
            title: self.title.trim().to_owned(),
            items,
        })
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

pub(super) async fn create_rubric(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Form<RubricForm>,
) -> Result<Response, AppError> {
    let principal = ctx.require()?.clone();
    let who = principal.username.clone();
    authorize(&state, &ctx.user, Action::RunEvaluation, None, &ctx.path).await?;
    let owner = writable_owner(&state, &ctx, &principal, &f).await?;
    let result = async {
        let rubric = f.parse()?;
        let known = known_indicators(&state, &f.cluster).await?;
        let v = state
            .store
            .save_rubric(&who, &rubric, &known, owner)
            .await?;
        Ok::<_, AppError>((rubric.code, v))
    }
    .await;
    match result {
        Ok((code, v)) => Ok(crate::routes::saved(
            &format!("/scoring/rubrics/{code}?version={v}"),
            "bang-tieu-chi",
        )),
        Err(e @ AppError::Invalid { .. }) => Ok((
            e.status(),
            ctx.page(
                "Bảng tiêu chí chấm điểm",
                html! {
                    h1 { "Bảng tiêu chí chấm điểm" }
                    div.alert role="alert" #rubric-errors {
                        p { "Bảng tiêu chí chưa được lưu:" }
                        ul { @for line in e.to_string().lines() { li { (line) } } }
                    }
                    (rubric_form(&ctx, None, &f))
                },
            ),
        )
            .into_response()),
        Err(e) => Err(e),
    }
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
    ctx.require()?;
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
            p { a.button href={ "/scoring/rubrics/" (rubric.code) "/" (rubric.version) "/xlsx" } { "Tải bảng tiêu chí (Excel)" } }
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
    let bytes = xlsx::export(&rubric)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{code}-v{version}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
