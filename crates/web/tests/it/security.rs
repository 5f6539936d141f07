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

/// Inline `<script>` blocks (a `<script` tag without `src=`), inline event
/// handlers and `javascript:` links: what the CSP now refuses to run.
fn inline_script(html: &str) -> Option<String> {
    let lower = html.to_lowercase();
    for (i, _) in lower.match_indices("<script") {
        let tag_end = lower[i..].find('>').map_or(lower.len(), |e| i + e);
        if !lower[i..tag_end].contains(" src=") {
            return Some(html[i..tag_end.min(i + 120)].to_owned());
        }
    }
    if let Some(i) = lower.find("javascript:") {
        return Some(html[i.saturating_sub(40)..(i + 40).min(html.len())].to_owned());
    }
    for ev in [
        " onclick=",
        " onload=",
        " onchange=",
        " onsubmit=",
        " oninput=",
        " onerror=",
    ] {
        if let Some(i) = lower.find(ev) {
            return Some(html[i..(i + 60).min(html.len())].to_owned());
        }
    }
    None
}

#[tokio::test]
async fn pages_and_api_answers_carry_the_security_headers_and_static_files_stay_cacheable() {
    let app = TestApp::demo().await;
    let mut c = app.login("admin").await;
    for path in [
        "/",
        "/units",
        "/login",
        "/scoring",
        "/no-such-page",
        "/api/v1/units",
        "/api/v1/me",
    ] {
        let r = c.get(path).await;
        let h = |name: &str| {
            r.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = h("content-security-policy");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.contains("script-src 'self' 'unsafe-inline'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "same-origin", "{path}");
        assert_eq!(h("cache-control"), "no-store", "{path}");
        assert_eq!(
            h("strict-transport-security"),
            "",
            "{path}: plain HTTP, no HSTS"
        );
        if !path.starts_with("/api/") {
            assert_eq!(inline_script(&r.body), None, "{path} has inline script");
        }
    }
    for path in ["/static/app.css", "/static/app.js"] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let cache = r.headers.get("cache-control").unwrap().to_str().unwrap();
        assert!(cache.starts_with("public"), "{path}: {cache}");
        assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
    }
    // The pages that had inline script: the rubric form and an error page.
    let rubric = c.get("/scoring").await;
    assert!(rubric.body.contains("xlsx-file") && rubric.body.contains("/static/app.js"));
}

#[tokio::test]
async fn hsts_is_sent_when_cookies_are_secure() {
    let db = tdkt_store::testing::TestDb::new().await;
    let router = tdkt_web::app(tdkt_web::AppState {
        store: db.store.clone(),
        secure_cookies: true,
        imports: tdkt_web::routes::award_import::Jobs::default(),
        trusted_proxies: Vec::new(),
        public_url: tdkt_web::DEFAULT_PUBLIC_URL.to_owned(),
        attachments: tdkt_web::testing::memory_attachments(),
    });
    let app = TestApp { db, router };
    let r = app.client().get("/login").await;
    assert_eq!(
        r.headers.get("strict-transport-security").unwrap(),
        tdkt_web::headers::HSTS
    );
}

async fn new_unit(
    c: &mut tdkt_web::testing::Client<'_>,
    code: &str,
) -> tdkt_web::testing::TestResponse {
    c.post_form(
        "/units",
        &[
            ("code", code),
            ("name", "Phòng thử"),
            ("kind", "phong"),
            ("parent", "hau-giang"),
            ("valid_from", "2020-01-01"),
        ],
    )
    .await
}

#[tokio::test]
async fn a_csrf_token_the_client_made_up_is_refused() {
    let app = TestApp::demo().await;
    let made_up = "a".repeat(43);
    // before login: the login form itself
    let mut anon = app.client();
    anon.set_cookie(tdkt_web::csrf::CSRF_COOKIE, &made_up);
    let r = anon
        .post_form(
            "/login",
            &[
                ("username", "admin"),
                ("password", tdkt_store::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // signed in: cookie and field agree, but the server did not issue it
    let mut c = app.login("admin").await;
    for fake in [
        made_up.clone(),
        format!("{made_up}.{made_up}"),
        "x.y".to_owned(),
    ] {
        c.set_cookie(tdkt_web::csrf::CSRF_COOKIE, &fake);
        let r = new_unit(&mut c, "thu-csrf").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{fake}: {}", r.body);
    }
    assert!(app.db.store.unit_by_code("thu-csrf").await.is_err());
    // the next page hands out a real token again, which works
    c.get("/units").await;
    let r = new_unit(&mut c, "thu-csrf").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_csrf_token_from_before_login_is_refused_after_login() {
    let app = TestApp::demo().await;
    let mut c = app.client();
    c.get("/login").await;
    let before = c.csrf();
    assert!(!before.is_empty());
    let r = c.login("admin", tdkt_store::demo::DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = c.csrf();
    assert_ne!(before, after, "login rotates the token");
    c.set_cookie(tdkt_web::csrf::CSRF_COOKIE, &before);
    assert_eq!(
        new_unit(&mut c, "thu-truoc").await.status,
        StatusCode::FORBIDDEN
    );
    c.set_cookie(tdkt_web::csrf::CSRF_COOKIE, &after);
    assert_eq!(
        new_unit(&mut c, "thu-sau").await.status,
        StatusCode::SEE_OTHER
    );
    // logout rotates it again: the signed-in token no longer verifies
    let r = c.post_form("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_ne!(c.csrf(), after);
    assert!(!tdkt_web::csrf::verify(
        app.db.store.secrets(),
        &after,
        None
    ));
}

#[tokio::test]
async fn a_csrf_token_from_another_session_is_refused() {
    let app = TestApp::demo().await;
    let mut a = app.login("admin").await;
    let mut b = app.login("admin").await;
    let token_a = a.csrf();
    b.set_cookie(tdkt_web::csrf::CSRF_COOKIE, &token_a);
    assert_eq!(
        new_unit(&mut b, "thu-khac").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        new_unit(&mut a, "thu-khac").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn searches_and_api_reads_are_limited_per_account_with_a_vietnamese_429() {
    use tdkt_core::throttle::SEARCH_LIMIT;
    let app = TestApp::demo().await;
    let mut c = app.login("canbo.cantho").await;
    for i in 0..SEARCH_LIMIT {
        let path = match i % 3 {
            0 => "/api/v1/me",
            1 => "/people?q=ha",
            _ => "/search?q=ha",
        };
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "request {i} {path}: {}", r.body);
    }
    let api = c.get("/api/v1/people?q=ha").await;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        api.headers.get("content-type").unwrap(),
        "application/problem+json"
    );
    assert!(api.json()["detail"]
        .as_str()
        .unwrap()
        .contains("thử lại sau"));
    let wait: i64 = api
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let page = c.get("/search?q=ha").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("lượt tra cứu"), "{}", page.body);
    // pages that are not searches, and other accounts, are not limited
    assert_eq!(c.get("/units").await.status, StatusCode::OK);
    let mut other = app.login("canbo.haugiang").await;
    assert_eq!(other.get("/api/v1/me").await.status, StatusCode::OK);
}
