//! The pledge (*giao ước thi đua*) of a cluster-year: its indicators with
//! per-member targets, set one by one or imported from a file, and the
//! rejected rows of an import.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;
use tdkt_core::import::RowError;
use tdkt_core::number::Measure;
use tdkt_core::org::UnitId;
use tdkt_core::pledge::{Aggregate, ColumnError, Direction, Indicator, Key, PledgeRow};
use tdkt_core::DomainError;

use super::{ClusterKind, NewCluster};
use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// What `import pledge` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PledgeImportSummary {
    pub rows: usize,
    pub created_clusters: Vec<String>,
    pub created_indicators: usize,
    pub updated_indicators: usize,
    pub unchanged_indicators: usize,
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
    /// The indicator keys of `cluster`'s pledge, or of every pledge when
    /// `None`, each once with its name, in key order: what a rubric's
    /// formula may refer to. Where clusters name the same key differently,
    /// the newest year's name (then the alphabetically first cluster's) is
    /// the one shown. One statement, whatever the number of clusters.
    ///
    /// # Errors
    /// Database errors.
    pub async fn pledge_indicator_names(
        &self,
        cluster: Option<i64>,
    ) -> Result<Vec<(String, String)>> {
        let rows: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "select i.key, i.name from pledge_indicators i
             join clusters c on c.id = i.cluster_id
             where ($1 is null or i.cluster_id = $1)
             order by i.key, c.year desc, c.name, i.id"
        )
        .bind(cluster)
        .fetch_all(p)
        .await?);
        let mut out: Vec<(String, String)> = Vec::with_capacity(rows.len());
        for (key, name) in rows {
            // a key is unique within a pledge (0002), not across them
            if out.last().is_none_or(|(k, _)| *k != key) {
                out.push((key, name));
            }
        }
        Ok(out)
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
                errors.push(RowError::new(
                    *line,
                    "indicator",
                    format!(
                        "chỉ tiêu «{}» của cụm «{}» năm {} trùng với dòng {first}",
                        k.2, k.0, k.1
                    ),
                ));
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
                    errors.push(RowError::new(
                        *line,
                        "cluster",
                        format!(
                            "không có cụm, khối «{}» năm {} (dùng --create-missing để tạo mới)",
                            r.cluster, r.year
                        ),
                    ));
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
