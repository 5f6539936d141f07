//! The JSON API of ballots (`/api/v1/ballots/…`, `/api/v1/receipts/{code}`),
//! behind the same gates as the pages.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};
use tdkt_core::access::Action;
use tdkt_core::ballot::{
    BallotSpec, Base, Candidate, Content, Outcome, Question, Quorum, Threshold,
};
use tdkt_store::ballots::{BallotInfo, NewBallot, VoterStanding};

use super::new::{authorize_create, chosen_voters, voter_choices};
use super::{managed, seen};
use crate::auth::{authorize, CurrentUser};
use crate::load::cluster_named;
use crate::{AppError, SharedState};

/// `/api/v1/ballots/…` and `/api/v1/receipts/{code}`.
pub fn api_router() -> Router<SharedState> {
    Router::new()
        .route("/api/v1/ballots", get(api_list).post(api_create))
        .route("/api/v1/ballots/{id}", get(api_get))
        .route("/api/v1/ballots/{id}/votes", post(api_vote))
        .route("/api/v1/ballots/{id}/close", post(api_close))
        .route("/api/v1/ballots/{id}/result", get(api_result))
        .route("/api/v1/receipts/{code}", get(api_receipt))
}

const HERE: &str = "/api/v1/ballots";

fn ballot_json(b: &BallotInfo, standing: Option<VoterStanding>) -> Value {
    json!({
        "id": b.id, "unit_id": b.unit_id, "context": b.context, "title": b.spec.title,
        "question": b.spec.question, "candidates": b.spec.candidates, "eligible": b.spec.eligible,
        "quorum": b.spec.quorum, "threshold": b.spec.threshold, "closed": b.closed,
        "turnout": b.turnout, "created_by": b.created_by, "created_at": b.created_at,
        "closed_at": b.closed_at,
        "you": standing.map(|s| json!({"eligible": s.eligible, "voted": s.voted})),
    })
}

async fn api_list(
    State(state): State<SharedState>,
    user: CurrentUser,
) -> Result<Json<Value>, AppError> {
    let who = user.require(HERE)?.clone();
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    let voting: Vec<Value> = state
        .store
        .ballots_of_voter(who.user_id)
        .await?
        .iter()
        .map(|(b, voted)| {
            ballot_json(
                b,
                Some(VoterStanding {
                    eligible: true,
                    voted: *voted,
                }),
            )
        })
        .collect();
    let managed: Vec<Value> = managed(&state, &who)
        .await?
        .iter()
        .map(|b| ballot_json(b, None))
        .collect();
    Ok(Json(json!({"voting": voting, "managed": managed})))
}

#[derive(Deserialize)]
struct ApiNewBallot {
    unit: String,
    #[serde(default)]
    context: String,
    title: String,
    question: Question,
    candidates: Vec<Candidate>,
    voters: Vec<String>,
    /// `key/year` of the cluster whose regulation sets quorum and threshold.
    #[serde(default)]
    cluster: String,
    #[serde(default)]
    quorum: Option<Quorum>,
    #[serde(default)]
    threshold: Option<Threshold>,
}

async fn api_create(
    State(state): State<SharedState>,
    user: CurrentUser,
    Json(body): Json<ApiNewBallot>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let principal = user.require(HERE)?.clone();
    let who = principal.username.clone();
    authorize_create(&state, &user, &body.unit, HERE).await?;
    let choices = voter_choices(&state, &principal).await?;
    let cluster = cluster_named(&state, "cluster", &body.cluster).await?;
    let missing = |field: &'static str| AppError::Invalid {
        field,
        message: format!("Cần «{field}» khi cuộc bỏ phiếu không theo quy chế của cụm, khối."),
    };
    let (quorum, threshold) = match (&cluster, body.quorum, body.threshold) {
        // set by the cluster's regulation in the store
        (Some(_), _, _) => (
            Quorum { num: 2, den: 3 },
            Threshold::new(Decimal::ONE_HUNDRED, Base::Eligible),
        ),
        (None, Some(q), Some(t)) => (q, t),
        (None, None, _) => return Err(missing("quorum")),
        (None, _, None) => return Err(missing("threshold")),
    };
    let new = NewBallot {
        unit_code: body.unit,
        context: body.context,
        spec: BallotSpec {
            title: body.title,
            question: body.question,
            candidates: body.candidates,
            eligible: 0,
            quorum,
            threshold,
        },
        voters: chosen_voters(&choices, &body.voters)?,
        cluster_id: cluster.map(|c| c.id),
    };
    let b = state.store.create_ballot(&who, &new).await?;
    Ok((StatusCode::CREATED, Json(ballot_json(&b, None))))
}

async fn api_get(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let s = seen(&state, &user, id, HERE).await?;
    Ok(Json(ballot_json(&s.info, Some(s.standing))))
}

async fn api_vote(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(content): Json<Content>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let s = seen(&state, &user, id, HERE).await?;
    let who = user.require(HERE)?;
    let code = state
        .store
        .cast_vote(s.info.id, who.user_id, content)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"receipt": code}))))
}

async fn api_close(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Outcome>, AppError> {
    let who = user.require(HERE)?.username.clone();
    let s = seen(&state, &user, id, HERE).await?;
    authorize(
        &state,
        &user,
        Action::RunEvaluation,
        Some(s.info.unit_id),
        HERE,
    )
    .await?;
    Ok(Json(state.store.close_ballot(&who, id).await?))
}

async fn api_result(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Outcome>, AppError> {
    seen(&state, &user, id, HERE).await?;
    Ok(Json(state.store.ballot_result(id).await?))
}

async fn api_receipt(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Json<Value>, AppError> {
    user.require(HERE)?;
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    match state.store.verify_receipt(&code).await? {
        Some(r) => Ok(Json(
            json!({"counted": true, "ballot_id": r.ballot_id, "title": r.title, "closed": r.closed}),
        )),
        None => Err(AppError::NotFound),
    }
}
