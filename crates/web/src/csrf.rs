//! CSRF protection for every unsafe request: a random token in an HttpOnly,
//! SameSite=Strict cookie that each form repeats in a hidden field
//! (`csrf_token`) or each script in the `x-csrf-token` header. A cross-site
//! page can neither read the cookie nor make the browser send it.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

use crate::auth::cookie;
use crate::error::Audience;
use crate::{AppError, SharedState};

pub const CSRF_COOKIE: &str = "tdkt_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";
const MAX_FORM: usize = 2 * 1024 * 1024;

/// The token of this request, for forms to embed.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

fn fresh() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// Constant-time comparison, so the token cannot be guessed byte by byte.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub async fn layer(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    Audience::of(req.uri().path())
        .scope(guard(state, req, next))
        .await
}

async fn guard(state: SharedState, req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE).filter(|t| t.len() >= 32);
    let token = existing.clone().unwrap_or_else(fresh);
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut req = req;
    if unsafe_method {
        let Some(expected) = existing.as_deref() else {
            return AppError::Csrf.into_response();
        };
        let from_header = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        let supplied = match (from_header, is_form) {
            (Some(h), _) => Some(h),
            (None, true) => {
                let (parts, body) = req.into_parts();
                let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
                    return AppError::Invalid {
                        field: "body",
                        message: "Dữ liệu gửi lên quá lớn.".into(),
                    }
                    .into_response();
                };
                let field = form_field(&bytes, CSRF_FIELD);
                req = Request::from_parts(parts, Body::from(bytes));
                field
            }
            // A file upload (multipart) cannot be read here without
            // buffering the file: its form repeats the token in the action
            // URL instead. The cookie is SameSite=Strict, so a token seen
            // in a URL still cannot be replayed from another site.
            (None, false) => req.uri().query().and_then(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == CSRF_FIELD)
                    .map(|(_, v)| v.into_owned())
            }),
        };
        if !supplied.is_some_and(|s| same(&s, expected)) {
            return AppError::Csrf.into_response();
        }
    }
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut resp = next.run(req).await;
    if existing.is_none() {
        let secure = if state.secure_cookies { "; Secure" } else { "" };
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
        )) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}
