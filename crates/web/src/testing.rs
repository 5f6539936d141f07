//! Test support for HTTP tests in any crate: the app over a fresh database
//! (either backend, see `tdkt_store::testing`), called in-process with
//! `oneshot`, and a cookie-keeping client that handles login and CSRF.
//! Built only with the `testing` feature (see `tdkt_store::testing`).

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use tdkt_store::testing::TestDb;
use tower::ServiceExt;

use crate::{app, AppState};

pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for binary downloads (DOCX, PDF, XLSX).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    #[must_use]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    #[must_use]
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// Where a redirect lands, without the one-shot confirmation that ends
    /// it (`?luu=…` of `routes::saved`): the address of what was saved, for
    /// tests that read an id from it or go on from it. A location with a
    /// `#section` after the flag is returned whole.
    #[must_use]
    pub fn landing(&self) -> Option<&str> {
        let l = self.location()?;
        Some(
            l.rfind("luu=")
                .filter(|&i| i > 0 && matches!(&l[i - 1..i], "?" | "&"))
                .filter(|&i| !l[i..].contains(['#', '&']))
                .map_or(l, |i| &l[..i - 1]),
        )
    }
}

/// Attachments kept in memory, with the default size limit.
#[must_use]
pub fn memory_attachments() -> std::sync::Arc<tdkt_store::attachments::Attachments> {
    std::sync::Arc::new(tdkt_store::attachments::Attachments::with_store(
        std::sync::Arc::new(object_store::memory::InMemory::new()),
        tdkt_store::attachments::DEFAULT_MAX_BYTES,
    ))
}

impl TestApp {
    pub async fn new() -> Self {
        Self::from_db(TestDb::new().await)
    }

    /// With the demo data (units, 2025 mergers, people, one account per role).
    pub async fn demo() -> Self {
        Self::from_db(TestDb::with_demo().await)
    }

    #[must_use]
    pub fn from_db(db: TestDb) -> Self {
        let router = app(AppState {
            store: db.store.clone(),
            secure_cookies: false,
            imports: crate::routes::award_import::Jobs::default(),
            public_url: crate::DEFAULT_PUBLIC_URL.to_owned(),
            attachments: memory_attachments(),
            trusted_proxies: Vec::new(),
        });
        Self { db, router }
    }

    /// An anonymous client (holds the CSRF cookie once it has one).
    #[must_use]
    pub fn client(&self) -> Client<'_> {
        Client {
            app: self,
            cookies: Vec::new(),
        }
    }

    /// The id of account `username` (ballot voters are chosen by id).
    ///
    /// # Panics
    /// No such account.
    pub async fn account_id(&self, username: &str) -> i64 {
        self.db
            .store
            .accounts()
            .await
            .expect("accounts")
            .into_iter()
            .find(|a| a.username == username)
            .unwrap_or_else(|| panic!("no account {username}"))
            .id
    }

    /// Form fields choosing `usernames` as a ballot's voters.
    pub async fn voter_fields(&self, usernames: &[&str]) -> Vec<(&'static str, String)> {
        let mut v = Vec::new();
        for u in usernames {
            v.push(("voter", self.account_id(u).await.to_string()));
        }
        v
    }

    /// A client signed in as `username` with the demo password.
    ///
    /// # Panics
    /// When the login fails.
    pub async fn login(&self, username: &str) -> Client<'_> {
        let mut c = self.client();
        let r = c.login(username, tdkt_store::demo::DEMO_PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login {username}: {}",
            r.body
        );
        c
    }
}

pub struct Client<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
}

impl Client<'_> {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    #[must_use]
    pub fn csrf(&self) -> String {
        self.cookies
            .iter()
            .find(|(k, _)| k == crate::csrf::CSRF_COOKIE)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Sets (or replaces) a cookie as a client could, to prove what the
    /// server does with values it did not issue.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.retain(|(k, _)| k != name);
        self.cookies.push((name.to_owned(), value.to_owned()));
    }

    /// Sends a request with this client's cookies and keeps the ones set.
    pub async fn send(&mut self, req: Request<Body>) -> TestResponse {
        let (status, headers, bytes) = self.send_bytes(req).await;
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    /// As [`Client::send`], with the body as bytes (downloads).
    ///
    /// # Panics
    /// When the request cannot be sent or its body read.
    pub async fn send_bytes(&mut self, mut req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        if !self.cookies.is_empty() {
            req.headers_mut().insert(
                header::COOKIE,
                self.cookie_header().parse().expect("cookie header"),
            );
        }
        let resp = self
            .app
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        for sc in headers.get_all(header::SET_COOKIE) {
            let Some((kv, _)) = sc.to_str().unwrap_or_default().split_once(';') else {
                continue;
            };
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            self.cookies.retain(|(ek, _)| ek != k);
            if !v.is_empty() {
                self.cookies.push((k.to_owned(), v.to_owned()));
            }
        }
        let body = to_bytes(resp.into_body(), usize::MAX).await.expect("body");
        (status, headers, body.to_vec())
    }

    /// Posts one file as `multipart/form-data` (field `file`) with `fields`,
    /// the CSRF token in the query string as the upload forms carry it.
    ///
    /// # Panics
    /// When the request cannot be built (a bad path or header).
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
    ) -> TestResponse {
        self.ensure_csrf().await;
        let boundary = "----tdkt-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let sep = if path.contains('?') { '&' } else { '?' };
        let uri = format!("{path}{sep}{}={}", crate::csrf::CSRF_FIELD, self.csrf());
        let req = Request::post(uri)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Makes sure a CSRF cookie is held (as a browser would after any page).
    pub async fn ensure_csrf(&mut self) {
        if self.csrf().is_empty() {
            self.get("/login").await;
        }
    }

    /// Gets a page or an API resource.
    ///
    /// # Panics
    /// When the request cannot be built (a bad path or header).
    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    /// Posts a form with the CSRF token added.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        self.ensure_csrf().await;
        let csrf = self.csrf();
        let mut all = vec![(crate::csrf::CSRF_FIELD, csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form_without_csrf(path, &all).await
    }

    /// Posts exactly `fields`, without adding a CSRF token (to prove a form
    /// without one is refused).
    ///
    /// # Panics
    /// When the request cannot be built (a bad path or header).
    pub async fn post_form_without_csrf(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            body.append_pair(k, v);
        }
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.finish()))
            .expect("request");
        self.send(req).await
    }

    /// Sends JSON with the CSRF header.
    ///
    /// # Panics
    /// When the request cannot be built (a bad path or header).
    pub async fn json(
        &mut self,
        method: Method,
        path: &str,
        value: &serde_json::Value,
    ) -> TestResponse {
        self.ensure_csrf().await;
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(crate::csrf::CSRF_HEADER, self.csrf())
            .body(Body::from(value.to_string()))
            .expect("request");
        self.send(req).await
    }

    pub async fn login(&mut self, username: &str, password: &str) -> TestResponse {
        self.post_form(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await
    }
}
