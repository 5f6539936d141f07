//! Administration: the audit log and its verification; the rules page
//! (rule packs, research caveats on clauses, awards whose criteria are not
//! encoded), which only the administrator reads (issue 15 item 4).
//!
//! The log is read as an auditor reads it: Vietnamese names for what was
//! done, Việt Nam time to the minute, narrowed by who, what and when, one
//! page of 50 at a time (keyset on the sequence number, so a page costs the
//! same at event 10 as at event 10 million).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
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
use crate::listing::{col, export, Cell, Column, Format, EXPORT_MAX};
use crate::{AppError, SharedState};

const PAGE: i64 = 50;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/admin/audit", get(audit))
        .route("/admin/rules", get(rules_page))
}

/// The page's query: `nguoi` (username), `doi_tuong` (kind of object),
/// `tu`/`den` (dates, dd/mm/yyyy or yyyy-mm-dd), `truoc` (continue below
/// this sequence number), `format` (`xlsx` | `csv`: every matching event,
/// newest first, up to [`EXPORT_MAX`]).
#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    format: Option<String>,
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
) -> Result<Response, AppError> {
    authorize(&state, &ctx.user, Action::ReadAudit, None, &ctx.path).await?;
    let filter = q.filter()?;
    if let Some(f) = Format::parse(q.format.as_deref()) {
        let (events, _) = state.store.audit_page(&filter, None, EXPORT_MAX).await?;
        return export(
            f,
            "Nhật ký thay đổi",
            "nhat-ky-thay-doi",
            &AUDIT_COLUMNS,
            events.iter().map(audit_row),
        );
    }
    let verdict = state.store.verify_audit().await?;
    let (events, total) = state.store.audit_page(&filter, q.truoc, PAGE).await?;
    let next = (events.len() == usize::try_from(PAGE).unwrap_or(usize::MAX))
        .then(|| events.last().map(|e| e.seq))
        .flatten();
    let filter_query = q.filter_query();
    Ok(ctx
        .page(
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
            @let sep = if filter_query.is_empty() { "" } else { "&" };
            p.export { "Xuất danh sách: "
                a href={ "/admin/audit?" (filter_query) (sep) "format=xlsx" } { "Excel (XLSX)" } " · "
                a href={ "/admin/audit?" (filter_query) (sep) "format=csv" } { "CSV" }
            }
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
    )
    .into_response())
}

const AUDIT_COLUMNS: [Column; 7] = [
    col("Số thứ tự", 10),
    col("Thời điểm (giờ Việt Nam)", 18),
    col("Người thực hiện", 18),
    col("Thao tác", 34),
    col("Mã đối tượng", 12),
    col("Trước", 50),
    col("Sau", 50),
];

/// An event as a row of the export: the page's words, the recorded states
/// as "field: value" text.
fn audit_row(e: &tdkt_core::audit::AuditEvent) -> Vec<Cell> {
    let state = |json: Option<&str>| {
        json.map_or(Cell::Empty, |j| {
            match serde_json::from_str::<serde_json::Value>(j) {
                Ok(v) => Cell::Text(plain(&v)),
                Err(_) => Cell::text(j),
            }
        })
    };
    vec![
        Cell::Int(e.seq),
        Cell::Text(tdkt_core::date::format_instant_vn(&e.at)),
        Cell::text(&e.actor),
        Cell::Text(names::describe(&e.entity, &e.action)),
        Cell::text(&e.entity_id),
        state(e.before.as_deref()),
        state(e.after.as_deref()),
    ]
}

/// A recorded value as words: text as it is, a list item by item, a nested
/// record as "field: value" pairs; never JSON punctuation.
fn plain(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::String(s) => tdkt_core::date::readable(s),
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

/// The rules in force and what is not certain about them: the packs, every
/// clause with a research caveat (`uncertain` in `rules/*.toml`), and the
/// awards whose criteria are only a `manual` clause. Answers to users leave
/// these out; the administrator keeps them in view here, with the file and
/// line to correct.
async fn rules_page(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    authorize(&state, &ctx.user, Action::ReadAudit, None, &ctx.path).await?;
    let set = tdkt_store::rules::current().eligibility();
    let cat = set.catalogue();
    let pack_of = |r: &tdkt_core::eligibility::Rule| set.packs.get(r.pack);
    let caveats: Vec<_> = set
        .rules
        .iter()
        .flat_map(|r| {
            r.clauses
                .iter()
                .filter_map(move |c| c.uncertain.as_ref().map(|u| (r, c, u)))
        })
        .collect();
    let unencoded: Vec<_> = set
        .rules
        .iter()
        .filter(|r| !r.clauses.is_empty() && r.clauses.iter().all(|c| c.kind == "manual"))
        .collect();
    Ok(ctx.page(
        "Quy tắc xét khen thưởng",
        html! {
            h1 { "Quy tắc xét khen thưởng" }
            p.muted { "Chỉ quản trị hệ thống xem trang này. Các ghi chú dưới đây không hiển thị trong câu trả lời về điều kiện khen thưởng cho người dùng; sửa trong tệp quy tắc rồi kiểm tra bằng lệnh " code { "tdkt rules check" } "." }
            section.card #packs {
                h2 { "Gói quy tắc (" (set.packs.len()) ")" }
                div.scroll { table {
                    thead { tr { th { "Gói" } th { "Căn cứ" } th { "Hiệu lực" } th { "Phạm vi" } } }
                    tbody {
                        @for p in &set.packs {
                            tr {
                                td { code { (p.id) } br; span.muted.small { (p.file) } }
                                td { (p.cited()) }
                                td { (p.period_vn()) }
                                td { @if let Some(u) = &p.scope { (u) } @else { "toàn quốc" } }
                            }
                        }
                    }
                } }
            }
            section.card #caveats {
                h2 { "Điều kiện có ghi chú nghiên cứu chưa chắc chắn (" (caveats.len()) ")" }
                ul {
                    @for (r, c, u) in &caveats {
                        li {
                            strong { (cat.award(r.award).name) } " — " code { (c.id) } " "
                            span.cite { "[" (c.citation) "]" } br;
                            span.caveat { (u) } br;
                            span.muted.small { @if let Some(p) = pack_of(r) { (p.file) } ":" (c.line) }
                        }
                    }
                }
            }
            section.card #unencoded {
                h2 { "Hình thức chưa mã hóa tiêu chuẩn (" (unencoded.len()) ")" }
                p.muted { "Với các hình thức này, câu trả lời cho một người hay đơn vị chỉ ghi số lượng, không liệt kê: cán bộ thẩm định đối chiếu tiêu chuẩn khi lập hồ sơ." }
                ul {
                    @for r in &unencoded {
                        li {
                            strong { (cat.award(r.award).name) } " "
                            span.cite { "[" (r.citation) "]" }
                            @if let Some(p) = pack_of(r) { " " span.muted.small { (p.id) } }
                        }
                    }
                }
            }
        },
    ))
}
