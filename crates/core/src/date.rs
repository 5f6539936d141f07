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

/// A stored instant (RFC 3339) in Việt Nam time; `None` if it is not one.
#[must_use]
pub fn instant_vn(rfc3339: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.to_offset(VN_OFFSET))
}

/// A stored instant (RFC 3339, UTC) as a person reads it on a page:
/// `03/12/2026 21:30`, Việt Nam time, fixed width so a column lines up.
/// Text that is not an instant is returned as it is.
#[must_use]
pub fn format_instant_vn(rfc3339: &str) -> String {
    let Some(t) = instant_vn(rfc3339) else {
        return rfc3339.to_owned();
    };
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// A stored value as a person reads it: an instant (RFC 3339) or an ISO day
/// (`YYYY-MM-DD`) in the Vietnamese form, any other text as it is. For
/// recorded values whose kind is not known in advance (the audit log).
#[must_use]
pub fn readable(stored: &str) -> String {
    let b = stored.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let Ok(d) = parse(stored) {
            return format_vn(d);
        }
    }
    format_instant_vn(stored)
}

/// The first instant (UTC, RFC 3339) of a Việt Nam civil day: where a
/// "from this date" filter over stored instants starts.
#[must_use]
pub fn day_start_utc(d: Date) -> String {
    let t = d
        .midnight()
        .assume_offset(VN_OFFSET)
        .to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:00Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
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
    fn recorded_values_read_as_dates_only_when_they_are_dates() {
        assert_eq!(readable("2026-12-31T17:00:00Z"), "01/01/2027 00:00");
        assert_eq!(readable("2026-07-10"), "10/7/2026");
        assert_eq!(readable("2026-13-10"), "2026-13-10");
        assert_eq!(readable("tay-nam-bo-moi"), "tay-nam-bo-moi");
        assert_eq!(readable("15/QĐ-UBND"), "15/QĐ-UBND");
    }

    #[test]
    fn instants_read_in_viet_nam_time() {
        assert_eq!(
            format_instant_vn("2026-12-03T14:30:45.317467637Z"),
            "03/12/2026 21:30"
        );
        assert_eq!(
            format_instant_vn("2026-12-31T17:00:00Z"),
            "01/01/2027 00:00"
        );
        assert_eq!(format_instant_vn("không phải"), "không phải");
        assert_eq!(day_start_utc(date!(2027 - 01 - 01)), "2026-12-31T17:00:00Z");
    }

    #[test]
    fn parses_both_forms() {
        assert_eq!(parse("2025-07-01").unwrap(), date!(2025 - 07 - 01));
        assert_eq!(parse("1/7/2025").unwrap(), date!(2025 - 07 - 01));
        assert!(parse("31/02/2025").is_err());
        assert!(parse("hôm qua").is_err());
    }
}
