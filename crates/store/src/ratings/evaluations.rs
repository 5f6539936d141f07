//! Monthly and quarterly evaluations of a person (migration 0009), the
//! periodic results behind the annual rating (`tdkt_core::evaluation`).
//! One per person and period; a period must touch an employment period and
//! must have begun.

use serde::Serialize;
use tdkt_core::eligibility::Rating;
use tdkt_core::evaluation::{within_service, YearSummary};
use tdkt_core::period::Period;
use tdkt_core::DomainError;

use super::describe_periods;
use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// A stored evaluation.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EvaluationRecord {
    pub id: i64,
    pub person_id: i64,
    /// `2024-03` or `2024-Q1`.
    pub period: String,
    pub period_kind: String,
    pub year: i32,
    pub level: String,
    pub note: String,
    pub source: String,
}

impl EvaluationRecord {
    #[must_use]
    pub fn period(&self) -> Option<Period> {
        Period::parse(&self.period).ok()
    }

    #[must_use]
    pub fn rating(&self) -> Option<Rating> {
        Rating::parse(&self.level)
    }

    #[must_use]
    pub fn label(&self) -> String {
        self.period()
            .map_or_else(|| self.period.clone(), |p| p.label())
    }
}

pub(crate) const EVALUATION_SELECT: &str = "select id, person_id, period, period_kind, year, level, note, source from periodic_evaluations";

/// Why an evaluation of `p` cannot be recorded for someone who served
/// `periods`, as of `today`; `None` when it can.
#[must_use]
pub fn refuse_period(
    p: &Period,
    name: &str,
    periods: &[(time::Date, Option<time::Date>)],
    today: time::Date,
) -> Option<String> {
    if p.start_date() > today {
        return Some(format!("{} chưa bắt đầu: chưa đánh giá được.", p.label()));
    }
    (!within_service(p, periods)).then(|| {
        format!(
            "{name} không công tác trong {} ({}): không thể đánh giá kỳ đó.",
            p.label(),
            describe_periods(periods)
        )
    })
}

/// The evaluations of `year` as the rating form summarises them.
#[must_use]
pub fn summary(year: i32, records: &[EvaluationRecord]) -> YearSummary {
    let pairs: Vec<(Period, Rating)> = records
        .iter()
        .filter_map(|r| Some((r.period()?, r.rating()?)))
        .collect();
    YearSummary::of(year, &pairs)
}

impl Store {
    /// Records a person's evaluation for a month or a quarter.
    ///
    /// # Errors
    /// `Invalid` (a period out of service or not begun), `Conflict` (the
    /// period already has an evaluation), `NotFound`.
    pub async fn record_evaluation(
        &self,
        actor: &str,
        person_id: i64,
        period: Period,
        level: Rating,
        note: &str,
    ) -> Result<EvaluationRecord> {
        let person = self.person(person_id).await?;
        let kind = match period {
            Period::Month { .. } => "month",
            Period::Quarter { .. } => "quarter",
            _ => {
                return Err(DomainError::invalid(
                    "period",
                    "Kỳ đánh giá phải là một tháng hoặc một quý.",
                )
                .into())
            }
        };
        let periods = self.service_periods(person_id).await?;
        if let Some(m) = refuse_period(
            &period,
            &person.full_name,
            &periods,
            tdkt_core::date::today_vn(),
        ) {
            return Err(DomainError::invalid("period", m).into());
        }
        let note = note.trim();
        let code = period.code();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into periodic_evaluations (person_id, period, period_kind, year, level, note, source, created_at)
                 values ($1, $2, $3, $4, $5, $6, 'entered', $7) returning id",
            )
            .bind(person_id)
            .bind(&code)
            .bind(kind)
            .bind(period.year())
            .bind(level.code())
            .bind(note)
            .bind(crate::now_rfc3339())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "period",
                format!(
                    "{} đã có đánh giá {}: mỗi kỳ chỉ một kết quả.",
                    person.full_name,
                    period.label()
                ),
            ))?;
            let after = serde_json::json!({
                "person_id": person_id, "period": code, "level": level.code(), "note": note,
            });
            audit!(tx, actor, "evaluation", id, "create", None, json(&after));
            id
        });
        let row: Option<EvaluationRecord> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{EVALUATION_SELECT} where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("đánh giá #{id}")))
    }

    /// A person's evaluations, newest period first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn person_evaluations(&self, person_id: i64) -> Result<Vec<EvaluationRecord>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{EVALUATION_SELECT} where person_id = $1 order by year desc, period_kind, period desc"
        ))
        .bind(person_id)
        .fetch_all(p)
        .await?))
    }
}
