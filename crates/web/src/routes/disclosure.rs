//! Publishing dossiers for public comment and moderating the comments
//! (issue 14; khoản 2 Điều 44 NĐ 152/2025/NĐ-CP). The public side is
//! `cong_khai.rs`.
//!
//! - `/disclosures`: the comments waiting for moderation at the caller's
//!   levels, each with approve / dismiss (a reason required), and the
//!   disclosures published there;
//! - `/disclosures/new` (`?dossier=ID` preselects one): the dossiers held
//!   at the caller's level, each with the achievement summary the public
//!   will read, the title and the window (end date: at least the
//!   catalogue's working days, computed by the store when left empty);
//! - `POST /disclosures/comments/{id}`: approve or dismiss one comment.
//!
//! Every route needs `DiscloseDossiers` (officers and administrators, 403
//! for the others before any form is read), then the unit in the caller's
//! subtree (404 outside); the store checks the exact level holding the
//! dossiers or that published the disclosure.
//!
//! The dossier page shows the disclosure section of [`dossier_section`].

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{self, Action, Role};
use tdkt_core::date::{format_instant_vn, format_vn, today_vn};
use tdkt_core::dossier::Status;
use tdkt_core::org::UnitId;
use tdkt_store::disclosures::{Comment, Moderation, NewDisclosure};

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/disclosures", get(list).post(publish))
        .route("/disclosures/new", get(new_form))
        .route("/disclosures/comments/{id}", post(moderate))
}

fn award_name(code: &str) -> String {
    tdkt_store::rules::current()
        .catalogue()
        .get(code)
        .map_or_else(|| code.to_owned(), |a| a.name.clone())
}

/// The caller's subtree (`None` = all, administrators), after the role.
async fn scope(state: &SharedState, ctx: &Ctx) -> Result<Option<BTreeSet<UnitId>>, AppError> {
    let who = ctx.require()?;
    if !access::role_may(who.role, Action::DiscloseDossiers) {
        return Err(AppError::Forbidden);
    }
    Ok(match (who.role, who.scope_unit) {
        (Role::Admin, _) => None,
        (_, Some(root)) => Some(state.store.lineage().await?.scope(root)),
        (_, None) => Some(BTreeSet::new()),
    })
}

/// One comment with its moderation forms (when `may` moderate).
fn comment_item(ctx: &Ctx, c: &Comment, may: bool) -> Markup {
    html! {
        li.comment data-status=(c.status) id={ "y-kien-" (c.id) } {
            p.muted.small {
                "#" (c.id) " · " (format_instant_vn(&c.created_at)) " · "
                (c.author_name.as_deref().unwrap_or("không ghi tên"))
                @if let Some(k) = &c.contact { " · " (k) }
                " · " a href={ "/dossiers/" (c.dossier_id) } { "hồ sơ #" (c.dossier_id) }
                " · " strong { (c.status_label()) }
            }
            p { (c.body) }
            @if let Some(r) = &c.reason { p.small { "Lý do không chấp nhận: " (r) } }
            @if may && c.status == "pending" {
                form.inline method="post" action={ "/disclosures/comments/" (c.id) } {
                    (ctx.csrf_field())
                    input type="hidden" name="decision" value="approve";
                    button type="submit" { "Chấp nhận, đăng công khai" }
                }
                details { summary { "Không chấp nhận" }
                    form.stack method="post" action={ "/disclosures/comments/" (c.id) } {
                        (ctx.csrf_field())
                        input type="hidden" name="decision" value="dismiss";
                        label { "Lý do (được lưu, báo cáo Hội đồng)" textarea name="reason" required {} }
                        button type="submit" { "Không chấp nhận" }
                    }
                }
            }
        }
    }
}

async fn list(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    let scope = scope(&state, &ctx).await?;
    let pending = state.store.pending_comments(scope.as_ref()).await?;
    let published = state.store.disclosures_in_scope(scope.as_ref()).await?;
    let today = today_vn();
    Ok(ctx.page(
        "Công khai, lấy ý kiến",
        html! {
            p.muted { a href="/dossiers" { "Hồ sơ khen thưởng" } }
            h1 { "Công khai danh sách đề nghị khen thưởng" }
            p { a href="/disclosures/new" { "Công khai hồ sơ" } " · " a href="/cong-khai" { "Trang công khai (không cần đăng nhập)" } }
            section.card #pending {
                h2 { "Ý kiến chờ xử lý (" (pending.len()) ")" }
                @if pending.is_empty() { p.muted { "Không có ý kiến nào chờ xử lý." } }
                ul.comments { @for c in &pending { (comment_item(&ctx, c, true)) } }
            }
            section.card #published {
                h2 { "Các đợt công khai" }
                @if published.is_empty() { p.muted { "Chưa có đợt công khai nào." } }
                ul { @for d in &published { li {
                    a href={ "/cong-khai/" (d.id) } { (d.title) } " — " (d.unit_name)
                    " — từ " (format_vn(d.starts_on)) " đến hết " (format_vn(d.ends_on))
                    @if d.open_on(today) { " " strong { "(đang lấy ý kiến)" } }
                } } }
            }
        },
    ))
}

#[derive(Deserialize)]
struct NewQuery {
    dossier: Option<i64>,
}

async fn new_form(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Markup, AppError> {
    let scope = scope(&state, &ctx).await?;
    let who = ctx.require()?;
    let held: Vec<_> = state
        .store
        .dossiers_in_scope(scope.as_ref())
        .await?
        .into_iter()
        .filter(|d| who.role == Role::Admin || Some(d.holder_id) == who.scope_unit)
        .filter(|d| Status::parse(&d.status).is_ok_and(|s| s.is_open() || s == Status::Ready))
        .collect();
    let today = today_vn();
    Ok(ctx.page(
        "Công khai hồ sơ",
        html! {
            p.muted { a href="/disclosures" { "Công khai, lấy ý kiến" } }
            h1 { "Công khai danh sách đề nghị khen thưởng" }
            p { "Công khai ít nhất 10 ngày làm việc trước khi họp Hội đồng Thi đua - Khen thưởng (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP; số ngày của từng hình thức theo danh mục). Để trống ngày kết thúc để lấy ngày sớm nhất được phép; có thể chọn dài hơn, không được ngắn hơn." }
            p.muted { "Trang công khai chỉ hiện họ tên, đơn vị, hình thức khen thưởng và tóm tắt thành tích dưới đây: không hiện số CCCD, ngày sinh." }
            @if held.is_empty() {
                p.muted #none { "Không có hồ sơ nào đang ở cấp của bạn để công khai." }
            } @else {
                form.stack method="post" action="/disclosures" {
                    (ctx.csrf_field())
                    label { "Tiêu đề" input name="title" required value="Công khai danh sách cá nhân, tập thể được đề nghị khen thưởng"; }
                    label { "Ngày bắt đầu (dd/mm/yyyy)" input name="starts_on" required value=(format_vn(today)); }
                    label { "Ngày kết thúc (để trống: sớm nhất được phép)" input name="ends_on"; }
                    fieldset {
                        legend { "Hồ sơ công khai" }
                        @for d in &held {
                            div.card {
                                label { input type="checkbox" name="dossier" value=(d.id) checked[q.dossier == Some(d.id) || held.len() == 1];
                                    " #" (d.id) " " (award_name(&d.award_code)) " năm " (d.year) " — " (d.title) " (" (d.unit_name) ")" }
                                label { "Tóm tắt thành tích (hiện công khai)" textarea name={ "summary_" (d.id) } rows="3" maxlength="1000" {} }
                            }
                        }
                    }
                    button type="submit" { "Công khai" }
                }
            }
        },
    ))
}

fn parse_date(field: &'static str, label: &str, s: &str) -> Result<time::Date, AppError> {
    tdkt_core::date::parse(s.trim()).map_err(|m| AppError::Invalid {
        field,
        message: format!("{label} «{s}»: {m}"),
    })
}

/// The publish form, read: the dossiers ticked and their summaries.
struct PublishForm {
    title: String,
    starts_on: String,
    ends_on: String,
    dossiers: Vec<(i64, String)>,
}

impl PublishForm {
    fn read(fields: &[(String, String)]) -> Result<Self, AppError> {
        let get = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let mut dossiers = Vec::new();
        for (_, v) in fields.iter().filter(|(n, _)| n == "dossier") {
            let id: i64 = v.trim().parse().map_err(|_| AppError::Invalid {
                field: "dossier",
                message: format!("«{v}» không phải số hồ sơ."),
            })?;
            dossiers.push((id, get(&format!("summary_{id}"))));
        }
        Ok(Self {
            title: get("title"),
            starts_on: get("starts_on"),
            ends_on: get("ends_on"),
            dossiers,
        })
    }
}

async fn publish(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    // the role first, so a reader is refused before the form is read
    scope(&state, &ctx).await?;
    let f = PublishForm::read(&fields)?;
    // every dossier's holding level in the caller's subtree (404 otherwise)
    for (id, _) in &f.dossiers {
        let d = state
            .store
            .dossier(*id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let holder = state
            .store
            .dossier_steps(*id)
            .await?
            .into_iter()
            .find(|s| s.position == d.step)
            .ok_or(AppError::NotFound)?;
        authorize(
            &state,
            &ctx.user,
            Action::DiscloseDossiers,
            Some(holder.unit_id),
            &ctx.path,
        )
        .await?;
    }
    let starts_on = if f.starts_on.trim().is_empty() {
        today_vn()
    } else {
        parse_date("starts_on", "Ngày bắt đầu", &f.starts_on)?
    };
    let ends_on = if f.ends_on.trim().is_empty() {
        None
    } else {
        Some(parse_date("ends_on", "Ngày kết thúc", &f.ends_on)?)
    };
    let who = ctx.require()?;
    let id = state
        .store
        .publish_disclosure(
            who,
            &NewDisclosure {
                title: f.title,
                starts_on,
                ends_on,
                dossiers: f.dossiers,
            },
            today_vn(),
        )
        .await?;
    Ok(super::saved(&format!("/cong-khai/{id}"), "cong-khai"))
}

#[derive(Deserialize)]
struct ModerateForm {
    decision: String,
    reason: Option<String>,
}

impl TryFrom<ModerateForm> for Moderation {
    type Error = AppError;

    fn try_from(f: ModerateForm) -> Result<Self, AppError> {
        match f.decision.as_str() {
            "approve" => Ok(Self::Approve),
            "dismiss" => Ok(Self::Dismiss {
                reason: f.reason.unwrap_or_default(),
            }),
            other => Err(AppError::Invalid {
                field: "decision",
                message: format!(
                    "Cách xử lý «{other}» không tồn tại (chấp nhận hoặc không chấp nhận)."
                ),
            }),
        }
    }
}

async fn moderate(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ModerateForm>,
) -> Result<Response, AppError> {
    scope(&state, &ctx).await?;
    let c = state
        .store
        .comment(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    let d = state.store.disclosure(c.disclosure_id).await?;
    authorize(
        &state,
        &ctx.user,
        Action::DiscloseDossiers,
        Some(d.unit_id),
        &ctx.path,
    )
    .await?;
    let m = Moderation::try_from(f)?;
    let who = ctx.require()?;
    let c = state.store.moderate_comment(who, id, &m).await?;
    Ok(super::saved(
        &format!("/dossiers/{}#cong-khai", c.dossier_id),
        "y-kien",
    ))
}

/// The disclosure section of a dossier page (for a reader of the dossier):
/// its publications, whether the council may take it today and why, the
/// count of comments for the minutes, and the comments (contacts and
/// moderation only for an officer of the publishing level).
///
/// # Errors
/// Database failure.
pub async fn dossier_section(
    state: &SharedState,
    ctx: &Ctx,
    dossier_id: i64,
    may_publish: bool,
) -> Result<Markup, AppError> {
    let today = today_vn();
    let list = state.store.dossier_disclosures(dossier_id).await?;
    let standing = state
        .store
        .disclosure_complete(dossier_id, today)
        .await
        .ok();
    let summary = state.store.comment_summary(dossier_id).await?;
    let who = ctx.principal();
    let mut comments = state.store.dossier_comments(dossier_id).await?;
    let moderates = |unit: i64| {
        who.is_some_and(|p| {
            access::role_may(p.role, Action::DiscloseDossiers)
                && (p.role == Role::Admin || p.scope_unit == Some(unit))
        })
    };
    let may_moderate: Vec<i64> = list
        .iter()
        .filter(|d| moderates(d.unit_id))
        .map(|d| d.id)
        .collect();
    if may_moderate.is_empty() {
        // readers who do not moderate see no contacts
        for c in &mut comments {
            c.contact = None;
        }
    }
    Ok(html! {
        section.card #cong-khai {
            h2 { "Công khai, lấy ý kiến" }
            @if let Some(s) = &standing {
                p #disclosure-standing data-kind=(format!("{:?}", s.kind)) class=(if s.allowed() { "pass" } else { "fail" }) { (s.explanation) }
            }
            @if list.is_empty() { p.muted { "Hồ sơ chưa được công khai." } }
            ul { @for d in &list { li {
                a href={ "/cong-khai/" (d.id) } { (d.title) } " — " (d.unit_name) " — từ " (format_vn(d.starts_on)) " đến hết " (format_vn(d.ends_on))
            } } }
            p #comment-summary { (summary.sentence()) }
            @if !comments.is_empty() {
                ul.comments { @for c in &comments { (comment_item(ctx, c, may_moderate.contains(&c.disclosure_id))) } }
            }
            @if may_publish { p { a href={ "/disclosures/new?dossier=" (dossier_id) } { "Công khai hồ sơ này" } } }
        }
    })
}
