//! Eligibility on person and unit pages and in the API (issue 6): which
//! titles and forms a subject qualifies for, which it is one year away from,
//! each with its clauses ✓/✗ and their citations; and the forms an officer
//! uses to enter the inputs (rating, discipline, initiative).
//!
//! Reading a person's eligibility needs `ReadPeople` on their unit; a unit's
//! needs `ReadPeople` on the unit too (its members' ratings feed the
//! answer). Entering inputs needs `WritePeople` on the person's unit.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use tdkt_core::access::Action;
use tdkt_core::catalogue::Recipient;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::eligibility::{EvalContext, Explanation, RuleSet, Status, Verdict};
use tdkt_core::org::Unit;
use tdkt_core::rating::{DisciplineLevel, InitiativeKind, Rating, Scope};
use tdkt_store::people::Person;
use tdkt_store::ratings::evaluations;
use tdkt_store::ratings::history::Inputs;
use tdkt_store::ratings::{NewDiscipline, NewInitiative, Subject, Voidable};

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::load::readable_person;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/people/{id}/eligibility", get(person_page))
        .route("/people/{id}/ratings", post(add_rating))
        .route("/people/{id}/discipline", post(add_discipline))
        .route("/people/{id}/initiatives", post(add_initiative))
        .route("/people/{id}/evaluations", post(add_evaluation))
        .route("/people/{id}/discipline/{rid}/void", post(void_discipline))
        .route("/people/{id}/initiatives/{rid}/void", post(void_initiative))
        .route("/units/{code}/eligibility", get(unit_page))
        .route("/api/v1/people/{id}/eligibility", get(person_api))
        .route("/api/v1/units/{code}/eligibility", get(unit_api))
}

/// The rule packs of the process's rules ([`tdkt_store::rules::current`]:
/// the rules directory given at start-up, else the compiled-in packs).
#[must_use]
pub fn rules() -> &'static RuleSet {
    tdkt_store::rules::current().eligibility()
}

/// One award's answer for a subject.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// Not eligible this year, but would be next year if it goes well.
    pub next_year: bool,
    #[serde(flatten)]
    pub explanation: Explanation,
}

/// Every award for the recipient kind with a rule in some pack, evaluated:
/// one with no rule in force on 31/12 of the year (its pack ended, or starts
/// later) is answered *không có quy định có hiệu lực*, not left out.
#[must_use]
pub fn evaluate(inputs: &Inputs, recipient: Recipient, year: i32) -> Vec<Answer> {
    let rules = rules();
    let ctx = EvalContext::year_end(year);
    let h = inputs.history();
    rules
        .catalogue()
        .awards()
        .iter()
        .filter(|a| a.accepts(recipient))
        .filter(|a| a.could_exist_in(year))
        .filter(|a| rules.rules_for(a.id).next().is_some())
        .map(|a| {
            let s = rules.scanner(a.id, ctx);
            let mut explanation = rules.explain(a.id, &h, &ctx);
            // Research caveats on a clause («Nguồn thứ cấp…», «chưa xác
            // minh») are for the administrator's rules page, not for the
            // people who decide on an answer (issue 15 item 4).
            for r in &mut explanation.rows {
                r.uncertain = None;
            }
            let next_year = explanation.verdict == Verdict::NotEligible
                && s.verdict_next_year(&h) == Verdict::Eligible;
            Answer {
                next_year,
                explanation,
            }
        })
        .collect()
}

/// The year a panel judges by default: the latest year with a rating, else last year.
fn default_year(inputs: &Inputs) -> i32 {
    let last = today_vn().year() - 1;
    inputs
        .ratings
        .iter()
        .map(|(y, _, _)| *y)
        .max()
        .map_or(last, |y| y.min(today_vn().year()))
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<i32>,
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Eligible => "pass",
        Verdict::NotEligible => "fail",
        Verdict::NeedsReview | Verdict::NoRuleInForce => "unknown",
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Unknown | Status::Pending => "unknown",
    }
}

pub(crate) fn answer_markup(a: &Answer) -> Markup {
    let ex = &a.explanation;
    html! {
        details.answer data-award=(ex.award) {
            summary {
                span class={ "verdict " (verdict_class(ex.verdict)) } { (ex.verdict.label()) }
                @if a.next_year { " " span.tag { "còn một năm nữa" } }
                " " strong { (ex.award_name) }
            }
            @if let (Some(c), Some(t)) = (&ex.citation, &ex.pack_title) { p.muted { "Căn cứ: " (c) " (" (t) ")" } }
            @if let Some(line) = ex.pack_line() { p.muted.pack { (line) } }
            ul.clauses {
                @for r in &ex.rows {
                    li class=(status_class(r.status)) style={ "margin-left:" (u32::from(r.depth)) "rem" } {
                        span.sym aria-label=(r.status.label()) { (r.status.symbol()) } " "
                        (r.description)
                        @if let Some(c) = &r.citation { " " span.cite { "[" (c) "]" } }
                        @for e in &r.evidence { br; span.muted { "· " (e) } }
                        @if let Some(m) = &r.missing { br; span.missing { "Còn thiếu: " (m) } }
                        @if let Some(y) = r.earliest_year { br; span.muted { "Sớm nhất có thể đạt: năm " (y) } }
                    }
                }
            }
            @for n in &ex.notes { p.inherited { (n) } }
        }
    }
}

/// The panel: eligible, one year away, needs review; the rest folded.
#[must_use]
pub fn panel(answers: &[Answer], year: i32, base: &str) -> Markup {
    let eligible: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.explanation.verdict == Verdict::Eligible)
        .collect();
    let near: Vec<&Answer> = answers.iter().filter(|a| a.next_year).collect();
    // «Cần xem xét thêm» lists what is undetermined about this subject
    // (missing data, a council's judgement); an award whose criteria are
    // simply not encoded says nothing about them and is only counted (the
    // administrator's rules page lists those).
    let (review, unencoded): (Vec<&Answer>, Vec<&Answer>) = answers
        .iter()
        .filter(|a| a.explanation.verdict == Verdict::NeedsReview)
        .partition(|a| !a.explanation.undetermined_by_unencoded_criteria());
    let rest: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.explanation.verdict == Verdict::NotEligible && !a.next_year)
        .collect();
    let no_rule: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.explanation.verdict == Verdict::NoRuleInForce)
        .collect();
    html! {
        section.card #eligibility {
            h2 { "Điều kiện khen thưởng năm " (year) }
            form.inline method="get" action=(base) {
                label { "Năm xét " input name="year" type="number" min="1950" max="9999" value=(year); }
                button.secondary type="submit" { "Xét" }
            }
            h3 { "Đủ điều kiện (" (eligible.len()) ")" }
            @if eligible.is_empty() { p.muted { "Chưa có danh hiệu, hình thức nào đủ điều kiện." } }
            @for a in &eligible { (answer_markup(a)) }
            h3 { "Còn một năm nữa (" (near.len()) ")" }
            @if near.is_empty() { p.muted { "Không có." } }
            @for a in &near { (answer_markup(a)) }
            @if !review.is_empty() {
                details.review {
                    summary { "Cần xem xét thêm (" (review.len()) "): thiếu dữ liệu hoặc cần Hội đồng đánh giá" }
                    @for a in &review { (answer_markup(a)) }
                }
            }
            @if !unencoded.is_empty() {
                p.muted.unencoded { (unencoded.len()) " hình thức khác (như huân chương, danh hiệu vinh dự Nhà nước) chưa có tiêu chuẩn tự động: cán bộ thẩm định đối chiếu khi lập hồ sơ." }
            }
            @if !rest.is_empty() {
                details {
                    summary { "Chưa đủ điều kiện (" (rest.len()) ")" }
                    @for a in &rest { (answer_markup(a)) }
                }
            }
            @if !no_rule.is_empty() {
                details.no-rule {
                    summary { "Không có quy định có hiệu lực (" (no_rule.len()) "): cần bổ sung gói quy tắc" }
                    @for a in &no_rule { (answer_markup(a)) }
                }
            }
        }
    }
}

/// The panel and input forms on a person page (empty for those who may not read it).
///
/// # Errors
/// Database failure.
pub async fn person_section(
    state: &SharedState,
    ctx: &Ctx,
    p: &Person,
    year: Option<i32>,
) -> Result<Markup, AppError> {
    let inputs = state.store.person_inputs(rules().catalogue(), p.id).await?;
    let year = year.unwrap_or_else(|| default_year(&inputs));
    let answers = evaluate(&inputs, Recipient::Individual, year);
    let may_write = authorize(
        state,
        &ctx.user,
        Action::WritePeople,
        Some(p.unit_id),
        &ctx.path,
    )
    .await
    .is_ok();
    let ratings = state.store.person_ratings(p.id).await?;
    let disc = state.store.person_disciplines(p.id).await?;
    let inits = state.store.person_initiatives(p.id).await?;
    let evals = state.store.person_evaluations(p.id).await?;
    let form_summary = evaluations::summary(year, &evals);
    Ok(html! {
        (panel(&answers, year, &format!("/people/{}/eligibility", p.id)))
        section.card #inputs {
            h2 { "Dữ liệu xét khen thưởng" }
            h3 { "Xếp loại hằng năm" }
            @if ratings.is_empty() { p.muted { "Chưa có kết quả xếp loại." } } @else {
                table.responsive #annual-ratings { thead { tr { th { "Năm" } th { "Xếp loại" } th { "Theo tháng, quý" } th { "Ghi chú" } } }
                    tbody { @for r in &ratings {
                        @let sum = evaluations::summary(r.year, &evals);
                        tr {
                            td data-label="Năm" { (r.year) }
                            td data-label="Xếp loại" { (r.label()) }
                            td data-label="Theo tháng, quý" {
                                @if sum.is_empty() { span.muted { "—" } }
                                @for l in sum.lines() { (l) br; }
                                @if let Some(w) = r.rating().and_then(|x| sum.warning(x)) {
                                    span.missing.warning { "⚠ " (w) " Cán bộ kiểm tra lại; tdkt không tự đổi xếp loại năm." }
                                }
                            }
                            td data-label="Ghi chú" { (r.note) }
                        }
                    } } }
            }
            h3 { "Đánh giá theo tháng, quý" }
            @if evals.is_empty() { p.muted { "Chưa có đánh giá tháng, quý." } } @else {
                table.responsive #periodic-evaluations { thead { tr { th { "Kỳ" } th { "Mức" } th { "Ghi chú" } } }
                    tbody { @for e in &evals { tr {
                        td data-label="Kỳ" { (e.label()) }
                        td data-label="Mức" { (e.rating().map_or("", |r| r.label())) }
                        td data-label="Ghi chú" { (e.note) }
                    } } } }
            }
            h3 { "Kỷ luật" }
            @if disc.is_empty() { p.muted { "Không có quyết định kỷ luật." } } @else {
                table.responsive #discipline { thead { tr { th { "Hình thức" } th { "Quyết định" } th { "Hiệu lực từ" } th { "Thời hạn" } @if may_write { th {} } } }
                    tbody { @for d in &disc { tr {
                        td data-label="Hình thức" { (d.level().map_or("", |l| l.label())) }
                        td data-label="Quyết định" { (d.decision_no) " ngày " (format_vn(d.decision_date)) }
                        td data-label="Hiệu lực từ" { (format_vn(d.effective_on)) }
                        td data-label="Thời hạn" { @if let Some(m) = d.months { (m) " tháng" } @else { "—" } }
                        @if may_write { td { (void_form(ctx, &format!("/people/{}/discipline/{}/void", p.id, d.id))) } }
                    } } } }
            }
            h3 { "Sáng kiến, đề tài được công nhận" }
            @if inits.is_empty() { p.muted { "Chưa có." } } @else {
                table.responsive #initiatives { thead { tr { th { "Tên" } th { "Loại" } th { "Phạm vi" } th { "Ngày công nhận" } @if may_write { th {} } } }
                    tbody { @for i in &inits { tr {
                        td data-label="Tên" { (i.title) }
                        td data-label="Loại" { (InitiativeKind::from_code(&i.kind).label()) }
                        td data-label="Phạm vi" { (i.scope().map_or("", |s| s.label())) }
                        td data-label="Ngày công nhận" { (format_vn(i.recognised_on)) }
                        @if may_write { td { (void_form(ctx, &format!("/people/{}/initiatives/{}/void", p.id, i.id))) } }
                    } } } }
            }
            @if may_write {
                details.card #add-rating {
                    summary { "Nhập xếp loại" }
                    @if !form_summary.is_empty() {
                        p.muted #rating-hint { "Đánh giá tháng, quý năm " (year) ": " @for l in form_summary.lines() { (l) ". " } "Xếp loại năm do cán bộ quyết định." }
                    }
                    form.stack method="post" action={ "/people/" (p.id) "/ratings" } {
                        (ctx.csrf_field())
                        label { "Năm" input name="year" type="number" required value=(year); }
                        label { "Xếp loại" select name="rating" {
                            (rating_options())
                        } }
                        label { "Ghi chú" input name="note"; }
                        button type="submit" { "Lưu xếp loại" }
                    }
                }
                details.card #add-evaluation {
                    summary { "Nhập đánh giá tháng, quý" }
                    form.stack method="post" action={ "/people/" (p.id) "/evaluations" } {
                        (ctx.csrf_field())
                        label { "Kỳ (tháng: 03/" (year) "; quý: Q1/" (year) ")" input name="period" required placeholder={ "03/" (year) }; }
                        label { "Mức" select name="level" {
                            (rating_options())
                        } }
                        label { "Ghi chú" input name="note"; }
                        button type="submit" { "Lưu đánh giá" }
                    }
                }
                details.card #add-discipline {
                    summary { "Nhập kỷ luật" }
                    form.stack method="post" action={ "/people/" (p.id) "/discipline" } {
                        (ctx.csrf_field())
                        label { "Hình thức" select name="level" {
                            @for d in DisciplineLevel::ALL { option value=(d.code()) { (d.title()) } }
                        } }
                        label { "Số quyết định" input name="decision_no" required; }
                        label { "Ngày quyết định" input name="decision_date" type="date" required; }
                        label { "Hiệu lực từ (bỏ trống: ngày quyết định)" input name="effective_on" type="date"; }
                        label { "Thời hạn (tháng)" input name="months" type="number" min="1" max="120"; }
                        label { "Lý do" input name="reason"; }
                        button type="submit" { "Lưu kỷ luật" }
                    }
                }
                details.card #add-initiative {
                    summary { "Nhập sáng kiến, đề tài" }
                    form.stack method="post" action={ "/people/" (p.id) "/initiatives" } {
                        (ctx.csrf_field())
                        label { "Loại" select name="kind" { @for k in InitiativeKind::ALL { option value=(k.code()) { (k.title()) } } } }
                        label { "Tên" input name="title" required; }
                        label { "Phạm vi ảnh hưởng" select name="scope" {
                            @for s in Scope::ALL { option value=(s.code()) { (s.title()) } }
                        } }
                        label { "Ngày công nhận" input name="recognised_on" type="date" required; }
                        label { "Số quyết định công nhận" input name="decision_no"; }
                        button type="submit" { "Lưu sáng kiến, đề tài" }
                    }
                }
            }
        }
    })
}

/// "Hủy" with its reason: a record entered in error is voided, never deleted.
/// The rating levels as `<option>`s, from `core::rating` (best first, the
/// usual level chosen).
fn rating_options() -> Markup {
    html! {
        @for r in Rating::ALL {
            option value=(r.code()) selected[r == Rating::DEFAULT] { (r.title()) }
        }
    }
}

fn void_form(ctx: &Ctx, action: &str) -> Markup {
    html! {
        details.void {
            summary { "Hủy (nhập sai)" }
            form.inline method="post" action=(action) {
                (ctx.csrf_field())
                input name="reason" required minlength="5" placeholder="Lý do hủy";
                button.secondary type="submit" { "Hủy bản ghi" }
            }
        }
    }
}

/// The panel on a unit page, for those who may read its people (empty otherwise).
///
/// # Errors
/// Database failure.
pub async fn unit_section(
    state: &SharedState,
    ctx: &Ctx,
    unit: &Unit,
    year: Option<i32>,
) -> Result<Markup, AppError> {
    if ctx.principal().is_none()
        || authorize(
            state,
            &ctx.user,
            Action::ReadPeople,
            Some(unit.id),
            &ctx.path,
        )
        .await
        .is_err()
    {
        return Ok(html! {});
    }
    let lineage = state.store.lineage().await?;
    let inputs = state
        .store
        .unit_inputs(rules().catalogue(), &lineage, unit.id)
        .await?;
    let year = year.unwrap_or_else(|| default_year(&inputs));
    let answers = evaluate(&inputs, Recipient::Collective, year);
    Ok(panel(
        &answers,
        year,
        &format!("/units/{}/eligibility", unit.code),
    ))
}

async fn person_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<maud::Markup, AppError> {
    let p = readable_person(&state, &ctx.user, id, &ctx.path).await?;
    let section = person_section(&state, &ctx, &p, q.year).await?;
    Ok(ctx.page(
        &format!("Điều kiện khen thưởng — {}", p.full_name),
        html! {
            p.muted { a href={ "/people/" (p.id) } { (p.full_name) } }
            h1 { "Điều kiện khen thưởng" }
            (section)
        },
    ))
}

async fn readable_unit(state: &SharedState, ctx: &Ctx, code: &str) -> Result<Unit, AppError> {
    ctx.user.require(&ctx.path)?;
    let unit = state
        .store
        .unit_by_code(code)
        .await
        .map_err(|_| AppError::NotFound)?;
    authorize(
        state,
        &ctx.user,
        Action::ReadPeople,
        Some(unit.id),
        &ctx.path,
    )
    .await?;
    Ok(unit)
}

async fn unit_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<maud::Markup, AppError> {
    let unit = readable_unit(&state, &ctx, &code).await?;
    let section = unit_section(&state, &ctx, &unit, q.year).await?;
    Ok(ctx.page(
        &format!("Điều kiện khen thưởng — {}", unit.name),
        html! {
            p.muted { a href={ "/units/" (unit.code) } { (unit.name) } }
            h1 { "Điều kiện khen thưởng" }
            (section)
        },
    ))
}

#[derive(Serialize)]
struct ApiAnswer {
    subject: serde_json::Value,
    year: i32,
    answers: Vec<Answer>,
}

async fn person_api(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Json<ApiAnswer>, AppError> {
    let p = readable_person(&state, &ctx.user, id, "/api/v1").await?;
    let inputs = state.store.person_inputs(rules().catalogue(), p.id).await?;
    let year = q.year.unwrap_or_else(|| default_year(&inputs));
    Ok(Json(ApiAnswer {
        subject: serde_json::json!({"kind": "person", "id": p.id, "name": p.full_name, "unit": p.unit_code}),
        year,
        answers: evaluate(&inputs, Recipient::Individual, year),
    }))
}

async fn unit_api(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<ApiAnswer>, AppError> {
    let unit = readable_unit(&state, &ctx, &code).await?;
    let lineage = state.store.lineage().await?;
    let inputs = state
        .store
        .unit_inputs(rules().catalogue(), &lineage, unit.id)
        .await?;
    let year = q.year.unwrap_or_else(|| default_year(&inputs));
    Ok(Json(ApiAnswer {
        subject: serde_json::json!({"kind": "unit", "id": unit.id, "name": unit.name, "code": unit.code}),
        year,
        answers: evaluate(&inputs, Recipient::Collective, year),
    }))
}

fn date_field(field: &'static str, label: &str, s: &str) -> Result<time::Date, AppError> {
    tdkt_core::date::parse(s).map_err(|m| AppError::Invalid {
        field,
        message: format!("{label}: {m}"),
    })
}

#[derive(Deserialize)]
pub struct RatingForm {
    pub year: String,
    pub rating: String,
    pub note: Option<String>,
}

async fn add_rating(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<RatingForm>,
) -> Result<Response, AppError> {
    let (who, p) = crate::load::writable_person(&state, &ctx, id).await?;
    let year: i32 = f.year.trim().parse().map_err(|_| AppError::Invalid {
        field: "year",
        message: format!("«{}» không phải năm.", f.year),
    })?;
    let rating = Rating::parse(&f.rating).ok_or_else(|| AppError::Invalid {
        field: "rating",
        message: format!("«{}» không phải mức xếp loại.", f.rating),
    })?;
    state
        .store
        .record_rating(
            &who,
            Subject::Person(p.id),
            year,
            rating,
            f.note.as_deref().unwrap_or_default(),
        )
        .await?;
    Ok(super::saved(
        &format!("/people/{}/eligibility?year={year}", p.id),
        "xep-loai",
    ))
}

#[derive(Deserialize)]
pub struct DisciplineForm {
    pub level: String,
    pub decision_no: String,
    pub decision_date: String,
    pub effective_on: Option<String>,
    pub months: Option<String>,
    pub reason: Option<String>,
}

async fn add_discipline(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<DisciplineForm>,
) -> Result<Response, AppError> {
    let (who, p) = crate::load::writable_person(&state, &ctx, id).await?;
    let level = DisciplineLevel::parse(&f.level).ok_or_else(|| AppError::Invalid {
        field: "level",
        message: format!("«{}» không phải hình thức kỷ luật.", f.level),
    })?;
    let decision_date = date_field("decision_date", "Ngày quyết định", &f.decision_date)?;
    let effective_on = match f.effective_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(date_field("effective_on", "Ngày hiệu lực", s)?),
    };
    let months = match f.months.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(s.parse::<u16>().map_err(|_| AppError::Invalid {
            field: "months",
            message: format!("«{s}» không phải số tháng."),
        })?),
    };
    state
        .store
        .record_discipline(
            &who,
            &NewDiscipline {
                person_id: p.id,
                level,
                decision_no: f.decision_no.clone(),
                decision_date,
                effective_on,
                months,
                reason: f.reason.clone().unwrap_or_default(),
            },
        )
        .await?;
    Ok(super::saved(
        &format!(
            "/people/{}/eligibility?year={}",
            p.id,
            effective_on.unwrap_or(decision_date).year()
        ),
        "ky-luat",
    ))
}

#[derive(Deserialize)]
pub struct InitiativeForm {
    pub kind: Option<String>,
    pub title: String,
    pub scope: String,
    pub recognised_on: String,
    pub decision_no: Option<String>,
}

async fn add_initiative(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<InitiativeForm>,
) -> Result<Response, AppError> {
    let (who, p) = crate::load::writable_person(&state, &ctx, id).await?;
    let kind = InitiativeKind::parse(f.kind.as_deref().unwrap_or_default())
        .map(InitiativeKind::code)
        .ok_or_else(|| AppError::Invalid {
            field: "kind",
            message: "Loại phải là sáng kiến hoặc đề tài.".into(),
        })?;
    let scope = Scope::parse(&f.scope).ok_or_else(|| AppError::Invalid {
        field: "scope",
        message: format!("«{}» không phải phạm vi ảnh hưởng.", f.scope),
    })?;
    let recognised_on = date_field("recognised_on", "Ngày công nhận", &f.recognised_on)?;
    state
        .store
        .record_initiative(
            &who,
            &NewInitiative {
                person_id: p.id,
                kind,
                title: f.title.clone(),
                scope,
                recognised_on,
                decision_no: f.decision_no.clone().unwrap_or_default(),
            },
        )
        .await?;
    Ok(super::saved(
        &format!("/people/{}/eligibility?year={}", p.id, recognised_on.year()),
        "sang-kien",
    ))
}

#[derive(Deserialize)]
pub struct EvaluationForm {
    pub period: String,
    pub level: String,
    pub note: Option<String>,
}

async fn add_evaluation(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EvaluationForm>,
) -> Result<Response, AppError> {
    let (who, p) = crate::load::writable_person(&state, &ctx, id).await?;
    let period =
        tdkt_core::evaluation::parse_period(&f.period).map_err(|message| AppError::Invalid {
            field: "period",
            message,
        })?;
    let level = Rating::parse(&f.level).ok_or_else(|| AppError::Invalid {
        field: "level",
        message: format!("«{}» không phải mức xếp loại.", f.level),
    })?;
    state
        .store
        .record_evaluation(
            &who,
            p.id,
            period,
            level,
            f.note.as_deref().unwrap_or_default(),
        )
        .await?;
    Ok(super::saved(
        &format!("/people/{}/eligibility?year={}", p.id, period.year()),
        "danh-gia",
    ))
}

#[derive(Deserialize)]
pub struct VoidForm {
    pub reason: String,
}

async fn void_record(
    state: &SharedState,
    ctx: &Ctx,
    what: Voidable,
    id: i64,
    rid: i64,
    reason: &str,
) -> Result<Response, AppError> {
    let (who, p) = crate::load::writable_person(state, ctx, id).await?;
    state
        .store
        .void_input(&who, what, p.id, rid, reason)
        .await?;
    Ok(super::saved(
        &format!("/people/{}/eligibility", p.id),
        "huy-ban-ghi",
    ))
}

async fn void_discipline(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((id, rid)): Path<(i64, i64)>,
    Form(f): Form<VoidForm>,
) -> Result<Response, AppError> {
    void_record(&state, &ctx, Voidable::Discipline, id, rid, &f.reason).await
}

async fn void_initiative(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((id, rid)): Path<(i64, i64)>,
    Form(f): Form<VoidForm>,
) -> Result<Response, AppError> {
    void_record(&state, &ctx, Voidable::Initiative, id, rid, &f.reason).await
}
