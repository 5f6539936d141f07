//! Rule packs: `rules/*.toml`, one pack per legal regime, compiled once into
//! a [`RuleSet`] and checked by [`check_packs`].
//!
//! ```toml
//! [pack]
//! id = "luat-2022"
//! title = "Luật TĐKT 06/2022/QH15"
//! effective_from = "2024-01-01"
//!
//! [[rule]]
//! award = "chien-si-thi-dua-cap-tinh"
//! citation = "Điều 22 Luật TĐKT 2022"
//! when = "all(chuoi-cstdcs, sang-kien)"
//!
//! [[rule.clause]]
//! id = "chuoi-cstdcs"
//! kind = "title_streak"
//! award = "chien-si-thi-dua-co-so"
//! years = 3
//! citation = "khoản 1 Điều 22 Luật TĐKT 2022"
//! ```
//!
//! Clause kinds are listed in [`KINDS`]; their fields in [`RawClause`].

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;
use serde::Deserialize;
use time::Date;

use super::expr::{self, Expr};
use super::history::{DisciplineLevel, Rating, Scope};
use crate::catalogue::{AwardId, Catalogue, Recipient, SourceError};
use crate::share::{Base, Threshold};

/// Every clause kind a pack may use.
pub const KINDS: &[&str] = &[
    "title_streak",
    "award_count",
    "since_award",
    "rating_count",
    "initiative",
    "no_discipline",
    "service",
    "member_share",
    "member_count",
    "member_no_discipline",
    "quota",
    "vote",
    "armed_forces",
    "recipient",
    "manual",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    pack: toml::Spanned<RawHeader>,
    #[serde(default)]
    rule: Vec<toml::Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    title: String,
    effective_from: toml::Spanned<String>,
    effective_to: Option<toml::Spanned<String>>,
    /// The pack that takes over when this one ends (a pack id).
    successor: Option<toml::Spanned<String>>,
    /// The act that makes these rules law: required on a scoped pack.
    decision: Option<String>,
    /// An org unit code: the pack applies to that unit and its subtree only.
    scope_unit: Option<toml::Spanned<String>>,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    award: toml::Spanned<String>,
    citation: String,
    when: Option<toml::Spanned<String>>,
    note: Option<String>,
    effective_from: Option<toml::Spanned<String>>,
    effective_to: Option<toml::Spanned<String>>,
    #[serde(default)]
    clause: Vec<toml::Spanned<RawClause>>,
}

/// One clause as written. Which fields apply depends on `kind`; the compiler
/// refuses missing or meaningless ones.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClause {
    id: toml::Spanned<String>,
    kind: toml::Spanned<String>,
    citation: String,
    /// Why the clause is not certain (text not seen, interpretation…).
    uncertain: Option<String>,
    /// Free text shown with the clause (manual review: what to check).
    note: Option<String>,
    award: Option<toml::Spanned<String>>,
    years: Option<u16>,
    step: Option<u16>,
    offset: Option<i16>,
    count: Option<u32>,
    within: Option<u16>,
    rating: Option<Rating>,
    scope: Option<Scope>,
    level: Option<DisciplineLevel>,
    percent: Option<toml::Spanned<String>>,
    strict: Option<bool>,
    months: Option<u32>,
    in_year: Option<bool>,
    absent_ok: Option<bool>,
    base: Option<String>,
    value: Option<bool>,
    recipient: Option<Recipient>,
}

/// A compiled test.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// Held `award` (or an award that counts as it) `years` times at years
    /// `end, end-step, …` with `end = Y + offset`.
    TitleStreak {
        award: AwardSet,
        years: u16,
        step: u16,
        offset: i16,
    },
    /// Held `award` at least `count` times within `within` years ending `Y + offset`.
    AwardCount {
        award: AwardSet,
        count: u32,
        within: u16,
        offset: i16,
    },
    /// The last `award` is at least `years` years before Y (`absent_ok`: never held passes).
    SinceAward {
        award: AwardSet,
        years: u16,
        absent_ok: bool,
    },
    /// At least `count` ratings ≥ `rating` within `within` years ending `Y + offset`.
    RatingCount {
        rating: Rating,
        count: u32,
        within: u16,
        offset: i16,
    },
    /// At least `count` initiatives of scope ≥ `scope` recognised within `within` years ending Y.
    Initiative {
        scope: Scope,
        count: u32,
        within: u16,
    },
    /// No discipline of level ≥ `level` touching the `within` years ending Y.
    NoDiscipline { level: DisciplineLevel, within: u16 },
    /// Served ≥ `months` (in year Y when `in_year`, else in total up to the evaluation date).
    Service { months: u32, in_year: bool },
    /// Share of members with `award` (or rating ≥ `rating`) in year Y ≥ `percent` (> when `strict`).
    MemberShare {
        what: MemberWhat,
        percent: Decimal,
        strict: bool,
    },
    /// At least `count` members hold `award` in year Y.
    MemberCount { award: AwardSet, count: u32 },
    /// No member disciplined at level ≥ `level` in year Y.
    MemberNoDiscipline { level: DisciplineLevel },
    /// The proposal list: at most `percent` of `base` (procedural).
    Quota { percent: Decimal, base: QuotaBase },
    /// Council vote share reaching the threshold, on its base (procedural):
    /// by default the council's whole membership (Điều 33 k5 Nghị định
    /// 152/2025/NĐ-CP: "tính trên tổng số thành viên của Hội đồng").
    Vote { threshold: Threshold },
    /// Member (or not) of the armed forces.
    ArmedForces { value: bool },
    /// The subject is an individual, a collective or a household.
    Recipient { value: Recipient },
    /// Needs an officer's judgement: always *cần xem xét thêm*.
    Manual,
}

/// What a quota is a share of, counted in the proposing unit's subtree for
/// the achievement year. Written in a pack as an award code, `rating:<level>`
/// or `members`, so that the store can count it rather than read prose.
#[derive(Debug, Clone, PartialEq)]
pub enum QuotaBase {
    /// Those holding the award (or one counting as it) that year.
    Award(AwardSet),
    /// Those rated at least this level that year.
    Rating(Rating),
    /// Everyone in the unit that year (people, or units for collective awards).
    Members,
}

/// What a member share counts.
#[derive(Debug, Clone, PartialEq)]
pub enum MemberWhat {
    Award(AwardSet),
    Rating(Rating),
}

/// An award and every award that counts as it (`counts_as` in the catalogue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardSet {
    pub main: AwardId,
    pub ids: Vec<AwardId>,
}

impl AwardSet {
    #[must_use]
    pub fn contains(&self, id: AwardId) -> bool {
        self.main == id || self.ids.contains(&id)
    }
}

impl Test {
    /// Procedural clauses (quota, vote) are checked on the proposal list and
    /// council minutes; without those inputs they are *chờ bình xét*, not unknown.
    #[must_use]
    pub fn procedural(&self) -> bool {
        matches!(self, Self::Quota { .. } | Self::Vote { .. })
    }

    pub(crate) fn awards(&self) -> Option<&AwardSet> {
        match self {
            Self::TitleStreak { award, .. }
            | Self::AwardCount { award, .. }
            | Self::SinceAward { award, .. }
            | Self::MemberCount { award, .. } => Some(award),
            Self::MemberShare {
                what: MemberWhat::Award(a),
                ..
            } => Some(a),
            _ => None,
        }
    }
}

/// A compiled clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub id: String,
    pub kind: &'static str,
    pub citation: String,
    pub uncertain: Option<String>,
    pub note: Option<String>,
    pub test: Test,
    pub line: usize,
}

/// Node of a compiled expression tree (children are indices into `Rule::nodes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    All { first: u16, len: u16 },
    Any { first: u16, len: u16 },
    Not(u16),
    Leaf(u16),
}

/// A compiled rule: one award, one period, a tree of clauses.
#[derive(Debug, Clone)]
pub struct Rule {
    pub award: AwardId,
    pub pack: usize,
    /// The pack's `scope_unit`: `None` for a national rule.
    pub scope: Option<String>,
    pub from: Date,
    pub to: Option<Date>,
    pub citation: String,
    pub note: Option<String>,
    pub clauses: Vec<Clause>,
    /// Flattened tree; `root` is the entry. Children of All/Any are listed in `kids`.
    pub nodes: Vec<Node>,
    pub kids: Vec<u16>,
    pub root: u16,
    pub file: String,
    pub line: usize,
}

impl Rule {
    #[must_use]
    pub fn in_force_on(&self, d: Date) -> bool {
        self.from <= d && self.to.is_none_or(|t| d <= t)
    }
}

/// A pack's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub from: Date,
    pub to: Option<Date>,
    /// The pack that takes over after `to` (checked to exist and to start later).
    pub successor: Option<String>,
    /// The act that makes the pack's rules law (a decree, a province's decision).
    pub decision: Option<String>,
    /// The org unit (code) whose subtree the pack governs; `None` = national.
    pub scope: Option<String>,
    pub sources: Vec<String>,
    pub file: String,
    pub line: usize,
}

impl Pack {
    /// How the pack is cited in an answer: its decision, or its title.
    #[must_use]
    pub fn cited(&self) -> &str {
        self.decision.as_deref().unwrap_or(&self.title)
    }

    /// Its period in Vietnamese: `từ 01/7/2025 đến 28/02/2027`.
    #[must_use]
    pub fn period_vn(&self) -> String {
        let from = crate::date::format_vn(self.from);
        match self.to {
            Some(t) => format!("từ {from} đến {}", crate::date::format_vn(t)),
            None => format!("từ {from}"),
        }
    }
}

/// Every pack, compiled, indexed by award.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) catalogue: Catalogue,
    pub packs: Vec<Pack>,
    pub rules: Vec<Rule>,
    /// `by_award[id]` = indices into `rules`, sorted by start date.
    pub(crate) by_award: Vec<Vec<usize>>,
    /// `overlaid[id]`: some rule for the award is scoped to an org unit, so
    /// the rule that applies depends on the subject's unit.
    pub(crate) overlaid: Vec<bool>,
}

/// The shipped packs, compiled into the binary.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "rules/luat-2003.toml",
        include_str!("../../../../rules/luat-2003.toml"),
    ),
    (
        "rules/luat-2022-danh-hieu.toml",
        include_str!("../../../../rules/luat-2022-danh-hieu.toml"),
    ),
    (
        "rules/luat-2022-hinh-thuc.toml",
        include_str!("../../../../rules/luat-2022-hinh-thuc.toml"),
    ),
    (
        "rules/nd-98-2023.toml",
        include_str!("../../../../rules/nd-98-2023.toml"),
    ),
    (
        "rules/nd-152-2025.toml",
        include_str!("../../../../rules/nd-152-2025.toml"),
    ),
    (
        "rules/tinh/bac-ninh-qd-86-2025.toml",
        include_str!("../../../../rules/tinh/bac-ninh-qd-86-2025.toml"),
    ),
];

impl RuleSet {
    /// The shipped catalogue and packs.
    ///
    /// # Panics
    /// Never in a released build: a test checks the same files.
    #[must_use]
    pub fn embedded() -> Self {
        match check_packs(Catalogue::embedded(), EMBEDDED) {
            Ok(r) => r,
            Err(e) => panic!("embedded rule packs are invalid: {}", e[0]),
        }
    }

    #[must_use]
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The national rule for `award` in force on `at` (no organisation
    /// overlay: see [`RuleSet::rule_in`]).
    #[must_use]
    pub fn rule_for(&self, award: AwardId, at: Date) -> Option<&Rule> {
        self.rule_in(award, at, &[])
    }

    /// The rule for `award` in force on `at` for a subject whose unit sits
    /// under `scope` (unit codes, nearest first: the unit itself, its parent,
    /// …, lineage-aware). The most specific rule wins: one of a pack scoped
    /// to the nearest of those units, else the national one. A province's
    /// own rules (NĐ 152/2025/NĐ-CP Điều 6 khoản 2) thus apply to its
    /// subtree only, and only while their pack is in force.
    #[must_use]
    pub fn rule_in(&self, award: AwardId, at: Date, scope: &[&str]) -> Option<&Rule> {
        let list = self.by_award.get(usize::from(award))?;
        let in_force = |want: Option<&str>| {
            list.iter()
                .map(|&i| &self.rules[i])
                .find(|r| r.scope.as_deref() == want && r.in_force_on(at))
        };
        if self
            .overlaid
            .get(usize::from(award))
            .copied()
            .unwrap_or(false)
        {
            for unit in scope {
                if let Some(r) = in_force(Some(unit)) {
                    return Some(r);
                }
            }
        }
        in_force(None)
    }

    /// Does the rule for `award` depend on the subject's unit (an overlay exists)?
    #[must_use]
    pub fn has_overlay(&self, award: AwardId) -> bool {
        self.overlaid
            .get(usize::from(award))
            .copied()
            .unwrap_or(false)
    }

    /// Why no rule answers for `award` on `at`: *"Không có quy định nào có
    /// hiệu lực vào ngày dd/mm/yyyy cho «…»"*, with the packs that came
    /// closest (the last one that ended, and its successor if it names one
    /// that is not loaded; or the first one that starts later). A date
    /// outside every pack is never answered by a silent default.
    #[must_use]
    pub fn no_rule_reason(&self, award: AwardId, at: Date) -> String {
        let a = self.catalogue.award(award);
        let mut s = format!(
            "Không có quy định nào có hiệu lực vào ngày {} cho «{}».",
            crate::date::format_vn(at),
            a.name
        );
        let national: Vec<&Rule> = self
            .rules_for(award)
            .filter(|r| r.scope.is_none())
            .collect();
        let before = national
            .iter()
            .filter(|r| r.to.is_some_and(|t| t < at))
            .max_by_key(|r| r.to);
        let after = national
            .iter()
            .filter(|r| r.from > at)
            .min_by_key(|r| r.from);
        if let Some(r) = before {
            let p = &self.packs[r.pack];
            s.push_str(&format!(
                " Quy định gần nhất: gói «{}» ({}) hết hiệu lực sau ngày {}",
                p.id,
                p.cited(),
                r.to.map(crate::date::format_vn).unwrap_or_default()
            ));
            match &p.successor {
                Some(next) => s.push_str(&format!(
                    "; gói kế tiếp «{next}» chưa có quy tắc cho danh hiệu này."
                )),
                None => s.push_str(
                    "; chưa có văn bản thay thế được nạp (thêm gói mới vào thư mục quy tắc).",
                ),
            }
        } else if let Some(r) = after {
            let p = &self.packs[r.pack];
            s.push_str(&format!(
                " Quy định sớm nhất: gói «{}» ({}) có hiệu lực từ ngày {}.",
                p.id,
                p.cited(),
                crate::date::format_vn(r.from)
            ));
        } else if national.is_empty() {
            s.push_str(" Chưa có gói quy tắc nào cho danh hiệu, hình thức này.");
        }
        s
    }

    /// Every rule for `award`, oldest first.
    pub fn rules_for(&self, award: AwardId) -> impl Iterator<Item = &Rule> {
        self.by_award
            .get(usize::from(award))
            .into_iter()
            .flatten()
            .map(|&i| &self.rules[i])
    }
}

struct Ctx<'a> {
    file: &'a str,
    src: &'a str,
    errors: &'a mut Vec<SourceError>,
}

impl Ctx<'_> {
    fn err(&mut self, offset: usize, entry: Option<&str>, msg: impl Into<String>) {
        self.errors
            .push(SourceError::at(self.file, self.src, offset, entry, msg));
    }
}

fn parse_date(c: &mut Ctx<'_>, s: &toml::Spanned<String>, entry: Option<&str>) -> Option<Date> {
    match crate::date::parse(s.get_ref()) {
        Ok(d) => Some(d),
        Err(m) => {
            c.err(s.span().start, entry, m);
            None
        }
    }
}

/// Parses, compiles and checks packs against `catalogue`: unknown clause
/// kinds and combinators, unknown award codes, missing or meaningless
/// fields, clauses that can never hold, overlapping periods for one award,
/// and cycles between awards.
///
/// # Errors
/// Every problem found, each with file, line, column and reason (Vietnamese).
pub fn check_packs(
    catalogue: Catalogue,
    files: &[(&str, &str)],
) -> Result<RuleSet, Vec<SourceError>> {
    let mut errors = Vec::new();
    let mut packs = Vec::new();
    let mut rules: Vec<Rule> = Vec::new();
    let mut pack_ids: HashMap<String, String> = HashMap::new();
    let mut successors = Vec::new();
    for (file, src) in files {
        let raw: RawFile = match toml::from_str(src) {
            Ok(r) => r,
            Err(e) => {
                errors.push(SourceError::from_toml(file, src, &e));
                continue;
            }
        };
        let mut c = Ctx {
            file,
            src,
            errors: &mut errors,
        };
        let header_at = raw.pack.span().start;
        let header = raw.pack.into_inner();
        if let Some(other) = pack_ids.insert(header.id.clone(), (*file).to_owned()) {
            c.err(
                header_at,
                Some(&header.id),
                format!("mã gói «{}» đã dùng trong {other}.", header.id),
            );
        }
        let Some(from) = parse_date(&mut c, &header.effective_from, Some(&header.id)) else {
            continue;
        };
        let to = match &header.effective_to {
            Some(t) => match parse_date(&mut c, t, Some(&header.id)) {
                Some(d) => Some(d),
                None => continue,
            },
            None => None,
        };
        if to.is_some_and(|t| t < from) {
            c.err(
                header_at,
                Some(&header.id),
                "hiệu lực của gói kết thúc trước khi bắt đầu.",
            );
            continue;
        }
        let scope = match &header.scope_unit {
            Some(u) => {
                let code = u.get_ref().trim();
                if code.is_empty()
                    || !code.chars().all(|ch| {
                        ch.is_ascii_lowercase() || ch.is_ascii_digit() || "-.".contains(ch)
                    })
                {
                    c.err(
                        u.span().start,
                        Some(&header.id),
                        format!("scope_unit «{code}» không phải mã đơn vị (chữ thường không dấu, số, «-», «.»)."),
                    );
                    continue;
                }
                if header
                    .decision
                    .as_deref()
                    .is_none_or(|d| d.trim().is_empty())
                {
                    c.err(
                        u.span().start,
                        Some(&header.id),
                        "gói áp dụng cho một đơn vị (scope_unit) phải ghi văn bản ban hành (decision), ví dụ «QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh, 03/12/2025».",
                    );
                    continue;
                }
                Some(code.to_owned())
            }
            None => None,
        };
        if let Some(next) = &header.successor {
            if to.is_none() {
                c.err(
                    next.span().start,
                    Some(&header.id),
                    "gói có successor phải có effective_to (ngày hết hiệu lực).",
                );
            }
            successors.push((
                (*file).to_owned(),
                *src,
                next.span().start,
                header.id.clone(),
                next.get_ref().clone(),
            ));
        }
        let pack_index = packs.len();
        packs.push(Pack {
            id: header.id,
            title: header.title,
            from,
            to,
            successor: header.successor.map(toml::Spanned::into_inner),
            decision: header.decision,
            scope: scope.clone(),
            sources: header.sources,
            file: (*file).to_owned(),
            line: crate::catalogue::line_col(src, header_at).0,
        });
        for r in raw.rule {
            let line = crate::catalogue::line_col(src, r.span().start).0;
            if let Some(mut rule) = compile_rule(
                &mut c,
                &catalogue,
                r.into_inner(),
                pack_index,
                from,
                to,
                line,
            ) {
                rule.scope.clone_from(&scope);
                rules.push(rule);
            }
        }
    }
    check_successors(&packs, &successors, &mut errors);
    let mut by_award = vec![Vec::new(); catalogue.len()];
    for (i, r) in rules.iter().enumerate() {
        by_award[usize::from(r.award)].push(i);
    }
    for list in &mut by_award {
        list.sort_by_key(|&i| rules[i].from);
        // Overlap is checked among the rules of one scope: a province's rule
        // overlapping the national one is the point of an overlay.
        let mut scopes: Vec<Option<&str>> =
            list.iter().map(|&i| rules[i].scope.as_deref()).collect();
        scopes.sort_unstable();
        scopes.dedup();
        for scope in scopes {
            let same: Vec<usize> = list
                .iter()
                .copied()
                .filter(|&i| rules[i].scope.as_deref() == scope)
                .collect();
            for w in same.windows(2) {
                let (a, b) = (&rules[w[0]], &rules[w[1]]);
                if a.to.is_none_or(|t| t >= b.from) {
                    errors.push(SourceError {
                        file: b.file.clone(),
                        line: b.line,
                        column: 1,
                        entry: Some(catalogue.award(b.award).code.clone()),
                        message: format!(
                            "hiệu lực chồng lấn với quy tắc cùng danh hiệu tại {}:{} (từ {}{}).",
                            a.file,
                            a.line,
                            crate::date::format_vn(a.from),
                            a.to.map(|t| format!(" đến {}", crate::date::format_vn(t)))
                                .unwrap_or_default()
                        ),
                    });
                }
            }
        }
    }
    let overlaid = by_award
        .iter()
        .map(|list| list.iter().any(|&i| rules[i].scope.is_some()))
        .collect();
    check_cycles(&catalogue, &rules, &mut errors);
    if errors.is_empty() {
        Ok(RuleSet {
            catalogue,
            packs,
            rules,
            by_award,
            overlaid,
        })
    } else {
        Err(errors)
    }
}

fn compile_rule(
    c: &mut Ctx<'_>,
    cat: &Catalogue,
    r: RawRule,
    pack: usize,
    pack_from: Date,
    pack_to: Option<Date>,
    line: usize,
) -> Option<Rule> {
    let code = r.award.get_ref().clone();
    let Some(award) = cat.get(&code) else {
        c.err(
            r.award.span().start,
            Some(&code),
            format!("mã danh hiệu/hình thức «{code}» không có trong danh mục."),
        );
        return None;
    };
    let award_id = award.id;
    let entry = Some(code.as_str());
    let mut from = pack_from;
    let mut to = pack_to;
    if let Some(f) = &r.effective_from {
        from = parse_date(c, f, entry)?;
    }
    if let Some(t) = &r.effective_to {
        to = Some(parse_date(c, t, entry)?);
    }
    if from < pack_from
        || pack_to.is_some_and(|pt| to.is_none_or(|t| t > pt))
        || to.is_some_and(|t| t < from)
    {
        c.err(
            c.src.len().min(r.award.span().start),
            entry,
            "hiệu lực của quy tắc phải nằm trong hiệu lực của gói và không đảo ngược.",
        );
        return None;
    }
    if award.effective_to.is_some_and(|end| end < from) {
        c.err(
            r.award.span().start,
            entry,
            format!("«{code}» đã hết hiệu lực trước khi quy tắc có hiệu lực."),
        );
    }
    if r.clause.is_empty() {
        c.err(
            r.award.span().start,
            entry,
            "quy tắc không có điều kiện nào; dùng kind = \"manual\" nếu cần xem xét thủ công.",
        );
        return None;
    }
    let mut clauses = Vec::new();
    let mut ids: HashMap<String, u16> = HashMap::new();
    let mut ok = true;
    for rc in r.clause {
        let at = rc.span().start;
        let rc = rc.into_inner();
        let id = rc.id.get_ref().clone();
        if ids.contains_key(&id) {
            c.err(
                rc.id.span().start,
                entry,
                format!("điều kiện «{id}» bị trùng tên."),
            );
            ok = false;
            continue;
        }
        match compile_clause(c, cat, award, rc, at) {
            Some(cl) => {
                ids.insert(id, u16::try_from(clauses.len()).unwrap_or(u16::MAX));
                clauses.push(cl);
            }
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let (expr, expr_at) = match &r.when {
        Some(w) => {
            // Offsets inside the string: the span starts at the opening quote.
            let base = w.span().start + 1;
            match expr::parse(w.get_ref()) {
                Ok(e) => (e, base),
                Err((off, m)) => {
                    c.err(base + off, entry, format!("biểu thức when: {m}."));
                    return None;
                }
            }
        }
        None => (
            Expr::All(
                clauses
                    .iter()
                    .map(|cl| Expr::Id(cl.id.clone(), 0))
                    .collect(),
            ),
            0,
        ),
    };
    let mut used = vec![false; clauses.len()];
    let mut nodes = Vec::new();
    let mut kids = Vec::new();
    let root = lower(
        c, entry, &expr, expr_at, &ids, &mut used, &mut nodes, &mut kids,
    )?;
    for (i, u) in used.iter().enumerate() {
        if !u {
            let cl = &clauses[i];
            c.errors.push(SourceError {
                file: c.file.to_owned(),
                line: cl.line,
                column: 1,
                entry: Some(code.clone()),
                message: format!(
                    "điều kiện «{}» không được dùng trong biểu thức when.",
                    cl.id
                ),
            });
            ok = false;
        }
    }
    if let Some((a, b)) = contradiction(&expr) {
        c.err(
            expr_at,
            entry,
            format!("không bao giờ thỏa: all(...) chứa cả «{a}» và not({b})."),
        );
        ok = false;
    }
    ok.then(|| Rule {
        award: award_id,
        pack,
        scope: None,
        from,
        to,
        citation: r.citation,
        note: r.note,
        clauses,
        nodes,
        kids,
        root,
        file: c.file.to_owned(),
        line,
    })
}

fn contradiction(e: &Expr) -> Option<(String, String)> {
    match e {
        Expr::All(v) => {
            let pos: HashSet<&str> = v
                .iter()
                .filter_map(|x| {
                    if let Expr::Id(i, _) = x {
                        Some(i.as_str())
                    } else {
                        None
                    }
                })
                .collect();
            for x in v {
                if let Expr::Not(inner) = x {
                    if let Expr::Id(i, _) = inner.as_ref() {
                        if pos.contains(i.as_str()) {
                            return Some((i.clone(), i.clone()));
                        }
                    }
                }
            }
            v.iter().find_map(contradiction)
        }
        Expr::Any(v) => v.iter().find_map(contradiction),
        Expr::Not(x) => contradiction(x),
        Expr::Id(..) => None,
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the compiler's context, the expression and the tables it lowers into"
)]
fn lower(
    c: &mut Ctx<'_>,
    entry: Option<&str>,
    e: &Expr,
    base: usize,
    ids: &HashMap<String, u16>,
    used: &mut [bool],
    nodes: &mut Vec<Node>,
    kids: &mut Vec<u16>,
) -> Option<u16> {
    let node = match e {
        Expr::Id(name, off) => {
            let Some(&i) = ids.get(name) else {
                c.err(
                    base + off,
                    entry,
                    format!(
                        "biểu thức when nhắc điều kiện «{name}» không có trong [[rule.clause]]."
                    ),
                );
                return None;
            };
            used[usize::from(i)] = true;
            Node::Leaf(i)
        }
        Expr::Not(x) => Node::Not(lower(c, entry, x, base, ids, used, nodes, kids)?),
        Expr::All(v) | Expr::Any(v) => {
            let mut mine = Vec::with_capacity(v.len());
            for x in v {
                mine.push(lower(c, entry, x, base, ids, used, nodes, kids)?);
            }
            let first = u16::try_from(kids.len()).ok()?;
            let len = u16::try_from(mine.len()).ok()?;
            kids.extend(mine);
            if matches!(e, Expr::All(_)) {
                Node::All { first, len }
            } else {
                Node::Any { first, len }
            }
        }
    };
    nodes.push(node);
    u16::try_from(nodes.len() - 1).ok()
}

fn percent(
    c: &mut Ctx<'_>,
    entry: Option<&str>,
    p: Option<&toml::Spanned<String>>,
    at: usize,
) -> Option<Decimal> {
    let Some(p) = p else {
        c.err(at, entry, "thiếu trường percent.");
        return None;
    };
    match p.get_ref().trim_end_matches('%').parse::<Decimal>() {
        Ok(v) if v >= Decimal::ZERO && v <= Decimal::ONE_HUNDRED => Some(v),
        Ok(_) => {
            c.err(
                p.span().start,
                entry,
                format!(
                    "tỷ lệ {} ngoài khoảng 0–100%: điều kiện không bao giờ thỏa.",
                    p.get_ref()
                ),
            );
            None
        }
        Err(_) => {
            c.err(
                p.span().start,
                entry,
                format!(
                    "percent «{}» không phải số thập phân (ví dụ \"70\" hoặc \"12.5\").",
                    p.get_ref()
                ),
            );
            None
        }
    }
}

fn compile_clause(
    c: &mut Ctx<'_>,
    cat: &Catalogue,
    owner: &crate::catalogue::Award,
    rc: RawClause,
    at: usize,
) -> Option<Clause> {
    let id = rc.id.get_ref().clone();
    let entry = Some(owner.code.as_str());
    let line = crate::catalogue::line_col(c.src, at).0;
    let kind_s = rc.kind.get_ref().as_str();
    let Some(&kind) = KINDS.iter().find(|k| **k == kind_s) else {
        c.err(
            rc.kind.span().start,
            entry,
            format!(
                "loại điều kiện «{kind_s}» không tồn tại (có: {}).",
                KINDS.join(", ")
            ),
        );
        return None;
    };
    if rc.citation.trim().is_empty() {
        c.err(
            at,
            entry,
            format!("điều kiện «{id}» thiếu căn cứ (citation)."),
        );
        return None;
    }
    let award_set = |c: &mut Ctx<'_>| -> Option<AwardSet> {
        let Some(a) = &rc.award else {
            c.err(
                at,
                entry,
                format!("điều kiện «{id}» ({kind}) cần trường award."),
            );
            return None;
        };
        let Some(main) = cat.id(a.get_ref()) else {
            c.err(
                a.span().start,
                entry,
                format!(
                    "mã danh hiệu/hình thức «{}» không có trong danh mục.",
                    a.get_ref()
                ),
            );
            return None;
        };
        let ids = cat
            .awards()
            .iter()
            .filter(|x| x.counts_as.as_deref() == Some(a.get_ref().as_str()))
            .map(|x| x.id)
            .collect();
        Some(AwardSet { main, ids })
    };
    let need = |c: &mut Ctx<'_>, name: &str, v: Option<u32>| -> Option<u32> {
        if v.is_none() {
            c.err(
                at,
                entry,
                format!("điều kiện «{id}» ({kind}) cần trường {name}."),
            );
        }
        v
    };
    let collective_only = |c: &mut Ctx<'_>| {
        if owner.accepts(Recipient::Collective) {
            true
        } else {
            c.err(at, entry, format!("điều kiện «{id}» ({kind}) chỉ áp dụng cho tập thể nhưng «{}» không tặng tập thể: không bao giờ thỏa.", owner.code));
            false
        }
    };
    let years_ok = |c: &mut Ctx<'_>, name: &str, y: u32| {
        if y == 0 || y > 60 {
            c.err(
                at,
                entry,
                format!("điều kiện «{id}»: {name} = {y} không hợp lý (1–60): không bao giờ thỏa."),
            );
            false
        } else {
            true
        }
    };
    let offset = rc.offset.unwrap_or(0);
    let test = match kind {
        "title_streak" => {
            let award = award_set(c)?;
            let years = need(c, "years", rc.years.map(u32::from))?;
            let step = rc.step.unwrap_or(1);
            if !years_ok(c, "years", years) || step == 0 {
                return None;
            }
            Test::TitleStreak {
                award,
                years: u16::try_from(years).ok()?,
                step,
                offset,
            }
        }
        "award_count" => {
            let award = award_set(c)?;
            let count = need(c, "count", rc.count)?;
            let within = need(c, "within", rc.within.map(u32::from))?;
            if !years_ok(c, "within", within) {
                return None;
            }
            if count > within {
                c.err(at, entry, format!("điều kiện «{id}»: {count} lần trong {within} năm: không bao giờ thỏa (mỗi năm tối đa một lần)."));
                return None;
            }
            Test::AwardCount {
                award,
                count,
                within: u16::try_from(within).ok()?,
                offset,
            }
        }
        "since_award" => {
            let award = award_set(c)?;
            let years = need(c, "years", rc.years.map(u32::from))?;
            Test::SinceAward {
                award,
                years: u16::try_from(years).ok()?,
                absent_ok: rc.absent_ok.unwrap_or(false),
            }
        }
        "rating_count" => {
            let Some(rating) = rc.rating else {
                c.err(
                    at,
                    entry,
                    format!("điều kiện «{id}» (rating_count) cần trường rating."),
                );
                return None;
            };
            let count = rc.count.unwrap_or(1);
            let within = u32::from(rc.within.unwrap_or(1));
            if !years_ok(c, "within", within) {
                return None;
            }
            if count > within {
                c.err(at, entry, format!("điều kiện «{id}»: {count} năm xếp loại trong {within} năm: không bao giờ thỏa."));
                return None;
            }
            Test::RatingCount {
                rating,
                count,
                within: u16::try_from(within).ok()?,
                offset,
            }
        }
        "initiative" => {
            let Some(scope) = rc.scope else {
                c.err(
                    at,
                    entry,
                    format!("điều kiện «{id}» (initiative) cần trường scope."),
                );
                return None;
            };
            let within = u32::from(rc.within.unwrap_or(1));
            if !years_ok(c, "within", within) {
                return None;
            }
            Test::Initiative {
                scope,
                count: rc.count.unwrap_or(1),
                within: u16::try_from(within).ok()?,
            }
        }
        "no_discipline" => {
            let Some(level) = rc.level else {
                c.err(
                    at,
                    entry,
                    format!("điều kiện «{id}» (no_discipline) cần trường level."),
                );
                return None;
            };
            Test::NoDiscipline {
                level,
                within: rc.within.unwrap_or(1).max(1),
            }
        }
        "service" => {
            let months = need(c, "months", rc.months)?;
            let in_year = rc.in_year.unwrap_or(false);
            if in_year && months > 12 {
                c.err(
                    at,
                    entry,
                    format!("điều kiện «{id}»: {months} tháng trong một năm: không bao giờ thỏa."),
                );
                return None;
            }
            Test::Service { months, in_year }
        }
        "member_share" => {
            if !collective_only(c) {
                return None;
            }
            let what = match (&rc.award, rc.rating) {
                (Some(_), None) => MemberWhat::Award(award_set(c)?),
                (None, Some(r)) => MemberWhat::Rating(r),
                _ => {
                    c.err(
                        at,
                        entry,
                        format!(
                            "điều kiện «{id}» (member_share) cần đúng một trong award hoặc rating."
                        ),
                    );
                    return None;
                }
            };
            let p = percent(c, entry, rc.percent.as_ref(), at)?;
            let strict = rc.strict.unwrap_or(false);
            if strict && p == Decimal::ONE_HUNDRED {
                c.err(
                    at,
                    entry,
                    format!("điều kiện «{id}»: trên 100% không bao giờ thỏa."),
                );
                return None;
            }
            Test::MemberShare {
                what,
                percent: p,
                strict,
            }
        }
        "member_count" => {
            if !collective_only(c) {
                return None;
            }
            Test::MemberCount {
                award: award_set(c)?,
                count: rc.count.unwrap_or(1),
            }
        }
        "member_no_discipline" => {
            if !collective_only(c) {
                return None;
            }
            let Some(level) = rc.level else {
                c.err(
                    at,
                    entry,
                    format!("điều kiện «{id}» (member_no_discipline) cần trường level."),
                );
                return None;
            };
            Test::MemberNoDiscipline { level }
        }
        "quota" => {
            let p = percent(c, entry, rc.percent.as_ref(), at)?;
            let Some(spec) = rc.base.as_deref().map(str::trim) else {
                c.err(
                    at,
                    entry,
                    format!(
                        "điều kiện «{id}» (quota) cần trường base (tổng số làm căn cứ tính tỷ lệ)."
                    ),
                );
                return None;
            };
            let base = if spec == "members" {
                QuotaBase::Members
            } else if let Some(r) = spec.strip_prefix("rating:") {
                let Some(r) = Rating::from_code(r.trim()) else {
                    c.err(
                        at,
                        entry,
                        format!(
                            "điều kiện «{id}» (quota): mức xếp loại «{r}» không tồn tại ({}).",
                            Rating::ALL.map(Rating::code).join(", ")
                        ),
                    );
                    return None;
                };
                QuotaBase::Rating(r)
            } else if let Some(main) = cat.id(spec) {
                let ids = cat
                    .awards()
                    .iter()
                    .filter(|x| x.counts_as.as_deref() == Some(spec))
                    .map(|x| x.id)
                    .collect();
                QuotaBase::Award(AwardSet { main, ids })
            } else {
                c.err(at, entry, format!("điều kiện «{id}» (quota): base «{spec}» không đếm được: cần mã danh hiệu trong danh mục, «rating:<mức xếp loại>» hoặc «members»."));
                return None;
            };
            Test::Quota { percent: p, base }
        }
        "vote" => {
            let p = percent(c, entry, rc.percent.as_ref(), at)?;
            // Điều 33 k5 NĐ 152/2025: the council's shares are counted on its
            // whole membership unless the pack says otherwise.
            let base = match rc.base.as_deref() {
                None => Base::Eligible,
                Some(b) => {
                    let Some(b) = Base::from_code(b) else {
                        c.err(at, entry, format!("điều kiện «{id}» (vote): base «{b}» không hợp lệ: cần «members», «present» hoặc «valid-ballots»."));
                        return None;
                    };
                    b
                }
            };
            Test::Vote {
                threshold: Threshold::new(p, base),
            }
        }
        "armed_forces" => Test::ArmedForces {
            value: rc.value.unwrap_or(true),
        },
        "recipient" => {
            let Some(value) = rc.recipient else {
                c.err(
                    at,
                    entry,
                    format!("điều kiện «{id}» (recipient) cần trường recipient."),
                );
                return None;
            };
            if !owner.accepts(value) {
                c.err(
                    at,
                    entry,
                    format!(
                        "điều kiện «{id}»: «{}» không tặng cho {}: không bao giờ thỏa.",
                        owner.code,
                        value.label()
                    ),
                );
                return None;
            }
            Test::Recipient { value }
        }
        "manual" => {
            if rc.note.is_none() {
                c.err(
                    at,
                    entry,
                    format!("điều kiện «{id}» (manual) cần note: cán bộ phải xem xét điều gì."),
                );
                return None;
            }
            Test::Manual
        }
        _ => unreachable!("KINDS and the match agree"),
    };
    if let Some(set) = test.awards() {
        let held = cat.award(set.main);
        if !held.recipients.iter().any(|r| owner.recipients.contains(r))
            && !matches!(test, Test::MemberCount { .. } | Test::MemberShare { .. })
        {
            c.err(at, entry, format!("điều kiện «{id}» đòi «{}» ({}) mà «{}» không tặng cùng loại đối tượng: không bao giờ thỏa.", held.code, held.recipients.iter().map(|r| r.label()).collect::<Vec<_>>().join(", "), owner.code));
            return None;
        }
    }
    Some(Clause {
        id,
        kind,
        citation: rc.citation,
        uncertain: rc.uncertain,
        note: rc.note,
        test,
        line,
    })
}

/// A `successor` names a loaded pack that starts after this one ends
/// (NĐ 152/2025/NĐ-CP ends on 01/3/2027 unless extended, Điều 60 khoản 1:
/// its pack says so, and the one that replaces it is named here once known).
fn check_successors(
    packs: &[Pack],
    successors: &[(String, &str, usize, String, String)],
    errors: &mut Vec<SourceError>,
) {
    for (file, src, offset, id, next) in successors {
        let this = packs.iter().find(|p| &p.id == id);
        match packs.iter().find(|p| &p.id == next) {
            None => errors.push(SourceError::at(
                file,
                src,
                *offset,
                Some(id),
                format!("successor «{next}» không phải mã của một gói đã nạp."),
            )),
            Some(n) if n.id == *id => errors.push(SourceError::at(
                file,
                src,
                *offset,
                Some(id),
                "gói không thể là successor của chính nó.",
            )),
            Some(n) => {
                if let Some(to) = this.and_then(|p| p.to) {
                    if n.from <= to {
                        errors.push(SourceError::at(
                            file,
                            src,
                            *offset,
                            Some(id),
                            format!(
                                "gói kế tiếp «{next}» có hiệu lực từ {}, không sau ngày gói này hết hiệu lực ({}).",
                                crate::date::format_vn(n.from),
                                crate::date::format_vn(to)
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// Cycles between awards (A needs B needs A). A rule that needs an earlier
/// award of its own kind (`since_award`, e.g. "5 years since the last one")
/// is a time-separated self-reference, not a cycle.
fn check_cycles(cat: &Catalogue, rules: &[Rule], errors: &mut Vec<SourceError>) {
    let mut edges: BTreeMap<AwardId, Vec<(AwardId, usize, usize)>> = BTreeMap::new();
    for (ri, r) in rules.iter().enumerate() {
        for cl in &r.clauses {
            if let Some(set) = cl.test.awards() {
                if set.main == r.award {
                    if !matches!(cl.test, Test::SinceAward { .. }) {
                        errors.push(SourceError {
                            file: r.file.clone(),
                            line: cl.line,
                            column: 1,
                            entry: Some(cat.award(r.award).code.clone()),
                            message: format!(
                                "điều kiện «{}» đòi chính danh hiệu đang xét: vòng lặp.",
                                cl.id
                            ),
                        });
                    }
                    continue;
                }
                edges
                    .entry(r.award)
                    .or_default()
                    .push((set.main, ri, cl.line));
            }
        }
    }
    // Iterative DFS with colours; report each cycle once, at the edge that closes it.
    let mut colour: HashMap<AwardId, u8> = HashMap::new();
    let mut reported = HashSet::new();
    for &start in edges.keys() {
        if colour.get(&start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut stack: Vec<(AwardId, usize)> = vec![(start, 0)];
        let mut path: Vec<AwardId> = vec![start];
        colour.insert(start, 1);
        while let Some((node, i)) = stack.pop() {
            let out = edges.get(&node).map_or(&[][..], Vec::as_slice);
            if i < out.len() {
                stack.push((node, i + 1));
                let (next, ri, line) = out[i];
                match colour.get(&next).copied().unwrap_or(0) {
                    0 => {
                        colour.insert(next, 1);
                        path.push(next);
                        stack.push((next, 0));
                    }
                    1 => {
                        let from = path.iter().position(|&a| a == next).unwrap_or(0);
                        let mut names: Vec<&str> = path[from..]
                            .iter()
                            .map(|&a| cat.award(a).code.as_str())
                            .collect();
                        names.push(cat.award(next).code.as_str());
                        let key = names.join(">");
                        if reported.insert(key) {
                            let r = &rules[ri];
                            errors.push(SourceError {
                                file: r.file.clone(),
                                line,
                                column: 1,
                                entry: Some(cat.award(r.award).code.clone()),
                                message: format!(
                                    "vòng lặp giữa các danh hiệu: {}.",
                                    names.join(" → ")
                                ),
                            });
                        }
                    }
                    _ => {}
                }
            } else {
                colour.insert(node, 2);
                path.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_packs_pass_the_checker() {
        let rules = RuleSet::embedded();
        assert!(rules.rules.len() > 60);
    }

    #[test]
    fn every_award_in_the_catalogue_has_a_rule_in_force_today() {
        let rules = RuleSet::embedded();
        let today = Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
        for a in rules.catalogue().awards() {
            if a.effective_to.is_some_and(|t| t < today) {
                continue;
            }
            let r = rules
                .rule_for(a.id, today)
                .unwrap_or_else(|| panic!("no rule for {}", a.code));
            assert!(
                r.clauses.iter().all(|c| !c.citation.is_empty()),
                "{}",
                a.code
            );
        }
    }
}
