//! Secret ballots and scoring rounds through the store, on SQLite by default
//! and on PostgreSQL with `TDKT_TEST_DATABASE_URL=postgres://…`.

use std::collections::{BTreeMap, BTreeSet};

use tdkt_core::access::Role;
use tdkt_core::ballot::{
    BallotSpec, Base, Candidate, Content, Elected, Outcome, Question, Quorum, Threshold,
};
use tdkt_core::org::NewUnit;
use tdkt_core::scoring::{Aggregation, Basis, MemberId, Round, RoundConfig};
use tdkt_store::ballots::{NewBallot, ALREADY_VOTED};
use tdkt_store::scoring::NewRound;
use tdkt_store::testing::TestDb;
use tdkt_store::{Backend, StoreError};

async fn setup(voters: usize) -> (TestDb, Vec<i64>, Vec<String>) {
    let db = TestDb::new().await;
    let unit = NewUnit::parse(
        "cum-tay-nam-bo",
        "Cụm thi đua Tây Nam bộ",
        "trung-uong",
        None,
        time::macros::date!(2004 - 01 - 01),
        None,
    )
    .unwrap();
    db.store.create_unit("test", &unit).await.unwrap();
    let hash = tdkt_store::accounts::hash_password("mat-khau-thu").unwrap();
    let accounts: Vec<(String, String)> = (0..voters)
        .map(|i| (format!("cutri{i:03}"), format!("Cử tri {i}")))
        .collect();
    let ids = db
        .store
        .create_accounts_with_hash(
            "test",
            &hash,
            &accounts,
            Role::Council,
            Some("cum-tay-nam-bo"),
        )
        .await
        .unwrap();
    let names = accounts.into_iter().map(|(u, _)| u).collect();
    (db, ids, names)
}

fn spec(question: Question, ids: &[&str], percent: u32, base: Base) -> BallotSpec {
    BallotSpec {
        title: "Bình xét Cờ thi đua của Chính phủ năm 2019".into(),
        question,
        candidates: ids
            .iter()
            .map(|id| Candidate {
                id: (*id).into(),
                name: format!("Tỉnh {id}"),
                threshold: None,
            })
            .collect(),
        eligible: 0,
        quorum: Quorum { num: 2, den: 3 },
        threshold: Threshold {
            percent: percent.into(),
            base,
        },
    }
}

fn new_ballot(spec: BallotSpec, voters: &[String]) -> NewBallot {
    NewBallot {
        unit_code: "cum-tay-nam-bo".into(),
        context: "Cụm thi đua Tây Nam bộ 2019".into(),
        spec,
        voters: voters.to_vec(),
        cluster_id: None,
    }
}

fn yes_no(marks: &[(&str, bool)]) -> Content {
    Content::YesNo(marks.iter().map(|(c, v)| ((*c).into(), *v)).collect())
}

fn counted(o: Outcome) -> tdkt_core::ballot::Tally {
    match o {
        Outcome::Counted(t) => t,
        Outcome::NoQuorum { explanation, .. } => panic!("{explanation}"),
    }
}

#[tokio::test]
async fn seven_of_ten_at_seventy_percent_passes_and_six_fails_end_to_end() {
    let (db, ids, names) = setup(10).await;
    let s = &db.store;
    let b = s
        .create_ballot(
            "canbo",
            &new_ballot(
                spec(Question::YesNo, &["ct", "hg"], 70, Base::Eligible),
                &names,
            ),
        )
        .await
        .unwrap();
    assert_eq!(b.spec.eligible, 10);
    for (i, voter) in ids.iter().enumerate() {
        s.cast_vote(b.id, *voter, yes_no(&[("ct", i < 7), ("hg", i < 6)]))
            .await
            .unwrap();
    }
    // No result, not even partial, before the close.
    assert!(matches!(
        s.ballot_result(b.id).await,
        Err(StoreError::Conflict(..))
    ));
    assert_eq!(s.ballot(b.id).await.unwrap().turnout, 10);
    let t = counted(s.close_ballot("canbo", b.id).await.unwrap());
    assert_eq!((t.present, t.cast, t.valid), (10, 10, 10));
    let ct = t.result_of(&"ct".into()).unwrap();
    let hg = t.result_of(&"hg".into()).unwrap();
    assert_eq!((ct.yes, ct.elected), (7, Elected::Yes));
    assert_eq!((hg.yes, hg.elected), (6, Elected::No));
    assert_eq!(counted(s.ballot_result(b.id).await.unwrap()), t);
    assert!(matches!(
        s.close_ballot("canbo", b.id).await,
        Err(StoreError::Conflict(..))
    ));
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn below_quorum_a_closed_ballot_has_no_result() {
    let (db, ids, names) = setup(12).await;
    let s = &db.store;
    let b = s
        .create_ballot(
            "canbo",
            &new_ballot(spec(Question::YesNo, &["ct"], 50, Base::Eligible), &names),
        )
        .await
        .unwrap();
    for voter in &ids[..7] {
        s.cast_vote(b.id, *voter, yes_no(&[("ct", true)]))
            .await
            .unwrap();
    }
    match s.close_ballot("canbo", b.id).await.unwrap() {
        Outcome::NoQuorum {
            present, required, ..
        } => assert_eq!((present, required), (7, 8)),
        Outcome::Counted(_) => panic!("7 of 12 is below 2/3"),
    }
}

#[tokio::test]
async fn second_late_foreign_forged_and_unknown_votes_are_refused_and_leave_nothing() {
    let (db, ids, names) = setup(4).await;
    let s = &db.store;
    let b = s
        .create_ballot(
            "canbo",
            &new_ballot(
                spec(
                    Question::PickUpTo { k: 1 },
                    &["ct", "hg"],
                    50,
                    Base::ValidBallots,
                ),
                &names[..3],
            ),
        )
        .await
        .unwrap();
    let pick = |id: &str| Content::Picks(BTreeSet::from([MemberId::from(id)]));
    let code = s.cast_vote(b.id, ids[0], pick("ct")).await.unwrap();
    // A second vote, by the unique key.
    match s.cast_vote(b.id, ids[0], pick("hg")).await {
        Err(StoreError::Conflict(_, m)) => assert_eq!(m, ALREADY_VOTED),
        other => panic!("{other:?}"),
    }
    // Not on the list; unknown ballot; a candidate not on the ballot.
    let off_list = s.cast_vote(b.id, ids[3], pick("ct")).await.unwrap_err();
    assert!(
        off_list.to_string().contains("danh sách cử tri"),
        "{off_list}"
    );
    assert!(matches!(
        s.cast_vote(b.id + 1000, ids[1], pick("ct")).await,
        Err(StoreError::NotFound(_))
    ));
    let forged = s
        .cast_vote(b.id, ids[1], pick("soc-trang"))
        .await
        .unwrap_err();
    assert!(forged.to_string().contains("bị từ chối"), "{forged}");
    let forged = s
        .cast_vote(b.id, ids[1], yes_no(&[("ct", true)]))
        .await
        .unwrap_err();
    assert!(forged.to_string().contains("không đúng mẫu"), "{forged}");
    // Nothing partial: one participation, and the refused voter may still vote.
    assert_eq!(s.ballot(b.id).await.unwrap().turnout, 1);
    s.cast_vote(b.id, ids[1], pick("hg")).await.unwrap();
    s.cast_vote(b.id, ids[2], pick("ct")).await.unwrap();
    let t = counted(s.close_ballot("canbo", b.id).await.unwrap());
    assert_eq!(t.cast, 3);
    // After close.
    let late = s.cast_vote(b.id, ids[0], pick("ct")).await.unwrap_err();
    assert!(late.to_string().contains("đã kết thúc"), "{late}");
    // The receipt survives the rewrite at close.
    let r = s.verify_receipt(&code).await.unwrap().unwrap();
    assert_eq!(r.ballot_id, b.id);
    assert!(r.closed);
    let other = tdkt_core::ballot::receipt([7; 16]).code;
    assert!(s.verify_receipt(&other).await.unwrap().is_none());
    assert!(s.verify_receipt("không phải mã").await.is_err());
}

/// Raw access to the test database, as a DBA would have.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

async fn raw(db: &TestDb) -> Raw {
    match db.store.backend() {
        Backend::Postgres => Raw::Postgres(sqlx::PgPool::connect(&db.url).await.unwrap()),
        Backend::Sqlite => {
            let path = db.url.trim_start_matches("sqlite:");
            Raw::Sqlite(
                sqlx::SqlitePool::connect(&format!("sqlite://{path}"))
                    .await
                    .unwrap(),
            )
        }
    }
}

#[tokio::test]
async fn with_full_database_access_the_voter_of_a_ballot_cannot_be_determined() {
    let (db, ids, names) = setup(12).await;
    let s = &db.store;
    let candidates = ["a", "b", "c", "d"];
    let b = s
        .create_ballot(
            "canbo",
            &new_ballot(
                spec(Question::YesNo, &candidates, 50, Base::Eligible),
                &names,
            ),
        )
        .await
        .unwrap();
    // Voter i marks the bits of i + 1: every ballot is distinct, so its
    // content alone says which vote it was in the voting order.
    let pattern = |i: usize| -> BTreeMap<MemberId, bool> {
        candidates
            .iter()
            .enumerate()
            .map(|(bit, c)| (MemberId::from(*c), (i + 1) >> bit & 1 == 1))
            .collect()
    };
    let mut receipts = Vec::new();
    for (i, voter) in ids.iter().enumerate() {
        receipts.push(
            s.cast_vote(b.id, *voter, Content::YesNo(pattern(i)))
                .await
                .unwrap(),
        );
    }
    s.close_ballot("canbo", b.id).await.unwrap();
    let voting_order: Vec<String> = (0..ids.len())
        .map(|i| serde_json::to_string(&Content::YesNo(pattern(i))).unwrap())
        .collect();

    let raw = raw(&db).await;
    let (columns, physical, receipt_cols): (BTreeSet<String>, Vec<String>, BTreeSet<String>) =
        match &raw {
            Raw::Sqlite(p) => (
                sqlx::query_scalar("select name from pragma_table_info('ballot_content')")
                    .fetch_all(p)
                    .await
                    .unwrap()
                    .into_iter()
                    .collect(),
                // No `order by`: the order the engine keeps the rows in.
                sqlx::query_scalar("select content from ballot_content where ballot_id = $1")
                    .bind(b.id)
                    .fetch_all(p)
                    .await
                    .unwrap(),
                sqlx::query_scalar("select name from pragma_table_info('ballot_receipt')")
                    .fetch_all(p)
                    .await
                    .unwrap()
                    .into_iter()
                    .collect(),
            ),
            Raw::Postgres(p) => (
                sqlx::query_scalar(
                    "select column_name::text from information_schema.columns where table_name = 'ballot_content'",
                )
                .fetch_all(p)
                .await
                .unwrap()
                .into_iter()
                .collect(),
                sqlx::query_scalar("select content from ballot_content where ballot_id = $1 order by ctid")
                    .bind(b.id)
                    .fetch_all(p)
                    .await
                    .unwrap(),
                sqlx::query_scalar(
                    "select column_name::text from information_schema.columns where table_name = 'ballot_receipt'",
                )
                .fetch_all(p)
                .await
                .unwrap()
                .into_iter()
                .collect(),
            ),
        };
    // No voter id, no time, no serial key: only the ballot and a random id.
    let expected: BTreeSet<String> = ["ballot_id", "id", "content", "valid"]
        .map(String::from)
        .into();
    assert_eq!(columns, expected);
    assert_eq!(receipt_cols, ["ballot_id", "hash"].map(String::from).into());
    // The stored order is not the voting order (12! orders; equal by chance
    // with probability 2e-9), and every ballot is there.
    assert_eq!(physical.len(), 12);
    assert_ne!(physical, voting_order, "content kept in voting order");
    let mut sorted_physical = physical.clone();
    sorted_physical.sort();
    let mut sorted_voting = voting_order.clone();
    sorted_voting.sort();
    assert_eq!(sorted_physical, sorted_voting);

    match &raw {
        Raw::Sqlite(p) => {
            // `without rowid`: there is no hidden insertion counter to read.
            assert!(sqlx::query("select rowid from ballot_content")
                .fetch_all(p)
                .await
                .is_err());
            assert!(sqlx::query("select rowid from ballot_receipt")
                .fetch_all(p)
                .await
                .is_err());
        }
        Raw::Postgres(p) => {
            // Every content and receipt row carries the closing transaction.
            let content_xmins: Vec<String> = sqlx::query_scalar(
                "select distinct xmin::text from ballot_content where ballot_id = $1",
            )
            .bind(b.id)
            .fetch_all(p)
            .await
            .unwrap();
            let receipt_xmins: Vec<String> = sqlx::query_scalar(
                "select distinct xmin::text from ballot_receipt where ballot_id = $1",
            )
            .bind(b.id)
            .fetch_all(p)
            .await
            .unwrap();
            assert_eq!(content_xmins.len(), 1, "{content_xmins:?}");
            assert_eq!(receipt_xmins, content_xmins);
            let participation_xmins: BTreeSet<String> = sqlx::query_scalar(
                "select xmin::text from ballot_participation where ballot_id = $1",
            )
            .bind(b.id)
            .fetch_all(p)
            .await
            .unwrap()
            .into_iter()
            .collect();
            assert_eq!(participation_xmins.len(), 12, "one transaction per vote");
            assert!(!participation_xmins.contains(&content_xmins[0]));
        }
    }
    // No audit event carries a vote: only create and close of the ballot.
    let events = s.recent_audit(1000).await.unwrap();
    let ballot_events: Vec<&str> = events
        .iter()
        .filter(|e| e.entity == "ballot")
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(ballot_events, vec!["close", "create"]);
    for r in &receipts {
        let hash = tdkt_core::ballot::hash_of_code(r).unwrap();
        assert!(events
            .iter()
            .all(|e| !e.after.as_deref().unwrap_or_default().contains(&hash)));
        assert!(s.verify_receipt(r).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn a_scoring_round_is_audited_refuses_self_cross_scores_and_locks_when_closed() {
    let (db, _, _) = setup(0).await;
    let s = &db.store;
    let members: Vec<MemberId> = ["ct", "hg", "st"].map(MemberId::from).into();
    let round = Round::open(
        RoundConfig {
            aggregation: Aggregation::Mean,
            trim: 0,
            basis: Basis::Cross,
            max_total: rust_decimal::Decimal::from(100),
        },
        members.clone(),
        "ct".into(),
    )
    .unwrap();
    let r = s
        .create_round(
            "canbo",
            &NewRound {
                unit_code: "cum-tay-nam-bo".into(),
                context: "Cụm thi đua Tây Nam bộ 2019".into(),
                title: "Chấm điểm thi đua năm 2019".into(),
                rubric: None,
                figures: None,
                cluster_id: None,
                round,
            },
        )
        .await
        .unwrap();
    let d = |v: i64| rust_decimal::Decimal::from(v);
    s.update_round("hg", r.id, "cross-score", |r| {
        r.record_cross(&"hg".into(), &"ct".into(), d(90))
    })
    .await
    .unwrap();
    let refused = s
        .update_round("ct", r.id, "cross-score", |r| {
            r.record_cross(&"ct".into(), &"ct".into(), d(100))
        })
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("chính mình"), "{refused}");
    s.update_round("st", r.id, "cross-score", |r| {
        r.record_cross(&"st".into(), &"ct".into(), d(80))
    })
    .await
    .unwrap();
    let closed = s
        .update_round("canbo", r.id, "close", Round::close)
        .await
        .unwrap();
    let ct = closed
        .round
        .results()
        .into_iter()
        .find(|m| m.member.0 == "ct")
        .unwrap();
    assert_eq!(ct.total, d(85));
    let locked = s
        .update_round("hg", r.id, "cross-score", |r| {
            r.record_cross(&"hg".into(), &"st".into(), d(70))
        })
        .await
        .unwrap_err();
    assert!(locked.to_string().contains("đã khóa"), "{locked}");
    let actions: Vec<String> = s
        .recent_audit(100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "scoring_round")
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["close", "cross-score", "cross-score", "create"]);
    assert!(s.verify_audit().await.unwrap().is_ok());
}

/// A cluster-year with its regulation saved (threshold, base, quorum).
async fn cluster_with_regulation(
    db: &TestDb,
    threshold: &str,
    base: &str,
    quorum: &str,
) -> tdkt_store::clusters::Cluster {
    let c = db
        .store
        .create_cluster(
            "test",
            &tdkt_store::clusters::NewCluster::parse(
                "tay-nam-bo",
                "2019",
                "Cụm thi đua Tây Nam bộ",
                "cluster",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    set_regulation(db, c.id, threshold, base, quorum, "").await;
    c
}

async fn set_regulation(
    db: &TestDb,
    cluster_id: i64,
    threshold: &str,
    base: &str,
    quorum: &str,
    rubric: &str,
) {
    let regulation = tdkt_core::regulation::RegulationParams::parse(
        tdkt_store::awards::catalogue(),
        &tdkt_core::regulation::RegulationForm {
            title: "Quy chế số 01/QC-CTĐ",
            rubric,
            threshold,
            base,
            quorum,
            limits: "co-thi-dua-chinh-phu: 1 | 1 | bỏ phiếu",
        },
    )
    .unwrap();
    db.store
        .set_cluster_settings(
            "test",
            cluster_id,
            &tdkt_store::clusters::ClusterSettings {
                organizer_unit_id: None,
                regulation,
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_cluster_ballot_takes_threshold_and_quorum_from_the_regulation_and_follows_its_changes() {
    let (db, _, names) = setup(8).await;
    let c = cluster_with_regulation(&db, "80", "", "3/4").await;
    // The form's 50 % of valid ballots and 1/2 are not what the cluster decided.
    let mut typed = spec(Question::YesNo, &["ct", "hg"], 50, Base::ValidBallots);
    typed.quorum = Quorum { num: 1, den: 2 };
    let mut new = new_ballot(typed, &names);
    new.cluster_id = Some(c.id);
    new.context = String::new();
    let b = db.store.create_ballot("test", &new).await.unwrap();
    assert_eq!(b.cluster_id, Some(c.id));
    assert_eq!(b.spec.quorum, Quorum { num: 3, den: 4 });
    assert_eq!(
        b.spec.threshold,
        Threshold::new(80.into(), Base::Eligible),
        "counted on all members unless the regulation says otherwise"
    );
    assert_eq!(b.context, "Cụm thi đua Tây Nam bộ năm 2019");

    // The regulation changes: the next ballot follows it.
    set_regulation(&db, c.id, "66,67", "present", "2/3", "").await;
    let b2 = db.store.create_ballot("test", &new).await.unwrap();
    assert_eq!(b2.spec.quorum, Quorum { num: 2, den: 3 });
    assert_eq!(
        b2.spec.threshold,
        Threshold::new(rust_decimal::Decimal::new(6667, 2), Base::Present)
    );
    // … and the first keeps the rules it was opened with.
    assert_eq!(
        db.store.ballot(b.id).await.unwrap().spec.quorum,
        Quorum { num: 3, den: 4 }
    );

    // A regulation without a vote share cannot run a ballot.
    set_regulation(&db, c.id, "", "", "2/3", "").await;
    match db.store.create_ballot("test", &new).await {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.field(), "cluster");
            assert!(e.to_string().contains("chưa đặt tỷ lệ phiếu"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_cluster_ballot_is_tallied_on_the_regulations_threshold() {
    let (db, ids, names) = setup(4).await;
    let c = cluster_with_regulation(&db, "75", "", "1/2").await;
    let mut new = new_ballot(
        spec(Question::YesNo, &["ct"], 50, Base::ValidBallots),
        &names,
    );
    new.cluster_id = Some(c.id);
    let b = db.store.create_ballot("test", &new).await.unwrap();
    // 2 of 4 members take part and vote yes: 100 % of the valid ballots,
    // but the cluster counts 75 % of all members.
    for voter in ids.iter().take(2) {
        db.store
            .cast_vote(b.id, *voter, yes_no(&[("ct", true)]))
            .await
            .unwrap();
    }
    let t = counted(db.store.close_ballot("test", b.id).await.unwrap());
    let r = t.result_of(&"ct".into()).unwrap();
    assert_eq!((r.yes, r.base), (2, 4));
    assert_eq!(r.elected, Elected::No);
}

#[tokio::test]
async fn a_round_of_a_cluster_must_use_the_rubric_its_regulation_names() {
    let (db, _, _) = setup(0).await;
    let s = &db.store;
    let c = cluster_with_regulation(&db, "70", "", "2/3").await;
    set_regulation(&db, c.id, "70", "", "2/3", "tay-nam-bo").await;
    let round = Round::open(
        RoundConfig {
            aggregation: Aggregation::Mean,
            trim: 0,
            basis: Basis::Cross,
            max_total: rust_decimal::Decimal::from(100),
        },
        vec![MemberId::from("ct"), MemberId::from("hg")],
        "ct".into(),
    )
    .unwrap();
    let new = NewRound {
        unit_code: "cum-tay-nam-bo".into(),
        context: String::new(),
        title: "Chấm điểm thi đua năm 2019".into(),
        rubric: None,
        figures: None,
        cluster_id: Some(c.id),
        round,
    };
    match s.create_round("canbo", &new).await {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.field(), "rubric");
            assert!(e.to_string().contains("«tay-nam-bo»"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // Without a rubric in the regulation the round is free to choose.
    set_regulation(&db, c.id, "70", "", "2/3", "").await;
    let r = s.create_round("canbo", &new).await.unwrap();
    assert_eq!(r.cluster_id, Some(c.id));
}

/// Issue 12, item 4: while the vote is open, whoever can read the database
/// (tables, PostgreSQL's `xmin`, SQLite's file and WAL) sees who voted but
/// not what any voter chose.
#[tokio::test]
async fn while_voting_a_database_reader_cannot_link_a_voter_to_a_choice() {
    let (db, ids, names) = setup(6).await;
    let s = &db.store;
    let candidates = ["a", "b", "c"];
    let b = s
        .create_ballot(
            "canbo",
            &new_ballot(
                spec(Question::YesNo, &candidates, 50, Base::Eligible),
                &names,
            ),
        )
        .await
        .unwrap();
    // Every voter's ballot is distinct (bits of i + 1), blanks included.
    let content = |i: usize| -> Content {
        Content::YesNo(
            candidates
                .iter()
                .enumerate()
                .filter(|(bit, _)| i != 5 || *bit != 2)
                .map(|(bit, c)| (MemberId::from(*c), (i + 1) >> bit & 1 == 1))
                .collect(),
        )
    };
    for (i, voter) in ids.iter().enumerate() {
        s.cast_vote(b.id, *voter, content(i)).await.unwrap();
    }
    let choices: Vec<String> = (0..ids.len())
        .map(|i| serde_json::to_string(&content(i)).unwrap())
        .collect();

    let raw = raw(&db).await;
    let sealed_lengths: BTreeSet<usize> = match &raw {
        Raw::Postgres(p) => {
            // Rows written in the voter's transaction: nothing of the choice.
            let linked: Vec<(i64, String)> = sqlx::query_as(
                "select p.voter_id, c.content from ballot_participation p
                 join ballot_content c on c.xmin = p.xmin where p.ballot_id = $1",
            )
            .bind(b.id)
            .fetch_all(p)
            .await
            .unwrap();
            assert!(linked.is_empty(), "joined on xmin: {linked:?}");
            let sealed: Vec<(i64, String)> = sqlx::query_as(
                "select p.voter_id, x.sealed from ballot_participation p
                 join ballot_pending x on x.xmin = p.xmin where p.ballot_id = $1",
            )
            .bind(b.id)
            .fetch_all(p)
            .await
            .unwrap();
            assert_eq!(sealed.len(), 6);
            for (_, text) in &sealed {
                assert!(choices.iter().all(|c| !text.contains(c.as_str())));
            }
            sealed.into_iter().map(|(_, t)| t.len()).collect()
        }
        Raw::Sqlite(p) => {
            // Neither the database file nor its WAL holds any choice in clear.
            let path = db.url.trim_start_matches("sqlite:");
            for file in [path.to_owned(), format!("{path}-wal")] {
                let bytes = std::fs::read(&file).unwrap_or_default();
                for c in &choices {
                    assert!(
                        !bytes.windows(c.len()).any(|w| w == c.as_bytes()),
                        "{file} holds {c} in clear while the vote is open"
                    );
                }
            }
            let sealed: Vec<String> =
                sqlx::query_scalar("select sealed from ballot_pending where ballot_id = $1")
                    .bind(b.id)
                    .fetch_all(p)
                    .await
                    .unwrap();
            assert_eq!(sealed.len(), 6);
            sealed.iter().map(String::len).collect()
        }
    };
    // One length for all: the size of a sealed vote does not tell the choice.
    assert_eq!(sealed_lengths.len(), 1, "{sealed_lengths:?}");

    // The close opens every vote: nothing lost, nothing left sealed.
    let t = counted(s.close_ballot("canbo", b.id).await.unwrap());
    assert_eq!((t.present, t.cast), (6, 6));
    let a = t.result_of(&"a".into()).unwrap();
    assert_eq!(a.yes, 3, "voters 0, 2, 4 mark a");
    let pending: i64 = match &raw {
        Raw::Postgres(p) => sqlx::query_scalar("select count(*) from ballot_pending")
            .fetch_one(p)
            .await
            .unwrap(),
        Raw::Sqlite(p) => sqlx::query_scalar("select count(*) from ballot_pending")
            .fetch_one(p)
            .await
            .unwrap(),
    };
    assert_eq!(pending, 0);
}

/// An acknowledged vote survives a restart of the server: the sealed votes
/// are opened by the next process with the same key file.
#[tokio::test]
async fn a_vote_acknowledged_before_a_restart_is_counted_at_the_close() {
    let (db, ids, names) = setup(3).await;
    let b = db
        .store
        .create_ballot(
            "canbo",
            &new_ballot(spec(Question::YesNo, &["ct"], 50, Base::Eligible), &names),
        )
        .await
        .unwrap();
    for (i, voter) in ids.iter().enumerate() {
        db.store
            .cast_vote(b.id, *voter, yes_no(&[("ct", i != 1)]))
            .await
            .unwrap();
    }
    let again = tdkt_store::Store::connect(&db.url, tdkt_store::testing::test_secrets())
        .await
        .unwrap();
    let t = counted(again.close_ballot("canbo", b.id).await.unwrap());
    assert_eq!((t.present, t.cast, t.valid), (3, 3, 3));
    assert_eq!(t.result_of(&"ct".into()).unwrap().yes, 2);
    again.close().await;
}

/// Issue 12, item 9: Hậu Giang ended on 30/6/2025 (merged into Cần Thơ): a
/// ballot or a scoring round opened for it today is refused, naming Cần Thơ.
#[tokio::test]
async fn a_ballot_or_round_for_a_province_merged_in_2025_is_refused_naming_the_successor() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let mut new = new_ballot(
        spec(Question::YesNo, &["ct"], 50, Base::Eligible),
        &["hoidong.cantho".to_owned()],
    );
    new.unit_code = "hau-giang".into();
    let e = s.create_ballot("canbo", &new).await.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("đã chấm dứt hoạt động"), "{text}");
    assert!(text.contains("(mã can-tho)"), "{text}");
    new.unit_code = "can-tho".into();
    s.create_ballot("canbo", &new).await.unwrap();

    let round = Round::open(
        RoundConfig {
            aggregation: Aggregation::Mean,
            trim: 0,
            basis: Basis::Cross,
            max_total: rust_decimal::Decimal::from(100),
        },
        ["ct", "hg"].map(MemberId::from),
        "ct".into(),
    )
    .unwrap();
    let e = s
        .create_round(
            "canbo",
            &NewRound {
                unit_code: "hau-giang".into(),
                context: String::new(),
                title: "Chấm điểm năm 2026".into(),
                rubric: None,
                figures: None,
                cluster_id: None,
                round,
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("(mã can-tho)"), "{e}");
}
