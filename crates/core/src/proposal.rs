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
use crate::points::vn;
use crate::ranking::Ranked;
use crate::scoring::MemberId;

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalConfig {
    pub rules: Vec<AwardRule>,
    pub one_award_per_member: bool,
}

/// A member's vote for an award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteShare {
    pub yes: u32,
    pub base: u32,
    pub share_percent: rust_decimal::Decimal,
}

/// One member proposed for one award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub award: String,
    pub member: MemberId,
    pub rank: u32,
    pub total: rust_decimal::Decimal,
    pub band: Option<String>,
    pub vote: Option<VoteShare>,
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
        let mut qualified: Vec<(&Ranked, Option<VoteShare>, Vec<String>)> = Vec::new();
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
                vn(r.total),
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
                        vote = Some(VoteShare {
                            yes: c.yes,
                            base: c.base,
                            share_percent: c.share_percent,
                        });
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
