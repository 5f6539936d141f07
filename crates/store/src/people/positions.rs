//! A person's positions (*chức vụ*) as dated periods (issue 13, migration
//! 0047): added, corrected and removed on the person page, each change
//! checked with all the person's periods by `tdkt_core::tenure` (end on or
//! after start, no overlap, `Kind::Position`) and audited with the history
//! before and after.
//!
//! `people.position` / `people.is_leader` keep the open period (the one
//! held now), rewritten in the same transaction: the lists, the decision's
//! annex and the API read that one column as before, and the history here is
//! the one source of both. What was held on a given day (the year the
//! eligibility engine judges) is read from the periods, never from the column.

use serde::Serialize;
use tdkt_core::person::NewPosition;
use tdkt_core::tenure::{self, Kind, Tenure};
use time::Date;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// One period in which a person held a position, end inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PositionPeriod {
    pub id: i64,
    pub title: String,
    pub is_leader: bool,
    pub start_date: Date,
    /// `None`: still held.
    pub end_date: Option<Date>,
}

impl PositionPeriod {
    /// Held on `day` (both ends inclusive)?
    #[must_use]
    pub fn held_on(&self, day: Date) -> bool {
        self.start_date <= day && self.end_date.is_none_or(|e| day <= e)
    }
}

/// A change to a person's positions.
enum Change<'a> {
    Add(&'a NewPosition),
    Edit(i64, &'a NewPosition),
    Delete(i64),
}

const SELECT: &str = "select id, title, is_leader, start_date, end_date from position_periods";

fn tenures(periods: &[PositionPeriod]) -> Vec<Tenure<i64>> {
    periods
        .iter()
        .map(|p| Tenure {
            value: p.id,
            start: p.start_date,
            end: p.end_date,
        })
        .collect()
}

fn history_json(periods: &[PositionPeriod]) -> Option<String> {
    json(&serde_json::json!(periods
        .iter()
        .map(|p| serde_json::json!({
            "title": p.title, "is_leader": p.is_leader,
            "from": p.start_date.to_string(),
            "to": p.end_date.map(|d| d.to_string()),
        }))
        .collect::<Vec<_>>()))
}

/// The open period a new one closes: its id and its last day.
type Closing = Option<(i64, Date)>;

/// The periods after `change`, checked, and the open period to close (a
/// new open period closes the one held until then, the day before, as a
/// move between units does), or the Vietnamese refusal naming the field.
fn apply(
    before: &[PositionPeriod],
    change: &Change<'_>,
) -> std::result::Result<(Vec<PositionPeriod>, Closing), StoreError> {
    let mut after: Vec<PositionPeriod> = before.to_vec();
    let mut close = None;
    let period = |id: i64, p: &NewPosition| PositionPeriod {
        id,
        title: p.title.clone(),
        is_leader: p.is_leader,
        start_date: p.start,
        end_date: p.end,
    };
    let missing = |id: i64| StoreError::NotFound(format!("chức vụ #{id}"));
    match change {
        Change::Add(p) => {
            if p.end.is_none() {
                if let Some(open) = after
                    .iter_mut()
                    .find(|o| o.end_date.is_none() && o.start_date < p.start)
                {
                    let day_before = p.start.previous_day().unwrap_or(p.start);
                    open.end_date = Some(day_before);
                    close = Some((open.id, day_before));
                }
            }
            after.push(period(0, p));
        }
        Change::Edit(id, p) => {
            let at = after
                .iter()
                .position(|o| o.id == *id)
                .ok_or_else(|| missing(*id))?;
            after[at] = period(*id, p);
        }
        Change::Delete(id) => {
            let at = after
                .iter()
                .position(|o| o.id == *id)
                .ok_or_else(|| missing(*id))?;
            after.remove(at);
        }
    }
    tenure::check(Kind::Position, &tenures(&after))?;
    after.sort_by_key(|p| p.start_date);
    Ok((after, close))
}

impl Store {
    /// A person's positions, oldest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn positions(&self, person_id: i64) -> Result<Vec<PositionPeriod>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{SELECT} where person_id = $1 order by start_date, id"
        ))
        .bind(person_id)
        .fetch_all(p)
        .await?))
    }

    /// The position `person_id` held on `day`, if any.
    ///
    /// # Errors
    /// Database failure.
    pub async fn position_on(&self, person_id: i64, day: Date) -> Result<Option<PositionPeriod>> {
        Ok(self
            .positions(person_id)
            .await?
            .into_iter()
            .find(|p| p.held_on(day)))
    }

    /// Adds a period; an open one closes the period held until then on
    /// the day before it starts.
    ///
    /// # Errors
    /// `Invalid("position_from")` for an overlap (or a start on or before
    /// the start of the open period it would close); `NotFound`.
    pub async fn add_position(&self, actor: &str, person_id: i64, p: &NewPosition) -> Result<()> {
        self.change_positions(actor, person_id, &Change::Add(p))
            .await
    }

    /// Corrects period `id` of `person_id`.
    ///
    /// # Errors
    /// As [`Store::add_position`]; `NotFound` for a period not the person's.
    pub async fn edit_position(
        &self,
        actor: &str,
        person_id: i64,
        id: i64,
        p: &NewPosition,
    ) -> Result<()> {
        self.change_positions(actor, person_id, &Change::Edit(id, p))
            .await
    }

    /// Removes period `id` of `person_id` (entered by mistake).
    ///
    /// # Errors
    /// `NotFound` for a period not the person's.
    pub async fn delete_position(&self, actor: &str, person_id: i64, id: i64) -> Result<()> {
        self.change_positions(actor, person_id, &Change::Delete(id))
            .await
    }

    async fn change_positions(
        &self,
        actor: &str,
        person_id: i64,
        change: &Change<'_>,
    ) -> Result<()> {
        self.person(person_id).await?;
        write_tx!(self, |tx| {
            let before: Vec<PositionPeriod> = sqlx::query_as(&format!(
                "{SELECT} where person_id = $1 order by start_date, id"
            ))
            .bind(person_id)
            .fetch_all(&mut *tx)
            .await?;
            let (after, close) = apply(&before, change)?;
            if let Some((id, day)) = close {
                sqlx::query("update position_periods set end_date = $1 where id = $2")
                    .bind(day)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            match change {
                Change::Add(p) => {
                    sqlx::query(
                        "insert into position_periods (person_id, title, is_leader, start_date, end_date) values ($1, $2, $3, $4, $5)",
                    )
                    .bind(person_id)
                    .bind(&p.title)
                    .bind(p.is_leader)
                    .bind(p.start)
                    .bind(p.end)
                    .execute(&mut *tx)
                    .await?;
                }
                Change::Edit(id, p) => {
                    sqlx::query(
                        "update position_periods set title = $1, is_leader = $2, start_date = $3, end_date = $4 where id = $5 and person_id = $6",
                    )
                    .bind(&p.title)
                    .bind(p.is_leader)
                    .bind(p.start)
                    .bind(p.end)
                    .bind(id)
                    .bind(person_id)
                    .execute(&mut *tx)
                    .await?;
                }
                Change::Delete(id) => {
                    sqlx::query("delete from position_periods where id = $1 and person_id = $2")
                        .bind(id)
                        .bind(person_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            // the column keeps the open period: the position held now
            let (title, leader) = after
                .iter()
                .rev()
                .find(|p| p.end_date.is_none())
                .map_or((String::new(), false), |p| (p.title.clone(), p.is_leader));
            sqlx::query("update people set position = $1, is_leader = $2 where id = $3")
                .bind(&title)
                .bind(leader)
                .bind(person_id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                actor,
                "person",
                person_id,
                "position",
                history_json(&before),
                history_json(&after)
            );
        });
        Ok(())
    }
}
