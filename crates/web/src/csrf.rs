//! CSRF protection for every unsafe request: a token in an HttpOnly,
//! SameSite=Strict cookie that each form repeats in a hidden field
//! (`csrf_token`), each script in the `x-csrf-token` header, and each file
//! upload form in its action URL.
//!
//! Tokens are issued by the server and cannot be forged: `nonce.tag`, the
//! tag an HMAC (key derived from the master key, label `tdkt/csrf/v1`) over
//! a random nonce and the session cookie the client holds (none before
//! login). A token the client made up, one from before login, or one from
//! another session does not verify, so it is refused even when the cookie
//! and the field agree. Login and logout answer with a fresh token bound to
//! the new session (or to none).

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use tdkt_store::Secrets;

use crate::auth::{cookie, SESSION_COOKIE};
use crate::error::Audience;
use crate::{AppError, SharedState};

pub const CSRF_COOKIE: &str = "tdkt_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";
const MAX_FORM: usize = 2 * 1024 * 1024;

/// The token of this request, for forms to embed.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// The tag of `nonce` for the session cookie `session` (None: signed out).
fn tag(secrets: &Secrets, nonce: &str, session: Option<&str>) -> String {
    let binding = session.map_or(&b""[..], str::as_bytes);
    let kind: &[u8] = if session.is_some() {
        b"session"
    } else {
        b"anonymous"
    };
    URL_SAFE_NO_PAD.encode(secrets.csrf_tag(&[b"tdkt-csrf", kind, binding, nonce.as_bytes()]))
}

/// A fresh token for a client holding the session cookie `session`.
#[must_use]
pub fn issue(secrets: &Secrets, session: Option<&str>) -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    let nonce = URL_SAFE_NO_PAD.encode(b);
    let tag = tag(secrets, &nonce, session);
    format!("{nonce}.{tag}")
}

/// Was `token` issued by this server for the session cookie `session`?
#[must_use]
pub fn verify(secrets: &Secrets, token: &str, session: Option<&str>) -> bool {
    token
        .split_once('.')
        .is_some_and(|(nonce, t)| !nonce.is_empty() && same(t, &tag(secrets, nonce, session)))
}

/// The `Set-Cookie` value that hands `token` to the browser.
#[must_use]
pub fn set_cookie(token: &str, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .ok()
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
    let session = cookie(req.headers(), SESSION_COOKIE);
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let (mut resp, token) = check(&state, req, next).await;
    if let Some(crate::error::ErrorBody(body)) = resp.extensions_mut().remove() {
        if Audience::current() == Audience::Page {
            dress(&state, &mut resp, session.as_deref(), token, path, body).await;
        }
    }
    resp
}

/// Puts an error page's body inside the page with the navigation of the
/// signed-in user, as every other page has (issue 15). Which user is read
/// again from the session (the handler's lookup is gone with its request);
/// when that fails, the bare page stays.
async fn dress(
    state: &SharedState,
    resp: &mut Response,
    session: Option<&str>,
    csrf: String,
    path: String,
    body: maud::Markup,
) {
    let user = match session {
        Some(s) => match state.store.session(s).await {
            Ok(u) => u,
            Err(_) => return,
        },
        None => None,
    };
    // A refused address keeps no confirmation: `?luu=` on an error page
    // would announce a save that did not happen.
    let path = if crate::saved::message(&path).is_some() {
        path.split('?').next().unwrap_or("/").to_owned()
    } else {
        path
    };
    let ctx = crate::layout::Ctx {
        user: crate::auth::CurrentUser(user),
        csrf,
        path,
    };
    let page = ctx.page(crate::error::ERROR_TITLE, body);
    resp.headers_mut().remove(header::CONTENT_LENGTH);
    *resp.body_mut() = Body::from(page.into_string());
}

/// The check itself, and the response with the token the page was given.
async fn check(state: &SharedState, req: Request, next: Next) -> (Response, String) {
    let secrets = state.store.secrets();
    let session = cookie(req.headers(), SESSION_COOKIE);
    let existing =
        cookie(req.headers(), CSRF_COOKIE).filter(|t| verify(secrets, t, session.as_deref()));
    let token = existing
        .clone()
        .unwrap_or_else(|| issue(secrets, session.as_deref()));
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut req = req;
    if unsafe_method {
        let Some(expected) = existing.as_deref() else {
            return (AppError::Csrf.into_response(), token);
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
                    let refused = AppError::Invalid {
                        field: "body",
                        message: "Dữ liệu gửi lên quá lớn.".into(),
                    };
                    return (refused.into_response(), token);
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
            return (AppError::Csrf.into_response(), token);
        }
    }
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut resp = next.run(req).await;
    // login and logout set their own, bound to the new session
    let handler_set_one = resp.headers().get_all(header::SET_COOKIE).iter().any(|v| {
        v.as_bytes()
            .starts_with(format!("{CSRF_COOKIE}=").as_bytes())
    });
    if existing.is_none() && !handler_set_one {
        if let Some(v) = set_cookie(&token, state.secure_cookies) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    (resp, token)
}
