//! How often sign-in may be tried, and how fast searches may be asked: the
//! policy as numbers and pure functions. The counters themselves live in
//! the database (`tdkt_store::throttle`), updated by single atomic
//! statements, so that every server on one PostgreSQL shares them.
//!
//! OWASP ASVS 4.0 V2.2.1 asks for anti-automation that stops brute force
//! and credential stuffing *without* letting anyone lock an account's
//! owner out, and for no more than 100 failed attempts per hour on one
//! account. tdkt answers with:
//!
//! - per account: [`FREE_FAILURES`] wrong passwords pass without delay;
//!   each further failure closes the account for an exponentially growing
//!   delay ([`FIRST_DELAY_MS`], doubled each time, capped at
//!   [`MAX_DELAY_MS`]). During the delay every attempt, right or wrong, is
//!   answered 429 "try again after HH:mm" *without checking the password*;
//!   once it has passed, the right password gets in (and clears the count).
//!   Failures are forgotten [`FORGET_AFTER_MS`] after the last one. That
//!   allows at most 11 guesses in the first hour (5 at once, then after 1,
//!   2, 4, 8 and twice 15 minutes) and 4 per hour after, and the owner never
//!   waits more than 15 minutes.
//! - per client address (the peer, or the client a trusted proxy names),
//!   across accounts: at most [`ADDRESS_FAILURES`] failures per
//!   [`ADDRESS_WINDOW_MS`], against password spraying from one machine.
//!   Correct passwords do not count, so an office behind one address is not
//!   shut out by its own users signing in.
//! - searches and API reads: [`SEARCH_LIMIT`] requests per
//!   [`SEARCH_WINDOW_MS`] per signed-in account (per address when
//!   anonymous), against scraping and enumeration through search.
//! - public comments on a disclosure: [`COMMENT_LIMIT`] per client address
//!   per [`COMMENT_WINDOW_MS`].

use time::OffsetDateTime;

use crate::date::VN_OFFSET;

/// Wrong passwords per account before any delay.
pub const FREE_FAILURES: i64 = 5;
/// The delay after the first failure beyond the free ones.
pub const FIRST_DELAY_MS: i64 = 60_000;
/// No delay is longer: the owner is never locked out for longer than this.
pub const MAX_DELAY_MS: i64 = 15 * 60_000;
/// An account's failures are forgotten this long after the last one.
pub const FORGET_AFTER_MS: i64 = 60 * 60_000;
/// Failed sign-ins allowed from one client address per window, whatever
/// the accounts.
pub const ADDRESS_FAILURES: i64 = 20;
pub const ADDRESS_WINDOW_MS: i64 = 15 * 60_000;
/// Search and API reads per account (or anonymous address) per window.
pub const SEARCH_LIMIT: i64 = 120;
pub const SEARCH_WINDOW_MS: i64 = 60_000;
/// Public comments on a disclosure (*công khai*, no login) per client
/// address per window: enough for a family or an office behind one address
/// to say what it knows, too few to flood the moderators.
pub const COMMENT_LIMIT: i64 = 5;
pub const COMMENT_WINDOW_MS: i64 = 60 * 60_000;

/// How long an account stays closed after its `failures`-th consecutive
/// failure (0: not closed).
#[must_use]
pub fn delay_ms(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = u32::try_from(failures - FREE_FAILURES)
        .unwrap_or(u32::MAX)
        .min(20);
    (FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS)
}

/// The delays as `(failures, delay)` from the first closing one until the
/// cap, then `(None, cap)` for every count beyond: what the store turns
/// into one `case` expression, so the policy is written only here.
#[must_use]
pub fn delay_steps() -> (Vec<(i64, i64)>, i64) {
    let mut steps = Vec::new();
    let mut f = FREE_FAILURES;
    while delay_ms(f) < MAX_DELAY_MS {
        steps.push((f, delay_ms(f)));
        f += 1;
    }
    (steps, MAX_DELAY_MS)
}

/// Milliseconds since the Unix epoch.
#[must_use]
pub fn unix_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// `HH:mm` in Việt Nam of the instant `ms`, rounded *up* to the minute, so
/// that trying again at the time shown always works.
#[must_use]
pub fn vn_clock(ms: i64) -> String {
    let minute = (ms + 59_999).div_euclid(60_000) * 60;
    let t = OffsetDateTime::from_unix_timestamp(minute)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(VN_OFFSET);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_from_one_minute_and_stops_at_fifteen() {
        let d: Vec<i64> = (1..=12).map(|f| delay_ms(f) / 60_000).collect();
        assert_eq!(d, [0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15, 15]);
        assert_eq!(delay_ms(i64::MAX), MAX_DELAY_MS);
        let (steps, cap) = delay_steps();
        assert_eq!(
            steps,
            [(5, 60_000), (6, 120_000), (7, 240_000), (8, 480_000)]
        );
        assert_eq!(cap, MAX_DELAY_MS);
    }

    #[test]
    fn an_attacker_gets_far_fewer_than_a_hundred_guesses_an_hour() {
        // guess whenever allowed, for one hour
        let (mut t, mut failures, mut guesses) = (0_i64, 0_i64, 0);
        while t < 3_600_000 {
            failures += 1;
            guesses += 1;
            t += delay_ms(failures).max(1_000);
        }
        assert_eq!(guesses, 11);
    }

    #[test]
    fn the_time_to_try_again_is_shown_in_vietnam_rounded_up() {
        // 2026-12-06 03:04:30 UTC = 10:04:30 in Việt Nam
        let t = time::macros::datetime!(2026-12-06 03:04:30 UTC);
        assert_eq!(vn_clock(unix_ms(t)), "10:05");
        let t = time::macros::datetime!(2026-12-06 16:59:00 UTC);
        assert_eq!(vn_clock(unix_ms(t)), "23:59");
    }
}
