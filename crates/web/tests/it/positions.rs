//! Dated positions on the person page (issue 13): the history shown with
//! its days, a promotion added by an officer of the person's unit closing
//! the position held until then, an overlap refused with its message, and
//! a viewer refused.

use axum::http::StatusCode;
use tdkt_web::testing::TestApp;

#[tokio::test]
async fn an_officer_records_a_promotion_and_the_page_shows_the_dated_history() {
    let app = TestApp::demo().await;
    let ha = app
        .db
        .store
        .search_people(
            &tdkt_store::people::PeopleScope::All,
            "Trần Thị Hà",
            None,
            1,
        )
        .await
        .unwrap()[0]
        .id;
    let mut officer = app.login("canbo.cantho").await;
    let page = officer.get(&format!("/people/{ha}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let section = page.body.split("id=\"positions\"").nth(1).unwrap();
    assert!(section.contains("Phó Chánh Văn phòng"), "{section}");
    assert!(section.contains("01/01/2019"), "{section}");
    assert!(section.contains("Thêm chức vụ"), "{section}");

    let ok = officer
        .post_form(
            &format!("/people/{ha}/positions"),
            &[
                ("position", "Chánh Văn phòng"),
                ("is_leader", "true"),
                ("position_from", "01/01/2024"),
                ("position_to", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = officer.get(&format!("/people/{ha}")).await.body;
    let section = page.split("id=\"positions\"").nth(1).unwrap();
    assert!(section.contains("Chánh Văn phòng"), "{section}");
    assert!(
        section.contains("31/12/2023"),
        "the deputy's post ends: {section}"
    );
    assert!(page.contains("lãnh đạo, quản lý"), "{page}");

    // an earlier period overlapping the deputy's: refused, said why
    let bad = officer
        .post_form(
            &format!("/people/{ha}/positions"),
            &[
                ("position", "Chuyên viên"),
                ("position_from", "2018-06-01"),
                ("position_to", "2019-06-30"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("chồng lên"), "{}", bad.body);
    // an end before the start names the end
    let bad = officer
        .post_form(
            &format!("/people/{ha}/positions"),
            &[
                ("position", "Chuyên viên"),
                ("position_from", "2018-06-01"),
                ("position_to", "2017-06-30"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("trước ngày bắt đầu"), "{}", bad.body);

    // a viewer reads the history, has no form, may not post
    let mut viewer = app.login("xem.cantho").await;
    let page = viewer.get(&format!("/people/{ha}")).await.body;
    assert!(page.contains("Quá trình giữ chức vụ") && !page.contains("Thêm chức vụ"));
    let refused = viewer
        .post_form(
            &format!("/people/{ha}/positions"),
            &[("position", "Giám đốc"), ("position_from", "2025-01-01")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
