//! The council (*Hội đồng Thi đua - Khen thưởng*) of a unit (issue 14): its
//! members (`/councils/{unit}`) and sessions (`/councils/{unit}/sessions`)
//! as lists (`list`), a new session with an agenda of the
//! dossiers held at the unit's level, and the session page
//! (`/council-sessions/{id}`: attendance, quorum, open the vote, close,
//! results) with its generated minutes as HTML and DOCX. Members vote on
//! the session's ballot through the ballot pages (`/ballots/{id}`), where
//! being on the voter list (present at the session) is the right to vote.
//!
//! Reading needs `ReadCouncil` on the unit (404 outside the subtree);
//! writing needs `ManageCouncil` (403 without the role), checked before the
//! form is read.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::Action;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_store::councils::{NewMember, NewSession, SessionView};

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

mod list;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/councils/{unit}", get(list::members))
        .route("/councils/{unit}/members", post(add_member))
        .route("/councils/{unit}/members/{id}/end", post(end_member))
        .route("/councils/{unit}/sessions/new", get(new_session))
        .route(
            "/councils/{unit}/sessions",
            get(list::sessions).post(create_session),
        )
        .route("/council-sessions/{id}", get(session_page))
        .route("/council-sessions/{id}/attendance", post(attendance))
        .route("/council-sessions/{id}/open", post(open))
        .route("/council-sessions/{id}/close", post(close))
        .route("/council-sessions/{id}/minutes", get(minutes_page))
        .route("/council-sessions/{id}/minutes.docx", get(minutes_docx))
}

fn session_url(id: i64) -> String {
    format!("/council-sessions/{id}")
}

/// The unit by code, if `action` is allowed on it (404 outside scope).
async fn unit_for(
    state: &SharedState,
    ctx: &Ctx,
    code: &str,
    action: Action,
) -> Result<tdkt_core::org::Unit, AppError> {
    ctx.require()?;
    let unit = state
        .store
        .unit_by_code(code)
        .await
        .map_err(|_| AppError::NotFound)?;
    authorize(state, &ctx.user, action, Some(unit.id), &ctx.path).await?;
    Ok(unit)
}

/// The session, if `action` is allowed on its unit.
async fn session_for(
    state: &SharedState,
    ctx: &Ctx,
    id: i64,
    action: Action,
) -> Result<SessionView, AppError> {
    ctx.require()?;
    let s = state
        .store
        .council_session(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    authorize(state, &ctx.user, action, Some(s.unit_id), &ctx.path).await?;
    Ok(state.store.council_session_view(id).await?)
}

fn may_manage(ctx: &Ctx) -> bool {
    ctx.principal()
        .is_some_and(|p| tdkt_core::access::role_may(p.role, Action::ManageCouncil))
}

#[derive(Deserialize)]
struct MemberForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn add_member(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ManageCouncil).await?;
    let who = ctx.require()?;
    let m = NewMember::parse(&f.username, &f.role, &f.from, &f.to)?;
    state
        .store
        .add_council_member(&who.username, unit.id, &m)
        .await?;
    Ok(super::saved(
        &format!("/councils/{}", unit.code),
        "thanh-vien-hd",
    ))
}

#[derive(Deserialize)]
struct EndForm {
    #[serde(default)]
    to: String,
}

/// Ends a membership on its last day served, e.g. when the decision that
/// sets the council's composition changes (the organisation of a council of
/// a ministry, a province or a unit under them is theirs to decide: điểm đ,
/// e khoản 2 Điều 6 NĐ 152/2025/NĐ-CP). Sessions held after that
/// day no longer count the member in the quorum or the whole membership.
async fn end_member(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<EndForm>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ManageCouncil).await?;
    let who = ctx.require()?;
    // a member of another council is not found here
    let m = state
        .store
        .council_member(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    if m.unit_id != unit.id {
        return Err(AppError::NotFound);
    }
    let to = tdkt_core::date::parse(&f.to).map_err(|e| {
        tdkt_core::DomainError::invalid("to", format!("Ngày thôi là thành viên: {e}."))
    })?;
    state
        .store
        .end_council_member(&who.username, id, to)
        .await?;
    Ok(super::saved(
        &format!("/councils/{}", unit.code),
        "thoi-thanh-vien-hd",
    ))
}

async fn new_session(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Markup, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ManageCouncil).await?;
    let dossiers = state.store.council_agenda_candidates(unit.id).await?;
    let catalogue = tdkt_store::rules::current().catalogue();
    Ok(ctx.page(
        "Tạo phiên họp Hội đồng",
        html! {
            p.muted { a href={ "/councils/" (unit.code) } { "Hội đồng TĐKT " (unit.name) } }
            h1 { "Tạo phiên họp Hội đồng Thi đua - Khen thưởng" }
            form.stack method="post" action={ "/councils/" (unit.code) "/sessions" } {
                (ctx.csrf_field())
                label { "Ngày họp" input name="held_on" value=(format_vn(today_vn())) required; }
                label { "Địa điểm" input name="place" required; }
                fieldset #agenda {
                    legend { "Chương trình họp: hồ sơ đang chờ xử lý ở cấp này" }
                    @if dossiers.is_empty() { p.muted { "Không có hồ sơ nào đang chờ cấp này xử lý." } }
                    @for d in &dossiers {
                        label { input type="checkbox" name="dossier" value=(d.id) checked;
                            " Hồ sơ #" (d.id) " — " (catalogue.get(&d.award_code).map_or(d.award_code.as_str(), |a| a.name.as_str())) " (" (d.unit_name) ", " (d.recipients) " người, tập thể)" }
                    }
                }
                button type="submit" { "Tạo phiên họp" }
            }
        },
    ))
}

async fn create_session(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ManageCouncil).await?;
    let who = ctx.require()?;
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let held_on = tdkt_core::date::parse(get("held_on")).map_err(|m| AppError::Invalid {
        field: "held_on",
        message: format!("Ngày họp: {m}."),
    })?;
    let mut dossiers = Vec::new();
    for (_, v) in fields.iter().filter(|(k, _)| k == "dossier") {
        dossiers.push(v.trim().parse::<i64>().map_err(|_| AppError::Invalid {
            field: "dossier",
            message: format!("Số hồ sơ «{v}» không hợp lệ."),
        })?);
    }
    let id = state
        .store
        .create_council_session(
            &who.username,
            &NewSession {
                unit_id: unit.id,
                held_on,
                place: get("place").to_owned(),
                dossiers,
            },
        )
        .await?;
    Ok(super::saved(&session_url(id), "phien-hop"))
}

fn results(v: &SessionView) -> Markup {
    html! {
        table.responsive #agenda { thead { tr { th { "Hồ sơ" } th { "Danh hiệu, hình thức" } th { "Người, tập thể" } th { "Yêu cầu" } th { "Kết quả" } } }
        tbody { @for a in &v.agenda { tr class=[a.passed.map(|p| if p { "pass" } else { "fail" })] {
            td data-label="Hồ sơ" { a href={ "/dossiers/" (a.dossier_id) } { "#" (a.dossier_id) } }
            td data-label="Danh hiệu, hình thức" { (a.award_name()) }
            td data-label="Người, tập thể" { (a.recipients) }
            td data-label="Yêu cầu" { @if let Some(r) = a.rule() { (r.text()) " " (r.base.label()) " " span.cite { "[" (r.citation) "]" } } @else { span.muted { "khi mở bỏ phiếu" } } }
            td data-label="Kết quả" { @match (a.passed, &a.explanation) {
                (Some(true), Some(e)) => { strong { "Đạt" } ": " (e) }
                (Some(false), Some(e)) => { strong { "Không đạt" } ": " (e) }
                _ => { span.muted { "chưa có" } }
            } }
        } } } }
    }
}

async fn session_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let v = session_for(&state, &ctx, id, Action::ReadCouncil).await?;
    let manage = may_manage(&ctx);
    let s = &v.session;
    let (members, present) = (v.members(), v.present());
    let required = v.quorum.quorum().required(members);
    let preparing = s.status == "preparing";
    Ok(ctx.page(
        &format!("Phiên họp Hội đồng #{id}"),
        html! {
            p.muted { a href={ "/councils/" (v.unit_code) } { "Hội đồng TĐKT " (v.unit_name) } }
            h1 { "Phiên họp Hội đồng Thi đua - Khen thưởng #" (id) }
            p { "Ngày " (format_vn(s.held_on)) " tại " (s.place) " — " strong #status { (s.status_label()) } }
            section.card #attendance-card {
                h2 { "Điểm danh" }
                p #quorum { "Có mặt " (present) "/" (members) " thành viên; cần ít nhất " (v.quorum.num) "/" (v.quorum.den) " tổng số thành viên (" (required) " người) " span.cite { "[" (v.quorum.citation) "]" } }
                @if preparing && manage {
                    form.stack method="post" action={ (session_url(id)) "/attendance" } {
                        (ctx.csrf_field())
                        @for (m, p) in &v.attendance {
                            label { input type="checkbox" name="present" value=(m.id) checked[*p]; " " (m.full_name) " — " (m.role().label()) }
                        }
                        button type="submit" { "Lưu điểm danh" }
                    }
                    form method="post" action={ (session_url(id)) "/open" } {
                        (ctx.csrf_field())
                        button type="submit" #open-vote { "Mở bỏ phiếu kín" }
                    }
                } @else {
                    ul { @for (m, p) in &v.attendance { li { (m.full_name) " — " (m.role().label()) ": " @if *p { "có mặt" } @else { "vắng mặt" } } } }
                }
            }
            section.card {
                h2 { "Chương trình họp và kết quả" }
                (results(&v))
                @if let Some(b) = s.ballot_id {
                    p { "Phiếu bầu: " a #ballot href={ "/ballots/" (b) } { "cuộc bỏ phiếu #" (b) } " (thành viên có mặt bỏ phiếu tại đây)." }
                }
                @if s.status == "voting" && manage {
                    form method="post" action={ (session_url(id)) "/close" } {
                        (ctx.csrf_field())
                        button type="submit" #close-vote { "Kết thúc bỏ phiếu và ghi kết quả" }
                    }
                }
                @if s.status == "closed" {
                    p { a #minutes href={ (session_url(id)) "/minutes" } { "Biên bản họp" } " · " a href={ (session_url(id)) "/minutes.docx" } { "Tải DOCX" } }
                }
            }
        },
    ))
}

async fn attendance(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    session_for(&state, &ctx, id, Action::ManageCouncil).await?;
    let who = ctx.require()?;
    let mut present = BTreeSet::new();
    for (_, v) in fields.iter().filter(|(k, _)| k == "present") {
        present.insert(v.trim().parse::<i64>().map_err(|_| AppError::Invalid {
            field: "present",
            message: format!("Thành viên «{v}» không hợp lệ."),
        })?);
    }
    state
        .store
        .set_council_attendance(&who.username, id, &present)
        .await?;
    Ok(super::saved(&session_url(id), "co-mat"))
}

async fn open(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    session_for(&state, &ctx, id, Action::ManageCouncil).await?;
    let who = ctx.require()?;
    state.store.open_council_vote(&who.username, id).await?;
    Ok(super::saved(&session_url(id), "mo-bieu-quyet"))
}

async fn close(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    session_for(&state, &ctx, id, Action::ManageCouncil).await?;
    let who = ctx.require()?;
    state.store.close_council_session(&who.username, id).await?;
    Ok(super::saved(&session_url(id), "ket-thuc-phien"))
}

async fn closed(state: &SharedState, ctx: &Ctx, id: i64) -> Result<SessionView, AppError> {
    let v = session_for(state, ctx, id, Action::ReadCouncil).await?;
    if v.session.status != "closed" {
        return Err(AppError::NotFound);
    }
    Ok(v)
}

async fn minutes_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let v = closed(&state, &ctx, id).await?;
    let (doc, frame) = (v.minutes(), v.minutes_frame());
    Ok(ctx.page(
        &doc.title,
        html! {
            p.muted { a href=(session_url(id)) { "Phiên họp #" (id) } " · " a href={ (session_url(id)) "/minutes.docx" } { "Tải DOCX" } }
            article.card #council-minutes {
                (crate::view::frame_head(&frame, &doc.title))
                @for s in &doc.sections {
                    @if let Some(h) = &s.heading { h2 { (h) } }
                    @for p in &s.paragraphs { p style="white-space:pre-wrap" { (p.text) } }
                }
                (crate::view::frame_foot(&frame))
            }
        },
    ))
}

async fn minutes_docx(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = closed(&state, &ctx, id).await?;
    // in the official frame (NĐ 30/2020/NĐ-CP), as the page shows it
    let bytes = tdkt_docs::framed::docx(&v.minutes(), &v.minutes_frame())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                tdkt_docs::Format::Docx.mime().to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bien-ban-hoi-dong-{id}.docx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
