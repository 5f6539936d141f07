//! Rankings of scoring rounds and the nominations proposed from them.
//!
//! A round's ranking configuration (tie-breaks, bands) is fixed when the
//! round opens; closing the round ranks it and stores the ranking in the
//! same transaction, so a closed round always has exactly the ranking its
//! configuration produced at close. Proposals
//! (`tdkt_core::proposal::propose`) are stored as nominations with status
//! `proposed`, the state in which the dossier workflow takes them over.

use serde::Serialize;
use tdkt_core::org::UnitId;
use tdkt_core::proposal::Proposal;
use tdkt_core::ranking::{rank, Ranked, RankingConfig};
use tdkt_core::scoring::{RoundState, ScoringError};
use tdkt_core::DomainError;

use crate::audit::audit;
use crate::scoring::{from_doc, to_doc, NewRound, RoundInfo};
use crate::{now_rfc3339, with_pool, write_tx, Backend, Result, Store, StoreError};

fn decode(e: serde_json::Error) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(Box::new(e)))
}

/// A nomination (*đề nghị khen thưởng*) as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Nomination {
    pub id: i64,
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
    pub award_code: String,
    pub year: i32,
    pub source_round_id: Option<i64>,
    pub source_ballot_id: Option<i64>,
    pub status: String,
    pub reasons_json: String,
    pub created_by: String,
    pub created_at: String,
}

impl Nomination {
    /// The reasons, one Vietnamese line each.
    #[must_use]
    pub fn reasons(&self) -> Vec<String> {
        serde_json::from_str(&self.reasons_json).unwrap_or_default()
    }
}

const NOMINATION_COLS: &str = "id, unit_id, person_id, award_code, year, source_round_id, source_ballot_id, status, reasons_json, created_by, created_at";

/// One proposal to store: the core's proposal and, for awards decided by a
/// ballot, the ballot it came from.
#[derive(Debug, Clone)]
pub struct NewNomination {
    pub proposal: Proposal,
    pub ballot_id: Option<i64>,
}

impl Store {
    /// Opens a round together with its ranking configuration.
    ///
    /// # Errors
    /// As [`Store::create_round`].
    pub async fn create_ranked_round(
        &self,
        actor: &str,
        new: &NewRound,
        config: &RankingConfig,
    ) -> Result<RoundInfo> {
        let json = serde_json::to_string(config).map_err(decode)?;
        self.insert_round(actor, new, Some(json)).await
    }

    /// The ranking configuration of a round and, once closed, its ranking.
    ///
    /// # Errors
    /// Database failure.
    pub async fn round_ranking(
        &self,
        round_id: i64,
    ) -> Result<(Option<RankingConfig>, Option<Vec<Ranked>>)> {
        let row: Option<(String, Option<String>)> = with_pool!(self, |p| sqlx::query_as(
            "select config_json, ranking_json from round_rankings where round_id = $1"
        )
        .bind(round_id)
        .fetch_optional(p)
        .await?);
        let Some((config, ranking)) = row else {
            return Ok((None, None));
        };
        let config = serde_json::from_str(&config).map_err(decode)?;
        let ranking = ranking
            .map(|r| serde_json::from_str(&r))
            .transpose()
            .map_err(decode)?;
        Ok((Some(config), ranking))
    }

    /// Closes (locks) a round and stores its ranking, in one transaction.
    /// `default` ranks a round opened without a configuration.
    ///
    /// # Errors
    /// Unknown round; already closed.
    pub async fn close_round(
        &self,
        actor: &str,
        id: i64,
        default: &RankingConfig,
    ) -> Result<(RoundInfo, Vec<Ranked>)> {
        let lock = match self.backend() {
            Backend::Postgres => " for update",
            Backend::Sqlite => "",
        };
        let sql = format!("select doc_json from scoring_rounds where id = $1{lock}");
        let ranking = write_tx!(self, |tx| {
            let before: Option<String> = sqlx::query_scalar(&sql)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let before =
                before.ok_or_else(|| StoreError::NotFound(format!("đợt chấm điểm #{id}")))?;
            let mut round = from_doc(&before)?;
            round
                .close()
                .map_err(|e: ScoringError| DomainError::invalid("round", e.to_string()))?;
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
                "close",
                Some(before),
                Some(after)
            );
            let stored: Option<String> =
                sqlx::query_scalar("select config_json from round_rankings where round_id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let config: RankingConfig = match &stored {
                Some(c) => serde_json::from_str(c).map_err(decode)?,
                None => default.clone(),
            };
            let ranking = rank(&round.results(), &config);
            let ranking_json = serde_json::to_string(&ranking).map_err(decode)?;
            let now = now_rfc3339();
            if stored.is_some() {
                sqlx::query(
                    "update round_rankings set ranking_json = $1, ranked_at = $2 where round_id = $3",
                )
                .bind(&ranking_json)
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            } else {
                let config_json = serde_json::to_string(&config).map_err(decode)?;
                sqlx::query("insert into round_rankings (round_id, config_json, ranking_json, ranked_at) values ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(&config_json)
                    .bind(&ranking_json)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                actor,
                "round_ranking",
                id,
                "rank",
                None,
                Some(ranking_json)
            );
            ranking
        });
        Ok((self.scoring_round(id).await?, ranking))
    }

    /// Stores the proposals of a closed round as nominations, all or none.
    /// Members are unit codes.
    ///
    /// # Errors
    /// Round not closed; unknown unit; the round already proposed a unit
    /// for the same award.
    pub async fn create_nominations(
        &self,
        actor: &str,
        round_id: i64,
        year: i32,
        nominations: &[NewNomination],
    ) -> Result<Vec<Nomination>> {
        let round = self.scoring_round(round_id).await?;
        if round.round.state != RoundState::Closed {
            return Err(DomainError::invalid(
                "round",
                "Chỉ lập danh sách đề nghị khi đợt chấm điểm đã khóa.",
            )
            .into());
        }
        let known = self
            .units_by_codes(nominations.iter().map(|n| n.proposal.member.0.as_str()))
            .await?;
        let mut units = Vec::new();
        for n in nominations {
            let code = &n.proposal.member.0;
            let unit = known.get(code).ok_or_else(|| {
                DomainError::invalid("member", format!("Không tìm thấy đơn vị có mã «{code}»."))
            })?;
            units.push(unit.id);
        }
        let now = now_rfc3339();
        let ids: Vec<i64> = write_tx!(self, |tx| {
            let mut ids = Vec::new();
            for (n, unit_id) in nominations.iter().zip(&units) {
                let reasons = serde_json::to_string(&n.proposal.reasons).map_err(decode)?;
                let id: i64 = sqlx::query_scalar(
                    "insert into nominations (unit_id, award_code, year, source_round_id, source_ballot_id, status, reasons_json, created_by, created_at)
                     values ($1, $2, $3, $4, $5, 'proposed', $6, $7, $8) returning id",
                )
                .bind(unit_id)
                .bind(&n.proposal.award)
                .bind(year)
                .bind(round_id)
                .bind(n.ballot_id)
                .bind(&reasons)
                .bind(actor)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::unique(
                    "award",
                    format!(
                        "Đợt chấm điểm này đã đề nghị «{}» cho hình thức «{}».",
                        n.proposal.member, n.proposal.award
                    ),
                ))?;
                let after = serde_json::json!({
                    "unit": n.proposal.member.0, "award": n.proposal.award, "year": year,
                    "round": round_id, "ballot": n.ballot_id, "status": "proposed",
                    "reasons": n.proposal.reasons,
                })
                .to_string();
                audit!(tx, actor, "nomination", id, "propose", None, Some(after));
                ids.push(id);
            }
            ids
        });
        let all = self.nominations_of_round(round_id).await?;
        Ok(all.into_iter().filter(|n| ids.contains(&n.id)).collect())
    }

    /// Nominations proposed by a round, in the order proposed (the highest
    /// award first, as the rules are listed).
    ///
    /// # Errors
    /// Database failure.
    pub async fn nominations_of_round(&self, round_id: i64) -> Result<Vec<Nomination>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(&format!(
                "select {NOMINATION_COLS} from nominations where source_round_id = $1 order by id"
            ))
            .bind(round_id)
            .fetch_all(p)
            .await?
        }))
    }

    /// Nominations of units in `units` (`None` = all), newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn nominations_in(
        &self,
        units: Option<&std::collections::BTreeSet<UnitId>>,
    ) -> Result<Vec<Nomination>> {
        let rows: Vec<Nomination> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {NOMINATION_COLS} from nominations order by id desc"
        ))
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .filter(|n| units.is_none_or(|u| n.unit_id.is_some_and(|id| u.contains(&id))))
            .collect())
    }
}
