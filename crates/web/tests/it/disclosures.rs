//! Public disclosure over HTTP (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP): an
//! officer publishes a CSTĐ toàn quốc dossier held at its level; the public
//! page renders without login and never shows the CCCD or the birth date; a
//! comment posted anonymously (with the CSRF token, refused without) stays
//! hidden until the officer approves it; readers may not moderate; one
//! address is held back after the limit.

use axum::http::StatusCode;
use tdkt_core::throttle::COMMENT_LIMIT;
use tdkt_web::testing::TestApp;

const PERSON: &str = "092191938273"; // Bùi Thị Hồng Nhung, Sở Xây dựng Cần Thơ

async fn accounts(app: &TestApp) {
    app.db
        .add_officer("canbo.soxd", "Cán bộ Sở Xây dựng", "can-tho.so-xay-dung")
        .await;
}

/// Opens the dossier and publishes it; the public page's path.
async fn published(app: &TestApp) -> (String, i64) {
    accounts(app).await;
    let mut so = app.login("canbo.soxd").await;
    let r = so
        .post_form(
            "/dossiers",
            &[
                ("unit", "can-tho.so-xay-dung"),
                ("award", "chien-si-thi-dua-toan-quoc"),
                ("kind", "individual"),
                ("year", "2025"),
                (
                    "received_on",
                    &tdkt_core::date::format_vn(tdkt_core::date::today_vn()),
                ),
                ("title", "CSTĐ toàn quốc năm 2025"),
                ("recipients", PERSON),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r
        .landing()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let form = so.get(&format!("/disclosures/new?dossier={id}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(&format!("summary_{id}")));
    let summary = format!("summary_{id}");
    let r = so
        .post_form(
            "/disclosures",
            &[
                (
                    "title",
                    "Công khai danh sách đề nghị Chiến sĩ thi đua toàn quốc",
                ),
                ("starts_on", ""),
                ("ends_on", ""),
                ("dossier", &id.to_string()),
                (
                    &summary,
                    "Ba năm liền Chiến sĩ thi đua thành phố; hai sáng kiến cấp thành phố.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    (r.landing().unwrap().to_owned(), id)
}

#[tokio::test]
async fn the_public_page_renders_without_login_and_never_shows_a_cccd_or_birth_date() {
    let app = TestApp::demo().await;
    let (url, id) = published(&app).await;
    let mut public = app.client();
    let list = public.get("/cong-khai").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Chiến sĩ thi đua toàn quốc"),
        "{}",
        list.body
    );
    let page = public.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Bùi Thị Hồng Nhung"));
    assert!(page.body.contains("Sở Xây dựng"));
    assert!(page.body.contains("hai sáng kiến cấp thành phố"));
    assert!(page.body.contains("Gửi ý kiến"));
    let person = app.db.store.person_by_cccd(PERSON).await.unwrap().unwrap();
    assert!(!page.body.contains(PERSON));
    assert!(
        !page
            .body
            .contains(&format!("*{}", &PERSON[PERSON.len() - 3..])),
        "a masked CCCD on the public page"
    );
    assert!(!page
        .body
        .contains(&tdkt_core::date::format_vn(person.birth_date)));
    assert!(!page.body.contains(&person.birth_date.to_string()));
    // the dossier page says where the disclosure stands
    let mut so = app.login("canbo.soxd").await;
    let d = so.get(&format!("/dossiers/{id}")).await;
    assert!(d.body.contains("Đang công khai"), "{}", d.body);
    assert!(d.body.contains("Không nhận được ý kiến nào"));
    // an unknown disclosure is not found
    assert_eq!(
        public.get("/cong-khai/999999").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_comment_posts_anonymously_and_shows_only_once_approved() {
    let app = TestApp::demo().await;
    let (url, id) = published(&app).await;
    let post = format!("{url}/y-kien");
    let mut public = app.client();
    public.ensure_csrf().await;

    // without the CSRF token: refused
    let r = public
        .post_form_without_csrf(&post, &[("dossier", &id.to_string()), ("comment", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // without text: refused, naming the field
    let r = public
        .post_form(&post, &[("dossier", &id.to_string()), ("comment", " ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Chưa nhập nội dung ý kiến"), "{}", r.body);

    let text = "Chị Nhung luôn tận tụy với công việc được giao.";
    let r = public
        .post_form(
            &post,
            &[
                ("dossier", &id.to_string()),
                ("comment", text),
                ("author", "Trần Văn Bình"),
                ("contact", "0912345678"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = public.get(r.landing().unwrap()).await;
    assert!(page.body.contains("Đã gửi ý kiến"));
    assert!(!page.body.contains(text), "a pending comment is public");

    // the officer sees it pending, with the contact; a viewer may not moderate
    let mut so = app.login("canbo.soxd").await;
    let m = so.get("/disclosures").await;
    assert!(
        m.body.contains(text) && m.body.contains("0912345678"),
        "{}",
        m.body
    );
    let c = app.db.store.dossier_comments(id).await.unwrap().remove(0);
    let mut viewer = app.login("xem.cantho").await;
    let r = viewer
        .post_form(
            &format!("/disclosures/comments/{}", c.id),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = so
        .post_form(
            &format!("/disclosures/comments/{}", c.id),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = public.get(&url).await;
    assert!(page.body.contains(text));
    assert!(page.body.contains("Trần Văn Bình"));
    assert!(
        !page.body.contains("0912345678"),
        "the contact is never public"
    );
    let d = so.get(&format!("/dossiers/{id}")).await;
    assert!(
        d.body.contains("Nhận 1 ý kiến: 1 ý kiến được chấp nhận"),
        "{}",
        d.body
    );

    // the same address is held back after the limit
    let mut last = StatusCode::OK;
    for i in 1..=COMMENT_LIMIT {
        let r = public
            .post_form(
                &post,
                &[
                    ("dossier", &id.to_string()),
                    ("comment", &format!("Ý kiến số {i}")),
                ],
            )
            .await;
        last = r.status;
        if i < COMMENT_LIMIT {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "comment {i}: {}", r.body);
        } else {
            assert!(r.body.contains("Ý kiến số"), "the typed text is kept");
            assert!(r.body.contains("quá"), "{}", r.body);
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}
