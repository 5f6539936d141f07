//! The integration tests of tdkt-web, one binary (STYLE.md): each module is
//! one subject's tests.

mod award_import;
mod awards;
mod ballots;
mod certificates;
mod clusters;
mod dossiers;
mod eligibility;
mod evaluations;
mod http;
mod movements;
mod proposals;
mod rule_packs;
mod scoring;
mod security;
