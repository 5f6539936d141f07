//! Checks on a unit's proposal list for one award and year: the quota
//! clauses of the rule in force (e.g. a share of those rated *Lao động tiên
//! tiến*), refused with the count and the citation when over.

use super::eval::{ClauseResult, EvalContext, QuotaInput, Status};
use super::pack::{RuleSet, Test};
use crate::catalogue::AwardId;

/// Outcome of the quota check for a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuotaCheck {
    pub award: String,
    pub proposed: u32,
    pub base: u32,
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
    /// Checks `proposed` nominations out of `base` against the quota clauses
    /// of `award`'s rule in force on `ctx.at`.
    #[must_use]
    pub fn check_quota(
        &self,
        award: AwardId,
        ctx: &EvalContext,
        proposed: u32,
        base: u32,
    ) -> QuotaCheck {
        let ctx = EvalContext {
            quota: Some(QuotaInput { proposed, base }),
            ..*ctx
        };
        let mut clauses = Vec::new();
        if let Some(rule) = self.rule_for(award, ctx.at) {
            for cl in rule
                .clauses
                .iter()
                .filter(|c| matches!(c.test, Test::Quota { .. }))
            {
                clauses.push(self.explain_clause(cl, &ctx));
            }
        }
        QuotaCheck {
            award: self.catalogue.award(award).code.clone(),
            proposed,
            base,
            clauses,
        }
    }
}
