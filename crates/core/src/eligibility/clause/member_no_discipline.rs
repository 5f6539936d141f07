//! `member_no_discipline`: for a collective, no member disciplined at or
//! above a level in the year, e.g. none from *cảnh cáo* (điểm d khoản 1
//! Điều 27 Luật TĐKT 2003, `rules/luat-2003.toml`).

use super::{Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::{DisciplineLevel, History};

/// No member disciplined at level ≥ `level` in year Y.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberNoDiscipline {
    pub level: DisciplineLevel,
}

impl MemberNoDiscipline {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        if !s.collective_only() {
            return None;
        }
        Some(Self {
            level: s.need_field("level", s.rc.level)?,
        })
    }

    pub(super) fn status(&self, h: &History<'_>, y: i32, now: i32) -> Status {
        if y > now {
            return Status::Pass;
        }
        let Some(m) = h.member_year(y) else {
            return Status::Unknown;
        };
        if m.disciplined_at_least(self.level) == 0 {
            Status::Pass
        } else {
            Status::Fail
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let (y, level) = (r.y, self.level);
        if let Some(m) = r.h.member_year(y) {
            r.evidence.push(format!(
                "năm {y}: {} thành viên bị kỷ luật từ {} trở lên",
                m.disciplined_at_least(level),
                level.label()
            ));
        }
        r.missing = match r.status {
            Status::Unknown => Some(format!("chưa nhập số liệu thành viên năm {y}")),
            Status::Fail => Some("có thành viên bị kỷ luật".to_owned()),
            _ => None,
        };
        format!(
            "Không có cá nhân trong tập thể bị kỷ luật từ hình thức {} trở lên",
            level.label()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{refused, row};
    use crate::eligibility::history::MemberYear;
    use crate::eligibility::{DisciplineLevel, EvalContext, History, Status};

    const CLAUSE: &str = "kind = \"member_no_discipline\"\nlevel = \"canh-cao\"";

    #[test]
    fn one_member_warned_fails_and_a_reprimand_does_not() {
        let ctx = EvalContext::year_end(2025);
        let mut year = MemberYear {
            year: 2025,
            members: 10,
            by_rating: [0; 4],
            titles: Vec::new(),
            disciplined: [0; 6],
        };
        year.disciplined[DisciplineLevel::KhienTrach as usize] = 1;
        let mut h = History {
            members: vec![year],
            ..History::default()
        };
        assert_eq!(
            row("tap-the-lao-dong-xuat-sac", CLAUSE, &h, &ctx).status,
            Status::Pass
        );
        h.members[0].disciplined[DisciplineLevel::CanhCao as usize] = 1;
        let r = row("tap-the-lao-dong-xuat-sac", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.missing.as_deref(), Some("có thành viên bị kỷ luật"));
    }

    #[test]
    fn an_individual_award_is_refused() {
        let e = refused("lao-dong-tien-tien", CLAUSE);
        assert!(e.contains("chỉ áp dụng cho tập thể"), "{e}");
    }
}
