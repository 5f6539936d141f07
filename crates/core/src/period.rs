//! Reporting periods: a year, a half, a quarter, a month, or the exact window
//! of a peak campaign (*đợt thi đua cao điểm*, e.g. *“Vùng xanh”* from 00:00
//! 9/8/2021 to 00:00 23/8/2021). Clusters report indicators per period and
//! hold their mid-year review (*sơ kết 6 tháng đầu năm*) and year-end review
//! (*tổng kết năm*) on them.
//!
//! Textual forms, also the serde form: `2019`, `2019-H1`, `2019-Q2`,
//! `2019-03`, and for a window two local times in Asia/Ho_Chi_Minh joined by
//! a slash, ISO 8601 interval style: `2021-08-09T00:00/2021-08-23T00:00`
//! (start included, end excluded).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::date::{format_vn, VN_OFFSET};

/// A reporting period. Build it with [`Period::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Year(i32),
    /// `half` is 1 or 2.
    Half {
        year: i32,
        half: u8,
    },
    /// `quarter` is 1 to 4.
    Quarter {
        year: i32,
        quarter: u8,
    },
    Month {
        year: i32,
        month: Month,
    },
    /// Local wall-clock times in Việt Nam; `start < end`, end excluded.
    Window {
        start: PrimitiveDateTime,
        end: PrimitiveDateTime,
    },
}

/// A period that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("kỳ báo cáo «{input}» không hợp lệ: {reason} (dạng 2019, 2019-H1, 2019-Q2, 2019-03 hoặc 2021-08-09T00:00/2021-08-23T00:00)")]
pub struct ParsePeriodError {
    pub input: String,
    pub reason: String,
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

impl Period {
    /// Reads any of the textual forms of the module documentation; case is
    /// forgiven (`2019-h1`). A window may also be given as two dates
    /// (`2021-08-09/2021-08-23`, meaning 00:00 of each).
    ///
    /// # Errors
    /// [`ParsePeriodError`] with the reason in Vietnamese.
    pub fn parse(input: &str) -> Result<Self, ParsePeriodError> {
        let s = input.trim();
        let err = |reason: &str| ParsePeriodError {
            input: s.to_owned(),
            reason: reason.to_owned(),
        };
        if let Some((a, b)) = s.split_once('/') {
            let start = parse_local(a).ok_or_else(|| err("thời điểm bắt đầu sai"))?;
            let end = parse_local(b).ok_or_else(|| err("thời điểm kết thúc sai"))?;
            if end <= start {
                return Err(err("thời điểm kết thúc phải sau thời điểm bắt đầu"));
            }
            return Ok(Self::Window { start, end });
        }
        let (y, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        let year = parse_year(y).ok_or_else(|| err("năm phải có 4 chữ số, từ 1945 đến 2100"))?;
        let Some(rest) = rest else {
            return Ok(Self::Year(year));
        };
        let number = |r: &str, max: u8| r.parse::<u8>().ok().filter(|n| (1..=max).contains(n));
        match rest.as_bytes().first().map(u8::to_ascii_uppercase) {
            Some(b'H') => number(&rest[1..], 2)
                .map(|half| Self::Half { year, half })
                .ok_or_else(|| err("nửa năm là H1 hoặc H2")),
            Some(b'Q') => number(&rest[1..], 4)
                .map(|quarter| Self::Quarter { year, quarter })
                .ok_or_else(|| err("quý là Q1 đến Q4")),
            _ if rest.len() == 2 => number(rest, 12)
                .and_then(|m| Month::try_from(m).ok())
                .map(|month| Self::Month { year, month })
                .ok_or_else(|| err("tháng là 01 đến 12")),
            _ => Err(err("không nhận ra kỳ")),
        }
    }

    /// The textual form; `Period::parse(&p.code()) == Ok(p)`.
    #[must_use]
    pub fn code(&self) -> String {
        match self {
            Self::Year(y) => format!("{y}"),
            Self::Half { year, half } => format!("{year}-H{half}"),
            Self::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Self::Month { year, month } => format!("{year}-{:02}", u8::from(*month)),
            Self::Window { start, end } => format!("{}/{}", local_code(*start), local_code(*end)),
        }
    }

    /// The year the period belongs to (a window: the year it starts in).
    #[must_use]
    pub fn year(&self) -> i32 {
        match *self {
            Self::Year(year)
            | Self::Half { year, .. }
            | Self::Quarter { year, .. }
            | Self::Month { year, .. } => year,
            Self::Window { start, .. } => start.year(),
        }
    }

    /// First civil day of the period.
    #[must_use]
    pub fn start_date(&self) -> Date {
        let first = |year, month| Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN);
        match *self {
            Self::Year(y) => first(y, Month::January),
            Self::Half { year, half } => first(
                year,
                if half == 1 {
                    Month::January
                } else {
                    Month::July
                },
            ),
            Self::Quarter { year, quarter } => first(
                year,
                Month::try_from(quarter * 3 - 2).unwrap_or(Month::January),
            ),
            Self::Month { year, month } => first(year, month),
            Self::Window { start, .. } => start.date(),
        }
    }

    /// Last civil day of the period, included. A window ending at 00:00
    /// ends the day before (*đến 00 giờ ngày 23/8* leaves 23/8 out).
    #[must_use]
    pub fn end_date(&self) -> Date {
        let last = |year, month: Month| {
            let first = Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN);
            first.replace_day(month.length(year)).unwrap_or(first)
        };
        match *self {
            Self::Year(y) => last(y, Month::December),
            Self::Half { year, half } => last(
                year,
                if half == 1 {
                    Month::June
                } else {
                    Month::December
                },
            ),
            Self::Quarter { year, quarter } => last(
                year,
                Month::try_from(quarter * 3).unwrap_or(Month::December),
            ),
            Self::Month { year, month } => last(year, month),
            Self::Window { end, .. } => {
                if end.time() == Time::MIDNIGHT {
                    end.date().previous_day().unwrap_or(end.date())
                } else {
                    end.date()
                }
            }
        }
    }

    /// The day falls in the period.
    #[must_use]
    pub fn contains(&self, d: Date) -> bool {
        self.start_date() <= d && d <= self.end_date()
    }

    /// The instant falls in the period (for a window: start included, end
    /// excluded; other periods: by the civil day in Việt Nam).
    #[must_use]
    pub fn contains_instant(&self, t: OffsetDateTime) -> bool {
        let local = t.to_offset(VN_OFFSET);
        match *self {
            Self::Window { start, end } => {
                let local = PrimitiveDateTime::new(local.date(), local.time());
                start <= local && local < end
            }
            _ => self.contains(local.date()),
        }
    }

    /// The period lies wholly inside calendar year `y` (a pledge is signed
    /// per cluster-year, so its reports must).
    #[must_use]
    pub fn within_year(&self, y: i32) -> bool {
        self.start_date().year() == y && self.end_date().year() == y
    }

    /// Is this a year-end review (*tổng kết*) rather than a mid-term one
    /// (*sơ kết*)? A whole year or a whole campaign is summed up; parts of a
    /// year are reviewed mid-way.
    #[must_use]
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Year(_) | Self::Window { .. })
    }

    /// The Vietnamese name, as in report titles: `6 tháng đầu năm 2019`,
    /// `quý II/2019`, `tháng 3/2019`, `năm 2019`, `từ 00 giờ 00 ngày
    /// 09/8/2021 đến 00 giờ 00 ngày 23/8/2021`.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Year(y) => format!("năm {y}"),
            Self::Half { year, half: 1 } => format!("6 tháng đầu năm {year}"),
            Self::Half { year, .. } => format!("6 tháng cuối năm {year}"),
            Self::Quarter { year, quarter } => {
                format!("quý {}/{year}", ROMAN[usize::from(quarter - 1) % 4])
            }
            Self::Month { year, month } => format!("tháng {}/{year}", u8::from(*month)),
            Self::Window { start, end } => {
                format!("từ {} đến {}", local_label(*start), local_label(*end))
            }
        }
    }
}

fn parse_year(s: &str) -> Option<i32> {
    (s.len() == 4)
        .then(|| s.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1945..=2100).contains(y))
}

/// `2021-08-09T00:00`, `2021-08-09T07:30`, or a bare date meaning 00:00.
fn parse_local(s: &str) -> Option<PrimitiveDateTime> {
    let s = s.trim();
    let (d, t) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut dp = d.split('-');
    let (y, m, day) = (dp.next()?, dp.next()?, dp.next()?);
    if dp.next().is_some() || m.len() != 2 || day.len() != 2 {
        return None;
    }
    let date = Date::from_calendar_date(
        parse_year(y)?,
        Month::try_from(m.parse::<u8>().ok()?).ok()?,
        day.parse().ok()?,
    )
    .ok()?;
    let time = match t {
        None => Time::MIDNIGHT,
        Some(t) => {
            let (h, mi) = t.split_once(':')?;
            if h.len() != 2 || mi.len() != 2 {
                return None;
            }
            Time::from_hms(h.parse().ok()?, mi.parse().ok()?, 0).ok()?
        }
    };
    Some(PrimitiveDateTime::new(date, time))
}

fn local_code(t: PrimitiveDateTime) -> String {
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

fn local_label(t: PrimitiveDateTime) -> String {
    format!(
        "{:02} giờ {:02} ngày {}",
        t.hour(),
        t.minute(),
        format_vn(t.date())
    )
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for Period {
    type Err = ParsePeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    #[test]
    fn each_form_parses_and_prints_back() {
        for code in [
            "2019",
            "2019-H1",
            "2019-H2",
            "2019-Q1",
            "2019-Q4",
            "2019-03",
            "2019-12",
            "2021-08-09T00:00/2021-08-23T00:00",
        ] {
            assert_eq!(Period::parse(code).unwrap().code(), code);
        }
        assert_eq!(
            Period::parse(" 2019-h1 ").unwrap(),
            Period::Half {
                year: 2019,
                half: 1
            }
        );
        assert_eq!(
            Period::parse("2021-08-09/2021-08-23").unwrap().code(),
            "2021-08-09T00:00/2021-08-23T00:00"
        );
    }

    #[test]
    fn bad_periods_say_why_in_vietnamese() {
        for bad in [
            "2019-H3",
            "2019-Q5",
            "2019-13",
            "19",
            "2019-X",
            "năm ngoái",
            "2021-08-23T00:00/2021-08-09T00:00",
            "2019-3",
        ] {
            let e = Period::parse(bad).unwrap_err();
            assert!(e.to_string().starts_with("kỳ báo cáo"), "{bad}: {e}");
        }
        assert!(Period::parse("2019-H3")
            .unwrap_err()
            .reason
            .contains("H1 hoặc H2"));
    }

    #[test]
    fn labels_read_as_in_reports() {
        let l = |s: &str| Period::parse(s).unwrap().label();
        assert_eq!(l("2019-H1"), "6 tháng đầu năm 2019");
        assert_eq!(l("2019-H2"), "6 tháng cuối năm 2019");
        assert_eq!(l("2019-Q2"), "quý II/2019");
        assert_eq!(l("2019-03"), "tháng 3/2019");
        assert_eq!(l("2019"), "năm 2019");
        assert_eq!(
            l("2021-08-09T00:00/2021-08-23T00:00"),
            "từ 00 giờ 00 ngày 09/8/2021 đến 00 giờ 00 ngày 23/8/2021"
        );
    }

    #[test]
    fn bounds_and_membership() {
        let h1 = Period::parse("2019-H1").unwrap();
        assert_eq!(
            (h1.start_date(), h1.end_date()),
            (date!(2019 - 01 - 01), date!(2019 - 06 - 30))
        );
        assert!(h1.contains(date!(2019 - 06 - 30)) && !h1.contains(date!(2019 - 07 - 01)));
        let feb = Period::parse("2020-02").unwrap();
        assert_eq!(feb.end_date(), date!(2020 - 02 - 29));
        let q3 = Period::parse("2019-Q3").unwrap();
        assert_eq!(
            (q3.start_date(), q3.end_date()),
            (date!(2019 - 07 - 01), date!(2019 - 09 - 30))
        );
        assert!(h1.within_year(2019) && !h1.within_year(2020));
        assert_eq!(h1.year(), 2019);
    }

    #[test]
    fn the_vung_xanh_window_excludes_its_end_instant() {
        let w = Period::parse("2021-08-09T00:00/2021-08-23T00:00").unwrap();
        assert_eq!(w.end_date(), date!(2021 - 08 - 22));
        assert!(w.contains(date!(2021 - 08 - 09)) && !w.contains(date!(2021 - 08 - 23)));
        // 16:59:59 UTC on 22/8 is 23:59:59 in Việt Nam: inside.
        assert!(w.contains_instant(datetime!(2021-08-22 16:59:59 UTC)));
        // 17:00 UTC on 22/8 is 00:00 on 23/8 in Việt Nam: outside.
        assert!(!w.contains_instant(datetime!(2021-08-22 17:00 UTC)));
        assert!(w.within_year(2021) && w.is_final());
        let across = Period::parse("2021-12-20/2022-01-10").unwrap();
        assert!(!across.within_year(2021));
    }

    #[test]
    fn serde_uses_the_textual_form() {
        let p = Period::parse("2019-Q2").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"2019-Q2\"");
        assert_eq!(serde_json::from_str::<Period>("\"2019-Q2\"").unwrap(), p);
        assert!(serde_json::from_str::<Period>("\"2019-Q9\"").is_err());
    }

    proptest! {
        #[test]
        fn codes_round_trip(year in 1945i32..=2100, kind in 0u8..4, n in 1u8..=12) {
            let code = match kind {
                0 => format!("{year}"),
                1 => format!("{year}-H{}", n % 2 + 1),
                2 => format!("{year}-Q{}", n % 4 + 1),
                _ => format!("{year}-{n:02}"),
            };
            let p = Period::parse(&code).unwrap();
            prop_assert_eq!(p.code(), code);
            prop_assert!(p.start_date() <= p.end_date());
            prop_assert!(p.within_year(year));
        }
    }
}
