//! The JSON API under `/api/v1`. Same gates as the pages; errors are
//! `application/problem+json` with a Vietnamese `detail` and the `field`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tdkt_core::access::Action;
use tdkt_core::date::today_vn;
use tdkt_core::org::Unit;

use super::people::{authorize_unit_write, search, MoveForm, PersonForm, SearchQuery};
use super::units::{authorize_create, authorize_lineage, LineageForm, NewUnitForm};
use crate::auth::{authorize, CurrentUser};
use crate::load::readable_person;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/me", get(me))
        .route("/units", get(units).post(create_unit))
        .route("/units/{code}", get(unit))
        .route("/units/{code}/lineage", get(lineage))
        .route("/lineage", post(record_lineage))
        .route("/people", get(people).post(create_person))
        .route("/people/{id}", get(person))
        .route("/people/{id}/move", post(move_person))
}

const HERE: &str = "/api/v1";

async fn me(user: CurrentUser) -> Result<Json<Value>, AppError> {
    let p = user.require(HERE)?;
    Ok(Json(
        json!({"username": p.username, "full_name": p.full_name, "role": p.role.code(), "scope_unit_id": p.scope_unit}),
    ))
}

#[derive(Deserialize)]
struct UnitsQuery {
    q: Option<String>,
    at: Option<String>,
}

async fn units(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(q): Query<UnitsQuery>,
) -> Result<Json<Vec<Unit>>, AppError> {
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    let at =
        q.at.as_deref()
            .map(tdkt_core::date::parse)
            .transpose()
            .map_err(|m| AppError::Invalid {
                field: "at",
                message: m,
            })?;
    match q.q.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(query) => Ok(Json(state.store.find_units(query, at, 200).await?)),
        None => Ok(Json(
            state
                .store
                .units()
                .await?
                .into_iter()
                .filter(|u| at.is_none_or(|d| u.valid_on(d)))
                .collect(),
        )),
    }
}

async fn unit(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Json<Unit>, AppError> {
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    Ok(Json(state.store.unit_by_code(&code).await?))
}

#[derive(Serialize)]
struct UnitRef {
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct AtQuery {
    at: Option<String>,
}

async fn lineage(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<AtQuery>,
) -> Result<Json<Value>, AppError> {
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    let at = match q.at.as_deref() {
        Some(s) => tdkt_core::date::parse(s).map_err(|m| AppError::Invalid {
            field: "at",
            message: m,
        })?,
        None => today_vn(),
    };
    let l = state.store.lineage().await?;
    let u = l.by_code(&code).cloned().ok_or(AppError::NotFound)?;
    let r = |id| {
        l.unit(id).map(|u| UnitRef {
            code: u.code.clone(),
            name: u.name.clone(),
        })
    };
    let preds: Vec<Value> = l
        .predecessors(u.id)
        .into_iter()
        .filter_map(|p| {
            let unit = r(p.unit)?;
            Some(json!({"code": unit.code, "name": unit.name, "kind": p.kind.code(), "effective": p.effective.to_string(), "depth": p.depth}))
        })
        .collect();
    let formed: Vec<String> = l
        .formed_by(u.id)
        .map(|e| crate::view::formed_line(&l, e.kind, &e.from, e.effective))
        .collect();
    Ok(Json(json!({
        "unit": {"code": u.code, "name": u.name},
        "at": at.to_string(),
        "successors_at": l.successors_at(u.id, at).into_iter().filter_map(r).collect::<Vec<_>>(),
        "current": l.successors_at(u.id, today_vn()).into_iter().filter_map(r).collect::<Vec<_>>(),
        "predecessors": preds,
        "formed": formed,
    })))
}

async fn create_unit(
    State(state): State<SharedState>,
    user: CurrentUser,
    Json(f): Json<NewUnitForm>,
) -> Result<(StatusCode, Json<Unit>), AppError> {
    let who = user.require(HERE)?.username.clone();
    let new = f.parse()?;
    authorize_create(&state, &user, &new, HERE).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_unit(&who, &new).await?),
    ))
}

async fn record_lineage(
    State(state): State<SharedState>,
    user: CurrentUser,
    Json(f): Json<LineageForm>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let who = user.require(HERE)?.username.clone();
    let ev = f.parse()?;
    authorize_lineage(&state, &user, &ev, HERE).await?;
    let e = state.store.record_lineage(&who, &ev).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": e.id, "kind": e.kind.code(), "effective": e.effective.to_string()})),
    ))
}

async fn people(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Value>, AppError> {
    let who = user.require(HERE)?.clone();
    authorize(&state, &user, Action::ReadPeople, None, HERE).await?;
    let found = search(&state, &who, &q, HERE).await?;
    let next = (i64::try_from(found.len()) == Ok(super::people::PAGE_SIZE))
        .then(|| found.last().map(|p| p.id))
        .flatten();
    Ok(Json(json!({"items": found, "next_after": next})))
}

async fn person(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let p = readable_person(&state, &user, id, HERE).await?;
    let mut v = serde_json::to_value(&p).map_err(|e| AppError::Internal(e.to_string()))?;
    if authorize(&state, &user, Action::SeeFullCccd, Some(p.unit_id), HERE)
        .await
        .is_ok()
    {
        v["cccd"] = Value::String(state.store.reveal_cccd(p.id).await?);
    }
    Ok(Json(v))
}

async fn create_person(
    State(state): State<SharedState>,
    user: CurrentUser,
    Json(f): Json<PersonForm>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let who = user.require(HERE)?.username.clone();
    authorize(&state, &user, Action::WritePeople, None, HERE).await?;
    let new = f.parse()?;
    authorize_unit_write(&state, &user, &new.unit_code, HERE).await?;
    let p = state.store.create_person(&who, &new, today_vn()).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(&p).map_err(|e| AppError::Internal(e.to_string()))?),
    ))
}

async fn move_person(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(f): Json<MoveForm>,
) -> Result<Json<Value>, AppError> {
    let who = user.require(HERE)?.username.clone();
    let p = readable_person(&state, &user, id, HERE).await?;
    authorize(&state, &user, Action::WritePeople, Some(p.unit_id), HERE).await?;
    authorize_unit_write(&state, &user, &f.unit, HERE).await?;
    let from = tdkt_core::date::parse(&f.from).map_err(|m| AppError::Invalid {
        field: "from",
        message: m,
    })?;
    let p = state
        .store
        .update_person_unit(&who, id, &f.unit, from)
        .await?;
    Ok(Json(
        serde_json::to_value(&p).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}

async fn openapi() -> Json<Value> {
    Json(serde_json::from_str(include_str!("../../static/openapi.json")).unwrap_or(Value::Null))
}
