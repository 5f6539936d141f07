//! Decisions at the deciding authority (issue 14, decision half) on both
//! backends: drafting, numbering per authority and year, issuing with the
//! registry records and the fund payment in one transaction, and nothing
//! written when the issue is refused.

use tdkt_core::decision::{NewDecision, NewReceipt, Symbol, DEFAULT_BASES};
use tdkt_store::awards::{NewAward, RecipientKind};
use tdkt_store::decisions::file::Recipients;
use tdkt_store::decisions::AuthorityInput;
use tdkt_store::testing::TestDb;
use tdkt_store::{Store, StoreError};
use time::macros::date;

async fn authority(s: &Store, code: &str, abbr: &str, body: &str) -> i64 {
    let u = s.unit_by_code(code).await.unwrap();
    s.set_decision_authority(
        "test",
        u.id,
        &AuthorityInput {
            abbreviation: abbr.into(),
            body: body.into(),
            parent_body: String::new(),
            place: "Cần Thơ".into(),
            signer_title: "CHỦ TỊCH".into(),
        },
    )
    .await
    .unwrap();
    u.id
}

async fn can_tho(s: &Store) -> i64 {
    authority(s, "can-tho", "UBND", "Ủy ban nhân dân thành phố Cần Thơ").await
}

async fn recipients(s: &Store, csv: &str) -> Recipients {
    let (h, rows, _) =
        tdkt_store::awards::file::read_bytes("ds.csv", csv.as_bytes().to_vec()).unwrap();
    s.read_recipients(&h, rows).await.unwrap().unwrap()
}

const LIST: &str = "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích,Thành tích
cá nhân,092191938273,,Bùi Thị Hồng Nhung,bang-khen-cap-tinh,2025,Xuất sắc
tập thể,,can-tho.so-xay-dung,,bang-khen-cap-tinh,2025,Xuất sắc
hộ gia đình,093201651673,,Hộ ông Trần Văn Hậu,bang-khen-cap-tinh,2025,
";

fn header(number: &str, on: &str) -> NewDecision {
    NewDecision::parse(
        &Symbol::parse("UBND").unwrap(),
        number,
        on,
        "Nguyễn Văn B",
        "CHỦ TỊCH",
        "Về việc tặng Bằng khen",
        DEFAULT_BASES,
        None,
        tdkt_core::date::today_vn(),
    )
    .unwrap()
}

async fn draft(s: &Store, unit: i64, number: &str, on: &str, csv: &str) -> Result<i64, StoreError> {
    let r = recipients(s, csv).await;
    s.create_decision("test", unit, &header(number, on), &r.lines, &r.names)
        .await
}

#[tokio::test]
async fn issuing_creates_every_record_with_its_amount_and_the_fund_payment_at_once() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let id = draft(s, unit, "15", "2026-07-01", LIST).await.unwrap();
    assert_eq!(
        s.count_awards().await.unwrap(),
        0,
        "a draft writes no record"
    );

    let issued = s.issue_decision("test", id).await.unwrap();

    assert_eq!(issued.number, "15/QĐ-UBND");
    crate::newest::lists_in_step(s).await;
    assert_eq!(issued.records.len(), 3);
    // 1,5 × 2.530.000 = 3.795.000 → 3.800.000; collective ×2 → 7.590.000;
    // household ×1,5 → 5.692.500 → 5.700.000 (Điều 49, 54 NĐ 152/2025)
    assert_eq!(issued.total, 3_800_000 + 7_590_000 + 5_700_000);
    let lines = s.decision_lines(id).await.unwrap();
    let amounts: Vec<Option<i64>> = lines.iter().map(|l| l.amount).collect();
    assert_eq!(
        amounts,
        vec![Some(3_800_000), Some(7_590_000), Some(5_700_000)]
    );
    for (l, r) in lines.iter().zip(&issued.records) {
        assert_eq!(l.record_id, Some(*r));
        let rec = s.award_record(*r).await.unwrap();
        assert_eq!(rec.decision_no, "15/QĐ-UBND");
        assert_eq!(rec.decision_date, date!(2026 - 07 - 01));
        assert_eq!(rec.source, "decided");
        assert_eq!(rec.award_code, "bang-khen-cap-tinh");
    }
    let household = s.award_record(issued.records[2]).await.unwrap();
    assert_eq!(household.recipient_kind, "person");
    assert!(
        household.reason.contains("Hộ ông Trần Văn Hậu"),
        "{}",
        household.reason
    );
    assert_eq!(
        s.decision_records(&[id]).await.unwrap(),
        issued.records.iter().map(|r| (id, *r)).collect::<Vec<_>>()
    );
    let d = s.decision(id).await.unwrap();
    assert!(d.issued());
    assert_eq!(d.dossier_id, None);
    let ledger = s.fund_ledger(unit, 2026).await.unwrap();
    assert_eq!(ledger.totals.payments, issued.total);
    assert_eq!(ledger.entries[0].0.decision_id, Some(id));
    let events = s.recent_audit(100).await.unwrap();
    let count = |entity: &str, action: &str| {
        events
            .iter()
            .filter(|e| e.entity == entity && e.action == action)
            .count()
    };
    assert_eq!(count("decision", "issue"), 1);
    assert_eq!(count("award_record", "create"), 3);
    assert_eq!(count("fund_entry", "create"), 1);
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn the_base_salary_is_the_one_in_force_on_the_decision_date() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let one = "Loại đối tượng,Số CCCD,Danh hiệu,Năm thành tích\ncá nhân,092191938273,bang-khen-cap-tinh,2025\n";
    let before = draft(s, unit, "3", "2026-06-30", one).await.unwrap();
    let after = draft(s, unit, "4", "2026-07-01", one).await.unwrap();
    assert_eq!(
        s.issue_decision("test", before).await.unwrap().total,
        3_510_000
    );
    assert_eq!(
        s.issue_decision("test", after).await.unwrap().total,
        3_800_000
    );
}

#[tokio::test]
async fn a_number_reused_by_the_same_authority_in_the_same_year_is_refused() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let snv = authority(s, "can-tho.so-noi-vu", "UBND", "Sở Nội vụ").await;
    draft(s, unit, "15", "2026-03-02", LIST).await.unwrap();

    let e = draft(s, unit, "15/QĐ-UBND", "2026-11-20", LIST)
        .await
        .unwrap_err();
    let StoreError::Conflict(field, message) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*field, "number");
    assert!(
        message.contains("15/QĐ-UBND đã được dùng trong năm 2026"),
        "{message}"
    );
    assert!(message.contains("tiếp theo: 16"), "{message}");

    // another year, another authority: the same number is free
    draft(s, unit, "15", "2025-12-30", LIST).await.unwrap();
    let one =
        "Loại đối tượng,Số CCCD,Danh hiệu,Năm thành tích\ncá nhân,092085630226,giay-khen,2025\n";
    draft(s, snv, "15", "2026-03-02", one).await.unwrap();
    assert_eq!(s.next_decision_seq(unit, 2026).await.unwrap(), 16);
}

#[tokio::test]
async fn an_issue_refused_on_one_line_writes_nothing() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let id = draft(s, unit, "15", "2026-07-01", LIST).await.unwrap();
    // the collective already holds this award by this number (e.g. imported)
    let sxd = s.unit_by_code("can-tho.so-xay-dung").await.unwrap();
    s.record_award(
        "test",
        &NewAward {
            recipient: RecipientKind::Unit,
            person_id: None,
            unit_id: sxd.id,
            award_code: "bang-khen-cap-tinh".into(),
            year: 2025,
            achieved_on: None,
            decision_no: "15/QĐ-UBND".into(),
            decision_date: date!(2026 - 07 - 01),
            authority: String::new(),
            reason: String::new(),
            revoked: false,
            source: "entered",
        },
    )
    .await
    .unwrap();
    let audit_before = s.audit_head().await.unwrap();

    let e = s.issue_decision("test", id).await.unwrap_err();

    let StoreError::Conflict(_, message) = &e else {
        panic!("{e:?}")
    };
    assert!(message.starts_with("Dòng 2 (Sở Xây dựng"), "{message}");
    assert_eq!(
        s.count_awards().await.unwrap(),
        1,
        "only the earlier record"
    );
    assert!(!s.decision(id).await.unwrap().issued());
    assert!(s
        .decision_lines(id)
        .await
        .unwrap()
        .iter()
        .all(|l| l.record_id.is_none() && l.amount.is_none()));
    assert!(s.fund_ledger(unit, 2026).await.unwrap().entries.is_empty());
    assert_eq!(s.audit_head().await.unwrap(), audit_before);
}

#[tokio::test]
async fn an_issued_decision_is_not_issued_twice() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let id = draft(s, unit, "15", "2026-07-01", LIST).await.unwrap();
    s.issue_decision("test", id).await.unwrap();
    let e = s.issue_decision("test", id).await.unwrap_err();
    assert!(e.to_string().contains("đã ban hành"), "{e}");
    assert_eq!(s.count_awards().await.unwrap(), 3);
}

#[tokio::test]
async fn a_recipient_outside_the_authority_or_a_wrong_award_is_refused_by_line() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let snv = authority(s, "can-tho.so-noi-vu", "SNV", "Sở Nội vụ thành phố Cần Thơ").await;
    let e = draft(s, snv, "2", "2026-03-02", LIST).await.unwrap_err();
    assert!(
        e.to_string()
            .contains("Dòng 1 (Bùi Thị Hồng Nhung): không thuộc phạm vi quản lý của Sở Nội vụ"),
        "{e}"
    );
    let unit = can_tho(s).await;
    let wrong = "Loại đối tượng,Số CCCD,Danh hiệu,Năm thành tích\ncá nhân,092085630226,tap-the-lao-dong-xuat-sac,2025\n";
    let e = draft(s, unit, "3", "2026-03-02", wrong).await.unwrap_err();
    assert!(
        e.to_string().starts_with(
            "Dòng 1 (Đỗ Hoàng Nam): «Tập thể lao động xuất sắc» không trao cho cá nhân"
        ),
        "{e}"
    );
    assert!(s.decisions(false, None).await.unwrap().is_empty());
}

#[tokio::test]
async fn each_bad_row_of_a_list_is_reported_with_its_row_and_column() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let csv = "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích
công ty,092191938273,,,giay-khen,2025
cá nhân,001099000001,,,giay-khen,2025
cá nhân,092191938273,,Nguyễn Văn Sai,giay-khen,2025
tập thể,,khong-co,,giay-khen,2025
cá nhân,092085630226,,Đỗ Hoàng Nam,giay-khen,năm ngoái
";
    let (h, rows, _) =
        tdkt_store::awards::file::read_bytes("ds.csv", csv.as_bytes().to_vec()).unwrap();
    let errors = s.read_recipients(&h, rows).await.unwrap().unwrap_err();
    let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (2, "Loại đối tượng"),
            (3, "Số CCCD"),
            (4, "Họ tên"),
            (5, "Mã đơn vị"),
            (6, "Năm thành tích"),
        ]
    );
    assert!(
        errors[2].message.contains("không khớp"),
        "{}",
        errors[2].message
    );
    let (h, rows, _) =
        tdkt_store::awards::file::read_bytes("ds.csv", b"ho ten,nam\nA,2025\n".to_vec()).unwrap();
    let errors = s.read_recipients(&h, rows).await.unwrap().unwrap_err();
    assert!(
        errors[0].message.starts_with("Tệp thiếu cột bắt buộc"),
        "{}",
        errors[0].message
    );
}

#[tokio::test]
async fn receipts_and_payments_make_the_balance() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let today = tdkt_core::date::today_vn();
    s.add_fund_receipt(
        "test",
        unit,
        &NewReceipt::parse("2026-01-15", "50.000.000", "Ngân sách cấp", today).unwrap(),
    )
    .await
    .unwrap();
    let id = draft(s, unit, "15", "2026-07-01", LIST).await.unwrap();
    let total = s.issue_decision("test", id).await.unwrap().total;
    let l = s.fund_ledger(unit, 2026).await.unwrap();
    assert_eq!(l.totals.receipts, 50_000_000);
    assert_eq!(l.totals.balance, 50_000_000 - total);
    assert_eq!(l.entries.last().unwrap().1, 50_000_000 - total);
    let xlsx = tdkt_store::decisions::fund::ledger_xlsx("Cần Thơ", &l).unwrap();
    assert!(xlsx.starts_with(b"PK"));
    assert!(s.fund_ledger(unit, 2025).await.unwrap().entries.is_empty());
}

#[tokio::test]
async fn the_demo_holds_an_issued_decision_with_its_records() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let issued = s.decisions(true, None).await.unwrap();
    let d = issued
        .iter()
        .find(|d| d.number == "15/QĐ-UBND")
        .expect("the demo decision");
    let records = s.decision_records(&[d.id]).await.unwrap();
    assert_eq!(records.len(), 4);
    let doc = s.decision_document(d.id).await.unwrap();
    assert_eq!(doc.body, "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ");
    assert!(!doc.draft);
    assert_eq!(doc.annex.len(), 4);
}

/// A decision that answers a dossier closes it in the same transaction; a
/// dossier not yet ready at its last level stops the issue, and nothing of
/// it is written (records, fund, audit, the dossier's state).
#[tokio::test]
async fn a_decision_answering_a_dossier_not_yet_ready_is_not_issued() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let so = s.unit_by_code("can-tho.so-xay-dung").await.unwrap();
    let person = s.person_by_cccd("092191938273").await.unwrap().unwrap().id;
    let dossier = s
        .create_dossier(
            "test",
            &tdkt_store::dossiers::NewDossier {
                unit_id: so.id,
                award_code: "bang-khen-cap-tinh".into(),
                kind: tdkt_core::catalogue::Recipient::Individual,
                year: 2025,
                title: String::new(),
                received_on: tdkt_core::date::today_vn(),
                recipients: vec![tdkt_store::dossiers::NewRecipient::Person(person)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();
    let r = recipients(s, LIST).await;
    let mut head = header("16", "2026-07-01");
    head.dossier_id = Some(dossier);
    let id = s
        .create_decision("test", unit, &head, &r.lines, &r.names)
        .await
        .unwrap();
    let state_before = s.dossier_view(dossier).await.unwrap().dossier.status;
    let audit_before = s.audit_head().await.unwrap();

    let e = s.issue_decision("test", id).await.unwrap_err();

    assert!(e.to_string().contains(&format!("#{dossier}")), "{e}");
    assert!(!s.decision(id).await.unwrap().issued());
    assert_eq!(s.count_awards().await.unwrap(), 0);
    assert!(s.fund_ledger(unit, 2026).await.unwrap().entries.is_empty());
    assert_eq!(s.audit_head().await.unwrap(), audit_before);
    assert_eq!(
        s.dossier_view(dossier).await.unwrap().dossier.status,
        state_before
    );
}
