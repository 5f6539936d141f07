//! Commendation decisions at the deciding authority (issue 14, decision
//! half; the rules are in `tdkt_core::decision`). A decision is drafted
//! with its annexed recipients, then issued: **issuing writes, in one
//! transaction**, the decision's new status, one registry record per
//! recipient (source `decided`, linked back from its annex line, with the
//! reward amount of the decision date), the fund's payment and an audit
//! event for each. Any refusal rolls all of it back: a decision is either
//! a draft with no record or issued with all of them.
//!
//! Numbers are unique per authority and year (`unique (authority_unit_id,
//! year, seq)`, NĐ 30/2020/NĐ-CP Điều 15), drafts included, so a reused
//! number is refused at drafting, mapped by kind of violation as every
//! unique key is.
//!
//! A decision carries an optional `dossier_id` from the dossier flow,
//! kept as a plain integer without a foreign key until the dossier tables
//! land on main.

mod draft;
pub mod file;
pub mod fund;
mod issue;
pub mod list;

use serde::Serialize;
use tdkt_core::catalogue::Recipient;
use tdkt_core::decision::{self as rules, AnnexRow, DocumentInput, NewDecision, Symbol};
use tdkt_core::org::UnitId;
use tdkt_core::DomainError;
use time::Date;

use crate::audit::{audit, json};
use crate::awards::{catalogue, check_award_for, decision_key};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// A unit that issues decisions, with what its documents' header says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Authority {
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub abbreviation: String,
    /// `Ủy ban nhân dân thành phố Cần Thơ`.
    pub body: String,
    pub parent_body: String,
    pub place: String,
    pub signer_title: String,
}

impl Authority {
    /// The abbreviation as a symbol (checked when it was saved).
    ///
    /// # Errors
    /// A stored abbreviation that no longer parses.
    pub fn symbol(&self) -> Result<Symbol> {
        Ok(Symbol::parse(&self.abbreviation)?)
    }
}

/// An authority's data as entered.
#[derive(Debug, Clone)]
pub struct AuthorityInput {
    pub abbreviation: String,
    pub body: String,
    pub parent_body: String,
    pub place: String,
    pub signer_title: String,
}

/// A decision as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Decision {
    pub id: i64,
    pub authority_unit_id: i64,
    pub unit_code: String,
    pub body: String,
    pub year: i32,
    pub seq: i32,
    pub number: String,
    pub decided_on: Date,
    pub signer_name: String,
    pub signer_title: String,
    pub title: String,
    pub bases: String,
    pub status: String,
    pub dossier_id: Option<i64>,
    pub created_by: String,
    pub created_at: String,
    pub issued_by: Option<String>,
    pub issued_at: Option<String>,
}

impl Decision {
    #[must_use]
    pub fn status(&self) -> rules::Status {
        rules::Status::parse(&self.status).unwrap_or(rules::Status::Draft)
    }

    #[must_use]
    pub fn issued(&self) -> bool {
        self.status() == rules::Status::Issued
    }

    #[must_use]
    pub fn bases(&self) -> Vec<String> {
        self.bases.lines().map(str::to_owned).collect()
    }
}

/// One line of a decision's annex as stored, names joined.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RecipientLine {
    pub id: i64,
    pub decision_id: i64,
    pub position: i32,
    pub kind: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub person_position: Option<String>,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub household: String,
    pub award_code: String,
    pub year: i32,
    pub reason: String,
    pub dossier_id: Option<i64>,
    /// Đồng, fixed on issue.
    pub amount: Option<i64>,
    pub record_id: Option<i64>,
    pub record_status: Option<String>,
}

impl RecipientLine {
    #[must_use]
    pub fn recipient(&self) -> Recipient {
        match self.kind.as_str() {
            "collective" => Recipient::Collective,
            "household" => Recipient::Household,
            _ => Recipient::Individual,
        }
    }

    /// The name the annex prints.
    #[must_use]
    pub fn name(&self) -> String {
        match self.recipient() {
            Recipient::Collective => self.unit_name.clone(),
            Recipient::Household if !self.household.is_empty() => self.household.clone(),
            Recipient::Household => format!(
                "Hộ gia đình {}",
                self.person_name.as_deref().unwrap_or_default()
            ),
            Recipient::Individual => self.person_name.clone().unwrap_or_default(),
        }
    }

    /// Position and unit of a person; the unit of a household's head.
    #[must_use]
    pub fn detail(&self) -> String {
        match (self.recipient(), self.person_position.as_deref()) {
            (Recipient::Collective, _) => String::new(),
            (_, Some(p)) if !p.is_empty() => format!("{p}, {}", self.unit_name),
            _ => self.unit_name.clone(),
        }
    }

    #[must_use]
    pub fn award_name(&self) -> String {
        catalogue()
            .get(&self.award_code)
            .map_or_else(|| self.award_code.clone(), |a| a.name.clone())
    }
}

/// One recipient of a new decision, resolved (see [`file`] for a file's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecipient {
    pub kind: Recipient,
    /// The individual, or the head of a household.
    pub person_id: Option<i64>,
    /// The collective; a person's unit.
    pub unit_id: UnitId,
    /// A household's name in the annex (`Hộ ông Trần Văn Hậu`).
    pub household: String,
    pub award_code: String,
    pub year: i32,
    pub reason: String,
    pub dossier_id: Option<i64>,
}

/// What issuing a decision created.
#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub decision_id: i64,
    pub number: String,
    /// Registry records, in the annex's order.
    pub records: Vec<i64>,
    /// Đồng, paid from the authority's fund.
    pub total: i64,
}

const DECISION_SELECT: &str = "select d.id, d.authority_unit_id, u.code as unit_code, coalesce(a.body, u.name) as body,
    d.year, d.seq, d.number, d.decided_on, d.signer_name, d.signer_title, d.title, d.bases, d.status, d.dossier_id,
    d.created_by, d.created_at, d.issued_by, d.issued_at
    from decisions d join org_units u on u.id = d.authority_unit_id
    left join decision_authorities a on a.unit_id = d.authority_unit_id";

const LINE_SELECT: &str = "select r.id, r.decision_id, r.position, r.kind, r.person_id, p.full_name as person_name,
    p.position as person_position, r.unit_id, u.code as unit_code, u.name as unit_name, r.household, r.award_code,
    r.year, r.reason, r.dossier_id, r.amount, r.record_id, ar.status as record_status
    from decision_recipients r join org_units u on u.id = r.unit_id
    left join people p on p.id = r.person_id
    left join award_records ar on ar.id = r.record_id";

const AUTHORITY_SELECT: &str =
    "select a.unit_id, u.code as unit_code, u.name as unit_name, a.abbreviation, a.body,
    a.parent_body, a.place, a.signer_title
    from decision_authorities a join org_units u on u.id = a.unit_id";

fn line_no(position: usize, name: &str) -> String {
    if name.is_empty() {
        format!("Dòng {position}")
    } else {
        format!("Dòng {position} ({name})")
    }
}

/// Writes a decision's annexed list, in order, inside the caller's
/// transaction (a new draft and an edited one alike).
macro_rules! insert_recipients {
    ($tx:ident, $id:expr, $lines:expr) => {
        for (i, l) in $lines.iter().enumerate() {
            sqlx::query(
                "insert into decision_recipients (decision_id, position, kind, person_id, unit_id, household,
                 award_code, year, reason, dossier_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind($id)
            .bind(i32::try_from(i + 1).unwrap_or(i32::MAX))
            .bind(l.kind.code())
            .bind(l.person_id)
            .bind(l.unit_id)
            .bind(&l.household)
            .bind(&l.award_code)
            .bind(l.year)
            .bind(&l.reason)
            .bind(l.dossier_id)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use insert_recipients;

impl Store {
    /// Saves (or replaces) the decision data of unit `unit_id`.
    ///
    /// # Errors
    /// A bad abbreviation, an empty body or place; unknown unit.
    pub async fn set_decision_authority(
        &self,
        actor: &str,
        unit_id: UnitId,
        a: &AuthorityInput,
    ) -> Result<Authority> {
        let symbol = Symbol::parse(&a.abbreviation)?;
        let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (body, place) = (clean(&a.body), clean(&a.place));
        if body.is_empty() {
            return Err(DomainError::invalid(
                "body",
                "Phải ghi tên cơ quan ban hành (vd. Ủy ban nhân dân thành phố Cần Thơ).",
            )
            .into());
        }
        if place.is_empty() {
            return Err(DomainError::invalid(
                "place",
                "Phải ghi địa danh của dòng ngày tháng (vd. Cần Thơ).",
            )
            .into());
        }
        self.unit(unit_id).await?;
        let after = serde_json::json!({
            "abbreviation": symbol.as_str(), "body": body, "parent_body": clean(&a.parent_body),
            "place": place, "signer_title": clean(&a.signer_title),
        });
        write_tx!(self, |tx| {
            sqlx::query("delete from decision_authorities where unit_id = $1")
                .bind(unit_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into decision_authorities (unit_id, abbreviation, body, parent_body, place, signer_title)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(unit_id)
            .bind(symbol.as_str())
            .bind(&body)
            .bind(clean(&a.parent_body))
            .bind(&place)
            .bind(clean(&a.signer_title))
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                actor,
                "decision_authority",
                unit_id,
                "set",
                None,
                json(&after)
            );
        });
        self.decision_authority(unit_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("cơ quan ban hành #{unit_id}")))
    }

    /// The decision data of unit `unit_id`, if it issues decisions.
    ///
    /// # Errors
    /// Database failure.
    pub async fn decision_authority(&self, unit_id: UnitId) -> Result<Option<Authority>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{AUTHORITY_SELECT} where a.unit_id = $1"
        ))
        .bind(unit_id)
        .fetch_optional(p)
        .await?))
    }

    /// Every unit that issues decisions, by name.
    ///
    /// # Errors
    /// Database failure.
    pub async fn decision_authorities(&self) -> Result<Vec<Authority>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{AUTHORITY_SELECT} order by u.name"
        ))
        .fetch_all(p)
        .await?))
    }

    /// The next free number of `unit_id` in `year` (1 + the highest used).
    ///
    /// # Errors
    /// Database failure.
    pub async fn next_decision_seq(&self, unit_id: UnitId, year: i32) -> Result<u32> {
        let max: Option<i32> = with_pool!(self, |p| sqlx::query_scalar(
            "select max(seq) from decisions where authority_unit_id = $1 and year = $2"
        )
        .bind(unit_id)
        .bind(year)
        .fetch_one(p)
        .await?);
        Ok(u32::try_from(max.unwrap_or(0)).unwrap_or(0) + 1)
    }

    /// Checks each line against the catalogue on the decision date and
    /// computes its amount: the award exists then and is given to that
    /// kind of recipient, the year and date fit, the person meets the
    /// award's conditions. Errors name the line.
    async fn check_lines(
        &self,
        decided_on: Date,
        lines: &[NewRecipient],
        names: &[String],
    ) -> Result<Vec<i64>> {
        if lines.is_empty() {
            return Err(DomainError::invalid(
                "recipients",
                "Quyết định phải có ít nhất một cá nhân, tập thể hoặc hộ gia đình được khen thưởng.",
            )
            .into());
        }
        let today = tdkt_core::date::today_vn();
        let rules = crate::rules::current();
        let mut amounts = Vec::with_capacity(lines.len());
        for (i, l) in lines.iter().enumerate() {
            let at = line_no(i + 1, names.get(i).map_or("", String::as_str));
            let fail = |m: String| -> StoreError {
                DomainError::invalid("recipients", format!("{at}: {m}")).into()
            };
            check_award_for(&l.award_code, l.kind, l.year, decided_on, today)
                .map_err(|(_, m)| fail(m))?;
            if let (Some(pid), Recipient::Individual) = (l.person_id, l.kind) {
                let person = self.person(pid).await?;
                if let Some(award) = catalogue().get(&l.award_code) {
                    award
                        .check_recipient(
                            person.gender(),
                            Some(person.birth_date.year()),
                            decided_on,
                        )
                        .map_err(|(_, m)| fail(m))?;
                }
            }
            if l.kind != Recipient::Collective && l.person_id.is_none() {
                return Err(fail(
                    "phải có người nhận (số CCCD của cá nhân hoặc chủ hộ).".to_owned(),
                ));
            }
            // Điều 49–55 NĐ 152/2025/NĐ-CP, base salary of the decision date
            let reward = rules::line_reward(
                rules.catalogue(),
                rules.salaries(),
                &l.award_code,
                l.kind,
                decided_on,
            )
            .map_err(|e| fail(e.message().to_owned()))?;
            amounts.push(rules::dong(reward.amount));
        }
        Ok(amounts)
    }

    /// Drafts a decision of `authority_unit` with its annexed recipients
    /// (`names` label them in errors). Returns the new decision's id.
    ///
    /// # Errors
    /// Not an authority; a line the catalogue refuses (naming it); the
    /// number already used by this authority in that year (`Conflict`).
    pub async fn create_decision(
        &self,
        actor: &str,
        authority_unit: UnitId,
        d: &NewDecision,
        lines: &[NewRecipient],
        names: &[String],
    ) -> Result<i64> {
        let (_, draft::Checked { number, reused }) =
            self.check_draft(authority_unit, d, lines, names).await?;
        let year = d.decided_on.year();
        let bases = d.bases.join("\n");
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into decisions (authority_unit_id, year, seq, number, decision_key, decided_on, signer_name,
                 signer_title, title, bases, status, dossier_id, created_by, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, $13) returning id",
            )
            .bind(authority_unit)
            .bind(year)
            .bind(i32::try_from(d.seq).unwrap_or(i32::MAX))
            .bind(&number)
            .bind(decision_key(&number))
            .bind(d.decided_on)
            .bind(&d.signer_name)
            .bind(&d.signer_title)
            .bind(&d.title)
            .bind(&bases)
            .bind(d.dossier_id)
            .bind(actor)
            .bind(crate::now_rfc3339())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique("number", reused))?;
            insert_recipients!(tx, id, lines);
            let after = serde_json::json!({
                "authority_unit_id": authority_unit, "number": number, "decided_on": d.decided_on.to_string(),
                "signer": d.signer_name, "title": d.title, "dossier_id": d.dossier_id,
                "recipients": lines.iter().map(|l| serde_json::json!({
                    "kind": l.kind.code(), "person_id": l.person_id, "unit_id": l.unit_id,
                    "award": l.award_code, "year": l.year,
                })).collect::<Vec<_>>(),
            });
            audit!(tx, actor, "decision", id, "create", None, json(&after));
            id
        });
        Ok(id)
    }

    /// # Errors
    /// `NotFound`.
    pub async fn decision(&self, id: i64) -> Result<Decision> {
        let d: Option<Decision> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{DECISION_SELECT} where d.id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        d.ok_or_else(|| StoreError::NotFound(format!("quyết định #{id}")))
    }

    /// Decisions, newest first: issued only, or all; of every authority or
    /// of those in `units`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn decisions(
        &self,
        issued_only: bool,
        units: Option<&std::collections::BTreeSet<UnitId>>,
    ) -> Result<Vec<Decision>> {
        let mut sql = format!("{DECISION_SELECT} where 1 = 1");
        if issued_only {
            sql.push_str(" and d.status = 'issued'");
        }
        if let Some(u) = units {
            sql.push_str(&format!(
                " and d.authority_unit_id in ({})",
                crate::id_list(u)
            ));
        }
        sql.push_str(" order by d.decided_on desc, d.id desc");
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .persistent(false)
            .fetch_all(p)
            .await?))
    }

    /// The annex of decision `id`, in order.
    ///
    /// # Errors
    /// Database failure.
    pub async fn decision_lines(&self, id: i64) -> Result<Vec<RecipientLine>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{LINE_SELECT} where r.decision_id = $1 order by r.position"
        ))
        .bind(id)
        .fetch_all(p)
        .await?))
    }

    /// `(decision id, record id)` of the records created by decisions
    /// `ids`, in annex order.
    ///
    /// # Errors
    /// Database failure.
    pub async fn decision_records(&self, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "select decision_id, record_id from decision_recipients where record_id is not null
             and decision_id in ({}) order by decision_id, position",
            crate::id_list(ids)
        ))
        .persistent(false)
        .fetch_all(p)
        .await?))
    }

    /// The amounts of the annex: stored once issued, else computed for the
    /// decision date (what issuing would fix); a line the catalogue refuses
    /// (drafts only) gives its reason.
    #[must_use]
    pub fn line_amounts(d: &Decision, lines: &[RecipientLine]) -> Vec<Result<i64, String>> {
        let rules = crate::rules::current();
        lines
            .iter()
            .map(|l| match l.amount {
                Some(a) => Ok(a),
                None => rules::line_reward(
                    rules.catalogue(),
                    rules.salaries(),
                    &l.award_code,
                    l.recipient(),
                    d.decided_on,
                )
                .map(|r| rules::dong(r.amount))
                .map_err(|e| e.message().to_owned()),
            })
            .collect()
    }

    /// The text of decision `id` in the official layout, for the DOCX.
    ///
    /// # Errors
    /// `NotFound`; an authority without its data.
    pub async fn decision_document(&self, id: i64) -> Result<rules::DecisionDocument> {
        let d = self.decision(id).await?;
        let a = self
            .decision_authority(d.authority_unit_id)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!("cơ quan ban hành của quyết định #{id}"))
            })?;
        let lines = self.decision_lines(id).await?;
        let amounts = Self::line_amounts(&d, &lines);
        let annex = lines
            .iter()
            .zip(amounts)
            .map(|(l, a)| AnnexRow {
                name: l.name(),
                detail: l.detail(),
                award_name: l.award_name(),
                recipient: l.recipient(),
                amount: a.unwrap_or(0),
            })
            .collect();
        let bases = d.bases();
        Ok(rules::document(&DocumentInput {
            parent_body: &a.parent_body,
            body: &a.body,
            place: &a.place,
            number: &d.number,
            decided_on: d.decided_on,
            title: &d.title,
            signer_title: &d.signer_title,
            signer_name: &d.signer_name,
            bases: &bases,
            annex,
            draft: !d.issued(),
        }))
    }
}
