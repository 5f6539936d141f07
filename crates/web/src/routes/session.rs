//! Signing in and out.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Form;
use axum::Router;
use maud::html;
use serde::Deserialize;
use tdkt_store::accounts::SESSION_TTL;

use crate::auth::{cookie, SESSION_COOKIE};
use crate::layout::{form_error, Ctx};
use crate::throttle::ClientAddr;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/login", get(form).post(login))
        .route("/logout", post(logout))
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// Where to go after signing in: only a path on this site, so the login
/// page cannot bounce a user to another host (open redirect). Browsers
/// drop tabs and newlines inside URLs and read `\\` as `/`, so
/// `/\t/evil.example` and `/\\evil.example` mean `//evil.example`, another
/// host: anything with a control character or a backslash, anything that
/// is not an absolute path, and any path whose start reads as `//` (also
/// once percent-decoded, for servers and proxies that decode) falls back
/// to `/`. Bytes outside printable ASCII are percent-encoded so the
/// `Location` header stays valid.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else {
        return "/".to_owned();
    };
    let path = n.split(['?', '#']).next().unwrap_or_default();
    // decoded until stable (bounded), so double encoding hides nothing
    let mut decoded = path.to_owned();
    for _ in 0..4 {
        let once = percent_decode(&decoded);
        if once == decoded {
            break;
        }
        decoded = once;
    }
    let unsafe_char = |c: char| c.is_control() || c == '\\';
    let ok = n.starts_with('/')
        && !n.chars().any(unsafe_char)
        && !decoded.chars().any(unsafe_char)
        && !decoded.starts_with("//");
    if !ok {
        return "/".to_owned();
    }
    let mut out = String::with_capacity(n.len());
    for b in n.bytes() {
        if (0x21..0x7f).contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%XX` sequences decoded (invalid ones kept as they are), lossy UTF-8.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| char::from(c).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn render(ctx: &Ctx, username: &str, next: &str, err: Option<&AppError>) -> maud::Markup {
    ctx.page(
        "Đăng nhập",
        html! {
            section.card style="max-width:26rem;margin:2rem auto" {
                h1 { "Đăng nhập" }
                (form_error(err))
                form.stack method="post" action="/login" {
                    (ctx.csrf_field())
                    input type="hidden" name="next" value=(next);
                    label { "Tên đăng nhập" input name="username" autocomplete="username" required value=(username); }
                    label { "Mật khẩu" input name="password" type="password" autocomplete="current-password" required; }
                    button type="submit" { "Đăng nhập" }
                }
            }
        },
    )
}

async fn form(ctx: Ctx, Query(q): Query<NextQuery>) -> maud::Markup {
    render(&ctx, "", &safe_next(q.next.as_deref()), None)
}

async fn login(
    State(state): State<SharedState>,
    ctx: Ctx,
    ClientAddr(client): ClientAddr,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let now = time::OffsetDateTime::now_utc();
    match state
        .store
        .login(&f.username, &f.password, &client, now)
        .await
    {
        Ok((token, _)) => {
            let secure = if state.secure_cookies { "; Secure" } else { "" };
            let cookie = format!(
                "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                SESSION_TTL.whole_seconds()
            );
            let mut resp = super::see_other(&next);
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            // a new CSRF token, bound to the new session: the one from
            // before login no longer verifies
            let csrf = crate::csrf::issue(state.store.secrets(), Some(&token));
            if let Some(v) = crate::csrf::set_cookie(&csrf, state.secure_cookies) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => {
            // no username: a password typed in the wrong field must not be logged
            tracing::warn!(client = %client, outcome = %e, "đăng nhập không thành công");
            let e = AppError::from(e);
            (e.status(), render(&ctx, &f.username, &next, Some(&e))).into_response()
        }
    }
}

async fn logout(
    State(state): State<SharedState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.store.logout(&token).await?;
    }
    let mut resp = super::see_other("/");
    resp.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("tdkt_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    let csrf = crate::csrf::issue(state.store.secrets(), None);
    if let Some(v) = crate::csrf::set_cookie(&csrf, state.secure_cookies) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}
