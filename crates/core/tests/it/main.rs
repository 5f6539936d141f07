//! The integration tests of tdkt-core, one binary (STYLE.md): each module is
//! one subject's tests.

mod eligibility;
mod overlays;
mod packs;
mod proposal_checks;
mod review_tay_nam_bo;
