//! Proposal lists over HTTP: an officer drafts, fills and submits a list
//! under the unit; viewers read but may not write (403), officers of another
//! province get 404, a list is not reachable under another unit, forms need
//! the CSRF token, and a nominee the engine finds not eligible is refused by
//! name. Quota refusals are tested in the store with a test pack (the
//! shipped packs set no quota, see docs/rules.md).

use axum::http::StatusCode;
use tdkt_core::eligibility::Rating;
use tdkt_store::ratings::Subject;
use tdkt_web::testing::{Client, TestApp};

const UNIT: &str = "hau-giang.so-xay-dung";

/// Hà rated tốt for 2024, Bình không hoàn thành; returns their ids.
async fn arrange(app: &TestApp) -> (i64, i64) {
    let s = &app.db.store;
    let ha = s.person_by_cccd("093182124906").await.unwrap().unwrap().id;
    let binh = s.person_by_cccd("093075335003").await.unwrap().unwrap().id;
    s.record_rating("test", Subject::Person(ha), 2024, Rating::HoanThanhTot, "")
        .await
        .unwrap();
    s.record_rating(
        "test",
        Subject::Person(binh),
        2024,
        Rating::KhongHoanThanh,
        "",
    )
    .await
    .unwrap();
    (ha, binh)
}

/// Creates the LĐTT 2024 list as `c` and returns its page path.
async fn new_list(c: &mut Client<'_>) -> String {
    let r = c
        .post_form(
            &format!("/units/{UNIT}/proposals"),
            &[
                ("year", "2024"),
                ("award", "lao-dong-tien-tien"),
                ("kind", "person"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.landing().unwrap().to_owned()
}

#[tokio::test]
async fn an_officer_drafts_checks_and_submits_a_list() {
    let app = TestApp::demo().await;
    let (ha, binh) = arrange(&app).await;
    let mut c = app.login("canbo.haugiang").await;
    let unit_page = c.get(&format!("/units/{UNIT}")).await;
    assert!(unit_page.body.contains(&format!("/units/{UNIT}/proposals")));
    let url = new_list(&mut c).await;
    for id in [ha, binh] {
        let r = c
            .post_form(&format!("{url}/entries"), &[("nominee", &id.to_string())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = c.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Trần Thị Hà") && page.body.contains("Nguyễn Văn Bình"));
    assert!(
        page.body.contains("Điều 24 Luật TĐKT 2022"),
        "clauses with citations"
    );
    assert!(page.body.contains("không đặt tỷ lệ tối đa"));
    // Bình is not eligible: the list is refused, naming him and the clause
    let r = c.post_form(&format!("{url}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("Nguyễn Văn Bình: chưa đủ điều kiện"),
        "{}",
        r.body
    );
    let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    let api = c.get(&format!("/api/v1/units/{UNIT}/proposals/{id}")).await;
    assert_eq!(api.status, StatusCode::OK);
    let v = api.json();
    assert_eq!(v["list"]["status"], "draft");
    assert_eq!(v["quota"]["proposed"], 2);
    assert!(v["refusals"][0]
        .as_str()
        .unwrap()
        .contains("Nguyễn Văn Bình"));
    let bad = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"]["name"] == "Nguyễn Văn Bình")
        .unwrap();
    assert_eq!(bad["explanation"]["verdict"], "not-eligible");
    let entry = bad["entry"]["id"].as_i64().unwrap();
    // a vote with more yes than members is refused with the field
    let r = c
        .post_form(
            &format!("{url}/entries/{entry}/vote"),
            &[("source", "minutes"), ("yes", "9"), ("base", "7")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("lớn hơn tổng số phiếu"), "{}", r.body);
    let r = c
        .post_form(&format!("{url}/entries/{entry}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = c.post_form(&format!("{url}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(&url).await;
    assert!(page.body.contains("đã trình"), "{}", page.body);
    assert!(
        !page.body.contains("Trình danh sách"),
        "no submit button once submitted"
    );
    // frozen
    let r = c
        .post_form(&format!("{url}/entries"), &[("nominee", &binh.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn viewers_get_403_other_provinces_404_and_forms_need_the_csrf_token() {
    let app = TestApp::demo().await;
    let (ha, _) = arrange(&app).await;
    let mut officer = app.login("canbo.haugiang").await;
    let url = new_list(&mut officer).await;
    let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();

    // Cần Thơ's viewer reads Hậu Giang (merged into Cần Thơ) but may not write
    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(viewer.get(&url).await.status, StatusCode::OK);
    assert_eq!(
        viewer.get(&format!("/units/{UNIT}/proposals")).await.status,
        StatusCode::OK
    );
    for (path, fields) in [
        (
            format!("/units/{UNIT}/proposals"),
            vec![
                ("year", "2024"),
                ("award", "chien-si-thi-dua-co-so"),
                ("kind", "person"),
            ],
        ),
        (format!("{url}/entries"), vec![("nominee", "1")]),
        (format!("{url}/submit"), vec![]),
    ] {
        let r = viewer.post_form(&path, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
    }
    // Sóc Trăng's officer does not see Hậu Giang at all
    let mut other = app.login("canbo.soctrang").await;
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other
            .get(&format!("/api/v1/units/{UNIT}/proposals/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = other
        .post_form(&format!("{url}/entries"), &[("nominee", &ha.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // the list is not reachable under another unit, even one in scope
    assert_eq!(
        officer
            .get(&format!("/units/hau-giang.so-noi-vu/proposals/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // anonymous: sign in
    let mut anon = app.client();
    assert_eq!(
        anon.get(&format!("/api/v1/units/{UNIT}/proposals/{id}"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // no CSRF token: refused, nothing added
    let r = officer
        .post_form_without_csrf(&format!("{url}/entries"), &[("nominee", &ha.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.db.store.proposal_entries(id).await.unwrap().is_empty());
}
