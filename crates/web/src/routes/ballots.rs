//! Secret ballots (*bỏ phiếu kín*) on the web: a council member's list of
//! ballots and a one-form, phone-sized voting page that shows the receipt
//! once; officers open and close ballots and read the results and the
//! minutes (*biên bản kiểm phiếu*); anyone signed in checks a receipt.
//!
//! Who sees a ballot: officers whose scope reaches the ballot's unit
//! ([`Action::RunEvaluation`]) and the accounts on its voter list; everyone
//! else gets 404. Before close only the turnout is shown, never a count.
//! The JSON API (`/api/v1/ballots/…`) has the same gates.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{Action, Principal, Role};
use tdkt_core::ballot::{Base, Content, Elected, Outcome, Question};
use tdkt_store::ballots::{BallotInfo, VoterStanding};

use crate::auth::{authorize, CurrentUser};
use crate::layout::Ctx;
use crate::{AppError, SharedState};

mod json;
mod managed;
mod new;
pub use json::api_router;
use new::{create, create_form, Choices, CreateForm};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/ballots", get(list).post(create))
        .route("/ballots/{id}", get(page))
        .route("/ballots/{id}/vote", post(vote))
        .route("/ballots/{id}/close", post(close))
        .route("/ballots/{id}/minutes", get(minutes))
        .route("/receipts", get(receipt_page))
}

/// What the caller may do with one ballot.
pub(super) struct Seen {
    pub(super) info: BallotInfo,
    manager: bool,
    standing: VoterStanding,
}

/// Loads a ballot the caller may see: a manager in scope or a voter on the
/// list. Anyone else, and unknown ids, get 404.
pub(super) async fn seen(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    next: &str,
) -> Result<Seen, AppError> {
    let who = user.require(next)?;
    let info = state.store.ballot(id).await?;
    let manager = authorize(state, user, Action::RunEvaluation, Some(info.unit_id), next)
        .await
        .is_ok();
    let standing = state.store.standing(id, who.user_id).await?;
    if !manager && !standing.eligible {
        return Err(AppError::NotFound);
    }
    Ok(Seen {
        info,
        manager,
        standing,
    })
}

/// Ballots the caller manages (officers: their subtree; admin: all).
async fn managed(state: &SharedState, who: &Principal) -> Result<Vec<BallotInfo>, AppError> {
    if !tdkt_core::access::role_may(who.role, Action::RunEvaluation) {
        return Ok(Vec::new());
    }
    Ok(match (who.role, who.scope_unit) {
        (Role::Admin, _) => state.store.ballots_in(None).await?,
        (_, Some(root)) => {
            let scope = state.store.lineage().await?.scope(root);
            state.store.ballots_in(Some(&scope)).await?
        }
        (_, None) => Vec::new(),
    })
}

pub(super) fn question_label(q: Question) -> String {
    match q {
        Question::YesNo => "Đồng ý / không đồng ý với từng ứng viên".into(),
        Question::PickUpTo { k } => format!("Chọn tối đa {k} ứng viên"),
    }
}

pub(super) fn base_label(b: Base) -> &'static str {
    match b {
        Base::Eligible => "tổng số cử tri",
        Base::Present => "số cử tri tham gia",
        Base::ValidBallots => "số phiếu hợp lệ",
    }
}

fn state_tag(info: &BallotInfo) -> Markup {
    html! {
        @if info.closed { span.tag.ended { "đã kết thúc" } } @else { span.tag { "đang bỏ phiếu" } }
    }
}

async fn list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<crate::listing::ListQuery>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.clone();
    // Listing needs no unit: each row below is filtered by scope or list.
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let view = managed::view(&q);
    let found = managed::arrange(&view, managed(&state, &who).await?);
    if let Some(f) = view.format {
        return crate::listing::export(
            f,
            "Cuộc bỏ phiếu",
            "cuoc-bo-phieu",
            &managed::COLUMNS,
            found.rows.iter().map(managed::row),
        );
    }
    let mine = state.store.ballots_of_voter(who.user_id).await?;
    let may_create = tdkt_core::access::role_may(who.role, Action::RunEvaluation);
    let choices = if may_create {
        Some(Choices::load(&state, &ctx).await?)
    } else {
        None
    };
    Ok(axum::response::IntoResponse::into_response(ctx.page(
        "Bỏ phiếu kín",
        html! {
            h1 { "Bỏ phiếu kín" }
            section.card {
                h2 { "Cuộc bỏ phiếu của tôi" }
                @if mine.is_empty() {
                    p.muted { "Bạn không có tên trong danh sách cử tri của cuộc bỏ phiếu nào." }
                } @else {
                    ul.ballots {
                        @for (b, voted) in &mine {
                            li {
                                a href={ "/ballots/" (b.id) } { (b.spec.title) }
                                " " (state_tag(b))
                                @if *voted { span.tag { "đã bỏ phiếu" } }
                                @else if !b.closed { " " a.button href={ "/ballots/" (b.id) } { "Bỏ phiếu" } }
                                @if !b.context.is_empty() { br; span.muted { (b.context) } }
                            }
                        }
                    }
                }
                p { a href="/receipts" { "Kiểm tra mã biên nhận" } }
            }
            @if let Some(choices) = &choices {
                section.card {
                    h2 { "Cuộc bỏ phiếu do đơn vị tôi tổ chức" }
                    (managed::section(&view, &found))
                }
                details.card {
                    summary { "Mở cuộc bỏ phiếu mới" }
                    (create_form(&ctx, choices, &CreateForm::default(), None))
                }
            }
        },
    )))
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let b = &s.info;
    let may_vote = s.standing.eligible && !s.standing.voted && !b.closed;
    Ok(ctx.page(
        &b.spec.title,
        html! {
            p.muted { a href="/ballots" { "Bỏ phiếu kín" } }
            h1 { (b.spec.title) " " (state_tag(b)) }
            @if !b.context.is_empty() { p.lead { (b.context) } }
            section.card {
                dl.facts {
                    dt { "Hình thức" } dd { (question_label(b.spec.question)) }
                    dt { "Tỷ lệ tối thiểu" } dd { (b.spec.quorum.num) "/" (b.spec.quorum.den) " cử tri (cần " (b.spec.quorum.required(b.spec.eligible)) ")" }
                    dt { "Ngưỡng đạt" } dd { (b.spec.threshold.percent_text()) "% " (base_label(b.spec.threshold.base)) }
                    dt { "Đã bỏ phiếu" } dd #turnout { (b.turnout) "/" (b.spec.eligible) " cử tri" }
                }
                @if !b.closed { p.muted { "Kết quả chỉ được kiểm sau khi kết thúc bỏ phiếu; trước đó chỉ hiển thị số người đã bỏ phiếu." } }
            }
            @if may_vote {
                (vote_form(&ctx, b))
            } @else if s.standing.voted {
                p.notice { "Bạn đã bỏ phiếu. Giữ mã biên nhận để kiểm tra phiếu của mình đã được tính." }
            }
            @if b.closed {
                p { a.button href={ "/ballots/" (b.id) "/minutes" } { "Kết quả và biên bản kiểm phiếu" } }
            } @else if s.manager {
                form method="post" action={ "/ballots/" (b.id) "/close" } {
                    (ctx.csrf_field())
                    button.secondary type="submit" { "Kết thúc bỏ phiếu và kiểm phiếu" }
                }
            }
        },
    ))
}

fn vote_form(ctx: &Ctx, b: &BallotInfo) -> Markup {
    html! {
        form.stack.card #vote method="post" action={ "/ballots/" (b.id) "/vote" } {
            (ctx.csrf_field())
            h2 { "Phiếu bầu" }
            @match b.spec.question {
                Question::YesNo => {
                    @for (i, c) in b.spec.candidates.iter().enumerate() {
                        fieldset {
                            legend { (c.name) }
                            label { input type="radio" name={ "yn-" (i) } value="yes"; " Đồng ý" }
                            label { input type="radio" name={ "yn-" (i) } value="no"; " Không đồng ý" }
                        }
                    }
                }
                Question::PickUpTo { k } => {
                    p.muted { "Chọn tối đa " (k) " ứng viên; chọn nhiều hơn thì phiếu không hợp lệ." }
                    @for (i, c) in b.spec.candidates.iter().enumerate() {
                        label { input type="checkbox" name="pick" value=(i); " " (c.name) }
                    }
                }
            }
            button type="submit" { "Gửi phiếu" }
            p.muted { "Phiếu được lưu tách khỏi tên bạn; không ai xem được bạn đã bầu thế nào." }
        }
    }
}

/// Reads the voting form: `yn-<i>` = yes/no per candidate, or `pick` = index.
fn content_of(b: &BallotInfo, fields: &[(String, String)]) -> Result<Content, AppError> {
    let candidate = |i: &str| {
        i.parse::<usize>()
            .ok()
            .and_then(|i| b.spec.candidates.get(i))
            .map(|c| c.id.clone())
            .ok_or_else(|| AppError::Invalid {
                field: "content",
                message: "Phiếu có ứng viên không có trong danh sách: phiếu bị từ chối.".into(),
            })
    };
    Ok(match b.spec.question {
        Question::YesNo => {
            let mut marks = BTreeMap::new();
            for (k, v) in fields {
                if let Some(i) = k.strip_prefix("yn-") {
                    let id = candidate(i)?;
                    match v.as_str() {
                        "yes" => {
                            marks.insert(id, true);
                        }
                        "no" => {
                            marks.insert(id, false);
                        }
                        _ => {}
                    }
                }
            }
            Content::YesNo(marks)
        }
        Question::PickUpTo { .. } => {
            let mut picks = BTreeSet::new();
            for (k, v) in fields {
                if k == "pick" {
                    picks.insert(candidate(v)?);
                }
            }
            Content::Picks(picks)
        }
    })
}

async fn vote(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Markup, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let who = ctx.require()?;
    let content = content_of(&s.info, &fields)?;
    let code = state.store.cast_vote(id, who.user_id, content).await?;
    Ok(ctx.page(
        "Đã nhận phiếu",
        html! {
            h1 { "Đã nhận phiếu của bạn" }
            section.card {
                p.lead { (s.info.spec.title) }
                p { "Mã biên nhận (chỉ hiển thị một lần, hãy chép lại):" }
                p { code #receipt style="font-size:1.25rem;word-break:break-all" { (code) } }
                p.muted { "Mã này cho phép bạn kiểm tra phiếu của mình đã được tính, nhưng không cho biết bạn đã bầu thế nào." }
                p { a href="/ballots" { "Về danh sách cuộc bỏ phiếu" } " · " a href="/receipts" { "Kiểm tra mã biên nhận" } }
            }
        },
    ))
}

async fn close(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    authorize(
        &state,
        &ctx.user,
        Action::RunEvaluation,
        Some(s.info.unit_id),
        &ctx.path,
    )
    .await?;
    state.store.close_ballot(&who, id).await?;
    Ok(super::saved(
        &format!("/ballots/{id}/minutes"),
        "ket-thuc-bo-phieu",
    ))
}

fn outcome_markup(b: &BallotInfo, outcome: &Outcome) -> Markup {
    html! {
        @match outcome {
            Outcome::NoQuorum { explanation, .. } => {
                p.alert #no-quorum { (explanation) }
            }
            Outcome::Counted(t) => {
                dl.facts {
                    dt { "Tổng số cử tri" } dd { (t.eligible) }
                    dt { "Số cử tri tham gia" } dd { (t.present) }
                    dt { "Số phiếu thu về" } dd { (t.cast) }
                    dt { "Số phiếu hợp lệ" } dd { (t.valid) }
                    dt { "Số phiếu không hợp lệ" } dd { (t.invalid) }
                }
                table.responsive #results {
                    thead { tr { th { "Ứng viên" } th.num { "Đồng ý" } th.num { "Không đồng ý" } th.num { "Để trống" } th.num { "Tỷ lệ" } th { "Kết quả" } } }
                    tbody {
                        @for c in &t.candidates {
                            tr {
                                td data-label="Ứng viên" { (c.name) }
                                td.num data-label="Đồng ý" { (c.yes) "/" (c.base) }
                                td.num data-label="Không đồng ý" { (c.no) }
                                td.num data-label="Để trống" { (c.blank) }
                                td.num data-label="Tỷ lệ" { (tdkt_core::number::format_vi(c.share_percent)) "%" }
                                td data-label="Kết quả" {
                                    @match c.elected {
                                        Elected::Yes => strong { "Đạt" },
                                        Elected::TieAtCutoff => "Bằng phiếu, cần bỏ phiếu lại",
                                        Elected::No => "Không đạt",
                                    }
                                }
                            }
                        }
                    }
                }
                @for c in &t.candidates { p.muted { (c.explanation) } }
                p.lead { (t.explanation) }
            }
        }
        p.muted { "Ngưỡng đạt " (b.spec.threshold.percent_text()) "% " (base_label(b.spec.threshold.base)) ": đạt khi số phiếu đồng ý × 100 ≥ ngưỡng × cơ sở tính, so sánh số nguyên, không làm tròn." }
    }
}

async fn minutes(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let b = &s.info;
    let outcome = state.store.ballot_result(id).await?;
    let unit = state.store.unit(b.unit_id).await?;
    // worded in core, framed as the DOCX and PDF of `minutes.rs`
    let minutes = super::minutes::minutes_of(b, &unit.name, &outcome);
    let (doc, frame) = (minutes.vietnamese(), minutes.vietnamese_frame());
    Ok(ctx.page(
        "Biên bản kiểm phiếu",
        html! {
            p.muted { a href={ "/ballots/" (b.id) } { (b.spec.title) } }
            article.card #minutes {
                (crate::view::frame_head(&frame, &doc.title))
                @if let Some(s) = doc.sections.first() {
                    @for p in &s.paragraphs { p { (p.text) } }
                }
                (outcome_markup(b, &outcome))
                @if let Some(s) = doc.sections.last() {
                    @if let Some(h) = &s.heading { h2 { (h) } }
                    @for p in &s.paragraphs { p.muted { (p.text) } }
                }
                (crate::view::frame_foot(&frame))
            }
            p #minutes-files { "Tải biên bản: " a href={ "/ballots/" (b.id) "/minutes/docx" } { "Word (.docx)" } " · " a href={ "/ballots/" (b.id) "/minutes/pdf" } { "PDF" } }
        },
    ))
}

#[derive(Deserialize)]
struct ReceiptQuery {
    code: Option<String>,
}

async fn receipt_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<ReceiptQuery>,
) -> Result<Markup, AppError> {
    ctx.require()?;
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let code = q.code.unwrap_or_default();
    let checked = if code.trim().is_empty() {
        None
    } else {
        Some(state.store.verify_receipt(&code).await)
    };
    Ok(ctx.page(
        "Kiểm tra mã biên nhận",
        html! {
            h1 { "Kiểm tra mã biên nhận" }
            form.search method="get" action="/receipts" {
                input name="code" value=(code) placeholder="vd. 3QK7M-0A9ZX-…" aria-label="Mã biên nhận" autocomplete="off";
                button type="submit" { "Kiểm tra" }
            }
            @match checked {
                None => {}
                Some(Ok(Some(r))) => p.notice #receipt-ok { "Phiếu có mã này đã được ghi nhận trong cuộc bỏ phiếu “" (r.title) "”" @if r.closed { " và đã được kiểm." } @else { "; cuộc bỏ phiếu chưa kết thúc." } },
                Some(Ok(None)) => p.alert #receipt-unknown { "Không có phiếu nào mang mã biên nhận này." },
                Some(Err(e)) => p.alert { (AppError::from(e).to_string()) },
            }
        },
    ))
}
