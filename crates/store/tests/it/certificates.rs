//! Issue 14 on both backends (SQLite by default, PostgreSQL with
//! `TDKT_TEST_DATABASE_URL`): revocation and correction of registry
//! records, imports that revoke with their reasons, the recipient
//! conditions of "Bà mẹ Việt Nam anh hùng", certificate codes, and
//! content-addressed attachments.

use std::sync::Arc;

use object_store::ObjectStoreExt;
use tdkt_core::certificate::Code;
use tdkt_core::eligibility::{EvalContext, RuleSet, Status};
use tdkt_core::revocation::{Correction, Revocation};
use tdkt_store::attachments::{Attachments, Owner, DEFAULT_MAX_BYTES};
use tdkt_store::awards::import::{ImportOptions, ImportReport};
use tdkt_store::awards::{AwardFilter, AwardRecord, NewAward, RecipientKind};
use tdkt_store::revocations::corrected_of;
use tdkt_store::testing::TestDb;
use tdkt_store::{Store, StoreError};
use time::macros::date;
use time::Date;

/// Trần Thị Hà of the demo data, at Sở Xây dựng Hậu Giang.
const HA: &str = "093182124906";

async fn award(s: &Store, cccd: &str, code: &str, year: i32, no: &str, on: Date) -> AwardRecord {
    let p = s.person_by_cccd(cccd).await.unwrap().unwrap();
    s.record_award(
        "test",
        &NewAward {
            recipient: RecipientKind::Person,
            person_id: Some(p.id),
            unit_id: p.unit_id,
            award_code: code.into(),
            year,
            achieved_on: None,
            decision_no: no.into(),
            decision_date: on,
            authority: "Giám đốc Sở Xây dựng tỉnh Hậu Giang".into(),
            reason: String::new(),
            revoked: false,
            source: "entered",
        },
    )
    .await
    .unwrap()
}

fn revocation(r: &AwardRecord, no: &str) -> Revocation {
    Revocation::parse(
        "lam-gia-ho-so",
        no,
        "2026-03-05",
        "Hồ sơ sáng kiến bị làm giả",
        r.decision_date,
        "danh-hieu-ca-nhan",
        date!(2026 - 06 - 01),
    )
    .unwrap()
}

async fn audit_actions(s: &Store, entity_id: i64) -> Vec<String> {
    s.recent_audit(1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "award_record" && e.entity_id == entity_id.to_string())
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn a_revoked_record_says_why_and_a_second_revocation_is_refused() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let r = award(
        s,
        HA,
        "lao-dong-tien-tien",
        2024,
        "27/QĐ-SXD",
        date!(2025 - 01 - 09),
    )
    .await;
    let revoked = s
        .revoke_award("canbo", r.id, &revocation(&r, "12/QĐ-SXD"))
        .await
        .unwrap();
    assert_eq!(revoked.status, "revoked");
    assert_eq!(
        revoked.status_text(),
        "đã hủy bỏ theo Quyết định số 12/QĐ-SXD ngày 05/3/2026"
    );
    let why = s.revocation(r.id).await.unwrap().unwrap();
    assert_eq!(why.ground, "lam-gia-ho-so");
    assert_eq!(why.reason, "Hồ sơ sáng kiến bị làm giả");
    assert_eq!(why.source, "entered");
    assert_eq!(audit_actions(s, r.id).await, ["revoke", "create"]);

    let again = s
        .revoke_award("canbo", r.id, &revocation(&r, "13/QĐ-SXD"))
        .await;
    match again {
        Err(StoreError::Conflict("status", m)) => {
            assert!(
                m.contains("đã bị hủy bỏ theo Quyết định số 12/QĐ-SXD"),
                "{m}"
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // nothing half-changed: still one revocation, one revoke event
    assert_eq!(
        s.revocation(r.id).await.unwrap().unwrap().decision_no,
        "12/QĐ-SXD"
    );
    assert_eq!(audit_actions(s, r.id).await, ["revoke", "create"]);
    assert!(matches!(
        s.revoke_award("canbo", 999_999, &revocation(&r, "1/QĐ"))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn the_registry_lists_show_a_revoked_record_with_its_revoking_decision() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let r = award(
        s,
        HA,
        "lao-dong-tien-tien",
        2024,
        "27/QĐ-SXD",
        date!(2025 - 01 - 09),
    )
    .await;
    s.revoke_award("canbo", r.id, &revocation(&r, "12/QĐ-SXD"))
        .await
        .unwrap();
    let person = s.person_awards(r.person_id.unwrap()).await.unwrap();
    assert_eq!(person[0].status, "revoked");
    assert!(person[0].revocation.is_some());
    let found = s
        .search_awards(&AwardFilter {
            q: "27/QĐ-SXD".into(),
            limit: 10,
            ..AwardFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found[0].revocation.as_ref().unwrap().decision_no,
        "12/QĐ-SXD"
    );
    let named = s
        .search_awards(&AwardFilter {
            q: "tran thi ha".into(),
            limit: 10,
            ..AwardFilter::default()
        })
        .await
        .unwrap();
    assert!(named[0].status_text().starts_with("đã hủy bỏ theo"));
}

#[tokio::test]
async fn a_revocation_takes_the_award_out_of_the_persons_eligibility() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let rules = RuleSet::embedded();
    let cat = rules.catalogue();
    let cstd_tinh = cat.id("chien-si-thi-dua-cap-tinh").unwrap();
    let mut records = Vec::new();
    for (y, no) in [
        (2022, "11/QĐ-SXD"),
        (2023, "12/QĐ-SXD"),
        (2024, "13/QĐ-SXD"),
    ] {
        records.push(
            award(
                s,
                HA,
                "chien-si-thi-dua-co-so",
                y,
                no,
                date!(2025 - 01 - 10),
            )
            .await,
        );
    }
    let pid = records[0].person_id.unwrap();
    let streak = |inputs: &tdkt_store::ratings::history::Inputs| {
        let ex = rules.explain(cstd_tinh, &inputs.history(), &EvalContext::year_end(2024));
        ex.rows
            .iter()
            .find(|r| r.id == "ba-lan-cstdcs")
            .map(|r| r.status)
            .unwrap()
    };
    assert_eq!(
        streak(&s.person_inputs(cat, pid).await.unwrap()),
        Status::Pass
    );
    s.revoke_award(
        "canbo",
        records[1].id,
        &revocation(&records[1], "20/QĐ-SXD"),
    )
    .await
    .unwrap();
    assert_eq!(
        streak(&s.person_inputs(cat, pid).await.unwrap()),
        Status::Fail
    );
}

#[tokio::test]
async fn a_correction_keeps_the_old_values_in_its_audit_event_and_refuses_duplicates() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let r = award(
        s,
        HA,
        "lao-dong-tien-tien",
        2024,
        "72/QĐ-SXD",
        date!(2025 - 01 - 09),
    )
    .await;
    let other = award(
        s,
        HA,
        "lao-dong-tien-tien",
        2023,
        "9/QĐ-SXD",
        date!(2024 - 01 - 09),
    )
    .await;
    let c = Correction::parse(
        &corrected_of(&r),
        "2024",
        "27/QĐ-SXD",
        "2025-01-09",
        &r.authority,
        "",
        "gõ nhầm số quyết định",
    )
    .unwrap();
    let fixed = s.correct_award("canbo", r.id, &c).await.unwrap();
    assert_eq!(fixed.decision_no, "27/QĐ-SXD");
    // a corrected year moves the recipient's newest award (migration 0051)
    crate::newest::lists_in_step(s).await;
    assert_eq!(
        (fixed.award_code.as_str(), fixed.person_id),
        (r.award_code.as_str(), r.person_id)
    );
    let ev = s
        .recent_audit(10)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "correct")
        .unwrap();
    assert!(ev.before.as_deref().unwrap().contains("72/QĐ-SXD"));
    assert!(ev
        .after
        .as_deref()
        .unwrap()
        .contains("gõ nhầm số quyết định"));
    // correcting the 2023 record into a copy of the 2024 one is refused
    let dup = Correction::parse(
        &corrected_of(&other),
        "2024",
        "27/QĐ-SXD",
        "2025-01-09",
        &r.authority,
        "",
        "x",
    )
    .unwrap();
    assert!(matches!(
        s.correct_award("canbo", other.id, &dup).await,
        Err(StoreError::Conflict(..))
    ));
    assert_eq!(
        s.award_record(other.id).await.unwrap().decision_no,
        "9/QĐ-SXD"
    );
}

const HEADER: &str =
    "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority,status,revocation_ground,revocation_decision_no,revocation_decision_date,revocation_reason";

async fn import(store: &Store, csv_text: &str) -> ImportReport {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<tdkt_store::awards::file::RowResult> = rdr
        .records()
        .map(|r| Ok(r.unwrap().iter().map(str::to_owned).collect()))
        .collect();
    store
        .import_awards(
            "test",
            &header,
            rows.into_iter(),
            &ImportOptions {
                source_name: "test.csv".into(),
                ..ImportOptions::default()
            },
            &|_| {},
        )
        .await
        .expect("import runs")
}

#[tokio::test]
async fn an_import_that_revokes_keeps_the_ground_decision_and_reason() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let valid = format!(
        "{HEADER}\nperson,{HA},hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2022,61/QĐ-SXD,2023-01-10,Sở Xây dựng,,,,,\n"
    );
    assert_eq!(import(s, &valid).await.inserted, 1);
    let revoking = format!(
        "{HEADER}\nperson,{HA},hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2022,61/QĐ-SXD,2023-01-10,Sở Xây dựng,đã hủy,gian-doi-ke-khai,5/QĐ-SXD,2024-02-01,Kê khai sai số ngày công\n"
    );
    let rep = import(s, &revoking).await;
    assert!(rep.committed, "{:?}", rep.file.rejected);
    assert_eq!(rep.revoked, 1);
    let r = &s
        .search_awards(&AwardFilter {
            q: "61/QĐ-SXD".into(),
            limit: 5,
            ..AwardFilter::default()
        })
        .await
        .unwrap()[0];
    let why = s.revocation(r.id).await.unwrap().unwrap();
    assert_eq!(
        (
            why.ground.as_str(),
            why.decision_no.as_str(),
            why.decision_date,
            why.reason.as_str(),
            why.source.as_str()
        ),
        (
            "gian-doi-ke-khai",
            "5/QĐ-SXD",
            Some(date!(2024 - 02 - 01)),
            "Kê khai sai số ngày công",
            "imported"
        )
    );
    assert_eq!(audit_actions(s, r.id).await, ["revoke"]);
    // the same file again changes nothing
    assert_eq!(import(s, &revoking).await.revoked, 0);
}

#[tokio::test]
async fn an_old_file_without_the_revocation_columns_still_revokes_and_bad_columns_are_refused() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let old = format!(
        "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,status\nperson,{HA},hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2021,52/QĐ-SXD,2022-01-14,revoked\n"
    );
    let rep = import(s, &old).await;
    assert_eq!((rep.committed, rep.inserted), (true, 1));
    let r = &s
        .search_awards(&AwardFilter {
            q: "52/QĐ-SXD".into(),
            limit: 5,
            ..AwardFilter::default()
        })
        .await
        .unwrap()[0];
    assert_eq!(r.status, "revoked");
    assert_eq!(
        s.revocation(r.id).await.unwrap().unwrap().ground,
        "khong-ghi"
    );

    let bad = format!(
        "{HEADER}\n\
         person,{HA},hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2020,38/QĐ-SXD,2021-01-12,,,gian-doi-ke-khai,,,\n\
         person,{HA},hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2019,45/QĐ-SXD,2020-01-08,,đã hủy,ghet,,,\n\
         person,{HA},hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2022,61/QĐ-SXD,2023-01-10,,đã hủy,,1/QĐ,2022-12-01,\n"
    );
    let rep = import(s, &bad).await;
    assert!(!rep.committed);
    let cols: Vec<(u64, &str)> = rep
        .file
        .rejected
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(
        cols,
        [
            (2, "revocation_ground"),
            (3, "revocation_ground"),
            (4, "revocation_decision_date")
        ]
    );
    assert!(rep.file.rejected[0]
        .message
        .contains("trạng thái không ghi đã hủy bỏ"));
    assert!(rep.file.rejected[2]
        .message
        .contains("trước ngày quyết định khen thưởng"));
}

#[tokio::test]
async fn a_heroic_mother_born_in_1992_is_refused_by_the_import_and_by_hand() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    // CCCD century-gender digit 3: a woman born in 20yy; 1 = a woman born in 19yy
    let file = format!(
        "{HEADER}\n\
         person,093192000001,hau-giang.so-xay-dung,Lê Thị Mai,ba-me-viet-nam-anh-hung,2024,1500/QĐ-CTN,2025-07-20,Chủ tịch nước,,,,,\n\
         person,093032000002,hau-giang.so-xay-dung,Nguyễn Văn Tư,ba-me-viet-nam-anh-hung,2024,1500/QĐ-CTN,2025-07-20,Chủ tịch nước,,,,,\n\
         person,093130000003,hau-giang.so-xay-dung,Phạm Thị Sáu,ba-me-viet-nam-anh-hung,2024,1500/QĐ-CTN,2025-07-20,Chủ tịch nước,,,,,\n"
    );
    let rep = import(s, &file).await;
    assert!(!rep.committed);
    assert_eq!(rep.file.rejected_count, 2, "{:?}", rep.file.rejected);
    let e = &rep.file.rejected[0];
    assert_eq!((e.row, e.column.as_str()), (2, "cccd"));
    assert!(
        e.message.contains("sinh năm 1992") && e.message.contains("Pháp lệnh"),
        "{}",
        e.message
    );
    let e = &rep.file.rejected[1];
    assert_eq!((e.row, e.column.as_str()), (3, "cccd"));
    assert!(e.message.contains("chỉ tặng cho người nữ"), "{}", e.message);

    // entered by hand: the person's own gender and birth date
    let nam = s.person_by_cccd("093075335003").await.unwrap().unwrap();
    let by_hand = s
        .record_award(
            "test",
            &NewAward {
                recipient: RecipientKind::Person,
                person_id: Some(nam.id),
                unit_id: nam.unit_id,
                award_code: "ba-me-viet-nam-anh-hung".into(),
                year: 2024,
                achieved_on: None,
                decision_no: "1500/QĐ-CTN".into(),
                decision_date: date!(2025 - 07 - 20),
                authority: "Chủ tịch nước".into(),
                reason: String::new(),
                revoked: false,
                source: "entered",
            },
        )
        .await;
    match by_hand {
        Err(StoreError::Invalid(d)) => assert_eq!(d.field(), "gender"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_certificate_code_is_drawn_once_and_finds_its_record_but_a_revoked_record_is_not_printed()
{
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let a = award(
        s,
        HA,
        "lao-dong-tien-tien",
        2024,
        "27/QĐ-SXD",
        date!(2025 - 01 - 09),
    )
    .await;
    let b = award(s, HA, "giay-khen", 2024, "28/QĐ-SXD", date!(2025 - 01 - 09)).await;
    let first = s.issue_certificates("canbo", &[a.id, b.id]).await.unwrap();
    let again = s.issue_certificates("canbo", &[a.id]).await.unwrap();
    assert_eq!(first[0].code, again[0].code);
    assert_ne!(first[0].code, first[1].code);
    let found = s
        .record_by_certificate(&first[1].code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, b.id);
    assert!(s
        .record_by_certificate(&Code::from_bytes([0; 10]))
        .await
        .unwrap()
        .is_none());
    let data = s
        .certificate_data(&first, "https://tdkt.example.vn/")
        .await
        .unwrap();
    assert_eq!(data[0].recipient, "Trần Thị Hà");
    assert_eq!(data[0].place.as_deref(), Some("Hậu Giang"));
    assert_eq!(
        data[0].verify_url,
        format!("https://tdkt.example.vn/xac-minh/{}", first[0].code)
    );
    let issued_events = s
        .recent_audit(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "certificate")
        .count();
    assert_eq!(issued_events, 2);
    s.revoke_award("canbo", a.id, &revocation(&a, "12/QĐ-SXD"))
        .await
        .unwrap();
    let refused = s.issue_certificates("canbo", &[a.id]).await.unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("đã hủy bỏ theo Quyết định số 12/QĐ-SXD"),
        "{refused}"
    );
    let batch = s.records_of_decision("27/qđ-sxd").await.unwrap();
    assert_eq!(batch.len(), 1);
}

fn attachments() -> Attachments {
    Attachments::with_store(
        Arc::new(object_store::memory::InMemory::new()),
        DEFAULT_MAX_BYTES,
    )
}

fn office(kind: &str) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(b"<Types/>").unwrap();
    z.start_file(
        if kind == "docx" {
            "word/document.xml"
        } else {
            "xl/workbook.xml"
        },
        o,
    )
    .unwrap();
    z.write_all(b"<x/>").unwrap();
    z.finish().unwrap().into_inner()
}

const OWNER: Owner<'static> = Owner {
    kind: "dossier",
    id: 7,
    document: "to-trinh",
};

#[tokio::test]
async fn each_accepted_kind_of_file_is_stored_and_read_back() {
    let db = TestDb::new().await;
    let files = attachments();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "to-trinh.pdf",
            b"%PDF-1.7\n%%EOF\n".to_vec(),
            "application/pdf",
        ),
        (
            "anh.JPG",
            vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
            "image/jpeg",
        ),
        ("anh.png", b"\x89PNG\r\n\x1a\n....".to_vec(), "image/png"),
        (
            "bao-cao.docx",
            office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "danh-sach.xlsx",
            office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ];
    for (name, bytes, mime) in cases {
        let a = files
            .put(&db.store, "canbo", OWNER, name, bytes.clone())
            .await
            .unwrap();
        assert_eq!(a.media_type, mime, "{name}");
        assert_eq!(a.file_name, name);
        let (row, back) = files.get(&db.store, a.id).await.unwrap();
        assert_eq!(back, bytes);
        assert_eq!(row, a);
    }
    assert_eq!(files.list(&db.store, "dossier", 7).await.unwrap().len(), 5);
    assert!(db.store.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_file_whose_content_is_not_what_its_name_says_is_refused_by_name() {
    let db = TestDb::new().await;
    let files = attachments();
    let refuse = |name: &'static str, bytes: Vec<u8>| {
        let files = files.clone();
        let store = db.store.clone();
        async move {
            match files.put(&store, "canbo", OWNER, name, bytes).await {
                Err(StoreError::Invalid(d)) => d.message().to_owned(),
                other => panic!("{name}: expected a refusal, got {other:?}"),
            }
        }
    };
    let exe = refuse("quyet-dinh.pdf", b"MZ\x90\x00\x03\x00\x00\x00".to_vec()).await;
    assert!(
        exe.contains("«quyet-dinh.pdf»") && exe.contains("chương trình"),
        "{exe}"
    );
    let html = refuse(
        "to-trinh.pdf",
        b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec(),
    )
    .await;
    assert!(html.contains("trang HTML"), "{html}");
    let swapped = refuse("bao-cao.docx", office("xlsx")).await;
    assert!(
        swapped.contains("bảng tính Excel (XLSX)") && swapped.contains(".docx"),
        "{swapped}"
    );
    let zip_only = refuse("x.docx", {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.finish().unwrap().into_inner()
    })
    .await;
    assert!(zip_only.contains("không phải văn bản DOCX"), "{zip_only}");
    let small = Attachments::with_store(Arc::new(object_store::memory::InMemory::new()), 1024);
    let big = match small
        .put(
            &db.store,
            "canbo",
            OWNER,
            "lon.pdf",
            [b"%PDF-".as_slice(), &[b' '; 2048]].concat(),
        )
        .await
    {
        Err(StoreError::Invalid(d)) => d.message().to_owned(),
        other => panic!("{other:?}"),
    };
    assert!(
        big.contains("«lon.pdf»") && big.contains("quá giới hạn 1 kB"),
        "{big}"
    );
    assert!(files
        .list(&db.store, "dossier", 7)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_same_bytes_are_stored_once_and_a_corrupted_object_is_never_served() {
    use futures_util::TryStreamExt;
    let db = TestDb::new().await;
    let files = attachments();
    let pdf = b"%PDF-1.7\nbao cao thanh tich\n%%EOF\n".to_vec();
    let a = files
        .put(&db.store, "canbo", OWNER, "a.pdf", pdf.clone())
        .await
        .unwrap();
    let b = files
        .put(
            &db.store,
            "canbo",
            Owner { id: 8, ..OWNER },
            "b.pdf",
            pdf.clone(),
        )
        .await
        .unwrap();
    assert_eq!(a.sha256, b.sha256);
    assert_ne!(a.id, b.id);
    let objects: Vec<_> = files.objects().list(None).try_collect().await.unwrap();
    assert_eq!(objects.len(), 1, "one object for two rows");

    files
        .objects()
        .put(
            &Attachments::object_key(&a.sha256),
            b"%PDF-1.7\nsua doi\n%%EOF\n".to_vec().into(),
        )
        .await
        .unwrap();
    match files.get(&db.store, a.id).await {
        Err(StoreError::Corrupt(m)) => assert!(m.contains("không khớp mã băm"), "{m}"),
        other => panic!("expected corruption, got {other:?}"),
    }
    files
        .objects()
        .delete(&Attachments::object_key(&a.sha256))
        .await
        .unwrap();
    assert!(matches!(
        files.get(&db.store, b.id).await,
        Err(StoreError::Corrupt(_))
    ));
}

#[tokio::test]
async fn a_local_directory_holds_the_files_under_their_digest() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let files = Attachments::local(&dir.path().join("tdkt-files"), DEFAULT_MAX_BYTES).unwrap();
    let a = files
        .put(
            &db.store,
            "canbo",
            OWNER,
            "x.pdf",
            b"%PDF-1.4\n%%EOF\n".to_vec(),
        )
        .await
        .unwrap();
    let on_disk = dir
        .path()
        .join("tdkt-files/sha256")
        .join(&a.sha256[..2])
        .join(&a.sha256);
    assert!(on_disk.exists(), "{}", on_disk.display());
    std::fs::write(&on_disk, b"%PDF-1.4\n%%EOF\nxx").unwrap();
    assert!(matches!(
        files.get(&db.store, a.id).await,
        Err(StoreError::Corrupt(_))
    ));
}
