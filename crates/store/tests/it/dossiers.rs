//! Dossiers on both backends: the route frozen from the org tree, forward
//! refused while a document is missing, return for supplement coming back
//! to the level that returned it, refusals that change nothing (wrong level,
//! illegal act), the timeline and the audit, ready for decision and marked
//! decided.

use tdkt_core::access::{Principal, Role};
use tdkt_core::catalogue::Recipient;
use tdkt_core::org::NewUnit;
use tdkt_store::dossiers::{DossierAction, NewDossier, NewRecipient};
use tdkt_store::testing::{memory_files, officer, TestDb};
use tdkt_store::StoreError;
use time::macros::date;

/// A Bằng khen của Thủ tướng for the Sở Xây dựng Cần Thơ's specialist.
async fn state_level(db: &TestDb) -> i64 {
    db.specialist_dossier("bang-khen-thu-tuong", "Bằng khen Thủ tướng 2025")
        .await
}

async fn audit_count(db: &TestDb, id: i64) -> usize {
    db.store
        .recent_audit(10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.entity == "dossier" && e.entity_id == id.to_string())
        .count()
}

#[tokio::test]
async fn a_state_level_dossier_climbs_through_the_city_to_bo_noi_vu() {
    let db = TestDb::with_demo().await;
    let id = state_level(&db).await;
    let steps = db.store.dossier_steps(id).await.unwrap();
    let codes: Vec<&str> = steps.iter().map(|s| s.unit_code.as_str()).collect();
    assert_eq!(codes, ["can-tho.so-xay-dung", "can-tho", "bo-noi-vu"]);
    let d = db.store.dossier(id).await.unwrap();
    assert_eq!(
        (d.status.as_str(), d.regime.as_str()),
        ("draft", "nd-152-2025")
    );

    let so = officer(steps[0].unit_id, "canbo.so");
    let city = officer(steps[1].unit_id, "canbo.cantho");
    let bnv = officer(steps[2].unit_id, "canbo.bnv");
    let today = date!(2026 - 01 - 10);

    // forward refused while the checklist is incomplete: nothing written
    let before = audit_count(&db, id).await;
    let e = db
        .store
        .act_on_dossier(&so, id, &DossierAction::Forward, today)
        .await
        .unwrap_err();
    let StoreError::Invalid(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.field(), "documents");
    assert!(e.message().contains("Báo cáo thành tích"), "{e}");
    // the tờ trình and the council minutes are the city's, due when it
    // submits to Bộ Nội vụ, not the department's (Điều 36 NĐ 152/2025)
    assert!(!e.message().contains("Tờ trình"), "{e}");
    assert!(!e.message().contains("Biên bản"), "{e}");
    assert_eq!(db.store.dossier(id).await.unwrap().status, "draft");
    assert_eq!(audit_count(&db, id).await, before);

    let f = memory_files();
    db.attach_checklist(&f, "canbo", id, &[]).await;
    let d = db
        .store
        .act_on_dossier(&so, id, &DossierAction::Forward, today)
        .await
        .unwrap();
    assert_eq!(
        (d.status.as_str(), d.step, d.arrived_on),
        ("pending", 1, today)
    );

    // the Sở can no longer act: the city holds it
    let e = db
        .store
        .act_on_dossier(&so, id, &DossierAction::Forward, today)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict("actor", m) if m.contains("Cần Thơ")),
        "{e:?}"
    );

    let d = db
        .store
        .act_on_dossier(&city, id, &DossierAction::Forward, today)
        .await
        .unwrap();
    assert_eq!((d.status.as_str(), d.step), ("pending", 2));
    db.store
        .act_on_dossier(
            &bnv,
            id,
            &DossierAction::Appraise {
                favourable: true,
                notes: "Đủ điều kiện theo Điều 73 Luật".into(),
            },
            today,
        )
        .await
        .unwrap();
    let d = db
        .store
        .act_on_dossier(&bnv, id, &DossierAction::Forward, today)
        .await
        .unwrap();
    assert_eq!((d.status.as_str(), d.step), ("ready", 2));

    let ready = db
        .store
        .dossiers_ready_for_decision(steps[2].unit_id)
        .await
        .unwrap();
    assert_eq!(ready.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
    // not ready at the city (the demo's own dossiers may be)
    assert!(!db
        .store
        .dossiers_ready_for_decision(steps[1].unit_id)
        .await
        .unwrap()
        .iter()
        .any(|r| r.id == id));

    db.store
        .mark_dossiers_decided("canbo.bnv", &[id], 77)
        .await
        .unwrap();
    let d = db.store.dossier(id).await.unwrap();
    assert_eq!((d.status.as_str(), d.decision_id), ("decided", Some(77)));
    let view = db.store.dossier_view(id).await.unwrap();
    let actions: Vec<&str> = view.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["create", "forward", "forward", "appraise", "forward", "decide"]
    );
    assert_eq!(audit_count(&db, id).await, 6);
    assert!(db.store.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_returned_dossier_keeps_its_history_and_comes_back_to_the_level_that_returned_it() {
    let db = TestDb::with_demo().await;
    let id = state_level(&db).await;
    let steps = db.store.dossier_steps(id).await.unwrap();
    let so = officer(steps[0].unit_id, "canbo.so");
    let city = officer(steps[1].unit_id, "canbo.cantho");
    let bnv = officer(steps[2].unit_id, "canbo.bnv");
    let f = memory_files();
    db.attach_checklist(&f, "canbo", id, &[]).await;
    let t = date!(2026 - 01 - 12);
    for who in [&so, &city] {
        db.store
            .act_on_dossier(who, id, &DossierAction::Forward, t)
            .await
            .unwrap();
    }
    let missing = vec!["Biên bản xét khen thưởng có chữ ký đủ thành viên".to_owned()];
    let d = db
        .store
        .act_on_dossier(
            &bnv,
            id,
            &DossierAction::Return {
                missing: missing.clone(),
            },
            t,
        )
        .await
        .unwrap();
    assert_eq!(
        (d.status.as_str(), d.step, d.resume_step),
        ("returned", 1, Some(2))
    );
    // Bộ Nội vụ may not act on it while the city holds it
    assert!(db
        .store
        .act_on_dossier(&bnv, id, &DossierAction::Forward, t)
        .await
        .is_err());
    let d = db
        .store
        .act_on_dossier(&city, id, &DossierAction::Forward, t)
        .await
        .unwrap();
    assert_eq!((d.status.as_str(), d.step), ("pending", 2));
    let view = db.store.dossier_view(id).await.unwrap();
    let ret = view.events.iter().find(|e| e.action == "return").unwrap();
    assert!(
        ret.detail_lines().iter().any(|l| l.contains("chữ ký")),
        "{:?}",
        ret.detail_lines()
    );
}

#[tokio::test]
async fn a_rejected_dossier_cannot_move_and_a_refused_act_writes_nothing() {
    let db = TestDb::with_demo().await;
    let id = state_level(&db).await;
    let steps = db.store.dossier_steps(id).await.unwrap();
    let so = officer(steps[0].unit_id, "canbo.so");
    let city = officer(steps[1].unit_id, "canbo.cantho");
    let f = memory_files();
    db.attach_checklist(&f, "canbo", id, &[]).await;
    let t = date!(2026 - 01 - 12);
    db.store
        .act_on_dossier(&so, id, &DossierAction::Forward, t)
        .await
        .unwrap();
    // an empty reason is refused, the dossier stays
    let before = audit_count(&db, id).await;
    assert!(db
        .store
        .act_on_dossier(
            &city,
            id,
            &DossierAction::Reject {
                reasons: " ".into()
            },
            t
        )
        .await
        .is_err());
    assert_eq!(db.store.dossier(id).await.unwrap().status, "pending");
    assert_eq!(audit_count(&db, id).await, before);
    db.store
        .act_on_dossier(
            &city,
            id,
            &DossierAction::Reject {
                reasons: "Thành tích chưa đạt tiêu chuẩn khoản 1 Điều 73 Luật TĐKT".into(),
            },
            t,
        )
        .await
        .unwrap();
    let e = db
        .store
        .act_on_dossier(&city, id, &DossierAction::Forward, t)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("không chấp nhận"), "{e}");
    // marking a rejected dossier decided fails as a whole
    let other = state_level(&db).await;
    assert!(db
        .store
        .mark_dossiers_decided("x", &[other, id], 1)
        .await
        .is_err());
    assert_eq!(db.store.dossier(other).await.unwrap().status, "draft");
    // a viewer may never act
    let viewer = Principal {
        role: Role::Viewer,
        ..city.clone()
    };
    assert!(db
        .store
        .act_on_dossier(&viewer, other, &DossierAction::Forward, t)
        .await
        .is_err());
}

#[tokio::test]
async fn a_commune_gives_its_own_lao_dong_tien_tien_and_a_bac_ninh_dossier_is_due_by_10_december() {
    let db = TestDb::with_demo().await;
    db.store
        .create_unit(
            "admin",
            &NewUnit::parse(
                "can-tho.xa-thoi-lai",
                "Xã Thới Lai",
                "xa",
                Some("can-tho"),
                date!(2025 - 07 - 01),
                None,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let xa = db.unit_id("can-tho.xa-thoi-lai").await;
    let route = db
        .store
        .dossier_route(xa, "lao-dong-tien-tien", date!(2026 - 01 - 05))
        .await
        .unwrap();
    assert_eq!(
        route
            .steps
            .iter()
            .map(|s| s.code.as_str())
            .collect::<Vec<_>>(),
        ["can-tho.xa-thoi-lai"]
    );
    let route = db
        .store
        .dossier_route(xa, "bang-khen-cap-tinh", date!(2026 - 01 - 05))
        .await
        .unwrap();
    assert_eq!(route.steps.len(), 2);

    let sgd = db.unit_id("bac-ninh.so-giao-duc-dao-tao").await;
    let id = db
        .store
        .create_dossier(
            "canbo",
            &NewDossier {
                unit_id: sgd,
                award_code: "bang-khen-cap-tinh".into(),
                kind: Recipient::Collective,
                year: 2026,
                title: String::new(),
                received_on: date!(2026 - 11 - 02),
                recipients: vec![NewRecipient::Unit(sgd)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();
    let view = db.store.dossier_view(id).await.unwrap();
    assert_eq!(
        view.due.as_ref().map(|d| d.due),
        Some(date!(2026 - 12 - 10))
    );
    let late = db
        .store
        .overdue_dossiers(None, date!(2026 - 12 - 11))
        .await
        .unwrap();
    assert!(late.iter().any(|(s, _)| s.id == id));
    let on_time = db
        .store
        .overdue_dossiers(None, date!(2026 - 12 - 10))
        .await
        .unwrap();
    assert!(!on_time.iter().any(|(s, _)| s.id == id));
}

#[tokio::test]
async fn a_dossier_received_before_july_2025_is_judged_under_decree_98() {
    let db = TestDb::with_demo().await;
    let so = db.unit_id("hau-giang.so-xay-dung").await;
    let person = db
        .store
        .person_by_cccd("093182124906")
        .await
        .unwrap()
        .unwrap()
        .id;
    let id = db
        .store
        .create_dossier(
            "canbo",
            &NewDossier {
                unit_id: so,
                award_code: "bang-khen-cap-tinh".into(),
                kind: Recipient::Individual,
                year: 2024,
                title: String::new(),
                received_on: date!(2025 - 03 - 10),
                recipients: vec![NewRecipient::Person(person)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();
    let d = db.store.dossier(id).await.unwrap();
    assert_eq!(d.regime, "nd-98-2023");
    let steps = db.store.dossier_steps(id).await.unwrap();
    assert_eq!(steps.last().unwrap().unit_code, "hau-giang");
    // a household cannot be put on a dossier for individuals
    let e = db
        .store
        .create_dossier(
            "canbo",
            &NewDossier {
                unit_id: so,
                award_code: "bang-khen-cap-tinh".into(),
                kind: Recipient::Individual,
                year: 2024,
                title: String::new(),
                received_on: date!(2025 - 03 - 10),
                recipients: vec![NewRecipient::Household("Hộ ông Nguyễn Văn A".into())],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(ref d) if d.field() == "recipients"),
        "{e:?}"
    );
}

/// The test demo (`TestDb::with_demo`) holds the dossiers `tdkt demo`
/// loads, so tests see the stages a user sees.
#[tokio::test]
async fn the_demo_holds_an_overdue_a_returned_and_a_ready_dossier() {
    let db = TestDb::with_demo_dossiers().await;
    let all = db.store.dossiers_in_scope(None).await.unwrap();
    assert!(all.iter().any(|d| d.status == "returned"), "{all:?}");
    let city = db.unit_id("can-tho").await;
    assert!(!db
        .store
        .dossiers_ready_for_decision(city)
        .await
        .unwrap()
        .is_empty());
    let overdue = db
        .store
        .overdue_dossiers(None, tdkt_core::date::today_vn())
        .await
        .unwrap();
    assert!(!overdue.is_empty());

    // the year's movement: two departments registered, Sở Tài chính not
    let scope = db.store.lineage().await.unwrap().scope(city);
    let now = tdkt_core::movement::to_utc_text(time::OffsetDateTime::now_utc());
    let missing = db
        .store
        .registrations_missing(Some(&scope), &now)
        .await
        .unwrap();
    assert!(missing.iter().any(|m| m.missing == 1), "{missing:?}");
    // the cluster's first half: four of five members reported, Cà Mau late,
    // the same fact on the home page and in the reminders
    let due = db.store.reports_due(None, false).await.unwrap();
    let h1 = due
        .iter()
        .find(|r| r.cluster_key == "tay-nam-bo-moi")
        .unwrap_or_else(|| panic!("{due:?}"));
    assert_eq!(h1.missing, 1);
    let unsent = db.store.unsent_reports(None, false, None).await.unwrap();
    assert_eq!(
        unsent
            .iter()
            .filter(|r| r.cluster_key == "tay-nam-bo-moi")
            .map(|r| r.unit_name.as_str())
            .collect::<Vec<_>>(),
        ["Cà Mau"]
    );
}

/// Issue 15: the demo cluster's year goes on past the first half's reports:
/// a saved review draft, a ranked round on a rubric, a closed ballot and
/// the proposals that follow from them.
#[tokio::test]
async fn the_demo_holds_a_year() {
    use tdkt_core::ballot::{Elected, Outcome};
    use tdkt_core::scoring::{MemberId, RoundState};

    let db = TestDb::with_demo_dossiers().await;
    let s = &db.store;
    let c = s
        .clusters(None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.key == "tay-nam-bo-moi")
        .unwrap();
    // 1. the first half's review, saved with the officer's own paragraph
    let h1 = tdkt_core::period::Period::parse(&format!("{}-H1", c.year)).unwrap();
    let review = s.review_draft(c.id, h1).await.unwrap().unwrap();
    assert!(review
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .any(|p| p.text.contains("Cà Mau")));
    // 2. the round: on a rubric, every member self- and cross-scored, closed and ranked
    let round = s
        .rounds_in(None)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.cluster_id == Some(c.id))
        .unwrap();
    assert_eq!(
        round.rubric.as_ref().map(|r| r.0.as_str()),
        Some("tay-nam-bo-moi")
    );
    assert_eq!(round.round.state, RoundState::Closed);
    let results = round.round.results();
    assert_eq!(results.len(), 5);
    assert!(results
        .iter()
        .all(|m| m.self_total.is_some() && m.cross_used == 4));
    let (_, ranking) = s.round_ranking(round.id).await.unwrap();
    let ranking = ranking.unwrap();
    assert_eq!(ranking.len(), 5);
    assert_eq!(ranking[0].member, MemberId::from("can-tho"));
    // 3. the ballot on Cờ thi đua của Chính phủ, five voters, closed
    let ballot = s
        .ballots_in(None)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.cluster_id == Some(c.id))
        .unwrap();
    assert!(ballot.closed);
    let Outcome::Counted(t) = s.ballot_result(ballot.id).await.unwrap() else {
        panic!("no quorum");
    };
    assert_eq!((t.eligible, t.cast), (5, 5));
    let ct = t.result_of(&"can-tho".into()).unwrap();
    assert_eq!((ct.yes, ct.elected), (4, Elected::Yes));
    let ag = t.result_of(&"an-giang".into()).unwrap();
    assert_eq!(ag.elected, Elected::No);
    // 4. the proposals from the ranking and the ballot
    let nominations = s.nominations_of_round(round.id).await.unwrap();
    let ct_id = db.unit_id("can-tho").await;
    let flag = nominations
        .iter()
        .find(|n| n.award_code == "co-thi-dua-chinh-phu")
        .unwrap();
    assert_eq!(
        (flag.unit_id, flag.source_ballot_id, flag.status.as_str()),
        (Some(ct_id), Some(ballot.id), "proposed")
    );
    assert_eq!(
        nominations
            .iter()
            .filter(|n| n.award_code == "bang-khen-thu-tuong" && n.unit_id != Some(ct_id))
            .count(),
        2
    );
    // 5. a unit's proposal list, submitted: Sở Xây dựng Cần Thơ proposes
    // Nhung for Chiến sĩ thi đua cơ sở of the past year, and the rules in
    // force find her eligible on the history the demo recorded for her
    let so_xd = db.unit_id("can-tho.so-xay-dung").await;
    let lists = s.proposal_lists_of(so_xd).await.unwrap();
    let list = lists
        .iter()
        .find(|l| l.award_code == "chien-si-thi-dua-co-so")
        .unwrap_or_else(|| panic!("{lists:?}"));
    assert_eq!(
        (list.status.as_str(), list.year),
        ("submitted", tdkt_core::date::today_vn().year() - 1)
    );
    let rules = tdkt_store::rules::current().eligibility();
    let check = s.check_proposal_list(rules, list.id).await.unwrap();
    assert_eq!(check.entries.len(), 1);
    let nominee = &check.entries[0];
    assert_eq!(nominee.entry.name, "Bùi Thị Hồng Nhung");
    assert_eq!(
        nominee.explanation.verdict,
        tdkt_core::eligibility::Verdict::Eligible,
        "{:?}",
        nominee.explanation.rows
    );
    assert!(s.verify_audit().await.unwrap().is_ok());
}
