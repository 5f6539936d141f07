//! The years a rule looks at: what an achievement report must cover.
//!
//! A report of achievements (*báo cáo thành tích*) "phải phù hợp với điều
//! kiện, tiêu chuẩn" of the form proposed (khoản 9 Điều 33 Nghị định
//! 152/2025/NĐ-CP): it speaks of the years the criteria count. The clauses
//! of the rule in force already say which years they read (a streak of
//! titles, ratings within N years, no discipline within N years); this is
//! the union of those spans, computed from the same clause data the
//! evaluator uses, so the report and the verdict never disagree on the
//! period.

use super::clause::{AwardCount, Initiative, NoDiscipline, RatingCount, Test, TitleStreak};
use super::rule::Rule;

impl Rule {
    /// The first and last year the rule's clauses read for evaluation
    /// year `year` (at least `year ..= year`).
    #[must_use]
    pub fn years_examined(&self, year: i32) -> (i32, i32) {
        let mut from = year;
        let mut to = year;
        for c in &self.clauses {
            let (a, b) = match &c.test {
                Test::TitleStreak(TitleStreak {
                    years,
                    step,
                    offset,
                    ..
                }) => {
                    let end = year + i32::from(*offset);
                    let span = (i32::from(*years) - 1).max(0) * i32::from(*step).max(1);
                    (end - span, end)
                }
                Test::AwardCount(AwardCount { within, offset, .. })
                | Test::RatingCount(RatingCount { within, offset, .. }) => {
                    let end = year + i32::from(*offset);
                    (end - i32::from(*within) + 1, end)
                }
                Test::Initiative(Initiative { within, .. })
                | Test::NoDiscipline(NoDiscipline { within, .. }) => {
                    (year - i32::from(*within) + 1, year)
                }
                _ => (year, year),
            };
            from = from.min(a);
            to = to.max(b);
        }
        (from, to)
    }
}
