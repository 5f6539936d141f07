//! The scoring JSON API under /api/v1: rubrics, rounds and nominations.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};
use tdkt_core::access::{Action, Role};
use tdkt_core::rubric::Rubric;
use tdkt_core::scoring::RoundState;
use tdkt_store::rankings::Nomination;

use crate::auth::{authorize, CurrentUser};
use crate::{AppError, SharedState};

use super::rubrics::VersionQuery;
use super::seen;

const HERE: &str = "/api/v1/scoring";

pub(super) async fn api_rubric(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Result<Json<Rubric>, AppError> {
    user.require(HERE)?;
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    Ok(Json(state.store.rubric(&code, q.version).await?))
}

pub(super) async fn api_round(
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

pub(super) async fn api_round_nominations(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Nomination>>, AppError> {
    seen(&state, &user, id, HERE).await?;
    Ok(Json(state.store.nominations_of_round(id).await?))
}

pub(super) async fn api_nominations(
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
