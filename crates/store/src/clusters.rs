//! Clusters and blocks (*cụm, khối thi đua*) per year, their members (org
//! units in being that year), leader and deputy, and the pledge (*giao ước*)
//! they sign: indicators with per-member targets. The pledge rows are parsed
//! and typed in `tdkt_core::pledge`; this module stores them.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;
use tdkt_core::number::Measure;
use tdkt_core::org::{Unit, UnitId};
use tdkt_core::pledge::{Aggregate, ColumnError, Direction, Indicator, Key, PledgeRow};
use tdkt_core::{text, DomainError};
use time::Date;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

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

/// What `import pledge` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PledgeImportSummary {
    pub rows: usize,
    pub created_clusters: Vec<String>,
    pub created_indicators: usize,
    pub updated_indicators: usize,
    pub unchanged_indicators: usize,
}

/// A rejected row of an import file: its line in the file and the errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub errors: Vec<ColumnError>,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "dòng {}, cột {}: {}", self.line, e.column, e.message)?;
        }
        Ok(())
    }
}

pub(crate) fn col_err(column: &'static str, message: impl Into<String>) -> ColumnError {
    ColumnError {
        column,
        message: message.into(),
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct IndicatorRow {
    pub id: i64,
    pub cluster_id: i64,
    pub key: String,
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub aggregate: String,
    pub threshold: Option<String>,
}

impl IndicatorRow {
    pub(crate) fn indicator(&self) -> Result<Indicator> {
        let bad = |m: String| StoreError::Invalid(DomainError::invalid("pledge", m));
        Ok(Indicator {
            key: Key::parse(&self.key).map_err(bad)?,
            name: self.name.clone(),
            unit: Measure::parse(&self.unit).map_err(|e| bad(e.to_string()))?,
            direction: Direction::parse(&self.direction).map_err(bad)?,
            aggregate: Aggregate::parse(&self.aggregate).map_err(bad)?,
            threshold: self.threshold.as_deref().map(decimal).transpose()?,
            targets: BTreeMap::new(),
        })
    }
}

/// Reads a stored decimal (text in both databases).
pub(crate) fn decimal(s: &str) -> Result<Decimal> {
    Decimal::from_str(s).map_err(|_| {
        StoreError::Invalid(DomainError::invalid(
            "value",
            format!("giá trị lưu trữ «{s}» không phải là số"),
        ))
    })
}

fn direction_code(d: Direction) -> &'static str {
    match d {
        Direction::Higher => "higher",
        Direction::Lower => "lower",
    }
}

fn aggregate_code(a: Aggregate) -> &'static str {
    match a {
        Aggregate::Mean => "mean",
        Aggregate::Sum => "sum",
    }
}

pub(crate) const INDICATOR_COLS: &str =
    "id, cluster_id, key, name, unit, direction, aggregate, threshold";

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

    /// The pledge of a cluster-year: its indicators in order, with the
    /// per-member targets keyed by member name.
    ///
    /// # Errors
    /// Database failure or a stored row that no longer parses.
    pub async fn pledge(&self, cluster_id: i64) -> Result<Vec<(i64, Indicator)>> {
        let rows: Vec<IndicatorRow> = with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "select {INDICATOR_COLS} from pledge_indicators where cluster_id = $1 order by position, id"
        ))
        .bind(cluster_id)
        .fetch_all(p)
        .await?
        });
        let targets: Vec<(i64, String, String)> = with_pool!(self, |p| sqlx::query_as(
            "select t.indicator_id, u.name, t.target from pledge_targets t
             join org_units u on u.id = t.unit_id
             join pledge_indicators i on i.id = t.indicator_id
             where i.cluster_id = $1"
        )
        .bind(cluster_id)
        .fetch_all(p)
        .await?);
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut ind = r.indicator()?;
            for (iid, member, target) in &targets {
                if *iid == r.id {
                    ind.targets.insert(member.clone(), decimal(target)?);
                }
            }
            out.push((r.id, ind));
        }
        Ok(out)
    }

    /// Sets (or with `None` clears) a member's own target for an indicator.
    ///
    /// # Errors
    /// Not a member; a target the unit does not allow.
    pub async fn set_target(
        &self,
        actor: &str,
        indicator_id: i64,
        unit_id: UnitId,
        target: Option<Decimal>,
    ) -> Result<()> {
        let row: IndicatorRow = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {INDICATOR_COLS} from pledge_indicators where id = $1"
        ))
        .bind(indicator_id)
        .fetch_optional(p)
        .await?)
        .ok_or_else(|| StoreError::NotFound(format!("chỉ tiêu #{indicator_id}")))?;
        let ind = row.indicator()?;
        if !self
            .cluster_members(row.cluster_id)
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
        if let Some(t) = target {
            ind.validate_value(t)
                .map_err(|e| DomainError::invalid("target", e.to_string()))?;
        }
        write_tx!(self, |tx| {
            sqlx::query("delete from pledge_targets where indicator_id = $1 and unit_id = $2")
                .bind(indicator_id)
                .bind(unit_id)
                .execute(&mut *tx)
                .await?;
            if let Some(t) = target {
                sqlx::query("insert into pledge_targets (indicator_id, unit_id, target) values ($1, $2, $3)")
                    .bind(indicator_id)
                    .bind(unit_id)
                    .bind(t.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                actor,
                "pledge_target",
                format!("{indicator_id}/{unit_id}"),
                "set",
                None,
                json(
                    &serde_json::json!({"indicator": ind.key, "unit_id": unit_id, "target": target.map(|t| t.to_string())})
                )
            );
        });
        Ok(())
    }

    /// Imports pledge rows (already parsed, each with its file line): all or
    /// nothing, in one transaction. A missing cluster-year is an error unless
    /// `create_missing`, which creates it (named from its key, or from
    /// `names`). An indicator already in the pledge is updated.
    ///
    /// # Errors
    /// `Ok(Err(rows))` when rows are refused (nothing written); `Err` for a
    /// database failure.
    pub async fn import_pledge(
        &self,
        actor: &str,
        rows: &[(u64, PledgeRow)],
        names: &BTreeMap<String, String>,
        create_missing: bool,
    ) -> Result<std::result::Result<PledgeImportSummary, Vec<RowError>>> {
        let existing = self.clusters(None).await?;
        let mut errors = Vec::new();
        let mut seen: BTreeMap<(String, i32, String), u64> = BTreeMap::new();
        let mut to_create: Vec<(String, i32)> = Vec::new();
        for (line, r) in rows {
            let k = (r.cluster.to_string(), r.year, r.indicator.key.to_string());
            if let Some(first) = seen.get(&k) {
                errors.push(RowError {
                    line: *line,
                    errors: vec![col_err(
                        "indicator",
                        format!(
                            "chỉ tiêu «{}» của cụm «{}» năm {} trùng với dòng {first}",
                            k.2, k.0, k.1
                        ),
                    )],
                });
                continue;
            }
            seen.insert(k, *line);
            let known = existing
                .iter()
                .any(|c| c.key == r.cluster.as_str() && c.year == r.year);
            if !known && !to_create.contains(&(r.cluster.to_string(), r.year)) {
                if create_missing {
                    to_create.push((r.cluster.to_string(), r.year));
                } else {
                    errors.push(RowError {
                        line: *line,
                        errors: vec![col_err(
                            "cluster",
                            format!(
                                "không có cụm, khối «{}» năm {} (dùng --create-missing để tạo mới)",
                                r.cluster, r.year
                            ),
                        )],
                    });
                }
            }
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let mut summary = PledgeImportSummary {
            rows: rows.len(),
            ..PledgeImportSummary::default()
        };
        write_tx!(self, |tx| {
            let mut ids: BTreeMap<(String, i32), i64> = existing
                .iter()
                .map(|c| ((c.key.clone(), c.year), c.id))
                .collect();
            for (key, year) in &to_create {
                let name = names
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| NewCluster::default_name(key));
                let kind = ClusterKind::from_name(&name);
                let id: i64 = sqlx::query_scalar(
                    "insert into clusters (key, year, name, kind) values ($1, $2, $3, $4) returning id",
                )
                .bind(key)
                .bind(*year)
                .bind(&name)
                .bind(kind.code())
                .fetch_one(&mut *tx)
                .await?;
                audit!(
                    tx,
                    actor,
                    "cluster",
                    id,
                    "create",
                    None,
                    json(
                        &serde_json::json!({"key": key, "year": year, "name": name, "kind": kind.code()})
                    )
                );
                ids.insert((key.clone(), *year), id);
                summary
                    .created_clusters
                    .push(format!("{key} ({year}): {name}"));
            }
            for (_, r) in rows {
                let cluster_id = ids[&(r.cluster.to_string(), r.year)];
                let i = &r.indicator;
                let old: Option<IndicatorRow> = sqlx::query_as(&format!(
                    "select {INDICATOR_COLS} from pledge_indicators where cluster_id = $1 and key = $2"
                ))
                .bind(cluster_id)
                .bind(i.key.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                let threshold = i.threshold.map(|t| t.normalize().to_string());
                let after = serde_json::json!({
                    "cluster": r.cluster, "year": r.year, "key": i.key, "name": i.name, "unit": i.unit.code(),
                    "direction": direction_code(i.direction), "aggregate": aggregate_code(i.aggregate), "threshold": threshold,
                });
                match old {
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "insert into pledge_indicators (cluster_id, key, name, unit, direction, aggregate, threshold, position)
                             values ($1, $2, $3, $4, $5, $6, $7, (select coalesce(max(position), 0) + 1 from pledge_indicators where cluster_id = $1))
                             returning id",
                        )
                        .bind(cluster_id)
                        .bind(i.key.as_str())
                        .bind(&i.name)
                        .bind(i.unit.code())
                        .bind(direction_code(i.direction))
                        .bind(aggregate_code(i.aggregate))
                        .bind(&threshold)
                        .fetch_one(&mut *tx)
                        .await?;
                        audit!(
                            tx,
                            actor,
                            "pledge_indicator",
                            id,
                            "create",
                            None,
                            json(&after)
                        );
                        summary.created_indicators += 1;
                    }
                    Some(o) => {
                        let same = o.name == i.name
                            && o.unit == i.unit.code()
                            && o.direction == direction_code(i.direction)
                            && o.aggregate == aggregate_code(i.aggregate)
                            && o.threshold == threshold;
                        if same {
                            summary.unchanged_indicators += 1;
                            continue;
                        }
                        sqlx::query(
                            "update pledge_indicators set name = $1, unit = $2, direction = $3, aggregate = $4, threshold = $5 where id = $6",
                        )
                        .bind(&i.name)
                        .bind(i.unit.code())
                        .bind(direction_code(i.direction))
                        .bind(aggregate_code(i.aggregate))
                        .bind(&threshold)
                        .bind(o.id)
                        .execute(&mut *tx)
                        .await?;
                        let before = serde_json::json!({
                            "key": o.key, "name": o.name, "unit": o.unit, "direction": o.direction,
                            "aggregate": o.aggregate, "threshold": o.threshold,
                        });
                        audit!(
                            tx,
                            actor,
                            "pledge_indicator",
                            o.id,
                            "update",
                            json(&before),
                            json(&after)
                        );
                        summary.updated_indicators += 1;
                    }
                }
            }
        });
        Ok(Ok(summary))
    }
}

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
