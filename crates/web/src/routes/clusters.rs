//! Clusters and blocks (*cụm, khối thi đua*): the list, a cluster-year's
//! page (members, pledge, who has reported a period, late and missing), a
//! phone-friendly form for a member to submit its values, and the review
//! report: preview with charts, editable draft (one textarea per
//! paragraph, saved with audit), DOCX and PDF of the edited draft.
//!
//! Access: the pages of a cluster are public information (as the org
//! tree); submitting needs [`Action::SubmitIndicators`] on the member unit;
//! the reporting status and the review need [`Action::ManageCluster`] on the
//! cluster's leader (cụm trưởng) or, while none is set, on any member.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Form;
use axum::Router;
use maud::{html, Markup, PreEscaped};
use rust_decimal::Decimal;
use serde::Deserialize;
use tdkt_core::access::Action;
use tdkt_core::date::format_vn;
use tdkt_core::period::Period;
use tdkt_core::review::ReviewDocument;
use tdkt_docs::Format;
use tdkt_store::clusters::Cluster;

use crate::auth::authorize;
use crate::layout::{form_error, Ctx};
use crate::{AppError, SharedState};

mod list;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/clusters", get(list::list))
        .route("/clusters/{key}/{year}", get(page))
        .route(
            "/clusters/{key}/{year}/submit/{unit}",
            get(submit_form).post(submit),
        )
        .route(
            "/clusters/{key}/{year}/review",
            get(review).post(save_review),
        )
        .route("/clusters/{key}/{year}/export/{format}", get(export))
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    pub period: Option<String>,
}

pub(crate) fn period_of(q: Option<&str>, year: i32) -> Result<Period, AppError> {
    let code = q
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| format!("{year}-H1"), str::to_owned);
    let p = Period::parse(&code).map_err(|e| AppError::Invalid {
        field: "period",
        message: e.to_string(),
    })?;
    if !p.within_year(year) {
        return Err(AppError::Invalid {
            field: "period",
            message: format!("Kỳ {} nằm ngoài năm {year} của cụm, khối.", p.label()),
        });
    }
    Ok(p)
}

/// The cluster and the member unit whose figures `ctx` may submit (404
/// when the unit is unknown or out of the caller's reach).
async fn submitting_member(
    state: &SharedState,
    ctx: &Ctx,
    key: &str,
    year: i32,
    unit: &str,
) -> Result<(Cluster, tdkt_core::org::Unit), AppError> {
    let c = load(state, key, year).await?;
    let unit = state
        .store
        .unit_by_code(unit)
        .await
        .map_err(|_| AppError::NotFound)?;
    authorize(
        state,
        &ctx.user,
        Action::SubmitIndicators,
        Some(unit.id),
        &ctx.path,
    )
    .await?;
    Ok((c, unit))
}

pub(crate) async fn load(state: &SharedState, key: &str, year: i32) -> Result<Cluster, AppError> {
    state
        .store
        .cluster(key, year)
        .await
        .map_err(|_| AppError::NotFound)
}

/// May the caller run this cluster (setup, status, review)? The officers
/// of its organising unit and of its leader may; while neither is set,
/// those of any member.
pub(crate) async fn authorize_manage(
    state: &SharedState,
    ctx: &Ctx,
    c: &Cluster,
) -> Result<(), AppError> {
    let organizer = state.store.cluster_settings(c.id).await?.organizer_unit_id;
    let mut targets: Vec<i64> = c.leader_unit_id.into_iter().chain(organizer).collect();
    if targets.is_empty() {
        targets = state
            .store
            .cluster_members(c.id)
            .await?
            .iter()
            .map(|m| m.id)
            .collect();
    }
    let mut last = Err(AppError::NotFound);
    for t in targets {
        last = authorize(state, &ctx.user, Action::ManageCluster, Some(t), &ctx.path).await;
        if last.is_ok() {
            break;
        }
    }
    last
}

/// The `{key}/{year}` of a cluster-year's path.
#[derive(Deserialize)]
struct KeyYear {
    key: String,
    year: i32,
}

/// A cluster-year the caller manages, from the `{key}/{year}` of the path:
/// the one preamble of every management handler (setup, review, export).
/// Signed in (else the login page), the cluster-year loaded (else 404),
/// then [`authorize_manage`]; a path whose year is no number is refused as
/// any other malformed path.
pub(crate) struct ManagedCluster {
    pub ctx: Ctx,
    pub cluster: Cluster,
    /// The account's user name: the actor of what the handler writes.
    pub who: String,
}

impl FromRequestParts<SharedState> for ManagedCluster {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(KeyYear { key, year }) = Path::<KeyYear>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Self::new(state, ctx, &key, year)
            .await
            .map_err(IntoResponse::into_response)
    }
}

impl ManagedCluster {
    async fn new(state: &SharedState, ctx: Ctx, key: &str, year: i32) -> Result<Self, AppError> {
        let who = ctx.require()?.username.clone();
        let cluster = load(state, key, year).await?;
        authorize_manage(state, &ctx, &cluster).await?;
        Ok(Self { ctx, cluster, who })
    }
}

pub(crate) fn base(c: &Cluster) -> String {
    format!("/clusters/{}/{}", c.key, c.year)
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((key, year)): Path<(String, i32)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Markup, AppError> {
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let c = load(&state, &key, year).await?;
    let period = period_of(q.period.as_deref(), year)?;
    let members = state.store.cluster_members(c.id).await?;
    let pledge = state.store.pledge(c.id).await?;
    let manage = authorize_manage(&state, &ctx, &c).await.is_ok();
    let status = if manage {
        Some(state.store.reporting_status(c.id, period).await?)
    } else {
        None
    };
    let deadline = state.store.deadline(c.id, period).await?;
    let mut may_submit = HashMap::new();
    for m in &members {
        let ok = authorize(
            &state,
            &ctx.user,
            Action::SubmitIndicators,
            Some(m.id),
            &ctx.path,
        )
        .await
        .is_ok();
        may_submit.insert(m.id, ok);
    }
    let name_of = |id: Option<i64>| {
        id.and_then(|id| members.iter().find(|m| m.id == id))
            .map_or_else(|| "chưa bầu".to_owned(), |m| m.name.clone())
    };
    let here = base(&c);
    Ok(ctx.page(
        &c.name,
        html! {
            p.muted { a href="/clusters" { "Cụm, khối thi đua" } }
            h1 { (c.name) span.tag { (c.kind.label()) " " (c.year) } }
            @if manage { p { a.button href={ (here) "/setup" } { "Thiết lập cụm, khối và giao ước" } } }
            section.card {
                dl.facts {
                    dt { "Mã" } dd { code { (c.key) } }
                    dt { "Cụm trưởng" } dd { (name_of(c.leader_unit_id)) }
                    dt { "Cụm phó" } dd { (name_of(c.deputy_unit_id)) }
                    @if !c.regulation.is_empty() { dt { "Quy chế hoạt động" } dd { (c.regulation) } }
                    @if let Some(d) = c.pledge_signed_on { dt { "Ký giao ước" } dd { (format_vn(d)) } }
                }
            }
            section.card {
                h2 { "Thành viên (" (members.len()) ")" }
                ul.members {
                    @for m in &members {
                        li {
                            a href={ "/units/" (m.code) } { (m.name) }
                            @if may_submit.get(&m.id).copied().unwrap_or(false) {
                                " " a.button href={ (here) "/submit/" (m.code) "?period=" (period.code()) } { "Báo cáo " (period.label()) }
                            }
                        }
                    }
                }
                @if !manage && may_submit.values().any(|v| *v) {
                    p { a href={ (here) "/upload?period=" (period.code()) } { "Báo cáo " (period.label()) " bằng tệp Excel" } }
                }
            }
            section.card {
                h2 { "Chỉ tiêu giao ước (" (pledge.len()) ")" }
                table {
                    thead { tr { th { "Chỉ tiêu" } th { "Đơn vị tính" } th { "Tổng hợp" } th { "Mức phấn đấu" } } }
                    tbody {
                        @for (_, i) in &pledge {
                            tr {
                                td { (i.name) }
                                td { (i.unit.name()) }
                                td { @match i.aggregate { tdkt_core::pledge::Aggregate::Mean => "bình quân", tdkt_core::pledge::Aggregate::Sum => "tổng" } }
                                td { @if let Some(t) = i.threshold { "từ " (i.unit.format(t)) } @else { "—" } }
                            }
                        }
                    }
                }
            }
            @if let Some(status) = &status {
                section.card #status {
                    h2 { "Tình hình báo cáo " (period.label()) }
                    form.search method="get" action=(here) {
                        input name="period" value=(period.code()) aria-label="Kỳ báo cáo";
                        button type="submit" { "Xem kỳ" }
                    }
                    p { @if let Some(d) = deadline { "Hạn báo cáo: " (format_vn(d)) "." } @else { "Chưa đặt hạn báo cáo." } }
                    form.search method="post" action={ (here) "/setup/deadline" } {
                        (ctx.csrf_field())
                        input type="hidden" name="period" value=(period.code());
                        input name="due_on" aria-label="Hạn báo cáo (dd/mm/yyyy)" placeholder="dd/mm/yyyy" value=[deadline.map(format_vn)];
                        button type="submit" { "Đặt hạn" }
                    }
                    @let missing: Vec<_> = status.iter().filter(|s| s.missing()).collect();
                    @let late: Vec<_> = status.iter().filter(|s| s.late).collect();
                    h3 { "Chưa báo cáo đủ (" (missing.len()) ")" }
                    ul.missing { @for s in &missing { li { (s.unit.name) " — " (s.reported) "/" (s.of) " chỉ tiêu" } } }
                    h3 { "Báo cáo muộn (" (late.len()) ")" }
                    ul.late { @for s in &late { li { (s.unit.name) @if let Some(at) = &s.first_submitted_at { " — gửi lúc " (tdkt_core::movement::from_utc_text(at).map_or_else(|_| at.clone(), tdkt_core::movement::format_local)) } } } }
                    p {
                        a.button href={ (here) "/review?period=" (period.code()) } { "Dự thảo báo cáo " (period.label()) } " "
                        a.button href={ (here) "/upload?period=" (period.code()) } { "Báo cáo bằng tệp Excel" }
                    }
                }
            }
        },
    ))
}

async fn submit_form(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((key, year, unit)): Path<(String, i32, String)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Markup, AppError> {
    ctx.require()?;
    let (c, unit) = submitting_member(&state, &ctx, &key, year, &unit).await?;
    let period = period_of(q.period.as_deref(), year)?;
    submit_page(&state, &ctx, &c, &unit, period, None, None).await
}

async fn submit_page(
    state: &SharedState,
    ctx: &Ctx,
    c: &Cluster,
    unit: &tdkt_core::org::Unit,
    period: Period,
    err: Option<&AppError>,
    refused: Option<(&HashMap<String, String>, Option<i64>)>,
) -> Result<Markup, AppError> {
    if !state
        .store
        .cluster_members(c.id)
        .await?
        .iter()
        .any(|m| m.id == unit.id)
    {
        return Err(AppError::NotFound);
    }
    let pledge = state.store.pledge(c.id).await?;
    let current: HashMap<i64, Decimal> = state
        .store
        .current_values(c.id, period)
        .await?
        .into_iter()
        .filter(|(u, _, _)| *u == unit.id)
        .map(|(_, i, v)| (i, v))
        .collect();
    Ok(ctx.page(
        "Báo cáo chỉ tiêu",
        html! {
            p.muted { a href=(base(c)) { (c.name) } }
            h1 { (unit.name) ": báo cáo " (period.label()) }
            (form_error(err))
            form.stack method="post" action={ (base(c)) "/submit/" (unit.code) } {
                (ctx.csrf_field())
                input type="hidden" name="period" value=(period.code());
                @for (id, i) in &pledge {
                    @let name = format!("v{id}");
                    // A refused post shows back everything typed, the wrong
                    // value marked (issue 15 item 3).
                    @let value = match refused {
                        Some((typed, _)) => typed.get(&name).cloned(),
                        None => current.get(id).map(|v| tdkt_core::number::format_vi(*v)),
                    };
                    @let bad = refused.is_some_and(|(_, bad)| bad == Some(*id));
                    label {
                        (i.name) " (" (i.unit.name()) ")"
                        input name=(name) inputmode="decimal" autocomplete="off" value=[value]
                            aria-invalid=[bad.then_some("true")] autofocus[bad];
                    }
                }
                p.muted { "Số thập phân dùng dấu phẩy (8,25); dấu chấm ngăn hàng nghìn (1.500 là một nghìn năm trăm). Sửa số đã gửi: số mới thay thế, số cũ vẫn được lưu trong lịch sử." }
                button type="submit" { "Gửi báo cáo" }
            }
        },
    ))
}

async fn submit(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((key, year, unit)): Path<(String, i32, String)>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    let (c, unit) = submitting_member(&state, &ctx, &key, year, &unit).await?;
    let period = period_of(f.get("period").map(String::as_str), year)?;
    let pledge = state.store.pledge(c.id).await?;
    let mut values = Vec::new();
    let mut err = None;
    let mut bad = None;
    for (id, i) in &pledge {
        let raw = f.get(&format!("v{id}")).map_or("", |s| s.trim());
        if raw.is_empty() {
            continue;
        }
        match tdkt_core::number::parse_vi(raw) {
            Ok(v) => values.push((*id, v)),
            Err(e) => {
                // The field by the label the form shows it under.
                err = Some(AppError::Invalid {
                    field: "value",
                    message: format!("{}: {e}.", i.name),
                });
                bad = Some(*id);
                break;
            }
        }
    }
    if err.is_none() && values.is_empty() {
        err = Some(AppError::Invalid {
            field: "value",
            message: "Chưa nhập số liệu nào.".into(),
        });
    }
    let result = match err {
        Some(e) => Err(e),
        None => state
            .store
            .submit_values(&who, c.id, period, unit.id, &values)
            .await
            .map_err(AppError::from),
    };
    match result {
        Ok(_) => Ok(super::saved(
            &format!("{}?period={}", base(&c), period.code()),
            "so-lieu",
        )),
        Err(e) => {
            let status = e.status();
            Ok((
                status,
                submit_page(&state, &ctx, &c, &unit, period, Some(&e), Some((&f, bad))).await?,
            )
                .into_response())
        }
    }
}

/// The draft to show: the saved edit, else the freshly worded report.
async fn document(
    state: &SharedState,
    c: &Cluster,
    period: Period,
) -> Result<(ReviewDocument, tdkt_core::review::ReviewReport), AppError> {
    let report = state.store.review_of(c, period).await?;
    let doc = match state.store.review_draft(c.id, period).await? {
        Some(d) => d,
        None => report.document(),
    };
    Ok((doc, report))
}

async fn review(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx, cluster: c, ..
    }: ManagedCluster,
    Query(q): Query<PeriodQuery>,
) -> Result<Markup, AppError> {
    let period = period_of(q.period.as_deref(), c.year)?;
    let (doc, report) = document(&state, &c, period).await?;
    let here = base(&c);
    let code = period.code();
    Ok(ctx.page(
        &doc.title,
        html! {
            p.muted { a href=(here) { (c.name) } }
            p {
                a.button href={ (here) "/export/docx?period=" (code) } { "Tải DOCX" } " "
                a.button href={ (here) "/export/pdf?period=" (code) } { "Tải PDF" }
            }
            section.card.preview { (PreEscaped(tdkt_docs::html::preview(&doc, &report))) }
            details.card {
                summary { "Chỉnh sửa dự thảo" }
                form.stack method="post" action={ (here) "/review" } {
                    (ctx.csrf_field())
                    input type="hidden" name="period" value=(code);
                    label { "Tiêu đề" input name="title" value=(doc.title); }
                    @for (si, s) in doc.sections.iter().enumerate() {
                        @if let Some(h) = &s.heading { h3 { (h) } }
                        @for (pi, p) in s.paragraphs.iter().enumerate() {
                            label { "Đoạn " (pi + 1)
                                textarea name={ "p_" (si) "_" (pi) } rows="5" { (p.text) }
                            }
                        }
                    }
                    button type="submit" { "Lưu dự thảo" }
                }
            }
        },
    ))
}

async fn save_review(
    State(state): State<SharedState>,
    ManagedCluster {
        cluster: c, who, ..
    }: ManagedCluster,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let period = period_of(f.get("period").map(String::as_str), c.year)?;
    let (mut doc, _) = document(&state, &c, period).await?;
    if let Some(t) = f.get("title").map(|t| t.trim()).filter(|t| !t.is_empty()) {
        t.clone_into(&mut doc.title);
    }
    for (si, s) in doc.sections.iter_mut().enumerate() {
        for (pi, p) in s.paragraphs.iter_mut().enumerate() {
            if let Some(t) = f.get(&format!("p_{si}_{pi}")) {
                t.replace("\r\n", "\n").trim().clone_into(&mut p.text);
            }
        }
        s.paragraphs.retain(|p| !p.text.is_empty());
    }
    state
        .store
        .save_review_draft(&who, c.id, period, &doc)
        .await?;
    Ok(super::saved(
        &format!("{}/review?period={}", base(&c), period.code()),
        "du-thao",
    ))
}

async fn export(
    State(state): State<SharedState>,
    ManagedCluster { cluster: c, .. }: ManagedCluster,
    Path((_, _, format)): Path<(String, i32, String)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let period = period_of(q.period.as_deref(), c.year)?;
    let format = Format::parse(&format).map_err(|_| AppError::NotFound)?;
    let (doc, report) = document(&state, &c, period).await?;
    let bytes =
        tdkt_docs::render(format, &doc, &report).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!(
        "bao-cao-{}-{}.{}",
        c.key,
        period.code().replace(['/', ':'], "_"),
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.mime().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
