//! `since_award`: N years since the last award of a kind, e.g. 05 years
//! since the *Bằng khen* of a ministry or province before the Prime
//! Minister's (điểm b khoản 1 Điều 73 Luật TĐKT 2022,
//! `rules/luat-2022-hinh-thuc.toml`); with `absent_ok`, never having held it
//! passes too.

use super::{AwardSet, Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::History;

/// The last `award` is at least `years` years before Y (`absent_ok`: never held passes).
#[derive(Debug, Clone, PartialEq)]
pub struct SinceAward {
    pub award: AwardSet,
    pub years: u16,
    pub absent_ok: bool,
}

impl SinceAward {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let award = s.award_set()?;
        let years = s.need("years", s.rc.years.map(u32::from))?;
        Some(Self {
            award,
            years: u16::try_from(years).ok()?,
            absent_ok: s.rc.absent_ok.unwrap_or(false),
        })
    }

    pub(super) fn status(&self, h: &History<'_>, y: i32, now: i32) -> Status {
        let last = h
            .awards
            .iter()
            .filter(|a| self.award.contains(a.award) && a.year <= y)
            .map(|a| a.year)
            .max();
        match last {
            Some(l) if y - l >= i32::from(self.years) => Status::Pass,
            Some(_) => Status::Fail,
            // Never held: optimistically obtainable next year.
            None if self.absent_ok => Status::Pass,
            None if y > now && y - (now + 1) >= i32::from(self.years) => Status::Pass,
            None => Status::Fail,
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let (h, y, years) = (r.h, r.y, self.years);
        let last = h
            .awards
            .iter()
            .filter(|a| self.award.contains(a.award) && a.year <= y)
            .max_by_key(|a| a.year);
        if let Some(l) = last {
            r.evidence.push(format!(
                "lần gần nhất: năm {}, quyết định {}",
                l.year, l.decision
            ));
            if l.year < 2024 {
                *r.before_2024 = true;
            }
        }
        if r.status == Status::Fail {
            r.missing = Some(match last {
                Some(l) => format!("mới {} năm kể từ năm {}", y - l.year, l.year),
                None => format!("chưa được tặng «{}»", r.name(self.award.main)),
            });
        }
        if self.absent_ok {
            format!(
                "Không được tặng «{}» trong {years} năm gần đây",
                r.name(self.award.main)
            )
        } else {
            format!(
                "Đã được tặng «{}» và từ đó đến năm {y} đủ {years} năm",
                r.name(self.award.main)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{held, row};
    use crate::eligibility::{EvalContext, History, Status};

    #[test]
    fn five_years_since_the_last_bang_khen_are_counted() {
        let clause = "kind = \"since_award\"\naward = \"bang-khen-cap-tinh\"\nyears = 5";
        let h = History {
            awards: vec![held("bang-khen-cap-tinh", 2021)],
            ..History::default()
        };
        let r = row(
            "bang-khen-thu-tuong",
            clause,
            &h,
            &EvalContext::year_end(2025),
        );
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.missing.as_deref(), Some("mới 4 năm kể từ năm 2021"));
        assert_eq!(r.earliest_year, Some(2026));
        let r = row(
            "bang-khen-thu-tuong",
            clause,
            &h,
            &EvalContext::year_end(2026),
        );
        assert_eq!(r.status, Status::Pass);
    }

    #[test]
    fn never_held_passes_only_when_absent_is_ok() {
        let ctx = EvalContext::year_end(2025);
        let h = History::default();
        let strict = "kind = \"since_award\"\naward = \"bang-khen-cap-tinh\"\nyears = 5";
        assert_eq!(
            row("bang-khen-thu-tuong", strict, &h, &ctx).status,
            Status::Fail
        );
        let lenient = format!("{strict}\nabsent_ok = true");
        assert_eq!(
            row("bang-khen-thu-tuong", &lenient, &h, &ctx).status,
            Status::Pass
        );
    }
}
