//! The page shell: navigation, the signed-in user, a phone-friendly layout.
//! Every page goes through [`Ctx::page`], so CSRF tokens and escaping are
//! never forgotten.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use maud::{html, Markup, DOCTYPE};
use tdkt_core::access::{Principal, Role};

use crate::auth::CurrentUser;
use crate::csrf::{CsrfToken, CSRF_FIELD};
use crate::{AppError, SharedState};

/// What every page handler needs: who, the CSRF token, where.
pub struct Ctx {
    pub user: CurrentUser,
    pub csrf: String,
    pub path: String,
}

impl FromRequestParts<SharedState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        Ok(Self { user, csrf, path })
    }
}

impl Ctx {
    #[must_use]
    pub fn principal(&self) -> Option<&Principal> {
        self.user.0.as_ref()
    }

    /// The principal or a redirect to login.
    ///
    /// # Errors
    /// Not signed in.
    pub fn require(&self) -> Result<&Principal, AppError> {
        self.user.require(&self.path)
    }

    /// The hidden CSRF field every form must carry.
    #[must_use]
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name=(CSRF_FIELD) value=(self.csrf); }
    }

    /// A full page with navigation.
    #[must_use]
    pub fn page(&self, title: &str, body: Markup) -> Markup {
        self.page_with_head(title, html! {}, body)
    }

    /// As [`Ctx::page`], with more in the `head` (a refresh for pages that
    /// follow a task without script).
    #[must_use]
    #[expect(
        clippy::needless_pass_by_value,
        reason = "maud's layout idiom: a page takes its parts by value, so callers hand `html! {…}` straight in"
    )]
    pub fn page_with_head(&self, title: &str, extra_head: Markup, body: Markup) -> Markup {
        let nav = [
            ("/", "Trang chủ"),
            ("/units", "Đơn vị"),
            ("/people", "Cán bộ, cá nhân"),
            ("/clusters", "Cụm, khối"),
            ("/movements", "Phong trào"),
            ("/scoring", "Chấm điểm"),
            ("/ballots", "Bỏ phiếu kín"),
            ("/dossiers", "Hồ sơ khen thưởng"),
            ("/search", "Tra cứu khen thưởng"),
            ("/decisions", "Quyết định"),
        ];
        html! {
            (DOCTYPE)
            html lang="vi" {
                (head(title, extra_head))
                body {
                    header.top #top {
                        a.brand href="/" { "tdkt" span.sub { " · Thi đua, khen thưởng" } }
                        // On a phone the navigation folds behind this button
                        // (app.js opens it; without script it stays unfolded).
                        button.menu-toggle type="button" aria-expanded="false" aria-controls="site-menu" { "☰ Trình đơn" }
                        div.menu #site-menu {
                        nav aria-label="Điều hướng chính" {
                            @for (href, label) in nav {
                                a href=(href) aria-current=[self.current(href)] { (label) }
                            }
                            @if self.principal().is_some_and(|p| p.role == Role::Admin) {
                                a href="/admin/audit" aria-current=[self.current("/admin/audit")] { "Nhật ký" }
                                a href="/admin/rules" aria-current=[self.current("/admin/rules")] { "Quy tắc" }
                            }
                            // The user guide, one page per role (issue 15).
                            a.help href=(guide_for(self.principal())) aria-current=[self.current("/huong-dan")] { "Hướng dẫn" }
                        }
                        div.who {
                            @if let Some(p) = self.principal() {
                                span title=(p.role.label()) { (p.full_name) }
                                form method="post" action="/logout" {
                                    (self.csrf_field())
                                    button.link type="submit" { "Đăng xuất" }
                                }
                            } @else {
                                a href={ "/login?next=" (crate::error::urlencode(&self.path)) } { "Đăng nhập" }
                            }
                        }
                        }
                    }
                    main {
                        @if let Some(msg) = crate::saved::message(&self.path) {
                            div.notice role="status" { (msg) }
                        }
                        (body)
                    }
                    footer { "tdkt — Luật Thi đua, khen thưởng 06/2022/QH15 · Giờ Việt Nam (UTC+7)" }
                }
            }
        }
    }

    fn current(&self, href: &str) -> Option<&'static str> {
        let here = self.path.split('?').next().unwrap_or("/");
        let hit = if href == "/" {
            here == "/"
        } else {
            here.starts_with(href)
        };
        hit.then_some("page")
    }
}

/// The help menu's link: the guide's page for the signed-in role, the
/// index for a visitor. A viewer account is how a leader reads tdkt.
fn guide_for(p: Option<&Principal>) -> &'static str {
    match p.map(|p| p.role) {
        Some(Role::Admin) => "/huong-dan/quan-tri",
        Some(Role::Officer) => "/huong-dan/can-bo-tdkt",
        Some(Role::Submitter) => "/huong-dan/don-vi-nop-ho-so",
        Some(Role::Council) => "/huong-dan/thanh-vien-hoi-dong",
        Some(Role::Viewer) => "/huong-dan/lanh-dao",
        None => "/huong-dan",
    }
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "maud's layout idiom: a page takes its parts by value, so callers hand `html! {…}` straight in"
)]
fn head(title: &str, extra: Markup) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · tdkt" }
            link rel="stylesheet" href="/static/app.css";
            script src="/static/app.js" defer {}
            (extra)
        }
    }
}

/// A page without navigation (errors rendered outside a handler context).
#[must_use]
#[expect(
    clippy::needless_pass_by_value,
    reason = "maud's layout idiom: a page takes its parts by value, so callers hand `html! {…}` straight in"
)]
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            (head(title, html! {}))
            body {
                header.top { a.brand href="/" { "tdkt" span.sub { " · Thi đua, khen thưởng" } } }
                main { (body) }
            }
        }
    }
}

/// A validation message block for a form that was refused: the reason,
/// and the field by the label a person sees on the form (never its code).
/// `data-field` lets app.js mark and focus the input it names.
#[must_use]
pub fn form_error(err: Option<&AppError>) -> Markup {
    let field = match err {
        Some(AppError::Invalid { field, .. } | AppError::Conflict(_, field)) => Some(*field),
        _ => None,
    };
    html! {
        @if let Some(e) = err {
            div.alert role="alert" data-field=[field] {
                (e.to_string())
                @if let Some(label) = field.and_then(field_label) { " " span.muted { "(ô «" (label) "»)" } }
            }
        }
    }
}

/// The Vietnamese label of a form field named in an error, where one name
/// means one thing on every form; `None` leaves the message to speak alone
/// (it already names what is wrong, e.g. the indicator).
#[must_use]
pub fn field_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" | "full_name" => "Tên",
        "year" => "Năm",
        "period" => "Kỳ báo cáo",
        "value" => "Số liệu",
        "target" => "Chỉ tiêu đăng ký",
        "signed_on" => "Ngày ký",
        "due_on" => "Hạn báo cáo",
        "file" | "xlsx" => "Tệp",
        "unit" => "Đơn vị",
        "parent" => "Đơn vị cấp trên",
        "scope" => "Phạm vi",
        "from" | "valid_from" => "Từ ngày",
        "valid_to" => "Đến ngày",
        "effective_date" => "Ngày hiệu lực",
        "recipients" => "Nơi nhận",
        "voters" => "Người bỏ phiếu",
        "organizer" => "Đơn vị tổ chức",
        "indicator" => "Mã chỉ tiêu",
        "level" => "Cấp",
        "kind" => "Loại",
        "password" => "Mật khẩu",
        "username" => "Tên đăng nhập",
        "content" => "Nội dung",
        "months" => "Số tháng",
        "percent" => "Tỷ lệ",
        "rating" => "Xếp loại",
        "nominee" => "Người được đề nghị",
        "leader" => "Cụm trưởng",
        "deputy" => "Cụm phó",
        "quorum" => "Tỷ lệ cử tri tham gia tối thiểu",
        "quotas" => "Số lượng được đề nghị",
        "rubric" => "Bảng tiêu chí chấm điểm",
        "birth_date" | "born_on" => "Ngày sinh",
        "gender" => "Giới tính",
        "cccd" => "Số CCCD",
        _ => return None,
    })
}

/// The confirmations after a save live in their own module; re-exported
/// here, where pages are dressed, for callers that name it so.
pub use crate::saved::SAVED;

pub const CSS: &str = include_str!("../static/app.css");
/// The only script: small conveniences, none needed (see the file).
pub const JS: &str = include_str!("../static/app.js");
