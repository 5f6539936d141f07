//! What `tdkt backup` and `tdkt restore` need from the database: an online,
//! consistent copy of an SQLite database (`VACUUM INTO`, which reads one
//! snapshot while writers go on), a check that a database is empty or not
//! in use before it is replaced, and a digest of every table's rows to
//! prove a restored copy identical. PostgreSQL backups are made by
//! `pg_dump`/`pg_restore` (see the CLI).

use std::path::Path;

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{with_pool, Backend, Pool, Result, Store, StoreError};

/// One table's content: its row count and a SHA-256 over its rows in
/// primary-key order, each value as text (NULL distinct from '').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    pub table: String,
    pub rows: i64,
    pub sha256: String,
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `out` (which
    /// must not exist), while other connections keep reading and writing.
    ///
    /// # Errors
    /// Not SQLite, `out` exists or cannot be written.
    pub async fn vacuum_into(&self, out: &Path) -> Result<()> {
        let Pool::Sqlite(p) = &self.pool else {
            return Err(StoreError::Conflict(
                "database",
                "VACUUM INTO chỉ dùng cho SQLite.".to_owned(),
            ));
        };
        sqlx::query("vacuum into $1")
            .bind(out.to_string_lossy().as_ref())
            .execute(p)
            .await?;
        Ok(())
    }

    /// Does the database hold an installation's data (accounts or org
    /// units)? A database with no tdkt tables yet holds none, nor one that
    /// only has the unit kinds every start adds.
    ///
    /// # Errors
    /// Database failure.
    pub async fn has_data(&self) -> Result<bool> {
        for table in ["users", "org_units"] {
            let exists: bool = match self.backend() {
                Backend::Sqlite => with_pool!(self, |p| sqlx::query_scalar(
                    "select count(*) > 0 from sqlite_master where type = 'table' and name = $1"
                )
                .bind(table)
                .fetch_one(p)
                .await?),
                Backend::Postgres => with_pool!(self, |p| {
                    sqlx::query_scalar(
                    "select count(*) > 0 from information_schema.tables where table_schema = current_schema() and table_name = $1"
                )
                .bind(table)
                .fetch_one(p)
                .await?
                }),
            };
            if !exists {
                continue;
            }
            let n: i64 = with_pool!(self, |p| sqlx::query_scalar(&format!(
                "select count(*) from {}",
                quote_ident(table)
            ))
            .fetch_one(p)
            .await?);
            if n > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every table of the database (tdkt's and the migration ledger), by
    /// name, with its rows' digest.
    ///
    /// # Errors
    /// Database failure.
    pub async fn table_digests(&self) -> Result<Vec<TableDigest>> {
        let tables: Vec<String> = match self.backend() {
            Backend::Sqlite => with_pool!(self, |p| {
                sqlx::query_scalar(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"
            )
            .fetch_all(p)
            .await?
            }),
            Backend::Postgres => with_pool!(self, |p| sqlx::query_scalar(
                "select table_name::text from information_schema.tables
                 where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1"
            )
            .fetch_all(p)
            .await?),
        };
        let mut out = Vec::with_capacity(tables.len());
        for table in tables {
            out.push(self.table_digest(&table).await?);
        }
        Ok(out)
    }

    async fn table_digest(&self, table: &str) -> Result<TableDigest> {
        // (column, position in the primary key or 0), in column order
        let cols: Vec<(String, i64)> = match self.backend() {
            Backend::Sqlite => with_pool!(self, |p| sqlx::query_as(
                "select name, pk from pragma_table_info($1) order by cid"
            )
            .bind(table)
            .fetch_all(p)
            .await?),
            Backend::Postgres => with_pool!(self, |p| sqlx::query_as(
                "select c.column_name::text, coalesce(k.ordinal_position, 0)::bigint
                 from information_schema.columns c
                 left join information_schema.table_constraints t
                   on t.table_schema = c.table_schema and t.table_name = c.table_name
                  and t.constraint_type = 'PRIMARY KEY'
                 left join information_schema.key_column_usage k
                   on k.constraint_name = t.constraint_name and k.table_schema = c.table_schema
                  and k.table_name = c.table_name and k.column_name = c.column_name
                 where c.table_schema = current_schema() and c.table_name = $1
                 order by c.ordinal_position"
            )
            .bind(table)
            .fetch_all(p)
            .await?),
        };
        // every value as text: SQLite's quote() also keeps blobs exact
        let value = |c: &str| match self.backend() {
            Backend::Sqlite => format!("quote({})", quote_ident(c)),
            Backend::Postgres => format!("cast({} as text)", quote_ident(c)),
        };
        let select = cols
            .iter()
            .map(|(c, _)| value(c))
            .collect::<Vec<_>>()
            .join(", ");
        let mut pk: Vec<&(String, i64)> = cols.iter().filter(|(_, k)| *k > 0).collect();
        pk.sort_by_key(|(_, k)| *k);
        let order = if pk.is_empty() {
            (1..=cols.len()).map(|i| i.to_string()).collect::<Vec<_>>()
        } else {
            pk.iter().map(|(c, _)| quote_ident(c)).collect()
        }
        .join(", ");
        let sql = format!(
            "select {select} from {} order by {order}",
            quote_ident(table)
        );
        let mut h = Sha256::new();
        let mut rows = 0_i64;
        with_pool!(self, |p| {
            let mut stream = sqlx::query(&sql).fetch(p);
            while let Some(row) = stream.try_next().await? {
                rows += 1;
                for i in 0..cols.len() {
                    match row.try_get::<Option<String>, _>(i)? {
                        Some(v) => {
                            h.update(b"+");
                            h.update((v.len() as u64).to_be_bytes());
                            h.update(v.as_bytes());
                        }
                        None => h.update(b"-"),
                    }
                }
                h.update(b"\n");
            }
        });
        Ok(TableDigest {
            table: table.to_owned(),
            rows,
            sha256: hex::encode(h.finalize()),
        })
    }
}

/// Is the SQLite database at `path` open in another process (a running
/// server)? Leaving WAL mode needs every other connection closed, so a
/// connection that manages it is alone. Leaves the file in rollback-journal
/// mode, which the next [`Store::connect`] turns back into WAL.
///
/// # Errors
/// The file cannot be opened.
pub async fn sqlite_in_use(path: &Path) -> Result<bool> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    // tries for 5 s: connections that were just closed (a server that is
    // stopping, a pool closed a moment ago) may still hold their locks
    for _ in 0..25 {
        let mut conn = SqliteConnectOptions::new()
            .filename(path)
            .busy_timeout(std::time::Duration::from_millis(200))
            .connect()
            .await?;
        let mode: std::result::Result<String, sqlx::Error> =
            sqlx::query_scalar("pragma journal_mode = delete")
                .fetch_one(&mut conn)
                .await;
        conn.close().await?;
        if matches!(mode, Ok(ref m) if m.eq_ignore_ascii_case("delete")) {
            return Ok(false);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Ok(true)
}

/// The libpq environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`,
/// `PGPASSWORD`, `PGSSLMODE`) that points `pg_dump`/`pg_restore` at the
/// database of `url`: the password goes in the environment, not on a
/// command line that every user of the machine can read.
///
/// # Errors
/// Not a PostgreSQL URL.
pub fn pg_env(url: &str) -> Result<Vec<(&'static str, String)>> {
    use std::str::FromStr;
    let o = sqlx::postgres::PgConnectOptions::from_str(url)?;
    let mut env = vec![
        ("PGHOST", o.get_host().to_owned()),
        ("PGPORT", o.get_port().to_string()),
        ("PGUSER", o.get_username().to_owned()),
    ];
    if let Some(db) = o.get_database() {
        env.push(("PGDATABASE", db.to_owned()));
    }
    let ssl = match o.get_ssl_mode() {
        sqlx::postgres::PgSslMode::Disable => "disable",
        sqlx::postgres::PgSslMode::Allow => "allow",
        sqlx::postgres::PgSslMode::Prefer => "prefer",
        sqlx::postgres::PgSslMode::Require => "require",
        sqlx::postgres::PgSslMode::VerifyCa => "verify-ca",
        sqlx::postgres::PgSslMode::VerifyFull => "verify-full",
    };
    env.push(("PGSSLMODE", ssl.to_owned()));
    // postgres://user:password@host/…: the password, percent-decoded
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        if let Some((_, pw)) = userinfo.split_once(':') {
            env.push(("PGPASSWORD", percent_decode(pw)));
        }
    }
    Ok(env)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_postgres_url_becomes_the_libpq_environment_with_the_password_out_of_argv() {
        let env = super::pg_env("postgres://tdkt:p%40ss@db.example:6543/tdkt_prod?sslmode=require")
            .unwrap();
        let get = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("PGHOST"), Some("db.example"));
        assert_eq!(get("PGPORT"), Some("6543"));
        assert_eq!(get("PGUSER"), Some("tdkt"));
        assert_eq!(get("PGDATABASE"), Some("tdkt_prod"));
        assert_eq!(get("PGPASSWORD"), Some("p@ss"));
        assert_eq!(get("PGSSLMODE"), Some("require"));
    }
}
