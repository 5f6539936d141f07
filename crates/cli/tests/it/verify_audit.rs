//! `tdkt verify-audit` exits 0 on an intact log and non-zero naming the
//! first broken event after a row was edited directly in the database.

use tdkt_store::testing::TestDb;

use super::support::run;

fn tdkt(db: &TestDb, args: &[&str]) -> std::process::Output {
    run(&db.url, args)
}

#[tokio::test]
async fn verify_audit_names_the_first_edited_event() {
    let db = TestDb::new().await;
    let out = tdkt(&db, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ok = tdkt(&db, &["verify-audit"]);
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("toàn vẹn"));

    let drop_guard = match db.store.backend() {
        tdkt_store::Backend::Sqlite => "drop trigger audit_events_no_update;",
        tdkt_store::Backend::Postgres => "drop trigger audit_events_no_change on audit_events;",
    };
    db.store.execute_admin(drop_guard).await.unwrap();
    db.store
        .execute_admin("update audit_events set actor = 'kẻ gian' where seq = 12")
        .await
        .unwrap();
    let bad = tdkt(&db, &["verify-audit"]);
    assert_eq!(bad.status.code(), Some(2));
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(text.contains("#12"), "{text}");
}
