//! `initiative`: initiatives (*sáng kiến*) or research (*đề tài*) of at
//! least a scope, recognised within N years, e.g. within the ministry or
//! province for *Chiến sĩ thi đua cấp tỉnh* (khoản 2 Điều 22 Luật TĐKT 2022,
//! `rules/luat-2022-danh-hieu.toml`). Unknown until the list is entered.

use super::{window, Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::{History, Scope};

/// At least `count` initiatives of scope ≥ `scope` recognised within `within` years ending Y.
#[derive(Debug, Clone, PartialEq)]
pub struct Initiative {
    pub scope: Scope,
    pub count: u32,
    pub within: u16,
}

impl Initiative {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let scope = s.need_field("scope", s.rc.scope)?;
        let within = u32::from(s.rc.within.unwrap_or(1));
        if !s.years_ok("within", within) {
            return None;
        }
        Some(Self {
            scope,
            count: s.rc.count.unwrap_or(1),
            within: u16::try_from(within).ok()?,
        })
    }

    pub(super) fn status(&self, h: &History<'_>, y: i32, now: i32) -> Status {
        if !h.supplied.initiatives {
            return Status::Unknown;
        }
        let (a, b) = window(y, self.within, 0);
        let fut = u32::try_from((a..=b).filter(|&yr| yr > now).count()).unwrap_or(0);
        let n = u32::try_from(
            h.initiatives
                .iter()
                .filter(|i| i.scope >= self.scope && (a..=b).contains(&i.recognised.year()))
                .count(),
        )
        .unwrap_or(0);
        if n + fut >= self.count {
            Status::Pass
        } else {
            Status::Fail
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let (h, scope, count, within) = (r.h, self.scope, self.count, self.within);
        let (a, b) = window(r.y, within, 0);
        for i in h
            .initiatives
            .iter()
            .filter(|i| i.scope >= scope && (a..=b).contains(&i.recognised.year()))
        {
            r.evidence.push(format!(
                "«{}», phạm vi {}, công nhận ngày {}",
                i.title,
                i.scope.label(),
                crate::date::format_vn(i.recognised)
            ));
        }
        r.missing = match r.status {
            Status::Unknown => Some("chưa nhập danh sách sáng kiến, đề tài".to_owned()),
            Status::Fail => Some(format!(
                "cần {count} sáng kiến/đề tài phạm vi {} trở lên, mới có {}",
                scope.label(),
                r.evidence.len()
            )),
            _ => None,
        };
        let span = if within == 1 {
            format!("năm {b}")
        } else {
            format!("{within} năm {a}–{b}")
        };
        format!("Có sáng kiến, đề tài khoa học được công nhận, phạm vi ảnh hưởng {} trở lên ({count} trong {span})", scope.label())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{d, refused, row};
    use crate::eligibility::history::{Initiative, Supplied};
    use crate::eligibility::{EvalContext, History, Scope, Status};

    const CLAUSE: &str = "kind = \"initiative\"\nscope = \"cap-tinh\"";

    #[test]
    fn initiatives_not_entered_are_unknown_and_a_narrow_one_fails() {
        let ctx = EvalContext::year_end(2025);
        let mut h = History::default();
        let r = row("chien-si-thi-dua-cap-tinh", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Unknown);
        h.supplied = Supplied::ALL;
        h.initiatives.push(Initiative {
            scope: Scope::CoSo,
            recognised: d(2025, 5, 1),
            title: "Sổ tay số",
        });
        assert_eq!(
            row("chien-si-thi-dua-cap-tinh", CLAUSE, &h, &ctx).status,
            Status::Fail
        );
        h.initiatives[0].scope = Scope::ToanQuoc;
        let r = row("chien-si-thi-dua-cap-tinh", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Pass);
        assert!(r.evidence[0].starts_with("«Sổ tay số»"), "{:?}", r.evidence);
    }

    #[test]
    fn an_initiative_without_scope_is_refused() {
        let e = refused("chien-si-thi-dua-cap-tinh", "kind = \"initiative\"");
        assert!(e.contains("(initiative) cần trường scope"), "{e}");
    }
}
