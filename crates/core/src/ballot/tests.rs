//! Tests of `ballot`, kept apart so the rules read without them.

use super::*;

fn candidates(ids: &[&str]) -> Vec<Candidate> {
    ids.iter()
        .map(|id| Candidate {
            id: (*id).into(),
            name: format!("Đơn vị {id}"),
            threshold: None,
        })
        .collect()
}

fn spec(question: Question, eligible: u32, percent: u32, base: Base, ids: &[&str]) -> BallotSpec {
    BallotSpec {
        title: "Bình xét Cờ thi đua".into(),
        question,
        candidates: candidates(ids),
        eligible,
        quorum: Quorum { num: 2, den: 3 },
        threshold: Threshold {
            percent: Decimal::from(percent),
            base,
        },
    }
}

fn yes_no(open: &Ballot<Open>, votes: &[(&str, bool)]) -> Cast {
    open.accept(Content::YesNo(
        votes.iter().map(|(c, v)| ((*c).into(), *v)).collect(),
    ))
    .unwrap()
}

fn counted(o: Outcome) -> Tally {
    match o {
        Outcome::Counted(t) => t,
        Outcome::NoQuorum { explanation, .. } => panic!("{explanation}"),
    }
}

/// The rounding rule of the module doc, at its boundaries.
#[test]
fn a_threshold_is_met_exactly_at_the_boundary_and_not_one_below() {
    let t = Threshold {
        percent: Decimal::from(70),
        base: Base::Eligible,
    };
    assert!(t.met(7, 10));
    assert!(!t.met(6, 10));
    // 2/3 ≈ 66.67% does not reach 70%; 9 of 13 = 69.2% fails, 10 of 13 passes.
    assert!(!t.met(2, 3));
    assert!(!t.met(9, 13));
    assert!(t.met(10, 13));
    let half = Threshold {
        percent: Decimal::from(50),
        base: Base::ValidBallots,
    };
    assert!(half.met(5, 10), "exactly half reaches 50%");
    assert!(!half.met(4, 9));
    assert!(!half.met(0, 0), "an empty base never passes");
    assert!(Threshold {
        percent: Decimal::from(90),
        base: Base::Eligible
    }
    .met(9, 10));
    assert!(!Threshold {
        percent: Decimal::from(90),
        base: Base::Eligible
    }
    .met(8, 9));
}

#[test]
fn seven_of_ten_at_seventy_percent_passes_and_six_fails() {
    let open = Ballot::open(spec(Question::YesNo, 10, 70, Base::Eligible, &["a", "b"])).unwrap();
    let mut ballots = Vec::new();
    for i in 0..10 {
        ballots.push(yes_no(&open, &[("a", i < 7), ("b", i < 6)]));
    }
    let tally = counted(open.close().tally(10, &ballots).unwrap());
    let a = tally.result_of(&"a".into()).unwrap();
    let b = tally.result_of(&"b".into()).unwrap();
    assert!(a.passed_threshold && a.elected == Elected::Yes);
    assert!(!b.passed_threshold);
    assert_eq!(
        a.explanation,
        "Đơn vị a: 7/10 phiếu đồng ý (70% tổng số cử tri), ngưỡng 70% → đạt."
    );
    assert_eq!(
        b.explanation,
        "Đơn vị b: 6/10 phiếu đồng ý (60% tổng số cử tri), ngưỡng 70% → không đạt."
    );
}

#[test]
fn without_quorum_there_is_no_result_at_all() {
    let open = Ballot::open(spec(Question::YesNo, 12, 50, Base::Eligible, &["a"])).unwrap();
    let ballots: Vec<Cast> = (0..7).map(|_| yes_no(&open, &[("a", true)])).collect();
    let closed = open.close();
    match closed.tally(7, &ballots).unwrap() {
        Outcome::NoQuorum {
            required,
            explanation,
            ..
        } => {
            assert_eq!(required, 8);
            assert!(
                explanation.contains("chưa đủ tỷ lệ tối thiểu 2/3 (cần 8)"),
                "{explanation}"
            );
        }
        Outcome::Counted(_) => panic!("7 of 12 is below 2/3"),
    }
    assert!(Quorum { num: 2, den: 3 }.met(8, 12));
}

#[test]
fn too_many_marks_make_a_ballot_invalid_and_unknown_candidates_are_refused() {
    let open = Ballot::open(spec(
        Question::PickUpTo { k: 2 },
        5,
        50,
        Base::ValidBallots,
        &["a", "b", "c"],
    ))
    .unwrap();
    let picks = |ids: &[&str]| Content::Picks(ids.iter().map(|i| MemberId::from(*i)).collect());
    assert_eq!(
        open.accept(picks(&["a", "x"])),
        Err(BallotError::UnknownCandidate("x".into()))
    );
    assert_eq!(
        open.accept(Content::YesNo(BTreeMap::new())),
        Err(BallotError::WrongForm)
    );
    let ballots = vec![
        open.accept(picks(&["a", "b"])).unwrap(),
        open.accept(picks(&["a", "b", "c"])).unwrap(),
        open.accept(picks(&["a"])).unwrap(),
        open.accept(picks(&["b", "c"])).unwrap(),
        open.accept(picks(&[])).unwrap(),
    ];
    assert!(!ballots[1].valid);
    let t = counted(open.close().tally(5, &ballots).unwrap());
    assert_eq!((t.valid, t.invalid), (4, 1));
    let yes: Vec<u32> = t.candidates.iter().map(|c| c.yes).collect();
    assert_eq!(yes, vec![2, 2, 1]);
    // 2 of 4 valid = 50%: a and b pass, c does not.
    let elected: Vec<Elected> = t.candidates.iter().map(|c| c.elected).collect();
    assert_eq!(elected, vec![Elected::Yes, Elected::Yes, Elected::No]);
}

#[test]
fn a_tie_for_the_last_place_elects_none_of_the_tied() {
    let open = Ballot::open(spec(
        Question::PickUpTo { k: 1 },
        4,
        50,
        Base::ValidBallots,
        &["a", "b"],
    ))
    .unwrap();
    let picks = |ids: &[&str]| {
        open.accept(Content::Picks(
            ids.iter().map(|i| MemberId::from(*i)).collect(),
        ))
        .unwrap()
    };
    let ballots = vec![picks(&["a"]), picks(&["a"]), picks(&["b"]), picks(&["b"])];
    let t = counted(open.close().tally(4, &ballots).unwrap());
    assert!(t
        .candidates
        .iter()
        .all(|c| c.elected == Elected::TieAtCutoff));
}

#[test]
fn inconsistent_counts_and_bad_specs_are_refused() {
    let open = Ballot::open(spec(Question::YesNo, 3, 50, Base::Eligible, &["a"])).unwrap();
    let b = yes_no(&open, &[("a", true)]);
    let closed = open.close();
    assert!(matches!(
        closed.tally(0, std::slice::from_ref(&b)),
        Err(BallotError::Inconsistent { .. })
    ));
    assert!(matches!(
        closed.tally(4, &[b]),
        Err(BallotError::Inconsistent { .. })
    ));
    assert_eq!(
        Ballot::open(spec(Question::YesNo, 3, 0, Base::Eligible, &["a"])),
        Err(BallotError::BadThreshold(Decimal::ZERO))
    );
    assert_eq!(
        Ballot::open(spec(Question::YesNo, 3, 50, Base::Eligible, &["a", "a"])),
        Err(BallotError::DuplicateCandidate("a".into()))
    );
    assert_eq!(
        Ballot::open(spec(
            Question::PickUpTo { k: 2 },
            3,
            50,
            Base::Eligible,
            &["a"]
        )),
        Err(BallotError::BadK(1))
    );
    let mut s = spec(Question::YesNo, 3, 50, Base::Eligible, &["a"]);
    s.quorum = Quorum { num: 4, den: 3 };
    assert_eq!(Ballot::open(s), Err(BallotError::BadQuorum(4, 3)));
}

#[test]
fn only_a_closed_ballot_is_restored_with_a_tally() {
    let s = spec(Question::YesNo, 3, 50, Base::Eligible, &["a"]);
    assert!(matches!(
        restore(s.clone(), false).unwrap(),
        Restored::Open(_)
    ));
    assert!(matches!(restore(s, true).unwrap(), Restored::Closed(_)));
    // `Ballot<Open>` has no `tally`: that is checked by the compiler.
}

#[test]
fn a_receipt_code_verifies_against_its_hash_and_tolerates_typing() {
    let r = receipt([0xA5; 16]);
    assert_eq!(r.code.len(), 30);
    assert_eq!(r.code.matches('-').count(), 4);
    assert_eq!(hash_of_code(&r.code).unwrap(), r.hash);
    let sloppy = r
        .code
        .to_lowercase()
        .replace('-', " ")
        .replace('1', "l")
        .replace('0', "o");
    assert_eq!(hash_of_code(&sloppy).unwrap(), r.hash);
    assert!(hash_of_code("ABC").is_err());
    assert!(hash_of_code(&r.code.replacen(|c: char| c.is_ascii_alphanumeric(), "U", 1)).is_err());
    assert_ne!(receipt([0; 16]).hash, receipt([1; 16]).hash);
}

proptest::proptest! {
    #[test]
    fn every_receipt_round_trips(bytes in proptest::array::uniform16(proptest::num::u8::ANY)) {
        let r = receipt(bytes);
        proptest::prop_assert_eq!(hash_of_code(&r.code).unwrap(), r.hash);
    }

    /// The rule equals "at least ⌈percent × base / 100⌉ yes votes".
    #[test]
    fn threshold_is_the_ceiling_of_the_share(yes in 0u32..2000, base in 1u32..2000, percent in 1u32..=100) {
        let need = (percent * base).div_ceil(100);
        let t = Threshold { percent: Decimal::from(percent), base: Base::Eligible };
        proptest::prop_assert_eq!(t.met(yes, base), yes >= need);
    }
}
