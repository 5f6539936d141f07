//! The special tracks of a dossier on both backends (migration 0044): a
//! sudden award under the simplified procedure (its own short checklist,
//! no disclosure), long service (positions stored and totalled), resistance
//! (dates outside the war refused, nothing written), and the Bà mẹ Việt
//! Nam anh hùng condition the decision already applies, now at the dossier.

use tdkt_core::catalogue::Recipient;
use tdkt_core::cccd::Cccd;
use tdkt_core::dossier::track::Facts;
use tdkt_core::dossier::{Procedure, Track};
use tdkt_core::person::{Gender, NewPerson};
use tdkt_core::tenure::Tenure;
use tdkt_store::dossiers::{NewDossier, NewRecipient};
use tdkt_store::testing::TestDb;
use tdkt_store::StoreError;
use time::macros::date;
use time::Date;

async fn person(db: &TestDb, name: &str, gender: Gender, born: Date, cccd: &str) -> i64 {
    db.store
        .create_person(
            "t",
            &NewPerson {
                full_name: name.to_owned(),
                gender,
                birth_date: born,
                cccd: Cccd::parse(cccd).unwrap(),
                unit_code: "can-tho.so-xay-dung".to_owned(),
                position: "Chuyên viên".to_owned(),
                is_leader: false,
            },
            date!(2025 - 08 - 01),
        )
        .await
        .unwrap()
        .id
}

fn dossier(unit: i64, award: &str, person: i64, t: Track, facts: Vec<Facts>) -> NewDossier {
    NewDossier {
        unit_id: unit,
        award_code: award.to_owned(),
        kind: Recipient::Individual,
        year: 2025,
        title: String::new(),
        received_on: date!(2026 - 01 - 05),
        recipients: vec![NewRecipient::Person(person)],
        track: t,
        acted_on: None,
        facts,
    }
}

fn refused_field<T: std::fmt::Debug>(r: Result<T, StoreError>) -> (String, String) {
    match r {
        Err(StoreError::Invalid(e)) => (e.field().to_owned(), e.to_string()),
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

async fn count(db: &TestDb) -> usize {
    db.store.dossiers_in_scope(None).await.unwrap().len()
}

#[tokio::test]
async fn a_sudden_dossier_carries_the_short_checklist_and_is_not_disclosed() {
    let db = TestDb::with_demo().await;
    let so = db
        .store
        .unit_by_code("can-tho.so-xay-dung")
        .await
        .unwrap()
        .id;
    let p = person(
        &db,
        "Võ Văn Dũng",
        Gender::Male,
        date!(1985 - 02 - 01),
        "092085123451",
    )
    .await;
    let mut new = dossier(so, "bang-khen-thu-tuong", p, Track::Sudden, Vec::new());
    let (field, _) = refused_field(db.store.create_dossier("canbo", &new).await);
    assert_eq!(field, "acted_on");
    new.acted_on = Some(date!(2025 - 12 - 20));
    let id = db.store.create_dossier("canbo", &new).await.unwrap();
    let v = db.store.dossier_view(id).await.unwrap();
    assert_eq!(v.dossier.procedure(), Procedure::Simplified);
    assert_eq!(v.dossier.acted_on, Some(date!(2025 - 12 - 20)));
    assert!(!v.disclosed);
    let codes: Vec<&str> = v.checklist.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, ["to-trinh-kem-danh-sach", "tom-tat-thanh-tich"]);
    // the same award by the regular procedure needs its full checklist
    let regular = db
        .store
        .create_dossier(
            "canbo",
            &dossier(so, "bang-khen-thu-tuong", p, Track::Regular, Vec::new()),
        )
        .await
        .unwrap();
    let r = db.store.dossier_view(regular).await.unwrap();
    assert!(r.disclosed && r.checklist.len() > v.checklist.len());
}

#[tokio::test]
async fn long_service_periods_are_stored_and_an_overlap_is_refused() {
    let db = TestDb::with_demo().await;
    let so = db
        .store
        .unit_by_code("can-tho.so-xay-dung")
        .await
        .unwrap()
        .id;
    let p = person(
        &db,
        "Đặng Văn Minh",
        Gender::Male,
        date!(1966 - 05 - 01),
        "092066123452",
    )
    .await;
    let period = |v: &str, s, e| Tenure {
        value: v.to_owned(),
        start: s,
        end: e,
    };
    let overlap = Facts {
        service: vec![
            period(
                "Phó Giám đốc Sở",
                date!(2010 - 01 - 01),
                Some(date!(2016 - 06 - 30)),
            ),
            period("Giám đốc Sở", date!(2016 - 01 - 01), None),
        ],
        ..Facts::default()
    };
    let before = count(&db).await;
    let (field, msg) = refused_field(
        db.store
            .create_dossier(
                "canbo",
                &dossier(
                    so,
                    "huan-chuong-lao-dong-hang-ba",
                    p,
                    Track::LongService,
                    vec![overlap],
                ),
            )
            .await,
    );
    assert_eq!(field, "service", "{msg}");
    assert!(msg.contains("Đặng Văn Minh"), "{msg}");
    assert_eq!(count(&db).await, before, "nothing written");
    let ok = Facts {
        service: vec![
            period(
                "Phó Giám đốc Sở",
                date!(2010 - 01 - 01),
                Some(date!(2015 - 12 - 31)),
            ),
            period("Giám đốc Sở", date!(2016 - 01 - 01), None),
        ],
        ..Facts::default()
    };
    let id = db
        .store
        .create_dossier(
            "canbo",
            &dossier(
                so,
                "huan-chuong-lao-dong-hang-ba",
                p,
                Track::LongService,
                vec![ok],
            ),
        )
        .await
        .unwrap();
    let v = db.store.dossier_view(id).await.unwrap();
    assert_eq!(v.dossier.track(), Track::LongService);
    let positions: Vec<&str> = v.service.iter().map(|s| s.position.as_str()).collect();
    assert_eq!(positions, ["Phó Giám đốc Sở", "Giám đốc Sở"]);
    assert_eq!(v.service[1].end_on, None);
    // a long-service dossier without positions is refused
    let (field, _) = refused_field(
        db.store
            .create_dossier(
                "canbo",
                &dossier(
                    so,
                    "huan-chuong-lao-dong-hang-ba",
                    p,
                    Track::LongService,
                    Vec::new(),
                ),
            )
            .await,
    );
    assert_eq!(field, "service");
}

#[tokio::test]
async fn resistance_participation_after_the_war_or_by_someone_born_later_is_refused() {
    let db = TestDb::with_demo().await;
    let so = db
        .store
        .unit_by_code("can-tho.so-xay-dung")
        .await
        .unwrap()
        .id;
    let old = person(
        &db,
        "Lê Văn Chiến",
        Gender::Male,
        date!(1950 - 03 - 01),
        "092050123453",
    )
    .await;
    let young = person(
        &db,
        "Lê Văn Hòa",
        Gender::Male,
        date!(1980 - 03 - 01),
        "092080123454",
    )
    .await;
    let took_part = |from, to| Facts {
        war: Some("chong-my".to_owned()),
        took_part_from: Some(from),
        took_part_to: Some(to),
        ..Facts::default()
    };
    let award = "huan-chuong-lao-dong-hang-ba";
    let before = count(&db).await;
    let (field, msg) = refused_field(
        db.store
            .create_dossier(
                "canbo",
                &dossier(
                    so,
                    award,
                    old,
                    Track::Resistance,
                    vec![took_part(date!(1968 - 01 - 01), date!(1976 - 05 - 01))],
                ),
            )
            .await,
    );
    assert_eq!(field, "took_part_to", "{msg}");
    assert!(msg.contains("30/4/1975"), "{msg}");
    let (field, _) = refused_field(
        db.store
            .create_dossier(
                "canbo",
                &dossier(
                    so,
                    award,
                    young,
                    Track::Resistance,
                    vec![took_part(date!(1968 - 01 - 01), date!(1975 - 04 - 30))],
                ),
            )
            .await,
    );
    assert_eq!(field, "birth_year");
    assert_eq!(count(&db).await, before, "nothing written");
    let id = db
        .store
        .create_dossier(
            "canbo",
            &dossier(
                so,
                award,
                old,
                Track::Resistance,
                vec![took_part(date!(1968 - 01 - 01), date!(1975 - 04 - 30))],
            ),
        )
        .await
        .unwrap();
    let v = db.store.dossier_view(id).await.unwrap();
    assert_eq!(v.recipients[0].war.as_deref(), Some("chong-my"));
    assert_eq!(v.recipients[0].took_part_to, Some(date!(1975 - 04 - 30)));
}

#[tokio::test]
async fn a_ba_me_viet_nam_anh_hung_dossier_for_a_woman_born_in_1992_is_refused() {
    let db = TestDb::with_demo().await;
    let so = db
        .store
        .unit_by_code("can-tho.so-xay-dung")
        .await
        .unwrap()
        .id;
    let young = person(
        &db,
        "Nguyễn Thị Lan",
        Gender::Female,
        date!(1992 - 06 - 01),
        "092192123455",
    )
    .await;
    let mother = person(
        &db,
        "Trần Thị Sáu",
        Gender::Female,
        date!(1935 - 06 - 01),
        "092135123456",
    )
    .await;
    let before = count(&db).await;
    let (field, msg) = refused_field(
        db.store
            .create_dossier(
                "canbo",
                &dossier(
                    so,
                    "ba-me-viet-nam-anh-hung",
                    young,
                    Track::Regular,
                    Vec::new(),
                ),
            )
            .await,
    );
    assert_eq!(field, "recipients");
    assert!(
        msg.contains("Nguyễn Thị Lan") && msg.contains("sinh năm 1992"),
        "{msg}"
    );
    assert_eq!(count(&db).await, before);
    db.store
        .create_dossier(
            "canbo",
            &dossier(
                so,
                "ba-me-viet-nam-anh-hung",
                mother,
                Track::Regular,
                Vec::new(),
            ),
        )
        .await
        .unwrap();
}
