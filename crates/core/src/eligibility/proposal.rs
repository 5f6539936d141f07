//! Checks on a unit's proposal list for one award and year: the quota
//! clauses of the rule in force (e.g. a share of those rated *Lao động tiên
//! tiến*), refused with the count and the citation when over; and the vote
//! clauses, against each candidate's share of the council's votes.

use time::Date;

use super::clause::{Quota, QuotaBase, Test, Vote};
use super::eval::{ClauseResult, EvalContext, QuotaInput, Status};
use super::pack::RuleSet;
use crate::catalogue::AwardId;
use crate::share::{Base, Share};

/// Outcome of the quota check for a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuotaCheck {
    pub award: String,
    pub proposed: u32,
    /// The base of each clause, in the order of `clauses`.
    pub bases: Vec<u32>,
    /// One row per quota clause of the rule in force; empty when the rule sets none.
    pub clauses: Vec<ClauseResult>,
}

impl QuotaCheck {
    /// Within every quota (or none applies).
    #[must_use]
    pub fn ok(&self) -> bool {
        self.clauses.iter().all(|c| c.status == Status::Pass)
    }
}

impl RuleSet {
    /// What the quota clauses of `award`'s rule in force on `at` are shares
    /// of: the store counts each before [`RuleSet::check_quota_with`].
    #[must_use]
    pub fn quota_bases(&self, award: AwardId, at: Date) -> Vec<QuotaBase> {
        self.rule_for(award, at)
            .into_iter()
            .flat_map(|r| r.clauses.iter())
            .filter_map(|c| match &c.test {
                Test::Quota(Quota { base, .. }) => Some(base.clone()),
                _ => None,
            })
            .collect()
    }

    /// Does `award`'s rule in force on `at` need a council vote?
    #[must_use]
    pub fn needs_vote(&self, award: AwardId, at: Date) -> bool {
        self.rule_for(award, at)
            .is_some_and(|r| r.clauses.iter().any(|c| matches!(c.test, Test::Vote(_))))
    }

    /// What the vote clause of `award`'s rule in force on `at` counts its
    /// share on (the council's whole membership unless the pack says
    /// otherwise, Điều 33 k5 Nghị định 152/2025/NĐ-CP); `None` without a
    /// vote clause.
    #[must_use]
    pub fn vote_base(&self, award: AwardId, at: Date) -> Option<Base> {
        self.rule_for(award, at)?
            .clauses
            .iter()
            .find_map(|c| match c.test {
                Test::Vote(Vote { threshold }) => Some(threshold.base),
                _ => None,
            })
    }

    /// Checks `proposed` nominations out of `base` against the quota clauses
    /// of `award`'s rule in force on `ctx.at` (every clause on the same base).
    #[must_use]
    pub fn check_quota(
        &self,
        award: AwardId,
        ctx: &EvalContext,
        proposed: u32,
        base: u32,
    ) -> QuotaCheck {
        self.check_quota_with(award, ctx, proposed, |_| base)
    }

    /// Checks `proposed` nominations against each quota clause, whose base
    /// `base_of` counts.
    #[must_use]
    pub fn check_quota_with(
        &self,
        award: AwardId,
        ctx: &EvalContext,
        proposed: u32,
        base_of: impl Fn(&QuotaBase) -> u32,
    ) -> QuotaCheck {
        let mut clauses = Vec::new();
        let mut bases = Vec::new();
        if let Some(rule) = self.rule_for(award, ctx.at) {
            for cl in &rule.clauses {
                let Test::Quota(Quota { base: spec, .. }) = &cl.test else {
                    continue;
                };
                let base = base_of(spec);
                let ctx = EvalContext {
                    quota: Some(QuotaInput { proposed, base }),
                    ..*ctx
                };
                bases.push(base);
                clauses.push(self.explain_clause(cl, &ctx));
            }
        }
        QuotaCheck {
            award: self.catalogue.award(award).code.clone(),
            proposed,
            bases,
            clauses,
        }
    }

    /// The vote clauses of `award`'s rule in force on `ctx.at`, against a
    /// candidate's share (`None`: no minutes or ballot yet, *chờ bình xét*).
    #[must_use]
    pub fn check_vote(
        &self,
        award: AwardId,
        ctx: &EvalContext,
        share: Option<Share>,
    ) -> Vec<ClauseResult> {
        let ctx = EvalContext {
            vote: share,
            ..*ctx
        };
        self.rule_for(award, ctx.at)
            .into_iter()
            .flat_map(|r| r.clauses.iter())
            .filter(|c| matches!(c.test, Test::Vote(_)))
            .map(|c| self.explain_clause(c, &ctx))
            .collect()
    }
}
