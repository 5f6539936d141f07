//! `tdkt backup` and `tdkt restore` round-trip a demo database into a fresh
//! one with identical content (every table's rows, digested in primary-key
//! order) and an audit chain that still verifies; a database with data is
//! not overwritten without `--force`. Both backends.

use std::process::Output;

use tdkt_store::testing::{test_secrets, TestDb};
use tdkt_store::Store;

use super::support::{run, text};

fn tdkt(url: &str, args: &[&str]) -> Output {
    run(url, args)
}

#[tokio::test]
async fn a_backup_restores_into_a_fresh_database_with_identical_content_and_a_valid_audit_chain() {
    let dir = tempfile::tempdir().unwrap();
    let source = TestDb::new().await;
    let out = tdkt(&source.url, &["demo"]);
    assert!(out.status.success(), "{}", text(&out));
    let file = dir.path().join("tdkt.backup");
    let file = file.to_str().unwrap();

    let out = tdkt(&source.url, &["backup", "--out", file]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("tệp khóa"), "{}", text(&out));
    // never over an existing file
    let again = tdkt(&source.url, &["backup", "--out", file]);
    assert!(!again.status.success());
    assert!(text(&again).contains("đã có"), "{}", text(&again));

    // SQLite: restore into a file no connection of this process has opened.
    // sqlx's `Pool::close` can return while a connection is still on its way
    // back to the pool and then keep it open for the pool's life (sqlx
    // #3217), which the restore would rightly see as a server still running.
    let target = TestDb::new().await;
    target.store.close().await;
    let url = match target.store.backend() {
        tdkt_store::Backend::Sqlite => {
            format!("sqlite:{}", dir.path().join("restored.db").display())
        }
        tdkt_store::Backend::Postgres => target.url.clone(),
    };
    let out = tdkt(&url, &["restore", file]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Nhật ký toàn vẹn"), "{}", text(&out));
    let verify = tdkt(&url, &["verify-audit"]);
    assert!(verify.status.success(), "{}", text(&verify));

    // a database with data is kept unless --force
    let refused = tdkt(&url, &["restore", file]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("không trống"), "{}", text(&refused));
    let forced = tdkt(&url, &["restore", "--force", file]);
    assert!(forced.status.success(), "{}", text(&forced));

    let restored = Store::connect(&url, test_secrets()).await.unwrap();
    let expected = source.store.table_digests().await.unwrap();
    let got = restored.table_digests().await.unwrap();
    assert!(expected.len() > 20, "{expected:?}");
    assert!(expected.iter().any(|t| t.table == "people" && t.rows > 0));
    assert_eq!(got, expected);
    // the CCCDs decrypt with the same key
    let people = restored
        .search_people(
            &tdkt_store::people::PeopleScope::All,
            "Trần Thị Hà",
            None,
            1,
        )
        .await
        .unwrap();
    assert_eq!(restored.reveal_cccd(people[0].id).await.unwrap().len(), 12);
    restored.close().await;
}

#[tokio::test]
async fn a_running_server_database_is_not_replaced_under_it() {
    let source = TestDb::new().await;
    if source.store.backend() != tdkt_store::Backend::Sqlite {
        return; // PostgreSQL restores inside one transaction, beside live connections
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tdkt.backup");
    let file = file.to_str().unwrap();
    assert!(tdkt(&source.url, &["demo"]).status.success());
    assert!(tdkt(&source.url, &["backup", "--out", file])
        .status
        .success());
    // the target is open (as by a server) while the restore is tried
    let target = TestDb::new().await;
    let out = tdkt(&target.url, &["restore", "--force", file]);
    assert!(!out.status.success());
    assert!(text(&out).contains("đang được dùng"), "{}", text(&out));
    assert!(!target.store.has_data().await.unwrap());
}
