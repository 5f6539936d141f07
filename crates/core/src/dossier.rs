//! Dossiers (*hồ sơ đề nghị khen thưởng*, issue 14): the file that carries a
//! proposal for one award, for one or more recipients, up the levels to the
//! authority that decides it.
//!
//! Everything here is pure and answers from data:
//! - [`route`]: the levels a dossier climbs, from the award's deciding
//!   authority and the org tree on a date (NĐ 129/2025/NĐ-CP Điều 59 after
//!   the 2025 reform; Điều 80 Luật TĐKT 2022 before);
//! - [`machine`]: the states and the legal transitions (forward, return for
//!   supplement, reject, appraise, recommend another form, decided);
//! - [`procedure`]: the documents each award needs and the deadlines in
//!   working days, read from the catalogue files (`catalogue/ho-so.toml`,
//!   a province's overlay in `catalogue/tinh/`), and [`due`] which turns
//!   them into a date with [`crate::workdays`];
//! - [`disclosure`]: public disclosure before the council (khoản 2 Điều 44
//!   NĐ 152/2025/NĐ-CP): which awards, how many working days, whether it has
//!   run its period, public comments;
//! - [`Regime`]: which decree judges a dossier (NĐ 152/2025 Điều 60 khoản 3).
//!
//! The store keeps the state and the timeline and asks these functions
//! before every write; the web only shows what they answer.

pub mod disclosure;
pub mod machine;
pub mod procedure;
pub mod report_age;
pub mod route;
pub mod track;

#[cfg(test)]
mod tests;

use serde::Serialize;
use time::Date;

use crate::catalogue::Award;
use crate::workdays::{Calendar, CalendarError};

pub use machine::{next, Act, State, Status};
pub use procedure::{DeadlineKind, DocumentKind, Procedure, Procedures};
pub use route::{route, LevelClass, Route, RouteUnit};
pub use track::Track;

/// The day NĐ 152/2025/NĐ-CP came into force (Điều 59 khoản 1).
pub const ND152_IN_FORCE: Date = time::macros::date!(2025 - 07 - 01);

/// The decree a dossier is judged under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Regime {
    /// NĐ 98/2023/NĐ-CP.
    Nd98,
    /// NĐ 152/2025/NĐ-CP.
    Nd152,
}

impl Regime {
    /// A dossier received before 01/7/2025 is appraised, submitted and
    /// decided under NĐ 98/2023 (khoản 3 Điều 60 NĐ 152/2025/NĐ-CP); any later
    /// one under NĐ 152/2025 (Điều 59 khoản 1, 2).
    #[must_use]
    pub fn for_received(received: Date) -> Self {
        if received < ND152_IN_FORCE {
            Self::Nd98
        } else {
            Self::Nd152
        }
    }

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Nd98 => "nd-98-2023",
            Self::Nd152 => "nd-152-2025",
        }
    }

    /// # Errors
    /// An unknown code.
    pub fn parse(s: &str) -> Result<Self, crate::DomainError> {
        match s {
            "nd-98-2023" => Ok(Self::Nd98),
            "nd-152-2025" => Ok(Self::Nd152),
            _ => Err(crate::DomainError::invalid(
                "regime",
                format!("Chế độ áp dụng «{s}» không tồn tại."),
            )),
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Nd98 => "Nghị định 98/2023/NĐ-CP (hồ sơ nhận trước 01/7/2025, khoản 3 Điều 60 NĐ 152/2025/NĐ-CP)",
            Self::Nd152 => "Nghị định 152/2025/NĐ-CP",
        }
    }
}

/// One level of a dossier's route as the deadline needs it: its class and
/// the codes of its unit and the unit's ancestors, nearest first (what a
/// province's overlay is matched against).
#[derive(Debug, Clone, Copy)]
pub struct StepScope<'a> {
    pub class: LevelClass,
    pub scope: &'a [&'a str],
}

/// What [`due`] needs of a dossier.
#[derive(Debug, Clone, Copy)]
pub struct DueInput<'a> {
    pub award: &'a Award,
    pub steps: &'a [StepScope<'a>],
    pub state: State,
    /// The year of the achievements (a fixed cut-off day falls in it).
    pub year: i32,
    /// The day the dossier reached the level now holding it (not counted).
    pub arrived: Date,
    /// The day the holding level's appraisal found the dossier wanting: the
    /// refusal notice runs from it.
    pub found_wanting: Option<Date>,
    /// The procedure the dossier follows (its track's).
    pub procedure: Procedure,
}

/// A dossier's due date and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueDate {
    pub due: Date,
    pub kind: DeadlineKind,
    pub citation: String,
    /// Vietnamese lines: how the date was counted.
    pub explanation: Vec<String>,
}

/// The date by which the level holding a dossier must act, if the rules set
/// one: the earliest of its handling period (or, once its appraisal found
/// the dossier wanting, the refusal notice), counted in working days from
/// the day the dossier arrived, and a fixed day by which it must reach a
/// higher level of its route that a province's rules set (e.g. 10/12 in
/// Bắc Ninh). Settled dossiers (ready, rejected, decided) have none.
///
/// # Errors
/// A day of the period outside the working-day calendar.
pub fn due(
    procs: &Procedures,
    calendar: &Calendar,
    d: &DueInput<'_>,
) -> Result<Option<DueDate>, CalendarError> {
    if !matches!(
        d.state.status,
        Status::Draft | Status::Pending | Status::Returned
    ) {
        return Ok(None);
    }
    let Some(here) = d.steps.get(d.state.step) else {
        return Ok(None);
    };
    let mut best: Option<DueDate> = None;
    let mut consider = |c: DueDate| {
        if best.as_ref().is_none_or(|b| c.due < b.due) {
            best = Some(c);
        }
    };
    let (kind, from) = match d.found_wanting {
        Some(day) if d.state.status == Status::Pending => (DeadlineKind::Refusal, day),
        _ => (DeadlineKind::Handle, d.arrived),
    };
    if let Some(rule) = procs.deadline(kind, d.award, here.class, here.scope, from, d.procedure) {
        let counted = calendar.add_working_days(from, rule.days)?;
        consider(DueDate {
            due: counted.due,
            kind,
            citation: rule.citation.clone(),
            explanation: counted.lines(),
        });
    }
    for later in d.steps.iter().skip(d.state.step + 1) {
        let Some(rule) = procs.deadline(
            DeadlineKind::SubmitBy,
            d.award,
            later.class,
            later.scope,
            d.arrived,
            d.procedure,
        ) else {
            continue;
        };
        let Some((day, month)) = rule.day else {
            continue;
        };
        let Ok(date) = Date::from_calendar_date(d.year, month, day) else {
            continue;
        };
        consider(DueDate {
            due: date,
            kind: DeadlineKind::SubmitBy,
            citation: rule.citation.clone(),
            explanation: vec![format!(
                "Hồ sơ năm {} phải đến {} chậm nhất ngày {}.",
                d.year,
                later.class.label(),
                crate::date::format_vn(date)
            )],
        });
    }
    Ok(best)
}
