//! Monthly and quarterly evaluations on the person page: the form, the
//! summary next to the annual rating, the warning when the annual level
//! contradicts them, and who may enter them.

use axum::http::StatusCode;
use tdkt_web::testing::TestApp;

async fn person(app: &TestApp, cccd: &str) -> i64 {
    app.db.store.person_by_cccd(cccd).await.unwrap().unwrap().id
}

#[tokio::test]
async fn evaluations_are_entered_summarised_and_warned_about() {
    let app = TestApp::demo().await;
    let id = person(&app, "093182124906").await;
    let mut c = app.login("canbo.haugiang").await;
    for (period, level) in [
        ("01/2024", "hoan-thanh-tot"),
        ("02/2024", "khong-hoan-thanh"),
        ("Q2/2024", "hoan-thanh-tot"),
    ] {
        let r = c
            .post_form(
                &format!("/people/{id}/evaluations"),
                &[
                    ("period", period),
                    ("level", level),
                    ("note", "khoán sản phẩm"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{period}: {}", r.body);
    }
    let dup = c
        .post_form(
            &format!("/people/{id}/evaluations"),
            &[("period", "2024-01"), ("level", "hoan-thanh")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.body);
    assert!(dup.body.contains("tháng 1/2024"), "{}", dup.body);
    for (period, level, says) in [
        ("13/2024", "hoan-thanh", "tháng phải từ 1 đến 12"),
        ("05/2018", "hoan-thanh", "không công tác"),
        ("05/2024", "gioi", "không phải mức xếp loại"),
    ] {
        let r = c
            .post_form(
                &format!("/people/{id}/evaluations"),
                &[("period", period), ("level", level)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{period}");
        assert!(r.body.contains(says), "{period}: {}", r.body);
    }
    let r = c
        .post_form(
            &format!("/people/{id}/ratings"),
            &[("year", "2024"), ("rating", "hoan-thanh-xuat-sac")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "the annual level is the officer's: saved"
    );
    let page = c.get(&format!("/people/{id}/eligibility?year=2024")).await;
    assert!(page.body.contains("id=\"periodic-evaluations\""));
    assert!(page.body.contains("quý II/2024"));
    assert!(
        page.body
            .contains("1/12 tháng hoàn thành tốt nhiệm vụ trở lên"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"rating-hint\""));
    assert!(
        page.body
            .contains("⚠ Xếp loại năm 2024 «hoàn thành xuất sắc nhiệm vụ» trong khi tháng 2/2024"),
        "{}",
        page.body
    );

    // viewers may not, other provinces do not see, the CSRF token is needed
    let mut viewer = app.login("xem.cantho").await;
    let r = viewer
        .post_form(
            &format!("/people/{id}/evaluations"),
            &[("period", "03/2024"), ("level", "hoan-thanh")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut other = app.login("canbo.soctrang").await;
    let r = other
        .post_form(
            &format!("/people/{id}/evaluations"),
            &[("period", "03/2024"), ("level", "hoan-thanh")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = c
        .post_form_without_csrf(
            &format!("/people/{id}/evaluations"),
            &[("period", "03/2024"), ("level", "hoan-thanh")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.db.store.person_evaluations(id).await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_discipline_is_voided_with_a_reason_by_officers_in_scope_only() {
    let app = TestApp::demo().await;
    let id = person(&app, "093182124906").await;
    let mut c = app.login("canbo.haugiang").await;
    let r = c
        .post_form(
            &format!("/people/{id}/discipline"),
            &[
                ("level", "canh-cao"),
                ("decision_no", "5/QĐ-KL"),
                ("decision_date", "2024-05-02"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rid = app.db.store.person_disciplines(id).await.unwrap()[0].id;
    let url = format!("/people/{id}/discipline/{rid}/void");
    let page = c.get(&format!("/people/{id}/eligibility")).await;
    assert!(page.body.contains(&url), "the void form is on the page");
    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(
        viewer
            .post_form(&url, &[("reason", "nhập nhầm người")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut other = app.login("canbo.soctrang").await;
    assert_eq!(
        other
            .post_form(&url, &[("reason", "nhập nhầm người")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.post_form_without_csrf(&url, &[("reason", "nhập nhầm người")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let short = c.post_form(&url, &[("reason", "sai")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("lý do hủy"), "{}", short.body);
    // another person's path does not reach this record
    let binh = person(&app, "093075335003").await;
    let r = c
        .post_form(
            &format!("/people/{binh}/discipline/{rid}/void"),
            &[("reason", "nhập nhầm người")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.db.store.person_disciplines(id).await.unwrap().len(), 1);
    let r = c.post_form(&url, &[("reason", "nhập nhầm người")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(app
        .db
        .store
        .person_disciplines(id)
        .await
        .unwrap()
        .is_empty());
}
