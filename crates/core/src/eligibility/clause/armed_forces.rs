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
