//! Scoring (*chấm điểm*) on the web: rubrics (view, new version from JSON or
//! XLSX, XLSX export), scoring rounds (open, self-score with an evidence
//! note, cross-score of the other members, leader adjustments with a
//! reason, close), the ranking stored at close, and the proposals
//! (*đề nghị khen thưởng*) stored as nominations.
//!
//! Who may do what on a round:
//! - officers whose scope reaches the round's unit ([`Action::RunEvaluation`])
//!   open, close, read every score and propose;
//! - a member's account (its scope unit is the member) self-scores and
//!   cross-scores the others; the leader member's account adjusts;
//! - everyone else gets 404, as for ballots.
//!
//! Every change goes through the store, which audits it with before/after.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};
use tdkt_core::access::{role_may, Action, Principal, Role};
use tdkt_core::ballot::Outcome;
use tdkt_core::period::Period;
use tdkt_core::points::{parse_vn, vn};
use tdkt_core::proposal::{propose, AwardRule, ProposalConfig, Proposals};
use tdkt_core::ranking::{Band, Bands, Ranked, RankingConfig, TieBreak};
use tdkt_core::rubric::{
    CheckedRubric, Item, ItemKind, ItemScore, ManualEntry, Rubric, RubricError, ScoreSheet,
};
use tdkt_core::scoring::{Aggregation, Basis, MemberId, Round, RoundConfig, RoundState};
use tdkt_store::clusters::Cluster;
use tdkt_store::rankings::{NewNomination, Nomination};
use tdkt_store::scoring::{Figures, NewRound, RoundInfo};

use crate::auth::{authorize, CurrentUser};
use crate::layout::{form_error, Ctx};
use crate::{AppError, SharedState};

pub mod xlsx;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/scoring", get(index))
        .route("/scoring/rubrics", post(create_rubric))
        .route("/scoring/rubrics/{code}", get(rubric_page))
        .route("/scoring/rubrics/{code}/{version}/xlsx", get(export_xlsx))
        .route("/scoring/rounds", post(open_round))
        .route("/scoring/rounds/{id}", get(round_page))
        .route("/scoring/rounds/{id}/self", post(self_score))
        .route("/scoring/rounds/{id}/cross", post(cross_score))
        .route("/scoring/rounds/{id}/adjust", post(adjust))
        .route("/scoring/rounds/{id}/close", post(close))
        .route(
            "/scoring/rounds/{id}/proposals",
            get(proposals_page).post(make_proposals),
        )
        .route("/api/v1/rubrics/{code}", get(api_rubric))
        .route("/api/v1/scoring/rounds/{id}", get(api_round))
        .route(
            "/api/v1/scoring/rounds/{id}/nominations",
            get(api_round_nominations),
        )
        .route("/api/v1/nominations", get(api_nominations))
}

// ---- shared helpers ----

/// The ranking a round uses when it was opened without one: tie-breaks as
/// most regulations write them, bands as shares of the maximum total.
#[must_use]
pub fn default_ranking(max_total: Decimal) -> RankingConfig {
    let band = |label: &str, pct: i64| Band {
        label: label.into(),
        min: tdkt_core::points::round_points(max_total * Decimal::new(pct, 2)),
    };
    RankingConfig {
        tie_breaks: vec![TieBreak::MoreCriteriaAtMax, TieBreak::FewerPenaltyPoints],
        bands: Bands::try_from(vec![
            band("Xuất sắc", 90),
            band("Tốt", 80),
            band("Khá", 70),
            band("Trung bình", 50),
        ])
        .expect("distinct default bands"),
    }
}

fn tie_break_label(t: TieBreak) -> &'static str {
    match t {
        TieBreak::MoreCriteriaAtMax => "nhiều tiêu chí đạt điểm tối đa hơn",
        TieBreak::FewerPenaltyPoints => "ít điểm trừ hơn",
        TieBreak::MoreBonusPoints => "nhiều điểm thưởng hơn",
        TieBreak::HigherCrossScore => "điểm chấm chéo cao hơn",
    }
}

fn tie_break_code(t: TieBreak) -> &'static str {
    match t {
        TieBreak::MoreCriteriaAtMax => "more-criteria-at-max",
        TieBreak::FewerPenaltyPoints => "fewer-penalty-points",
        TieBreak::MoreBonusPoints => "more-bonus-points",
        TieBreak::HigherCrossScore => "higher-cross-score",
    }
}

const TIE_BREAKS: [TieBreak; 4] = [
    TieBreak::MoreCriteriaAtMax,
    TieBreak::FewerPenaltyPoints,
    TieBreak::MoreBonusPoints,
    TieBreak::HigherCrossScore,
];

fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field,
        message: message.into(),
    }
}

fn points(field: &'static str, s: &str) -> Result<Decimal, AppError> {
    parse_vn(s).map_err(|m| invalid(field, m))
}

/// Unit names by code, for showing members.
async fn names(state: &SharedState) -> Result<BTreeMap<String, String>, AppError> {
    Ok(state
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect())
}

fn name_of<'a>(names: &'a BTreeMap<String, String>, m: &'a MemberId) -> &'a str {
    names.get(&m.0).map_or(m.0.as_str(), String::as_str)
}

/// The member a user acts for: the code of its scope unit.
async fn member_code(state: &SharedState, who: &Principal) -> Result<Option<MemberId>, AppError> {
    match who.scope_unit {
        Some(id) => Ok(Some(MemberId(state.store.unit(id).await?.code))),
        None => Ok(None),
    }
}

/// What the caller may do with one round.
struct Seen {
    info: RoundInfo,
    manager: bool,
    /// The member the caller acts for, when it is a member of the round.
    me: Option<MemberId>,
}

/// Loads a round the caller may see: a manager in scope or a member's
/// account. Anyone else, and unknown ids, get 404.
async fn seen(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    next: &str,
) -> Result<Seen, AppError> {
    let who = user.require(next)?.clone();
    let info = state.store.scoring_round(id).await?;
    let manager = authorize(state, user, Action::RunEvaluation, Some(info.unit_id), next)
        .await
        .is_ok();
    let me = member_code(state, &who)
        .await?
        .filter(|m| info.round.members.contains(m));
    if !manager && me.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(Seen { info, manager, me })
}

/// A round for its organisers only (`RunEvaluation` on the organising
/// unit), with the caller's user name: members may score, not close or propose.
async fn organised(state: &SharedState, ctx: &Ctx, id: i64) -> Result<(Seen, String), AppError> {
    let s = seen(state, &ctx.user, id, &ctx.path).await?;
    let who = ctx.require()?.username.clone();
    authorize(
        state,
        &ctx.user,
        Action::RunEvaluation,
        Some(s.info.unit_id),
        &ctx.path,
    )
    .await?;
    Ok((s, who))
}

/// Rounds the caller manages (officers: their subtree; admin: all) and the
/// rounds its unit is a member of.
async fn visible_rounds(
    state: &SharedState,
    who: &Principal,
) -> Result<(Vec<RoundInfo>, Vec<RoundInfo>), AppError> {
    let managed = if role_may(who.role, Action::RunEvaluation) {
        match (who.role, who.scope_unit) {
            (Role::Admin, _) => state.store.rounds_in(None).await?,
            (_, Some(root)) => {
                let scope = state.store.lineage().await?.scope(root);
                state.store.rounds_in(Some(&scope)).await?
            }
            (_, None) => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let mine = match member_code(state, who).await? {
        Some(m) => state
            .store
            .rounds_in(None)
            .await?
            .into_iter()
            .filter(|r| r.round.members.contains(&m))
            .collect(),
        None => Vec::new(),
    };
    Ok((managed, mine))
}

fn state_tag(r: &Round) -> Markup {
    html! {
        @if r.state == RoundState::Closed { span.tag.ended { "đã khóa" } } @else { span.tag { "đang chấm" } }
    }
}

fn kind_label(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::Group { .. } => "Nhóm",
        ItemKind::Manual => "Chấm tay",
        ItemKind::Formula { .. } => "Công thức",
        ItemKind::Bonus => "Điểm thưởng",
        ItemKind::Penalty => "Điểm trừ",
    }
}

/// Leaves a member enters points for (manual, bonus, penalty), in order.
// ---- index ----

async fn index(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    let who = ctx.require()?.clone();
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let (managed, mine) = visible_rounds(&state, &who).await?;
    let may_run = role_may(who.role, Action::RunEvaluation);
    let rubrics = state.store.rubrics().await?;
    Ok(ctx.page(
        "Chấm điểm thi đua",
        html! {
            h1 { "Chấm điểm thi đua" }
            section.card {
                h2 { "Đợt chấm điểm của đơn vị tôi" }
                @if mine.is_empty() {
                    p.muted { "Đơn vị của bạn không là thành viên của đợt chấm điểm nào." }
                } @else {
                    ul #my-rounds { @for r in &mine {
                        li { a href={ "/scoring/rounds/" (r.id) } { (r.title) } " " (state_tag(&r.round))
                            @if !r.context.is_empty() { br; span.muted { (r.context) } } }
                    } }
                }
            }
            @if may_run {
                section.card {
                    h2 { "Đợt chấm điểm do đơn vị tôi tổ chức" }
                    @if managed.is_empty() { p.muted { "Chưa có đợt chấm điểm nào." } } @else {
                        table.responsive #managed {
                            thead { tr { th { "Đợt chấm điểm" } th { "Đơn vị tổ chức" } th.num { "Thành viên" } th { "Trạng thái" } } }
                            tbody { @for r in &managed {
                                tr {
                                    td data-label="Đợt chấm điểm" { a href={ "/scoring/rounds/" (r.id) } { (r.title) } }
                                    td data-label="Đơn vị tổ chức" { (state.store.unit(r.unit_id).await.map(|u| u.name).unwrap_or_default()) }
                                    td.num data-label="Thành viên" { (r.round.members.len()) }
                                    td data-label="Trạng thái" { (state_tag(&r.round)) }
                                }
                            } }
                        }
                    }
                }
            }
            section.card {
                h2 { "Bảng tiêu chí chấm điểm" }
                @if rubrics.is_empty() { p.muted { "Chưa có bảng tiêu chí nào." } } @else {
                    ul #rubrics { @for (code, version, title) in &rubrics {
                        li { a href={ "/scoring/rubrics/" (code) "?version=" (version) } { (title) } " " span.muted { (code) ", phiên bản " (version) } }
                    } }
                }
            }
            @if may_run {
                details.card #new-round {
                    summary { "Mở đợt chấm điểm mới" }
                    (round_form(&ctx, &rubrics, None))
                }
                details.card #new-rubric {
                    summary { "Thêm bảng tiêu chí (hoặc phiên bản mới)" }
                    (rubric_form(&ctx, None, &RubricForm::default()))
                }
            }
        },
    ))
}

// ---- rubrics ----

#[derive(Deserialize, Default)]
struct RubricForm {
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
}

fn rubric_form(ctx: &Ctx, err: Option<&AppError>, f: &RubricForm) -> Markup {
    html! {
        (form_error(err))
        form.stack #rubric-form method="post" action="/scoring/rubrics" {
            (ctx.csrf_field())
            label { "Mã bảng tiêu chí" input name="code" required value=(f.code) placeholder="vd. cum-tay-nam-bo"; }
            label { "Tên" input name="title" required value=(f.title) placeholder="vd. Bảng tiêu chí chấm điểm Cụm thi đua Tây Nam bộ"; }
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

/// The cluster-year a form names as `key/year`; `None` when left empty.
async fn cluster_named(
    state: &SharedState,
    field: &'static str,
    text: &str,
) -> Result<Option<Cluster>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (key, year) = text
        .rsplit_once('/')
        .and_then(|(k, y)| Some((k, y.trim().parse::<i32>().ok()?)))
        .ok_or_else(|| {
            invalid(
                field,
                "Ghi cụm, khối theo dạng mã/năm, vd. tay-nam-bo/2019.",
            )
        })?;
    let c = state
        .store
        .cluster(key.trim(), year)
        .await
        .map_err(|_| invalid(field, format!("Không có cụm, khối «{key}» năm {year}.")))?;
    Ok(Some(c))
}

async fn pledge_keys(state: &SharedState, cluster: &Cluster) -> Result<BTreeSet<String>, AppError> {
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
async fn round_figures(
    state: &SharedState,
    f: &RoundForm,
    rubric: &Rubric,
    members: &[MemberId],
) -> Result<Option<Figures>, AppError> {
    let Some(cluster) = cluster_named(state, "figures_cluster", &f.figures_cluster).await? else {
        let formulas = formula_codes(&rubric);
        if formulas.is_empty() {
            return Ok(None);
        }
        return Err(invalid(
            "figures_cluster",
            format!(
                "Bảng tiêu chí có tiêu chí tính theo công thức ({}), nên cần ghi cụm, khối và kỳ lấy số liệu chỉ tiêu.",
                formulas.join(", ")
            ),
        ));
    };
    let period = Period::parse(&f.figures_period)
        .map_err(|e| invalid("figures_period", format!("Kỳ số liệu: {e}.")))?;
    if !period.within_year(cluster.year) {
        return Err(invalid(
            "figures_period",
            format!(
                "Kỳ số liệu {} không thuộc năm {} của {}.",
                period.label(),
                cluster.year,
                cluster.name
            ),
        ));
    }
    rubric
        .clone()
        .check(&pledge_keys(state, &cluster).await?)
        .map_err(|e| {
            invalid(
                "figures_cluster",
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
    let in_cluster: BTreeSet<String> = state
        .store
        .cluster_members(cluster.id)
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    if let Some(m) = members.iter().find(|m| !in_cluster.contains(&m.0)) {
        return Err(invalid(
            "members",
            format!(
                "Đơn vị «{m}» không phải thành viên {} năm {} nên không có số liệu chỉ tiêu để chấm.",
                cluster.name, cluster.year
            ),
        ));
    }
    Ok(Some(Figures {
        cluster_id: cluster.id,
        period,
    }))
}

fn formula_codes(r: &Rubric) -> Vec<String> {
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

async fn create_rubric(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Form<RubricForm>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    authorize(&state, &ctx.user, Action::RunEvaluation, None, &ctx.path).await?;
    let result = async {
        let rubric = f.parse()?;
        let known = known_indicators(&state, &f.cluster).await?;
        let v = state.store.save_rubric(&who, &rubric, &known).await?;
        Ok::<_, AppError>((rubric.code, v))
    }
    .await;
    match result {
        Ok((code, v)) => Ok(super::see_other(&format!(
            "/scoring/rubrics/{code}?version={v}"
        ))),
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
struct VersionQuery {
    version: Option<u32>,
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
                    (vn(i.max))
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

async fn rubric_page(
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
                @if let Some(m) = max_total { " · tổng điểm tối đa " strong #max-total { (vn(m)) } } }
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
fn checked(rubric: &Rubric) -> Result<CheckedRubric, AppError> {
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

async fn export_xlsx(
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

// ---- opening a round ----

fn round_form(ctx: &Ctx, rubrics: &[(String, i32, String)], err: Option<&AppError>) -> Markup {
    html! {
        (form_error(err))
        form.stack #round-form method="post" action="/scoring/rounds" {
            (ctx.csrf_field())
            label { "Mã đơn vị tổ chức" input name="unit" required placeholder="vd. can-tho"; }
            label { "Tên đợt chấm điểm" input name="title" required placeholder="vd. Chấm điểm thi đua Cụm Tây Nam bộ năm 2019"; }
            label { "Bối cảnh" input name="context" placeholder="vd. Cụm thi đua Tây Nam bộ 2019"; }
            label { "Bảng tiêu chí"
                select name="rubric" required {
                    @for (code, version, title) in rubrics { option value={ (code) "@" (version) } { (title) " (" (code) ", phiên bản " (version) ")" } }
                }
            }
            label { "Thành viên: mã đơn vị, cách nhau bởi dấu phẩy hoặc xuống dòng" textarea name="members" rows="4" required {} }
            fieldset {
                legend { "Số liệu chỉ tiêu cho tiêu chí tính theo công thức" }
                label { "Cụm, khối có giao ước (mã/năm)" input name="figures_cluster" placeholder="vd. tay-nam-bo/2019"; }
                label { "Kỳ số liệu" input name="figures_period" placeholder="vd. 2019 hoặc 2019-H1"; }
                p.muted { "Bắt buộc khi bảng tiêu chí có tiêu chí tính theo công thức; các thành viên phải thuộc cụm, khối này." }
            }
            label { "Cụm trưởng (mã đơn vị)" input name="leader" required; }
            label { "Tổng hợp điểm chấm chéo"
                select name="aggregation" { option value="mean" { "Trung bình cộng" } option value="median" { "Trung vị" } }
            }
            label { "Bỏ bớt số điểm cao nhất và thấp nhất" input name="trim" type="number" min="0" value="1"; }
            label { "Điểm xếp hạng dựa trên"
                select name="basis" { option value="cross" { "Điểm chấm chéo (tổng hợp)" } option value="self" { "Điểm tự chấm" } }
            }
            fieldset {
                legend { "Tiêu chí phụ khi bằng điểm (theo thứ tự)" }
                @for (i, t) in TIE_BREAKS.iter().enumerate() {
                    label { input type="checkbox" name="tie" value=(tie_break_code(*t)) checked[i < 2]; " " (tie_break_label(*t)) }
                }
            }
            label { "Mức xếp loại, mỗi dòng “tên | điểm tối thiểu” (để trống: 90%, 80%, 70%, 50% tổng điểm tối đa)"
                textarea name="bands" rows="4" placeholder="Xuất sắc | 90\nTốt | 80\nKhá | 70\nTrung bình | 50" {} }
            button type="submit" { "Mở đợt chấm điểm" }
        }
    }
}

#[derive(Deserialize)]
struct RoundForm {
    unit: String,
    title: String,
    #[serde(default)]
    context: String,
    rubric: String,
    members: String,
    #[serde(default)]
    figures_cluster: String,
    #[serde(default)]
    figures_period: String,
    leader: String,
    aggregation: String,
    trim: String,
    basis: String,
    #[serde(default)]
    bands: String,
}

fn parse_bands(text: &str) -> Result<Option<Bands>, AppError> {
    let mut bands = Vec::new();
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let (label, min) = line.split_once('|').ok_or_else(|| {
            invalid(
                "bands",
                format!("Mức xếp loại dòng {}: ghi “tên | điểm tối thiểu”.", i + 1),
            )
        })?;
        bands.push(Band {
            label: label.trim().to_owned(),
            min: points("bands", min.trim())?,
        });
    }
    if bands.is_empty() {
        return Ok(None);
    }
    Bands::try_from(bands)
        .map(Some)
        .map_err(|e| invalid("bands", e.to_string()))
}

async fn open_round(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    authorize(&state, &ctx.user, Action::RunEvaluation, None, &ctx.path).await?;
    let ties: Vec<TieBreak> = fields
        .iter()
        .filter(|(k, _)| k == "tie")
        .filter_map(|(_, v)| TIE_BREAKS.into_iter().find(|t| tie_break_code(*t) == v))
        .collect();
    let f: RoundForm = form_struct(&fields)?;
    let result = async {
        let unit = state.store.unit_by_code(f.unit.trim()).await.map_err(|_| {
            invalid(
                "unit",
                format!("Không tìm thấy đơn vị có mã «{}».", f.unit.trim()),
            )
        })?;
        authorize(
            &state,
            &ctx.user,
            Action::RunEvaluation,
            Some(unit.id),
            &ctx.path,
        )
        .await?;
        let (code, version) = f
            .rubric
            .rsplit_once('@')
            .and_then(|(c, v)| Some((c.to_owned(), v.parse::<u32>().ok()?)))
            .ok_or_else(|| invalid("rubric", "Cần chọn bảng tiêu chí."))?;
        let rubric = state.store.rubric(&code, Some(version)).await?;
        let checked = checked(&rubric)?;
        let mut members = Vec::new();
        for m in f
            .members
            .split([',', '\n', ';', ' ', '\r', '\t'])
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            state.store.unit_by_code(m).await.map_err(|_| {
                invalid(
                    "members",
                    format!("Không tìm thấy đơn vị thành viên có mã «{m}»."),
                )
            })?;
            members.push(MemberId(m.to_owned()));
        }
        let figures = round_figures(&state, &f, &rubric, &members).await?;
        let trim: usize = f
            .trim
            .trim()
            .parse()
            .map_err(|_| invalid("trim", "Số điểm bỏ bớt phải là số nguyên không âm."))?;
        let config = RoundConfig {
            aggregation: if f.aggregation == "median" {
                Aggregation::Median
            } else {
                Aggregation::Mean
            },
            trim,
            basis: if f.basis == "self" {
                Basis::SelfScore
            } else {
                Basis::Cross
            },
            max_total: checked.max_total(),
        };
        let round = Round::open(config, members, MemberId(f.leader.trim().to_owned()))
            .map_err(|e| invalid("members", e.to_string()))?;
        let ranking = RankingConfig {
            tie_breaks: ties,
            bands: parse_bands(&f.bands)?
                .unwrap_or_else(|| default_ranking(checked.max_total()).bands),
        };
        let new = NewRound {
            unit_code: f.unit.trim().to_owned(),
            context: f.context.clone(),
            title: f.title.clone(),
            rubric: Some((code, version)),
            figures,
            round,
        };
        Ok::<_, AppError>(
            state
                .store
                .create_ranked_round(&who, &new, &ranking)
                .await?,
        )
    }
    .await;
    match result {
        Ok(r) => Ok(super::see_other(&format!("/scoring/rounds/{}", r.id))),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => {
            let rubrics = state.store.rubrics().await?;
            Ok((
                e.status(),
                ctx.page(
                    "Mở đợt chấm điểm",
                    html! { h1 { "Mở đợt chấm điểm" } (round_form(&ctx, &rubrics, Some(&e))) },
                ),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

/// Reads a form struct from fields also read as a list (repeated keys).
fn form_struct<T: serde::de::DeserializeOwned>(fields: &[(String, String)]) -> Result<T, AppError> {
    let map: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| k != "tie")
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    serde_json::from_value(Value::Object(map))
        .map_err(|e| invalid("form", format!("Biểu mẫu thiếu trường: {e}")))
}

// ---- the round page ----

async fn rubric_of(state: &SharedState, info: &RoundInfo) -> Result<Rubric, AppError> {
    let (code, v) = info
        .rubric
        .clone()
        .ok_or_else(|| invalid("rubric", "Đợt chấm điểm này không gắn bảng tiêu chí."))?;
    Ok(state.store.rubric(&code, Some(v)).await?)
}

async fn round_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    round_markup(&state, &ctx, &s, None).await
}

async fn round_markup(
    state: &SharedState,
    ctx: &Ctx,
    s: &Seen,
    err: Option<&AppError>,
) -> Result<Markup, AppError> {
    let r = &s.info.round;
    let names = names(state).await?;
    let rubric = rubric_of(state, &s.info).await?;
    let open = r.state == RoundState::Open;
    let (config, ranking) = state.store.round_ranking(s.info.id).await?;
    let config = config.unwrap_or_else(|| default_ranking(r.config.max_total));
    // what a member types: manual criteria, bonuses and penalties
    let entries: Vec<(usize, &Item)> = rubric
        .criteria()
        .filter(|(_, i)| !matches!(i.kind, ItemKind::Formula { .. }))
        .collect();
    let own = s.me.as_ref().and_then(|m| r.self_scores.get(m));
    let leader = s.me.as_ref() == Some(&r.leader);
    let formulas = match (&s.me, open) {
        (Some(me), true) => Some(formula_preview(state, &s.info, &rubric, me).await?),
        _ => None,
    };
    let figures = match &s.info.figures {
        Some(f) => Some((
            state.store.cluster_by_id(f.cluster_id).await?,
            f.period.label(),
        )),
        None => None,
    };
    Ok(ctx.page(
        &s.info.title,
        html! {
            p.muted { a href="/scoring" { "Chấm điểm thi đua" } }
            h1 { (s.info.title) " " (state_tag(r)) }
            @if !s.info.context.is_empty() { p.lead { (s.info.context) } }
            (form_error(err))
            section.card {
                dl.facts {
                    dt { "Bảng tiêu chí" } dd { a href={ "/scoring/rubrics/" (rubric.code) "?version=" (rubric.version) } { (rubric.title) } " (phiên bản " (rubric.version) ")" }
                    dt { "Tổng điểm tối đa" } dd { (vn(r.config.max_total)) }
                    @if let Some((c, period)) = &figures {
                        dt { "Số liệu chỉ tiêu" } dd #figures { a href={ "/clusters/" (c.key) "/" (c.year) } { (c.name) " năm " (c.year) } ", số liệu " (period) }
                    }
                    dt { "Cụm trưởng" } dd { (name_of(&names, &r.leader)) }
                    dt { "Thành viên" } dd { (r.members.len()) " đơn vị; đã tự chấm " (r.self_scores.len()) }
                    dt { "Chấm chéo" } dd {
                        @match r.config.aggregation { Aggregation::Mean => "trung bình cộng", Aggregation::Median => "trung vị" }
                        @if r.config.trim > 0 { ", bỏ " (r.config.trim) " điểm cao nhất và " (r.config.trim) " điểm thấp nhất" }
                    }
                    dt { "Khi bằng điểm" } dd { @if config.tie_breaks.is_empty() { "đồng hạng" } @else {
                        @for (i, t) in config.tie_breaks.iter().enumerate() { @if i > 0 { ", rồi " } (tie_break_label(*t)) } } }
                }
                @if let Some(me) = &s.me { p { "Bạn chấm điểm với tư cách " strong { (name_of(&names, me)) } @if leader { " (cụm trưởng)" } "." } }
            }
            @if open { @if let (Some(me), Some(formulas)) = (&s.me, &formulas) {
                (self_form(ctx, s.info.id, &entries, formulas, own))
                (cross_form(ctx, s.info.id, r, me, &names))
                @if leader { (adjust_form(ctx, s.info.id, r, &names)) }
            } }
            @if !open || s.manager {
                (results_table(r, ranking.as_deref(), &names, open))
            }
            @if !r.adjustments.is_empty() && (s.manager || !open) {
                section.card #adjustments {
                    h2 { "Điều chỉnh của cụm trưởng" }
                    ul { @for a in &r.adjustments { li { (name_of(&names, &a.member)) ": " @if !a.delta.is_sign_negative() { "+" } (vn(a.delta)) " — " (a.reason) } } }
                }
            }
            @if s.manager && open {
                form method="post" action={ "/scoring/rounds/" (s.info.id) "/close" } {
                    (ctx.csrf_field())
                    button.secondary #close-round type="submit" { "Khóa đợt chấm điểm và xếp hạng" }
                }
            }
            @if !open {
                p { a.button href={ "/scoring/rounds/" (s.info.id) "/proposals" } { "Danh sách đề nghị khen thưởng" } }
            }
        },
    ))
}

/// A member's score sheet before anything is typed: its indicator figures,
/// when the round's rubric computes criteria from them.
async fn sheet_of(
    state: &SharedState,
    info: &RoundInfo,
    member: &MemberId,
) -> Result<ScoreSheet, AppError> {
    let mut sheet = ScoreSheet::default();
    if let Some(f) = &info.figures {
        let unit = state.store.unit_by_code(&member.0).await?;
        sheet.indicators = state.store.member_figures(f, &unit).await?;
    }
    Ok(sheet)
}

/// Why a sheet cannot be scored; a formula short of figures says where the
/// figures come from, so the member knows what to report first.
fn refusal(info: &RoundInfo, e: &RubricError) -> String {
    match (e, &info.figures) {
        (RubricError::Formula { .. }, Some(f)) => format!(
            "{e} Số liệu lấy từ báo cáo chỉ tiêu {} và chỉ tiêu đăng ký của đơn vị; hãy báo cáo đủ số liệu trước khi tự chấm.",
            f.period.label()
        ),
        (RubricError::Formula { .. }, None) => format!(
            "{e} Đợt chấm điểm này không gắn cụm, khối và kỳ số liệu chỉ tiêu."
        ),
        _ => e.to_string(),
    }
}

/// The formula criteria as the member's current figures score them, or why
/// they cannot be scored yet.
async fn formula_preview(
    state: &SharedState,
    info: &RoundInfo,
    rubric: &Rubric,
    member: &MemberId,
) -> Result<Result<Vec<ItemScore>, String>, AppError> {
    let formulas = formula_codes(&rubric);
    if formulas.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let sheet = sheet_of(state, info, member).await?;
    Ok(checked(rubric)?
        .evaluate(&sheet)
        .map(|e| {
            e.items
                .into_iter()
                .filter(|i| formulas.contains(&i.code))
                .collect()
        })
        .map_err(|e| refusal(info, &e)))
}

/// Separates an item's explanation from the member's evidence note.
const EVIDENCE: &str = "; minh chứng: ";

fn self_form(
    ctx: &Ctx,
    id: i64,
    entries: &[(usize, &Item)],
    formulas: &Result<Vec<ItemScore>, String>,
    own: Option<&tdkt_core::rubric::Evaluation>,
) -> Markup {
    let item = |code: &str| own.and_then(|e| e.items.iter().find(|i| i.code == code));
    let prev = |code: &str| item(code).map(|i| vn(i.points)).unwrap_or_default();
    let note = |code: &str| {
        item(code)
            .and_then(|i| i.explanation.split_once(EVIDENCE))
            .map(|(_, n)| n.to_owned())
            .unwrap_or_default()
    };
    html! {
        form.stack.card #self-score method="post" action={ "/scoring/rounds/" (id) "/self" } {
            (ctx.csrf_field())
            h2 { "Tự chấm điểm" }
            @if let Some(e) = own { p.notice { "Đã tự chấm: " strong { (vn(e.total)) } " điểm. Gửi lại để sửa." } }
            @for (_, item) in entries {
                fieldset {
                    legend { (item.code) ". " (item.title) }
                    label { (kind_label(&item.kind)) ", tối đa " (vn(item.max))
                        input name={ "p-" (item.code) } inputmode="decimal" value=(prev(&item.code)) placeholder="0"; }
                    label { "Minh chứng (số, ngày văn bản; đường dẫn tệp)" input name={ "e-" (item.code) } value=(note(&item.code)) placeholder="vd. Báo cáo số 12/BC-UBND ngày 15/11/2019"; }
                }
            }
            @match formulas {
                Ok(items) if !items.is_empty() => {
                    fieldset #formula-scores {
                        legend { "Tiêu chí tính theo công thức (từ số liệu chỉ tiêu, không nhập tay)" }
                        ul { @for i in items { li { strong { (i.code) ". " (i.title) ": " (vn(i.points)) "/" (vn(i.max)) } br; span.muted { (i.explanation) } } } }
                    }
                }
                Ok(_) => {}
                Err(why) => { p.notice #formula-scores { (why) } }
            }
            p.muted { "Dấu phẩy là dấu thập phân: 7,5." }
            button type="submit" { "Lưu điểm tự chấm" }
        }
    }
}

fn cross_form(
    ctx: &Ctx,
    id: i64,
    r: &Round,
    me: &MemberId,
    names: &BTreeMap<String, String>,
) -> Markup {
    html! {
        form.stack.card #cross-score method="post" action={ "/scoring/rounds/" (id) "/cross" } {
            (ctx.csrf_field())
            h2 { "Chấm chéo" }
            p.muted { "Chấm tổng điểm cho từng đơn vị khác (không chấm cho đơn vị mình), tối đa " (vn(r.config.max_total)) "." }
            // Never offers the caller's own unit: the core refuses it too.
            @for m in r.members.iter().filter(|m| *m != me) {
                label { (name_of(names, m))
                    @let prev = r.cross_scores.get(&(me.clone(), m.clone())).map(|p| vn(*p)).unwrap_or_default();
                    input name={ "c-" (m) } inputmode="decimal" value=(prev);
                }
            }
            button type="submit" { "Lưu điểm chấm chéo" }
        }
    }
}

fn adjust_form(ctx: &Ctx, id: i64, r: &Round, names: &BTreeMap<String, String>) -> Markup {
    html! {
        form.stack.card #adjust method="post" action={ "/scoring/rounds/" (id) "/adjust" } {
            (ctx.csrf_field())
            h2 { "Điều chỉnh điểm (cụm trưởng)" }
            label { "Đơn vị" select name="member" { @for m in &r.members { option value=(m) { (name_of(names, m)) } } } }
            label { "Cộng (+) hoặc trừ (−) điểm" input name="delta" inputmode="decimal" required placeholder="vd. -1,5"; }
            label { "Lý do (bắt buộc)" textarea name="reason" rows="2" required {} }
            button type="submit" { "Ghi điều chỉnh" }
        }
    }
}

fn results_table(
    r: &Round,
    ranking: Option<&[Ranked]>,
    names: &BTreeMap<String, String>,
    open: bool,
) -> Markup {
    let results = r.results();
    html! {
        section.card #results {
            @if let Some(ranking) = ranking {
                h2 { "Kết quả xếp hạng" }
                table.responsive #ranking {
                    thead { tr { th.num { "Hạng" } th { "Đơn vị" } th.num { "Tổng điểm" } th { "Xếp loại" } th { "Giải thích" } } }
                    tbody { @for x in ranking {
                        tr {
                            td.num data-label="Hạng" { (x.rank) }
                            td data-label="Đơn vị" { (name_of(names, &x.member)) }
                            td.num data-label="Tổng điểm" { (vn(x.total)) }
                            td data-label="Xếp loại" { (x.band.clone().unwrap_or_else(|| "—".into())) }
                            td data-label="Giải thích" { span.muted { (x.explanation) } }
                        }
                    } }
                }
            } @else {
                h2 { @if open { "Điểm tạm tính (chỉ cán bộ tổ chức xem được)" } @else { "Kết quả" } }
            }
            details {
                summary { "Chi tiết điểm từng đơn vị" }
                table.responsive {
                    thead { tr { th { "Đơn vị" } th.num { "Tự chấm" } th.num { "Chấm chéo" } th.num { "Điều chỉnh" } th.num { "Tổng" } } }
                    tbody { @for x in &results {
                        tr {
                            td data-label="Đơn vị" { (name_of(names, &x.member)) }
                            td.num data-label="Tự chấm" { (x.self_total.map(vn).unwrap_or_else(|| "—".into())) }
                            td.num data-label="Chấm chéo" { (x.cross.map(vn).unwrap_or_else(|| "—".into())) " (" (x.cross_used) ")" }
                            td.num data-label="Điều chỉnh" { (vn(x.adjustment)) }
                            td.num data-label="Tổng" { (vn(x.total)) }
                        }
                    } }
                }
            }
        }
    }
}

/// Re-renders the round page with the refusal, status 422/409.
async fn refused(
    state: &SharedState,
    ctx: &Ctx,
    id: i64,
    e: AppError,
) -> Result<Response, AppError> {
    if !matches!(e, AppError::Invalid { .. } | AppError::Conflict(..)) {
        return Err(e);
    }
    let s = seen(state, &ctx.user, id, &ctx.path).await?;
    Ok((e.status(), round_markup(state, ctx, &s, Some(&e)).await?).into_response())
}

async fn self_score(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let who = ctx.require()?.username.clone();
    let me = s.me.clone().ok_or(AppError::Forbidden)?;
    let result = async {
        let rubric = rubric_of(&state, &s.info).await?;
        let checked = checked(&rubric)?;
        let mut sheet = sheet_of(&state, &s.info, &me).await?;
        let notes: BTreeMap<&str, &str> = fields
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("e-")?, v.trim())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        for (k, v) in &fields {
            if let Some(code) = k.strip_prefix("p-") {
                if v.trim().is_empty() {
                    continue;
                }
                let p = parse_vn(v).map_err(|m| invalid("points", format!("Mục “{code}”: {m}")))?;
                sheet.entries.insert(
                    code.to_owned(),
                    ManualEntry {
                        points: p,
                        evidence: notes
                            .get(code)
                            .map(|n| vec![(*n).to_owned()])
                            .unwrap_or_default(),
                    },
                );
            }
        }
        let mut evaluation = checked
            .evaluate(&sheet)
            .map_err(|e| invalid("points", refusal(&s.info, &e)))?;
        // The round keeps evaluations, not sheets: the note goes into the
        // item's explanation so it is stored, audited and shown with it.
        for item in &mut evaluation.items {
            if let Some(note) = notes.get(item.code.as_str()) {
                item.explanation = format!("{}{EVIDENCE}{note}", item.explanation);
            }
        }
        state
            .store
            .update_round(&who, id, "self-score", move |r| {
                r.record_self(&me, evaluation)
            })
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(super::see_other(&format!(
            "/scoring/rounds/{id}#self-score"
        ))),
        Err(e) => refused(&state, &ctx, id, e).await,
    }
}

async fn cross_score(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let who = ctx.require()?.username.clone();
    let me = s.me.clone().ok_or(AppError::Forbidden)?;
    let result = async {
        let mut scores = Vec::new();
        for (k, v) in &fields {
            if let Some(m) = k.strip_prefix("c-") {
                if v.trim().is_empty() {
                    continue;
                }
                let p = parse_vn(v)
                    .map_err(|msg| invalid("points", format!("Điểm cho “{m}”: {msg}")))?;
                scores.push((MemberId(m.to_owned()), p));
            }
        }
        if scores.is_empty() {
            return Err(invalid(
                "points",
                "Chưa nhập điểm chấm chéo cho đơn vị nào.",
            ));
        }
        // All scores of one submission are recorded together or not at all.
        state
            .store
            .update_round(&who, id, "cross-score", move |r| {
                for (m, p) in &scores {
                    r.record_cross(&me, m, *p)?;
                }
                Ok(())
            })
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(super::see_other(&format!(
            "/scoring/rounds/{id}#cross-score"
        ))),
        Err(e) => refused(&state, &ctx, id, e).await,
    }
}

#[derive(Deserialize)]
struct AdjustForm {
    member: String,
    delta: String,
    reason: String,
}

async fn adjust(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<AdjustForm>,
) -> Result<Response, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let who = ctx.require()?.username.clone();
    // Only the leader member's account: the core checks `by` is the leader.
    let me = s.me.clone().ok_or(AppError::Forbidden)?;
    if me != s.info.round.leader {
        return Err(AppError::Forbidden);
    }
    let result = async {
        let delta = points("delta", &f.delta)?;
        let member = MemberId(f.member.trim().to_owned());
        let reason = f.reason.clone();
        state
            .store
            .update_round(&who, id, "adjust", move |r| {
                r.adjust(&me, &member, delta, &reason)
            })
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(super::see_other(&format!("/scoring/rounds/{id}"))),
        Err(e) => refused(&state, &ctx, id, e).await,
    }
}

async fn close(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (s, who) = organised(&state, &ctx, id).await?;
    match state
        .store
        .close_round(&who, id, &default_ranking(s.info.round.config.max_total))
        .await
    {
        Ok(_) => Ok(super::see_other(&format!("/scoring/rounds/{id}#results"))),
        Err(e) => refused(&state, &ctx, id, e.into()).await,
    }
}

// ---- proposals ----

const DEFAULT_RULES: &str = "co-thi-dua-chinh-phu | Cờ thi đua của Chính phủ | 1 | 1 | \nbang-khen-thu-tuong | Bằng khen của Thủ tướng Chính phủ | 2 | 5 | ";

#[derive(Deserialize)]
struct ProposalForm {
    year: String,
    rules: String,
    #[serde(default)]
    one_award: Option<String>,
}

/// The catalogue name of an award code, or the code itself.
fn award_name(code: &str) -> String {
    tdkt_store::awards::catalogue()
        .get(code)
        .map_or_else(|| code.to_owned(), |a| a.name.clone())
}

/// Parses `award | title | max | top K | ballot id` lines; the award must be
/// in the catalogue, an empty title takes the catalogue's name.
fn parse_rules(text: &str) -> Result<Vec<(AwardRule, Option<i64>)>, AppError> {
    let mut out = Vec::new();
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let bad = |what: &str| invalid("rules", format!("Dòng {}: {what}.", i + 1));
        if cells.len() < 3 {
            return Err(bad("ghi “mã hình thức | tên | số lượng tối đa | chỉ trong K hạng đầu | số cuộc bỏ phiếu”"));
        }
        let Some(award) = tdkt_store::awards::catalogue().get(cells[0]) else {
            return Err(bad(&format!(
                "không có hình thức «{}» trong danh mục khen thưởng",
                cells[0]
            )));
        };
        let max_count = cells[2]
            .parse()
            .map_err(|_| bad("số lượng tối đa phải là số nguyên dương"))?;
        let top_k = match cells.get(3).copied().filter(|c| !c.is_empty()) {
            Some(k) => Some(k.parse().map_err(|_| bad("K phải là số nguyên dương"))?),
            None => None,
        };
        let ballot = match cells
            .get(4)
            .copied()
            .map(|c| c.trim_start_matches('#'))
            .filter(|c| !c.is_empty())
        {
            Some(b) => Some(
                b.parse::<i64>()
                    .map_err(|_| bad("số cuộc bỏ phiếu phải là số"))?,
            ),
            None => None,
        };
        out.push((
            AwardRule {
                award: award.code.clone(),
                title: if cells[1].is_empty() {
                    award.name.clone()
                } else {
                    cells[1].to_owned()
                },
                max_count,
                top_k,
                requires_ballot: ballot.is_some(),
            },
            ballot,
        ));
    }
    if out.is_empty() {
        return Err(invalid("rules", "Cần ít nhất một hình thức khen thưởng."));
    }
    Ok(out)
}

fn nominations_table(
    list: &[Nomination],
    names: &BTreeMap<String, String>,
    codes: &BTreeMap<i64, String>,
) -> Markup {
    html! {
        table.responsive #nominations {
            thead { tr { th { "Hình thức" } th { "Đơn vị được đề nghị" } th { "Năm" } th { "Căn cứ" } th { "Trạng thái" } } }
            tbody { @for n in list {
                tr {
                    td data-label="Hình thức" data-code=(n.award_code) { (award_name(&n.award_code)) }
                    td data-label="Đơn vị" { @if let Some(c) = n.unit_id.and_then(|u| codes.get(&u)) { (names.get(c).map_or(c.as_str(), String::as_str)) } }
                    td data-label="Năm" { (n.year) }
                    td data-label="Căn cứ" { ul { @for r in n.reasons() { li { (r) } } } @if let Some(b) = n.source_ballot_id { a href={ "/ballots/" (b) "/minutes" } { "Biên bản kiểm phiếu #" (b) } } }
                    td data-label="Trạng thái" { @if n.status == "proposed" { "đã đề nghị" } @else { (n.status) } }
                }
            } }
        }
    }
}

async fn proposals_markup(
    state: &SharedState,
    ctx: &Ctx,
    s: &Seen,
    err: Option<&AppError>,
    made: Option<&Proposals>,
    form: Option<&ProposalForm>,
) -> Result<Markup, AppError> {
    let names = names(state).await?;
    let codes: BTreeMap<i64, String> = state
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    let stored = state.store.nominations_of_round(s.info.id).await?;
    let closed = s.info.round.state == RoundState::Closed;
    Ok(ctx.page(
        "Đề nghị khen thưởng",
        html! {
            p.muted { a href={ "/scoring/rounds/" (s.info.id) } { (s.info.title) } }
            h1 { "Đề nghị khen thưởng" }
            (form_error(err))
            section.card {
                h2 { "Danh sách đã đề nghị" }
                @if stored.is_empty() { p.muted #no-nominations { "Chưa có đề nghị nào từ đợt chấm điểm này." } }
                @else { (nominations_table(&stored, &names, &codes)) }
            }
            @if let Some(p) = made {
                @if !p.not_proposed.is_empty() {
                    section.card #not-proposed {
                        h2 { "Không được đề nghị" }
                        ul { @for n in &p.not_proposed { li { (award_name(&n.award)) ": " (name_of(&names, &n.member)) " — " (n.reason) } } }
                    }
                }
            }
            @if s.manager && closed && stored.is_empty() {
                form.stack.card #proposal-form method="post" action={ "/scoring/rounds/" (s.info.id) "/proposals" } {
                    (ctx.csrf_field())
                    h2 { "Lập danh sách đề nghị" }
                    label { "Năm khen thưởng" input name="year" required inputmode="numeric" value=(form.map_or(String::new(), |f| f.year.clone())); }
                    label { "Giới hạn theo quy chế, mỗi dòng: mã hình thức | tên | số lượng tối đa | chỉ trong K hạng đầu | số cuộc bỏ phiếu (nếu cần bỏ phiếu)"
                        textarea name="rules" rows="4" required { (form.map_or(DEFAULT_RULES, |f| f.rules.as_str())) } }
                    label { input type="checkbox" name="one_award" value="1" checked; " Mỗi đơn vị chỉ được đề nghị một hình thức (cao nhất)" }
                    button type="submit" { "Lập và lưu danh sách đề nghị" }
                }
            }
        },
    ))
}

async fn proposals_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    proposals_markup(&state, &ctx, &s, None, None, None).await
}

async fn make_proposals(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ProposalForm>,
) -> Result<Response, AppError> {
    let (s, who) = organised(&state, &ctx, id).await?;
    let result = async {
        let year: i32 = f
            .year
            .trim()
            .parse()
            .ok()
            .filter(|y| (1945..=2100).contains(y))
            .ok_or_else(|| invalid("year", "Năm khen thưởng không hợp lệ."))?;
        let rules = parse_rules(&f.rules)?;
        let (_, ranking) = state.store.round_ranking(id).await?;
        let ranking = ranking
            .ok_or_else(|| invalid("round", "Đợt chấm điểm chưa khóa nên chưa có xếp hạng."))?;
        let mut ballots: BTreeMap<String, Outcome> = BTreeMap::new();
        let mut ballot_of: BTreeMap<String, i64> = BTreeMap::new();
        for (rule, ballot) in &rules {
            if let Some(b) = ballot {
                let info = state
                    .store
                    .ballot(*b)
                    .await
                    .map_err(|_| invalid("rules", format!("Không có cuộc bỏ phiếu #{b}.")))?;
                // A ballot outside the caller's scope is as unknown.
                authorize(
                    &state,
                    &ctx.user,
                    Action::RunEvaluation,
                    Some(info.unit_id),
                    &ctx.path,
                )
                .await
                .map_err(|_| invalid("rules", format!("Không có cuộc bỏ phiếu #{b}.")))?;
                if !info.closed {
                    return Err(invalid(
                        "rules",
                        format!("Cuộc bỏ phiếu #{b} chưa kết thúc nên chưa có kết quả."),
                    ));
                }
                ballots.insert(rule.award.clone(), state.store.ballot_result(*b).await?);
                ballot_of.insert(rule.award.clone(), *b);
            }
        }
        let config = ProposalConfig {
            rules: rules.into_iter().map(|(r, _)| r).collect(),
            one_award_per_member: f.one_award.is_some(),
        };
        let made =
            propose(&ranking, &ballots, &config).map_err(|e| invalid("rules", e.to_string()))?;
        let new: Vec<NewNomination> = made
            .proposals
            .iter()
            .map(|p| NewNomination {
                proposal: p.clone(),
                ballot_id: ballot_of.get(&p.award).copied(),
            })
            .collect();
        state.store.create_nominations(&who, id, year, &new).await?;
        Ok::<_, AppError>(made)
    }
    .await;
    match result {
        Ok(made) => Ok(proposals_markup(&state, &ctx, &s, None, Some(&made), None)
            .await?
            .into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => Ok((
            e.status(),
            proposals_markup(&state, &ctx, &s, Some(&e), None, Some(&f)).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

// ---- JSON API ----

const HERE: &str = "/api/v1/scoring";

async fn api_rubric(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Result<Json<Rubric>, AppError> {
    user.require(HERE)?;
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    Ok(Json(state.store.rubric(&code, q.version).await?))
}

async fn api_round(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let s = seen(&state, &user, id, HERE).await?;
    let r = &s.info.round;
    let (config, ranking) = state.store.round_ranking(id).await?;
    let closed = r.state == RoundState::Closed;
    Ok(Json(json!({
        "id": s.info.id, "unit_id": s.info.unit_id, "title": s.info.title, "context": s.info.context,
        "figures": s.info.figures.as_ref().map(|f| json!({"cluster_id": f.cluster_id, "period": f.period.code()})),
        "rubric": s.info.rubric, "members": r.members, "leader": r.leader, "closed": closed,
        "max_total": r.config.max_total, "self_scored": r.self_scores.len(),
        "ranking_config": config,
        // Scores are for the organisers while open, for everyone once closed.
        "results": (s.manager || closed).then(|| r.results()),
        "ranking": ranking,
    })))
}

async fn api_round_nominations(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Nomination>>, AppError> {
    seen(&state, &user, id, HERE).await?;
    Ok(Json(state.store.nominations_of_round(id).await?))
}

async fn api_nominations(
    State(state): State<SharedState>,
    user: CurrentUser,
) -> Result<Json<Vec<Nomination>>, AppError> {
    let who = user.require(HERE)?.clone();
    authorize(&state, &user, Action::RunEvaluation, None, HERE).await?;
    let list = match (who.role, who.scope_unit) {
        (Role::Admin, _) => state.store.nominations_in(None).await?,
        (_, Some(root)) => {
            let scope = state.store.lineage().await?.scope(root);
            state.store.nominations_in(Some(&scope)).await?
        }
        (_, None) => Vec::new(),
    };
    Ok(Json(list))
}
