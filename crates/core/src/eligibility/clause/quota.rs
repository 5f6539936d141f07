//! `quota`: the proposal list within a share of a countable base
//! (procedural). Checked on the list (`eligibility/proposal.rs`), where the
//! store counts the base; without the list it is *chờ bình xét*.
//!
//! ```toml
//! [[rule.clause]]
//! id = "ty-le"
//! kind = "quota"
//! percent = "15"
//! base = "lao-dong-tien-tien"   # or "rating:<level>", or "members"
//! citation = "…"
//! ```

use rust_decimal::Decimal;

use super::{pct, ratio, AwardSet, Row, Spec};
use crate::eligibility::eval::{EvalContext, Status};
use crate::eligibility::history::Rating;
use crate::share::{Base, Share};

/// What a quota is a share of, counted in the proposing unit's subtree for
/// the achievement year. Written in a pack as an award code, `rating:<level>`
/// or `members`, so that the store can count it rather than read prose.
#[derive(Debug, Clone, PartialEq)]
pub enum QuotaBase {
    /// Those holding the award (or one counting as it) that year.
    Award(AwardSet),
    /// Those rated at least this level that year.
    Rating(Rating),
    /// Everyone in the unit that year (people, or units for collective awards).
    Members,
}

/// The proposal list: at most `percent` of `base` (procedural).
#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    pub percent: Decimal,
    pub base: QuotaBase,
}

impl Quota {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let percent = s.percent()?;
        let id = s.id;
        let Some(spec) = s.rc.base.as_deref().map(str::trim) else {
            s.err(format!(
                "điều kiện «{id}» (quota) cần trường base (tổng số làm căn cứ tính tỷ lệ)."
            ));
            return None;
        };
        let base = if spec == "members" {
            QuotaBase::Members
        } else if let Some(r) = spec.strip_prefix("rating:") {
            let Some(r) = Rating::from_code(r.trim()) else {
                s.err(format!(
                    "điều kiện «{id}» (quota): mức xếp loại «{r}» không tồn tại ({}).",
                    Rating::ALL.map(Rating::code).join(", ")
                ));
                return None;
            };
            QuotaBase::Rating(r)
        } else if let Some(main) = s.cat.id(spec) {
            QuotaBase::Award(AwardSet::of(s.cat, main, spec))
        } else {
            s.err(format!("điều kiện «{id}» (quota): base «{spec}» không đếm được: cần mã danh hiệu trong danh mục, «rating:<mức xếp loại>» hoặc «members»."));
            return None;
        };
        Some(Self { percent, base })
    }

    pub(super) fn status(&self, ctx: &EvalContext) -> Status {
        match ctx.quota {
            None => Status::Pending,
            Some(q) if Share::new(q.proposed, q.base, Base::Eligible).within(self.percent) => {
                Status::Pass
            }
            Some(_) => Status::Fail,
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let y = r.y;
        if let Some(q) = r.ctx.quota {
            r.evidence.push(format!(
                "đề nghị {}/{} ({})",
                q.proposed,
                q.base,
                pct(ratio(q.proposed, q.base))
            ));
            if r.status == Status::Fail {
                let max = Share::cap(self.percent, q.base);
                r.missing = Some(format!(
                    "vượt tỷ lệ: tối đa {max} trên {}, đề nghị {}",
                    q.base, q.proposed
                ));
            }
        }
        let of = match &self.base {
            QuotaBase::Award(a) => format!("số được tặng «{}» năm {y}", r.name(a.main)),
            QuotaBase::Rating(x) => {
                format!("số được xếp loại từ «{}» trở lên năm {y}", x.label())
            }
            QuotaBase::Members => format!("tổng số thành viên năm {y}"),
        };
        format!("Số được đề nghị không quá {} {of}", pct(self.percent))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{refused, row};
    use crate::eligibility::{EvalContext, History, QuotaInput, Status};

    const CLAUSE: &str =
        "kind = \"quota\"\npercent = \"15\"\nbase = \"rating:hoan-thanh-xuat-sac\"";

    #[test]
    fn a_list_over_the_share_fails_and_no_list_is_pending() {
        let mut ctx = EvalContext::year_end(2025);
        let h = History::default();
        assert_eq!(
            row("chien-si-thi-dua-co-so", CLAUSE, &h, &ctx).status,
            Status::Pending
        );
        ctx.quota = Some(QuotaInput {
            proposed: 2,
            base: 10,
        });
        let r = row("chien-si-thi-dua-co-so", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.missing.as_deref(),
            Some("vượt tỷ lệ: tối đa 1 trên 10, đề nghị 2")
        );
        ctx.quota = Some(QuotaInput {
            proposed: 3,
            base: 20,
        });
        assert_eq!(
            row("chien-si-thi-dua-co-so", CLAUSE, &h, &ctx).status,
            Status::Pass
        );
    }

    #[test]
    fn an_uncountable_base_is_refused() {
        let e = refused(
            "chien-si-thi-dua-co-so",
            "kind = \"quota\"\npercent = \"15\"\nbase = \"rating:gioi\"",
        );
        assert!(e.contains("mức xếp loại «gioi» không tồn tại"), "{e}");
        let e = refused(
            "chien-si-thi-dua-co-so",
            "kind = \"quota\"\npercent = \"15\"\nbase = \"nhan-vien\"",
        );
        assert!(e.contains("base «nhan-vien» không đếm được"), "{e}");
    }
}
