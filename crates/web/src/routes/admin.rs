//! Administration: the audit log and its verification.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use tdkt_core::access::Action;

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new().route("/admin/audit", get(audit))
}

async fn audit(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    authorize(&state, &ctx.user, Action::ReadAudit, None, &ctx.path).await?;
    let verdict = state.store.verify_audit().await?;
    let events = state.store.recent_audit(200).await?;
    Ok(ctx.page(
        "Nhật ký thay đổi",
        html! {
            h1 { "Nhật ký thay đổi" }
            @match &verdict {
                Ok(n) => div.notice { "Chuỗi băm toàn vẹn: " (n) " sự kiện, không sự kiện nào bị sửa hoặc xóa." },
                Err(b) => div.alert { "Nhật ký đã bị can thiệp: " (b.to_string()) },
            }
            table.responsive {
                thead { tr { th { "#" } th { "Thời điểm (UTC)" } th { "Người thực hiện" } th { "Đối tượng" } th { "Thao tác" } th { "Sau thay đổi" } } }
                tbody {
                    @for e in &events {
                        tr {
                            td.num data-label="#" { (e.seq) }
                            td data-label="Thời điểm" { (e.at) }
                            td data-label="Người thực hiện" { (e.actor) }
                            td data-label="Đối tượng" { (e.entity) " #" (e.entity_id) }
                            td data-label="Thao tác" { (e.action) }
                            td data-label="Sau" { code style="font-size:.8rem;word-break:break-all" { (e.after.clone().unwrap_or_default()) } }
                        }
                    }
                }
            }
        },
    ))
}
