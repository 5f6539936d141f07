//! Dossiers over HTTP: an officer opens a dossier, uploads its documents
//! through the checklist, forwards it; the city sees it at its level and
//! returns it; a viewer may read but never act (403), another province's
//! officer does not see it (404), an officer of the wrong level is refused
//! by name and nothing changes; the overdue board lists a late dossier.

use axum::http::StatusCode;
use tdkt_core::access::Role;
use tdkt_web::testing::TestApp;

const PERSON: &str = "092191938273"; // Bùi Thị Hồng Nhung, Sở Xây dựng Cần Thơ

async fn accounts(app: &TestApp) {
    app.db
        .add_officer("canbo.soxd", "Cán bộ Sở Xây dựng", "can-tho.so-xay-dung")
        .await;
}

#[tokio::test]
async fn a_dossier_is_opened_filled_forwarded_and_returned_over_http() {
    let app = TestApp::demo().await;
    accounts(&app).await;
    let mut so = app.login("canbo.soxd").await;
    let r = so.get("/dossiers/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = so
        .post_form(
            "/dossiers",
            &[
                ("unit", "can-tho.so-xay-dung"),
                ("award", "bang-khen-cap-tinh"),
                ("kind", "individual"),
                ("year", "2025"),
                ("received_on", "05/01/2026"),
                ("title", "Bằng khen thành phố năm 2025"),
                ("recipients", PERSON),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.landing().unwrap().to_owned();
    let page = so.get(&url).await;
    assert!(page.body.contains("Bùi Thị Hồng Nhung"), "{}", page.body);
    assert!(page.body.contains("Nghị định 152/2025/NĐ-CP"));
    assert!(page.body.contains("Thành phố Cần Thơ") || page.body.contains("Cần Thơ"));

    // forward refused while documents are missing, with their names
    let r = so
        .post_form(&format!("{url}/act"), &[("action", "forward")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Tờ trình"), "{}", r.body);

    for doc in ["to-trinh", "bao-cao-thanh-tich", "bien-ban-hoi-dong-co-so"] {
        let r = so
            .post_file(
                &format!("{url}/files"),
                &[
                    ("document", doc),
                    (
                        "report_date",
                        &tdkt_core::date::format_vn(tdkt_core::date::today_vn()),
                    ),
                ],
                &format!("{doc}.pdf"),
                b"%PDF-1.7\n%%EOF\n",
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    // a file whose content is not accepted is refused by name
    let r = so
        .post_file(
            &format!("{url}/files"),
            &[("document", "to-trinh")],
            "to-trinh.pdf",
            b"<html><script>x</script></html>",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("to-trinh.pdf"), "{}", r.body);

    let r = so
        .post_form(&format!("{url}/act"), &[("action", "forward")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // the Sở may no longer act: the city holds it; nothing changes
    let r = so
        .post_form(&format!("{url}/act"), &[("action", "forward")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("chỉ cán bộ của cấp này"), "{}", r.body);

    // a viewer of the city reads, may not act
    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(viewer.get(&url).await.status, StatusCode::OK);
    let r = viewer
        .post_form(&format!("{url}/act"), &[("action", "forward")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // another province's officer does not see it
    let mut other = app.login("canbo.soctrang").await;
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);

    // the city sees it at its level and returns it
    let mut city = app.login("canbo.cantho").await;
    let list = city.get("/dossiers").await;
    assert!(list.body.contains(&url), "{}", list.body);
    let r = city
        .post_form(
            &format!("{url}/act"),
            &[
                ("action", "return"),
                ("missing", "Báo cáo thành tích chưa có xác nhận"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = so.get(&url).await;
    assert!(page.body.contains("trả lại để bổ sung"), "{}", page.body);
    assert!(
        page.body
            .contains("Cần bổ sung: Báo cáo thành tích chưa có xác nhận"),
        "{}",
        page.body
    );
    // the file downloads for a reader
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
    assert!(bytes.starts_with(b"%PDF"));
}

#[tokio::test]
async fn the_overdue_board_lists_a_dossier_past_its_working_days() {
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
                title: String::new(),
                received_on: time::macros::date!(2026 - 01 - 05),
                recipients: vec![tdkt_store::dossiers::NewRecipient::Person(person)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();
    // force it to the city long ago: forward as an administrator with all documents
    let files = tdkt_web::testing::memory_attachments();
    for item in s.dossier_view(id).await.unwrap().checklist {
        files
            .put(
                s,
                "test",
                tdkt_store::attachments::Owner {
                    kind: "dossier",
                    id,
                    document: &item.code,
                },
                "a.pdf",
                b"%PDF-1.7\n".to_vec(),
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
    let r = city.get("/dossiers?overdue").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&format!("/dossiers/{id}")), "{}", r.body);
    assert!(r.body.contains("khoản 3 Điều 35"), "{}", r.body);
    // not on the board of another province
    let mut other = app.login("canbo.soctrang").await;
    let r = other.get("/dossiers?overdue").await;
    assert!(!r.body.contains(&format!("/dossiers/{id}\"")), "{}", r.body);
}
