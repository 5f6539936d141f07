//! Loading what the caller may see or act on, authorized once: a person it
//! may read (404 otherwise), the units on which it holds an action. Shared
//! by the areas so that none imports another's route module for them.

use tdkt_core::access::{self, Access, Action};
use tdkt_core::org::Unit;
use tdkt_store::people::Person;

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

/// Loads a person the caller may read (404 otherwise).
///
/// # Errors
/// 401/404.
pub async fn readable_person(
    state: &SharedState,
    user: &crate::auth::CurrentUser,
    id: i64,
    next: &str,
) -> Result<Person, AppError> {
    user.require(next)?;
    let person = state.store.person(id).await?;
    authorize(state, user, Action::ReadPeople, Some(person.unit_id), next).await?;
    Ok(person)
}

/// Units on which the caller holds `action` (one lineage load, not one
/// per unit).
pub(crate) async fn units_with(
    state: &SharedState,
    ctx: &Ctx,
    action: Action,
) -> Result<Vec<Unit>, AppError> {
    let lineage = state.store.lineage().await?;
    Ok(state
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u| {
            access::decide(ctx.principal(), action, Some(&lineage.ancestry(u.id)))
                == Access::Allowed
        })
        .collect())
}

/// The cluster-year a form names as `key/year`; `None` when left empty.
/// Clusters are read by everyone signed in (their list is public in the
/// app); what a caller may do with one is checked where it acts.
///
/// # Errors
/// Not `key/year`, or no such cluster-year (422 on `field`).
pub(crate) async fn cluster_named(
    state: &SharedState,
    field: &'static str,
    text: &str,
) -> Result<Option<tdkt_store::clusters::Cluster>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let invalid = |message: String| AppError::Invalid { field, message };
    let (key, year) = text
        .rsplit_once('/')
        .and_then(|(k, y)| Some((k, y.trim().parse::<i32>().ok()?)))
        .ok_or_else(|| {
            invalid("Ghi cụm, khối theo dạng mã/năm, vd. tay-nam-bo/2019.".to_owned())
        })?;
    let c = state
        .store
        .cluster(key.trim(), year)
        .await
        .map_err(|_| invalid(format!("Không có cụm, khối «{key}» năm {year}.")))?;
    Ok(Some(c))
}

/// The person, if the caller may write people in their unit.
pub async fn writable_person(
    state: &SharedState,
    ctx: &Ctx,
    id: i64,
) -> Result<(String, Person), AppError> {
    let who = ctx.require()?.username.clone();
    let p = readable_person(state, &ctx.user, id, &ctx.path).await?;
    authorize(
        state,
        &ctx.user,
        Action::WritePeople,
        Some(p.unit_id),
        &ctx.path,
    )
    .await?;
    Ok((who, p))
}
