//! The database server's processes as the benchmark reads them (issue 16):
//! none on SQLite (it runs in this process), on PostgreSQL the backends of
//! this store's database (whether they are processes of this machine
//! depends on where the server runs: not checked).

use tdkt_store::testing::TestDb;
use tdkt_store::Backend;

#[tokio::test]
async fn the_servers_pids_are_the_backends_of_the_stores_database() {
    let db = TestDb::new().await;
    let s = &db.store;
    // a query first, so that the pool holds a connection
    s.count_people().await.unwrap();
    let pids = s.server_pids().await.unwrap();
    match s.backend() {
        Backend::Sqlite => assert!(pids.is_empty(), "{pids:?}"),
        Backend::Postgres => {
            assert!(!pids.is_empty(), "no backend of the test database");
            let mut unique = pids.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), pids.len(), "{pids:?}");
        }
    }
}
