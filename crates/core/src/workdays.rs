//! Working days (*ngày làm việc*) for deadlines: a calendar of weekly rest
//! days, fixed public holidays and the days off announced each year, kept as
//! data (`calendar/*.toml`) because Tết, Giỗ Tổ Hùng Vương, the day next to
//! Quốc khánh, compensatory days off (*nghỉ bù*) and swapped working
//! Saturdays (*làm bù*) move every year.
//!
//! # Counting rule
//!
//! A period of N working days "kể từ ngày" an event does not count the day
//! of the event: it starts on the next day (Bộ luật Dân sự 2015 Điều 147:
//! khoản 2, a period set in days does not count its first day; khoản 3, a
//! period that starts with an event starts on the day after the event — the
//! wording seen quoted, the numbering not checked against the code). Each
//! following day that is a working day counts one; the N-th is the due date
//! (the period ends at the end of that day, Điều 148 khoản 1). So from
//! Friday 13/02/2026, 1 working day is Monday 23/02/2026: the weekend and the
//! Tết days off of 14–22/02/2026 do not count. The due date is always a
//! working day, so the rule of Điều 148 khoản 3 (a period ending on a rest day
//! moves to the next working day) never has to apply.
//!
//! A working day is a day that is not a weekly rest day, not a public
//! holiday and not an announced day off — or a rest day announced as a
//! working day (*làm bù*). A date in a year the calendar does not cover is an
//! error, never a guess: without the year's announcement the holidays are
//! not known. A year marked `estimated` (dự kiến, derived from the Labour
//! Code before the announcement) counts, and the answer says so.
//!
//! # Files
//!
//! One file carries the `[calendar]` header (weekly rest days); every file
//! may add `[[fixed]]` holidays, `[[year]]` coverage and `[[day]]` entries,
//! so a province adds a local day off by dropping a file next to the national
//! one. See `docs/rules.md`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month, Weekday};

use crate::catalogue::SourceError;

/// The shipped calendar, compiled into the binary.
pub const EMBEDDED: &[(&str, &str)] = &[(
    "calendar/viet-nam.toml",
    include_str!("../../../calendar/viet-nam.toml"),
)];

/// Longest period accepted, in working days (ten years' worth).
pub const MAX_DAYS: u32 = 2_600;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    calendar: Option<toml::Spanned<RawHeader>>,
    #[serde(default)]
    fixed: Vec<toml::Spanned<RawFixed>>,
    #[serde(default)]
    year: Vec<toml::Spanned<RawYear>>,
    #[serde(default)]
    day: Vec<toml::Spanned<RawDay>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    title: String,
    rest_days: Vec<String>,
    citation: String,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFixed {
    /// `MM-DD`.
    date: String,
    name: String,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i32,
    status: YearStatus,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    date: String,
    /// Last day of a range (inclusive).
    to: Option<String>,
    kind: DayKind,
    name: String,
    source: String,
    #[serde(default)]
    verified: bool,
}

/// How much is known about a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum YearStatus {
    /// The days off were announced (by the Prime Minister, Bộ Nội vụ or Bộ
    /// LĐTBXH) and are entered.
    Announced,
    /// Not announced yet: the entries are derived from the Labour Code
    /// (dự kiến) and an answer crossing the year says so.
    Estimated,
}

/// An entered day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayKind {
    /// A day off (holiday, Tết, nghỉ bù, a weekday swapped off).
    Off,
    /// A rest day worked (làm bù).
    Work,
}

/// A year the calendar covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Year {
    pub status: YearStatus,
    pub source: String,
}

/// A fixed holiday (same day every year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fixed {
    pub month: Month,
    pub day: u8,
    pub name: String,
    pub citation: String,
}

/// An entered day (from a `[[day]]` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub kind: DayKind,
    pub name: String,
    pub source: String,
    pub verified: bool,
}

/// What one date is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum DayType {
    Working,
    /// A rest day announced as a working day.
    SwappedWorking {
        name: String,
        source: String,
    },
    WeeklyRest,
    Holiday {
        name: String,
        source: String,
        verified: bool,
    },
}

impl DayType {
    #[must_use]
    pub fn is_working(&self) -> bool {
        matches!(self, Self::Working | Self::SwappedWorking { .. })
    }
}

/// A working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Calendar {
    pub id: String,
    pub title: String,
    rest: Vec<Weekday>,
    pub rest_citation: String,
    fixed: Vec<Fixed>,
    years: BTreeMap<i32, Year>,
    days: BTreeMap<Date, Entry>,
}

/// Why a working-day answer cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("Ngày {} nằm ngoài lịch ngày nghỉ đã nạp ({}): không tính được ngày làm việc khi chưa biết ngày nghỉ lễ, Tết của năm {}. Thêm năm này vào calendar/*.toml khi có thông báo.", crate::date::format_vn(*date), covered_vn(covered), date.year())]
    OutsideCalendar { date: Date, covered: Vec<i32> },
    #[error("Số ngày làm việc {n} vượt giới hạn {MAX_DAYS}.")]
    TooMany { n: u32 },
}

fn covered_vn(years: &[i32]) -> String {
    if years.is_empty() {
        "chưa có năm nào".to_owned()
    } else {
        format!(
            "có các năm {}",
            years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// A computed due date, with what was skipped on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    pub from: Date,
    pub days: u32,
    pub due: Date,
    /// Holidays and days off passed (weekly rest days are only counted).
    pub holidays: Vec<(Date, String)>,
    /// Weekly rest days passed.
    pub weekends: u32,
    /// Rest days worked that were counted (làm bù).
    pub swapped: Vec<(Date, String)>,
    /// Days used whose entry is not verified against an announcement.
    pub unverified: Vec<(Date, String)>,
    /// Years crossed whose calendar is only estimated.
    pub estimated: Vec<i32>,
}

impl Due {
    /// Vietnamese lines explaining the count; the due date (ISO) last.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "Từ ngày {} (ngày này không tính: khoản 2, khoản 3 Điều 147 Bộ luật Dân sự 2015), cộng {} ngày làm việc.",
            crate::date::format_vn(self.from),
            self.days
        )];
        if self.weekends > 0 {
            out.push(format!("Bỏ qua {} ngày nghỉ hằng tuần.", self.weekends));
        }
        // Consecutive days off with one name are shown as one range.
        let mut i = 0;
        while i < self.holidays.len() {
            let (first, why) = &self.holidays[i];
            let mut j = i;
            while j + 1 < self.holidays.len() && self.holidays[j + 1].1 == *why {
                j += 1;
            }
            let last = self.holidays[j].0;
            if j == i {
                out.push(format!(
                    "Bỏ qua {} ({}): {why}",
                    crate::date::format_vn(*first),
                    weekday_vn(first.weekday())
                ));
            } else {
                out.push(format!(
                    "Bỏ qua {} ngày làm việc từ {} đến {}: {why}",
                    j - i + 1,
                    crate::date::format_vn(*first),
                    crate::date::format_vn(last)
                ));
            }
            i = j + 1;
        }
        for (d, why) in &self.swapped {
            out.push(format!(
                "Tính {} ({}) là ngày làm việc: {why}",
                crate::date::format_vn(*d),
                weekday_vn(d.weekday())
            ));
        }
        for (d, why) in &self.unverified {
            out.push(format!(
                "Lưu ý: ngày {} theo nguồn chưa xác minh ({why}).",
                crate::date::format_vn(*d)
            ));
        }
        for y in &self.estimated {
            out.push(format!(
                "Cảnh báo: lịch nghỉ năm {y} là dự kiến (chưa có thông báo chính thức): kiểm tra lại khi có thông báo."
            ));
        }
        out.push(format!(
            "Hạn: {} ({}).",
            crate::date::format_vn(self.due),
            weekday_vn(self.due.weekday())
        ));
        out.push(self.due.to_string());
        out
    }
}

/// The weekday in Vietnamese.
#[must_use]
pub fn weekday_vn(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "thứ Hai",
        Weekday::Tuesday => "thứ Ba",
        Weekday::Wednesday => "thứ Tư",
        Weekday::Thursday => "thứ Năm",
        Weekday::Friday => "thứ Sáu",
        Weekday::Saturday => "thứ Bảy",
        Weekday::Sunday => "Chủ nhật",
    }
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match crate::text::fold(s).as_str() {
        "monday" | "thu hai" => Weekday::Monday,
        "tuesday" | "thu ba" => Weekday::Tuesday,
        "wednesday" | "thu tu" => Weekday::Wednesday,
        "thursday" | "thu nam" => Weekday::Thursday,
        "friday" | "thu sau" => Weekday::Friday,
        "saturday" | "thu bay" => Weekday::Saturday,
        "sunday" | "chu nhat" => Weekday::Sunday,
        _ => return None,
    })
}

impl Calendar {
    /// Loads `(file name, contents)` pairs.
    ///
    /// # Errors
    /// Every problem with file and line: no `[calendar]` header or two of
    /// them, bad dates, a day outside every declared year, a date entered
    /// twice, a working day (`work`) that is not a rest day.
    #[allow(clippy::too_many_lines)]
    pub fn load(files: &[(&str, &str)]) -> Result<Self, Vec<SourceError>> {
        let mut errors = Vec::new();
        let mut cal = Self::default();
        let mut header: Option<(String, usize)> = None;
        // Days are checked once every year is known.
        let mut pending: Vec<(String, &str, usize, Date, Entry)> = Vec::new();
        for (file, src) in files {
            let raw: RawFile = match toml::from_str(src) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(SourceError::from_toml(file, src, &e));
                    continue;
                }
            };
            let err = |errors: &mut Vec<SourceError>, at: usize, m: String| {
                errors.push(SourceError::at(file, src, at, None, m));
            };
            if let Some(h) = raw.calendar {
                let at = h.span().start;
                let line = crate::catalogue::line_col(src, at).0;
                if let Some((f, l)) = &header {
                    err(
                        &mut errors,
                        at,
                        format!("chỉ một tệp được có [calendar] (đã có ở {f}:{l})."),
                    );
                } else {
                    header = Some(((*file).to_owned(), line));
                    let h = h.into_inner();
                    for d in &h.rest_days {
                        match parse_weekday(d) {
                            Some(w) if !cal.rest.contains(&w) => cal.rest.push(w),
                            Some(_) => {}
                            None => err(
                                &mut errors,
                                at,
                                format!(
                                    "rest_days: «{d}» không phải thứ trong tuần (monday … sunday)."
                                ),
                            ),
                        }
                    }
                    if h.citation.trim().is_empty() {
                        err(
                            &mut errors,
                            at,
                            "[calendar] thiếu citation cho ngày nghỉ hằng tuần.".to_owned(),
                        );
                    }
                    cal.id = h.id;
                    cal.title = h.title;
                    cal.rest_citation = match h.source {
                        Some(s) => format!("{} ({s})", h.citation),
                        None => h.citation,
                    };
                }
            }
            for f in raw.fixed {
                let at = f.span().start;
                let f = f.into_inner();
                let parsed = f.date.split_once('-').and_then(|(m, d)| {
                    let m = Month::try_from(m.parse::<u8>().ok()?).ok()?;
                    let d = d.parse::<u8>().ok()?;
                    // 2001 is not a leap year: 29/02 is refused as a fixed holiday.
                    Date::from_calendar_date(2001, m, d).ok().map(|_| (m, d))
                });
                let Some((month, day)) = parsed else {
                    err(
                        &mut errors,
                        at,
                        format!(
                            "fixed.date «{}» không hợp lệ (dạng MM-DD, ví dụ \"04-30\").",
                            f.date
                        ),
                    );
                    continue;
                };
                if f.citation.trim().is_empty() {
                    err(
                        &mut errors,
                        at,
                        "ngày lễ cố định thiếu citation.".to_owned(),
                    );
                    continue;
                }
                cal.fixed.push(Fixed {
                    month,
                    day,
                    name: f.name,
                    citation: f.citation,
                });
            }
            for y in raw.year {
                let at = y.span().start;
                let y = y.into_inner();
                if !(1990..=2200).contains(&y.year) {
                    err(&mut errors, at, format!("năm {} không hợp lý.", y.year));
                    continue;
                }
                if y.source.trim().is_empty() {
                    err(
                        &mut errors,
                        at,
                        format!("năm {} thiếu source (thông báo nghỉ lễ, Tết).", y.year),
                    );
                    continue;
                }
                if cal.years.contains_key(&y.year) {
                    err(&mut errors, at, format!("năm {} đã khai báo.", y.year));
                    continue;
                }
                cal.years.insert(
                    y.year,
                    Year {
                        status: y.status,
                        source: y.source,
                    },
                );
            }
            for d in raw.day {
                let at = d.span().start;
                let d = d.into_inner();
                let from = match crate::date::parse(&d.date) {
                    Ok(x) => x,
                    Err(m) => {
                        err(&mut errors, at, format!("day.date: {m}"));
                        continue;
                    }
                };
                let to = match d.to.as_deref().map(crate::date::parse).transpose() {
                    Ok(x) => x.unwrap_or(from),
                    Err(m) => {
                        err(&mut errors, at, format!("day.to: {m}"));
                        continue;
                    }
                };
                if to < from || (to - from).whole_days() > 31 {
                    err(
                        &mut errors,
                        at,
                        format!(
                            "khoảng ngày {} – {} không hợp lệ (tối đa 32 ngày, không đảo ngược).",
                            d.date,
                            d.to.unwrap_or_default()
                        ),
                    );
                    continue;
                }
                if d.source.trim().is_empty() {
                    err(
                        &mut errors,
                        at,
                        format!(
                            "ngày {} thiếu source (văn bản thông báo hoặc «nguồn thứ cấp: …»).",
                            d.date
                        ),
                    );
                    continue;
                }
                let mut cur = from;
                loop {
                    pending.push((
                        (*file).to_owned(),
                        src,
                        at,
                        cur,
                        Entry {
                            kind: d.kind,
                            name: d.name.clone(),
                            source: d.source.clone(),
                            verified: d.verified,
                        },
                    ));
                    if cur >= to {
                        break;
                    }
                    let Some(next) = cur.next_day() else { break };
                    cur = next;
                }
            }
        }
        if header.is_none() && errors.is_empty() {
            errors.push(SourceError {
                file: "calendar/".to_owned(),
                line: 1,
                column: 1,
                entry: None,
                message: "không có tệp lịch nào có [calendar] (ngày nghỉ hằng tuần).".to_owned(),
            });
        }
        for (file, src, at, date, entry) in pending {
            let mut err = |m: String| errors.push(SourceError::at(&file, src, at, None, m));
            if !cal.years.contains_key(&date.year()) {
                err(format!(
                    "ngày {} thuộc năm {} chưa khai báo ([[year]]).",
                    crate::date::format_vn(date),
                    date.year()
                ));
                continue;
            }
            if entry.kind == DayKind::Work
                && (!cal.rest.contains(&date.weekday()) || cal.fixed_on(date).is_some())
            {
                err(format!(
                    "ngày làm bù {} ({}) phải là ngày nghỉ hằng tuần, không phải ngày lễ.",
                    crate::date::format_vn(date),
                    weekday_vn(date.weekday())
                ));
                continue;
            }
            if let Some(prev) = cal.days.get(&date) {
                if prev.kind != entry.kind || prev.name != entry.name {
                    err(format!(
                        "ngày {} đã được khai báo («{}»).",
                        crate::date::format_vn(date),
                        prev.name
                    ));
                }
                continue;
            }
            cal.days.insert(date, entry);
        }
        if errors.is_empty() {
            Ok(cal)
        } else {
            Err(errors)
        }
    }

    /// The years covered, in order.
    #[must_use]
    pub fn covered_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    #[must_use]
    pub fn year(&self, y: i32) -> Option<&Year> {
        self.years.get(&y)
    }

    fn fixed_on(&self, d: Date) -> Option<&Fixed> {
        self.fixed
            .iter()
            .find(|f| f.month == d.month() && f.day == d.day())
    }

    /// What `d` is.
    ///
    /// # Errors
    /// [`CalendarError::OutsideCalendar`] for a year not covered.
    pub fn day(&self, d: Date) -> Result<DayType, CalendarError> {
        if !self.years.contains_key(&d.year()) {
            return Err(CalendarError::OutsideCalendar {
                date: d,
                covered: self.covered_years(),
            });
        }
        if let Some(e) = self.days.get(&d) {
            return Ok(match e.kind {
                DayKind::Off => DayType::Holiday {
                    name: e.name.clone(),
                    source: e.source.clone(),
                    verified: e.verified,
                },
                DayKind::Work => DayType::SwappedWorking {
                    name: e.name.clone(),
                    source: e.source.clone(),
                },
            });
        }
        if let Some(f) = self.fixed_on(d) {
            return Ok(DayType::Holiday {
                name: f.name.clone(),
                source: f.citation.clone(),
                verified: true,
            });
        }
        if self.rest.contains(&d.weekday()) {
            return Ok(DayType::WeeklyRest);
        }
        Ok(DayType::Working)
    }

    /// Is `d` a working day?
    ///
    /// # Errors
    /// [`CalendarError::OutsideCalendar`] for a year not covered.
    pub fn is_working_day(&self, d: Date) -> Result<bool, CalendarError> {
        Ok(self.day(d)?.is_working())
    }

    /// The due date of a period of `n` working days from `from` (the event's
    /// day, not counted): see the module documentation.
    ///
    /// # Errors
    /// A day of the period in a year not covered; `n` over [`MAX_DAYS`].
    pub fn add_working_days(&self, from: Date, n: u32) -> Result<Due, CalendarError> {
        if n > MAX_DAYS {
            return Err(CalendarError::TooMany { n });
        }
        let mut due = Due {
            from,
            days: n,
            due: from,
            holidays: Vec::new(),
            weekends: 0,
            swapped: Vec::new(),
            unverified: Vec::new(),
            estimated: Vec::new(),
        };
        let mut left = n;
        let mut d = from;
        while left > 0 {
            d = d.next_day().ok_or(CalendarError::OutsideCalendar {
                date: d,
                covered: self.covered_years(),
            })?;
            let t = self.day(d)?;
            if self
                .years
                .get(&d.year())
                .is_some_and(|y| y.status == YearStatus::Estimated)
                && !due.estimated.contains(&d.year())
            {
                due.estimated.push(d.year());
            }
            match t {
                DayType::Working => left -= 1,
                DayType::SwappedWorking { name, source } => {
                    left -= 1;
                    due.swapped.push((d, name));
                    if self.days.get(&d).is_some_and(|e| !e.verified) {
                        due.unverified.push((d, source));
                    }
                }
                DayType::WeeklyRest => due.weekends += 1,
                DayType::Holiday {
                    name,
                    source,
                    verified,
                } => {
                    if self.rest.contains(&d.weekday()) {
                        // A holiday on a rest day changes nothing by itself.
                        due.weekends += 1;
                        continue;
                    }
                    if !verified && !due.unverified.iter().any(|(_, s)| *s == source) {
                        due.unverified.push((d, source));
                    }
                    due.holidays.push((d, name));
                }
            }
        }
        due.due = d;
        Ok(due)
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cal() -> Calendar {
        Calendar::load(EMBEDDED).unwrap()
    }

    fn add(from: Date, n: u32) -> Date {
        cal().add_working_days(from, n).unwrap().due
    }

    #[test]
    fn one_working_day_after_friday_13_february_2026_is_monday_23_february_across_tet() {
        let due = cal().add_working_days(date!(2026 - 02 - 13), 1).unwrap();
        assert_eq!(due.due, date!(2026 - 02 - 23));
        assert_eq!(due.holidays.len(), 5, "{:?}", due.holidays);
        assert_eq!(due.weekends, 4);
        assert_eq!(due.lines().last().unwrap(), "2026-02-23");
    }

    #[test]
    fn the_day_of_the_event_is_not_counted() {
        // Monday 09/3/2026 + 1 = Tuesday; + 5 = the next Monday.
        assert_eq!(add(date!(2026 - 03 - 09), 1), date!(2026 - 03 - 10));
        assert_eq!(add(date!(2026 - 03 - 09), 5), date!(2026 - 03 - 16));
        assert_eq!(add(date!(2026 - 03 - 09), 0), date!(2026 - 03 - 09));
    }

    #[test]
    fn a_compensatory_day_off_is_skipped() {
        // Giỗ Tổ Hùng Vương 2026 falls on Sunday 26/4: Monday 27/4 is off
        // (nghỉ bù), Thursday 30/4 and Friday 1/5 are holidays.
        let c = cal();
        assert!(!c.is_working_day(date!(2026 - 04 - 27)).unwrap());
        assert_eq!(add(date!(2026 - 04 - 24), 1), date!(2026 - 04 - 28));
        assert_eq!(add(date!(2026 - 04 - 28), 2), date!(2026 - 05 - 04));
    }

    #[test]
    fn a_swapped_working_saturday_counts() {
        // 2024: Monday 29/4 off, Saturday 4/5 worked (Công văn 2450/VPCP-KGVX).
        let c = cal();
        assert!(c.is_working_day(date!(2024 - 05 - 04)).unwrap());
        assert!(!c.is_working_day(date!(2024 - 04 - 29)).unwrap());
        // Friday 26/4/2024 + 1: 27–28 weekend, 29/4 swapped off, 30/4 and 1/5 holidays,
        // Thursday 2/5.
        assert_eq!(add(date!(2024 - 04 - 26), 1), date!(2024 - 05 - 02));
        // Friday 3/5/2024 + 1 = Saturday 4/5 (worked).
        let due = c.add_working_days(date!(2024 - 05 - 03), 1).unwrap();
        assert_eq!(due.due, date!(2024 - 05 - 04));
        assert_eq!(due.swapped.len(), 1);
    }

    #[test]
    fn a_year_outside_the_calendar_is_refused_naming_the_years_covered() {
        let e = cal()
            .add_working_days(date!(2028 - 01 - 03), 1)
            .unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("Ngày 04/01/2028 nằm ngoài lịch"), "{s}");
        assert!(s.contains("2024, 2025, 2026, 2027"), "{s}");
        assert!(cal().is_working_day(date!(2023 - 12 - 29)).is_err());
    }

    #[test]
    fn an_estimated_year_is_said_to_be_estimated() {
        let due = cal().add_working_days(date!(2027 - 03 - 01), 1).unwrap();
        assert_eq!(due.estimated, vec![2027]);
        assert!(due.lines().iter().any(|l| l.contains("dự kiến")));
    }

    #[test]
    fn fixed_holidays_apply_in_every_covered_year() {
        let c = cal();
        for y in [2024, 2025, 2026, 2027] {
            for (m, d) in [(1, 1), (4, 30), (5, 1), (9, 2)] {
                let day = Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap();
                assert!(!c.is_working_day(day).unwrap(), "{day}");
            }
        }
    }

    #[test]
    fn a_province_adds_a_local_day_off_with_its_own_file() {
        let local = "[[day]]\ndate = \"2026-03-10\"\nkind = \"off\"\nname = \"Ngày nghỉ của tỉnh\"\nsource = \"QĐ …/QĐ-UBND\"\n";
        let mut files = EMBEDDED.to_vec();
        files.push(("calendar/tinh.toml", local));
        let c = Calendar::load(&files).unwrap();
        assert!(!c.is_working_day(date!(2026 - 03 - 10)).unwrap());
        assert_eq!(
            c.add_working_days(date!(2026 - 03 - 09), 1).unwrap().due,
            date!(2026 - 03 - 11)
        );
    }

    #[test]
    fn a_working_day_that_is_not_a_rest_day_is_refused_with_its_line() {
        let bad = "[[day]]\ndate = \"2026-03-10\"\nkind = \"work\"\nname = \"x\"\nsource = \"y\"\n";
        let mut files = EMBEDDED.to_vec();
        files.push(("calendar/x.toml", bad));
        let e = Calendar::load(&files).unwrap_err();
        assert_eq!(e[0].file, "calendar/x.toml");
        assert_eq!(e[0].line, 1);
        assert!(e[0].message.contains("ngày làm bù"), "{}", e[0]);
    }

    #[test]
    fn a_day_in_an_undeclared_year_is_refused() {
        let bad = "[[day]]\ndate = \"2030-03-10\"\nkind = \"off\"\nname = \"x\"\nsource = \"y\"\n";
        let mut files = EMBEDDED.to_vec();
        files.push(("calendar/x.toml", bad));
        let e = Calendar::load(&files).unwrap_err();
        assert!(e[0].message.contains("chưa khai báo"), "{}", e[0]);
    }
}
