//! Rule packs with dates, successors and organisation overlays: a
//! province's own rules apply to its subtree while in force, the answer
//! names the pack that decided, and a date outside every pack gets "no rule
//! in force" rather than a default.

use tdkt_core::catalogue::{Catalogue, Recipient};
use tdkt_core::eligibility::{
    check_packs, pack, EvalContext, History, MemberYear, Rating, RuleSet, Supplied, Verdict,
    YearRating,
};
use time::macros::date;

/// A collective with `members` people in `year`, `ldtt` of them Lao động
/// tiên tiến, everybody rated tốt, nobody disciplined, sitting under `scope`.
fn collective<'a>(year: i32, members: u32, ldtt: u32, scope: &[&'a str]) -> History<'a> {
    let rules = RuleSet::embedded();
    let ldtt_id = rules.catalogue().id("lao-dong-tien-tien").unwrap();
    History {
        recipient: Some(Recipient::Collective),
        armed_forces: Some(false),
        supplied: Supplied::ALL,
        ratings: vec![YearRating {
            year,
            rating: Rating::HoanThanhTot,
            via: None,
        }],
        members: vec![MemberYear {
            year,
            members,
            by_rating: [0, 0, members, 0],
            titles: vec![(ldtt_id, ldtt)],
            disciplined: [0; 6],
        }],
        scope: scope.to_vec(),
        ..History::default()
    }
}

const BAC_NINH: &[&str] = &["bac-ninh.so-noi-vu", "bac-ninh", "trung-uong"];
const CAN_THO: &[&str] = &["can-tho.so-noi-vu", "can-tho", "trung-uong"];

#[test]
fn bac_ninh_needs_seventy_percent_ldtt_where_can_tho_needs_over_half() {
    let rules = RuleSet::embedded();
    let ttldtt = rules.catalogue().id("tap-the-lao-dong-tien-tien").unwrap();
    let ctx = EvalContext::year_end(2026);

    // 6 of 10 members Lao động tiên tiến: 60 %.
    let bn = rules.explain(ttldtt, &collective(2026, 10, 6, BAC_NINH), &ctx);
    assert_eq!(bn.verdict, Verdict::NotEligible, "{bn}");
    assert_eq!(bn.pack.as_deref(), Some("bac-ninh-qd-86-2025"));
    assert_eq!(bn.pack_scope.as_deref(), Some("bac-ninh"));
    assert!(
        bn.pack_decision
            .as_deref()
            .unwrap()
            .contains("QĐ 86/2025/QĐ-UBND"),
        "{bn}"
    );
    assert!(
        bn.to_string().contains(
            "Quy định áp dụng: gói «bac-ninh-qd-86-2025» — QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh"
        ),
        "{bn}"
    );
    assert_eq!(bn.first_failure().unwrap().id, "ty-le-ldtt");

    let ct = rules.explain(ttldtt, &collective(2026, 10, 6, CAN_THO), &ctx);
    assert_eq!(ct.verdict, Verdict::Eligible, "{ct}");
    assert_eq!(ct.pack.as_deref(), Some("luat-2022-danh-hieu"));
    assert_eq!(ct.pack_scope, None);
    assert!(
        ct.to_string().contains("(quy định chung toàn quốc)"),
        "{ct}"
    );

    // 7 of 10 is enough in Bắc Ninh too.
    let bn7 = rules.explain(ttldtt, &collective(2026, 10, 7, BAC_NINH), &ctx);
    assert_eq!(bn7.verdict, Verdict::Eligible, "{bn7}");
}

#[test]
fn the_bac_ninh_rules_apply_only_from_their_effective_date() {
    let rules = RuleSet::embedded();
    let ttldtt = rules.catalogue().id("tap-the-lao-dong-tien-tien").unwrap();
    let h = collective(2025, 10, 6, BAC_NINH);
    let before = rules.explain(ttldtt, &h, &EvalContext::at(2025, date!(2025 - 12 - 14)));
    assert_eq!(before.pack.as_deref(), Some("luat-2022-danh-hieu"));
    assert_eq!(before.verdict, Verdict::Eligible);
    let after = rules.explain(ttldtt, &h, &EvalContext::at(2025, date!(2025 - 12 - 15)));
    assert_eq!(after.pack.as_deref(), Some("bac-ninh-qd-86-2025"));
    assert_eq!(after.verdict, Verdict::NotEligible);
}

#[test]
fn a_unit_merged_into_bac_ninh_is_judged_by_bac_ninh_rules_through_its_lineage_scope() {
    // Bắc Giang's Sở Nội vụ sits, across lineage, under today's Bắc Ninh.
    let rules = RuleSet::embedded();
    let ttldtt = rules.catalogue().id("tap-the-lao-dong-tien-tien").unwrap();
    let scope = [
        "bac-giang.so-noi-vu",
        "bac-giang",
        "bac-ninh.so-noi-vu",
        "trung-uong",
        "bac-ninh",
    ];
    let ex = rules.explain(
        ttldtt,
        &collective(2026, 10, 6, &scope),
        &EvalContext::year_end(2026),
    );
    assert_eq!(ex.pack.as_deref(), Some("bac-ninh-qd-86-2025"));
}

#[test]
fn the_scanner_picks_the_overlay_for_each_history() {
    let rules = RuleSet::embedded();
    let ttldtt = rules.catalogue().id("tap-the-lao-dong-tien-tien").unwrap();
    let s = rules.scanner(ttldtt, EvalContext::year_end(2026));
    assert!(s.has_rule());
    assert_eq!(
        s.verdict(&collective(2026, 10, 6, BAC_NINH)),
        Verdict::NotEligible
    );
    assert_eq!(
        s.verdict(&collective(2026, 10, 6, CAN_THO)),
        Verdict::Eligible
    );
    assert_eq!(s.verdict(&collective(2026, 10, 6, &[])), Verdict::Eligible);
}

#[test]
fn the_nearest_scoped_pack_wins() {
    let near = "[pack]\nid = \"so-noi-vu-bn\"\ntitle = \"Quy chế Sở Nội vụ Bắc Ninh\"\ndecision = \"QĐ 1/QĐ-SNV\"\nscope_unit = \"bac-ninh.so-noi-vu\"\neffective_from = \"2026-01-01\"\n\n[[rule]]\naward = \"tap-the-lao-dong-tien-tien\"\ncitation = \"QĐ 1/QĐ-SNV\"\n\n[[rule.clause]]\nid = \"ty-le\"\nkind = \"member_share\"\naward = \"lao-dong-tien-tien\"\npercent = \"90\"\ncitation = \"QĐ 1/QĐ-SNV\"\n";
    let mut files = pack::EMBEDDED.to_vec();
    files.push(("rules/tinh/so-noi-vu-bn.toml", near));
    let rules = check_packs(Catalogue::embedded(), &files).unwrap();
    let ttldtt = rules.catalogue().id("tap-the-lao-dong-tien-tien").unwrap();
    let ctx = EvalContext::year_end(2026);
    let ex = rules.explain(ttldtt, &collective(2026, 10, 8, BAC_NINH), &ctx);
    assert_eq!(ex.pack.as_deref(), Some("so-noi-vu-bn"));
    assert_eq!(ex.verdict, Verdict::NotEligible);
    // Another Bắc Ninh unit falls back to the province's pack.
    let other = ["bac-ninh.so-giao-duc-dao-tao", "bac-ninh", "trung-uong"];
    let ex = rules.explain(ttldtt, &collective(2026, 10, 8, &other), &ctx);
    assert_eq!(ex.pack.as_deref(), Some("bac-ninh-qd-86-2025"));
}

#[test]
fn a_date_after_every_pack_ends_answers_no_rule_in_force() {
    let rules = RuleSet::embedded();
    let flag = rules.catalogue().id("co-thi-dua-chinh-phu").unwrap();
    let h = collective(2027, 10, 10, CAN_THO);
    // NĐ 152/2025 is in force until 28/02/2027 (Điều 60 khoản 1).
    let last = rules.explain(flag, &h, &EvalContext::at(2027, date!(2027 - 02 - 28)));
    assert_eq!(last.pack.as_deref(), Some("nd-152-2025"));
    let ex = rules.explain(flag, &h, &EvalContext::at(2027, date!(2027 - 03 - 01)));
    assert_eq!(ex.verdict, Verdict::NoRuleInForce, "{ex}");
    assert_eq!(ex.pack, None);
    let note = &ex.notes[0];
    assert!(
        note.starts_with(
            "Không có quy định nào có hiệu lực vào ngày 01/3/2027 cho «Cờ thi đua của Chính phủ»."
        ),
        "{note}"
    );
    assert!(
        note.contains("«nd-152-2025»") && note.contains("28/02/2027"),
        "{note}"
    );
    assert_eq!(
        rules.verdict(flag, &h, &EvalContext::at(2027, date!(2027 - 03 - 01))),
        Verdict::NoRuleInForce
    );
}

#[test]
fn a_date_before_every_pack_names_the_first_one() {
    let rules = RuleSet::embedded();
    let ldtt = rules.catalogue().id("lao-dong-tien-tien").unwrap();
    let ex = rules.explain(ldtt, &History::default(), &EvalContext::year_end(2003));
    assert_eq!(ex.verdict, Verdict::NoRuleInForce);
    assert!(
        ex.notes[0].contains("có hiệu lực từ ngày 01/7/2004"),
        "{}",
        ex.notes[0]
    );
}

#[test]
fn packs_carry_their_end_dates_and_successors() {
    let rules = RuleSet::embedded();
    let p = |id: &str| rules.packs.iter().find(|p| p.id == id).unwrap();
    assert_eq!(p("nd-152-2025").to, Some(date!(2027 - 02 - 28)));
    assert_eq!(p("nd-98-2023").successor.as_deref(), Some("nd-152-2025"));
    assert_eq!(p("bac-ninh-qd-86-2025").from, date!(2025 - 12 - 15));
    assert_eq!(p("bac-ninh-qd-86-2025").scope.as_deref(), Some("bac-ninh"));
}

fn refused(src: &str) -> String {
    let mut files = pack::EMBEDDED.to_vec();
    files.push(("rules/x.toml", src));
    match check_packs(Catalogue::embedded(), &files) {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

const RULE: &str = "\n[[rule]]\naward = \"giay-khen\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\nnote = \"n\"\ncitation = \"x\"\n";

#[test]
fn a_successor_must_be_a_loaded_pack_that_starts_after_the_end() {
    let e = refused(&format!("[pack]\nid = \"x\"\ntitle = \"x\"\neffective_from = \"2020-01-01\"\neffective_to = \"2020-12-31\"\nsuccessor = \"khong-co\"\n{RULE}"));
    assert!(
        e.contains("rules/x.toml:6:") && e.contains("successor «khong-co»"),
        "{e}"
    );
    let e = refused(&format!("[pack]\nid = \"x\"\ntitle = \"x\"\neffective_from = \"2020-01-01\"\neffective_to = \"2025-12-31\"\nsuccessor = \"nd-152-2025\"\n{RULE}"));
    assert!(e.contains("không sau ngày gói này hết hiệu lực"), "{e}");
    let e = refused(&format!("[pack]\nid = \"x\"\ntitle = \"x\"\neffective_from = \"2020-01-01\"\nsuccessor = \"nd-152-2025\"\n{RULE}"));
    assert!(e.contains("phải có effective_to"), "{e}");
}

#[test]
fn a_scoped_pack_must_cite_the_decision_that_makes_it_law() {
    let e = refused(&format!(
        "[pack]\nid = \"x\"\ntitle = \"x\"\nscope_unit = \"can-tho\"\neffective_from = \"2026-01-01\"\n{RULE}"
    ));
    assert!(
        e.contains("rules/x.toml:4:") && e.contains("phải ghi văn bản ban hành"),
        "{e}"
    );
}

#[test]
fn two_packs_for_one_unit_may_not_overlap_though_each_overlaps_the_national_rule() {
    let overlay = |id: &str| {
        format!("[pack]\nid = \"{id}\"\ntitle = \"x\"\ndecision = \"QĐ\"\nscope_unit = \"bac-ninh\"\neffective_from = \"2026-01-01\"\n\n[[rule]]\naward = \"tap-the-lao-dong-tien-tien\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\nnote = \"n\"\ncitation = \"x\"\n")
    };
    let e = refused(&overlay("bn-2"));
    assert!(e.contains("hiệu lực chồng lấn"), "{e}");
    // The same pack for another province is fine.
    let mut files = pack::EMBEDDED.to_vec();
    let other = overlay("ct").replace("bac-ninh", "can-tho");
    files.push(("rules/tinh/ct.toml", &other));
    assert!(check_packs(Catalogue::embedded(), &files).is_ok());
}
