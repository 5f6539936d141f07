//! Sign-in throttling and the general rate limit, in the database (issue
//! 12, item 3). The clock is passed in: no test sleeps. SQLite by default,
//! PostgreSQL with `TDKT_TEST_DATABASE_URL=postgres://…`.

use tdkt_core::access::Role;
use tdkt_core::throttle::{
    unix_ms, ADDRESS_FAILURES, FREE_FAILURES, MAX_DELAY_MS, SEARCH_LIMIT, SEARCH_WINDOW_MS,
};
use tdkt_store::accounts::LoginError;
use tdkt_store::testing::{test_secrets, TestDb};
use tdkt_store::Store;
use time::{Duration, OffsetDateTime};

const PASSWORD: &str = "mat-khau-dung-1";

async fn with_admin() -> TestDb {
    let db = TestDb::new().await;
    db.store
        .create_account("test", "quantri", PASSWORD, "Quản trị", Role::Admin, None)
        .await
        .unwrap();
    db
}

fn t0() -> OffsetDateTime {
    time::macros::datetime!(2026-12-07 01:00:00 UTC)
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    In,
    Wrong,
    Closed { until_ms: i64 },
    AddressClosed,
}

async fn login(store: &Store, user: &str, pw: &str, client: &str, now: OffsetDateTime) -> Outcome {
    match store.login(user, pw, client, now).await {
        Ok(_) => Outcome::In,
        Err(LoginError::BadCredentials) => Outcome::Wrong,
        Err(LoginError::Throttled {
            until_ms,
            by_address: false,
        }) => Outcome::Closed { until_ms },
        Err(LoginError::Throttled {
            by_address: true, ..
        }) => Outcome::AddressClosed,
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn thirty_parallel_wrong_passwords_get_only_five_password_checks() {
    let db = with_admin().await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..30 {
        let store = db.store.clone();
        // each from its own address: only the account's throttle acts
        tasks.spawn(async move {
            login(
                &store,
                "quantri",
                "sai-mat-khau",
                &format!("192.0.2.{i}"),
                t0(),
            )
            .await
        });
    }
    let (mut wrong, mut closed) = (0, 0);
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            Outcome::Wrong => wrong += 1,
            Outcome::Closed { .. } => closed += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(wrong, FREE_FAILURES, "password checks");
    assert_eq!(closed, 30 - FREE_FAILURES);
    // and while closed, even the right password is not checked
    assert!(matches!(
        login(
            &db.store,
            "quantri",
            PASSWORD,
            "192.0.2.99",
            t0() + Duration::seconds(1)
        )
        .await,
        Outcome::Closed { .. }
    ));
}

#[tokio::test]
async fn after_the_delay_the_right_password_gets_in_and_the_count_starts_again() {
    let db = with_admin().await;
    let s = &db.store;
    for _ in 0..FREE_FAILURES {
        assert_eq!(
            login(s, "quantri", "sai", "198.51.100.1", t0()).await,
            Outcome::Wrong
        );
    }
    // during the delay the right password is refused with the time to come back
    let during = login(
        s,
        "quantri",
        PASSWORD,
        "198.51.100.1",
        t0() + Duration::seconds(30),
    )
    .await;
    assert_eq!(
        during,
        Outcome::Closed {
            until_ms: unix_ms(t0()) + 60_000
        }
    );
    let msg = s
        .login(
            "quantri",
            PASSWORD,
            "198.51.100.1",
            t0() + Duration::seconds(30),
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(msg.contains("thử lại sau 08:01"), "{msg}");
    // once it has passed, the right password gets in
    let after = t0() + Duration::seconds(61);
    assert_eq!(
        login(s, "quantri", PASSWORD, "198.51.100.1", after).await,
        Outcome::In
    );
    // …and the failures are cleared: five free ones again
    for _ in 0..FREE_FAILURES {
        assert_eq!(
            login(s, "quantri", "sai", "198.51.100.1", after).await,
            Outcome::Wrong
        );
    }
}

#[tokio::test]
async fn the_delay_doubles_but_never_exceeds_fifteen_minutes_so_the_owner_is_never_locked_out() {
    let db = with_admin().await;
    let s = &db.store;
    let mut now = t0();
    let mut delays = Vec::new();
    // an attacker guessing whenever allowed, 20 times
    for _ in 0..20 {
        match login(s, "quantri", "sai", "198.51.100.2", now).await {
            Outcome::Wrong => {}
            other => panic!("{other:?}"),
        }
        match login(s, "quantri", "sai", "198.51.100.3", now).await {
            Outcome::Closed { until_ms } => {
                delays.push(until_ms - unix_ms(now));
                now += Duration::milliseconds(until_ms - unix_ms(now));
            }
            Outcome::Wrong => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(&delays[..5], [60_000, 120_000, 240_000, 480_000, 900_000]);
    assert!(delays.iter().all(|d| *d <= MAX_DELAY_MS));
    // the owner, arriving when the last delay has passed, gets in
    assert_eq!(
        login(s, "quantri", PASSWORD, "198.51.100.4", now).await,
        Outcome::In
    );
}

#[tokio::test]
async fn spraying_thirty_usernames_from_one_address_is_stopped_after_twenty_failures() {
    let db = with_admin().await;
    let s = &db.store;
    let mut outcomes = Vec::new();
    for i in 0..30 {
        outcomes.push(login(s, &format!("nguoi{i}"), "123456", "203.0.113.5", t0()).await);
    }
    let wrong = outcomes.iter().filter(|o| **o == Outcome::Wrong).count();
    let limited = outcomes
        .iter()
        .filter(|o| **o == Outcome::AddressClosed)
        .count();
    assert_eq!(wrong, usize::try_from(ADDRESS_FAILURES).unwrap());
    assert_eq!(limited, 30 - wrong);
    // from that address even a right password waits for the window…
    assert_eq!(
        login(s, "quantri", PASSWORD, "203.0.113.5", t0()).await,
        Outcome::AddressClosed
    );
    // …while other addresses are not affected, and the window ends
    assert_eq!(
        login(s, "quantri", PASSWORD, "203.0.113.6", t0()).await,
        Outcome::In
    );
    let later = t0() + Duration::minutes(15);
    assert_eq!(
        login(s, "quantri", PASSWORD, "203.0.113.5", later).await,
        Outcome::In
    );
}

#[tokio::test]
async fn right_passwords_from_one_office_address_do_not_count_against_it() {
    let db = with_admin().await;
    for _ in 0..(ADDRESS_FAILURES + 5) {
        assert_eq!(
            login(&db.store, "quantri", PASSWORD, "203.0.113.7", t0()).await,
            Outcome::In
        );
    }
}

#[tokio::test]
async fn hit_allows_the_limit_in_a_window_even_in_parallel_and_opens_again_after_it() {
    let db = TestDb::new().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let store = db.store.clone();
        tasks.spawn(async move {
            store
                .hit("search:account:7", 60_000, 10, t0())
                .await
                .unwrap()
        });
    }
    let mut allowed = 0;
    while let Some(h) = tasks.join_next().await {
        let h = h.unwrap();
        allowed += usize::from(h.allowed);
        assert_eq!(h.retry_at_ms, unix_ms(t0()) + 60_000);
    }
    assert_eq!(allowed, 10);
    let other = db
        .store
        .hit("search:account:8", 60_000, 10, t0())
        .await
        .unwrap();
    assert!(other.allowed, "another key has its own count");
    let next = t0() + Duration::seconds(60);
    let h = db
        .store
        .hit("search:account:7", 60_000, 10, next)
        .await
        .unwrap();
    assert!(h.allowed && h.hits == 1);
}

#[tokio::test]
async fn two_servers_on_one_database_share_the_counts() {
    let db = TestDb::new().await;
    let second = Store::connect(&db.url, test_secrets()).await.unwrap();
    let limit = SEARCH_LIMIT;
    for i in 0..limit {
        let s = if i % 2 == 0 { &db.store } else { &second };
        assert!(
            s.hit("search:account:1", SEARCH_WINDOW_MS, limit, t0())
                .await
                .unwrap()
                .allowed
        );
    }
    assert!(
        !second
            .hit("search:account:1", SEARCH_WINDOW_MS, limit, t0())
            .await
            .unwrap()
            .allowed
    );
    assert!(
        !db.store
            .hit("search:account:1", SEARCH_WINDOW_MS, limit, t0())
            .await
            .unwrap()
            .allowed
    );
    second.close().await;
}

#[tokio::test]
async fn old_counters_are_pruned() {
    let db = with_admin().await;
    login(&db.store, "khong-co", "sai", "192.0.2.1", t0()).await;
    db.store
        .hit("search:account:1", 60_000, 10, t0())
        .await
        .unwrap();
    assert_eq!(db.store.prune_throttle(t0()).await.unwrap(), 0);
    assert_eq!(
        db.store
            .prune_throttle(t0() + Duration::days(2))
            .await
            .unwrap(),
        3
    );
}

/// A request dropped while its write transaction begins (a client that hangs
/// up, wrk stopping) must not leave its pooled connection inside a
/// transaction that nobody tracks (sqlx #3932): the next write on that
/// connection would fail, or wait out the busy timeout. The window is a
/// task that sqlx's SQLite worker has answered "begun" but that is dropped
/// before it is polled again, as hyper drops a handler whose client left:
/// here the task is let run `polls` times, the runtime's one thread is
/// held while the worker answers, and the task is aborted.
#[tokio::test]
async fn a_write_dropped_while_it_begins_leaves_the_pool_usable() {
    let db = TestDb::new().await;
    let store = &db.store;
    for polls in 0..12 {
        for _ in 0..5 {
            let s = store.clone();
            let task = tokio::spawn(async move { s.hit("cut", 60_000, 1_000_000, t0()).await });
            for _ in 0..polls {
                tokio::task::yield_now().await;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
            task.abort();
            let _ = task.await;
            // an undisturbed write, on the connection the pool hands out next
            store
                .hit("after", 60_000, 1_000_000, t0())
                .await
                .unwrap_or_else(|e| panic!("the write after a task cut after {polls} polls: {e}"));
        }
    }
}
