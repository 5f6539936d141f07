//! How a cluster-year is set up beyond its row (migration 0007): its
//! organiser and regulation parameters, removing a member, the day the pledge
//! was signed, and the leadership of past years.

use serde::Serialize;
use tdkt_core::org::UnitId;
use tdkt_core::DomainError;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// How a cluster-year is set up beyond its row: who organises it and its
/// regulation's parameters (migration 0007).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClusterSettings {
    /// The unit whose officers run the cluster with its leader (the level
    /// whose Hội đồng TĐKT organised it, Điều 16 Luật TĐKT 2022).
    pub organizer_unit_id: Option<UnitId>,
    pub regulation: tdkt_core::regulation::RegulationParams,
}

impl Store {
    /// # Errors
    /// Database failure; stored parameters that no longer parse.
    pub async fn cluster_settings(&self, cluster_id: i64) -> Result<ClusterSettings> {
        let row: Option<(Option<i64>, String)> = with_pool!(self, |p| {
            sqlx::query_as(
            "select organizer_unit_id, regulation_json from cluster_settings where cluster_id = $1"
        )
        .bind(cluster_id)
        .fetch_optional(p)
        .await?
        });
        let Some((organizer_unit_id, j)) = row else {
            return Ok(ClusterSettings::default());
        };
        let regulation = serde_json::from_str(&j)
            .map_err(|e| StoreError::Invalid(DomainError::invalid("regulation", e.to_string())))?;
        Ok(ClusterSettings {
            organizer_unit_id,
            regulation,
        })
    }

    /// Records the organising unit and the regulation's parameters (the
    /// regulation's title also goes to the cluster row, which the review
    /// report and older pages read).
    ///
    /// # Errors
    /// Unknown cluster.
    pub async fn set_cluster_settings(
        &self,
        actor: &str,
        cluster_id: i64,
        s: &ClusterSettings,
    ) -> Result<()> {
        let before = self.cluster_settings(cluster_id).await?;
        let c = self.cluster_by_id(cluster_id).await?;
        let j = serde_json::to_string(&s.regulation).unwrap_or_else(|_| "{}".into());
        write_tx!(self, |tx| {
            sqlx::query("delete from cluster_settings where cluster_id = $1")
                .bind(cluster_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into cluster_settings (cluster_id, organizer_unit_id, regulation_json) values ($1, $2, $3)",
            )
            .bind(cluster_id)
            .bind(s.organizer_unit_id)
            .bind(&j)
            .execute(&mut *tx)
            .await?;
            if !s.regulation.title.is_empty() && s.regulation.title != c.regulation {
                sqlx::query("update clusters set regulation = $1 where id = $2")
                    .bind(&s.regulation.title)
                    .bind(cluster_id)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                actor,
                "cluster_settings",
                cluster_id,
                "set",
                json(&before),
                json(s)
            );
        });
        Ok(())
    }

    /// Removes a member that has reported nothing yet (a member with
    /// figures stays: its history belongs to the cluster's reports).
    ///
    /// # Errors
    /// Not a member; the member has reported values.
    pub async fn remove_cluster_member(
        &self,
        actor: &str,
        cluster_id: i64,
        unit_id: UnitId,
    ) -> Result<()> {
        let c = self.cluster_by_id(cluster_id).await?;
        let reported: i64 = with_pool!(self, |p| sqlx::query_scalar(
            "select count(*) from indicator_values where cluster_id = $1 and unit_id = $2"
        )
        .bind(cluster_id)
        .bind(unit_id)
        .fetch_one(p)
        .await?);
        if reported > 0 {
            return Err(DomainError::invalid(
                "unit",
                "Thành viên đã có số liệu báo cáo, không thể bỏ khỏi cụm, khối.",
            )
            .into());
        }
        if c.leader_unit_id == Some(unit_id) || c.deputy_unit_id == Some(unit_id) {
            return Err(DomainError::invalid(
                "unit",
                "Đơn vị đang là cụm trưởng hoặc cụm phó; hãy chọn người khác trước.",
            )
            .into());
        }
        write_tx!(self, |tx| {
            let n = sqlx::query("delete from pledge_targets where unit_id = $1 and indicator_id in (select id from pledge_indicators where cluster_id = $2)")
                .bind(unit_id)
                .bind(cluster_id)
                .execute(&mut *tx)
                .await?;
            let _ = n;
            let done =
                sqlx::query("delete from cluster_members where cluster_id = $1 and unit_id = $2")
                    .bind(cluster_id)
                    .bind(unit_id)
                    .execute(&mut *tx)
                    .await?;
            if done.rows_affected() == 0 {
                return Err(DomainError::invalid(
                    "unit",
                    "Đơn vị không phải là thành viên của cụm, khối.",
                )
                .into());
            }
            audit!(
                tx,
                actor,
                "cluster_member",
                format!("{cluster_id}/{unit_id}"),
                "delete",
                json(&serde_json::json!({"cluster": c.key, "year": c.year, "unit_id": unit_id})),
                None
            );
        });
        Ok(())
    }

    /// Records the day the pledge was signed (or clears it with `None`).
    ///
    /// # Errors
    /// Unknown cluster; a day outside the cluster's year or the one before.
    pub async fn sign_pledge(
        &self,
        actor: &str,
        cluster_id: i64,
        on: Option<time::Date>,
    ) -> Result<()> {
        let c = self.cluster_by_id(cluster_id).await?;
        if let Some(d) = on {
            // A pledge is signed at the start of its year, or late in the
            // year before at the previous year's review.
            if d.year() != c.year && d.year() != c.year - 1 {
                return Err(DomainError::invalid(
                    "signed_on",
                    format!(
                        "Ngày ký giao ước phải thuộc năm {} hoặc cuối năm {}.",
                        c.year,
                        c.year - 1
                    ),
                )
                .into());
            }
        }
        write_tx!(self, |tx| {
            sqlx::query("update clusters set pledge_signed_on = $1 where id = $2")
                .bind(on)
                .bind(cluster_id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                actor,
                "cluster",
                cluster_id,
                "sign_pledge",
                json(
                    &serde_json::json!({"pledge_signed_on": c.pledge_signed_on.map(|d| d.to_string())})
                ),
                json(&serde_json::json!({"pledge_signed_on": on.map(|d| d.to_string())}))
            );
        });
        Ok(())
    }

    /// Who led and seconded the cluster `key` in the years before `year`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn leadership_history(
        &self,
        key: &str,
        year: i32,
    ) -> Result<Vec<tdkt_core::regulation::PastLeadership<UnitId>>> {
        Ok(self
            .clusters(None)
            .await?
            .into_iter()
            .filter(|c| c.key == key && c.year <= year)
            .map(|c| tdkt_core::regulation::PastLeadership {
                year: c.year,
                leader: c.leader_unit_id,
                deputy: c.deputy_unit_id,
            })
            .collect())
    }
}
