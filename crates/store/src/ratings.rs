//! Inputs of the eligibility engine besides the award registry (issue 6):
//! annual ratings of people and collectives, discipline decisions, and
//! recognised initiatives and research results (migration 0005). Service
//! periods are the `employment_periods` every person already has.
//!
//! Every write runs with its audit event; a rating for a year in which the
//! person was not employed is refused, because the rules count ratings per
//! year of service (khoản 1 Điều 24 Luật TĐKT 2022 judges the year's work).
//! Bulk import from CSV lives in [`import`]; building a [`History`] for the
//! engine lives in [`history`].

pub mod evaluations;
pub mod history;
pub mod import;
pub mod scan;

use serde::Serialize;
use tdkt_core::eligibility::{DisciplineLevel, Rating, Scope};
use tdkt_core::{text, DomainError};
use time::Date;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// Whose rating it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Subject {
    Person(i64),
    Unit(i64),
}

impl Subject {
    fn key(self, year: i32) -> String {
        match self {
            Self::Person(id) => format!("p:{id}|{year}"),
            Self::Unit(id) => format!("u:{id}|{year}"),
        }
    }
}

/// A stored rating.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RatingRecord {
    pub id: i64,
    pub subject_kind: String,
    pub person_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub year: i32,
    pub rating: String,
    pub note: String,
    pub source: String,
}

impl RatingRecord {
    #[must_use]
    pub fn rating(&self) -> Option<Rating> {
        Rating::parse(&self.rating)
    }

    #[must_use]
    pub fn label(&self) -> &'static str {
        self.rating().map_or("", Rating::label)
    }
}

/// A stored discipline decision.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DisciplineRecord {
    pub id: i64,
    pub person_id: i64,
    pub level: String,
    pub decision_no: String,
    pub decision_date: Date,
    pub effective_on: Date,
    pub months: Option<i32>,
    pub reason: String,
    pub source: String,
}

impl DisciplineRecord {
    #[must_use]
    pub fn level(&self) -> Option<DisciplineLevel> {
        DisciplineLevel::parse(&self.level)
    }
}

/// A stored initiative or research result.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct InitiativeRecord {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub title: String,
    pub scope: String,
    pub recognised_on: Date,
    pub decision_no: String,
    pub source: String,
}

impl InitiativeRecord {
    #[must_use]
    pub fn scope(&self) -> Option<Scope> {
        Scope::parse(&self.scope)
    }
}

/// A discipline decision to record.
#[derive(Debug, Clone)]
pub struct NewDiscipline {
    pub person_id: i64,
    pub level: DisciplineLevel,
    pub decision_no: String,
    pub decision_date: Date,
    /// Defaults to the decision date.
    pub effective_on: Option<Date>,
    pub months: Option<u16>,
    pub reason: String,
}

/// An initiative or research result to record.
#[derive(Debug, Clone)]
pub struct NewInitiative {
    pub person_id: i64,
    /// `sang-kien` or `de-tai`.
    pub kind: &'static str,
    pub title: String,
    pub scope: Scope,
    pub recognised_on: Date,
    pub decision_no: String,
}

const RATING_SELECT: &str =
    "select id, subject_kind, person_id, unit_id, year, rating, note, source from annual_ratings";
const DISCIPLINE_SELECT: &str = "select id, person_id, level, decision_no, decision_date, effective_on, months, reason, source from discipline_records";
const INITIATIVE_SELECT: &str =
    "select id, person_id, kind, title, scope, recognised_on, decision_no, source from initiatives";

/// Checks that need no database: a year not in the future, a plausible one.
///
/// # Errors
/// `(field, Vietnamese reason)`.
pub fn check_year(year: i32, today: Date) -> std::result::Result<(), String> {
    if !(1945..=9999).contains(&year) {
        return Err(format!("năm {year} không hợp lệ."));
    }
    if year > today.year() {
        return Err(format!("năm {year} ở tương lai."));
    }
    Ok(())
}

/// Did any of `periods` (start, end inclusive, `None` = ongoing) touch `year`?
#[must_use]
pub fn employed_in(periods: &[(Date, Option<Date>)], year: i32) -> bool {
    periods
        .iter()
        .any(|(s, e)| s.year() <= year && e.is_none_or(|e| e.year() >= year))
}

/// "01/01/2019 – nay; …" for an error message.
#[must_use]
pub fn describe_periods(periods: &[(Date, Option<Date>)]) -> String {
    if periods.is_empty() {
        return "chưa có quá trình công tác nào".to_owned();
    }
    periods
        .iter()
        .map(|(s, e)| {
            format!(
                "{} – {}",
                tdkt_core::date::format_vn(*s),
                e.map_or_else(|| "nay".to_owned(), tdkt_core::date::format_vn)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl Store {
    /// A person's employment periods as (start, end).
    ///
    /// # Errors
    /// Database failure.
    pub async fn service_periods(&self, person_id: i64) -> Result<Vec<(Date, Option<Date>)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "select start_date, end_date from employment_periods where person_id = $1 order by start_date"
        )
        .bind(person_id)
        .fetch_all(p)
        .await?
        }))
    }

    /// Records (or corrects) the rating of a person or a unit for a year.
    /// A person must have been employed in that year; a unit must have
    /// existed in it.
    ///
    /// # Errors
    /// `Invalid` with the field and a Vietnamese reason; `NotFound`.
    pub async fn record_rating(
        &self,
        actor: &str,
        subject: Subject,
        year: i32,
        rating: Rating,
        note: &str,
    ) -> Result<RatingRecord> {
        check_year(year, tdkt_core::date::today_vn())
            .map_err(|m| DomainError::invalid("year", format!("Năm xếp loại: {m}")))?;
        match subject {
            Subject::Person(id) => {
                let person = self.person(id).await?;
                let periods = self.service_periods(id).await?;
                if !employed_in(&periods, year) {
                    return Err(DomainError::invalid(
                        "year",
                        format!(
                            "{} không công tác trong năm {year} ({}): không thể xếp loại năm đó.",
                            person.full_name,
                            describe_periods(&periods)
                        ),
                    )
                    .into());
                }
            }
            Subject::Unit(id) => {
                let unit = self.unit(id).await?;
                if !unit.valid_in_year(year) {
                    return Err(DomainError::invalid(
                        "year",
                        format!("Đơn vị {} không hoạt động trong năm {year}.", unit.name),
                    )
                    .into());
                }
            }
        }
        let key = subject.key(year);
        let note = note.trim();
        let (kind, pid, uid) = match subject {
            Subject::Person(id) => ("person", Some(id), None),
            Subject::Unit(id) => ("unit", None, Some(id)),
        };
        let id: i64 = write_tx!(self, |tx| {
            let before: Option<RatingRecord> =
                sqlx::query_as(&format!("{RATING_SELECT} where subject_key = $1"))
                    .bind(&key)
                    .fetch_optional(&mut *tx)
                    .await?;
            let after = serde_json::json!({
                "subject": kind, "person_id": pid, "unit_id": uid, "year": year,
                "rating": rating.code(), "note": note,
            });
            match before {
                Some(b) => {
                    sqlx::query("update annual_ratings set rating = $1, note = $2, source = 'entered' where id = $3")
                        .bind(rating.code())
                        .bind(note)
                        .bind(b.id)
                        .execute(&mut *tx)
                        .await?;
                    audit!(tx, actor, "rating", b.id, "update", json(&b), json(&after));
                    b.id
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "insert into annual_ratings (subject_kind, person_id, unit_id, year, rating, note, source, subject_key, created_at)
                         values ($1, $2, $3, $4, $5, $6, 'entered', $7, $8) returning id",
                    )
                    .bind(kind)
                    .bind(pid)
                    .bind(uid)
                    .bind(year)
                    .bind(rating.code())
                    .bind(note)
                    .bind(&key)
                    .bind(crate::now_rfc3339())
                    .fetch_one(&mut *tx)
                    .await?;
                    audit!(tx, actor, "rating", id, "create", None, json(&after));
                    id
                }
            }
        });
        let row: Option<RatingRecord> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{RATING_SELECT} where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("xếp loại #{id}")))
    }

    /// Records a discipline decision (the same decision twice is refused).
    ///
    /// # Errors
    /// `Invalid`, `Conflict`, `NotFound`.
    pub async fn record_discipline(
        &self,
        actor: &str,
        d: &NewDiscipline,
    ) -> Result<DisciplineRecord> {
        let today = tdkt_core::date::today_vn();
        let person = self.person(d.person_id).await?;
        let decision_no = d
            .decision_no
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if decision_no.is_empty() {
            return Err(
                DomainError::invalid("decision_no", "Phải có số quyết định kỷ luật.").into(),
            );
        }
        if d.decision_date > today {
            return Err(DomainError::invalid(
                "decision_date",
                format!(
                    "Ngày quyết định {} ở tương lai.",
                    tdkt_core::date::format_vn(d.decision_date)
                ),
            )
            .into());
        }
        if d.months.is_some_and(|m| m == 0 || m > 120) {
            return Err(DomainError::invalid(
                "months",
                "Thời hạn kỷ luật phải từ 1 đến 120 tháng.",
            )
            .into());
        }
        let effective = d.effective_on.unwrap_or(d.decision_date);
        let key = format!(
            "{}|{}",
            d.person_id,
            crate::awards::decision_key(&decision_no)
        );
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into discipline_records (person_id, level, decision_no, decision_date, effective_on, months, reason, source, dedupe_key, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, 'entered', $8, $9) returning id",
            )
            .bind(d.person_id)
            .bind(d.level.code())
            .bind(&decision_no)
            .bind(d.decision_date)
            .bind(effective)
            .bind(d.months.map(i32::from))
            .bind(d.reason.trim())
            .bind(&key)
            .bind(crate::now_rfc3339())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "decision_no",
                format!("Quyết định kỷ luật {decision_no} của {} đã có.", person.full_name),
            ))?;
            let after = serde_json::json!({
                "person_id": d.person_id, "level": d.level.code(), "decision_no": decision_no,
                "decision_date": d.decision_date.to_string(), "effective_on": effective.to_string(), "months": d.months,
            });
            audit!(tx, actor, "discipline", id, "create", None, json(&after));
            id
        });
        let row: Option<DisciplineRecord> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{DISCIPLINE_SELECT} where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("kỷ luật #{id}")))
    }

    /// Records a recognised initiative or research result.
    ///
    /// # Errors
    /// `Invalid`, `Conflict`, `NotFound`.
    pub async fn record_initiative(
        &self,
        actor: &str,
        i: &NewInitiative,
    ) -> Result<InitiativeRecord> {
        let today = tdkt_core::date::today_vn();
        let person = self.person(i.person_id).await?;
        let title = i.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Err(DomainError::invalid("title", "Phải có tên sáng kiến, đề tài.").into());
        }
        if i.recognised_on > today {
            return Err(DomainError::invalid(
                "recognised_on",
                format!(
                    "Ngày công nhận {} ở tương lai.",
                    tdkt_core::date::format_vn(i.recognised_on)
                ),
            )
            .into());
        }
        let key = format!("{}|{}|{}", i.person_id, text::fold(&title), i.recognised_on);
        let decision_no = i.decision_no.trim().to_owned();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into initiatives (person_id, kind, title, scope, recognised_on, decision_no, source, dedupe_key, created_at)
                 values ($1, $2, $3, $4, $5, $6, 'entered', $7, $8) returning id",
            )
            .bind(i.person_id)
            .bind(i.kind)
            .bind(&title)
            .bind(i.scope.code())
            .bind(i.recognised_on)
            .bind(&decision_no)
            .bind(&key)
            .bind(crate::now_rfc3339())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "title",
                format!("{} đã có «{title}» được công nhận ngày này.", person.full_name),
            ))?;
            let after = serde_json::json!({
                "person_id": i.person_id, "kind": i.kind, "title": title, "scope": i.scope.code(),
                "recognised_on": i.recognised_on.to_string(), "decision_no": decision_no,
            });
            audit!(tx, actor, "initiative", id, "create", None, json(&after));
            id
        });
        let row: Option<InitiativeRecord> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{INITIATIVE_SELECT} where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("sáng kiến #{id}")))
    }

    /// A person's ratings, newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn person_ratings(&self, person_id: i64) -> Result<Vec<RatingRecord>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{RATING_SELECT} where person_id = $1 order by year desc"
        ))
        .bind(person_id)
        .fetch_all(p)
        .await?))
    }

    /// Ratings of the given units, newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn unit_ratings(&self, units: &[i64]) -> Result<Vec<RatingRecord>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new(format!("{RATING_SELECT} where unit_id in ("));
            let mut sep = qb.separated(", ");
            for u in units {
                sep.push_bind(*u);
            }
            qb.push(") order by year desc");
            qb.build_query_as().fetch_all(p).await?
        }))
    }

    /// # Errors
    /// Database failure.
    pub async fn person_disciplines(&self, person_id: i64) -> Result<Vec<DisciplineRecord>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "{DISCIPLINE_SELECT} where person_id = $1 and voided_at is null order by effective_on desc"
        ))
        .bind(person_id)
        .fetch_all(p)
        .await?
        }))
    }

    /// # Errors
    /// Database failure.
    pub async fn person_initiatives(&self, person_id: i64) -> Result<Vec<InitiativeRecord>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "{INITIATIVE_SELECT} where person_id = $1 and voided_at is null order by recognised_on desc"
        ))
        .bind(person_id)
        .fetch_all(p)
        .await?
        }))
    }
}

/// A recorded input that can be voided (never deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voidable {
    Discipline,
    Initiative,
}

impl Voidable {
    fn table(self) -> &'static str {
        match self {
            Self::Discipline => "discipline_records",
            Self::Initiative => "initiatives",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Self::Discipline => "discipline",
            Self::Initiative => "initiative",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Discipline => "quyết định kỷ luật",
            Self::Initiative => "sáng kiến, đề tài",
        }
    }
}

impl Store {
    /// Voids a discipline decision or an initiative entered in error: the
    /// row stays (with who, when and why) and the audit log has the before
    /// and after; the engine, the person page and the scan no longer read
    /// it. Its dedupe key is released so the right record can be entered.
    ///
    /// # Errors
    /// `Invalid` without a reason, `NotFound` (not this person's), `Conflict`
    /// when already voided.
    pub async fn void_input(
        &self,
        actor: &str,
        what: Voidable,
        person_id: i64,
        id: i64,
        reason: &str,
    ) -> Result<()> {
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        if reason.chars().count() < 5 {
            return Err(DomainError::invalid(
                "void_reason",
                format!("Phải ghi lý do hủy {} (ít nhất 5 ký tự).", what.label()),
            )
            .into());
        }
        let table = what.table();
        write_tx!(self, |tx| {
            let row: Option<(i64, Option<String>, String)> = sqlx::query_as(&format!(
                "select person_id, voided_at, dedupe_key from {table} where id = $1"
            ))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((owner, voided, key)) = row.filter(|r| r.0 == person_id) else {
                return Err(StoreError::NotFound(format!("{} #{id}", what.label())));
            };
            if voided.is_some() {
                return Err(StoreError::Conflict(
                    "void_reason",
                    format!("{} này đã bị hủy.", what.label()),
                ));
            }
            let at = crate::now_rfc3339();
            sqlx::query(&format!(
                "update {table} set voided_at = $1, voided_by = $2, void_reason = $3, dedupe_key = $4 where id = $5"
            ))
            .bind(&at)
            .bind(actor)
            .bind(&reason)
            .bind(format!("{key}|huy:{id}"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let before = serde_json::json!({"person_id": owner, "voided": false});
            let after = serde_json::json!({"person_id": owner, "voided": true, "reason": reason});
            audit!(
                tx,
                actor,
                what.entity(),
                id,
                "void",
                json(&before),
                json(&after)
            );
        });
        Ok(())
    }
}
