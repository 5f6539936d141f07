//! The integration tests of tdkt-store, one binary (STYLE.md): each module is
//! one subject's tests.

mod awards;
mod ballots;
mod certificates;
mod dossiers;
mod evaluations;
mod foundation;
mod proposals;
mod ratings;
mod rule_scope;
mod throttle;
