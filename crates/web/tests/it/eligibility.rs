//! Eligibility over HTTP: the panel on person and unit pages, the API, the
//! input forms, and who may see or write what. Both backends (see
//! `tdkt_store::testing`).

use axum::http::StatusCode;
use tdkt_core::eligibility::Rating;
use tdkt_store::awards::{NewAward, RecipientKind};
use tdkt_store::ratings::Subject;
use tdkt_web::testing::TestApp;
use time::macros::date;

/// Trần Thị Hà (Sở Xây dựng Hậu Giang since 2019): rated tốt for 2025 and
/// Chiến sĩ thi đua cơ sở 2023–2024.
async fn arrange(app: &TestApp) -> i64 {
    let s = &app.db.store;
    let p = s.person_by_cccd("093182124906").await.unwrap().unwrap();
    for (y, r) in [
        (2023, Rating::HoanThanhTot),
        (2024, Rating::HoanThanhXuatSac),
        (2025, Rating::HoanThanhTot),
    ] {
        s.record_rating("test", Subject::Person(p.id), y, r, "")
            .await
            .unwrap();
    }
    for (y, no) in [(2023, "11/QĐ-SXD"), (2024, "12/QĐ-SXD")] {
        s.record_award(
            "test",
            &NewAward {
                recipient: RecipientKind::Person,
                person_id: Some(p.id),
                unit_id: p.unit_id,
                award_code: "chien-si-thi-dua-co-so".into(),
                year: y,
                achieved_on: None,
                decision_no: no.into(),
                decision_date: date!(2025 - 01 - 10),
                authority: "Sở Xây dựng".into(),
                reason: String::new(),
                revoked: false,
                source: "entered",
            },
        )
        .await
        .unwrap();
    }
    p.id
}

#[tokio::test]
async fn an_officer_sees_the_panel_with_clauses_and_citations_on_the_person_page() {
    let app = TestApp::demo().await;
    let id = arrange(&app).await;
    let mut c = app.login("canbo.haugiang").await;
    let page = c.get(&format!("/people/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Điều kiện khen thưởng năm 2025"),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-award=\"lao-dong-tien-tien\""));
    assert!(page.body.contains("✓") && page.body.contains("✗"));
    assert!(page.body.contains("Điều 24 Luật TĐKT 2022"));
    // CSTĐ cấp tỉnh: 2 of 3 titles, no initiative → one year away is not enough
    // (the initiative is missing), so it is not listed as one step away
    let api = c
        .get(&format!("/api/v1/people/{id}/eligibility?year=2025"))
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let v = api.json();
    assert_eq!(v["year"], 2025);
    let ldtt = v["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["award"] == "lao-dong-tien-tien")
        .expect("LĐTT answered");
    assert_eq!(ldtt["verdict"], "eligible");
    assert!(ldtt["rows"][0]["citation"].is_string() || ldtt["citation"].is_string());
}

#[tokio::test]
async fn people_outside_the_scope_get_404_and_viewers_may_not_enter_ratings() {
    let app = TestApp::demo().await;
    let id = arrange(&app).await;
    let mut st = app.login("canbo.soctrang").await;
    assert_eq!(
        st.get(&format!("/api/v1/people/{id}/eligibility"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        st.get(&format!("/people/{id}/eligibility")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = st
        .post_form(
            &format!("/people/{id}/ratings"),
            &[("year", "2022"), ("rating", "hoan-thanh-tot")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut anon = app.client();
    assert_eq!(
        anon.get(&format!("/api/v1/people/{id}/eligibility"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let mut viewer = app.login("xem.cantho").await;
    let r = viewer
        .post_form(
            &format!("/people/{id}/ratings"),
            &[("year", "2022"), ("rating", "hoan-thanh-tot")],
        )
        .await;
    assert!(
        r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
        "{}",
        r.status
    );
    let p = app.db.store.person(id).await.unwrap();
    assert_eq!(app.db.store.person_ratings(p.id).await.unwrap().len(), 3);
}

#[tokio::test]
async fn the_forms_record_inputs_and_refuse_a_year_without_employment() {
    let app = TestApp::demo().await;
    let id = arrange(&app).await;
    let mut c = app.login("canbo.haugiang").await;
    let r = c
        .post_form(
            &format!("/people/{id}/ratings"),
            &[("year", "2010"), ("rating", "hoan-thanh-tot")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("không công tác trong năm 2010"),
        "{}",
        r.body
    );

    let r = c
        .post_form(
            &format!("/people/{id}/discipline"),
            &[
                ("level", "khien-trach"),
                ("decision_no", "7/QĐ-SXD"),
                ("decision_date", "2025-05-02"),
                ("months", "6"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = c
        .post_form(
            &format!("/people/{id}/initiatives"),
            &[
                ("kind", "sang-kien"),
                ("title", "Số hóa hồ sơ"),
                ("scope", "cap-tinh"),
                ("recognised_on", "2025-10-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = c
        .post_form_without_csrf(
            &format!("/people/{id}/ratings"),
            &[("year", "2022"), ("rating", "hoan-thanh-tot")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let v = c
        .get(&format!("/api/v1/people/{id}/eligibility?year=2025"))
        .await
        .json();
    let ldtt = v["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["award"] == "lao-dong-tien-tien")
        .unwrap()
        .clone();
    assert_eq!(ldtt["verdict"], "not-eligible", "{ldtt}");
    let page = c.get(&format!("/people/{id}")).await;
    assert!(page.body.contains("7/QĐ-SXD") && page.body.contains("Số hóa hồ sơ"));
}

#[tokio::test]
async fn a_unit_panel_follows_lineage_and_is_scoped() {
    let app = TestApp::demo().await;
    let s = &app.db.store;
    let kh = s
        .unit_by_code("hau-giang.so-ke-hoach-dau-tu")
        .await
        .unwrap();
    s.record_rating(
        "test",
        Subject::Unit(kh.id),
        2024,
        Rating::HoanThanhXuatSac,
        "",
    )
    .await
    .unwrap();
    let mut c = app.login("canbo.haugiang").await;
    let v = c
        .get("/api/v1/units/hau-giang.so-tai-chinh/eligibility?year=2024")
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert!(v.body.contains("kế thừa từ"), "{}", v.body);
    let page = c.get("/units/hau-giang.so-tai-chinh").await;
    assert!(page.body.contains("id=\"eligibility\""));
    let mut st = app.login("canbo.soctrang").await;
    assert_eq!(
        st.get("/api/v1/units/hau-giang.so-tai-chinh/eligibility")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let page = st.get("/units/hau-giang.so-tai-chinh").await;
    assert!(!page.body.contains("id=\"eligibility\""));
}
