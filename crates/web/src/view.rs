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
