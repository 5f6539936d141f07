//! The integration tests of tdkt-store, one binary (STYLE.md): each module is
//! one subject's tests.

mod audit_log;
mod awards;
mod ballots;
mod certificates;
mod decisions;
mod dossiers;
mod evaluations;
mod foundation;
mod integrity;
mod proposals;
mod ratings;
mod rule_scope;
mod scoped;
mod throttle;
