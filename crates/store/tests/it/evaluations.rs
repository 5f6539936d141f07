//! Monthly and quarterly evaluations on both backends: entered one by one
//! and imported from a file, refused with row, column and reason (a period
//! outside employment, an unknown level, the same period twice), audited,
//! and a re-import changes nothing.

use tdkt_core::eligibility::Rating;
use tdkt_core::evaluation::parse_period;
use tdkt_store::awards::import::ImportOptions;
use tdkt_store::ratings::evaluations::summary;
use tdkt_store::ratings::import::InputFile;
use tdkt_store::testing::TestDb;
use tdkt_store::StoreError;

/// Trần Thị Hà: Sở Xây dựng Hậu Giang since 01/01/2019.
const HA: &str = "093182124906";
/// Bùi Thị Hồng Nhung: Sở Xây dựng Cần Thơ since 01/07/2025.
const NHUNG: &str = "092191938273";

fn opts() -> ImportOptions {
    ImportOptions {
        skip_invalid: false,
        source_name: "danh-gia.csv".into(),
        max_errors: 0,
        scope: None,
        rebuild_indexes_after: None,
    }
}

fn rows(lines: &[&str]) -> (Vec<String>, Vec<tdkt_store::awards::file::RowResult>) {
    let split = |l: &str| l.split(',').map(str::to_owned).collect::<Vec<_>>();
    (
        split(lines[0]),
        lines[1..].iter().map(|l| Ok(split(l))).collect(),
    )
}

#[tokio::test]
async fn an_evaluation_is_one_per_period_and_inside_employment() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let ha = s.person_by_cccd(HA).await.unwrap().unwrap();
    let p = parse_period("03/2024").unwrap();
    let e = s
        .record_evaluation("canbo", ha.id, p, Rating::HoanThanhTot, "khoán sản phẩm")
        .await
        .unwrap();
    assert_eq!(
        (e.period.as_str(), e.period_kind.as_str()),
        ("2024-03", "month")
    );
    let again = s
        .record_evaluation("canbo", ha.id, p, Rating::HoanThanhXuatSac, "")
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::Conflict("period", _)),
        "{again}"
    );
    assert!(again.to_string().contains("tháng 3/2024"), "{again}");
    let before = s
        .record_evaluation(
            "canbo",
            ha.id,
            parse_period("12/2018").unwrap(),
            Rating::HoanThanhTot,
            "",
        )
        .await
        .unwrap_err();
    assert!(
        before
            .to_string()
            .contains("không công tác trong tháng 12/2018"),
        "{before}"
    );
    let nhung = s.person_by_cccd(NHUNG).await.unwrap().unwrap();
    assert!(s
        .record_evaluation(
            "canbo",
            nhung.id,
            parse_period("Q2/2025").unwrap(),
            Rating::HoanThanhTot,
            ""
        )
        .await
        .is_err());
    s.record_evaluation(
        "canbo",
        nhung.id,
        parse_period("Q3/2025").unwrap(),
        Rating::HoanThanhTot,
        "",
    )
    .await
    .unwrap();
    let next = tdkt_core::date::today_vn().year() + 1;
    assert!(s
        .record_evaluation(
            "canbo",
            ha.id,
            parse_period(&format!("01/{next}")).unwrap(),
            Rating::HoanThanhTot,
            ""
        )
        .await
        .unwrap_err()
        .to_string()
        .contains("chưa bắt đầu"));
    assert_eq!(s.person_evaluations(ha.id).await.unwrap().len(), 1);
    let ev = s.recent_audit(10).await.unwrap();
    assert_eq!(ev.iter().filter(|e| e.entity == "evaluation").count(), 2);
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn an_import_names_row_column_and_reason_and_is_idempotent() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let bad = [
        "cccd,period,level,note",
        "093182124906,01/2024,hoàn thành tốt,",
        "093182124906,2024-13,HTTNV,",
        "093182124906,02/2024,giỏi,",
        "093182124906,12/2018,HTTNV,",
        "093182124906,T1/2024,HTXSNV,",
    ];
    let (h, r) = rows(&bad);
    let rep = s
        .import_inputs("cli", InputFile::Evaluations, &h, r.into_iter(), &opts())
        .await
        .unwrap();
    assert!(!rep.committed);
    assert_eq!(rep.file.rejected_count, 4);
    let by_row = |n: u64| rep.file.rejected.iter().find(|e| e.row == n).unwrap();
    assert_eq!(by_row(3).column, "period");
    assert!(
        by_row(3).message.contains("tháng phải từ 1 đến 12"),
        "{}",
        by_row(3).message
    );
    assert_eq!(by_row(4).column, "level");
    assert_eq!(by_row(5).column, "period");
    assert!(
        by_row(5).message.contains("không công tác"),
        "{}",
        by_row(5).message
    );
    assert!(
        by_row(6).message.contains("trùng kỳ đánh giá với dòng 2"),
        "{}",
        by_row(6).message
    );
    let ha = s.person_by_cccd(HA).await.unwrap().unwrap();
    assert!(
        s.person_evaluations(ha.id).await.unwrap().is_empty(),
        "all or nothing"
    );

    let mut good = vec!["Số CCCD;Kỳ đánh giá;Mức xếp loại;Ghi chú".replace(';', ",")];
    for m in 1..=12 {
        let level = if m == 5 {
            "không hoàn thành nhiệm vụ"
        } else {
            "hoàn thành tốt nhiệm vụ"
        };
        good.push(format!("{HA},{m:02}/2024,{level},"));
    }
    good.push(format!("{HA},Q1/2024,HTXSNV,quý"));
    let lines: Vec<&str> = good.iter().map(String::as_str).collect();
    let (h, r) = rows(&lines);
    let rep = s
        .import_inputs("cli", InputFile::Evaluations, &h, r.into_iter(), &opts())
        .await
        .unwrap();
    assert!(rep.committed, "{:?}", rep.file.rejected);
    assert_eq!(rep.written, 13);
    let (h, r) = rows(&lines);
    let again = s
        .import_inputs("cli", InputFile::Evaluations, &h, r.into_iter(), &opts())
        .await
        .unwrap();
    assert_eq!((again.written, again.unchanged), (0, 13));
    // another level for a period on file is refused, not silently kept
    let (h, r) = rows(&["cccd,period,level", &format!("{HA},05/2024,HTTNV")]);
    let changed = s
        .import_inputs("cli", InputFile::Evaluations, &h, r.into_iter(), &opts())
        .await
        .unwrap();
    assert_eq!(changed.file.rejected_count, 1);
    assert!(
        changed.file.rejected[0]
            .message
            .contains("đã có đánh giá tháng 5/2024"),
        "{}",
        changed.file.rejected[0].message
    );

    let all = s.person_evaluations(ha.id).await.unwrap();
    let sum = summary(2024, &all);
    assert_eq!(sum.months.len(), 12);
    assert!(
        sum.lines()[0].starts_with("11/12 tháng hoàn thành tốt nhiệm vụ trở lên"),
        "{:?}",
        sum.lines()
    );
    assert!(sum
        .warning(Rating::HoanThanhXuatSac)
        .unwrap()
        .contains("tháng 5/2024"));
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_discipline_entered_in_error_is_voided_with_a_reason_never_deleted() {
    use tdkt_core::eligibility::{DisciplineLevel, Scope};
    use tdkt_store::ratings::{NewDiscipline, NewInitiative, Voidable};
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let ha = s.person_by_cccd(HA).await.unwrap().unwrap();
    let binh = s.person_by_cccd("093075335003").await.unwrap().unwrap();
    let d = NewDiscipline {
        person_id: ha.id,
        level: DisciplineLevel::CanhCao,
        decision_no: "5/QĐ-KL".into(),
        decision_date: time::macros::date!(2024 - 05 - 02),
        effective_on: None,
        months: Some(12),
        reason: String::new(),
    };
    let rec = s.record_discipline("canbo", &d).await.unwrap();
    let cat = tdkt_store::awards::catalogue();
    assert_eq!(
        s.person_inputs(cat, ha.id).await.unwrap().disciplines.len(),
        1
    );
    // a reason is required; another person's record is not found
    assert!(s
        .void_input("canbo", Voidable::Discipline, ha.id, rec.id, " ")
        .await
        .is_err());
    assert!(matches!(
        s.void_input(
            "canbo",
            Voidable::Discipline,
            binh.id,
            rec.id,
            "nhập nhầm người"
        )
        .await,
        Err(StoreError::NotFound(_))
    ));
    s.void_input(
        "canbo",
        Voidable::Discipline,
        ha.id,
        rec.id,
        "nhập nhầm người",
    )
    .await
    .unwrap();
    assert!(matches!(
        s.void_input(
            "canbo",
            Voidable::Discipline,
            ha.id,
            rec.id,
            "nhập nhầm người"
        )
        .await,
        Err(StoreError::Conflict(..))
    ));
    assert!(s.person_disciplines(ha.id).await.unwrap().is_empty());
    assert!(
        s.person_inputs(cat, ha.id)
            .await
            .unwrap()
            .disciplines
            .is_empty(),
        "the engine no longer reads it"
    );
    // the row stays; the same decision can be entered again for the right person
    s.record_discipline(
        "canbo",
        &NewDiscipline {
            person_id: ha.id,
            ..d.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(s.person_disciplines(ha.id).await.unwrap().len(), 1);
    let i = s
        .record_initiative(
            "canbo",
            &NewInitiative {
                person_id: ha.id,
                kind: "sang-kien",
                title: "Số hóa hồ sơ".into(),
                scope: Scope::CoSo,
                recognised_on: time::macros::date!(2024 - 10 - 01),
                decision_no: String::new(),
            },
        )
        .await
        .unwrap();
    s.void_input(
        "canbo",
        Voidable::Initiative,
        ha.id,
        i.id,
        "chưa được công nhận",
    )
    .await
    .unwrap();
    assert!(s.person_initiatives(ha.id).await.unwrap().is_empty());
    let ev = s.recent_audit(10).await.unwrap();
    assert_eq!(ev.iter().filter(|e| e.action == "void").count(), 2);
    assert!(ev.iter().any(|e| e
        .after
        .as_deref()
        .is_some_and(|a| a.contains("nhập nhầm người"))));
    assert!(s.verify_audit().await.unwrap().is_ok());
}
