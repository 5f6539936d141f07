//! Council sessions: created with an agenda of dossiers held at the unit's
//! level, attendance marked, voting opened only with the quorum (the rule
//! and the roll are fixed then), closed with each dossier's result written
//! on its timeline, all in one transaction per step and audited.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tdkt_core::ballot::{BallotSpec, Candidate, Outcome, Question, Quorum};
use tdkt_core::council::{QuorumRule, VoteRule};
use tdkt_core::org::UnitId;
use tdkt_core::review::council_minutes::{Attendee, CouncilMinutes, Item};
use tdkt_core::review::frame::Frame;
use tdkt_core::review::ReviewDocument;
use tdkt_core::scoring::MemberId;
use tdkt_core::DomainError;
use time::Date;

use super::CouncilMember;
use crate::audit::{audit, json};
use crate::ballots::NewBallot;
use crate::dossiers::scope_codes;
use crate::dossiers::DossierSummary;
use crate::{now_rfc3339, with_pool, write_tx, Result, Store, StoreError};

/// A session as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CouncilSession {
    pub id: i64,
    pub unit_id: i64,
    pub held_on: Date,
    pub place: String,
    /// preparing | voting | closed
    pub status: String,
    pub members_total: i32,
    pub quorum_json: String,
    pub ballot_id: Option<i64>,
    pub created_by: String,
    pub created_at: String,
    pub opened_at: Option<String>,
    pub closed_at: Option<String>,
}

impl CouncilSession {
    #[must_use]
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "preparing" => "đang chuẩn bị",
            "voting" => "đang bỏ phiếu",
            "closed" => "đã kết thúc",
            _ => "?",
        }
    }
}

const SESSION_SELECT: &str = "select id, unit_id, held_on, place, status, members_total, quorum_json, ballot_id, created_by, created_at, opened_at, closed_at from council_sessions";

/// One dossier on a session's agenda and, once closed, its result.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AgendaItem {
    pub session_id: i64,
    pub session_unit_id: i64,
    pub held_on: Date,
    pub dossier_id: i64,
    pub position: i32,
    pub rule_json: String,
    pub yes: Option<i32>,
    pub base: Option<i32>,
    pub passed: Option<bool>,
    pub explanation: Option<String>,
    pub award_code: String,
    #[sqlx(skip)]
    pub recipients: String,
    /// How the public's comments were handled, for the minutes (khoản 2
    /// Điều 44 NĐ 152/2025/NĐ-CP).
    #[sqlx(skip)]
    pub comments: String,
}

impl AgendaItem {
    /// The rule fixed when voting opened.
    #[must_use]
    pub fn rule(&self) -> Option<VoteRule> {
        serde_json::from_str(&self.rule_json).ok()
    }

    #[must_use]
    pub fn award_name(&self) -> String {
        crate::rules::current()
            .catalogue()
            .get(&self.award_code)
            .map_or_else(|| self.award_code.clone(), |a| a.name.clone())
    }
}

const AGENDA_SELECT: &str = "select a.session_id, s.unit_id as session_unit_id, s.held_on, a.dossier_id, a.position, a.rule_json, a.yes, a.base, a.passed, a.explanation, d.award_code
    from council_agenda a join council_sessions s on s.id = a.session_id join dossiers d on d.id = a.dossier_id";

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub unit_id: UnitId,
    pub held_on: Date,
    pub place: String,
    pub dossiers: Vec<i64>,
}

/// The session page.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub session: CouncilSession,
    pub unit_name: String,
    pub unit_code: String,
    /// The roll: each member serving on the session's day, present or not.
    pub attendance: Vec<(CouncilMember, bool)>,
    pub agenda: Vec<AgendaItem>,
    /// The rule fixed at opening, or the one that would apply now.
    pub quorum: QuorumRule,
}

impl SessionView {
    #[must_use]
    pub fn present(&self) -> u32 {
        u32::try_from(self.attendance.iter().filter(|(_, p)| *p).count()).unwrap_or(u32::MAX)
    }

    #[must_use]
    pub fn members(&self) -> u32 {
        u32::try_from(self.attendance.len()).unwrap_or(u32::MAX)
    }

    /// The minutes (*biên bản họp*, *biên bản xét khen thưởng*), worded in
    /// core; complete once the session is closed.
    #[must_use]
    pub fn minutes(&self) -> ReviewDocument {
        let (attendees, items) = self.minutes_facts();
        self.council_minutes(&attendees, &items).vietnamese()
    }

    /// The official frame of [`Self::minutes`] (NĐ 30/2020/NĐ-CP): the
    /// council as issuer, the session's day, the signers present.
    #[must_use]
    pub fn minutes_frame(&self) -> Frame {
        let (attendees, items) = self.minutes_facts();
        self.council_minutes(&attendees, &items).vietnamese_frame()
    }

    fn council_minutes<'a>(
        &'a self,
        attendees: &'a [Attendee],
        items: &'a [Item],
    ) -> CouncilMinutes<'a> {
        CouncilMinutes {
            unit: &self.unit_name,
            held_on: self.session.held_on,
            place: &self.session.place,
            attendees,
            quorum: &self.quorum,
            items,
        }
    }

    fn minutes_facts(&self) -> (Vec<Attendee>, Vec<Item>) {
        let attendees: Vec<Attendee> = self
            .attendance
            .iter()
            .map(|(m, p)| Attendee {
                name: m.full_name.clone(),
                role: m.role(),
                present: *p,
            })
            .collect();
        let items: Vec<Item> = self
            .agenda
            .iter()
            .filter_map(|a| {
                let rule = a.rule()?;
                Some(Item {
                    dossier_id: a.dossier_id,
                    award: a.award_name(),
                    recipients: a.recipients.clone(),
                    share: tdkt_core::share::Share::new(
                        a.yes.and_then(|y| u32::try_from(y).ok()).unwrap_or(0),
                        a.base.and_then(|b| u32::try_from(b).ok()).unwrap_or(0),
                        rule.base,
                    ),
                    rule: rule.text(),
                    citation: rule.citation,
                    passed: a.passed == Some(true),
                    comments: a.comments.clone(),
                })
            })
            .collect();
        (attendees, items)
    }
}

fn invalid(field: &'static str, m: impl Into<String>) -> StoreError {
    DomainError::invalid(field, m).into()
}

fn candidate_id(dossier: i64) -> MemberId {
    MemberId(format!("hs-{dossier}"))
}

impl Store {
    /// Dossiers held at `unit_id`'s level and still open (draft or pending
    /// there): what a session of its council may put on the agenda.
    ///
    /// # Errors
    /// Database failure.
    pub async fn council_agenda_candidates(&self, unit_id: UnitId) -> Result<Vec<DossierSummary>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{} where s.unit_id = $1 and d.status in ('draft', 'pending') order by d.id",
            crate::dossiers::SUMMARY
        ))
        .bind(unit_id)
        .fetch_all(p)
        .await?))
    }

    /// Sessions of the council of `unit_id`, newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn council_sessions(&self, unit_id: UnitId) -> Result<Vec<CouncilSession>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{SESSION_SELECT} where unit_id = $1 order by held_on desc, id desc"
        ))
        .bind(unit_id)
        .fetch_all(p)
        .await?))
    }

    /// # Errors
    /// `NotFound`.
    pub async fn council_session(&self, id: i64) -> Result<CouncilSession> {
        let row: Option<CouncilSession> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{SESSION_SELECT} where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("phiên họp Hội đồng #{id}")))
    }

    async fn with_recipients(&self, mut items: Vec<AgendaItem>) -> Result<Vec<AgendaItem>> {
        for i in &mut items {
            let names: Vec<String> = with_pool!(self, |p| {
                sqlx::query_scalar(
                "select coalesce(p.full_name, u.name, r.household_name) from dossier_recipients r
                 left join people p on p.id = r.person_id left join org_units u on u.id = r.recipient_unit_id
                 where r.dossier_id = $1 order by r.id"
            )
            .bind(i.dossier_id)
            .fetch_all(p)
            .await?
            });
            i.recipients = names.join(", ");
            if !self.dossier_disclosures(i.dossier_id).await?.is_empty() {
                i.comments = self.comment_summary(i.dossier_id).await?.sentence();
            }
        }
        Ok(items)
    }

    /// Every council result of a dossier (closed or not), oldest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn council_results(&self, dossier_id: i64) -> Result<Vec<AgendaItem>> {
        let rows: Vec<AgendaItem> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{AGENDA_SELECT} where a.dossier_id = $1 order by a.session_id"
        ))
        .bind(dossier_id)
        .fetch_all(p)
        .await?);
        Ok(rows)
    }

    /// The session page's data.
    ///
    /// # Errors
    /// `NotFound`, database failure.
    pub async fn council_session_view(&self, id: i64) -> Result<SessionView> {
        let session = self.council_session(id).await?;
        let unit = self.unit(session.unit_id).await?;
        let roll: Vec<(i64, bool)> = with_pool!(self, |p| sqlx::query_as(
            "select member_id, present from council_attendance where session_id = $1"
        )
        .bind(id)
        .fetch_all(p)
        .await?);
        let roll: HashMap<i64, bool> = roll.into_iter().collect();
        let attendance = self
            .council_members_all(session.unit_id)
            .await?
            .into_iter()
            .filter_map(|m| roll.get(&m.id).map(|p| (m, *p)))
            .collect();
        let agenda: Vec<AgendaItem> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{AGENDA_SELECT} where a.session_id = $1 order by a.position"
        ))
        .bind(id)
        .fetch_all(p)
        .await?);
        let agenda = self.with_recipients(agenda).await?;
        let quorum = match serde_json::from_str(&session.quorum_json) {
            Ok(q) => q,
            Err(_) => {
                self.quorum_rule(session.unit_id, session.held_on, &agenda)
                    .await?
            }
        };
        Ok(SessionView {
            session,
            unit_name: unit.name,
            unit_code: unit.code,
            attendance,
            agenda,
            quorum,
        })
    }

    async fn scope_of(&self, unit_id: UnitId) -> Result<Vec<String>> {
        let units: HashMap<i64, tdkt_core::org::Unit> =
            self.units().await?.into_iter().map(|u| (u.id, u)).collect();
        Ok(scope_codes(&units, unit_id))
    }

    async fn quorum_rule(
        &self,
        unit_id: UnitId,
        on: Date,
        agenda: &[AgendaItem],
    ) -> Result<QuorumRule> {
        let scope = self.scope_of(unit_id).await?;
        let scope: Vec<&str> = scope.iter().map(String::as_str).collect();
        let awards: Vec<&str> = agenda.iter().map(|a| a.award_code.as_str()).collect();
        Ok(crate::rules::current()
            .council()
            .quorum(&scope, on, &awards))
    }

    /// Creates a session of the council of `new.unit_id` with its agenda;
    /// the roll is the members serving on the session's day, all absent
    /// until attendance is marked.
    ///
    /// # Errors
    /// No council that day, no place, an empty agenda, a dossier not held
    /// at the unit's level or already on another open session (named).
    pub async fn create_council_session(&self, actor: &str, new: &NewSession) -> Result<i64> {
        let unit = self.unit(new.unit_id).await?;
        let members = self.council_members(new.unit_id, new.held_on).await?;
        if members.is_empty() {
            return Err(invalid(
                "held_on",
                format!(
                    "Hội đồng Thi đua - Khen thưởng {} chưa có thành viên vào ngày {}: lập danh sách thành viên trước.",
                    unit.name,
                    tdkt_core::date::format_vn(new.held_on)
                ),
            ));
        }
        let place = new.place.trim();
        if place.is_empty() {
            return Err(invalid("place", "Cần nhập địa điểm họp."));
        }
        let wanted: BTreeSet<i64> = new.dossiers.iter().copied().collect();
        if wanted.is_empty() {
            return Err(invalid(
                "dossiers",
                "Chương trình họp cần ít nhất một hồ sơ.",
            ));
        }
        let held: BTreeSet<i64> = self
            .council_agenda_candidates(new.unit_id)
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect();
        for d in &wanted {
            if !held.contains(d) {
                return Err(invalid(
                    "dossiers",
                    format!("Hồ sơ #{d} không đang chờ xử lý ở cấp {}: không đưa vào chương trình họp được.", unit.name),
                ));
            }
            let open = self
                .council_results(*d)
                .await?
                .into_iter()
                .find(|r| r.passed.is_none());
            if let Some(r) = open {
                return Err(invalid(
                    "dossiers",
                    format!(
                        "Hồ sơ #{d} đã có trong chương trình phiên họp #{} chưa kết thúc.",
                        r.session_id
                    ),
                ));
            }
            // the public has had its full say (khoản 2 Điều 44 NĐ
            // 152/2025/NĐ-CP: at least 10 working days before the council
            // meets) and every comment has been handled, since the minutes
            // must report how
            let standing = self.disclosure_complete(*d, new.held_on).await?;
            if !standing.allowed() {
                return Err(invalid(
                    "dossiers",
                    format!("Hồ sơ #{d}: {}", standing.explanation),
                ));
            }
            let pending = self.comment_summary(*d).await?.pending;
            if pending > 0 {
                return Err(invalid(
                    "dossiers",
                    format!(
                        "Hồ sơ #{d} còn {} ý kiến góp ý của Nhân dân chưa xử lý: chấp nhận hoặc không chấp nhận (nêu lý do) trước khi đưa ra Hội đồng.",
                        tdkt_core::number::format_count(pending)
                    ),
                ));
            }
        }
        let now = now_rfc3339();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into council_sessions (unit_id, held_on, place, status, created_by, created_at)
                 values ($1, $2, $3, 'preparing', $4, $5) returning id",
            )
            .bind(new.unit_id)
            .bind(new.held_on)
            .bind(place)
            .bind(actor)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            for (i, d) in wanted.iter().enumerate() {
                sqlx::query("insert into council_agenda (session_id, dossier_id, position) values ($1, $2, $3)")
                    .bind(id)
                    .bind(*d)
                    .bind(i32::try_from(i).unwrap_or(i32::MAX))
                    .execute(&mut *tx)
                    .await?;
            }
            for m in &members {
                sqlx::query("insert into council_attendance (session_id, member_id, present) values ($1, $2, $3)")
                    .bind(id)
                    .bind(m.id)
                    .bind(false)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = serde_json::json!({"unit": unit.code, "held_on": new.held_on.to_string(), "place": place, "dossiers": wanted, "members": members.iter().map(|m| &m.username).collect::<Vec<_>>()});
            audit!(
                tx,
                actor,
                "council_session",
                id,
                "create",
                None,
                json(&after)
            );
            id
        });
        Ok(id)
    }

    /// Marks who is present (`present`: member ids; the others absent).
    ///
    /// # Errors
    /// The session is no longer being prepared; an id not on its roll.
    pub async fn set_council_attendance(
        &self,
        actor: &str,
        session_id: i64,
        present: &BTreeSet<i64>,
    ) -> Result<()> {
        let view = self.council_session_view(session_id).await?;
        if view.session.status != "preparing" {
            return Err(StoreError::Conflict(
                "attendance",
                "Phiên họp đã mở bỏ phiếu: không sửa điểm danh được nữa.".into(),
            ));
        }
        let roll: BTreeSet<i64> = view.attendance.iter().map(|(m, _)| m.id).collect();
        if let Some(x) = present.iter().find(|x| !roll.contains(x)) {
            return Err(invalid(
                "present",
                format!("Thành viên #{x} không có trong danh sách Hội đồng của phiên họp."),
            ));
        }
        write_tx!(self, |tx| {
            for m in &roll {
                sqlx::query("update council_attendance set present = $1 where session_id = $2 and member_id = $3")
                    .bind(present.contains(m))
                    .bind(session_id)
                    .bind(*m)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                actor,
                "council_session",
                session_id,
                "attendance",
                None,
                json(&serde_json::json!({"present": present}))
            );
        });
        Ok(())
    }

    /// Opens the vote: checks the quorum on the whole membership (refused
    /// with the numbers below it), fixes the quorum rule and each dossier's
    /// vote rule, and opens one secret ballot, a yes/no question per
    /// dossier, whose voters are the members present. Returns the ballot id.
    ///
    /// # Errors
    /// Below quorum (`Invalid("attendance")`), not being prepared.
    pub async fn open_council_vote(&self, actor: &str, session_id: i64) -> Result<i64> {
        let view = self.council_session_view(session_id).await?;
        if view.session.status != "preparing" {
            return Err(StoreError::Conflict(
                "status",
                "Phiên họp đã mở bỏ phiếu hoặc đã kết thúc.".into(),
            ));
        }
        if view.agenda.is_empty() {
            return Err(invalid("dossiers", "Chương trình họp chưa có hồ sơ nào."));
        }
        let (members, present) = (view.members(), view.present());
        view.quorum.check(present, members)?;
        let scope = self.scope_of(view.session.unit_id).await?;
        let scope: Vec<&str> = scope.iter().map(String::as_str).collect();
        let rules: Vec<(i64, VoteRule)> = view
            .agenda
            .iter()
            .map(|a| {
                (
                    a.dossier_id,
                    crate::rules::current().council().vote(
                        &scope,
                        view.session.held_on,
                        &a.award_code,
                    ),
                )
            })
            .collect();
        let candidates = view
            .agenda
            .iter()
            .zip(&rules)
            .map(|(a, (_, r))| Candidate {
                id: candidate_id(a.dossier_id),
                name: format!(
                    "Hồ sơ #{} — {}: {}",
                    a.dossier_id,
                    a.award_name(),
                    a.recipients
                ),
                threshold: Some(r.threshold()),
            })
            .collect();
        let date = tdkt_core::date::format_vn(view.session.held_on);
        let spec = BallotSpec {
            title: format!(
                "Bỏ phiếu kín của Hội đồng Thi đua - Khen thưởng {} ngày {date}",
                view.unit_name
            ),
            question: Question::YesNo,
            candidates,
            eligible: 0,
            // the ballots cast must still make the council's quorum: the
            // fewest members of the whole council, out of those present
            quorum: Quorum {
                num: view.quorum.quorum().required(members),
                den: present,
            },
            threshold: rules[0].1.threshold(),
        };
        let voters = view
            .attendance
            .iter()
            .filter(|(_, p)| *p)
            .map(|(m, _)| m.username.clone())
            .collect();
        let ballot = self
            .create_ballot(
                actor,
                &NewBallot {
                    unit_code: view.unit_code.clone(),
                    context: format!(
                        "Phiên họp Hội đồng #{session_id}; kết quả chính thức tính trên tổng số {members} thành viên Hội đồng khi quy định như vậy"
                    ),
                    spec,
                    voters,
                    cluster_id: None,
                },
            )
            .await?;
        let quorum_json = serde_json::to_string(&view.quorum).unwrap_or_default();
        let now = now_rfc3339();
        write_tx!(self, |tx| {
            let n = sqlx::query(
                "update council_sessions set status = 'voting', members_total = $1, quorum_json = $2, ballot_id = $3, opened_at = $4
                 where id = $5 and status = 'preparing'",
            )
            .bind(i32::try_from(members).unwrap_or(i32::MAX))
            .bind(&quorum_json)
            .bind(ballot.id)
            .bind(&now)
            .bind(session_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict(
                    "status",
                    "Phiên họp vừa được mở bỏ phiếu.".into(),
                ));
            }
            for (d, r) in &rules {
                sqlx::query("update council_agenda set rule_json = $1 where session_id = $2 and dossier_id = $3")
                    .bind(serde_json::to_string(r).unwrap_or_default())
                    .bind(session_id)
                    .bind(*d)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = serde_json::json!({"ballot": ballot.id, "members": members, "present": present, "quorum": view.quorum});
            audit!(
                tx,
                actor,
                "council_session",
                session_id,
                "open_vote",
                None,
                json(&after)
            );
        });
        Ok(ballot.id)
    }

    /// Closes the ballot and the session: each dossier's yes votes judged by
    /// its rule (on the whole membership where the rule says so), written
    /// on the agenda and on the dossier's timeline, audited, in one
    /// transaction. Below the ballot's quorum every dossier fails.
    ///
    /// # Errors
    /// Not voting (`Conflict`), ballot failures.
    pub async fn close_council_session(&self, actor: &str, session_id: i64) -> Result<SessionView> {
        let session = self.council_session(session_id).await?;
        let Some(ballot_id) = session.ballot_id.filter(|_| session.status == "voting") else {
            return Err(StoreError::Conflict(
                "status",
                "Phiên họp chưa mở bỏ phiếu hoặc đã kết thúc.".into(),
            ));
        };
        // a close interrupted after the ballot's own close resumes here
        let outcome = if self.ballot(ballot_id).await?.closed {
            self.ballot_result(ballot_id).await?
        } else {
            self.close_ballot(actor, ballot_id).await?
        };
        let view = self.council_session_view(session_id).await?;
        let members = u32::try_from(session.members_total).unwrap_or(0);
        let results: Vec<(i64, u32, u32, bool, String)> = view
            .agenda
            .iter()
            .filter_map(|a| Some((a.dossier_id, a.rule()?)))
            .map(|(d, rule)| match &outcome {
                Outcome::Counted(t) => {
                    let yes = t.result_of(&candidate_id(d)).map_or(0, |c| c.yes);
                    let v = rule.judge(yes, members, t.present, t.valid);
                    (d, yes, v.share.base, v.passed, v.explanation)
                }
                Outcome::NoQuorum { explanation, .. } => {
                    (d, 0, members, false, explanation.clone())
                }
            })
            .collect();
        let now = now_rfc3339();
        write_tx!(self, |tx| {
            let n = sqlx::query("update council_sessions set status = 'closed', closed_at = $1 where id = $2 and status = 'voting'")
                .bind(&now)
                .bind(session_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict(
                    "status",
                    "Phiên họp vừa được kết thúc.".into(),
                ));
            }
            for (d, yes, base, passed, explanation) in &results {
                sqlx::query("update council_agenda set yes = $1, base = $2, passed = $3, explanation = $4 where session_id = $5 and dossier_id = $6")
                    .bind(i32::try_from(*yes).unwrap_or(i32::MAX))
                    .bind(i32::try_from(*base).unwrap_or(i32::MAX))
                    .bind(*passed)
                    .bind(explanation)
                    .bind(session_id)
                    .bind(*d)
                    .execute(&mut *tx)
                    .await?;
                let (step, status): (i32, String) =
                    sqlx::query_as("select step, status from dossiers where id = $1")
                        .bind(*d)
                        .fetch_one(&mut *tx)
                        .await?;
                let verdict = if *passed {
                    "Hội đồng bỏ phiếu đạt"
                } else {
                    "Hội đồng bỏ phiếu không đạt"
                };
                let detail = serde_json::json!({"council": format!("{verdict}: {explanation}"), "session_id": session_id});
                sqlx::query(
                    "insert into dossier_events (dossier_id, at, actor, action, step, from_status, to_status, detail) values ($1, $2, $3, 'council_vote', $4, $5, $5, $6)",
                )
                .bind(*d)
                .bind(&now)
                .bind(actor)
                .bind(step)
                .bind(&status)
                .bind(detail.to_string())
                .execute(&mut *tx)
                .await?;
                audit!(
                    tx,
                    actor,
                    "dossier",
                    *d,
                    "council_vote",
                    None,
                    json(&detail)
                );
            }
            let after = serde_json::json!({"results": results.iter().map(|(d, y, b, p, _)| serde_json::json!({"dossier": d, "yes": y, "base": b, "passed": p})).collect::<Vec<_>>()});
            audit!(
                tx,
                actor,
                "council_session",
                session_id,
                "close",
                None,
                json(&after)
            );
        });
        self.council_session_view(session_id).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_candidate_id_names_its_dossier() {
        assert_eq!(super::candidate_id(12).0, "hs-12");
    }
}
