//! The dossier form's special tracks over HTTP: a long-service dossier with
//! its positions (total shown on the page), a resistance dossier for a
//! person born after the war refused naming the field. Both backends.

use axum::http::StatusCode;
use tdkt_web::testing::TestApp;

const NHUNG: &str = "092191938273";

fn form<'a>(award: &'a str, track: &'a str, facts: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("unit", "can-tho.so-xay-dung"),
        ("award", award),
        ("kind", "individual"),
        ("year", "2025"),
        ("received_on", "05/01/2026"),
        ("title", ""),
        ("recipients", NHUNG),
        ("track", track),
        ("acted_on", ""),
        ("facts", facts),
    ]
}

#[tokio::test]
async fn the_dossier_form_records_positions_and_refuses_a_resistance_after_birth() {
    let app = TestApp::demo().await;
    let mut ct = app.login("canbo.cantho").await;
    let facts = format!(
        "{NHUNG}; Phó Trưởng phòng; 01/01/2016; 31/12/2019\n{NHUNG}; Trưởng phòng; 01/01/2020;"
    );
    let r = ct
        .post_form(
            "/dossiers",
            &form("huan-chuong-lao-dong-hang-ba", "cong-hien", &facts),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = ct.get(r.landing().unwrap()).await;
    assert!(
        page.body.contains("Khen thưởng quá trình cống hiến"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Trưởng phòng"), "{}", page.body);
    assert!(page.body.contains("10 năm 0 tháng"), "{}", page.body);

    let war = format!("{NHUNG}; chong-my; 01/01/1968; 30/04/1975");
    let r = ct
        .post_form(
            "/dossiers",
            &form("huan-chuong-lao-dong-hang-ba", "khang-chien", &war),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("sinh năm 1991"), "{}", r.body);
    assert!(r.body.contains("birth_year"), "{}", r.body);
}
