//! Security properties of the web layer (issue 12): where a login may send
//! the browser next, response headers, cookies and CSRF tokens, login
//! throttling and per-account rate limits. Run on SQLite by default and on
//! PostgreSQL with `TDKT_TEST_DATABASE_URL=postgres://…`.

use axum::http::StatusCode;
use tdkt_web::testing::TestApp;

#[tokio::test]
async fn a_login_redirects_only_to_a_path_on_this_site() {
    let app = TestApp::demo().await;
    let cases = [
        ("/\t/evil.example", "/"),
        ("/\\/evil.example", "/"),
        ("/\\evil.example", "/"),
        ("//evil.example", "/"),
        ("///evil.example", "/"),
        ("https://evil.example", "/"),
        ("http:/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        (" /people", "/"),
        ("/%2F%2Fevil.example", "/"),
        ("/%2f/evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("/%252F%252Fevil.example", "/"),
        ("/%09/evil.example", "/"),
        ("/\r\n/evil.example", "/"),
        ("/x\u{7f}/evil.example", "/"),
        ("people", "/"),
        ("", "/"),
        ("/people?q=tr%E1%BA%A7n", "/people?q=tr%E1%BA%A7n"),
        ("/people?q=trần", "/people?q=tr%E1%BA%A7n"),
        ("/units/can-tho", "/units/can-tho"),
    ];
    for (next, expected) in cases {
        let mut c = app.client();
        let r = c
            .post_form(
                "/login",
                &[
                    ("username", "admin"),
                    ("password", tdkt_store::demo::DEMO_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}: {}", r.body);
        assert_eq!(r.location(), Some(expected), "next = {next:?}");
    }
}
