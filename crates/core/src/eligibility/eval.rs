//! Evaluation of a compiled rule against a history: a verdict fast enough for
//! a scan over a million people ([`RuleSet::verdict`], no allocation), and a
//! clause-by-clause explanation with citations and evidence for one subject
//! ([`RuleSet::explain`]).
//!
//! Logic is three-valued (Kleene): a missing input makes a clause *chưa rõ*,
//! and the verdict *cần xem xét thêm* unless another clause already decides.
//! Procedural clauses (quota, vote) without their inputs are *chờ bình xét*
//! and do not block a verdict: they are checked on the proposal list.
//!
//! This file walks the rule's tree (`all`, `any`, `not`) and writes the
//! answer; what each clause requires, how it is judged and how it is worded
//! lives with its kind in `clause/<kind>.rs`.

use std::fmt;

use serde::Serialize;
use time::Date;

use super::clause::{Clause, Row};
use super::history::History;
use super::pack::RuleSet;
use super::rule::{Node, Rule};
use crate::catalogue::AwardId;
use crate::share::Share;

/// When and on what the evaluation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EvalContext {
    /// The achievement year being considered.
    pub year: i32,
    /// The date whose rules apply (the pack in force on this date).
    pub at: Date,
    /// Proposal list for quota clauses: how many are proposed, out of what base.
    pub quota: Option<QuotaInput>,
    /// The subject's council vote, with the base it was counted on.
    pub vote: Option<Share>,
}

impl EvalContext {
    /// Year `year`, judged by the rules in force on 31 December of that year.
    #[must_use]
    pub fn year_end(year: i32) -> Self {
        let at = Date::from_calendar_date(year, time::Month::December, 31).unwrap_or(Date::MIN);
        Self {
            year,
            at,
            quota: None,
            vote: None,
        }
    }

    #[must_use]
    pub fn at(year: i32, at: Date) -> Self {
        Self {
            year,
            at,
            quota: None,
            vote: None,
        }
    }
}

/// Counts for a quota clause: `proposed` of a list whose base is `base`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuotaInput {
    pub proposed: u32,
    pub base: u32,
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Eligible,
    NotEligible,
    NeedsReview,
    /// No pack has a rule for the award in force on the evaluation date (a
    /// date before the first pack, after the last one ended, or an award no
    /// pack covers): the engine does not guess which law applies.
    NoRuleInForce,
}

impl Verdict {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Eligible => "đủ điều kiện",
            Self::NotEligible => "chưa đủ điều kiện",
            Self::NeedsReview => "cần xem xét thêm",
            Self::NoRuleInForce => "không có quy định có hiệu lực",
        }
    }
}

/// One clause's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    Unknown,
    /// Procedural clause whose input (list, minutes) is not given yet.
    Pending,
}

impl Status {
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Pass => "✓",
            Self::Fail => "✗",
            Self::Unknown => "?",
            Self::Pending => "…",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "đạt",
            Self::Fail => "không đạt",
            Self::Unknown => "chưa rõ",
            Self::Pending => "chờ bình xét",
        }
    }

    /// For combining: pending counts as met.
    fn tri(self) -> Self {
        if self == Self::Pending {
            Self::Pass
        } else {
            self
        }
    }
}

/// One row of an explanation: a combinator or a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseResult {
    /// Clause id, or `all`/`any`/`not` for a combinator row.
    pub id: String,
    pub kind: String,
    /// Nesting level in the rule's tree (0 = root).
    pub depth: u8,
    pub status: Status,
    /// Vietnamese sentence saying what is required.
    pub description: String,
    pub citation: Option<String>,
    pub uncertain: Option<String>,
    /// Which years, decisions, ratings support the outcome.
    pub evidence: Vec<String>,
    /// For a failed or unknown clause: what is missing.
    pub missing: Option<String>,
    /// For a failed clause: the earliest year it could hold, if everything
    /// from next year on goes the subject's way.
    pub earliest_year: Option<i32>,
}

/// The full answer for one subject and one award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub award: String,
    pub award_name: String,
    pub year: i32,
    pub at: Date,
    pub verdict: Verdict,
    /// The pack that decided (its id), `None` when no rule is in force.
    pub pack: Option<String>,
    pub pack_title: Option<String>,
    /// The act that makes the deciding pack law (decree, province's decision).
    pub pack_decision: Option<String>,
    /// The org unit a deciding overlay pack is scoped to (`None`: national).
    pub pack_scope: Option<String>,
    pub citation: Option<String>,
    pub rows: Vec<ClauseResult>,
    /// Lineage and transition notes ("kế thừa từ …", Điều 95).
    pub notes: Vec<String>,
}

impl Explanation {
    /// The first failed leaf clause, if any (what a test or a summary names).
    #[must_use]
    pub fn first_failure(&self) -> Option<&ClauseResult> {
        self.rows
            .iter()
            .find(|r| r.status == Status::Fail && !matches!(r.kind.as_str(), "all" | "any" | "not"))
    }

    #[must_use]
    pub fn row(&self, id: &str) -> Option<&ClauseResult> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// Which pack decided, in one line: *"Quy định áp dụng: gói
    /// «bac-ninh-qd-86-2025» — QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh, 03/12/2025
    /// (áp dụng cho đơn vị «bac-ninh» và các đơn vị trực thuộc)"*.
    #[must_use]
    pub fn pack_line(&self) -> Option<String> {
        let id = self.pack.as_ref()?;
        let mut s = format!("Quy định áp dụng: gói «{id}»");
        if let Some(d) = self.pack_decision.as_ref().or(self.pack_title.as_ref()) {
            s.push_str(&format!(" — {d}"));
        }
        match &self.pack_scope {
            Some(u) => s.push_str(&format!(
                " (áp dụng cho đơn vị «{u}» và các đơn vị trực thuộc)"
            )),
            None => s.push_str(" (quy định chung toàn quốc)"),
        }
        Some(s)
    }
}

impl Explanation {
    /// Undetermined only because the rule's criteria are not encoded (a
    /// `manual` clause, e.g. Huân chương Sao vàng, Điều 34 Luật TĐKT 2022):
    /// every encoded condition holds, so the answer says nothing about this
    /// subject. A person's answers leave these out and the administrator's
    /// rules page lists them (issue 15 item 4); an award still undetermined
    /// for missing data about the subject is not one of them.
    #[must_use]
    pub fn undetermined_by_unencoded_criteria(&self) -> bool {
        let open = |r: &&ClauseResult| matches!(r.status, Status::Unknown | Status::Pending);
        let leaves = self
            .rows
            .iter()
            .filter(|r| !matches!(r.kind.as_str(), "all" | "any" | "not"));
        self.verdict == Verdict::NeedsReview
            && self.rows.iter().any(|r| r.kind == "manual")
            && leaves.filter(open).all(|r| r.kind == "manual")
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} — năm {}: {}",
            self.award_name,
            self.year,
            self.verdict.label().to_uppercase()
        )?;
        if let (Some(t), Some(c)) = (&self.pack_title, &self.citation) {
            writeln!(f, "Căn cứ: {c} ({t})")?;
        }
        if let Some(line) = self.pack_line() {
            writeln!(f, "{line}")?;
        }
        for r in &self.rows {
            let indent = "  ".repeat(usize::from(r.depth) + 1);
            write!(f, "{indent}{} {}", r.status.symbol(), r.description)?;
            if let Some(c) = &r.citation {
                write!(f, " [{c}]")?;
            }
            writeln!(f)?;
            for e in &r.evidence {
                writeln!(f, "{indent}    · {e}")?;
            }
            if let Some(m) = &r.missing {
                writeln!(f, "{indent}    thiếu: {m}")?;
            }
            if let Some(y) = r.earliest_year {
                writeln!(f, "{indent}    sớm nhất có thể đạt: năm {y}")?;
            }
            if let Some(u) = &r.uncertain {
                writeln!(f, "{indent}    (chưa chắc chắn: {u})")?;
            }
        }
        for n in &self.notes {
            writeln!(f, "Ghi chú: {n}")?;
        }
        Ok(())
    }
}

fn combine_all(it: impl Iterator<Item = Status>) -> Status {
    let mut unknown = false;
    for s in it {
        match s.tri() {
            Status::Fail => return Status::Fail,
            Status::Unknown => unknown = true,
            _ => {}
        }
    }
    if unknown {
        Status::Unknown
    } else {
        Status::Pass
    }
}

fn combine_any(it: impl Iterator<Item = Status>) -> Status {
    let mut unknown = false;
    for s in it {
        match s.tri() {
            Status::Pass => return Status::Pass,
            Status::Unknown => unknown = true,
            _ => {}
        }
    }
    if unknown {
        Status::Unknown
    } else {
        Status::Fail
    }
}

fn negate(s: Status) -> Status {
    match s.tri() {
        Status::Pass => Status::Fail,
        Status::Fail => Status::Pass,
        other => other,
    }
}

fn node(rule: &Rule, n: u16, h: &History<'_>, ctx: &EvalContext, y: i32, now: i32) -> Status {
    match rule.nodes[usize::from(n)] {
        Node::Leaf(c) => rule.clauses[usize::from(c)].test.status(h, ctx, y, now),
        Node::Not(x) => negate(node(rule, x, h, ctx, y, now)),
        Node::All { first, len } => {
            combine_all(kids(rule, first, len).map(|k| node(rule, k, h, ctx, y, now)))
        }
        Node::Any { first, len } => {
            combine_any(kids(rule, first, len).map(|k| node(rule, k, h, ctx, y, now)))
        }
    }
}

fn kids(rule: &Rule, first: u16, len: u16) -> impl Iterator<Item = u16> + '_ {
    rule.kids[usize::from(first)..usize::from(first) + usize::from(len)]
        .iter()
        .copied()
}

fn to_verdict(s: Status) -> Verdict {
    match s.tri() {
        Status::Pass => Verdict::Eligible,
        Status::Fail => Verdict::NotEligible,
        _ => Verdict::NeedsReview,
    }
}

/// A rule resolved once for a scan: `verdict` per history, no lookups, no
/// allocation. Where an organisation overlay exists for the award, the rule
/// is chosen per history from its `scope` (a few comparisons); otherwise the
/// national rule is resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Scanner<'r> {
    set: &'r RuleSet,
    rule: Option<&'r Rule>,
    award: &'r crate::catalogue::Award,
    ctx: EvalContext,
    overlaid: bool,
}

impl<'r> Scanner<'r> {
    fn rule_of(&self, h: &History<'_>) -> Option<&'r Rule> {
        if self.overlaid {
            self.set.rule_in(self.award.id, self.ctx.at, &h.scope)
        } else {
            self.rule
        }
    }

    #[must_use]
    pub fn verdict(&self, h: &History<'_>) -> Verdict {
        if h.recipient.is_some_and(|r| !self.award.accepts(r)) {
            return Verdict::NotEligible;
        }
        match self.rule_of(h) {
            None => Verdict::NoRuleInForce,
            Some(rule) => to_verdict(node(
                rule,
                rule.root,
                h,
                &self.ctx,
                self.ctx.year,
                self.ctx.year,
            )),
        }
    }

    /// "One step away": the verdict for the year after `ctx.year`, assuming
    /// that year goes the subject's way (rating, title, service) while
    /// everything up to `ctx.year` stays as it is. `Eligible` here for a
    /// subject not eligible now means one more good year is all it lacks.
    #[must_use]
    pub fn verdict_next_year(&self, h: &History<'_>) -> Verdict {
        if h.recipient.is_some_and(|r| !self.award.accepts(r)) {
            return Verdict::NotEligible;
        }
        match self.rule_of(h) {
            None => Verdict::NoRuleInForce,
            Some(rule) => to_verdict(node(
                rule,
                rule.root,
                h,
                &self.ctx,
                self.ctx.year + 1,
                self.ctx.year,
            )),
        }
    }

    /// The award this scanner judges.
    #[must_use]
    pub fn award(&self) -> &crate::catalogue::Award {
        self.award
    }

    /// Is there a rule in force for the award on the evaluation date (the
    /// national one, or an overlay for some unit)?
    #[must_use]
    pub fn has_rule(&self) -> bool {
        self.rule.is_some()
            || (self.overlaid
                && self
                    .set
                    .rules_for(self.award.id)
                    .any(|r| r.scope.is_some() && r.in_force_on(self.ctx.at)))
    }
}

impl RuleSet {
    /// Resolves the rule of `award` in force on `ctx.at` once, for many histories.
    #[must_use]
    pub fn scanner(&self, award: AwardId, ctx: EvalContext) -> Scanner<'_> {
        Scanner {
            set: self,
            rule: self.rule_for(award, ctx.at),
            award: self.catalogue.award(award),
            ctx,
            overlaid: self.has_overlay(award),
        }
    }

    /// The verdict alone: no explanation, no allocation.
    #[must_use]
    pub fn verdict(&self, award: AwardId, h: &History<'_>, ctx: &EvalContext) -> Verdict {
        self.scanner(award, *ctx).verdict(h)
    }

    /// The verdict with every clause, its citation, evidence, what is missing
    /// and the earliest year a failed clause could hold.
    #[must_use]
    pub fn explain(&self, award: AwardId, h: &History<'_>, ctx: &EvalContext) -> Explanation {
        let cat = &self.catalogue;
        let a = cat.award(award);
        let mut ex = Explanation {
            award: a.code.clone(),
            award_name: a.name.clone(),
            year: ctx.year,
            at: ctx.at,
            verdict: Verdict::NeedsReview,
            pack: None,
            pack_title: None,
            pack_decision: None,
            pack_scope: None,
            citation: None,
            rows: Vec::new(),
            notes: Vec::new(),
        };
        if let Some(r) = h.recipient {
            if !a.accepts(r) {
                ex.verdict = Verdict::NotEligible;
                ex.rows.push(ClauseResult {
                    id: "doi-tuong".into(),
                    kind: "recipient".into(),
                    depth: 0,
                    status: Status::Fail,
                    description: format!(
                        "Đối tượng được tặng: {} (đối tượng đang xét là {})",
                        a.recipients
                            .iter()
                            .map(|x| x.label())
                            .collect::<Vec<_>>()
                            .join(", "),
                        r.label()
                    ),
                    citation: Some(a.citation.clone()),
                    uncertain: None,
                    evidence: Vec::new(),
                    missing: Some(format!("«{}» không tặng cho {}", a.name, r.label())),
                    earliest_year: None,
                });
                return ex;
            }
        }
        let Some(rule) = self.rule_in(award, ctx.at, &h.scope) else {
            ex.verdict = Verdict::NoRuleInForce;
            ex.notes.push(self.no_rule_reason(award, ctx.at));
            return ex;
        };
        let pack = &self.packs[rule.pack];
        ex.pack = Some(pack.id.clone());
        ex.pack_title = Some(pack.title.clone());
        ex.pack_decision.clone_from(&pack.decision);
        ex.pack_scope.clone_from(&pack.scope);
        ex.citation = Some(rule.citation.clone());
        let mut inherited: Vec<(i32, String)> = Vec::new();
        let mut before_2024 = false;
        self.explain_node(
            rule,
            rule.root,
            0,
            h,
            ctx,
            &mut ex.rows,
            &mut inherited,
            &mut before_2024,
        );
        ex.verdict = to_verdict(ex.rows.first().map_or(Status::Unknown, |r| r.status));
        inherited.sort();
        inherited.dedup();
        for (yr, via) in inherited {
            let event = h
                .predecessors
                .iter()
                .find(|p| p.name == via)
                .map(|p| format!(" ({} ngày {})", p.event, crate::date::format_vn(p.date)))
                .unwrap_or_default();
            ex.notes.push(format!("Thành tích năm {yr} kế thừa từ «{via}»{event}: lịch sử của đơn vị tiền thân được tính cho đơn vị hiện nay."));
        }
        if before_2024
            && pack.from
                >= Date::from_calendar_date(2024, time::Month::January, 1).unwrap_or(Date::MIN)
        {
            ex.notes.push(
                "Danh hiệu, hình thức khen thưởng được tặng trước 01/01/2024 tiếp tục được công nhận (Điều 95 Luật TĐKT 2022) và được tính vào chuỗi năm."
                    .to_owned(),
            );
        }
        if let Some(n) = &rule.note {
            ex.notes.push(n.clone());
        }
        ex
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the node, where it stands in the tree, and what it is judged against"
    )]
    fn explain_node(
        &self,
        rule: &Rule,
        n: u16,
        depth: u8,
        h: &History<'_>,
        ctx: &EvalContext,
        rows: &mut Vec<ClauseResult>,
        inherited: &mut Vec<(i32, String)>,
        before_2024: &mut bool,
    ) -> Status {
        let y = ctx.year;
        match rule.nodes[usize::from(n)] {
            Node::Leaf(c) => {
                let clause = &rule.clauses[usize::from(c)];
                let row = self.explain_leaf(clause, depth, h, ctx, inherited, before_2024);
                let s = row.status;
                rows.push(row);
                s
            }
            Node::Not(x) | Node::All { first: x, len: _ } | Node::Any { first: x, len: _ } => {
                let at = rows.len();
                let (kind, description) = match rule.nodes[usize::from(n)] {
                    Node::Not(_) => ("not", "Không được có điều kiện sau"),
                    Node::All { .. } => ("all", "Đạt tất cả các điều kiện sau"),
                    _ => ("any", "Đạt một trong các điều kiện sau"),
                };
                rows.push(ClauseResult {
                    id: kind.into(),
                    kind: kind.into(),
                    depth,
                    status: Status::Unknown,
                    description: description.into(),
                    citation: None,
                    uncertain: None,
                    evidence: Vec::new(),
                    missing: None,
                    earliest_year: None,
                });
                let children: Vec<u16> = match rule.nodes[usize::from(n)] {
                    Node::Not(_) => vec![x],
                    Node::All { first, len } | Node::Any { first, len } => {
                        kids(rule, first, len).collect()
                    }
                    Node::Leaf(_) => unreachable!(),
                };
                let mut st = Vec::with_capacity(children.len());
                let mut earliest = Vec::new();
                for k in children {
                    let child_row = rows.len();
                    st.push(self.explain_node(
                        rule,
                        k,
                        depth + 1,
                        h,
                        ctx,
                        rows,
                        inherited,
                        before_2024,
                    ));
                    earliest.push(rows[child_row].earliest_year);
                }
                let status = match kind {
                    "not" => negate(st[0]),
                    "all" => combine_all(st.iter().copied()),
                    _ => combine_any(st.iter().copied()),
                };
                rows[at].status = status;
                if status == Status::Fail {
                    rows[at].earliest_year = match kind {
                        // All: every failed child must hold; a child with no earliest year blocks.
                        "all" => st
                            .iter()
                            .zip(&earliest)
                            .filter(|(s, _)| s.tri() == Status::Fail)
                            .map(|(_, e)| *e)
                            .collect::<Option<Vec<i32>>>()
                            .and_then(|v| v.into_iter().max()),
                        "any" => earliest.iter().flatten().min().copied(),
                        _ => None,
                    };
                    // Re-check the combined date: clauses may not hold in the same year.
                    if let Some(e) = rows[at].earliest_year {
                        rows[at].earliest_year = (e..=e + 60)
                            .find(|&yy| node(rule, n, h, ctx, yy, y).tri() == Status::Pass);
                    }
                }
                status
            }
        }
    }

    /// One clause explained on its own (quota checks on a list).
    pub(crate) fn explain_clause(&self, cl: &Clause, ctx: &EvalContext) -> ClauseResult {
        self.explain_leaf(cl, 0, &History::default(), ctx, &mut Vec::new(), &mut false)
    }

    fn explain_leaf(
        &self,
        cl: &Clause,
        depth: u8,
        h: &History<'_>,
        ctx: &EvalContext,
        inherited: &mut Vec<(i32, String)>,
        before_2024: &mut bool,
    ) -> ClauseResult {
        let y = ctx.year;
        let status = cl.test.status(h, ctx, y, y);
        let mut row = Row {
            h,
            ctx,
            cat: &self.catalogue,
            y,
            status,
            evidence: Vec::new(),
            missing: None,
            inherited,
            before_2024,
        };
        let description = cl.test.describe(cl.note.as_deref(), &mut row);
        let earliest_year = if status == Status::Fail {
            (y + 1..=y + 60).find(|&yy| cl.test.status(h, ctx, yy, y) == Status::Pass)
        } else {
            None
        };
        ClauseResult {
            id: cl.id.clone(),
            kind: cl.kind.to_owned(),
            depth,
            status,
            description,
            citation: Some(cl.citation.clone()),
            uncertain: cl.uncertain.clone(),
            evidence: row.evidence,
            missing: row.missing,
            earliest_year,
        }
    }
}
