//! The rest of the demo cluster's year (issue 15), after its pledge and
//! first-half reports: the officer's saved draft of the first half's review
//! (*sơ kết*), the cluster's regulation, a scoring round on a rubric with
//! every member's self-score and cross-scores, closed and ranked, the
//! secret ballot on the proposal for Cờ thi đua của Chính phủ cast by the
//! members' representatives and closed, and the proposals that follow from
//! the ranking and the ballot. All through the store's own calls.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use tdkt_core::access::Role;
use tdkt_core::ballot::{BallotSpec, Base, Candidate, Content, Question, Quorum, Threshold};
use tdkt_core::period::Period;
use tdkt_core::proposal::propose;
use tdkt_core::ranking::{Band, Bands, RankingConfig, TieBreak};
use tdkt_core::regulation::{RegulationForm, RegulationParams};
use tdkt_core::rubric::{ManualEntry, Rubric, ScoreSheet};
use tdkt_core::scoring::{Aggregation, Basis, MemberId, Round, RoundConfig};
use tdkt_core::DomainError;

use crate::ballots::NewBallot;
use crate::clusters::{Cluster, ClusterSettings};
use crate::rankings::NewNomination;
use crate::scoring::NewRound;
use crate::{Result, Store};

use super::ACTOR;

/// The rubric of the demo cluster: two manual criteria of 60 and 40 points
/// (demo data, not a regulation's text).
const RUBRIC: &str = r#"{"code":"tay-nam-bo-moi","version":1,
 "title":"Bảng tiêu chí chấm điểm thi đua Cụm thi đua các tỉnh, thành phố Tây Nam bộ",
 "items":[
 {"code":"1","title":"Thực hiện các chỉ tiêu kinh tế - xã hội đã giao ước","max":"60","kind":"manual"},
 {"code":"2","title":"Tổ chức phong trào thi đua và công tác khen thưởng","max":"40","kind":"manual"}
]}"#;

/// Each member's self-score on criteria 1 and 2, and the points the other
/// members give it when they score it (before the small per-scorer spread
/// of [`cross`]). Cần Thơ leads the cluster and ranks first.
const SCORES: &[(&str, i64, i64, i64)] = &[
    ("can-tho", 57, 38, 94),
    ("an-giang", 55, 37, 90),
    ("dong-thap", 54, 36, 88),
    ("vinh-long", 53, 35, 86),
    ("ca-mau", 50, 33, 80),
];

/// The cluster's regulation as the demo sets it. The vote share is the one
/// Điều 33 k5 Nghị định 152/2025/NĐ-CP sets for Cờ thi đua của Chính phủ
/// (≥ 80 % of the whole membership); the quorum and the limits are the
/// cluster's own choice (Điều 6 k2), demo data, not a legal fact.
const REGULATION: RegulationForm<'static> = RegulationForm {
    title: "Quy chế hoạt động Cụm thi đua các tỉnh, thành phố Tây Nam bộ (dữ liệu minh họa)",
    rubric: "tay-nam-bo-moi",
    threshold: "80",
    base: "",
    quorum: "2/3",
    limits: "co-thi-dua-chinh-phu: 1 | 1 | bỏ phiếu\nbang-khen-thu-tuong: 2 | 5",
};

/// The accounts of the members' representatives who vote in the ballot:
/// (username, full name, member unit).
const VOTERS: &[(&str, &str, &str)] = &[
    (
        "cum.can-tho",
        "Đại diện Cụm thi đua Tây Nam bộ - Cần Thơ",
        "can-tho",
    ),
    (
        "cum.an-giang",
        "Đại diện Cụm thi đua Tây Nam bộ - An Giang",
        "an-giang",
    ),
    (
        "cum.dong-thap",
        "Đại diện Cụm thi đua Tây Nam bộ - Đồng Tháp",
        "dong-thap",
    ),
    (
        "cum.vinh-long",
        "Đại diện Cụm thi đua Tây Nam bộ - Vĩnh Long",
        "vinh-long",
    ),
    (
        "cum.ca-mau",
        "Đại diện Cụm thi đua Tây Nam bộ - Cà Mau",
        "ca-mau",
    ),
];

fn invalid(field: &'static str, e: &dyn std::fmt::Display) -> crate::StoreError {
    DomainError::invalid(field, e.to_string()).into()
}

/// Points `scorer` gives `scored`: the member's level less 0–2 points,
/// varying with the pair so the cross-scores are not all alike.
fn cross(scorer: usize, scored: usize, level: i64) -> Decimal {
    let spread = i64::try_from((scorer + 2 * scored) % 3).unwrap_or(0);
    Decimal::from(level - spread)
}

/// Loads the review draft, the regulation, the round, the ballot and the
/// nominations of cluster `c` for `year`.
///
/// # Errors
/// Any refusal by the store.
pub async fn load_results(store: &Store, c: &Cluster, year: i32) -> Result<()> {
    review(store, c, year).await?;
    let regulation = RegulationParams::parse(crate::awards::catalogue(), &REGULATION)?;
    let leader = store.unit_by_code("can-tho").await?;
    store
        .set_cluster_settings(
            ACTOR,
            c.id,
            &ClusterSettings {
                organizer_unit_id: None,
                regulation: regulation.clone(),
            },
        )
        .await?;
    let round_id = round(store, c, year, leader.id).await?;
    let ballot_id = ballot(store, c, year).await?;
    let (_, ranking) = store.round_ranking(round_id).await?;
    let ranking = ranking.ok_or_else(|| invalid("round", &"đợt chấm điểm chưa có xếp hạng"))?;
    let config = regulation.proposal_config(true)?;
    let mut ballots = BTreeMap::new();
    ballots.insert(
        "co-thi-dua-chinh-phu".to_owned(),
        store.ballot_result(ballot_id).await?,
    );
    let made = propose(&ranking, &ballots, &config).map_err(|e| invalid("rules", &e))?;
    let new: Vec<NewNomination> = made
        .proposals
        .iter()
        .map(|p| NewNomination {
            proposal: p.clone(),
            ballot_id: (p.award == "co-thi-dua-chinh-phu").then_some(ballot_id),
        })
        .collect();
    store
        .create_nominations(ACTOR, round_id, year, &new)
        .await?;
    Ok(())
}

/// The first half's review as drafted from the reports, saved by the
/// officer with a closing paragraph of her own.
async fn review(store: &Store, c: &Cluster, year: i32) -> Result<()> {
    let period = Period::parse(&format!("{year}-H1")).map_err(|e| invalid("period", &e))?;
    let mut doc = store.review_of(c, period).await?.document();
    if let Some(last) = doc.sections.last_mut() {
        last.paragraphs.push(tdkt_core::review::Paragraph {
            text:
                "Đề nghị tỉnh Cà Mau gửi báo cáo sơ kết 6 tháng đầu năm về Trưởng cụm để tổng hợp."
                    .to_owned(),
            indicator: None,
        });
    }
    store.save_review_draft(ACTOR, c.id, period, &doc).await
}

/// The year's scoring round on the cluster's rubric: every member scores
/// itself on the rubric and scores the others; closed, so it is ranked.
async fn round(store: &Store, c: &Cluster, year: i32, leader: i64) -> Result<i64> {
    let rubric: Rubric = serde_json::from_str(RUBRIC).map_err(|e| invalid("rubric", &e))?;
    let version = store
        .save_rubric(ACTOR, &rubric, &BTreeSet::new(), Some(leader))
        .await?;
    let checked = rubric
        .clone()
        .check(&BTreeSet::new())
        .map_err(|e| invalid("rubric", &format!("{e:?}")))?;
    let max_total = checked.max_total();
    let members: Vec<MemberId> = SCORES.iter().map(|s| MemberId::from(s.0)).collect();
    let round = Round::open(
        RoundConfig {
            aggregation: Aggregation::Mean,
            trim: 0,
            basis: Basis::Cross,
            max_total,
        },
        members.clone(),
        "can-tho".into(),
    )
    .map_err(|e| invalid("round", &e))?;
    let band = |label: &str, pct: i64| Band {
        label: label.into(),
        min: tdkt_core::points::round_points(max_total * Decimal::new(pct, 2)),
    };
    let ranking = RankingConfig {
        tie_breaks: vec![TieBreak::MoreCriteriaAtMax, TieBreak::FewerPenaltyPoints],
        bands: Bands::try_from(vec![
            band("Xuất sắc", 90),
            band("Tốt", 80),
            band("Khá", 70),
            band("Trung bình", 50),
        ])
        .map_err(|e| invalid("bands", &e))?,
    };
    let r = store
        .create_ranked_round(
            ACTOR,
            &NewRound {
                unit_code: "can-tho".into(),
                context: format!("{} năm {year}", c.name),
                title: format!("Chấm điểm thi đua năm {year}"),
                rubric: Some((rubric.code.clone(), version)),
                figures: None,
                cluster_id: Some(c.id),
                round,
            },
            &ranking,
        )
        .await?;
    for (i, (code, first, second, _)) in SCORES.iter().enumerate() {
        let me = MemberId::from(*code);
        let sheet = ScoreSheet {
            entries: [("1", *first), ("2", *second)]
                .into_iter()
                .map(|(k, p)| {
                    (
                        k.to_owned(),
                        ManualEntry {
                            points: Decimal::from(p),
                            evidence: Vec::new(),
                        },
                    )
                })
                .collect(),
            indicators: BTreeMap::new(),
        };
        let evaluation = checked
            .evaluate(&sheet)
            .map_err(|e| invalid("points", &e))?;
        let who = me.clone();
        store
            .update_round(ACTOR, r.id, "self-score", move |round| {
                round.record_self(&who, evaluation)
            })
            .await?;
        let scores: Vec<(MemberId, Decimal)> = SCORES
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, s)| (MemberId::from(s.0), cross(i, j, s.3)))
            .collect();
        store
            .update_round(ACTOR, r.id, "cross-score", move |round| {
                for (m, p) in &scores {
                    round.record_cross(&me, m, *p)?;
                }
                Ok(())
            })
            .await?;
    }
    store.close_round(ACTOR, r.id, &ranking).await?;
    Ok(r.id)
}

/// The secret ballot on proposing Cần Thơ and An Giang for Cờ thi đua của
/// Chính phủ, the cluster's regulation setting the share and quorum: Cần
/// Thơ four of five (80 %, passes), An Giang two of five (fails).
async fn ballot(store: &Store, c: &Cluster, year: i32) -> Result<i64> {
    let mut ids = Vec::new();
    for (username, name, unit) in VOTERS {
        let a = store
            .create_account(
                ACTOR,
                username,
                super::super::DEMO_PASSWORD,
                name,
                Role::Submitter,
                Some(unit),
            )
            .await?;
        ids.push(a.id);
    }
    let candidates = [
        ("can-tho", "Thành phố Cần Thơ"),
        ("an-giang", "Tỉnh An Giang"),
    ];
    let b = store
        .create_ballot(
            ACTOR,
            &NewBallot {
                unit_code: "can-tho".into(),
                context: String::new(),
                spec: BallotSpec {
                    title: format!("Bình xét đề nghị tặng Cờ thi đua của Chính phủ năm {year}"),
                    question: Question::YesNo,
                    candidates: candidates
                        .iter()
                        .map(|(id, name)| Candidate {
                            id: MemberId::from(*id),
                            name: (*name).to_owned(),
                            threshold: None,
                        })
                        .collect(),
                    eligible: 0,
                    // replaced by the regulation's (cluster_id below)
                    quorum: Quorum { num: 2, den: 3 },
                    threshold: Threshold::new(Decimal::from(80), Base::Eligible),
                },
                voters: VOTERS.iter().map(|v| v.0.to_owned()).collect(),
                cluster_id: Some(c.id),
            },
        )
        .await?;
    for (i, voter) in ids.iter().enumerate() {
        let marks: BTreeMap<MemberId, bool> = [("can-tho", i < 4), ("an-giang", i < 2)]
            .into_iter()
            .map(|(m, yes)| (MemberId::from(m), yes))
            .collect();
        store.cast_vote(b.id, *voter, Content::YesNo(marks)).await?;
    }
    store.close_ballot(ACTOR, b.id).await?;
    Ok(b.id)
}
