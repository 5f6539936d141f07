//! Setting a cluster-year up (officers): create it for a year, choose its
//! members among the units in being that year, its leader and deputy (with
//! the rotation the regulation implies, `tdkt_core::regulation`), record
//! the regulation (parameters and the signed document) and write the
//! pledge: indicators, per-member targets, the day it was signed.
//!
//! Access: creating needs [`Action::ManageCluster`] on the organising unit
//! chosen; everything else the same right as the cluster's other
//! management pages (`clusters::ManagedCluster`).

use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use tdkt_core::access::Action;
use tdkt_core::date::format_vn;
use tdkt_core::org::{Unit, UnitId};
use tdkt_core::regulation::{suggest_rotation, RegulationForm, RegulationParams};
use tdkt_core::share::Base;
use tdkt_store::clusters::{Cluster, ClusterSettings, NewCluster};
use tdkt_store::movements::{document_kind_label, MAX_DOCUMENT_BYTES};

use super::clusters::{base, load, ManagedCluster};
use crate::auth::authorize;
use crate::form::read_upload;
use crate::layout::{form_error, Ctx};
use crate::load::units_with;
use crate::view::send_document;
use crate::{AppError, SharedState};

mod pledge;

use pledge::{deadline, indicator_form, save_indicator, save_targets, sign};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/clusters/new", get(new_form).post(create))
        .route("/clusters/{key}/{year}/setup", get(setup))
        .route("/clusters/{key}/{year}/setup/general", post(save_general))
        .route("/clusters/{key}/{year}/setup/members", post(add_member))
        .route(
            "/clusters/{key}/{year}/setup/members/{unit}/remove",
            post(remove_member),
        )
        .route(
            "/clusters/{key}/{year}/setup/regulation",
            post(save_regulation),
        )
        .route(
            "/clusters/{key}/{year}/setup/documents",
            post(upload_document).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 64 * 1024)),
        )
        .route(
            "/clusters/{key}/{year}/documents/{id}",
            get(download_document),
        )
        .route(
            "/clusters/{key}/{year}/setup/indicators",
            post(save_indicator),
        )
        .route("/clusters/{key}/{year}/setup/targets", post(save_targets))
        .route("/clusters/{key}/{year}/setup/sign", post(sign))
        .route("/clusters/{key}/{year}/setup/deadline", post(deadline))
}

type F = Form<HashMap<String, String>>;

fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map_or("", |s| s.trim())
}

async fn new_form(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    ctx.require()?;
    authorize(&state, &ctx.user, Action::ManageCluster, None, &ctx.path).await?;
    new_page(&state, &ctx, &HashMap::new(), None).await
}

async fn new_page(
    state: &SharedState,
    ctx: &Ctx,
    f: &HashMap<String, String>,
    err: Option<&AppError>,
) -> Result<Markup, AppError> {
    let organizers = units_with(state, ctx, Action::ManageCluster).await?;
    let year = f
        .get("year")
        .cloned()
        .unwrap_or_else(|| tdkt_core::date::today_vn().year().to_string());
    Ok(ctx.page(
        "Tạo cụm, khối thi đua",
        html! {
            p.muted { a href="/clusters" { "Cụm, khối thi đua" } }
            h1 { "Tạo cụm, khối thi đua" }
            (form_error(err))
            form.stack method="post" action="/clusters/new" {
                (ctx.csrf_field())
                label { "Tên cụm, khối" input name="name" required value=(field(f, "name")) placeholder="Cụm thi đua các tỉnh Tây Nam bộ"; }
                label { "Mã (chữ thường, không dấu, gạch nối; giữ nguyên qua các năm)" input name="key" required value=(field(f, "key")) placeholder="tay-nam-bo" autocapitalize="none"; }
                label { "Năm" input name="year" required inputmode="numeric" value=(year); }
                label { "Loại"
                    select name="kind" {
                        option value="cluster" selected[field(f, "kind") != "block"] { "Cụm thi đua" }
                        option value="block" selected[field(f, "kind") == "block"] { "Khối thi đua" }
                    }
                }
                label { "Đơn vị tổ chức (Hội đồng TĐKT cấp nào lập cụm, khối)"
                    select name="organizer" {
                        @for u in &organizers {
                            option value=(u.code) selected[field(f, "organizer") == u.code] { (crate::view::unit_choice(u, &organizers)) }
                        }
                    }
                }
                label.check { input type="checkbox" name="copy_members" value="1" checked; " Lấy thành viên của năm trước (những đơn vị còn hoạt động)" }
                button type="submit" { "Tạo" }
            }
        },
    ))
}

async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(f): F,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    let result: Result<Cluster, AppError> = async {
        let organizer = state
            .store
            .unit_by_code(field(&f, "organizer"))
            .await
            .map_err(|_| AppError::Invalid {
                field: "organizer",
                message: "Chọn đơn vị tổ chức.".into(),
            })?;
        authorize(
            &state,
            &ctx.user,
            Action::ManageCluster,
            Some(organizer.id),
            &ctx.path,
        )
        .await?;
        let nc = NewCluster::parse(
            field(&f, "key"),
            field(&f, "year"),
            field(&f, "name"),
            field(&f, "kind"),
        )?;
        let c = state.store.create_cluster(&who, &nc).await?;
        state
            .store
            .set_cluster_settings(
                &who,
                c.id,
                &ClusterSettings {
                    organizer_unit_id: Some(organizer.id),
                    regulation: RegulationParams::default(),
                },
            )
            .await?;
        if f.contains_key("copy_members") {
            if let Ok(prev) = state.store.cluster(&c.key, c.year - 1).await {
                for m in state.store.cluster_members(prev.id).await? {
                    if m.valid_in_year(c.year) {
                        state.store.add_cluster_member(&who, c.id, &m.code).await?;
                    }
                }
            }
        }
        Ok(c)
    }
    .await;
    match result {
        Ok(c) => Ok(super::saved(&format!("{}/setup", base(&c)), "cum")),
        Err(AppError::Forbidden) => Err(AppError::Forbidden),
        Err(AppError::NotFound) => Err(AppError::NotFound),
        Err(e) => Ok((e.status(), new_page(&state, &ctx, &f, Some(&e)).await?).into_response()),
    }
}

async fn setup(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx, cluster: c, ..
    }: ManagedCluster,
) -> Result<Markup, AppError> {
    setup_page(&state, &ctx, &c, None, None).await
}

fn unit_name(units: &[Unit], id: Option<UnitId>) -> String {
    id.and_then(|id| units.iter().find(|u| u.id == id))
        .map_or_else(|| "—".to_owned(), |u| u.name.clone())
}

async fn setup_page(
    state: &SharedState,
    ctx: &Ctx,
    c: &Cluster,
    err: Option<&AppError>,
    typed: Typed<'_>,
) -> Result<Markup, AppError> {
    let members = state.store.cluster_members(c.id).await?;
    let member_ids: Vec<UnitId> = members.iter().map(|m| m.id).collect();
    let history = state.store.leadership_history(&c.key, c.year).await?;
    let earlier: Vec<_> = history
        .iter()
        .copied()
        .filter(|h| h.year < c.year)
        .collect();
    let (s_leader, s_deputy) = suggest_rotation(&member_ids, &earlier);
    let (n_leader, n_deputy) = suggest_rotation(&member_ids, &history);
    let candidates: Vec<Unit> = state
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u| u.valid_in_year(c.year) && !member_ids.contains(&u.id))
        .collect();
    let settings = state.store.cluster_settings(c.id).await?;
    let organizers = units_with(state, ctx, Action::ManageCluster).await?;
    // the rubrics by code, newest version's title (the store lists each
    // code's versions newest first): the regulation names a code
    let mut rubrics: Vec<(String, String)> = Vec::new();
    for (code, _, title) in state.store.rubrics().await? {
        if rubrics.last().is_none_or(|(c, _)| *c != code) {
            rubrics.push((code, title));
        }
    }
    let docs = state.store.documents("cluster", c.id).await?;
    let pledge = state.store.pledge(c.id).await?;
    // Only who was elected is selected: the rotation's suggestion is
    // marked in the list, never shown as if chosen (issue 15 item 8).
    let pick = |name: &str, stored: Option<UnitId>| {
        keep(
            typed,
            "chung",
            name,
            stored.and_then(|id| members.iter().find(|m| m.id == id).map(|m| m.code.clone())),
        )
        .unwrap_or_default()
    };
    let leader = pick("leader", c.leader_unit_id);
    let deputy = pick("deputy", c.deputy_unit_id);
    let here = base(c);
    let reg = &settings.regulation;
    let typed_indicator = typed.filter(|(f, _)| *f == "chi-tieu").map(|(_, t)| t);
    Ok(ctx.page(
        &format!("Thiết lập {}", c.name),
        html! {
            p.muted { a href=(here) { (c.name) } }
            h1 { "Thiết lập " (c.kind.label().to_lowercase()) " năm " (c.year) }
            (form_error(err))
            section.card #general {
                h2 { "Thông tin chung" }
                form.stack method="post" action={ (here) "/setup/general" } {
                    (ctx.csrf_field())
                    label { "Tên" input name="name" value=(keep(typed, "chung", "name", Some(c.name.clone())).unwrap_or_default()) required; }
                    label { "Cụm trưởng"
                        select name="leader" {
                            option value="" selected[leader.is_empty()] { "— chưa bầu —" }
                            @for m in &members { option value=(m.code) selected[leader == m.code] { (m.name) @if s_leader == Some(m.id) { " — gợi ý luân phiên" } } }
                        }
                    }
                    label { "Cụm phó"
                        select name="deputy" {
                            option value="" selected[deputy.is_empty()] { "— chưa bầu —" }
                            @for m in &members { option value=(m.code) selected[deputy == m.code] { (m.name) @if s_deputy == Some(m.id) { " — gợi ý luân phiên" } } }
                        }
                    }
                    p.muted.rotation {
                        "Gợi ý luân phiên năm " (c.year) ": cụm trưởng " (unit_name(&members, s_leader)) ", cụm phó " (unit_name(&members, s_deputy))
                        ". Năm " (c.year + 1) ": cụm trưởng " (unit_name(&members, n_leader)) ", cụm phó " (unit_name(&members, n_deputy)) ". "
                        "Quy tắc: thành viên lâu nhất chưa làm cụm trưởng (chưa từng làm thì trước), cùng mức thì theo thứ tự thành viên trong quy chế; cụm phó là thành viên kế tiếp theo cùng quy tắc."
                    }
                    button type="submit" { "Lưu" }
                }
            }
            section.card #members {
                h2 { "Thành viên (" (members.len()) ")" }
                ol.members {
                    @for m in &members {
                        li {
                            span { (m.name) } " "
                            form.inline style="display:inline-flex" method="post" action={ (here) "/setup/members/" (m.code) "/remove" } {
                                (ctx.csrf_field())
                                button.secondary type="submit" aria-label={ "Bỏ " (m.name) } { "Bỏ" }
                            }
                        }
                    }
                }
                form.stack method="post" action={ (here) "/setup/members" } {
                    (ctx.csrf_field())
                    label { "Thêm đơn vị hoạt động trong năm " (c.year)
                        select name="unit" {
                            @let chosen = keep(typed, "thanh-vien", "unit", None).unwrap_or_default();
                            @for u in &candidates { option value=(u.code) selected[chosen == u.code] { (crate::view::unit_choice(u, &candidates)) } }
                        }
                    }
                    button type="submit" { "Thêm thành viên" }
                }
            }
            section.card #regulation {
                h2 { "Quy chế hoạt động và bình xét thi đua" }
                form.stack method="post" action={ (here) "/setup/regulation" } {
                    (ctx.csrf_field())
                    label { "Số, ngày, trích yếu quy chế" input name="title" value=(keep(typed, "quy-che", "title", Some(if reg.title.is_empty() { c.regulation.clone() } else { reg.title.clone() })).unwrap_or_default()); }
                    label { "Đơn vị tổ chức"
                        select name="organizer" {
                            option value="" { "— không —" }
                            @for u in &organizers { option value=(u.code) selected[settings.organizer_unit_id == Some(u.id)] { (crate::view::unit_choice(u, &organizers)) } }
                        }
                    }
                    label { "Bảng tiêu chí chấm điểm"
                        select name="rubric" {
                            @let chosen = keep(typed, "quy-che", "rubric", Some(reg.rubric.clone())).unwrap_or_default();
                            option value="" { "— chưa chọn —" }
                            // a code saved before its rubric existed stays offered, never lost
                            @if !chosen.is_empty() && !rubrics.iter().any(|(c, _)| *c == chosen) {
                                option value=(chosen) selected { (chosen) " (chưa có bảng tiêu chí này)" }
                            }
                            @for (code, title) in &rubrics { option value=(code) selected[chosen == *code] { (title) " (" (code) ")" } }
                        }
                    }
                    label { "Tỷ lệ phiếu đồng ý tối thiểu để đề nghị (%)" input name="threshold" inputmode="decimal" value=[keep(typed, "quy-che", "threshold", reg.ballot_threshold_percent.map(tdkt_core::number::format_vi))]; }
                    label { "Tỷ lệ phiếu tính trên"
                        select name="base" {
                            @for b in [Base::Eligible, Base::Present, Base::ValidBallots] {
                                option value=(b.code()) selected[reg.ballot_base.unwrap_or(Base::Eligible) == b] { (b.label()) }
                            }
                        }
                    }
                    label { "Tỷ lệ cử tri tham gia tối thiểu (tử số/mẫu số)" input name="quorum" placeholder="2/3" value=[keep(typed, "quy-che", "quorum", reg.ballot_quorum.map(|q| format!("{}/{}", q.num, q.den)))]; }
                    label { "Số lượng được đề nghị theo hình thức, hình thức cao nhất trước (mỗi dòng: mã-hình-thức: số lượng tối đa | K hạng đầu | bỏ phiếu)"
                        textarea name="quotas" rows="3" placeholder="co-thi-dua-chinh-phu: 1 | 1 | bỏ phiếu" { (keep(typed, "quy-che", "quotas", Some(reg.limits_text())).unwrap_or_default()) }
                    }
                    p.muted { "Cuộc bỏ phiếu mở theo quy chế của cụm, khối lấy tỷ lệ phiếu và tỷ lệ tham gia ở đây; đợt chấm điểm của cụm, khối dùng bảng tiêu chí và số lượng đề nghị ở đây." }
                    button type="submit" { "Lưu quy chế" }
                }
                h3 { "Văn bản" }
                ul.documents {
                    @for d in &docs {
                        li { a href={ (here) "/documents/" (d.id) } { (d.file_name) } " — " (document_kind_label(&d.kind)) ", " ((d.size + 1023) / 1024) " KB" }
                    }
                }
                form.stack method="post" enctype="multipart/form-data" action={ (here) "/setup/documents?csrf_token=" (ctx.csrf) } {
                    label { "Tệp quy chế đã ký (PDF, DOCX; tối đa " (MAX_DOCUMENT_BYTES / 1024 / 1024) " MB)" input type="file" name="file" required; }
                    button type="submit" { "Tải lên" }
                }
            }
            section.card #pledge {
                h2 { "Giao ước thi đua" }
                @for (id, i) in &pledge {
                    details open[typed_indicator.is_some_and(|t| t.get("indicator").map(String::as_str) == Some(i.key.as_str()))] {
                        summary { (i.name) " (" (i.unit.name()) ")" }
                        (indicator_form(ctx, &here, Some(*id), Some(i), typed_indicator.filter(|t| t.get("indicator").map(String::as_str) == Some(i.key.as_str()))))
                    }
                }
                details open[pledge.is_empty() || typed_indicator.is_some_and(|t| !pledge.iter().any(|(_, i)| t.get("indicator").map(String::as_str) == Some(i.key.as_str())))] {
                    summary { "Thêm chỉ tiêu" }
                    (indicator_form(ctx, &here, None, None, typed_indicator.filter(|t| !pledge.iter().any(|(_, i)| t.get("indicator").map(String::as_str) == Some(i.key.as_str())))))
                }
                @if !pledge.is_empty() && !members.is_empty() {
                    h3 { "Chỉ tiêu đăng ký của từng thành viên" }
                    form method="post" action={ (here) "/setup/targets" } {
                        (ctx.csrf_field())
                        div.scroll {
                            table.targets {
                                thead { tr { th { "Thành viên" } @for (_, i) in &pledge { th { (i.name) } } } }
                                tbody {
                                    @for m in &members {
                                        tr {
                                            th { (m.name) }
                                            @for (id, i) in &pledge {
                                                td { input name={ "t_" (id) "_" (m.id) } inputmode="decimal" size="6" aria-label={ (m.name) ": " (i.name) }
                                                    value=[keep(typed, "dang-ky", &format!("t_{id}_{}", m.id), i.targets.get(&m.name).map(|v| tdkt_core::number::format_vi(*v)))]; }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        button type="submit" { "Lưu chỉ tiêu đăng ký" }
                    }
                }
                h3 { "Ký giao ước" }
                form.stack method="post" action={ (here) "/setup/sign" } {
                    (ctx.csrf_field())
                    label { "Ngày ký (dd/mm/yyyy)" input name="signed_on" value=[keep(typed, "ky", "signed_on", c.pledge_signed_on.map(format_vn))] placeholder="15/01/2019"; }
                    button type="submit" { "Ghi nhận ký kết" }
                }
            }
        },
    ))
}

/// Runs a change and answers like every setup form: back to its section
/// with the confirmation `saved` (a code of `layout::SAVED`), or the page
/// again with the reason and what was typed still in the form.
async fn finish(
    state: &SharedState,
    ctx: &Ctx,
    c: &Cluster,
    (section, saved): (&str, &str),
    typed: Option<&HashMap<String, String>>,
    r: Result<(), AppError>,
) -> Result<Response, AppError> {
    match r {
        Ok(()) => Ok(super::saved(&format!("{}/setup#{section}", base(c)), saved)),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => Ok((
            e.status(),
            setup_page(state, ctx, c, Some(&e), typed.map(|t| (saved, t))).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

/// A refused post: which form of the page (its confirmation code, e.g.
/// `chi-tieu`) and what it held.
type Typed<'a> = Option<(&'a str, &'a HashMap<String, String>)>;

/// What field `name` of form `form` shows: what was typed when this form
/// comes back refused, else what is stored.
fn keep(typed: Typed<'_>, form: &str, name: &str, stored: Option<String>) -> Option<String> {
    match typed {
        Some((f, t)) if f == form => t.get(name).cloned(),
        _ => stored,
    }
}

async fn member_id(
    state: &SharedState,
    c: &Cluster,
    code: &str,
    fld: &'static str,
) -> Result<Option<UnitId>, AppError> {
    if code.is_empty() {
        return Ok(None);
    }
    let members = state.store.cluster_members(c.id).await?;
    members
        .iter()
        .find(|m| m.code == code)
        .map(|m| Some(m.id))
        .ok_or(AppError::Invalid {
            field: fld,
            message: "Chọn một thành viên của cụm, khối.".into(),
        })
}

async fn save_general(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx,
        cluster: c,
        who,
    }: ManagedCluster,
    Form(f): F,
) -> Result<Response, AppError> {
    let r = async {
        let leader = member_id(&state, &c, field(&f, "leader"), "leader").await?;
        let deputy = member_id(&state, &c, field(&f, "deputy"), "deputy").await?;
        state
            .store
            .update_cluster(&who, c.id, field(&f, "name"), &c.regulation, leader, deputy)
            .await?;
        Ok(())
    }
    .await;
    finish(&state, &ctx, &c, ("general", "chung"), Some(&f), r).await
}

async fn add_member(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx,
        cluster: c,
        who,
    }: ManagedCluster,
    Form(f): F,
) -> Result<Response, AppError> {
    let r = state
        .store
        .add_cluster_member(&who, c.id, field(&f, "unit"))
        .await
        .map_err(AppError::from);
    finish(&state, &ctx, &c, ("members", "thanh-vien"), Some(&f), r).await
}

async fn remove_member(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx,
        cluster: c,
        who,
    }: ManagedCluster,
    Path((_, _, unit)): Path<(String, i32, String)>,
) -> Result<Response, AppError> {
    let r = async {
        let id = member_id(&state, &c, &unit, "unit")
            .await?
            .ok_or(AppError::NotFound)?;
        state.store.remove_cluster_member(&who, c.id, id).await?;
        Ok(())
    }
    .await;
    finish(&state, &ctx, &c, ("members", "thanh-vien"), None, r).await
}

async fn save_regulation(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx,
        cluster: c,
        who,
    }: ManagedCluster,
    Form(f): F,
) -> Result<Response, AppError> {
    let r = async {
        let regulation = RegulationParams::parse(
            tdkt_store::awards::catalogue(),
            &RegulationForm {
                title: field(&f, "title"),
                rubric: field(&f, "rubric"),
                threshold: field(&f, "threshold"),
                base: field(&f, "base"),
                quorum: field(&f, "quorum"),
                limits: f.get("quotas").map_or("", String::as_str),
            },
        )?;
        let organizer = match field(&f, "organizer") {
            "" => None,
            code => {
                let u = state
                    .store
                    .unit_by_code(code)
                    .await
                    .map_err(|_| AppError::NotFound)?;
                // Only a unit the caller manages may be made organiser.
                authorize(
                    &state,
                    &ctx.user,
                    Action::ManageCluster,
                    Some(u.id),
                    &ctx.path,
                )
                .await?;
                Some(u.id)
            }
        };
        state
            .store
            .set_cluster_settings(
                &who,
                c.id,
                &ClusterSettings {
                    organizer_unit_id: organizer,
                    regulation,
                },
            )
            .await?;
        Ok(())
    }
    .await;
    finish(&state, &ctx, &c, ("regulation", "quy-che"), Some(&f), r).await
}

async fn upload_document(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx,
        cluster: c,
        who,
    }: ManagedCluster,
    mp: Multipart,
) -> Result<Response, AppError> {
    let r = async {
        let (file, _) = read_upload(mp).await?;
        let (name, mime, bytes) = file.ok_or(AppError::Invalid {
            field: "file",
            message: "Chưa chọn tệp.".into(),
        })?;
        state
            .store
            .add_document(&who, "cluster", c.id, "regulation", &name, &mime, &bytes)
            .await?;
        Ok(())
    }
    .await;
    finish(&state, &ctx, &c, ("regulation", "van-ban"), None, r).await
}

async fn download_document(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((key, year, id)): Path<(String, i32, i64)>,
) -> Result<Response, AppError> {
    ctx.require()?;
    let c = load(&state, &key, year).await?;
    send_document(&state, "cluster", c.id, id).await
}
