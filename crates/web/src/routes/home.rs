//! The home page: what tdkt is, where to go.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};

use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    let lineage = state.store.lineage().await?;
    let today = tdkt_core::date::today_vn();
    let (live, total) = lineage.units().fold((0, 0), |(l, t), u| {
        (l + usize::from(u.valid_on(today)), t + 1)
    });
    Ok(ctx.page(
        "Trang chủ",
        html! {
            h1 { "Thi đua, khen thưởng" }
            p.lead { "Phát động phong trào, cụm và khối thi đua, giao ước, báo cáo chỉ tiêu, chấm điểm và bình xét, hồ sơ khen thưởng — theo Luật Thi đua, khen thưởng 06/2022/QH15." }
            div.grid {
                section.card {
                    h2 { a href="/units" { "Cây đơn vị" } }
                    p { (live) " đơn vị đang hoạt động, " (total) " đơn vị kể cả đã sáp nhập, chia tách, giải thể." }
                    p.muted { "Lịch sử sắp xếp đơn vị hành chính (01/7/2025) được lưu đầy đủ: thành tích của đơn vị cũ thuộc về đơn vị mới." }
                }
                section.card {
                    h2 { a href="/people" { "Cán bộ, cá nhân" } }
                    form.search method="get" action="/people" {
                        input name="q" placeholder="Tìm theo tên, không cần dấu (vd. tran thi ha)" aria-label="Tìm người";
                        button type="submit" { "Tìm" }
                    }
                }
                @if let Some(p) = ctx.principal() {
                    section.card {
                        h2 { "Tài khoản" }
                        p { (p.full_name) br; span.muted { (p.role.label()) } }
                    }
                }
            }
        },
    ))
}
