//! Quota and vote checks on a unit's proposal list, at their boundaries:
//! exactly at the limit passes, one over fails; the refusal names the
//! count, the limit and the citation.

use rust_decimal::Decimal;
use tdkt_core::catalogue::Catalogue;
use tdkt_core::eligibility::{check_packs, EvalContext, QuotaBase, RuleSet, Status};
use tdkt_core::share::{Base, Share};

const PACK: &str = r#"
[pack]
id = "thu-nghiem-ty-le"
title = "Gói thử nghiệm tỷ lệ"
effective_from = "2024-01-01"

[[rule]]
award = "chien-si-thi-dua-co-so"
citation = "thử nghiệm"
when = "all(xuat-sac, ty-le, phieu)"

[[rule.clause]]
id = "xuat-sac"
kind = "rating_count"
rating = "hoan-thanh-xuat-sac"
citation = "thử nghiệm"

[[rule.clause]]
id = "ty-le"
kind = "quota"
percent = "15"
base = "lao-dong-tien-tien"
citation = "khoản X Điều Y (thử nghiệm)"

[[rule.clause]]
id = "phieu"
kind = "vote"
percent = "70"
citation = "biểu quyết thử nghiệm"

[[rule]]
award = "co-thi-dua-chinh-phu"
citation = "thử nghiệm"

[[rule.clause]]
id = "hai-muoi"
kind = "quota"
percent = "20"
base = "co-thi-dua-cap-tinh"
citation = "tỷ lệ cờ thử nghiệm"

[[rule.clause]]
id = "thanh-vien"
kind = "quota"
percent = "50"
base = "members"
citation = "tỷ lệ thành viên thử nghiệm"

[[rule]]
award = "lao-dong-tien-tien"
citation = "thử nghiệm"

[[rule.clause]]
id = "tot"
kind = "quota"
percent = "70"
base = "rating:hoan-thanh-tot"
citation = "tỷ lệ xếp loại thử nghiệm"
"#;

fn rules() -> RuleSet {
    check_packs(Catalogue::embedded(), &[("rules/thu-nghiem.toml", PACK)]).unwrap()
}

#[test]
fn quotas_at_the_boundary() {
    let rules = rules();
    let cstdcs = rules.catalogue().id("chien-si-thi-dua-co-so").unwrap();
    let ctx = EvalContext::year_end(2025);
    // (proposed, base, within quota)
    let cases: &[(u32, u32, bool)] = &[
        (3, 20, true),   // 15% of 20 = 3: exactly at the limit
        (4, 20, false),  // one over
        (0, 0, true),    // nothing proposed out of nothing
        (1, 0, false),   // anyone out of nothing
        (1, 7, true),    // 15% of 7 = 1,05
        (2, 7, false),   // 2 > 1,05
        (15, 100, true), // exactly 15%
        (16, 100, false),
        (0, 5, true),
        (1, 6, false), // 15% of 6 = 0,9: not even one
    ];
    for &(proposed, base, ok) in cases {
        let q = rules.check_quota(cstdcs, &ctx, proposed, base);
        assert_eq!(q.ok(), ok, "{proposed}/{base}: {:?}", q.clauses);
        assert_eq!(q.clauses.len(), 1);
        let row = &q.clauses[0];
        assert_eq!(row.citation.as_deref(), Some("khoản X Điều Y (thử nghiệm)"));
        assert!(
            row.description.contains("Lao động tiên tiến"),
            "{}",
            row.description
        );
        if ok {
            assert_eq!(row.status, Status::Pass);
            assert!(row.missing.is_none());
        } else {
            assert_eq!(row.status, Status::Fail);
            let m = row.missing.as_deref().unwrap();
            assert!(m.contains(&format!("đề nghị {proposed}")), "{m}");
            assert!(m.contains(&format!("trên {base}")), "{m}");
        }
    }
    let q = rules.check_quota(cstdcs, &ctx, 4, 20);
    assert!(q.clauses[0]
        .missing
        .as_deref()
        .unwrap()
        .contains("tối đa 3"));
}

#[test]
fn each_quota_clause_is_checked_on_its_own_base() {
    let rules = rules();
    let flag = rules.catalogue().id("co-thi-dua-chinh-phu").unwrap();
    let ctx = EvalContext::year_end(2025);
    let bases = rules.quota_bases(flag, ctx.at);
    assert_eq!(bases.len(), 2);
    assert!(matches!(bases[0], QuotaBase::Award(_)));
    assert_eq!(bases[1], QuotaBase::Members);
    // (proposed, units with Cờ cấp tỉnh, members, ok)
    let cases: &[(u32, u32, u32, bool)] = &[
        (2, 10, 4, true),  // 20% of 10 = 2; 50% of 4 = 2
        (3, 10, 6, false), // over the first
        (2, 10, 3, false), // over the second
        (3, 15, 6, true),
    ];
    for &(n, with_flag, members, ok) in cases {
        let q = rules.check_quota_with(flag, &ctx, n, |b| match b {
            QuotaBase::Members => members,
            _ => with_flag,
        });
        assert_eq!(q.ok(), ok, "{n} {with_flag} {members}: {:?}", q.clauses);
        assert_eq!(q.bases, vec![with_flag, members]);
    }
    let ldtt = rules.catalogue().id("lao-dong-tien-tien").unwrap();
    assert_eq!(
        rules.quota_bases(ldtt, ctx.at),
        vec![QuotaBase::Rating(
            tdkt_core::eligibility::Rating::HoanThanhTot
        )]
    );
    // no quota in the shipped packs: nothing to check, always within
    let shipped = RuleSet::embedded();
    let cstdcs = shipped.catalogue().id("chien-si-thi-dua-co-so").unwrap();
    let q = shipped.check_quota(cstdcs, &ctx, 100, 1);
    assert!(q.ok() && q.clauses.is_empty());
    assert!(!shipped.needs_vote(cstdcs, ctx.at));
}

#[test]
fn votes_at_the_boundary() {
    let rules = rules();
    let cstdcs = rules.catalogue().id("chien-si-thi-dua-co-so").unwrap();
    let ctx = EvalContext::year_end(2025);
    assert!(rules.needs_vote(cstdcs, ctx.at));
    // (yes, base, status) at 70%
    let cases: &[(u32, u32, Status)] = &[
        (7, 10, Status::Pass), // exactly 70%
        (6, 10, Status::Fail),
        (69, 100, Status::Fail),
        (70, 100, Status::Pass),
        (5, 7, Status::Pass), // 71,4%
        (4, 6, Status::Fail), // 66,7%
        (3, 3, Status::Pass),
        (0, 9, Status::Fail),
    ];
    for &(yes, base, want) in cases {
        let rows = rules.check_vote(cstdcs, &ctx, Some(Share::new(yes, base, Base::Eligible)));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].status, want, "{yes}/{base}: {:?}", rows[0]);
        assert_eq!(rows[0].citation.as_deref(), Some("biểu quyết thử nghiệm"));
        if want == Status::Fail {
            assert!(rows[0].missing.as_deref().unwrap().contains("70%"));
        }
    }
    let pending = rules.check_vote(cstdcs, &ctx, None);
    assert_eq!(pending[0].status, Status::Pending);
    // Counted on those present while the clause counts on all members
    // (Điều 33 k5 NĐ 152/2025): no verdict, and the reason is said.
    let other = rules.check_vote(cstdcs, &ctx, Some(Share::new(7, 7, Base::Present)));
    assert_eq!(other[0].status, Status::Unknown);
    assert!(other[0]
        .missing
        .as_deref()
        .unwrap()
        .contains("tổng số thành viên"));
    assert_eq!(rules.vote_base(cstdcs, ctx.at), Some(Base::Eligible));
    assert_eq!(
        Share::new(2, 3, Base::Eligible)
            .percent()
            .map(|d| d.round_dp(2)),
        Some(Decimal::new(6667, 2))
    );
}

#[test]
fn an_uncountable_quota_base_is_refused_with_its_line() {
    for (base, says) in [
        ("số cá nhân đạt LĐTT", "không đếm được"),
        ("rating:gioi", "mức xếp loại «gioi» không tồn tại"),
        ("khong-co-danh-hieu", "không đếm được"),
    ] {
        let src = PACK.replace(
            "base = \"lao-dong-tien-tien\"",
            &format!("base = \"{base}\""),
        );
        let errs =
            check_packs(Catalogue::embedded(), &[("rules/thu-nghiem.toml", &src)]).unwrap_err();
        let e = errs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(e.contains(says), "{base}: {e}");
        assert!(e.contains("thu-nghiem.toml"), "{e}");
    }
}
