//! Commendation decisions on the web (issue 14, decision half): the list
//! (`/decisions`), a new draft (`/decisions/new`: authority, number,
//! signer, bases, the annexed list pasted as rows), a decision's page
//! (annex with amounts as a list, `annex.rs`, the issue button, the DOCX draft, links to the
//! registry records and their certificates), and the fund's ledger
//! (`fund.rs`). Reading needs `ReadDecisions`, drafting and issuing
//! `IssueDecisions`, both on the authority's unit: out of scope is 404, a
//! role that never may is 403. One store call per write, one transaction.

mod annex;
mod draft;
mod fund;
mod list;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{role_may, Action};
use tdkt_core::date::format_vn;
use tdkt_core::decision::{default_bases, NewDecision};
use tdkt_core::import::RowError;
use tdkt_core::reward::format_vnd;
use tdkt_store::decisions::file::TEMPLATE_HEADER;
use tdkt_store::decisions::{Authority, Decision, RecipientLine};
use tdkt_store::people::PeopleScope;
use tdkt_store::Store;

use crate::auth::{authorize, people_scope};
use crate::layout::{form_error, Ctx};
use crate::listing::{export, ListQuery, Listing};
use crate::load::units_with;
use crate::view::download;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/decisions", get(list::list).post(create))
        .route("/decisions/new", get(new_form))
        .route("/decisions/{id}", get(page))
        .route("/decisions/{id}/issue", post(issue))
        .route("/decisions/{id}/quyet-dinh.docx", get(docx))
        .merge(draft::router())
        .merge(fund::router())
}

/// Decision `id` if the caller may read it (404 outside scope), and may
/// also do `action` on it (403 for a role that never may).
async fn readable_decision(
    state: &SharedState,
    ctx: &Ctx,
    id: i64,
    action: Action,
) -> Result<Decision, AppError> {
    ctx.require()?;
    let d = state
        .store
        .decision(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    authorize(
        state,
        &ctx.user,
        Action::ReadDecisions,
        Some(d.authority_unit_id),
        &ctx.path,
    )
    .await?;
    if action != Action::ReadDecisions {
        authorize(
            state,
            &ctx.user,
            action,
            Some(d.authority_unit_id),
            &ctx.path,
        )
        .await?;
    }
    Ok(d)
}

/// The authorities on which the caller holds `action`.
async fn authorities_with(
    state: &SharedState,
    ctx: &Ctx,
    action: Action,
) -> Result<Vec<Authority>, AppError> {
    let units: std::collections::BTreeSet<i64> = units_with(state, ctx, action)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    Ok(state
        .store
        .decision_authorities()
        .await?
        .into_iter()
        .filter(|a| units.contains(&a.unit_id))
        .collect())
}

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    authority: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    signer_name: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    bases: String,
    #[serde(default)]
    dossier_id: String,
    #[serde(default)]
    recipients: String,
}

#[derive(Deserialize)]
struct NewParams {
    authority: Option<String>,
}

fn new_page(
    ctx: &Ctx,
    authorities: &[Authority],
    f: &NewForm,
    err: Option<&AppError>,
    rows: &[RowError],
) -> Markup {
    ctx.page(
        "Dự thảo quyết định khen thưởng",
        html! {
            p.muted { a href="/decisions" { "← Quyết định khen thưởng" } }
            h1 { "Dự thảo quyết định khen thưởng" }
            p { "Số quyết định đánh theo thứ tự trong năm của từng cơ quan ban hành (Điều 15 Nghị định 30/2020/NĐ-CP); một số chỉ dùng một lần. Tiền thưởng tính theo mức lương cơ sở có hiệu lực ngày ban hành (Điều 49 Nghị định 152/2025/NĐ-CP). Dự thảo chưa ghi vào sổ khen thưởng: chỉ khi ban hành, các bản ghi khen thưởng và khoản chi quỹ mới được tạo, cùng một lúc." }
            (form_error(err))
            @if !rows.is_empty() {
                div.alert role="alert" #row-errors {
                    p { "Danh sách có dòng lỗi; chưa lưu gì:" }
                    ul { @for e in rows { li { (e.to_string()) } } }
                }
            }
            form.stack method="post" enctype="multipart/form-data" action={ "/decisions/upload?csrf_token=" (ctx.csrf) } {
                (ctx.csrf_field())
                label { "Cơ quan ban hành"
                    select name="authority" required {
                        @for a in authorities {
                            option value=(a.unit_code) selected[a.unit_code == f.authority] { (a.body) " (" (a.abbreviation) ")" }
                        }
                    }
                }
                label { "Số quyết định (số thứ tự trong năm)" input name="number" required inputmode="numeric" value=(f.number); }
                label { "Ngày ban hành" input type="date" name="decided_on" required value=(f.decided_on); }
                label { "Người ký" input name="signer_name" required value=(f.signer_name); }
                label { "Chức vụ người ký" input name="signer_title" required value=(f.signer_title) placeholder="CHỦ TỊCH hoặc KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"; }
                label { "Trích yếu" input name="title" required value=(f.title); }
                label { "Căn cứ ban hành (mỗi dòng một căn cứ)" textarea name="bases" rows="5" required { (f.bases) } }
                label { "Mã hồ sơ đề nghị (nếu có)" input name="dossier_id" inputmode="numeric" value=(f.dossier_id); }
                (draft::list_fields(&f.recipients, false))
                button type="submit" { "Lưu dự thảo" }
            }
        },
    )
}

async fn new_form(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(p): Query<NewParams>,
) -> Result<Response, AppError> {
    ctx.require()?;
    authorize(&state, &ctx.user, Action::IssueDecisions, None, &ctx.path).await?;
    let authorities = authorities_with(&state, &ctx, Action::IssueDecisions).await?;
    let Some(chosen) = authorities
        .iter()
        .find(|a| p.authority.as_deref() == Some(a.unit_code.as_str()))
        .or_else(|| authorities.first())
    else {
        return Ok(ctx
            .page(
                "Dự thảo quyết định khen thưởng",
                html! {
                    h1 { "Dự thảo quyết định khen thưởng" }
                    p { "Chưa có cơ quan ban hành nào trong phạm vi của bạn. Quản trị viên khai báo cơ quan ban hành bằng lệnh " code { "tdkt decision authority" } "." }
                },
            )
            .into_response());
    };
    let today = tdkt_core::date::today_vn();
    let next = state
        .store
        .next_decision_seq(chosen.unit_id, today.year())
        .await?;
    let level = state.store.level_classes().await?(&state.store.unit(chosen.unit_id).await?);
    let f = NewForm {
        authority: chosen.unit_code.clone(),
        number: next.to_string(),
        decided_on: today.to_string(),
        signer_title: chosen.signer_title.clone(),
        title: "Về việc tặng Bằng khen".to_owned(),
        bases: default_bases(level),
        recipients: format!("{TEMPLATE_HEADER}\n"),
        ..NewForm::default()
    };
    Ok(new_page(&ctx, &authorities, &f, None, &[]).into_response())
}

/// Why a draft was refused: a field, or rows of the list.
enum Refusal {
    Field(AppError),
    Rows(Vec<RowError>),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Self::Field(e)
    }
}

impl From<tdkt_store::StoreError> for Refusal {
    fn from(e: tdkt_store::StoreError) -> Self {
        Self::Field(e.into())
    }
}

impl From<tdkt_core::DomainError> for Refusal {
    fn from(e: tdkt_core::DomainError) -> Self {
        Self::Field(e.into())
    }
}

/// The dossier number a form gives, if any.
fn dossier_of(f: &NewForm) -> Result<Option<i64>, AppError> {
    match f.dossier_id.trim() {
        "" => Ok(None),
        s => Ok(Some(s.parse::<i64>().map_err(|_| AppError::Invalid {
            field: "dossier_id",
            message: format!("Mã hồ sơ «{s}» phải là số nguyên dương."),
        })?)),
    }
}

/// The header of a draft as the form gives it, for `authority`.
fn header_of(authority: &Authority, f: &NewForm) -> Result<NewDecision, AppError> {
    Ok(NewDecision::parse(
        &authority.symbol()?,
        &f.number,
        &f.decided_on,
        &f.signer_name,
        &f.signer_title,
        &f.title,
        &f.bases,
        dossier_of(f)?,
        tdkt_core::date::today_vn(),
    )?)
}

/// The annexed list from a file (`name` says CSV or XLSX) or the pasted
/// rows, each row checked (`core::import::RowError`), and every line within
/// the caller's own scope besides the authority's (checked by the store).
async fn list_of(
    state: &SharedState,
    who: &tdkt_core::access::Principal,
    name: &str,
    bytes: Vec<u8>,
) -> Result<tdkt_store::decisions::file::Recipients, Refusal> {
    let (header, rows, _) =
        tdkt_store::awards::file::read_bytes(name, bytes).map_err(|e| AppError::Invalid {
            field: "recipients",
            message: e.to_string(),
        })?;
    let recipients = match state.store.read_recipients(&header, rows).await? {
        Ok(r) => r,
        Err(rows) => return Err(Refusal::Rows(rows)),
    };
    if let PeopleScope::Units(scope) = people_scope(state, who).await? {
        if let Some(i) = recipients
            .lines
            .iter()
            .position(|l| !scope.contains(&l.unit_id))
        {
            return Err(AppError::Invalid {
                field: "recipients",
                message: format!(
                    "Dòng {} ({}): ngoài phạm vi quản lý của tài khoản.",
                    i + 1,
                    recipients.names[i]
                ),
            }
            .into());
        }
    }
    Ok(recipients)
}

/// Drafts from the form, the list from `file` (name, bytes) or else the
/// pasted rows.
async fn draft(
    state: &SharedState,
    ctx: &Ctx,
    f: &NewForm,
    file: Option<(String, Vec<u8>)>,
) -> Result<i64, Refusal> {
    let who = ctx.require()?.clone();
    let authority = state
        .store
        .decision_authorities()
        .await?
        .into_iter()
        .find(|a| a.unit_code == f.authority.trim())
        .ok_or(AppError::NotFound)?;
    authorize(
        state,
        &ctx.user,
        Action::IssueDecisions,
        Some(authority.unit_id),
        &ctx.path,
    )
    .await?;
    let d = header_of(&authority, f)?;
    let (name, bytes) = file.unwrap_or_else(|| {
        (
            "danh-sach.csv".to_owned(),
            f.recipients.clone().into_bytes(),
        )
    });
    let recipients = list_of(state, &who, &name, bytes).await?;
    Ok(state
        .store
        .create_decision(
            &who.username,
            authority.unit_id,
            &d,
            &recipients.lines,
            &recipients.names,
        )
        .await?)
}

async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Form<NewForm>,
) -> Result<Response, AppError> {
    // the role first, so a reader is refused before the form is read
    authorize(&state, &ctx.user, Action::IssueDecisions, None, &ctx.path).await?;
    match draft(&state, &ctx, &f, None).await {
        Ok(id) => Ok(super::saved(&format!("/decisions/{id}"), "du-thao-qd")),
        Err(Refusal::Field(e @ (AppError::Invalid { .. } | AppError::Conflict(..)))) => {
            let authorities = authorities_with(&state, &ctx, Action::IssueDecisions).await?;
            Ok((e.status(), new_page(&ctx, &authorities, &f, Some(&e), &[])).into_response())
        }
        Err(Refusal::Rows(rows)) => {
            let authorities = authorities_with(&state, &ctx, Action::IssueDecisions).await?;
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                new_page(&ctx, &authorities, &f, None, &rows),
            )
                .into_response())
        }
        Err(Refusal::Field(e)) => Err(e),
    }
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let d = readable_decision(&state, &ctx, id, Action::ReadDecisions).await?;
    let p = ctx.require()?;
    let may_issue = role_may(p.role, Action::IssueDecisions);
    let may_print = role_may(p.role, Action::WritePeople);
    let lines = state.store.decision_lines(id).await?;
    let view = annex::view(id, &q);
    if let Some(f) = view.format {
        let (found, _) = annex::arrange(&view, &d, &lines);
        return export(
            f,
            "Danh sách kèm theo",
            &format!("danh-sach-{}", tdkt_core::text::slug(&d.number)),
            &annex::COLUMNS,
            found.rows.iter().map(annex::row),
        );
    }
    let warning = fund_warning(&state, &d, &lines, may_issue).await?;
    Ok(render_page(
        &ctx,
        &d,
        &lines,
        &view,
        (may_issue, may_print),
        None,
        warning.as_deref(),
    )
    .into_response())
}

/// Before a draft is issued: would its reward money take the issuing
/// body's fund for the year below zero? (`decision::fund_shortfall`)
async fn fund_warning(
    state: &SharedState,
    d: &Decision,
    lines: &[RecipientLine],
    may_issue: bool,
) -> Result<Option<String>, AppError> {
    if d.issued() || !may_issue {
        return Ok(None);
    }
    let payment: i64 = Store::line_amounts(d, lines)
        .iter()
        .filter_map(|a| a.as_ref().ok())
        .sum();
    let ledger = state.store.fund_ledger(d.authority_unit_id, d.year).await?;
    Ok(tdkt_core::decision::fund_shortfall(
        ledger.totals.balance,
        payment,
        d.year,
    ))
}

fn render_page(
    ctx: &Ctx,
    d: &Decision,
    lines: &[RecipientLine],
    view: &Listing<annex::AnnexSort>,
    (may_issue, may_print): (bool, bool),
    err: Option<&AppError>,
    fund_warning: Option<&str>,
) -> Markup {
    let (found, total) = annex::arrange(view, d, lines);
    ctx.page(
        &format!("Quyết định {}", d.number),
        html! {
            p.muted { a href="/decisions" { "← Quyết định khen thưởng" } }
            h1 { "Quyết định số " (d.number) }
            (form_error(err))
            section.card #decision {
                dl.facts {
                    dt { "Cơ quan ban hành" } dd { (d.body) }
                    dt { "Ngày ban hành" } dd { (format_vn(d.decided_on)) }
                    dt { "Trích yếu" } dd { (d.title) }
                    dt { "Người ký" } dd { (d.signer_title) " — " (d.signer_name) }
                    dt { "Căn cứ" } dd { @for b in d.bases() { (b) br; } }
                    @if let Some(ds) = d.dossier_id { dt { "Hồ sơ đề nghị" } dd { a href={ "/dossiers/" (ds) } { "Hồ sơ #" (ds) } } }
                    dt { "Trạng thái" } dd #status { (d.status().label())
                        @if let (Some(by), Some(at)) = (&d.issued_by, &d.issued_at) { " (" (by) ", " (tdkt_core::date::format_instant_vn(at)) ")" } }
                }
                p { a href={ "/decisions/" (d.id) "/quyet-dinh.docx" } { "Tải bản " @if d.issued() { "quyết định" } @else { "dự thảo" } " (DOCX, thể thức Nghị định 30/2020/NĐ-CP)" } }
            }
            h2 { "Danh sách kèm theo" }
            (annex::section(view, d, &found, total, may_print))
            @if !d.issued() && may_issue {
                section.card #issue {
                    @if let Some(w) = fund_warning { p.alert role="alert" #fund-warning { (w) } }
                    p { "Ban hành: ghi " (lines.len()) " bản ghi vào sổ khen thưởng, mỗi bản ghi gắn với quyết định này, và khoản chi tiền thưởng vào sổ quỹ của cơ quan ban hành, cùng một lúc. Sau khi ban hành, quyết định không sửa được." }
                    p { a href={ "/decisions/" (d.id) "/edit" } { "Sửa hoặc xóa dự thảo" } }
                    form method="post" action={ "/decisions/" (d.id) "/issue" } {
                        (ctx.csrf_field())
                        button type="submit" { "Ban hành quyết định" }
                    }
                }
            }
            @if d.issued() {
                p.muted { "Tiền thưởng đã chi từ quỹ: " a href={ "/fund?unit=" (d.unit_code) "&year=" (d.year) } { "xem sổ quỹ năm " (d.year) } "." }
            }
        },
    )
}

async fn issue(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = readable_decision(&state, &ctx, id, Action::IssueDecisions).await?;
    let who = ctx.require()?.clone();
    match state.store.issue_decision(&who.username, id).await {
        Ok(_) => Ok(super::saved(&format!("/decisions/{id}"), "ban-hanh")),
        Err(e) => {
            let e = AppError::from(e);
            if matches!(e, AppError::Invalid { .. } | AppError::Conflict(..)) {
                let lines = state.store.decision_lines(id).await?;
                let d = state.store.decision(id).await.unwrap_or(d);
                let warning = fund_warning(&state, &d, &lines, true).await?;
                Ok((
                    e.status(),
                    render_page(
                        &ctx,
                        &d,
                        &lines,
                        &annex::view(id, &ListQuery::default()),
                        (true, role_may(who.role, Action::WritePeople)),
                        Some(&e),
                        warning.as_deref(),
                    ),
                )
                    .into_response())
            } else {
                Err(e)
            }
        }
    }
}

async fn docx(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = readable_decision(&state, &ctx, id, Action::ReadDecisions).await?;
    let doc = state.store.decision_document(id).await?;
    let bytes = tdkt_docs::decision::render(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!(
            "quyet-dinh-{}{}.docx",
            tdkt_core::text::slug(&d.number),
            if d.issued() { "" } else { "-du-thao" }
        ),
    ))
}

/// `3.800.000 đ` for the fund page.
fn vnd(x: i64) -> String {
    format_vnd(rust_decimal::Decimal::from(x))
}
