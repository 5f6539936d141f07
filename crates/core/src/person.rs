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
