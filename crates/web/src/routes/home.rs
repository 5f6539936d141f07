//! The home page: for a signed-in person, «Việc cần làm» by role (issue
//! 15) — an officer's late reports, dossiers at their level (those
//! returned to it for supplement first) and overdue,
//! ballots awaiting their vote, movements with units not registered and
//! imports that failed; a council member's ballots; a submitter's unit's
//! reports due; a viewer's places to look. Each item is a link with its
//! count, each kind one bounded store call (`tdkt_store::todo`). Without a
//! session: what tdkt is, where to go.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use tdkt_core::access::{Principal, Role};
use tdkt_core::date::format_vn;
use tdkt_core::org::UnitId;
use tdkt_core::period::Period;

use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new().route("/", get(home))
}

/// One line of «Việc cần làm».
struct Item {
    count: i64,
    text: String,
    href: String,
    /// Past its deadline: shown in red.
    urgent: bool,
}

impl Item {
    fn new(count: i64, text: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            count,
            text: text.into(),
            href: href.into(),
            urgent: false,
        }
    }

    fn urgent(mut self, yes: bool) -> Self {
        self.urgent = yes;
        self
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The units the caller works on (`None` = all, administrators).
async fn scope_of(
    state: &SharedState,
    p: &Principal,
) -> Result<Option<BTreeSet<UnitId>>, AppError> {
    Ok(match (p.role, p.scope_unit) {
        (Role::Admin, _) => None,
        (_, Some(root)) => Some(state.store.lineage().await?.scope(root)),
        (_, None) => Some(BTreeSet::new()),
    })
}

/// The reports a cluster is waiting for, one line per cluster and period.
async fn reports(
    state: &SharedState,
    scope: Option<&BTreeSet<UnitId>>,
    own_unit: bool,
) -> Result<Vec<Item>, AppError> {
    let today = tdkt_core::date::today_vn();
    Ok(state
        .store
        .reports_due(scope, own_unit)
        .await?
        .into_iter()
        .map(|r| {
            let period = Period::parse(&r.period).map_or_else(|_| r.period.clone(), |p| p.label());
            let late = r.due_on < today;
            let who = if own_unit {
                "chưa báo cáo".to_owned()
            } else {
                format!("{} thành viên chưa báo cáo", r.missing)
            };
            Item::new(
                r.missing,
                format!(
                    "{}: báo cáo {period} — {who}, hạn {}{}",
                    r.cluster_name,
                    format_vn(r.due_on),
                    if late { " (đã quá hạn)" } else { "" }
                ),
                format!(
                    "/clusters/{}/{}?period={}#status",
                    r.cluster_key, r.cluster_year, r.period
                ),
            )
            .urgent(late)
        })
        .collect())
}

async fn ballots(state: &SharedState, p: &Principal) -> Result<Vec<Item>, AppError> {
    Ok(state
        .store
        .ballots_awaiting_vote(p.user_id)
        .await?
        .into_iter()
        .map(|(id, title)| Item::new(1, format!("Bỏ phiếu: {title}"), format!("/ballots/{id}")))
        .collect())
}

async fn todo(state: &SharedState, p: &Principal) -> Result<Vec<Item>, AppError> {
    let scope = scope_of(state, p).await?;
    let mut items = Vec::new();
    match p.role {
        Role::Admin | Role::Officer => {
            items.extend(reports(state, scope.as_ref(), false).await?);
            // «At my level»: dossiers held by the caller's own unit (an
            // administrator has no level: every open dossier).
            let mine: Option<BTreeSet<UnitId>> = p.scope_unit.map(|u| BTreeSet::from([u]));
            let held = state.store.dossiers_held(mine.as_ref()).await?;
            items.push(Item::new(
                held.open,
                if p.scope_unit.is_some() {
                    "Hồ sơ khen thưởng đang chờ cấp của tôi xử lý"
                } else {
                    "Hồ sơ khen thưởng đang xử lý ở các cấp"
                },
                "/dossiers",
            ));
            // A level that sent a dossier up sees it again when it comes
            // back for supplement: it is the one to complete and resend it.
            if held.returned > 0 {
                items.push(
                    Item::new(
                        held.returned,
                        "Hồ sơ bị trả lại để bổ sung, chờ cấp của tôi hoàn thiện và gửi lại",
                        "/dossiers",
                    )
                    .urgent(true),
                );
            }
            // the board's own reading: the count is the list's length
            let overdue = state
                .store
                .overdue_dossiers(scope.as_ref(), tdkt_core::date::today_vn())
                .await?;
            items.push(
                Item::new(
                    count(overdue.len()),
                    "Hồ sơ quá hạn xử lý ở các cấp trong phạm vi",
                    "/dossiers?overdue",
                )
                .urgent(!overdue.is_empty()),
            );
            items.extend(ballots(state, p).await?);
            let now = tdkt_core::movement::to_utc_text(time::OffsetDateTime::now_utc());
            for m in state
                .store
                .registrations_missing(scope.as_ref(), &now)
                .await?
            {
                items.push(Item::new(
                    m.missing,
                    format!("{}: {} đơn vị chưa đăng ký thi đua", m.name, m.missing),
                    format!("/movements/{}", m.code),
                ));
            }
            for (id, file, why) in state.imports.failed_for(&state.store, p).await? {
                items.push(
                    Item::new(
                        1,
                        format!("Nhập khen thưởng từ tệp «{file}»: {why}"),
                        format!("/awards/import/{id}"),
                    )
                    .urgent(true),
                );
            }
            if p.role == Role::Admin {
                items.extend(partial_cli_imports(state).await?);
            }
        }
        Role::Council => items.extend(ballots(state, p).await?),
        Role::Submitter => {
            items.extend(reports(state, scope.as_ref(), true).await?);
            // No dossier item: this role sends indicator reports and may
            // not open dossiers (`access::role_may`); a returned dossier is
            // shown to the officers of the level it came back to, above.
            items.extend(ballots(state, p).await?);
        }
        Role::Viewer => {
            let held = state.store.dossiers_held(scope.as_ref()).await?;
            items.push(Item::new(
                held.open,
                "Hồ sơ khen thưởng đang xử lý trong phạm vi",
                "/dossiers",
            ));
            items.push(Item::new(
                count(state.store.clusters(None).await?.len()),
                "Cụm, khối thi đua: thành viên, giao ước, tình hình báo cáo",
                "/clusters",
            ));
            items.push(Item::new(
                count(state.store.movements().await?.len()),
                "Phong trào thi đua và đăng ký",
                "/movements",
            ));
            items.push(Item::new(
                count(state.store.decisions(true, scope.as_ref()).await?.len()),
                "Quyết định khen thưởng đã ban hành",
                "/decisions",
            ));
        }
    }
    Ok(items)
}

/// Imports that failed, beyond the web's award imports (above): a web
/// upload of figures, a decision list or a rubric is checked whole while
/// its sender waits, and refused with its row errors on the page that
/// answers; nothing is written, and what it would have filled stays
/// visible as work to do (a report not sent is listed above). What can go
/// unnoticed is a command-line import run with `--skip-invalid`: it
/// commits the good rows and leaves the others out. The log records those
/// (actor `cli`, with the count refused); they are the administrator's,
/// who runs the command line and reads the log. The last seven days.
async fn partial_cli_imports(state: &SharedState) -> Result<Vec<Item>, AppError> {
    let since = tdkt_core::date::today_vn() - time::Duration::days(7);
    let since = tdkt_core::date::day_start_utc(since);
    Ok(state
        .store
        .partial_cli_imports(&since)
        .await?
        .into_iter()
        .map(|i| {
            let what = tdkt_core::audit::names::entity(&i.entity).unwrap_or("Dữ liệu");
            Item::new(
                1,
                format!(
                    "Nhập từ dòng lệnh ({what}), tệp «{}», {}: {} / {} dòng lỗi không được nhập",
                    i.file,
                    tdkt_core::date::format_instant_vn(&i.at),
                    tdkt_core::number::format_count(i.rejected),
                    tdkt_core::number::format_count(i.rows),
                ),
                format!(
                    "/admin/audit?nguoi=cli&doi_tuong={}&truoc={}",
                    crate::error::urlencode(&i.entity),
                    i.seq + 1
                ),
            )
            .urgent(true)
        })
        .collect())
}

fn todo_list(role: Role, items: &[Item]) -> Markup {
    let (title, empty) = match role {
        Role::Viewer => ("Có thể xem", "Chưa có gì để xem trong phạm vi."),
        _ => ("Việc cần làm", "Không có việc nào đang chờ."),
    };
    html! {
        section.card #todo {
            h2 { (title) }
            @if items.is_empty() { p.muted { (empty) } }
            ul.todo {
                @for i in items {
                    li.urgent[i.urgent].done[i.count == 0] {
                        span.count { (tdkt_core::number::format_count(u64::try_from(i.count).unwrap_or(0))) }
                        a href=(i.href) { (i.text) }
                    }
                }
            }
        }
    }
}

async fn home(State(state): State<SharedState>, ctx: Ctx) -> Result<Markup, AppError> {
    let lineage = state.store.lineage().await?;
    let today = tdkt_core::date::today_vn();
    let (live, total) = lineage.units().fold((0, 0), |(l, t), u| {
        (l + usize::from(u.valid_on(today)), t + 1)
    });
    let todo = match ctx.principal() {
        Some(p) => Some((p.role, todo(&state, p).await?)),
        None => None,
    };
    Ok(ctx.page(
        "Trang chủ",
        html! {
            @if let (Some(p), Some((role, items))) = (ctx.principal(), &todo) {
                h1 { "Chào " (p.full_name) }
                @if p.full_name != p.role.label() { p.muted { (p.role.label()) } }
                (todo_list(*role, items))
            } @else {
                h1 { "Thi đua, khen thưởng" }
                p.lead { "Phát động phong trào, cụm và khối thi đua, giao ước, báo cáo chỉ tiêu, chấm điểm và bình xét, hồ sơ khen thưởng — theo Luật Thi đua, khen thưởng 06/2022/QH15." }
            }
            div.grid {
                section.card {
                    h2 { a href="/units" { "Cây đơn vị" } }
                    p { (live) " đơn vị đang hoạt động, " (total) " đơn vị kể cả đã sáp nhập, chia tách, giải thể." }
                    p.muted { "Lịch sử sắp xếp đơn vị hành chính (01/7/2025) được lưu đầy đủ: thành tích của đơn vị cũ thuộc về đơn vị mới." }
                }
                section.card {
                    h2 { a href="/people" { "Cán bộ, cá nhân" } }
                    form.search method="get" action="/people" {
                        input name="q" placeholder="Tìm theo tên, không cần dấu (vd. tran thi ha)" aria-label="Tìm người";
                        button type="submit" { "Tìm" }
                    }
                }
            }
        },
    ))
}
