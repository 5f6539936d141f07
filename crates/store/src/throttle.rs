//! Throttles kept in the database (the policy and its numbers are in
//! `tdkt_core::throttle`). Each check is one atomic `insert … on conflict
//! do update … returning` statement: the row is locked while it is changed
//! (PostgreSQL) or the database has one writer (SQLite), so parallel
//! requests, on one server or on several sharing a PostgreSQL, each see
//! the count left by the one before. Nothing is counted in memory.
//!
//! Two shapes:
//! - [`Store::hit`]: a fixed-window counter for any key (login failures
//!   per address, searches per account, later a public comment form);
//! - the per-account sign-in backoff used by `Store::login`, which counts
//!   an attempt *before* its password is checked, so that of 30 parallel
//!   wrong passwords only the free ones are ever checked.

use rand::RngCore;
use tdkt_core::throttle::{delay_steps, unix_ms, FORGET_AFTER_MS};
use time::OffsetDateTime;

use crate::{write_tx, Result, Store};

/// The answer of [`Store::hit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Within the limit: go on.
    pub allowed: bool,
    /// Hits counted in the current window, this one included.
    pub hits: i64,
    /// When the current window ends (ms since the epoch): the time to try
    /// again when refused.
    pub retry_at_ms: i64,
}

/// May a sign-in attempt check its password?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginSlot {
    /// Counted as a failure in advance (cleared if the password is right).
    Check,
    /// The account is closed until then (ms since the epoch).
    Closed { until_ms: i64 },
}

/// `case` over the new failure count `f` giving the delay in ms, built from
/// the policy's steps so the numbers are written only in core.
fn delay_case(f: &str) -> String {
    let (steps, cap) = delay_steps();
    let first = steps
        .first()
        .map_or(tdkt_core::throttle::FREE_FAILURES, |s| s.0);
    let mut sql = format!("case when {f} < {first} then 0");
    for (n, d) in steps {
        sql.push_str(&format!(" when {f} = {n} then {d}"));
    }
    sql.push_str(&format!(" else {cap} end"));
    sql
}

/// The key of an account's backoff row: the username as typed (lowercased),
/// or its hash when absurdly long, so a megabyte of username is not stored.
pub(crate) fn account_key(username: &str) -> String {
    use sha2::Digest;
    if username.len() <= 64 {
        username.to_owned()
    } else {
        format!("sha256:{}", hex::encode(sha2::Sha256::digest(username)))
    }
}

impl Store {
    /// Counts one hit on `key` in a fixed window of `window_ms` that starts
    /// at the first hit; allowed while the window holds at most `limit`.
    /// `now` is passed in so tests control the clock.
    ///
    /// # Errors
    /// Database failure.
    pub async fn hit(
        &self,
        key: &str,
        window_ms: i64,
        limit: i64,
        now: OffsetDateTime,
    ) -> Result<Hit> {
        let now = unix_ms(now);
        let (start, hits): (i64, i64) = write_tx!(self, |tx| {
            sqlx::query_as(
                "insert into rate_buckets (key, window_start, hits) values ($1, $2, 1)
                 on conflict (key) do update set
                     hits = case when rate_buckets.window_start <= $3 then 1 else rate_buckets.hits + 1 end,
                     window_start = case when rate_buckets.window_start <= $3 then $2 else rate_buckets.window_start end
                 returning window_start, hits",
            )
            .bind(key)
            .bind(now)
            .bind(now - window_ms)
            .fetch_one(&mut *tx)
            .await?
        });
        Ok(Hit {
            allowed: hits <= limit,
            hits,
            retry_at_ms: start + window_ms,
        })
    }

    /// Takes back one hit on `key` (a counted attempt that turned out not
    /// to count, e.g. a sign-in with the right password).
    ///
    /// # Errors
    /// Database failure.
    pub async fn refund(&self, key: &str) -> Result<()> {
        write_tx!(self, |tx| {
            sqlx::query("update rate_buckets set hits = hits - 1 where key = $1 and hits > 0")
                .bind(key)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Counts a sign-in attempt on `account` before its password is checked,
    /// unless the account is closed. One statement: parallel attempts line
    /// up on the row, and each knows whether it was counted by reading back
    /// its own random claim.
    pub(crate) async fn reserve_login(
        &self,
        account: &str,
        now: OffsetDateTime,
    ) -> Result<LoginSlot> {
        let now = unix_ms(now);
        let mut c = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut c);
        let claim = hex::encode(c);
        let closed = "login_backoff.blocked_until > $2";
        let new_failures =
            "(case when login_backoff.last_failure <= $4 then 1 else login_backoff.failures + 1 end)";
        let sql = format!(
            "insert into login_backoff (username, failures, blocked_until, last_failure, claim)
             values ($1, 1, $2 + {first}, $2, $3)
             on conflict (username) do update set
                 failures = case when {closed} then login_backoff.failures else {new_failures} end,
                 blocked_until = case when {closed} then login_backoff.blocked_until else $2 + {delay} end,
                 last_failure = case when {closed} then login_backoff.last_failure else $2 end,
                 claim = case when {closed} then login_backoff.claim else $3 end
             returning blocked_until, claim",
            first = tdkt_core::throttle::delay_ms(1),
            delay = delay_case(new_failures),
        );
        let (until, got): (i64, String) = write_tx!(self, |tx| {
            sqlx::query_as(&sql)
                .bind(account)
                .bind(now)
                .bind(&claim)
                .bind(now - FORGET_AFTER_MS)
                .fetch_one(&mut *tx)
                .await?
        });
        Ok(if got == claim {
            LoginSlot::Check
        } else {
            LoginSlot::Closed { until_ms: until }
        })
    }

    /// Deletes counters that no longer matter: windows older than a day,
    /// backoffs that are open and forgotten.
    ///
    /// # Errors
    /// Database failure.
    pub async fn prune_throttle(&self, now: OffsetDateTime) -> Result<u64> {
        let now = unix_ms(now);
        let n = write_tx!(self, |tx| {
            let a = sqlx::query("delete from rate_buckets where window_start < $1")
                .bind(now - 24 * 3_600_000)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let b = sqlx::query(
                "delete from login_backoff where blocked_until <= $1 and last_failure <= $2",
            )
            .bind(now)
            .bind(now - FORGET_AFTER_MS)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            a + b
        });
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_delay_case_follows_the_policy() {
        assert_eq!(
            super::delay_case("f"),
            "case when f < 5 then 0 when f = 5 then 60000 when f = 6 then 120000 \
             when f = 7 then 240000 when f = 8 then 480000 else 900000 end"
        );
    }
}
