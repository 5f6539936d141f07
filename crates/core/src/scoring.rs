//! Scoring rounds (*đợt chấm điểm*): each member scores itself (*tự chấm*),
//! then every member scores the others (*chấm chéo*) — never itself — the
//! cross-scores are aggregated, the cluster leader (*cụm trưởng*) may adjust
//! with a written reason, and the round is closed, after which nothing
//! changes.
//!
//! A pure state machine: the store loads a [`Round`], calls one method, saves
//! the result and writes the audit event (who, what, before/after) in the
//! same transaction. Self-scores are full rubric evaluations (they carry the
//! figures the tie-breaks need); cross-scores are totals.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::number::format_vi;
use crate::points::round_points;
use crate::rubric::Evaluation;

/// A member of a cluster or block (a unit or a person), by its stable key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MemberId(pub String);

impl From<&str> for MemberId {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl std::fmt::Display for MemberId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the cross-scores a member received become one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    Mean,
    /// With an even count, the mean of the two middle scores.
    Median,
}

/// What the final score starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The aggregated cross-score (the self-score when nobody cross-scored).
    Cross,
    /// The self-score only (cross-scoring informs, does not decide).
    SelfScore,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundConfig {
    pub aggregation: Aggregation,
    /// Drop this many highest and this many lowest cross-scores first, when
    /// more than twice as many were given.
    pub trim: usize,
    pub basis: Basis,
    /// Highest total the rubric allows ([`crate::rubric::CheckedRubric::max_total`]).
    pub max_total: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoundState {
    Open,
    Closed,
}

/// A leader's adjustment of a member's final score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub member: MemberId,
    pub delta: Decimal,
    pub reason: String,
}

/// Shortest reason accepted for an adjustment, in characters.
pub const MIN_REASON_CHARS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error("Đợt chấm điểm đã khóa: không thay đổi điểm được nữa.")]
    Closed,
    #[error("“{0}” không phải thành viên của đợt chấm điểm.")]
    NotMember(MemberId),
    #[error("“{0}” không được tự chấm chéo cho chính mình; điểm tự chấm nhập ở phần tự chấm.")]
    SelfCrossScore(MemberId),
    #[error("Điểm {points} cho “{member}” phải trong khoảng 0 đến {max}.")]
    OutOfRange {
        member: MemberId,
        points: String,
        max: String,
    },
    #[error("Điều chỉnh điểm của “{0}” phải ghi rõ lý do (ít nhất {MIN_REASON_CHARS} ký tự).")]
    ReasonRequired(MemberId),
    #[error("Chỉ cụm trưởng “{leader}” được điều chỉnh điểm, không phải “{by}”.")]
    NotLeader { leader: MemberId, by: MemberId },
    #[error("Đợt chấm điểm cần ít nhất 2 thành viên khác nhau.")]
    TooFewMembers,
}

/// A scoring round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub config: RoundConfig,
    pub members: BTreeSet<MemberId>,
    pub leader: MemberId,
    pub state: RoundState,
    pub self_scores: BTreeMap<MemberId, Evaluation>,
    /// `(scorer, scored) → total`; a new score by the same scorer replaces.
    pub cross_scores: BTreeMap<(MemberId, MemberId), Decimal>,
    pub adjustments: Vec<Adjustment>,
}

/// A member's result, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberResult {
    pub member: MemberId,
    pub self_total: Option<Decimal>,
    pub cross: Option<Decimal>,
    /// Cross-scores actually used after trimming.
    pub cross_used: usize,
    pub adjustment: Decimal,
    pub total: Decimal,
    pub criteria_at_max: u32,
    pub bonus: Decimal,
    pub penalty: Decimal,
    pub explanation: String,
}

impl Round {
    /// Opens a round.
    ///
    /// # Errors
    /// Fewer than two members, or a leader who is not a member.
    pub fn open(
        config: RoundConfig,
        members: impl IntoIterator<Item = MemberId>,
        leader: MemberId,
    ) -> Result<Self, ScoringError> {
        let members: BTreeSet<_> = members.into_iter().collect();
        if members.len() < 2 {
            return Err(ScoringError::TooFewMembers);
        }
        if !members.contains(&leader) {
            return Err(ScoringError::NotMember(leader));
        }
        Ok(Self {
            config,
            members,
            leader,
            state: RoundState::Open,
            self_scores: BTreeMap::new(),
            cross_scores: BTreeMap::new(),
            adjustments: Vec::new(),
        })
    }

    fn writable(&self, who: &MemberId) -> Result<(), ScoringError> {
        if self.state == RoundState::Closed {
            return Err(ScoringError::Closed);
        }
        if !self.members.contains(who) {
            return Err(ScoringError::NotMember(who.clone()));
        }
        Ok(())
    }

    fn in_range(&self, member: &MemberId, points: Decimal) -> Result<(), ScoringError> {
        if points < Decimal::ZERO || points > self.config.max_total {
            return Err(ScoringError::OutOfRange {
                member: member.clone(),
                points: format_vi(points),
                max: format_vi(self.config.max_total),
            });
        }
        Ok(())
    }

    /// Records (or replaces) a member's self-score.
    ///
    /// # Errors
    /// Round closed, not a member, total out of range.
    pub fn record_self(
        &mut self,
        member: &MemberId,
        evaluation: Evaluation,
    ) -> Result<(), ScoringError> {
        self.writable(member)?;
        self.in_range(member, evaluation.total)?;
        self.self_scores.insert(member.clone(), evaluation);
        Ok(())
    }

    /// Records (or replaces) `scorer`'s cross-score of `scored`.
    ///
    /// # Errors
    /// Round closed, not members, a member scoring itself, out of range.
    pub fn record_cross(
        &mut self,
        scorer: &MemberId,
        scored: &MemberId,
        total: Decimal,
    ) -> Result<(), ScoringError> {
        self.writable(scorer)?;
        self.writable(scored)?;
        if scorer == scored {
            return Err(ScoringError::SelfCrossScore(scorer.clone()));
        }
        self.in_range(scored, total)?;
        self.cross_scores
            .insert((scorer.clone(), scored.clone()), total);
        Ok(())
    }

    /// The leader adjusts a member's score, with a written reason.
    ///
    /// # Errors
    /// Round closed, `by` not the leader, reason too short.
    pub fn adjust(
        &mut self,
        by: &MemberId,
        member: &MemberId,
        delta: Decimal,
        reason: &str,
    ) -> Result<(), ScoringError> {
        self.writable(member)?;
        if by != &self.leader {
            return Err(ScoringError::NotLeader {
                leader: self.leader.clone(),
                by: by.clone(),
            });
        }
        if reason.trim().chars().count() < MIN_REASON_CHARS {
            return Err(ScoringError::ReasonRequired(member.clone()));
        }
        self.adjustments.push(Adjustment {
            member: member.clone(),
            delta,
            reason: reason.trim().to_owned(),
        });
        Ok(())
    }

    /// Locks the round.
    ///
    /// # Errors
    /// Already closed.
    pub fn close(&mut self) -> Result<(), ScoringError> {
        if self.state == RoundState::Closed {
            return Err(ScoringError::Closed);
        }
        self.state = RoundState::Closed;
        Ok(())
    }

    /// Results for every member (a preview while open, final once closed).
    #[must_use]
    pub fn results(&self) -> Vec<MemberResult> {
        self.members.iter().map(|m| self.result_of(m)).collect()
    }

    fn result_of(&self, member: &MemberId) -> MemberResult {
        let own = self.self_scores.get(member);
        let received: Vec<Decimal> = self
            .cross_scores
            .iter()
            .filter(|((scorer, scored), _)| scored == member && scorer != member)
            .map(|(_, v)| *v)
            .collect();
        let agg = aggregate(&received, self.config.aggregation, self.config.trim);
        let self_total = own.map(|e| e.total);
        let mut why = Vec::new();
        if let Some(t) = self_total {
            why.push(format!("tự chấm {}", format_vi(t)));
        } else {
            why.push("chưa tự chấm".to_owned());
        }
        if let Some(a) = &agg {
            why.push(a.explanation.clone());
        }
        let base = match (self.config.basis, &agg, self_total) {
            (Basis::Cross, Some(a), _) => a.value,
            (_, _, Some(t)) => t,
            (_, _, None) => Decimal::ZERO,
        };
        let mut adjustment = Decimal::ZERO;
        for a in self.adjustments.iter().filter(|a| &a.member == member) {
            adjustment += a.delta;
            let sign = if a.delta.is_sign_negative() { "" } else { "+" };
            why.push(format!(
                "cụm trưởng điều chỉnh {sign}{} ({})",
                format_vi(a.delta),
                a.reason
            ));
        }
        let total = round_points((base + adjustment).clamp(Decimal::ZERO, self.config.max_total));
        why.push(format!("tổng {}", format_vi(total)));
        MemberResult {
            member: member.clone(),
            self_total,
            cross: agg.as_ref().map(|a| a.value),
            cross_used: agg.as_ref().map_or(0, |a| a.used),
            adjustment,
            total,
            criteria_at_max: own.map_or(0, |e| e.criteria_at_max),
            bonus: own.map_or(Decimal::ZERO, |e| e.bonus),
            penalty: own.map_or(Decimal::ZERO, |e| e.penalty),
            explanation: why.join("; "),
        }
    }
}

/// An aggregated score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregate {
    pub value: Decimal,
    pub used: usize,
    pub explanation: String,
}

/// Aggregates scores: drops the `trim` highest and `trim` lowest when more
/// than `2 × trim` remain, then takes the mean or the median, rounded with
/// [`round_points`]. `None` for no scores.
#[must_use]
pub fn aggregate(scores: &[Decimal], how: Aggregation, trim: usize) -> Option<Aggregate> {
    if scores.is_empty() {
        return None;
    }
    let mut sorted = scores.to_vec();
    sorted.sort();
    let trimmed = trim > 0 && sorted.len() > 2 * trim;
    let used = if trimmed {
        &sorted[trim..sorted.len() - trim]
    } else {
        &sorted[..]
    };
    let n = Decimal::from(used.len());
    let value = match how {
        Aggregation::Mean => used.iter().copied().sum::<Decimal>() / n,
        Aggregation::Median => {
            let mid = used.len() / 2;
            if used.len() % 2 == 1 {
                used[mid]
            } else {
                (used[mid - 1] + used[mid]) / Decimal::TWO
            }
        }
    };
    let value = round_points(value);
    let name = match how {
        Aggregation::Mean => "trung bình",
        Aggregation::Median => "trung vị",
    };
    let trim_note = if trimmed {
        format!(", đã bỏ {trim} điểm cao nhất và {trim} điểm thấp nhất")
    } else if trim > 0 {
        format!(", không loại điểm vì chỉ có {} điểm", sorted.len())
    } else {
        String::new()
    };
    Some(Aggregate {
        value,
        used: used.len(),
        explanation: format!(
            "chấm chéo {name} {} từ {} điểm{trim_note}",
            format_vi(value),
            used.len()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn round(members: &[&str]) -> Round {
        let config = RoundConfig {
            aggregation: Aggregation::Mean,
            trim: 1,
            basis: Basis::Cross,
            max_total: d("100"),
        };
        Round::open(
            config,
            members.iter().map(|m| MemberId::from(*m)),
            MemberId::from(members[0]),
        )
        .unwrap()
    }

    #[test]
    fn a_member_cannot_cross_score_itself() {
        let mut r = round(&["an-giang", "bac-lieu"]);
        let me = MemberId::from("an-giang");
        assert_eq!(
            r.record_cross(&me, &me, d("90")),
            Err(ScoringError::SelfCrossScore(me.clone()))
        );
        assert_eq!(
            r.record_cross(&me, &me, d("90")).unwrap_err().to_string(),
            "“an-giang” không được tự chấm chéo cho chính mình; điểm tự chấm nhập ở phần tự chấm."
        );
        assert!(r.cross_scores.is_empty());
    }

    #[test]
    fn cross_scores_are_trimmed_then_averaged_and_exclude_self() {
        let mut r = round(&["a", "b", "c", "d", "e"]);
        let b = MemberId::from("b");
        for (scorer, p) in [("a", "70"), ("c", "80"), ("d", "90"), ("e", "100")] {
            r.record_cross(&scorer.into(), &b, d(p)).unwrap();
        }
        let res = r.results().into_iter().find(|x| x.member == b).unwrap();
        // 70 and 100 dropped: mean of 80 and 90.
        assert_eq!(
            (res.cross, res.cross_used, res.total),
            (Some(d("85")), 2, d("85"))
        );
        assert!(
            res.explanation.contains("đã bỏ 1 điểm cao nhất"),
            "{}",
            res.explanation
        );
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let a = aggregate(&[d("9"), d("7"), d("8"), d("10")], Aggregation::Median, 0).unwrap();
        assert_eq!(a.value, d("8.5"));
        let a = aggregate(&[d("10"), d("10"), d("10")], Aggregation::Mean, 3).unwrap();
        assert_eq!(a.used, 3, "too few to trim");
        assert_eq!(aggregate(&[], Aggregation::Mean, 0), None);
    }

    #[test]
    fn adjustments_need_the_leader_and_a_reason_and_a_closed_round_is_locked() {
        let mut r = round(&["a", "b", "c"]);
        let (a, b) = (MemberId::from("a"), MemberId::from("b"));
        assert_eq!(
            r.adjust(&a, &b, d("-2"), "  "),
            Err(ScoringError::ReasonRequired(b.clone()))
        );
        assert!(matches!(
            r.adjust(&b, &b, d("2"), "Có thành tích đột xuất"),
            Err(ScoringError::NotLeader { .. })
        ));
        r.record_cross(&a, &b, d("80")).unwrap();
        r.adjust(&a, &b, d("-2.5"), "Để xảy ra sai phạm trong quý IV")
            .unwrap();
        r.close().unwrap();
        assert_eq!(r.record_cross(&a, &b, d("99")), Err(ScoringError::Closed));
        assert_eq!(
            r.adjust(&a, &b, d("1"), "Lý do đủ dài ở đây"),
            Err(ScoringError::Closed)
        );
        let res = r.results().into_iter().find(|x| x.member == b).unwrap();
        assert_eq!(res.total, d("77.5"));
        assert!(
            res.explanation
                .contains("điều chỉnh -2,5 (Để xảy ra sai phạm"),
            "{}",
            res.explanation
        );
    }

    proptest::proptest! {
        /// Trimmed mean and median always lie between the lowest and highest score.
        #[test]
        fn aggregates_stay_within_the_scores(xs in proptest::collection::vec(0u32..10_000, 1..30), trim in 0usize..4) {
            let scores: Vec<Decimal> = xs.iter().map(|x| Decimal::new(i64::from(*x), 2)).collect();
            let lo = *scores.iter().min().unwrap();
            let hi = *scores.iter().max().unwrap();
            for how in [Aggregation::Mean, Aggregation::Median] {
                let a = aggregate(&scores, how, trim).unwrap();
                proptest::prop_assert!(lo <= a.value && a.value <= hi);
            }
        }
    }
}
