//! `no_discipline`: no discipline (*kỷ luật*) of at least a level touching
//! the last N years, e.g. none from *khiển trách* for *Lao động tiên tiến*
//! (Điều 24 Luật TĐKT 2022, `rules/luat-2022-danh-hieu.toml`). Unknown
//! until the discipline record is entered.

use super::{window, Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::{DisciplineLevel, History};

/// No discipline of level ≥ `level` touching the `within` years ending Y.
#[derive(Debug, Clone, PartialEq)]
pub struct NoDiscipline {
    pub level: DisciplineLevel,
    pub within: u16,
}

impl NoDiscipline {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let level = s.need_field("level", s.rc.level)?;
        Some(Self {
            level,
            within: s.rc.within.unwrap_or(1).max(1),
        })
    }

    /// Years to come do not change a past discipline: no `now` here.
    pub(super) fn status(&self, h: &History<'_>, y: i32) -> Status {
        if !h.supplied.disciplines {
            return Status::Unknown;
        }
        let (a, b) = window(y, self.within, 0);
        if h.disciplines
            .iter()
            .any(|d| d.level >= self.level && d.touches_years(a, b))
        {
            Status::Fail
        } else {
            Status::Pass
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let (h, level, within) = (r.h, self.level, self.within);
        let (a, b) = window(r.y, within, 0);
        for d in h
            .disciplines
            .iter()
            .filter(|d| d.level >= level && d.touches_years(a, b))
        {
            r.evidence.push(format!(
                "kỷ luật {} ngày {}{}, quyết định {}",
                d.level.label(),
                crate::date::format_vn(d.date),
                d.months
                    .map(|m| format!(" ({m} tháng, đến {})", crate::date::format_vn(d.end())))
                    .unwrap_or_default(),
                d.decision
            ));
        }
        r.missing = match r.status {
            Status::Unknown => Some("chưa nhập thông tin kỷ luật".to_owned()),
            Status::Fail => Some("đang trong thời gian bị kỷ luật".to_owned()),
            _ => None,
        };
        let span = if within == 1 {
            format!("năm {b}")
        } else {
            format!("các năm {a}–{b}")
        };
        format!(
            "Không bị kỷ luật từ hình thức {} trở lên trong {span}",
            level.label()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{d, refused, row};
    use crate::eligibility::history::{Discipline, Supplied};
    use crate::eligibility::{DisciplineLevel, EvalContext, History, Status};

    const CLAUSE: &str = "kind = \"no_discipline\"\nlevel = \"khien-trach\"\nwithin = 2";

    #[test]
    fn a_discipline_within_the_years_fails_and_an_older_one_does_not() {
        let mut h = History {
            supplied: Supplied::ALL,
            disciplines: vec![Discipline {
                level: DisciplineLevel::CanhCao,
                date: d(2023, 3, 1),
                months: Some(12),
                decision: "05/QĐ-KL",
            }],
            ..History::default()
        };
        let r = row(
            "chien-si-thi-dua-cap-tinh",
            CLAUSE,
            &h,
            &EvalContext::year_end(2024),
        );
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.missing.as_deref(),
            Some("đang trong thời gian bị kỷ luật")
        );
        assert!(
            r.description.ends_with("trong các năm 2023–2024"),
            "{}",
            r.description
        );
        assert_eq!(
            row(
                "chien-si-thi-dua-cap-tinh",
                CLAUSE,
                &h,
                &EvalContext::year_end(2026)
            )
            .status,
            Status::Pass
        );
        h.supplied = Supplied::default();
        assert_eq!(
            row(
                "chien-si-thi-dua-cap-tinh",
                CLAUSE,
                &h,
                &EvalContext::year_end(2026)
            )
            .status,
            Status::Unknown
        );
    }

    #[test]
    fn a_level_is_required() {
        let e = refused("chien-si-thi-dua-cap-tinh", "kind = \"no_discipline\"");
        assert!(e.contains("(no_discipline) cần trường level"), "{e}");
    }
}
