//! Web award imports as the database keeps them (`tdkt_store::import_jobs`):
//! only their owner reads them, a running job's counters move, the outcome
//! (with its refused rows) reads back as it was written, a finished job is
//! not overwritten by a late progress write, and finished jobs are purged
//! after six hours. Both backends (`TDKT_TEST_DATABASE_URL`).

use tdkt_core::import::{Report, RowError};
use tdkt_store::awards::import::ImportReport;
use tdkt_store::import_jobs::{ImportJob, JobOutcome, KEEP_MS};
use tdkt_store::testing::TestDb;

fn job(id: &str, owner_id: i64, started_ms: i64) -> ImportJob {
    ImportJob {
        id: id.to_owned(),
        owner_id,
        file_name: "khen-thuong.csv".to_owned(),
        skip_invalid: true,
        header: vec!["cccd".to_owned(), "năm".to_owned()],
        total: Some(3),
        started_ms,
        checked: 0,
        done: 0,
        inserted: 0,
        outcome: None,
        finished_ms: None,
    }
}

#[tokio::test]
async fn an_import_job_is_its_owners_alone_and_reads_back_as_it_ended() {
    let db = TestDb::with_demo().await;
    let store = &db.store;
    let owner = store.principal_of("canbo.cantho").await.unwrap().user_id;
    let other = store.principal_of("canbo.haugiang").await.unwrap().user_id;
    let t0 = 1_800_000_000_000;
    store
        .create_import_job(&job("a1", owner, t0))
        .await
        .unwrap();

    assert!(store.import_job("a1", other).await.unwrap().is_none());
    store.import_job_progress("a1", 2, 1, 1).await.unwrap();
    let running = store.import_job("a1", owner).await.unwrap().unwrap();
    assert_eq!((running.checked, running.done, running.inserted), (2, 1, 1));
    assert!(running.outcome.is_none());
    assert_eq!(running.header, ["cccd", "năm"]);
    assert_eq!(running.total, Some(3));

    let report = ImportReport {
        file: Report {
            rows: 3,
            rejected_count: 1,
            rejected: vec![RowError {
                row: 3,
                column: "cccd".to_owned(),
                message: "Số CCCD không hợp lệ".to_owned(),
                fields: vec!["123".to_owned(), "2024".to_owned()],
            }],
            limit: 0,
        },
        inserted: 2,
        committed: true,
        ..ImportReport::default()
    };
    let outcome = JobOutcome::Finished { report, secs: 0.5 };
    store
        .finish_import_job("a1", &outcome, t0 + 500)
        .await
        .unwrap();
    // a progress write arriving after the end changes nothing
    store.import_job_progress("a1", 1, 1, 0).await.unwrap();
    let done = store.import_job("a1", owner).await.unwrap().unwrap();
    assert_eq!((done.checked, done.done, done.inserted), (3, 3, 2));
    let Some(JobOutcome::Finished { report, secs }) = done.outcome else {
        panic!("not finished: {:?}", done.outcome);
    };
    assert!((secs - 0.5).abs() < 1e-9);
    assert_eq!(report.file.rejected[0].message, "Số CCCD không hợp lệ");
    assert_eq!(report.file.rejected[0].fields, ["123", "2024"]);
    assert_eq!(
        store
            .finished_import_jobs(owner, t0 + 1000)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store
        .finished_import_jobs(other, t0 + 1000)
        .await
        .unwrap()
        .is_empty());

    // a failed one, then six hours later a new job purges both
    store
        .create_import_job(&job("b2", owner, t0 + 1))
        .await
        .unwrap();
    store
        .finish_import_job("b2", &JobOutcome::Failed("hỏng".to_owned()), t0 + 2)
        .await
        .unwrap();
    let failed = store.import_job("b2", owner).await.unwrap().unwrap();
    assert!(matches!(failed.outcome, Some(JobOutcome::Failed(m)) if m == "hỏng"));
    let later = t0 + KEEP_MS + 10_000;
    assert!(store
        .finished_import_jobs(owner, later)
        .await
        .unwrap()
        .is_empty());
    store
        .create_import_job(&job("c3", owner, later))
        .await
        .unwrap();
    assert!(store.import_job("a1", owner).await.unwrap().is_none());
    assert!(store.import_job("b2", owner).await.unwrap().is_none());
    assert!(store.import_job("c3", owner).await.unwrap().is_some());

    // one its server never finished is forgotten twelve hours on
    store
        .create_import_job(&job("d4", owner, later + 1))
        .await
        .unwrap();
    store
        .create_import_job(&job("e5", owner, later + 2 * KEEP_MS))
        .await
        .unwrap();
    assert!(store.import_job("d4", owner).await.unwrap().is_some());
    store
        .create_import_job(&job("f6", owner, later + 2 * KEEP_MS + 2))
        .await
        .unwrap();
    assert!(store.import_job("d4", owner).await.unwrap().is_none());
}
