//! People: officials, employees and citizens who receive titles and awards.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::cccd::Cccd;
use crate::error::DomainError;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Male => "nam",
            Self::Female => "nữ",
        }
    }

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }

    /// Accepts `male`/`female`, `nam`/`nữ` (any case, with or without tone).
    ///
    /// # Errors
    /// Vietnamese message naming the `gender` field.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match text::fold(s).as_str() {
            "male" | "nam" | "m" => Ok(Self::Male),
            "female" | "nu" | "f" => Ok(Self::Female),
            _ => Err(DomainError::invalid(
                "gender",
                format!("Giới tính «{s}» không hợp lệ (nam hoặc nữ)."),
            )),
        }
    }
}

/// A person as entered, validated.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub full_name: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub cccd: Cccd,
    pub unit_code: String,
    pub position: String,
    /// Holds a leadership or management post; the share of awards going to
    /// non-leaders is a reported figure (seed 004).
    pub is_leader: bool,
}

impl NewPerson {
    /// # Errors
    /// The first invalid field, in Vietnamese.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the form, each parsed here"
    )]
    pub fn parse(
        full_name: &str,
        gender: &str,
        birth_date: &str,
        cccd: &str,
        unit_code: &str,
        position: &str,
        is_leader: bool,
        today: Date,
    ) -> Result<Self, DomainError> {
        let full_name = full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        if full_name.is_empty() {
            return Err(DomainError::invalid(
                "full_name",
                "Họ và tên không được để trống.",
            ));
        }
        if full_name.chars().count() > 100 {
            return Err(DomainError::invalid(
                "full_name",
                "Họ và tên dài quá 100 ký tự.",
            ));
        }
        let gender = Gender::parse(gender)?;
        let birth_date = crate::date::parse(birth_date)
            .map_err(|m| DomainError::invalid("birth_date", format!("Ngày sinh: {m}.")))?;
        if birth_date > today {
            return Err(DomainError::invalid(
                "birth_date",
                "Ngày sinh không được sau ngày hôm nay.",
            ));
        }
        let cccd = Cccd::parse_for(cccd, gender, birth_date)?;
        let unit_code = unit_code.trim().to_owned();
        if unit_code.is_empty() {
            return Err(DomainError::invalid("unit", "Phải chọn đơn vị công tác."));
        }
        Ok(Self {
            full_name,
            gender,
            birth_date,
            cccd,
            unit_code,
            position: position.trim().to_owned(),
            is_leader,
        })
    }
}

/// A position (*chức vụ*) as entered on the person page: its title, whether
/// it leads or manages (lãnh đạo, quản lý: the share of awards to direct
/// workers counts those without one, Điều 6 Luật Thi đua, khen thưởng 2022
/// gives them priority), and the days it was held, end inclusive (`None`:
/// still held). Overlap with the person's other periods is checked with
/// them ([`crate::tenure::check`], `Kind::Position`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPosition {
    pub title: String,
    pub is_leader: bool,
    pub start: Date,
    pub end: Option<Date>,
}

impl NewPosition {
    /// # Errors
    /// An empty or over-long title (`position`), a start day not a date or
    /// after `today` (`position_from`), an end day not a date or before the
    /// start (`position_to`).
    pub fn parse(
        title: &str,
        is_leader: bool,
        start: &str,
        end: &str,
        today: Date,
    ) -> Result<Self, DomainError> {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Err(DomainError::invalid(
                "position",
                "Chức vụ không được để trống.",
            ));
        }
        crate::limits::check("position", &title)?;
        let start = crate::date::parse(start).map_err(|m| {
            DomainError::invalid("position_from", format!("Giữ chức vụ từ ngày: {m}."))
        })?;
        if start > today {
            return Err(DomainError::invalid(
                "position_from",
                "Ngày bắt đầu giữ chức vụ không được sau ngày hôm nay.",
            ));
        }
        let end = match end.trim() {
            "" => None,
            s => Some(crate::date::parse(s).map_err(|m| {
                DomainError::invalid("position_to", format!("Giữ chức vụ đến ngày: {m}."))
            })?),
        };
        if let Some(e) = end {
            if e < start {
                return Err(DomainError::invalid(
                    "position_to",
                    format!(
                        "Ngày thôi giữ chức vụ {} trước ngày bắt đầu {}.",
                        crate::date::format_vn(e),
                        crate::date::format_vn(start)
                    ),
                ));
            }
        }
        Ok(Self {
            title,
            is_leader,
            start,
            end,
        })
    }
}

#[cfg(test)]
mod position_tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_position_names_the_field_it_refuses() {
        let today = date!(2026 - 12 - 06);
        let e = NewPosition::parse("  ", false, "2020-01-01", "", today).unwrap_err();
        assert_eq!(e.field(), "position");
        let e = NewPosition::parse("Trưởng phòng", true, "2020-13-01", "", today).unwrap_err();
        assert_eq!(e.field(), "position_from");
        let e = NewPosition::parse("Trưởng phòng", true, "2027-01-01", "", today).unwrap_err();
        assert_eq!(e.field(), "position_from");
        let e = NewPosition::parse("Trưởng phòng", true, "2021-01-01", "2020-12-31", today)
            .unwrap_err();
        assert_eq!(e.field(), "position_to");
        assert!(e.message().contains("31/12/2020"), "{e}");
        let ok = NewPosition::parse(" Trưởng   phòng ", true, "2021-01-01", "2021-01-01", today)
            .unwrap();
        assert_eq!(ok.title, "Trưởng phòng");
        assert_eq!(ok.end, Some(date!(2021 - 01 - 01)));
    }
}
