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

use std::collections::BTreeMap;

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use rust_decimal::Decimal;
use tdkt_core::access::{role_may, Action, Principal, Role};
use tdkt_core::number::parse_vi;
use tdkt_core::ranking::{Band, Bands, RankingConfig, TieBreak};
use tdkt_core::rubric::ItemKind;
use tdkt_core::scoring::{MemberId, Round, RoundState};
use tdkt_store::scoring::RoundInfo;

use crate::auth::{authorize, CurrentUser};
use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub mod xlsx;

mod api;
mod open;
mod proposals;
mod round;
mod rounds_list;
mod rubric_editor;
mod rubrics;

use api::{api_nominations, api_round, api_round_nominations, api_rubric};
use open::{open_round, round_form, RoundChoices};
use proposals::{make_proposals, proposals_page};
use round::{adjust, close, cross_score, round_page, self_score};
use rubric_editor::RubricForm;
use rubrics::{
    create_rubric, export_json, export_xlsx, indicator_choices, new_rubric, rubric_form,
    rubric_page,
};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/scoring", get(index))
        .route("/scoring/rubrics", get(new_rubric).post(create_rubric))
        .route("/scoring/rubric-template.xlsx", get(xlsx::template))
        .route("/scoring/rubrics/{code}", get(rubric_page))
        .route("/scoring/rubrics/{code}/{version}/xlsx", get(export_xlsx))
        .route("/scoring/rubrics/{code}/{version}/json", get(export_json))
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
///
/// # Panics
/// Never: the four default bands are distinct.
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
    parse_vi(s).map_err(|e| invalid(field, e.to_string()))
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

/// The member unit of a user: the code of its scope unit (whatever its role:
/// who may *score* for it is [`Seen::me`]).
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
    /// The member the caller scores for: its scope unit is a member of the
    /// round and its role may score ([`Action::ScoreAsMember`]). A viewer or
    /// council member of a member unit sees the round but is never `me`.
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
    let member = member_code(state, &who)
        .await?
        .filter(|m| info.round.members.contains(m));
    if !manager && member.is_none() {
        return Err(AppError::NotFound);
    }
    // The action, not only the subtree (issue 12): reading roles of a
    // member unit see the round, only writing roles score for it.
    let me = member.filter(|_| role_may(who.role, Action::ScoreAsMember));
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

// ---- index ----

async fn index(
    State(state): State<SharedState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<crate::listing::ListQuery>,
) -> Result<axum::response::Response, AppError> {
    let who = ctx.require()?.clone();
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let (managed, mine) = visible_rounds(&state, &who).await?;
    let lineage = state.store.lineage().await?;
    let managed: Vec<(RoundInfo, String)> = managed
        .into_iter()
        .map(|r| {
            let unit = lineage
                .unit(r.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (r, unit)
        })
        .collect();
    let view = rounds_list::view(&q);
    let found = rounds_list::arrange(&view, managed);
    if let Some(f) = view.format {
        return crate::listing::export(
            f,
            "Đợt chấm điểm",
            "dot-cham-diem",
            &rounds_list::COLUMNS,
            found.rows.iter().map(rounds_list::row),
        );
    }
    let may_run = role_may(who.role, Action::RunEvaluation);
    let rubrics = state.store.rubrics().await?;
    let choices = if may_run {
        Some(RoundChoices::load(&state, &ctx).await?)
    } else {
        None
    };
    let indicators = if may_run {
        indicator_choices(&state, "").await?
    } else {
        Vec::new()
    };
    Ok(axum::response::IntoResponse::into_response(ctx.page(
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
                    (rounds_list::section(&view, &found))
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
            @if let Some(choices) = &choices {
                details.card #new-round {
                    summary { "Mở đợt chấm điểm mới" }
                    (round_form(&ctx, &rubrics, choices, &[], None))
                }
                details.card #new-rubric {
                    summary { "Thêm bảng tiêu chí (hoặc phiên bản mới)" }
                    p { a href="/scoring/rubrics" { "Mở trang soạn bảng tiêu chí" } " (rộng hơn, hợp với điện thoại)." }
                    (rubric_form(&ctx, &RubricForm::default(), &[], &indicators, Some(&choices.reach())))
                }
            }
        },
      )))
}
