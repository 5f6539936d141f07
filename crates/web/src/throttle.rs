//! Who is asking, by address, and how often: the client address a
//! throttle is keyed on, and the per-account rate limit on searches and API
//! reads (numbers in `tdkt_core::throttle`, counters in the database).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tdkt_core::throttle::{unix_ms, vn_clock, SEARCH_LIMIT, SEARCH_WINDOW_MS};

use crate::auth::CurrentUser;
use crate::{AppError, SharedState};

/// The address of the client: the peer of the connection, or, when the
/// peer is one of the proxies named by `--trusted-proxy`, the nearest
/// address in `X-Forwarded-For` that is not a trusted proxy (the header's
/// other entries are whatever the client wrote). An IPv6 client is keyed by
/// its /64, which one machine usually holds whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

/// The client's IP: see [`ClientAddr`]. Requests without a connection
/// (in-process tests) have the unspecified address.
#[must_use]
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

fn key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

impl FromRequestParts<SharedState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Self(key(client_ip(
            peer,
            &parts.headers,
            &state.trusted_proxies,
        ))))
    }
}

/// Is this request a search or an API read, rate limited per account?
fn limited(method: &Method, path: &str) -> bool {
    method == Method::GET
        && (path == "/search" || path == "/people" || path.starts_with("/api/v1/"))
}

/// At most [`SEARCH_LIMIT`] searches and API reads per [`SEARCH_WINDOW_MS`]
/// per signed-in account (per address when anonymous); beyond, 429 with
/// `Retry-After`, as a JSON problem for the API and a page otherwise.
pub async fn rate_limit(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    if !limited(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // the user is kept in the request's extensions for the handler
    let who = match CurrentUser::from_request_parts(&mut parts, &state).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let bucket = match &who.0 {
        Some(p) => format!("search:account:{}", p.user_id),
        None => {
            let Ok(ClientAddr(a)) = ClientAddr::from_request_parts(&mut parts, &state).await;
            format!("search:address:{a}")
        }
    };
    let now = time::OffsetDateTime::now_utc();
    let hit = match state
        .store
        .hit(&bucket, SEARCH_WINDOW_MS, SEARCH_LIMIT, now)
        .await
    {
        Ok(h) => h,
        Err(e) => return AppError::from(e).into_response(),
    };
    if !hit.allowed {
        let wait_s = ((hit.retry_at_ms - unix_ms(now)).max(0) + 999) / 1000;
        let mut resp = AppError::TooMany(format!(
            "Quá {SEARCH_LIMIT} lượt tra cứu trong một phút; vui lòng thử lại sau {}.",
            vn_clock(hit.retry_at_ms)
        ))
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&wait_s.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return resp;
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.4".parse().unwrap(),
        );
        // no trusted proxy: the header is the client's own words
        assert_eq!(client_ip(Some(ip("10.0.0.2")), &h, &[]), ip("10.0.0.2"));
        // behind the proxy 10.0.0.2: its entry, the rightmost untrusted one
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), &h, &[ip("10.0.0.2")]),
            ip("198.51.100.4")
        );
        // two proxies in a chain
        assert_eq!(
            client_ip(
                Some(ip("10.0.0.2")),
                &h,
                &[ip("10.0.0.2"), ip("198.51.100.4")]
            ),
            ip("203.0.113.9")
        );
        // a client that is not the proxy cannot claim another address
        assert_eq!(
            client_ip(Some(ip("192.0.2.1")), &h, &[ip("10.0.0.2")]),
            ip("192.0.2.1")
        );
        assert_eq!(key(ip("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
        assert_eq!(key(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }
}
