//! The regulation on activity and evaluation (*quy chế tổ chức hoạt động
//! và bình xét thi đua*) a cluster or block adopts each year: the
//! parameters later steps read (rubric, ballot threshold, how many members
//! may be proposed for which award), and the rotation of its leader and
//! deputy (*cụm trưởng, cụm phó*).
//!
//! Điều 16 Luật TĐKT 2022 lets the Hội đồng TĐKT of each level organise
//! clusters and blocks; neither the law nor Nghị định 152/2025/NĐ-CP fixes
//! the rotation, the quotas or a cluster's vote share (below state level
//! each ministry and province sets them, Điều 6 k2 Nghị định 152/2025), so
//! they are the regulation's parameters, not code. What is saved here is
//! what the steps read: the round's rubric, the ballot's threshold and
//! quorum ([`RegulationParams::apply_to_ballot`]) and the proposal limits
//! ([`RegulationParams::proposal_config`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ballot::{BallotSpec, Quorum};
use crate::catalogue::Catalogue;
use crate::error::DomainError;
use crate::proposal::{limits_text, parse_limits, AwardRule, ProposalConfig};
use crate::share::{Base, Threshold};

/// Parameters of one cluster-year's regulation: what the round's rubric,
/// the ballot's threshold and quorum and the proposal limits are read from
/// ([`RegulationParams::ballot_rules`], [`RegulationParams::proposal_config`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredRegulation")]
pub struct RegulationParams {
    /// Number, date and title of the regulation as signed.
    #[serde(default)]
    pub title: String,
    /// Key of the scoring rubric the cluster uses (empty until chosen).
    #[serde(default)]
    pub rubric: String,
    /// Share of the votes (percent) a member needs to be proposed; `None`
    /// until set.
    #[serde(default)]
    pub ballot_threshold_percent: Option<Decimal>,
    /// What that share is counted on; `None` reads as the council's whole
    /// membership, as the law counts its own shares (Điều 33 k5 Nghị định
    /// 152/2025/NĐ-CP), which a regulation may change (Điều 6 k2).
    #[serde(default)]
    pub ballot_base: Option<Base>,
    /// Least share of the voters present for a ballot to count, e.g. 2/3.
    #[serde(default)]
    pub ballot_quorum: Option<Quorum>,
    /// How many members may be proposed for which award, highest first
    /// (the syntax of [`parse_limits`]).
    #[serde(default)]
    pub proposal_limits: Vec<AwardRule>,
}

/// The stored form, read leniently: regulations saved before the limits
/// had ranks and ballots kept `proposal_quotas` as award → count.
#[derive(Deserialize)]
struct StoredRegulation {
    #[serde(default)]
    title: String,
    #[serde(default)]
    rubric: String,
    #[serde(default)]
    ballot_threshold_percent: Option<Decimal>,
    #[serde(default)]
    ballot_base: Option<Base>,
    #[serde(default)]
    ballot_quorum: Option<Quorum>,
    #[serde(default)]
    proposal_limits: Vec<AwardRule>,
    #[serde(default)]
    proposal_quotas: BTreeMap<String, u32>,
}

impl From<StoredRegulation> for RegulationParams {
    fn from(s: StoredRegulation) -> Self {
        let mut limits = s.proposal_limits;
        if limits.is_empty() && !s.proposal_quotas.is_empty() {
            let cat = Catalogue::embedded();
            limits = s
                .proposal_quotas
                .into_iter()
                .map(|(award, max_count)| AwardRule {
                    title: cat
                        .get(&award)
                        .map_or_else(|| award.clone(), |a| a.name.clone()),
                    award,
                    max_count,
                    top_k: None,
                    requires_ballot: false,
                })
                .collect();
        }
        Self {
            title: s.title,
            rubric: s.rubric,
            ballot_threshold_percent: s.ballot_threshold_percent,
            ballot_base: s.ballot_base,
            ballot_quorum: s.ballot_quorum,
            proposal_limits: limits,
        }
    }
}

/// The regulation form as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegulationForm<'a> {
    pub title: &'a str,
    pub rubric: &'a str,
    /// Percent, `70` or `66,67`; empty: not set.
    pub threshold: &'a str,
    /// [`Base::code`]; empty: the whole membership.
    pub base: &'a str,
    /// `2/3`; empty: not set.
    pub quorum: &'a str,
    /// [`parse_limits`]' syntax.
    pub limits: &'a str,
}

impl RegulationParams {
    /// Parses the form.
    ///
    /// # Errors
    /// A threshold outside 0–100, an unknown base, a quorum that is not
    /// `a/b` with 0 < a ≤ b, a limit line that does not parse or names an
    /// award not in the catalogue.
    pub fn parse(catalogue: &Catalogue, f: &RegulationForm<'_>) -> Result<Self, DomainError> {
        let threshold = match f.threshold.trim() {
            "" => None,
            t => {
                let d = crate::number::parse_vi(t)
                    .ok()
                    .filter(|d| *d > Decimal::ZERO && *d <= Decimal::ONE_HUNDRED)
                    .ok_or_else(|| {
                        DomainError::invalid(
                            "ballot_threshold_percent",
                            format!("Tỷ lệ phiếu «{t}» phải là số lớn hơn 0 và không quá 100."),
                        )
                    })?;
                Some(d.normalize())
            }
        };
        let ballot_base = match f.base.trim() {
            "" => None,
            b => Some(Base::from_code(b).ok_or_else(|| {
                DomainError::invalid(
                    "ballot_base",
                    format!("Cơ sở tính tỷ lệ phiếu «{b}» không hợp lệ."),
                )
            })?),
        };
        let ballot_quorum = match f.quorum.trim() {
            "" => None,
            q => {
                let bad = || {
                    DomainError::invalid(
                        "ballot_quorum",
                        format!("Tỷ lệ tham gia tối thiểu «{q}» phải có dạng tử số/mẫu số, vd. 2/3, với 0 < tử số ≤ mẫu số."),
                    )
                };
                let (n, d) = q.split_once('/').ok_or_else(bad)?;
                let num: u32 = n.trim().parse().map_err(|_| bad())?;
                let den: u32 = d.trim().parse().map_err(|_| bad())?;
                if num == 0 || den == 0 || num > den {
                    return Err(bad());
                }
                Some(Quorum { num, den })
            }
        };
        Ok(Self {
            title: f.title.split_whitespace().collect::<Vec<_>>().join(" "),
            rubric: f.rubric.trim().to_owned(),
            ballot_threshold_percent: threshold,
            ballot_base,
            ballot_quorum,
            proposal_limits: parse_limits(catalogue, "proposal_limits", f.limits)?,
        })
    }

    /// The limits as the form shows them, one per line.
    #[must_use]
    pub fn limits_text(&self) -> String {
        limits_text(&self.proposal_limits)
    }

    /// The limit set for `award`, if any.
    #[must_use]
    pub fn limit(&self, award: &str) -> Option<&AwardRule> {
        self.proposal_limits.iter().find(|r| r.award == award)
    }

    /// The ballot's pass threshold and quorum as the regulation sets them.
    ///
    /// # Errors
    /// The regulation sets no vote share or no quorum (named, so the officer
    /// knows what to complete).
    pub fn ballot_rules(&self) -> Result<(Threshold, Quorum), DomainError> {
        let percent = self.ballot_threshold_percent.ok_or_else(|| {
            DomainError::invalid(
                "ballot_threshold_percent",
                "Quy chế của cụm, khối chưa đặt tỷ lệ phiếu đồng ý tối thiểu.",
            )
        })?;
        let quorum = self.ballot_quorum.ok_or_else(|| {
            DomainError::invalid(
                "ballot_quorum",
                "Quy chế của cụm, khối chưa đặt tỷ lệ cử tri tham gia tối thiểu.",
            )
        })?;
        Ok((
            Threshold::new(percent, self.ballot_base.unwrap_or(Base::Eligible)),
            quorum,
        ))
    }

    /// Sets a ballot's threshold and quorum from the regulation: a ballot of
    /// a cluster is judged by the cluster's rules, never by retyped numbers.
    ///
    /// # Errors
    /// As [`RegulationParams::ballot_rules`].
    pub fn apply_to_ballot(&self, spec: &mut BallotSpec) -> Result<(), DomainError> {
        let (threshold, quorum) = self.ballot_rules()?;
        spec.threshold = threshold;
        spec.quorum = quorum;
        Ok(())
    }

    /// The proposal limits as the proposal step reads them.
    ///
    /// # Errors
    /// The regulation sets no limit.
    pub fn proposal_config(
        &self,
        one_award_per_member: bool,
    ) -> Result<ProposalConfig, DomainError> {
        if self.proposal_limits.is_empty() {
            return Err(DomainError::invalid(
                "proposal_limits",
                "Quy chế của cụm, khối chưa đặt số lượng được đề nghị theo hình thức khen thưởng.",
            ));
        }
        Ok(ProposalConfig {
            rules: self.proposal_limits.clone(),
            one_award_per_member,
        })
    }
}

/// Who led a cluster in an earlier year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastLeadership<U> {
    pub year: i32,
    pub leader: Option<U>,
    pub deputy: Option<U>,
}

/// Suggests next year's leader and deputy among `members` (in the order
/// the regulation lists them).
///
/// The rule, since no text fixes one (see the module note): the leader is
/// the member that has led least recently — never before, or longest ago —
/// ties going to the first in the regulation's order; the deputy is the
/// next member by the same rule. The officer may choose otherwise; this is
/// only what the form proposes.
#[must_use]
pub fn suggest_rotation<U: Copy + PartialEq>(
    members: &[U],
    history: &[PastLeadership<U>],
) -> (Option<U>, Option<U>) {
    let last_led = |u: U| {
        history
            .iter()
            .filter(|h| h.leader == Some(u))
            .map(|h| h.year)
            .max()
    };
    let mut order: Vec<(Option<i32>, usize, U)> = members
        .iter()
        .enumerate()
        .map(|(i, u)| (last_led(*u), i, *u))
        .collect();
    // `None` (never led) sorts before any year.
    order.sort_by_key(|(y, i, _)| (*y, *i));
    let mut it = order.into_iter().map(|(_, _, u)| u);
    (it.next(), it.next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_member_that_led_least_recently_leads_next_and_ties_follow_the_regulations_order() {
        let members = [1, 2, 3, 4];
        let history = [
            PastLeadership {
                year: 2017,
                leader: Some(3),
                deputy: Some(1),
            },
            PastLeadership {
                year: 2018,
                leader: Some(1),
                deputy: Some(2),
            },
        ];
        // 2 and 4 never led: 2 comes first in the list.
        assert_eq!(suggest_rotation(&members, &history), (Some(2), Some(4)));
        let history = [
            PastLeadership {
                year: 2016,
                leader: Some(2),
                deputy: None,
            },
            PastLeadership {
                year: 2017,
                leader: Some(4),
                deputy: None,
            },
            PastLeadership {
                year: 2018,
                leader: Some(3),
                deputy: None,
            },
            PastLeadership {
                year: 2019,
                leader: Some(1),
                deputy: None,
            },
        ];
        assert_eq!(suggest_rotation(&members, &history), (Some(2), Some(4)));
        assert_eq!(suggest_rotation::<i32>(&[], &history), (None, None));
    }

    fn form<'a>(threshold: &'a str, quorum: &'a str, limits: &'a str) -> RegulationForm<'a> {
        RegulationForm {
            threshold,
            quorum,
            limits,
            ..RegulationForm::default()
        }
    }

    #[test]
    fn regulation_parameters_are_checked_against_the_catalogue() {
        let cat = Catalogue::embedded();
        let p = RegulationParams::parse(
            &cat,
            &RegulationForm {
                title: " Quy chế   số 01/QC-CTĐ ",
                rubric: "tay-nam-bo",
                threshold: "70",
                base: "",
                quorum: "2/3",
                limits: "co-thi-dua-chinh-phu: 2\n\n",
            },
        )
        .unwrap();
        assert_eq!(p.title, "Quy chế số 01/QC-CTĐ");
        assert_eq!(p.ballot_threshold_percent, Some(Decimal::from(70)));
        assert_eq!(p.limits_text(), "co-thi-dua-chinh-phu: 2");
        assert!(RegulationParams::parse(&cat, &form("120", "", "")).is_err());
        assert!(RegulationParams::parse(&cat, &form("", "3/2", "")).is_err());
        assert!(RegulationParams::parse(&cat, &form("", "", "khong-co: 1")).is_err());
        assert!(RegulationParams::parse(&cat, &form("", "", "co-thi-dua-chinh-phu: hai")).is_err());
    }

    #[test]
    fn the_ballot_of_a_cluster_takes_the_regulations_threshold_and_quorum() {
        let cat = Catalogue::embedded();
        let p = RegulationParams::parse(&cat, &form("66,67", "3/4", "")).unwrap();
        let mut spec = BallotSpec {
            title: "Bình xét".into(),
            question: crate::ballot::Question::YesNo,
            candidates: vec![],
            eligible: 12,
            quorum: Quorum { num: 1, den: 2 },
            threshold: Threshold::new(Decimal::from(50), Base::ValidBallots),
        };
        p.apply_to_ballot(&mut spec).unwrap();
        assert_eq!(spec.quorum, Quorum { num: 3, den: 4 });
        // Counted on all members unless the regulation says otherwise.
        assert_eq!(
            spec.threshold,
            Threshold::new(Decimal::new(6667, 2), Base::Eligible)
        );
        let unset = RegulationParams::parse(&cat, &form("70", "", "")).unwrap();
        let err = unset.apply_to_ballot(&mut spec).unwrap_err();
        assert_eq!(err.field(), "ballot_quorum");
    }

    #[test]
    fn the_proposals_of_a_cluster_follow_its_regulations_limits_and_their_changes() {
        use crate::proposal::propose;
        use crate::ranking::Ranked;
        let cat = Catalogue::embedded();
        let ranking: Vec<Ranked> = ["hau-giang", "long-an", "ben-tre", "soc-trang"]
            .iter()
            .enumerate()
            .map(|(i, m)| Ranked {
                rank: u32::try_from(i).unwrap() + 1,
                member: (*m).into(),
                total: Decimal::from(95 - i32::try_from(i).unwrap()),
                band: None,
                tied_with: vec![],
                explanation: String::new(),
            })
            .collect();
        let proposed = |limits: &str| {
            let reg = RegulationParams::parse(&cat, &form("", "", limits)).unwrap();
            let config = reg.proposal_config(true).unwrap();
            propose(&ranking, &BTreeMap::new(), &config)
                .unwrap()
                .proposals
                .into_iter()
                .map(|p| (p.award, p.member.0))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            proposed("co-thi-dua-cap-tinh: 1\nbang-khen-cap-tinh: 2"),
            [
                ("co-thi-dua-cap-tinh".to_owned(), "hau-giang".to_owned()),
                ("bang-khen-cap-tinh".to_owned(), "long-an".to_owned()),
                ("bang-khen-cap-tinh".to_owned(), "ben-tre".to_owned()),
            ]
        );
        // The regulation changes: two flags, certificates only for the top 3.
        assert_eq!(
            proposed("co-thi-dua-cap-tinh: 2\nbang-khen-cap-tinh: 2 | 3"),
            [
                ("co-thi-dua-cap-tinh".to_owned(), "hau-giang".to_owned()),
                ("co-thi-dua-cap-tinh".to_owned(), "long-an".to_owned()),
                ("bang-khen-cap-tinh".to_owned(), "ben-tre".to_owned()),
            ]
        );
        let none = RegulationParams::parse(&cat, &form("70", "2/3", "")).unwrap();
        assert_eq!(
            none.proposal_config(true).unwrap_err().field(),
            "proposal_limits"
        );
    }

    #[test]
    fn a_regulation_saved_with_counts_only_still_reads() {
        let old = r#"{"title":"QC","rubric":"","ballot_threshold_percent":"70","proposal_quotas":{"co-thi-dua-chinh-phu":2}}"#;
        let p: RegulationParams = serde_json::from_str(old).unwrap();
        let l = p.limit("co-thi-dua-chinh-phu").unwrap();
        assert_eq!((l.max_count, l.top_k, l.requires_ballot), (2, None, false));
        assert_eq!(l.title, "Cờ thi đua của Chính phủ");
        let again: RegulationParams =
            serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(again, p);
    }
}
