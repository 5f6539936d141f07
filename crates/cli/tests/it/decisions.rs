//! The decision contract of the command line (issue 14): `tdkt decision
//! list [--json]` (an array of objects with `number` and `records`), `tdkt
//! decision issue` from a CSV of recipients, its row errors, a reused
//! number refused, and `tdkt fund export`.

use std::process::Output;

use tdkt_store::testing::TestDb;

use super::support::run;

fn tdkt(db: &TestDb, args: &[&str]) -> Output {
    run(&db.url, args)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn listed(db: &TestDb) -> Vec<serde_json::Value> {
    let o = tdkt(db, &["decision", "list", "--json"]);
    assert!(o.status.success(), "{}", err(&o));
    serde_json::from_str::<serde_json::Value>(&out(&o))
        .expect("JSON")
        .as_array()
        .expect("an array")
        .clone()
}

#[tokio::test]
async fn decision_list_json_gives_each_issued_number_with_its_record_ids() {
    let db = TestDb::with_demo().await;
    let all = listed(&db);
    let demo = all
        .iter()
        .find(|d| d["number"] == "15/QĐ-UBND")
        .expect("the demo decision");
    let records: Vec<i64> = demo["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_i64().expect("record ids are integers"))
        .collect();
    assert_eq!(records.len(), 4);
    for id in records {
        let r = db.store.award_record(id).await.unwrap();
        assert_eq!(r.decision_no, "15/QĐ-UBND");
    }
    let text = tdkt(&db, &["decision", "list"]);
    assert!(out(&text).contains("15/QĐ-UBND"), "{}", out(&text));
}

#[tokio::test]
async fn decision_issue_from_a_csv_creates_the_records_and_refuses_a_reused_number() {
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ds.csv");
    std::fs::write(
        &file,
        "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích\n\
         cá nhân,092085630226,,Đỗ Hoàng Nam,giay-khen,2025\n\
         tập thể,,can-tho.so-tai-chinh,,giay-khen,2025\n",
    )
    .unwrap();
    let date = tdkt_core::date::today_vn().to_string();
    let f = file.to_str().unwrap();
    let args = |number: &'static str| {
        vec![
            "decision",
            "issue",
            "--file",
            f,
            "--authority",
            "can-tho",
            "--number",
            number,
            "--date",
            &date,
            "--signer",
            "Nguyễn Văn B",
        ]
    };
    let o = tdkt(&db, &args("31"));
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("Đã ban hành Quyết định số 31/QĐ-UBND"),
        "{}",
        out(&o)
    );
    let all = listed(&db);
    let d = all.iter().find(|d| d["number"] == "31/QĐ-UBND").unwrap();
    assert_eq!(d["records"].as_array().unwrap().len(), 2);

    let again = tdkt(&db, &args("31"));
    assert!(!again.status.success());
    assert!(
        err(&again).contains("31/QĐ-UBND đã được dùng"),
        "{}",
        err(&again)
    );
    assert_eq!(listed(&db).len(), all.len());

    std::fs::write(
        &file,
        "Loại đối tượng,Số CCCD,Danh hiệu,Năm thành tích\ncá nhân,092085630226,giay-khen,2025\ncá nhân,000000000000,giay-khen,2025\n",
    )
    .unwrap();
    let bad = tdkt(&db, &args("32"));
    assert!(!bad.status.success());
    assert!(err(&bad).contains("Dòng 3, cột «Số CCCD»"), "{}", err(&bad));
    assert_eq!(listed(&db).len(), all.len());

    let xlsx = dir.path().join("so-quy.xlsx");
    let year = tdkt_core::date::today_vn().year().to_string();
    let o = tdkt(
        &db,
        &[
            "fund",
            "export",
            "--unit",
            "can-tho",
            "--year",
            &year,
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}
