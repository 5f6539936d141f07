//! The integration tests of tdkt-store, one binary (STYLE.md): each module is
//! one subject's tests.

mod achievements;
mod audit_log;
mod awards;
mod ballots;
mod certificates;
mod councils;
mod decision_drafts;
mod decisions;
mod disclosures;
mod dossier_tracks;
mod dossiers;
mod evaluations;
mod foundation;
mod import_jobs;
mod integrity;
mod newest;
mod positions;
mod proposals;
mod ratings;
mod replica;
mod rule_scope;
mod scoped;
mod server;
mod throttle;
