//! Secret ballots (*bỏ phiếu kín*): the ballot, its voter list, and the three
//! tables of `tdkt_core::ballot`'s storage design — participation (who
//! voted), content (what the ballots say) and receipts — which share nothing
//! but the ballot id.
//!
//! - [`Store::cast_vote`] writes participation, the *sealed* content and the
//!   receipt in one transaction, participation first: the unique key
//!   `(ballot, voter)` makes a second vote fail atomically on both backends
//!   (SQLite also serialises writers through the store's write lock;
//!   PostgreSQL relies on the key alone). Votes take a shared lock on the
//!   ballot row and closing takes an exclusive one, so no vote lands after
//!   the close on PostgreSQL.
//! - Secrecy while the vote is open, against whoever can read the database
//!   (issue 12, item 4): a row written in a vote's transaction shares its
//!   stamp (PostgreSQL `xmin`, neighbouring SQLite WAL frames) with the
//!   voter's participation row, so no such row may say what the vote is. The
//!   content goes to `ballot_pending`, sealed with AES-256-GCM under a key
//!   derived from the installation key and the ballot id
//!   ([`crate::Secrets::seal_vote`]; the key file is never in the database)
//!   and padded to one length per ballot, so that neither the text nor its
//!   size tells the choice. The vote is durable when acknowledged: a crash
//!   loses nothing, the close can always open what was sealed. Plain content
//!   exists only from the close on, written in one transaction for all
//!   voters in random order. Whoever holds both the database *and* the key
//!   file (or the running server) is outside this protection.
//! - Content ids and receipt codes are 16 bytes from the OS generator. No
//!   audit event, log line or error carries a content id or receipt together
//!   with the voter; creating and closing a ballot are audited.
//! - Before close only the turnout (`count(*)` of participation) is served.
//! - [`Store::close_ballot`] opens the sealed votes and rewrites content and
//!   receipts in the closing transaction (fresh random ids, inserted in
//!   random order) so that every content row carries the closing
//!   transaction's stamp (PostgreSQL `xmin`), then compacts the tables
//!   (`VACUUM` and a WAL checkpoint on SQLite, `VACUUM FULL` of the three
//!   tables on PostgreSQL) so the dead rows of the voting period are gone.

use std::collections::BTreeSet;

use rand::rngs::OsRng;
use rand::RngCore;
use serde::Serialize;
use tdkt_core::ballot::{self, BallotSpec, Cast, Content, Outcome, Restored};
use tdkt_core::org::UnitId;
use tdkt_core::DomainError;

use crate::audit::{audit, json};
use crate::{now_rfc3339, with_pool, write_tx, Backend, Pool, Result, Store, StoreError};

/// The refusal of a second vote.
pub const ALREADY_VOTED: &str =
    "Bạn đã bỏ phiếu trong cuộc bỏ phiếu này; mỗi cử tri chỉ được bỏ một phiếu.";
/// The refusal of a vote after the close.
pub const ALREADY_CLOSED: &str = "Cuộc bỏ phiếu đã kết thúc: không nhận thêm phiếu.";
/// The refusal of a voter who is not on the list.
pub const NOT_ON_LIST: &str = "Bạn không có tên trong danh sách cử tri của cuộc bỏ phiếu này.";

/// A ballot to open. `spec.eligible` is ignored: it is the number of voters.
#[derive(Debug, Clone)]
pub struct NewBallot {
    /// Code of the unit whose council or cluster runs the vote.
    pub unit_code: String,
    /// Free text, e.g. “Cụm thi đua Tây Nam bộ 2019”.
    pub context: String,
    pub spec: BallotSpec,
    /// Usernames of the eligible voters.
    pub voters: Vec<String>,
    /// The cluster-year whose regulation sets the threshold and quorum
    /// (whatever the spec says); `None`: the spec's own, typed by hand.
    pub cluster_id: Option<i64>,
}

/// A ballot as stored (never its content).
#[derive(Debug, Clone, Serialize)]
pub struct BallotInfo {
    pub id: i64,
    pub unit_id: UnitId,
    pub context: String,
    pub spec: BallotSpec,
    pub closed: bool,
    pub created_by: String,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// The cluster-year whose regulation set the threshold and quorum.
    pub cluster_id: Option<i64>,
    /// Voters who have taken part (the only figure shown before close).
    pub turnout: u32,
}

#[derive(sqlx::FromRow)]
struct BallotRow {
    id: i64,
    unit_id: i64,
    context: String,
    spec_json: String,
    closed: bool,
    created_by: String,
    created_at: String,
    closed_at: Option<String>,
    cluster_id: Option<i64>,
    turnout: i64,
}

const BALLOT_SELECT: &str = "select b.id, b.unit_id, b.context, b.spec_json, b.closed, b.created_by, b.created_at, b.closed_at, b.cluster_id,
    (select count(*) from ballot_participation p where p.ballot_id = b.id) as turnout
    from ballots b";

impl TryFrom<BallotRow> for BallotInfo {
    type Error = StoreError;
    fn try_from(r: BallotRow) -> Result<Self> {
        Ok(Self {
            id: r.id,
            unit_id: r.unit_id,
            context: r.context,
            spec: parse_spec(&r.spec_json)?,
            closed: r.closed,
            created_by: r.created_by,
            created_at: r.created_at,
            closed_at: r.closed_at,
            cluster_id: r.cluster_id,
            turnout: u32::try_from(r.turnout).unwrap_or(u32::MAX),
        })
    }
}

fn parse_spec(s: &str) -> Result<BallotSpec> {
    serde_json::from_str(s).map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

fn refused(field: &'static str, e: impl std::fmt::Display) -> StoreError {
    DomainError::invalid(field, e.to_string()).into()
}

/// 16 bytes from the operating system's generator.
fn random16() -> [u8; 16] {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b
}

/// The length every sealed vote of a ballot is padded to: more than the
/// longest content the ballot accepts (each candidate marked, with the
/// longer mark), rounded up to 256 bytes. Accepted content names only the
/// ballot's candidates, so every vote of a ballot seals to the same size.
fn sealed_length(spec: &BallotSpec) -> usize {
    let marks: usize = spec
        .candidates
        .iter()
        .map(|c| serde_json::to_string(&c.id).map_or(0, |s| s.len()) + ",:false".len())
        .sum();
    (marks + 96).div_ceil(256) * 256
}

/// A cast ballot as sealed text, padded with spaces (JSON whitespace).
fn seal(
    secrets: &crate::Secrets,
    ballot_id: i64,
    spec: &BallotSpec,
    cast: &Cast,
) -> Result<String> {
    let mut plain = serde_json::to_vec(cast).map_err(|_| StoreError::Crypto)?;
    let len = sealed_length(spec).max(plain.len());
    plain.resize(len, b' ');
    secrets.seal_vote(ballot_id, &plain)
}

fn unseal(secrets: &crate::Secrets, ballot_id: i64, sealed: &str) -> Result<Cast> {
    let plain = secrets.open_vote(ballot_id, sealed)?;
    serde_json::from_slice(&plain).map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

/// A voter's standing in one ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VoterStanding {
    pub eligible: bool,
    pub voted: bool,
}

/// What a receipt code tells: the ballot that counted it.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptCheck {
    pub ballot_id: i64,
    pub title: String,
    pub closed: bool,
}

impl Store {
    /// Opens a ballot with its voter list. The spec is checked by
    /// `tdkt_core::ballot::Ballot::open`; `eligible` is set to the number of
    /// distinct voters.
    ///
    /// # Errors
    /// Unknown unit or voter, a spec the core refuses.
    pub async fn create_ballot(&self, actor: &str, new: &NewBallot) -> Result<BallotInfo> {
        // The body that runs the vote must be in being today.
        let unit = self
            .unit_in_being(&new.unit_code, tdkt_core::date::today_vn(), "unit")
            .await?;
        let names: BTreeSet<String> = new
            .voters
            .iter()
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
            .collect();
        let mut voter_ids = Vec::with_capacity(names.len());
        for name in &names {
            let id: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
                "select id from users where username = $1"
            )
            .bind(name)
            .fetch_optional(p)
            .await?);
            voter_ids.push(id.ok_or_else(|| {
                DomainError::invalid(
                    "voters",
                    format!("Không tìm thấy tài khoản cử tri «{name}»."),
                )
            })?);
        }
        let mut spec = new.spec.clone();
        spec.title = spec.title.trim().to_owned();
        let mut context = new.context.trim().to_owned();
        if let Some(cid) = new.cluster_id {
            // The cluster's regulation decides, not numbers retyped on the
            // form (Điều 6 k2 Nghị định 152/2025/NĐ-CP: the council's vote
            // shares are set below state level, here by the regulation).
            let cluster = self.cluster_by_id(cid).await.map_err(|_| {
                DomainError::invalid("cluster", format!("Không có cụm, khối #{cid}."))
            })?;
            let settings = self.cluster_settings(cid).await?;
            settings
                .regulation
                .apply_to_ballot(&mut spec)
                .map_err(|e| {
                    DomainError::invalid(
                        "cluster",
                        format!("{} năm {}: {e}", cluster.name, cluster.year),
                    )
                })?;
            if context.is_empty() {
                context = format!("{} năm {}", cluster.name, cluster.year);
            }
        }
        spec.eligible = u32::try_from(voter_ids.len()).unwrap_or(u32::MAX);
        if spec.title.is_empty() {
            return Err(DomainError::invalid("title", "Cần nhập tiêu đề cuộc bỏ phiếu.").into());
        }
        ballot::Ballot::open(spec.clone()).map_err(|e| refused("spec", e))?;
        let spec_json = serde_json::to_string(&spec).map_err(|_| StoreError::Crypto)?;
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into ballots (unit_id, context, title, spec_json, closed, created_by, created_at, cluster_id)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
            )
            .bind(unit.id)
            .bind(&context)
            .bind(&spec.title)
            .bind(&spec_json)
            .bind(false)
            .bind(actor)
            .bind(now_rfc3339())
            .bind(new.cluster_id)
            .fetch_one(&mut *tx)
            .await?;
            for v in &voter_ids {
                sqlx::query("insert into ballot_voters (ballot_id, user_id) values ($1, $2)")
                    .bind(id)
                    .bind(*v)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = serde_json::json!({"unit": unit.code, "context": context, "spec": spec, "voters": names, "cluster_id": new.cluster_id});
            audit!(tx, actor, "ballot", id, "create", None, json(&after));
            id
        });
        self.ballot(id).await
    }

    /// # Errors
    /// `NotFound` for an unknown id.
    pub async fn ballot(&self, id: i64) -> Result<BallotInfo> {
        let row: Option<BallotRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{BALLOT_SELECT} where b.id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("cuộc bỏ phiếu #{id}")))?
            .try_into()
    }

    /// Ballots run by units in `units` (`None` = all), newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn ballots_in(&self, units: Option<&BTreeSet<UnitId>>) -> Result<Vec<BallotInfo>> {
        let rows: Vec<BallotRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{BALLOT_SELECT} order by b.id desc"
        ))
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .filter(|r| units.is_none_or(|u| u.contains(&r.unit_id)))
            .map(TryInto::try_into)
            .collect()
    }

    /// Ballots on whose voter list `user_id` is, newest first, with whether
    /// they have voted.
    ///
    /// # Errors
    /// Database failure.
    pub async fn ballots_of_voter(&self, user_id: i64) -> Result<Vec<(BallotInfo, bool)>> {
        let rows: Vec<BallotRow> = with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "{BALLOT_SELECT} join ballot_voters v on v.ballot_id = b.id where v.user_id = $1 order by b.id desc"
        ))
        .bind(user_id)
        .fetch_all(p)
        .await?
        });
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let info: BallotInfo = r.try_into()?;
            let voted = self.standing(info.id, user_id).await?.voted;
            out.push((info, voted));
        }
        Ok(out)
    }

    /// Is `user_id` on the list of `ballot_id`, and have they voted?
    ///
    /// # Errors
    /// Database failure.
    pub async fn standing(&self, ballot_id: i64, user_id: i64) -> Result<VoterStanding> {
        let (eligible, voted): (i64, i64) = with_pool!(self, |p| {
            sqlx::query_as(
            "select (select count(*) from ballot_voters where ballot_id = $1 and user_id = $2),
                    (select count(*) from ballot_participation where ballot_id = $1 and voter_id = $2)"
        )
        .bind(ballot_id)
        .bind(user_id)
        .fetch_one(p)
        .await?
        });
        Ok(VoterStanding {
            eligible: eligible > 0,
            voted: voted > 0,
        })
    }

    /// Names of the voters on the list, with whether each took part (for
    /// the minutes; never what they voted).
    ///
    /// # Errors
    /// Database failure.
    pub async fn ballot_voters(&self, ballot_id: i64) -> Result<Vec<(String, String, bool)>> {
        let rows: Vec<(String, String, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "select u.username, u.full_name,
                    (select count(*) from ballot_participation p where p.ballot_id = v.ballot_id and p.voter_id = v.user_id)
             from ballot_voters v join users u on u.id = v.user_id
             where v.ballot_id = $1 order by u.full_name, u.username"
        )
        .bind(ballot_id)
        .fetch_all(p)
        .await?
        });
        Ok(rows.into_iter().map(|(u, n, c)| (u, n, c > 0)).collect())
    }

    /// Casts `voter`'s ballot: participation, content (random id) and
    /// receipt in one transaction. Returns the receipt code, shown once.
    ///
    /// # Errors
    /// Unknown ballot (`NotFound`), closed ballot, voter not on the list,
    /// second vote (`Conflict` with [`ALREADY_VOTED`]), forged content.
    pub async fn cast_vote(&self, ballot_id: i64, voter: i64, content: Content) -> Result<String> {
        // The shared lock waits for a close in progress and then sees it.
        let lock = match self.backend() {
            Backend::Postgres => " for share",
            Backend::Sqlite => "",
        };
        let sql = format!("select spec_json, closed from ballots where id = $1{lock}");
        let code: String = write_tx!(self, |tx| {
            let row: Option<(String, bool)> = sqlx::query_as(&sql)
                .bind(ballot_id)
                .fetch_optional(&mut *tx)
                .await?;
            let (spec_json, closed) =
                row.ok_or_else(|| StoreError::NotFound(format!("cuộc bỏ phiếu #{ballot_id}")))?;
            let open = match ballot::restore(parse_spec(&spec_json)?, closed)
                .map_err(|e| refused("spec", e))?
            {
                Restored::Open(open) => open,
                Restored::Closed(_) => {
                    return Err(StoreError::Conflict("ballot", ALREADY_CLOSED.into()))
                }
            };
            let on_list: Option<i64> = sqlx::query_scalar(
                "select user_id from ballot_voters where ballot_id = $1 and user_id = $2",
            )
            .bind(ballot_id)
            .bind(voter)
            .fetch_optional(&mut *tx)
            .await?;
            if on_list.is_none() {
                return Err(DomainError::invalid("voter", NOT_ON_LIST).into());
            }
            let cast = open.accept(content).map_err(|e| refused("content", e))?;
            sqlx::query("insert into ballot_participation (ballot_id, voter_id) values ($1, $2)")
                .bind(ballot_id)
                .bind(voter)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::unique("vote", ALREADY_VOTED))?;
            let sealed = seal(&self.secrets, ballot_id, open.spec(), &cast)?;
            sqlx::query("insert into ballot_pending (ballot_id, id, sealed) values ($1, $2, $3)")
                .bind(ballot_id)
                .bind(hex::encode(random16()))
                .bind(&sealed)
                .execute(&mut *tx)
                .await?;
            let receipt = ballot::receipt(random16());
            sqlx::query("insert into ballot_receipt (ballot_id, hash) values ($1, $2)")
                .bind(ballot_id)
                .bind(&receipt.hash)
                .execute(&mut *tx)
                .await?;
            receipt.code
        });
        Ok(code)
    }

    /// Ends voting and rewrites content and receipts so that no row keeps a
    /// trace of its voting transaction. Returns the outcome.
    ///
    /// # Errors
    /// Unknown ballot; already closed (`Conflict`).
    pub async fn close_ballot(&self, actor: &str, ballot_id: i64) -> Result<Outcome> {
        let lock = match self.backend() {
            Backend::Postgres => " for update",
            Backend::Sqlite => "",
        };
        let sql = format!("select closed from ballots where id = $1{lock}");
        write_tx!(self, |tx| {
            let closed: Option<bool> = sqlx::query_scalar(&sql)
                .bind(ballot_id)
                .fetch_optional(&mut *tx)
                .await?;
            match closed {
                None => return Err(StoreError::NotFound(format!("cuộc bỏ phiếu #{ballot_id}"))),
                Some(true) => {
                    return Err(StoreError::Conflict(
                        "ballot",
                        "Cuộc bỏ phiếu đã kết thúc trước đó.".into(),
                    ))
                }
                Some(false) => {}
            }
            sqlx::query("update ballots set closed = $1, closed_at = $2 where id = $3")
                .bind(true)
                .bind(now_rfc3339())
                .bind(ballot_id)
                .execute(&mut *tx)
                .await?;
            // Rewrite: read everything, delete, re-insert under fresh random
            // ids in the order of those ids.
            let mut contents: Vec<(String, bool)> = sqlx::query_as(
                "select content, valid from ballot_content where ballot_id = $1 order by id",
            )
            .bind(ballot_id)
            .fetch_all(&mut *tx)
            .await?;
            // Open the votes sealed while the ballot was open.
            let sealed: Vec<String> = sqlx::query_scalar(
                "select sealed from ballot_pending where ballot_id = $1 order by id",
            )
            .bind(ballot_id)
            .fetch_all(&mut *tx)
            .await?;
            for s in &sealed {
                let cast = unseal(&self.secrets, ballot_id, s)?;
                let content =
                    serde_json::to_string(&cast.content).map_err(|_| StoreError::Crypto)?;
                contents.push((content, cast.valid));
            }
            sqlx::query("delete from ballot_pending where ballot_id = $1")
                .bind(ballot_id)
                .execute(&mut *tx)
                .await?;
            let mut keyed: Vec<(String, String, bool)> = contents
                .drain(..)
                .map(|(c, v)| (hex::encode(random16()), c, v))
                .collect();
            keyed.sort();
            let hashes: Vec<String> = sqlx::query_scalar(
                "select hash from ballot_receipt where ballot_id = $1 order by hash",
            )
            .bind(ballot_id)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query("delete from ballot_content where ballot_id = $1")
                .bind(ballot_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from ballot_receipt where ballot_id = $1")
                .bind(ballot_id)
                .execute(&mut *tx)
                .await?;
            for (id, content, valid) in &keyed {
                sqlx::query("insert into ballot_content (ballot_id, id, content, valid) values ($1, $2, $3, $4)")
                    .bind(ballot_id)
                    .bind(id)
                    .bind(content)
                    .bind(*valid)
                    .execute(&mut *tx)
                    .await?;
            }
            for h in &hashes {
                sqlx::query("insert into ballot_receipt (ballot_id, hash) values ($1, $2)")
                    .bind(ballot_id)
                    .bind(h)
                    .execute(&mut *tx)
                    .await?;
            }
            let present: i64 = sqlx::query_scalar(
                "select count(*) from ballot_participation where ballot_id = $1",
            )
            .bind(ballot_id)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({"closed": true, "present": present, "ballots": keyed.len(), "receipts": hashes.len()});
            audit!(
                tx,
                actor,
                "ballot",
                ballot_id,
                "close",
                json(&serde_json::json!({"closed": false})),
                json(&after)
            );
        });
        self.compact_ballot_tables().await?;
        self.ballot_result(ballot_id).await
    }

    /// Removes the dead rows of the voting period from disk.
    async fn compact_ballot_tables(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let _writer = self.write_lock.lock().await;
                sqlx::raw_sql("vacuum").execute(p).await?;
                sqlx::raw_sql("pragma wal_checkpoint(truncate)")
                    .execute(p)
                    .await?;
            }
            Pool::Postgres(p) => {
                sqlx::raw_sql("vacuum full ballot_content, ballot_receipt, ballot_pending")
                    .execute(p)
                    .await?;
            }
        }
        Ok(())
    }

    /// The tally of a closed ballot (`tdkt_core::ballot::Ballot::tally`).
    /// An open ballot has no result, not even a partial one.
    ///
    /// # Errors
    /// Unknown ballot; still open (`Conflict`); stored counts that disagree.
    pub async fn ballot_result(&self, ballot_id: i64) -> Result<Outcome> {
        let info = self.ballot(ballot_id).await?;
        let closed = match ballot::restore(info.spec, info.closed)
            .map_err(|e| refused("spec", e))?
        {
            Restored::Closed(c) => c,
            Restored::Open(_) => return Err(StoreError::Conflict(
                "ballot",
                "Cuộc bỏ phiếu chưa kết thúc: chưa có kết quả (chỉ xem được số người đã bỏ phiếu)."
                    .into(),
            )),
        };
        let (rows, receipts): (Vec<(String, bool)>, i64) = with_pool!(self, |p| (
            sqlx::query_as(
                "select content, valid from ballot_content where ballot_id = $1 order by id"
            )
            .bind(ballot_id)
            .fetch_all(p)
            .await?,
            sqlx::query_scalar("select count(*) from ballot_receipt where ballot_id = $1")
                .bind(ballot_id)
                .fetch_one(p)
                .await?,
        ));
        let casts = rows
            .into_iter()
            .map(|(c, valid)| {
                Ok(Cast {
                    content: serde_json::from_str(&c)
                        .map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))?,
                    valid,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if i64::try_from(casts.len()).unwrap_or(i64::MAX) != receipts
            || casts.len() != info.turnout as usize
        {
            return Err(refused(
                "ballot",
                format!(
                    "Số liệu kiểm phiếu không khớp: {} phiếu, {receipts} biên nhận, {} người tham gia.",
                    casts.len(),
                    info.turnout
                ),
            ));
        }
        closed
            .tally(info.turnout, &casts)
            .map_err(|e| refused("ballot", e))
    }

    /// Finds the ballot that counted a receipt code.
    ///
    /// # Errors
    /// A malformed code (Vietnamese message); database failure.
    pub async fn verify_receipt(&self, code: &str) -> Result<Option<ReceiptCheck>> {
        let hash = ballot::hash_of_code(code).map_err(|e| refused("code", e))?;
        let row: Option<(i64, String, bool)> = with_pool!(self, |p| {
            sqlx::query_as(
            "select b.id, b.title, b.closed from ballot_receipt r join ballots b on b.id = r.ballot_id where r.hash = $1"
        )
        .bind(&hash)
        .fetch_optional(p)
        .await?
        });
        Ok(row.map(|(ballot_id, title, closed)| ReceiptCheck {
            ballot_id,
            title,
            closed,
        }))
    }
}
