//! Decisions and the fund over HTTP (issue 14, decision half): drafting,
//! issuing, the DOCX draft, the fund ledger, and who may do what. Both
//! backends (see `tdkt_store::testing`).

use std::io::Read;

use axum::http::StatusCode;
use tdkt_web::testing::TestApp;

const LIST: &str = "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích,Thành tích
cá nhân,092085630226,can-tho.so-noi-vu,Đỗ Hoàng Nam,giay-khen,2025,Hoàn thành xuất sắc nhiệm vụ
tập thể,,can-tho.so-tai-chinh,,giay-khen,2025,
";

fn today() -> String {
    tdkt_core::date::today_vn().to_string()
}

fn form<'a>(number: &'a str, today: &'a str, list: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("authority", "can-tho"),
        ("number", number),
        ("decided_on", today),
        ("signer_name", "Nguyễn Văn B"),
        ("signer_title", "CHỦ TỊCH"),
        ("title", "Về việc tặng Giấy khen"),
        (
            "bases",
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        ),
        ("dossier_id", ""),
        ("recipients", list),
    ]
}

async fn demo_decision(app: &TestApp) -> i64 {
    app.db
        .store
        .decisions(true, None)
        .await
        .unwrap()
        .iter()
        .find(|d| d.number == "15/QĐ-UBND")
        .unwrap()
        .id
}

#[tokio::test]
async fn an_officer_drafts_issues_and_downloads_a_decision_whose_page_links_its_records() {
    let app = TestApp::demo().await;
    let mut ct = app.login("canbo.cantho").await;
    let list = ct.get("/decisions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("15/QĐ-UBND"), "{}", list.body);
    let new = ct.get("/decisions/new").await;
    assert_eq!(new.status, StatusCode::OK);
    assert!(
        new.body.contains("value=\"16\""),
        "the next free number is proposed"
    );

    let today = today();
    let created = ct.post_form("/decisions", &form("16", &today, LIST)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let at = created.landing().unwrap().to_owned();
    let draft = ct.get(&at).await;
    assert!(draft.body.contains("dự thảo"));
    assert!(draft.body.contains("Ban hành quyết định"));
    assert!(draft.body.contains("Đỗ Hoàng Nam"));
    let before = app.db.store.count_awards().await.unwrap();

    let issued = ct.post_form(&format!("{at}/issue"), &[]).await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
    assert_eq!(app.db.store.count_awards().await.unwrap(), before + 2);
    let page = ct.get(&at).await;
    assert!(page.body.contains("đã ban hành"));
    assert!(!page.body.contains("Ban hành quyết định</button>"));
    assert!(page.body.contains("/certificate.pdf"), "{}", page.body);

    let docx = ct.get(&format!("{at}/quyet-dinh.docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for s in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 16/QĐ-UBND",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
        "Đỗ Hoàng Nam",
    ] {
        assert!(xml.contains(s), "missing {s}");
    }
}

#[tokio::test]
async fn a_reused_number_or_a_bad_row_comes_back_with_the_form_and_nothing_saved() {
    let app = TestApp::demo().await;
    let mut ct = app.login("canbo.cantho").await;
    let today = today();
    let reused = ct.post_form("/decisions", &form("15", &today, LIST)).await;
    if tdkt_core::date::today_vn().year() == 2026 {
        assert_eq!(reused.status, StatusCode::CONFLICT, "{}", reused.body);
        assert!(
            reused.body.contains("đã được dùng trong năm 2026"),
            "{}",
            reused.body
        );
    }
    let bad = LIST.replace("giay-khen,2025,Hoàn", "giay-khen,hai nghìn,Hoàn");
    let rows = ct.post_form("/decisions", &form("40", &today, &bad)).await;
    assert_eq!(rows.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        rows.body.contains("Dòng 2, cột «Năm thành tích»"),
        "{}",
        rows.body
    );
    assert_eq!(app.db.store.decisions(false, None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn readers_read_other_roles_and_other_scopes_cannot_act() {
    let app = TestApp::demo().await;
    let id = demo_decision(&app).await;
    let page = format!("/decisions/{id}");

    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(viewer.get(&page).await.status, StatusCode::OK);
    assert_eq!(
        viewer.get(&format!("{page}/quyet-dinh.docx")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        viewer.get("/decisions/new").await.status,
        StatusCode::FORBIDDEN
    );
    let today = today();
    assert_eq!(
        viewer
            .post_form("/decisions", &form("30", &today, LIST))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        viewer
            .post_form(
                "/fund/receipts",
                &[
                    ("unit", "can-tho"),
                    ("entry_date", "2026-01-02"),
                    ("amount", "1000"),
                    ("description", "x")
                ]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // an officer of another province: the decision does not exist for them
    let mut other = app.login("canbo.haugiang").await;
    assert_eq!(other.get(&page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.get("/fund?unit=can-tho").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!other.get("/decisions").await.body.contains("15/QĐ-UBND"));

    let mut submitter = app.login("nop.xaydung.hg").await;
    assert_eq!(
        submitter.get("/decisions").await.status,
        StatusCode::FORBIDDEN
    );

    let mut anon = app.client();
    let r = anon.get(&page).await;
    assert_ne!(r.status, StatusCode::OK);
    // a second issue of an issued decision is refused, nothing written
    let mut ct = app.login("canbo.cantho").await;
    let before = app.db.store.count_awards().await.unwrap();
    let again = ct.post_form(&format!("{page}/issue"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("đã ban hành"));
    assert_eq!(app.db.store.count_awards().await.unwrap(), before);
}

#[tokio::test]
async fn the_fund_ledger_shows_receipts_and_payments_and_exports_xlsx() {
    let app = TestApp::demo().await;
    let mut ct = app.login("canbo.cantho").await;
    let year = app
        .db
        .store
        .decisions(true, None)
        .await
        .unwrap()
        .iter()
        .find(|d| d.number == "15/QĐ-UBND")
        .unwrap()
        .year;
    let at = format!("/fund?unit=can-tho&year={year}");
    let page = ct.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("500.000.000 đ"), "{}", page.body);
    assert!(page.body.contains("15/QĐ-UBND"));
    let added = ct
        .post_form(
            "/fund/receipts",
            &[
                ("unit", "can-tho"),
                ("entry_date", &format!("{year}-02-03")),
                ("amount", "12.000.000"),
                ("description", "Đóng góp của doanh nghiệp"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = ct.get(&at).await;
    assert!(page.body.contains("Đóng góp của doanh nghiệp"));
    assert!(page.body.contains("512.000.000 đ"), "receipts total");
    let bad = ct
        .post_form(
            "/fund/receipts",
            &[
                ("unit", "can-tho"),
                ("entry_date", "2026-02-03"),
                ("amount", "-5"),
                ("description", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("số đồng nguyên dương"));
    let xlsx = ct
        .get(&format!("/fund/so-quy.xlsx?unit=can-tho&year={year}"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"));
}
