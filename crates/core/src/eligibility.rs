//! Eligibility engine: who qualifies for which title or form, under which
//! article, and what is still missing (issue 6).
//!
//! Rules are data: `rules/*.toml` packs, each with an effective period and a
//! citation on every clause, compiled once into a [`RuleSet`] by
//! [`check_packs`]. A subject's [`History`] goes in as plain data; out come a
//! [`Verdict`] (fast path, for scans) or an [`Explanation`] (clause by clause).
//!
//! Where things are: `pack.rs` reads a pack file (header, dates, overlays,
//! cross-pack checks), `rule.rs` compiles one `[[rule]]`, `clause/<kind>.rs`
//! holds everything about one kind of clause (e.g. "03 consecutive years of
//! *Chiến sĩ thi đua cơ sở*" is `clause/title_streak.rs`), `eval.rs` walks a
//! rule's tree of clauses, `proposal.rs` checks a proposal list.
//!
//! ```
//! use tdkt_core::eligibility::{EvalContext, History, RuleSet, Verdict};
//! let rules = RuleSet::embedded();
//! let ldtt = rules.catalogue().id("lao-dong-tien-tien").unwrap();
//! let v = rules.verdict(ldtt, &History::default(), &EvalContext::year_end(2025));
//! assert_eq!(v, Verdict::NeedsReview); // no rating for 2025 yet
//! ```

pub mod clause;
pub mod eval;
pub mod expr;
pub mod history;
pub mod pack;
pub mod proposal;
pub mod rule;
mod window;

pub use clause::QuotaBase;
pub use eval::{ClauseResult, EvalContext, Explanation, QuotaInput, Scanner, Status, Verdict};
pub use history::{
    inherited_rating, AwardHeld, Discipline, DisciplineLevel, History, Initiative, MemberYear,
    PredecessorRef, Rating, Scope, ServicePeriod, Supplied, YearRating,
};
pub use pack::{check_packs, Pack, RuleSet};
pub use proposal::QuotaCheck;
pub use rule::Rule;
