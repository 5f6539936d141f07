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
//! Clause kinds are listed in [`KINDS`](super::clause::KINDS), each in its
//! own file under `clause/`; a rule's tree is compiled by `rule.rs`.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use time::Date;

use super::clause::Test;
use super::rule::{compile_rule, RawRule, Rule};
use crate::catalogue::{AwardId, Catalogue, SourceError};

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

/// Where a pack's problems are reported: the file, its text, the list.
pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) src: &'a str,
    pub(super) errors: &'a mut Vec<SourceError>,
}

impl Ctx<'_> {
    pub(super) fn err(&mut self, offset: usize, entry: Option<&str>, msg: impl Into<String>) {
        self.errors
            .push(SourceError::at(self.file, self.src, offset, entry, msg));
    }
}

pub(super) fn parse_date(
    c: &mut Ctx<'_>,
    s: &toml::Spanned<String>,
    entry: Option<&str>,
) -> Option<Date> {
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
                    if !matches!(cl.test, Test::SinceAward(_)) {
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
