//! Certificates, their public verification and revocation over HTTP
//! (issue 14). Both backends (see `tdkt_store::testing`).

use axum::http::StatusCode;
use tdkt_core::certificate::seal;
use tdkt_store::awards::{AwardFilter, AwardRecord};
use tdkt_web::testing::TestApp;

/// Trần Thị Hà's Bằng khen cấp tỉnh of the demo data (2145/QĐ-UBND,
/// Hậu Giang).
async fn bang_khen(app: &TestApp) -> AwardRecord {
    app.db
        .store
        .search_awards(&AwardFilter {
            q: "2145/QĐ-UBND".into(),
            limit: 5,
            ..AwardFilter::default()
        })
        .await
        .unwrap()
        .remove(0)
}

fn code_of(pdf: &[u8]) -> String {
    seal::open(pdf).unwrap().codes[0].clone()
}

#[tokio::test]
async fn an_officer_prints_a_signed_certificate_that_the_public_page_confirms() {
    let app = TestApp::demo().await;
    let r = bang_khen(&app).await;
    let mut hg = app.login("canbo.haugiang").await;
    let page = hg.get(&format!("/awards/{}", r.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("In giấy chứng nhận"));
    let pdf = hg.get(&format!("/awards/{}/certificate.pdf", r.id)).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let key = app.db.store.secrets().certificate_public_key();
    let codes = seal::verify(&pdf.bytes, &key).unwrap();
    // a reprint carries the same code
    let again = hg.get(&format!("/awards/{}/certificate.pdf", r.id)).await;
    assert_eq!(code_of(&again.bytes), codes[0]);

    let mut anon = app.client();
    let public = anon.get(&format!("/xac-minh/{}", codes[0])).await;
    assert_eq!(public.status, StatusCode::OK);
    for s in ["Còn hiệu lực", "Trần Thị Hà", "2145/QĐ-UBND", "Sở Xây dựng"] {
        assert!(public.body.contains(s), "missing {s}: {}", public.body);
    }
    // never the CCCD, not even masked
    assert!(!public.body.contains("093182124906"));
    assert!(!public.body.contains(r.cccd_masked.as_deref().unwrap()));
    // typed in lower case, without dashes: redirected to the code as printed
    let typed = codes[0].to_lowercase().replace('-', "");
    let r2 = anon.get(&format!("/xac-minh/tra-cuu?ma={typed}")).await;
    assert_eq!(r2.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r2.location(),
        Some(format!("/xac-minh/{}", codes[0]).as_str())
    );
    let unknown = anon.get("/xac-minh/0000-0000-0000-0000").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Không tìm thấy giấy chứng nhận"));
}

#[tokio::test]
async fn printing_and_revoking_are_for_officers_in_scope_only() {
    let app = TestApp::demo().await;
    let r = bang_khen(&app).await;
    let mut st = app.login("canbo.soctrang").await;
    for path in [
        format!("/awards/{}", r.id),
        format!("/awards/{}/certificate.pdf", r.id),
        format!("/awards/{}/revoke", r.id),
    ] {
        assert_eq!(st.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let post = st
        .post_form(
            &format!("/awards/{}/revoke", r.id),
            &[
                ("ground", "lam-gia-ho-so"),
                ("decision_no", "1/QĐ"),
                ("decision_date", "2026-01-05"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(
        viewer.get(&format!("/awards/{}", r.id)).await.status,
        StatusCode::OK
    );
    for path in [
        format!("/awards/{}/certificate.pdf", r.id),
        format!("/awards/{}/revoke", r.id),
        format!("/awards/{}/correct", r.id),
    ] {
        assert_eq!(
            viewer.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let mut anon = app.client();
    assert_eq!(
        anon.get(&format!("/awards/{}/certificate.pdf", r.id))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.db.store.award_record(r.id).await.unwrap().status,
        "valid"
    );
}

#[tokio::test]
async fn a_revocation_flips_the_verification_page_and_a_second_one_is_refused() {
    let app = TestApp::demo().await;
    let r = bang_khen(&app).await;
    let mut hg = app.login("canbo.haugiang").await;
    let pdf = hg.get(&format!("/awards/{}/certificate.pdf", r.id)).await;
    let code = code_of(&pdf.bytes);

    let form = hg.get(&format!("/awards/{}/revoke", r.id)).await;
    assert!(form.body.contains("điểm b khoản 2 Điều 93 Luật TĐKT 2022"));
    // stripping is for State honorary titles only: not offered for a Bằng khen
    assert!(!form.body.contains("tuoc-danh-hieu-vinh-du"));
    let fields = [
        ("ground", "lam-gia-ho-so"),
        ("decision_no", "35/QĐ-UBND"),
        ("decision_date", "2026-01-05"),
        ("reason", "Hồ sơ thành tích bị làm giả"),
    ];
    let done = hg
        .post_form(&format!("/awards/{}/revoke", r.id), &fields)
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = hg.get(&format!("/awards/{}", r.id)).await;
    assert!(
        page.body
            .contains("đã hủy bỏ theo Quyết định số 35/QĐ-UBND ngày 05/01/2026"),
        "{}",
        page.body
    );

    let public = app.client().get(&format!("/xac-minh/{code}")).await;
    assert!(public.body.contains("Đã bị hủy bỏ"));
    assert!(public.body.contains("35/QĐ-UBND"));
    assert!(!public.body.contains("Còn hiệu lực"));

    let again = hg
        .post_form(
            &format!("/awards/{}/revoke", r.id),
            &[
                ("ground", "lam-gia-ho-so"),
                ("decision_no", "36/QĐ-UBND"),
                ("decision_date", "2026-01-05"),
                ("reason", "lần nữa"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again
            .body
            .contains("đã bị hủy bỏ theo Quyết định số 35/QĐ-UBND"),
        "{}",
        again.body
    );
    assert!(again.body.contains("không thể hủy bỏ lần nữa"));
    // a revoked record is not printed any more
    let refused = hg.get(&format!("/awards/{}/certificate.pdf", r.id)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // the registry lists say so too
    let search = hg.get("/search?q=2145%2FQĐ-UBND").await;
    assert!(search
        .body
        .contains("đã hủy bỏ theo Quyết định số 35/QĐ-UBND"));
}

#[tokio::test]
async fn a_refused_revocation_comes_back_with_the_reason_and_changes_nothing() {
    let app = TestApp::demo().await;
    let r = bang_khen(&app).await;
    let mut hg = app.login("canbo.haugiang").await;
    let bad = hg
        .post_form(
            &format!("/awards/{}/revoke", r.id),
            &[
                ("ground", "lam-gia-ho-so"),
                ("decision_no", "35/QĐ-UBND"),
                ("decision_date", "2020-01-05"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("trước ngày quyết định khen thưởng"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"35/QĐ-UBND\""));
    assert_eq!(
        app.db.store.award_record(r.id).await.unwrap().status,
        "valid"
    );
}

#[tokio::test]
async fn an_uploaded_certificate_is_checked_and_a_changed_byte_is_caught() {
    let app = TestApp::demo().await;
    let r = bang_khen(&app).await;
    let mut hg = app.login("canbo.haugiang").await;
    let pdf = hg
        .get(&format!("/awards/{}/certificate.pdf", r.id))
        .await
        .bytes;
    let mut anon = app.client();
    let start = anon.get("/xac-minh").await;
    assert_eq!(start.status, StatusCode::OK);
    let ok = anon
        .post_file("/xac-minh/tep", &[], "bang-khen.pdf", &pdf)
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("Còn hiệu lực") && ok.body.contains("Trần Thị Hà"));
    let mut changed = pdf.clone();
    let i = changed.len() / 2;
    changed[i] ^= 1;
    let bad = anon
        .post_file("/xac-minh/tep", &[], "bang-khen.pdf", &changed)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("tệp đã bị sửa"), "{}", bad.body);
    let mut appended = pdf.clone();
    appended.extend_from_slice(b"% them\n");
    let bad = anon
        .post_file("/xac-minh/tep", &[], "bang-khen.pdf", &appended)
        .await;
    assert!(bad.body.contains("Không hợp lệ"));
}

#[tokio::test]
async fn the_public_key_is_published_with_how_to_check_offline() {
    let app = TestApp::demo().await;
    let key = app.db.store.secrets().certificate_public_key();
    let mut anon = app.client();
    let page = anon.get("/xac-minh/khoa-cong-khai").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&seal::key_id(&key)));
    assert!(page.body.contains("openssl pkeyutl -verify"));
    let pem = anon.get("/xac-minh/khoa-cong-khai.pem").await;
    assert_eq!(seal::parse_public_key(&pem.body).unwrap(), key);
}

#[tokio::test]
async fn a_decision_prints_onto_blanks_in_one_signed_file() {
    let app = TestApp::demo().await;
    let mut hg = app.login("canbo.haugiang").await;
    // 45/QĐ-SXD: two people of Sở Xây dựng Hậu Giang
    let pdf = hg
        .get("/awards/certificates.pdf?decision=45%2FQĐ-SXD&blank=1&offset_x=1,5&offset_y=-2")
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    let key = app.db.store.secrets().certificate_public_key();
    assert_eq!(seal::verify(&pdf.bytes, &key).unwrap().len(), 2);
    let bad = hg
        .get("/awards/certificates.pdf?decision=45%2FQĐ-SXD&blank=1&offset_x=90")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut st = app.login("canbo.soctrang").await;
    assert_eq!(
        st.get("/awards/certificates.pdf?decision=45%2FQĐ-SXD")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_correction_over_the_web_keeps_the_recipient_and_the_award() {
    let app = TestApp::demo().await;
    let r = bang_khen(&app).await;
    let mut hg = app.login("canbo.haugiang").await;
    let form = hg.get(&format!("/awards/{}/correct", r.id)).await;
    assert!(form.body.contains("value=\"2145/QĐ-UBND\""));
    let done = hg
        .post_form(
            &format!("/awards/{}/correct", r.id),
            &[
                ("year", "2021"),
                ("decision_no", "2154/QĐ-UBND"),
                ("decision_date", "2022-03-21"),
                ("authority", &r.authority),
                ("achievement", ""),
                ("reason", "gõ nhầm số quyết định"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let after = app.db.store.award_record(r.id).await.unwrap();
    assert_eq!(after.decision_no, "2154/QĐ-UBND");
    assert_eq!(
        (after.person_id, after.award_code),
        (r.person_id, r.award_code)
    );
    let no_reason = hg
        .post_form(
            &format!("/awards/{}/correct", r.id),
            &[
                ("year", "2021"),
                ("decision_no", "2155/QĐ-UBND"),
                ("decision_date", "2022-03-21"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("lý do đính chính"));
}
