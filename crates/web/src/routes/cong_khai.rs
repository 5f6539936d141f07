//! Public disclosure pages, no login (issue 14; khoản 2 Điều 44 NĐ
//! 152/2025/NĐ-CP):
//!
//! - `/cong-khai`: the disclosures open today;
//! - `/cong-khai/{id}`: the candidates (name, unit, award, the summary the
//!   officer wrote — never a CCCD, never a birth date), the dates, the
//!   comments an officer approved, and the comment form while the window
//!   is open;
//! - `POST /cong-khai/{id}/y-kien`: a comment (name and contact optional,
//!   text required and length-limited by `core::dossier::disclosure`),
//!   stored pending and shown only once approved. Rate limited per client
//!   address in the database (`tdkt_core::throttle::COMMENT_LIMIT`), like
//!   sign-in failures; CSRF-protected like every form (the anonymous token
//!   of `crate::csrf`, in the hidden field).
//!
//! A disclosure not yet started is not found: the public sees it from its
//! first day.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::date::{format_instant_vn, format_vn, today_vn};
use tdkt_core::dossier::disclosure::{NewComment, MAX_AUTHOR, MAX_COMMENT, MAX_CONTACT};
use tdkt_core::number::format_count;
use tdkt_core::throttle::vn_clock;
use tdkt_store::disclosures::{Disclosure, Posted, PublicCandidate};

use crate::layout::Ctx;
use crate::throttle::ClientAddr;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/cong-khai", get(list))
        .route("/cong-khai/{id}", get(page))
        .route("/cong-khai/{id}/y-kien", post(comment))
}

fn award_name(code: &str) -> String {
    tdkt_store::rules::current()
        .catalogue()
        .get(code)
        .map_or_else(|| code.to_owned(), |a| a.name.clone())
}

/// The public shell: the brand, no internal navigation.
fn public_page(title: &str, body: &Markup) -> Markup {
    crate::layout::bare(
        title,
        html! {
            (body)
            p.muted.small { a href="/cong-khai" { "Các đợt công khai đang lấy ý kiến" } " · " a href="/xac-minh" { "Xác minh giấy chứng nhận" } }
        },
    )
}

async fn list(State(state): State<SharedState>) -> Result<Markup, AppError> {
    let today = today_vn();
    let open = state.store.open_disclosures(today).await?;
    Ok(public_page(
        "Công khai danh sách đề nghị khen thưởng",
        &html! {
            h1 { "Công khai danh sách đề nghị khen thưởng" }
            p.lead { "Danh sách cá nhân, tập thể được đề nghị khen thưởng đang được công khai để lấy ý kiến Nhân dân trước khi Hội đồng Thi đua - Khen thưởng họp xét (khoản 2 Điều 44 Nghị định 152/2025/NĐ-CP)." }
            @if open.is_empty() {
                p.muted #none { "Hiện không có đợt công khai nào đang lấy ý kiến." }
            }
            @for d in &open {
                section.card.disclosure {
                    h2 { a href={ "/cong-khai/" (d.id) } { (d.title) } }
                    p { (d.unit_name) " · nhận ý kiến từ " (format_vn(d.starts_on)) " đến hết " (format_vn(d.ends_on)) }
                }
            }
        },
    ))
}

#[derive(Deserialize)]
struct PageQuery {
    #[serde(rename = "da-gui")]
    sent: Option<String>,
}

/// What was typed, kept when the form is refused.
#[derive(Deserialize, Default)]
struct CommentForm {
    dossier: Option<String>,
    author: Option<String>,
    contact: Option<String>,
    comment: Option<String>,
}

/// One card per dossier: its recipients (name and unit), award, summary.
fn candidates(list: &[PublicCandidate]) -> Markup {
    let mut ids: Vec<i64> = list.iter().map(|c| c.dossier_id).collect();
    ids.dedup();
    html! {
        @for id in &ids {
            @let rows: Vec<&PublicCandidate> = list.iter().filter(|c| c.dossier_id == *id).collect();
            @if let Some(first) = rows.first() {
                section.card.candidate id={ "ho-so-" (id) } {
                    h3 { (award_name(&first.award_code)) " năm " (first.year) }
                    ul.names { @for c in &rows { li { strong { (c.name) } @if c.unit_name != c.name { " — " (c.unit_name) } } } }
                    @if !first.summary.is_empty() { p.summary { "Tóm tắt thành tích: " (first.summary) } }
                }
            }
        }
    }
}

/// The disclosure's page; `err` and `typed` when a comment was refused.
async fn render(
    state: &SharedState,
    ctx: &Ctx,
    d: &Disclosure,
    sent: bool,
    err: Option<&AppError>,
    typed: &CommentForm,
) -> Result<Markup, AppError> {
    let today = today_vn();
    let list = state.store.disclosure_candidates(d.id).await?;
    let approved = state.store.approved_comments(d.id).await?;
    let open = d.open_on(today);
    let mut dossiers: Vec<(i64, String)> = Vec::new();
    for c in &list {
        if !dossiers.iter().any(|(id, _)| *id == c.dossier_id) {
            dossiers.push((
                c.dossier_id,
                format!("{} — {}", c.name, award_name(&c.award_code)),
            ));
        }
    }
    let name_of = |id: i64| {
        dossiers
            .iter()
            .find(|(i, _)| *i == id)
            .map_or_else(String::new, |(_, n)| n.clone())
    };
    let chosen = typed.dossier.as_deref().and_then(|s| s.parse::<i64>().ok());
    Ok(public_page(
        &d.title,
        &html! {
            h1 { (d.title) }
            div.status.valid[open] #window role="status" {
                @if open {
                    strong { "Đang lấy ý kiến" }
                    p { "Từ " (format_vn(d.starts_on)) " đến hết " (format_vn(d.ends_on)) "." }
                } @else {
                    strong { "Đã hết thời gian lấy ý kiến" }
                    p { "Đợt công khai từ " (format_vn(d.starts_on)) " đến hết " (format_vn(d.ends_on)) "." }
                }
            }
            p.muted { "Cơ quan công khai: " (d.unit_name) ". Căn cứ: " (d.citation) "." }
            h2 { "Cá nhân, tập thể được đề nghị (" (dossiers.len()) ")" }
            (candidates(&list))
            @if sent {
                div.status.valid #sent role="status" { strong { "Đã gửi ý kiến" } p { "Cảm ơn bạn. Ý kiến sẽ được cơ quan công khai xem xét trước khi hiển thị." } }
            }
            @if open {
                section.card #gop-y {
                    h2 { "Gửi ý kiến" }
                    p.muted { "Ý kiến được cơ quan công khai xem xét, xử lý và báo cáo Hội đồng Thi đua - Khen thưởng; chỉ hiển thị công khai sau khi được chấp nhận. Họ tên và thông tin liên hệ không bắt buộc, không hiển thị công khai thông tin liên hệ." }
                    (crate::layout::form_error(err))
                    form.verify method="post" action={ "/cong-khai/" (d.id) "/y-kien" } {
                        (ctx.csrf_field())
                        @if dossiers.len() == 1 {
                            input type="hidden" name="dossier" value=(dossiers[0].0);
                        } @else {
                            label { "Ý kiến về" select name="dossier" required {
                                @for (id, n) in &dossiers { option value=(id) selected[chosen == Some(*id)] { (n) } }
                            } }
                        }
                        label { "Nội dung ý kiến (bắt buộc, tối đa " (format_count(MAX_COMMENT as u64)) " ký tự)"
                            textarea name="comment" rows="5" maxlength=(MAX_COMMENT) required { (typed.comment.as_deref().unwrap_or_default()) } }
                        label { "Họ và tên (không bắt buộc)"
                            input name="author" maxlength=(MAX_AUTHOR) autocomplete="name" value=(typed.author.as_deref().unwrap_or_default()); }
                        label { "Điện thoại hoặc thư điện tử để liên hệ (không bắt buộc)"
                            input name="contact" maxlength=(MAX_CONTACT) value=(typed.contact.as_deref().unwrap_or_default()); }
                        button type="submit" { "Gửi ý kiến" }
                    }
                }
            }
            section.card #y-kien {
                h2 { "Ý kiến đã được xem xét và đăng công khai (" (approved.len()) ")" }
                @if approved.is_empty() { p.muted { "Chưa có." } }
                @for c in &approved {
                    article.comment {
                        p.muted.small { (c.author_name.as_deref().unwrap_or("Người gửi không ghi tên")) " · " (format_instant_vn(&c.created_at)) " · về " (name_of(c.dossier_id)) }
                        p { (c.body) }
                    }
                }
            }
        },
    ))
}

/// The disclosure if the public may see it (started).
async fn visible(state: &SharedState, id: i64) -> Result<Disclosure, AppError> {
    let d = state
        .store
        .disclosure(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    if d.starts_on > today_vn() {
        return Err(AppError::NotFound);
    }
    Ok(d)
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Markup, AppError> {
    let d = visible(&state, id).await?;
    render(
        &state,
        &ctx,
        &d,
        q.sent.is_some(),
        None,
        &CommentForm::default(),
    )
    .await
}

async fn comment(
    State(state): State<SharedState>,
    ctx: Ctx,
    ClientAddr(client): ClientAddr,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> Result<Response, AppError> {
    let d = visible(&state, id).await?;
    let parsed = NewComment::parse(
        f.author.as_deref(),
        f.contact.as_deref(),
        f.comment.as_deref().unwrap_or_default(),
    );
    let c = match parsed {
        Ok(c) => c,
        Err(e) => return refuse(&state, &ctx, &d, e.into(), &f).await,
    };
    let Some(dossier) = f
        .dossier
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
    else {
        return refuse(
            &state,
            &ctx,
            &d,
            AppError::Invalid {
                field: "dossier",
                message: "Chọn cá nhân, tập thể mà ý kiến nói đến.".to_owned(),
            },
            &f,
        )
        .await;
    };
    let now = time::OffsetDateTime::now_utc();
    match state
        .store
        .post_comment(id, dossier, &c, &client, now)
        .await
    {
        Ok(Posted::Stored(_)) => Ok(super::see_other(&format!("/cong-khai/{id}?da-gui#sent"))),
        Ok(Posted::Throttled { retry_at_ms }) => {
            tracing::warn!(client = %client, "gửi ý kiến công khai quá giới hạn");
            refuse(
                &state,
                &ctx,
                &d,
                AppError::TooMany(format!(
                    "Địa chỉ của bạn đã gửi quá {} ý kiến trong một giờ; vui lòng gửi lại sau {}.",
                    tdkt_core::throttle::COMMENT_LIMIT,
                    vn_clock(retry_at_ms)
                )),
                &f,
            )
            .await
        }
        Err(tdkt_store::StoreError::NotFound(_)) => Err(AppError::NotFound),
        Err(e) => refuse(&state, &ctx, &d, e.into(), &f).await,
    }
}

/// The page again with the error above the form and what was typed kept,
/// answered with the error's status (422, 429).
async fn refuse(
    state: &SharedState,
    ctx: &Ctx,
    d: &Disclosure,
    e: AppError,
    typed: &CommentForm,
) -> Result<Response, AppError> {
    let status = e.status();
    Ok((status, render(state, ctx, d, false, Some(&e), typed).await?).into_response())
}
