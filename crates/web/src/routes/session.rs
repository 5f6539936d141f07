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

/// Only local paths, so the login page cannot be used to bounce elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
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

async fn login(State(state): State<SharedState>, ctx: Ctx, Form(f): Form<LoginForm>) -> Response {
    let next = safe_next(f.next.as_deref());
    match state.store.login(&f.username, &f.password).await {
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
            resp
        }
        Err(e) => {
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
    Ok(resp)
}
