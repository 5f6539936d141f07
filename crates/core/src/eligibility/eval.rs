//! Evaluation of a compiled rule against a history: a verdict fast enough for
//! a scan over a million people ([`RuleSet::verdict`], no allocation), and a
//! clause-by-clause explanation with citations and evidence for one subject
//! ([`RuleSet::explain`]).
//!
//! Logic is three-valued (Kleene): a missing input makes a clause *chưa rõ*,
//! and the verdict *cần xem xét thêm* unless another clause already decides.
//! Procedural clauses (quota, vote) without their inputs are *chờ bình xét*
//! and do not block a verdict: they are checked on the proposal list.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::history::History;
use super::pack::{Clause, MemberWhat, Node, QuotaBase, Rule, RuleSet, Test};
use crate::catalogue::{AwardId, Catalogue};
use crate::share::{Base, Share};

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

fn pct(d: Decimal) -> String {
    format!("{}%", d.round_dp(2).normalize()).replace('.', ",")
}

/// Years `(Y + offset - within + 1) ..= (Y + offset)`.
fn window(year: i32, within: u16, offset: i16) -> (i32, i32) {
    let end = year + i32::from(offset);
    (end - i32::from(within) + 1, end)
}

/// Evaluates one test for evaluation year `y`, where years after `now` are
/// assumed to go the subject's way (used to find the earliest year a failed
/// clause could hold; `now == y` for a plain evaluation).
fn test(t: &Test, h: &History<'_>, ctx: &EvalContext, y: i32, now: i32) -> Status {
    let future = |yr: i32| yr > now;
    let held = |set: &super::pack::AwardSet, yr: i32| {
        future(yr)
            || h.awards
                .iter()
                .any(|a| a.year == yr && set.contains(a.award))
    };
    match t {
        Test::TitleStreak {
            award,
            years,
            step,
            offset,
        } => {
            let end = y + i32::from(*offset);
            let ok = (0..i32::from(*years)).all(|k| held(award, end - k * i32::from(*step)));
            if ok {
                Status::Pass
            } else {
                Status::Fail
            }
        }
        Test::AwardCount {
            award,
            count,
            within,
            offset,
        } => {
            let (a, b) = window(y, *within, *offset);
            let n = (a..=b).filter(|&yr| held(award, yr)).count();
            if u32::try_from(n).unwrap_or(u32::MAX) >= *count {
                Status::Pass
            } else {
                Status::Fail
            }
        }
        Test::SinceAward {
            award,
            years,
            absent_ok,
        } => {
            let last = h
                .awards
                .iter()
                .filter(|a| award.contains(a.award) && a.year <= y)
                .map(|a| a.year)
                .max();
            match last {
                Some(l) if y - l >= i32::from(*years) => Status::Pass,
                Some(_) => Status::Fail,
                // Never held: optimistically obtainable next year.
                None if *absent_ok => Status::Pass,
                None if y > now && y - (now + 1) >= i32::from(*years) => Status::Pass,
                None => Status::Fail,
            }
        }
        Test::RatingCount {
            rating,
            count,
            within,
            offset,
        } => {
            let (a, b) = window(y, *within, *offset);
            let mut good = 0u32;
            let mut missing = 0u32;
            for yr in a..=b {
                if future(yr) {
                    good += 1;
                    continue;
                }
                match h.rating(yr) {
                    Some(r) if r.rating >= *rating => good += 1,
                    Some(_) => {}
                    // Not serving that year: no rating is expected, so it is not unknown.
                    None if h.served_in(yr) == Some(false) => {}
                    None => missing += 1,
                }
            }
            if good >= *count {
                Status::Pass
            } else if good + missing >= *count {
                Status::Unknown
            } else {
                Status::Fail
            }
        }
        Test::Initiative {
            scope,
            count,
            within,
        } => {
            if !h.supplied.initiatives {
                return Status::Unknown;
            }
            let (a, b) = window(y, *within, 0);
            let fut = u32::try_from((a..=b).filter(|&yr| future(yr)).count()).unwrap_or(0);
            let n = u32::try_from(
                h.initiatives
                    .iter()
                    .filter(|i| i.scope >= *scope && (a..=b).contains(&i.recognised.year()))
                    .count(),
            )
            .unwrap_or(0);
            if n + fut >= *count {
                Status::Pass
            } else {
                Status::Fail
            }
        }
        Test::NoDiscipline { level, within } => {
            if !h.supplied.disciplines {
                return Status::Unknown;
            }
            let (a, b) = window(y, *within, 0);
            if h.disciplines
                .iter()
                .any(|d| d.level >= *level && d.touches_years(a, b))
            {
                Status::Fail
            } else {
                Status::Pass
            }
        }
        Test::Service { months, in_year } => {
            if *in_year {
                if future(y) {
                    return Status::Pass;
                }
                match h.service_months_in(y) {
                    None => Status::Unknown,
                    Some(m) if m >= *months => Status::Pass,
                    Some(_) => Status::Fail,
                }
            } else {
                let at = if y > now {
                    Date::from_calendar_date(now, time::Month::December, 31).unwrap_or(ctx.at)
                } else {
                    ctx.at
                };
                match h.service_months(at) {
                    None => Status::Unknown,
                    Some(m) => {
                        let extra = u32::try_from((y - now).max(0)).unwrap_or(0) * 12;
                        if m + extra >= *months {
                            Status::Pass
                        } else {
                            Status::Fail
                        }
                    }
                }
            }
        }
        Test::MemberShare {
            what,
            percent,
            strict,
        } => {
            if future(y) {
                return Status::Pass;
            }
            let Some(m) = h.member_year(y) else {
                return Status::Unknown;
            };
            if m.members == 0 {
                return Status::Fail;
            }
            let n = match what {
                MemberWhat::Award(set) => m
                    .titles
                    .iter()
                    .filter(|(a, _)| set.contains(*a))
                    .map(|(_, n)| *n)
                    .sum(),
                MemberWhat::Rating(r) => m.at_least(*r),
            };
            let share = Share::new(n, m.members, Base::Eligible);
            if (*strict && share.exceeds(*percent)) || (!*strict && share.reaches(*percent)) {
                Status::Pass
            } else {
                Status::Fail
            }
        }
        Test::MemberCount { award, count } => {
            if future(y) {
                return Status::Pass;
            }
            let Some(m) = h.member_year(y) else {
                return Status::Unknown;
            };
            let n: u32 = m
                .titles
                .iter()
                .filter(|(a, _)| award.contains(*a))
                .map(|(_, n)| *n)
                .sum();
            if n >= *count {
                Status::Pass
            } else {
                Status::Fail
            }
        }
        Test::MemberNoDiscipline { level } => {
            if future(y) {
                return Status::Pass;
            }
            let Some(m) = h.member_year(y) else {
                return Status::Unknown;
            };
            if m.disciplined_at_least(*level) == 0 {
                Status::Pass
            } else {
                Status::Fail
            }
        }
        Test::Quota { percent, .. } => match ctx.quota {
            None => Status::Pending,
            Some(q) if Share::new(q.proposed, q.base, Base::Eligible).within(*percent) => {
                Status::Pass
            }
            Some(_) => Status::Fail,
        },
        Test::Vote { threshold } => match ctx.vote.map(|v| threshold.judge(v)) {
            None => Status::Pending,
            Some(Ok(true)) => Status::Pass,
            Some(Ok(false)) => Status::Fail,
            // Counted on another base: no verdict until the right count is given.
            Some(Err(_)) => Status::Unknown,
        },
        Test::ArmedForces { value } => match h.armed_forces {
            None => Status::Unknown,
            Some(v) if v == *value => Status::Pass,
            Some(_) => Status::Fail,
        },
        Test::Recipient { value } => match h.recipient {
            None => Status::Unknown,
            Some(r) if r == *value => Status::Pass,
            Some(_) => Status::Fail,
        },
        Test::Manual => Status::Unknown,
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
        Node::Leaf(c) => test(&rule.clauses[usize::from(c)].test, h, ctx, y, now),
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
        let cat: &Catalogue = &self.catalogue;
        let y = ctx.year;
        let status = test(&cl.test, h, ctx, y, y);
        let mut evidence = Vec::new();
        let mut missing = None;
        let name = |id: AwardId| cat.award(id).name.clone();
        let description = match &cl.test {
            Test::TitleStreak {
                award,
                years,
                step,
                offset,
            } => {
                let end = y + i32::from(*offset);
                let wanted: Vec<i32> = (0..i32::from(*years))
                    .map(|k| end - k * i32::from(*step))
                    .rev()
                    .collect();
                let mut gaps = Vec::new();
                for &yr in &wanted {
                    match h
                        .awards
                        .iter()
                        .find(|a| a.year == yr && award.contains(a.award))
                    {
                        Some(a) => {
                            let mut e =
                                format!("năm {yr}: «{}», quyết định {}", name(a.award), a.decision);
                            if let Some(v) = a.via {
                                e.push_str(&format!(" (kế thừa từ {v})"));
                                inherited.push((yr, v.to_owned()));
                            }
                            if yr < 2024 {
                                *before_2024 = true;
                            }
                            evidence.push(e);
                        }
                        None => gaps.push(yr),
                    }
                }
                if !gaps.is_empty() {
                    missing = Some(format!(
                        "chưa có «{}» năm {}",
                        name(award.main),
                        join_years(&gaps)
                    ));
                }
                let every = if *step > 1 {
                    format!(", mỗi lần cách {step} năm")
                } else {
                    String::new()
                };
                format!(
                    "Được tặng «{}» {:02} lần liên tục{every} (đến năm {end})",
                    name(award.main),
                    years
                )
            }
            Test::AwardCount {
                award,
                count,
                within,
                offset,
            } => {
                let (a, b) = window(y, *within, *offset);
                for aw in h
                    .awards
                    .iter()
                    .filter(|x| award.contains(x.award) && (a..=b).contains(&x.year))
                {
                    let mut e = format!(
                        "năm {}: «{}», quyết định {}",
                        aw.year,
                        name(aw.award),
                        aw.decision
                    );
                    if let Some(v) = aw.via {
                        e.push_str(&format!(" (kế thừa từ {v})"));
                        inherited.push((aw.year, v.to_owned()));
                    }
                    if aw.year < 2024 {
                        *before_2024 = true;
                    }
                    evidence.push(e);
                }
                if status == Status::Fail {
                    missing = Some(format!(
                        "mới có {}/{count} lần trong các năm {a}–{b}",
                        evidence.len()
                    ));
                }
                format!(
                    "Được tặng «{}» ít nhất {count:02} lần trong {within} năm ({a}–{b})",
                    name(award.main)
                )
            }
            Test::SinceAward {
                award,
                years,
                absent_ok,
            } => {
                let last = h
                    .awards
                    .iter()
                    .filter(|a| award.contains(a.award) && a.year <= y)
                    .max_by_key(|a| a.year);
                if let Some(l) = last {
                    evidence.push(format!(
                        "lần gần nhất: năm {}, quyết định {}",
                        l.year, l.decision
                    ));
                    if l.year < 2024 {
                        *before_2024 = true;
                    }
                }
                if status == Status::Fail {
                    missing = Some(match last {
                        Some(l) => format!("mới {} năm kể từ năm {}", y - l.year, l.year),
                        None => format!("chưa được tặng «{}»", name(award.main)),
                    });
                }
                if *absent_ok {
                    format!(
                        "Không được tặng «{}» trong {years} năm gần đây",
                        name(award.main)
                    )
                } else {
                    format!(
                        "Đã được tặng «{}» và từ đó đến năm {y} đủ {years} năm",
                        name(award.main)
                    )
                }
            }
            Test::RatingCount {
                rating,
                count,
                within,
                offset,
            } => {
                let (a, b) = window(y, *within, *offset);
                let mut unknown = Vec::new();
                let mut low = Vec::new();
                for yr in a..=b {
                    match h.rating(yr) {
                        Some(r) => {
                            let mut e = format!("năm {yr}: {}", r.rating.label());
                            if let Some(v) = r.via {
                                e.push_str(&format!(" (kế thừa từ {v})"));
                                inherited.push((yr, v.to_owned()));
                            }
                            evidence.push(e);
                            if r.rating < *rating {
                                low.push(yr);
                            }
                        }
                        None if h.served_in(yr) == Some(false) => {
                            evidence.push(format!("năm {yr}: không công tác"));
                            low.push(yr);
                        }
                        None => unknown.push(yr),
                    }
                }
                missing = match status {
                    Status::Unknown => Some(format!(
                        "chưa có kết quả xếp loại năm {}",
                        join_years(&unknown)
                    )),
                    Status::Fail => Some(format!(
                        "năm {} không đạt mức «{}»",
                        join_years(&low),
                        rating.label()
                    )),
                    _ => None,
                };
                if *count == u32::from(*within) && *count > 1 {
                    format!(
                        "{count:02} năm liên tục ({a}–{b}) xếp loại từ «{}» trở lên",
                        rating.label()
                    )
                } else if *within == 1 {
                    format!("Năm {b} xếp loại từ «{}» trở lên", rating.label())
                } else {
                    format!("Ít nhất {count:02} năm xếp loại từ «{}» trở lên trong {within} năm ({a}–{b})", rating.label())
                }
            }
            Test::Initiative {
                scope,
                count,
                within,
            } => {
                let (a, b) = window(y, *within, 0);
                for i in h
                    .initiatives
                    .iter()
                    .filter(|i| i.scope >= *scope && (a..=b).contains(&i.recognised.year()))
                {
                    evidence.push(format!(
                        "«{}», phạm vi {}, công nhận ngày {}",
                        i.title,
                        i.scope.label(),
                        crate::date::format_vn(i.recognised)
                    ));
                }
                missing = match status {
                    Status::Unknown => Some("chưa nhập danh sách sáng kiến, đề tài".to_owned()),
                    Status::Fail => Some(format!(
                        "cần {count} sáng kiến/đề tài phạm vi {} trở lên, mới có {}",
                        scope.label(),
                        evidence.len()
                    )),
                    _ => None,
                };
                let span = if *within == 1 {
                    format!("năm {b}")
                } else {
                    format!("{within} năm {a}–{b}")
                };
                format!("Có sáng kiến, đề tài khoa học được công nhận, phạm vi ảnh hưởng {} trở lên ({count} trong {span})", scope.label())
            }
            Test::NoDiscipline { level, within } => {
                let (a, b) = window(y, *within, 0);
                let hits: Vec<_> = h
                    .disciplines
                    .iter()
                    .filter(|d| d.level >= *level && d.touches_years(a, b))
                    .collect();
                for d in &hits {
                    evidence.push(format!(
                        "kỷ luật {} ngày {}{}, quyết định {}",
                        d.level.label(),
                        crate::date::format_vn(d.date),
                        d.months
                            .map(|m| format!(
                                " ({m} tháng, đến {})",
                                crate::date::format_vn(d.end())
                            ))
                            .unwrap_or_default(),
                        d.decision
                    ));
                }
                missing = match status {
                    Status::Unknown => Some("chưa nhập thông tin kỷ luật".to_owned()),
                    Status::Fail => Some("đang trong thời gian bị kỷ luật".to_owned()),
                    _ => None,
                };
                let span = if *within == 1 {
                    format!("năm {b}")
                } else {
                    format!("các năm {a}–{b}")
                };
                format!(
                    "Không bị kỷ luật từ hình thức {} trở lên trong {span}",
                    level.label()
                )
            }
            Test::Service { months, in_year } => {
                let m = if *in_year {
                    h.service_months_in(y)
                } else {
                    h.service_months(ctx.at)
                };
                if let Some(m) = m {
                    evidence.push(format!("{m} tháng công tác"));
                }
                missing = match (status, m) {
                    (Status::Unknown, _) => Some("chưa nhập quá trình công tác".to_owned()),
                    (Status::Fail, Some(m)) => Some(format!("còn thiếu {} tháng", months - m)),
                    _ => None,
                };
                if *in_year {
                    format!("Thời gian công tác trong năm {y} từ {months} tháng trở lên")
                } else {
                    format!("Tổng thời gian công tác từ {months} tháng trở lên")
                }
            }
            Test::MemberShare {
                what,
                percent,
                strict,
            } => {
                let label = match what {
                    MemberWhat::Award(s) => format!("đạt «{}»", name(s.main)),
                    MemberWhat::Rating(r) => format!("xếp loại từ «{}» trở lên", r.label()),
                };
                if let Some(m) = h.member_year(y) {
                    let n: u32 = match what {
                        MemberWhat::Award(s) => m
                            .titles
                            .iter()
                            .filter(|(a, _)| s.contains(*a))
                            .map(|(_, n)| *n)
                            .sum(),
                        MemberWhat::Rating(r) => m.at_least(*r),
                    };
                    let share = ratio(n, m.members);
                    evidence.push(format!(
                        "năm {y}: {n}/{} thành viên {label} ({})",
                        m.members,
                        pct(share)
                    ));
                }
                missing = match status {
                    Status::Unknown => Some(format!("chưa nhập số liệu thành viên năm {y}")),
                    Status::Fail => Some(format!(
                        "tỷ lệ chưa {} {}",
                        if *strict { "vượt" } else { "đạt" },
                        pct(*percent)
                    )),
                    _ => None,
                };
                format!(
                    "{} {} thành viên {label}",
                    if *strict { "Trên" } else { "Từ" },
                    pct(*percent)
                )
            }
            Test::MemberCount { award, count } => {
                if let Some(m) = h.member_year(y) {
                    evidence.push(format!(
                        "năm {y}: {} thành viên đạt «{}»",
                        m.with_title(award.main),
                        name(award.main)
                    ));
                }
                missing = match status {
                    Status::Unknown => Some(format!("chưa nhập số liệu thành viên năm {y}")),
                    Status::Fail => Some(format!("chưa có thành viên đạt «{}»", name(award.main))),
                    _ => None,
                };
                format!(
                    "Có ít nhất {count} thành viên đạt «{}» năm {y}",
                    name(award.main)
                )
            }
            Test::MemberNoDiscipline { level } => {
                if let Some(m) = h.member_year(y) {
                    evidence.push(format!(
                        "năm {y}: {} thành viên bị kỷ luật từ {} trở lên",
                        m.disciplined_at_least(*level),
                        level.label()
                    ));
                }
                missing = match status {
                    Status::Unknown => Some(format!("chưa nhập số liệu thành viên năm {y}")),
                    Status::Fail => Some("có thành viên bị kỷ luật".to_owned()),
                    _ => None,
                };
                format!(
                    "Không có cá nhân trong tập thể bị kỷ luật từ hình thức {} trở lên",
                    level.label()
                )
            }
            Test::Quota { percent, base } => {
                if let Some(q) = ctx.quota {
                    evidence.push(format!(
                        "đề nghị {}/{} ({})",
                        q.proposed,
                        q.base,
                        pct(ratio(q.proposed, q.base))
                    ));
                    if status == Status::Fail {
                        let max = Share::cap(*percent, q.base);
                        missing = Some(format!(
                            "vượt tỷ lệ: tối đa {max} trên {}, đề nghị {}",
                            q.base, q.proposed
                        ));
                    }
                }
                let of = match base {
                    QuotaBase::Award(a) => format!("số được tặng «{}» năm {y}", name(a.main)),
                    QuotaBase::Rating(r) => {
                        format!("số được xếp loại từ «{}» trở lên năm {y}", r.label())
                    }
                    QuotaBase::Members => format!("tổng số thành viên năm {y}"),
                };
                format!("Số được đề nghị không quá {} {of}", pct(*percent))
            }
            Test::Vote { threshold } => {
                if let Some(v) = ctx.vote {
                    evidence.push(format!(
                        "tỷ lệ phiếu đồng ý: {} ({}/{} {})",
                        pct(ratio(v.yes, v.base)),
                        v.yes,
                        v.base,
                        v.on.label()
                    ));
                    missing = match threshold.judge(v) {
                        Ok(false) => Some(format!(
                            "cần từ {} phiếu đồng ý ({} phiếu trên {})",
                            pct(threshold.percent),
                            Share::needed(threshold.percent, v.base),
                            v.base
                        )),
                        Err(e) => Some(e.to_string()),
                        Ok(true) => None,
                    };
                }
                match threshold.base {
                    Base::Eligible => format!(
                        "Được từ {} thành viên Hội đồng Thi đua - Khen thưởng đồng ý (bỏ phiếu kín)",
                        pct(threshold.percent)
                    ),
                    other => format!(
                        "Được từ {} phiếu đồng ý của Hội đồng Thi đua - Khen thưởng, tính trên {} (bỏ phiếu kín)",
                        pct(threshold.percent),
                        other.label()
                    ),
                }
            }
            Test::ArmedForces { value } => {
                missing = match status {
                    Status::Unknown => {
                        Some("chưa rõ có thuộc lực lượng vũ trang hay không".to_owned())
                    }
                    Status::Fail => Some(
                        if *value {
                            "không thuộc lực lượng vũ trang nhân dân"
                        } else {
                            "thuộc lực lượng vũ trang nhân dân"
                        }
                        .to_owned(),
                    ),
                    _ => None,
                };
                if *value {
                    "Thuộc lực lượng vũ trang nhân dân".to_owned()
                } else {
                    "Không thuộc lực lượng vũ trang nhân dân".to_owned()
                }
            }
            Test::Recipient { value } => {
                missing = match status {
                    Status::Unknown => Some("chưa rõ loại đối tượng".to_owned()),
                    Status::Fail => Some(format!("đối tượng không phải {}", value.label())),
                    _ => None,
                };
                format!("Đối tượng là {}", value.label())
            }
            Test::Manual => {
                missing = Some("cần cán bộ thẩm định xem xét".to_owned());
                cl.note.clone().unwrap_or_default()
            }
        };
        let earliest_year = if status == Status::Fail {
            (y + 1..=y + 60).find(|&yy| test(&cl.test, h, ctx, yy, y) == Status::Pass)
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
            evidence,
            missing,
            earliest_year,
        }
    }
}

/// A share in percent for display only (0 for an empty base).
fn ratio(n: u32, d: u32) -> Decimal {
    Share::new(n, d, Base::Eligible)
        .percent()
        .unwrap_or(Decimal::ZERO)
}

fn join_years(v: &[i32]) -> String {
    v.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
}
