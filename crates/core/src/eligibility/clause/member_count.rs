//! `member_count`: for a collective, at least N members hold a title in the
//! year, e.g. one *Chiến sĩ thi đua cơ sở* (điểm d khoản 1 Điều 27 Luật TĐKT
//! 2022, `rules/luat-2022-danh-hieu.toml`).

use super::{AwardSet, Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::History;

/// At least `count` members hold `award` in year Y.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberCount {
    pub award: AwardSet,
    pub count: u32,
}

impl MemberCount {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        if !s.collective_only() {
            return None;
        }
        Some(Self {
            award: s.award_set()?,
            count: s.rc.count.unwrap_or(1),
        })
    }

    pub(super) fn status(&self, h: &History<'_>, y: i32, now: i32) -> Status {
        if y > now {
            return Status::Pass;
        }
        let Some(m) = h.member_year(y) else {
            return Status::Unknown;
        };
        let n: u32 = m
            .titles
            .iter()
            .filter(|(a, _)| self.award.contains(*a))
            .map(|(_, n)| *n)
            .sum();
        if n >= self.count {
            Status::Pass
        } else {
            Status::Fail
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let (y, main) = (r.y, self.award.main);
        if let Some(m) = r.h.member_year(y) {
            r.evidence.push(format!(
                "năm {y}: {} thành viên đạt «{}»",
                m.with_title(main),
                r.name(main)
            ));
        }
        r.missing = match r.status {
            Status::Unknown => Some(format!("chưa nhập số liệu thành viên năm {y}")),
            Status::Fail => Some(format!("chưa có thành viên đạt «{}»", r.name(main))),
            _ => None,
        };
        format!(
            "Có ít nhất {} thành viên đạt «{}» năm {y}",
            self.count,
            r.name(main)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::row;
    use crate::eligibility::history::MemberYear;
    use crate::eligibility::{EvalContext, History, Status};

    #[test]
    fn a_collective_needs_one_cstdcs() {
        let clause = "kind = \"member_count\"\naward = \"chien-si-thi-dua-co-so\"";
        let ctx = EvalContext::year_end(2025);
        let mut h = History::default();
        assert_eq!(
            row("tap-the-lao-dong-xuat-sac", clause, &h, &ctx).status,
            Status::Unknown
        );
        h.members.push(MemberYear {
            year: 2025,
            members: 10,
            by_rating: [0; 4],
            titles: Vec::new(),
            disciplined: [0; 6],
        });
        let r = row("tap-the-lao-dong-xuat-sac", clause, &h, &ctx);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.missing
                .as_deref()
                .is_some_and(|m| m.starts_with("chưa có thành viên đạt")),
            "{r:?}"
        );
        let cstdcs = crate::catalogue::Catalogue::embedded()
            .id("chien-si-thi-dua-co-so")
            .expect("cstdcs");
        h.members[0].titles.push((cstdcs, 1));
        assert_eq!(
            row("tap-the-lao-dong-xuat-sac", clause, &h, &ctx).status,
            Status::Pass
        );
    }
}
