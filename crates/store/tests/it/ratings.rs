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

/// The scan reads every person's history in one statement (aggregates per
/// person) while the person page reads table by table: both must give the
/// engine the same history, voided records left out, for every person once.
#[tokio::test]
async fn the_scan_reads_each_person_once_with_the_history_the_person_page_reads() {
    use std::collections::BTreeMap;
    use tdkt_core::eligibility::{DisciplineLevel, History, Scope};
    use tdkt_store::ratings::{NewDiscipline, NewInitiative, Voidable};
    use time::macros::date;

    let db = TestDb::with_demo().await;
    let s = &db.store;
    let cat = tdkt_store::awards::catalogue();
    let ha = s.person_by_cccd(PEOPLE[0]).await.unwrap().unwrap();
    let binh = s.person_by_cccd(PEOPLE[1]).await.unwrap().unwrap();
    for (year, rating) in [
        (2023, Rating::HoanThanhXuatSac),
        (2024, Rating::HoanThanhTot),
    ] {
        s.record_rating("canbo", Subject::Person(ha.id), year, rating, "")
            .await
            .unwrap();
    }
    s.record_rating(
        "canbo",
        Subject::Person(binh.id),
        2024,
        Rating::HoanThanh,
        "",
    )
    .await
    .unwrap();
    let discipline = |no: &str, months| NewDiscipline {
        person_id: binh.id,
        level: DisciplineLevel::KhienTrach,
        decision_no: no.into(),
        decision_date: date!(2024 - 03 - 04),
        effective_on: None,
        months,
        reason: String::new(),
    };
    s.record_discipline("canbo", &discipline("7/QĐ-KL", Some(6)))
        .await
        .unwrap();
    let voided = s
        .record_discipline("canbo", &discipline("8/QĐ-KL", None))
        .await
        .unwrap();
    s.void_input(
        "canbo",
        Voidable::Discipline,
        binh.id,
        voided.id,
        "nhập nhầm quyết định",
    )
    .await
    .unwrap();
    s.record_initiative(
        "canbo",
        &NewInitiative {
            person_id: ha.id,
            kind: "sang-kien",
            title: "Số hóa hồ sơ, lưu trữ".into(),
            scope: Scope::CapTinh,
            recognised_on: date!(2024 - 10 - 01),
            decision_no: String::new(),
        },
    )
    .await
    .unwrap();

    // what the engine reads, in a comparable order
    type Seen = (
        Vec<(u16, i32)>,
        Vec<(i32, Rating)>,
        Vec<String>,
        Vec<String>,
        Vec<String>,
        (bool, bool, bool),
    );
    fn seen(h: &History<'_>) -> Seen {
        let mut awards: Vec<(u16, i32)> = h.awards.iter().map(|a| (a.award, a.year)).collect();
        awards.sort_unstable();
        let mut ratings: Vec<(i32, Rating)> =
            h.ratings.iter().map(|r| (r.year, r.rating)).collect();
        ratings.sort_unstable_by_key(|r| r.0);
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        (
            awards,
            ratings,
            sorted(
                h.service
                    .iter()
                    .map(|p| format!("{:?}", (p.from, p.to)))
                    .collect(),
            ),
            sorted(
                h.disciplines
                    .iter()
                    .map(|d| format!("{:?}", (d.level, d.date, d.months)))
                    .collect(),
            ),
            sorted(
                h.initiatives
                    .iter()
                    .map(|i| format!("{:?}", (i.scope, i.recognised)))
                    .collect(),
            ),
            (
                h.supplied.disciplines,
                h.supplied.initiatives,
                h.supplied.service,
            ),
        )
    }
    let mut scanned: BTreeMap<i64, Seen> = BTreeMap::new();
    let mut unit_of: BTreeMap<i64, i64> = BTreeMap::new();
    let stats = s
        .scan_histories(cat, 2025, None, |p, h| {
            unit_of.insert(p.id, p.unit_id);
            assert!(
                scanned.insert(p.id, seen(h)).is_none(),
                "{} read twice",
                p.id
            );
        })
        .await
        .unwrap();
    assert_eq!(
        stats.people,
        u64::try_from(s.count_people().await.unwrap()).unwrap()
    );
    assert_eq!(scanned.len() as u64, stats.people);
    for (id, got) in &scanned {
        let inputs = s.person_inputs(cat, *id).await.unwrap();
        let mut want = seen(&inputs.history());
        // the scan counts awards up to its year; the page shows them all
        want.0.retain(|(_, y)| *y <= 2025);
        assert_eq!(got, &want, "person {id}");
    }
    // within a subtree: its people only, each with the same history
    let lineage = s.lineage().await.unwrap();
    let subtree = lineage.scope(ha.unit_id);
    let mut within = 0;
    s.scan_histories(cat, 2025, Some(&subtree), |p, h| {
        assert!(subtree.contains(&p.unit_id), "{} is outside", p.id);
        assert_eq!(seen(h), scanned[&p.id], "person {} within", p.id);
        within += 1;
    })
    .await
    .unwrap();
    let people = unit_of.values().filter(|u| subtree.contains(u)).count();
    assert_eq!(within, people, "every person of the subtree");
    assert!(within > 0 && within < scanned.len());
    let ha_seen = &scanned[&ha.id];
    assert_eq!(ha_seen.1.len(), 2);
    assert_eq!(ha_seen.4.len(), 1);
    assert!(
        !ha_seen.0.is_empty(),
        "Hà's decisions from the demo registry"
    );
    assert_eq!(
        scanned[&binh.id].3.len(),
        1,
        "the voided decision is not read"
    );
}

#[tokio::test]
async fn a_merged_unit_counts_the_lowest_of_its_predecessors_ratings_and_names_each() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    // Cần Thơ (2025) was merged from Cần Thơ (cũ), Sóc Trăng and Hậu Giang.
    let hg = s.unit_by_code("hau-giang").await.unwrap();
    let st = s.unit_by_code("soc-trang").await.unwrap();
    let ct = s.unit_by_code("can-tho").await.unwrap();
    s.record_rating(
        "t",
        Subject::Unit(hg.id),
        2024,
        Rating::HoanThanhXuatSac,
        "",
    )
    .await
    .unwrap();
    s.record_rating("t", Subject::Unit(st.id), 2024, Rating::HoanThanhTot, "")
        .await
        .unwrap();
    s.record_rating(
        "t",
        Subject::Unit(hg.id),
        2023,
        Rating::HoanThanhXuatSac,
        "",
    )
    .await
    .unwrap();
    let lineage = s.lineage().await.unwrap();
    let cat = tdkt_core::catalogue::Catalogue::embedded();
    let inputs = s.unit_inputs(&cat, &lineage, ct.id).await.unwrap();
    let history = inputs.history();
    let y2024 = history.rating(2024).expect("inherited 2024 rating");
    assert_eq!(y2024.rating, Rating::HoanThanhTot, "the lower of the two");
    let via = y2024.via.expect("named");
    assert!(
        via.contains(&format!("{}: hoàn thành xuất sắc nhiệm vụ", hg.name)),
        "{via}"
    );
    assert!(
        via.contains(&format!("{}: hoàn thành tốt nhiệm vụ", st.name)),
        "{via}"
    );
    // one predecessor rated alone: its rating, under its name
    let y2023 = history.rating(2023).unwrap();
    assert_eq!(
        (y2023.rating, y2023.via),
        (Rating::HoanThanhXuatSac, Some(hg.name.as_str()))
    );
}
