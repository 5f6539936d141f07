//! Demo data (`tdkt serve --demo`): the Mekong Delta provinces, the five
//! centrally-run cities and their 2025 reorganisation (Nghị quyết
//! 202/2025/QH15), some departments of Hậu Giang (seed 004), people and one
//! account per role, and a few dozen award decisions, some of them of units
//! merged on 01/7/2025. The data lives in `data/demo/*.csv`; it goes through
//! the same validated, audited store calls as anything an officer enters
//! (the awards through the file import, as an office's spreadsheet would).

use tdkt_core::access::Role;
use tdkt_core::lineage::LineageKind;
use tdkt_core::org::NewUnit;
use tdkt_core::person::NewPerson;
use tdkt_core::{date, DomainError};

mod dossiers;
mod proposals;
mod year;

pub use dossiers::load_dossiers;

use crate::units::NewLineageEvent;
use crate::{Result, Store};

const KINDS: &str = include_str!("../../../data/demo/kinds.csv");
const UNITS: &str = include_str!("../../../data/demo/units.csv");
const LINEAGE: &str = include_str!("../../../data/demo/lineage.csv");
const PEOPLE: &str = include_str!("../../../data/demo/people.csv");
const USERS: &str = include_str!("../../../data/demo/users.csv");
const AWARDS: &str = include_str!("../../../data/demo/awards.csv");
const AUTHORITIES: &str = include_str!("../../../data/demo/authorities.csv");
const DECISION: &str = include_str!("../../../data/demo/decision-can-tho.csv");
const COUNCIL: &str = include_str!("../../../data/demo/council-can-tho.csv");

/// Password of every demo account (printed by `serve --demo`; demo only).
pub const DEMO_PASSWORD: &str = "tdkt-demo-2026";
const ACTOR: &str = "demo";

fn rows(src: &str) -> impl Iterator<Item = csv::StringRecord> + '_ {
    csv::Reader::from_reader(src.as_bytes())
        .into_records()
        .map(|r| r.expect("demo CSV is well-formed"))
}

fn day(s: &str) -> Result<time::Date> {
    date::parse(s).map_err(|m| DomainError::invalid("date", m).into())
}

/// Unit kinds only: every installation needs them, demo or not.
///
/// # Errors
/// Database failure.
pub async fn load_kinds(store: &Store) -> Result<()> {
    let existing = store.unit_kinds().await?;
    for r in rows(KINDS) {
        if !existing.iter().any(|k| k.code == r[0]) {
            store
                .add_unit_kind(ACTOR, &r[0], &r[1], r[2].parse().unwrap_or(9))
                .await?;
        }
    }
    Ok(())
}

/// Loads the whole demo set into an empty database.
///
/// # Errors
/// Any refusal by the store (the demo data must satisfy every rule).
pub async fn load(store: &Store) -> Result<()> {
    load_without_awards(store).await?;
    load_awards(store).await?;
    load_decisions(store).await
}

/// The demo set with an empty award registry (for tests that count what
/// they import).
///
/// # Errors
/// Any refusal by the store.
pub async fn load_without_awards(store: &Store) -> Result<()> {
    load_kinds(store).await?;
    for r in rows(UNITS) {
        let parent = (!r[3].is_empty()).then(|| &r[3]);
        let to = if r[5].is_empty() {
            None
        } else {
            Some(day(&r[5])?)
        };
        let u = NewUnit::parse(&r[0], &r[1], &r[2], parent, day(&r[4])?, to)?;
        store.create_unit(ACTOR, &u).await?;
    }
    for r in rows(LINEAGE) {
        let split = |s: &str| {
            s.split('|')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        store
            .record_lineage(
                ACTOR,
                &NewLineageEvent {
                    kind: LineageKind::parse(&r[0])?,
                    effective: day(&r[1])?,
                    from: split(&r[2]),
                    to: split(&r[3]),
                    new_value: (!r[4].is_empty()).then(|| r[4].to_owned()),
                    note: r[5].to_owned(),
                },
            )
            .await?;
    }
    let today = date::today_vn();
    for r in rows(PEOPLE) {
        let p = NewPerson::parse(
            &r[0],
            &r[1],
            &r[2],
            &r[3],
            &r[4],
            &r[5],
            &r[6] == "true",
            today,
        )?;
        store.create_person(ACTOR, &p, day(&r[7])?).await?;
    }
    for r in rows(USERS) {
        let scope = (!r[3].is_empty()).then(|| &r[3]);
        store
            .create_account(
                ACTOR,
                &r[0],
                DEMO_PASSWORD,
                &r[1],
                Role::parse(&r[2])?,
                scope,
            )
            .await?;
    }
    Ok(())
}

/// `data/demo/awards.csv` through the file import, as an office would.
async fn load_awards(store: &Store) -> Result<()> {
    let (header, rows, _) = crate::awards::file::read_bytes("awards.csv", AWARDS.into())
        .map_err(|e| DomainError::invalid("awards", e.to_string()))?;
    let opts = crate::awards::import::ImportOptions {
        source_name: "data/demo/awards.csv".into(),
        ..Default::default()
    };
    let report = store
        .import_awards(ACTOR, &header, rows, &opts, &|_| {})
        .await?;
    if let Some(e) = report.file.rejected.first() {
        return Err(DomainError::invalid("awards", e.to_string()).into());
    }
    Ok(())
}

/// The deciding authorities (`data/demo/authorities.csv`), a receipt of
/// Cần Thơ's fund, and decision 15/QĐ-UBND of Cần Thơ drafted from
/// `data/demo/decision-can-tho.csv` and issued through the flow (its
/// registry records, amounts and fund payment written by the issue).
///
/// # Errors
/// Any refusal by the store.
pub async fn load_decisions(store: &Store) -> Result<()> {
    use crate::decisions::AuthorityInput;
    use tdkt_core::decision::{NewDecision, NewReceipt, Symbol, DEFAULT_BASES};
    for r in rows(AUTHORITIES) {
        let unit = store.unit_by_code(&r[0]).await?;
        store
            .set_decision_authority(
                ACTOR,
                unit.id,
                &AuthorityInput {
                    abbreviation: r[1].to_owned(),
                    body: r[2].to_owned(),
                    parent_body: r[3].to_owned(),
                    place: r[4].to_owned(),
                    signer_title: r[5].to_owned(),
                },
            )
            .await?;
    }
    let can_tho = store.unit_by_code("can-tho").await?;
    let today = date::today_vn();
    // after the base salary of 01/7/2026 when the clock allows
    let decided = std::cmp::min(time::macros::date!(2026 - 11 - 20), today);
    let receipt = NewReceipt::parse(
        &format!("{}-01-15", decided.year()),
        "500.000.000",
        "Ngân sách thành phố cấp cho Quỹ thi đua, khen thưởng",
        today,
    )?;
    store.add_fund_receipt(ACTOR, can_tho.id, &receipt).await?;
    let (header, lines, _) = crate::awards::file::read_bytes("decision.csv", DECISION.into())
        .map_err(|e| DomainError::invalid("decision", e.to_string()))?;
    let recipients = match store.read_recipients(&header, lines).await? {
        Ok(r) => r,
        Err(errors) => {
            return Err(DomainError::invalid("decision", errors[0].to_string()).into());
        }
    };
    let d = NewDecision::parse(
        &Symbol::parse("UBND")?,
        "15",
        &decided.to_string(),
        "Nguyễn Thực Hiện",
        "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
        "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân thành phố",
        &format!("{DEFAULT_BASES}\nXét đề nghị của Giám đốc Sở Nội vụ thành phố Cần Thơ."),
        None,
        today,
    )?;
    let id = store
        .create_decision(ACTOR, can_tho.id, &d, &recipients.lines, &recipients.names)
        .await?;
    store.issue_decision(ACTOR, id).await?;
    Ok(())
}

/// The council (*Hội đồng TĐKT*) of Cần Thơ (`data/demo/council-can-tho.csv`):
/// the viewer account as chair, the officer as secretary, `hoidong.cantho`
/// as member. Not part of [`load`]: a council gates the forward of the
/// dossiers that need its vote (`Store::council_gate`), which tests built on
/// [`load`] do not expect; `load_dossiers` (the CLI's demo) calls it.
///
/// # Errors
/// Any refusal by the store.
pub async fn load_council(store: &Store) -> Result<i64> {
    let unit = store.unit_by_code("can-tho").await?;
    for r in rows(COUNCIL) {
        let m = crate::councils::NewMember::parse(&r[0], &r[1], &r[2], &r[3])?;
        store.add_council_member(ACTOR, unit.id, &m).await?;
    }
    Ok(unit.id)
}
