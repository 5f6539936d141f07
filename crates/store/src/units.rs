//! Org units, unit kinds and lineage events.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tdkt_core::lineage::{Lineage, LineageEvent, LineageKind};
use tdkt_core::org::{self, NewUnit, Unit, UnitId};
use tdkt_core::{text, DomainError};
use time::Date;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: i64,
    code: String,
    name: String,
    kind: String,
    parent_id: Option<i64>,
    valid_from: Date,
    valid_to: Option<Date>,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Self {
        Self {
            id: r.id,
            code: r.code,
            name: r.name,
            kind: r.kind,
            parent_id: r.parent_id,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
        }
    }
}

const UNIT_COLS: &str = "id, code, name, kind, parent_id, valid_from, valid_to";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UnitKind {
    pub code: String,
    pub name: String,
    pub rank: i32,
}

/// A lineage event to record, with units named by code.
#[derive(Debug, Clone)]
pub struct NewLineageEvent {
    pub kind: LineageKind,
    pub effective: Date,
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// Rename: the new name. Transfer: the new parent's code.
    pub new_value: Option<String>,
    pub note: String,
}

impl Store {
    /// # Errors
    /// Database failure.
    pub async fn unit_kinds(&self) -> Result<Vec<UnitKind>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "select code, name, rank from unit_kinds order by rank, name"
        )
        .fetch_all(p)
        .await?))
    }

    /// Adds a unit kind (kinds are data).
    ///
    /// # Errors
    /// Duplicate code.
    pub async fn add_unit_kind(
        &self,
        actor: &str,
        code: &str,
        name: &str,
        rank: i32,
    ) -> Result<()> {
        write_tx!(self, |tx| {
            sqlx::query("insert into unit_kinds (code, name, rank) values ($1, $2, $3)")
                .bind(code)
                .bind(name)
                .bind(rank)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::unique(
                    "code",
                    format!("Loại đơn vị «{code}» đã tồn tại."),
                ))?;
            audit!(
                tx,
                actor,
                "unit_kind",
                code,
                "create",
                None,
                json(&serde_json::json!({"code": code, "name": name, "rank": rank}))
            );
        });
        Ok(())
    }

    /// # Errors
    /// Database failure.
    pub async fn units(&self) -> Result<Vec<Unit>> {
        let rows: Vec<UnitRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {UNIT_COLS} from org_units order by name, id"
        ))
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The unit of `code` for a write dated `at`: refused, naming the unit
    /// that carries it on, when the unit is not in being that day (issue
    /// 12, item 9; [`Lineage::require_in_being`]).
    ///
    /// # Errors
    /// Unknown code; a unit not yet formed or already ended on `at`.
    pub async fn unit_in_being(&self, code: &str, at: Date, field: &'static str) -> Result<Unit> {
        let code = code.trim();
        let unit = self.unit_by_code(code).await.map_err(|_| {
            DomainError::invalid(field, format!("Không tìm thấy đơn vị có mã «{code}»."))
        })?;
        self.lineage().await?.require_in_being(unit.id, at, field)?;
        Ok(unit)
    }

    /// # Errors
    /// `NotFound` when no unit has this code.
    pub async fn unit_by_code(&self, code: &str) -> Result<Unit> {
        let row: Option<UnitRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {UNIT_COLS} from org_units where code = $1"
        ))
        .bind(code)
        .fetch_optional(p)
        .await?);
        row.map(Into::into)
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã «{code}»")))
    }

    /// The units with these codes, by code, in one query per thousand
    /// codes: for a form or file that names units line by line. A code no
    /// unit has is absent from the map, so the caller names it in its own
    /// words.
    ///
    /// # Errors
    /// Database failure.
    pub async fn units_by_codes<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, Unit>> {
        let codes: Vec<&str> = codes
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut out = HashMap::with_capacity(codes.len());
        for chunk in codes.chunks(1000) {
            let params = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("select {UNIT_COLS} from org_units where code in ({params})");
            let rows: Vec<UnitRow> = with_pool!(self, |p| {
                let mut q = sqlx::query_as(&sql);
                for code in chunk {
                    q = q.bind(*code);
                }
                q.fetch_all(p).await?
            });
            out.extend(rows.into_iter().map(|r| (r.code.clone(), Unit::from(r))));
        }
        Ok(out)
    }

    /// # Errors
    /// `NotFound` when no unit has this id.
    pub async fn unit(&self, id: UnitId) -> Result<Unit> {
        let row: Option<UnitRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {UNIT_COLS} from org_units where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.map(Into::into)
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị #{id}")))
    }

    /// The whole lineage graph (all units and events).
    ///
    /// # Errors
    /// Database failure.
    pub async fn lineage(&self) -> Result<Lineage> {
        let units = self.units().await?;
        #[derive(sqlx::FromRow)]
        struct EventRow {
            id: i64,
            kind: String,
            effective: Date,
            detail: Option<String>,
            note: String,
        }
        let (events, links): (Vec<EventRow>, Vec<(i64, i64, String)>) = with_pool!(self, |p| (
            sqlx::query_as("select id, kind, effective, detail, note from lineage_events")
                .fetch_all(p)
                .await?,
            sqlx::query_as(
                "select event_id, unit_id, role from lineage_links order by event_id, position"
            )
            .fetch_all(p)
            .await?,
        ));
        let events = events
            .into_iter()
            .map(|e| {
                let pick = |role: &str| {
                    links
                        .iter()
                        .filter(|l| l.0 == e.id && l.2 == role)
                        .map(|l| l.1)
                        .collect()
                };
                Ok(LineageEvent {
                    id: e.id,
                    kind: LineageKind::parse(&e.kind)?,
                    effective: e.effective,
                    from: pick("from"),
                    to: pick("to"),
                    detail: e.detail,
                    note: e.note,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Lineage::new(units, events))
    }

    /// Creates a unit under an existing parent.
    ///
    /// # Errors
    /// Unknown kind or parent, duplicate code, a parent not in being at the
    /// unit's start: each names its field.
    pub async fn create_unit(&self, actor: &str, u: &NewUnit) -> Result<Unit> {
        let parent = match &u.parent_code {
            Some(pc) => Some(self.unit_by_code(pc).await.map_err(|_| {
                DomainError::invalid(
                    "parent",
                    format!("Không tìm thấy đơn vị cấp trên có mã «{pc}»."),
                )
            })?),
            None => None,
        };
        if let Some(p) = &parent {
            if p.valid_to.is_some_and(|t| t < u.valid_from) {
                return Err(DomainError::invalid(
                    "parent",
                    format!("Đơn vị cấp trên «{}» đã chấm dứt hoạt động trước ngày bắt đầu của đơn vị mới.", p.name),
                )
                .into());
            }
        }
        let kinds = self.unit_kinds().await?;
        if !kinds.iter().any(|k| k.code == u.kind) {
            return Err(DomainError::invalid(
                "kind",
                format!("Loại đơn vị «{}» không tồn tại.", u.kind),
            )
            .into());
        }
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into org_units (code, name, search_key, kind, parent_id, valid_from, valid_to)
                 values ($1, $2, $3, $4, $5, $6, $7) returning id",
            )
            .bind(&u.code)
            .bind(&u.name)
            .bind(text::fold(&u.name))
            .bind(&u.kind)
            .bind(parent.as_ref().map(|p| p.id))
            .bind(u.valid_from)
            .bind(u.valid_to)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique("code", format!("Mã đơn vị «{}» đã tồn tại.", u.code)))?;
            let after = Unit {
                id,
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                parent_id: parent.as_ref().map(|p| p.id),
                valid_from: u.valid_from,
                valid_to: u.valid_to,
            };
            audit!(tx, actor, "org_unit", id, "create", None, json(&after));
            id
        });
        self.unit(id).await
    }

    /// Moves a unit under another parent now (no lineage event; for
    /// corrections). A move that would close a cycle is refused.
    ///
    /// # Errors
    /// Unknown units or a cycle.
    pub async fn set_parent(&self, actor: &str, code: &str, parent_code: &str) -> Result<Unit> {
        let unit = self.unit_by_code(code).await?;
        let parent = self.unit_by_code(parent_code).await.map_err(|_| {
            DomainError::invalid(
                "parent",
                format!("Không tìm thấy đơn vị cấp trên có mã «{parent_code}»."),
            )
        })?;
        self.check_no_cycle(&unit, &parent).await?;
        write_tx!(self, |tx| {
            sqlx::query("update org_units set parent_id = $1 where id = $2")
                .bind(parent.id)
                .bind(unit.id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                actor,
                "org_unit",
                unit.id,
                "set_parent",
                json(&unit),
                json(&Unit {
                    parent_id: Some(parent.id),
                    ..unit.clone()
                })
            );
        });
        self.unit(unit.id).await
    }

    async fn check_no_cycle(&self, unit: &Unit, parent: &Unit) -> Result<()> {
        let parents: std::collections::HashMap<UnitId, Option<UnitId>> = self
            .units()
            .await?
            .into_iter()
            .map(|u| (u.id, u.parent_id))
            .collect();
        if org::creates_cycle(unit.id, parent.id, |u| parents.get(&u).copied().flatten()) {
            return Err(org::cycle_error(&unit.name, &parent.name).into());
        }
        Ok(())
    }

    /// Records a merge, split, rename, transfer or dissolution and applies
    /// it: the source units of a merge, split or dissolution end the day
    /// before; a rename changes the name (the former one is kept on the
    /// event); a transfer changes the parent.
    ///
    /// # Errors
    /// Any rule of [`Lineage::validate`], unknown codes, a cycle.
    pub async fn record_lineage(&self, actor: &str, ev: &NewLineageEvent) -> Result<LineageEvent> {
        let lineage = self.lineage().await?;
        let resolve = |codes: &[String], field: &'static str| -> Result<Vec<UnitId>> {
            codes
                .iter()
                .map(|c| {
                    lineage_unit_by_code(&lineage, c).ok_or_else(|| {
                        DomainError::invalid(field, format!("Không tìm thấy đơn vị có mã «{c}»."))
                            .into()
                    })
                })
                .collect()
        };
        let from = resolve(&ev.from, "from")?;
        let to = resolve(&ev.to, "to")?;
        lineage.validate(ev.kind, ev.effective, &from, &to)?;
        let source = lineage
            .unit(from[0])
            .cloned()
            .ok_or_else(|| StoreError::NotFound("đơn vị nguồn".into()))?;
        let (detail, new_parent) = match ev.kind {
            LineageKind::Rename => {
                let new_name = ev
                    .new_value
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty());
                if new_name.is_none() {
                    return Err(
                        DomainError::invalid("new_value", "Phải nhập tên mới của đơn vị.").into(),
                    );
                }
                (Some(source.name.clone()), None)
            }
            LineageKind::Transfer => {
                let pc = ev.new_value.as_deref().unwrap_or_default();
                let parent = self.unit_by_code(pc).await.map_err(|_| {
                    DomainError::invalid(
                        "new_value",
                        format!("Không tìm thấy đơn vị cấp trên mới có mã «{pc}»."),
                    )
                })?;
                if !parent.valid_on(ev.effective) {
                    return Err(DomainError::invalid(
                        "new_value",
                        format!(
                            "Đơn vị cấp trên mới «{}» không hoạt động vào ngày chuyển.",
                            parent.name
                        ),
                    )
                    .into());
                }
                self.check_no_cycle(&source, &parent).await?;
                let old_parent = match source.parent_id {
                    Some(pid) => lineage.unit(pid).map(|u| u.code.clone()),
                    None => None,
                };
                (old_parent, Some(parent))
            }
            _ => (None, None),
        };
        let day_before = ev
            .effective
            .previous_day()
            .ok_or_else(|| DomainError::invalid("effective_date", "Ngày hiệu lực không hợp lệ."))?;
        let event_id: i64 = write_tx!(self, |tx| {
            let event_id: i64 = sqlx::query_scalar("insert into lineage_events (kind, effective, detail, note) values ($1, $2, $3, $4) returning id")
                .bind(ev.kind.code())
                .bind(ev.effective)
                .bind(&detail)
                .bind(&ev.note)
                .fetch_one(&mut *tx)
                .await?;
            for (role, ids) in [("from", &from), ("to", &to)] {
                for (position, id) in (0i32..).zip(ids.iter()) {
                    sqlx::query("insert into lineage_links (event_id, unit_id, role, position) values ($1, $2, $3, $4)")
                        .bind(event_id)
                        .bind(*id)
                        .bind(role)
                        .bind(position)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            match ev.kind {
                k if k.ends_sources() => {
                    for id in from.iter().filter(|id| !to.contains(id)) {
                        sqlx::query("update org_units set valid_to = $1 where id = $2")
                            .bind(day_before)
                            .bind(*id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                LineageKind::Rename => {
                    let name = ev
                        .new_value
                        .as_deref()
                        .unwrap_or_default()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    sqlx::query("update org_units set name = $1, search_key = $2 where id = $3")
                        .bind(&name)
                        .bind(text::fold(&name))
                        .bind(source.id)
                        .execute(&mut *tx)
                        .await?;
                }
                LineageKind::Transfer => {
                    sqlx::query("update org_units set parent_id = $1 where id = $2")
                        .bind(new_parent.as_ref().map(|p| p.id))
                        .bind(source.id)
                        .execute(&mut *tx)
                        .await?;
                }
                _ => {}
            }
            let after = serde_json::json!({
                "kind": ev.kind.code(), "effective": ev.effective.to_string(), "from": ev.from, "to": ev.to,
                "detail": detail, "new_value": ev.new_value, "note": ev.note,
            });
            audit!(
                tx,
                actor,
                "lineage_event",
                event_id,
                "create",
                None,
                json(&after)
            );
            event_id
        });
        self.lineage()
            .await?
            .events()
            .iter()
            .find(|e| e.id == event_id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound("sự kiện vừa ghi".into()))
    }

    /// Units whose folded name contains every token of `query`, or whose
    /// code equals it; optionally only those in being on `at`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn find_units(&self, query: &str, at: Option<Date>, limit: i64) -> Result<Vec<Unit>> {
        let tokens = text::tokens(query);
        let rows: Vec<UnitRow> = with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "select {UNIT_COLS} from org_units where (code = "
            ));
            qb.push_bind(query.trim().to_owned());
            qb.push(" or (1 = 1");
            for t in &tokens {
                qb.push(" and search_key like ");
                qb.push_bind(format!("%{}%", like_escape(t)));
                qb.push(" escape '\\'");
            }
            qb.push("))");
            if let Some(d) = at {
                qb.push(" and valid_from <= ");
                qb.push_bind(d);
                qb.push(" and (valid_to is null or valid_to >= ");
                qb.push_bind(d);
                qb.push(")");
            }
            qb.push(" order by length(name), name limit ");
            qb.push_bind(limit);
            qb.build_query_as().fetch_all(p).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Direct children of a unit (all periods), by name.
    ///
    /// # Errors
    /// Database failure.
    pub async fn children(&self, id: UnitId) -> Result<Vec<Unit>> {
        let rows: Vec<UnitRow> = with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "select {UNIT_COLS} from org_units where parent_id = $1 order by valid_to is not null, name"
        ))
        .bind(id)
        .fetch_all(p)
        .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

fn lineage_unit_by_code(l: &Lineage, code: &str) -> Option<UnitId> {
    l.units().find(|u| u.code == code.trim()).map(|u| u.id)
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `escape '\'`.
#[must_use]
pub fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
