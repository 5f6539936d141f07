//! `service`: months of service, in the year being judged (`in_year`: no
//! *Lao động tiên tiến* for someone recruited less than 06 months before,
//! TT 01/2024/TT-BNV, `rules/luat-2022-danh-hieu.toml`) or in total up to
//! the evaluation date (long service).

use time::Date;

use super::{Row, Spec};
use crate::eligibility::eval::{EvalContext, Status};
use crate::eligibility::history::History;

/// Served ≥ `months` (in year Y when `in_year`, else in total up to the evaluation date).
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub months: u32,
    pub in_year: bool,
}

impl Service {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let months = s.need("months", s.rc.months)?;
        let in_year = s.rc.in_year.unwrap_or(false);
        if in_year && months > 12 {
            let id = s.id;
            s.err(format!(
                "điều kiện «{id}»: {months} tháng trong một năm: không bao giờ thỏa."
            ));
            return None;
        }
        Some(Self { months, in_year })
    }

    /// A year after `now` counts as twelve more months served.
    pub(super) fn status(&self, h: &History<'_>, ctx: &EvalContext, y: i32, now: i32) -> Status {
        if self.in_year {
            if y > now {
                return Status::Pass;
            }
            match h.service_months_in(y) {
                None => Status::Unknown,
                Some(m) if m >= self.months => Status::Pass,
                Some(_) => Status::Fail,
            }
        } else {
            let at = if y > now {
                Date::from_calendar_date(now, time::Month::December, 31).unwrap_or(ctx.at)
            } else {
                ctx.at
            };
            match h.service_months(at) {
                None => Status::Unknown,
                Some(m) => {
                    let extra = u32::try_from((y - now).max(0)).unwrap_or(0) * 12;
                    if m + extra >= self.months {
                        Status::Pass
                    } else {
                        Status::Fail
                    }
                }
            }
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let (y, months) = (r.y, self.months);
        let m = if self.in_year {
            r.h.service_months_in(y)
        } else {
            r.h.service_months(r.ctx.at)
        };
        if let Some(m) = m {
            r.evidence.push(format!("{m} tháng công tác"));
        }
        r.missing = match (r.status, m) {
            (Status::Unknown, _) => Some("chưa nhập quá trình công tác".to_owned()),
            (Status::Fail, Some(m)) => Some(format!("còn thiếu {} tháng", months - m)),
            _ => None,
        };
        if self.in_year {
            format!("Thời gian công tác trong năm {y} từ {months} tháng trở lên")
        } else {
            format!("Tổng thời gian công tác từ {months} tháng trở lên")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{d, refused, row};
    use crate::eligibility::history::{ServicePeriod, Supplied};
    use crate::eligibility::{EvalContext, History, Status};

    #[test]
    fn six_months_in_the_year_are_needed() {
        let clause = "kind = \"service\"\nmonths = 6\nin_year = true";
        let ctx = EvalContext::year_end(2025);
        let mut h = History::default();
        assert_eq!(
            row("lao-dong-tien-tien", clause, &h, &ctx).status,
            Status::Unknown
        );
        h.supplied = Supplied::ALL;
        h.service.push(ServicePeriod {
            from: d(2025, 9, 1),
            to: None,
        });
        let r = row("lao-dong-tien-tien", clause, &h, &ctx);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.missing
                .as_deref()
                .is_some_and(|m| m.starts_with("còn thiếu")),
            "{r:?}"
        );
        h.service[0].from = d(2025, 1, 1);
        assert_eq!(
            row("lao-dong-tien-tien", clause, &h, &ctx).status,
            Status::Pass
        );
    }

    #[test]
    fn more_than_twelve_months_in_a_year_is_refused() {
        let e = refused(
            "lao-dong-tien-tien",
            "kind = \"service\"\nmonths = 13\nin_year = true",
        );
        assert!(e.contains("13 tháng trong một năm"), "{e}");
    }
}
