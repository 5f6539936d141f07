//! Opening a dossier: its route frozen from the unit's chain of levels on
//! the day it is received (`dossier_route`), by hand (`create_dossier`) or
//! from a submitted proposal list (`create_dossier_from_list`); dossier,
//! recipients, route, timeline and audit in one transaction.

use std::collections::HashMap;

use tdkt_core::catalogue::Recipient;
use tdkt_core::dossier::track::{Facts, Service};
use tdkt_core::dossier::{self, LevelClass, Regime, Route, RouteUnit, Track};
use tdkt_core::org::UnitId;
use time::Date;

use super::{award_of, invalid, NewDossier, NewRecipient};
use crate::audit::{audit, json};
use crate::{now_rfc3339, write_tx, Result, Store, StoreError};

impl Store {
    /// How to class a unit as a level of the route (by its code, kind and
    /// the kind's rank in the stored kinds).
    ///
    /// # Errors
    /// Database failure.
    pub async fn level_classes(
        &self,
    ) -> Result<impl Fn(&tdkt_core::org::Unit) -> LevelClass + use<>> {
        let ranks: HashMap<String, i64> = self
            .unit_kinds()
            .await?
            .into_iter()
            .map(|k| (k.code, i64::from(k.rank)))
            .collect();
        Ok(move |u: &tdkt_core::org::Unit| {
            LevelClass::of_unit(&u.code, &u.kind, ranks.get(&u.kind).copied().unwrap_or(3))
        })
    }

    /// The route a dossier for `award_code` opened by `unit_id` would take
    /// on `on`: the unit's ancestors by the tree, each classed by its kind.
    ///
    /// # Errors
    /// Unknown award or unit; no level that decides (see
    /// [`tdkt_core::dossier::route`]).
    pub async fn dossier_route(
        &self,
        unit_id: UnitId,
        award_code: &str,
        on: Date,
    ) -> Result<Route> {
        let award = award_of(award_code)?;
        let units: HashMap<i64, tdkt_core::org::Unit> =
            self.units().await?.into_iter().map(|u| (u.id, u)).collect();
        let classes = self.level_classes().await?;
        let as_route_unit = |u: &tdkt_core::org::Unit| RouteUnit {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            class: classes(u),
        };
        let origin = units
            .get(&unit_id)
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị #{unit_id}")))?;
        if !origin.valid_on(on) {
            return Err(invalid(
                "unit",
                format!(
                    "Đơn vị «{}» không hoạt động vào ngày {}.",
                    origin.name,
                    tdkt_core::date::format_vn(on)
                ),
            ));
        }
        let mut chain = Vec::new();
        let mut at = Some(unit_id);
        while let Some(id) = at {
            let Some(u) = units.get(&id) else { break };
            if chain.iter().any(|c: &RouteUnit| c.id == id) {
                break;
            }
            chain.push(as_route_unit(u));
            at = u.parent_id;
        }
        let bnv = units
            .values()
            .find(|u| u.code == dossier::route::HOME_AFFAIRS_CODE && u.valid_on(on))
            .map(as_route_unit);
        Ok(dossier::route(&award, &chain, bnv.as_ref(), on)?)
    }

    /// Opens a dossier by hand, at its unit, in draft.
    ///
    /// # Errors
    /// Unknown award or unit, an award not given to the recipients' kind,
    /// no recipient, a recipient of the wrong kind, no route: each names
    /// its field.
    pub async fn create_dossier(&self, actor: &str, new: &NewDossier) -> Result<i64> {
        self.insert_dossier(actor, new, None).await
    }

    /// Opens a dossier from a submitted proposal list: its unit, award,
    /// year and nominees.
    ///
    /// # Errors
    /// A list still in draft, or as [`Store::create_dossier`].
    pub async fn create_dossier_from_list(
        &self,
        actor: &str,
        list_id: i64,
        received_on: Date,
    ) -> Result<i64> {
        let list = self.proposal_list(list_id).await?;
        if list.is_draft() {
            return Err(invalid(
                "list",
                format!(
                    "Danh sách đề nghị #{list_id} chưa trình: trình danh sách trước khi lập hồ sơ."
                ),
            ));
        }
        let entries = self.proposal_entries(list_id).await?;
        let (kind, recipients) = if list.nominee_kind == "unit" {
            (
                Recipient::Collective,
                entries
                    .iter()
                    .filter_map(|e| e.nominee_unit_id.map(NewRecipient::Unit))
                    .collect(),
            )
        } else {
            (
                Recipient::Individual,
                entries
                    .iter()
                    .filter_map(|e| e.person_id.map(NewRecipient::Person))
                    .collect(),
            )
        };
        let award = award_of(&list.award_code)?;
        let new = NewDossier {
            unit_id: list.unit_id,
            award_code: list.award_code.clone(),
            kind,
            year: list.year,
            title: format!("Đề nghị «{}» năm {}", award.name, list.year),
            received_on,
            recipients,
            track: Track::Regular,
            acted_on: None,
            facts: Vec::new(),
        };
        self.insert_dossier(actor, &new, Some(list_id)).await
    }

    async fn insert_dossier(
        &self,
        actor: &str,
        new: &NewDossier,
        list: Option<i64>,
    ) -> Result<i64> {
        let award = award_of(&new.award_code)?;
        if !award.accepts(new.kind) {
            return Err(invalid(
                "kind",
                format!("«{}» không tặng cho {}.", award.name, new.kind.label()),
            ));
        }
        if new.recipients.is_empty() {
            return Err(invalid(
                "recipients",
                "Hồ sơ phải có ít nhất một cá nhân, tập thể hoặc hộ gia đình được đề nghị.",
            ));
        }
        for r in &new.recipients {
            let fits = matches!(
                (r, new.kind),
                (NewRecipient::Person(_), Recipient::Individual)
                    | (NewRecipient::Unit(_), Recipient::Collective)
                    | (NewRecipient::Household(_), Recipient::Household)
            );
            if !fits {
                return Err(invalid(
                    "recipients",
                    format!(
                        "Hồ sơ đề nghị cho {}: mọi người được đề nghị phải là {}.",
                        new.kind.label(),
                        new.kind.label()
                    ),
                ));
            }
            if let NewRecipient::Household(name) = r {
                if name.trim().is_empty() {
                    return Err(invalid(
                        "recipients",
                        "Tên hộ gia đình không được để trống.",
                    ));
                }
            }
        }
        let service: Vec<Option<Service>> = self.check_track(&award, new).await?;
        let route = self
            .dossier_route(new.unit_id, &award.code, new.received_on)
            .await?;
        let procedure = new.track.procedure();
        let regime = Regime::for_received(new.received_on);
        let title = new.title.trim().to_owned();
        let now = now_rfc3339();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into dossiers (unit_id, award_code, recipient_kind, year, title, proposal_list_id, status, step, arrived_on, received_on, regime, created_by, created_at, track, procedure, acted_on)
                 values ($1, $2, $3, $4, $5, $6, 'draft', 0, $7, $8, $9, $10, $11, $12, $13, $14) returning id",
            )
            .bind(new.unit_id)
            .bind(&award.code)
            .bind(new.kind.code())
            .bind(new.year)
            .bind(&title)
            .bind(list)
            .bind(new.received_on)
            .bind(new.received_on)
            .bind(regime.code())
            .bind(actor)
            .bind(&now)
            .bind(new.track.code())
            .bind(procedure.code())
            .bind(new.acted_on)
            .fetch_one(&mut *tx)
            .await?;
            for (i, s) in route.steps.iter().enumerate() {
                sqlx::query(
                    "insert into dossier_steps (dossier_id, position, unit_id, level_class) values ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(i32::try_from(i).unwrap_or(i32::MAX))
                .bind(s.id)
                .bind(s.class.code())
                .execute(&mut *tx)
                .await?;
            }
            let no_facts = Facts::default();
            for (i, r) in new.recipients.iter().enumerate() {
                let (p, u, h) = match r {
                    NewRecipient::Person(p) => (Some(*p), None, None),
                    NewRecipient::Unit(u) => (None, Some(*u), None),
                    NewRecipient::Household(h) => (None, None, Some(h.trim())),
                };
                let f = new.facts.get(i).unwrap_or(&no_facts);
                let rid: i64 = sqlx::query_scalar(
                    "insert into dossier_recipients (dossier_id, person_id, recipient_unit_id, household_name, war, took_part_from, took_part_to)
                     values ($1, $2, $3, $4, $5, $6, $7) returning id",
                )
                .bind(id)
                .bind(p)
                .bind(u)
                .bind(h)
                .bind(f.war.as_deref().map(str::trim))
                .bind(f.took_part_from)
                .bind(f.took_part_to)
                .fetch_one(&mut *tx)
                .await?;
                for s in &f.service {
                    sqlx::query(
                        "insert into dossier_service_periods (recipient_id, position, start_on, end_on) values ($1, $2, $3, $4)",
                    )
                    .bind(rid)
                    .bind(s.value.trim())
                    .bind(s.start)
                    .bind(s.end)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let detail = serde_json::json!({"route": route.steps.iter().map(|s| &s.code).collect::<Vec<_>>(), "regime": regime.code()});
            sqlx::query(
                "insert into dossier_events (dossier_id, at, actor, action, step, from_status, to_status, detail) values ($1, $2, $3, 'create', 0, null, 'draft', $4)",
            )
            .bind(id)
            .bind(&now)
            .bind(actor)
            .bind(detail.to_string())
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "unit_id": new.unit_id, "award": award.code, "kind": new.kind.code(), "year": new.year,
                "recipients": new.recipients.len(), "route": detail["route"], "regime": regime.code(),
                "received_on": new.received_on.to_string(), "proposal_list_id": list,
                "track": new.track.code(), "procedure": procedure.code(),
                "acted_on": new.acted_on.map(|d| d.to_string()),
                "service_days": service.iter().map(|s| s.map(|s| s.days)).collect::<Vec<_>>(),
            });
            audit!(tx, actor, "dossier", id, "create", None, json(&after));
            id
        });
        Ok(id)
    }
}
