//! Test support shared by every crate's integration tests: a fresh, migrated
//! database per test on the backend named by `TDKT_TEST_DATABASE_URL`
//! (default: a temporary SQLite file). On PostgreSQL a uniquely named
//! database is created and dropped again when the `TestDb` is dropped.

use rand::Rng;

use crate::{Secrets, Store};

pub struct TestDb {
    pub store: Store,
    pub url: String,
    admin_url: Option<String>,
    name: String,
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
        let suffix: u64 = rand::thread_rng().r#gen();
        let name = format!("tdkt_test_{suffix:x}");
        let (url, admin_url, dir) = if base.starts_with("postgres") {
            let admin = Store::connect(&base, test_secrets())
                .await
                .expect("connect to TDKT_TEST_DATABASE_URL");
            admin
                .execute_admin(&format!("create database {name}"))
                .await
                .expect("create test database");
            admin.close().await;
            (replace_db(&base, &name), Some(base.clone()), None)
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("test.db");
            (format!("sqlite:{}", path.display()), None, Some(dir))
        };
        let store = Store::connect(&url, test_secrets())
            .await
            .expect("connect test database");
        store.migrate().await.expect("migrate test database");
        crate::demo::load_kinds(&store).await.expect("unit kinds");
        Self {
            store,
            url,
            admin_url,
            name,
            _dir: dir,
        }
    }

    /// A fresh database with the demo data loaded.
    ///
    /// # Panics
    /// When the demo data is refused.
    pub async fn with_demo() -> Self {
        let db = Self::new().await;
        crate::demo::load(&db.store).await.expect("demo data loads");
        db
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

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(admin_url) = self.admin_url.clone() else {
            return;
        };
        let name = self.name.clone();
        let store = self.store.clone();
        // Drop runs outside any runtime guarantee: use a thread of our own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                store.close().await;
                if let Ok(admin) = Store::connect(&admin_url, test_secrets()).await {
                    let _ = admin
                        .execute_admin(&format!("drop database if exists {name} with (force)"))
                        .await;
                    admin.close().await;
                }
            });
        })
        .join();
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
