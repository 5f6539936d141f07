//! A database that holds every migration opens without a write, so that a
//! read-only copy (a PostgreSQL hot standby, a SQLite file opened
//! read-only) serves the heavy reads of issue 16: the eligibility scan,
//! exports, reports. Here the copy is simulated on the same server: the
//! database is made read-only (`default_transaction_read_only`, which a
//! standby enforces the same way) or the SQLite file is opened `mode=ro`.

use tdkt_store::testing::{test_secrets, TestDb};
use tdkt_store::{Backend, Store};

/// The same database, read-only from now on for every new connection.
async fn read_only(db: &TestDb) -> Store {
    let url = match db.store.backend() {
        Backend::Postgres => {
            let name = db
                .url
                .rsplit('/')
                .next()
                .unwrap()
                .split('?')
                .next()
                .unwrap();
            db.store
                .execute_admin(&format!(
                    "alter database {name} set default_transaction_read_only = on"
                ))
                .await
                .unwrap();
            db.url.clone()
        }
        Backend::Sqlite => format!("{}?mode=ro", db.url),
    };
    Store::connect(&url, test_secrets()).await.unwrap()
}

#[tokio::test]
async fn a_migrated_database_opens_read_only_and_answers_reads() {
    let db = TestDb::with_demo().await;
    let units = db.store.units().await.unwrap().len();
    let replica = read_only(&db).await;
    // what every `tdkt` command does on opening: no write when nothing is due
    replica.migrate().await.unwrap();
    tdkt_store::demo::load_kinds(&replica).await.unwrap();
    assert_eq!(replica.units().await.unwrap().len(), units);
    assert!(replica.lineage().await.is_ok());
    // and it really is read-only: a write is refused
    assert!(replica
        .add_unit_kind("kiem-tra", "kiem-tra", "Loại thử", 9)
        .await
        .is_err());
    replica.close().await;
}

#[tokio::test]
async fn a_read_only_database_missing_a_migration_is_refused_not_half_migrated() {
    let db = TestDb::new().await;
    db.store
        .execute_admin("delete from _sqlx_migrations where version = (select max(version) from _sqlx_migrations)")
        .await
        .unwrap();
    let replica = read_only(&db).await;
    assert!(replica.migrate().await.is_err());
    replica.close().await;
}
