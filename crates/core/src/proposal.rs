//! Proposals (*đề nghị khen thưởng*): from the ranking and the ballot results,
//! who is proposed for which award, within the limits of the cluster's
//! regulation (e.g. at most 1 member for `co-thi-dua-chinh-phu`, at most 3
//! for `bang-khen-thu-tuong`, only the top 5 of the ranking, only those the
//! ballot elected). Each proposal carries its reasons so it can become a
//! nomination and a dossier; every member not proposed is told why.
//!
//! Rules are applied in the order given (the highest award first). With
//! `one_award_per_member`, a member proposed for an earlier award is not
//! proposed again. When the last place is shared by members of equal rank,
//! none of them is proposed automatically: the tie is reported for the
//! council to decide.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ballot::{Elected, Outcome};
use crate::number::format_vi;
use crate::ranking::Ranked;
use crate::scoring::MemberId;
use crate::share::Share;

/// The regulation's limits for one award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardRule {
    /// Award code, e.g. `co-thi-dua-chinh-phu`.
    pub award: String,
    /// Vietnamese name, e.g. “Cờ thi đua của Chính phủ”.
    pub title: String,
    /// At most this many members.
    pub max_count: u32,
    /// Only members ranked this high or higher (rank ≤ K).
    #[serde(default)]
    pub top_k: Option<u32>,
    /// Only members the ballot for this award elected.
    pub requires_ballot: bool,
}

impl AwardRule {
    /// The limit as one line of the regulation's syntax
    /// ([`parse_limits`]): `co-thi-dua-chinh-phu: 1 | 1 | bỏ phiếu`.
    #[must_use]
    pub fn line(&self) -> String {
        let mut s = format!("{}: {}", self.award, self.max_count);
        match (self.top_k, self.requires_ballot) {
            (None, false) => {}
            (Some(k), false) => s.push_str(&format!(" | {k}")),
            (k, true) => s.push_str(&format!(
                " | {} | {BALLOT_WORD}",
                k.map(|k| k.to_string()).unwrap_or_default()
            )),
        }
        s
    }
}

/// The word that marks a limit decided by a ballot.
const BALLOT_WORD: &str = "bỏ phiếu";

/// Reads the proposal limits of a regulation, one award per line, highest
/// first: `mã-hình-thức: số lượng tối đa | K hạng đầu | bỏ phiếu`, the last
/// two optional (`co-thi-dua-chinh-phu: 1 | 1 | bỏ phiếu`,
/// `bang-khen-thu-tuong: 2 | 5`, `co-thi-dua-cap-tinh: 1`). The one syntax
/// of the regulation form and of a round's proposal form; the award must be
/// in the catalogue, whose name becomes the rule's title.
///
/// # Errors
/// The line and what is wrong in it, on `field`.
pub fn parse_limits(
    catalogue: &crate::catalogue::Catalogue,
    field: &'static str,
    text: &str,
) -> Result<Vec<AwardRule>, crate::DomainError> {
    let mut out: Vec<AwardRule> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = |m: String| crate::DomainError::invalid(field, format!("Dòng {}: {m}", i + 1));
        let (code, rest) = line
            .split_once(':')
            .or_else(|| line.split_once('='))
            .ok_or_else(|| {
                bad(format!(
                    "«{line}» phải có dạng mã-hình-thức: số lượng tối đa | K hạng đầu | bỏ phiếu."
                ))
            })?;
        let code = code.trim();
        let award = catalogue
            .get(code)
            .ok_or_else(|| bad(format!("«{code}» không có trong danh mục khen thưởng.")))?;
        if out.iter().any(|r| r.award == award.code) {
            return Err(bad(format!("«{code}» đã có ở dòng trước.")));
        }
        let cells: Vec<&str> = rest.split('|').map(str::trim).collect();
        let max_count: u32 = cells[0].parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            bad(format!(
                "số lượng tối đa «{}» phải là số nguyên dương.",
                cells[0]
            ))
        })?;
        let top_k = match cells.get(1).copied().filter(|c| !c.is_empty()) {
            None => None,
            Some(k) => Some(
                k.parse::<u32>()
                    .ok()
                    .filter(|k| *k > 0)
                    .ok_or_else(|| bad(format!("K hạng đầu «{k}» phải là số nguyên dương.")))?,
            ),
        };
        let requires_ballot = match cells.get(2).copied().filter(|c| !c.is_empty()) {
            None => false,
            Some(w) if crate::text::fold(w) == crate::text::fold(BALLOT_WORD) => true,
            Some(w) => {
                return Err(bad(format!(
                    "ô thứ ba «{w}» chỉ được để trống hoặc ghi «{BALLOT_WORD}»."
                )))
            }
        };
        if cells.len() > 3 {
            return Err(bad(format!("«{line}» có quá nhiều ô.")));
        }
        out.push(AwardRule {
            award: award.code.clone(),
            title: award.name.clone(),
            max_count,
            top_k,
            requires_ballot,
        });
    }
    Ok(out)
}

/// The limits as [`parse_limits`] reads them, one per line.
#[must_use]
pub fn limits_text(rules: &[AwardRule]) -> String {
    rules
        .iter()
        .map(AwardRule::line)
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalConfig {
    pub rules: Vec<AwardRule>,
    pub one_award_per_member: bool,
}

/// One member proposed for one award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub award: String,
    pub member: MemberId,
    pub rank: u32,
    pub total: rust_decimal::Decimal,
    pub band: Option<String>,
    pub vote: Option<Share>,
    /// Vietnamese, one line each: rank and score, vote, the limits met.
    pub reasons: Vec<String>,
}

/// A member considered for an award and not proposed, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotProposed {
    pub award: String,
    pub member: MemberId,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Proposals {
    pub proposals: Vec<Proposal>,
    pub not_proposed: Vec<NotProposed>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    #[error("Hình thức “{0}” cần kết quả bỏ phiếu nhưng chưa có cuộc bỏ phiếu đã kiểm phiếu.")]
    NoBallot(String),
    #[error(
        "Cuộc bỏ phiếu cho “{0}” không đủ tỷ lệ cử tri tham gia nên không có kết quả để đề nghị."
    )]
    BallotWithoutQuorum(String),
    #[error("Hình thức “{0}”: số lượng tối đa phải lớn hơn 0.")]
    ZeroLimit(String),
}

/// Builds the proposals. `ballots` maps an award code to its closed
/// ballot's outcome.
///
/// # Errors
/// A rule needing a ballot that has no counted result; a zero limit.
pub fn propose(
    ranking: &[Ranked],
    ballots: &BTreeMap<String, Outcome>,
    config: &ProposalConfig,
) -> Result<Proposals, ProposalError> {
    let mut out = Proposals::default();
    let mut already: BTreeSet<MemberId> = BTreeSet::new();
    let mut ordered: Vec<&Ranked> = ranking.iter().collect();
    ordered.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.member.cmp(&b.member)));
    let size = ranking.len();
    for rule in &config.rules {
        if rule.max_count == 0 {
            return Err(ProposalError::ZeroLimit(rule.title.clone()));
        }
        let tally = if rule.requires_ballot {
            match ballots.get(&rule.award) {
                None => return Err(ProposalError::NoBallot(rule.title.clone())),
                Some(Outcome::NoQuorum { .. }) => {
                    return Err(ProposalError::BallotWithoutQuorum(rule.title.clone()))
                }
                Some(Outcome::Counted(t)) => Some(t),
            }
        } else {
            None
        };
        let mut skipped = Vec::new();
        let mut skip = |member: &MemberId, reason: String| {
            skipped.push(NotProposed {
                award: rule.award.clone(),
                member: member.clone(),
                reason,
            });
        };
        // Members that meet every condition, in rank order, with their vote.
        let mut qualified: Vec<(&Ranked, Option<Share>, Vec<String>)> = Vec::new();
        for r in &ordered {
            if config.one_award_per_member && already.contains(&r.member) {
                skip(
                    &r.member,
                    "đã được đề nghị hình thức khen thưởng cao hơn".into(),
                );
                continue;
            }
            let mut reasons = vec![format!(
                "xếp hạng {}/{size} với {} điểm{}",
                r.rank,
                format_vi(r.total),
                r.band
                    .as_ref()
                    .map(|b| format!(" (xếp loại {b})"))
                    .unwrap_or_default()
            )];
            if let Some(k) = rule.top_k {
                if r.rank > k {
                    skip(
                        &r.member,
                        format!("xếp hạng {}, ngoài nhóm {k} đơn vị đứng đầu", r.rank),
                    );
                    continue;
                }
                reasons.push(format!("thuộc nhóm {k} đơn vị đứng đầu"));
            }
            let mut vote = None;
            if let Some(t) = tally {
                match t.result_of(&r.member) {
                    None => {
                        skip(&r.member, "không có tên trong phiếu bầu".into());
                        continue;
                    }
                    Some(c) if c.elected != Elected::Yes => {
                        skip(&r.member, format!("kết quả bỏ phiếu: {}", c.explanation));
                        continue;
                    }
                    Some(c) => {
                        reasons.push(format!("bỏ phiếu: {}", c.explanation));
                        vote = Some(Share::new(c.yes, c.base, c.threshold.base));
                    }
                }
            }
            qualified.push((r, vote, reasons));
        }
        let limit = rule.max_count as usize;
        // The rank at the last place; members sharing it across the limit
        // are left to the council.
        let cut_rank = qualified.get(limit.saturating_sub(1)).map(|q| q.0.rank);
        let overflow_same_rank =
            qualified.len() > limit && cut_rank.is_some_and(|cr| qualified[limit].0.rank == cr);
        for (i, (r, vote, mut reasons)) in qualified.into_iter().enumerate() {
            let tied_at_cut = overflow_same_rank && Some(r.rank) == cut_rank;
            if tied_at_cut {
                skip(
                    &r.member,
                    format!(
                        "đồng hạng {} ở vị trí cuối trong giới hạn {} đơn vị: Hội đồng cần quyết định",
                        r.rank, rule.max_count
                    ),
                );
            } else if i < limit {
                reasons.push(format!(
                    "trong giới hạn tối đa {} đơn vị của {}",
                    rule.max_count, rule.title
                ));
                already.insert(r.member.clone());
                out.proposals.push(Proposal {
                    award: rule.award.clone(),
                    member: r.member.clone(),
                    rank: r.rank,
                    total: r.total,
                    band: r.band.clone(),
                    vote,
                    reasons,
                });
            } else {
                skip(
                    &r.member,
                    format!("vượt giới hạn tối đa {} đơn vị", rule.max_count),
                );
            }
        }
        out.not_proposed.extend(skipped);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::{
        Ballot, BallotSpec, Base, Candidate, Content, Question, Quorum, Threshold,
    };
    use crate::ranking::{rank, RankingConfig, TieBreak};
    use crate::rubric::tests::{cluster_rubric, d, indicators, sheet};
    use crate::scoring::{Aggregation, Basis, Round, RoundConfig, ScoringError};
    use rust_decimal::Decimal;

    const CLUSTER: [&str; 12] = [
        "an-giang",
        "bac-lieu",
        "ben-tre",
        "ca-mau",
        "can-tho",
        "dong-thap",
        "hau-giang",
        "kien-giang",
        "soc-trang",
        "tien-giang",
        "tra-vinh",
        "vinh-long",
    ];

    fn ranked(member: &str, rank: u32, total: &str) -> Ranked {
        Ranked {
            rank,
            member: member.into(),
            total: d(total),
            band: None,
            tied_with: Vec::new(),
            explanation: String::new(),
        }
    }

    #[test]
    fn a_tie_on_the_last_place_is_left_to_the_council() {
        let ranking = vec![
            ranked("a", 1, "95"),
            ranked("b", 2, "90"),
            ranked("c", 2, "90"),
        ];
        let config = ProposalConfig {
            rules: vec![AwardRule {
                award: "bang-khen-thu-tuong".into(),
                title: "Bằng khen của Thủ tướng Chính phủ".into(),
                max_count: 2,
                top_k: None,
                requires_ballot: false,
            }],
            one_award_per_member: true,
        };
        let out = propose(&ranking, &BTreeMap::new(), &config).unwrap();
        assert_eq!(out.proposals.len(), 1);
        assert_eq!(out.proposals[0].member, MemberId::from("a"));
        assert_eq!(out.not_proposed.len(), 2);
        assert!(out.not_proposed[0]
            .reason
            .contains("Hội đồng cần quyết định"));
    }

    #[test]
    fn an_award_needing_a_ballot_without_one_is_refused() {
        let config = ProposalConfig {
            rules: vec![AwardRule {
                award: "co-thi-dua-chinh-phu".into(),
                title: "Cờ thi đua của Chính phủ".into(),
                max_count: 1,
                top_k: Some(3),
                requires_ballot: true,
            }],
            one_award_per_member: true,
        };
        let err = propose(&[ranked("a", 1, "95")], &BTreeMap::new(), &config).unwrap_err();
        assert_eq!(
            err,
            ProposalError::NoBallot("Cờ thi đua của Chính phủ".into())
        );
    }

    /// The year-end evaluation of a 12-province cluster, in pure code:
    /// self-score → cross-score → leader adjustment → close → ranking →
    /// two secret ballots → proposals.
    #[test]
    fn a_twelve_member_cluster_goes_from_self_score_to_proposals() {
        // Arrange: the rubric and each province's own figures.
        let rubric = cluster_rubric().check(&indicators()).unwrap();
        let members: Vec<MemberId> = CLUSTER.iter().map(|m| MemberId::from(*m)).collect();
        let mut round = Round::open(
            RoundConfig {
                aggregation: Aggregation::Mean,
                trim: 1,
                basis: Basis::Cross,
                max_total: rubric.max_total(),
            },
            members.clone(),
            members[4].clone(), // Cần Thơ leads the cluster this year.
        )
        .unwrap();
        let mut self_totals = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let i32_ = i32::try_from(i).unwrap();
            let grdp = format!("{}", 6 + i32_ % 5);
            let ngan_sach = format!("{}", 70 + 2 * i32_);
            let tai_nan = format!("{}", 8 + i32_ % 4);
            let m21 = format!("{}", 15 + i32_ % 11);
            let m22 = format!("{}", 5 + (i32_ * 7) % 11);
            let mut manual = vec![("2.1", m21.as_str()), ("2.2", m22.as_str())];
            if i % 3 == 0 {
                manual.push(("T1", "2"));
            }
            if i == 7 {
                manual.push(("K", "3"));
            }
            let evaluation = rubric
                .evaluate(&sheet(&grdp, &ngan_sach, &tai_nan, &manual))
                .unwrap();
            self_totals.push(evaluation.total);
            round.record_self(m, evaluation).unwrap();
        }

        // Act: every member cross-scores the others; one is harsh on a rival.
        assert_eq!(
            round.record_cross(&members[0], &members[0], d("90")),
            Err(ScoringError::SelfCrossScore(members[0].clone()))
        );
        for (s, scorer) in members.iter().enumerate() {
            for (t, scored) in members.iter().enumerate() {
                if s == t {
                    continue;
                }
                // Peers score within one point of the self-score.
                let delta = Decimal::new(i64::try_from((s + t) % 3).unwrap() - 1, 0);
                let mut points = (self_totals[t] + delta).max(Decimal::ZERO);
                if s == 1 && t == 2 {
                    points = Decimal::ZERO;
                }
                round.record_cross(scorer, scored, points).unwrap();
            }
        }
        round
            .adjust(
                &members[4],
                &members[9],
                d("-1"),
                "Chậm gửi báo cáo tổng kết năm",
            )
            .unwrap();
        round.close().unwrap();
        assert_eq!(
            round.record_cross(&members[0], &members[1], d("50")),
            Err(ScoringError::Closed)
        );
        let results = round.results();
        assert!(
            results.iter().all(|r| r.cross_used == 9),
            "11 scores less the highest and the lowest"
        );
        let ben_tre = results.iter().find(|r| r.member == members[2]).unwrap();
        assert!(
            ben_tre.cross.unwrap() > self_totals[2] - d("1.01"),
            "the zero was trimmed"
        );

        let ranking = rank(
            &results,
            &RankingConfig {
                tie_breaks: vec![TieBreak::MoreCriteriaAtMax, TieBreak::FewerPenaltyPoints],
                bands: crate::ranking::tests::bands(),
            },
        );
        assert_eq!(ranking.len(), 12);
        assert!(ranking.windows(2).all(|w| w[0].total >= w[1].total));
        let by_rank = |n: usize| ranking[n].member.clone();

        // The council votes on the flag for the top 3 (70% of all 12),
        // 11 members present.
        let flag = Ballot::open(BallotSpec {
            title: "Cờ thi đua của Chính phủ".into(),
            question: Question::YesNo,
            candidates: (0..3)
                .map(|n| Candidate {
                    id: by_rank(n),
                    name: by_rank(n).0,
                    threshold: None,
                })
                .collect(),
            eligible: 12,
            quorum: Quorum { num: 2, den: 3 },
            threshold: Threshold {
                percent: rust_decimal::Decimal::from(70),
                base: Base::Eligible,
            },
        })
        .unwrap();
        let yes_counts = [10, 9, 7];
        let flag_ballots: Vec<_> = (0..11)
            .map(|v| {
                let marks = (0..3).map(|n| (by_rank(n), v < yes_counts[n])).collect();
                flag.accept(Content::YesNo(marks)).unwrap()
            })
            .collect();
        let flag_outcome = flag.close().tally(11, &flag_ballots).unwrap();

        // Then picks up to 3 of ranks 2–6 for the PM's certificate (half of
        // valid ballots); one ballot marks 4 and is invalid.
        let bk = Ballot::open(BallotSpec {
            title: "Bằng khen của Thủ tướng Chính phủ".into(),
            question: Question::PickUpTo { k: 3 },
            candidates: (1..6)
                .map(|n| Candidate {
                    id: by_rank(n),
                    name: by_rank(n).0,
                    threshold: None,
                })
                .collect(),
            eligible: 12,
            quorum: Quorum { num: 2, den: 3 },
            threshold: Threshold {
                percent: rust_decimal::Decimal::from(50),
                base: Base::ValidBallots,
            },
        })
        .unwrap();
        let mut bk_ballots: Vec<_> = (0..10)
            .map(|v| {
                let picks = if v < 7 { vec![1, 2, 3] } else { vec![2, 4, 5] };
                bk.accept(Content::Picks(picks.into_iter().map(by_rank).collect()))
                    .unwrap()
            })
            .collect();
        bk_ballots.push(
            bk.accept(Content::Picks((1..5).map(by_rank).collect()))
                .unwrap(),
        );
        let bk_outcome = bk.close().tally(11, &bk_ballots).unwrap();

        let ballots: BTreeMap<String, Outcome> = [
            ("co-thi-dua-chinh-phu".to_owned(), flag_outcome),
            ("bang-khen-thu-tuong".to_owned(), bk_outcome),
        ]
        .into_iter()
        .collect();
        let config = ProposalConfig {
            rules: vec![
                AwardRule {
                    award: "co-thi-dua-chinh-phu".into(),
                    title: "Cờ thi đua của Chính phủ".into(),
                    max_count: 1,
                    top_k: Some(3),
                    requires_ballot: true,
                },
                AwardRule {
                    award: "bang-khen-thu-tuong".into(),
                    title: "Bằng khen của Thủ tướng Chính phủ".into(),
                    max_count: 3,
                    top_k: Some(6),
                    requires_ballot: true,
                },
            ],
            one_award_per_member: true,
        };
        let out = propose(&ranking, &ballots, &config).unwrap();

        // Assert: the flag goes to the first (10/12 and 9/12 both pass 70%,
        // only one flag); ranks 2, 3, 4 get the certificate (7 of 10 valid).
        let for_award = |award: &str| -> Vec<MemberId> {
            out.proposals
                .iter()
                .filter(|p| p.award == award)
                .map(|p| p.member.clone())
                .collect()
        };
        assert_eq!(
            for_award("co-thi-dua-chinh-phu"),
            vec![by_rank(0)],
            "{ranking:#?}"
        );
        assert_eq!(
            for_award("bang-khen-thu-tuong"),
            vec![by_rank(1), by_rank(2), by_rank(3)]
        );
        let flag_proposal = &out.proposals[0];
        assert_eq!(
            flag_proposal.vote.as_ref().map(|v| (v.yes, v.base)),
            Some((10, 12))
        );
        assert!(
            flag_proposal.reasons[0].starts_with("xếp hạng 1/12"),
            "{:?}",
            flag_proposal.reasons
        );
        assert!(out
            .not_proposed
            .iter()
            .any(|n| n.award == "co-thi-dua-chinh-phu"
                && n.member == by_rank(1)
                && n.reason.contains("vượt giới hạn")));
        assert!(out
            .not_proposed
            .iter()
            .any(|n| n.award == "co-thi-dua-chinh-phu"
                && n.member == by_rank(2)
                && n.reason.contains("7/12")));
    }

    #[test]
    fn the_regulations_limits_read_in_one_syntax_and_write_back_the_same() {
        let cat = crate::catalogue::Catalogue::embedded();
        let text = "co-thi-dua-chinh-phu: 1 | 1 | Bỏ phiếu\nbang-khen-thu-tuong: 2 | 5\n\nco-thi-dua-cap-tinh = 3";
        let rules = parse_limits(&cat, "limits", text).unwrap();
        assert_eq!(rules.len(), 3);
        assert_eq!(
            (rules[0].max_count, rules[0].top_k, rules[0].requires_ballot),
            (1, Some(1), true)
        );
        assert_eq!(rules[0].title, "Cờ thi đua của Chính phủ");
        assert_eq!((rules[1].top_k, rules[1].requires_ballot), (Some(5), false));
        assert_eq!((rules[2].max_count, rules[2].top_k), (3, None));
        let written = limits_text(&rules);
        assert_eq!(
            written,
            "co-thi-dua-chinh-phu: 1 | 1 | bỏ phiếu\nbang-khen-thu-tuong: 2 | 5\nco-thi-dua-cap-tinh: 3"
        );
        assert_eq!(parse_limits(&cat, "limits", &written).unwrap(), rules);
        let with_ballot_no_rank =
            parse_limits(&cat, "limits", "co-thi-dua-chinh-phu: 1 | | bỏ phiếu").unwrap();
        assert_eq!(
            parse_limits(&cat, "limits", &limits_text(&with_ballot_no_rank)).unwrap(),
            with_ballot_no_rank
        );
    }

    #[test]
    fn a_bad_limit_line_is_refused_with_its_number() {
        let cat = crate::catalogue::Catalogue::embedded();
        for (text, says) in [
            ("khong-co: 1", "Dòng 1: «khong-co» không có trong danh mục"),
            ("co-thi-dua-chinh-phu: 0", "số nguyên dương"),
            ("\nco-thi-dua-chinh-phu: 1 | x", "Dòng 2: K hạng đầu «x»"),
            (
                "co-thi-dua-chinh-phu: 1 | 1 | có",
                "chỉ được để trống hoặc ghi «bỏ phiếu»",
            ),
            (
                "co-thi-dua-chinh-phu: 1\nco-thi-dua-chinh-phu: 2",
                "đã có ở dòng trước",
            ),
            ("co-thi-dua-chinh-phu 1", "phải có dạng"),
        ] {
            let e = parse_limits(&cat, "limits", text).unwrap_err();
            assert_eq!(e.field(), "limits");
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
    }
}
