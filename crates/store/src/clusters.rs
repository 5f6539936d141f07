//! Clusters and blocks (*cụm, khối thi đua*) per year, their members (org
//! units in being that year), leader and deputy, and the pledge (*giao ước*)
//! they sign: indicators with per-member targets. The pledge rows are parsed
//! and typed in `tdkt_core::pledge`; this module stores them.

use serde::Serialize;
use tdkt_core::org::{Unit, UnitId};
use tdkt_core::pledge::Key;
use tdkt_core::{text, DomainError};
use time::Date;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

mod pledge;
mod setup;

pub use pledge::PledgeImportSummary;
pub(crate) use pledge::{col_err, decimal};
pub use setup::ClusterSettings;

/// Cụm (peer units, e.g. provinces) or khối (e.g. a province's departments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterKind {
    Cluster,
    Block,
}

impl ClusterKind {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Cluster => "cluster",
            Self::Block => "block",
        }
    }

    /// `cluster`/`cụm`, `block`/`khối`.
    ///
    /// # Errors
    /// A Vietnamese reason naming the field `kind`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match text::fold(s).as_str() {
            "cluster" | "cum" => Ok(Self::Cluster),
            "block" | "khoi" => Ok(Self::Block),
            _ => Err(DomainError::invalid(
                "kind",
                format!("Loại «{s}» không hợp lệ (cụm hoặc khối)."),
            )),
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Cluster => "Cụm thi đua",
            Self::Block => "Khối thi đua",
        }
    }

    /// A name starting with *Khối* is a block; anything else a cluster.
    #[must_use]
    pub fn from_name(name: &str) -> Self {
        if text::fold(name).starts_with("khoi") {
            Self::Block
        } else {
            Self::Cluster
        }
    }
}

/// A cluster or block in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    pub id: i64,
    pub key: String,
    pub year: i32,
    pub name: String,
    pub kind: ClusterKind,
    pub leader_unit_id: Option<UnitId>,
    pub deputy_unit_id: Option<UnitId>,
    pub regulation: String,
    pub pledge_signed_on: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct ClusterRow {
    id: i64,
    key: String,
    year: i32,
    name: String,
    kind: String,
    leader_unit_id: Option<i64>,
    deputy_unit_id: Option<i64>,
    regulation: String,
    pledge_signed_on: Option<Date>,
}

impl From<ClusterRow> for Cluster {
    fn from(r: ClusterRow) -> Self {
        Self {
            id: r.id,
            key: r.key,
            year: r.year,
            name: r.name,
            kind: if r.kind == "block" {
                ClusterKind::Block
            } else {
                ClusterKind::Cluster
            },
            leader_unit_id: r.leader_unit_id,
            deputy_unit_id: r.deputy_unit_id,
            regulation: r.regulation,
            pledge_signed_on: r.pledge_signed_on,
        }
    }
}

const CLUSTER_COLS: &str =
    "id, key, year, name, kind, leader_unit_id, deputy_unit_id, regulation, pledge_signed_on";

/// A cluster as entered.
#[derive(Debug, Clone)]
pub struct NewCluster {
    pub key: Key,
    pub year: i32,
    pub name: String,
    pub kind: ClusterKind,
}

impl NewCluster {
    /// # Errors
    /// The first invalid field, in Vietnamese.
    pub fn parse(key: &str, year: &str, name: &str, kind: &str) -> Result<Self, DomainError> {
        let key = Key::parse(key)
            .map_err(|m| DomainError::invalid("key", format!("Mã cụm, khối: {m}.")))?;
        let year = year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1945..=2100).contains(y))
            .ok_or_else(|| {
                DomainError::invalid("year", "Năm phải có 4 chữ số, từ 1945 đến 2100.")
            })?;
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(DomainError::invalid(
                "name",
                "Tên cụm, khối không được để trống.",
            ));
        }
        let kind = if kind.trim().is_empty() {
            ClusterKind::from_name(&name)
        } else {
            ClusterKind::parse(kind)?
        };
        Ok(Self {
            key,
            year,
            name,
            kind,
        })
    }

    /// The name a cluster gets when an import creates it from its key alone
    /// (the officer renames it on the web).
    #[must_use]
    pub fn default_name(key: &str) -> String {
        format!("Cụm thi đua {key}")
    }
}

impl Store {
    /// Clusters and blocks, newest year first; `year` filters.
    ///
    /// # Errors
    /// Database failure.
    pub async fn clusters(&self, year: Option<i32>) -> Result<Vec<Cluster>> {
        let rows: Vec<ClusterRow> = with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "select {CLUSTER_COLS} from clusters where ($1 is null or year = $1) order by year desc, name"
        ))
        .bind(year)
        .fetch_all(p)
        .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// # Errors
    /// `NotFound` for an unknown key or year.
    pub async fn cluster(&self, key: &str, year: i32) -> Result<Cluster> {
        let row: Option<ClusterRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {CLUSTER_COLS} from clusters where key = $1 and year = $2"
        ))
        .bind(key)
        .bind(year)
        .fetch_optional(p)
        .await?);
        row.map(Into::into)
            .ok_or_else(|| StoreError::NotFound(format!("cụm, khối «{key}» năm {year}")))
    }

    /// # Errors
    /// `NotFound` for an unknown id.
    pub async fn cluster_by_id(&self, id: i64) -> Result<Cluster> {
        let row: Option<ClusterRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {CLUSTER_COLS} from clusters where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.map(Into::into)
            .ok_or_else(|| StoreError::NotFound(format!("cụm, khối #{id}")))
    }

    /// Creates a cluster or block for one year.
    ///
    /// # Errors
    /// The key already has a cluster that year.
    pub async fn create_cluster(&self, actor: &str, c: &NewCluster) -> Result<Cluster> {
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into clusters (key, year, name, kind) values ($1, $2, $3, $4) returning id",
            )
            .bind(c.key.as_str())
            .bind(c.year)
            .bind(&c.name)
            .bind(c.kind.code())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "key",
                format!("Cụm, khối «{}» năm {} đã tồn tại.", c.key, c.year),
            ))?;
            audit!(
                tx,
                actor,
                "cluster",
                id,
                "create",
                None,
                json(
                    &serde_json::json!({"key": c.key.as_str(), "year": c.year, "name": c.name, "kind": c.kind.code()})
                )
            );
            id
        });
        self.cluster_by_id(id).await
    }

    /// Renames a cluster, records its regulation, leader and deputy.
    ///
    /// # Errors
    /// Leader or deputy not a member; unknown cluster.
    pub async fn update_cluster(
        &self,
        actor: &str,
        id: i64,
        name: &str,
        regulation: &str,
        leader: Option<UnitId>,
        deputy: Option<UnitId>,
    ) -> Result<Cluster> {
        let before = self.cluster_by_id(id).await?;
        let members = self.cluster_members(id).await?;
        for (field, u) in [("leader", leader), ("deputy", deputy)] {
            if let Some(u) = u {
                if !members.iter().any(|m| m.id == u) {
                    return Err(DomainError::invalid(
                        field,
                        "Cụm trưởng, cụm phó phải là thành viên của cụm, khối.",
                    )
                    .into());
                }
            }
        }
        if leader.is_some() && leader == deputy {
            return Err(DomainError::invalid("deputy", "Cụm phó phải khác cụm trưởng.").into());
        }
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(DomainError::invalid("name", "Tên cụm, khối không được để trống.").into());
        }
        let after = Cluster {
            name: name.clone(),
            regulation: regulation.trim().to_owned(),
            leader_unit_id: leader,
            deputy_unit_id: deputy,
            kind: ClusterKind::from_name(&name),
            ..before.clone()
        };
        write_tx!(self, |tx| {
            sqlx::query(
                "update clusters set name = $1, kind = $2, regulation = $3, leader_unit_id = $4, deputy_unit_id = $5 where id = $6",
            )
            .bind(&after.name)
            .bind(after.kind.code())
            .bind(&after.regulation)
            .bind(leader)
            .bind(deputy)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                actor,
                "cluster",
                id,
                "update",
                json(&before),
                json(&after)
            );
        });
        self.cluster_by_id(id).await
    }

    /// Members of a cluster, in the cluster's order.
    ///
    /// # Errors
    /// Database failure.
    pub async fn cluster_members(&self, cluster_id: i64) -> Result<Vec<Unit>> {
        let ids: Vec<i64> = with_pool!(self, |p| {
            sqlx::query_scalar(
            "select unit_id from cluster_members where cluster_id = $1 order by position, unit_id"
        )
        .bind(cluster_id)
        .fetch_all(p)
        .await?
        });
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.unit(id).await?);
        }
        Ok(out)
    }

    /// The clusters (all years) a unit belongs to.
    ///
    /// # Errors
    /// Database failure.
    pub async fn clusters_of_unit(&self, unit_id: UnitId) -> Result<Vec<Cluster>> {
        let rows: Vec<ClusterRow> = with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "select {CLUSTER_COLS} from clusters where id in (select cluster_id from cluster_members where unit_id = $1) order by year desc, name"
        ))
        .bind(unit_id)
        .fetch_all(p)
        .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Adds a unit (in being in the cluster's year) as a member.
    ///
    /// # Errors
    /// Unknown unit, a unit not in being that year, already a member.
    pub async fn add_cluster_member(
        &self,
        actor: &str,
        cluster_id: i64,
        unit_code: &str,
    ) -> Result<()> {
        let cluster = self.cluster_by_id(cluster_id).await?;
        let unit = self.unit_by_code(unit_code).await.map_err(|_| {
            DomainError::invalid(
                "unit",
                format!("Không tìm thấy đơn vị có mã «{unit_code}»."),
            )
        })?;
        if !unit.valid_in_year(cluster.year) {
            return Err(DomainError::invalid(
                "unit",
                format!(
                    "Đơn vị «{}» không hoạt động trong năm {}.",
                    unit.name, cluster.year
                ),
            )
            .into());
        }
        write_tx!(self, |tx| {
            let position: i32 = sqlx::query_scalar(
                "select coalesce(max(position), 0) + 1 from cluster_members where cluster_id = $1",
            )
            .bind(cluster_id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "insert into cluster_members (cluster_id, unit_id, position) values ($1, $2, $3)",
            )
            .bind(cluster_id)
            .bind(unit.id)
            .bind(position)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "unit",
                format!("«{}» đã là thành viên của cụm, khối.", unit.name),
            ))?;
            audit!(
                tx,
                actor,
                "cluster_member",
                format!("{cluster_id}/{}", unit.id),
                "create",
                None,
                json(
                    &serde_json::json!({"cluster": cluster.key, "year": cluster.year, "unit": unit.code})
                )
            );
        });
        Ok(())
    }
}
