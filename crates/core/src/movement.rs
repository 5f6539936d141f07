//! Movements (*phong trào thi đua*): regular (annual) and thematic ones,
//! and peak campaigns (*đợt thi đua cao điểm*) with an exact window, and
//! the registrations (*đăng ký thi đua*) of units and people.
//!
//! Điều 16 Luật TĐKT 2022: thi đua thường xuyên and thi đua theo chuyên
//! đề; a peak campaign is a thematic movement with a short, hard window
//! (e.g. *“Vùng xanh”* from 00:00 9/8/2021 to 00:00 23/8/2021). Windows are
//! instants: entered and shown in Asia/Ho_Chi_Minh time, stored in UTC.

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::catalogue::{AwardKind, Catalogue, Recipient};
use crate::date::{format_vn, VN_OFFSET};
use crate::error::DomainError;
use crate::pledge::Key;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Thi đua thường xuyên (hằng năm).
    Regular,
    /// Thi đua theo chuyên đề.
    Thematic,
    /// Đợt thi đua cao điểm: a thematic movement with a short hard window.
    Peak,
}

impl MovementKind {
    pub const ALL: [Self; 3] = [Self::Regular, Self::Thematic, Self::Peak];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Regular => "regular",
            Self::Thematic => "thematic",
            Self::Peak => "peak",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Regular => "Thi đua thường xuyên",
            Self::Thematic => "Thi đua theo chuyên đề",
            Self::Peak => "Đợt thi đua cao điểm",
        }
    }

    /// `regular`/`thường xuyên`, `thematic`/`chuyên đề`, `peak`/`cao điểm`.
    ///
    /// # Errors
    /// A Vietnamese reason naming the field `kind`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match text::fold(s).as_str() {
            "regular" | "thuong xuyen" => Ok(Self::Regular),
            "thematic" | "chuyen de" => Ok(Self::Thematic),
            "peak" | "cao diem" => Ok(Self::Peak),
            _ => Err(DomainError::invalid(
                "kind",
                format!("Loại phong trào «{s}» không hợp lệ."),
            )),
        }
    }
}

/// The half-open window `[starts, ends)` of a movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub starts: OffsetDateTime,
    pub ends: OffsetDateTime,
}

/// Reads a Việt Nam local time: `2021-08-09T00:00` (a browser's
/// `datetime-local`), `2021-08-09 00:00`, `00:00 9/8/2021` or a bare date
/// (midnight).
///
/// # Errors
/// A Vietnamese message naming the accepted forms.
pub fn parse_local(s: &str) -> Result<OffsetDateTime, String> {
    let s = s.trim();
    let bad =
        || format!("thời điểm «{s}» không hợp lệ (dạng 00:00 09/8/2021 hoặc 2021-08-09T00:00)");
    let (date_part, time_part) = if let Some((d, t)) = s.split_once('T') {
        (d, Some(t))
    } else {
        let parts: Vec<&str> = s.split_whitespace().collect();
        match parts.as_slice() {
            [d] => (*d, None),
            [a, b] if a.contains(':') => (*b, Some(*a)),
            [a, b] => (*a, Some(*b)),
            _ => return Err(bad()),
        }
    };
    let date = crate::date::parse(date_part).map_err(|_| bad())?;
    let time = match time_part {
        None => Time::MIDNIGHT,
        Some(t) => {
            let mut it = t.split(':');
            let h: u8 = it.next().and_then(|x| x.parse().ok()).ok_or_else(bad)?;
            let m: u8 = it
                .next()
                .map_or(Some(0), |x| x.parse().ok())
                .ok_or_else(bad)?;
            Time::from_hms(h, m, 0).map_err(|_| bad())?
        }
    };
    Ok(PrimitiveDateTime::new(date, time).assume_offset(VN_OFFSET))
}

/// `00:00 09/8/2021`, in Việt Nam time.
#[must_use]
pub fn format_local(t: OffsetDateTime) -> String {
    let t = t.to_offset(VN_OFFSET);
    format!("{:02}:{:02} {}", t.hour(), t.minute(), format_vn(t.date()))
}

/// `2021-08-09T00:00`, for a browser's `datetime-local` input.
#[must_use]
pub fn input_local(t: OffsetDateTime) -> String {
    let t = t.to_offset(VN_OFFSET);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// RFC 3339 in UTC, as the store keeps instants.
#[must_use]
pub fn to_utc_text(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// # Errors
/// Text that is not RFC 3339.
pub fn from_utc_text(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| format!("thời điểm lưu trữ «{s}»: {e}"))
}

impl Window {
    /// # Errors
    /// The end is not after the start.
    pub fn new(starts: OffsetDateTime, ends: OffsetDateTime) -> Result<Self, DomainError> {
        if ends <= starts {
            return Err(DomainError::invalid(
                "ends",
                "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
            ));
        }
        Ok(Self { starts, ends })
    }

    /// The calendar year in Việt Nam: from 00:00 1/1 to 00:00 1/1 of the
    /// next year (a regular movement).
    #[must_use]
    pub fn year(y: i32) -> Option<Self> {
        let at = |y| {
            Date::from_calendar_date(y, Month::January, 1)
                .ok()
                .map(|d| PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(VN_OFFSET))
        };
        Some(Self {
            starts: at(y)?,
            ends: at(y + 1)?,
        })
    }

    #[must_use]
    pub fn contains(&self, t: OffsetDateTime) -> bool {
        self.starts <= t && t < self.ends
    }

    /// Whether a registration (*đăng ký thi đua*) made at `at` is accepted:
    /// from the launch, which may precede the window (units register when
    /// the movement is launched, to commit to its targets), until the window
    /// closes. A registration after the end commits to nothing, so it is
    /// refused. No article fixes the registration period (the movement's
    /// plan does, Điều 16 Luật Thi đua, khen thưởng 2022 on organising
    /// movements); the window the officer entered is that plan's.
    ///
    /// # Errors
    /// `at` is at or after the end, with the window in the message.
    pub fn check_registration(&self, at: OffsetDateTime) -> Result<(), DomainError> {
        if at < self.ends {
            return Ok(());
        }
        Err(DomainError::invalid(
            "movement",
            format!(
                "Phong trào đã kết thúc ({}): không nhận đăng ký thi đua sau khi kết thúc.",
                self.label()
            ),
        ))
    }

    /// `từ 00:00 ngày 09/8/2021 đến 00:00 ngày 23/8/2021`.
    #[must_use]
    pub fn label(&self) -> String {
        let part = |t: OffsetDateTime| {
            let t = t.to_offset(VN_OFFSET);
            format!(
                "{:02}:{:02} ngày {}",
                t.hour(),
                t.minute(),
                format_vn(t.date())
            )
        };
        format!("từ {} đến {}", part(self.starts), part(self.ends))
    }
}

/// A movement as entered by an officer.
#[derive(Debug, Clone)]
pub struct NewMovement {
    pub code: Key,
    pub name: String,
    pub kind: MovementKind,
    pub window: Window,
    pub description: String,
}

impl NewMovement {
    /// Parses the form; a regular movement without times spans the year of
    /// its start.
    ///
    /// # Errors
    /// The first invalid field, in Vietnamese.
    pub fn parse(
        code: &str,
        name: &str,
        kind: &str,
        starts: &str,
        ends: &str,
        description: &str,
    ) -> Result<Self, DomainError> {
        let code = Key::parse(code)
            .map_err(|m| DomainError::invalid("code", format!("Mã phong trào: {m}.")))?;
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(DomainError::invalid(
                "name",
                "Tên phong trào không được để trống.",
            ));
        }
        let kind = MovementKind::parse(kind)?;
        let starts = parse_local(starts).map_err(|m| DomainError::invalid("starts", m))?;
        let window = if ends.trim().is_empty() && kind == MovementKind::Regular {
            Window::year(starts.to_offset(VN_OFFSET).year())
                .ok_or_else(|| DomainError::invalid("starts", "Năm không hợp lệ."))?
        } else {
            let ends = parse_local(ends).map_err(|m| DomainError::invalid("ends", m))?;
            Window::new(starts, ends)?
        };
        Ok(Self {
            code,
            name,
            kind,
            window,
            description: description.trim().to_owned(),
        })
    }
}

/// The titles a unit or person registers for: codes of the catalogue's
/// *danh hiệu thi đua* that the recipient may receive (Điều 2, Điều 3 Luật
/// TĐKT 2022), without duplicates, at least one.
///
/// # Errors
/// An unknown code, a form of commendation instead of a title, a title the
/// recipient cannot receive.
pub fn check_titles(
    catalogue: &Catalogue,
    codes: &[String],
    recipient: Recipient,
) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for c in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let Some(a) = catalogue.get(c) else {
            return Err(DomainError::invalid(
                "titles",
                format!("Danh hiệu «{c}» không có trong danh mục."),
            ));
        };
        if a.kind != AwardKind::Title {
            return Err(DomainError::invalid(
                "titles",
                format!(
                    "«{}» là hình thức khen thưởng, không phải danh hiệu thi đua.",
                    a.name
                ),
            ));
        }
        if !a.accepts(recipient) {
            return Err(DomainError::invalid(
                "titles",
                format!(
                    "Danh hiệu «{}» không dành cho {}.",
                    a.name,
                    recipient.label()
                ),
            ));
        }
        if !out.iter().any(|x| x == c) {
            out.push(c.to_owned());
        }
    }
    if out.is_empty() {
        return Err(DomainError::invalid(
            "titles",
            "Chọn ít nhất một danh hiệu thi đua đăng ký.",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_is_refused_once_the_window_has_closed() {
        let w = Window::new(
            parse_local("2021-08-09T00:00").unwrap(),
            parse_local("2021-08-23T00:00").unwrap(),
        )
        .unwrap();
        // at the launch, before the start, and inside: accepted
        assert!(w
            .check_registration(parse_local("2021-08-01T08:00").unwrap())
            .is_ok());
        assert!(w
            .check_registration(parse_local("2021-08-22T23:59").unwrap())
            .is_ok());
        // the end is excluded, as in [starts, ends)
        let e = w.check_registration(w.ends).unwrap_err();
        assert_eq!(e.field(), "movement");
        assert!(e.to_string().contains("đã kết thúc"), "{e}");
        assert!(w
            .check_registration(parse_local("2026-12-06T10:00").unwrap())
            .is_err());
    }

    #[test]
    fn the_green_zone_window_is_kept_as_utc_instants_and_shown_in_vietnam_time() {
        let m = NewMovement::parse(
            "vung-xanh-2021",
            "Đợt thi đua cao điểm “Vùng xanh”",
            "cao điểm",
            "00:00 9/8/2021",
            "2021-08-23T00:00",
            "",
        )
        .unwrap();
        assert_eq!(m.kind, MovementKind::Peak);
        assert_eq!(to_utc_text(m.window.starts), "2021-08-08T17:00:00Z");
        assert_eq!(to_utc_text(m.window.ends), "2021-08-22T17:00:00Z");
        assert_eq!(
            m.window.label(),
            "từ 00:00 ngày 09/8/2021 đến 00:00 ngày 23/8/2021"
        );
        let back = from_utc_text("2021-08-08T17:00:00Z").unwrap();
        assert_eq!(format_local(back), "00:00 09/8/2021");
        assert_eq!(input_local(back), "2021-08-09T00:00");
        assert!(m.window.contains(back));
        assert!(!m.window.contains(m.window.ends));
    }

    #[test]
    fn a_window_must_end_after_it_starts_and_a_regular_movement_spans_its_year() {
        let e = NewMovement::parse("x", "X", "peak", "2021-08-23", "2021-08-09", "").unwrap_err();
        assert_eq!(e.field(), "ends");
        let m = NewMovement::parse(
            "tx-2024",
            "Thi đua thường xuyên 2024",
            "regular",
            "1/1/2024",
            "",
            "",
        )
        .unwrap();
        assert_eq!(
            m.window.label(),
            "từ 00:00 ngày 01/01/2024 đến 00:00 ngày 01/01/2025"
        );
        assert!(parse_local("25:00 9/8/2021").is_err());
    }

    #[test]
    fn registrations_take_titles_the_recipient_may_receive() {
        let cat = Catalogue::embedded();
        let ok = check_titles(
            &cat,
            &["lao-dong-tien-tien".into(), "lao-dong-tien-tien".into()],
            Recipient::Individual,
        )
        .unwrap();
        assert_eq!(ok, vec!["lao-dong-tien-tien".to_owned()]);
        assert!(check_titles(
            &cat,
            &["tap-the-lao-dong-xuat-sac".into()],
            Recipient::Individual
        )
        .is_err());
        assert!(check_titles(
            &cat,
            &["huan-chuong-sao-vang".into()],
            Recipient::Collective
        )
        .is_err());
        assert!(check_titles(&cat, &["khong-co".into()], Recipient::Collective).is_err());
        assert!(check_titles(&cat, &[], Recipient::Collective).is_err());
    }
}
