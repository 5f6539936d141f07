//! One registry record's page and its certificate (issue 14): the record
//! with its status and, if revoked, the revoking decision; its certificate
//! as a sealed PDF (`/awards/{id}/certificate.pdf`); a decision's
//! certificates in one PDF, in full or onto pre-printed blanks with offsets
//! (`/awards/certificates.pdf?decision=…&blank=1&offset_x=…&offset_y=…`).
//!
//! The export and the check of a certificate file are here once, for the
//! web and for `tdkt certificate export|verify`: [`export_pdf`] draws,
//! seals and names the codes; [`check_file`] checks a file's seal with a
//! public key (pure, `tdkt_core::certificate::seal`) and, given the
//! database, looks its records up for revocation.

use std::sync::OnceLock;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use ed25519_dalek::VerifyingKey;
use maud::html;
use serde::Deserialize;
use tdkt_core::access::{role_may, Action};
use tdkt_core::certificate::{seal, Code, Layouts};
use tdkt_core::date::format_vn;
use tdkt_docs::certificate::Print;
use tdkt_store::awards::{catalogue, AwardRecord};
use tdkt_store::certificates::Issued;
use tdkt_store::Store;

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::{AppError, SharedState};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/awards/{id}", get(record_page))
        .route("/awards/{id}/certificate.pdf", get(certificate_pdf))
        .route("/awards/certificates.pdf", get(decision_pdf))
}

/// The shipped certificate layouts, loaded once.
pub fn layouts() -> &'static Layouts {
    static LAYOUTS: OnceLock<Layouts> = OnceLock::new();
    LAYOUTS.get_or_init(Layouts::embedded)
}

/// Draws the certificates of `ids` (codes drawn at a first print, with
/// their audit events) and seals the file with the installation's key.
///
/// # Errors
/// An unknown or revoked record, a PDF failure.
///
/// # Panics
/// Never: the shipped layouts always have a fallback (a test loads them).
pub async fn export_pdf(
    store: &Store,
    actor: &str,
    ids: &[i64],
    public_url: &str,
    print: Print,
) -> Result<(Vec<u8>, Vec<Issued>), AppError> {
    if ids.is_empty() {
        return Err(AppError::Invalid {
            field: "record",
            message: "Không có bản ghi nào để in.".to_owned(),
        });
    }
    let issued = store.issue_certificates(actor, ids).await?;
    let data = store.certificate_data(&issued, public_url).await?;
    let items: Vec<_> = issued
        .iter()
        .zip(&data)
        .map(|(i, d)| {
            let layout = catalogue().get(&i.record.award_code).map_or_else(
                || layouts().iter().find(|l| l.fallback).expect("a fallback"),
                |a| layouts().for_award(a),
            );
            (layout, d)
        })
        .collect();
    let pdf = tdkt_docs::certificate::render(&items, print)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let codes: Vec<String> = issued.iter().map(|i| i.code.to_string()).collect();
    let sealed = seal::seal(pdf, store.secrets().certificate_signing_key(), &codes);
    Ok((sealed, issued))
}

/// What a check of a certificate file found.
#[derive(Debug)]
pub enum Verdict {
    /// The seal holds and every record is in force.
    Valid {
        key_id: String,
        /// Each certificate's code and record, in the file's order.
        records: Vec<(String, AwardRecord)>,
    },
    /// The seal holds but a record has been revoked since.
    Revoked {
        key_id: String,
        records: Vec<(String, AwardRecord)>,
    },
    /// The seal holds; no database was asked (a published key only).
    SignatureOnly { key_id: String, codes: Vec<String> },
    /// The seal holds but a code is not in this registry.
    Unknown { codes: Vec<String> },
    /// No seal, a broken one, another key, or changed bytes.
    Invalid(seal::SealError),
}

impl Verdict {
    /// `tdkt certificate verify`'s exit code: 0 valid, 3 revoked, 1
    /// tampered or unknown.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Valid { .. } | Self::SignatureOnly { .. } => 0,
            Self::Revoked { .. } => 3,
            Self::Unknown { .. } | Self::Invalid(_) => 1,
        }
    }

    /// The verdict in Vietnamese, one line per fact.
    #[must_use]
    pub fn message(&self) -> String {
        fn describe(r: &AwardRecord) -> String {
            format!(
                "{} — {} ({}), Quyết định số {} ngày {}",
                r.award_name(),
                r.recipient_name(),
                r.unit_name,
                r.decision_no,
                format_vn(r.decision_date)
            )
        }
        match self {
            Self::Valid { key_id, records } => {
                let mut out = format!(
                    "Hợp lệ: chữ ký đúng (khóa {key_id}), giấy chứng nhận còn hiệu lực."
                );
                for (_, r) in records {
                    out.push_str(&format!("\n  {}: còn hiệu lực.", describe(r)));
                }
                out
            }
            Self::Revoked { key_id, records } => {
                let mut out = format!(
                    "Đã bị hủy bỏ: chữ ký của tệp đúng (khóa {key_id}) nhưng khen thưởng đã bị hủy bỏ."
                );
                for (_, r) in records {
                    out.push_str(&format!("\n  {}: {}", describe(r), r.status_text()));
                    if let Some(rv) = &r.revocation {
                        let g = rv.ground();
                        out.push_str(&format!("; căn cứ: {}", g.label()));
                        if !g.citation().is_empty() {
                            out.push_str(&format!(" ({})", g.citation()));
                        }
                    }
                    out.push('.');
                }
                out
            }
            Self::SignatureOnly { key_id, codes } => format!(
                "Hợp lệ: chữ ký đúng với khóa công khai {key_id}; tệp không bị sửa.\nChưa kiểm tra được việc hủy bỏ (chỉ có khóa công khai, không có cơ sở dữ liệu): tra cứu mã {} tại trang /xac-minh của cơ quan cấp.",
                codes.join(", ")
            ),
            Self::Unknown { codes } => format!(
                "Không hợp lệ: không tìm thấy bản ghi khen thưởng mang mã xác minh {} trong cơ sở dữ liệu này.",
                codes.join(", ")
            ),
            Self::Invalid(seal::SealError::BadSignature) => {
                "Không hợp lệ: tệp đã bị sửa sau khi ký (chữ ký không khớp nội dung tệp).".to_owned()
            }
            Self::Invalid(e) => format!("Không hợp lệ: {e}."),
        }
    }
}

/// Checks `file` with `key`, then (given a store) the status of its
/// records.
///
/// # Errors
/// Database failure.
pub async fn check_file(
    store: Option<&Store>,
    key: &VerifyingKey,
    file: &[u8],
) -> Result<Verdict, AppError> {
    let codes = match seal::verify(file, key) {
        Ok(c) => c,
        Err(e) => return Ok(Verdict::Invalid(e)),
    };
    let key_id = seal::key_id(key);
    let Some(store) = store else {
        return Ok(Verdict::SignatureOnly { key_id, codes });
    };
    let mut records = Vec::new();
    let mut unknown = Vec::new();
    for c in &codes {
        let found = match Code::parse(c) {
            Ok(code) => store.record_by_certificate(&code).await?,
            Err(_) => None,
        };
        match found {
            Some(r) => records.push((c.clone(), r)),
            None => unknown.push(c.clone()),
        }
    }
    Ok(if !unknown.is_empty() {
        Verdict::Unknown { codes: unknown }
    } else if records.iter().any(|(_, r)| r.status == "revoked") {
        Verdict::Revoked { key_id, records }
    } else {
        Verdict::Valid { key_id, records }
    })
}

/// A record readable by the caller (404 outside their scope).
pub(crate) async fn readable_record(
    state: &SharedState,
    ctx: &Ctx,
    id: i64,
    action: Action,
) -> Result<AwardRecord, AppError> {
    ctx.require()?;
    let r = state
        .store
        .award_record(id)
        .await
        .map_err(|_| AppError::NotFound)?;
    // out of scope is 404 whatever the action; a role that may never
    // write is 403 once the record is known to be theirs to read
    authorize(
        state,
        &ctx.user,
        Action::ReadPeople,
        Some(r.unit_id),
        &ctx.path,
    )
    .await?;
    if action != Action::ReadPeople {
        authorize(state, &ctx.user, action, Some(r.unit_id), &ctx.path).await?;
    }
    Ok(r)
}

async fn record_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = readable_record(&state, &ctx, id, Action::ReadPeople).await?;
    let may_write = ctx
        .principal()
        .is_some_and(|p| role_may(p.role, Action::WritePeople));
    let revoked = r.status == "revoked";
    Ok(ctx
        .page(
            &format!("{} — {}", r.award_name(), r.recipient_name()),
            html! {
                p.muted {
                    @if let Some(pid) = r.person_id { a href={ "/people/" (pid) } { (r.recipient_name()) } " · " }
                    a href={ "/units/" (r.unit_code) } { (r.unit_name) }
                }
                h1 { (r.award_name()) }
                section.card #record {
                    dl.facts {
                        dt { "Người, tập thể nhận" } dd { (r.recipient_name()) }
                        dt { "Đơn vị" } dd { (r.unit_name) }
                        dt { "Năm thành tích" } dd { (r.year) }
                        dt { "Quyết định" } dd { code { (r.decision_no) } " ngày " (format_vn(r.decision_date)) }
                        dt { "Cấp quyết định" } dd { (r.authority) }
                        @if !r.reason.is_empty() { dt { "Thành tích" } dd { (r.reason) } }
                        dt { "Trạng thái" } dd #status .revoked[revoked] { (r.status_text()) }
                        @if let Some(rv) = &r.revocation {
                            dt { "Căn cứ hủy bỏ" } dd { (rv.ground().label()) @if !rv.ground().citation().is_empty() { " " span.cite { "(" (rv.ground().citation()) ")" } } }
                            @if !rv.reason.is_empty() { dt { "Lý do hủy bỏ" } dd { (rv.reason) } }
                        }
                    }
                }
                @if may_write {
                    section.card #actions {
                        @if revoked {
                            p.muted { "Khen thưởng đã bị hủy bỏ: không in giấy chứng nhận, không đính chính." }
                        } @else {
                            p { a.button href={ "/awards/" (r.id) "/certificate.pdf" } { "In giấy chứng nhận (PDF có chữ ký số)" } }
                            p {
                                a href={ "/awards/certificates.pdf?decision=" (crate::error::urlencode(&r.decision_no)) } { "In cả quyết định " (r.decision_no) }
                                " · "
                                a href={ "/awards/certificates.pdf?blank=1&decision=" (crate::error::urlencode(&r.decision_no)) } { "In lên phôi in sẵn" }
                            }
                            p { a href={ "/awards/" (r.id) "/correct" } { "Đính chính" } " · " a href={ "/awards/" (r.id) "/revoke" } { "Hủy bỏ khen thưởng" } }
                        }
                    }
                }
            },
        )
        .into_response())
}

fn pdf_response(bytes: Vec<u8>, name: &str) -> Response {
    crate::view::download(bytes, "application/pdf", name)
}

async fn certificate_pdf(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = readable_record(&state, &ctx, id, Action::WritePeople).await?;
    let who = ctx.require()?.username.clone();
    let (pdf, _) = export_pdf(&state.store, &who, &[r.id], &state.public_url, Print::Full).await?;
    Ok(pdf_response(pdf, &format!("giay-chung-nhan-{}.pdf", r.id)))
}

#[derive(Deserialize)]
struct BatchParams {
    decision: String,
    blank: Option<String>,
    offset_x: Option<String>,
    offset_y: Option<String>,
}

fn offset(field: &'static str, s: Option<&str>) -> Result<f32, AppError> {
    let s = s.map(str::trim).unwrap_or_default();
    if s.is_empty() {
        return Ok(0.0);
    }
    tdkt_core::number::parse_vi(s)
        .ok()
        .filter(|v| v.abs() <= rust_decimal::Decimal::from(50))
        .and_then(|v| f32::try_from(v).ok())
        .ok_or_else(|| AppError::Invalid {
            field,
            message: format!("Độ lệch «{s}» phải là số milimét từ -50 đến 50."),
        })
}

async fn decision_pdf(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(p): Query<BatchParams>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.clone();
    authorize(&state, &ctx.user, Action::WritePeople, None, &ctx.path).await?;
    let print = if p
        .blank
        .as_deref()
        .is_some_and(|b| !b.is_empty() && b != "0")
    {
        Print::Blank {
            offset_x_mm: offset("offset_x", p.offset_x.as_deref())?,
            offset_y_mm: offset("offset_y", p.offset_y.as_deref())?,
        }
    } else {
        Print::Full
    };
    let scope = crate::auth::people_scope(&state, &who).await?;
    let ids: Vec<i64> = state
        .store
        .records_of_decision(&p.decision)
        .await?
        .into_iter()
        .filter(|r| r.status == "valid")
        .filter(|r| match &scope {
            tdkt_store::people::PeopleScope::All => true,
            tdkt_store::people::PeopleScope::Units(s) => s.contains(&r.unit_id),
        })
        .map(|r| r.id)
        .collect();
    if ids.is_empty() {
        return Err(AppError::NotFound);
    }
    let (pdf, _) = export_pdf(&state.store, &who.username, &ids, &state.public_url, print).await?;
    Ok(pdf_response(
        pdf,
        &format!("giay-chung-nhan-{}.pdf", tdkt_core::text::slug(&p.decision)),
    ))
}
