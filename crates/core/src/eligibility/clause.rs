//! Clauses: the conditions a rule is made of, one file per kind (issue 13).
//!
//! Each kind lives in `clause/<kind>.rs`, named as packs write it
//! (`kind = "title_streak"` → `clause/title_streak.rs`), and
//! holds everything about that condition: its compiled form (a struct with
//! the fields the pack gave), its compile from the pack syntax and the checks
//! that refuse a clause that can never hold, its evaluation, the Vietnamese
//! sentence that explains it with evidence and what is missing, and its unit
//! tests.
//!
//! | Kind | What it requires |
//! |---|---|
//! | `title_streak` | a title held N times in a row (3 consecutive years of *Chiến sĩ thi đua cơ sở*) |
//! | `award_count` | an award held at least N times within M years |
//! | `since_award` | N years since the last award of a kind (or never held) |
//! | `rating_count` | ratings of at least a level in N of M years (*hoàn thành xuất sắc nhiệm vụ*) |
//! | `initiative` | initiatives or research of a scope recognised within N years |
//! | `no_discipline` | no discipline of a level touching N years |
//! | `service` | months of service, in the year or in total |
//! | `member_share` | a collective: a share of members with a title or rating (≥ 70% *Lao động tiên tiến*) |
//! | `member_count` | a collective: at least N members with a title |
//! | `member_no_discipline` | a collective: no member disciplined |
//! | `quota` | the proposal list within a share of a base (procedural) |
//! | `vote` | the council's vote share (procedural) |
//! | `armed_forces` | member (or not) of the armed forces |
//! | `recipient` | an individual, a collective or a household |
//! | `manual` | an officer's judgement |
//!
//! A new kind is a new file here, a line in [`KINDS`], a variant of [`Test`]
//! and an arm in each of the three dispatches below (compile, status,
//! describe). The tree of clauses (`all`, `any`, `not`) is walked by
//! `eval.rs`; the pack file around them is read by `pack.rs`.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::eval::{EvalContext, Status};
use super::history::{DisciplineLevel, History, Rating, Scope};
use super::pack::Ctx;
use crate::catalogue::{Award, AwardId, Catalogue, Recipient};
use crate::share::{Base, Share};

mod armed_forces;
mod award_count;
mod initiative;
mod manual;
mod member_count;
mod member_no_discipline;
mod member_share;
mod no_discipline;
mod quota;
mod rating_count;
mod recipient;
mod service;
mod since_award;
mod title_streak;
mod vote;

#[cfg(test)]
mod testing;

pub use armed_forces::ArmedForces;
pub use award_count::AwardCount;
pub use initiative::Initiative;
pub use member_count::MemberCount;
pub use member_no_discipline::MemberNoDiscipline;
pub use member_share::{MemberShare, MemberWhat};
pub use no_discipline::NoDiscipline;
pub use quota::{Quota, QuotaBase};
pub use rating_count::RatingCount;
pub use recipient::RecipientIs;
pub use service::Service;
pub use since_award::SinceAward;
pub use title_streak::TitleStreak;
pub use vote::Vote;

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

/// One clause as written. Which fields apply depends on `kind`; the compiler
/// refuses missing or meaningless ones.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClause {
    pub(super) id: toml::Spanned<String>,
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

/// A compiled test: one variant per kind, each defined in its own file.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    TitleStreak(TitleStreak),
    AwardCount(AwardCount),
    SinceAward(SinceAward),
    RatingCount(RatingCount),
    Initiative(Initiative),
    NoDiscipline(NoDiscipline),
    Service(Service),
    MemberShare(MemberShare),
    MemberCount(MemberCount),
    MemberNoDiscipline(MemberNoDiscipline),
    Quota(Quota),
    Vote(Vote),
    ArmedForces(ArmedForces),
    Recipient(RecipientIs),
    /// Needs an officer's judgement: always *cần xem xét thêm* (`manual.rs`).
    Manual,
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

    /// `code` and every award of `cat` whose `counts_as` is `code`.
    pub(super) fn of(cat: &Catalogue, main: AwardId, code: &str) -> Self {
        let ids = cat
            .awards()
            .iter()
            .filter(|x| x.counts_as.as_deref() == Some(code))
            .map(|x| x.id)
            .collect();
        Self { main, ids }
    }
}

impl Test {
    /// Procedural clauses (quota, vote) are checked on the proposal list and
    /// council minutes; without those inputs they are *chờ bình xét*, not unknown.
    #[must_use]
    pub fn procedural(&self) -> bool {
        matches!(self, Self::Quota(_) | Self::Vote(_))
    }

    pub(crate) fn awards(&self) -> Option<&AwardSet> {
        match self {
            Self::TitleStreak(TitleStreak { award, .. })
            | Self::AwardCount(AwardCount { award, .. })
            | Self::SinceAward(SinceAward { award, .. })
            | Self::MemberCount(MemberCount { award, .. }) => Some(award),
            Self::MemberShare(MemberShare {
                what: MemberWhat::Award(a),
                ..
            }) => Some(a),
            _ => None,
        }
    }

    /// Evaluates the test for evaluation year `y`, where years after `now`
    /// are assumed to go the subject's way (used to find the earliest year a
    /// failed clause could hold; `now == y` for a plain evaluation).
    pub(super) fn status(&self, h: &History<'_>, ctx: &EvalContext, y: i32, now: i32) -> Status {
        match self {
            Self::TitleStreak(t) => t.status(h, y, now),
            Self::AwardCount(t) => t.status(h, y, now),
            Self::SinceAward(t) => t.status(h, y, now),
            Self::RatingCount(t) => t.status(h, y, now),
            Self::Initiative(t) => t.status(h, y, now),
            Self::NoDiscipline(t) => t.status(h, y),
            Self::Service(t) => t.status(h, ctx, y, now),
            Self::MemberShare(t) => t.status(h, y, now),
            Self::MemberCount(t) => t.status(h, y, now),
            Self::MemberNoDiscipline(t) => t.status(h, y, now),
            Self::Quota(t) => t.status(ctx),
            Self::Vote(t) => t.status(ctx),
            Self::ArmedForces(t) => t.status(h),
            Self::Recipient(t) => t.status(h),
            Self::Manual => Status::Unknown,
        }
    }

    /// The sentence saying what the clause requires; fills the row's
    /// evidence and what is missing.
    pub(super) fn describe(&self, note: Option<&str>, r: &mut Row<'_, '_>) -> String {
        match self {
            Self::TitleStreak(t) => t.describe(r),
            Self::AwardCount(t) => t.describe(r),
            Self::SinceAward(t) => t.describe(r),
            Self::RatingCount(t) => t.describe(r),
            Self::Initiative(t) => t.describe(r),
            Self::NoDiscipline(t) => t.describe(r),
            Self::Service(t) => t.describe(r),
            Self::MemberShare(t) => t.describe(r),
            Self::MemberCount(t) => t.describe(r),
            Self::MemberNoDiscipline(t) => t.describe(r),
            Self::Quota(t) => t.describe(r),
            Self::Vote(t) => t.describe(r),
            Self::ArmedForces(t) => t.describe(r),
            Self::Recipient(t) => t.describe(r),
            Self::Manual => manual::describe(note, r),
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

/// What a kind's compile reads: the clause as written, the award that owns
/// the rule, and where to report.
pub(super) struct Spec<'s, 'c, 'e> {
    c: &'s mut Ctx<'e>,
    cat: &'c Catalogue,
    owner: &'c Award,
    rc: &'s RawClause,
    at: usize,
    id: &'s str,
    kind: &'static str,
}

impl Spec<'_, '_, '_> {
    /// Reports a problem at the clause.
    fn err(&mut self, msg: impl Into<String>) {
        let entry = Some(self.owner.code.as_str());
        self.c.err(self.at, entry, msg);
    }

    /// The clause's `award`, with every award that counts as it.
    fn award_set(&mut self) -> Option<AwardSet> {
        let (id, kind) = (self.id, self.kind);
        let Some(a) = &self.rc.award else {
            self.err(format!("điều kiện «{id}» ({kind}) cần trường award."));
            return None;
        };
        let Some(main) = self.cat.id(a.get_ref()) else {
            let entry = Some(self.owner.code.as_str());
            self.c.err(
                a.span().start,
                entry,
                format!(
                    "mã danh hiệu/hình thức «{}» không có trong danh mục.",
                    a.get_ref()
                ),
            );
            return None;
        };
        Some(AwardSet::of(self.cat, main, a.get_ref()))
    }

    /// A required number field.
    fn need(&mut self, name: &str, v: Option<u32>) -> Option<u32> {
        if v.is_none() {
            let (id, kind) = (self.id, self.kind);
            self.err(format!("điều kiện «{id}» ({kind}) cần trường {name}."));
        }
        v
    }

    /// A required field of another type, named in the message.
    fn need_field<T>(&mut self, name: &str, v: Option<T>) -> Option<T> {
        if v.is_none() {
            let (id, kind) = (self.id, self.kind);
            self.err(format!("điều kiện «{id}» ({kind}) cần trường {name}."));
        }
        v
    }

    /// The kind applies to collectives only: the owning award must be given to one.
    fn collective_only(&mut self) -> bool {
        if self.owner.accepts(Recipient::Collective) {
            true
        } else {
            let (id, kind, code) = (self.id, self.kind, self.owner.code.clone());
            self.err(format!("điều kiện «{id}» ({kind}) chỉ áp dụng cho tập thể nhưng «{code}» không tặng tập thể: không bao giờ thỏa."));
            false
        }
    }

    /// A count of years in 1–60.
    fn years_ok(&mut self, name: &str, y: u32) -> bool {
        if y == 0 || y > 60 {
            let id = self.id;
            self.err(format!(
                "điều kiện «{id}»: {name} = {y} không hợp lý (1–60): không bao giờ thỏa."
            ));
            false
        } else {
            true
        }
    }

    /// The `percent` field, a decimal in 0–100.
    fn percent(&mut self) -> Option<Decimal> {
        let entry = Some(self.owner.code.as_str());
        let Some(p) = &self.rc.percent else {
            self.c.err(self.at, entry, "thiếu trường percent.");
            return None;
        };
        match p.get_ref().trim_end_matches('%').parse::<Decimal>() {
            Ok(v) if v >= Decimal::ZERO && v <= Decimal::ONE_HUNDRED => Some(v),
            Ok(_) => {
                self.c.err(
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
                self.c.err(
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
}

/// Compiles one clause of `owner`'s rule: its kind's own fields and checks,
/// then the checks every clause shares (a citation; an award of the same
/// kind of recipient).
pub(super) fn compile(
    c: &mut Ctx<'_>,
    cat: &Catalogue,
    owner: &Award,
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
    let mut s = Spec {
        c,
        cat,
        owner,
        rc: &rc,
        at,
        id: &id,
        kind,
    };
    let test = match kind {
        "title_streak" => Test::TitleStreak(TitleStreak::compile(&mut s)?),
        "award_count" => Test::AwardCount(AwardCount::compile(&mut s)?),
        "since_award" => Test::SinceAward(SinceAward::compile(&mut s)?),
        "rating_count" => Test::RatingCount(RatingCount::compile(&mut s)?),
        "initiative" => Test::Initiative(Initiative::compile(&mut s)?),
        "no_discipline" => Test::NoDiscipline(NoDiscipline::compile(&mut s)?),
        "service" => Test::Service(Service::compile(&mut s)?),
        "member_share" => Test::MemberShare(MemberShare::compile(&mut s)?),
        "member_count" => Test::MemberCount(MemberCount::compile(&mut s)?),
        "member_no_discipline" => Test::MemberNoDiscipline(MemberNoDiscipline::compile(&mut s)?),
        "quota" => Test::Quota(Quota::compile(&mut s)?),
        "vote" => Test::Vote(Vote::compile(&mut s)?),
        "armed_forces" => Test::ArmedForces(ArmedForces::compile(&s)),
        "recipient" => Test::Recipient(RecipientIs::compile(&mut s)?),
        "manual" => manual::compile(&mut s)?,
        _ => unreachable!("KINDS and the match agree"),
    };
    if let Some(set) = test.awards() {
        let held = cat.award(set.main);
        if !held.recipients.iter().any(|r| owner.recipients.contains(r))
            && !matches!(test, Test::MemberCount(_) | Test::MemberShare(_))
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

/// One clause's row of an explanation while it is written: what it is
/// judged on, and the evidence and the missing part each kind fills in.
pub(super) struct Row<'a, 'h> {
    pub h: &'a History<'h>,
    pub ctx: &'a EvalContext,
    pub cat: &'a Catalogue,
    /// The evaluation year.
    pub y: i32,
    pub status: Status,
    pub evidence: Vec<String>,
    pub missing: Option<String>,
    /// Years whose achievement comes from a predecessor unit, and its name.
    pub inherited: &'a mut Vec<(i32, String)>,
    /// Some evidence predates 01/01/2024 (Điều 95 Luật TĐKT 2022).
    pub before_2024: &'a mut bool,
}

impl Row<'_, '_> {
    /// An award's Vietnamese name.
    fn name(&self, id: AwardId) -> String {
        self.cat.award(id).name.clone()
    }
}

/// Years `(Y + offset - within + 1) ..= (Y + offset)`.
fn window(year: i32, within: u16, offset: i16) -> (i32, i32) {
    let end = year + i32::from(offset);
    (end - i32::from(within) + 1, end)
}

/// Held `set` in `yr`, or `yr` is after `now` and assumed to go the subject's way.
fn held(h: &History<'_>, set: &AwardSet, yr: i32, now: i32) -> bool {
    yr > now
        || h.awards
            .iter()
            .any(|a| a.year == yr && set.contains(a.award))
}

/// A percentage as shown: `70%`, `12,5%`.
fn pct(d: Decimal) -> String {
    format!("{}%", d.round_dp(2).normalize()).replace('.', ",")
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
