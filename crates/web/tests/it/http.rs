//! HTTP tests of the foundation: login, CSRF, roles and org-subtree scope
//! on every route, CCCD masking. Run on SQLite by default and on PostgreSQL
//! with `TDKT_TEST_DATABASE_URL=postgres://…`.

use axum::http::{Method, StatusCode};
use serde_json::json;
use tdkt_web::testing::TestApp;

async fn person_id(app: &TestApp, name: &str) -> i64 {
    let scope = tdkt_store::people::PeopleScope::All;
    app.db
        .store
        .search_people(&scope, name, None, 5)
        .await
        .unwrap()
        .first()
        .unwrap_or_else(|| panic!("{name} in demo"))
        .id
}

#[tokio::test]
async fn an_officer_of_hau_giang_cannot_read_or_change_soc_trang_people_on_any_route() {
    let app = TestApp::demo().await;
    let soc_trang = person_id(&app, "Thạch Sô Phal").await;
    let own = person_id(&app, "Trần Thị Hà").await;
    let mut c = app.login("canbo.haugiang").await;

    // Reads: the person is invisible (404), searches do not return them.
    assert_eq!(
        c.get(&format!("/people/{own}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.get(&format!("/people/{soc_trang}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/api/v1/people/{soc_trang}")).await.status,
        StatusCode::NOT_FOUND
    );
    let page = c.get("/people?q=thach+so+phal").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Thạch Sô Phal"));
    let api = c.get("/api/v1/people?q=thach").await.json();
    assert_eq!(api["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        c.get("/people?unit=soc-trang").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/api/v1/people?unit=soc-trang.so-noi-vu")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Writes: moving, creating in, restructuring Sóc Trăng are all refused.
    for r in [
        c.post_form(&format!("/people/{soc_trang}/move"), &[("unit", "hau-giang.so-noi-vu"), ("from", "2026-01-01")]).await,
        c.json(Method::POST, &format!("/api/v1/people/{soc_trang}/move"), &json!({"unit": "hau-giang", "from": "2026-01-01"})).await,
        c.post_form(&format!("/people/{own}/move"), &[("unit", "soc-trang.so-noi-vu"), ("from", "2026-01-01")]).await,
        c.post_form(
            "/people",
            &[("full_name", "Lý Văn Tư"), ("gender", "male"), ("birth_date", "1980-01-01"), ("cccd", "094080123456"), ("unit", "soc-trang")],
        )
        .await,
        c.json(
            Method::POST,
            "/api/v1/people",
            &json!({"full_name": "Lý Văn Tư", "gender": "male", "birth_date": "1980-01-01", "cccd": "094080123456", "unit": "soc-trang"}),
        )
        .await,
        c.post_form("/units", &[("code", "soc-trang.moi"), ("name", "Phòng mới"), ("kind", "phong"), ("parent", "soc-trang"), ("valid_from", "2020-01-01")]).await,
        c.json(Method::POST, "/api/v1/units", &json!({"code": "soc-trang.moi", "name": "Phòng mới", "kind": "phong", "parent": "soc-trang", "valid_from": "2020-01-01"})).await,
        c.post_form("/units/lineage", &[("kind", "dissolve"), ("effective", "2020-01-01"), ("from", "soc-trang.so-noi-vu")]).await,
        c.json(Method::POST, "/api/v1/lineage", &json!({"kind": "rename", "effective": "2020-01-01", "from": "soc-trang", "new_value": "X"})).await,
    ] {
        assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}: {}", r.status, r.body);
    }
    // …and nothing changed.
    let p = app.db.store.person(soc_trang).await.unwrap();
    assert_eq!(p.unit_code, "soc-trang.so-noi-vu");
    assert!(app.db.store.unit_by_code("soc-trang.moi").await.is_err());
    assert!(app
        .db
        .store
        .unit_by_code("soc-trang.so-noi-vu")
        .await
        .unwrap()
        .valid_to
        .is_some_and(|d| d.year() == 2025));
}

#[tokio::test]
async fn an_officer_of_can_tho_today_sees_the_people_of_its_three_predecessors() {
    let app = TestApp::demo().await;
    let mut c = app.login("canbo.cantho").await;
    let body = c.get("/api/v1/people?q=").await.json();
    let names: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["full_name"].as_str().unwrap())
        .collect();
    for expected in [
        "Trần Thị Hà",
        "Thạch Sô Phal",
        "Trương Quốc Khánh",
        "Đỗ Hoàng Nam",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(
        !names.contains(&"Ngô Thị Thanh Tâm"),
        "Vĩnh Long is not Cần Thơ's"
    );
}

#[tokio::test]
async fn anonymous_visitors_see_the_org_tree_but_not_people() {
    let app = TestApp::demo().await;
    let mut c = app.client();
    assert_eq!(c.get("/units").await.status, StatusCode::OK);
    assert_eq!(c.get("/units/can-tho").await.status, StatusCode::OK);
    let r = c.get("/people").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().unwrap().starts_with("/login?next=/people"));
    assert_eq!(
        c.get("/api/v1/people").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(c.get("/admin/audit").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = TestApp::demo().await;
    let mut c = app.login("admin").await;
    let r = c
        .post_form_without_csrf(
            "/units",
            &[
                ("code", "x"),
                ("name", "X"),
                ("kind", "phong"),
                ("parent", "hau-giang"),
                ("valid_from", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("CSRF"));
    assert!(app.db.store.unit_by_code("x").await.is_err());
    // The login form is protected too.
    let mut anon = app.client();
    assert_eq!(
        anon.post_form_without_csrf("/login", &[("username", "admin"), ("password", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn login_is_throttled_after_five_failures() {
    let app = TestApp::demo().await;
    let mut c = app.client();
    for _ in 0..5 {
        let r = c.login("canbo.cantho", "sai-mat-khau").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("không đúng"));
    }
    let r = c
        .login("canbo.cantho", tdkt_store::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("thử lại sau"), "{}", r.body);
}

#[tokio::test]
async fn cccd_is_masked_for_viewers_and_shown_to_officers_in_scope() {
    let app = TestApp::demo().await;
    let id = person_id(&app, "Trần Thị Hà").await;
    let full = app.db.store.reveal_cccd(id).await.unwrap();
    let masked = tdkt_core::cccd::mask(&full);
    let mut viewer = app.login("xem.cantho").await;
    let page = viewer.get(&format!("/people/{id}")).await;
    assert!(page.body.contains(&masked) && !page.body.contains(&full));
    assert!(viewer
        .get(&format!("/api/v1/people/{id}"))
        .await
        .json()
        .get("cccd")
        .is_none());
    let mut officer = app.login("canbo.haugiang").await;
    assert!(officer
        .get(&format!("/people/{id}"))
        .await
        .body
        .contains(&full));
    // Exact-match search by full CCCD, never partial.
    let found = officer
        .get(&format!("/api/v1/people?q={full}"))
        .await
        .json();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let partial = officer
        .get(&format!("/api/v1/people?q={}", &full[..8]))
        .await
        .json();
    assert_eq!(partial["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_merged_can_tho_page_names_its_three_predecessors() {
    let app = TestApp::demo().await;
    let body = app.client().get("/units/can-tho").await.body;
    assert!(
        body.contains("Sáp nhập từ: Cần Thơ, Sóc Trăng, Hậu Giang, từ 01/7/2025"),
        "{body}"
    );
    let vl = app.client().get("/units/vinh-long").await.body;
    assert!(vl.contains("Sáp nhập từ: Bến Tre, Vĩnh Long, Trà Vinh, từ 01/7/2025"));
}

#[tokio::test]
async fn diacritics_insensitive_search_finds_units_and_people() {
    let app = TestApp::demo().await;
    let mut c = app.client();
    assert!(c.get("/units?q=tra+vinh").await.body.contains("Trà Vinh"));
    assert!(c.get("/units?q=dong+thap").await.body.contains("Đồng Tháp"));
    let mut admin = app.login("admin").await;
    let r = admin.get("/people?q=ha+tran+thi").await;
    assert!(
        r.body.contains("Trần Thị Hà"),
        "word order and tones do not matter"
    );
    let r = admin.get("/people?q=dang+thi+my+linh").await;
    assert!(r.body.contains("Đặng Thị Mỹ Linh"), "d finds đ");
}

#[tokio::test]
async fn bad_input_is_refused_with_a_vietnamese_message_naming_the_field() {
    let app = TestApp::demo().await;
    let mut c = app.login("admin").await;
    let cases = [
        (
            json!({"code": "hau-giang", "name": "Trùng", "kind": "tinh", "parent": "trung-uong", "valid_from": "2020-01-01"}),
            "code",
            "đã tồn tại",
        ),
        (
            json!({"code": "moi", "name": "Mới", "kind": "khong-co", "parent": "trung-uong", "valid_from": "2020-01-01"}),
            "kind",
            "không tồn tại",
        ),
    ];
    for (body, field, text) in cases {
        let r = c.json(Method::POST, "/api/v1/units", &body).await;
        assert!(r.status.is_client_error(), "{}", r.body);
        let j = r.json();
        assert_eq!(j["field"], field, "{j}");
        assert!(j["detail"].as_str().unwrap().contains(text), "{j}");
    }
    let r = c
        .json(Method::POST, "/api/v1/people", &json!({"full_name": "Lý Thị Mai", "gender": "female", "birth_date": "1990-01-01", "cccd": "093090123456", "unit": "hau-giang"}))
        .await;
    assert_eq!(
        r.json()["field"],
        "cccd",
        "female born 1990 needs digit 1: {}",
        r.body
    );
    let r = c.json(Method::POST, "/api/v1/lineage", &json!({"kind": "merge", "effective": "2000-01-01", "from": "hau-giang,soc-trang", "to": "can-tho"})).await;
    assert_eq!(r.json()["field"], "effective_date", "{}", r.body);
}

#[tokio::test]
async fn an_error_is_a_json_problem_under_the_api_and_a_vietnamese_page_elsewhere() {
    let app = TestApp::demo().await;
    let mut c = app.client();

    let api = c.get("/api/v1/units/khong-co-don-vi-nay").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.headers[axum::http::header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(api.json()["status"], 404);
    assert_eq!(
        api.json()["detail"],
        "Không tìm thấy trang hoặc dữ liệu yêu cầu."
    );

    let page = c.get("/units/khong-co-don-vi-nay").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.headers[axum::http::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page.body.contains("Không thực hiện được"), "{}", page.body);
    assert!(page
        .body
        .contains("Không tìm thấy trang hoặc dữ liệu yêu cầu."));
}
