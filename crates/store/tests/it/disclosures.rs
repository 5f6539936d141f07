//! Public disclosure on both backends (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP):
//! publishing at the level holding a dossier for at least 10 working days
//! (across Tết 2026), the council's check, comments pending until approved,
//! a dismissal keeping its reason, and the per-address limit on comments.

use tdkt_core::access::Principal;
use tdkt_core::dossier::disclosure::{NewComment, StandingKind};
use tdkt_store::disclosures::{Moderation, NewDisclosure, Posted, COMMENT_LIMIT};
use tdkt_store::testing::{officer, TestDb, SO_XAY_DUNG};
use tdkt_store::StoreError;
use time::macros::{date, datetime};

/// A «Chiến sĩ thi đua toàn quốc» dossier (disclosure required) of the Sở
/// Xây dựng Cần Thơ, held there in draft; its officer.
async fn cstd_toan_quoc(db: &TestDb) -> (i64, Principal) {
    let id = db
        .specialist_dossier("chien-si-thi-dua-toan-quoc", "CSTĐ toàn quốc 2025")
        .await;
    let so = db.unit_id(SO_XAY_DUNG).await;
    (id, officer(so, "canbo.so"))
}

fn new(id: i64, ends: Option<time::Date>) -> NewDisclosure {
    NewDisclosure {
        title: "Công khai danh sách đề nghị CSTĐ toàn quốc".into(),
        starts_on: date!(2026 - 02 - 06),
        ends_on: ends,
        dossiers: vec![(id, "Hai sáng kiến cấp tỉnh; ba năm CSTĐ cấp tỉnh.".into())],
    }
}

async fn audits(db: &TestDb, entity: &str) -> usize {
    db.store
        .recent_audit(10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.entity == entity)
        .count()
}

fn comment(text: &str) -> NewComment {
    NewComment::parse(Some("Người dân"), Some("0900000000"), text).unwrap()
}

#[tokio::test]
async fn a_disclosure_published_on_6_february_2026_runs_past_tet_and_the_council_waits_for_its_end()
{
    let db = TestDb::with_demo().await;
    let (id, so) = cstd_toan_quoc(&db).await;
    let today = date!(2026 - 02 - 06);

    // never published: the council may not take it
    let s = db
        .store
        .disclosure_complete(id, date!(2026 - 03 - 02))
        .await
        .unwrap();
    assert_eq!(s.kind, StandingKind::Missing, "{}", s.explanation);
    assert!(!s.allowed());

    // a window shorter than 10 working days is refused, nothing written
    let e = db
        .store
        .publish_disclosure(&so, &new(id, Some(date!(2026 - 02 - 26))), today)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(d) if d.field() == "ends_on"),
        "{e}"
    );
    assert!(e.to_string().contains("27/02/2026"), "{e}");
    assert_eq!(audits(&db, "disclosure").await, 0);

    // an officer of another level may not publish it
    let city = db.store.unit_by_code("can-tho").await.unwrap().id;
    let e = db
        .store
        .publish_disclosure(&officer(city, "canbo.cantho"), &new(id, None), today)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict("actor", _)), "{e}");

    // the shortest window: 10 working days after Friday 06/02, Tết skipped
    let did = db
        .store
        .publish_disclosure(&so, &new(id, None), today)
        .await
        .unwrap();
    let d = db.store.disclosure(did).await.unwrap();
    assert_eq!(
        (d.starts_on, d.ends_on),
        (date!(2026 - 02 - 06), date!(2026 - 02 - 27))
    );
    assert_eq!(d.required_days, 10);
    assert!(d.citation.contains("Điều 44"));
    assert_eq!(audits(&db, "disclosure").await, 1);
    let view = db.store.dossier_view(id).await.unwrap();
    let ev = view
        .events
        .iter()
        .find(|e| e.action == "disclose")
        .expect("on the timeline");
    assert!(
        ev.detail_lines().iter().any(|l| l.contains("27/02/2026")),
        "{:?}",
        ev.detail_lines()
    );

    // open on its days, listed publicly; not before
    assert_eq!(
        db.store
            .open_disclosures(date!(2026 - 02 - 10))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(db
        .store
        .open_disclosures(date!(2026 - 02 - 05))
        .await
        .unwrap()
        .is_empty());
    assert!(db
        .store
        .open_disclosures(date!(2026 - 02 - 28))
        .await
        .unwrap()
        .is_empty());

    // the council: not on the last day, from the day after
    let s = db
        .store
        .disclosure_complete(id, date!(2026 - 02 - 27))
        .await
        .unwrap();
    assert_eq!(s.kind, StandingKind::Running);
    assert!(s.explanation.contains("28/02/2026"), "{}", s.explanation);
    let s = db
        .store
        .disclosure_complete(id, date!(2026 - 03 - 02))
        .await
        .unwrap();
    assert_eq!(s.kind, StandingKind::Complete, "{}", s.explanation);
    assert!(s.allowed());

    // the public sees the name, unit, award and summary, never a CCCD
    let c = db.store.disclosure_candidates(did).await.unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].award_code, "chien-si-thi-dua-toan-quoc");
    assert!(c[0].summary.contains("sáng kiến"));
    assert!(!format!("{c:?}").contains("092191938273"));
}

#[tokio::test]
async fn a_comment_stays_hidden_until_approved_and_a_dismissal_keeps_its_reason() {
    let db = TestDb::with_demo().await;
    let (id, so) = cstd_toan_quoc(&db).await;
    let did = db
        .store
        .publish_disclosure(&so, &new(id, None), date!(2026 - 02 - 06))
        .await
        .unwrap();
    let now = datetime!(2026-02-10 03:00 UTC);
    let Posted::Stored(a) = db
        .store
        .post_comment(
            did,
            id,
            &comment("Đồng chí làm việc rất tận tụy."),
            "192.0.2.1",
            now,
        )
        .await
        .unwrap()
    else {
        panic!("throttled")
    };
    let Posted::Stored(b) = db
        .store
        .post_comment(
            did,
            id,
            &comment("Thành tích kê khai chưa đúng."),
            "192.0.2.1",
            now,
        )
        .await
        .unwrap()
    else {
        panic!("throttled")
    };
    // pending: not public, but on the dossier and in the moderation list
    assert!(db.store.approved_comments(did).await.unwrap().is_empty());
    assert_eq!(db.store.dossier_comments(id).await.unwrap().len(), 2);
    assert_eq!(db.store.pending_comments(None).await.unwrap().len(), 2);
    assert_eq!(audits(&db, "disclosure_comment").await, 2);

    // only the publishing level moderates
    let city = db.store.unit_by_code("can-tho").await.unwrap().id;
    let e = db
        .store
        .moderate_comment(&officer(city, "canbo.cantho"), a, &Moderation::Approve)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict("actor", _)), "{e}");

    // approved: shown publicly
    db.store
        .moderate_comment(&so, a, &Moderation::Approve)
        .await
        .unwrap();
    let shown = db.store.approved_comments(did).await.unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].body, "Đồng chí làm việc rất tận tụy.");

    // a dismissal needs a reason, and keeps it
    let e = db
        .store
        .moderate_comment(&so, b, &Moderation::Dismiss { reason: " ".into() })
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(d) if d.field() == "reason"),
        "{e}"
    );
    let c = db
        .store
        .moderate_comment(
            &so,
            b,
            &Moderation::Dismiss {
                reason: "Đã xác minh: thành tích đúng với hồ sơ.".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(c.status, "dismissed");
    assert_eq!(
        c.reason.as_deref(),
        Some("Đã xác minh: thành tích đúng với hồ sơ.")
    );
    assert_eq!(db.store.approved_comments(did).await.unwrap().len(), 1);
    // handled once only
    assert!(db
        .store
        .moderate_comment(&so, b, &Moderation::Approve)
        .await
        .is_err());

    // what the minutes cite
    let s = db.store.comment_summary(id).await.unwrap();
    assert_eq!(
        (s.received, s.approved, s.dismissed, s.pending),
        (2, 1, 1, 0)
    );
    assert!(s.sentence().starts_with("Nhận 2 ý kiến"));
    let view = db.store.dossier_view(id).await.unwrap();
    assert!(view.events.iter().any(|e| e.action == "comment_dismiss"
        && e.detail_lines().iter().any(|l| l.contains("Đã xác minh"))));
    assert!(db.store.pending_comments(None).await.unwrap().is_empty());

    // outside the window: refused
    let e = db
        .store
        .post_comment(
            did,
            id,
            &comment("Muộn."),
            "192.0.2.9",
            datetime!(2026-03-01 03:00 UTC),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(d) if d.field() == "comment"),
        "{e}"
    );
}

#[tokio::test]
async fn one_address_may_post_only_the_limit_of_comments_an_hour() {
    let db = TestDb::with_demo().await;
    let (id, so) = cstd_toan_quoc(&db).await;
    let did = db
        .store
        .publish_disclosure(&so, &new(id, None), date!(2026 - 02 - 06))
        .await
        .unwrap();
    let now = datetime!(2026-02-10 03:00 UTC);
    for i in 0..COMMENT_LIMIT {
        let p = db
            .store
            .post_comment(
                did,
                id,
                &comment(&format!("Ý kiến {i}")),
                "198.51.100.7",
                now,
            )
            .await
            .unwrap();
        assert!(matches!(p, Posted::Stored(_)), "comment {i}: {p:?}");
    }
    let p = db
        .store
        .post_comment(did, id, &comment("Một ý kiến nữa"), "198.51.100.7", now)
        .await
        .unwrap();
    assert!(matches!(p, Posted::Throttled { .. }), "{p:?}");
    let stored = db.store.dossier_comments(id).await.unwrap().len();
    assert_eq!(stored, usize::try_from(COMMENT_LIMIT).unwrap());
    // another address is not held back; the first one is again an hour later
    let p = db
        .store
        .post_comment(did, id, &comment("Ý kiến khác"), "198.51.100.8", now)
        .await
        .unwrap();
    assert!(matches!(p, Posted::Stored(_)));
    let later = datetime!(2026-02-10 04:01 UTC);
    let p = db
        .store
        .post_comment(did, id, &comment("Một giờ sau"), "198.51.100.7", later)
        .await
        .unwrap();
    assert!(matches!(p, Posted::Stored(_)), "{p:?}");
}
