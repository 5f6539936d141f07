//! `check_packs` on the shipped packs and on broken samples: every refusal
//! names the file, the line and the reason.

use tdkt_core::catalogue::{Catalogue, SourceError};
use tdkt_core::eligibility::{check_packs, pack, RuleSet};

const HEADER: &str = "[pack]\nid = \"mau\"\ntitle = \"Mẫu\"\neffective_from = \"2024-01-01\"\n";

fn errors(files: &[(&str, &str)]) -> Vec<SourceError> {
    match check_packs(Catalogue::embedded(), files) {
        Ok(_) => panic!("expected the sample to be refused"),
        Err(e) => e,
    }
}

fn one(body: &str) -> Vec<SourceError> {
    let src = format!("{HEADER}{body}");
    errors(&[("rules/mau.toml", &src)])
}

fn assert_error(e: &[SourceError], line: usize, needle: &str) {
    assert!(
        e.iter()
            .any(|x| x.file.starts_with("rules/") && x.line == line && x.message.contains(needle)),
        "no error at line {line} containing «{needle}»: {}",
        e.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_shipped_packs_pass() {
    let rules =
        check_packs(Catalogue::embedded(), pack::EMBEDDED).unwrap_or_else(|e| panic!("{}", e[0]));
    assert_eq!(rules.packs.len(), pack::EMBEDDED.len());
    let _ = RuleSet::embedded();
}

#[test]
fn an_unknown_combinator_is_refused_at_its_line() {
    let e = one(
        "\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\nwhen = \"some(a)\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\nnote = \"n\"\ncitation = \"x\"\n",
    );
    assert_error(&e, 9, "tổ hợp «some» không tồn tại");
}

#[test]
fn an_unknown_clause_kind_is_refused_at_its_line() {
    let e = one("\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"lucky\"\ncitation = \"x\"\n");
    assert_error(&e, 12, "loại điều kiện «lucky» không tồn tại");
}

#[test]
fn an_unknown_award_code_is_refused_at_its_line() {
    let e = one("\n[[rule]]\naward = \"lao-dong-gioi\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\nnote = \"n\"\ncitation = \"x\"\n");
    assert_error(&e, 7, "«lao-dong-gioi» không có trong danh mục");
    let e = one(
        "\n[[rule]]\naward = \"chien-si-thi-dua-cap-tinh\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"title_streak\"\naward = \"cstdcs\"\nyears = 3\ncitation = \"x\"\n",
    );
    assert_error(&e, 13, "«cstdcs» không có trong danh mục");
}

#[test]
fn a_cycle_between_awards_is_refused() {
    let e = one(concat!(
        "\n[[rule]]\naward = \"chien-si-thi-dua-co-so\"\ncitation = \"x\"\n\n",
        "[[rule.clause]]\nid = \"a\"\nkind = \"title_streak\"\naward = \"chien-si-thi-dua-cap-tinh\"\nyears = 1\ncitation = \"x\"\n\n",
        "[[rule]]\naward = \"chien-si-thi-dua-cap-tinh\"\ncitation = \"x\"\n\n",
        "[[rule.clause]]\nid = \"b\"\nkind = \"title_streak\"\naward = \"chien-si-thi-dua-co-so\"\nyears = 3\ncitation = \"x\"\n",
    ));
    assert!(
        e.iter()
            .any(|x| x.message.contains("vòng lặp giữa các danh hiệu")),
        "{e:?}"
    );
    let e = one("\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"award_count\"\naward = \"lao-dong-tien-tien\"\ncount = 1\nwithin = 2\ncitation = \"x\"\n");
    assert_error(&e, 10, "đòi chính danh hiệu đang xét");
}

#[test]
fn overlapping_periods_for_one_award_are_refused() {
    let a = format!("{HEADER}\n[[rule]]\naward = \"giay-khen\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\nnote = \"n\"\ncitation = \"x\"\n");
    let b = a
        .replace("id = \"mau\"", "id = \"mau-2\"")
        .replace("2024-01-01", "2025-01-01");
    let e = errors(&[("rules/a.toml", &a), ("rules/b.toml", &b)]);
    assert!(
        e.iter().any(|x| x.file == "rules/b.toml"
            && x.line == 6
            && x.message.contains("chồng lấn")
            && x.message.contains("rules/a.toml:6")),
        "{e:?}"
    );
}

#[test]
fn clauses_that_can_never_hold_are_refused() {
    let rule = |clause: &str| {
        format!("\n[[rule]]\naward = \"tap-the-lao-dong-tien-tien\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\ncitation = \"x\"\n{clause}\n")
    };
    assert_error(
        &one(&rule(
            "kind = \"member_share\"\naward = \"lao-dong-tien-tien\"\npercent = \"120\"",
        )),
        15,
        "ngoài khoảng 0–100%",
    );
    assert_error(
        &one(&rule(
            "kind = \"rating_count\"\nrating = \"hoan-thanh\"\ncount = 4\nwithin = 3",
        )),
        10,
        "không bao giờ thỏa",
    );
    assert_error(
        &one(&rule(
            "kind = \"title_streak\"\naward = \"tap-the-lao-dong-xuat-sac\"\nyears = 0",
        )),
        10,
        "không hợp lý",
    );
    assert_error(
        &one(&rule(
            "kind = \"member_share\"\nrating = \"hoan-thanh\"\npercent = \"100\"\nstrict = true",
        )),
        10,
        "trên 100%",
    );
    // A collective-only clause in an individual title.
    let e = one("\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"member_count\"\naward = \"chien-si-thi-dua-co-so\"\ncitation = \"x\"\n");
    assert_error(&e, 10, "chỉ áp dụng cho tập thể");
    // all(a, not(a))
    let e = one(concat!(
        "\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\nwhen = \"all(a, not(a))\"\n\n",
        "[[rule.clause]]\nid = \"a\"\nkind = \"rating_count\"\nrating = \"hoan-thanh-tot\"\ncitation = \"x\"\n",
    ));
    assert!(
        e.iter()
            .any(|x| x.line == 9 && x.message.contains("không bao giờ thỏa")),
        "{e:?}"
    );
}

#[test]
fn unknown_and_unused_clause_ids_are_refused() {
    let e = one(
        "\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\nwhen = \"all(a, b)\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\nnote = \"n\"\ncitation = \"x\"\n",
    );
    assert_error(&e, 9, "«b» không có trong [[rule.clause]]");
    let e = one(concat!(
        "\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\nwhen = \"a\"\n\n",
        "[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\nnote = \"n\"\ncitation = \"x\"\n\n",
        "[[rule.clause]]\nid = \"b\"\nkind = \"manual\"\nnote = \"n\"\ncitation = \"x\"\n",
    ));
    assert_error(&e, 17, "«b» không được dùng");
}

#[test]
fn syntax_and_type_errors_carry_their_line() {
    let e = one("\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = x\n");
    assert_error(&e, 8, "lỗi cú pháp");
    let e = one("\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"no_discipline\"\nlevel = \"phat-tien\"\ncitation = \"x\"\n");
    assert_error(&e, 13, "lỗi cú pháp");
}

#[test]
fn a_clause_without_citation_or_required_field_is_refused() {
    let e = one("\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"rating_count\"\ncitation = \" \"\n");
    assert_error(&e, 10, "thiếu căn cứ");
    let e = one("\n[[rule]]\naward = \"lao-dong-tien-tien\"\ncitation = \"x\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\ncitation = \"x\"\n");
    assert_error(&e, 10, "cần note");
}
