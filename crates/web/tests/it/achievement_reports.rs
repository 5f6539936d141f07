//! The report of achievements over HTTP: the holding officer drafts it from
//! the records, edits it and saves it as the dossier's DOCX with its date;
//! a date older than 6 months or an upload without a date is refused by
//! name; a viewer may not draft (403), another province does not see it
//! (404); the dossier list shows the account's reminders with the overdue
//! dossier first.

use std::io::{Cursor, Read};

use axum::http::StatusCode;
use tdkt_core::access::Role;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_web::testing::TestApp;
use time::Duration;

const PERSON: &str = "092191938273"; // Bùi Thị Hồng Nhung, Sở Xây dựng Cần Thơ

async fn officer(app: &TestApp) {
    app.db
        .add_officer("canbo.soxd", "Cán bộ Sở Xây dựng", "can-tho.so-xay-dung")
        .await;
}

#[tokio::test]
async fn the_officer_drafts_edits_and_saves_the_report_as_a_dated_docx() {
    let app = TestApp::demo().await;
    officer(&app).await;
    let mut so = app.login("canbo.soxd").await;
    let r = so
        .post_form(
            "/dossiers",
            &[
                ("unit", "can-tho.so-xay-dung"),
                ("award", "bang-khen-thu-tuong"),
                ("kind", "individual"),
                ("year", "2025"),
                ("received_on", &format_vn(today_vn())),
                ("title", "Bằng khen Thủ tướng năm 2025"),
                ("recipients", PERSON),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.landing().unwrap().to_owned();
    let page = so.get(&url).await;
    assert!(
        page.body.contains("Soạn báo cáo thành tích"),
        "{}",
        page.body
    );

    let draft = so.get(&format!("{url}/report")).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    assert!(draft.body.contains("Bùi Thị Hồng Nhung"), "{}", draft.body);
    assert!(draft.body.contains("I. SƠ LƯỢC LÝ LỊCH"), "{}", draft.body);
    assert!(
        draft.body.contains("II. THÀNH TÍCH ĐẠT ĐƯỢC"),
        "{}",
        draft.body
    );
    let recipient = draft
        .body
        .split("name=\"recipient\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();

    // a viewer reads the dossier but may not draft; another province sees nothing
    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(
        viewer.get(&format!("{url}/report")).await.status,
        StatusCode::FORBIDDEN
    );
    let mut other = app.login("canbo.soctrang").await;
    assert_eq!(
        other.get(&format!("{url}/report")).await.status,
        StatusCode::NOT_FOUND
    );

    // a report dated more than 6 months ago is refused, naming the article
    let old = format_vn(today_vn() - Duration::days(200));
    let text = "I. SƠ LƯỢC LÝ LỊCH\nĐoạn đã sửa bởi cán bộ.\nII. THÀNH TÍCH ĐẠT ĐƯỢC\nNăm 2025: hoàn thành xuất sắc nhiệm vụ.";
    let r = so
        .post_form(
            &format!("{url}/report"),
            &[
                ("recipient", &recipient),
                ("report_date", &old),
                ("report_text", text),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("quá 6 tháng"), "{}", r.body);
    assert!(r.body.contains("khoản 9 Điều 33"), "{}", r.body);

    let today = format_vn(today_vn());
    let r = so
        .post_form(
            &format!("{url}/report"),
            &[
                ("recipient", &recipient),
                ("report_date", &today),
                ("report_text", text),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = so.get(&url).await;
    let name = format!(
        "bao-cao-thanh-tich-ho-so-{}-{recipient}.docx",
        url.trim_start_matches("/dossiers/")
    );
    assert!(page.body.contains(&name), "{}", page.body);
    assert!(
        page.body.contains(&format!("lập ngày {today}")),
        "{}",
        page.body
    );

    // the file is the edited text in the official layout
    let file = page
        .body
        .split(&format!("{url}/files/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let (status, _, bytes) = so
        .send_bytes(
            axum::http::Request::get(format!("{url}/files/{file}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for s in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO THÀNH TÍCH",
        "Đoạn đã sửa bởi cán bộ.",
        "SỞ XÂY DỰNG",
        "Bằng khen của Thủ tướng Chính phủ",
    ] {
        assert!(xml.contains(s), "{s} missing");
    }

    // an upload of a report without its date is refused by name
    let r = so
        .post_file(
            &format!("{url}/files"),
            &[("document", "bao-cao-thanh-tich")],
            "bao-cao.pdf",
            b"%PDF-1.7\n%%EOF\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("cần ghi ngày lập báo cáo"), "{}", r.body);
}

#[tokio::test]
async fn the_dossier_list_shows_the_reminders_overdue_first() {
    let app = TestApp::demo().await;
    let s = &app.db.store;
    let so = s.unit_by_code("can-tho.so-xay-dung").await.unwrap();
    let person = s.person_by_cccd(PERSON).await.unwrap().unwrap().id;
    let id = s
        .create_dossier(
            "test",
            &tdkt_store::dossiers::NewDossier {
                unit_id: so.id,
                award_code: "bang-khen-thu-tuong".into(),
                kind: tdkt_core::catalogue::Recipient::Individual,
                year: 2025,
                title: "Nhắc việc".into(),
                received_on: time::macros::date!(2026 - 01 - 05),
                recipients: vec![tdkt_store::dossiers::NewRecipient::Person(person)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();
    let files = tdkt_web::testing::memory_attachments();
    for item in s.dossier_view(id).await.unwrap().checklist {
        files
            .put_dated(
                s,
                "test",
                tdkt_store::attachments::Owner {
                    kind: "dossier",
                    id,
                    document: &item.code,
                },
                "a.pdf",
                b"%PDF-1.7\n".to_vec(),
                Some(time::macros::date!(2026 - 01 - 02)),
            )
            .await
            .unwrap();
    }
    let admin = tdkt_core::access::Principal {
        user_id: 1,
        username: "admin".into(),
        full_name: "admin".into(),
        role: Role::Admin,
        scope_unit: None,
    };
    s.act_on_dossier(
        &admin,
        id,
        &tdkt_store::dossiers::DossierAction::Forward,
        time::macros::date!(2026 - 01 - 06),
    )
    .await
    .unwrap();
    let mut city = app.login("canbo.cantho").await;
    let r = city.get("/dossiers").await;
    assert_eq!(r.status, StatusCode::OK);
    let card = r
        .body
        .split("id=\"reminders\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_else(|| panic!("{}", r.body));
    assert!(card.contains(&format!("/dossiers/{id}\"")), "{card}");
    assert!(card.contains("Quá hạn từ"), "{card}");
    // another province's officer is not reminded of it
    let mut other = app.login("canbo.soctrang").await;
    let r = other.get("/dossiers").await;
    assert!(!r.body.contains(&format!("/dossiers/{id}\"")), "{}", r.body);
}
