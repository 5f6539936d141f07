//! Public disclosure (*công khai*) of the people and collectives proposed
//! for an award, before the council meets (issue 14).
//!
//! Khoản 2 Điều 44 NĐ 152/2025/NĐ-CP: for Huân chương, the state honorary
//! titles and «Chiến sĩ thi đua toàn quốc», the proposing authority (bộ,
//! ban, ngành, tỉnh) publishes the list **at least 10 working days before
//! its Hội đồng Thi đua - Khen thưởng meets** (except under the simplified
//! procedure); the comments received and how they were handled (complaints
//! included) are reported to the council and named in its minutes.
//!
//! Which awards need it, for how many working days, is data: `[[disclosure]]`
//! entries of `catalogue/ho-so.toml`, and of a province's overlay for its
//! own forms (`catalogue/tinh/*.toml`), read by
//! [`super::procedure::Procedures::disclosure`]. Here are the pure rules:
//! the shortest window a publication may have ([`minimum_end`],
//! [`check_window`]), whether a dossier's disclosure has run its full
//! period by a council's day ([`standing`]), a public comment as typed
//! ([`NewComment::parse`]) and the count the minutes cite
//! ([`CommentSummary`]).
//!
//! # Counting
//!
//! The window runs from the day of publication to its last day, both
//! inclusive for comments. "Ít nhất 10 ngày làm việc trước khi họp" is read
//! strictly: the working days *after* the day of publication (the event's
//! day is not counted, as everywhere in [`crate::workdays`]) up to the last
//! day must number at least the rule's days, and the council meets only
//! after the last day. So published on Friday 06/02/2026, across the Tết
//! days off of 14–22/02/2026, 10 working days end on Friday 27/02/2026 and
//! the council may meet from 28/02/2026.

use serde::{Deserialize, Serialize};
use time::Date;

use super::procedure::Scope;
use crate::catalogue::Authority;
use crate::date::format_vn;
use crate::number::format_count;
use crate::workdays::{Calendar, CalendarError, Due};
use crate::DomainError;

/// Working days of a disclosure no rule asks for (a level publishing of its
/// own accord): the period of khoản 2 Điều 44 NĐ 152/2025/NĐ-CP.
pub const DEFAULT_DAYS: u32 = 10;
/// The citation of [`DEFAULT_DAYS`].
pub const DEFAULT_CITATION: &str = "khoản 2 Điều 44 NĐ 152/2025/NĐ-CP (ít nhất 10 ngày làm việc trước khi họp Hội đồng Thi đua - Khen thưởng)";

/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 3_000;
/// Longest commenter name, in characters.
pub const MAX_AUTHOR: usize = 150;
/// Longest contact (telephone or e-mail), in characters.
pub const MAX_CONTACT: usize = 200;
/// Longest achievement summary shown to the public, in characters.
pub const MAX_SUMMARY: usize = 1_000;

/// A `[[disclosure]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDisclosure {
    #[serde(default)]
    pub(crate) awards: Vec<String>,
    #[serde(default)]
    pub(crate) authority: Vec<Authority>,
    pub(crate) days: u32,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) citation: String,
    /// What is not verified in the reading of the text.
    pub(crate) note: Option<String>,
}

/// Which awards must be disclosed, for how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureRule {
    pub awards: Vec<String>,
    pub authority: Vec<Authority>,
    /// Working days, at least.
    pub days: u32,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// A province's overlay (its own forms), or `None` for the national rule.
    pub scope: Option<Scope>,
    pub citation: String,
    pub note: Option<String>,
}

impl DisclosureRule {
    pub(crate) fn in_force_on(&self, d: Date) -> bool {
        self.from.is_none_or(|f| f <= d)
            && self.to.is_none_or(|t| d <= t)
            && self.scope.as_ref().is_none_or(|s| s.in_force_on(d))
    }

    pub(crate) fn names(&self, award: &crate::catalogue::Award) -> bool {
        self.awards.contains(&award.code) || self.authority.contains(&award.authority)
    }
}

/// The last day of a disclosure of `days` working days published on
/// `start`: the `days`-th working day after it.
///
/// # Errors
/// A day of the period outside the calendar.
pub fn minimum_end(calendar: &Calendar, start: Date, days: u32) -> Result<Due, CalendarError> {
    calendar.add_working_days(start, days)
}

/// Checks a window an officer asks for: it starts today or later (a
/// disclosure cannot be published in the past: the public did not see it),
/// and its last day is no earlier than `min_end` (it may be longer, never
/// shorter).
///
/// # Errors
/// `starts_on` or `ends_on`, naming the day allowed.
pub fn check_window(start: Date, end: Date, today: Date, min_end: &Due) -> Result<(), DomainError> {
    if start < today {
        return Err(DomainError::invalid(
            "starts_on",
            format!(
                "Ngày bắt đầu công khai {} đã qua: chỉ công khai từ hôm nay ({}) trở đi.",
                format_vn(start),
                format_vn(today)
            ),
        ));
    }
    if end < min_end.due {
        return Err(DomainError::invalid(
            "ends_on",
            format!(
                "Ngày kết thúc {} quá sớm: công khai ít nhất {} ngày làm việc kể từ {} là đến hết ngày {}.",
                format_vn(end),
                min_end.days,
                format_vn(start),
                format_vn(min_end.due)
            ),
        ));
    }
    Ok(())
}

/// One publication of a dossier, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub disclosure_id: i64,
    pub starts_on: Date,
    pub ends_on: Date,
}

/// Where a dossier stands with its disclosure on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StandingKind {
    /// No rule asks for a disclosure (or the simplified procedure).
    NotRequired,
    /// A long enough window ended before the day.
    Complete,
    /// A long enough window is open on the day, or not yet started.
    Running,
    /// Published, but for fewer working days than the rule asks.
    TooShort,
    /// Never published.
    Missing,
}

/// The answer of [`standing`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureStanding {
    pub kind: StandingKind,
    /// Working days the rule asks for (`None`: not required).
    pub required_days: Option<u32>,
    pub citation: Option<String>,
    /// The window the answer rests on.
    pub window: Option<Window>,
    /// The first day a council may meet, when known.
    pub council_from: Option<Date>,
    /// Vietnamese: why.
    pub explanation: String,
}

impl DisclosureStanding {
    /// May the council take the dossier on the day asked?
    #[must_use]
    pub fn allowed(&self) -> bool {
        matches!(
            self.kind,
            StandingKind::NotRequired | StandingKind::Complete
        )
    }
}

/// Has a dossier's required disclosure run its full period by `on` (the day
/// the council meets)? `rule` is the catalogue's entry for its award and
/// place ([`super::procedure::Procedures::disclosure`]), `simplified` the
/// simplified procedure (no disclosure, khoản 2 Điều 44), `windows` its
/// publications. Each window is measured again against the rule in force
/// (a rule lengthened since publication is not met by the old window).
///
/// # Errors
/// A day of a window outside the calendar.
pub fn standing(
    rule: Option<&DisclosureRule>,
    simplified: bool,
    windows: &[Window],
    on: Date,
    calendar: &Calendar,
) -> Result<DisclosureStanding, CalendarError> {
    let not_required = |why: String| DisclosureStanding {
        kind: StandingKind::NotRequired,
        required_days: None,
        citation: None,
        window: windows.iter().max_by_key(|w| w.ends_on).copied(),
        council_from: None,
        explanation: why,
    };
    if simplified {
        return Ok(not_required(
            "Hồ sơ xét theo thủ tục đơn giản: không phải công khai trước khi họp Hội đồng (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP)."
                .to_owned(),
        ));
    }
    let Some(rule) = rule else {
        return Ok(not_required(
            "Danh mục không yêu cầu công khai hình thức này trước khi họp Hội đồng.".to_owned(),
        ));
    };
    let mut long_enough: Vec<(Window, Date)> = Vec::new();
    let mut short: Vec<(Window, Date)> = Vec::new();
    for w in windows {
        let min = minimum_end(calendar, w.starts_on, rule.days)?.due;
        if w.ends_on >= min {
            long_enough.push((*w, min));
        } else {
            short.push((*w, min));
        }
    }
    let span = |w: &Window| {
        format!(
            "từ {} đến hết {}",
            format_vn(w.starts_on),
            format_vn(w.ends_on)
        )
    };
    let make = |kind, window: Option<Window>, council_from, explanation| DisclosureStanding {
        kind,
        required_days: Some(rule.days),
        citation: Some(rule.citation.clone()),
        window,
        council_from,
        explanation,
    };
    // a window over before the day is complete; the latest such one counts
    if let Some((w, _)) = long_enough
        .iter()
        .filter(|(w, _)| w.ends_on < on)
        .max_by_key(|(w, _)| w.ends_on)
    {
        return Ok(make(
            StandingKind::Complete,
            Some(*w),
            w.ends_on.next_day(),
            format!(
                "Đã công khai {} (đủ {} ngày làm việc, {}): Hội đồng được xét từ ngày {}.",
                span(w),
                rule.days,
                rule.citation,
                w.ends_on.next_day().map_or_else(String::new, format_vn)
            ),
        ));
    }
    if let Some((w, _)) = long_enough.iter().min_by_key(|(w, _)| w.ends_on) {
        let from = w.ends_on.next_day();
        return Ok(make(
            StandingKind::Running,
            Some(*w),
            from,
            format!(
                "Đang công khai {}: chưa hết thời hạn lấy ý kiến ({} ngày làm việc, {}), Hội đồng chỉ được xét từ ngày {}.",
                span(w),
                rule.days,
                rule.citation,
                from.map_or_else(String::new, format_vn)
            ),
        ));
    }
    if let Some((w, min)) = short.iter().max_by_key(|(w, _)| w.ends_on) {
        return Ok(make(
            StandingKind::TooShort,
            Some(*w),
            None,
            format!(
                "Đã công khai {} nhưng chưa đủ {} ngày làm việc ({}): phải công khai đến hết ngày {}. Công khai lại.",
                span(w),
                rule.days,
                rule.citation,
                format_vn(*min)
            ),
        ));
    }
    Ok(make(
        StandingKind::Missing,
        None,
        None,
        format!(
            "Chưa công khai: hình thức này phải công khai ít nhất {} ngày làm việc trước khi họp Hội đồng ({}).",
            rule.days, rule.citation
        ),
    ))
}

/// A comment from the public, as typed into the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub author: Option<String>,
    pub contact: Option<String>,
    pub body: String,
}

fn optional(
    field: &'static str,
    label: &str,
    s: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    let s = s.map(str::trim).unwrap_or_default();
    if s.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            format!("{label} dài quá {max} ký tự."),
        ));
    }
    Ok((!s.is_empty()).then(|| s.to_owned()))
}

impl NewComment {
    /// The name and contact are optional; the text is required and at most
    /// [`MAX_COMMENT`] characters. Control characters other than line
    /// breaks and tabs are refused.
    ///
    /// # Errors
    /// The field at fault, in Vietnamese.
    pub fn parse(
        author: Option<&str>,
        contact: Option<&str>,
        body: &str,
    ) -> Result<Self, DomainError> {
        let author = optional("author", "Họ và tên", author, MAX_AUTHOR)?;
        let contact = optional("contact", "Thông tin liên hệ", contact, MAX_CONTACT)?;
        let body = body.trim();
        if body.is_empty() {
            return Err(DomainError::invalid(
                "comment",
                "Chưa nhập nội dung ý kiến.",
            ));
        }
        let n = body.chars().count();
        if n > MAX_COMMENT {
            return Err(DomainError::invalid(
                "comment",
                format!(
                    "Nội dung ý kiến dài {} ký tự, quá giới hạn {} ký tự.",
                    format_count(n as u64),
                    format_count(MAX_COMMENT as u64)
                ),
            ));
        }
        let bad = |s: &str| {
            s.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        };
        if bad(body) || author.as_deref().is_some_and(bad) || contact.as_deref().is_some_and(bad) {
            return Err(DomainError::invalid(
                "comment",
                "Ý kiến có ký tự điều khiển không hợp lệ.",
            ));
        }
        Ok(Self {
            author,
            contact,
            body: body.to_owned(),
        })
    }
}

/// How many comments a dossier received and how they were handled: what
/// the council's minutes name (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CommentSummary {
    pub received: u64,
    pub approved: u64,
    pub dismissed: u64,
    pub pending: u64,
}

impl CommentSummary {
    /// One sentence for the minutes, e.g. "Nhận 3 ý kiến: 1 ý kiến được
    /// đăng công khai, 1 ý kiến không chấp nhận (có lý do), 1 ý kiến chưa xử
    /// lý."
    #[must_use]
    pub fn sentence(&self) -> String {
        if self.received == 0 {
            return "Không nhận được ý kiến nào trong thời gian công khai.".to_owned();
        }
        let mut parts = Vec::new();
        if self.approved > 0 {
            parts.push(format!(
                "{} ý kiến được chấp nhận, đăng công khai",
                format_count(self.approved)
            ));
        }
        if self.dismissed > 0 {
            parts.push(format!(
                "{} ý kiến không chấp nhận (có lý do)",
                format_count(self.dismissed)
            ));
        }
        if self.pending > 0 {
            parts.push(format!("{} ý kiến chưa xử lý", format_count(self.pending)));
        }
        format!(
            "Nhận {} ý kiến: {}.",
            format_count(self.received),
            parts.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workdays::EMBEDDED;
    use time::macros::date;

    fn cal() -> Calendar {
        Calendar::load(EMBEDDED).unwrap()
    }

    fn rule(days: u32) -> DisclosureRule {
        DisclosureRule {
            awards: vec!["chien-si-thi-dua-toan-quoc".into()],
            authority: vec![],
            days,
            from: None,
            to: None,
            scope: None,
            citation: "khoản 2 Điều 44 NĐ 152/2025/NĐ-CP".into(),
            note: None,
        }
    }

    fn w(start: Date, end: Date) -> Window {
        Window {
            disclosure_id: 1,
            starts_on: start,
            ends_on: end,
        }
    }

    #[test]
    fn ten_working_days_from_friday_6_february_2026_cross_tet_and_end_on_27_february() {
        let due = minimum_end(&cal(), date!(2026 - 02 - 06), 10).unwrap();
        // 9–13/02 are five, Tết 14–22/02 is skipped, 23–27/02 the other five
        assert_eq!(due.due, date!(2026 - 02 - 27));
        assert!(due.lines().iter().any(|l| l.contains("Tết")));
    }

    #[test]
    fn a_window_may_be_longer_never_shorter_nor_in_the_past() {
        let c = cal();
        let start = date!(2026 - 02 - 06);
        let min = minimum_end(&c, start, 10).unwrap();
        assert!(check_window(start, date!(2026 - 02 - 27), start, &min).is_ok());
        assert!(check_window(start, date!(2026 - 03 - 10), start, &min).is_ok());
        let e = check_window(start, date!(2026 - 02 - 26), start, &min).unwrap_err();
        assert_eq!(e.field(), "ends_on");
        assert!(e.message().contains("27/02/2026"), "{}", e.message());
        let e =
            check_window(start, date!(2026 - 02 - 27), date!(2026 - 02 - 07), &min).unwrap_err();
        assert_eq!(e.field(), "starts_on");
    }

    #[test]
    fn the_council_may_take_the_dossier_only_after_the_last_day() {
        let c = cal();
        let r = rule(10);
        let ws = [w(date!(2026 - 02 - 06), date!(2026 - 02 - 27))];
        let on_last = standing(Some(&r), false, &ws, date!(2026 - 02 - 27), &c).unwrap();
        assert_eq!(on_last.kind, StandingKind::Running);
        assert!(!on_last.allowed());
        assert_eq!(on_last.council_from, Some(date!(2026 - 02 - 28)));
        assert!(on_last.explanation.contains("28/02/2026"));
        let after = standing(Some(&r), false, &ws, date!(2026 - 03 - 02), &c).unwrap();
        assert_eq!(after.kind, StandingKind::Complete);
        assert!(after.allowed());
        assert!(after.explanation.contains("06/02/2026"));
    }

    #[test]
    fn a_window_shorter_than_the_rule_in_force_does_not_count() {
        let c = cal();
        // published for 10 days, the rule now asks 15
        let ws = [w(date!(2026 - 02 - 06), date!(2026 - 02 - 27))];
        let s = standing(Some(&rule(15)), false, &ws, date!(2026 - 04 - 01), &c).unwrap();
        assert_eq!(s.kind, StandingKind::TooShort);
        assert!(!s.allowed());
        assert!(s.explanation.contains("06/3/2026"), "{}", s.explanation);
    }

    #[test]
    fn never_published_is_missing_unless_no_rule_or_simplified() {
        let c = cal();
        let s = standing(Some(&rule(10)), false, &[], date!(2026 - 04 - 01), &c).unwrap();
        assert_eq!(s.kind, StandingKind::Missing);
        assert!(s.explanation.contains("Chưa công khai"));
        let s = standing(None, false, &[], date!(2026 - 04 - 01), &c).unwrap();
        assert!(s.allowed());
        let s = standing(Some(&rule(10)), true, &[], date!(2026 - 04 - 01), &c).unwrap();
        assert_eq!(s.kind, StandingKind::NotRequired);
        assert!(s.explanation.contains("thủ tục đơn giản"));
    }

    #[test]
    fn a_comment_needs_text_and_keeps_within_its_limits() {
        let c = NewComment::parse(Some("  "), None, "  Ý kiến  ").unwrap();
        assert_eq!(c.author, None);
        assert_eq!(c.body, "Ý kiến");
        assert_eq!(
            NewComment::parse(None, None, " ").unwrap_err().field(),
            "comment"
        );
        let long = "ạ".repeat(MAX_COMMENT + 1);
        let e = NewComment::parse(None, None, &long).unwrap_err();
        assert!(e.message().contains("3.001"), "{}", e.message());
        assert!(NewComment::parse(None, None, &"ạ".repeat(MAX_COMMENT)).is_ok());
        let e = NewComment::parse(Some(&"a".repeat(MAX_AUTHOR + 1)), None, "x").unwrap_err();
        assert_eq!(e.field(), "author");
        assert!(NewComment::parse(None, None, "a\u{0}b").is_err());
    }

    #[test]
    fn the_summary_sentence_counts_what_was_received_and_handled() {
        let s = CommentSummary {
            received: 3,
            approved: 1,
            dismissed: 1,
            pending: 1,
        };
        assert_eq!(
            s.sentence(),
            "Nhận 3 ý kiến: 1 ý kiến được chấp nhận, đăng công khai, 1 ý kiến không chấp nhận (có lý do), 1 ý kiến chưa xử lý."
        );
        assert!(CommentSummary::default()
            .sentence()
            .starts_with("Không nhận"));
    }
}
