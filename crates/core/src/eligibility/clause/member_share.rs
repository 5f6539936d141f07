//! `member_share`: for a collective, the share of its members who hold a
//! title or a rating in the year, e.g. at least 70% *Lao động tiên tiến*
//! and 100% *hoàn thành nhiệm vụ* (điểm c khoản 1 Điều 27 Luật TĐKT 2022,
//! `rules/luat-2022-danh-hieu.toml`); `strict`
//! means *trên* (more than), e.g. *trên 50%* under Điều 28 Luật TĐKT 2003.
//! The comparison is exact (`crate::share`).

use rust_decimal::Decimal;

use super::{pct, ratio, AwardSet, Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::{History, MemberYear, Rating};
use crate::share::{Base, Share};

/// What a member share counts.
#[derive(Debug, Clone, PartialEq)]
pub enum MemberWhat {
    Award(AwardSet),
    Rating(Rating),
}

impl MemberWhat {
    /// How many of the year's members it counts.
    fn count(&self, m: &MemberYear) -> u32 {
        match self {
            Self::Award(set) => m
                .titles
                .iter()
                .filter(|(a, _)| set.contains(*a))
                .map(|(_, n)| *n)
                .sum(),
            Self::Rating(r) => m.at_least(*r),
        }
    }
}

/// Share of members with `award` (or rating ≥ `rating`) in year Y ≥ `percent` (> when `strict`).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberShare {
    pub what: MemberWhat,
    pub percent: Decimal,
    pub strict: bool,
}

impl MemberShare {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        if !s.collective_only() {
            return None;
        }
        let what = match (&s.rc.award, s.rc.rating) {
            (Some(_), None) => MemberWhat::Award(s.award_set()?),
            (None, Some(r)) => MemberWhat::Rating(r),
            _ => {
                let id = s.id;
                s.err(format!(
                    "điều kiện «{id}» (member_share) cần đúng một trong award hoặc rating."
                ));
                return None;
            }
        };
        let percent = s.percent()?;
        let strict = s.rc.strict.unwrap_or(false);
        if strict && percent == Decimal::ONE_HUNDRED {
            let id = s.id;
            s.err(format!("điều kiện «{id}»: trên 100% không bao giờ thỏa."));
            return None;
        }
        Some(Self {
            what,
            percent,
            strict,
        })
    }

    pub(super) fn status(&self, h: &History<'_>, y: i32, now: i32) -> Status {
        if y > now {
            return Status::Pass;
        }
        let Some(m) = h.member_year(y) else {
            return Status::Unknown;
        };
        if m.members == 0 {
            return Status::Fail;
        }
        let share = Share::new(self.what.count(m), m.members, Base::Eligible);
        if (self.strict && share.exceeds(self.percent))
            || (!self.strict && share.reaches(self.percent))
        {
            Status::Pass
        } else {
            Status::Fail
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let y = r.y;
        let label = match &self.what {
            MemberWhat::Award(s) => format!("đạt «{}»", r.name(s.main)),
            MemberWhat::Rating(x) => format!("xếp loại từ «{}» trở lên", x.label()),
        };
        if let Some(m) = r.h.member_year(y) {
            let n = self.what.count(m);
            let share = ratio(n, m.members);
            r.evidence.push(format!(
                "năm {y}: {n}/{} thành viên {label} ({})",
                m.members,
                pct(share)
            ));
        }
        r.missing = match r.status {
            Status::Unknown => Some(format!("chưa nhập số liệu thành viên năm {y}")),
            Status::Fail => Some(format!(
                "tỷ lệ chưa {} {}",
                if self.strict { "vượt" } else { "đạt" },
                pct(self.percent)
            )),
            _ => None,
        };
        format!(
            "{} {} thành viên {label}",
            if self.strict { "Trên" } else { "Từ" },
            pct(self.percent)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{refused, row};
    use crate::catalogue::Catalogue;
    use crate::eligibility::history::MemberYear;
    use crate::eligibility::{EvalContext, History, Status};

    const CLAUSE: &str =
        "kind = \"member_share\"\naward = \"lao-dong-tien-tien\"\npercent = \"70\"";

    fn members(with_title: u32) -> MemberYear {
        let ldtt = Catalogue::embedded()
            .id("lao-dong-tien-tien")
            .expect("ldtt");
        MemberYear {
            year: 2025,
            members: 10,
            by_rating: [0; 4],
            titles: vec![(ldtt, with_title)],
            disciplined: [0; 6],
        }
    }

    #[test]
    fn seventy_percent_exactly_reaches_and_one_less_does_not() {
        let ctx = EvalContext::year_end(2025);
        let mut h = History {
            members: vec![members(7)],
            ..History::default()
        };
        let r = row("tap-the-lao-dong-xuat-sac", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Pass);
        assert!(
            r.evidence[0].starts_with("năm 2025: 7/10 thành viên"),
            "{:?}",
            r.evidence
        );
        assert!(r.evidence[0].ends_with("(70%)"), "{:?}", r.evidence);
        h.members = vec![members(6)];
        let r = row("tap-the-lao-dong-xuat-sac", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.missing.as_deref(), Some("tỷ lệ chưa đạt 70%"));
    }

    #[test]
    fn an_individual_award_and_more_than_all_are_refused() {
        let e = refused("chien-si-thi-dua-cap-tinh", CLAUSE);
        assert!(e.contains("chỉ áp dụng cho tập thể"), "{e}");
        let e = refused(
            "tap-the-lao-dong-xuat-sac",
            "kind = \"member_share\"\nrating = \"hoan-thanh\"\npercent = \"100\"\nstrict = true",
        );
        assert!(e.contains("trên 100% không bao giờ thỏa"), "{e}");
    }
}
