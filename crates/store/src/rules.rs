//! The rules bundle the process runs on ([`tdkt_core::rules::Rules`]:
//! catalogue, rule packs, working-day calendar, base salaries), installed
//! once at start-up and read by every part that judges.
//!
//! Why a process-wide value rather than a field of [`crate::Store`]: the
//! catalogue is read from free functions all over the store and the web
//! (`awards::catalogue()`, the eligibility routes' `rules()`), and a
//! deployment runs one set of rules, read from its rules directory when the
//! process starts (`tdkt --rules-dir DIR`; a change takes effect on
//! restart). Installing it behind those accessors leaves their call sites
//! unchanged. Without an install, the rules compiled into the binary are
//! used.

use std::sync::OnceLock;

use tdkt_core::rules::Rules;

static RULES: OnceLock<Rules> = OnceLock::new();

/// Installs the process's rules. Call once, before anything reads them.
///
/// # Errors
/// The rules were already installed or already read (the compiled-in
/// default then stays): the bundle is handed back.
pub fn install(rules: Rules) -> Result<(), Box<Rules>> {
    RULES.set(rules).map_err(Box::new)
}

/// The rules in force in this process: the installed bundle, else the
/// compiled-in one.
pub fn current() -> &'static Rules {
    RULES.get_or_init(Rules::embedded)
}
