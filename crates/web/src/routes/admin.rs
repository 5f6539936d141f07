//! Administration: the audit log and its verification.
//!
//! The log is read as an auditor reads it: Vietnamese names for what was
//! done, Việt Nam time to the minute, narrowed by who, what and when, one
//! page of 50 at a time (keyset on the sequence number, so a page costs the
//! same at event 10 as at event 10 million).

use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::Action;
use tdkt_core::audit::names;
use tdkt_core::number::format_count;
use tdkt_store::audit::AuditFilter;

use crate::auth::authorize;
use crate::error::urlencode;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

const PAGE: i64 = 50;

pub fn router() -> Router<SharedState> {
    Router::new().route("/admin/audit", get(audit))
}

/// The page's query: `nguoi` (username), `doi_tuong` (kind of object),
/// `tu`/`den` (dates, dd/mm/yyyy or yyyy-mm-dd), `truoc` (continue below
/// this sequence number).
#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    #[serde(default)]
    nguoi: String,
    #[serde(default)]
    doi_tuong: String,
    #[serde(default)]
    tu: String,
    #[serde(default)]
    den: String,
    truoc: Option<i64>,
}

impl AuditQuery {
    fn filter(&self) -> Result<AuditFilter, AppError> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let day = |field: &'static str, s: &str| {
            text(s)
                .map(|s| {
                    tdkt_core::date::parse(&s)
                        .map_err(|message| AppError::Invalid { field, message })
                })
                .transpose()
        };
        Ok(AuditFilter {
            actor: text(&self.nguoi),
            entity: text(&self.doi_tuong),
            from: day("tu", &self.tu)?,
            to: day("den", &self.den)?,
        })
    }

    /// The query string of this filter, for the next page's link.
    fn filter_query(&self) -> String {
        [
            ("nguoi", &self.nguoi),
            ("doi_tuong", &self.doi_tuong),
            ("tu", &self.tu),
            ("den", &self.den),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

async fn audit(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> Result<Markup, AppError> {
    authorize(&state, &ctx.user, Action::ReadAudit, None, &ctx.path).await?;
    let filter = q.filter()?;
    let verdict = state.store.verify_audit().await?;
    let (events, total) = state.store.audit_page(&filter, q.truoc, PAGE).await?;
    let next = (events.len() == usize::try_from(PAGE).unwrap_or(usize::MAX))
        .then(|| events.last().map(|e| e.seq))
        .flatten();
    let filter_query = q.filter_query();
    Ok(ctx.page(
        "Nhật ký thay đổi",
        html! {
            h1 { "Nhật ký thay đổi" }
            @match &verdict {
                Ok(n) => div.notice { "Chuỗi băm toàn vẹn: " (format_count(n.unsigned_abs())) " sự kiện, không sự kiện nào bị sửa hoặc xóa." },
                Err(b) => div.alert { "Nhật ký đã bị can thiệp: " (b.to_string()) },
            }
            form.filters method="get" action="/admin/audit" {
                label { "Người thực hiện " input name="nguoi" value=(q.nguoi) placeholder="tên đăng nhập"; }
                label { "Đối tượng "
                    select name="doi_tuong" {
                        option value="" { "Tất cả" }
                        @for (code, name) in names::entities() {
                            option value=(code) selected[q.doi_tuong == *code] { (name) }
                        }
                    }
                }
                label { "Từ ngày " input name="tu" value=(q.tu) placeholder="dd/mm/yyyy" size="10"; }
                label { "Đến ngày " input name="den" value=(q.den) placeholder="dd/mm/yyyy" size="10"; }
                button type="submit" { "Lọc" }
            }
            p.count { (format_count(total.unsigned_abs())) " sự kiện khớp bộ lọc; mới nhất trước, giờ Việt Nam." }
            table.responsive {
                thead { tr { th { "#" } th { "Thời điểm" } th { "Người thực hiện" } th { "Thao tác" } th { "Chi tiết" } } }
                tbody {
                    @for e in &events {
                        tr {
                            td.num data-label="#" { (e.seq) }
                            td data-label="Thời điểm" { (tdkt_core::date::format_instant_vn(&e.at)) }
                            td data-label="Người thực hiện" { (e.actor) }
                            td data-label="Thao tác" { (names::describe(&e.entity, &e.action)) " #" (e.entity_id) }
                            td data-label="Chi tiết" { (details(e.before.as_deref(), e.after.as_deref())) }
                        }
                    }
                }
            }
            p.pager {
                @if q.truoc.is_some() {
                    a href={ "/admin/audit?" (filter_query) } { "← Mới nhất" }
                    " "
                }
                @if let Some(seq) = next {
                    a href={ "/admin/audit?" (filter_query) @if !filter_query.is_empty() { "&" } "truoc=" (seq) } { "Cũ hơn →" }
                }
            }
        },
    ))
}

/// A recorded value as words: text as it is, a list item by item, a nested
/// record as "field: value" pairs; never JSON punctuation.
fn plain(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        Value::Bool(true) => "có".to_owned(),
        Value::Bool(false) => "không".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join("; "),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}: {}", plain(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The recorded state as "field: value" lines, folded away until asked for.
fn details(before: Option<&str>, after: Option<&str>) -> Markup {
    let lines = |json: &str| -> Vec<(String, String)> {
        match serde_json::from_str::<serde_json::Value>(json) {
            Ok(serde_json::Value::Object(m)) => {
                m.into_iter().map(|(k, v)| (k, plain(&v))).collect()
            }
            _ => vec![(String::new(), json.to_owned())],
        }
    };
    html! {
        @if before.is_some() || after.is_some() {
            details {
                summary { "Xem" }
                @for (title, json) in [("Trước", before), ("Sau", after)] {
                    @if let Some(json) = json {
                        p { strong { (title) } }
                        dl.facts.audit {
                            @for (k, v) in lines(json) {
                                dt { (k) } dd { (v) }
                            }
                        }
                    }
                }
            }
        }
    }
}
