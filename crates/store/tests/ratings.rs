//! Eligibility inputs on both backends: audited rating writes, a correction
//! instead of a second rating, and a unit's member figures per year.

use tdkt_core::eligibility::Rating;
use tdkt_store::ratings::Subject;
use tdkt_store::testing::TestDb;

/// Trần Thị Hà, Nguyễn Văn Bình and Lê Thị Thu Trang: Sở Xây dựng Hậu Giang since 2019.
const PEOPLE: [&str; 3] = ["093182124906", "093075335003", "093190526925"];

#[tokio::test]
async fn a_second_rating_for_the_same_year_corrects_the_first_and_both_are_audited() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let p = s.person_by_cccd(PEOPLE[0]).await.unwrap().unwrap();
    let a = s
        .record_rating("canbo", Subject::Person(p.id), 2024, Rating::HoanThanh, "")
        .await
        .unwrap();
    let b = s
        .record_rating(
            "canbo",
            Subject::Person(p.id),
            2024,
            Rating::HoanThanhTot,
            "phúc tra",
        )
        .await
        .unwrap();
    assert_eq!(a.id, b.id);
    let all = s.person_ratings(p.id).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].rating(), Some(Rating::HoanThanhTot));
    let events = s.recent_audit(5).await.unwrap();
    let ours: Vec<_> = events.iter().filter(|e| e.entity == "rating").collect();
    assert_eq!(ours.len(), 2);
    assert!(ours
        .iter()
        .any(|e| e.action == "update" && e.before.is_some()));
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_rating_outside_employment_or_in_the_future_is_refused() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let p = s.person_by_cccd(PEOPLE[0]).await.unwrap().unwrap();
    let e = s
        .record_rating(
            "canbo",
            Subject::Person(p.id),
            2018,
            Rating::HoanThanhTot,
            "",
        )
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("không công tác trong năm 2018"),
        "{e}"
    );
    let next = tdkt_core::date::today_vn().year() + 1;
    assert!(s
        .record_rating(
            "canbo",
            Subject::Person(p.id),
            next,
            Rating::HoanThanhTot,
            ""
        )
        .await
        .is_err());
    assert!(s.person_ratings(p.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_unit_counts_its_members_ratings_per_year() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let unit = s.unit_by_code("hau-giang.so-xay-dung").await.unwrap();
    for (cccd, r) in PEOPLE.iter().zip([
        Rating::HoanThanhXuatSac,
        Rating::HoanThanhTot,
        Rating::HoanThanh,
    ]) {
        let p = s.person_by_cccd(cccd).await.unwrap().unwrap();
        s.record_rating("t", Subject::Person(p.id), 2024, r, "")
            .await
            .unwrap();
    }
    let lineage = s.lineage().await.unwrap();
    let cat = tdkt_core::catalogue::Catalogue::embedded();
    let inputs = s.unit_inputs(&cat, &lineage, unit.id).await.unwrap();
    let m = inputs
        .members
        .iter()
        .find(|m| m.year == 2024)
        .expect("2024 member figures");
    assert!(m.members >= 3, "{m:?}");
    assert_eq!(m.at_least(Rating::HoanThanhTot), 2);
    assert_eq!(m.at_least(Rating::HoanThanh), 3);
    assert!(
        inputs.members.iter().all(|m| m.year == 2024),
        "no figures for unrated years"
    );
}
