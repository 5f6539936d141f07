//! What the database server is doing for this store, for the benchmarks
//! (issue 16): on a machine shared with builds, a query's wall time is
//! mostly waiting for a core, so `tdkt bench search` also counts the CPU
//! time the query cost, in this process and in the PostgreSQL backends
//! serving this pool (read from `/proc/<pid>/task/*/schedstat`, local
//! server only).

use crate::{Pool, Result, Store};

impl Store {
    /// Process ids of the PostgreSQL backends connected to this store's
    /// database (the pool's connections, and any other client of the same
    /// database); none on SQLite, which runs in this process.
    ///
    /// # Errors
    /// Database failure.
    pub async fn server_pids(&self) -> Result<Vec<u32>> {
        Ok(match &self.pool {
            Pool::Sqlite(_) => Vec::new(),
            Pool::Postgres(p) => sqlx::query_scalar::<_, i32>(
                "select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'",
            )
            .fetch_all(p)
            .await?
            .into_iter()
            .filter_map(|pid| u32::try_from(pid).ok())
            .collect(),
        })
    }
}
