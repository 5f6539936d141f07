//! Council sessions on both backends: membership, an agenda of dossiers held
//! at the city, no vote below quorum (with the numbers), one secret ballot
//! whose voters are the members present, shares counted on the whole
//! membership (khoản 5 Điều 33 NĐ 152/2025/NĐ-CP), results on the dossiers'
//! timelines, and the forward gated on a passed vote.

use std::collections::{BTreeMap, BTreeSet};

use tdkt_core::access::Role;
use tdkt_core::ballot::Content;
use tdkt_core::catalogue::Recipient;
use tdkt_core::council::MemberRole;
use tdkt_core::scoring::MemberId;
use tdkt_store::councils::{NewMember, NewSession};
use tdkt_store::dossiers::{DossierAction, NewDossier, NewRecipient};
use tdkt_store::testing::{memory_files, officer, TestDb};
use tdkt_store::StoreError;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 12 - 01);

/// A council of ten for Cần Thơ: chair, secretary, eight members. Returns
/// the member ids and the account ids, in the same order.
async fn council_of_ten(db: &TestDb) -> (Vec<i64>, Vec<i64>) {
    let hash = tdkt_store::accounts::hash_password("mat-khau-thu").unwrap();
    let accounts: Vec<(String, String)> = (0..10)
        .map(|i| (format!("hd{i:02}"), format!("Thành viên {i:02}")))
        .collect();
    let users = db
        .store
        .create_accounts_with_hash("test", &hash, &accounts, Role::Council, Some("can-tho"))
        .await
        .unwrap();
    let city = db.unit_id("can-tho").await;
    let mut members = Vec::new();
    for (i, (u, _)) in accounts.iter().enumerate() {
        let role = match i {
            0 => MemberRole::Chair,
            1 => MemberRole::Secretary,
            _ => MemberRole::Member,
        };
        let m = NewMember::parse(u, role.code(), "01/07/2025", "").unwrap();
        members.push(db.store.add_council_member("test", city, &m).await.unwrap());
    }
    (members, users)
}

/// A CSTĐ toàn quốc dossier of the Sở Xây dựng, every document attached,
/// forwarded to the city.
async fn pending_at_city(db: &TestDb, cccd: &str) -> i64 {
    let so = db.unit_id("can-tho.so-xay-dung").await;
    let person = db.person_id(cccd).await;
    let id = db
        .store
        .create_dossier(
            "canbo.so",
            &NewDossier {
                unit_id: so,
                award_code: "chien-si-thi-dua-toan-quoc".into(),
                kind: Recipient::Individual,
                year: 2025,
                title: String::new(),
                received_on: date!(2026 - 11 - 20),
                recipients: vec![NewRecipient::Person(person)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();
    db.attach_checklist(&memory_files(), "canbo.so", id, &[])
        .await;
    db.store
        .act_on_dossier(&officer(so, "canbo.so"), id, &DossierAction::Forward, TODAY)
        .await
        .unwrap();
    disclosed(db, id).await;
    id
}

/// Published by the city from 02/11/2026 for the 10 working days a CSTĐ
/// toàn quốc needs (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP), long over by
/// [`TODAY`].
pub async fn disclosed(db: &TestDb, dossier: i64) {
    let city = db.unit_id("can-tho").await;
    let start = date!(2026 - 11 - 02);
    db.store
        .publish_disclosure(
            &officer(city, "canbo.cantho"),
            &tdkt_store::disclosures::NewDisclosure {
                title: "Công khai danh sách đề nghị".into(),
                starts_on: start,
                ends_on: None,
                dossiers: vec![(dossier, String::new())],
            },
            start,
        )
        .await
        .unwrap();
}

fn yes_no(marks: &[(i64, bool)]) -> Content {
    Content::YesNo(
        marks
            .iter()
            .map(|(d, v)| (MemberId(format!("hs-{d}")), *v))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[tokio::test]
async fn a_council_passes_nine_of_ten_members_and_fails_eight_of_nine_present() {
    let db = TestDb::with_demo().await;
    let (members, users) = council_of_ten(&db).await;
    let a = pending_at_city(&db, "092191938273").await;
    let b = pending_at_city(&db, "092085630226").await;
    let city_id = db.unit_id("can-tho").await;
    let city = officer(city_id, "canbo.cantho");

    // no vote yet: the city cannot send it up, and nothing changes
    let e = db
        .store
        .act_on_dossier(&city, a, &DossierAction::Forward, TODAY)
        .await
        .unwrap_err();
    let StoreError::Invalid(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.field(), "council");
    assert!(e.message().contains("Hội đồng"), "{e}");
    assert_eq!(db.store.dossier(a).await.unwrap().step, 1);

    let session = db
        .store
        .create_council_session(
            "canbo.cantho",
            &NewSession {
                unit_id: city_id,
                held_on: TODAY,
                place: "Trụ sở UBND thành phố".into(),
                dossiers: vec![a, b],
            },
        )
        .await
        .unwrap();
    // a preparing session cannot be closed
    assert!(matches!(
        db.store
            .close_council_session("canbo.cantho", session)
            .await,
        Err(StoreError::Conflict("status", _))
    ));

    // 6 of 10 present: below 2/3, refused with the numbers
    let six: BTreeSet<i64> = members[..6].iter().copied().collect();
    db.store
        .set_council_attendance("canbo.cantho", session, &six)
        .await
        .unwrap();
    let e = db
        .store
        .open_council_vote("canbo.cantho", session)
        .await
        .unwrap_err();
    let StoreError::Invalid(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.field(), "attendance");
    assert!(e.message().contains("6/10"), "{e}");
    assert!(e.message().contains("7 người"), "{e}");
    assert_eq!(
        db.store.council_session(session).await.unwrap().status,
        "preparing"
    );

    // 9 of 10 present: voting opens, the voters are those present
    let nine: BTreeSet<i64> = members[..9].iter().copied().collect();
    db.store
        .set_council_attendance("canbo.cantho", session, &nine)
        .await
        .unwrap();
    let ballot = db
        .store
        .open_council_vote("canbo.cantho", session)
        .await
        .unwrap();
    assert_eq!(db.store.ballot(ballot).await.unwrap().spec.eligible, 9);
    assert!(matches!(
        db.store
            .set_council_attendance("canbo.cantho", session, &six)
            .await,
        Err(StoreError::Conflict("attendance", _))
    ));
    // the absent member is not on the list
    assert!(db
        .store
        .cast_vote(ballot, users[9], yes_no(&[(a, true)]))
        .await
        .is_err());
    for (i, u) in users[..9].iter().enumerate() {
        // all nine say yes to A; one of them says no to B
        db.store
            .cast_vote(ballot, *u, yes_no(&[(a, true), (b, i != 0)]))
            .await
            .unwrap();
    }
    let view = db
        .store
        .close_council_session("canbo.cantho", session)
        .await
        .unwrap();
    assert_eq!(view.session.status, "closed");
    let ra = view.agenda.iter().find(|x| x.dossier_id == a).unwrap();
    let rb = view.agenda.iter().find(|x| x.dossier_id == b).unwrap();
    // 9/10 = 90 % of all members passes; 8 yes of 9 present is 8/10: fails
    assert_eq!(
        (ra.yes, ra.base, ra.passed),
        (Some(9), Some(10), Some(true))
    );
    assert_eq!(
        (rb.yes, rb.base, rb.passed),
        (Some(8), Some(10), Some(false))
    );
    assert!(rb
        .explanation
        .as_deref()
        .unwrap()
        .contains("tổng số thành viên Hội đồng"));

    // on the timeline, audited, and the minutes item answered by the vote
    let va = db.store.dossier_view(a).await.unwrap();
    assert!(va.events.iter().any(|e| e.action == "council_vote"));
    assert!(va
        .checklist
        .iter()
        .any(|c| c.code == "bien-ban-hoi-dong-bo-phieu" && c.council_session == Some(session)));
    let audited = db.store.recent_audit(10_000).await.unwrap();
    assert!(audited.iter().any(|e| e.entity == "dossier"
        && e.entity_id == b.to_string()
        && e.action == "council_vote"));

    // the minutes say attendance, each share and its base
    let text = view.minutes().to_text();
    assert!(text.contains("có mặt: 9; vắng mặt: 1"), "{text}");
    assert!(text.contains("9/10 (90%)"), "{text}");
    assert!(text.contains("8/10 (80%)"), "{text}");

    // A goes up; B is refused with the vote, and may be returned
    let d = db
        .store
        .act_on_dossier(&city, a, &DossierAction::Forward, TODAY)
        .await
        .unwrap();
    assert_eq!((d.status.as_str(), d.step), ("pending", 2));
    let e = db
        .store
        .act_on_dossier(&city, b, &DossierAction::Forward, TODAY)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("không đạt"), "{e}");
    let d = db
        .store
        .act_on_dossier(
            &city,
            b,
            &DossierAction::Return {
                missing: vec!["Hội đồng bỏ phiếu không đạt".into()],
            },
            TODAY,
        )
        .await
        .unwrap();
    assert_eq!(d.status, "returned");
}

#[tokio::test]
async fn a_session_takes_only_dossiers_held_at_its_level_and_needs_a_council() {
    let db = TestDb::with_demo().await;
    let city_id = db.unit_id("can-tho").await;
    let a = pending_at_city(&db, "092191938273").await;
    let new = |dossiers: Vec<i64>| NewSession {
        unit_id: city_id,
        held_on: TODAY,
        place: "Hội trường".into(),
        dossiers,
    };
    // no council yet
    let e = db
        .store
        .create_council_session("x", &new(vec![a]))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("chưa có thành viên"), "{e}");
    let (_, _) = council_of_ten(&db).await;
    // a second chair in the same period is refused
    let m = NewMember::parse("canbo.cantho", "chu-tich", "01/01/2026", "").unwrap();
    let e = db
        .store
        .add_council_member("x", city_id, &m)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("Chủ tịch"), "{e}");
    // a dossier held elsewhere
    let hg = pending_at_city(&db, "092085630226").await;
    db.store
        .act_on_dossier(
            &officer(city_id, "c"),
            hg,
            &DossierAction::Reject {
                reasons: "Không đủ tiêu chuẩn".into(),
            },
            TODAY,
        )
        .await
        .unwrap();
    let e = db
        .store
        .create_council_session("x", &new(vec![a, hg]))
        .await
        .unwrap_err();
    assert!(e.to_string().contains(&format!("#{hg}")), "{e}");
    let s = db
        .store
        .create_council_session("x", &new(vec![a]))
        .await
        .unwrap();
    // and not twice on open sessions
    let e = db
        .store
        .create_council_session("x", &new(vec![a]))
        .await
        .unwrap_err();
    assert!(e.to_string().contains(&format!("#{s}")), "{e}");
    assert_eq!(db.store.council_sessions(city_id).await.unwrap().len(), 1);
}
