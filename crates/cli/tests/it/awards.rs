//! `tdkt gen` and `tdkt import awards` end to end through the binary, on a
//! temporary SQLite file (or the PostgreSQL of `TDKT_TEST_DATABASE_URL`).

use std::path::Path;
use std::process::Output;

use tdkt_store::testing::TestDb;

use super::support::{command, text};

fn tdkt(db: &str, dir: &Path, args: &[&str]) -> Output {
    command(db)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run tdkt")
}

/// The demo without its award decisions: these tests count what they import.
async fn demo_db() -> TestDb {
    TestDb::with_demo_no_awards().await
}

#[tokio::test]
async fn generated_history_imports_once_and_a_second_import_is_a_no_op() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let g = tdkt(
        &db.url,
        dir.path(),
        &[
            "gen", "--people", "200", "--awards", "2000", "--out", "g", "--seed", "7",
        ],
    );
    assert!(g.status.success(), "{}", text(&g));
    let csv = std::fs::read_to_string(dir.path().join("g/awards.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2001);
    assert!(csv.contains("lao-dong-tien-tien") && csv.contains("chien-si-thi-dua-co-so"));
    // same seed, same file
    let g2 = tdkt(
        &db.url,
        dir.path(),
        &[
            "gen", "--people", "200", "--awards", "2000", "--out", "g2", "--seed", "7",
        ],
    );
    assert!(g2.status.success());
    assert_eq!(
        csv,
        std::fs::read_to_string(dir.path().join("g2/awards.csv")).unwrap()
    );

    let first = tdkt(&db.url, dir.path(), &["import", "awards", "g/awards.csv"]);
    assert!(first.status.success(), "{}", text(&first));
    let n = db.store.count_awards().await.unwrap();
    assert!(n > 1900, "{n}");
    let again = tdkt(&db.url, dir.path(), &["import", "awards", "g/awards.csv"]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(text(&again).contains(" 0 bản ghi mới"), "{}", text(&again));
    assert_eq!(db.store.count_awards().await.unwrap(), n);

    // the inputs the rules read: every rating inside the person's
    // employment as the award import recorded it, so all-or-nothing passes
    for (kind, file) in [
        ("ratings", "g/ratings.csv"),
        ("initiatives", "g/initiatives.csv"),
    ] {
        let rows = std::fs::read_to_string(dir.path().join(file))
            .unwrap()
            .lines()
            .count()
            - 1;
        assert!(rows > 0, "{file}");
        let o = tdkt(&db.url, dir.path(), &["import", kind, file]);
        assert!(o.status.success(), "{file}: {}", text(&o));
        assert!(
            text(&o).contains(&format!("{rows} dòng mới hoặc thay đổi")),
            "{file}: {}",
            text(&o)
        );
    }
    let scan = tdkt(
        &db.url,
        dir.path(),
        &["eligibility", "scan", "--year", "2025"],
    );
    assert!(
        text(&scan).contains("Lao động tiên tiến: "),
        "{}",
        text(&scan)
    );
    assert!(
        !text(&scan).contains("Lao động tiên tiến: 0 người"),
        "{}",
        text(&scan)
    );
}

#[tokio::test]
async fn a_bad_file_imports_nothing_and_skip_invalid_writes_the_rejects() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.csv"),
        "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority\n\
         person,093182124906,hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2019,123/QĐ-SXD,2020-01-10,Sở\n\
         person,093182124906,hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2020,5/QĐ,2019-12-01,Sở\n",
    )
    .unwrap();
    let strict = tdkt(&db.url, dir.path(), &["import", "awards", "a.csv"]);
    assert!(!strict.status.success());
    assert!(
        text(&strict).contains("Dòng 3, cột «decision_date»"),
        "{}",
        text(&strict)
    );
    assert_eq!(db.store.count_awards().await.unwrap(), 0);

    let lenient = tdkt(
        &db.url,
        dir.path(),
        &["import", "awards", "a.csv", "--skip-invalid"],
    );
    assert!(lenient.status.success(), "{}", text(&lenient));
    assert_eq!(db.store.count_awards().await.unwrap(), 1);
    let rejects = std::fs::read_to_string(dir.path().join("a.loi.csv")).unwrap();
    assert!(
        rejects.starts_with("\u{feff}dòng,cột,lý do lỗi,recipient_type"),
        "{rejects}"
    );
    assert!(rejects.contains("3,decision_date,"), "{rejects}");
}

#[tokio::test]
async fn an_xlsx_with_vietnamese_headers_and_date_cells_imports() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in (0u16..).zip([
        "Đối tượng",
        "Số CCCD",
        "Mã đơn vị",
        "Họ tên",
        "Hình thức",
        "Năm",
        "Số quyết định",
        "Ngày quyết định",
        "Cấp quyết định",
    ]) {
        ws.write_string(0, c, h).unwrap();
    }
    for (c, v) in (0u16..).zip([
        "Cá nhân",
        "093182124906",
        "hau-giang.so-xay-dung",
        "Trần Thị Hà",
        "Chiến sĩ thi đua cơ sở",
    ]) {
        ws.write_string(1, c, v).unwrap();
    }
    ws.write_number(1, 5, 2021).unwrap();
    ws.write_string(1, 6, "77/QĐ-SXD").unwrap();
    let d = ExcelDateTime::from_ymd(2022, 1, 15).unwrap();
    ws.write_datetime_with_format(1, 7, &d, &Format::new().set_num_format("dd/mm/yyyy"))
        .unwrap();
    ws.write_string(1, 8, "Giám đốc Sở").unwrap();
    wb.save(dir.path().join("b.xlsx")).unwrap();

    let out = tdkt(&db.url, dir.path(), &["import", "awards", "b.xlsx"]);
    assert!(out.status.success(), "{}", text(&out));
    let p = db
        .store
        .person_by_cccd("093182124906")
        .await
        .unwrap()
        .unwrap();
    let awards = db.store.person_awards(p.id).await.unwrap();
    assert_eq!(awards[0].award_code, "chien-si-thi-dua-co-so");
    assert_eq!(awards[0].decision_date.to_string(), "2022-01-15");
}

/// What Excel's plain "CSV" gives on a Vietnamese Windows: Windows-1258
/// bytes, `ê` as 0xEA and `ă` as 0xE3 (CP1258 shares Latin-1's layout for
/// these letters).
fn windows_1258(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            'ê' => 0xEA,
            'ă' => 0xE3,
            'â' => 0xE2,
            c if c.is_ascii() => u8::try_from(u32::from(c)).unwrap(),
            c => panic!("no Windows-1258 byte for {c} in this test"),
        })
        .collect()
}

#[tokio::test]
async fn a_file_not_in_utf8_is_refused_naming_the_row_and_how_to_save_it() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority\n".to_vec();
    bytes.extend(windows_1258(
        "person,093182124906,hau-giang.so-xay-dung,Nguyên Văn An,lao-dong-tien-tien,2019,123/QĐ-SXD,2020-01-10,Sở\n"
            .replace('Đ', "D")
            .replace('ở', "o")
            .as_str(),
    ));
    std::fs::write(dir.path().join("c.csv"), bytes).unwrap();
    let out = tdkt(&db.url, dir.path(), &["import", "awards", "c.csv"]);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(
        t.contains("Dòng 2, cột «recipient_name»: tệp không phải văn bản UTF-8"),
        "{t}"
    );
    assert!(t.contains("CSV UTF-8"), "{t}");
    assert!(!t.contains("invalid utf-8"), "{t}");
    assert_eq!(db.store.count_awards().await.unwrap(), 0);
}

#[tokio::test]
async fn a_one_megabyte_cell_is_refused_naming_row_and_column() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let huge = "x".repeat(1 << 20);
    std::fs::write(
        dir.path().join("d.csv"),
        format!(
            "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority,reason\n\
             person,093182124906,hau-giang.so-xay-dung,Trần Thị Hà,lao-dong-tien-tien,2019,123/QĐ-SXD,2020-01-10,Sở,{huge}\n"
        ),
    )
    .unwrap();
    let out = tdkt(
        &db.url,
        dir.path(),
        &["import", "awards", "d.csv", "--skip-invalid"],
    );
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert_eq!(db.store.count_awards().await.unwrap(), 0);
    let rejects = std::fs::read_to_string(dir.path().join("d.loi.csv")).unwrap();
    assert!(
        rejects.contains("2,reason,\"ô dài 1.048.576 ký tự"),
        "{}",
        &rejects[..300]
    );
    // the report does not carry the megabyte back
    assert!(rejects.len() < 10_000, "{}", rejects.len());
}

/// `tdkt bench search --as`: the queries run with the account's role and
/// scope (issue 16), one line of percentiles per kind of query; an unknown
/// account is refused by name.
#[tokio::test]
async fn the_search_bench_runs_as_an_officer_within_their_subtree() {
    let db = demo_db().await;
    let dir = tempfile::tempdir().unwrap();
    let g = tdkt(
        &db.url,
        dir.path(),
        &[
            "gen", "--people", "300", "--awards", "1500", "--out", "g", "--seed", "16",
        ],
    );
    assert!(g.status.success(), "{}", text(&g));
    let i = tdkt(&db.url, dir.path(), &["import", "awards", "g/awards.csv"]);
    assert!(i.status.success(), "{}", text(&i));
    let bench = |who: &[&str]| {
        let mut args = vec![
            "bench",
            "search",
            "--from",
            "g/awards.csv",
            "--queries",
            "60",
        ];
        args.extend_from_slice(who);
        tdkt(&db.url, dir.path(), &args)
    };
    let officer = bench(&["--as", "canbo.cantho"]);
    let out = text(&officer);
    assert!(officer.status.success(), "{out}");
    assert!(out.contains("với quyền của «canbo.cantho»"), "{out}");
    for kind in [
        "họ tên không dấu, đảo thứ tự",
        "số CCCD đủ 12 số",
        "trang khen thưởng của đơn vị",
        "danh sách theo danh hiệu, năm",
    ] {
        let line = out
            .lines()
            .find(|l| l.starts_with(kind))
            .unwrap_or_default();
        assert!(
            line.contains("n=   10") && line.contains("p99"),
            "{kind}: {out}"
        );
    }
    // the officer's queries come from their subtree: Hà Nội is not in it
    assert!(!out.contains("/units/ha-noi/"), "{out}");
    let admin = bench(&[]);
    assert!(admin.status.success(), "{}", text(&admin));
    assert!(
        text(&admin).contains("«admin» (toàn bộ)"),
        "{}",
        text(&admin)
    );
    let nobody = bench(&["--as", "khong.co"]);
    assert!(!nobody.status.success());
    assert!(text(&nobody).contains("khong.co"), "{}", text(&nobody));
}
