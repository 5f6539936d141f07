//! The round page: self-score with an evidence note, cross-score of the
//! other members, the leader's adjustments with a reason, results and close.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::number::{format_vi, parse_vi};
use tdkt_core::ranking::Ranked;
use tdkt_core::rubric::{Item, ItemKind, ItemScore, ManualEntry, Rubric, RubricError, ScoreSheet};
use tdkt_core::scoring::{Aggregation, MemberId, Round, RoundState};
use tdkt_store::scoring::RoundInfo;

use crate::layout::{form_error, Ctx};
use crate::{AppError, SharedState};

use super::rubrics::{checked, formula_codes};
use super::{
    default_ranking, invalid, kind_label, name_of, names, organised, points, seen, state_tag,
    tie_break_label, Seen,
};

async fn rubric_of(state: &SharedState, info: &RoundInfo) -> Result<Rubric, AppError> {
    let (code, v) = info
        .rubric
        .clone()
        .ok_or_else(|| invalid("rubric", "Đợt chấm điểm này không gắn bảng tiêu chí."))?;
    Ok(state.store.rubric(&code, Some(v)).await?)
}

pub(super) async fn round_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    round_markup(&state, &ctx, &s, None).await
}

async fn round_markup(
    state: &SharedState,
    ctx: &Ctx,
    s: &Seen,
    err: Option<&AppError>,
) -> Result<Markup, AppError> {
    let r = &s.info.round;
    let names = names(state).await?;
    let rubric = rubric_of(state, &s.info).await?;
    let open = r.state == RoundState::Open;
    let (config, ranking) = state.store.round_ranking(s.info.id).await?;
    let config = config.unwrap_or_else(|| default_ranking(r.config.max_total));
    // what a member types: manual criteria, bonuses and penalties
    let entries: Vec<(usize, &Item)> = rubric
        .criteria()
        .filter(|(_, i)| !matches!(i.kind, ItemKind::Formula { .. }))
        .collect();
    let own = s.me.as_ref().and_then(|m| r.self_scores.get(m));
    let leader = s.me.as_ref() == Some(&r.leader);
    let formulas = match (&s.me, open) {
        (Some(me), true) => Some(formula_preview(state, &s.info, &rubric, me).await?),
        _ => None,
    };
    let figures = match &s.info.figures {
        Some(f) => Some((
            state.store.cluster_by_id(f.cluster_id).await?,
            f.period.label(),
        )),
        None => None,
    };
    Ok(ctx.page(
        &s.info.title,
        html! {
            p.muted { a href="/scoring" { "Chấm điểm thi đua" } }
            h1 { (s.info.title) " " (state_tag(r)) }
            @if !s.info.context.is_empty() { p.lead { (s.info.context) } }
            (form_error(err))
            section.card {
                dl.facts {
                    dt { "Bảng tiêu chí" } dd { a href={ "/scoring/rubrics/" (rubric.code) "?version=" (rubric.version) } { (rubric.title) } " (phiên bản " (rubric.version) ")" }
                    dt { "Tổng điểm tối đa" } dd { (format_vi(r.config.max_total)) }
                    @if let Some((c, period)) = &figures {
                        dt { "Số liệu chỉ tiêu" } dd #figures { a href={ "/clusters/" (c.key) "/" (c.year) } { (c.name) " năm " (c.year) } ", số liệu " (period) }
                    }
                    dt { "Cụm trưởng" } dd { (name_of(&names, &r.leader)) }
                    dt { "Thành viên" } dd { (r.members.len()) " đơn vị; đã tự chấm " (r.self_scores.len()) }
                    dt { "Chấm chéo" } dd {
                        @match r.config.aggregation { Aggregation::Mean => "trung bình cộng", Aggregation::Median => "trung vị" }
                        @if r.config.trim > 0 { ", bỏ " (r.config.trim) " điểm cao nhất và " (r.config.trim) " điểm thấp nhất" }
                    }
                    dt { "Khi bằng điểm" } dd { @if config.tie_breaks.is_empty() { "đồng hạng" } @else {
                        @for (i, t) in config.tie_breaks.iter().enumerate() { @if i > 0 { ", rồi " } (tie_break_label(*t)) } } }
                }
                @if let Some(me) = &s.me { p { "Bạn chấm điểm với tư cách " strong { (name_of(&names, me)) } @if leader { " (cụm trưởng)" } "." } }
            }
            @if open { @if let (Some(me), Some(formulas)) = (&s.me, &formulas) {
                (self_form(ctx, s.info.id, &entries, formulas, own))
                (cross_form(ctx, s.info.id, r, me, &names))
                @if leader { (adjust_form(ctx, s.info.id, r, &names)) }
            } }
            @if !open || s.manager {
                (results_table(r, ranking.as_deref(), &names, open))
            }
            @if !r.adjustments.is_empty() && (s.manager || !open) {
                section.card #adjustments {
                    h2 { "Điều chỉnh của cụm trưởng" }
                    ul { @for a in &r.adjustments { li { (name_of(&names, &a.member)) ": " @if !a.delta.is_sign_negative() { "+" } (format_vi(a.delta)) " — " (a.reason) } } }
                }
            }
            @if s.manager && open {
                form method="post" action={ "/scoring/rounds/" (s.info.id) "/close" } {
                    (ctx.csrf_field())
                    button.secondary #close-round type="submit" { "Khóa đợt chấm điểm và xếp hạng" }
                }
            }
            @if !open {
                p { a.button href={ "/scoring/rounds/" (s.info.id) "/proposals" } { "Danh sách đề nghị khen thưởng" } }
            }
        },
    ))
}

/// A member's score sheet before anything is typed: its indicator figures,
/// when the round's rubric computes criteria from them.
async fn sheet_of(
    state: &SharedState,
    info: &RoundInfo,
    member: &MemberId,
) -> Result<ScoreSheet, AppError> {
    let mut sheet = ScoreSheet::default();
    if let Some(f) = &info.figures {
        let unit = state.store.unit_by_code(&member.0).await?;
        sheet.indicators = state.store.member_figures(f, &unit).await?;
    }
    Ok(sheet)
}

/// Why a sheet cannot be scored; a formula short of figures says where the
/// figures come from, so the member knows what to report first.
fn refusal(info: &RoundInfo, e: &RubricError) -> String {
    match (e, &info.figures) {
        (RubricError::Formula { .. }, Some(f)) => format!(
            "{e} Số liệu lấy từ báo cáo chỉ tiêu {} và chỉ tiêu đăng ký của đơn vị; hãy báo cáo đủ số liệu trước khi tự chấm.",
            f.period.label()
        ),
        (RubricError::Formula { .. }, None) => format!(
            "{e} Đợt chấm điểm này không gắn cụm, khối và kỳ số liệu chỉ tiêu."
        ),
        _ => e.to_string(),
    }
}

/// The formula criteria as the member's current figures score them, or why
/// they cannot be scored yet.
async fn formula_preview(
    state: &SharedState,
    info: &RoundInfo,
    rubric: &Rubric,
    member: &MemberId,
) -> Result<Result<Vec<ItemScore>, String>, AppError> {
    let formulas = formula_codes(rubric);
    if formulas.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let sheet = sheet_of(state, info, member).await?;
    Ok(checked(rubric)?
        .evaluate(&sheet)
        .map(|e| {
            e.items
                .into_iter()
                .filter(|i| formulas.contains(&i.code))
                .collect()
        })
        .map_err(|e| refusal(info, &e)))
}

/// Separates an item's explanation from the member's evidence note.
const EVIDENCE: &str = "; minh chứng: ";

fn self_form(
    ctx: &Ctx,
    id: i64,
    entries: &[(usize, &Item)],
    formulas: &Result<Vec<ItemScore>, String>,
    own: Option<&tdkt_core::rubric::Evaluation>,
) -> Markup {
    let item = |code: &str| own.and_then(|e| e.items.iter().find(|i| i.code == code));
    let prev = |code: &str| item(code).map(|i| format_vi(i.points)).unwrap_or_default();
    let note = |code: &str| {
        item(code)
            .and_then(|i| i.explanation.split_once(EVIDENCE))
            .map(|(_, n)| n.to_owned())
            .unwrap_or_default()
    };
    html! {
        form.stack.card #self-score method="post" action={ "/scoring/rounds/" (id) "/self" } {
            (ctx.csrf_field())
            h2 { "Tự chấm điểm" }
            @if let Some(e) = own { p.notice { "Đã tự chấm: " strong { (format_vi(e.total)) } " điểm. Gửi lại để sửa." } }
            @for (_, item) in entries {
                fieldset {
                    legend { (item.code) ". " (item.title) }
                    label { (kind_label(&item.kind)) ", tối đa " (format_vi(item.max))
                        input name={ "p-" (item.code) } inputmode="decimal" value=(prev(&item.code)) placeholder="0"; }
                    label { "Minh chứng (số, ngày văn bản; đường dẫn tệp)" input name={ "e-" (item.code) } value=(note(&item.code)) placeholder="vd. Báo cáo số 12/BC-UBND ngày 15/11/2019"; }
                }
            }
            @match formulas {
                Ok(items) if !items.is_empty() => {
                    fieldset #formula-scores {
                        legend { "Tiêu chí tính theo công thức (từ số liệu chỉ tiêu, không nhập tay)" }
                        ul { @for i in items { li { strong { (i.code) ". " (i.title) ": " (format_vi(i.points)) "/" (format_vi(i.max)) } br; span.muted { (i.explanation) } } } }
                    }
                }
                Ok(_) => {}
                Err(why) => { p.notice #formula-scores { (why) } }
            }
            p.muted { "Dấu phẩy là dấu thập phân: 7,5." }
            button type="submit" { "Lưu điểm tự chấm" }
        }
    }
}

fn cross_form(
    ctx: &Ctx,
    id: i64,
    r: &Round,
    me: &MemberId,
    names: &BTreeMap<String, String>,
) -> Markup {
    html! {
        form.stack.card #cross-score method="post" action={ "/scoring/rounds/" (id) "/cross" } {
            (ctx.csrf_field())
            h2 { "Chấm chéo" }
            p.muted { "Chấm tổng điểm cho từng đơn vị khác (không chấm cho đơn vị mình), tối đa " (format_vi(r.config.max_total)) "." }
            // Never offers the caller's own unit: the core refuses it too.
            @for m in r.members.iter().filter(|m| *m != me) {
                label { (name_of(names, m))
                    @let prev = r.cross_scores.get(&(me.clone(), m.clone())).map(|p| format_vi(*p)).unwrap_or_default();
                    input name={ "c-" (m) } inputmode="decimal" value=(prev);
                }
            }
            button type="submit" { "Lưu điểm chấm chéo" }
        }
    }
}

fn adjust_form(ctx: &Ctx, id: i64, r: &Round, names: &BTreeMap<String, String>) -> Markup {
    html! {
        form.stack.card #adjust method="post" action={ "/scoring/rounds/" (id) "/adjust" } {
            (ctx.csrf_field())
            h2 { "Điều chỉnh điểm (cụm trưởng)" }
            label { "Đơn vị" select name="member" { @for m in &r.members { option value=(m) { (name_of(names, m)) } } } }
            label { "Cộng (+) hoặc trừ (−) điểm" input name="delta" inputmode="decimal" required placeholder="vd. -1,5"; }
            label { "Lý do (bắt buộc)" textarea name="reason" rows="2" required {} }
            button type="submit" { "Ghi điều chỉnh" }
        }
    }
}

fn results_table(
    r: &Round,
    ranking: Option<&[Ranked]>,
    names: &BTreeMap<String, String>,
    open: bool,
) -> Markup {
    let results = r.results();
    html! {
        section.card #results {
            @if let Some(ranking) = ranking {
                h2 { "Kết quả xếp hạng" }
                table.responsive #ranking {
                    thead { tr { th.num { "Hạng" } th { "Đơn vị" } th.num { "Tổng điểm" } th { "Xếp loại" } th { "Giải thích" } } }
                    tbody { @for x in ranking {
                        tr {
                            td.num data-label="Hạng" { (x.rank) }
                            td data-label="Đơn vị" { (name_of(names, &x.member)) }
                            td.num data-label="Tổng điểm" { (format_vi(x.total)) }
                            td data-label="Xếp loại" { (x.band.clone().unwrap_or_else(|| "—".into())) }
                            td data-label="Giải thích" { span.muted { (x.explanation) } }
                        }
                    } }
                }
            } @else {
                h2 { @if open { "Điểm tạm tính (chỉ cán bộ tổ chức xem được)" } @else { "Kết quả" } }
            }
            details {
                summary { "Chi tiết điểm từng đơn vị" }
                table.responsive {
                    thead { tr { th { "Đơn vị" } th.num { "Tự chấm" } th.num { "Chấm chéo" } th.num { "Điều chỉnh" } th.num { "Tổng" } } }
                    tbody { @for x in &results {
                        tr {
                            td data-label="Đơn vị" { (name_of(names, &x.member)) }
                            td.num data-label="Tự chấm" { (x.self_total.map_or_else(|| "—".into(), format_vi)) }
                            td.num data-label="Chấm chéo" { (x.cross.map_or_else(|| "—".into(), format_vi)) " (" (x.cross_used) ")" }
                            td.num data-label="Điều chỉnh" { (format_vi(x.adjustment)) }
                            td.num data-label="Tổng" { (format_vi(x.total)) }
                        }
                    } }
                }
            }
        }
    }
}

/// Re-renders the round page with the refusal, status 422/409.
async fn refused(
    state: &SharedState,
    ctx: &Ctx,
    id: i64,
    e: AppError,
) -> Result<Response, AppError> {
    if !matches!(e, AppError::Invalid { .. } | AppError::Conflict(..)) {
        return Err(e);
    }
    let s = seen(state, &ctx.user, id, &ctx.path).await?;
    Ok((e.status(), round_markup(state, ctx, &s, Some(&e)).await?).into_response())
}

pub(super) async fn self_score(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let who = ctx.require()?.username.clone();
    let me = s.me.clone().ok_or(AppError::Forbidden)?;
    let result = async {
        let rubric = rubric_of(&state, &s.info).await?;
        let checked = checked(&rubric)?;
        let mut sheet = sheet_of(&state, &s.info, &me).await?;
        let notes: BTreeMap<&str, &str> = fields
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("e-")?, v.trim())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        for (k, v) in &fields {
            if let Some(code) = k.strip_prefix("p-") {
                if v.trim().is_empty() {
                    continue;
                }
                let p = parse_vi(v).map_err(|m| invalid("points", format!("Mục “{code}”: {m}")))?;
                sheet.entries.insert(
                    code.to_owned(),
                    ManualEntry {
                        points: p,
                        evidence: notes
                            .get(code)
                            .map(|n| vec![(*n).to_owned()])
                            .unwrap_or_default(),
                    },
                );
            }
        }
        let mut evaluation = checked
            .evaluate(&sheet)
            .map_err(|e| invalid("points", refusal(&s.info, &e)))?;
        // The round keeps evaluations, not sheets: the note goes into the
        // item's explanation so it is stored, audited and shown with it.
        for item in &mut evaluation.items {
            if let Some(note) = notes.get(item.code.as_str()) {
                item.explanation = format!("{}{EVIDENCE}{note}", item.explanation);
            }
        }
        state
            .store
            .update_round(&who, id, "self-score", move |r| {
                r.record_self(&me, evaluation)
            })
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(crate::routes::saved(
            &format!("/scoring/rounds/{id}#self-score"),
            "tu-cham",
        )),
        Err(e) => refused(&state, &ctx, id, e).await,
    }
}

pub(super) async fn cross_score(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let who = ctx.require()?.username.clone();
    let me = s.me.clone().ok_or(AppError::Forbidden)?;
    let result = async {
        let mut scores = Vec::new();
        for (k, v) in &fields {
            if let Some(m) = k.strip_prefix("c-") {
                if v.trim().is_empty() {
                    continue;
                }
                let p = parse_vi(v)
                    .map_err(|msg| invalid("points", format!("Điểm cho “{m}”: {msg}")))?;
                scores.push((MemberId(m.to_owned()), p));
            }
        }
        if scores.is_empty() {
            return Err(invalid(
                "points",
                "Chưa nhập điểm chấm chéo cho đơn vị nào.",
            ));
        }
        // All scores of one submission are recorded together or not at all.
        state
            .store
            .update_round(&who, id, "cross-score", move |r| {
                for (m, p) in &scores {
                    r.record_cross(&me, m, *p)?;
                }
                Ok(())
            })
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(crate::routes::saved(
            &format!("/scoring/rounds/{id}#cross-score"),
            "cham-cheo",
        )),
        Err(e) => refused(&state, &ctx, id, e).await,
    }
}

#[derive(Deserialize)]
pub(super) struct AdjustForm {
    member: String,
    delta: String,
    reason: String,
}

pub(super) async fn adjust(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<AdjustForm>,
) -> Result<Response, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    let who = ctx.require()?.username.clone();
    // Only the leader member's account: the core checks `by` is the leader.
    let me = s.me.clone().ok_or(AppError::Forbidden)?;
    if me != s.info.round.leader {
        return Err(AppError::Forbidden);
    }
    let result = async {
        let delta = points("delta", &f.delta)?;
        let member = MemberId(f.member.trim().to_owned());
        let reason = f.reason.clone();
        state
            .store
            .update_round(&who, id, "adjust", move |r| {
                r.adjust(&me, &member, delta, &reason)
            })
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(crate::routes::saved(
            &format!("/scoring/rounds/{id}"),
            "dieu-chinh",
        )),
        Err(e) => refused(&state, &ctx, id, e).await,
    }
}

pub(super) async fn close(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (s, who) = organised(&state, &ctx, id).await?;
    match state
        .store
        .close_round(&who, id, &default_ranking(s.info.round.config.max_total))
        .await
    {
        Ok(_) => Ok(crate::routes::saved(
            &format!("/scoring/rounds/{id}#results"),
            "dong-dot",
        )),
        Err(e) => refused(&state, &ctx, id, e.into()).await,
    }
}
