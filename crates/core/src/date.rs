//! Civil dates in Asia/Ho_Chi_Minh and their Vietnamese written form.

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 1975.
pub const VN_OFFSET: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("UTC+7 is a valid offset"),
};

/// Today's civil date in Việt Nam.
#[must_use]
pub fn today_vn() -> Date {
    OffsetDateTime::now_utc().to_offset(VN_OFFSET).date()
}

/// A date as Vietnamese documents write it: `01/7/2025`, `05/02/2025`,
/// `15/12/2025`.
///
/// Khoản 2 Mục I Phụ lục I Nghị định 30/2020/NĐ-CP (công tác văn thư): days
/// below 10 and the months 1 and 2 take a leading zero, other months do not.
#[must_use]
pub fn format_vn(d: Date) -> String {
    let m = u8::from(d.month());
    if m <= 2 {
        format!("{:02}/{:02}/{}", d.day(), m, d.year())
    } else {
        format!("{:02}/{}/{}", d.day(), m, d.year())
    }
}

/// Parses `YYYY-MM-DD` (ISO) or `d/m/yyyy` (Vietnamese).
///
/// # Errors
/// A Vietnamese message naming the expected forms.
pub fn parse(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let bad = || format!("ngày «{s}» không hợp lệ (dạng YYYY-MM-DD hoặc dd/mm/yyyy)");
    let parts: Vec<&str> = if s.contains('/') {
        s.split('/').collect()
    } else {
        s.split('-').collect()
    };
    if parts.len() != 3 {
        return Err(bad());
    }
    let nums: Vec<i32> = parts
        .iter()
        .map(|p| p.trim().parse::<i32>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let (y, m, d) = if s.contains('/') {
        (nums[2], nums[1], nums[0])
    } else {
        (nums[0], nums[1], nums[2])
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let day = u8::try_from(d).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, day).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn vietnamese_document_dates() {
        assert_eq!(format_vn(date!(2025 - 07 - 01)), "01/7/2025");
        assert_eq!(format_vn(date!(2025 - 02 - 05)), "05/02/2025");
        assert_eq!(format_vn(date!(2025 - 12 - 15)), "15/12/2025");
    }

    #[test]
    fn parses_both_forms() {
        assert_eq!(parse("2025-07-01").unwrap(), date!(2025 - 07 - 01));
        assert_eq!(parse("1/7/2025").unwrap(), date!(2025 - 07 - 01));
        assert!(parse("31/02/2025").is_err());
        assert!(parse("hôm qua").is_err());
    }
}
