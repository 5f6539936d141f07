//! Org units: the tree of bodies that run emulation and receive awards
//! (Trung ương → bộ/ngành, tỉnh/thành phố → sở/ban/ngành, cấp xã, cơ quan,
//! phòng/tổ). Kinds are data; a unit lives from `valid_from` to `valid_to`
//! (inclusive, `None` = still in being).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::DomainError;

pub type UnitId = i64;

/// A unit as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<UnitId>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl Unit {
    /// In being on `d` (both ends inclusive).
    #[must_use]
    pub fn valid_on(&self, d: Date) -> bool {
        self.valid_from <= d && self.valid_to.is_none_or(|t| d <= t)
    }

    /// In being on some day of the calendar year.
    #[must_use]
    pub fn valid_in_year(&self, year: i32) -> bool {
        self.valid_from.year() <= year && self.valid_to.is_none_or(|t| t.year() >= year)
    }
}

/// A unit as entered, validated.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_code: Option<String>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl NewUnit {
    /// # Errors
    /// The first invalid field, in Vietnamese.
    pub fn parse(
        code: &str,
        name: &str,
        kind: &str,
        parent_code: Option<&str>,
        valid_from: Date,
        valid_to: Option<Date>,
    ) -> Result<Self, DomainError> {
        let code = code.trim();
        if code.is_empty() || code.len() > 64 {
            return Err(DomainError::invalid(
                "code",
                "Mã đơn vị phải có từ 1 đến 64 ký tự.",
            ));
        }
        if !code.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
        }) {
            return Err(DomainError::invalid(
                "code",
                format!(
                    "Mã đơn vị «{code}» chỉ được gồm chữ thường không dấu, chữ số và các dấu - _ ."
                ),
            ));
        }
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(DomainError::invalid(
                "name",
                "Tên đơn vị không được để trống.",
            ));
        }
        if kind.trim().is_empty() {
            return Err(DomainError::invalid("kind", "Phải chọn loại đơn vị."));
        }
        if let Some(to) = valid_to {
            if to < valid_from {
                return Err(DomainError::invalid(
                    "valid_to",
                    "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
                ));
            }
        }
        let parent_code = parent_code
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if parent_code.as_deref() == Some(code) {
            return Err(DomainError::invalid(
                "parent",
                "Đơn vị không thể là đơn vị cấp trên của chính nó.",
            ));
        }
        Ok(Self {
            code: code.to_owned(),
            name,
            kind: kind.trim().to_owned(),
            parent_code,
            valid_from,
            valid_to,
        })
    }
}

/// Would making `parent` the parent of `unit` close a cycle? `parent_of`
/// gives the current parent of any unit.
#[must_use]
pub fn creates_cycle(
    unit: UnitId,
    parent: UnitId,
    parent_of: impl Fn(UnitId) -> Option<UnitId>,
) -> bool {
    let mut cur = Some(parent);
    let mut steps = 0;
    while let Some(u) = cur {
        if u == unit {
            return true;
        }
        steps += 1;
        if steps > 10_000 {
            return true; // the stored tree is already broken; refuse
        }
        cur = parent_of(u);
    }
    false
}

/// The refusal for a parent that would close a cycle.
#[must_use]
pub fn cycle_error(unit_name: &str, parent_name: &str) -> DomainError {
    DomainError::invalid(
        "parent",
        format!("Không thể đặt «{parent_name}» làm đơn vị cấp trên của «{unit_name}»: cây đơn vị sẽ có vòng lặp."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_unit_cannot_sit_under_its_own_descendant() {
        // 1 ← 2 ← 3
        let parent_of = |u| match u {
            2 => Some(1),
            3 => Some(2),
            _ => None,
        };
        assert!(creates_cycle(1, 3, parent_of));
        assert!(!creates_cycle(3, 1, parent_of));
    }

    #[test]
    fn codes_and_dates_are_checked() {
        let d = date!(2020 - 01 - 01);
        assert_eq!(
            NewUnit::parse("Hậu Giang", "Hậu Giang", "tinh", None, d, None)
                .unwrap_err()
                .field(),
            "code"
        );
        assert_eq!(
            NewUnit::parse("hg", " ", "tinh", None, d, None)
                .unwrap_err()
                .field(),
            "name"
        );
        assert_eq!(
            NewUnit::parse(
                "hg",
                "Hậu Giang",
                "tinh",
                None,
                d,
                Some(date!(2019 - 01 - 01))
            )
            .unwrap_err()
            .field(),
            "valid_to"
        );
        assert_eq!(
            NewUnit::parse("hg", "Hậu Giang", "tinh", Some("hg"), d, None)
                .unwrap_err()
                .field(),
            "parent"
        );
    }
}
