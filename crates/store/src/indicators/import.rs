//! Bulk import of indicator values: [`IndicatorImport::push`] checks each row
//! against the clusters, pledges and units loaded by [`Store::plan_indicators`]
//! and collects the values (and the units and memberships to create);
//! [`Store::apply_indicators`] writes them in one transaction with batched
//! inserts.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tdkt_core::number::PercentKind;
use tdkt_core::org::{Unit, UnitId};
use tdkt_core::pledge::{ColumnError, Indicator, ValueFields, ValueRow};
use tdkt_core::text;
use time::{Date, Month};

use crate::audit::{audit, json};
use crate::clusters::{col_err, Cluster};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// Inserts a unit inside the open transaction `$tx`; evaluates to the unit
/// as stored. The caller audits it (one event for all the units an import
/// creates: on PostgreSQL, thousands of updates of the audit head in one
/// transaction grow slower with each).
macro_rules! insert_unit {
    ($tx:ident, $code:expr, $name:expr, $kind:expr, $parent:expr, $from:expr) => {{
        let (code, name, kind, parent, valid_from): (&str, &str, &str, Option<UnitId>, Date) =
            ($code, $name, $kind, $parent, $from);
        let id: i64 = sqlx::query_scalar(
            "insert into org_units (code, name, search_key, kind, parent_id, valid_from, valid_to)
             values ($1, $2, $3, $4, $5, $6, null) returning id",
        )
        .bind(code)
        .bind(name)
        .bind(text::fold(name))
        .bind(kind)
        .bind(parent)
        .bind(valid_from)
        .fetch_one(&mut *$tx)
        .await
        .map_err(StoreError::unique(
            "code",
            format!("Mã đơn vị «{code}» đã tồn tại."),
        ))?;
        let after = Unit {
            id,
            code: code.to_owned(),
            name: name.to_owned(),
            kind: kind.to_owned(),
            parent_id: parent,
            valid_from,
            valid_to: None,
        };
        after
    }};
}

/// Rows per multi-row `insert` (6 parameters each: under SQLite's 32 766).
const BATCH: usize = 5000;
/// Code, kind and start of the root unit an import creates on a fresh database.
const ROOT: (&str, &str, &str) = ("trung-uong", "Trung ương", "trung-uong");
/// Kind given to a member unit an import creates (a province, under the root).
const NEW_MEMBER_KIND: &str = "tinh";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum UnitRef {
    Existing(UnitId),
    /// Index into `new_units`.
    New(usize),
}

struct PlanCluster {
    cluster: Cluster,
    members: HashSet<UnitRef>,
    /// Indicator key → (id, indicator, what its percentages measure:
    /// inferred once, not per row).
    indicators: HashMap<String, (i64, Indicator, PercentKind)>,
}

struct NewUnitPlan {
    code: String,
    name: String,
    valid_from: Date,
}

struct PlannedValue {
    cluster: u32,
    period: u32,
    unit: UnitRef,
    indicator_id: i64,
    value: String,
}

/// An indicator import being checked: rows go in with [`push`], the store
/// writes it with [`Store::apply_indicators`].
///
/// [`push`]: IndicatorImport::push
pub struct IndicatorImport {
    create_missing: bool,
    units: Vec<Unit>,
    by_code: HashMap<String, usize>,
    by_fold: HashMap<String, Vec<usize>>,
    root_id: Option<UnitId>,
    clusters: Vec<PlanCluster>,
    cluster_by_key: HashMap<String, Vec<usize>>,
    new_units: Vec<NewUnitPlan>,
    new_by_fold: HashMap<String, usize>,
    new_members: Vec<(usize, UnitRef)>,
    periods: Vec<String>,
    period_ix: HashMap<String, u32>,
    values: Vec<PlannedValue>,
    seen: HashMap<(u32, u32, UnitRef, i64), u64>,
    /// Member as written → (cluster, period start, end) → unit: folding
    /// names is the costly part of a row, and files repeat members.
    resolved: HashMap<String, HashMap<(usize, Date, Date), UnitRef>>,
    /// What `--create-missing` created, in Vietnamese, one line each.
    pub created: Vec<String>,
}

/// What an import wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub imported: usize,
    /// Current values replaced by this import (kept as history).
    pub superseded: u64,
    pub created_units: usize,
    pub added_members: usize,
    pub submission_id: i64,
}

impl IndicatorImport {
    /// Values accepted so far.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Checks one row (file line `line`) and keeps its value.
    ///
    /// # Errors
    /// Every problem of the row, each naming its column, in Vietnamese;
    /// a refused row changes nothing in the import.
    pub fn push(&mut self, line: u64, f: &ValueFields<'_>) -> Result<(), Vec<ColumnError>> {
        let row = ValueRow::parse(f)?;
        let mut errors = Vec::new();
        let Some(ci) = self.find_cluster(&row, &mut errors) else {
            return Err(errors);
        };
        let pc = &self.clusters[ci];
        let year = pc.cluster.year;
        let indicator = match pc.indicators.get(row.indicator.as_str()) {
            Some((id, ind, kind)) => {
                // As `ValueRow::check_against`, with the percent kind cached.
                if row.unit != ind.unit {
                    errors.push(col_err(
                        "unit",
                        format!(
                            "chỉ tiêu «{}» tính bằng {}, không phải {}",
                            ind.name,
                            ind.unit.code(),
                            row.unit.code()
                        ),
                    ));
                } else if let Err(e) = ind.unit.validate(row.value, *kind) {
                    errors.push(col_err("value", e.to_string()));
                }
                Some(*id)
            }
            None => {
                errors.push(col_err(
                    "indicator",
                    format!(
                        "chỉ tiêu «{}» không có trong giao ước của cụm, khối «{}» năm {year}",
                        row.indicator, pc.cluster.key
                    ),
                ));
                None
            }
        };
        let span = (ci, row.period.start_date(), row.period.end_date());
        let member = match self
            .resolved
            .get(row.member.as_str())
            .and_then(|m| m.get(&span))
        {
            Some(u) => Some((*u, MemberCreation::None)),
            None => self.resolve_member(ci, &row, &mut errors),
        };
        let (Some(indicator_id), Some((unit, creation))) = (indicator, member) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let period_code = row.period.code();
        let pi = match self.period_ix.get(&period_code) {
            Some(i) => *i,
            None => {
                let i = u32::try_from(self.periods.len()).unwrap_or(u32::MAX);
                self.periods.push(period_code.clone());
                self.period_ix.insert(period_code, i);
                i
            }
        };
        let cix = u32::try_from(ci).unwrap_or(u32::MAX);
        // A unit about to be created cannot have a duplicate yet.
        let c = &self.clusters[ci].cluster;
        let unit = match creation {
            MemberCreation::None => unit,
            MemberCreation::Unit(plan) => {
                let i = self.new_units.len();
                self.created.push(format!(
                    "dòng {line}: tạo đơn vị «{}» (mã {}, loại {NEW_MEMBER_KIND}, thuộc {}, hiệu lực từ {}) và thêm vào cụm, khối «{}» năm {}",
                    plan.name, plan.code, ROOT.0, tdkt_core::date::format_vn(plan.valid_from), c.key, c.year
                ));
                self.new_by_fold.insert(text::fold(&plan.name), i);
                self.by_code_reserve(&plan.code);
                self.new_units.push(plan);
                UnitRef::New(i)
            }
            MemberCreation::Membership => unit,
        };
        if let Some(first) = self.seen.get(&(cix, pi, unit, indicator_id)) {
            return Err(vec![col_err(
                "member",
                format!(
                    "trùng với dòng {first}: «{}» đã có số liệu chỉ tiêu «{}» kỳ {}",
                    row.member,
                    row.indicator,
                    row.period.code()
                ),
            )]);
        }
        if !self.clusters[ci].members.contains(&unit) {
            let c = &self.clusters[ci].cluster;
            if !matches!(unit, UnitRef::New(_)) {
                self.created.push(format!(
                    "dòng {line}: thêm «{}» vào cụm, khối «{}» năm {}",
                    row.member, c.key, c.year
                ));
            }
            self.clusters[ci].members.insert(unit);
            self.new_members.push((ci, unit));
        }
        self.seen.insert((cix, pi, unit, indicator_id), line);
        match self.resolved.get_mut(row.member.as_str()) {
            Some(m) => {
                m.insert(span, unit);
            }
            None => {
                self.resolved
                    .insert(row.member.clone(), HashMap::from([(span, unit)]));
            }
        }
        self.values.push(PlannedValue {
            cluster: cix,
            period: pi,
            unit,
            indicator_id,
            value: row.value.normalize().to_string(),
        });
        Ok(())
    }

    fn by_code_reserve(&mut self, code: &str) {
        self.by_code.insert(code.to_owned(), usize::MAX);
    }

    fn find_cluster(&self, row: &ValueRow, errors: &mut Vec<ColumnError>) -> Option<usize> {
        let Some(candidates) = self.cluster_by_key.get(row.cluster.as_str()) else {
            errors.push(col_err(
                "cluster",
                format!(
                    "không có cụm, khối «{}»: hãy nhập giao ước trước (tdkt import pledge … --create-missing)",
                    row.cluster
                ),
            ));
            return None;
        };
        if let Some(i) = candidates
            .iter()
            .copied()
            .find(|i| row.period.within_year(self.clusters[*i].cluster.year))
        {
            return Some(i);
        }
        let years: Vec<String> = candidates
            .iter()
            .map(|i| self.clusters[*i].cluster.year.to_string())
            .collect();
        errors.push(col_err(
            "period",
            format!(
                "kỳ {} nằm ngoài năm {} của cụm, khối «{}»",
                row.period.label(),
                years.join(", "),
                row.cluster
            ),
        ));
        None
    }

    /// The member unit of the row, and what must be created for it.
    fn resolve_member(
        &self,
        ci: usize,
        row: &ValueRow,
        errors: &mut Vec<ColumnError>,
    ) -> Option<(UnitRef, MemberCreation)> {
        let pc = &self.clusters[ci];
        let (start, end) = (row.period.start_date(), row.period.end_date());
        let in_period = |u: &Unit| u.valid_from <= end && u.valid_to.is_none_or(|t| t >= start);
        let folded = text::fold(&row.member);
        let mut found: Vec<UnitRef> = Vec::new();
        if let Some(&i) = self.by_code.get(row.member.as_str()) {
            if let Some(u) = self.units.get(i).filter(|u| in_period(u)) {
                found.push(UnitRef::Existing(u.id));
            }
        }
        if found.is_empty() {
            if let Some(list) = self.by_fold.get(&folded) {
                found.extend(
                    list.iter()
                        .map(|i| &self.units[*i])
                        .filter(|u| in_period(u))
                        .map(|u| UnitRef::Existing(u.id)),
                );
            }
            if let Some(&i) = self.new_by_fold.get(&folded) {
                found.push(UnitRef::New(i));
            }
        }
        if found.len() > 1 {
            let members: Vec<UnitRef> = found
                .iter()
                .copied()
                .filter(|u| pc.members.contains(u))
                .collect();
            if members.len() == 1 {
                found = members;
            } else {
                let codes: Vec<String> = found
                    .iter()
                    .filter_map(|u| match u {
                        UnitRef::Existing(id) => self
                            .units
                            .iter()
                            .find(|x| x.id == *id)
                            .map(|x| x.code.clone()),
                        UnitRef::New(_) => None,
                    })
                    .collect();
                errors.push(col_err(
                    "member",
                    format!(
                        "«{}» khớp nhiều đơn vị ({}); hãy ghi mã đơn vị",
                        row.member,
                        codes.join(", ")
                    ),
                ));
                return None;
            }
        }
        match found.first() {
            Some(u) if pc.members.contains(u) => Some((*u, MemberCreation::None)),
            Some(u) if self.create_missing => Some((*u, MemberCreation::Membership)),
            Some(_) => {
                errors.push(col_err(
                    "member",
                    format!(
                        "«{}» không phải là thành viên của cụm, khối «{}» năm {}",
                        row.member, pc.cluster.key, pc.cluster.year
                    ),
                ));
                None
            }
            None if self.create_missing => {
                let base = text::slug(&row.member);
                let base = if base.is_empty() {
                    "don-vi".to_owned()
                } else {
                    base
                };
                let mut code = base.clone();
                let mut n = 2;
                while self.by_code.contains_key(&code) {
                    code = format!("{base}-{n}");
                    n += 1;
                }
                let valid_from =
                    Date::from_calendar_date(pc.cluster.year, Month::January, 1).unwrap_or(start);
                Some((
                    UnitRef::New(self.new_units.len()),
                    MemberCreation::Unit(NewUnitPlan {
                        code,
                        name: row.member.clone(),
                        valid_from,
                    }),
                ))
            }
            None => {
                errors.push(col_err(
                    "member",
                    format!(
                        "không tìm thấy đơn vị «{}» hoạt động trong kỳ {} (dùng --create-missing để tạo mới)",
                        row.member,
                        row.period.label()
                    ),
                ));
                None
            }
        }
    }
}

enum MemberCreation {
    None,
    Membership,
    Unit(NewUnitPlan),
}

impl Store {
    /// Loads what an import is checked against.
    ///
    /// # Errors
    /// Database failure.
    pub async fn plan_indicators(&self, create_missing: bool) -> Result<IndicatorImport> {
        let units = self.units().await?;
        let mut by_code = HashMap::new();
        let mut by_fold: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            by_code.insert(u.code.clone(), i);
            by_fold.entry(text::fold(&u.name)).or_default().push(i);
        }
        let root_id = units.iter().find(|u| u.code == ROOT.0).map(|u| u.id);
        let mut clusters = Vec::new();
        let mut cluster_by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let members: Vec<(i64, i64)> = with_pool!(self, |p| sqlx::query_as(
            "select cluster_id, unit_id from cluster_members"
        )
        .fetch_all(p)
        .await?);
        for c in self.clusters(None).await? {
            let indicators = self
                .pledge(c.id)
                .await?
                .into_iter()
                .map(|(id, ind)| {
                    let kind = ind.percent_kind();
                    (ind.key.to_string(), (id, ind, kind))
                })
                .collect();
            let m = members
                .iter()
                .filter(|(cid, _)| *cid == c.id)
                .map(|(_, u)| UnitRef::Existing(*u))
                .collect();
            cluster_by_key
                .entry(c.key.clone())
                .or_default()
                .push(clusters.len());
            clusters.push(PlanCluster {
                cluster: c,
                members: m,
                indicators,
            });
        }
        Ok(IndicatorImport {
            create_missing,
            units,
            by_code,
            by_fold,
            root_id,
            clusters,
            cluster_by_key,
            new_units: Vec::new(),
            new_by_fold: HashMap::new(),
            new_members: Vec::new(),
            periods: Vec::new(),
            period_ix: HashMap::new(),
            values: Vec::new(),
            seen: HashMap::new(),
            resolved: HashMap::new(),
            created: Vec::new(),
        })
    }

    /// Writes a checked import in one transaction: created units and
    /// memberships, one submission, the values (batched), each replacing
    /// the current value of its member, indicator and period (kept as
    /// history). `progress` is told the number of values written so far.
    ///
    /// # Errors
    /// Database failure (then nothing is written).
    pub async fn apply_indicators(
        &self,
        actor: &str,
        source: &str,
        plan: IndicatorImport,
        mut progress: impl FnMut(u64) + Send,
    ) -> Result<ImportSummary> {
        let at = crate::now_rfc3339();
        let root_from = Date::from_calendar_date(1945, Month::September, 2).unwrap_or(Date::MIN);
        let summary = write_tx!(self, |tx| {
            let mut summary = ImportSummary {
                imported: plan.values.len(),
                created_units: plan.new_units.len(),
                added_members: plan.new_members.len(),
                ..ImportSummary::default()
            };
            let submission_id: i64 = sqlx::query_scalar(
                "insert into indicator_submissions (at, actor, via, source) values ($1, $2, 'import', $3) returning id",
            )
            .bind(&at)
            .bind(actor)
            .bind(source)
            .fetch_one(&mut *tx)
            .await?;
            // Units first (and the root on a fresh database).
            let mut new_ids = Vec::with_capacity(plan.new_units.len());
            let mut created = Vec::with_capacity(plan.new_units.len());
            let mut root_id = plan.root_id;
            for u in &plan.new_units {
                let parent = match root_id {
                    Some(r) => r,
                    None => {
                        let root = insert_unit!(tx, ROOT.0, ROOT.1, ROOT.2, None, root_from);
                        audit!(tx, actor, "org_unit", root.id, "create", None, json(&root));
                        root_id = Some(root.id);
                        root.id
                    }
                };
                let unit = insert_unit!(
                    tx,
                    &u.code,
                    &u.name,
                    NEW_MEMBER_KIND,
                    Some(parent),
                    u.valid_from
                );
                new_ids.push(unit.id);
                created.push(unit);
            }
            if !created.is_empty() {
                audit!(
                    tx,
                    actor,
                    "org_unit",
                    format!("import:{submission_id}"),
                    "create_many",
                    None,
                    json(&created)
                );
            }
            let id_of = |u: UnitRef| match u {
                UnitRef::Existing(id) => id,
                UnitRef::New(i) => new_ids[i],
            };
            let mut next_position: HashMap<i64, i32> = HashMap::new();
            let mut added = Vec::with_capacity(plan.new_members.len());
            for (ci, u) in &plan.new_members {
                let cluster = &plan.clusters[*ci].cluster;
                let pos = match next_position.get(&cluster.id) {
                    Some(p) => *p,
                    None => sqlx::query_scalar(
                        "select coalesce(max(position), 0) + 1 from cluster_members where cluster_id = $1",
                    )
                    .bind(cluster.id)
                    .fetch_one(&mut *tx)
                    .await?,
                };
                next_position.insert(cluster.id, pos + 1);
                let unit_id = id_of(*u);
                sqlx::query("insert into cluster_members (cluster_id, unit_id, position) values ($1, $2, $3)")
                    .bind(cluster.id)
                    .bind(unit_id)
                    .bind(pos)
                    .execute(&mut *tx)
                    .await?;
                added.push(serde_json::json!({"cluster": cluster.key, "year": cluster.year, "unit_id": unit_id, "position": pos}));
            }
            if !added.is_empty() {
                audit!(
                    tx,
                    actor,
                    "cluster_member",
                    format!("import:{submission_id}"),
                    "create_many",
                    None,
                    json(&added)
                );
            }
            summary.submission_id = submission_id;
            // Corrections: only (cluster, period) pairs that already have
            // values need the per-row supersede (a first import skips it).
            let mut pairs: HashSet<(u32, u32)> = HashSet::new();
            for v in &plan.values {
                pairs.insert((v.cluster, v.period));
            }
            let mut existing: HashSet<(u32, u32)> = HashSet::new();
            for (c, p) in &pairs {
                let n: i64 = sqlx::query_scalar(
                    "select count(*) from indicator_values where cluster_id = $1 and period = $2 and superseded_at is null",
                )
                .bind(plan.clusters[*c as usize].cluster.id)
                .bind(&plan.periods[*p as usize])
                .fetch_one(&mut *tx)
                .await?;
                if n > 0 {
                    existing.insert((*c, *p));
                }
            }
            let mut written = 0u64;
            for chunk in plan.values.chunks(BATCH) {
                for v in chunk
                    .iter()
                    .filter(|v| existing.contains(&(v.cluster, v.period)))
                {
                    let r = sqlx::query(
                        "update indicator_values set superseded_at = $1
                         where cluster_id = $2 and period = $3 and unit_id = $4 and indicator_id = $5 and superseded_at is null",
                    )
                    .bind(&at)
                    .bind(plan.clusters[v.cluster as usize].cluster.id)
                    .bind(&plan.periods[v.period as usize])
                    .bind(id_of(v.unit))
                    .bind(v.indicator_id)
                    .execute(&mut *tx)
                    .await?;
                    summary.superseded += r.rows_affected();
                }
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into indicator_values (submission_id, cluster_id, period, unit_id, indicator_id, value) ",
                );
                qb.push_values(chunk, |mut b, v| {
                    b.push_bind(submission_id)
                        .push_bind(plan.clusters[v.cluster as usize].cluster.id)
                        .push_bind(plan.periods[v.period as usize].as_str())
                        .push_bind(id_of(v.unit))
                        .push_bind(v.indicator_id)
                        .push_bind(v.value.as_str());
                });
                qb.build().execute(&mut *tx).await?;
                written += chunk.len() as u64;
                progress(written);
            }
            let clusters: Vec<String> = pairs
                .iter()
                .map(|(c, p)| {
                    let c = &plan.clusters[*c as usize].cluster;
                    format!("{}/{}/{}", c.key, c.year, plan.periods[*p as usize])
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            audit!(
                tx,
                actor,
                "indicator_submission",
                submission_id,
                "import",
                None,
                json(&serde_json::json!({
                    "source": source, "values": summary.imported, "superseded": summary.superseded,
                    "created_units": summary.created_units, "added_members": summary.added_members,
                    "cluster_periods": clusters,
                }))
            );
            summary
        });
        Ok(summary)
    }
}
