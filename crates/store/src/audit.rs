//! Writing and verifying the audit chain (the chain itself is defined in
//! `tdkt_core::audit`).

use futures_util::TryStreamExt;
use tdkt_core::audit::{AuditEvent, ChainBreak, Checkpoint, Verifier};

use crate::{with_pool, Result, Store};

/// Appends one audit event inside the open transaction `$tx`. Taking the
/// head row with `update … returning` serialises concurrent writers on
/// PostgreSQL (row lock until commit); SQLite has one writer anyway.
macro_rules! audit {
    ($tx:ident, $actor:expr, $entity:expr, $entity_id:expr, $action:expr, $before:expr, $after:expr) => {{
        let (seq, prev): (i64, String) =
            sqlx::query_as("update audit_head set seq = seq + 1 where id = 1 returning seq, hash").fetch_one(&mut *$tx).await?;
        let at = $crate::now_rfc3339();
        let before: Option<String> = $before;
        let after: Option<String> = $after;
        let entity_id: String = $entity_id.to_string();
        let hash = tdkt_core::audit::event_hash(
            &prev, seq, &at, $actor, $entity, &entity_id, $action, before.as_deref(), after.as_deref(),
        );
        sqlx::query(
            "insert into audit_events (seq, at, actor, entity, entity_id, action, before_json, after_json, prev_hash, hash)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(seq)
        .bind(&at)
        .bind($actor)
        .bind($entity)
        .bind(&entity_id)
        .bind($action)
        .bind(&before)
        .bind(&after)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("update audit_head set hash = $1 where id = 1").bind(&hash).execute(&mut *$tx).await?;
    }};
}
pub(crate) use audit;

/// JSON of any serialisable value, for the before/after columns.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> Option<String> {
    serde_json::to_string(v).ok()
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    at: String,
    actor: String,
    entity: String,
    entity_id: String,
    action: String,
    before_json: Option<String>,
    after_json: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<Row> for AuditEvent {
    fn from(r: Row) -> Self {
        Self {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            before: r.before_json,
            after: r.after_json,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const SELECT: &str =
    "select seq, at, actor, entity, entity_id, action, before_json, after_json, prev_hash, hash from audit_events";

impl Store {
    /// Walks the whole chain, streaming, and compares its end with the head.
    /// `Ok(n)` = n events, intact.
    ///
    /// # Errors
    /// `Ok(Err(break))` when tampered; `Err` when the database fails.
    pub async fn verify_audit(&self) -> Result<std::result::Result<i64, ChainBreak>> {
        self.verify_audit_with(&[]).await
    }

    /// As [`Store::verify_audit`], and the chain must also have, at each
    /// checkpoint's sequence number, the checkpoint's hash (the caller has
    /// checked their signatures): a chain shortened below a checkpoint, or
    /// rewritten up to one, fails even when its head was rewound to match.
    ///
    /// # Errors
    /// `Ok(Err(break))` when tampered; `Err` when the database fails.
    pub async fn verify_audit_with(
        &self,
        checkpoints: &[Checkpoint],
    ) -> Result<std::result::Result<i64, ChainBreak>> {
        let verifier = Verifier::default().with_checkpoints(checkpoints);
        Ok(self.walk(verifier, 0).await?.map(|(n, _)| n))
    }

    /// Verifies only the events after `seq`, which must continue from
    /// `hash` (a checkpoint verified earlier) up to the head: what a server
    /// checks before signing the next checkpoint. `Ok((head_seq,
    /// head_hash))` when intact.
    ///
    /// # Errors
    /// `Ok(Err(break))` when tampered; `Err` when the database fails.
    pub async fn verify_audit_since(
        &self,
        seq: i64,
        hash: &str,
    ) -> Result<std::result::Result<(i64, String), ChainBreak>> {
        self.walk(Verifier::after(seq, hash), seq).await
    }

    /// The head as stored: the last sequence number and its hash.
    ///
    /// # Errors
    /// Database failure.
    pub async fn audit_head(&self) -> Result<(i64, String)> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "select seq, hash from audit_head where id = 1"
        )
        .fetch_one(p)
        .await?))
    }

    async fn walk(
        &self,
        mut verifier: Verifier,
        after: i64,
    ) -> Result<std::result::Result<(i64, String), ChainBreak>> {
        let sql = format!("{SELECT} where seq > $1 order by seq");
        let outcome = with_pool!(self, |p| {
            let mut rows = sqlx::query_as::<_, Row>(&sql).bind(after).fetch(p);
            let mut outcome = Ok(());
            while let Some(row) = rows.try_next().await? {
                if let Err(b) = verifier.push(&row.into()) {
                    outcome = Err(b);
                    break;
                }
            }
            outcome
        });
        if let Err(b) = outcome {
            return Ok(Err(b));
        }
        let (head_seq, head_hash) = self.audit_head().await?;
        Ok(verifier
            .finish(head_seq, &head_hash)
            .map(|n| (n, head_hash)))
    }

    /// The newest events, newest first (for the admin's audit page).
    ///
    /// # Errors
    /// Database failure.
    pub async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEvent>> {
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{SELECT} order by seq desc limit $1"
        ))
        .bind(limit)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One page of the log for the audit page: newest first, filtered by
    /// who, what kind of object and when, continuing below `before_seq`
    /// (keyset paging: the sequence number is the primary key). Returns the
    /// page and how many events match the filter.
    ///
    /// # Errors
    /// Database failure.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<AuditEvent>, i64)> {
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut add = |condition: &str, value: String| {
            binds.push(value);
            conditions.push(condition.replace('?', &format!("${}", binds.len())));
        };
        if let Some(actor) = &filter.actor {
            add("actor = ?", actor.clone());
        }
        if let Some(entity) = &filter.entity {
            add("entity = ?", entity.clone());
        }
        if let Some(from) = filter.from {
            add("at >= ?", tdkt_core::date::day_start_utc(from));
        }
        if let Some(to) = filter.to {
            let next = to.next_day().unwrap_or(to);
            add("at < ?", tdkt_core::date::day_start_utc(next));
        }
        let filtered = if conditions.is_empty() {
            String::new()
        } else {
            format!(" where {}", conditions.join(" and "))
        };
        let count_sql = format!("select count(*) from audit_events{filtered}");
        let seq_param = binds.len() + 1;
        let limit_param = binds.len() + 2;
        let joiner = if filtered.is_empty() {
            " where"
        } else {
            " and"
        };
        let page_sql = format!(
            "{SELECT}{filtered}{joiner} seq < ${seq_param} order by seq desc limit ${limit_param}"
        );
        let before = before_seq.unwrap_or(i64::MAX);
        let (rows, total): (Vec<Row>, i64) = with_pool!(self, |p| {
            let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
            let mut page = sqlx::query_as::<_, Row>(&page_sql);
            for b in &binds {
                count = count.bind(b);
                page = page.bind(b);
            }
            let total = count.fetch_one(p).await?;
            let rows = page.bind(before).bind(limit).fetch_all(p).await?;
            (rows, total)
        });
        Ok((rows.into_iter().map(Into::into).collect(), total))
    }
}

/// An import run from the command line that left rows out (`--skip-invalid`):
/// what the audit log keeps of it, for the administrator's home page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialImport {
    pub seq: i64,
    /// RFC 3339, UTC, as the log stores it.
    pub at: String,
    /// What was imported (`award_import`, `rating`, …: the log's entity).
    pub entity: String,
    /// The file's name as the command was given it.
    pub file: String,
    pub rows: u64,
    pub rejected: u64,
}

/// How far back [`Store::partial_cli_imports`] reads the log: the newest
/// events only, so that a home page never walks a log of millions.
pub const PARTIAL_IMPORT_SCAN: i64 = 20_000;

impl Store {
    /// The command-line imports since `since` (RFC 3339) that committed
    /// with refused rows, newest first, among the newest
    /// [`PARTIAL_IMPORT_SCAN`] events. An import refused whole writes
    /// nothing and leaves no trace (its operator saw the refusal in the
    /// terminal); one that skipped rows is recorded with its count
    /// (`rejected` in the event), and those rows are missing from the data.
    ///
    /// # Errors
    /// Database failure.
    pub async fn partial_cli_imports(&self, since: &str) -> Result<Vec<PartialImport>> {
        let (head, _) = self.audit_head().await?;
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{SELECT} where seq > $1 and actor = 'cli' and action = 'import' and at >= $2
             order by seq desc limit 200"
        ))
        .bind(head - PARTIAL_IMPORT_SCAN)
        .bind(since)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let after: serde_json::Value =
                    serde_json::from_str(r.after_json.as_deref()?).ok()?;
                let rejected = after.get("rejected")?.as_u64()?;
                (rejected > 0).then(|| PartialImport {
                    seq: r.seq,
                    at: r.at,
                    entity: r.entity,
                    file: after
                        .get("file")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    rows: after
                        .get("rows")
                        .and_then(serde_json::Value::as_u64)
                        .unwrap_or(0),
                    rejected,
                })
            })
            .collect())
    }
}

/// What the audit page is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The account that acted (exact username).
    pub actor: Option<String>,
    /// The kind of object (`award_record`, …).
    pub entity: Option<String>,
    /// From this Việt Nam civil day, inclusive.
    pub from: Option<time::Date>,
    /// To this Việt Nam civil day, inclusive.
    pub to: Option<time::Date>,
}
