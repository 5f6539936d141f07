//! The award registry on both backends (SQLite by default, PostgreSQL with
//! `TDKT_TEST_DATABASE_URL`): history across the 2025 mergers, idempotent
//! import, every bad input by row and column, all-or-nothing, search.

use tdkt_store::awards::import::{ImportOptions, ImportReport};
use tdkt_store::awards::AwardFilter;
use tdkt_store::people::PeopleScope;
use tdkt_store::testing::TestDb;
use tdkt_store::Store;

const HEADER: &str =
    "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority";

/// Trần Thị Hà of the demo data, at Sở Xây dựng Hậu Giang since 2019.
const HA: &str = "093182124906";

async fn import(store: &Store, csv_text: &str, skip_invalid: bool) -> ImportReport {
    import_with(store, csv_text, skip_invalid, None).await
}

/// `rebuild_indexes_after`: see [`ImportOptions`].
async fn import_with(
    store: &Store,
    csv_text: &str,
    skip_invalid: bool,
    rebuild_indexes_after: Option<u64>,
) -> ImportReport {
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
                skip_invalid,
                source_name: "test.csv".into(),
                max_errors: 0,
                scope: None,
                rebuild_indexes_after,
            },
            &|_| {},
        )
        .await
        .expect("import runs")
}

fn file(rows: &[&str]) -> String {
    let mut s = HEADER.to_owned();
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s
}

fn ha_2019() -> String {
    format!("person,{HA},hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2019,123/QĐ-SXD,2020-01-10,Giám đốc Sở Xây dựng Hậu Giang")
}

#[tokio::test]
async fn awards_won_in_hau_giang_in_2019_belong_to_the_history_of_today_can_tho() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let r = import(
        s,
        &file(&[
            &ha_2019(),
            "unit,,hau-giang,Hậu Giang,co-thi-dua-chinh-phu,2019,456/QĐ-TTg,2020-03-02,Thủ tướng Chính phủ",
        ]),
        false,
    )
    .await;
    assert!(r.committed, "{:?}", r.file.rejected);
    assert_eq!(r.inserted, 2);
    assert_eq!(r.people_created, 0, "Hà is matched by her CCCD");

    let lineage = s.lineage().await.unwrap();
    let unit = |code: &str| lineage.units().find(|u| u.code == code).unwrap().id;
    let dept = s
        .unit_history(
            &lineage,
            unit("can-tho.so-xay-dung"),
            &PeopleScope::All,
            None,
            50,
        )
        .await
        .unwrap();
    assert_eq!(dept.len(), 1);
    assert_eq!(dept[0].record.person_name.as_deref(), Some("Trần Thị Hà"));
    let label = dept[0].inherited.as_deref().unwrap();
    assert!(
        label.contains("của đơn vị tiền thân") && label.contains("trước khi sáp nhập"),
        "{label}"
    );

    let province = s
        .unit_history(&lineage, unit("can-tho"), &PeopleScope::All, None, 50)
        .await
        .unwrap();
    let flag = province
        .iter()
        .find(|e| e.record.award_code == "co-thi-dua-chinh-phu")
        .expect("Hậu Giang's flag is in Cần Thơ's history");
    assert!(flag.inherited.as_deref().unwrap().contains("Hậu Giang"));

    let person = s.person_by_cccd(HA).await.unwrap().unwrap();
    let own = s.person_awards(person.id).await.unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].decision_no, "123/QĐ-SXD");
    assert_eq!(own[0].source, "imported");
}

#[tokio::test]
async fn re_importing_the_same_file_changes_nothing() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let f = file(&[
        &ha_2019(),
        "person,094184999241,soc-trang.so-xay-dung,Nguyễn Thị Hà,lao-dong-tien-tien,2020,77/QĐ-SXD,2021-01-05,Giám đốc Sở",
        "person,001090000123,ha-noi,Lê Văn Mới,chien-si-thi-dua-co-so,2021,9/QĐ-UBND,2022-01-05,UBND",
    ]);
    let first = import(s, &f, false).await;
    assert_eq!((first.inserted, first.people_created), (3, 1));
    let audit_before = s.recent_audit(1).await.unwrap()[0].seq;
    let again = import(s, &f, false).await;
    assert!(again.committed);
    assert_eq!(
        (again.inserted, again.duplicates, again.people_created),
        (0, 3, 0)
    );
    assert_eq!(s.count_awards().await.unwrap(), 3);
    assert_eq!(s.recent_audit(1).await.unwrap()[0].seq, audit_before);
    // the created person: gender and birth year from the CCCD
    let p = s.person_by_cccd("001090000123").await.unwrap().unwrap();
    assert_eq!(p.gender, "male");
    assert_eq!(p.birth_date.to_string(), "1990-01-01");
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn every_bad_input_is_refused_with_its_row_column_and_reason() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    // a record revoked earlier, which a later file tries to bring back
    let revoked = "person,093182124906,hau-giang.so-xay-dung,Trần Thị Hà,chien-si-thi-dua-co-so,2018,5/QĐ-SXD,2019-01-10,Giám đốc Sở";
    let mut rdr = format!("{HEADER},status\n{revoked},đã hủy");
    let r = import(s, &rdr, false).await;
    assert_eq!(r.inserted, 1, "{:?}", r.file.rejected);
    rdr.clear();

    let cases: [(&str, &str, &str); 8] = [
        ("person,093182124906,hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-gioi,2019,1/QĐ,2020-01-01,", "award", "không có trong danh mục"),
        ("unit,,hau-giang,Hậu Giang,xa-phuong-thi-tran-tieu-bieu,2019,2/QĐ,2020-01-01,", "year", "chỉ có từ"),
        ("person,093182124906,hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2019,3/QĐ,2018-12-30,", "decision_date", "trước năm thành tích 2019"),
        ("person,09318212490,hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2019,4/QĐ,2020-01-01,", "cccd", "12 chữ số"),
        ("person,999182124906,hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2019,4/QĐ,2020-01-01,", "cccd", "mã tỉnh"),
        ("person,093182124906,hau-giang.so-xay-dung,Trần Văn Khác,lao-dong-tien-tien,2019,6/QĐ,2020-01-01,", "recipient_name", "đã gắn với «Trần Thị Hà»"),
        (revoked, "status", "đã bị hủy bỏ"),
        ("person,093182124906,can-tho.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2019,7/QĐ,2020-01-01,", "unit_code", "không hoạt động trong năm 2019"),
    ];
    for (i, (row, column, reason)) in cases.iter().enumerate() {
        let r = import(s, &file(&[&ha_2019(), row]), false).await;
        assert!(!r.committed, "case {i}");
        assert_eq!(r.file.rejected.len(), 1, "case {i}: {:?}", r.file.rejected);
        let e = &r.file.rejected[0];
        assert_eq!((e.row, e.column.as_str()), (3, *column), "case {i}: {e}");
        assert!(e.message.contains(reason), "case {i}: {e}");
        assert!(e.to_string().starts_with("Dòng 3, cột «"), "{e}");
    }
    // all or nothing: the good row of each file was not kept
    assert_eq!(s.count_awards().await.unwrap(), 1);
}

#[tokio::test]
async fn a_bad_row_stops_the_whole_file_unless_skip_invalid_is_asked() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let f = file(&[
        "person,001090000123,ha-noi,Lê Văn Mới,chien-si-thi-dua-co-so,2021,9/QĐ-UBND,2022-01-05,UBND",
        "person,093182124906,hau-giang.so-xay-dung,Trần Thị Hà,khong-co,2019,1/QĐ,2020-01-01,",
        &ha_2019(),
    ]);
    let strict = import(s, &f, false).await;
    assert!(!strict.committed);
    assert_eq!(s.count_awards().await.unwrap(), 0);
    assert!(
        s.person_by_cccd("001090000123").await.unwrap().is_none(),
        "no person half-created"
    );

    let lenient = import(s, &f, true).await;
    assert!(lenient.committed);
    assert_eq!((lenient.inserted, lenient.file.rejected_count), (2, 1));
    assert_eq!(lenient.file.rejected[0].row, 3);
    assert_eq!(lenient.file.rejected[0].fields[4], "khong-co");
    assert_eq!(s.count_awards().await.unwrap(), 2);
}

#[tokio::test]
async fn vietnamese_headers_and_award_names_are_understood() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let f = "Đối tượng;Số CCCD;Mã đơn vị;Họ tên;Danh hiệu/Hình thức;Năm;Số quyết định;Ngày quyết định;Cấp quyết định\n\
             cá nhân;093182124906;hau-giang.so-xay-dung;Trần Thị Hà;Lao động tiên tiến;2019;123/QĐ-SXD;10/01/2020;Giám đốc Sở"
        .replace(';', ",");
    let r = import(s, &f, false).await;
    assert!(r.committed, "{:?}", r.file.rejected);
    assert_eq!(r.inserted, 1);
    let p = s.person_by_cccd(HA).await.unwrap().unwrap();
    assert_eq!(
        s.person_awards(p.id).await.unwrap()[0].award_code,
        "lao-dong-tien-tien"
    );
}

/// The secondary indexes of `award_records` (migrations 0004, 0012, 0046, 0050).
const AWARD_INDEXES: [&str; 5] = [
    "award_records_person",
    "award_records_unit",
    "award_records_decision",
    "award_records_award_year",
    "award_records_recent",
];

#[tokio::test]
async fn an_import_that_drops_the_indexes_builds_them_again_or_rolls_back_with_them() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let good = file(&[
        &ha_2019(),
        "person,001090000123,ha-noi,Lê Văn Mới,chien-si-thi-dua-co-so,2021,9/QĐ-UBND,2022-01-05,UBND",
    ]);
    // refused (all or nothing) after the indexes were dropped: the rollback
    // brings them back
    let bad = format!(
        "{good}\nperson,001090000124,ha-noi,Lê Văn Sai,khong-co,2021,9/QĐ-UBND,2022-01-05,UBND"
    );
    let refused = import_with(s, &bad, false, Some(0)).await;
    assert!(!refused.committed);
    assert_eq!(s.count_awards().await.unwrap(), 0);
    // taken: every index built again, the dedupe key still unique
    let r = import_with(s, &good, false, Some(0)).await;
    assert!(r.committed, "{:?}", r.file.rejected);
    assert_eq!((r.inserted, r.people_created), (2, 1));
    let again = import_with(s, &good, false, Some(0)).await;
    assert_eq!((again.inserted, again.duplicates), (0, 2));
    let p = s.person_by_cccd(HA).await.unwrap().unwrap();
    assert_eq!(s.person_awards(p.id).await.unwrap().len(), 1);
    // each recipient's newest award, kept by the import at its end (its
    // per-row trigger set aside meanwhile), then by the trigger again: a
    // later award by hand moves Hà's
    crate::newest::lists_in_step(s).await;
    s.record_award(
        "test",
        &tdkt_store::awards::NewAward {
            recipient: tdkt_store::awards::RecipientKind::Person,
            person_id: Some(p.id),
            unit_id: p.unit_id,
            award_code: "lao-dong-tien-tien".into(),
            year: 2024,
            achieved_on: None,
            decision_no: "3/QĐ-SXD".into(),
            decision_date: time::macros::date!(2025 - 01 - 05),
            authority: "Giám đốc Sở".into(),
            reason: String::new(),
            revoked: false,
            source: "entered",
        },
    )
    .await
    .unwrap();
    crate::newest::lists_in_step(s).await;
    // each index exists (dropping it succeeds) after both imports
    for name in AWARD_INDEXES {
        s.execute_admin(&format!("drop index {name}"))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[tokio::test]
async fn a_revoked_row_revokes_the_valid_record_once() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    import(s, &file(&[&ha_2019()]), false).await;
    let f = format!("{HEADER},status\n{},revoked", ha_2019());
    let r = import(s, &f, false).await;
    assert_eq!((r.inserted, r.revoked), (0, 1));
    let again = import(s, &f, false).await;
    assert_eq!((again.inserted, again.revoked, again.duplicates), (0, 0, 1));
    let p = s.person_by_cccd(HA).await.unwrap().unwrap();
    assert_eq!(s.person_awards(p.id).await.unwrap()[0].status, "revoked");
}

#[tokio::test]
async fn search_ignores_diacritics_and_word_order_and_matches_decisions_exactly() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    import(
        s,
        &file(&[
            &ha_2019(),
            "person,094184999241,soc-trang.so-xay-dung,Nguyễn Thị Hà,lao-dong-tien-tien,2020,77/QĐ-SXD,2021-01-05,Giám đốc Sở",
            "person,094185999242,soc-trang.so-xay-dung,Nguyễn Thị Trang,lao-dong-tien-tien,2020,77/QĐ-SXD,2021-01-05,Giám đốc Sở",
            "unit,,soc-trang.so-xay-dung,Sở Xây dựng tỉnh Sóc Trăng,tap-the-lao-dong-tien-tien,2020,80/QĐ-UBND,2021-02-05,Chủ tịch UBND tỉnh",
        ]),
        false,
    )
    .await;
    let find = |q: &str| AwardFilter {
        q: q.into(),
        limit: 50,
        ..AwardFilter::default()
    };
    for q in ["tran thi ha", "Hà Trần Thị", "TRAN ha"] {
        let hits = s.search_awards(&find(q)).await.unwrap();
        assert_eq!(hits.len(), 1, "{q}");
        assert_eq!(hits[0].person_name.as_deref(), Some("Trần Thị Hà"));
    }
    assert_eq!(s.search_awards(&find("thi ha")).await.unwrap().len(), 2);
    // a long word before the last is a whole word; the last may be a beginning
    for (q, n) in [
        ("nguyen thi trang", 1),
        ("tran nguyen thi", 0),
        ("nguyen thi tran", 1),
        ("thi nguy", 2),
        // short words are beginnings: their own lexemes on PostgreSQL
        ("tr h", 1),
        ("ng th tr", 1),
        ("th", 3),
    ] {
        assert_eq!(s.search_awards(&find(q)).await.unwrap().len(), n, "{q}");
    }
    // a unit's name finds its collective awards, merged newest first with
    // the awards of the people whose name matches
    let unit = s.search_awards(&find("soc trang")).await.unwrap();
    assert_eq!(unit.len(), 1);
    assert_eq!(unit[0].person_id, None);
    assert_eq!(unit[0].recipient_name(), "Sở Xây dựng tỉnh Sóc Trăng");
    let trang = s.search_awards(&find("trang")).await.unwrap();
    assert_eq!(trang.len(), 2);
    assert!(trang[0].id > trang[1].id, "same year: newest record first");
    assert!(trang.iter().any(|a| a.person_id.is_none()));
    for q in ["123/QĐ-SXD", "123/qd-sxd"] {
        let hits = s.search_awards(&find(q)).await.unwrap();
        assert_eq!(hits.len(), 1, "{q}");
        assert_eq!(hits[0].decision_no, "123/QĐ-SXD");
    }
    assert!(
        s.search_awards(&find("23/QĐ-SXD"))
            .await
            .unwrap()
            .is_empty(),
        "exact only"
    );
    assert_eq!(
        s.search_awards(&find(HA)).await.unwrap().len(),
        1,
        "full CCCD"
    );
    // filters: year range and keyset pages
    let mut f = find("thi ha");
    f.year_from = Some(2020);
    assert_eq!(s.search_awards(&f).await.unwrap().len(), 1);
    let mut page = find("");
    page.limit = 1;
    let first = s.search_awards(&page).await.unwrap();
    page.after = Some(tdkt_store::awards::Cursor::of(&first[0]));
    let second = s.search_awards(&page).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_ne!(first[0].id, second[0].id);
}

/// A name shared by more people than the search's cut (`BROAD_NAME`) takes the other
/// plan (newest awards first, each tested): same answers, same order, same
/// pages as the narrow plan, checked against the whole list filtered here.
#[tokio::test]
async fn a_name_many_people_share_finds_the_same_records_in_the_same_order() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let mut rows = Vec::new();
    let many = usize::try_from(tdkt_store::awards::BROAD_NAME).unwrap() + 20;
    for i in 0..many {
        let cccd = format!("0011{:02}{:06}", 80 + i % 20, 400_000 + i);
        let given = if i % 2 == 0 { "Mai" } else { "Mai Anh" };
        for (k, year) in [2020, 2021 + i % 3].into_iter().enumerate() {
            rows.push(format!(
                "person,{cccd},hau-giang.so-xay-dung,Lý Thị {given},lao-dong-tien-tien,{year},{}/QĐ-SXD,{}-02-0{},Giám đốc Sở",
                1000 + i * 2 + k,
                year + 1,
                1 + k
            ));
        }
    }
    // one who is not a match: "ly" and "mai" but not at the start of words
    rows.push("person,001085999001,hau-giang.so-xay-dung,Trần Văn Bảy,lao-dong-tien-tien,2023,9/QĐ-SXD,2024-01-05,Giám đốc Sở".into());
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let r = import(s, &file(&refs), false).await;
    assert_eq!(r.file.rejected_count, 0, "{:?}", r.file.rejected);

    let everything = s
        .search_awards(&AwardFilter {
            limit: 100_000,
            ..AwardFilter::default()
        })
        .await
        .unwrap();
    let named = |words: &[&str]| {
        everything
            .iter()
            .filter(|a| {
                let name = format!(
                    " {}",
                    tdkt_core::text::fold(a.person_name.as_deref().unwrap_or(""))
                );
                words.iter().all(|w| name.contains(&format!(" {w}")))
            })
            .map(|a| (a.id, a.person_id))
            .collect::<Vec<_>>()
    };
    let cut = usize::try_from(tdkt_store::awards::BROAD_NAME).unwrap();
    // the first is shared by everyone (walked), the second by half (indexed)
    for (q, words, broad) in [
        ("ly mai", vec!["ly", "mai"], true),
        ("Mai Anh Lý", vec!["mai", "anh", "ly"], false),
    ] {
        let matched = named(&words);
        let people: std::collections::BTreeSet<_> = matched.iter().map(|(_, p)| *p).collect();
        assert_eq!(people.len() >= cut, broad, "{q}: {}", people.len());
        let expected: Vec<i64> = matched.iter().map(|(id, _)| *id).collect();
        let mut got = Vec::new();
        let mut f = AwardFilter {
            q: q.into(),
            limit: 50,
            ..AwardFilter::default()
        };
        loop {
            let page = s.search_awards(&f).await.unwrap();
            got.extend(page.iter().map(|a| a.id));
            match page.last() {
                Some(last) if page.len() == 50 => {
                    f.after = Some(tdkt_store::awards::Cursor::of(last));
                }
                _ => break,
            }
        }
        assert_eq!(got, expected, "{q}");
    }
    // and a narrow name (under the cut) still goes through the index
    let one = s
        .search_awards(&AwardFilter {
            q: "tran van bay".into(),
            limit: 50,
            ..AwardFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
}

/// The demo's award decisions go through the file import and show up in
/// the history of the department that Sở Xây dựng Hậu Giang merged into.
#[tokio::test]
async fn the_demo_awards_are_imported_and_inherited_by_the_merged_department() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let lines = i64::try_from(
        include_str!("../../../../data/demo/awards.csv")
            .lines()
            .count(),
    )
    .unwrap();
    // the file's rows, and the records of the demo's issued decision
    let decided = include_str!("../../../../data/demo/decision-can-tho.csv")
        .lines()
        .count();
    let decided = i64::try_from(decided).unwrap() - 1;
    assert_eq!(s.count_awards().await.unwrap(), lines - 1 + decided);
    let ha = s.person_by_cccd(HA).await.unwrap().unwrap();
    let own = s.person_awards(ha.id).await.unwrap();
    assert!(own.iter().any(|r| r.decision_no == "45/QĐ-SXD"));
    assert!(own.iter().all(|r| r.source == "imported"));
    let lineage = s.lineage().await.unwrap();
    let dept = lineage
        .units()
        .find(|u| u.code == "can-tho.so-xay-dung")
        .unwrap()
        .id;
    let history = s
        .unit_history(&lineage, dept, &PeopleScope::All, None, 200)
        .await
        .unwrap();
    let hg = history
        .iter()
        .find(|e| e.record.decision_no == "45/QĐ-SXD")
        .expect("Hậu Giang's 2019 decision is in today's department history");
    assert!(hg
        .inherited
        .as_deref()
        .is_some_and(|l| l.contains("Hậu Giang")));
    assert!(s.verify_audit().await.unwrap().is_ok());
}
