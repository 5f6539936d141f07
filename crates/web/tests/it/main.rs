//! The integration tests of tdkt-web, one binary (STYLE.md): each module is
//! one subject's tests.

mod achievement_reports;
mod audit_log;
mod authz;
mod award_import;
mod awards;
mod ballots;
mod certificates;
mod clusters;
mod confirmations;
mod councils;
mod data_safety;
mod decision_drafts;
mod decisions;
mod disclosures;
mod dossier_tracks;
mod dossiers;
mod eligibility;
mod evaluations;
mod home;
mod http;
mod import_templates;
mod journey;
mod lists;
mod movements;
mod people_list;
mod pickers;
mod positions;
mod proposals;
mod route_matrix;
mod rubric_editor;
mod rule_packs;
mod scoring;
mod security;
