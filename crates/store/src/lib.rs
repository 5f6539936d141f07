//! Persistence for tdkt. One [`Store`] over SQLite (the embedded default) or
//! PostgreSQL, chosen once from the URL scheme. Each query is written once:
//! the `with_pool!`/`write_tx!` macros expand the same body for both
//! backends, and the shared test suite keeps them in agreement. Every write
//! runs in one transaction together with its audit event.

pub mod accounts;
pub mod achievements;
pub mod attachments;
pub mod audit;
pub mod awards;
pub mod backup;
pub mod ballots;
pub mod certificates;
pub mod clusters;
pub mod councils;
pub mod decisions;
pub mod demo;
pub mod disclosures;
pub mod dossiers;
mod error;
pub mod import_jobs;
pub mod indicators;
pub mod listing;
pub mod movements;
pub mod people;
pub mod proposals;
pub mod rankings;
pub mod ratings;
pub mod reminders;
pub mod revocations;
pub mod rules;
pub mod scoring;
pub mod secret;
mod server;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
pub mod todo;
pub mod units;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub use error::StoreError;
pub use secret::Secrets;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which database a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The aggregate that joins text values with a separator:
    /// `group_concat(x, sep)` / `string_agg(x, sep)`.
    pub(crate) fn text_agg(self) -> &'static str {
        match self {
            Self::Sqlite => "group_concat",
            Self::Postgres => "string_agg",
        }
    }
}

/// `1, 2, 3` for an `in (…)` list: ids are integers from the database, so
/// inlining them is safe and keeps one statement for both backends. No ids
/// give `null`, which no row is `in` (and `in ()` is not PostgreSQL).
pub(crate) fn id_list<'a>(ids: impl IntoIterator<Item = &'a i64>) -> String {
    let list = ids
        .into_iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if list.is_empty() {
        "null".to_owned()
    } else {
        list
    }
}

/// The database of one tdkt installation.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    pub(crate) secrets: Arc<Secrets>,
    /// SQLite allows one writer; taking it here, before `BEGIN`, avoids
    /// SQLITE_BUSY on lock upgrades. PostgreSQL writers run concurrently.
    pub(crate) write_lock: Arc<tokio::sync::Mutex<()>>,
    /// Which word of a name search to walk (`awards::newest`).
    pub(crate) key_counts: Arc<awards::KeyCounts>,
    pub(crate) walk_bounds: WalkBounds,
}

/// How far the bounded walks of a name search read before they give the
/// search to the text index (`awards/newest.rs`, `people/named.rs`, which
/// say why these sizes). Smaller in tests, so that every branch runs on a
/// small registry.
#[derive(Clone, Copy, Debug)]
pub struct WalkBounds {
    /// Entries of `name_keys` an award walk reads first, and at most.
    pub awards_first: i64,
    pub awards_most: i64,
    /// People an award walk reaches at most.
    pub awards_people: i64,
    /// PostgreSQL: people a people search tests first, and at most walks.
    pub people_first: i64,
    pub people_most: i64,
    /// PostgreSQL: entries a key of `person_keys` has at most for a name's
    /// people to be read from it (within a scope, its units' part of it)
    /// instead of the text index.
    pub keys_most: i64,
    /// PostgreSQL: people of a name a scope is expected to hold (by the
    /// counts) from which an award search walks first, without reading
    /// the scope's part of a key.
    pub many_within: i64,
}

impl Default for WalkBounds {
    /// An award walk reads 1 000 entries, then as many as the density met
    /// says hold a page, up to 30 000 (an entry costs 0,3–0,5 µs, index
    /// only): under the cheapest look-up of common words in the text index.
    /// A people walk (PostgreSQL, rows of the table) tests 4 000 people
    /// (about 2 ms), then walks on only if the rest of the page lies within
    /// 40 000; else the GIN index answers (15–20 ms for common words).
    /// The people of a name are read from one key's list of `person_keys`
    /// if it has at most 100 000 entries (0,18 µs an entry, index only:
    /// 9 ms for the 49 676 of `lo`, where the GIN index took 20–25 ms for
    /// `loc le thanh`); within a scope, only its units' part of it, before
    /// any walk, unless the scope is expected to hold 1 000 people of the
    /// name or more (four times what is read first, as the estimate runs
    /// about three times high).
    fn default() -> Self {
        Self {
            awards_first: 1_000,
            awards_most: 30_000,
            awards_people: 1_000,
            people_first: 4_000,
            people_most: 40_000,
            keys_most: 100_000,
            many_within: 1_000,
        }
    }
}

/// Runs `$body` with `$p` bound to the pool of either backend.
macro_rules! with_pool {
    ($self:expr, |$p:ident| $body:expr) => {
        match &$self.pool {
            $crate::Pool::Sqlite($p) => $body,
            $crate::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use with_pool;

/// `BEGIN IMMEDIATE` on a pooled SQLite connection, in a task of its own.
///
/// A request dropped while sqlx begins a SQLite transaction (a client that
/// hangs up, a load generator that stops) can leave its pooled connection
/// at transaction depth 1 with no `Transaction` to roll it back (sqlx issue
/// #3932, "sqlite transaction creation is not error or drop-safe"): every
/// later write on that connection then fails with "attempted to call
/// begin_with at non-zero transaction depth", or holds SQLite's write lock
/// until the busy timeout. A spawned task is not cancelled with the
/// request: the BEGIN either never starts or completes, and a
/// `Transaction` nobody awaits any more is dropped, which rolls it back.
pub(crate) async fn begin_immediate(
    pool: &SqlitePool,
) -> std::result::Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    let pool = pool.clone();
    tokio::spawn(async move { pool.begin_with("BEGIN IMMEDIATE").await })
        .await
        .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?
}

/// Runs `$body` inside one write transaction `$tx` and commits; an error
/// (`?` or `return Err`) in the body rolls everything back.
///
/// On SQLite the transaction starts `IMMEDIATE` and an error is rolled back
/// before the writer lock is released: a deferred transaction that read first
/// gets `SQLITE_BUSY` at once (no busy wait in WAL mode) when another
/// connection still holds the write lock, e.g. a failed transaction whose
/// rollback sqlx would otherwise only queue when the connection is dropped.
macro_rules! write_tx {
    ($self:expr, |$tx:ident| $body:expr) => {
        match &$self.pool {
            $crate::Pool::Sqlite(p) => {
                let _writer = $self.write_lock.lock().await;
                let mut $tx = $crate::begin_immediate(p).await?;
                let out: ::std::result::Result<_, $crate::StoreError> = async { Ok($body) }.await;
                match out {
                    Ok(v) => {
                        $tx.commit().await?;
                        v
                    }
                    Err(e) => {
                        $tx.rollback().await?;
                        return Err(e.into());
                    }
                }
            }
            $crate::Pool::Postgres(p) => {
                let mut $tx = p.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}
pub(crate) use write_tx;

impl Store {
    /// Other bounds for the walks of name searches (tests: small ones, so
    /// that a small registry takes every branch).
    #[cfg(feature = "testing")]
    pub fn set_walk_bounds(&mut self, bounds: WalkBounds) {
        self.walk_bounds = bounds;
    }

    /// Connects to `sqlite:…`/a file path (created if missing) or `postgres://…`.
    ///
    /// # Errors
    /// Unreachable or unparseable database URL.
    pub async fn connect(url: &str, secrets: Secrets) -> Result<Self> {
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // no JIT: the planner decides on a plan's whole cost, and a
            // search that walks an index until its LIMIT is full is costed
            // as if it read all of it: 64 ms of compiling for an 8 ms walk
            let opts = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
            Pool::Postgres(
                PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts)
                    .await?,
            )
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            let opts = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                // statement journals (multi-row inserts that may hit a
                // unique key) and sorts in memory: on disk they were an
                // eighth of the award import's time, in write syscalls
                .pragma("temp_store", "memory")
                .busy_timeout(Duration::from_secs(30));
            Pool::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(opts)
                    .await?,
            )
        };
        Ok(Self {
            pool,
            secrets: Arc::new(secrets),
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
            key_counts: Arc::default(),
            walk_bounds: WalkBounds::default(),
        })
    }

    #[must_use]
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations (idempotent).
    ///
    /// A database that already holds every migration of this binary is not
    /// written to at all: sqlx's migrator always creates its table and takes
    /// a lock first, which a PostgreSQL hot standby refuses (read-only
    /// transaction), so without this check no `tdkt` command could read
    /// from a replica (issue 16, `docs/scaling.md`).
    ///
    /// # Errors
    /// A migration failed or the database is ahead of this binary.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let m = sqlx::migrate!("./migrations/sqlite");
                if !self.holds_all(&m).await {
                    m.run(p).await?;
                }
            }
            Pool::Postgres(p) => {
                let m = sqlx::migrate!("./migrations/postgres");
                if !self.holds_all(&m).await {
                    m.run(p).await?;
                }
            }
        }
        Ok(())
    }

    /// Has every migration of `m` been applied, successfully and unchanged
    /// (same checksum)? Any doubt (no table yet, a failed or edited
    /// migration, a read error) answers no, and the migrator then decides
    /// and reports as it always has.
    async fn holds_all(&self, m: &sqlx::migrate::Migrator) -> bool {
        let applied: Vec<(i64, Vec<u8>, bool)> = match with_pool!(self, |p| sqlx::query_as(
            "select version, checksum, success from _sqlx_migrations"
        )
        .fetch_all(p)
        .await)
        {
            Ok(rows) => rows,
            Err(_) => return false,
        };
        // a version this binary does not know: the database is ahead, and
        // the migrator says so
        applied
            .iter()
            .all(|(v, _, ok)| *ok && m.iter().any(|x| x.version == *v))
            && m.iter()
                .filter(|x| !x.migration_type.is_down_migration())
                .all(|x| {
                    applied
                        .iter()
                        .any(|(v, sum, _)| *v == x.version && sum.as_slice() == &*x.checksum)
                })
    }

    /// Is the database empty of org units (a fresh install)?
    ///
    /// # Errors
    /// Database unreachable.
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = with_pool!(self, |p| sqlx::query_scalar(
            "select count(*) from org_units"
        )
        .fetch_one(p)
        .await?);
        Ok(n == 0)
    }

    pub async fn close(&self) {
        with_pool!(self, |p| p.close().await);
    }

    #[must_use]
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }
}

/// Current UTC time as stored (RFC 3339, second precision… plus fraction for ordering).
pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}
