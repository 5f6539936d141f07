//! `armed_forces`: member (or not) of the people's armed forces, e.g.
//! *Chiến sĩ tiên tiến* rather than *Lao động tiên tiến* for soldiers and
//! police (khoản 2 Điều 24 Luật TĐKT 2022, `rules/luat-2022-danh-hieu.toml`).

use super::{Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::History;

/// Member (or not, `value = false`) of the armed forces.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmedForces {
    pub value: bool,
}

impl ArmedForces {
    /// `value` defaults to true; nothing to refuse.
    pub(super) fn compile(s: &Spec<'_, '_, '_>) -> Self {
        Self {
            value: s.rc.value.unwrap_or(true),
        }
    }

    pub(super) fn status(&self, h: &History<'_>) -> Status {
        match h.armed_forces {
            None => Status::Unknown,
            Some(v) if v == self.value => Status::Pass,
            Some(_) => Status::Fail,
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        r.missing = match r.status {
            Status::Unknown => Some("chưa rõ có thuộc lực lượng vũ trang hay không".to_owned()),
            Status::Fail => Some(
                if self.value {
                    "không thuộc lực lượng vũ trang nhân dân"
                } else {
                    "thuộc lực lượng vũ trang nhân dân"
                }
                .to_owned(),
            ),
            _ => None,
        };
        if self.value {
            "Thuộc lực lượng vũ trang nhân dân".to_owned()
        } else {
            "Không thuộc lực lượng vũ trang nhân dân".to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::row;
    use crate::eligibility::{EvalContext, History, Status};

    #[test]
    fn unknown_until_said_then_judged() {
        let ctx = EvalContext::year_end(2025);
        let mut h = History::default();
        let clause = "kind = \"armed_forces\"";
        assert_eq!(
            row("chien-si-tien-tien", clause, &h, &ctx).status,
            Status::Unknown
        );
        h.armed_forces = Some(false);
        let r = row("chien-si-tien-tien", clause, &h, &ctx);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.missing.as_deref(),
            Some("không thuộc lực lượng vũ trang nhân dân")
        );
        let r = row(
            "chien-si-tien-tien",
            "kind = \"armed_forces\"\nvalue = false",
            &h,
            &ctx,
        );
        assert_eq!(r.status, Status::Pass);
    }
}
