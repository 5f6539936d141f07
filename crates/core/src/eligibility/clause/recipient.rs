//! `recipient`: the subject is an individual, a collective or a household,
//! e.g. the Prime Minister's *Bằng khen* for an individual (khoản 1 Điều 73
//! Luật TĐKT 2022, `rules/luat-2022-hinh-thuc.toml`). A kind the award is
//! never given to is refused when the pack is compiled; the award's own
//! recipients are checked before any clause (`eval.rs`).

use super::{Row, Spec};
use crate::catalogue::Recipient;
use crate::eligibility::eval::Status;
use crate::eligibility::history::History;

/// The subject is `value` (an individual, a collective or a household).
#[derive(Debug, Clone, PartialEq)]
pub struct RecipientIs {
    pub value: Recipient,
}

impl RecipientIs {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let value = s.need_field("recipient", s.rc.recipient)?;
        if !s.owner.accepts(value) {
            let (id, code) = (s.id, s.owner.code.clone());
            s.err(format!(
                "điều kiện «{id}»: «{code}» không tặng cho {}: không bao giờ thỏa.",
                value.label()
            ));
            return None;
        }
        Some(Self { value })
    }

    pub(super) fn status(&self, h: &History<'_>) -> Status {
        match h.recipient {
            None => Status::Unknown,
            Some(r) if r == self.value => Status::Pass,
            Some(_) => Status::Fail,
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        r.missing = match r.status {
            Status::Unknown => Some("chưa rõ loại đối tượng".to_owned()),
            Status::Fail => Some(format!("đối tượng không phải {}", self.value.label())),
            _ => None,
        };
        format!("Đối tượng là {}", self.value.label())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{refused, row};
    use crate::catalogue::Recipient;
    use crate::eligibility::{EvalContext, History, Status};

    #[test]
    fn an_individual_is_required_and_judged() {
        let ctx = EvalContext::year_end(2025);
        let clause = "kind = \"recipient\"\nrecipient = \"individual\"";
        let mut h = History::default();
        assert_eq!(
            row("bang-khen-thu-tuong", clause, &h, &ctx).status,
            Status::Unknown
        );
        h.recipient = Some(Recipient::Individual);
        assert_eq!(
            row("bang-khen-thu-tuong", clause, &h, &ctx).status,
            Status::Pass
        );
        h.recipient = Some(Recipient::Collective);
        assert_eq!(
            row("bang-khen-thu-tuong", clause, &h, &ctx).status,
            Status::Fail
        );
    }

    #[test]
    fn a_recipient_the_award_is_never_given_to_is_refused() {
        let e = refused(
            "lao-dong-tien-tien",
            "kind = \"recipient\"\nrecipient = \"collective\"",
        );
        assert!(e.contains("«lao-dong-tien-tien» không tặng cho"), "{e}");
    }
}
