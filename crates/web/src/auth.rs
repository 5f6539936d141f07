//! Who is asking: the session cookie resolved to a [`Principal`], and the one
//! gate every route passes, [`authorize`].

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use tdkt_core::access::{self, Access, Action, Principal};
use tdkt_core::org::UnitId;

use crate::{AppError, SharedState};

pub const SESSION_COOKIE: &str = "tdkt_session";

/// Value of cookie `name` in the request headers.
#[must_use]
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The signed-in user, if any. Extracting never fails: anonymous is `None`.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Option<Principal>);

impl FromRequestParts<SharedState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(u) = parts.extensions.get::<CurrentUser>() {
            return Ok(u.clone());
        }
        let user = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => state.store.session(&token).await?,
            None => None,
        };
        let u = CurrentUser(user);
        parts.extensions.insert(u.clone());
        Ok(u)
    }
}

impl CurrentUser {
    /// The principal, or a redirect to the login page (401 for the API).
    ///
    /// # Errors
    /// Not signed in.
    pub fn require(&self, next: &str) -> Result<&Principal, AppError> {
        self.0.as_ref().ok_or_else(|| AppError::Unauthenticated {
            next: next.to_owned(),
        })
    }
}

/// May `who` do `action` on `unit` (None = not about one unit)? Targets out
/// of scope answer 404, so that their existence is not revealed.
///
/// # Errors
/// 401/403/404 as [`AppError`].
pub async fn authorize(
    state: &SharedState,
    who: &CurrentUser,
    action: Action,
    unit: Option<UnitId>,
    next: &str,
) -> Result<(), AppError> {
    let ancestry = match unit {
        Some(u) => Some(state.store.lineage().await?.ancestry(u)),
        None => None,
    };
    match access::decide(who.0.as_ref(), action, ancestry.as_deref()) {
        Access::Allowed => Ok(()),
        Access::Unauthenticated => Err(AppError::Unauthenticated {
            next: next.to_owned(),
        }),
        Access::Forbidden => Err(AppError::Forbidden),
        Access::OutOfScope => Err(AppError::NotFound),
    }
}

/// The units whose people `who` may read (None = all).
///
/// # Errors
/// Database failure.
pub async fn people_scope(
    state: &SharedState,
    who: &Principal,
) -> Result<tdkt_store::people::PeopleScope, AppError> {
    scope_for(state, who, Action::ReadPeople).await
}

/// The units whose people a search for `q` may return: for a full CCCD,
/// only those whose number `who` may see ([`Action::SeeFullCccd`]: officers
/// of the subtree, admins); anyone else finds nothing, exactly as if no one
/// held the number, so that the search is no oracle of masked numbers
/// (issue 12). Other searches: the people `who` may read.
///
/// # Errors
/// Database failure.
pub async fn search_scope(
    state: &SharedState,
    who: &Principal,
    q: &str,
) -> Result<tdkt_store::people::PeopleScope, AppError> {
    let action = if tdkt_store::people::looks_like_cccd(q.trim()) {
        Action::SeeFullCccd
    } else {
        Action::ReadPeople
    };
    scope_for(state, who, action).await
}

/// The units on whose people `who` holds `action` (None = all).
async fn scope_for(
    state: &SharedState,
    who: &Principal,
    action: Action,
) -> Result<tdkt_store::people::PeopleScope, AppError> {
    use tdkt_store::people::PeopleScope;
    if !access::role_may(who.role, action) {
        return Ok(PeopleScope::Units(std::collections::BTreeSet::new()));
    }
    Ok(match (who.role, who.scope_unit) {
        (access::Role::Admin, _) => PeopleScope::All,
        (_, Some(root)) => PeopleScope::Units(state.store.lineage().await?.scope(root)),
        (_, None) => PeopleScope::Units(std::collections::BTreeSet::new()),
    })
}
