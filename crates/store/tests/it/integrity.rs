//! Integrity rules the store enforces on both backends: employment periods
//! never stored reversed or overlapping, no registration after a movement
//! has ended.

use tdkt_core::movement::{NewMovement, Window};
use tdkt_store::movements::NewRegistration;
use tdkt_store::people::PeopleScope;
use tdkt_store::testing::TestDb;
use tdkt_store::StoreError;
use time::macros::date;

async fn ha(db: &TestDb) -> tdkt_store::people::Person {
    db.store
        .search_people(&PeopleScope::All, "Trần Thị Hà", None, 1)
        .await
        .unwrap()
        .remove(0)
}

#[tokio::test]
async fn a_move_dated_on_or_before_the_current_jobs_start_is_refused_and_nothing_changes() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let p = ha(&db).await;
    // Her job at Sở Xây dựng started on 01/01/2019 (demo data).
    let before = s.employment(p.id).await.unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].2, date!(2019 - 01 - 01));
    for from in [date!(2018 - 12 - 31), date!(2019 - 01 - 01)] {
        match s
            .update_person_unit("test", p.id, "hau-giang.so-noi-vu", from)
            .await
        {
            Err(StoreError::Invalid(e)) => {
                assert_eq!(e.field(), "from");
                assert!(e.to_string().contains("01/01/2019"), "{e}");
            }
            other => panic!("{from}: {other:?}"),
        }
    }
    assert_eq!(s.employment(p.id).await.unwrap(), before);
    assert_eq!(s.person(p.id).await.unwrap().unit_id, p.unit_id);

    // A move after the start closes the job the day before.
    s.update_person_unit("test", p.id, "can-tho.so-noi-vu", date!(2026 - 12 - 03))
        .await
        .unwrap();
    let after = s.employment(p.id).await.unwrap();
    assert_eq!(after[0].3, Some(date!(2026 - 12 - 02)));
    assert_eq!(
        (after[1].0.as_str(), after[1].2, after[1].3),
        ("can-tho.so-noi-vu", date!(2026 - 12 - 03), None)
    );
    // and moving back to a day before that new start is refused
    let e = s
        .update_person_unit("test", p.id, "can-tho.so-xay-dung", date!(2026 - 01 - 01))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("03/12/2026"), "{e}");
    assert_eq!(s.employment(p.id).await.unwrap(), after);
}

#[tokio::test]
async fn a_registration_after_the_movement_ended_is_refused() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let hg = s.unit_by_code("hau-giang").await.unwrap();
    let xd = s.unit_by_code("hau-giang.so-xay-dung").await.unwrap();
    let launch = |code: &str, window: Window| NewMovement {
        window,
        ..NewMovement::parse(
            code,
            "Đợt thi đua cao điểm",
            "peak",
            "2021-08-09T00:00",
            "2021-08-23T00:00",
            "",
        )
        .unwrap()
    };
    let ended = s
        .create_movement(
            "test",
            hg.id,
            &launch("vung-xanh-2021", Window::year(2021).unwrap()),
            &[xd.id],
        )
        .await
        .unwrap();
    let reg = NewRegistration {
        unit_id: xd.id,
        person_id: None,
        titles: vec!["tap-the-lao-dong-xuat-sac".into()],
        targets: String::new(),
    };
    match s.register("test", ended.id, &reg).await {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.field(), "movement");
            assert!(e.to_string().contains("đã kết thúc"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert!(s.registrations(ended.id).await.unwrap().is_empty());

    // Hậu Giang, merged into Cần Thơ on 01/7/2025, launches nothing now
    let year = tdkt_core::date::today_vn().year();
    match s
        .create_movement(
            "test",
            hg.id,
            &launch("thi-dua-nam", Window::year(year).unwrap()),
            &[xd.id],
        )
        .await
    {
        Err(StoreError::Invalid(e)) => assert_eq!(e.field(), "unit", "{e}"),
        other => panic!("{other:?}"),
    }
    // A movement it launched in 2021 whose window is still open takes the
    // same registration.
    let still_open = NewMovement::parse(
        "vung-xanh-dai-han",
        "Đợt thi đua dài hạn",
        "peak",
        "2021-08-09T00:00",
        &format!("{}-12-31T00:00", year + 1),
        "",
    )
    .unwrap();
    let open = s
        .create_movement("test", hg.id, &still_open, &[xd.id])
        .await
        .unwrap();
    s.register("test", open.id, &reg).await.unwrap();
    assert_eq!(s.registrations(open.id).await.unwrap().len(), 1);
}
