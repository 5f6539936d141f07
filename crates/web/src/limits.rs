//! The door check of free-text lengths (issue 12, item 14): every field of
//! a url-encoded form, of the query string and of a JSON body is measured
//! against `tdkt_core::limits` before any handler runs, and a text too long
//! is refused with its field named (a Vietnamese page or a JSON problem,
//! as the request's audience wants). File uploads (multipart) are left to
//! their readers.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tdkt_core::limits;

use crate::AppError;

/// A form or JSON body read whole to be measured; larger ones are refused
/// (the CSRF layer reads forms up to the same size).
const MAX_BODY: usize = 2 * 1024 * 1024;

pub async fn layer(req: Request, next: Next) -> Response {
    if let Some(q) = req.uri().query() {
        if let Err(e) = pairs(q.as_bytes()) {
            return e.into_response();
        }
    }
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let form = kind.starts_with("application/x-www-form-urlencoded");
    let json = kind.starts_with("application/json");
    if !form && !json {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return AppError::Invalid {
            field: "body",
            message: "Dữ liệu gửi lên quá lớn.".into(),
        }
        .into_response();
    };
    let checked = if form {
        pairs(&bytes)
    } else {
        // Not JSON: the handler's extractor answers.
        serde_json::from_slice::<Value>(&bytes).map_or(Ok(()), |v| walk(None, &v))
    };
    if let Err(e) = checked {
        return e.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Each `name=value` of a form or query string.
fn pairs(bytes: &[u8]) -> Result<(), AppError> {
    for (k, v) in form_urlencoded::parse(bytes) {
        limits::check(&k, &v)?;
    }
    Ok(())
}

/// Each string of a JSON value, measured under the nearest object key.
fn walk(key: Option<&str>, v: &Value) -> Result<(), AppError> {
    match v {
        Value::String(s) => limits::check(key.unwrap_or("text"), s)?,
        Value::Array(a) => {
            for x in a {
                walk(key, x)?;
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                walk(Some(k), x)?;
            }
        }
        _ => {}
    }
    Ok(())
}
