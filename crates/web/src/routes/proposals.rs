//! Proposal lists of a unit (*danh sách đề nghị khen thưởng*, issue 6): an
//! officer drafts a list for one award and year, adds people (or units),
//! records each one's council vote from the minutes or from a closed secret
//! ballot, and submits; tdkt shows every nominee's eligibility, the quota
//! and the votes, and refuses an over-quota list or a nominee under the vote
//! threshold, naming the count, the limit and the citation.
//!
//! Reading needs `ReadPeople` on the unit (the list names its people);
//! changing a list needs `WritePeople` on it, and using a ballot's result
//! needs `RunEvaluation` on the ballot's unit. A list is looked up under its
//! unit: another unit's list id is 404, like a unit out of scope.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::Action;
use tdkt_core::catalogue::Recipient;
use tdkt_core::eligibility::Status;
use tdkt_core::org::Unit;
use tdkt_store::proposals::{ListCheck, NewProposalList, ProposalList, VoteInput};

use super::eligibility::{answer_markup, rules, Answer};
use crate::auth::authorize;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

mod list;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/units/{code}/proposals", get(list::lists).post(create))
        .route("/units/{code}/proposals/{id}", get(page))
        .route("/units/{code}/proposals/{id}/entries", post(add_entry))
        .route(
            "/units/{code}/proposals/{id}/entries/{entry}/delete",
            post(remove_entry),
        )
        .route(
            "/units/{code}/proposals/{id}/entries/{entry}/vote",
            post(set_vote),
        )
        .route("/units/{code}/proposals/{id}/submit", post(submit))
        .route("/api/v1/units/{code}/proposals/{id}", get(api_check))
}

/// The unit, if the caller may do `action` there (404 out of scope, 403 wrong role).
async fn unit_for(
    state: &SharedState,
    ctx: &Ctx,
    code: &str,
    action: Action,
) -> Result<Unit, AppError> {
    ctx.require()?;
    let unit = state
        .store
        .unit_by_code(code)
        .await
        .map_err(|_| AppError::NotFound)?;
    authorize(state, &ctx.user, action, Some(unit.id), &ctx.path).await?;
    Ok(unit)
}

/// May the caller change the unit's lists (forms shown or not)?
async fn may_write(state: &SharedState, ctx: &Ctx, unit: &Unit) -> bool {
    authorize(
        state,
        &ctx.user,
        Action::WritePeople,
        Some(unit.id),
        &ctx.path,
    )
    .await
    .is_ok()
}

/// The list, if it belongs to the unit.
async fn list_of(state: &SharedState, unit: &Unit, id: i64) -> Result<ProposalList, AppError> {
    let list = state
        .store
        .proposal_list(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    if list.unit_id != unit.id {
        return Err(AppError::NotFound);
    }
    Ok(list)
}

fn list_url(unit: &Unit, id: i64) -> String {
    format!("/units/{}/proposals/{id}", unit.code)
}

fn award_name(code: &str) -> String {
    rules()
        .catalogue()
        .get(code)
        .map_or_else(|| code.to_owned(), |a| a.name.clone())
}

#[derive(Deserialize)]
struct NewListForm {
    year: String,
    award: String,
    kind: String,
    note: Option<String>,
}

async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<NewListForm>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::WritePeople).await?;
    let who = ctx.require()?.username.clone();
    let year: i32 = f.year.trim().parse().map_err(|_| AppError::Invalid {
        field: "year",
        message: format!("«{}» không phải năm.", f.year),
    })?;
    let kind = if f.kind == "unit" {
        Recipient::Collective
    } else {
        Recipient::Individual
    };
    let list = state
        .store
        .create_proposal_list(
            &who,
            rules(),
            &NewProposalList {
                unit_id: unit.id,
                year,
                award_code: &f.award,
                kind,
                note: f.note.as_deref().unwrap_or_default(),
            },
        )
        .await?;
    Ok(super::saved(&list_url(&unit, list.id), "danh-sach-de-nghi"))
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Unknown | Status::Pending => "unknown",
    }
}

/// `(value, label)` of every closed ballot candidate the caller may use for
/// this list: ballots of the unit's council or a council above, in scope.
async fn ballot_choices(
    state: &SharedState,
    ctx: &Ctx,
    unit: &Unit,
) -> Result<Vec<(String, String)>, AppError> {
    let lineage = state.store.lineage().await?;
    let mut units: BTreeSet<i64> = lineage.scope(unit.id);
    units.extend(lineage.ancestry(unit.id));
    let mut out = Vec::new();
    for b in state.store.ballots_in(Some(&units)).await? {
        if !b.closed
            || authorize(
                state,
                &ctx.user,
                Action::RunEvaluation,
                Some(b.unit_id),
                &ctx.path,
            )
            .await
            .is_err()
        {
            continue;
        }
        for c in &b.spec.candidates {
            out.push((
                format!("{}|{}", b.id, c.id.0),
                format!("#{} {} — {}", b.id, b.spec.title, c.name),
            ));
        }
    }
    Ok(out)
}

fn check_markup(
    ctx: &Ctx,
    unit: &Unit,
    check: &ListCheck,
    may_write: bool,
    ballots: &[(String, String)],
) -> Markup {
    let list = &check.list;
    let url = list_url(unit, list.id);
    let draft = list.is_draft() && may_write;
    html! {
        section.card #quota {
            h2 { "Tỷ lệ" }
            p { "Số được đề nghị: " strong { (check.quota.proposed) } }
            @if check.quota.clauses.is_empty() {
                p.muted { "Quy định đang áp dụng cho «" (check.award_name) "» năm " (list.year) " không đặt tỷ lệ tối đa (xem docs/rules.md)." }
            }
            ul.clauses {
                @for r in &check.quota.clauses {
                    li class=(status_class(r.status)) {
                        span.sym aria-label=(r.status.label()) { (r.status.symbol()) } " " (r.description)
                        @if let Some(c) = &r.citation { " " span.cite { "[" (c) "]" } }
                        @for e in &r.evidence { br; span.muted { "· " (e) } }
                        @if let Some(m) = &r.missing { br; span.missing { (m) } }
                        @if let Some(u) = &r.uncertain { br; span.muted { "Chưa chắc chắn: " (u) } }
                    }
                }
            }
        }
        section.card #nominees {
            h2 { "Người, tập thể được đề nghị (" (check.entries.len()) ")" }
            @if check.entries.is_empty() { p.muted { "Chưa có ai." } }
            @for e in &check.entries {
                article.nominee data-entry=(e.entry.id) {
                    h3 { (e.entry.name) }
                    p {
                        "Phiếu Hội đồng: "
                        @if let Some(v) = &e.vote {
                            strong { (v.share.yes) "/" (v.share.base) } " (" (tdkt_core::number::format_vi(v.share.percent().unwrap_or_default().round_dp(2))) "% " (v.share.on.label()) ") — " (v.source)
                        } @else if let Some(p) = &e.vote_problem {
                            span.missing { (p) }
                        } @else if e.vote_rows.is_empty() {
                            span.muted { "chưa nhập (quy định đang áp dụng không đặt tỷ lệ phiếu)" }
                        } @else { span.missing { "chưa nhập" } }
                    }
                    ul.clauses {
                        @for r in &e.vote_rows {
                            li class=(status_class(r.status)) {
                                span.sym aria-label=(r.status.label()) { (r.status.symbol()) } " " (r.description)
                                @if let Some(c) = &r.citation { " " span.cite { "[" (c) "]" } }
                                @if let Some(m) = &r.missing { br; span.missing { (m) } }
                            }
                        }
                    }
                    (answer_markup(&Answer { next_year: false, explanation: e.explanation.clone() }))
                    @if draft {
                        details {
                            summary { "Nhập phiếu của Hội đồng" }
                            form.stack method="post" action={ (url) "/entries/" (e.entry.id) "/vote" } {
                                (ctx.csrf_field())
                                label { "Nguồn" select name="source" {
                                    option value="minutes" { "Biên bản họp Hội đồng" }
                                    @if !ballots.is_empty() { option value="ballot" { "Bỏ phiếu kín trên tdkt" } }
                                    option value="clear" { "Xóa phiếu đã nhập" }
                                } }
                                label { "Số phiếu đồng ý" input name="yes" type="number" min="0"; }
                                label { "Tổng số thành viên Hội đồng" input name="base" type="number" min="1"; }
                                label { "Số, ngày biên bản" input name="minutes_ref"; }
                                @if !ballots.is_empty() {
                                    label { "Cuộc bỏ phiếu kín, ứng viên" select name="ballot" {
                                        option value="" { "—" }
                                        @for (v, l) in ballots { option value=(v) selected[l.ends_with(&format!("— {}", e.entry.name))] { (l) } }
                                    } }
                                }
                                button.secondary type="submit" { "Lưu phiếu" }
                            }
                        }
                        form.inline method="post" action={ (url) "/entries/" (e.entry.id) "/delete" } {
                            (ctx.csrf_field())
                            button.secondary type="submit" { "Bỏ khỏi danh sách" }
                        }
                    }
                }
            }
        }
        section.card #verdict {
            h2 { "Kết quả kiểm tra" }
            @if check.refusals.is_empty() {
                p.pass { "✓ Danh sách đạt tỷ lệ và phiếu bầu theo quy định đang áp dụng." }
            } @else {
                p.fail { "✗ Chưa trình được:" }
                ul.refusals { @for r in &check.refusals { li.fail { (r) } } }
            }
            @if draft {
                form method="post" action={ (url) "/submit" } {
                    (ctx.csrf_field())
                    button type="submit" { "Trình danh sách" }
                }
            }
        }
    }
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ReadPeople).await?;
    let list = list_of(&state, &unit, id).await?;
    let may_write = may_write(&state, &ctx, &unit).await;
    let check = state.store.check_proposal_list(rules(), list.id).await?;
    let draft = list.is_draft() && may_write;
    let ballots = if draft {
        ballot_choices(&state, &ctx, &unit).await?
    } else {
        Vec::new()
    };
    let candidates: Vec<(i64, String)> = if !draft {
        Vec::new()
    } else if list.nominee_kind == "unit" {
        let lineage = state.store.lineage().await?;
        let scope = lineage.scope(unit.id);
        state
            .store
            .units()
            .await?
            .into_iter()
            .filter(|u| scope.contains(&u.id) && u.valid_in_year(list.year))
            .map(|u| (u.id, u.name))
            .collect()
    } else {
        let scope = state.store.lineage().await?.scope(unit.id);
        state
            .store
            .people_employed_in(&scope, list.year, 2000)
            .await?
    };
    let on_list: BTreeSet<i64> = check
        .entries
        .iter()
        .filter_map(|e| e.entry.person_id.or(e.entry.nominee_unit_id))
        .collect();
    Ok(ctx.page(
        &format!("Đề nghị «{}» năm {} — {}", check.award_name, list.year, unit.name),
        html! {
            p.muted { a href={ "/units/" (unit.code) } { (unit.name) } " · " a href={ "/units/" (unit.code) "/proposals" } { "Danh sách đề nghị" } }
            h1 { "Đề nghị «" (check.award_name) "» năm " (list.year) }
            p {
                "Trạng thái: " strong #list-status { (list.status_label()) }
                " · lập bởi " (list.created_by)
                @if let Some(by) = &list.submitted_by { " · trình bởi " (by) }
            }
            @if !list.note.is_empty() { p.muted { (list.note) } }
            @if draft {
                details.card #add-nominee open {
                    summary { "Thêm người được đề nghị" }
                    form.stack method="post" action={ (list_url(&unit, list.id)) "/entries" } {
                        (ctx.csrf_field())
                        label { (if list.nominee_kind == "unit" { "Tập thể" } else { "Cá nhân" }) select name="nominee" {
                            @for (cid, name) in candidates.iter().filter(|(c, _)| !on_list.contains(c)) { option value=(cid) { (name) } }
                        } }
                        button type="submit" { "Thêm vào danh sách" }
                    }
                }
            }
            (check_markup(&ctx, &unit, &check, may_write, &ballots))
        },
    ))
}

#[derive(Deserialize)]
struct NomineeForm {
    nominee: String,
}

async fn add_entry(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<NomineeForm>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::WritePeople).await?;
    let list = list_of(&state, &unit, id).await?;
    let who = ctx.require()?.username.clone();
    let nominee: i64 = f.nominee.trim().parse().map_err(|_| AppError::Invalid {
        field: "nominee",
        message: "Chọn người hoặc tập thể được đề nghị.".into(),
    })?;
    state
        .store
        .add_proposal_entry(&who, list.id, nominee)
        .await?;
    Ok(super::saved(&list_url(&unit, list.id), "them-de-nghi"))
}

/// The entry, if it is on this unit's list.
async fn entry_of(
    state: &SharedState,
    ctx: &Ctx,
    code: &str,
    id: i64,
    entry: i64,
) -> Result<(Unit, ProposalList, String), AppError> {
    let unit = unit_for(state, ctx, code, Action::WritePeople).await?;
    let list = list_of(state, &unit, id).await?;
    let e = state
        .store
        .proposal_entry(entry)
        .await
        .map_err(|_| AppError::NotFound)?;
    if e.list_id != list.id {
        return Err(AppError::NotFound);
    }
    Ok((unit, list, ctx.require()?.username.clone()))
}

async fn remove_entry(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, id, entry)): Path<(String, i64, i64)>,
) -> Result<Response, AppError> {
    let (unit, list, who) = entry_of(&state, &ctx, &code, id, entry).await?;
    state.store.remove_proposal_entry(&who, entry).await?;
    Ok(super::saved(&list_url(&unit, list.id), "bo-de-nghi"))
}

#[derive(Deserialize)]
struct VoteForm {
    source: String,
    yes: Option<String>,
    base: Option<String>,
    minutes_ref: Option<String>,
    ballot: Option<String>,
}

fn count(field: &'static str, label: &str, s: Option<&str>) -> Result<u32, AppError> {
    let s = s.unwrap_or_default().trim();
    s.parse().map_err(|_| AppError::Invalid {
        field,
        message: format!("{label}: «{s}» không phải số nguyên không âm."),
    })
}

async fn set_vote(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, id, entry)): Path<(String, i64, i64)>,
    Form(f): Form<VoteForm>,
) -> Result<Response, AppError> {
    let (unit, list, who) = entry_of(&state, &ctx, &code, id, entry).await?;
    let vote = match f.source.as_str() {
        "clear" => VoteInput::Clear,
        "ballot" => {
            let raw = f.ballot.as_deref().unwrap_or_default();
            let (b, cand) = raw
                .split_once('|')
                .and_then(|(b, c)| Some((b.parse::<i64>().ok()?, c.to_owned())))
                .ok_or_else(|| AppError::Invalid {
                    field: "ballot",
                    message: "Chọn cuộc bỏ phiếu kín và ứng viên.".into(),
                })?;
            // the ballot's result is read on every check: its unit must be in
            // the caller's scope for evaluations
            let info = state
                .store
                .ballot(b)
                .await
                .map_err(|_| AppError::NotFound)?;
            authorize(
                &state,
                &ctx.user,
                Action::RunEvaluation,
                Some(info.unit_id),
                &ctx.path,
            )
            .await?;
            VoteInput::Ballot {
                ballot_id: b,
                candidate: cand,
            }
        }
        _ => VoteInput::Minutes {
            yes: count("yes", "Số phiếu đồng ý", f.yes.as_deref())?,
            base: count("base", "Tổng số thành viên Hội đồng", f.base.as_deref())?,
            minutes_ref: f.minutes_ref.clone().unwrap_or_default(),
        },
    };
    state.store.set_entry_vote(&who, entry, &vote).await?;
    Ok(super::saved(&list_url(&unit, list.id), "phieu-hoi-dong"))
}

async fn submit(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::WritePeople).await?;
    let list = list_of(&state, &unit, id).await?;
    let who = ctx.require()?.username.clone();
    state
        .store
        .submit_proposal_list(&who, rules(), list.id)
        .await?;
    Ok(super::saved(&list_url(&unit, list.id), "gui-danh-sach"))
}

async fn api_check(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Json<ListCheck>, AppError> {
    let unit = unit_for(&state, &ctx, &code, Action::ReadPeople).await?;
    let list = list_of(&state, &unit, id).await?;
    Ok(Json(
        state.store.check_proposal_list(rules(), list.id).await?,
    ))
}
