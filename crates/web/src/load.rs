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
