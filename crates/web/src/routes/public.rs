//! Public pages, no login (issue 14): the verification of a certificate.
//!
//! - `/xac-minh`: enter the code printed on a certificate, or upload its
//!   PDF to check the signature and the status in one go;
//! - `/xac-minh/{code}`: what the certificate is for (award, recipient's
//!   name and unit, decision) and whether it is still in force
//!   ("Còn hiệu lực") or revoked ("đã bị hủy bỏ" with the revoking
//!   decision). Never a CCCD, never a birth date: the name and unit are
//!   printed on the certificate itself;
//! - `/xac-minh/khoa-cong-khai` (`.pem`): the public key and how to check a
//!   file offline.
//!
//! Rate limiting per client address is not here yet: the store has no
//! throttle for anonymous requests (only per account, for logins); the
//! codes are 80 random bits, so walking them is not a way to find records.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use tdkt_core::certificate::{seal, Code};
use tdkt_core::date::format_vn;
use tdkt_store::awards::AwardRecord;

use super::certificates::{check_file, Verdict};
use crate::layout::Ctx;
use crate::{AppError, SharedState};

/// Largest certificate file accepted for a check.
const MAX_CHECK: usize = 10 * 1024 * 1024;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/xac-minh", get(start))
        .route("/xac-minh/khoa-cong-khai", get(public_key_page))
        .route("/xac-minh/khoa-cong-khai.pem", get(public_key_pem))
        .route(
            "/xac-minh/tep",
            post(check_upload).layer(DefaultBodyLimit::max(MAX_CHECK + 64 * 1024)),
        )
        .route("/xac-minh/tra-cuu", get(lookup))
        .route("/xac-minh/{code}", get(by_code))
}

/// The public shell: the brand, no internal navigation.
fn public_page(title: &str, body: &Markup) -> Markup {
    crate::layout::bare(
        title,
        html! {
            (body)
            p.muted.small { a href="/xac-minh" { "Xác minh giấy chứng nhận khác" } " · " a href="/xac-minh/khoa-cong-khai" { "Khóa công khai và cách kiểm tra ngoại tuyến" } }
        },
    )
}

fn forms(ctx: &Ctx, code: &str) -> Markup {
    html! {
        section.card {
            h2 { "Nhập mã xác minh" }
            form.verify method="get" action="/xac-minh/tra-cuu" {
                label { "Mã in dưới mã QR của giấy chứng nhận"
                    input name="ma" value=(code) placeholder="XXXX-XXXX-XXXX-XXXX" autocomplete="off" autocapitalize="characters" spellcheck="false" required;
                }
                button type="submit" { "Tra cứu" }
            }
        }
        section.card {
            h2 { "Kiểm tra tệp PDF" }
            p.muted { "Tệp giấy chứng nhận do hệ thống cấp mang chữ ký số ở cuối tệp; chỉ cần sửa một byte là chữ ký không còn khớp." }
            form.verify method="post" enctype="multipart/form-data" action={ "/xac-minh/tep?csrf_token=" (ctx.csrf) } {
                label { "Tệp PDF" input type="file" name="file" accept="application/pdf,.pdf" required; }
                button type="submit" { "Kiểm tra tệp" }
            }
        }
    }
}

async fn start(ctx: Ctx) -> Markup {
    public_page(
        "Xác minh giấy chứng nhận khen thưởng",
        &html! {
            h1 { "Xác minh giấy chứng nhận khen thưởng" }
            p.lead { "Kiểm tra một Bằng khen, Giấy khen hay Giấy chứng nhận danh hiệu do hệ thống cấp: còn hiệu lực hay đã bị hủy bỏ." }
            (forms(&ctx, ""))
        },
    )
}

/// `GET /xac-minh/tra-cuu?ma=…` (the code form) lands on the code's page,
/// the code written as printed whatever way it was typed.
async fn lookup(uri: axum::http::Uri) -> Response {
    let ma = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "ma")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let to = match Code::parse(&ma) {
        Ok(c) => format!("/xac-minh/{c}"),
        Err(_) if ma.trim().is_empty() => "/xac-minh".to_owned(),
        Err(_) => format!("/xac-minh/{}", crate::error::urlencode(ma.trim())),
    };
    super::see_other(&to)
}

fn status_block(r: &AwardRecord) -> Markup {
    let revoked = r.status == "revoked";
    html! {
        div.status.revoked[revoked].valid[!revoked] #status role="status" {
            @if revoked {
                strong { "Đã bị hủy bỏ" }
                @if let Some(rv) = &r.revocation {
                    p { "Khen thưởng này đã bị hủy bỏ theo " (rv.decision()) "." }
                    p.small { "Căn cứ: " (rv.ground().label())
                        @if !rv.ground().citation().is_empty() { " (" (rv.ground().citation()) ")" } "." }
                } @else {
                    p { "Khen thưởng này đã bị hủy bỏ." }
                }
            } @else {
                strong { "Còn hiệu lực" }
                p { "Khen thưởng được ghi trong sổ khen thưởng và chưa bị hủy bỏ." }
            }
        }
    }
}

fn record_facts(r: &AwardRecord, code: &str) -> Markup {
    html! {
        dl.facts.public {
            dt { "Khen thưởng" } dd { (r.award_name()) }
            dt { "Người, tập thể nhận" } dd { (r.recipient_name()) }
            dt { "Đơn vị" } dd { (r.unit_name) }
            dt { "Năm thành tích" } dd { (r.year) }
            dt { "Quyết định" } dd { "Số " (r.decision_no) " ngày " (format_vn(r.decision_date)) }
            @if !r.authority.is_empty() { dt { "Cấp quyết định" } dd { (r.authority) } }
            dt { "Mã xác minh" } dd { code { (code) } }
        }
    }
}

async fn by_code(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let not_found = |shown: &str| {
        (
            axum::http::StatusCode::NOT_FOUND,
            public_page(
                "Không tìm thấy giấy chứng nhận",
                &html! {
                    h1 { "Không tìm thấy giấy chứng nhận" }
                    div.status.revoked #status role="status" {
                        strong { "Không có trong sổ khen thưởng" }
                        p { "Không có giấy chứng nhận nào mang mã " code { (shown) } ". Hãy kiểm tra lại mã in dưới mã QR; giấy không có mã hợp lệ không được hệ thống xác nhận." }
                    }
                    (forms(&ctx, shown))
                },
            ),
        )
            .into_response()
    };
    let Ok(code) = Code::parse(&raw) else {
        return Ok(not_found(&raw));
    };
    if code.as_str() != raw {
        return Ok(super::see_other(&format!("/xac-minh/{code}")));
    }
    let Some(r) = state.store.record_by_certificate(&code).await? else {
        return Ok(not_found(code.as_str()));
    };
    Ok(public_page(
        &format!("Xác minh: {}", r.award_name()),
        &html! {
            h1 { "Xác minh giấy chứng nhận" }
            (status_block(&r))
            section.card { (record_facts(&r, code.as_str())) }
            p.muted.small { "Trang này chỉ cho biết những gì in trên giấy chứng nhận và tình trạng hiện nay của khen thưởng." }
        },
    )
    .into_response())
}

async fn check_upload(
    State(state): State<SharedState>,
    ctx: Ctx,
    mut mp: Multipart,
) -> Result<Response, AppError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await.map_err(|e| AppError::Invalid {
        field: "file",
        message: format!("Không đọc được tệp gửi lên: {e}."),
    })? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tệp").to_owned();
            let bytes = field.bytes().await.map_err(|_| AppError::Invalid {
                field: "file",
                message: format!(
                    "Tệp gửi lên quá lớn (tối đa {} MB).",
                    MAX_CHECK / 1024 / 1024
                ),
            })?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(AppError::Invalid {
            field: "file",
            message: "Chưa chọn tệp PDF.".to_owned(),
        });
    };
    let key = state.store.secrets().certificate_public_key();
    let verdict = check_file(Some(&state.store), &key, &bytes).await?;
    let ok = matches!(verdict, Verdict::Valid { .. });
    let body = html! {
        h1 { "Kết quả kiểm tra tệp" }
        p.muted { "Tệp: " code { (name) } }
        @match &verdict {
            Verdict::Valid { records, .. } | Verdict::Revoked { records, .. } => {
                @for (code, r) in records {
                    (status_block(r))
                    section.card {
                        p.small.muted { "Chữ ký số của tệp khớp với nội dung: tệp không bị sửa." }
                        (record_facts(r, code))
                    }
                }
            }
            _ => {
                div.status.revoked #status role="status" {
                    strong { "Không hợp lệ" }
                    p { (verdict.message()) }
                }
            }
        }
        (forms(&ctx, ""))
    };
    let status = if ok || matches!(verdict, Verdict::Revoked { .. }) {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, public_page("Kết quả kiểm tra tệp", &body)).into_response())
}

async fn public_key_pem(State(state): State<SharedState>) -> Response {
    let key = state.store.secrets().certificate_public_key();
    (
        [
            (header::CONTENT_TYPE, "application/x-pem-file"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tdkt-khoa-cong-khai.pem\"",
            ),
        ],
        seal::public_key_pem(&key),
    )
        .into_response()
}

async fn public_key_page(State(state): State<SharedState>) -> Markup {
    let key = state.store.secrets().certificate_public_key();
    let pem = seal::public_key_pem(&key);
    public_page(
        "Khóa công khai ký giấy chứng nhận",
        &html! {
            h1 { "Khóa công khai ký giấy chứng nhận" }
            p { "Mọi giấy chứng nhận khen thưởng (PDF) do hệ thống cấp được ký bằng chữ ký số Ed25519. Với khóa công khai dưới đây, bất kỳ ai cũng kiểm tra được một tệp mà không cần kết nối tới hệ thống." }
            section.card {
                dl.facts {
                    dt { "Thuật toán" } dd { "Ed25519 (RFC 8032)" }
                    dt { "Mã khóa" } dd { code #key-id { (seal::key_id(&key)) } }
                    dt { "Dạng hex" } dd { code.wrap { (hex::encode(key.as_bytes())) } }
                }
                pre.key #pem { (pem) }
                p { a href="/xac-minh/khoa-cong-khai.pem" download { "Tải tệp khóa (PEM)" } }
            }
            section.card {
                h2 { "Kiểm tra ngoại tuyến" }
                p { "Dòng cuối cùng của tệp PDF là chữ ký, dạng:" }
                pre.key { "%TDKT-SIG v1 ed25519 <mã khóa> <mã xác minh> <chữ ký base64>" }
                p { "Phần được ký là toàn bộ tệp từ byte đầu tiên đến hết dấu cách đứng trước chữ ký (gồm cả mã khóa và mã xác minh). Với OpenSSL 3:" }
                pre.key { "tail -n 1 giay.pdf | awk '{print $NF}' | base64 -d > chu-ky.bin\nhead -c -\"$(tail -n 1 giay.pdf | awk '{print length($NF)+1}')\" giay.pdf > phan-ky.bin\nopenssl pkeyutl -verify -pubin -inkey tdkt-khoa-cong-khai.pem \\\n  -rawin -in phan-ky.bin -sigfile chu-ky.bin" }
                p { "Kết quả «Signature Verified Successfully» nghĩa là tệp không bị sửa. Muốn biết khen thưởng còn hiệu lực hay đã bị hủy bỏ, tra cứu mã xác minh tại trang " a href="/xac-minh" { "Xác minh" } " hoặc dùng lệnh " code { "tdkt certificate verify giay.pdf" } "." }
            }
        },
    )
}
