//! The indicator reporting template: tdkt generates an XLSX per cluster and
//! period (members × indicators, units in the headers, current values
//! filled in), and members or officers upload it back. An upload is
//! checked cell by cell through the same import plan as `tdkt import
//! indicators` and written whole or not at all; each refusal names its
//! row and column in Vietnamese.
//!
//! Access: the rows offered and accepted are the members on which the
//! caller holds [`Action::SubmitIndicators`] (all of them for whoever runs
//! the cluster).

use std::io::Cursor;

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use tdkt_core::access::Action;
use tdkt_core::import::{column_letter, RowError};
use tdkt_core::org::Unit;
use tdkt_core::period::Period;
use tdkt_core::pledge::ValueFields;
use tdkt_store::clusters::Cluster;

use super::clusters::{authorize_manage, base, load, period_of, PeriodQuery};
use crate::auth::authorize;
use crate::form::read_upload;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

const SHEET: &str = "Báo cáo";
const INFO: &str = "Thông tin";
/// An indicator template of a large cluster is a few hundred kilobytes.
const MAX_UPLOAD: usize = 5 * 1024 * 1024;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/clusters/{key}/{year}/template.xlsx", get(template))
        .route(
            "/clusters/{key}/{year}/upload",
            get(upload_form)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
}

/// The members whose rows the caller may fill (404 when none).
async fn own_members(state: &SharedState, ctx: &Ctx, c: &Cluster) -> Result<Vec<Unit>, AppError> {
    ctx.require()?;
    let members = state.store.cluster_members(c.id).await?;
    if authorize_manage(state, ctx, c).await.is_ok() {
        return Ok(members);
    }
    let mut out = Vec::new();
    let mut last = AppError::NotFound;
    for m in members {
        match authorize(
            state,
            &ctx.user,
            Action::SubmitIndicators,
            Some(m.id),
            &ctx.path,
        )
        .await
        {
            Ok(()) => out.push(m),
            Err(e) => last = e,
        }
    }
    if out.is_empty() {
        return Err(last);
    }
    Ok(out)
}

/// Column letters as a spreadsheet shows them: 0 → A, 26 → AA.
fn column(i: u32) -> String {
    column_letter(usize::try_from(i).unwrap_or(usize::MAX))
}

fn internal(e: &impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

async fn template(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((key, year)): Path<(String, i32)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    use rust_xlsxwriter::{Format as Fmt, Workbook};
    let c = load(&state, &key, year).await?;
    let members = own_members(&state, &ctx, &c).await?;
    let period = period_of(q.period.as_deref(), year)?;
    let pledge = state.store.pledge(c.id).await?;
    let current = state.store.current_values(c.id, period).await?;
    let mut wb = Workbook::new();
    let bold = Fmt::new().set_bold().set_text_wrap();
    let muted = Fmt::new()
        .set_italic()
        .set_font_color(rust_xlsxwriter::Color::Gray);
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(|e| internal(&e))?;
    ws.write_string_with_format(0, 0, "Mã đơn vị", &bold)
        .map_err(|e| internal(&e))?;
    ws.write_string_with_format(0, 1, "Thành viên", &bold)
        .map_err(|e| internal(&e))?;
    ws.write_string_with_format(1, 0, "mã chỉ tiêu →", &muted)
        .map_err(|e| internal(&e))?;
    ws.set_column_width(0, 16).map_err(|e| internal(&e))?;
    ws.set_column_width(1, 28).map_err(|e| internal(&e))?;
    for (j, (_, i)) in pledge.iter().enumerate() {
        let col = u16::try_from(j + 2).map_err(|e| internal(&e))?;
        ws.write_string_with_format(0, col, format!("{} ({})", i.name, i.unit.name()), &bold)
            .map_err(|e| internal(&e))?;
        ws.write_string_with_format(1, col, i.key.as_str(), &muted)
            .map_err(|e| internal(&e))?;
        ws.set_column_width(col, 22).map_err(|e| internal(&e))?;
    }
    for (r, m) in members.iter().enumerate() {
        let row = u32::try_from(r + 2).map_err(|e| internal(&e))?;
        ws.write_string(row, 0, &m.code).map_err(|e| internal(&e))?;
        ws.write_string(row, 1, &m.name).map_err(|e| internal(&e))?;
        for (j, (id, _)) in pledge.iter().enumerate() {
            let col = u16::try_from(j + 2).map_err(|e| internal(&e))?;
            if let Some((_, _, v)) = current.iter().find(|(u, i, _)| *u == m.id && i == id) {
                if let Ok(f) = v.to_string().parse::<f64>() {
                    ws.write_number(row, col, f).map_err(|e| internal(&e))?;
                }
            }
        }
    }
    ws.set_freeze_panes(2, 2).map_err(|e| internal(&e))?;
    let info = wb.add_worksheet();
    info.set_name(INFO).map_err(|e| internal(&e))?;
    for (r, (k, v)) in [
        ("Cụm, khối", c.key.clone()),
        ("Năm", c.year.to_string()),
        ("Kỳ", period.code()),
        ("Tên", c.name.clone()),
        ("Kỳ báo cáo", period.label()),
    ]
    .iter()
    .enumerate()
    {
        let r = u32::try_from(r).map_err(|e| internal(&e))?;
        info.write_string_with_format(r, 0, *k, &bold)
            .map_err(|e| internal(&e))?;
        info.write_string(r, 1, v).map_err(|e| internal(&e))?;
    }
    info.write_string(6, 0, "Điền số liệu vào trang «Báo cáo» (số thập phân, không ghi đơn vị), không sửa mã đơn vị, mã chỉ tiêu và trang này; ô để trống là chưa báo cáo.")
        .map_err(|e| internal(&e))?;
    info.set_column_width(0, 14).map_err(|e| internal(&e))?;
    info.set_column_width(1, 40).map_err(|e| internal(&e))?;
    let body = wb.save_to_buffer().map_err(|e| internal(&e))?;
    let name = format!(
        "mau-bao-cao-{}-{}.xlsx",
        c.key,
        period.code().replace(['/', ':'], "_")
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

async fn upload_form(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((key, year)): Path<(String, i32)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Markup, AppError> {
    let c = load(&state, &key, year).await?;
    own_members(&state, &ctx, &c).await?;
    let period = period_of(q.period.as_deref(), year)?;
    Ok(upload_page(&ctx, &c, period, &[]))
}

fn upload_page(ctx: &Ctx, c: &Cluster, period: Period, errors: &[String]) -> Markup {
    let here = base(c);
    let code = period.code();
    ctx.page(
        "Tải lên báo cáo chỉ tiêu",
        html! {
            p.muted { a href={ (here) "?period=" (code) } { (c.name) } }
            h1 { "Báo cáo " (period.label()) " bằng tệp Excel" }
            @if !errors.is_empty() {
                div.alert role="alert" {
                    p { "Tệp có " (errors.len()) " lỗi; chưa ghi số liệu nào. Sửa rồi tải lên lại." }
                    ul.errors { @for e in errors { li { (e) } } }
                }
            }
            ol.steps {
                li { a.button href={ (here) "/template.xlsx?period=" (code) } download { "Tải mẫu báo cáo " (period.label()) } }
                li { "Điền số liệu vào trang «Báo cáo», lưu tệp." }
                li {
                    form.stack method="post" enctype="multipart/form-data"
                        action={ (here) "/upload?period=" (code) "&csrf_token=" (ctx.csrf) } {
                        label { "Tệp đã điền (.xlsx)" input type="file" name="file" accept=".xlsx" required; }
                        button type="submit" { "Tải lên" }
                    }
                }
            }
        },
    )
}

/// The member column of the sheet, as messages name it.
const MEMBER_COLUMN: &str = "A (Mã đơn vị)";

fn cell_text(d: &calamine::Data) -> String {
    tdkt_store::awards::file::cell(d).trim().to_owned()
}

/// Every problem of the file, as every import words it (`Dòng N, cột «X
/// (tên cột)»: lý do`, `tdkt_core::import::RowError`); empty when the
/// values were written.
async fn check_and_write(
    state: &SharedState,
    ctx: &Ctx,
    c: &Cluster,
    period: Period,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<Vec<String>, AppError> {
    use calamine::{Reader, Xlsx};
    let who = ctx.require()?.username.clone();
    let mine = own_members(state, ctx, c).await?;
    let mut wb: Xlsx<_> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(_) => {
            return Ok(vec![
                "Tệp không phải là bảng tính Excel (.xlsx) đọc được.".into()
            ])
        }
    };
    let (Ok(sheet), Ok(info)) = (wb.worksheet_range(SHEET), wb.worksheet_range(INFO)) else {
        return Ok(vec![format!(
            "Tệp không có trang «{SHEET}» và «{INFO}»: hãy dùng mẫu tải từ tdkt."
        )]);
    };
    let mut errors = Vec::new();
    let info_at = |r: u32| info.get_value((r, 1)).map(cell_text).unwrap_or_default();
    if info_at(0) != c.key || info_at(2) != period.code() {
        errors.push(format!(
            "trang «{INFO}», cột B: mẫu của cụm «{}» kỳ «{}», không phải cụm «{}» kỳ {}",
            info_at(0),
            info_at(2),
            c.key,
            period.code()
        ));
        return Ok(errors);
    }
    let pledge = state.store.pledge(c.id).await?;
    let width = sheet.width();
    let (r0, c0) = sheet.start().unwrap_or((0, 0));
    let at = |r: u32, col: u32| {
        if r < r0 || col < c0 {
            return String::new();
        }
        sheet.get_value((r, col)).map(cell_text).unwrap_or_default()
    };
    let header = |col: u32| at(0, col);
    // Indicator of each value column, from the key row (row 2).
    let mut columns = Vec::new();
    for col in 2..u32::try_from(width).unwrap_or(0) + c0 {
        let key = at(1, col);
        if key.is_empty() {
            continue;
        }
        match pledge.iter().find(|(_, i)| i.key.as_str() == key) {
            Some((_, i)) => columns.push((col, i.clone())),
            None => errors.push(
                RowError::new(
                    2,
                    format!("{} ({})", column(col), header(col)),
                    format!("chỉ tiêu «{key}» không có trong giao ước"),
                )
                .to_string(),
            ),
        }
    }
    let mut plan = state.store.plan_indicators(false).await?;
    let code = period.code();
    let height = u32::try_from(sheet.height()).unwrap_or(0) + r0;
    for r in 2..height {
        let line = r + 1;
        let member = at(r, 0);
        let cells: Vec<(u32, &tdkt_core::pledge::Indicator, String)> = columns
            .iter()
            .map(|(col, i)| (*col, i, at(r, *col)))
            .filter(|(_, _, v)| !v.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        let line = u64::from(line);
        if member.is_empty() {
            errors.push(RowError::new(line, MEMBER_COLUMN, "thiếu mã đơn vị").to_string());
            continue;
        }
        if !mine.iter().any(|m| m.code == member) {
            errors.push(
                RowError::new(
                    line,
                    MEMBER_COLUMN,
                    format!("«{member}» không phải thành viên mà bạn được báo cáo thay"),
                )
                .to_string(),
            );
            continue;
        }
        for (col, ind, raw) in cells {
            // Read by `number::parse_vi` in the row check: 8,25 typed as
            // text, or a number cell written back the same way.
            let value = raw.clone();
            let f = ValueFields {
                cluster: &c.key,
                period: &code,
                member: &member,
                indicator: ind.key.as_str(),
                value: &value,
                unit: ind.unit.code(),
            };
            if let Err(errs) = plan.push(line, &f) {
                for e in errs {
                    let named = if e.column == "member" {
                        MEMBER_COLUMN.to_owned()
                    } else {
                        format!("{} ({})", column(col), header(col))
                    };
                    errors.push(RowError::new(line, named, e.message).to_string());
                }
            }
        }
    }
    if errors.is_empty() && plan.is_empty() {
        errors.push(format!("trang «{SHEET}»: chưa điền số liệu nào"));
    }
    if !errors.is_empty() {
        return Ok(errors);
    }
    state
        .store
        .apply_indicators(&who, file_name, plan, |_| {})
        .await?;
    Ok(errors)
}

async fn upload(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path((key, year)): Path<(String, i32)>,
    Query(q): Query<PeriodQuery>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let c = load(&state, &key, year).await?;
    own_members(&state, &ctx, &c).await?;
    let period = period_of(q.period.as_deref(), year)?;
    let (file, _) = read_upload(mp).await?;
    let errors = match file {
        None => vec!["Chưa chọn tệp.".to_owned()],
        Some((name, _, bytes)) => check_and_write(&state, &ctx, &c, period, &name, bytes).await?,
    };
    if errors.is_empty() {
        return Ok(super::saved(
            &format!("{}?period={}", base(&c), period.code()),
            "tep",
        ));
    }
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        upload_page(&ctx, &c, period, &errors),
    )
        .into_response())
}
