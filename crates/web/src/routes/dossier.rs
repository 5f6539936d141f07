//! Dossiers (*hồ sơ đề nghị khen thưởng*, issue 14): the list of a level's
//! dossiers, a new dossier (by hand or from a submitted proposal list), the
//! dossier page (recipients, checklist with uploads, route, timeline, the
//! acts of the level holding it) and the overdue board (`/dossiers?overdue`).
//!
//! Reading needs `ReadDossiers` on a level the dossier has reached (404
//! otherwise, like anything out of scope); acting needs `HandleDossiers`
//! (403 without the role) and being the level that holds it, which the
//! store checks in the same transaction as the act.

use std::collections::BTreeSet;

use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::{self, Action, Role};
use tdkt_core::catalogue::Recipient;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::dossier::track::{self, Service, Track};
use tdkt_core::org::UnitId;
use tdkt_store::attachments::Owner;
use tdkt_store::dossiers::{DossierAction, DossierView, NewDossier, NewRecipient};

mod list;
mod report;

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::load::{by_name, units_with};
use crate::picker::{unit_select, Ended};
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/dossiers", get(list::list).post(create))
        .route("/dossiers/new", get(new_form))
        .route("/dossiers/from-list", post(from_list))
        .route("/dossiers/{id}", get(page))
        .route("/dossiers/{id}/act", post(act))
        .route("/dossiers/{id}/files", post(upload))
        .route("/dossiers/{id}/files/{file}", get(download))
        .route(
            "/dossiers/{id}/report",
            get(report::draft).post(report::save),
        )
}

fn award_name(code: &str) -> String {
    tdkt_store::rules::current()
        .catalogue()
        .get(code)
        .map_or_else(|| code.to_owned(), |a| a.name.clone())
}

fn war_name(code: &str) -> String {
    tdkt_store::rules::current()
        .catalogue()
        .procedures()
        .war(code)
        .map_or_else(|| code.to_owned(), |w| w.name.clone())
}

/// The total service time of a recipient's positions (core::tenure).
fn service_total(rows: &[&tdkt_store::dossiers::ServiceRow], until: time::Date) -> String {
    let periods: Vec<tdkt_core::tenure::Tenure<()>> = rows
        .iter()
        .map(|s| tdkt_core::tenure::Tenure {
            value: (),
            start: s.start_on,
            end: s.end_on,
        })
        .collect();
    Service::of_days(tdkt_core::tenure::total_days(&periods, until)).label()
}

fn url(id: i64) -> String {
    format!("/dossiers/{id}")
}

/// The units whose dossiers the caller reads (`None` = all, administrators).
async fn read_scope(state: &SharedState, ctx: &Ctx) -> Result<Option<BTreeSet<UnitId>>, AppError> {
    let who = ctx.require()?;
    if !access::role_may(who.role, Action::ReadDossiers) {
        return Err(AppError::Forbidden);
    }
    Ok(match (who.role, who.scope_unit) {
        (Role::Admin, _) => None,
        (_, Some(root)) => Some(state.store.lineage().await?.scope(root)),
        (_, None) => Some(BTreeSet::new()),
    })
}

/// The dossier page's data, if the caller may read it: some level it has
/// reached is in the caller's scope.
async fn readable(state: &SharedState, ctx: &Ctx, id: i64) -> Result<DossierView, AppError> {
    ctx.require()?;
    let reached = state
        .store
        .dossier_reached_units(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    let mut last = Err(AppError::NotFound);
    for unit in reached {
        last = authorize(
            state,
            &ctx.user,
            Action::ReadDossiers,
            Some(unit),
            &ctx.path,
        )
        .await;
        if last.is_ok() {
            break;
        }
    }
    last?;
    Ok(state.store.dossier_view(id).await?)
}

async fn new_form(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    authorize(&state, &ctx.user, Action::HandleDossiers, None, &ctx.path).await?;
    let who = ctx.require()?;
    let unit_code = match who.scope_unit {
        Some(u) => state.store.unit(u).await?.code,
        None => String::new(),
    };
    let units = by_name(units_with(&state, &ctx, Action::HandleDossiers).await?);
    let year = today_vn().year() - 1;
    let rules = tdkt_store::rules::current();
    let awards = rules.catalogue().awards().to_vec();
    let wars = rules
        .catalogue()
        .procedures()
        .wars()
        .iter()
        .map(|w| format!("{} = {}", w.code, w.name))
        .collect::<Vec<_>>()
        .join(", ");
    let wars = format!("({wars})");
    Ok(ctx.page(
        "Lập hồ sơ khen thưởng",
        html! {
            p.muted { a href="/dossiers" { "Hồ sơ khen thưởng" } }
            h1 { "Lập hồ sơ đề nghị khen thưởng" }
            section.card {
                h2 { "Từ danh sách đề nghị đã trình" }
                form.stack method="post" action="/dossiers/from-list" {
                    (ctx.csrf_field())
                    label { "Số danh sách đề nghị" input name="list" type="number" required; }
                    label { "Ngày tiếp nhận" input name="received_on" value=(format_vn(today_vn())) required; }
                    button type="submit" { "Lập hồ sơ từ danh sách" }
                }
            }
            section.card {
                h2 { "Lập trực tiếp" }
                form.stack method="post" action="/dossiers" {
                    (ctx.csrf_field())
                    (unit_select("dossier-unit", "unit", "Đơn vị lập hồ sơ", &units, Ended::Hide, &unit_code, None))
                    label { "Danh hiệu, hình thức" select name="award" {
                        @for a in &awards { option value=(a.code) { (a.name) } }
                    } }
                    label { "Đề nghị cho" select name="kind" {
                        option value="individual" { "cá nhân" }
                        option value="collective" { "tập thể" }
                        option value="household" { "hộ gia đình" }
                    } }
                    label { "Năm thành tích" input name="year" type="number" required value=(year); }
                    label { "Ngày tiếp nhận (dd/mm/yyyy)" input name="received_on" value=(format_vn(today_vn())) required; }
                    label { "Trích yếu" input name="title"; }
                    label { "Người, tập thể được đề nghị (mỗi dòng một số CCCD, một mã đơn vị hoặc một tên hộ gia đình)"
                        textarea name="recipients" rows="4" required {} }
                    label { "Loại khen thưởng" select name="track" {
                        @for t in Track::ALL { option value=(t.code()) { (t.label()) } }
                    } }
                    label { "Ngày lập thành tích (khen thưởng đột xuất, dd/mm/yyyy)" input name="acted_on"; }
                    label { "Quá trình cống hiến hoặc tham gia kháng chiến (mỗi dòng: người được đề nghị như trên; chức vụ hoặc mã cuộc kháng chiến "
                        (wars) "; từ ngày; đến ngày — để trống nếu đang giữ)"
                        textarea name="facts" rows="4" {} }
                    button type="submit" { "Lập hồ sơ" }
                }
            }
        },
    ))
}

#[derive(Deserialize)]
struct NewForm {
    unit: String,
    award: String,
    kind: String,
    year: String,
    received_on: String,
    title: Option<String>,
    recipients: String,
    #[serde(default)]
    track: String,
    #[serde(default)]
    acted_on: String,
    #[serde(default)]
    facts: String,
}

fn parse_date(field: &'static str, s: &str) -> Result<time::Date, AppError> {
    tdkt_core::date::parse(s.trim()).map_err(|m| AppError::Invalid {
        field,
        message: format!(
            "{} «{s}»: {m}",
            if field == "acted_on" {
                "Ngày lập thành tích"
            } else {
                "Ngày tiếp nhận"
            }
        ),
    })
}

async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Form<NewForm>,
) -> Result<Response, AppError> {
    // the role first, so a reader is refused before the form is read
    if !access::role_may(ctx.require()?.role, Action::HandleDossiers) {
        return Err(AppError::Forbidden);
    }
    let unit = state
        .store
        .unit_by_code(f.unit.trim())
        .await
        .map_err(|_| AppError::Invalid {
            field: "unit",
            message: format!("Không có đơn vị mã «{}».", f.unit.trim()),
        })?;
    authorize(
        &state,
        &ctx.user,
        Action::HandleDossiers,
        Some(unit.id),
        &ctx.path,
    )
    .await?;
    let who = ctx.require()?.username.clone();
    let year: i32 = f.year.trim().parse().map_err(|_| AppError::Invalid {
        field: "year",
        message: format!("«{}» không phải năm.", f.year),
    })?;
    let received_on = parse_date("received_on", &f.received_on)?;
    let kind = match f.kind.as_str() {
        "collective" => Recipient::Collective,
        "household" => Recipient::Household,
        _ => Recipient::Individual,
    };
    let track = Track::parse(&f.track)?;
    let acted_on = match f.acted_on.trim() {
        "" => None,
        s => Some(parse_date("acted_on", s)?),
    };
    let mut listed = track::parse_lines(track, &f.facts)?;
    let mut facts = Vec::new();
    let mut recipients = Vec::new();
    for (i, line) in f
        .recipients
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let bad = |m: String| AppError::Invalid {
            field: "recipients",
            message: format!("Dòng {} «{line}»: {m}", i + 1),
        };
        facts.push(
            listed
                .iter()
                .position(|(k, _)| k == line)
                .map(|at| listed.remove(at).1)
                .unwrap_or_default(),
        );
        recipients.push(match kind {
            Recipient::Individual => {
                let p = state
                    .store
                    .person_by_cccd(line)
                    .await?
                    .ok_or_else(|| bad("không có người nào mang số CCCD này.".into()))?;
                NewRecipient::Person(p.id)
            }
            Recipient::Collective => {
                let u = state
                    .store
                    .unit_by_code(line)
                    .await
                    .map_err(|_| bad("không có đơn vị mang mã này.".into()))?;
                NewRecipient::Unit(u.id)
            }
            Recipient::Household => NewRecipient::Household(line.to_owned()),
        });
    }
    if let Some((who, _)) = listed.first() {
        return Err(AppError::Invalid {
            field: "facts",
            message: format!("«{who}» không có trong danh sách người, tập thể được đề nghị."),
        });
    }
    let id = state
        .store
        .create_dossier(
            &who,
            &NewDossier {
                unit_id: unit.id,
                award_code: f.award,
                kind,
                year,
                title: f.title.unwrap_or_default(),
                received_on,
                recipients,
                track,
                acted_on,
                facts,
            },
        )
        .await?;
    Ok(super::saved(&url(id), "ho-so"))
}

#[derive(Deserialize)]
struct FromListForm {
    list: String,
    received_on: String,
}

async fn from_list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): Form<FromListForm>,
) -> Result<Response, AppError> {
    // the role first, so a reader is refused before the form is read
    if !access::role_may(ctx.require()?.role, Action::HandleDossiers) {
        return Err(AppError::Forbidden);
    }
    let list_id: i64 = f.list.trim().parse().map_err(|_| AppError::Invalid {
        field: "list",
        message: format!("«{}» không phải số danh sách.", f.list),
    })?;
    let list = state
        .store
        .proposal_list(list_id)
        .await
        .map_err(|_| AppError::NotFound)?;
    authorize(
        &state,
        &ctx.user,
        Action::HandleDossiers,
        Some(list.unit_id),
        &ctx.path,
    )
    .await?;
    let received_on = parse_date("received_on", &f.received_on)?;
    let who = ctx.require()?.username.clone();
    let id = state
        .store
        .create_dossier_from_list(&who, list_id, received_on)
        .await?;
    Ok(super::saved(&url(id), "ho-so-tu-danh-sach"))
}

async fn page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let v = readable(&state, &ctx, id).await?;
    let who = ctx.require()?;
    let holder = v.holder();
    let may_act = access::role_may(who.role, Action::HandleDossiers)
        && (who.role == Role::Admin || holder.is_some_and(|h| Some(h.unit_id) == who.scope_unit));
    let status = v.dossier.state().map(|s| s.status).ok();
    let open = status.is_some_and(tdkt_core::dossier::Status::is_open);
    let higher = v.dossier.step > 0
        && status.is_some_and(|s| {
            matches!(
                s,
                tdkt_core::dossier::Status::Pending | tdkt_core::dossier::Status::Ready
            )
        });
    let files = state.attachments.list(&state.store, "dossier", id).await?;
    let may_publish = access::role_may(who.role, Action::DiscloseDossiers)
        && (who.role == Role::Admin || holder.is_some_and(|h| Some(h.unit_id) == who.scope_unit))
        && (open || status == Some(tdkt_core::dossier::Status::Ready));
    let disclosure = super::disclosure::dossier_section(&state, &ctx, id, may_publish).await?;
    let awards = tdkt_store::rules::current().catalogue().awards().to_vec();
    let d = &v.dossier;
    Ok(ctx.page(
        &format!("Hồ sơ #{id}"),
        html! {
            p.muted { a href="/dossiers" { "Hồ sơ khen thưởng" } }
            h1 { "Hồ sơ #" (id) ": " (v.award.name) " năm " (d.year) }
            @if !d.title.is_empty() { p { (d.title) } }
            dl.facts #facts {
                dt { "Trạng thái" } dd #status { (d.status_label()) }
                dt { "Cấp đang giữ" } dd #holder { @if let Some(h) = holder { (h.unit_name) " (" (h.class().label()) ")" } }
                dt { "Nhận tại cấp này ngày" } dd { (format_vn(d.arrived_on)) }
                dt { "Chế độ áp dụng" } dd #regime { (d.regime_label()) }
                dt { "Loại khen thưởng" } dd #track { (d.track().label()) " — " (d.procedure().label())
                    @if !v.disclosed { " (không công khai lấy ý kiến: khoản 2 Điều 44 NĐ 152/2025/NĐ-CP)" } }
                @if let Some(a) = d.acted_on { dt { "Ngày lập thành tích" } dd #acted-on { (format_vn(a)) } }
                dt { "Ngày tiếp nhận" } dd { (format_vn(d.received_on)) }
                @if let Some(due) = &v.due {
                    dt { "Hạn" } dd #due { strong { (format_vn(due.due)) } " — " (due.kind.label()) " [" (due.citation) "]"
                        details { summary { "Cách tính" } ul { @for l in &due.explanation { li { (l) } } } } }
                }
                @if let Some(r) = &d.recommended_award { dt { "Hình thức được đề xuất" } dd #recommended { (award_name(r)) } }
                @if let Some(dec) = d.decision_id { dt { "Quyết định" } dd { "#" (dec) } }
            }
            section.card #route {
                h2 { "Các cấp xét" }
                ol { @for s in &v.steps { li aria-current=[(s.position == d.step).then_some("step")] {
                    (s.unit_name) " — " (s.class().label())
                    @if s.position == d.step { " ← đang giữ" }
                } } }
            }
            section.card #recipients {
                h2 { "Người, tập thể được đề nghị (" (v.recipients.len()) ")" }
                ul { @for r in &v.recipients { li { (r.name)
                    @if may_act && open && v.checklist.iter().any(|c| c.code == "bao-cao-thanh-tich") {
                        " — " a href={ (url(id)) "/report?recipient=" (r.id) } { "Soạn báo cáo thành tích" }
                    }
                    @if let (Some(w), Some(a), Some(b)) = (&r.war, r.took_part_from, r.took_part_to) {
                        " — " (war_name(w)) ": " (format_vn(a)) " – " (format_vn(b))
                    }
                    @let service: Vec<_> = v.service.iter().filter(|s| s.recipient_id == r.id).collect();
                    @if !service.is_empty() {
                        ul.service { @for s in &service { li { (s.position) ": " (format_vn(s.start_on)) " – "
                            (s.end_on.map_or_else(|| "nay".to_owned(), format_vn)) } } }
                        p.service-total { "Tổng thời gian giữ chức vụ đến ngày tiếp nhận: "
                            (service_total(&service, d.received_on)) }
                    }
                } } }
            }
            (disclosure)
            section.card #checklist {
                h2 { "Thành phần hồ sơ" }
                @if v.checklist.is_empty() { p.muted { "Danh mục không quy định thành phần hồ sơ cho hình thức này." } }
                ul { @for c in &v.checklist {
                    @let done = c.files > 0 || c.council_session.is_some();
                    @let (class, mark) = match (done, v.is_due(c)) {
                        (true, _) => ("pass", "✓ "),
                        (false, true) => ("fail", "✗ "),
                        (false, false) => ("later", "○ "),
                    };
                    li class=(class) data-doc=(c.code) {
                    (mark) (c.name) " " span.muted { "(" (c.stage.label()) ")" } " " span.cite { "[" (c.citation) "]" }
                    @if let Some(s) = c.council_session {
                        " — " a href={ "/council-sessions/" (s) "/minutes" } { "Biên bản họp Hội đồng (phiên #" (s) ", bỏ phiếu đạt)" }
                    }
                    ul { @for f in files.iter().filter(|f| f.document_code == c.code) {
                        li { a href={ (url(id)) "/files/" (f.id) } { (f.file_name) } " — " (f.uploaded_by)
                            @if let Some(rd) = f.report_date { " — lập ngày " (format_vn(rd)) } }
                    } }
                } } }
                @if may_act && open {
                    // a multipart body is not read by the CSRF layer: the token
                    // rides in the action URL (crate::csrf)
                    form.stack method="post" action={ (url(id)) "/files?csrf_token=" (ctx.csrf) } enctype="multipart/form-data" {
                        label { "Giấy tờ" select name="document" { @for c in &v.checklist { option value=(c.code) { (c.name) } } } }
                        label { "Tệp (PDF, DOCX, XLSX, JPEG, PNG)" input type="file" name="file" required; }
                        label { "Ngày lập báo cáo thành tích (dd/mm/yyyy; bắt buộc với báo cáo thành tích, không quá 6 tháng)" input name="report_date" placeholder="dd/mm/yyyy"; }
                        button type="submit" { "Tải lên" }
                    }
                }
            }
            @if may_act && (open || higher) {
                section.card #actions {
                    h2 { "Xử lý tại cấp này" }
                    @if open {
                        form method="post" action={ (url(id)) "/act" } {
                            (ctx.csrf_field())
                            input type="hidden" name="action" value="forward";
                            button type="submit" { @if usize::try_from(d.step).unwrap_or(0) + 1 >= v.steps.len() && d.status != "returned" { "Chấp nhận: sẵn sàng quyết định" } @else { "Chuyển lên cấp trên" } }
                            @let missing = v.missing();
                            @if !missing.is_empty() { p.missing { "Còn thiếu: " (missing.join("; ")) } }
                        }
                    }
                    @if higher {
                        details { summary { "Thẩm định" }
                            form.stack method="post" action={ (url(id)) "/act" } {
                                (ctx.csrf_field())
                                input type="hidden" name="action" value="appraise";
                                label { "Kết luận" select name="favourable" { option value="yes" { "đủ điều kiện, tiêu chuẩn" } option value="no" { "không đủ điều kiện, tiêu chuẩn, thủ tục" } } }
                                label { "Nhận xét" textarea name="notes" required {} }
                                button type="submit" { "Ghi kết quả thẩm định" }
                            }
                        }
                        details { summary { "Trả lại để bổ sung" }
                            form.stack method="post" action={ (url(id)) "/act" } {
                                (ctx.csrf_field())
                                input type="hidden" name="action" value="return";
                                label { "Cần bổ sung (mỗi dòng một nội dung)" textarea name="missing" required {} }
                                button type="submit" { "Trả lại" }
                            }
                        }
                        details { summary { "Không chấp nhận" }
                            form.stack method="post" action={ (url(id)) "/act" } {
                                (ctx.csrf_field())
                                input type="hidden" name="action" value="reject";
                                label { "Lý do và căn cứ pháp lý" textarea name="reasons" required {} }
                                button type="submit" { "Không chấp nhận" }
                            }
                        }
                        details { summary { "Đề xuất hình thức khác" }
                            form.stack method="post" action={ (url(id)) "/act" } {
                                (ctx.csrf_field())
                                input type="hidden" name="action" value="recommend";
                                label { "Hình thức" select name="award" { @for a in &awards { option value=(a.code) { (a.name) } } } }
                                label { "Lý do" textarea name="reason" required {} }
                                button type="submit" { "Đề xuất" }
                            }
                        }
                    }
                }
            }
            section.card #timeline {
                h2 { "Diễn biến" }
                ol { @for e in &v.events { li {
                    strong { (e.action_label()) } " — " (e.actor) " — " (tdkt_core::date::format_instant_vn(&e.at))
                    @if let Some(s) = v.steps.iter().find(|s| s.position == e.step) { " — " (s.unit_name) }
                    @for l in e.detail_lines() { br; span.muted { (l) } }
                } } }
            }
        },
    ))
}

#[derive(Deserialize)]
struct ActForm {
    action: String,
    missing: Option<String>,
    reasons: Option<String>,
    notes: Option<String>,
    favourable: Option<String>,
    award: Option<String>,
    reason: Option<String>,
}

impl TryFrom<ActForm> for DossierAction {
    type Error = AppError;

    fn try_from(f: ActForm) -> Result<Self, AppError> {
        Ok(match f.action.as_str() {
            "forward" => Self::Forward,
            "return" => Self::Return {
                missing: f
                    .missing
                    .unwrap_or_default()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            "reject" => Self::Reject {
                reasons: f.reasons.unwrap_or_default(),
            },
            "appraise" => Self::Appraise {
                favourable: f.favourable.as_deref() != Some("no"),
                notes: f.notes.unwrap_or_default(),
            },
            "recommend" => Self::Recommend {
                award: f.award.unwrap_or_default(),
                reason: f.reason.unwrap_or_default(),
            },
            other => {
                return Err(AppError::Invalid {
                    field: "action",
                    message: format!("Thao tác «{other}» không tồn tại."),
                })
            }
        })
    }
}

async fn act(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ActForm>,
) -> Result<Response, AppError> {
    readable(&state, &ctx, id).await?;
    let who = ctx.require()?;
    if !access::role_may(who.role, Action::HandleDossiers) {
        return Err(AppError::Forbidden);
    }
    let action = DossierAction::try_from(f)?;
    // one sentence per step, said before the action moves into the store
    let said = match &action {
        DossierAction::Forward => "gui-ho-so",
        DossierAction::Return { .. } => "tra-ho-so",
        DossierAction::Reject { .. } => "tu-choi-ho-so",
        DossierAction::Appraise { .. } => "tham-dinh",
        DossierAction::Recommend { .. } => "trinh-khen",
    };
    state
        .store
        .act_on_dossier(who, id, &action, today_vn())
        .await?;
    Ok(super::saved(&url(id), said))
}

async fn upload(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    readable(&state, &ctx, id).await?;
    let who = ctx.require()?;
    if !access::role_may(who.role, Action::HandleDossiers) {
        return Err(AppError::Forbidden);
    }
    let max = usize::try_from(state.attachments.max_bytes()).unwrap_or(usize::MAX);
    let (file, fields) = crate::form::read_upload_max(mp, max).await?;
    let Some((name, _, bytes)) = file else {
        return Err(AppError::Invalid {
            field: "file",
            message: "Chưa chọn tệp.".into(),
        });
    };
    let document = fields
        .get("document")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let view = state.store.dossier_view(id).await?;
    if !view.checklist.iter().any(|c| c.code == document) {
        return Err(AppError::Invalid {
            field: "document",
            message: format!("«{document}» không thuộc thành phần hồ sơ #{id}."),
        });
    }
    let report_date = match fields.get("report_date").map(|s| s.trim()) {
        Some(s) if !s.is_empty() => {
            Some(tdkt_core::date::parse(s).map_err(|m| AppError::Invalid {
                field: "report_date",
                message: format!("Ngày lập báo cáo «{s}»: {m}"),
            })?)
        }
        _ => None,
    };
    let report_date =
        tdkt_store::achievements::document_date(&document, &name, report_date, today_vn())?;
    let d = state.store.dossier_for_holder(who, id).await?;
    if !d.state()?.status.is_open() {
        return Err(AppError::Invalid {
            field: "document",
            message: format!(
                "Hồ sơ #{id} đang ở trạng thái «{}»: không bổ sung tệp được nữa.",
                d.status_label()
            ),
        });
    }
    state
        .attachments
        .put_dated(
            &state.store,
            &who.username,
            Owner {
                kind: "dossier",
                id,
                document: &document,
            },
            &name,
            bytes,
            report_date,
        )
        .await?;
    Ok(super::saved(&url(id), "tep-ho-so"))
}

async fn download(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    readable(&state, &ctx, id).await?;
    let (a, bytes) = state
        .attachments
        .get(&state.store, file)
        .await
        .map_err(|_| AppError::NotFound)?;
    if a.owner_kind != "dossier" || a.owner_id != id {
        return Err(AppError::NotFound);
    }
    let mime = a.media().map_or("application/octet-stream", |m| m.mime());
    Ok(crate::view::download(bytes, mime, &a.file_name))
}
