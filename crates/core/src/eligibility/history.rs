//! What the rules need to know about a subject, as plain data: annual ratings,
//! awards held, discipline, recognised initiatives, service, and for a
//! collective its members' results and the units it carries on.
//!
//! Text fields borrow (`&'a str`) so that a scan over a million people can
//! build each history from reused row buffers without allocating strings.
//! `None` for a whole list means "not supplied": a clause that needs it
//! answers *cần xem xét thêm* instead of guessing.

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use crate::catalogue::{AwardId, Recipient};

pub use crate::rating::{DisciplineLevel, Rating, Scope};

/// The rating a collective counts for a year in which it has none of its
/// own, from the ratings of its predecessors (`(rating, predecessor name)`),
/// with the `via` label the explanation shows.
///
/// One predecessor: its rating. Several (a merger of units that were each
/// rated that year, e.g. Hậu Giang *xuất sắc* and Sóc Trăng *tốt* for Cần
/// Thơ): the **lowest**, and the label names each with its rating. No
/// article settles the case: Điều 95 Luật Thi đua, khen thưởng 2022 carries
/// earlier achievements over to the successor, and the title criteria ask
/// the collective to have earned a rating "liên tục" (Điều 27–28); a merged
/// collective earned the higher rating only in part, so crediting it whole
/// would count a year one of its parts did not earn. Keeping the lowest
/// never credits more than every part earned; the label keeps the higher
/// one visible for the council, which may judge otherwise.
#[must_use]
pub fn inherited_rating(from: &[(Rating, String)]) -> Option<(Rating, String)> {
    let lowest = from.iter().map(|(r, _)| *r).min()?;
    if from.len() == 1 {
        return Some((lowest, from[0].1.clone()));
    }
    let mut parts: Vec<&(Rating, String)> = from.iter().collect();
    parts.sort_by(|a, b| a.1.cmp(&b.1));
    let each = parts
        .iter()
        .map(|(r, name)| format!("{name}: {}", r.label()))
        .collect::<Vec<_>>()
        .join("; ");
    Some((
        lowest,
        format!("{each} — tính mức thấp nhất, {}", lowest.label()),
    ))
}

/// One year's rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearRating<'a> {
    pub year: i32,
    pub rating: Rating,
    /// Predecessor unit the rating was earned under (collectives), if any.
    pub via: Option<&'a str>,
}

/// An award held, from the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AwardHeld<'a> {
    pub award: AwardId,
    /// Year of the achievement.
    pub year: i32,
    /// Decision number, e.g. `123/QĐ-UBND`.
    pub decision: &'a str,
    /// Predecessor unit that received it (the store merges lineage and labels it).
    pub via: Option<&'a str>,
}

/// A discipline record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Discipline<'a> {
    pub level: DisciplineLevel,
    /// Date the decision took effect.
    pub date: Date,
    /// How long it runs, in months (`None` = no fixed term recorded).
    pub months: Option<u16>,
    pub decision: &'a str,
}

impl Discipline<'_> {
    /// Last day the discipline runs (inclusive); its start when no term is known.
    #[must_use]
    pub fn end(&self) -> Date {
        let Some(m) = self.months else {
            return self.date;
        };
        let total = i32::from(u8::from(self.date.month())) - 1 + i32::from(m);
        let year = self.date.year() + total.div_euclid(12);
        let month = u8::try_from(total.rem_euclid(12) + 1)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .unwrap_or(time::Month::December);
        let day = self.date.day().min(time::util::days_in_month(month, year));
        Date::from_calendar_date(year, month, day)
            .map_or(self.date, |d| d.previous_day().unwrap_or(d))
    }

    /// Does it touch any day of `from..=to` (years)?
    #[must_use]
    pub fn touches_years(&self, from: i32, to: i32) -> bool {
        self.date.year() <= to && self.end().year() >= from
    }
}

/// Sáng kiến, đề tài, đề án, công trình khoa học, or mưu trí sáng tạo in combat,
/// recognised at a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Initiative<'a> {
    pub scope: Scope,
    pub recognised: Date,
    pub title: &'a str,
}

/// A period of service (inclusive; `to = None` = still serving).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ServicePeriod {
    pub from: Date,
    pub to: Option<Date>,
}

/// A collective's members in one year: how many, their ratings and titles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberYear {
    pub year: i32,
    pub members: u32,
    /// Members rated at each level (index = `Rating as usize`).
    pub by_rating: [u32; 4],
    /// Members holding each title that year.
    pub titles: Vec<(AwardId, u32)>,
    /// Members disciplined that year, by the most severe level (index = `DisciplineLevel as usize`).
    pub disciplined: [u32; 6],
}

impl MemberYear {
    #[must_use]
    pub fn at_least(&self, r: Rating) -> u32 {
        self.by_rating[r as usize..].iter().sum()
    }

    #[must_use]
    pub fn with_title(&self, award: AwardId) -> u32 {
        self.titles
            .iter()
            .filter(|(a, _)| *a == award)
            .map(|(_, n)| n)
            .sum()
    }

    #[must_use]
    pub fn disciplined_at_least(&self, d: DisciplineLevel) -> u32 {
        self.disciplined[d as usize..].iter().sum()
    }
}

/// A unit whose history counts as the subject's (lineage, flattened by the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PredecessorRef<'a> {
    pub name: &'a str,
    pub date: Date,
    /// `sáp nhập`, `đổi tên`, `chia tách`… (`crate::lineage::LineageKind::label`).
    pub event: &'a str,
}

/// Which optional inputs a history carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Supplied {
    pub disciplines: bool,
    pub initiatives: bool,
    pub service: bool,
}

impl Supplied {
    /// Every optional input supplied.
    pub const ALL: Self = Self {
        disciplines: true,
        initiatives: true,
        service: true,
    };
}

/// Everything known about one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct History<'a> {
    pub recipient: Option<Recipient>,
    /// Member of the armed forces (decides *Chiến sĩ tiên tiến* vs *Lao động tiên tiến*).
    pub armed_forces: Option<bool>,
    /// Sorted or not: the engine does not rely on order.
    pub ratings: Vec<YearRating<'a>>,
    pub awards: Vec<AwardHeld<'a>>,
    pub disciplines: Vec<Discipline<'a>>,
    pub initiatives: Vec<Initiative<'a>>,
    pub service: Vec<ServicePeriod>,
    /// Which of the lists above were supplied (an empty list that was not
    /// supplied is unknown, not "none").
    pub supplied: Supplied,
    pub members: Vec<MemberYear>,
    pub predecessors: Vec<PredecessorRef<'a>>,
    /// Codes of the org units the subject sits under, nearest first: its
    /// own unit (a person's unit), the parent, …, across lineage (a unit
    /// merged into another sits under the successor too). A rule pack scoped
    /// to one of them overrides the national rule ([`super::RuleSet::rule_in`]).
    /// Empty: only national rules apply.
    pub scope: Vec<&'a str>,
}

impl<'a> History<'a> {
    /// Empties every list, keeping their capacity, for reuse in a scan.
    pub fn clear(&mut self) {
        self.recipient = None;
        self.armed_forces = None;
        self.ratings.clear();
        self.awards.clear();
        self.disciplines.clear();
        self.initiatives.clear();
        self.service.clear();
        self.supplied = Supplied::default();
        self.members.clear();
        self.predecessors.clear();
        self.scope.clear();
    }

    #[must_use]
    pub fn rating(&self, year: i32) -> Option<&YearRating<'a>> {
        self.ratings.iter().find(|r| r.year == year)
    }

    #[must_use]
    pub fn member_year(&self, year: i32) -> Option<&MemberYear> {
        self.members.iter().find(|m| m.year == year)
    }

    /// Months of service up to and including `until`.
    #[must_use]
    pub fn service_months(&self, until: Date) -> Option<u32> {
        if !self.supplied.service {
            return None;
        }
        Some(
            self.service
                .iter()
                .map(|p| months_between(p.from, p.to.map_or(until, |t| t.min(until))))
                .sum(),
        )
    }

    /// Months of service inside calendar year `year`.
    #[must_use]
    pub fn service_months_in(&self, year: i32) -> Option<u32> {
        if !self.supplied.service {
            return None;
        }
        let start = Date::from_calendar_date(year, time::Month::January, 1).ok()?;
        let end = Date::from_calendar_date(year, time::Month::December, 31).ok()?;
        Some(
            self.service
                .iter()
                .filter(|p| p.from <= end && p.to.is_none_or(|t| t >= start))
                .map(|p| months_between(p.from.max(start), p.to.map_or(end, |t| t.min(end))))
                .sum(),
        )
    }

    /// Was the subject serving on some day of `year`? (`None`: no service data.)
    #[must_use]
    pub fn served_in(&self, year: i32) -> Option<bool> {
        self.service_months_in(year).map(|m| m > 0)
    }

    /// Checks the history itself: a rating for a year outside every service
    /// period, two ratings for one year, members that do not add up.
    ///
    /// # Errors
    /// Vietnamese messages, one per problem.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for (i, r) in self.ratings.iter().enumerate() {
            if self.ratings[..i].iter().any(|o| o.year == r.year) {
                errors.push(format!("Năm {} có hai kết quả xếp loại.", r.year));
            }
            if self.served_in(r.year) == Some(false) {
                errors.push(format!(
                    "Có xếp loại năm {} nhưng không có thời gian công tác trong năm đó.",
                    r.year
                ));
            }
        }
        for m in &self.members {
            if m.by_rating.iter().sum::<u32>() > m.members {
                errors.push(format!(
                    "Năm {}: số người được xếp loại vượt tổng số {} thành viên.",
                    m.year, m.members
                ));
            }
            if m.titles.iter().any(|(_, n)| *n > m.members) {
                errors.push(format!(
                    "Năm {}: số người đạt danh hiệu vượt tổng số thành viên.",
                    m.year
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Whole months from `from` to `to` inclusive, counting a started month as
/// whole when at least 15 days of it are served (a month of service is the
/// unit of the 10-month rule; partial months are rounded, not truncated).
#[must_use]
pub fn months_between(from: Date, to: Date) -> u32 {
    if to < from {
        return 0;
    }
    let days = (to - from).whole_days() + 1;
    // 365.25 / 12 days per month, rounded to the nearest month.
    let months = (Decimal::from(days) * Decimal::from(12) / Decimal::new(36525, 2)).round();
    u32::try_from(i64::try_from(months).unwrap_or(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {

    #[test]
    fn two_predecessors_rated_the_same_year_give_the_lower_and_both_are_named() {
        let (r, via) = inherited_rating(&[
            (Rating::HoanThanhXuatSac, "Tỉnh Hậu Giang".to_owned()),
            (Rating::HoanThanhTot, "Tỉnh Sóc Trăng".to_owned()),
        ])
        .unwrap();
        assert_eq!(r, Rating::HoanThanhTot);
        assert!(
            via.contains("Tỉnh Hậu Giang: hoàn thành xuất sắc nhiệm vụ"),
            "{via}"
        );
        assert!(
            via.contains("Tỉnh Sóc Trăng: hoàn thành tốt nhiệm vụ"),
            "{via}"
        );
        assert!(via.contains("tính mức thấp nhất"), "{via}");
        // the order they are read in does not matter
        let again = inherited_rating(&[
            (Rating::HoanThanhTot, "Tỉnh Sóc Trăng".to_owned()),
            (Rating::HoanThanhXuatSac, "Tỉnh Hậu Giang".to_owned()),
        ]);
        assert_eq!(again, Some((r, via)));
        assert_eq!(
            inherited_rating(&[(Rating::HoanThanh, "Tỉnh Hậu Giang".to_owned())]),
            Some((Rating::HoanThanh, "Tỉnh Hậu Giang".to_owned()))
        );
        assert_eq!(inherited_rating(&[]), None);
    }

    use super::*;
    use time::macros::date;

    #[test]
    fn a_twelve_month_warning_ends_the_day_before_its_anniversary() {
        let d = Discipline {
            level: DisciplineLevel::CanhCao,
            date: date!(2024 - 03 - 15),
            months: Some(12),
            decision: "",
        };
        assert_eq!(d.end(), date!(2025 - 03 - 14));
        assert!(d.touches_years(2025, 2025));
        assert!(!d.touches_years(2026, 2026));
    }

    #[test]
    fn a_full_year_is_twelve_months() {
        assert_eq!(
            months_between(date!(2024 - 01 - 01), date!(2024 - 12 - 31)),
            12
        );
        assert_eq!(
            months_between(date!(2024 - 03 - 01), date!(2024 - 12 - 31)),
            10
        );
    }
}
