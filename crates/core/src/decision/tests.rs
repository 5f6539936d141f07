use super::*;
use crate::reward::{format_vnd, EMBEDDED};
use time::macros::date;

fn ubnd() -> Symbol {
    Symbol::parse("UBND").unwrap()
}

fn salaries() -> BaseSalaries {
    BaseSalaries::load(EMBEDDED).unwrap()
}

#[test]
fn a_number_is_the_order_then_qd_and_the_bodys_abbreviation() {
    assert_eq!(number(15, &ubnd()), "15/QĐ-UBND");
    assert_eq!(number(1, &ubnd()), "01/QĐ-UBND");
    assert_eq!(number(120, &Symbol::parse("SNV").unwrap()), "120/QĐ-SNV");
}

#[test]
fn a_typed_number_may_be_the_order_alone_or_the_whole_symbol() {
    assert_eq!(parse_seq("15", &ubnd()).unwrap(), 15);
    assert_eq!(parse_seq(" 015 ", &ubnd()).unwrap(), 15);
    assert_eq!(parse_seq("15/QĐ-UBND", &ubnd()).unwrap(), 15);
    assert_eq!(parse_seq("15/qd-ubnd", &ubnd()).unwrap(), 15);
}

#[test]
fn another_bodys_symbol_or_a_non_number_is_refused_in_vietnamese() {
    let e = parse_seq("15/QĐ-SNV", &ubnd()).unwrap_err();
    assert_eq!(e.field(), "number");
    assert!(e.message().contains("không phải của cơ quan này"), "{e}");
    for bad in ["", "0", "abc", "100000", "-3"] {
        let e = parse_seq(bad, &ubnd()).unwrap_err();
        assert!(e.message().contains("phải là số thứ tự"), "{bad}: {e}");
    }
}

#[test]
fn a_symbol_is_letters_from_a_capital_digits_and_hyphens() {
    assert!(Symbol::parse("BTĐKT").is_ok());
    assert!(Symbol::parse("UBND-VP").is_ok());
    assert_eq!(number(1520, &Symbol::parse("TTg").unwrap()), "1520/QĐ-TTg");
    for bad in ["", "ubnd", "UB ND", "-UBND", "UBND/"] {
        assert!(Symbol::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_date_line_pads_days_below_10_and_months_below_3() {
    assert_eq!(
        place_date("Cần Thơ", date!(2026 - 02 - 05)),
        "Cần Thơ, ngày 05 tháng 02 năm 2026"
    );
    assert_eq!(
        place_date("Cần Thơ", date!(2026 - 12 - 15)),
        "Cần Thơ, ngày 15 tháng 12 năm 2026"
    );
    assert_eq!(
        place_date("Hà Nội", date!(2026 - 03 - 01)),
        "Hà Nội, ngày 01 tháng 3 năm 2026"
    );
}

fn parse(number: &str, decided: &str) -> Result<NewDecision, DomainError> {
    NewDecision::parse(
        &ubnd(),
        number,
        decided,
        "Trần Văn A",
        "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
        "Về việc tặng Bằng khen",
        DEFAULT_BASES,
        None,
        date!(2026 - 12 - 06),
    )
}

#[test]
fn a_new_decision_reads_its_number_date_and_bases() {
    let d = parse("15/QĐ-UBND", "2026-11-20").unwrap();
    assert_eq!(d.seq, 15);
    assert_eq!(d.decided_on, date!(2026 - 11 - 20));
    assert_eq!(d.bases.len(), 3);
    assert!(d.bases[0].starts_with("Căn cứ"));
}

#[test]
fn a_decision_dated_in_the_future_or_without_signer_is_refused() {
    let e = parse("15", "2026-12-07").unwrap_err();
    assert_eq!(e.field(), "decided_on");
    assert!(e.message().contains("ở tương lai"));
    let e = NewDecision::parse(
        &ubnd(),
        "15",
        "2026-11-20",
        "  ",
        "CHỦ TỊCH",
        "Về việc",
        DEFAULT_BASES,
        None,
        date!(2026 - 12 - 06),
    )
    .unwrap_err();
    assert_eq!(e.field(), "signer_name");
}

fn amount(award: &str, r: Recipient, d: Date) -> String {
    format_vnd(
        line_reward(
            &crate::catalogue::Catalogue::embedded(),
            &salaries(),
            award,
            r,
            d,
        )
        .unwrap()
        .amount,
    )
}

#[test]
fn the_amount_uses_the_base_salary_of_the_decision_date_either_side_of_1_july_2026() {
    // 1,5 × 2.340.000 = 3.510.000; 1,5 × 2.530.000 = 3.795.000 → 3.800.000
    assert_eq!(
        amount(
            "bang-khen-cap-tinh",
            Recipient::Individual,
            date!(2026 - 06 - 30)
        ),
        "3.510.000 đ"
    );
    assert_eq!(
        amount(
            "bang-khen-cap-tinh",
            Recipient::Individual,
            date!(2026 - 07 - 01)
        ),
        "3.800.000 đ"
    );
}

#[test]
fn collective_and_household_amounts_are_rounded_up_once() {
    // Giấy khen 0,3 × 2.530.000 = 759.000 → 760.000; × 2 = 1.518.000 →
    // 1.520.000; × 1,5 = 1.138.500 → 1.140.000
    let d = date!(2026 - 11 - 20);
    assert_eq!(amount("giay-khen", Recipient::Individual, d), "760.000 đ");
    assert_eq!(amount("giay-khen", Recipient::Collective, d), "1.520.000 đ");
    assert_eq!(amount("giay-khen", Recipient::Household, d), "1.140.000 đ");
}

#[test]
fn an_unknown_award_or_a_wrong_recipient_names_the_award_field() {
    let cat = &crate::catalogue::Catalogue::embedded();
    let e = line_reward(
        cat,
        &salaries(),
        "bang-khen-gi-do",
        Recipient::Individual,
        date!(2026 - 11 - 20),
    )
    .unwrap_err();
    assert_eq!(e.field(), "award");
    let e = line_reward(
        cat,
        &salaries(),
        "lao-dong-tien-tien",
        Recipient::Collective,
        date!(2026 - 11 - 20),
    )
    .unwrap_err();
    assert!(e.message().contains("không tặng cho tập thể"), "{e}");
}

#[test]
fn recipient_kinds_read_in_vietnamese_or_english() {
    assert_eq!(parse_recipient("Cá nhân").unwrap(), Recipient::Individual);
    assert_eq!(parse_recipient("tap-the").unwrap(), Recipient::Collective);
    assert_eq!(
        parse_recipient("Hộ gia đình").unwrap(),
        Recipient::Household
    );
    assert!(parse_recipient("công ty").is_err());
}

fn row(name: &str, r: Recipient, amount: i64) -> AnnexRow {
    AnnexRow {
        name: name.to_owned(),
        detail: String::new(),
        award_name: "Bằng khen của Chủ tịch UBND cấp tỉnh".to_owned(),
        recipient: r,
        amount,
    }
}

#[test]
fn the_document_has_the_official_parts_and_the_total() {
    let bases = vec!["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;".to_owned()];
    let doc = document(&DocumentInput {
        parent_body: "",
        body: "Ủy ban nhân dân thành phố Cần Thơ",
        place: "Cần Thơ",
        number: "15/QĐ-UBND",
        decided_on: date!(2026 - 11 - 20),
        title: "Về việc tặng Bằng khen",
        signer_title: "KT. Chủ tịch / Phó Chủ tịch",
        signer_name: "Nguyễn Văn B",
        bases: &bases,
        annex: vec![
            row("Bùi Thị Hồng Nhung", Recipient::Individual, 3_800_000),
            row("Sở Xây dựng", Recipient::Collective, 7_590_000),
        ],
        draft: true,
    });
    assert_eq!(doc.body, "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ");
    assert_eq!(doc.number_line, "Số: 15/QĐ-UBND");
    assert_eq!(doc.place_date, "Cần Thơ, ngày 20 tháng 11 năm 2026");
    assert_eq!(doc.decider, "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ");
    assert_eq!(doc.signer_title, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH");
    assert_eq!(doc.total, 11_390_000);
    assert!(
        doc.articles[0].contains("01 cá nhân, 01 tập thể"),
        "{}",
        doc.articles[0]
    );
    assert!(
        doc.articles[1].contains("11.390.000 đồng"),
        "{}",
        doc.articles[1]
    );
    assert!(doc.annex_subtitle.contains("15/QĐ-UBND ngày 20/11/2026"));
}

#[test]
fn a_receipt_needs_a_positive_whole_amount_and_a_description() {
    let today = date!(2026 - 12 - 06);
    let r = NewReceipt::parse("2026-01-15", "50.000.000 đ", "Ngân sách cấp", today).unwrap();
    assert_eq!(r.amount, 50_000_000);
    for bad in ["0", "-5", "12,5", "nhiều"] {
        let e = NewReceipt::parse("2026-01-15", bad, "x", today).unwrap_err();
        assert_eq!(e.field(), "amount", "{bad}");
    }
    let e = NewReceipt::parse("2026-01-15", "100", " ", today).unwrap_err();
    assert_eq!(e.field(), "description");
}

#[test]
fn the_ledger_keeps_a_running_balance() {
    let (running, b) = ledger(&[
        (FundKind::Receipt, 50_000_000),
        (FundKind::Payment, 11_390_000),
        (FundKind::Payment, 760_000),
    ]);
    assert_eq!(running, vec![50_000_000, 38_610_000, 37_850_000]);
    assert_eq!(
        b,
        Balance {
            receipts: 50_000_000,
            payments: 12_150_000,
            balance: 37_850_000
        }
    );
}

#[test]
fn only_the_centre_records_the_prime_ministers_forms_and_a_province_its_own() {
    use crate::catalogue::Authority as A;
    use crate::dossier::LevelClass as L;
    assert!(super::may_issue(A::ThuTuong, L::Central));
    assert!(!super::may_issue(A::ThuTuong, L::Province));
    assert!(!super::may_issue(A::ChuTichNuoc, L::HomeAffairs));
    assert!(super::may_issue(A::CapTinh, L::Province));
    assert!(super::may_issue(A::CapTinh, L::Ministry));
    assert!(!super::may_issue(A::CapTinh, L::Grassroots));
    assert!(super::may_issue(A::CoSo, L::Province));
    assert!(!super::may_issue(A::CoSo, L::Central));
}

#[test]
fn the_registry_names_the_prime_minister_once_and_a_chairman_before_his_committee() {
    assert_eq!(
        decided_by("THỦ TƯỚNG", "Thủ tướng Chính phủ"),
        "Thủ tướng Chính phủ"
    );
    assert_eq!(
        decided_by(
            "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
            "Ủy ban nhân dân thành phố Cần Thơ"
        ),
        "Chủ tịch Ủy ban nhân dân thành phố Cần Thơ"
    );
    assert_eq!(decided_by("GIÁM ĐỐC", "Sở Nội vụ"), "Giám đốc Sở Nội vụ");
}

#[test]
fn a_payment_beyond_the_fund_is_warned_of_not_refused() {
    assert_eq!(fund_shortfall(10_000_000, 8_860_000, 2026), None);
    assert_eq!(fund_shortfall(8_860_000, 8_860_000, 2026), None);
    assert_eq!(fund_shortfall(0, 0, 2026), None);
    let w = fund_shortfall(5_000_000, 8_860_000, 2026).unwrap();
    assert!(w.contains("năm 2026"), "{w}");
    assert!(w.contains("còn 5.000.000 đ"), "{w}");
    assert!(w.contains("quỹ âm 3.860.000 đ"), "{w}");
    // a fund already in deficit says by how much it would end
    let w = fund_shortfall(-1_000_000, 500_000, 2026).unwrap();
    assert!(w.contains("quỹ âm 1.500.000 đ"), "{w}");
}

#[test]
fn a_decision_is_proposed_the_bases_of_its_issuers_level() {
    let central = default_bases(LevelClass::Central);
    assert!(
        central.starts_with("Căn cứ Luật Tổ chức Chính phủ năm 2025;\n"),
        "{central}"
    );
    assert!(!central.contains("chính quyền địa phương"), "{central}");
    assert!(central.contains("152/2025/NĐ-CP"), "{central}");
    assert_eq!(default_bases(LevelClass::Province), DEFAULT_BASES);
    let ministry = default_bases(LevelClass::Ministry);
    assert!(
        ministry.starts_with("Căn cứ Luật Thi đua, khen thưởng"),
        "{ministry}"
    );
}
