//! The integration tests of tdkt-cli, one binary (STYLE.md): each module is
//! one subject's tests.

mod audit_checkpoint;
mod awards;
mod backup;
mod certificates;
mod clusters;
mod decisions;
mod eligibility;
mod remind;
mod rules_check;
mod rules_dir;
mod support;
mod two_servers;
mod verify_audit;
