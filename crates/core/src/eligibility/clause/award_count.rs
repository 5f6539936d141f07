//! `award_count`: an award held at least N times within M years, e.g. 03
//! times *Chiến sĩ thi đua cơ sở* within 05 years for the Prime Minister's
//! *Bằng khen* (điểm b khoản 1 Điều 73 Luật TĐKT 2022,
//! `rules/luat-2022-hinh-thuc.toml`: `count = 3`, `within = 5`).

use super::{held, window, AwardSet, Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::History;

/// Held `award` at least `count` times within `within` years ending `Y + offset`.
#[derive(Debug, Clone, PartialEq)]
pub struct AwardCount {
    pub award: AwardSet,
    pub count: u32,
    pub within: u16,
    pub offset: i16,
}

impl AwardCount {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let award = s.award_set()?;
        let count = s.need("count", s.rc.count)?;
        let within = s.need("within", s.rc.within.map(u32::from))?;
        if !s.years_ok("within", within) {
            return None;
        }
        if count > within {
            let id = s.id;
            s.err(format!("điều kiện «{id}»: {count} lần trong {within} năm: không bao giờ thỏa (mỗi năm tối đa một lần)."));
            return None;
        }
        Some(Self {
            award,
            count,
            within: u16::try_from(within).ok()?,
            offset: s.rc.offset.unwrap_or(0),
        })
    }

    pub(super) fn status(&self, h: &History<'_>, y: i32, now: i32) -> Status {
        let (a, b) = window(y, self.within, self.offset);
        let n = (a..=b).filter(|&yr| held(h, &self.award, yr, now)).count();
        if u32::try_from(n).unwrap_or(u32::MAX) >= self.count {
            Status::Pass
        } else {
            Status::Fail
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let h = r.h;
        let count = self.count;
        let (a, b) = window(r.y, self.within, self.offset);
        for aw in h
            .awards
            .iter()
            .filter(|x| self.award.contains(x.award) && (a..=b).contains(&x.year))
        {
            let mut e = format!(
                "năm {}: «{}», quyết định {}",
                aw.year,
                r.name(aw.award),
                aw.decision
            );
            if let Some(v) = aw.via {
                e.push_str(&format!(" (kế thừa từ {v})"));
                r.inherited.push((aw.year, v.to_owned()));
            }
            if aw.year < 2024 {
                *r.before_2024 = true;
            }
            r.evidence.push(e);
        }
        if r.status == Status::Fail {
            r.missing = Some(format!(
                "mới có {}/{count} lần trong các năm {a}–{b}",
                r.evidence.len()
            ));
        }
        format!(
            "Được tặng «{}» ít nhất {count:02} lần trong {} năm ({a}–{b})",
            r.name(self.award.main),
            self.within
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{held, refused, row};
    use crate::eligibility::{EvalContext, History, Status};

    #[test]
    fn three_cstdcs_within_five_years_are_counted() {
        let clause =
            "kind = \"award_count\"\naward = \"chien-si-thi-dua-co-so\"\ncount = 3\nwithin = 5";
        let mut h = History {
            awards: vec![
                held("chien-si-thi-dua-co-so", 2020),
                held("chien-si-thi-dua-co-so", 2022),
                held("chien-si-thi-dua-co-so", 2024),
            ],
            ..History::default()
        };
        let ctx = EvalContext::year_end(2025);
        let r = row("bang-khen-thu-tuong", clause, &h, &ctx);
        assert_eq!(r.status, Status::Fail, "2020 is outside 2021–2025");
        assert_eq!(
            r.missing.as_deref(),
            Some("mới có 2/3 lần trong các năm 2021–2025")
        );
        h.awards.push(held("chien-si-thi-dua-co-so", 2025));
        assert_eq!(
            row("bang-khen-thu-tuong", clause, &h, &ctx).status,
            Status::Pass
        );
    }

    #[test]
    fn more_times_than_years_is_refused() {
        let e = refused(
            "bang-khen-thu-tuong",
            "kind = \"award_count\"\naward = \"chien-si-thi-dua-co-so\"\ncount = 6\nwithin = 5",
        );
        assert!(e.contains("6 lần trong 5 năm"), "{e}");
    }
}
