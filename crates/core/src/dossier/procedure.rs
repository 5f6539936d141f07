//! Dossier procedure as data: the kinds of document a dossier may carry,
//! which of them each award requires, and the deadlines in working days at
//! each level. Read with the catalogue (`catalogue/ho-so.toml` and the
//! `documents` field of each `[[award]]`); a province's own rules live in a
//! file with an `[overlay]` header (`catalogue/tinh/*.toml`) scoped to its
//! unit and dated like a rule pack's `scope_unit`: there, `[[documents]]`
//! adds documents for some awards and a `[[deadline]]` overrides the
//! national one for dossiers passing through the province. The most
//! specific entry wins: the overlay of the nearest unit, then the national
//! entry; among entries of one scope, one naming the award beats one naming
//! its authority.
//!
//! A dossier follows one [`Procedure`]: the regular one, or the simplified
//! procedure (*thủ tục đơn giản*, Điều 85 Luật TĐKT 2022) of a sudden
//! achievement. A `[[procedure]]` table of the data names the documents the
//! simplified dossier carries instead of the award's, and whether it is
//! disclosed; a `[[deadline]]` with `procedure = "don-gian"` replaces the
//! regular one for such dossiers (the regular one applies where the data
//! gives none).
//!
//! The data and its questions (checklists, deadlines, disclosure) are here;
//! reading and checking the files is `procedure/load.rs`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::disclosure::DisclosureRule;
use super::LevelClass;
use crate::catalogue::{Authority, Award};

mod load;

pub(crate) use load::{
    Builder, FileTables, RawDeadline, RawDocumentKind, RawDocuments, RawOverlay, RawProcedure,
    RawWar,
};

/// Which period a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineKind {
    /// The level holding the dossier considers and forwards or submits it.
    Handle,
    /// The notice returning a dossier found wanting.
    Refusal,
    /// A fixed day of the year by which a dossier must reach a level.
    SubmitBy,
}

impl DeadlineKind {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Handle => "thời hạn xem xét, chuyển tiếp",
            Self::Refusal => "thời hạn thông báo trả lại hồ sơ",
            Self::SubmitBy => "hạn gửi hồ sơ lên cấp trên",
        }
    }
}

/// The procedure a dossier follows (Điều 85 Luật TĐKT 2022: khen thưởng
/// theo thủ tục đơn giản; khoản 2 Điều 6 NĐ 152/2025/NĐ-CP).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Procedure {
    /// The award's own documents and deadlines.
    #[default]
    #[serde(rename = "thuong")]
    Regular,
    /// The simplified procedure: fewer documents, shorter deadlines, no
    /// public disclosure (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP).
    #[serde(rename = "don-gian")]
    Simplified,
}

impl Procedure {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Regular => "thuong",
            Self::Simplified => "don-gian",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Regular => "thủ tục thông thường",
            Self::Simplified => "thủ tục đơn giản",
        }
    }

    /// # Errors
    /// An unknown code, naming the field `procedure`.
    pub fn parse(s: &str) -> Result<Self, crate::DomainError> {
        match s.trim() {
            "thuong" => Ok(Self::Regular),
            "don-gian" => Ok(Self::Simplified),
            other => Err(crate::DomainError::invalid(
                "procedure",
                format!("Thủ tục «{other}» không tồn tại (thuong hoặc don-gian)."),
            )),
        }
    }
}

/// A kind of document of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentKind {
    pub code: String,
    pub name: String,
    pub citation: String,
    pub stage: Stage,
    /// How old the document may be, in months, on the day the dossier goes
    /// up a level (`None`: no limit); see [`super::report_age`].
    pub max_age_months: Option<u32>,
    /// The article that sets the limit.
    pub age_citation: Option<String>,
}

/// Which level of the route attaches a document: the one that opens the
/// dossier, or the one that submits it to the deciding authority. The
/// council minutes of a Bằng khen của Thủ tướng are the province's council
/// minutes (điểm c khoản 2 Điều 36 NĐ 152/2025/NĐ-CP): a department that
/// opens the dossier cannot have them, the province must before it
/// submits to Bộ Nội vụ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    #[default]
    Origin,
    Submitting,
}

impl Stage {
    /// The position on a route of `levels` levels at which the document
    /// is due: the opening level, or the one below the last (the last
    /// decides or, for state forms, is Bộ Nội vụ); a one-level route has
    /// only its opening level.
    #[must_use]
    pub fn due_at(self, levels: usize) -> usize {
        match self {
            Self::Origin => 0,
            Self::Submitting => levels.saturating_sub(2),
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Origin => "đơn vị lập hồ sơ",
            Self::Submitting => "cấp trình khen thưởng",
        }
    }
}

/// The org unit and dates a province's overlay applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub id: String,
    pub unit: String,
    pub decision: String,
    pub from: Date,
    pub to: Option<Date>,
}

impl Scope {
    pub(crate) fn in_force_on(&self, d: Date) -> bool {
        self.from <= d && self.to.is_none_or(|t| d <= t)
    }
}

/// One deadline of the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineRule {
    pub kind: DeadlineKind,
    pub levels: Vec<LevelClass>,
    pub awards: Vec<String>,
    pub authority: Vec<Authority>,
    /// The procedure the deadline is for.
    pub procedure: Procedure,
    /// Working days (handle, refusal).
    pub days: u32,
    /// Day and month (submit-by).
    pub day: Option<(u8, Month)>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub scope: Option<Scope>,
    pub citation: String,
}

impl DeadlineRule {
    fn in_force_on(&self, d: Date) -> bool {
        self.from.is_none_or(|f| f <= d)
            && self.to.is_none_or(|t| d <= t)
            && self.scope.as_ref().is_none_or(|s| s.in_force_on(d))
    }
}

/// Documents a province adds for some awards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraDocuments {
    pub awards: Vec<String>,
    pub add: Vec<String>,
    pub scope: Scope,
    pub citation: String,
}

/// One item of a dossier's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Required<'a> {
    pub kind: &'a DocumentKind,
    /// Where the requirement comes from: the document's own citation, or
    /// the province's decision.
    pub citation: String,
}

/// A procedure other than the regular one, as the data describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    pub procedure: Procedure,
    pub name: String,
    /// The documents a dossier under it carries, instead of the award's.
    pub documents: Vec<String>,
    /// Whether its candidates are disclosed before the council meets.
    pub disclosure: bool,
    pub citation: String,
}

/// The compiled procedure data.
#[derive(Debug, Clone, Default)]
pub struct Procedures {
    kinds: Vec<DocumentKind>,
    variants: Vec<Variant>,
    wars: Vec<super::track::War>,
    deadlines: Vec<DeadlineRule>,
    extra: Vec<ExtraDocuments>,
    /// Award code → its national documents.
    national: HashMap<String, Vec<String>>,
    disclosures: Vec<DisclosureRule>,
}

impl Procedures {
    #[must_use]
    pub fn kind(&self, code: &str) -> Option<&DocumentKind> {
        self.kinds.iter().find(|k| k.code == code)
    }

    #[must_use]
    pub fn kinds(&self) -> &[DocumentKind] {
        &self.kinds
    }

    #[must_use]
    pub fn deadlines(&self) -> &[DeadlineRule] {
        &self.deadlines
    }

    /// The data of a procedure other than the regular one.
    #[must_use]
    pub fn variant(&self, p: Procedure) -> Option<&Variant> {
        self.variants.iter().find(|v| v.procedure == p)
    }

    /// Whether a dossier under `p` is disclosed (công khai) before the
    /// council meets: the regular procedure is; a variant says.
    #[must_use]
    pub fn disclosed(&self, p: Procedure) -> bool {
        self.variant(p).is_none_or(|v| v.disclosure)
    }

    /// The wars of the resistance-award track.
    #[must_use]
    pub fn wars(&self) -> &[super::track::War] {
        &self.wars
    }

    #[must_use]
    pub fn war(&self, code: &str) -> Option<&super::track::War> {
        self.wars.iter().find(|w| w.code == code.trim())
    }

    /// The checklist of a dossier under procedure `p`: a variant's own
    /// documents (the award's and the province's do not apply), else
    /// [`Procedures::required`].
    #[must_use]
    pub fn checklist(
        &self,
        p: Procedure,
        award: &Award,
        scope: &[&str],
        on: Date,
    ) -> Vec<Required<'_>> {
        match self.variant(p) {
            Some(v) => v
                .documents
                .iter()
                .filter_map(|code| self.kind(code))
                .map(|kind| Required {
                    kind,
                    citation: v.citation.clone(),
                })
                .collect(),
            None => self.required(award, scope, on),
        }
    }

    /// The checklist of a dossier for `award` opened under `scope` (the
    /// opening unit's code and its ancestors', nearest first) on `on`: the
    /// award's national documents, then those of every overlay in scope.
    #[must_use]
    pub fn required(&self, award: &Award, scope: &[&str], on: Date) -> Vec<Required<'_>> {
        let mut out: Vec<Required<'_>> = Vec::new();
        let mut push = |code: &str, citation: String| {
            if out.iter().any(|r| r.kind.code == code) {
                return;
            }
            if let Some(kind) = self.kind(code) {
                out.push(Required { kind, citation });
            }
        };
        for code in self.national.get(&award.code).into_iter().flatten() {
            let citation = self
                .kind(code)
                .map_or_else(String::new, |k| k.citation.clone());
            push(code, citation);
        }
        for e in &self.extra {
            if e.awards.contains(&award.code)
                && e.scope.in_force_on(on)
                && scope.contains(&e.scope.unit.as_str())
            {
                for code in &e.add {
                    push(code, format!("{} ({})", e.citation, e.scope.decision));
                }
            }
        }
        out
    }

    /// The disclosure rule (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP) for a dossier
    /// of `award` opened under `scope` (the opening unit's code and its
    /// ancestors', nearest first), in force on `on`: a province's overlay of
    /// the nearest unit first, then the national entry; `None` when no entry
    /// asks for a disclosure.
    #[must_use]
    pub fn disclosure(&self, award: &Award, scope: &[&str], on: Date) -> Option<&DisclosureRule> {
        let of = |want: Option<&str>| {
            self.disclosures.iter().find(|r| {
                r.scope.as_ref().map(|s| s.unit.as_str()) == want
                    && r.in_force_on(on)
                    && r.names(award)
            })
        };
        scope.iter().find_map(|u| of(Some(u))).or_else(|| of(None))
    }

    /// Every disclosure entry.
    #[must_use]
    pub fn disclosures(&self) -> &[DisclosureRule] {
        &self.disclosures
    }

    /// The deadline of `kind` for `award` at a level of `class` whose unit
    /// and ancestors are `scope` (nearest first), in force on `on`, for a
    /// dossier under `procedure` (a variant's deadline where the data has
    /// one, else the regular one).
    #[must_use]
    pub fn deadline(
        &self,
        kind: DeadlineKind,
        award: &Award,
        class: LevelClass,
        scope: &[&str],
        on: Date,
        procedure: Procedure,
    ) -> Option<&DeadlineRule> {
        if procedure != Procedure::Regular {
            if let Some(r) = self.deadline_of(kind, award, class, scope, on, procedure) {
                return Some(r);
            }
        }
        self.deadline_of(kind, award, class, scope, on, Procedure::Regular)
    }

    fn deadline_of(
        &self,
        kind: DeadlineKind,
        award: &Award,
        class: LevelClass,
        scope: &[&str],
        on: Date,
        procedure: Procedure,
    ) -> Option<&DeadlineRule> {
        let fits = |r: &&DeadlineRule| {
            r.kind == kind
                && r.procedure == procedure
                && r.levels.contains(&class)
                && r.in_force_on(on)
                && (r.awards.contains(&award.code) || r.authority.contains(&award.authority))
        };
        let best_of = |want: Option<&str>| {
            let mut found: Vec<&DeadlineRule> = self
                .deadlines
                .iter()
                .filter(|r| r.scope.as_ref().map(|s| s.unit.as_str()) == want)
                .filter(fits)
                .collect();
            // naming the award beats naming its authority
            found.sort_by_key(|r| !r.awards.contains(&award.code));
            found.first().copied()
        };
        scope
            .iter()
            .find_map(|u| best_of(Some(u)))
            .or_else(|| best_of(None))
    }
}
