//! The audit page as an auditor reads it (issue 15 item 7): Vietnamese names
//! of what was done, Việt Nam time to the minute, no raw JSON, filters and
//! pages of 50; and only for those who may read the log.

use axum::http::StatusCode;
use tdkt_web::testing::TestApp;

#[tokio::test]
async fn the_audit_log_reads_in_vietnamese_pages_of_fifty_and_filters_by_who_and_what() {
    let app = TestApp::demo().await;
    let mut admin = app.login("admin").await;
    let r = admin.get("/admin/audit").await;
    assert_eq!(r.status, StatusCode::OK);
    let body = &r.body;
    assert!(body.contains("Chuỗi băm toàn vẹn"), "{body}");
    // the newest events are the demo dossiers' (issue 14): Vietnamese too
    assert!(body.contains("Tạo mới · "), "{body}");
    assert!(body.contains("sự kiện khớp bộ lọc"), "{body}");
    // no nanosecond ISO instant, no English action, no JSON braces on show
    assert!(!has_iso_instant(body), "{body}");
    assert!(
        !body.contains("\"create\"") && !body.contains(">create<"),
        "{body}"
    );
    assert!(!body.contains("{&quot;"), "{body}");
    let rows = body.matches("data-label=\"Thời điểm\"").count();
    assert_eq!(rows, 50, "one page of 50");
    let next = body
        .split("href=\"/admin/audit?truoc=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a link to the older events");
    let older = admin.get(&format!("/admin/audit?truoc={next}")).await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(older.body.contains("← Mới nhất"));

    let people = admin.get("/admin/audit?doi_tuong=person").await;
    assert!(people.body.contains("Tạo mới · Cá nhân"), "{}", people.body);
    assert!(!people.body.contains("· Đơn vị #"), "only people");
    let nobody = admin.get("/admin/audit?nguoi=kh%C3%B4ng-ai").await;
    assert!(
        nobody.body.contains("0 sự kiện khớp bộ lọc"),
        "{}",
        nobody.body
    );
    let bad = admin.get("/admin/audit?tu=31%2F02%2F2026").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("31/02/2026"), "{}", bad.body);

    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(
        viewer.get("/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
}

/// `2026-12-03T14:…` anywhere in the text.
fn has_iso_instant(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(13).any(|w| {
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        digits(0..4)
            && w[4] == b'-'
            && digits(5..7)
            && w[7] == b'-'
            && digits(8..10)
            && w[10] == b'T'
            && digits(11..13)
    })
}
