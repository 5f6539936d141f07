//! Test helpers for the clause kinds: a one-rule pack compiled against the
//! shipped catalogue, its refusals, and a clause explained on a history.

use super::super::pack::{check_packs, RuleSet};
use super::super::{ClauseResult, EvalContext, History};
use crate::catalogue::Catalogue;

const HEADER: &str =
    "[pack]\nid = \"mau\"\ntitle = \"Mẫu\"\neffective_from = \"2020-01-01\"\n\n[[rule]]\n";

/// A pack with one rule for `award` whose only clause is `clause` (the
/// lines after `[[rule.clause]]`, without `id` and `citation`).
fn source(award: &str, clause: &str) -> String {
    format!("{HEADER}award = \"{award}\"\ncitation = \"thử nghiệm\"\n\n[[rule.clause]]\nid = \"c\"\ncitation = \"thử nghiệm\"\n{clause}\n")
}

/// The rule set of that pack.
pub(crate) fn compiled(award: &str, clause: &str) -> RuleSet {
    let src = source(award, clause);
    check_packs(Catalogue::embedded(), &[("rules/mau.toml", &src)])
        .unwrap_or_else(|e| panic!("{}", e[0]))
}

/// Why the pack is refused, every message joined.
pub(crate) fn refused(award: &str, clause: &str) -> String {
    let src = source(award, clause);
    match check_packs(Catalogue::embedded(), &[("rules/mau.toml", &src)]) {
        Ok(_) => panic!("expected «{clause}» to be refused"),
        Err(e) => e
            .iter()
            .map(|x| x.message.clone())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// The clause's row for `h` in year `year`.
pub(crate) fn row(award: &str, clause: &str, h: &History<'_>, ctx: &EvalContext) -> ClauseResult {
    let rules = compiled(award, clause);
    let id = rules.catalogue().id(award).expect("award in the catalogue");
    rules
        .explain(id, h, ctx)
        .row("c")
        .cloned()
        .expect("the clause's row")
}

/// A civil date.
pub(crate) fn d(y: i32, m: u8, day: u8) -> time::Date {
    let m = time::Month::try_from(m).expect("a month");
    time::Date::from_calendar_date(y, m, day).expect("a date")
}

/// `code` held in `year` by a made-up decision.
pub(crate) fn held(code: &str, year: i32) -> crate::eligibility::AwardHeld<'static> {
    crate::eligibility::AwardHeld {
        award: Catalogue::embedded()
            .id(code)
            .expect("award in the catalogue"),
        year,
        decision: "01/QĐ-UBND",
        via: None,
    }
}
