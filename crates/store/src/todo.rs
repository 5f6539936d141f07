//! What a home page lists under «Việc cần làm» (issue 15): one query per
//! kind of item, each limited to the caller's units and to [`TODO_LIMIT`]
//! rows, so that the first page a person sees stays fast however large
//! the province.
//!
//! A scope is the set of units a caller works on (`None` = every unit, for
//! administrators), as `Lineage::scope` gives it.

use std::collections::BTreeSet;

use time::Date;

use crate::{id_list, with_pool, Result, Store};
use tdkt_core::org::UnitId;

/// At most this many rows of one kind; the page links to the full list.
pub const TODO_LIMIT: i64 = 20;

/// A cluster-year's reporting period with a deadline and members that
/// have not reported it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportDue {
    pub cluster_key: String,
    pub cluster_year: i32,
    pub cluster_name: String,
    /// Period code (`2019-H1`).
    pub period: String,
    pub due_on: Date,
    /// Members (in the caller's scope, when asked so) with no current value.
    pub missing: i64,
}

/// Counts of open dossiers held by a set of levels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DossiersHeld {
    /// Draft, pending, returned or ready for decision, held by one of the
    /// levels: each waits for that level to act (a ready one, to decide).
    pub open: i64,
    /// Of those, returned for supplement (trả lại để bổ sung).
    pub returned: i64,
}

/// A movement open now, with the units of its scope not yet registered.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegistrationsMissing {
    pub code: String,
    pub name: String,
    pub missing: i64,
}

fn in_scope(column: &str, scope: Option<&BTreeSet<UnitId>>) -> String {
    scope.map_or_else(
        || "1 = 1".to_owned(),
        |s| format!("{column} in ({})", id_list(s)),
    )
}

impl Store {
    /// Reporting periods of clusters with a member or the organiser in
    /// `scope` whose deadline is set and which some member has not
    /// reported, latest deadline first. With `members_in_scope` only the
    /// caller's own members count (a submitter's unit), else every member
    /// (the officer who follows the cluster).
    ///
    /// # Errors
    /// Database failure.
    pub async fn reports_due(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
        members_in_scope: bool,
    ) -> Result<Vec<ReportDue>> {
        let counted = if members_in_scope {
            in_scope("m.unit_id", scope)
        } else {
            "1 = 1".to_owned()
        };
        let sql = format!(
            "select * from (
               select c.key as cluster_key, c.year as cluster_year, c.name as cluster_name,
                      d.period, d.due_on,
                      (select count(*) from cluster_members m
                        where m.cluster_id = c.id and {counted}
                          and not exists (select 1 from indicator_values v
                                           where v.cluster_id = c.id and v.period = d.period
                                             and v.unit_id = m.unit_id and v.superseded_at is null)) as missing
               from report_deadlines d join clusters c on c.id = d.cluster_id
               where exists (select 1 from cluster_members x where x.cluster_id = c.id and {mx})
                  or exists (select 1 from cluster_settings s where s.cluster_id = c.id and {sx})
             ) t where t.missing > 0
             order by t.due_on desc, t.cluster_name limit {TODO_LIMIT}",
            mx = in_scope("x.unit_id", scope),
            sx = in_scope("s.organizer_unit_id", scope),
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .fetch_all(p)
            .await?))
    }

    /// Dossiers waiting for one of `holders` (`None` = any level): the
    /// dossier list's «Đang ở cấp của tôi», less those ended (decided, rejected).
    ///
    /// # Errors
    /// Database failure.
    pub async fn dossiers_held(&self, holders: Option<&BTreeSet<UnitId>>) -> Result<DossiersHeld> {
        let sql = format!(
            "select count(*),
                    coalesce(sum(case when d.status = 'returned' then 1 else 0 end), 0)
             from dossiers d join dossier_steps s on s.dossier_id = d.id and s.position = d.step
             where d.status in ('draft', 'pending', 'returned', 'ready') and {}",
            in_scope("s.unit_id", holders)
        );
        let (open, returned): (i64, i64) =
            with_pool!(self, |p| sqlx::query_as(&sql).fetch_one(p).await?);
        Ok(DossiersHeld { open, returned })
    }

    /// Open ballots on whose voter list `user_id` is and where they have
    /// not voted yet, newest first: `(id, title)`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn ballots_awaiting_vote(&self, user_id: i64) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "select b.id, b.title from ballots b join ballot_voters v on v.ballot_id = b.id
             where v.user_id = $1 and not b.closed
               and not exists (select 1 from ballot_participation p
                                where p.ballot_id = b.id and p.voter_id = $2)
             order by b.id desc limit {TODO_LIMIT}"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(user_id)
            .bind(user_id)
            .fetch_all(p)
            .await?))
    }

    /// Movements open at `now` (RFC 3339, UTC) with units of their scope
    /// in `scope` that have not registered themselves, most missing first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn registrations_missing(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
        now: &str,
    ) -> Result<Vec<RegistrationsMissing>> {
        let sql = format!(
            "select * from (
               select m.code, m.name,
                      (select count(*) from movement_scope s
                        where s.movement_id = m.id and {ss}
                          and not exists (select 1 from movement_registrations r
                                           where r.movement_id = m.id and r.unit_id = s.unit_id
                                             and r.person_id is null)) as missing
               from movements m where m.starts_at <= $1 and $2 < m.ends_at
             ) t where t.missing > 0
             order by t.missing desc, t.name limit {TODO_LIMIT}",
            ss = in_scope("s.unit_id", scope),
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(now)
            .bind(now)
            .fetch_all(p)
            .await?))
    }
}
