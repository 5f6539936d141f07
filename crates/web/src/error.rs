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
        if let Self::Unauthenticated { next } = &self {
            if !is_api_request() {
                let to = format!("/login?next={}", urlencode(next));
                return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
            }
        }
        let message = self.to_string();
        let field = match &self {
            Self::Invalid { field, .. } | Self::Conflict(_, field) => Some(*field),
            _ => None,
        };
        (
            status,
            Problem {
                status: status.as_u16(),
                message,
                field,
            },
        )
            .into_response()
    }
}

/// Renders as JSON when the request was for the API (see
/// [`crate::routes::api`]'s wrapper) or as a page otherwise. We choose by a
/// task-local flag set by the router: simple, no content negotiation games.
pub struct Problem {
    pub status: u16,
    pub message: String,
    pub field: Option<&'static str>,
}

tokio::task_local! {
    /// Set for requests under `/api/`: errors render as JSON problems.
    pub static API_REQUEST: bool;
}

#[must_use]
pub fn is_api_request() -> bool {
    API_REQUEST.try_with(|a| *a).unwrap_or(false)
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let api = is_api_request();
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if api {
            let body = serde_json::json!({
                "type": "about:blank", "status": self.status, "title": status.canonical_reason(),
                "detail": self.message, "field": self.field,
            });
            return (
                status,
                [(header::CONTENT_TYPE, "application/problem+json")],
                body.to_string(),
            )
                .into_response();
        }
        let page = crate::layout::bare(
            "Có lỗi",
            html! {
                section.card.error {
                    h1 { "Không thực hiện được" }
                    p.lead { (self.message) }
                    @if let Some(f) = self.field { p.muted { "Trường: " code { (f) } } }
                    p { a href="/" { "Về trang chủ" } " · " a href="/" data-back { "Quay lại" } }
                }
            },
        );
        (status, page).into_response()
    }
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
