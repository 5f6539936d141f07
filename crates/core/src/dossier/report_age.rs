//! How old a dated document may be when its dossier goes up a level.
//!
//! The report of achievements (*báo cáo thành tích*) speaks of achievements
//! up to its date; khoản 9 Điều 33 Nghị định 152/2025/NĐ-CP: "Nội dung
//! thành tích trong báo cáo ... tính đến thời điểm bộ, ban, ngành, tỉnh
//! trình Thủ tướng Chính phủ trước 06 tháng ..., quá thời hạn trên, Bộ Nội
//! vụ không nhận hồ sơ". The limit is data (`max_age_months` of the
//! document kind in `catalogue/ho-so.toml`); this module only counts the
//! months and words the refusal. The decree speaks of state-level dossiers
//! sent to the Prime Minister; issue 14 asks the same limit of every
//! submission ("≤ 6 months old when submitted"), which is what tdkt does.

use time::{Date, Month};

use super::procedure::DocumentKind;
use crate::date::format_vn;
use crate::DomainError;

/// `d` plus `months` calendar months, the day clamped to the month's end
/// (31/8 + 6 months = 28/2 or 29/2).
#[must_use]
pub fn add_months(d: Date, months: u32) -> Date {
    let total = i64::from(u8::from(d.month())) - 1 + i64::from(months);
    let year = d.year() + i32::try_from(total.div_euclid(12)).unwrap_or(0);
    let month = u8::try_from(total.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::December);
    let day = d.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).unwrap_or(d)
}

/// The last day a document of `kind` dated `dated` may go up (`None`: the
/// kind has no limit).
#[must_use]
pub fn valid_until(kind: &DocumentKind, dated: Date) -> Option<Date> {
    kind.max_age_months.map(|m| add_months(dated, m))
}

/// Checks that a document of `kind`, named `file` and dated `dated`, is not
/// older than the kind allows on `on` (the day of the forward).
///
/// # Errors
/// `Invalid("report_date")` naming the file, its date, the limit, the day
/// it lapsed and the article.
pub fn check(kind: &DocumentKind, file: &str, dated: Date, on: Date) -> Result<(), DomainError> {
    let (Some(months), Some(until)) = (kind.max_age_months, valid_until(kind, dated)) else {
        return Ok(());
    };
    if on <= until {
        return Ok(());
    }
    let cite = kind
        .age_citation
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    Err(DomainError::invalid(
        "report_date",
        format!(
            "{} «{file}» lập ngày {} đã quá {months} tháng vào ngày {} (chỉ dùng được đến hết ngày {}){cite}: lập lại báo cáo với thành tích tính đến ngày gần đây rồi chuyển hồ sơ.",
            kind.name,
            format_vn(dated),
            format_vn(on),
            format_vn(until)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn kind() -> DocumentKind {
        DocumentKind {
            code: "bao-cao-thanh-tich".into(),
            name: "Báo cáo thành tích".into(),
            citation: "Điều 36".into(),
            stage: crate::dossier::procedure::Stage::Origin,
            max_age_months: Some(6),
            age_citation: Some("khoản 9 Điều 33 NĐ 152/2025/NĐ-CP".into()),
        }
    }

    #[test]
    fn six_months_to_the_day_is_still_in_time_and_a_day_more_is_not() {
        let k = kind();
        assert!(check(&k, "bc.pdf", date!(2026 - 01 - 15), date!(2026 - 07 - 15)).is_ok());
        let e = check(&k, "bc.pdf", date!(2026 - 01 - 15), date!(2026 - 07 - 16)).unwrap_err();
        assert_eq!(e.field(), "report_date");
        assert!(
            e.message().contains("«bc.pdf» lập ngày 15/01/2026"),
            "{}",
            e.message()
        );
        assert!(
            e.message().contains("quá 6 tháng vào ngày 16/7/2026"),
            "{}",
            e.message()
        );
        assert!(e.message().contains("khoản 9 Điều 33"), "{}", e.message());
    }

    #[test]
    fn the_end_of_a_month_clamps_to_a_shorter_month() {
        assert_eq!(add_months(date!(2025 - 08 - 31), 6), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2027 - 08 - 31), 6), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 11 - 30), 3), date!(2027 - 02 - 28));
    }

    #[test]
    fn a_kind_without_a_limit_never_expires() {
        let mut k = kind();
        k.max_age_months = None;
        assert!(check(&k, "x.pdf", date!(2000 - 01 - 01), date!(2026 - 12 - 01)).is_ok());
    }
}
