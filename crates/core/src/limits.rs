//! Length limits of free text typed into forms and sent to the API (issue
//! 12, item 14): one table, by field name, so that a 100 kB title is
//! refused at the door with the field named, not stored and shown on every
//! page. Lengths count characters (Vietnamese letters with diacritics are
//! one character each, whatever their bytes).
//!
//! The web layer (`tdkt_web::limits`) checks every field of every
//! url-encoded form, query string and JSON body against [`check`]. A field
//! not in the table gets [`DEFAULT_MAX`]. File uploads (multipart) are
//! outside: import cells have their own limits.

use crate::DomainError;

/// One limit: the field's machine name (as in the forms and the API), its
/// Vietnamese label and the most characters it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub field: &'static str,
    pub label: &'static str,
    pub max: usize,
}

const fn l(field: &'static str, label: &'static str, max: usize) -> Limit {
    Limit { field, label, max }
}

/// The most characters of a field not in [`LIMITS`].
pub const DEFAULT_MAX: usize = 1_000;

/// The limits, by field name.
pub const LIMITS: &[Limit] = &[
    // names and titles: one line
    l("title", "Tiêu đề", 300),
    l("item_title", "Nội dung mục", 300),
    l("name", "Tên", 300),
    l("full_name", "Họ và tên", 150),
    l("context", "Bối cảnh", 300),
    l("position", "Chức vụ", 200),
    l("new_value", "Giá trị mới", 300),
    l("authority", "Cấp quyết định", 300),
    l("decision_no", "Số quyết định", 100),
    l("decision", "Quyết định", 300),
    l("minutes_ref", "Số biên bản", 300),
    l("source", "Nguồn", 300),
    // codes and keys
    l("code", "Mã", 100),
    l("unit", "Mã đơn vị", 100),
    l("parent", "Mã đơn vị cấp trên", 100),
    l("cluster", "Mã cụm", 100),
    l("award", "Danh hiệu", 100),
    l("username", "Tên đăng nhập", 100),
    l("password", "Mật khẩu", 1_024),
    l("cccd", "Số CCCD", 20),
    l("q", "Từ khóa tìm kiếm", 200),
    l("csrf_token", "Mã chống giả mạo", 200),
    // paragraphs
    l("reason", "Lý do", 2_000),
    l("ground", "Căn cứ", 2_000),
    l("note", "Ghi chú", 2_000),
    l("achievement", "Thành tích", 5_000),
    // a public comment on a disclosure (core::dossier::disclosure)
    l(
        "comment",
        "Nội dung ý kiến",
        crate::dossier::disclosure::MAX_COMMENT,
    ),
    l(
        "author",
        "Họ và tên người góp ý",
        crate::dossier::disclosure::MAX_AUTHOR,
    ),
    l(
        "contact",
        "Thông tin liên hệ",
        crate::dossier::disclosure::MAX_CONTACT,
    ),
    l("description", "Mô tả", 10_000),
    l("report_text", "Nội dung báo cáo thành tích", 50_000),
    // lists typed one item a line
    l("candidates", "Danh sách ứng viên", 20_000),
    l("voters", "Danh sách cử tri", 20_000),
    l("members", "Danh sách thành viên", 20_000),
    l("scope", "Phạm vi", 20_000),
    l("bands", "Bậc xếp loại", 5_000),
    l("quotas", "Tỷ lệ, số lượng", 5_000),
    l("targets", "Chỉ tiêu", 50_000),
    // documents pasted whole (a rubric, a rule pack)
    l("json", "Bảng tiêu chí (JSON)", 200_000),
    l("rules", "Bộ quy tắc", 200_000),
    // a spreadsheet sent as base64 in a form (a rubric's XLSX): the form's
    // size limit (2 MiB) is the real bound
    l("xlsx_b64", "Tệp Excel", 3_000_000),
];

/// The limit of `field`: its row of [`LIMITS`], or [`DEFAULT_MAX`].
#[must_use]
pub fn limit_of(field: &str) -> Option<&'static Limit> {
    LIMITS.iter().find(|l| l.field == field)
}

/// Refuses `value` when it is longer than `field` takes, naming the field
/// (label and name), its length and the limit.
///
/// # Errors
/// The value is too long.
pub fn check(field: &str, value: &str) -> Result<(), DomainError> {
    let (name, label, max) = match limit_of(field) {
        Some(l) => (l.field, Some(l.label), l.max),
        None => ("text", None, DEFAULT_MAX),
    };
    if value.len() <= max {
        return Ok(()); // no more bytes than the limit: no more characters
    }
    let len = value.chars().count();
    if len <= max {
        return Ok(());
    }
    let what = match label {
        Some(label) => format!("Trường «{label}» ({field})"),
        None => format!("Trường «{field}»"),
    };
    Err(DomainError::invalid(
        name,
        format!(
            "{what} dài {} ký tự, vượt quá giới hạn {} ký tự: hãy rút gọn.",
            crate::number::format_decimal(rust_decimal::Decimal::from(len), 0),
            crate::number::format_decimal(rust_decimal::Decimal::from(max), 0)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_is_refused_naming_the_field() {
        let e = check("title", &"a".repeat(100_000)).unwrap_err();
        assert_eq!(e.field(), "title");
        assert!(e.message().contains("«Tiêu đề» (title)"), "{e}");
        assert!(e.message().contains("100.000 ký tự"), "{e}");
        assert!(e.message().contains("300 ký tự"), "{e}");
        assert!(
            check("title", &"ệ".repeat(300)).is_ok(),
            "characters, not bytes"
        );
        assert!(check("title", &"ệ".repeat(301)).is_err());
    }

    #[test]
    fn a_field_not_in_the_table_has_the_default_limit_and_is_named() {
        assert!(check("quorum_num", &"1".repeat(DEFAULT_MAX)).is_ok());
        let e = check("quorum_num", &"1".repeat(DEFAULT_MAX + 1)).unwrap_err();
        assert!(e.message().contains("«quorum_num»"), "{e}");
    }

    #[test]
    fn every_field_is_listed_once() {
        let mut names: Vec<&str> = LIMITS.iter().map(|l| l.field).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
