//! Security headers on every response (issue 12, item 10).
//!
//! - `Content-Security-Policy`: scripts only from this origin
//!   (`/static/app.js`; no page carries inline script or `javascript:`
//!   links), nothing may frame the site, forms post only here. Pages use
//!   `style="…"` attributes (indentation by depth, print layout of the
//!   minutes), so inline *attributes* are allowed (`style-src-attr
//!   'unsafe-inline'`, and `style-src 'self' 'unsafe-inline'` for browsers
//!   without CSP level 3); style sheets come only from this origin. A style
//!   attribute cannot run script, and maud escapes every value put in one.
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`,
//!   `X-Frame-Options: DENY` (for browsers that ignore `frame-ancestors`).
//! - `Cache-Control: no-store` on everything but `/static/*`: pages and API
//!   answers may show personal data, and shared or back-button caches must
//!   not keep them. The simplest rule that is never wrong.
//! - `Strict-Transport-Security` when cookies are `Secure` (TLS in front).

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::SharedState;

pub const CSP: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; style-src-elem 'self'; style-src-attr 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// One year, the usual HSTS lifetime.
pub const HSTS: &str = "max-age=31536000";

pub async fn layer(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let static_asset = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !static_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    resp
}

/// Should cookies be `Secure` for a server listening on `ip`? Yes unless it
/// listens on a loopback address only (a browser on the same machine; TLS
/// is then usually a proxy in front, which `force_on` declares), and
/// `force_off` wins for plain-HTTP testing on a LAN, where a browser would
/// drop a `Secure` cookie and no one could sign in.
#[must_use]
pub fn secure_cookies(ip: std::net::IpAddr, force_on: bool, force_off: bool) -> bool {
    !force_off && (force_on || !ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::secure_cookies;

    #[test]
    fn cookies_are_secure_unless_the_server_listens_on_loopback_or_is_told_otherwise() {
        let ip = |s: &str| s.parse().unwrap();
        assert!(!secure_cookies(ip("127.0.0.1"), false, false));
        assert!(!secure_cookies(ip("::1"), false, false));
        assert!(secure_cookies(ip("127.0.0.1"), true, false));
        assert!(secure_cookies(ip("0.0.0.0"), false, false));
        assert!(secure_cookies(ip("192.0.2.10"), false, false));
        assert!(secure_cookies(ip("::"), false, false));
        assert!(!secure_cookies(ip("0.0.0.0"), false, true));
        assert!(!secure_cookies(ip("0.0.0.0"), true, true));
    }
}
