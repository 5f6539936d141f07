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

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::disclosure::{DisclosureRule, RawDisclosure};
use super::LevelClass;
use crate::catalogue::{Authority, Award, AwardId, SourceError};

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProcedure {
    code: Procedure,
    name: String,
    documents: Vec<String>,
    disclosure: bool,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWar {
    code: String,
    name: String,
    from: String,
    to: String,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocumentKind {
    code: String,
    name: String,
    citation: String,
    #[serde(default)]
    stage: Stage,
    #[serde(default)]
    max_age_months: Option<u32>,
    #[serde(default)]
    age_citation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeadline {
    kind: DeadlineKind,
    levels: Vec<LevelClass>,
    #[serde(default)]
    awards: Vec<String>,
    #[serde(default)]
    authority: Vec<Authority>,
    #[serde(default)]
    procedure: Procedure,
    days: Option<u32>,
    day: Option<String>,
    from: Option<String>,
    to: Option<String>,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocuments {
    awards: Vec<String>,
    add: Vec<String>,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOverlay {
    id: String,
    scope_unit: String,
    decision: String,
    effective_from: String,
    effective_to: Option<String>,
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

/// The procedure tables of one catalogue file, as parsed.
pub(crate) struct FileTables {
    pub(crate) overlay: Option<toml::Spanned<RawOverlay>>,
    pub(crate) kinds: Vec<toml::Spanned<RawDocumentKind>>,
    pub(crate) deadlines: Vec<toml::Spanned<RawDeadline>>,
    pub(crate) documents: Vec<toml::Spanned<RawDocuments>>,
    pub(crate) disclosures: Vec<toml::Spanned<RawDisclosure>>,
    pub(crate) procedures: Vec<toml::Spanned<RawProcedure>>,
    pub(crate) wars: Vec<toml::Spanned<RawWar>>,
}

/// Gathers the procedure tables of the catalogue files, then checks their
/// references once every file is read.
#[derive(Default)]
pub(crate) struct Builder {
    kinds: Vec<(DocumentKind, SourceError)>,
    variants: Vec<(Variant, SourceError)>,
    wars: Vec<super::track::War>,
    deadlines: Vec<(DeadlineRule, SourceError)>,
    extra: Vec<(ExtraDocuments, SourceError)>,
    award_docs: Vec<(String, Vec<String>, SourceError)>,
    disclosures: Vec<(DisclosureRule, SourceError)>,
}

/// The dates and the citation every dated entry of the data carries:
/// `from`/`to` read as dates, a citation present; `what` names the kind of
/// entry in the message.
fn dated_and_cited(
    what: &str,
    from: Option<&str>,
    to: Option<&str>,
    citation: &str,
) -> Result<(Option<Date>, Option<Date>), String> {
    let (Ok(from), Ok(to)) = (
        from.map(crate::date::parse).transpose(),
        to.map(crate::date::parse).transpose(),
    ) else {
        return Err(format!(
            "{what}: from/to không phải ngày hợp lệ (yyyy-mm-dd)."
        ));
    };
    if citation.trim().is_empty() {
        return Err(format!("{what} thiếu căn cứ (citation)."));
    }
    Ok((from, to))
}

fn parse_day(s: &str) -> Option<(u8, Month)> {
    let (d, m) = s.trim().split_once('/')?;
    let d: u8 = d.parse().ok()?;
    let m = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(2024, m, d).ok()?;
    Some((d, m))
}

impl Builder {
    pub(crate) fn add_file(
        &mut self,
        file: &str,
        src: &str,
        tables: FileTables,
        errors: &mut Vec<SourceError>,
    ) {
        let FileTables {
            overlay,
            kinds,
            deadlines,
            documents,
            disclosures,
            procedures,
            wars,
        } = tables;
        let at = |offset: usize, entry: Option<&str>| SourceError::at(file, src, offset, entry, "");
        let scope = match overlay {
            None => None,
            Some(o) => {
                let loc = at(o.span().start, None);
                let o = o.into_inner();
                let from = crate::date::parse(&o.effective_from);
                let to = o
                    .effective_to
                    .as_deref()
                    .map(crate::date::parse)
                    .transpose();
                match (from, to) {
                    (Ok(from), Ok(to))
                        if !o.decision.trim().is_empty() && !o.scope_unit.trim().is_empty() =>
                    {
                        Some(Scope {
                            id: o.id,
                            unit: o.scope_unit,
                            decision: o.decision,
                            from,
                            to,
                        })
                    }
                    (Err(m), _) | (_, Err(m)) => {
                        errors.push(SourceError {
                            message: format!("overlay: {m}"),
                            ..loc
                        });
                        return;
                    }
                    _ => {
                        errors.push(SourceError {
                            message: "lớp phủ phải ghi đơn vị áp dụng (scope_unit) và văn bản ban hành (decision).".to_owned(),
                            ..loc
                        });
                        return;
                    }
                }
            }
        };
        for k in kinds {
            let loc = at(k.span().start, None);
            let k = k.into_inner();
            if k.name.trim().is_empty() || k.citation.trim().is_empty() {
                errors.push(SourceError {
                    entry: Some(k.code.clone()),
                    message: "loại giấy tờ phải có tên (name) và căn cứ (citation).".to_owned(),
                    ..loc
                });
                continue;
            }
            self.kinds.push((
                DocumentKind {
                    code: k.code.clone(),
                    name: k.name,
                    citation: k.citation,
                    stage: k.stage,
                    max_age_months: k.max_age_months,
                    age_citation: k.age_citation,
                },
                SourceError {
                    entry: Some(k.code),
                    ..loc
                },
            ));
        }
        for p in procedures {
            let loc = at(p.span().start, None);
            let p = p.into_inner();
            if p.code == Procedure::Regular
                || p.name.trim().is_empty()
                || p.citation.trim().is_empty()
                || p.documents.is_empty()
            {
                errors.push(SourceError {
                    message: "thủ tục ([[procedure]]) phải là một thủ tục khác thủ tục thường (don-gian), có tên (name), giấy tờ (documents) và căn cứ (citation).".to_owned(),
                    ..loc
                });
                continue;
            }
            self.variants.push((
                Variant {
                    procedure: p.code,
                    name: p.name,
                    documents: p.documents,
                    disclosure: p.disclosure,
                    citation: p.citation,
                },
                loc,
            ));
        }
        for w in wars {
            let loc = at(w.span().start, None);
            let w = w.into_inner();
            match (crate::date::parse(&w.from), crate::date::parse(&w.to)) {
                (Ok(from), Ok(to)) if from <= to && !w.citation.trim().is_empty() => {
                    if self.wars.iter().any(|x| x.code == w.code) {
                        errors.push(SourceError {
                            message: format!("cuộc kháng chiến «{}» bị trùng.", w.code),
                            ..loc
                        });
                    } else {
                        self.wars.push(super::track::War {
                            code: w.code,
                            name: w.name,
                            from,
                            to,
                            citation: w.citation,
                        });
                    }
                }
                _ => errors.push(SourceError {
                    entry: Some(w.code),
                    message: "cuộc kháng chiến ([[war]]): from, to là ngày hợp lệ (yyyy-mm-dd), from không sau to, và có căn cứ (citation).".to_owned(),
                    ..loc
                }),
            }
        }
        for d in deadlines {
            let loc = at(d.span().start, None);
            let d = d.into_inner();
            let fail = |m: &str| SourceError {
                message: m.to_owned(),
                ..loc.clone()
            };
            let (from, to) =
                match dated_and_cited("thời hạn", d.from.as_deref(), d.to.as_deref(), &d.citation)
                {
                    Ok(dates) => dates,
                    Err(m) => {
                        errors.push(fail(&m));
                        continue;
                    }
                };
            if d.levels.is_empty() || (d.awards.is_empty() && d.authority.is_empty()) {
                errors.push(fail(
                    "thời hạn phải ghi cấp áp dụng (levels) và awards hoặc authority.",
                ));
                continue;
            }
            let (days, day) = match (d.kind, d.days, d.day.as_deref()) {
                (DeadlineKind::SubmitBy, None, Some(s)) => match parse_day(s) {
                    Some(day) => (0, Some(day)),
                    None => {
                        errors.push(fail(&format!(
                            "day «{s}» không phải ngày/tháng (ví dụ \"10/12\")."
                        )));
                        continue;
                    }
                },
                (DeadlineKind::Handle | DeadlineKind::Refusal, Some(n), None)
                    if (1..=crate::workdays::MAX_DAYS).contains(&n) =>
                {
                    (n, None)
                }
                _ => {
                    errors.push(fail("thời hạn handle, refusal ghi days (số ngày làm việc, từ 1); submit-by ghi day (\"dd/mm\")."));
                    continue;
                }
            };
            self.deadlines.push((
                DeadlineRule {
                    kind: d.kind,
                    levels: d.levels,
                    awards: d.awards,
                    authority: d.authority,
                    procedure: d.procedure,
                    days,
                    day,
                    from,
                    to,
                    scope: scope.clone(),
                    citation: d.citation,
                },
                loc,
            ));
        }
        for d in disclosures {
            let loc = at(d.span().start, None);
            let d = d.into_inner();
            let fail = |m: &str| SourceError {
                message: m.to_owned(),
                ..loc.clone()
            };
            let (from, to) =
                match dated_and_cited("công khai", d.from.as_deref(), d.to.as_deref(), &d.citation)
                {
                    Ok(dates) => dates,
                    Err(m) => {
                        errors.push(fail(&m));
                        continue;
                    }
                };
            if d.awards.is_empty() && d.authority.is_empty() {
                errors.push(fail("công khai phải ghi awards hoặc authority."));
                continue;
            }
            if !(1..=crate::workdays::MAX_DAYS).contains(&d.days) {
                errors.push(fail("công khai: days là số ngày làm việc, từ 1."));
                continue;
            }
            self.disclosures.push((
                DisclosureRule {
                    awards: d.awards,
                    authority: d.authority,
                    days: d.days,
                    from,
                    to,
                    scope: scope.clone(),
                    citation: d.citation,
                    note: d.note,
                },
                loc,
            ));
        }
        for x in documents {
            let loc = at(x.span().start, None);
            let x = x.into_inner();
            let Some(scope) = scope.clone() else {
                errors.push(SourceError {
                    message: "[[documents]] (giấy tờ bổ sung) chỉ dùng trong tệp lớp phủ có mục [overlay].".to_owned(),
                    ..loc
                });
                continue;
            };
            self.extra.push((
                ExtraDocuments {
                    awards: x.awards,
                    add: x.add,
                    scope,
                    citation: x.citation,
                },
                loc,
            ));
        }
    }

    /// Records an award's `documents` for checking once all kinds are read.
    pub(crate) fn award_documents(
        &mut self,
        file: &str,
        src: &str,
        offset: usize,
        code: &str,
        documents: &[String],
    ) {
        if !documents.is_empty() {
            self.award_docs.push((
                code.to_owned(),
                documents.to_vec(),
                SourceError::at(file, src, offset, Some(code), ""),
            ));
        }
    }

    pub(crate) fn finish(
        self,
        awards: &HashMap<String, AwardId>,
        errors: &mut Vec<SourceError>,
    ) -> Procedures {
        let mut kinds: Vec<DocumentKind> = Vec::new();
        for (k, loc) in self.kinds {
            if kinds.iter().any(|x| x.code == k.code) {
                errors.push(SourceError {
                    message: format!("loại giấy tờ «{}» bị trùng.", k.code),
                    ..loc
                });
            } else {
                kinds.push(k);
            }
        }
        let known = |c: &str| kinds.iter().any(|k| k.code == c);
        let unknown_docs = |list: &[String]| -> Vec<String> {
            list.iter().filter(|c| !known(c)).cloned().collect()
        };
        let unknown_awards = |list: &[String]| -> Vec<String> {
            list.iter()
                .filter(|c| !awards.contains_key(c.as_str()))
                .cloned()
                .collect()
        };
        let mut national = HashMap::new();
        for (code, docs, loc) in self.award_docs {
            let bad = unknown_docs(&docs);
            if bad.is_empty() {
                national.insert(code, docs);
            } else {
                errors.push(SourceError {
                    message: format!(
                        "documents: loại giấy tờ chưa khai báo ([[document]]): {}.",
                        bad.join(", ")
                    ),
                    ..loc
                });
            }
        }
        let mut variants: Vec<Variant> = Vec::new();
        for (v, loc) in self.variants {
            let bad = unknown_docs(&v.documents);
            if variants.iter().any(|x| x.procedure == v.procedure) {
                errors.push(SourceError {
                    message: format!("thủ tục «{}» bị trùng.", v.procedure.code()),
                    ..loc
                });
            } else if bad.is_empty() {
                variants.push(v);
            } else {
                errors.push(SourceError {
                    message: format!(
                        "thủ tục: loại giấy tờ chưa khai báo ([[document]]): {}.",
                        bad.join(", ")
                    ),
                    ..loc
                });
            }
        }
        let mut deadlines = Vec::new();
        for (d, loc) in self.deadlines {
            let bad = unknown_awards(&d.awards);
            if bad.is_empty() {
                deadlines.push(d);
            } else {
                errors.push(SourceError {
                    message: format!("thời hạn: mã không có trong danh mục: {}.", bad.join(", ")),
                    ..loc
                });
            }
        }
        let mut extra = Vec::new();
        for (x, loc) in self.extra {
            let (bad_a, bad_d) = (unknown_awards(&x.awards), unknown_docs(&x.add));
            if bad_a.is_empty() && bad_d.is_empty() && !x.add.is_empty() {
                extra.push(x);
            } else {
                errors.push(SourceError {
                    message: format!(
                        "giấy tờ bổ sung: mã danh hiệu không có [{}], loại giấy tờ chưa khai báo [{}] (add không được trống).",
                        bad_a.join(", "),
                        bad_d.join(", ")
                    ),
                    ..loc
                });
            }
        }
        let mut disclosures = Vec::new();
        for (d, loc) in self.disclosures {
            let bad = unknown_awards(&d.awards);
            if bad.is_empty() {
                disclosures.push(d);
            } else {
                errors.push(SourceError {
                    message: format!("công khai: mã không có trong danh mục: {}.", bad.join(", ")),
                    ..loc
                });
            }
        }
        Procedures {
            kinds,
            variants,
            wars: self.wars,
            deadlines,
            extra,
            national,
            disclosures,
        }
    }
}
