//! Test support shared by every crate's integration tests: a fresh, migrated
//! database per test on the backend named by `TDKT_TEST_DATABASE_URL`
//! (default: a temporary SQLite file). On PostgreSQL a uniquely named
//! database `tdkt_test_<pid>_<random>` is created; databases left by test
//! processes that have exited are dropped when the next one starts (a drop
//! from `Drop` would have to block the test's own runtime).
//!
//! Beside it, the set-up the tests of several crates repeat: an officer's
//! [`Principal`], attachments in memory, a unit's or a person's id, the
//! demo specialist's dossier and its checklist attached.
//!
//! Built only with the `testing` feature, which the crates' dev-dependencies
//! turn on: none of this is in the release binary.

use rand::Rng;
use tdkt_core::access::{Principal, Role};
use tdkt_core::catalogue::Recipient;
use tdkt_core::dossier::Track;

use crate::attachments::{Attachments, Owner};
use crate::dossiers::{NewDossier, NewRecipient};
use crate::{Secrets, Store};

pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// A fixed key, so tests can compare hashes; never used outside tests.
#[must_use]
pub fn test_secrets() -> Secrets {
    Secrets::from_master(&[42; 32])
}

impl TestDb {
    /// # Panics
    /// When the database cannot be created: a test cannot run without it.
    pub async fn new() -> Self {
        let base = std::env::var("TDKT_TEST_DATABASE_URL").unwrap_or_default();
        let (url, dir) = if base.starts_with("postgres") {
            let suffix: u32 = rand::thread_rng().r#gen();
            let name = format!("tdkt_test_{}_{suffix:x}", std::process::id());
            let admin = Store::connect(&base, test_secrets())
                .await
                .expect("connect to TDKT_TEST_DATABASE_URL");
            drop_stale_databases(&admin).await;
            admin
                .execute_admin(&format!("create database {name}"))
                .await
                .expect("create test database");
            admin.close().await;
            (replace_db(&base, &name), None)
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("test.db");
            (format!("sqlite:{}", path.display()), Some(dir))
        };
        let store = Store::connect(&url, test_secrets())
            .await
            .expect("connect test database");
        store.migrate().await.expect("migrate test database");
        crate::demo::load_kinds(&store).await.expect("unit kinds");
        Self {
            store,
            url,
            _dir: dir,
        }
    }

    /// A fresh database with the demo data loaded (no dossiers and no
    /// council: a council gates the forward of the dossiers that need its
    /// vote, which most tests drive themselves).
    ///
    /// # Panics
    /// When the demo data is refused.
    pub async fn with_demo() -> Self {
        let db = Self::new().await;
        crate::demo::load(&db.store).await.expect("demo data loads");
        db
    }

    /// [`Self::with_demo`] plus the dossiers `tdkt demo` loads (one
    /// overdue, one returned for supplement, one ready for decision, one
    /// past the city's council and its public disclosure), their files in
    /// memory, then the year's movement and cluster reports (`demo/year.rs`). Measured on the shared 2-core machine: the dossiers add
    /// 27–58 ms to a 1,6–3,0 s demo load on SQLite, 0,8–1,3 s to 4,8–5,5 s
    /// on PostgreSQL.
    ///
    /// # Panics
    /// When the demo data is refused.
    pub async fn with_demo_dossiers() -> Self {
        let db = Self::with_demo().await;
        let files = memory_files();
        crate::demo::load_dossiers(&db.store, &files)
            .await
            .expect("demo dossiers load");
        db
    }

    /// The demo data without its award decisions: for registry tests that
    /// count exactly what they import.
    ///
    /// # Panics
    /// When the demo data is refused.
    pub async fn with_demo_no_awards() -> Self {
        let db = Self::new().await;
        crate::demo::load_without_awards(&db.store)
            .await
            .expect("demo data loads");
        db
    }
}

/// The demo's Sở Xây dựng Cần Thơ, where most dossier tests open theirs.
pub const SO_XAY_DUNG: &str = "can-tho.so-xay-dung";

/// The CCCD of the demo's specialist at the Sở Xây dựng Cần Thơ.
pub const SPECIALIST_CCCD: &str = "092191938273";

/// An officer of the unit whose database id is `unit`, as `name` (user id
/// 1): the principal the store's checks are handed in tests.
#[must_use]
pub fn officer(unit: i64, name: &str) -> Principal {
    Principal {
        user_id: 1,
        username: name.to_owned(),
        full_name: name.to_owned(),
        role: Role::Officer,
        scope_unit: Some(unit),
    }
}

/// Attachments kept in memory for the life of the test.
#[must_use]
pub fn memory_files() -> Attachments {
    Attachments::with_store(
        std::sync::Arc::new(object_store::memory::InMemory::new()),
        crate::attachments::DEFAULT_MAX_BYTES,
    )
}

impl TestDb {
    /// The id of the unit with `code`.
    ///
    /// # Panics
    /// No such unit.
    pub async fn unit_id(&self, code: &str) -> i64 {
        self.store
            .unit_by_code(code)
            .await
            .expect("unit by code")
            .id
    }

    /// The id of the person with `cccd`.
    ///
    /// # Panics
    /// No such person.
    pub async fn person_id(&self, cccd: &str) -> i64 {
        self.store
            .person_by_cccd(cccd)
            .await
            .expect("person by CCCD")
            .expect("a person with this CCCD")
            .id
    }

    /// A dossier for award `award_code` of the Sở Xây dựng Cần Thơ for its
    /// specialist ([`SPECIALIST_CCCD`]), year 2025, received on 05/01/2026
    /// on the regular track, opened by `canbo.so`: held at the Sở, in draft.
    ///
    /// # Panics
    /// The dossier is refused.
    pub async fn specialist_dossier(&self, award_code: &str, title: &str) -> i64 {
        let so = self.unit_id(SO_XAY_DUNG).await;
        let person = self.person_id(SPECIALIST_CCCD).await;
        self.store
            .create_dossier(
                "canbo.so",
                &NewDossier {
                    unit_id: so,
                    award_code: award_code.into(),
                    kind: Recipient::Individual,
                    year: 2025,
                    title: title.into(),
                    received_on: time::macros::date!(2026 - 01 - 05),
                    recipients: vec![NewRecipient::Person(person)],
                    track: Track::Regular,
                    acted_on: None,
                    facts: Vec::new(),
                },
            )
            .await
            .expect("dossier opens")
    }

    /// Adds an officer account `username` (`full_name`) whose scope is the
    /// unit with code `scope`, with the demo password: whom a web test then
    /// signs in as.
    ///
    /// # Panics
    /// The account is refused.
    pub async fn add_officer(&self, username: &str, full_name: &str, scope: &str) {
        let hash = crate::accounts::hash_password(crate::demo::DEMO_PASSWORD).expect("hash");
        self.store
            .create_accounts_with_hash(
                "test",
                &hash,
                &[(username.into(), full_name.into())],
                Role::Officer,
                Some(scope),
            )
            .await
            .expect("officer account");
    }

    /// Attaches a small PDF, as `actor`, to every item of dossier `id`'s
    /// checklist but those whose code is in `except`.
    ///
    /// # Panics
    /// An attachment is refused.
    pub async fn attach_checklist(
        &self,
        files: &Attachments,
        actor: &str,
        id: i64,
        except: &[&str],
    ) {
        let view = self.store.dossier_view(id).await.expect("dossier view");
        for item in view.checklist {
            if except.contains(&item.code.as_str()) {
                continue;
            }
            files
                .put(
                    &self.store,
                    actor,
                    Owner {
                        kind: "dossier",
                        id,
                        document: &item.code,
                    },
                    &format!("{}.pdf", item.code),
                    format!("%PDF-1.7\n{}\n%%EOF\n", item.code).into_bytes(),
                )
                .await
                .expect("attachment stored");
        }
    }
}

/// Drops test databases whose process has exited.
async fn drop_stale_databases(admin: &Store) {
    let crate::Pool::Postgres(p) = &admin.pool else {
        return;
    };
    let names: Vec<String> =
        sqlx::query_scalar("select datname from pg_database where datname like 'tdkt\\_test\\_%'")
            .fetch_all(p)
            .await
            .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = admin
                .execute_admin(&format!("drop database if exists {name} with (force)"))
                .await;
        }
    }
}

fn replace_db(url: &str, name: &str) -> String {
    let (head, query) = url
        .split_once('?')
        .map_or((url, None), |(h, q)| (h, Some(q)));
    let base = match head.rfind('/') {
        Some(i) if i > "postgres://".len() => &head[..i],
        _ => head,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Store {
    /// Runs one administrative statement (tests only: create/drop database,
    /// tampering with the audit log to prove it is detected).
    ///
    /// # Errors
    /// Database failure.
    #[doc(hidden)]
    pub async fn execute_admin(&self, sql: &str) -> crate::Result<()> {
        crate::with_pool!(self, |p| {
            sqlx::raw_sql(sql).execute(p).await?;
        });
        Ok(())
    }
}

impl Store {
    /// Creates many accounts at once with one precomputed password hash
    /// ([`crate::accounts::hash_password`]), in one transaction with one
    /// audit event each: hashing argon2 per account is too slow for large
    /// test setups (300 voters). Returns the ids in input order.
    ///
    /// # Errors
    /// Unknown scope unit, duplicate username.
    #[doc(hidden)]
    pub async fn create_accounts_with_hash(
        &self,
        actor: &str,
        password_hash: &str,
        accounts: &[(String, String)],
        role: tdkt_core::access::Role,
        scope_code: Option<&str>,
    ) -> crate::Result<Vec<i64>> {
        use crate::audit::{audit, json};
        let scope = match scope_code {
            Some(c) => Some(self.unit_by_code(c).await?.id),
            None => None,
        };
        let ids = crate::write_tx!(self, |tx| {
            let mut ids = Vec::with_capacity(accounts.len());
            for (username, full_name) in accounts {
                let id: i64 = sqlx::query_scalar(
                    "insert into users (username, password_hash, full_name, role, scope_unit_id) values ($1, $2, $3, $4, $5) returning id",
                )
                .bind(username)
                .bind(password_hash)
                .bind(full_name)
                .bind(role.code())
                .bind(scope)
                .fetch_one(&mut *tx)
                .await
                .map_err(crate::StoreError::unique("username", format!("Tên đăng nhập «{username}» đã được dùng.")))?;
                let after = serde_json::json!({"username": username, "full_name": full_name, "role": role.code(), "scope_unit_id": scope});
                audit!(tx, actor, "user", id, "create", None, json(&after));
                ids.push(id);
            }
            ids
        });
        Ok(ids)
    }

    /// Opens a session for an account without a password (tests only: 300
    /// argon2 verifications are too slow in a debug build). Returns the
    /// cookie value.
    ///
    /// # Errors
    /// Database failure.
    #[doc(hidden)]
    pub async fn open_session_for_test(&self, user_id: i64) -> crate::Result<String> {
        use base64::Engine;
        use rand::RngCore;
        use sha2::Digest;
        let mut b = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut b);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        let now = time::OffsetDateTime::now_utc();
        let fmt = |t: time::OffsetDateTime| {
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        };
        crate::write_tx!(self, |tx| {
            sqlx::query("insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)")
                .bind(hex::encode(sha2::Sha256::digest(token.as_bytes())))
                .bind(user_id)
                .bind(fmt(now))
                .bind(fmt(now + crate::accounts::SESSION_TTL))
                .execute(&mut *tx)
                .await?;
        });
        Ok(token)
    }
}
