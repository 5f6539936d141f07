//! Dossiers (*hồ sơ đề nghị khen thưởng*, issue 14, migration 0023): opened
//! by hand or from a submitted proposal list, carried up a route frozen
//! when they are opened, acted on by the level holding them.
//!
//! The rules are in [`tdkt_core::dossier`]: the route, the legal
//! transitions, the checklist and the deadlines. Here every act reads the
//! dossier, asks [`tdkt_core::dossier::next`] with the documents still
//! missing (attachments of the checklist, migration 0022), and writes the
//! new state, one timeline row and the audit event in one transaction: a
//! refusal changes nothing.
//!
//! Only an account of the level holding the dossier may act on it (its
//! scope unit is that level's unit; administrators anywhere). Reading is
//! wider: any account whose subtree holds a level the dossier has reached.
//!
//! For the decision module: [`Store::dossiers_ready_for_decision`] lists
//! what an authority may decide, and [`mark_dossiers_decided!`] marks
//! dossiers decided inside the caller's own write transaction.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tdkt_core::catalogue::{Award, Recipient};
use tdkt_core::dossier::track::Facts;
use tdkt_core::dossier::{
    self, DueDate, DueInput, LevelClass, Procedure, Regime, State, Status, StepScope, Track,
};
use tdkt_core::org::UnitId;
use tdkt_core::DomainError;
use time::Date;

use crate::{id_list, with_pool, Result, Store, StoreError};

mod act;
mod decided;
pub mod list;
mod open;
mod track;
pub(crate) use decided::mark_dossiers_decided;
pub use track::ServiceRow;

/// A stored dossier.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Dossier {
    pub id: i64,
    pub unit_id: i64,
    pub award_code: String,
    pub recipient_kind: String,
    pub year: i32,
    pub title: String,
    pub proposal_list_id: Option<i64>,
    pub status: String,
    pub step: i32,
    pub resume_step: Option<i32>,
    pub arrived_on: Date,
    pub found_wanting_on: Option<Date>,
    pub received_on: Date,
    pub regime: String,
    pub recommended_award: Option<String>,
    pub decision_id: Option<i64>,
    pub created_by: String,
    pub created_at: String,
    pub version: i32,
    /// `tdkt_core::dossier::Track` code (migration 0044).
    pub track: String,
    /// `tdkt_core::dossier::Procedure` code, frozen at opening.
    pub procedure: String,
    /// A sudden award: the day of the act.
    pub acted_on: Option<Date>,
}

const SELECT: &str = "select id, unit_id, award_code, recipient_kind, year, title, proposal_list_id, status, step, resume_step, arrived_on, found_wanting_on, received_on, regime, recommended_award, decision_id, created_by, created_at, version, track, procedure, acted_on from dossiers";

impl Dossier {
    /// # Errors
    /// A status the core does not know (a corrupt row).
    pub fn state(&self) -> Result<State> {
        Ok(State {
            status: Status::parse(&self.status)?,
            step: usize::try_from(self.step).unwrap_or(0),
            resume: self.resume_step.and_then(|r| usize::try_from(r).ok()),
        })
    }

    #[must_use]
    pub fn status_label(&self) -> &'static str {
        Status::parse(&self.status).map_or("?", Status::label)
    }

    #[must_use]
    pub fn track(&self) -> Track {
        Track::parse(&self.track).unwrap_or_default()
    }

    #[must_use]
    pub fn procedure(&self) -> Procedure {
        Procedure::parse(&self.procedure).unwrap_or_default()
    }

    #[must_use]
    pub fn regime_label(&self) -> &'static str {
        Regime::parse(&self.regime).map_or("?", Regime::label)
    }
}

/// One level of a dossier's route.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DossierStep {
    pub position: i32,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub level_class: String,
}

impl DossierStep {
    #[must_use]
    pub fn class(&self) -> LevelClass {
        [
            LevelClass::Subunit,
            LevelClass::Grassroots,
            LevelClass::Commune,
            LevelClass::District,
            LevelClass::Province,
            LevelClass::Ministry,
            LevelClass::HomeAffairs,
            LevelClass::Central,
        ]
        .into_iter()
        .find(|c| c.code() == self.level_class)
        .unwrap_or(LevelClass::Grassroots)
    }
}

/// A recipient on a dossier.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DossierRecipient {
    pub id: i64,
    pub person_id: Option<i64>,
    pub recipient_unit_id: Option<i64>,
    pub household_name: Option<String>,
    /// The person's, unit's or household's name.
    pub name: String,
    /// A resistance award: the war's code and the period (migration 0044).
    pub war: Option<String>,
    pub took_part_from: Option<Date>,
    pub took_part_to: Option<Date>,
}

/// One row of the timeline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DossierEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub step: i32,
    pub from_status: Option<String>,
    pub to_status: String,
    pub detail: String,
}

impl DossierEvent {
    #[must_use]
    pub fn action_label(&self) -> &'static str {
        match self.action.as_str() {
            "create" => "lập hồ sơ",
            "forward" => "chuyển lên cấp trên",
            "return" => "trả lại để bổ sung",
            "reject" => "không chấp nhận",
            "appraise" => "thẩm định",
            "recommend" => "đề xuất hình thức khác",
            "decide" => "có quyết định khen thưởng",
            "council_vote" => "Hội đồng TĐKT bỏ phiếu",
            "disclose" => "công khai lấy ý kiến",
            "comment_approve" => "đăng công khai một ý kiến góp ý",
            "comment_dismiss" => "không chấp nhận một ý kiến góp ý",
            _ => "thao tác khác",
        }
    }

    /// The act's words: the missing list, the reasons, the notes.
    #[must_use]
    pub fn detail_lines(&self) -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&self.detail).unwrap_or_default();
        let mut out = Vec::new();
        if let Some(list) = v.get("missing").and_then(|m| m.as_array()) {
            for m in list.iter().filter_map(|m| m.as_str()) {
                out.push(format!("Cần bổ sung: {m}"));
            }
        }
        for (key, label) in [
            ("reasons", "Lý do"),
            ("notes", "Nhận xét"),
            ("verdict", "Kết luận"),
            ("award_name", "Hình thức đề xuất"),
            ("reason", "Lý do"),
            ("council", "Kết quả"),
            ("decision_id", "Quyết định số hiệu nội bộ"),
            ("disclosure", "Công khai"),
        ] {
            if let Some(s) = v.get(key) {
                let s = s.as_str().map_or_else(|| s.to_string(), str::to_owned);
                out.push(format!("{label}: {s}"));
            }
        }
        out
    }
}

/// One item of a dossier's checklist and the files attached to it.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItem {
    pub code: String,
    pub name: String,
    pub citation: String,
    pub stage: tdkt_core::dossier::procedure::Stage,
    pub files: usize,
    /// The council session whose passed vote answers this item (its
    /// generated minutes), for the council's minutes items.
    pub council_session: Option<i64>,
}

/// Everything the dossier page shows.
#[derive(Debug, Clone, Serialize)]
pub struct DossierView {
    pub dossier: Dossier,
    pub award: Award,
    pub steps: Vec<DossierStep>,
    pub recipients: Vec<DossierRecipient>,
    pub events: Vec<DossierEvent>,
    pub checklist: Vec<ChecklistItem>,
    pub due: Option<DueDate>,
    /// Long service: each recipient's positions.
    pub service: Vec<ServiceRow>,
    /// Whether the candidates are disclosed before the council meets (not
    /// under the simplified procedure: khoản 2 Điều 44 NĐ 152/2025/NĐ-CP).
    pub disclosed: bool,
}

impl DossierView {
    /// The level holding the dossier.
    #[must_use]
    pub fn holder(&self) -> Option<&DossierStep> {
        self.steps.iter().find(|s| s.position == self.dossier.step)
    }

    /// Is `item` due by the level now holding the dossier (see
    /// [`Stage::due_at`](tdkt_core::dossier::procedure::Stage::due_at))?
    #[must_use]
    pub fn is_due(&self, item: &ChecklistItem) -> bool {
        usize::try_from(self.dossier.step)
            .is_ok_and(|step| item.stage.due_at(self.steps.len()) <= step)
    }

    /// Names of the documents due by the holding level with no file yet.
    #[must_use]
    pub fn missing(&self) -> Vec<&str> {
        self.checklist
            .iter()
            .filter(|c| c.files == 0 && c.council_session.is_none() && self.is_due(c))
            .map(|c| c.name.as_str())
            .collect()
    }
}

/// A line of a list of dossiers.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DossierSummary {
    pub id: i64,
    pub award_code: String,
    pub year: i32,
    pub title: String,
    pub status: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub holder_id: i64,
    pub holder_name: String,
    pub recipients: i64,
    pub arrived_on: Date,
    pub found_wanting_on: Option<Date>,
    pub recommended_award: Option<String>,
}

impl DossierSummary {
    #[must_use]
    pub fn status_label(&self) -> &'static str {
        Status::parse(&self.status).map_or("?", Status::label)
    }
}

pub(crate) const SUMMARY: &str =
    "select d.id, d.award_code, d.year, d.title, d.status, d.unit_id, u.name as unit_name,
    s.unit_id as holder_id, h.name as holder_name,
    (select count(*) from dossier_recipients r where r.dossier_id = d.id) as recipients,
    d.arrived_on, d.found_wanting_on, d.recommended_award
    from dossiers d join org_units u on u.id = d.unit_id
    join dossier_steps s on s.dossier_id = d.id and s.position = d.step
    join org_units h on h.id = s.unit_id";

/// Who receives the award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewRecipient {
    Person(i64),
    Unit(i64),
    Household(String),
}

/// A dossier to open by hand.
#[derive(Debug, Clone)]
pub struct NewDossier {
    /// The opening unit.
    pub unit_id: UnitId,
    pub award_code: String,
    pub kind: Recipient,
    pub year: i32,
    pub title: String,
    /// The day it was received (today for a new one; earlier for one
    /// entered after the fact): decides the regime.
    pub received_on: Date,
    pub recipients: Vec<NewRecipient>,
    /// The special track (migration 0044); its procedure follows.
    pub track: Track,
    /// A sudden award: the day of the act.
    pub acted_on: Option<Date>,
    /// The track's facts of each recipient, in the order of `recipients`
    /// (empty: none).
    pub facts: Vec<Facts>,
}

/// What a level does, as the form says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DossierAction {
    Forward,
    Return { missing: Vec<String> },
    Reject { reasons: String },
    Appraise { favourable: bool, notes: String },
    Recommend { award: String, reason: String },
}

fn invalid(field: &'static str, m: impl Into<String>) -> StoreError {
    DomainError::invalid(field, m.into()).into()
}

/// The award of a code, from the rules in force.
fn award_of(code: &str) -> Result<Award> {
    crate::rules::current()
        .catalogue()
        .get(code.trim())
        .cloned()
        .ok_or_else(|| {
            invalid(
                "award",
                format!("Mã danh hiệu, hình thức «{code}» không có trong danh mục."),
            )
        })
}

/// Unit codes of a unit and its ancestors (nearest first), as the
/// catalogue's and the council rules' overlays match them.
pub(crate) fn scope_codes(units: &HashMap<i64, tdkt_core::org::Unit>, unit: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = Some(unit);
    while let Some(id) = at {
        let Some(u) = units.get(&id) else { break };
        if out.contains(&u.code) {
            break;
        }
        out.push(u.code.clone());
        at = u.parent_id;
    }
    out
}

impl Store {
    /// # Errors
    /// `NotFound`, database failure.
    pub async fn dossier(&self, id: i64) -> Result<Dossier> {
        let row: Option<Dossier> =
            with_pool!(self, |p| sqlx::query_as(&format!("{SELECT} where id = $1"))
                .bind(id)
                .fetch_optional(p)
                .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("hồ sơ #{id}")))
    }

    /// # Errors
    /// Database failure.
    pub async fn dossier_steps(&self, id: i64) -> Result<Vec<DossierStep>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "select s.position, s.unit_id, u.code as unit_code, u.name as unit_name, s.level_class
             from dossier_steps s join org_units u on u.id = s.unit_id where s.dossier_id = $1 order by s.position"
        )
        .bind(id)
        .fetch_all(p)
        .await?
        }))
    }

    /// The units of the levels a dossier has reached (where it is, where it
    /// has been, and where a returned one goes back): who may read it.
    ///
    /// # Errors
    /// `NotFound`, database failure.
    pub async fn dossier_reached_units(&self, id: i64) -> Result<Vec<UnitId>> {
        let d = self.dossier(id).await?;
        let top = d.step.max(d.resume_step.unwrap_or(0));
        let highest: Option<i32> = with_pool!(self, |p| sqlx::query_scalar(
            "select max(step) from dossier_events where dossier_id = $1"
        )
        .bind(id)
        .fetch_one(p)
        .await?);
        let top = top.max(highest.unwrap_or(0));
        Ok(self
            .dossier_steps(id)
            .await?
            .into_iter()
            .filter(|s| s.position <= top)
            .map(|s| s.unit_id)
            .collect())
    }

    /// The dossier page: the row, route, recipients, timeline, checklist
    /// with the files attached to each item, and the due date.
    ///
    /// # Errors
    /// `NotFound`, database failure.
    pub async fn dossier_view(&self, id: i64) -> Result<DossierView> {
        let dossier = self.dossier(id).await?;
        let award = award_of(&dossier.award_code)?;
        let steps = self.dossier_steps(id).await?;
        let (recipients, events, files): (
            Vec<DossierRecipient>,
            Vec<DossierEvent>,
            Vec<(String, i64)>,
        ) = with_pool!(self, |p| {
            (
                sqlx::query_as(
                    "select r.id, r.person_id, r.recipient_unit_id, r.household_name,
                     coalesce(p.full_name, u.name, r.household_name) as name,
                     r.war, r.took_part_from, r.took_part_to
                     from dossier_recipients r left join people p on p.id = r.person_id
                     left join org_units u on u.id = r.recipient_unit_id
                     where r.dossier_id = $1 order by r.id"
                )
                .bind(id)
                .fetch_all(p)
                .await?,
                sqlx::query_as(
                    "select id, at, actor, action, step, from_status, to_status, detail from dossier_events where dossier_id = $1 order by id"
                )
                .bind(id)
                .fetch_all(p)
                .await?,
                sqlx::query_as(
                    "select document_code, count(*) from attachments where owner_kind = 'dossier' and owner_id = $1 group by document_code"
                )
                .bind(id)
                .fetch_all(p)
                .await?,
            )
        });
        let units: HashMap<i64, tdkt_core::org::Unit> =
            self.units().await?.into_iter().map(|u| (u.id, u)).collect();
        let rules = crate::rules::current();
        // a passed council vote answers the council's minutes items: the
        // minutes are generated from it (councils.rs)
        let council_session = self
            .council_results(id)
            .await?
            .into_iter()
            .rev()
            .find(|r| r.passed == Some(true))
            .map(|r| r.session_id);
        let origin_scope = scope_codes(&units, dossier.unit_id);
        let origin_refs: Vec<&str> = origin_scope.iter().map(String::as_str).collect();
        let checklist = rules
            .catalogue()
            .procedures()
            .checklist(
                dossier.procedure(),
                &award,
                &origin_refs,
                dossier.received_on,
            )
            .into_iter()
            .map(|r| ChecklistItem {
                code: r.kind.code.clone(),
                name: r.kind.name.clone(),
                citation: r.citation,
                stage: r.kind.stage,
                files: files
                    .iter()
                    .find(|(c, _)| *c == r.kind.code)
                    .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(0)),
                council_session: council_session.filter(|_| {
                    tdkt_core::council::MINUTES_DOCUMENTS.contains(&r.kind.code.as_str())
                }),
            })
            .collect();
        let due = due_of(&dossier, &award, &steps, &units)?;
        let disclosed = rules
            .catalogue()
            .procedures()
            .disclosed(dossier.procedure());
        let service = self.dossier_service(id).await?;
        Ok(DossierView {
            dossier,
            award,
            steps,
            recipients,
            events,
            checklist,
            due,
            service,
            disclosed,
        })
    }

    /// Dossiers that have reached a level inside `scope` (`None` = all,
    /// for administrators), newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn dossiers_in_scope(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
    ) -> Result<Vec<DossierSummary>> {
        let filter = match scope {
            None => String::new(),
            Some(units) => format!(
                " where exists (select 1 from dossier_steps x where x.dossier_id = d.id and x.unit_id in ({}) and x.position <= (case when coalesce(d.resume_step, 0) > d.step then d.resume_step else d.step end))",
                id_list(units)
            ),
        };
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{SUMMARY}{filter} order by d.id desc"
        ))
        .fetch_all(p)
        .await?))
    }

    /// Open dossiers held by a level in `scope` whose due date has passed
    /// on `today`, most late first, each with its due date: the overdue
    /// board, the same reading as the home page's count and the reminders
    /// ([`Store::dossiers_due_held`]), so the number and the list agree.
    ///
    /// # Errors
    /// Database failure; a deadline running past the calendar's years.
    pub async fn overdue_dossiers(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
        today: Date,
    ) -> Result<Vec<(DossierSummary, DueDate)>> {
        let Some(yesterday) = today.previous_day() else {
            return Ok(Vec::new());
        };
        self.dossiers_due_held(scope, yesterday).await
    }

    /// Open dossiers in `scope` that have a due date, each with it, due
    /// first: the overdue board and the reminders read it.
    ///
    /// # Errors
    /// Database failure; a deadline running past the calendar's years.
    pub async fn open_dossiers_due(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
    ) -> Result<Vec<(DossierSummary, DueDate)>> {
        let units: HashMap<i64, tdkt_core::org::Unit> =
            self.units().await?.into_iter().map(|u| (u.id, u)).collect();
        let mut out = Vec::new();
        for s in self.dossiers_in_scope(scope).await? {
            if !Status::parse(&s.status).is_ok_and(Status::is_open) {
                continue;
            }
            let d = self.dossier(s.id).await?;
            let Ok(award) = award_of(&d.award_code) else {
                continue;
            };
            let steps = self.dossier_steps(s.id).await?;
            if let Some(due) = due_of(&d, &award, &steps, &units)? {
                out.push((s, due));
            }
        }
        out.sort_by_key(|(_, d)| d.due);
        Ok(out)
    }

    /// Dossiers ready for decision whose deciding level (the last of their
    /// route) is `authority_unit`, oldest first: what the decision module
    /// offers to decide.
    ///
    /// # Errors
    /// Database failure.
    pub async fn dossiers_ready_for_decision(
        &self,
        authority_unit: UnitId,
    ) -> Result<Vec<DossierSummary>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{SUMMARY} where d.status = 'ready' and s.unit_id = $1
             and s.position = (select max(position) from dossier_steps z where z.dossier_id = d.id)
             order by d.id"
        ))
        .bind(authority_unit)
        .fetch_all(p)
        .await?))
    }
}

/// The due date of a stored dossier (rules and calendar in force).
fn due_of(
    d: &Dossier,
    award: &Award,
    steps: &[DossierStep],
    units: &HashMap<i64, tdkt_core::org::Unit>,
) -> Result<Option<DueDate>> {
    let rules = crate::rules::current();
    let scopes: Vec<Vec<String>> = steps
        .iter()
        .map(|s| scope_codes(units, s.unit_id))
        .collect();
    let refs: Vec<Vec<&str>> = scopes
        .iter()
        .map(|v| v.iter().map(String::as_str).collect())
        .collect();
    let step_scopes: Vec<StepScope<'_>> = steps
        .iter()
        .zip(&refs)
        .map(|(s, r)| StepScope {
            class: s.class(),
            scope: r,
        })
        .collect();
    dossier::due(
        rules.catalogue().procedures(),
        rules.calendar(),
        &DueInput {
            award,
            steps: &step_scopes,
            state: d.state()?,
            year: d.year,
            arrived: d.arrived_on,
            found_wanting: d.found_wanting_on,
            procedure: d.procedure(),
        },
    )
    .map_err(|e| {
        invalid(
            "due",
            format!("Hồ sơ #{}: không tính được hạn xử lý: {e}", d.id),
        )
    })
}
