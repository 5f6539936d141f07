//! Indicator values reported by cluster members, per period: bulk import
//! (planned in memory, then written in one transaction with batched
//! inserts), web submissions, corrections that keep history (a new row
//! supersedes the current one; the old row stays), the late and missing
//! lists, and what a review report is drafted from.
//!
//! An import is two steps so that nothing is written from a file with
//! errors: [`IndicatorImport::push`] checks each row against the clusters,
//! pledges and units loaded by [`Store::plan_indicators`] and collects the
//! values; [`Store::apply_indicators`] writes them.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use tdkt_core::org::{Unit, UnitId};
use tdkt_core::period::Period;
use tdkt_core::DomainError;
use time::Date;

use crate::audit::{audit, json};
use crate::clusters::decimal;
use crate::{with_pool, write_tx, Result, Store};

mod import;
mod reports;

pub use import::{ImportSummary, IndicatorImport};

/// A value as it was reported and, if corrected, when it was replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueVersion {
    pub value: Decimal,
    pub submitted_at: String,
    pub actor: String,
    pub via: String,
    pub superseded_at: Option<String>,
}

/// A member's reporting state for a period (late and missing lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberStatus {
    pub unit: Unit,
    /// Indicators with a current value, of the pledge's total.
    pub reported: usize,
    pub of: usize,
    /// First submission for the period (RFC 3339 UTC).
    pub first_submitted_at: Option<String>,
    /// Submitted after the deadline's day (Việt Nam time).
    pub late: bool,
}

impl MemberStatus {
    #[must_use]
    pub fn missing(&self) -> bool {
        self.reported < self.of
    }
}

impl Store {
    /// A member submits (or corrects) its values for a period on the web:
    /// each value replaces the current one, which is kept as history.
    ///
    /// # Errors
    /// Not a member; an indicator not in the pledge; a value its unit does
    /// not allow; a period outside the cluster's year.
    pub async fn submit_values(
        &self,
        actor: &str,
        cluster_id: i64,
        period: Period,
        unit_id: UnitId,
        values: &[(i64, Decimal)],
    ) -> Result<i64> {
        let cluster = self.cluster_by_id(cluster_id).await?;
        if !period.within_year(cluster.year) {
            return Err(DomainError::invalid(
                "period",
                format!(
                    "Kỳ {} nằm ngoài năm {} của cụm, khối.",
                    period.label(),
                    cluster.year
                ),
            )
            .into());
        }
        if !self
            .cluster_members(cluster_id)
            .await?
            .iter()
            .any(|m| m.id == unit_id)
        {
            return Err(DomainError::invalid(
                "unit",
                "Đơn vị không phải là thành viên của cụm, khối.",
            )
            .into());
        }
        let pledge = self.pledge(cluster_id).await?;
        for (iid, v) in values {
            let (_, ind) = pledge.iter().find(|(id, _)| id == iid).ok_or_else(|| {
                DomainError::invalid("indicator", "Chỉ tiêu không có trong giao ước.")
            })?;
            ind.validate_value(*v)
                .map_err(|e| DomainError::invalid("value", format!("{}: {e}", ind.name)))?;
        }
        let at = crate::now_rfc3339();
        let code = period.code();
        let id: i64 = write_tx!(self, |tx| {
            let sid: i64 = sqlx::query_scalar(
                "insert into indicator_submissions (at, actor, via, source) values ($1, $2, 'web', '') returning id",
            )
            .bind(&at)
            .bind(actor)
            .fetch_one(&mut *tx)
            .await?;
            let mut before = BTreeMap::new();
            for (iid, v) in values {
                let old: Option<String> = sqlx::query_scalar(
                    "update indicator_values set superseded_at = $1
                     where cluster_id = $2 and period = $3 and unit_id = $4 and indicator_id = $5 and superseded_at is null
                     returning value",
                )
                .bind(&at)
                .bind(cluster_id)
                .bind(&code)
                .bind(unit_id)
                .bind(*iid)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(o) = old {
                    before.insert(iid.to_string(), o);
                }
                sqlx::query(
                    "insert into indicator_values (submission_id, cluster_id, period, unit_id, indicator_id, value) values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(sid)
                .bind(cluster_id)
                .bind(&code)
                .bind(unit_id)
                .bind(*iid)
                .bind(v.normalize().to_string())
                .execute(&mut *tx)
                .await?;
            }
            let after: BTreeMap<String, String> = values
                .iter()
                .map(|(i, v)| (i.to_string(), v.normalize().to_string()))
                .collect();
            audit!(
                tx,
                actor,
                "indicator_submission",
                sid,
                "submit",
                if before.is_empty() {
                    None
                } else {
                    json(&serde_json::json!({"values": before}))
                },
                json(
                    &serde_json::json!({"cluster": cluster.key, "year": cluster.year, "period": code, "unit_id": unit_id, "values": after})
                )
            );
            sid
        });
        Ok(id)
    }

    /// Current values of a cluster-period: (unit id, indicator id, value).
    ///
    /// # Errors
    /// Database failure.
    pub async fn current_values(
        &self,
        cluster_id: i64,
        period: Period,
    ) -> Result<Vec<(UnitId, i64, Decimal)>> {
        let rows: Vec<(i64, i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "select unit_id, indicator_id, value from indicator_values
             where cluster_id = $1 and period = $2 and superseded_at is null order by id"
        )
        .bind(cluster_id)
        .bind(period.code())
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .map(|(u, i, v)| Ok((u, i, decimal(&v)?)))
            .collect()
    }

    /// Every version of one value, oldest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn value_history(
        &self,
        cluster_id: i64,
        period: Period,
        unit_id: UnitId,
        indicator_id: i64,
    ) -> Result<Vec<ValueVersion>> {
        let rows: Vec<(String, String, String, String, Option<String>)> = with_pool!(self, |p| {
            sqlx::query_as(
            "select v.value, s.at, s.actor, s.via, v.superseded_at from indicator_values v
             join indicator_submissions s on s.id = v.submission_id
             where v.cluster_id = $1 and v.period = $2 and v.unit_id = $3 and v.indicator_id = $4 order by v.id"
        )
        .bind(cluster_id)
        .bind(period.code())
        .bind(unit_id)
        .bind(indicator_id)
        .fetch_all(p)
        .await?
        });
        rows.into_iter()
            .map(|(value, submitted_at, actor, via, superseded_at)| {
                Ok(ValueVersion {
                    value: decimal(&value)?,
                    submitted_at,
                    actor,
                    via,
                    superseded_at,
                })
            })
            .collect()
    }

    /// Sets the day by which members must report a period.
    ///
    /// # Errors
    /// Database failure.
    pub async fn set_deadline(
        &self,
        actor: &str,
        cluster_id: i64,
        period: Period,
        due_on: Date,
    ) -> Result<()> {
        let code = period.code();
        write_tx!(self, |tx| {
            sqlx::query("delete from report_deadlines where cluster_id = $1 and period = $2")
                .bind(cluster_id)
                .bind(&code)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into report_deadlines (cluster_id, period, due_on) values ($1, $2, $3)",
            )
            .bind(cluster_id)
            .bind(&code)
            .bind(due_on)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                actor,
                "report_deadline",
                format!("{cluster_id}/{code}"),
                "set",
                None,
                json(
                    &serde_json::json!({"cluster_id": cluster_id, "period": code, "due_on": due_on.to_string()})
                )
            );
        });
        Ok(())
    }

    /// # Errors
    /// Database failure.
    pub async fn deadline(&self, cluster_id: i64, period: Period) -> Result<Option<Date>> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "select due_on from report_deadlines where cluster_id = $1 and period = $2"
        )
        .bind(cluster_id)
        .bind(period.code())
        .fetch_optional(p)
        .await?))
    }

    /// Each member's reporting state for the period, members in order.
    ///
    /// # Errors
    /// Database failure.
    pub async fn reporting_status(
        &self,
        cluster_id: i64,
        period: Period,
    ) -> Result<Vec<MemberStatus>> {
        let members = self.cluster_members(cluster_id).await?;
        let of = self.pledge(cluster_id).await?.len();
        let due = self.deadline(cluster_id, period).await?;
        let rows: Vec<(i64, i64, Option<String>)> = with_pool!(self, |p| sqlx::query_as(
            "select v.unit_id,
                    sum(case when v.superseded_at is null then 1 else 0 end),
                    min(s.at)
             from indicator_values v join indicator_submissions s on s.id = v.submission_id
             where v.cluster_id = $1 and v.period = $2 group by v.unit_id"
        )
        .bind(cluster_id)
        .bind(period.code())
        .fetch_all(p)
        .await?);
        Ok(members
            .into_iter()
            .map(|unit| {
                let r = rows.iter().find(|r| r.0 == unit.id);
                let first = r.and_then(|r| r.2.clone());
                let late = match (&first, due) {
                    (Some(at), Some(due)) => vn_date(at).is_some_and(|d| d > due),
                    _ => false,
                };
                MemberStatus {
                    reported: r.map_or(0, |r| usize::try_from(r.1).unwrap_or(0)),
                    of,
                    first_submitted_at: first,
                    late,
                    unit,
                }
            })
            .collect())
    }
}

/// The civil date in Việt Nam of an RFC 3339 instant.
fn vn_date(rfc3339: &str) -> Option<Date> {
    tdkt_core::date::instant_vn(rfc3339).map(time::OffsetDateTime::date)
}
