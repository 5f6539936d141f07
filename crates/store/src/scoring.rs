//! Rubrics and scoring rounds, stored as JSON documents of the core types
//! (`tdkt_core::rubric::Rubric`, `tdkt_core::scoring::Round`).
//!
//! A rubric is versioned: saving one checks it
//! (`tdkt_core::rubric::Rubric::check`: formulas, caps, group maxima) and
//! stores it as the next version of its code; a version is never edited.
//! A round changes only through [`Store::update_round`], which loads it under
//! a row lock, applies one method of `Round`, saves it and writes the audit
//! event with before/after in the same transaction; a closed round refuses
//! every change (the core says so).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tdkt_core::org::UnitId;
use tdkt_core::period::Period;
use tdkt_core::rubric::{Direction, IndicatorValue, Rubric};
use tdkt_core::scoring::{MemberId, Round, RoundState, ScoringError};
use tdkt_core::DomainError;

use crate::audit::audit;
use crate::{now_rfc3339, with_pool, write_tx, Backend, Result, Store, StoreError};

fn decode(e: serde_json::Error) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(Box::new(e)))
}

/// The stored form of a [`Round`]: the same fields, with the cross-scores
/// as a list (JSON object keys must be strings, the core keys them by pair).
#[derive(serde::Serialize, serde::Deserialize)]
struct RoundDoc {
    config: tdkt_core::scoring::RoundConfig,
    members: BTreeSet<MemberId>,
    leader: MemberId,
    state: RoundState,
    self_scores: std::collections::BTreeMap<MemberId, tdkt_core::rubric::Evaluation>,
    cross_scores: Vec<CrossScore>,
    adjustments: Vec<tdkt_core::scoring::Adjustment>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CrossScore {
    scorer: MemberId,
    scored: MemberId,
    points: rust_decimal::Decimal,
}

pub(crate) fn to_doc(r: &Round) -> Result<String> {
    serde_json::to_string(&RoundDoc {
        config: r.config.clone(),
        members: r.members.clone(),
        leader: r.leader.clone(),
        state: r.state,
        self_scores: r.self_scores.clone(),
        cross_scores: r
            .cross_scores
            .iter()
            .map(|((scorer, scored), points)| CrossScore {
                scorer: scorer.clone(),
                scored: scored.clone(),
                points: *points,
            })
            .collect(),
        adjustments: r.adjustments.clone(),
    })
    .map_err(decode)
}

pub(crate) fn from_doc(s: &str) -> Result<Round> {
    let d: RoundDoc = serde_json::from_str(s).map_err(decode)?;
    Ok(Round {
        config: d.config,
        members: d.members,
        leader: d.leader,
        state: d.state,
        self_scores: d.self_scores,
        cross_scores: d
            .cross_scores
            .into_iter()
            .map(|c| ((c.scorer, c.scored), c.points))
            .collect(),
        adjustments: d.adjustments,
    })
}

/// A scoring round as stored.
#[derive(Debug, Clone, Serialize)]
pub struct RoundInfo {
    pub id: i64,
    pub unit_id: UnitId,
    pub context: String,
    pub title: String,
    pub rubric: Option<(String, u32)>,
    /// Where formula criteria take their indicator figures.
    pub figures: Option<Figures>,
    /// The cluster-year whose regulation set the rubric and sets the
    /// proposal limits.
    pub cluster_id: Option<i64>,
    #[serde(skip)]
    pub round: Round,
    pub created_by: String,
}

/// The cluster-year and reporting period whose indicator results a round's
/// formula criteria score (`actual`, `target`, `direction` of each member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub cluster_id: i64,
    pub period: Period,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: i64,
    unit_id: i64,
    context: String,
    title: String,
    rubric_code: Option<String>,
    rubric_version: Option<i32>,
    figures_cluster_id: Option<i64>,
    figures_period: Option<String>,
    cluster_id: Option<i64>,
    doc_json: String,
    created_by: String,
}

impl TryFrom<RoundRow> for RoundInfo {
    type Error = StoreError;
    fn try_from(r: RoundRow) -> Result<Self> {
        Ok(Self {
            id: r.id,
            unit_id: r.unit_id,
            context: r.context,
            title: r.title,
            rubric: r
                .rubric_code
                .zip(r.rubric_version)
                .map(|(c, v)| (c, u32::try_from(v).unwrap_or(0))),
            figures: match r.figures_cluster_id.zip(r.figures_period) {
                Some((cluster_id, p)) => Some(Figures {
                    cluster_id,
                    period: Period::parse(&p)
                        .map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))?,
                }),
                None => None,
            },
            cluster_id: r.cluster_id,
            round: from_doc(&r.doc_json)?,
            created_by: r.created_by,
        })
    }
}

const ROUND_COLS: &str = "id, unit_id, context, title, rubric_code, rubric_version, \
     figures_cluster_id, figures_period, cluster_id, doc_json, created_by";

/// A round to open.
#[derive(Debug, Clone)]
pub struct NewRound {
    pub unit_code: String,
    pub context: String,
    pub title: String,
    pub rubric: Option<(String, u32)>,
    pub figures: Option<Figures>,
    /// The cluster-year whose regulation governs the round: its rubric must
    /// be the regulation's, its proposals follow the regulation's limits.
    pub cluster_id: Option<i64>,
    pub round: Round,
}

impl Store {
    /// Checks a rubric against the known indicators and stores it as the next
    /// version of its code. Returns the version. A new code is owned by
    /// `owner` (`None`: national); a new version keeps the owner of the
    /// code's first version whatever `owner` says (the caller checks that
    /// it may write there: [`Store::rubric_owner`]).
    ///
    /// # Errors
    /// Every problem the core finds, one per line (criterion and reason).
    pub async fn save_rubric(
        &self,
        actor: &str,
        rubric: &Rubric,
        indicators: &BTreeSet<String>,
        owner: Option<UnitId>,
    ) -> Result<u32> {
        if let Err(errors) = rubric.clone().check(indicators) {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return Err(DomainError::invalid("rubric", lines.join("\n")).into());
        }
        let code = rubric.code.trim().to_owned();
        let version: i32 = write_tx!(self, |tx| {
            let last: Option<i32> =
                sqlx::query_scalar("select max(version) from rubrics where code = $1")
                    .bind(&code)
                    .fetch_one(&mut *tx)
                    .await?;
            let version = last.unwrap_or(0) + 1;
            let owner: Option<i64> = if version == 1 {
                owner
            } else {
                sqlx::query_scalar(
                    "select owner_unit_id from rubrics where code = $1 order by version limit 1",
                )
                .bind(&code)
                .fetch_one(&mut *tx)
                .await?
            };
            let mut doc = rubric.clone();
            doc.version = u32::try_from(version).unwrap_or(1);
            let doc_json = serde_json::to_string(&doc).map_err(decode)?;
            sqlx::query("insert into rubrics (code, version, title, doc_json, created_by, created_at, owner_unit_id) values ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&code)
                .bind(version)
                .bind(&doc.title)
                .bind(&doc_json)
                .bind(actor)
                .bind(now_rfc3339())
                .bind(owner)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::unique("version", format!("Bảng tiêu chí «{code}» vừa được lưu phiên bản {version}; hãy thử lại.")))?;
            audit!(
                tx,
                actor,
                "rubric",
                format!("{code}@{version}"),
                "create",
                None,
                Some(doc_json)
            );
            version
        });
        Ok(u32::try_from(version).unwrap_or(1))
    }

    /// Who owns rubric `code`: `None` when no version exists, `Some(None)`
    /// for a national rubric (admins only), `Some(Some(unit))` otherwise.
    ///
    /// # Errors
    /// Database failure.
    pub async fn rubric_owner(&self, code: &str) -> Result<Option<Option<UnitId>>> {
        let row: Option<(Option<i64>,)> = with_pool!(self, |p| sqlx::query_as(
            "select owner_unit_id from rubrics where code = $1 order by version limit 1"
        )
        .bind(code.trim())
        .fetch_optional(p)
        .await?);
        Ok(row.map(|(o,)| o))
    }

    /// A rubric by code, the given version or the newest.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn rubric(&self, code: &str, version: Option<u32>) -> Result<Rubric> {
        let doc: Option<String> = with_pool!(self, |p| match version {
            Some(v) =>
                sqlx::query_scalar("select doc_json from rubrics where code = $1 and version = $2")
                    .bind(code)
                    .bind(i32::try_from(v).unwrap_or(i32::MAX))
                    .fetch_optional(p)
                    .await?,
            None =>
                sqlx::query_scalar(
                    "select doc_json from rubrics where code = $1 order by version desc limit 1"
                )
                .bind(code)
                .fetch_optional(p)
                .await?,
        });
        let doc = doc.ok_or_else(|| StoreError::NotFound(format!("bảng tiêu chí «{code}»")))?;
        serde_json::from_str(&doc).map_err(decode)
    }

    /// Every rubric version: (code, version, title), newest first per code.
    ///
    /// # Errors
    /// Database failure.
    pub async fn rubrics(&self) -> Result<Vec<(String, i32, String)>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "select code, version, title from rubrics order by code, version desc"
        )
        .fetch_all(p)
        .await?))
    }

    /// Opens a scoring round (the `Round` is built by `Round::open`).
    ///
    /// # Errors
    /// Unknown unit or rubric version; empty title.
    pub async fn create_round(&self, actor: &str, new: &NewRound) -> Result<RoundInfo> {
        self.insert_round(actor, new, None).await
    }

    /// Writes a round and, when given, its ranking configuration (JSON) in
    /// one transaction, so a round never ranks with a configuration other
    /// than the one it was opened with.
    pub(crate) async fn insert_round(
        &self,
        actor: &str,
        new: &NewRound,
        ranking_json: Option<String>,
    ) -> Result<RoundInfo> {
        // The body that runs the round must be in being today (issue 12, item 9).
        let unit = self
            .unit_in_being(&new.unit_code, tdkt_core::date::today_vn(), "unit")
            .await?;
        if new.title.trim().is_empty() {
            return Err(DomainError::invalid("title", "Cần nhập tên đợt chấm điểm.").into());
        }
        if let Some((code, v)) = &new.rubric {
            self.rubric(code, Some(*v)).await.map_err(|_| {
                DomainError::invalid(
                    "rubric",
                    format!("Không có bảng tiêu chí «{code}» phiên bản {v}."),
                )
            })?;
        }
        if let Some(f) = &new.figures {
            self.cluster_by_id(f.cluster_id).await?;
        }
        if let Some(cid) = new.cluster_id {
            let cluster = self.cluster_by_id(cid).await?;
            let wanted = self.cluster_settings(cid).await?.regulation.rubric;
            let used = new.rubric.as_ref().map(|r| r.0.as_str());
            // The regulation names the rubric the cluster scores by; a round
            // of the cluster may not use another.
            if !wanted.is_empty() && used != Some(wanted.as_str()) {
                return Err(DomainError::invalid(
                    "rubric",
                    format!(
                        "Quy chế của {} năm {} dùng bảng tiêu chí «{wanted}», không phải «{}».",
                        cluster.name,
                        cluster.year,
                        used.unwrap_or("(không có)")
                    ),
                )
                .into());
            }
        }
        let doc = to_doc(&new.round)?;
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into scoring_rounds (unit_id, context, title, rubric_code, rubric_version, figures_cluster_id, figures_period, doc_json, closed, created_by, created_at, cluster_id)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
            )
            .bind(unit.id)
            .bind(new.context.trim())
            .bind(new.title.trim())
            .bind(new.rubric.as_ref().map(|r| r.0.clone()))
            .bind(new.rubric.as_ref().map(|r| i32::try_from(r.1).unwrap_or(0)))
            .bind(new.figures.as_ref().map(|f| f.cluster_id))
            .bind(new.figures.as_ref().map(|f| f.period.code()))
            .bind(&doc)
            .bind(new.round.state == RoundState::Closed)
            .bind(actor)
            .bind(now_rfc3339())
            .bind(new.cluster_id)
            .fetch_one(&mut *tx)
            .await?;
            audit!(
                tx,
                actor,
                "scoring_round",
                id,
                "create",
                None,
                Some(doc.clone())
            );
            if let Some(json) = &ranking_json {
                sqlx::query("insert into round_rankings (round_id, config_json) values ($1, $2)")
                    .bind(id)
                    .bind(json)
                    .execute(&mut *tx)
                    .await?;
                audit!(
                    tx,
                    actor,
                    "round_ranking",
                    id,
                    "configure",
                    None,
                    Some(json.clone())
                );
            }
            id
        });
        self.scoring_round(id).await
    }

    /// # Errors
    /// `NotFound`.
    pub async fn scoring_round(&self, id: i64) -> Result<RoundInfo> {
        let row: Option<RoundRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {ROUND_COLS} from scoring_rounds where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("đợt chấm điểm #{id}")))?
            .try_into()
    }

    /// Rounds run by units in `units` (`None` = all), newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn rounds_in(&self, units: Option<&BTreeSet<UnitId>>) -> Result<Vec<RoundInfo>> {
        let rows: Vec<RoundRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {ROUND_COLS} from scoring_rounds order by id desc"
        ))
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .filter(|r| units.is_none_or(|u| u.contains(&r.unit_id)))
            .map(TryInto::try_into)
            .collect()
    }

    /// Applies one change (`action` names it in the audit log, e.g.
    /// `self-score`, `cross-score`, `adjust`, `close`) to a round, under a
    /// row lock, with the audit event in the same transaction.
    ///
    /// # Errors
    /// Unknown round; the core's refusal (closed round, self cross-score,
    /// out of range, not the leader…) as a Vietnamese message.
    pub async fn update_round(
        &self,
        actor: &str,
        id: i64,
        action: &str,
        change: impl FnOnce(&mut Round) -> Result<(), ScoringError> + Send,
    ) -> Result<RoundInfo> {
        let lock = match self.backend() {
            Backend::Postgres => " for update",
            Backend::Sqlite => "",
        };
        let sql = format!("select doc_json from scoring_rounds where id = $1{lock}");
        write_tx!(self, |tx| {
            let before: Option<String> = sqlx::query_scalar(&sql)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let before =
                before.ok_or_else(|| StoreError::NotFound(format!("đợt chấm điểm #{id}")))?;
            let mut round = from_doc(&before)?;
            change(&mut round).map_err(|e| DomainError::invalid("round", e.to_string()))?;
            let after = to_doc(&round)?;
            sqlx::query("update scoring_rounds set doc_json = $1, closed = $2 where id = $3")
                .bind(&after)
                .bind(round.state == RoundState::Closed)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                actor,
                "scoring_round",
                id,
                action,
                Some(before),
                Some(after)
            );
        });
        self.scoring_round(id).await
    }
}

impl Store {
    /// A member's indicator figures for the formula criteria of a round: the
    /// current value reported for the round's period, the member's own
    /// registered target (else the pledge's common threshold) and the
    /// indicator's direction. An indicator without a value or a target is
    /// left out, so the criterion that needs it is refused by name
    /// (`tdkt_core::rubric::CheckedRubric::evaluate`) instead of scoring 0.
    ///
    /// # Errors
    /// Database failure.
    pub async fn member_figures(
        &self,
        figures: &Figures,
        member: &tdkt_core::org::Unit,
    ) -> Result<BTreeMap<String, IndicatorValue>> {
        let pledge = self.pledge(figures.cluster_id).await?;
        let values = self
            .current_values(figures.cluster_id, figures.period)
            .await?;
        let mut out = BTreeMap::new();
        for (id, ind) in pledge {
            let actual = values
                .iter()
                .find(|(unit, indicator, _)| *unit == member.id && *indicator == id)
                .map(|(_, _, v)| *v);
            let target = ind.targets.get(&member.name).copied().or(ind.threshold);
            if let Some((actual, target)) = actual.zip(target) {
                let direction = match ind.direction {
                    tdkt_core::pledge::Direction::Higher => Direction::HigherIsBetter,
                    tdkt_core::pledge::Direction::Lower => Direction::LowerIsBetter,
                };
                out.insert(
                    ind.key.as_str().to_owned(),
                    IndicatorValue {
                        actual,
                        target,
                        direction,
                    },
                );
            }
        }
        Ok(out)
    }
}
