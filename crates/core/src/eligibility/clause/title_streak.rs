//! `title_streak`: a title held N times in a row, e.g. 03 consecutive years
//! of *Chiến sĩ thi đua cơ sở* before *Chiến sĩ thi đua cấp tỉnh* (khoản 1
//! Điều 22 Luật TĐKT 2022, `rules/luat-2022-danh-hieu.toml`), or 02 times
//! three years apart (`step = 3`).
//!
//! ```toml
//! [[rule.clause]]
//! id = "ba-lan-cstdcs"
//! kind = "title_streak"
//! award = "chien-si-thi-dua-co-so"
//! years = 3
//! citation = "khoản 1 Điều 22 Luật TĐKT 2022"
//! ```

use super::{held, join_years, AwardSet, Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::History;

/// Held `award` (or an award that counts as it) `years` times at years
/// `end, end-step, …` with `end = Y + offset`.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleStreak {
    pub award: AwardSet,
    pub years: u16,
    pub step: u16,
    pub offset: i16,
}

impl TitleStreak {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let award = s.award_set()?;
        let years = s.need("years", s.rc.years.map(u32::from))?;
        let step = s.rc.step.unwrap_or(1);
        if !s.years_ok("years", years) || step == 0 {
            return None;
        }
        Some(Self {
            award,
            years: u16::try_from(years).ok()?,
            step,
            offset: s.rc.offset.unwrap_or(0),
        })
    }

    /// The years the streak needs, oldest first.
    fn wanted(&self, y: i32) -> impl Iterator<Item = i32> {
        let end = y + i32::from(self.offset);
        let step = i32::from(self.step);
        (0..i32::from(self.years))
            .rev()
            .map(move |k| end - k * step)
    }

    pub(super) fn status(&self, h: &History<'_>, y: i32, now: i32) -> Status {
        if self.wanted(y).all(|yr| held(h, &self.award, yr, now)) {
            Status::Pass
        } else {
            Status::Fail
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let h = r.h;
        let end = r.y + i32::from(self.offset);
        let mut gaps = Vec::new();
        for yr in self.wanted(r.y) {
            match h
                .awards
                .iter()
                .find(|a| a.year == yr && self.award.contains(a.award))
            {
                Some(a) => {
                    let mut e =
                        format!("năm {yr}: «{}», quyết định {}", r.name(a.award), a.decision);
                    if let Some(v) = a.via {
                        e.push_str(&format!(" (kế thừa từ {v})"));
                        r.inherited.push((yr, v.to_owned()));
                    }
                    if yr < 2024 {
                        *r.before_2024 = true;
                    }
                    r.evidence.push(e);
                }
                None => gaps.push(yr),
            }
        }
        if !gaps.is_empty() {
            r.missing = Some(format!(
                "chưa có «{}» năm {}",
                r.name(self.award.main),
                join_years(&gaps)
            ));
        }
        let every = if self.step > 1 {
            format!(", mỗi lần cách {} năm", self.step)
        } else {
            String::new()
        };
        format!(
            "Được tặng «{}» {:02} lần liên tục{every} (đến năm {end})",
            r.name(self.award.main),
            self.years
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{held, refused, row};
    use crate::eligibility::{EvalContext, History, Status};

    const CLAUSE: &str = "kind = \"title_streak\"\naward = \"chien-si-thi-dua-co-so\"\nyears = 3";

    #[test]
    fn three_consecutive_years_of_cstdcs_pass_and_a_gap_is_named() {
        let ctx = EvalContext::year_end(2025);
        let mut h = History {
            awards: vec![
                held("chien-si-thi-dua-co-so", 2023),
                held("chien-si-thi-dua-co-so", 2025),
            ],
            ..History::default()
        };
        let r = row("chien-si-thi-dua-cap-tinh", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.missing
                .as_deref()
                .is_some_and(|m| m.ends_with("năm 2024")),
            "{r:?}"
        );
        assert_eq!(r.earliest_year, Some(2027));
        h.awards.push(held("chien-si-thi-dua-co-so", 2024));
        let r = row("chien-si-thi-dua-cap-tinh", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.evidence.len(), 3);
        assert!(
            r.description.contains("03 lần liên tục (đến năm 2025)"),
            "{}",
            r.description
        );
    }

    #[test]
    fn a_streak_of_zero_years_is_refused() {
        let e = refused(
            "chien-si-thi-dua-cap-tinh",
            "kind = \"title_streak\"\naward = \"chien-si-thi-dua-co-so\"\nyears = 0",
        );
        assert!(e.contains("years = 0 không hợp lý"), "{e}");
    }
}
