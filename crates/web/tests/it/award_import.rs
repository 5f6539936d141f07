//! Award history imported through the web (`/awards/import`): the upload
//! runs as a background task under a job id of the uploader's; the store's
//! contract holds (all or nothing unless «bỏ qua dòng lỗi», re-import is a
//! no-op); refused rows come back as a CSV and an XLSX report naming row,
//! column and reason; officers import only within their subtree. Both
//! backends (see `tdkt_store::testing`).

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::Value;
use tdkt_store::awards::file;
use tdkt_web::testing::{Client, TestApp};

const HEADER: &str =
    "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority\n";

/// Two good rows for Sở Xây dựng Hậu Giang (one of them a person the demo
/// does not know yet) and, when `bad`, a third row whose decision predates
/// the year it rewards.
fn file(bad: bool) -> String {
    let mut s = HEADER.to_owned();
    s.push_str("person,093075335003,hau-giang.so-xay-dung,Nguyễn Văn Bình,lao-dong-tien-tien,2023,901/QĐ-SXD,2024-01-15,Giám đốc Sở Xây dựng tỉnh Hậu Giang\n");
    s.push_str("person,093190000017,hau-giang.so-xay-dung,Đinh Thị Mai,giay-khen,2023,902/QĐ-SXD,2024-01-15,Giám đốc Sở Xây dựng tỉnh Hậu Giang\n");
    if bad {
        s.push_str("person,093190526925,hau-giang.so-xay-dung,Lê Thị Thu Trang,lao-dong-tien-tien,2024,903/QĐ-SXD,2023-12-01,Giám đốc Sở Xây dựng tỉnh Hậu Giang\n");
    }
    s
}

/// Uploads `body` as `name`, follows the job until it ends, returns its id
/// and its last progress.
async fn import(c: &mut Client<'_>, name: &str, body: &[u8], skip: bool) -> (String, Value) {
    let fields: &[(&str, &str)] = if skip { &[("skip_invalid", "1")] } else { &[] };
    let r = c.post_file("/awards/import", fields, name, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.landing().expect("job page").to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    for _ in 0..3000 {
        let p = c.get(&format!("{page}/progress")).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        let v = p.json();
        if v["state"] != "running" {
            return (id, v);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("import {id} did not finish");
}

async fn count(app: &TestApp) -> i64 {
    app.db.store.count_awards().await.unwrap()
}

#[tokio::test]
async fn an_officer_uploads_a_csv_and_the_records_are_there() {
    let app = TestApp::demo().await;
    let before = count(&app).await;
    let mut c = app.login("canbo.haugiang").await;
    let form = c.get("/awards/import").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Bỏ qua dòng lỗi"));
    assert!(form.body.contains("/awards/import?csrf_token="));

    let (id, st) = import(&mut c, "khen-thuong.csv", file(false).as_bytes(), false).await;
    assert_eq!(st["state"], "done", "{st}");
    assert_eq!(st["checked"], 2);
    assert_eq!(st["inserted"], 2);
    assert_eq!(count(&app).await, before + 2);

    let page = c.get(&format!("/awards/import/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"data-committed="true""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"<td id="n-inserted">2</td>"#));
    assert!(page.body.contains(r#"<td id="n-people">1</td>"#));
    assert!(page.body.contains(r#"<td id="n-rejected">0</td>"#));
    // nothing refused: no report to download
    let none = c
        .get(&format!("/awards/import/{id}/errors?format=csv"))
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);

    let found = c.get("/search?q=902%2FQĐ-SXD").await;
    assert!(found.body.contains("Đinh Thị Mai"), "{}", found.body);
    let audit = app.db.store.recent_audit(20).await.unwrap();
    let ev = audit
        .iter()
        .find(|e| e.entity == "award_import")
        .expect("one audit event for the import");
    assert_eq!(ev.actor, "canbo.haugiang");

    // the same file again changes nothing
    let (_, again) = import(&mut c, "khen-thuong.csv", file(false).as_bytes(), false).await;
    assert_eq!(again["state"], "done");
    assert_eq!(again["inserted"], 0);
    assert_eq!(count(&app).await, before + 2);
}

#[tokio::test]
async fn a_bad_row_writes_nothing_and_the_report_names_row_and_column() {
    let app = TestApp::demo().await;
    let before = count(&app).await;
    let mut c = app.login("canbo.haugiang").await;
    let (id, st) = import(&mut c, "loi.csv", file(true).as_bytes(), false).await;
    assert_eq!(st["state"], "refused", "{st}");
    assert_eq!(count(&app).await, before);

    let page = c.get(&format!("/awards/import/{id}")).await;
    assert!(page.body.contains(r#"data-committed="false""#));
    assert!(page.body.contains("Không nhập dòng nào: 1 dòng lỗi"));
    assert!(page.body.contains("trước năm thành tích 2024"));

    let csv = c
        .get(&format!("/awards/import/{id}/errors?format=csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("loi.loi.csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert!(lines[0].starts_with("\u{feff}dòng,cột,lý do lỗi,recipient_type,cccd"));
    assert!(
        lines[1]
            .starts_with("4,decision_date,ngày quyết định 01/12/2023 trước năm thành tích 2024"),
        "{}",
        lines[1]
    );

    let xlsx = c
        .get(&format!("/awards/import/{id}/errors?format=xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"));
    let (h, rows, _) = file::read_bytes("loi.xlsx", xlsx.bytes).unwrap();
    assert_eq!(&h[..3], ["dòng", "cột", "lý do lỗi"]);
    let rows: Vec<Vec<String>> = rows.map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "4");
    assert_eq!(rows[0][1], "decision_date");
    assert_eq!(rows[0][9], "903/QĐ-SXD");
}

#[tokio::test]
async fn skip_invalid_imports_the_good_rows_of_an_xlsx_and_returns_the_bad() {
    use rust_xlsxwriter::Workbook;
    let app = TestApp::demo().await;
    let before = count(&app).await;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in (0u32..).zip(file(true).lines()) {
        for (c, v) in (0u16..).zip(line.split(',')) {
            ws.write_string(r, c, v).unwrap();
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let mut c = app.login("canbo.haugiang").await;
    let (id, st) = import(&mut c, "khen-thuong.xlsx", &bytes, true).await;
    assert_eq!(st["state"], "done", "{st}");
    assert_eq!(count(&app).await, before + 2);
    let page = c.get(&format!("/awards/import/{id}")).await;
    assert!(page.body.contains(r#"<td id="n-inserted">2</td>"#));
    assert!(page.body.contains(r#"<td id="n-rejected">1</td>"#));
    let csv = c
        .get(&format!("/awards/import/{id}/errors?format=csv"))
        .await;
    assert!(csv.body.contains("\n4,decision_date,"), "{}", csv.body);
}

#[tokio::test]
async fn rows_outside_the_officers_subtree_are_refused_by_row() {
    let app = TestApp::demo().await;
    let before = count(&app).await;
    let mut c = app.login("canbo.soctrang").await;
    let mut f = HEADER.to_owned();
    f.push_str("person,094184999241,soc-trang.so-xay-dung,Nguyễn Thị Hà,giay-khen,2024,77/QĐ-SXD,2025-01-10,Giám đốc Sở Xây dựng tỉnh Sóc Trăng\n");
    f.push_str("unit,,hau-giang.so-noi-vu,Sở Nội vụ tỉnh Hậu Giang,tap-the-lao-dong-tien-tien,2023,5/QĐ-UBND,2024-02-01,UBND tỉnh\n");
    // a Hậu Giang person named by CCCD only: neither written nor named back
    f.push_str("person,093182124906,,Người Khác,giay-khen,2024,78/QĐ-SXD,2025-01-10,Sở\n");
    let (id, st) = import(&mut c, "ngoai.csv", f.as_bytes(), true).await;
    assert_eq!(st["state"], "done", "{st}");
    assert_eq!(count(&app).await, before + 1);
    let csv = c
        .get(&format!("/awards/import/{id}/errors?format=csv"))
        .await;
    assert!(
        csv.body.contains(
            "3,unit_code,đơn vị «Sở Nội vụ tỉnh Hậu Giang» (hau-giang.so-noi-vu) ngoài phạm vi"
        ),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("\n4,unit_code,"), "{}", csv.body);
    assert!(!csv.body.contains("Trần Thị Hà"), "{}", csv.body);
}

#[tokio::test]
async fn viewers_may_not_import_and_a_job_is_its_uploaders_alone() {
    let app = TestApp::demo().await;
    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(
        viewer.get("/awards/import").await.status,
        StatusCode::FORBIDDEN
    );
    let r = viewer
        .post_file("/awards/import", &[], "a.csv", file(false).as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut owner = app.login("canbo.haugiang").await;
    let (id, _) = import(&mut owner, "loi.csv", file(true).as_bytes(), false).await;
    for user in ["canbo.cantho", "admin"] {
        let mut other = app.login(user).await;
        for path in [
            format!("/awards/import/{id}"),
            format!("/awards/import/{id}/progress"),
            format!("/awards/import/{id}/errors?format=csv"),
            format!("/awards/import/{id}/errors?format=xlsx"),
        ] {
            assert_eq!(
                other.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{user} {path}"
            );
        }
    }
    let mut anon = app.client();
    let r = anon.get(&format!("/awards/import/{id}/progress")).await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(!r.body.contains("checked"));
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_refused() {
    let app = TestApp::demo().await;
    let before = count(&app).await;
    let mut c = app.login("canbo.haugiang").await;
    let boundary = "----tdkt-csrf-test";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n{}\r\n--{boundary}--\r\n",
        file(false)
    );
    let req = Request::post("/awards/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let r = c.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(count(&app).await, before);
}

#[tokio::test]
async fn a_file_without_the_required_columns_is_refused_at_once() {
    let app = TestApp::demo().await;
    let mut c = app.login("canbo.haugiang").await;
    let r = c
        .post_file("/awards/import", &[], "a.csv", b"ho_ten,nam\nA,2020\n")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tệp thiếu cột bắt buộc"), "{}", r.body);
    let r = c.post_file("/awards/import", &[], "a.pdf", b"%PDF").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("cần .csv hoặc .xlsx"), "{}", r.body);
}

#[tokio::test]
async fn an_upload_saved_as_windows_1258_names_the_row_and_says_to_save_as_csv_utf8() {
    let app = TestApp::demo().await;
    let before = count(&app).await;
    let mut c = app.login("canbo.haugiang").await;
    // "Nguyễn Văn Bình" as plain Excel CSV saves it on a Vietnamese
    // Windows: Windows-1258, `ă` is the byte 0xE3, never UTF-8
    let mut body = HEADER.as_bytes().to_vec();
    body.extend_from_slice(
        b"person,093075335003,hau-giang.so-xay-dung,Nguyen V\xE3n Binh,lao-dong-tien-tien,2023,901/QD-SXD,2024-01-15,Giam doc\n",
    );
    let (id, st) = import(&mut c, "excel.csv", &body, false).await;
    assert_eq!(st["state"], "refused", "{st}");
    assert_eq!(count(&app).await, before);
    let page = c.get(&format!("/awards/import/{id}")).await;
    assert!(
        page.body.contains("không phải văn bản UTF-8"),
        "{}",
        page.body
    );
    assert!(page.body.contains("CSV UTF-8"), "{}", page.body);
    assert!(!page.body.contains("invalid utf-8"), "{}", page.body);
    let csv = c
        .get(&format!("/awards/import/{id}/errors?format=csv"))
        .await;
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(
        lines[1].starts_with("2,recipient_name,\"tệp không phải văn bản UTF-8"),
        "{}",
        csv.body
    );
}
