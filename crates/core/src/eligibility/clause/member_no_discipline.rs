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
