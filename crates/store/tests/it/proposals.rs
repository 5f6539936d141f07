//! Proposal lists on both backends: the quota of a test pack counted on the
//! registry and on submitted lists, refused with the count, the limit and
//! the citation; votes from the minutes and from a closed secret ballot;
//! every change audited, nothing written by a refused submit.

use std::collections::BTreeMap;

use tdkt_core::access::Role;
use tdkt_core::ballot::{BallotSpec, Base, Candidate, Content, Question, Quorum, Threshold};
use tdkt_core::catalogue::{Catalogue, Recipient};
use tdkt_core::eligibility::{check_packs, Rating, RuleSet};
use tdkt_core::scoring::MemberId;
use tdkt_store::awards::{NewAward, RecipientKind};
use tdkt_store::ballots::NewBallot;
use tdkt_store::proposals::{NewProposalList, VoteInput};
use tdkt_store::ratings::Subject;
use tdkt_store::testing::TestDb;
use tdkt_store::StoreError;

const PACK: &str = r#"
[pack]
id = "thu-nghiem-de-nghi"
title = "Gói thử nghiệm danh sách đề nghị"
effective_from = "2024-01-01"

[[rule]]
award = "chien-si-thi-dua-co-so"
citation = "thử nghiệm"

[[rule.clause]]
id = "xuat-sac"
kind = "rating_count"
rating = "hoan-thanh-xuat-sac"
citation = "thử nghiệm xếp loại"

[[rule.clause]]
id = "ty-le"
kind = "quota"
percent = "50"
base = "lao-dong-tien-tien"
citation = "khoản 9 Điều 99 (thử nghiệm)"

[[rule.clause]]
id = "phieu"
kind = "vote"
percent = "70"
citation = "biểu quyết thử nghiệm"

[[rule]]
award = "lao-dong-tien-tien"
citation = "thử nghiệm"

[[rule.clause]]
id = "tot"
kind = "rating_count"
rating = "hoan-thanh-tot"
citation = "thử nghiệm"
"#;

fn rules() -> RuleSet {
    check_packs(Catalogue::embedded(), &[("rules/thu-nghiem.toml", PACK)]).unwrap()
}

/// Trần Thị Hà, Nguyễn Văn Bình, Lê Thị Thu Trang: Sở Xây dựng Hậu Giang since 2019.
const PEOPLE: [&str; 3] = ["093182124906", "093075335003", "093190526925"];
const UNIT: &str = "hau-giang.so-xay-dung";

async fn people(db: &TestDb) -> Vec<i64> {
    let mut out = Vec::new();
    for c in PEOPLE {
        out.push(db.store.person_by_cccd(c).await.unwrap().unwrap().id);
    }
    for id in &out {
        db.store
            .record_rating(
                "canbo",
                Subject::Person(*id),
                2024,
                Rating::HoanThanhXuatSac,
                "",
            )
            .await
            .unwrap();
    }
    out
}

async fn new_list(
    s: &tdkt_store::Store,
    rules: &RuleSet,
    unit_id: i64,
    year: i32,
    award_code: &str,
    kind: Recipient,
) -> Result<tdkt_store::proposals::ProposalList, StoreError> {
    s.create_proposal_list(
        "canbo",
        rules,
        &NewProposalList {
            unit_id,
            year,
            award_code,
            kind,
            note: "",
        },
    )
    .await
}

/// A Lao động tiên tiến 2024 in the registry.
async fn ldtt_2024(s: &tdkt_store::Store, person: i64, unit_id: i64, decision_no: String) {
    s.record_award(
        "canbo",
        &NewAward {
            recipient: RecipientKind::Person,
            person_id: Some(person),
            unit_id,
            award_code: "lao-dong-tien-tien".into(),
            year: 2024,
            achieved_on: None,
            decision_no,
            decision_date: time::macros::date!(2025 - 01 - 15),
            authority: String::new(),
            reason: String::new(),
            revoked: false,
            source: "entered",
        },
    )
    .await
    .unwrap();
}

fn minutes(yes: u32, base: u32) -> VoteInput {
    VoteInput::Minutes {
        yes,
        base,
        minutes_ref: "01/BB-HĐTĐKT".into(),
    }
}

#[tokio::test]
async fn an_over_quota_list_is_refused_with_the_count_the_limit_and_the_citation() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let rules = rules();
    let ids = people(&db).await;
    let unit = s.unit_by_code(UNIT).await.unwrap();

    // Lao động tiên tiến: Hà and Bình on a submitted list, Trang in the registry.
    let ldtt = new_list(
        s,
        &rules,
        unit.id,
        2024,
        "lao-dong-tien-tien",
        Recipient::Individual,
    )
    .await
    .unwrap();
    for id in &ids[..2] {
        s.add_proposal_entry("canbo", ldtt.id, *id).await.unwrap();
    }
    let checked = s
        .submit_proposal_list("canbo", &rules, ldtt.id)
        .await
        .unwrap();
    assert!(checked.quota.clauses.is_empty());
    assert_eq!(checked.list.status, "submitted");

    let cs = new_list(
        s,
        &rules,
        unit.id,
        2024,
        "chien-si-thi-dua-co-so",
        Recipient::Individual,
    )
    .await
    .unwrap();
    let mut entries = Vec::new();
    for id in &ids[..2] {
        let e = s.add_proposal_entry("canbo", cs.id, *id).await.unwrap();
        s.set_entry_vote("canbo", e.id, &minutes(8, 10))
            .await
            .unwrap();
        entries.push(e);
    }
    // base 2 (the submitted LĐTT list), 50%: at most 1
    let c = s.check_proposal_list(&rules, cs.id).await.unwrap();
    assert_eq!(c.quota.bases, vec![2]);
    assert!(!c.ok());
    let before = s.recent_audit(1).await.unwrap()[0].seq;
    let e = s
        .submit_proposal_list("canbo", &rules, cs.id)
        .await
        .unwrap_err();
    let m = e.to_string();
    assert!(m.contains("tối đa 1 trên 2, đề nghị 2"), "{m}");
    assert!(m.contains("khoản 9 Điều 99 (thử nghiệm)"), "{m}");
    assert!(m.contains("Lao động tiên tiến"), "{m}");
    assert_eq!(s.proposal_list(cs.id).await.unwrap().status, "draft");
    assert_eq!(
        s.recent_audit(1).await.unwrap()[0].seq,
        before,
        "a refused submit writes nothing"
    );

    // Trang's LĐTT in the registry raises the base to 3: 50% of 3 = 1,5, still 1
    ldtt_2024(s, ids[2], unit.id, "12/QĐ-SXD".into()).await;
    let c = s.check_proposal_list(&rules, cs.id).await.unwrap();
    assert_eq!(c.quota.bases, vec![3]);
    assert!(!c.ok());

    // one off: exactly at the limit, submitted, and frozen
    s.remove_proposal_entry("canbo", entries[1].id)
        .await
        .unwrap();
    let done = s
        .submit_proposal_list("canbo", &rules, cs.id)
        .await
        .unwrap();
    assert!(done.ok(), "{:?}", done.refusals);
    assert_eq!(done.list.status, "submitted");
    assert!(done
        .list
        .check_json
        .as_deref()
        .unwrap()
        .contains("\"proposed\":1"));
    assert!(matches!(
        s.add_proposal_entry("canbo", cs.id, ids[1]).await,
        Err(StoreError::Conflict(..))
    ));
    assert!(matches!(
        s.submit_proposal_list("canbo", &rules, cs.id).await,
        Err(StoreError::Conflict(..))
    ));
    let events = s.recent_audit(40).await.unwrap();
    assert!(events
        .iter()
        .any(|e| e.entity == "proposal_list" && e.action == "submit"));
    assert!(events
        .iter()
        .any(|e| e.entity == "proposal_entry" && e.action == "delete" && e.before.is_some()));
    assert!(events
        .iter()
        .any(|e| e.entity == "proposal_entry" && e.action == "vote"));
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn votes_under_the_threshold_or_missing_are_refused_naming_the_nominee() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let rules = rules();
    let ids = people(&db).await;
    let unit = s.unit_by_code(UNIT).await.unwrap();
    // a base large enough for the quota: three LĐTT in the registry
    for (i, id) in ids.iter().enumerate() {
        ldtt_2024(s, *id, unit.id, format!("{i}/QĐ-SXD")).await;
    }
    let cs = new_list(
        s,
        &rules,
        unit.id,
        2024,
        "chien-si-thi-dua-co-so",
        Recipient::Individual,
    )
    .await
    .unwrap();
    let e = s.add_proposal_entry("canbo", cs.id, ids[0]).await.unwrap();
    let c = s.check_proposal_list(&rules, cs.id).await.unwrap();
    assert!(
        c.refusals
            .iter()
            .any(|r| r.contains("Trần Thị Hà: chưa có tỷ lệ phiếu")),
        "{:?}",
        c.refusals
    );

    // 6 of 10 under 70%; 7 of 10 exactly at it
    s.set_entry_vote("canbo", e.id, &minutes(6, 10))
        .await
        .unwrap();
    let m = s
        .submit_proposal_list("canbo", &rules, cs.id)
        .await
        .unwrap_err()
        .to_string();
    assert!(m.contains("Trần Thị Hà: 6/10 phiếu đồng ý (60%)"), "{m}");
    assert!(m.contains("biểu quyết thử nghiệm"), "{m}");
    let bad = s
        .set_entry_vote("canbo", e.id, &minutes(11, 10))
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("lớn hơn tổng số phiếu"), "{bad}");
    assert!(s
        .set_entry_vote("canbo", e.id, &minutes(0, 0))
        .await
        .is_err());

    // from a secret ballot of the council above (Cần Thơ, Hậu Giang's successor)
    let hash = tdkt_store::accounts::hash_password("mat-khau-thu").unwrap();
    let names: Vec<(String, String)> = (0..4)
        .map(|i| (format!("hd{i}"), format!("Ủy viên {i}")))
        .collect();
    let voters = s
        .create_accounts_with_hash("test", &hash, &names, Role::Council, Some("can-tho"))
        .await
        .unwrap();
    let cand = format!("p{}", ids[0]);
    let b = s
        .create_ballot(
            "canbo",
            &NewBallot {
                unit_code: "can-tho".into(),
                context: "Hội đồng TĐKT".into(),
                spec: BallotSpec {
                    title: "Bình xét CSTĐ cơ sở 2024".into(),
                    question: Question::YesNo,
                    candidates: vec![Candidate {
                        id: MemberId(cand.clone()),
                        name: "Trần Thị Hà".into(),
                        threshold: None,
                    }],
                    eligible: 0,
                    quorum: Quorum { num: 2, den: 3 },
                    threshold: Threshold {
                        percent: 50.into(),
                        base: Base::Eligible,
                    },
                },
                voters: names.iter().map(|(u, _)| u.clone()).collect(),
                cluster_id: None,
            },
        )
        .await
        .unwrap();
    let by_ballot = VoteInput::Ballot {
        ballot_id: b.id,
        candidate: cand.clone(),
    };
    let open = s
        .set_entry_vote("canbo", e.id, &by_ballot)
        .await
        .unwrap_err();
    assert!(open.to_string().contains("chưa kết thúc"), "{open}");
    for (i, v) in voters.iter().enumerate() {
        let mut marks = BTreeMap::new();
        marks.insert(MemberId(cand.clone()), i < 3);
        s.cast_vote(b.id, *v, Content::YesNo(marks)).await.unwrap();
    }
    s.close_ballot("canbo", b.id).await.unwrap();
    let wrong = VoteInput::Ballot {
        ballot_id: b.id,
        candidate: "p0".into(),
    };
    assert!(s.set_entry_vote("canbo", e.id, &wrong).await.is_err());
    s.set_entry_vote("canbo", e.id, &by_ballot).await.unwrap();
    // 3 of 4 = 75% ≥ 70%
    let done = s
        .submit_proposal_list("canbo", &rules, cs.id)
        .await
        .unwrap();
    let v = done.entries[0].vote.as_ref().unwrap();
    assert_eq!((v.share.yes, v.share.base), (3, 4));
    assert!(v.source.contains(&format!("#{}", b.id)));
}

#[tokio::test]
async fn nominees_must_belong_to_the_unit_and_lists_are_one_per_award_and_year() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let rules = rules();
    let unit = s.unit_by_code(UNIT).await.unwrap();
    let l = new_list(
        s,
        &rules,
        unit.id,
        2024,
        "chien-si-thi-dua-co-so",
        Recipient::Individual,
    )
    .await
    .unwrap();
    assert!(matches!(
        s.create_proposal_list(
            "canbo",
            &rules,
            &NewProposalList {
                unit_id: unit.id,
                year: 2024,
                award_code: "chien-si-thi-dua-co-so",
                kind: Recipient::Individual,
                note: ""
            }
        )
        .await,
        Err(StoreError::Conflict(..))
    ));
    let wrong_kind = new_list(
        s,
        &rules,
        unit.id,
        2024,
        "chien-si-thi-dua-co-so",
        Recipient::Collective,
    )
    .await
    .unwrap_err();
    assert!(
        wrong_kind.to_string().contains("không tặng cho"),
        "{wrong_kind}"
    );
    assert!(s
        .create_proposal_list(
            "canbo",
            &rules,
            &NewProposalList {
                unit_id: unit.id,
                year: 2024,
                award_code: "khong-co",
                kind: Recipient::Individual,
                note: ""
            }
        )
        .await
        .is_err());
    // Nguyễn Thị Hà works in Sóc Trăng
    let other = s.person_by_cccd("094184999241").await.unwrap().unwrap();
    let e = s
        .add_proposal_entry("canbo", l.id, other.id)
        .await
        .unwrap_err();
    // answered as a missing id: neither her name nor her unit (issue 12)
    let missing = s
        .add_proposal_entry("canbo", l.id, 999_999)
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("Không có người #{}", other.id)),
        "{e}"
    );
    assert!(!e.to_string().contains(&other.full_name), "{e}");
    assert_eq!(
        e.to_string().replace(&other.id.to_string(), "#"),
        missing.to_string().replace("999999", "#"),
    );
    let ha = s.person_by_cccd(PEOPLE[0]).await.unwrap().unwrap();
    s.add_proposal_entry("canbo", l.id, ha.id).await.unwrap();
    assert!(matches!(
        s.add_proposal_entry("canbo", l.id, ha.id).await,
        Err(StoreError::Conflict(..))
    ));
    // an empty list cannot be submitted, and a list of 2018 predates her service
    let empty = new_list(
        s,
        &rules,
        unit.id,
        2024,
        "lao-dong-tien-tien",
        Recipient::Individual,
    )
    .await
    .unwrap();
    let m = s
        .submit_proposal_list("canbo", &rules, empty.id)
        .await
        .unwrap_err();
    assert!(m.to_string().contains("chưa có ai"), "{m}");
    let old = new_list(
        s,
        &rules,
        unit.id,
        2018,
        "lao-dong-tien-tien",
        Recipient::Individual,
    )
    .await;
    if let Ok(old) = old {
        assert!(s.add_proposal_entry("canbo", old.id, ha.id).await.is_err());
    }
}
