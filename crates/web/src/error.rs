//! One error type for every handler: a Vietnamese error page for people, a
//! JSON problem for the API; internals are logged, never shown.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;
use tdkt_core::DomainError;
use tdkt_store::accounts::LoginError;
use tdkt_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("Không tìm thấy trang hoặc dữ liệu yêu cầu.")]
    NotFound,
    #[error("Bạn không có quyền thực hiện thao tác này.")]
    Forbidden,
    #[error("Cần đăng nhập.")]
    Unauthenticated { next: String },
    #[error("Yêu cầu không hợp lệ: mã chống giả mạo (CSRF) thiếu hoặc sai. Hãy tải lại trang và thử lại.")]
    Csrf,
    #[error("{0}")]
    Conflict(String, &'static str),
    #[error("{0}")]
    TooMany(String),
    #[error("Lỗi hệ thống; sự cố đã được ghi lại.")]
    Internal(String),
}

impl AppError {
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            Self::Conflict(..) => StatusCode::CONFLICT,
            Self::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        Self::Invalid {
            field: e.field(),
            message: e.message().to_owned(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(d) => d.into(),
            StoreError::NotFound(_) => Self::NotFound,
            StoreError::Conflict(field, m) => Self::Conflict(m, field),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<LoginError> for AppError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::BadCredentials => Self::Invalid {
                field: "password",
                message: e.to_string(),
            },
            LoginError::Throttled { .. } => Self::TooMany(e.to_string()),
            LoginError::Store(s) => s.into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(detail) = &self {
            tracing::error!(%detail, "lỗi nội bộ");
        }
        let status = self.status();
        let field = match &self {
            Self::Invalid { field, .. } | Self::Conflict(_, field) => Some(*field),
            _ => None,
        };
        match Audience::current() {
            Audience::Api => problem(status, &self.to_string(), field),
            Audience::Page => {
                if let Self::Unauthenticated { next } = &self {
                    let to = format!("/login?next={}", urlencode(next));
                    return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
                }
                error_page(status, &self.to_string(), field)
            }
        }
    }
}

/// Whom a request's errors are answered for. Chosen once per request from
/// its path by [`Audience::of`] and set by [`Audience::scope`] (both run by
/// [`crate::csrf::layer`], which wraps every route); read only by
/// [`AppError`]'s response: no handler decides it, no content negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A request under `/api/`: errors are `application/problem+json`, an
    /// unauthenticated request gets 401.
    Api,
    /// A page: errors are a Vietnamese page, an unauthenticated request is
    /// sent to the login page.
    Page,
}

tokio::task_local! {
    static AUDIENCE: Audience;
}

impl Audience {
    /// The rule: requests under `/api/` are the API's, all others pages.
    #[must_use]
    pub fn of(path: &str) -> Self {
        if path.starts_with("/api/") {
            Self::Api
        } else {
            Self::Page
        }
    }

    /// The audience of the request being served (`Page` outside one).
    #[must_use]
    pub fn current() -> Self {
        AUDIENCE.try_with(|a| *a).unwrap_or(Self::Page)
    }

    /// Runs the rest of the request with this audience set.
    pub async fn scope<F: std::future::Future>(self, f: F) -> F::Output {
        AUDIENCE.scope(self, f).await
    }
}

/// An error as a JSON problem (RFC 9457) with the Vietnamese `detail` and
/// the `field`.
fn problem(status: StatusCode, message: &str, field: Option<&'static str>) -> Response {
    let body = serde_json::json!({
        "type": "about:blank", "status": status.as_u16(), "title": status.canonical_reason(),
        "detail": message, "field": field,
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

/// The title of every error page.
pub const ERROR_TITLE: &str = "Có lỗi";

/// The body of an error page, kept on its response so that the CSRF layer
/// (which knows the session) can put it inside the page with the
/// navigation ([`crate::csrf::layer`]): an error must not strand the user on
/// a page with no way on but "back" (issue 15). The bare page it carries
/// is what answers when no one dresses it (outside the router).
#[derive(Debug, Clone)]
pub struct ErrorBody(pub maud::Markup);

/// An error as a Vietnamese page.
fn error_page(status: StatusCode, message: &str, field: Option<&'static str>) -> Response {
    let body = html! {
        section.card.error {
            h1 { "Không thực hiện được" }
            p.lead { (message) }
            @if let Some(f) = field {
                // the label a person sees on the form, else the field's name
                @if let Some(label) = crate::layout::field_label(f) {
                    p.muted { "Ô: «" (label) "»" }
                } @else {
                    p.muted { "Trường: " code { (f) } }
                }
            }
            p { a href="/" { "Về trang chủ" } " · " a href="/" data-back { "Quay lại" } }
        }
    };
    let page = crate::layout::bare(ERROR_TITLE, body.clone());
    let mut resp = (status, page).into_response();
    resp.extensions_mut().insert(ErrorBody(body));
    resp
}

#[must_use]
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
