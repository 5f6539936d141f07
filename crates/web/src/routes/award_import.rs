//! Award history from a spreadsheet, on the web (`/awards/import`): the same
//! reader and the same validating, all-or-nothing store import as
//! `tdkt import awards`, run as a background task so that a large file does
//! not hold a request open. Its progress and outcome live in the database
//! (so every server of an installation answers, issue 16) under a random
//! job id that only the uploader can read (anyone else gets 404, as for anything
//! outside their scope); the page polls a small JSON endpoint, or refreshes
//! itself without script. Officers import within their subtree: a row for a
//! unit outside it is refused with its reason, like any other bad row.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use maud::{html, Markup};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use tdkt_core::access::{Action, Principal};
use tdkt_core::number::format_count;
use tdkt_core::throttle::unix_ms;
use tdkt_store::awards::file;
use tdkt_store::awards::import::{Header, ImportOptions, ImportReport, Progress};
use tdkt_store::import_jobs::{ImportJob, JobOutcome};
use tdkt_store::people::PeopleScope;

use crate::auth::{authorize, people_scope};
use crate::layout::{form_error, Ctx};
use crate::view::{import_template, TemplateColumn};
use crate::{AppError, SharedState};

/// The largest file accepted: a province's decades of decisions as CSV.
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;
/// Refused rows kept for the error report.
const MAX_ERRORS: usize = 100_000;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route(
            "/awards/import",
            get(form_page)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/awards/import/template.xlsx", get(template))
        .route("/awards/import/{id}", get(job_page))
        .route("/awards/import/{id}/progress", get(progress_json))
        .route("/awards/import/{id}/errors", get(error_report))
}

/// The imports this server is running: their live counters, read by its
/// own job pages between the database writes (about twice a second, see
/// [`PROGRESS_EVERY`]). Everything else about a job (its owner, file, and
/// outcome) is in the database (`tdkt_store::import_jobs`), so any server
/// of the installation answers its pages, whichever took the upload.
#[derive(Default, Clone)]
pub struct Jobs(Arc<Mutex<HashMap<String, Arc<Live>>>>);

/// How often a running import's counters are written to the database.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

/// The counters of an import running on this server.
#[derive(Default)]
struct Live {
    checked: AtomicU64,
    done: AtomicU64,
    inserted: AtomicU64,
}

impl Live {
    fn counts(&self) -> (u64, u64, u64) {
        (
            self.checked.load(Ordering::Relaxed),
            self.done.load(Ordering::Relaxed),
            self.inserted.load(Ordering::Relaxed),
        )
    }
}

impl Jobs {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Live>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn start(&self, id: &str) -> Arc<Live> {
        let live = Arc::new(Live::default());
        self.map().insert(id.to_owned(), live.clone());
        live
    }

    fn end(&self, id: &str) {
        self.map().remove(id);
    }

    /// The job, if it exists and belongs to `who`; anyone else learns
    /// nothing, not even that it exists. A job this server is running has
    /// its counters of this instant.
    async fn owned(
        &self,
        store: &tdkt_store::Store,
        id: &str,
        who: &Principal,
    ) -> Result<ImportJob, AppError> {
        let mut job = store
            .import_job(id, who.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if job.outcome.is_none() {
            if let Some(live) = self.map().get(id) {
                (job.checked, job.done, job.inserted) = live.counts();
            }
        }
        Ok(job)
    }

    /// `who`'s recent imports that wrote nothing or left rows out, newest
    /// last: `(job id, file name, what went wrong)`, for the home page's
    /// «Việc cần làm». Jobs are forgotten 6 hours after they end.
    ///
    /// # Errors
    /// Database failure.
    pub async fn failed_for(
        &self,
        store: &tdkt_store::Store,
        who: &Principal,
    ) -> Result<Vec<(String, String, String)>, AppError> {
        let jobs = store
            .finished_import_jobs(who.user_id, unix_ms(time::OffsetDateTime::now_utc()))
            .await?;
        Ok(jobs
            .into_iter()
            .filter_map(|j| {
                let why = match j.outcome? {
                    JobOutcome::Failed(e) => e,
                    JobOutcome::Finished { report, .. } if !report.committed => format!(
                        "không nhập dòng nào: {} dòng lỗi",
                        format_count(report.file.rejected_count)
                    ),
                    JobOutcome::Finished { report, .. } if report.file.rejected_count > 0 => {
                        format!(
                            "{} dòng lỗi không được nhập",
                            format_count(report.file.rejected_count)
                        )
                    }
                    JobOutcome::Finished { .. } => return None,
                };
                Some((j.id, j.file_name, why))
            })
            .collect())
    }
}

fn status(job: &ImportJob) -> Status {
    let (checked, done, inserted, secs) = match &job.outcome {
        Some(JobOutcome::Finished { secs, .. }) => (job.checked, job.done, job.inserted, *secs),
        _ => {
            #[expect(
                clippy::cast_precision_loss,
                reason = "milliseconds since the start: far below 2^52"
            )]
            let secs =
                (unix_ms(time::OffsetDateTime::now_utc()) - job.started_ms).max(0) as f64 / 1000.0;
            (job.checked, job.done, job.inserted, secs)
        }
    };
    #[expect(
        clippy::cast_precision_loss,
        reason = "a rate shown to people: rows beyond 2^52 never come"
    )]
    let rate = if secs > 0.0 {
        checked as f64 / secs
    } else {
        0.0
    };
    Status {
        state: match &job.outcome {
            None => "running",
            Some(JobOutcome::Finished { report, .. }) if report.committed => "done",
            Some(JobOutcome::Finished { .. }) => "refused",
            Some(JobOutcome::Failed(_)) => "failed",
        },
        total: job.total,
        checked,
        done,
        inserted,
        rows_per_sec: rate.round(),
        text: match &job.outcome {
            Some(JobOutcome::Finished { report, .. }) if !report.committed => format!(
                "Đã kiểm tra {} dòng · không ghi bản ghi nào vì có dòng lỗi",
                format_count(checked)
            ),
            _ => progress_text(job.total, checked, inserted, rate),
        },
    }
}

/// What the polling script reads.
#[derive(Serialize)]
struct Status {
    state: &'static str,
    total: Option<u64>,
    checked: u64,
    done: u64,
    inserted: u64,
    rows_per_sec: f64,
    text: String,
}

#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a rounded, non-negative rate of rows per second"
)]
fn per_sec(rate: f64) -> u64 {
    rate.round().max(0.0) as u64
}

/// `0,42 giây`, `12,3 giây`, `3 phút 5 giây`.
fn duration(secs: f64) -> String {
    if secs < 60.0 {
        let p = if secs < 1.0 { 2 } else { 1 };
        format!("{secs:.p$} giây").replace('.', ",")
    } else {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a rounded, non-negative number of seconds"
        )]
        let s = secs.round() as u64;
        format!("{} phút {} giây", s / 60, s % 60)
    }
}

fn progress_text(total: Option<u64>, checked: u64, inserted: u64, rate: f64) -> String {
    format!(
        "Đã kiểm tra {}{} dòng · đã ghi {} bản ghi · {} dòng/giây",
        format_count(checked),
        total
            .map(|t| format!("/{}", format_count(t)))
            .unwrap_or_default(),
        format_count(inserted),
        format_count(per_sec(rate))
    )
}

/// Who may import: those who may write people and their records (admins,
/// TĐKT officers), and within what.
async fn importer(state: &SharedState, ctx: &Ctx) -> Result<Principal, AppError> {
    let who = ctx.require()?.clone();
    authorize(state, &ctx.user, Action::WritePeople, None, &ctx.path).await?;
    Ok(who)
}

async fn form_page(State(state): State<SharedState>, ctx: Ctx) -> Result<Response, AppError> {
    importer(&state, &ctx).await?;
    Ok(upload_form(&ctx, None).into_response())
}

fn upload_form(ctx: &Ctx, err: Option<&AppError>) -> Markup {
    ctx.page(
        "Nhập lịch sử khen thưởng",
        html! {
            p.muted { a href="/search" { "Tra cứu khen thưởng" } }
            h1 { "Nhập lịch sử khen thưởng" }
            (form_error(err))
            section.card {
                form.stack method="post" enctype="multipart/form-data" action={ "/awards/import?csrf_token=" (ctx.csrf) } {
                    label { "Tệp CSV hoặc Excel (XLSX), tối đa " (MAX_UPLOAD / 1024 / 1024) " MB"
                        input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required;
                    }
                    label.check { input type="checkbox" name="skip_invalid" value="1"; " Bỏ qua dòng lỗi (nhập các dòng hợp lệ, trả lại các dòng lỗi)" }
                    p.muted { "Không đánh dấu: tệp có dòng lỗi thì không nhập dòng nào. Nhập lại cùng một tệp không thay đổi gì." }
                    button type="submit" { "Tải lên và nhập" }
                }
                p.template { a href="/awards/import/template.xlsx" download { "Tải mẫu (Excel)" } " — dòng tiêu đề đúng các cột dưới đây, một dòng ví dụ." }
            }
            section.card {
                h2 { "Các cột của tệp" }
                p { "Dòng đầu là tiêu đề, tên cột tiếng Anh hoặc tiếng Việt:" }
                ul.columns {
                    li { code { "recipient_type" } " (Đối tượng): cá nhân hoặc tập thể" }
                    li { code { "cccd" } " (Số CCCD): bắt buộc với cá nhân" }
                    li { code { "unit_code" } " (Mã đơn vị): đơn vị của năm khen thưởng, trong phạm vi của bạn" }
                    li { code { "recipient_name" } " (Họ tên)" }
                    li { code { "award" } " (Hình thức): mã hoặc tên trong danh mục" }
                    li { code { "year" } " (Năm), " code { "decision_no" } " (Số quyết định), " code { "decision_date" } " (Ngày quyết định, dd/mm/yyyy), " code { "authority" } " (Cấp quyết định)" }
                }
            }
        },
    )
}

async fn upload(
    State(state): State<SharedState>,
    ctx: Ctx,
    mp: Multipart,
) -> Result<Response, AppError> {
    let who = importer(&state, &ctx).await?;
    let refuse = |e: AppError| {
        (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            upload_form(&ctx, Some(&e)),
        )
            .into_response()
    };
    let (upload, fields) = crate::form::read_upload_max(mp, MAX_UPLOAD).await?;
    let Some((name, _, bytes)) = upload else {
        return Ok(refuse(AppError::Invalid {
            field: "file",
            message: "Chưa chọn tệp.".into(),
        }));
    };
    let (header, rows, total) = match file::read_bytes(&name, bytes) {
        Ok(r) => r,
        Err(e) => {
            return Ok(refuse(AppError::Invalid {
                field: "file",
                message: error_chain(&e),
            }))
        }
    };
    if let Err(m) = Header::parse(&header) {
        return Ok(refuse(AppError::Invalid {
            field: "file",
            message: m,
        }));
    }
    let skip_invalid = fields.get("skip_invalid").is_some_and(|v| !v.is_empty());
    let scope = match people_scope(&state, &who).await? {
        PeopleScope::All => None,
        PeopleScope::Units(s) => Some(s.into_iter().collect::<BTreeSet<i64>>()),
    };
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    let id = hex::encode(b);
    let started = Instant::now();
    state
        .store
        .create_import_job(&ImportJob {
            id: id.clone(),
            owner_id: who.user_id,
            file_name: name.clone(),
            skip_invalid,
            header: header.clone(),
            total,
            started_ms: unix_ms(time::OffsetDateTime::now_utc()),
            checked: 0,
            done: 0,
            inserted: 0,
            outcome: None,
            finished_ms: None,
        })
        .await?;
    let live = state.imports.start(&id);
    let opts = ImportOptions {
        skip_invalid,
        source_name: name,
        max_errors: MAX_ERRORS,
        scope,
        rebuild_indexes_after: None,
    };
    let task_state = state.clone();
    let job_id = id.clone();
    tokio::spawn(async move {
        // the counters to the database, for the other servers' pages
        let ticker = {
            let (store, live, id) = (task_state.store.clone(), live.clone(), job_id.clone());
            tokio::spawn(async move {
                let mut every = tokio::time::interval(PROGRESS_EVERY);
                loop {
                    every.tick().await;
                    let (c, d, i) = live.counts();
                    if let Err(e) = store.import_job_progress(&id, c, d, i).await {
                        tracing::debug!(error = %e, "tiến độ nhập chưa ghi được");
                    }
                }
            })
        };
        let hook = {
            let live = live.clone();
            move |p: Progress| {
                live.checked.store(p.checked, Ordering::Relaxed);
                live.done.store(p.done, Ordering::Relaxed);
                live.inserted.store(p.inserted, Ordering::Relaxed);
            }
        };
        let r = task_state
            .store
            .import_awards(&who.username, &header, rows, &opts, &hook)
            .await;
        ticker.abort();
        let outcome = match r {
            Ok(report) => JobOutcome::Finished {
                report,
                secs: started.elapsed().as_secs_f64(),
            },
            Err(e) => {
                tracing::warn!(error = %e, "nhập khen thưởng từ web thất bại");
                JobOutcome::Failed(AppError::from(e).to_string())
            }
        };
        let end = unix_ms(time::OffsetDateTime::now_utc());
        if let Err(e) = task_state
            .store
            .finish_import_job(&job_id, &outcome, end)
            .await
        {
            tracing::error!(error = %e, "kết quả nhập khen thưởng không ghi được");
        }
        task_state.imports.end(&job_id);
    });
    Ok(super::saved(&format!("/awards/import/{id}"), "nhan-tep"))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

async fn job_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let who = importer(&state, &ctx).await?;
    let job = state.imports.owned(&state.store, &id, &who).await?;
    let st = status(&job);
    let outcome = job.outcome;
    let running = outcome.is_none();
    // without script the page refreshes itself until the import ends
    let head = html! { @if running { noscript { meta http-equiv="refresh" content="2"; } } };
    let body = html! {
        p.muted { a href="/awards/import" { "Nhập lịch sử khen thưởng" } }
        h1 { "Nhập tệp «" (job.file_name) "»" }
        p.muted {
            @if job.skip_invalid { "Bỏ qua dòng lỗi: các dòng hợp lệ được nhập, dòng lỗi được trả lại." }
            @else { "Tất cả hoặc không: có dòng lỗi thì không nhập dòng nào." }
        }
        section.card #import-progress data-state=(st.state) data-poll={ "/awards/import/" (id) "/progress" } {
            @let pct = st.total.filter(|t| *t > 0).map(|t| (st.done.min(t) * 100) / t);
            @if running {
                h2 { "Đang nhập…" }
            } @else {
                h2 { "Đã kết thúc" }
            }
            progress #bar max="100" value=[pct.or(if running { None } else { Some(100) })] aria-label="Tiến độ nhập" {}
            p #progress-text aria-live="polite" { (st.text) }
        }
        @match &outcome {
            None => {
                p.muted { "Có thể rời trang này; việc nhập vẫn tiếp tục. Trang tự cập nhật." }
            }
            Some(JobOutcome::Failed(m)) => {
                div.alert role="alert" { "Không nhập được tệp: " (m) }
            }
            Some(JobOutcome::Finished { report, secs }) => {
                (result(&id, report, *secs))
            }
        }
    };
    Ok(ctx
        .page_with_head("Nhập lịch sử khen thưởng", head, body)
        .into_response())
}

fn result(id: &str, r: &ImportReport, secs: f64) -> Markup {
    #[expect(
        clippy::cast_precision_loss,
        reason = "a rate shown to people: rows beyond 2^52 never come"
    )]
    let rate = r.file.rows as f64 / secs.max(1e-9);
    html! {
        @if r.committed {
            div.notice role="status" #import-result data-committed="true" {
                "Đã nhập xong tệp: " (format_count(r.file.rows)) " dòng, " (duration(secs)) "."
                @if r.file.rejected_count > 0 {
                    " " (format_count(r.file.rejected_count)) " dòng lỗi không được nhập; xem báo cáo lỗi bên dưới."
                }
            }
        } @else {
            div.alert role="alert" #import-result data-committed="false" {
                "Không nhập dòng nào: " (format_count(r.file.rejected_count)) " dòng lỗi. Sửa các dòng trong báo cáo lỗi rồi nhập lại, hoặc đánh dấu «Bỏ qua dòng lỗi» để nhập các dòng hợp lệ."
            }
        }
        section.card {
            h2 { @if r.committed { "Kết quả" } @else { "Kết quả kiểm tra (chưa ghi gì)" } }
            table.counts {
                tbody {
                    tr { th { @if r.committed { "Bản ghi mới" } @else { "Bản ghi mới nếu sửa hết lỗi" } } td #n-inserted { (format_count(r.inserted)) } }
                    tr { th { "Đã có (bỏ qua)" } td #n-duplicates { (format_count(r.duplicates)) } }
                    @if r.revoked > 0 { tr { th { "Chuyển sang đã hủy" } td { (format_count(r.revoked)) } } }
                    tr { th { @if r.committed { "Người mới tạo" } @else { "Người sẽ được tạo" } } td #n-people { (format_count(r.people_created)) } }
                    tr { th { "Dòng lỗi" } td #n-rejected { (format_count(r.file.rejected_count)) } }
                    tr { th { "Tốc độ" } td { (format_count(per_sec(rate))) " dòng/giây" } }
                }
            }
        }
        @if r.file.rejected_count > 0 {
            section.card #errors {
                h2 { "Dòng lỗi" }
                p {
                    "Tải báo cáo lỗi (dòng, cột, lý do và nội dung dòng): "
                    a #errors-xlsx href={ "/awards/import/" (id) "/errors?format=xlsx" } { "Excel (XLSX)" }
                    " · "
                    a #errors-csv href={ "/awards/import/" (id) "/errors?format=csv" } { "CSV" }
                }
                @if (r.file.rejected.len() as u64) < r.file.rejected_count {
                    p.muted { "Báo cáo giữ " (format_count(r.file.rejected.len() as u64)) " dòng lỗi đầu tiên." }
                }
                table.responsive {
                    thead { tr { th { "Dòng" } th { "Cột" } th { "Lý do" } } }
                    tbody {
                        @for e in r.file.rejected.iter().take(20) {
                            tr {
                                td data-label="Dòng" { (e.row) }
                                td data-label="Cột" { code { (e.column) } }
                                td data-label="Lý do" { (e.message) }
                            }
                        }
                    }
                }
                @if r.file.rejected.len() > 20 { p.muted { "… và các dòng khác trong báo cáo." } }
            }
        }
        p { a href="/awards/import" { "Nhập tệp khác" } " · " a href="/search" { "Tra cứu khen thưởng" } }
    }
}

async fn progress_json(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<Status>, AppError> {
    let who = importer(&state, &ctx).await?;
    Ok(Json(status(
        &state.imports.owned(&state.store, &id, &who).await?,
    )))
}

#[derive(Deserialize)]
struct ReportParams {
    format: Option<String>,
}

async fn error_report(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ReportParams>,
) -> Result<Response, AppError> {
    let who = importer(&state, &ctx).await?;
    let job = state.imports.owned(&state.store, &id, &who).await?;
    let Some(JobOutcome::Finished { report, .. }) = &job.outcome else {
        return Err(AppError::NotFound);
    };
    if report.file.rejected.is_empty() {
        return Err(AppError::NotFound);
    }
    let stem = std::path::Path::new(&job.file_name)
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let stem = tdkt_core::text::slug(&stem);
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(format!("báo cáo lỗi: {e}"));
    let (body, mime, ext) = if p.format.as_deref() == Some("csv") {
        let mut out = Vec::new();
        file::write_rejects_csv(&mut out, &job.header, &report.file.rejected)
            .map_err(|e| internal(&e))?;
        (out, "text/csv; charset=utf-8", "csv")
    } else {
        (
            file::rejects_xlsx(&job.header, &report.file.rejected).map_err(|e| internal(&e))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    };
    Ok(crate::view::download(
        body,
        mime,
        &format!("{stem}.loi.{ext}"),
    ))
}

/// The columns of the award template, under Vietnamese headers the
/// importer reads ([`Header::parse`] matches them to the English codes).
const TEMPLATE: [TemplateColumn; 10] = [
    TemplateColumn { header: "Đối tượng", note: "Bắt buộc: cá nhân hoặc tập thể (recipient_type).", example: "cá nhân" },
    TemplateColumn { header: "Số CCCD", note: "Bắt buộc với cá nhân: 12 chữ số, giữ số 0 đầu (cccd).", example: "092191938273" },
    TemplateColumn { header: "Mã đơn vị", note: "Mã đơn vị của năm khen thưởng, trong phạm vi của bạn; bắt buộc với tập thể (unit_code).", example: "can-tho.so-xay-dung" },
    TemplateColumn { header: "Họ tên", note: "Bắt buộc: họ tên cá nhân hoặc tên tập thể (recipient_name).", example: "Bùi Thị Hồng Nhung" },
    TemplateColumn { header: "Hình thức khen thưởng", note: "Bắt buộc: mã hoặc tên danh hiệu, hình thức trong danh mục (award).", example: "chien-si-thi-dua-co-so" },
    TemplateColumn { header: "Năm", note: "Bắt buộc: năm thành tích, 4 chữ số (year).", example: "2024" },
    TemplateColumn { header: "Số quyết định", note: "Bắt buộc (decision_no).", example: "15/QĐ-UBND" },
    TemplateColumn { header: "Ngày quyết định", note: "Bắt buộc: dd/mm/yyyy (decision_date).", example: "15/01/2025" },
    TemplateColumn { header: "Cấp quyết định", note: "Cơ quan, người ký quyết định (authority).", example: "Chủ tịch UBND thành phố Cần Thơ" },
    TemplateColumn { header: "Thành tích", note: "Không bắt buộc: thành tích, lý do khen thưởng (reason).", example: "Hoàn thành xuất sắc nhiệm vụ năm 2024" },
];

/// «Tải mẫu» of the award import.
async fn template(State(state): State<SharedState>, ctx: Ctx) -> Result<Response, AppError> {
    importer(&state, &ctx).await?;
    import_template(
        "mau-nhap-khen-thuong.xlsx",
        "Mẫu nhập lịch sử khen thưởng: mỗi dòng một lần khen thưởng. Giữ dòng tiêu đề (tên cột tiếng Việt hoặc tiếng Anh), thay dòng ví dụ bằng dữ liệu thật. Ngày ghi dd/mm/yyyy.",
        &TEMPLATE,
        &[],
    )
}
