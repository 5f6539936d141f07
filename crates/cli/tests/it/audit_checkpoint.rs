//! Signed audit checkpoints (issue 12, item 5): `tdkt audit checkpoint` and
//! `tdkt verify-audit --checkpoint` catch what the unkeyed chain alone
//! cannot: the newest rows deleted with the head rewound, and a row edited
//! with every later hash recomputed. Both backends.

use std::path::Path;
use std::process::{Command, Output};

use tdkt_core::audit::{event_hash, AuditEvent};
use tdkt_store::testing::TestDb;

use super::support::{run, KEY};

fn tdkt(db: &TestDb, args: &[&str]) -> Output {
    run(&db.url, args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A demo database with a signed checkpoint of its head.
async fn demo_with_checkpoint(dir: &Path) -> (TestDb, String, i64) {
    let db = TestDb::new().await;
    let out = tdkt(&db, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.join("tdkt-audit.checkpoints");
    let file = file.to_str().unwrap().to_owned();
    let out = tdkt(&db, &["audit", "checkpoint", "--out", &file]);
    assert!(out.status.success(), "{}", stdout(&out));
    let (head, _) = db.store.audit_head().await.unwrap();
    assert!(stdout(&out).contains(&format!("#{head}")));
    (db, file, head)
}

async fn unguard(db: &TestDb) {
    let sql = match db.store.backend() {
        tdkt_store::Backend::Sqlite => {
            "drop trigger audit_events_no_update; drop trigger audit_events_no_delete;"
        }
        tdkt_store::Backend::Postgres => "drop trigger audit_events_no_change on audit_events;",
    };
    db.store.execute_admin(sql).await.unwrap();
}

async fn events(db: &TestDb) -> Vec<AuditEvent> {
    let mut e = db.store.recent_audit(1_000_000).await.unwrap();
    e.reverse();
    e
}

#[tokio::test]
async fn an_untouched_chain_passes_its_checkpoints_also_after_new_events() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file, head) = demo_with_checkpoint(dir.path()).await;
    let ok = tdkt(&db, &["verify-audit", "--checkpoint", &file]);
    assert!(ok.status.success(), "{}", stdout(&ok));
    assert!(
        stdout(&ok).contains("khớp 1 điểm kiểm tra"),
        "{}",
        stdout(&ok)
    );
    // the chain grows; a second checkpoint is appended; both still match
    let out = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args([
            "user",
            "add",
            "moi",
            "--full-name",
            "Người Mới",
            "--role",
            "admin",
        ])
        .env("TDKT_DATABASE_URL", &db.url)
        .env("TDKT_SECRET_KEY", KEY)
        .env("TDKT_NEW_PASSWORD", "mat-khau-moi-1")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(tdkt(&db, &["verify-audit", "--checkpoint", &file])
        .status
        .success());
    assert!(tdkt(&db, &["audit", "checkpoint", "--out", &file])
        .status
        .success());
    let ok = tdkt(&db, &["verify-audit", "--checkpoint", &file]);
    assert!(ok.status.success(), "{}", stdout(&ok));
    let (now_head, _) = db.store.audit_head().await.unwrap();
    assert!(now_head > head);
    let expected = format!("khớp 2 điểm kiểm tra đã ký (mới nhất: #{now_head})");
    assert!(stdout(&ok).contains(&expected), "{}", stdout(&ok));
}

#[tokio::test]
async fn deleting_the_newest_events_and_rewinding_the_head_fails_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file, head) = demo_with_checkpoint(dir.path()).await;
    let keep = head - 5;
    let kept_hash = events(&db).await[usize::try_from(keep - 1).unwrap()]
        .hash
        .clone();
    unguard(&db).await;
    db.store
        .execute_admin(&format!(
            "delete from audit_events where seq > {keep}; \
             update audit_head set seq = {keep}, hash = '{kept_hash}' where id = 1;"
        ))
        .await
        .unwrap();
    // the chain alone cannot tell…
    assert!(tdkt(&db, &["verify-audit"]).status.success());
    // …the signed checkpoint can
    let bad = tdkt(&db, &["verify-audit", "--checkpoint", &file]);
    assert_eq!(bad.status.code(), Some(2), "{}", stdout(&bad));
    let text = stdout(&bad);
    assert!(text.contains(&format!("sự kiện #{head}")), "{text}");
    assert!(text.contains("đã bị xóa"), "{text}");
}

#[tokio::test]
async fn editing_an_event_and_recomputing_the_chain_fails_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file, head) = demo_with_checkpoint(dir.path()).await;
    let target = head - 10;
    unguard(&db).await;
    // rewrite #target and recompute every later hash and the head, as
    // someone with write access to the database can
    let mut prev = String::new();
    let mut sql = String::new();
    for mut e in events(&db).await {
        if e.seq < target {
            prev = e.hash.clone();
            continue;
        }
        if e.seq == target {
            e.actor = "ke-gian".into();
        }
        e.prev_hash.clone_from(&prev);
        e.hash = event_hash(
            &e.prev_hash,
            e.seq,
            &e.at,
            &e.actor,
            &e.entity,
            &e.entity_id,
            &e.action,
            e.before.as_deref(),
            e.after.as_deref(),
        );
        sql.push_str(&format!(
            "update audit_events set actor = '{}', prev_hash = '{}', hash = '{}' where seq = {};\n",
            e.actor, e.prev_hash, e.hash, e.seq
        ));
        prev = e.hash;
    }
    sql.push_str(&format!(
        "update audit_head set hash = '{prev}' where id = 1;"
    ));
    db.store.execute_admin(&sql).await.unwrap();
    assert!(
        tdkt(&db, &["verify-audit"]).status.success(),
        "a consistent rewrite"
    );
    let bad = tdkt(&db, &["verify-audit", "--checkpoint", &file]);
    assert_eq!(bad.status.code(), Some(2), "{}", stdout(&bad));
    let text = stdout(&bad);
    assert!(
        text.contains(&format!("#{head}")) && text.contains("viết lại"),
        "{text}"
    );
}

#[tokio::test]
async fn a_checkpoint_line_with_a_bad_signature_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file, head) = demo_with_checkpoint(dir.path()).await;
    let good = std::fs::read_to_string(&file).unwrap();
    // the same line with another sequence number: the signature no longer fits
    let forged = good.replace(&format!("seq={head} "), &format!("seq={} ", head + 100));
    let forged_file = dir.path().join("forged.checkpoints");
    std::fs::write(&forged_file, &forged).unwrap();
    let bad = tdkt(
        &db,
        &[
            "verify-audit",
            "--checkpoint",
            forged_file.to_str().unwrap(),
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stdout(&bad));
    assert!(
        stdout(&bad).contains("dòng 1: chữ ký không hợp lệ"),
        "{}",
        stdout(&bad)
    );
    // a line signed with another key (someone who made their own)
    let other = tdkt_store::Secrets::from_master(&[7; 32]);
    let (seq, hash) = db.store.audit_head().await.unwrap();
    let line = other.sign_checkpoint(&tdkt_core::audit::Checkpoint {
        seq,
        hash,
        at: "2026-12-07T01:00:00Z".into(),
    });
    let other_file = dir.path().join("other.checkpoints");
    std::fs::write(&other_file, format!("{good}{line}\n")).unwrap();
    let bad = tdkt(
        &db,
        &["verify-audit", "--checkpoint", other_file.to_str().unwrap()],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stdout(&bad));
    assert!(stdout(&bad).contains("dòng 2"), "{}", stdout(&bad));
}

#[tokio::test]
async fn the_server_schedule_signs_a_new_head_only_when_it_moved_and_extends_the_last_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file, head) = demo_with_checkpoint(dir.path()).await;
    let file = Path::new(&file);
    let mut s = tdkt_cli::audit::Scheduler::new(file, db.store.secrets());
    assert_eq!(s.tick(&db.store).await.unwrap(), None, "head has not moved");
    db.store
        .create_account(
            "test",
            "moi",
            "mat-khau-moi-1",
            "Người Mới",
            tdkt_core::access::Role::Admin,
            None,
        )
        .await
        .unwrap();
    assert_eq!(s.tick(&db.store).await.unwrap(), Some(head + 1));
    assert_eq!(std::fs::read_to_string(file).unwrap().lines().count(), 2);
    // an event edited after the last checkpoint: the next one is not signed
    db.store
        .create_account(
            "test",
            "moi2",
            "mat-khau-moi-2",
            "Người Mới",
            tdkt_core::access::Role::Admin,
            None,
        )
        .await
        .unwrap();
    unguard(&db).await;
    db.store
        .execute_admin(&format!(
            "update audit_events set actor = 'x' where seq = {}",
            head + 2
        ))
        .await
        .unwrap();
    let err = s.tick(&db.store).await.unwrap_err().to_string();
    assert!(err.contains("can thiệp"), "{err}");
    assert_eq!(std::fs::read_to_string(file).unwrap().lines().count(), 2);
}
