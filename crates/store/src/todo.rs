//! What a home page lists under «Việc cần làm» (issue 15): one query per
//! kind of item, each limited to the caller's units and to [`TODO_LIMIT`]
//! rows, so that the first page a person sees stays fast however large
//! the province. The two facts the reminders (`reminders.rs`) also tell,
//! reports not sent and dossiers due at a level, are read here once
//! ([`Store::unsent_reports`], [`Store::dossiers_due_held`]) and the
//! reminders are built from them, so the home page and the e-mail digest
//! cannot disagree.
//!
//! A scope is the set of units a caller works on (`None` = every unit, for
//! administrators), as `Lineage::scope` gives it.

use std::collections::BTreeSet;

use time::Date;

use crate::dossiers::DossierSummary;
use crate::{id_list, with_pool, Result, Store};
use tdkt_core::dossier::DueDate;
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

/// One member's report of a period, with a deadline, not sent.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnsentReport {
    pub cluster_key: String,
    pub cluster_year: i32,
    pub cluster_name: String,
    /// Period code (`2019-H1`).
    pub period: String,
    pub due_on: Date,
    pub unit_id: i64,
    pub unit_name: String,
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
    /// Each member's report of a period with a deadline that it has not
    /// sent (no current value), in clusters with a member or the organiser
    /// in `scope`; with `members_in_scope` only the members in `scope`
    /// (a submitter's own unit), else every member (the officer who follows
    /// the cluster); with `due` only deadlines in that range (inclusive).
    /// Latest deadline first, then by cluster, period and member.
    ///
    /// The one query of this fact: the home page counts it per cluster and
    /// period ([`Store::reports_due`]), the reminders list it per member
    /// (`Store::reminders_for`). A cluster has tens of members and a few
    /// deadlines a year, so the rows stay few.
    ///
    /// # Errors
    /// Database failure.
    pub async fn unsent_reports(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
        members_in_scope: bool,
        due: Option<(Date, Date)>,
    ) -> Result<Vec<UnsentReport>> {
        let counted = if members_in_scope {
            in_scope("m.unit_id", scope)
        } else {
            "1 = 1".to_owned()
        };
        let window = if due.is_some() {
            "d.due_on >= $1 and d.due_on <= $2"
        } else {
            "1 = 1"
        };
        let sql = format!(
            "select c.key as cluster_key, c.year as cluster_year, c.name as cluster_name,
                    d.period, d.due_on, m.unit_id, u.name as unit_name
             from report_deadlines d join clusters c on c.id = d.cluster_id
             join cluster_members m on m.cluster_id = c.id
             join org_units u on u.id = m.unit_id
             where {window} and {counted}
               and (exists (select 1 from cluster_members x where x.cluster_id = c.id and {mx})
                    or exists (select 1 from cluster_settings s where s.cluster_id = c.id and {sx}))
               and not exists (select 1 from indicator_values v
                                where v.cluster_id = c.id and v.period = d.period
                                  and v.unit_id = m.unit_id and v.superseded_at is null)
             order by d.due_on desc, c.name, c.key, c.year, d.period, u.name",
            mx = in_scope("x.unit_id", scope),
            sx = in_scope("s.organizer_unit_id", scope),
        );
        Ok(with_pool!(self, |p| {
            let q = sqlx::query_as(&sql);
            let q = match due {
                Some((from, to)) => q.bind(from).bind(to),
                None => q,
            };
            q.fetch_all(p).await?
        }))
    }

    /// Reporting periods of clusters with a member or the organiser in
    /// `scope` whose deadline is set and which some member has not
    /// reported, latest deadline first, at most [`TODO_LIMIT`]: the rows
    /// of [`Store::unsent_reports`] counted per cluster and period.
    ///
    /// # Errors
    /// Database failure.
    pub async fn reports_due(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
        members_in_scope: bool,
    ) -> Result<Vec<ReportDue>> {
        let mut out: Vec<ReportDue> = Vec::new();
        for r in self.unsent_reports(scope, members_in_scope, None).await? {
            match out.last_mut() {
                Some(last)
                    if last.cluster_key == r.cluster_key
                        && last.cluster_year == r.cluster_year
                        && last.period == r.period =>
                {
                    last.missing += 1;
                }
                _ => out.push(ReportDue {
                    cluster_key: r.cluster_key,
                    cluster_year: r.cluster_year,
                    cluster_name: r.cluster_name,
                    period: r.period,
                    due_on: r.due_on,
                    missing: 1,
                }),
            }
        }
        out.truncate(usize::try_from(TODO_LIMIT).unwrap_or(usize::MAX));
        Ok(out)
    }

    /// Open dossiers held by a level in `scope` (`None` = any) whose due
    /// date is on or before `until`, each with it, due first: the one
    /// reading of this fact for the home page's overdue count and the
    /// reminders (the level holding a dossier is the one to act).
    ///
    /// # Errors
    /// Database failure; a deadline past the calendar's years.
    pub async fn dossiers_due_held(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
        until: Date,
    ) -> Result<Vec<(DossierSummary, DueDate)>> {
        Ok(self
            .open_dossiers_due(scope)
            .await?
            .into_iter()
            .filter(|(s, due)| due.due <= until && scope.is_none_or(|u| u.contains(&s.holder_id)))
            .collect())
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
