//! Award imports started on the web, kept in the database (issue 16): who
//! uploaded what, how far the import has gone, and how it ended (its
//! report as JSON). Any server of an installation sharing one database can
//! then answer the job page, its progress and its error report, whichever
//! server took the upload; a restart no longer forgets them. The server
//! running an import writes its counters about twice a second
//! ([`Store::import_job_progress`]) and the outcome once
//! ([`Store::finish_import_job`]); finished jobs are purged after
//! [`KEEP_MS`].

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::awards::import::ImportReport;
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// A finished job is forgotten this long after it ended (6 hours).
pub const KEEP_MS: i64 = 6 * 3_600_000;

/// How an import ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum JobOutcome {
    /// The import ran to its end (committed or, all-or-nothing with bad
    /// rows, rolled back: see `report.committed`).
    Finished { report: ImportReport, secs: f64 },
    /// The import could not run (the message shown to its owner).
    Failed(String),
}

/// One import, as stored.
#[derive(Debug, Clone)]
pub struct ImportJob {
    pub id: String,
    pub owner_id: i64,
    pub file_name: String,
    pub skip_invalid: bool,
    pub header: Vec<String>,
    pub total: Option<u64>,
    /// When it started, ms since the epoch.
    pub started_ms: i64,
    pub checked: u64,
    pub done: u64,
    pub inserted: u64,
    /// `None` while it runs.
    pub outcome: Option<JobOutcome>,
    pub finished_ms: Option<i64>,
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn stored(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

const COLUMNS: &str =
    "id, owner_id, file_name, skip_invalid, header_json, total_rows, started_ms, \
     checked, done, inserted, state, report_json, failure, secs, finished_ms";

fn job<R>(r: &R) -> Result<ImportJob>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<f64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let bad = |e: serde_json::Error| StoreError::Corrupt(format!("import_jobs: {e}"));
    let state: Option<String> = r.try_get("state")?;
    let outcome = match state.as_deref() {
        None => None,
        Some("finished") => {
            let report: String = r
                .try_get::<Option<String>, _>("report_json")?
                .unwrap_or_default();
            Some(JobOutcome::Finished {
                report: serde_json::from_str(&report).map_err(bad)?,
                secs: r.try_get::<Option<f64>, _>("secs")?.unwrap_or(0.0),
            })
        }
        Some(_) => Some(JobOutcome::Failed(
            r.try_get::<Option<String>, _>("failure")?
                .unwrap_or_default(),
        )),
    };
    let header: String = r.try_get("header_json")?;
    Ok(ImportJob {
        id: r.try_get("id")?,
        owner_id: r.try_get("owner_id")?,
        file_name: r.try_get("file_name")?,
        skip_invalid: r.try_get("skip_invalid")?,
        header: serde_json::from_str(&header).map_err(bad)?,
        total: r.try_get::<Option<i64>, _>("total_rows")?.map(count),
        started_ms: r.try_get("started_ms")?,
        checked: count(r.try_get("checked")?),
        done: count(r.try_get("done")?),
        inserted: count(r.try_get("inserted")?),
        outcome,
        finished_ms: r.try_get("finished_ms")?,
    })
}

impl Store {
    /// Records a job that starts now, and forgets the jobs that finished
    /// more than [`KEEP_MS`] before `job.started_ms`, or started more than
    /// twice that before and never finished (their server stopped).
    ///
    /// # Errors
    /// Database failure; an id already taken.
    pub async fn create_import_job(&self, job: &ImportJob) -> Result<()> {
        let header = serde_json::to_string(&job.header)
            .map_err(|e| StoreError::Corrupt(format!("import_jobs: {e}")))?;
        write_tx!(self, |tx| {
            // and those a stopped server left running (an import of 10 M
            // rows takes minutes, never twice KEEP_MS)
            sqlx::query(
                "delete from import_jobs
                 where finished_ms < $1 or (finished_ms is null and started_ms < $2)",
            )
            .bind(job.started_ms - KEEP_MS)
            .bind(job.started_ms - 2 * KEEP_MS)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "insert into import_jobs (id, owner_id, file_name, skip_invalid, header_json, total_rows, started_ms)
                 values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&job.id)
            .bind(job.owner_id)
            .bind(&job.file_name)
            .bind(job.skip_invalid)
            .bind(&header)
            .bind(job.total.map(stored))
            .bind(job.started_ms)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The counters of a running job (a finished one is left as it ended).
    ///
    /// # Errors
    /// Database failure.
    pub async fn import_job_progress(
        &self,
        id: &str,
        checked: u64,
        done: u64,
        inserted: u64,
    ) -> Result<()> {
        write_tx!(self, |tx| {
            sqlx::query(
                "update import_jobs set checked = $2, done = $3, inserted = $4
                 where id = $1 and state is null",
            )
            .bind(id)
            .bind(stored(checked))
            .bind(stored(done))
            .bind(stored(inserted))
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// How the job ended, at `finished_ms`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn finish_import_job(
        &self,
        id: &str,
        outcome: &JobOutcome,
        finished_ms: i64,
    ) -> Result<()> {
        let (state, report, failure, secs, counts) = match outcome {
            JobOutcome::Finished { report, secs } => (
                "finished",
                Some(
                    serde_json::to_string(report)
                        .map_err(|e| StoreError::Corrupt(format!("import_jobs: {e}")))?,
                ),
                None,
                Some(*secs),
                // a refused import rolled back what it had written
                (
                    report.file.rows,
                    report.file.rows,
                    if report.committed { report.inserted } else { 0 },
                ),
            ),
            JobOutcome::Failed(m) => ("failed", None, Some(m.as_str()), None, (0, 0, 0)),
        };
        write_tx!(self, |tx| {
            sqlx::query(
                "update import_jobs set state = $2, report_json = $3, failure = $4, secs = $5,
                     finished_ms = $6, checked = $7, done = $8, inserted = $9
                 where id = $1",
            )
            .bind(id)
            .bind(state)
            .bind(report.as_deref())
            .bind(failure)
            .bind(secs)
            .bind(finished_ms)
            .bind(stored(counts.0))
            .bind(stored(counts.1))
            .bind(stored(counts.2))
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The job `id`, if it exists and belongs to `owner_id` (anyone else
    /// learns nothing, not even that it exists).
    ///
    /// # Errors
    /// Database failure; a stored report that does not parse.
    pub async fn import_job(&self, id: &str, owner_id: i64) -> Result<Option<ImportJob>> {
        let sql = format!("select {COLUMNS} from import_jobs where id = $1 and owner_id = $2");
        with_pool!(self, |p| {
            let row = sqlx::query(&sql)
                .bind(id)
                .bind(owner_id)
                .fetch_optional(p)
                .await?;
            row.as_ref().map(job).transpose()
        })
    }

    /// `owner_id`'s finished jobs not yet forgotten at `now_ms`, oldest
    /// first.
    ///
    /// # Errors
    /// Database failure; a stored report that does not parse.
    pub async fn finished_import_jobs(&self, owner_id: i64, now_ms: i64) -> Result<Vec<ImportJob>> {
        let sql = format!(
            "select {COLUMNS} from import_jobs
             where owner_id = $1 and state is not null and finished_ms >= $2
             order by started_ms, id"
        );
        with_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(owner_id)
                .bind(now_ms - KEEP_MS)
                .fetch_all(p)
                .await?;
            rows.iter().map(job).collect()
        })
    }
}
