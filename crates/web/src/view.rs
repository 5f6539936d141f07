//! Small renderers shared by the areas' pages and handlers: a unit's link
//! and its lineage line, and the responses that send a file (an export, a
//! stored document). The areas import these from here, never from each
//! other's route modules.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tdkt_core::date::format_vn;
use tdkt_core::lineage::{Lineage, LineageKind};
use tdkt_core::org::{Unit, UnitId};
use tdkt_core::review::frame::Frame;

use crate::{AppError, SharedState};

/// A link to a unit with its state ("đã sáp nhập" …).
pub fn unit_link(u: &Unit, today: time::Date) -> Markup {
    html! {
        a href={ "/units/" (u.code) } { (u.name) }
        @if let Some(end) = u.valid_to.filter(|_| !u.valid_on(today)) {
            span.tag.ended title={ "Hoạt động đến " (format_vn(end)) } { "đến " (format_vn(end)) }
        }
    }
}

/// A unit as a picker offers it among `among`: the name, with the day it
/// ended ("Cần Thơ (đến 30/6/2025)") or, where another unit of the list has
/// the same name, the day it began ("Cần Thơ (từ 01/7/2025)"), so that no
/// two choices read alike (issue 15 item 9).
#[must_use]
pub fn unit_choice(u: &Unit, among: &[Unit]) -> String {
    if let Some(end) = u.valid_to {
        return format!("{} (đến {})", u.name, format_vn(end));
    }
    if among.iter().any(|o| o.id != u.id && o.name == u.name) {
        return format!("{} (từ {})", u.name, format_vn(u.valid_from));
    }
    u.name.clone()
}

/// One line of lineage in Vietnamese, e.g. "Sáp nhập từ: Bến Tre, Vĩnh
/// Long, Trà Vinh, từ 01/7/2025".
#[must_use]
pub fn formed_line(
    l: &Lineage,
    kind: LineageKind,
    from: &[UnitId],
    effective: time::Date,
) -> String {
    let names: Vec<String> = from
        .iter()
        .filter_map(|id| l.name_at(*id, effective.previous_day().unwrap_or(effective)))
        .collect();
    let verb = match kind {
        LineageKind::Merge => "Sáp nhập từ",
        LineageKind::Split => "Chia tách từ",
        _ => "Hình thành từ",
    };
    format!("{verb}: {}, từ {}", names.join(", "), format_vn(effective))
}

pub(crate) fn download(body: Vec<u8>, mime: &'static str, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Sends a stored document; `owner` must be the document's owner.
pub(crate) async fn send_document(
    state: &SharedState,
    owner_type: &str,
    owner_id: i64,
    id: i64,
) -> Result<Response, AppError> {
    let (meta, bytes) = state
        .store
        .document(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    if meta.owner_type != owner_type || meta.owner_id != owner_id {
        return Err(AppError::NotFound);
    }
    let ascii: String = meta
        .file_name
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, meta.mime.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    crate::error::urlencode(&meta.file_name)
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The account's reminders (*nhắc việc*): overdue first, each with its due
/// date (dd/mm/yyyy) and a link; nothing when there are none.
#[must_use]
pub fn reminders(list: &[tdkt_core::reminder::Reminder]) -> Markup {
    html! {
        @if !list.is_empty() {
            section.card #reminders {
                h2 { "Nhắc việc (" (list.len()) ")" }
                ul { @for r in list { li class=[r.overdue.then_some("fail")] {
                    (r.kind.label()) ": " a href=(r.link) { (r.title) } " — "
                    @if r.overdue { strong.missing { (r.due_text()) } } @else { (r.due_text()) }
                } } }
            }
        }
    }
}

/// One column of an import template: the header the importer reads, a
/// Vietnamese note on it, and the example row's cell.
pub(crate) struct TemplateColumn {
    pub header: &'static str,
    pub note: &'static str,
    pub example: &'static str,
}

/// The template of a file import (issue 15: «Tải mẫu» beside every upload)
/// as an XLSX download: on the first sheet (the one importers read) the
/// header row with a Vietnamese note on each header cell and the example
/// rows, every cell text so nothing is reformatted; on a second sheet
/// «Hướng dẫn», the same notes as a table, for who does not hover.
///
/// # Errors
/// Writer failure (internal).
pub(crate) fn import_template(
    file: &str,
    intro: &str,
    columns: &[TemplateColumn],
    more_examples: &[&[&str]],
) -> Result<Response, AppError> {
    use rust_xlsxwriter::{Format, Note, Workbook};
    let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("template: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#FDECEA");
    let ws = wb.add_worksheet();
    ws.set_name("Dữ liệu").map_err(internal)?;
    for (c, col) in (0u16..).zip(columns) {
        ws.write_string_with_format(0, c, col.header, &bold)
            .map_err(internal)?;
        ws.insert_note(0, c, &Note::new(col.note).set_author("tdkt"))
            .map_err(internal)?;
        ws.write_string(1, c, col.example).map_err(internal)?;
        let width = col.header.chars().count().max(col.example.chars().count());
        ws.set_column_width(
            c,
            f64::from(u16::try_from(width.clamp(8, 48)).unwrap_or(48) + 2),
        )
        .map_err(internal)?;
    }
    for (r, row) in (2u32..).zip(more_examples) {
        for (c, cell) in (0u16..).zip(row.iter()) {
            ws.write_string(r, c, *cell).map_err(internal)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(internal)?;
    let help = wb.add_worksheet();
    help.set_name("Hướng dẫn").map_err(internal)?;
    help.write_string(0, 0, intro).map_err(internal)?;
    help.write_string_with_format(2, 0, "Cột", &bold)
        .map_err(internal)?;
    help.write_string_with_format(2, 1, "Ghi chú", &bold)
        .map_err(internal)?;
    for (r, col) in (3u32..).zip(columns) {
        help.write_string(r, 0, col.header).map_err(internal)?;
        help.write_string(r, 1, col.note).map_err(internal)?;
    }
    help.set_column_width(0, 24).map_err(internal)?;
    help.set_column_width(1, 90).map_err(internal)?;
    let body = wb.save_to_buffer().map_err(internal)?;
    Ok(download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file,
    ))
}

/// The head of an official document on a page, as its DOCX and PDF print
/// it (Phụ lục I NĐ 30/2020/NĐ-CP): issuing body and number | national
/// title, motto and place and date, side by side (stacked on a phone), then
/// the title and the abstract.
pub fn frame_head(f: &Frame, title: &str) -> Markup {
    html! {
        div.doc-head {
            div {
                @if !f.parent.is_empty() { span { (f.parent) } }
                strong.ruled { (f.issuer) }
                span { (f.number_line) }
            }
            div {
                strong { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" }
                strong.ruled { "Độc lập - Tự do - Hạnh phúc" }
                em { (f.place_date) }
            }
        }
        h1.doc-title { (title.to_uppercase()) }
        @if !f.subject.is_empty() { p.doc-subject { strong { (f.subject) } } }
    }
}

/// The foot of an official document on a page: the signature blocks side
/// by side, each with room to sign, and the recipients.
pub fn frame_foot(f: &Frame) -> Markup {
    html! {
        div.doc-signatures {
            @for s in &f.signatures {
                div {
                    @for t in &s.titles { strong { (t) } }
                    @if !s.hint.is_empty() { em { (s.hint) } }
                    span.sign-room {}
                    strong { (s.name) }
                }
            }
        }
        @if !f.recipients.is_empty() {
            p.doc-recipients {
                @for (i, l) in f.recipients.iter().enumerate() {
                    @if i == 0 { strong { em { (l) } } } @else { br; (l) }
                }
            }
        }
    }
}
