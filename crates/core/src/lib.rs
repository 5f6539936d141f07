//! Pure domain of tdkt: the rules of *thi đua, khen thưởng* and the data they
//! speak about. No I/O, no async, no SQL: give it data, get decisions and
//! explanations back, so every rule is testable in milliseconds.

pub mod access;
pub mod audit;
pub mod ballot;
pub mod catalogue;
pub mod cccd;
pub mod certificate;
pub mod council;
pub mod csv_cell;
pub mod date;
pub mod decision;
pub mod dossier;
pub mod eligibility;
pub mod error;
pub mod evaluation;
pub mod import;
pub mod limits;
pub mod lineage;
pub mod movement;
pub mod number;
pub mod org;
pub mod period;
pub mod person;
pub mod pledge;
pub mod points;
pub mod proposal;
pub mod ranking;
pub mod rating;
pub mod regulation;
pub mod reminder;
pub mod review;
pub mod revocation;
pub mod reward;
pub mod rubric;
pub mod rules;
pub mod scoring;
pub mod share;
pub mod tenure;
pub mod text;
pub mod throttle;
pub mod workdays;

pub use error::{DomainError, FieldError};
