//! Bulk writes of an award import, one implementation per backend: the
//! import is bound by statement round trips, not by validation, so people,
//! their employment periods and award records go in as few statements as
//! each backend allows. SQLite: multi-row `VALUES` of a fixed size (the
//! prepared statement is cached and reused). PostgreSQL: one `unnest` of
//! column arrays per batch (a handful of parameters whatever the row count,
//! as fast as `COPY` into a staging table without the staging copy).

use std::future::Future;

use sqlx::{PgConnection, SqliteConnection};
use time::Date;

use super::import::ImportedRevocation;
use super::RecipientKind;
use crate::audit::audit;
use crate::Result;

/// A person created by an import, with an id allocated beforehand so that
/// the award rows of the same batch can point to it.
pub(crate) struct NewPerson {
    pub id: i64,
    pub name: String,
    pub search_key: String,
    pub gender: &'static str,
    pub birth: Date,
    pub hash: String,
    pub enc: String,
    pub masked: String,
    pub unit_id: i64,
    /// Start of the employment period: 1 January of the first award year.
    pub start: Date,
}

/// A valid award record waiting to be inserted.
pub(crate) struct Pending {
    pub kind: RecipientKind,
    pub person_id: Option<i64>,
    pub unit_id: i64,
    pub award: &'static str,
    pub year: i32,
    pub achieved_on: Option<Date>,
    pub decision_no: String,
    pub dkey: String,
    pub decision_date: Date,
    pub authority: String,
    pub reason: String,
    pub key: String,
}

pub(crate) trait Bulk {
    /// `n` fresh ids for `people`.
    fn people_ids(&mut self, n: usize) -> impl Future<Output = Result<Vec<i64>>> + Send;
    /// `(id, cccd_hash, full_name, unit_id)` of the people with these hashes.
    fn people_by_hash<'a>(
        &'a mut self,
        hashes: &'a [String],
    ) -> impl Future<Output = Result<Vec<(i64, String, String, i64)>>> + Send + 'a;
    fn insert_people<'a>(
        &'a mut self,
        rows: &'a [NewPerson],
    ) -> impl Future<Output = Result<()>> + Send + 'a;
    /// Inserts valid records, skipping those whose dedupe key exists; returns
    /// how many were new. Takes the records: their strings move into the
    /// statement's arguments instead of being copied.
    fn insert_awards<'a>(
        &'a mut self,
        rows: Vec<Pending>,
        now: &'a str,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;
    /// Status of the record with this dedupe key, if any.
    fn status_of<'a>(
        &'a mut self,
        key: &'a str,
    ) -> impl Future<Output = Result<Option<String>>> + Send + 'a;
    fn revoke<'a>(&'a mut self, key: &'a str) -> impl Future<Output = Result<()>> + Send + 'a;
    /// Inserts one record as revoked (a file that lists a revoked decision).
    fn insert_revoked<'a>(
        &'a mut self,
        r: &'a Pending,
        now: &'a str,
    ) -> impl Future<Output = Result<()>> + Send + 'a;
    /// Keeps why the record with this dedupe key was revoked (migration
    /// 0021), with its audit event.
    fn record_revocation<'a>(
        &'a mut self,
        key: &'a str,
        r: &'a ImportedRevocation,
        actor: &'a str,
        now: &'a str,
    ) -> impl Future<Output = Result<()>> + Send + 'a;
    /// Rows in `award_records` (an estimate is enough: it weighs a file
    /// against the table).
    fn award_rows(&mut self) -> impl Future<Output = Result<u64>> + Send;
    /// After how many new records an import drops the secondary indexes of
    /// `award_records` ([`Bulk::suspend_indexes`]), given the records already
    /// there: once the rows added outweigh the cost of building the indexes
    /// again (sorted, page after page) over the whole table. Counted in
    /// records written, not rows read: a re-import writes nothing and
    /// keeps its indexes.
    fn suspend_after(&self, existing: u64) -> u64;
    /// Drops the secondary indexes of `award_records` inside the import's
    /// transaction and returns what builds them again ([`Bulk::rebuild`]).
    /// The unique dedupe key stays: it is what makes a re-import a no-op.
    fn suspend_indexes(&mut self) -> impl Future<Output = Result<Vec<String>>> + Send;
    /// Runs the statements [`Bulk::suspend_indexes`] returned.
    fn rebuild<'a>(&'a mut self, ddl: &'a [String])
        -> impl Future<Output = Result<()>> + Send + 'a;
    /// Stops keeping each recipient's newest award award by award for the
    /// import (SQLite's per-row trigger of migration 0051: a file sorted by
    /// year made every award the newest, and the import 2,8 times slower)
    /// and returns what starts it again. PostgreSQL's trigger works per
    /// statement, thousands of awards at once, and stays.
    fn defer_newest(&mut self) -> impl Future<Output = Result<Option<String>>> + Send;
    /// The newest award of each recipient of the awards after `since` (an
    /// id), once per recipient, then the trigger [`Bulk::defer_newest`]
    /// returned back in place.
    fn catch_up_newest<'a>(
        &'a mut self,
        since: u64,
        trigger: &'a str,
    ) -> impl Future<Output = Result<()>> + Send + 'a;
}

/// The rare single-record writes, same SQL on both backends.
macro_rules! single_writes {
    () => {
        fn status_of<'a>(
            &'a mut self,
            key: &'a str,
        ) -> impl Future<Output = Result<Option<String>>> + Send + 'a {
            async move {
                Ok(
                    sqlx::query_scalar("select status from award_records where dedupe_key = $1")
                        .bind(key)
                        .fetch_optional(&mut *self)
                        .await?,
                )
            }
        }

        fn revoke<'a>(&'a mut self, key: &'a str) -> impl Future<Output = Result<()>> + Send + 'a {
            async move {
                sqlx::query("update award_records set status = 'revoked' where dedupe_key = $1")
                    .bind(key)
                    .execute(&mut *self)
                    .await?;
                Ok(())
            }
        }

        fn insert_revoked<'a>(
            &'a mut self,
            r: &'a Pending,
            now: &'a str,
        ) -> impl Future<Output = Result<()>> + Send + 'a {
            async move {
                sqlx::query(&format!(
                    "{AWARD_COLS} values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'revoked', 'imported', $12, $13)"
                ))
                .bind(r.kind.code())
                .bind(r.person_id)
                .bind(r.unit_id)
                .bind(r.award)
                .bind(r.year)
                .bind(r.achieved_on)
                .bind(r.decision_no.as_str())
                .bind(r.dkey.as_str())
                .bind(r.decision_date)
                .bind(r.authority.as_str())
                .bind(r.reason.as_str())
                .bind(r.key.as_str())
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }

        fn record_revocation<'a>(
            &'a mut self,
            key: &'a str,
            r: &'a ImportedRevocation,
            actor: &'a str,
            now: &'a str,
        ) -> impl Future<Output = Result<()>> + Send + 'a {
            async move {
                let id: Option<i64> = sqlx::query_scalar(
                    "insert into revocations (record_id, ground, decision_no, decision_key, decision_date, reason, source, revoked_by, revoked_at)
                     select id, $2, $3, $4, $5, $6, 'imported', $7, $8 from award_records where dedupe_key = $1
                     on conflict (record_id) do nothing returning record_id",
                )
                .bind(key)
                .bind(r.ground.code())
                .bind(r.decision_no.as_str())
                .bind(super::decision_key(&r.decision_no))
                .bind(r.decision_date)
                .bind(r.reason.as_str())
                .bind(actor)
                .bind(now)
                .fetch_optional(&mut *self)
                .await?;
                if let Some(id) = id {
                    let tx = &mut *self;
                    let after = serde_json::json!({
                        "status": "revoked", "source": "imported", "ground": r.ground.code(),
                        "decision_no": r.decision_no,
                        "decision_date": r.decision_date.map(|d| d.to_string()),
                        "reason": r.reason,
                    });
                    audit!(tx, actor, "award_record", id, "revoke", None, crate::audit::json(&after));
                }
                Ok(())
            }
        }
    };
}

/// `suspend_indexes` and `rebuild`, given the query listing the secondary
/// indexes of `award_records` as `(name, definition)`, and the statements
/// run before and after the builds, if any.
macro_rules! index_rebuild {
    ($defs:literal $(, around: $before:expr, $after:expr)?) => {
        async fn suspend_indexes(&mut self) -> Result<Vec<String>> {
            let defs: Vec<(String, String)> = sqlx::query_as($defs).fetch_all(&mut *self).await?;
            for (name, _) in &defs {
                sqlx::query(&format!("drop index \"{name}\""))
                    .execute(&mut *self)
                    .await?;
            }
            Ok(defs.into_iter().map(|(_, sql)| sql).collect())
        }

        async fn rebuild(&mut self, ddl: &[String]) -> Result<()> {
            $(sqlx::query($before).execute(&mut *self).await?;)?
            for sql in ddl {
                sqlx::query(sql).execute(&mut *self).await?;
            }
            $(sqlx::query($after).execute(&mut *self).await?;)?
            Ok(())
        }
    };
}

const PEOPLE_COLS: &str = "insert into people (id, full_name, search_key, gender, birth_date, birth_date_estimated, cccd_hash, cccd_enc, cccd_masked, unit_id) ";
const AWARD_COLS: &str = "insert into award_records (recipient_kind, person_id, unit_id, award_code, year, achieved_on, decision_no,
     decision_key, decision_date, authority, reason, status, source, dedupe_key, created_at) ";

/// SQLite's page cache while it imports: with the default 2 MB, inserts into
/// the unique index spill pages to the WAL again and again.
pub(super) const SQLITE_IMPORT_CACHE: &str = "pragma cache_size = -262144";

/// Rows per SQLite statement: 13 parameters a record, under SQLite's
/// 32 766 limit; a fixed size keeps one cached statement.
const SQLITE_AWARDS: usize = 2000;
const SQLITE_PEOPLE: usize = 3000;
const LOOKUP: usize = 1000;
/// Below this many new records, index maintenance costs less than a build.
const SUSPEND_MIN: u64 = 100_000;

impl Bulk for SqliteConnection {
    single_writes!();

    fn suspend_after(&self, existing: u64) -> u64 {
        // a quarter of the table: random inserts into five indexes cost
        // several times a sorted build per row (docs/registry-scale.md).
        // Readers are not held up: they keep their snapshot, indexes
        // included, until the import commits.
        (existing / 4).max(SUSPEND_MIN)
    }

    async fn award_rows(&mut self) -> Result<u64> {
        // ids are dense (no deletes): max(id) reads one page, count(*)
        // the whole smallest index
        let n: i64 = sqlx::query_scalar("select coalesce(max(id), 0) from award_records")
            .fetch_one(&mut *self)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    // the definitions as the migrations left them (the unique constraint's
    // own index has no sql and stays). SQLite's sorter keeps up to the page
    // cache's size in memory before it merges: the import's cache made each
    // build one sort of a million entries, slower than runs of 16 MB merged
    // (the five builds at 1 M awards: 8,9 s, 7,2 s with 16 MB; median of 3)
    index_rebuild!(
        "select name, sql from sqlite_master
         where type = 'index' and tbl_name = 'award_records' and sql is not null
         order by name",
        around: "pragma cache_size = -16384", SQLITE_IMPORT_CACHE
    );

    async fn defer_newest(&mut self) -> Result<Option<String>> {
        let sql: Option<String> = sqlx::query_scalar(
            "select sql from sqlite_master where type = 'trigger' and name = 'newest_award_insert'",
        )
        .fetch_optional(&mut *self)
        .await?;
        if sql.is_some() {
            sqlx::query("drop trigger newest_award_insert")
                .execute(&mut *self)
                .await?;
        }
        Ok(sql)
    }

    async fn catch_up_newest(&mut self, since: u64, trigger: &str) -> Result<()> {
        // the largest (year, id) as one number, as migration 0051; each
        // changed row moves the person's name_keys (their triggers)
        sqlx::query(
            "insert into newest_awards (person_id, year, award_id)
             select person_id, k >> 40, k & 1099511627775
             from (select a.person_id, max((a.year << 40) | a.id) as k from award_records a
                   where a.person_id in (select person_id from award_records
                                         where id > $1 and person_id is not null)
                   group by a.person_id)
             where true
             on conflict (person_id) do update set year = excluded.year, award_id = excluded.award_id
             where (year, award_id) < (excluded.year, excluded.award_id)",
        )
        .bind(i64::try_from(since).unwrap_or(i64::MAX))
        .execute(&mut *self)
        .await?;
        sqlx::query(trigger).execute(&mut *self).await?;
        Ok(())
    }

    async fn people_ids(&mut self, n: usize) -> Result<Vec<i64>> {
        // the import holds the store's writer lock: no one else inserts
        let max: i64 = sqlx::query_scalar("select coalesce(max(id), 0) from people")
            .fetch_one(&mut *self)
            .await?;
        Ok((1..=i64::try_from(n).unwrap_or(i64::MAX))
            .map(|i| max + i)
            .collect())
    }

    async fn people_by_hash<'a>(
        &'a mut self,
        hashes: &'a [String],
    ) -> Result<Vec<(i64, String, String, i64)>> {
        let mut out = Vec::new();
        for part in hashes.chunks(LOOKUP) {
            let mut qb = sqlx::QueryBuilder::new(
                "select id, cccd_hash, full_name, unit_id from people where cccd_hash in (",
            );
            let mut sep = qb.separated(", ");
            for h in part {
                sep.push_bind(h.as_str());
            }
            qb.push(")");
            out.extend(qb.build_query_as().fetch_all(&mut *self).await?);
        }
        Ok(out)
    }

    async fn insert_people<'a>(&'a mut self, rows: &'a [NewPerson]) -> Result<()> {
        for part in rows.chunks(SQLITE_PEOPLE) {
            let mut qb = sqlx::QueryBuilder::new(PEOPLE_COLS);
            qb.push_values(part, |mut b, p| {
                b.push_bind(p.id)
                    .push_bind(p.name.as_str())
                    .push_bind(p.search_key.as_str())
                    .push_bind(p.gender)
                    .push_bind(p.birth)
                    .push_bind(true)
                    .push_bind(p.hash.as_str())
                    .push_bind(p.enc.as_str())
                    .push_bind(p.masked.as_str())
                    .push_bind(p.unit_id);
            });
            qb.build().execute(&mut *self).await?;
            let mut qb = sqlx::QueryBuilder::new(
                "insert into employment_periods (person_id, unit_id, start_date) ",
            );
            qb.push_values(part, |mut b, p| {
                b.push_bind(p.id).push_bind(p.unit_id).push_bind(p.start);
            });
            qb.build().execute(&mut *self).await?;
        }
        Ok(())
    }

    async fn insert_awards<'a>(&'a mut self, rows: Vec<Pending>, now: &'a str) -> Result<u64> {
        let mut n = 0;
        let mut rows = rows.into_iter().peekable();
        let mut next = sqlite_awards(&mut rows, now);
        while let Some(mut qb) = next.take() {
            // the next statement is built while SQLite's worker thread
            // runs this one (`join` polls the insert first: it is sent
            // before the builder runs)
            let (done, following) =
                futures_util::future::join(qb.build().execute(&mut *self), async {
                    sqlite_awards(&mut rows, now)
                })
                .await;
            n += done?.rows_affected();
            next = following;
        }
        Ok(n)
    }
}

/// The next multi-row insert of at most [`SQLITE_AWARDS`] records, if any
/// remain. The records' strings move into the arguments.
fn sqlite_awards<'a>(
    rows: &mut std::iter::Peekable<std::vec::IntoIter<Pending>>,
    now: &'a str,
) -> Option<sqlx::QueryBuilder<'a, sqlx::Sqlite>> {
    rows.peek()?;
    let mut qb = sqlx::QueryBuilder::new(AWARD_COLS);
    qb.push_values(rows.by_ref().take(SQLITE_AWARDS), |mut b, r| {
        b.push_bind(r.kind.code())
            .push_bind(r.person_id)
            .push_bind(r.unit_id)
            .push_bind(r.award)
            .push_bind(r.year)
            .push_bind(r.achieved_on)
            .push_bind(r.decision_no)
            .push_bind(r.dkey)
            .push_bind(r.decision_date)
            .push_bind(r.authority)
            .push_bind(r.reason)
            .push_unseparated(", 'valid', 'imported'")
            .push_bind(r.key)
            .push_bind(now);
    });
    qb.push(" on conflict (dedupe_key) do nothing");
    Some(qb)
}

impl Bulk for PgConnection {
    single_writes!();

    fn suspend_after(&self, existing: u64) -> u64 {
        // `drop index` takes the table's exclusive lock until the import
        // commits, holding up every reader of the registry: only for an
        // import that at least doubles the table (a first load of history)
        existing.max(SUSPEND_MIN)
    }

    async fn award_rows(&mut self) -> Result<u64> {
        // the planner's estimate: no scan of a large table
        let n: f32 = sqlx::query_scalar(
            "select greatest(reltuples, 0) from pg_class where oid = 'award_records'::regclass",
        )
        .fetch_one(&mut *self)
        .await?;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a count of rows written, never negative"
        )]
        Ok(n as u64)
    }

    // every index but those of constraints (primary key, dedupe key)
    index_rebuild!(
        "select indexname::text, indexdef from pg_indexes
         where schemaname = current_schema() and tablename = 'award_records'
           and indexname not in (select conname from pg_constraint
                                 where conrelid = 'award_records'::regclass)
         order by indexname"
    );

    async fn defer_newest(&mut self) -> Result<Option<String>> {
        Ok(None)
    }

    async fn catch_up_newest(&mut self, _since: u64, _trigger: &str) -> Result<()> {
        Ok(())
    }

    async fn people_ids(&mut self, n: usize) -> Result<Vec<i64>> {
        // taken from the identity sequence: concurrent writers never
        // collide; ids of a rolled-back import are simply skipped
        Ok(sqlx::query_scalar(
            "select nextval(pg_get_serial_sequence('people', 'id')) from generate_series(1, $1)",
        )
        .bind(i64::try_from(n).unwrap_or(i64::MAX))
        .fetch_all(&mut *self)
        .await?)
    }

    async fn people_by_hash<'a>(
        &'a mut self,
        hashes: &'a [String],
    ) -> Result<Vec<(i64, String, String, i64)>> {
        Ok(sqlx::query_as(
            "select id, cccd_hash, full_name, unit_id from people where cccd_hash = any($1)",
        )
        .bind(hashes)
        .fetch_all(&mut *self)
        .await?)
    }

    async fn insert_people<'a>(&'a mut self, rows: &'a [NewPerson]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
        let units: Vec<i64> = rows.iter().map(|p| p.unit_id).collect();
        sqlx::query(&format!(
            "{PEOPLE_COLS} select id, n, k, g, b, true, h, e, m, u from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[], $9::bigint[]) as t(id, n, k, g, b, h, e, m, u)"
        ))
        .bind(&ids)
        .bind(rows.iter().map(|p| p.name.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.search_key.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.gender).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.birth).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.hash.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.enc.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.masked.as_str()).collect::<Vec<_>>())
        .bind(&units)
        .execute(&mut *self)
        .await?;
        sqlx::query(
            "insert into employment_periods (person_id, unit_id, start_date)
             select p, u, s from unnest($1::bigint[], $2::bigint[], $3::date[]) as t(p, u, s)",
        )
        .bind(&ids)
        .bind(&units)
        .bind(rows.iter().map(|p| p.start).collect::<Vec<_>>())
        .execute(&mut *self)
        .await?;
        Ok(())
    }

    async fn insert_awards<'a>(&'a mut self, rows: Vec<Pending>, now: &'a str) -> Result<u64> {
        if rows.is_empty() {
            return Ok(0);
        }
        let n = sqlx::query(&format!(
            "{AWARD_COLS} select k, p, u, a, y, o, dn, dk, dd, au, r, 'valid', 'imported', dedupe, $13
             from unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::date[], $7::text[],
                         $8::text[], $9::date[], $10::text[], $11::text[], $12::text[])
               as t(k, p, u, a, y, o, dn, dk, dd, au, r, dedupe)
             on conflict (dedupe_key) do nothing"
        ))
        .bind(rows.iter().map(|r| r.kind.code()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.person_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.unit_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.award).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.year).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.achieved_on).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.decision_no.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.dkey.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.decision_date).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.authority.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>())
        .bind(now)
        .execute(&mut *self)
        .await?
        .rows_affected();
        Ok(n)
    }
}
