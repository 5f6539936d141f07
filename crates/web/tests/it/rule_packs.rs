//! Which rule pack decided, on the pages and in the API: a Bắc Ninh unit is
//! judged by the province's own pack (QĐ 86/2025/QĐ-UBND) and the answer
//! names it; a date after NĐ 152/2025 ends answers "no rule in force"
//! instead of leaving the award out. Both backends.

use axum::http::StatusCode;
use tdkt_web::testing::TestApp;

#[tokio::test]
async fn a_bac_ninh_unit_panel_names_the_provinces_pack_and_a_can_tho_one_the_national_pack() {
    let app = TestApp::demo().await;
    let mut c = app.login("admin").await;
    let v = c
        .get("/api/v1/units/bac-ninh.so-noi-vu/eligibility?year=2026")
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let json: serde_json::Value = serde_json::from_str(&v.body).unwrap();
    let ttldtt = json["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["award"] == "tap-the-lao-dong-tien-tien")
        .unwrap();
    assert_eq!(ttldtt["pack"], "bac-ninh-qd-86-2025");
    assert_eq!(ttldtt["pack_scope"], "bac-ninh");
    assert_eq!(
        ttldtt["pack_decision"],
        "QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh, 03/12/2025"
    );
    let page = c
        .get("/units/bac-ninh.so-noi-vu/eligibility?year=2026")
        .await;
    assert!(
        page.body
            .contains("Quy định áp dụng: gói «bac-ninh-qd-86-2025» — QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh, 03/12/2025"),
        "{}",
        page.body
    );

    let v = c
        .get("/api/v1/units/can-tho.so-noi-vu/eligibility?year=2026")
        .await;
    let json: serde_json::Value = serde_json::from_str(&v.body).unwrap();
    let ttldtt = json["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["award"] == "tap-the-lao-dong-tien-tien")
        .unwrap();
    assert_eq!(ttldtt["pack"], "luat-2022-danh-hieu");
    assert!(ttldtt["pack_scope"].is_null());
}

#[tokio::test]
async fn after_nd_152_ends_the_panel_answers_no_rule_in_force_for_the_flag() {
    let app = TestApp::demo().await;
    let mut c = app.login("admin").await;
    let v = c
        .get("/api/v1/units/can-tho.so-noi-vu/eligibility?year=2027")
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let json: serde_json::Value = serde_json::from_str(&v.body).unwrap();
    let flag = json["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["award"] == "co-thi-dua-chinh-phu")
        .expect("the flag is answered, not left out");
    assert_eq!(flag["verdict"], "no-rule-in-force");
    assert!(
        flag["notes"][0].as_str().unwrap().starts_with(
            "Không có quy định nào có hiệu lực vào ngày 31/12/2027 cho «Cờ thi đua của Chính phủ»"
        ),
        "{flag}"
    );
    let page = c
        .get("/units/can-tho.so-noi-vu/eligibility?year=2027")
        .await;
    assert!(
        page.body.contains("Không có quy định có hiệu lực ("),
        "{}",
        page.body
    );
}
