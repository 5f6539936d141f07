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

/// What [`cluster_reach`] finds.
#[derive(Clone)]
pub(crate) struct Reach {
    /// The units on which the caller holds the action (an organiser).
    pub(crate) own: Vec<Unit>,
    /// Those and the members of the clusters reached (members, candidates).
    pub(crate) units: Vec<Unit>,
    /// The cluster-years reached, latest year first.
    pub(crate) clusters: Vec<tdkt_store::clusters::Cluster>,
}

/// What a caller who holds `action` may pick in a form about clusters
/// (a ballot, a scoring round): the units on which it holds the action,
/// its peers (the units under the same parent as its own), the members of
/// the clusters it reaches (a cluster's round gathers provinces outside
/// the organiser's subtree), and those clusters. A
/// cluster is reached when its organiser, leader or one of its members is
/// among the caller's units; an administrator reaches every cluster.
/// Names of units and clusters are public in the app; what the caller may
/// do with a choice is checked where it acts.
///
/// # Errors
/// Database failure.
pub(crate) async fn cluster_reach(
    state: &SharedState,
    ctx: &Ctx,
    action: Action,
) -> Result<Reach, AppError> {
    let own = by_name(units_with(state, ctx, action).await?);
    let mut units = own.clone();
    let admin = ctx
        .principal()
        .is_some_and(|p| p.role == access::Role::Admin);
    let mine: std::collections::BTreeSet<_> = units.iter().map(|u| u.id).collect();
    let mut seen = mine.clone();
    // The caller's peers: the units beside its own under the same parent
    // (the provinces beside a province), which a round or a ballot among
    // provinces gathers whether or not a cluster is recorded for them.
    let root = ctx.principal().and_then(|p| p.scope_unit);
    let all = state.store.units().await?;
    let parent = all
        .iter()
        .find(|u| Some(u.id) == root)
        .and_then(|u| u.parent_id);
    for u in all {
        if parent.is_some() && u.parent_id == parent && seen.insert(u.id) {
            units.push(u);
        }
    }
    let mut clusters = Vec::new();
    for c in state.store.clusters(None).await? {
        let members = state.store.cluster_members(c.id).await?;
        let organizer = state.store.cluster_settings(c.id).await?.organizer_unit_id;
        let reached = admin
            || c.leader_unit_id
                .into_iter()
                .chain(organizer)
                .chain(members.iter().map(|u| u.id))
                .any(|u| mine.contains(&u));
        if reached {
            for u in members {
                if seen.insert(u.id) {
                    units.push(u);
                }
            }
            clusters.push(c);
        }
    }
    Ok(Reach {
        own,
        units: by_name(units),
        clusters,
    })
}

/// Units by name as a reader looks for them: «Đồng Tháp» among the D's.
pub(crate) fn by_name(mut units: Vec<Unit>) -> Vec<Unit> {
    units.sort_by_cached_key(|u| (tdkt_core::text::fold(&u.name), u.id));
    units
}
