//! `vote`: the council's (*Hội đồng Thi đua - Khen thưởng*) vote share
//! reaching a threshold (procedural). By default the share is counted on the
//! council's whole membership (khoản 5 Điều 33 Nghị định 152/2025/NĐ-CP:
//! "tính trên tổng số thành viên của Hội đồng"); a pack may name another
//! base. Checked against the minutes (`eligibility/proposal.rs`); without
//! them it is *chờ bình xét*.

use super::{pct, ratio, Row, Spec};
use crate::eligibility::eval::{EvalContext, Status};
use crate::share::{Base, Share, Threshold};

/// Council vote share reaching the threshold, on its base (procedural):
/// by default the council's whole membership (Điều 33 k5 Nghị định
/// 152/2025/NĐ-CP: "tính trên tổng số thành viên của Hội đồng").
#[derive(Debug, Clone, PartialEq)]
pub struct Vote {
    pub threshold: Threshold,
}

impl Vote {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let p = s.percent()?;
        // Điều 33 k5 NĐ 152/2025: the council's shares are counted on its
        // whole membership unless the pack says otherwise.
        let base = match s.rc.base.as_deref() {
            None => Base::Eligible,
            Some(b) => {
                let Some(b) = Base::from_code(b) else {
                    let id = s.id;
                    s.err(format!("điều kiện «{id}» (vote): base «{b}» không hợp lệ: cần «members», «present» hoặc «valid-ballots»."));
                    return None;
                };
                b
            }
        };
        Some(Self {
            threshold: Threshold::new(p, base),
        })
    }

    pub(super) fn status(&self, ctx: &EvalContext) -> Status {
        match ctx.vote.map(|v| self.threshold.judge(v)) {
            None => Status::Pending,
            Some(Ok(true)) => Status::Pass,
            Some(Ok(false)) => Status::Fail,
            // Counted on another base: no verdict until the right count is given.
            Some(Err(_)) => Status::Unknown,
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let threshold = self.threshold;
        if let Some(v) = r.ctx.vote {
            r.evidence.push(format!(
                "tỷ lệ phiếu đồng ý: {} ({}/{} {})",
                pct(ratio(v.yes, v.base)),
                v.yes,
                v.base,
                v.on.label()
            ));
            r.missing = match threshold.judge(v) {
                Ok(false) => Some(format!(
                    "cần từ {} phiếu đồng ý ({} phiếu trên {})",
                    pct(threshold.percent),
                    Share::needed(threshold.percent, v.base),
                    v.base
                )),
                Err(e) => Some(e.to_string()),
                Ok(true) => None,
            };
        }
        match threshold.base {
            Base::Eligible => format!(
                "Được từ {} thành viên Hội đồng Thi đua - Khen thưởng đồng ý (bỏ phiếu kín)",
                pct(threshold.percent)
            ),
            other => format!(
                "Được từ {} phiếu đồng ý của Hội đồng Thi đua - Khen thưởng, tính trên {} (bỏ phiếu kín)",
                pct(threshold.percent),
                other.label()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{refused, row};
    use crate::eligibility::{EvalContext, History, Status};
    use crate::share::{Base, Share};

    const CLAUSE: &str = "kind = \"vote\"\npercent = \"70\"";

    #[test]
    fn the_share_is_counted_on_the_whole_council_by_default() {
        let mut ctx = EvalContext::year_end(2025);
        let h = History::default();
        assert_eq!(
            row("chien-si-thi-dua-co-so", CLAUSE, &h, &ctx).status,
            Status::Pending
        );
        ctx.vote = Some(Share::new(7, 10, Base::Eligible));
        let r = row("chien-si-thi-dua-co-so", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Pass);
        assert!(
            r.description.contains("thành viên Hội đồng"),
            "{}",
            r.description
        );
        ctx.vote = Some(Share::new(6, 10, Base::Eligible));
        assert_eq!(
            row("chien-si-thi-dua-co-so", CLAUSE, &h, &ctx).status,
            Status::Fail
        );
        // Counted on those present: no verdict until the membership count is given.
        ctx.vote = Some(Share::new(7, 8, Base::Present));
        assert_eq!(
            row("chien-si-thi-dua-co-so", CLAUSE, &h, &ctx).status,
            Status::Unknown
        );
    }

    #[test]
    fn an_unknown_base_is_refused() {
        let e = refused(
            "chien-si-thi-dua-co-so",
            "kind = \"vote\"\npercent = \"70\"\nbase = \"nguoi-di-hop\"",
        );
        assert!(e.contains("base «nguoi-di-hop» không hợp lệ"), "{e}");
    }
}
