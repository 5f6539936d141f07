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
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};
use tdkt_core::access::{Action, Principal, Role};
use tdkt_core::ballot::{
    BallotSpec, Base, Candidate, Content, Elected, Outcome, Question, Quorum, Threshold,
};
use tdkt_core::scoring::MemberId;
use tdkt_store::accounts::Account;
use tdkt_store::ballots::{BallotInfo, NewBallot, VoterStanding};

use crate::auth::{authorize, CurrentUser};
use crate::layout::{form_error, Ctx};
use crate::load::cluster_named;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/ballots", get(list).post(create))
        .route("/ballots/{id}", get(page))
        .route("/ballots/{id}/vote", post(vote))
        .route("/ballots/{id}/close", post(close))
        .route("/ballots/{id}/minutes", get(minutes))
        .route("/receipts", get(receipt_page))
}

/// `/api/v1/ballots/…` and `/api/v1/receipts/{code}`.
pub fn api_router() -> Router<SharedState> {
    Router::new()
        .route("/api/v1/ballots", get(api_list).post(api_create))
        .route("/api/v1/ballots/{id}", get(api_get))
        .route("/api/v1/ballots/{id}/votes", post(api_vote))
        .route("/api/v1/ballots/{id}/close", post(api_close))
        .route("/api/v1/ballots/{id}/result", get(api_result))
        .route("/api/v1/receipts/{code}", get(api_receipt))
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

async fn list(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    let who = ctx.require()?.clone();
    // Listing needs no unit: each row below is filtered by scope or list.
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let mine = state.store.ballots_of_voter(who.user_id).await?;
    let managed = managed(&state, &who).await?;
    let may_create = tdkt_core::access::role_may(who.role, Action::RunEvaluation);
    let choices = if may_create {
        voter_choices(&state, &who).await?
    } else {
        Vec::new()
    };
    Ok(ctx.page(
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
            @if may_create {
                section.card {
                    h2 { "Cuộc bỏ phiếu do đơn vị tôi tổ chức" }
                    @if managed.is_empty() { p.muted { "Chưa có cuộc bỏ phiếu nào." } } @else {
                        table.responsive #managed {
                            thead { tr { th { "Cuộc bỏ phiếu" } th { "Bối cảnh" } th { "Tham gia" } th { "Trạng thái" } } }
                            tbody {
                                @for b in &managed {
                                    tr {
                                        td data-label="Cuộc bỏ phiếu" { a href={ "/ballots/" (b.id) } { (b.spec.title) } }
                                        td data-label="Bối cảnh" { (b.context) }
                                        td.num data-label="Tham gia" { (b.turnout) "/" (b.spec.eligible) }
                                        td data-label="Trạng thái" { (state_tag(b)) }
                                    }
                                }
                            }
                        }
                    }
                }
                details.card {
                    summary { "Mở cuộc bỏ phiếu mới" }
                    (create_form(&ctx, &choices, &BTreeSet::new(), None))
                }
            }
        },
    ))
}

/// The accounts an organiser may put on a voter list (issue 12: chosen, not
/// typed, so that the form is no oracle of user names): active accounts
/// whose scope unit lies in the caller's subtree (lineage-aware: Cần Thơ's
/// officer sees Hậu Giang's and Sóc Trăng's accounts), or is a member of a
/// scoring round opened in that subtree or of a cluster organised or led
/// from it (a cluster's vote gathers its members from other provinces).
/// Admins: every active account.
///
/// # Errors
/// Database failure.
pub(crate) async fn voter_choices(
    state: &SharedState,
    who: &Principal,
) -> Result<Vec<Account>, AppError> {
    let accounts = state
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| a.active);
    if who.role == Role::Admin {
        return Ok(accounts.collect());
    }
    let Some(root) = who.scope_unit else {
        return Ok(Vec::new());
    };
    let mut units = state.store.lineage().await?.scope(root);
    let rounds = state.store.rounds_in(Some(&units)).await?;
    let codes: BTreeSet<&str> = rounds
        .iter()
        .flat_map(|r| r.round.members.iter().map(|m| m.0.as_str()))
        .collect();
    let by_code = state.store.units_by_codes(codes).await?;
    let mut members: Vec<i64> = by_code.values().map(|u| u.id).collect();
    for c in state.store.clusters(None).await? {
        let organizer = state.store.cluster_settings(c.id).await?.organizer_unit_id;
        if c.leader_unit_id
            .into_iter()
            .chain(organizer)
            .any(|u| units.contains(&u))
        {
            members.extend(
                state
                    .store
                    .cluster_members(c.id)
                    .await?
                    .iter()
                    .map(|u| u.id),
            );
        }
    }
    units.extend(members);
    Ok(accounts
        .filter(|a| a.scope_unit_id.is_some_and(|u| units.contains(&u)))
        .collect())
}

/// The one answer to a voter that is unknown or not among the caller's
/// choices: it never tells which (issue 12).
fn not_a_choice() -> AppError {
    AppError::Invalid {
        field: "voters",
        message: "Cử tri phải được chọn trong danh sách tài khoản thuộc phạm vi của bạn.".into(),
    }
}

/// The user names of the chosen voters: each submitted value is an account
/// id (the form's check boxes) or a user name (the API) among `choices`.
///
/// # Errors
/// Any value that is not one of `choices`, with one generic message.
fn chosen_voters(choices: &[Account], submitted: &[String]) -> Result<Vec<String>, AppError> {
    submitted
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(|v| {
            choices
                .iter()
                .find(|a| a.id.to_string() == v || a.username.eq_ignore_ascii_case(v))
                .map(|a| a.username.clone())
                .ok_or_else(not_a_choice)
        })
        .collect()
}

fn create_form(
    ctx: &Ctx,
    choices: &[Account],
    checked: &BTreeSet<String>,
    err: Option<&AppError>,
) -> Markup {
    html! {
        (form_error(err))
        form.stack method="post" action="/ballots" {
            (ctx.csrf_field())
            label { "Mã đơn vị tổ chức" input name="unit" required placeholder="vd. hau-giang"; }
            label { "Bối cảnh" input name="context" placeholder="vd. Cụm thi đua Tây Nam bộ 2019"; }
            label { "Tiêu đề" input name="title" required placeholder="vd. Bình xét Cờ thi đua của Chính phủ năm 2019"; }
            label { "Hình thức"
                select name="question" {
                    option value="yes-no" { "Đồng ý / không đồng ý với từng ứng viên" }
                    option value="pick" { "Chọn tối đa k ứng viên" }
                }
            }
            label { "k (số ứng viên được chọn tối đa)" input name="k" type="number" min="1" value="1"; }
            label { "Ứng viên, mỗi dòng một: mã đơn vị, hoặc “mã | tên”" textarea name="candidates" rows="5" required {} }
            fieldset #voters {
                legend { "Cử tri (tài khoản thuộc phạm vi của bạn)" }
                @if choices.is_empty() { p.muted { "Chưa có tài khoản nào để chọn." } }
                @for a in choices {
                    label.check {
                        input type="checkbox" name="voter" value=(a.id) data-username=(a.username) checked[checked.contains(&a.username)];
                        " " (a.full_name) " " span.muted { "(" (a.username) ")" }
                    }
                }
            }
            label { "Theo quy chế của cụm, khối (mã/năm, để trống nếu không)" input name="cluster" placeholder="vd. tay-nam-bo/2019"; }
            p.muted { "Khi ghi cụm, khối: tỷ lệ tham gia, ngưỡng đạt và cơ sở tính lấy theo quy chế đã lưu của cụm, khối; các ô dưới đây không dùng." }
            label { "Tỷ lệ tối thiểu tham gia (tử số / mẫu số)"
                span { input name="quorum_num" type="number" min="1" value="2" style="width:5rem"; " / " input name="quorum_den" type="number" min="1" value="3" style="width:5rem"; }
            }
            label { "Ngưỡng đạt (%)" input name="percent" inputmode="decimal" value="70"; }
            label { "Tính trên"
                select name="base" {
                    @for b in [Base::Eligible, Base::Present, Base::ValidBallots] {
                        option value=(b.code()) { (base_label(b)) }
                    }
                }
            }
            button type="submit" { "Mở cuộc bỏ phiếu" }
        }
    }
}

struct CreateForm {
    unit: String,
    context: String,
    title: String,
    question: String,
    k: Option<String>,
    candidates: String,
    /// Account ids of the voters checked (field `voter`, repeated).
    voters: Vec<String>,
    quorum_num: String,
    quorum_den: String,
    percent: String,
    base: String,
    cluster: String,
}

fn number(field: &'static str, s: &str, what: &str) -> Result<u32, AppError> {
    s.trim().parse().map_err(|_| AppError::Invalid {
        field,
        message: format!("{what} phải là số nguyên dương."),
    })
}

impl CreateForm {
    /// From the form's fields; `voter` may repeat (one per check box).
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let one = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Self {
            unit: one("unit"),
            context: one("context"),
            title: one("title"),
            question: one("question"),
            k: Some(one("k")).filter(|k| !k.is_empty()),
            candidates: one("candidates"),
            voters: pairs
                .iter()
                .filter(|(k, _)| k == "voter")
                .map(|(_, v)| v.clone())
                .collect(),
            quorum_num: one("quorum_num"),
            quorum_den: one("quorum_den"),
            percent: one("percent"),
            base: one("base"),
            cluster: one("cluster"),
        }
    }

    async fn parse(&self, state: &SharedState, choices: &[Account]) -> Result<NewBallot, AppError> {
        let question = match self.question.as_str() {
            "pick" => Question::PickUpTo {
                k: number(
                    "k",
                    self.k.as_deref().unwrap_or("1"),
                    "Số ứng viên được chọn",
                )?,
            },
            _ => Question::YesNo,
        };
        let lines: Vec<&str> = self
            .candidates
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let units = state
            .store
            .units_by_codes(lines.iter().copied().filter(|l| !l.contains('|')))
            .await?;
        let mut candidates = Vec::new();
        for line in lines {
            let (id, name) = match line.split_once('|') {
                Some((id, name)) => (id.trim().to_owned(), name.trim().to_owned()),
                None => match units.get(line) {
                    Some(u) => (u.code.clone(), u.name.clone()),
                    None => (
                        tdkt_core::text::fold(line).replace(' ', "-"),
                        line.to_owned(),
                    ),
                },
            };
            candidates.push(Candidate {
                id: MemberId(id),
                name,
                threshold: None,
            });
        }
        let cluster = cluster_named(state, "cluster", &self.cluster).await?;
        // A cluster's ballot takes threshold and quorum from its regulation
        // (the store sets them); the typed ones are read only without it.
        let (quorum, threshold) = if cluster.is_some() {
            (
                Quorum { num: 2, den: 3 },
                Threshold::new(Decimal::ONE_HUNDRED, Base::Eligible),
            )
        } else {
            let base = Base::from_code(&self.base).unwrap_or(Base::Eligible);
            let percent = tdkt_core::number::parse_vi(&self.percent)
                .ok()
                .filter(|p| *p > Decimal::ZERO && *p <= Decimal::ONE_HUNDRED)
                .ok_or_else(|| AppError::Invalid {
                    field: "percent",
                    message: format!(
                        "Ngưỡng đạt «{}» phải là số lớn hơn 0 và không quá 100.",
                        self.percent.trim()
                    ),
                })?;
            (
                Quorum {
                    num: number("quorum_num", &self.quorum_num, "Tử số tỷ lệ tối thiểu")?,
                    den: number("quorum_den", &self.quorum_den, "Mẫu số tỷ lệ tối thiểu")?,
                },
                Threshold::new(percent, base),
            )
        };
        Ok(NewBallot {
            unit_code: self.unit.trim().to_owned(),
            context: self.context.clone(),
            spec: BallotSpec {
                title: self.title.clone(),
                question,
                candidates,
                eligible: 0,
                quorum,
                threshold,
            },
            voters: chosen_voters(choices, &self.voters)?,
            cluster_id: cluster.map(|c| c.id),
        })
    }
}

/// Checks the caller may open a ballot for the unit named in `new`.
async fn authorize_create(
    state: &SharedState,
    user: &CurrentUser,
    unit_code: &str,
    next: &str,
) -> Result<(), AppError> {
    authorize(state, user, Action::RunEvaluation, None, next).await?;
    let unit = state
        .store
        .unit_by_code(unit_code.trim())
        .await
        .map_err(|_| AppError::Invalid {
            field: "unit",
            message: format!("Không tìm thấy đơn vị có mã «{}».", unit_code.trim()),
        })?;
    authorize(state, user, Action::RunEvaluation, Some(unit.id), next).await
}

async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let f = CreateForm::from_pairs(&pairs);
    let principal = ctx.require()?.clone();
    let who = principal.username.clone();
    authorize(&state, &ctx.user, Action::RunEvaluation, None, &ctx.path).await?;
    let choices = voter_choices(&state, &principal).await?;
    let result = async {
        authorize_create(&state, &ctx.user, &f.unit, &ctx.path).await?;
        let new = f.parse(&state, &choices).await?;
        Ok::<_, AppError>(state.store.create_ballot(&who, &new).await?)
    }
    .await;
    let checked: BTreeSet<String> = choices
        .iter()
        .filter(|a| f.voters.contains(&a.id.to_string()))
        .map(|a| a.username.clone())
        .collect();
    match result {
        Ok(b) => Ok(super::see_other(&format!("/ballots/{}", b.id))),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => Ok((
            e.status(),
            ctx.page(
                "Mở cuộc bỏ phiếu",
                html! { h1 { "Mở cuộc bỏ phiếu" } (create_form(&ctx, &choices, &checked, Some(&e))) },
            ),
        )
            .into_response()),
        Err(e) => Err(e),
    }
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
    Ok(super::see_other(&format!("/ballots/{id}/minutes")))
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
    // worded in core, as the DOCX and PDF of `minutes.rs`
    let doc = tdkt_core::review::minutes::Minutes {
        spec: &b.spec,
        unit: &unit.name,
        context: &b.context,
        closed_at: b.closed_at.as_deref(),
        outcome: &outcome,
    }
    .vietnamese();
    Ok(ctx.page(
        "Biên bản kiểm phiếu",
        html! {
            p.muted { a href={ "/ballots/" (b.id) } { (b.spec.title) } }
            article.card #minutes {
                @let head = doc.sections.first().map_or(&[][..], |s| s.paragraphs.as_slice());
                @if let Some((motto, rest)) = head.split_first() {
                    p style="text-align:center" { strong { (motto.text) } }
                    h1 style="text-align:center" { (doc.title.to_uppercase()) }
                    @for p in rest { p { (p.text) } }
                }
                (outcome_markup(b, &outcome))
                @if let Some(s) = doc.sections.last() {
                    @for p in &s.paragraphs { p.muted { (p.text) } }
                }
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

// ---- JSON API ----

const HERE: &str = "/api/v1/ballots";

fn ballot_json(b: &BallotInfo, standing: Option<VoterStanding>) -> Value {
    json!({
        "id": b.id, "unit_id": b.unit_id, "context": b.context, "title": b.spec.title,
        "question": b.spec.question, "candidates": b.spec.candidates, "eligible": b.spec.eligible,
        "quorum": b.spec.quorum, "threshold": b.spec.threshold, "closed": b.closed,
        "turnout": b.turnout, "created_by": b.created_by, "created_at": b.created_at,
        "closed_at": b.closed_at,
        "you": standing.map(|s| json!({"eligible": s.eligible, "voted": s.voted})),
    })
}

async fn api_list(
    State(state): State<SharedState>,
    user: CurrentUser,
) -> Result<Json<Value>, AppError> {
    let who = user.require(HERE)?.clone();
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    let voting: Vec<Value> = state
        .store
        .ballots_of_voter(who.user_id)
        .await?
        .iter()
        .map(|(b, voted)| {
            ballot_json(
                b,
                Some(VoterStanding {
                    eligible: true,
                    voted: *voted,
                }),
            )
        })
        .collect();
    let managed: Vec<Value> = managed(&state, &who)
        .await?
        .iter()
        .map(|b| ballot_json(b, None))
        .collect();
    Ok(Json(json!({"voting": voting, "managed": managed})))
}

#[derive(Deserialize)]
struct ApiNewBallot {
    unit: String,
    #[serde(default)]
    context: String,
    title: String,
    question: Question,
    candidates: Vec<Candidate>,
    voters: Vec<String>,
    /// `key/year` of the cluster whose regulation sets quorum and threshold.
    #[serde(default)]
    cluster: String,
    #[serde(default)]
    quorum: Option<Quorum>,
    #[serde(default)]
    threshold: Option<Threshold>,
}

async fn api_create(
    State(state): State<SharedState>,
    user: CurrentUser,
    Json(body): Json<ApiNewBallot>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let principal = user.require(HERE)?.clone();
    let who = principal.username.clone();
    authorize_create(&state, &user, &body.unit, HERE).await?;
    let choices = voter_choices(&state, &principal).await?;
    let cluster = cluster_named(&state, "cluster", &body.cluster).await?;
    let missing = |field: &'static str| AppError::Invalid {
        field,
        message: format!("Cần «{field}» khi cuộc bỏ phiếu không theo quy chế của cụm, khối."),
    };
    let (quorum, threshold) = match (&cluster, body.quorum, body.threshold) {
        // set by the cluster's regulation in the store
        (Some(_), _, _) => (
            Quorum { num: 2, den: 3 },
            Threshold::new(Decimal::ONE_HUNDRED, Base::Eligible),
        ),
        (None, Some(q), Some(t)) => (q, t),
        (None, None, _) => return Err(missing("quorum")),
        (None, _, None) => return Err(missing("threshold")),
    };
    let new = NewBallot {
        unit_code: body.unit,
        context: body.context,
        spec: BallotSpec {
            title: body.title,
            question: body.question,
            candidates: body.candidates,
            eligible: 0,
            quorum,
            threshold,
        },
        voters: chosen_voters(&choices, &body.voters)?,
        cluster_id: cluster.map(|c| c.id),
    };
    let b = state.store.create_ballot(&who, &new).await?;
    Ok((StatusCode::CREATED, Json(ballot_json(&b, None))))
}

async fn api_get(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let s = seen(&state, &user, id, HERE).await?;
    Ok(Json(ballot_json(&s.info, Some(s.standing))))
}

async fn api_vote(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(content): Json<Content>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let s = seen(&state, &user, id, HERE).await?;
    let who = user.require(HERE)?;
    let code = state
        .store
        .cast_vote(s.info.id, who.user_id, content)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"receipt": code}))))
}

async fn api_close(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Outcome>, AppError> {
    let who = user.require(HERE)?.username.clone();
    let s = seen(&state, &user, id, HERE).await?;
    authorize(
        &state,
        &user,
        Action::RunEvaluation,
        Some(s.info.unit_id),
        HERE,
    )
    .await?;
    Ok(Json(state.store.close_ballot(&who, id).await?))
}

async fn api_result(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Outcome>, AppError> {
    seen(&state, &user, id, HERE).await?;
    Ok(Json(state.store.ballot_result(id).await?))
}

async fn api_receipt(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Json<Value>, AppError> {
    user.require(HERE)?;
    authorize(&state, &user, Action::ReadUnits, None, HERE).await?;
    match state.store.verify_receipt(&code).await? {
        Some(r) => Ok(Json(
            json!({"counted": true, "ballot_id": r.ballot_id, "title": r.title, "closed": r.closed}),
        )),
        None => Err(AppError::NotFound),
    }
}
