//! Căn cước công dân (CCCD) numbers: 12 digits whose structure is fixed by
//! Điều 7 Thông tư 07/2016/TT-BCA (nay Thông tư 59/2021/TT-BCA):
//! 3 digits of the province of birth registration, 1 digit of century and
//! gender, 2 digits of the year of birth, 6 random digits.
//!
//! A `Cccd` is sensitive: its `Debug` and `Display` print the masked form, so
//! it cannot end up in a log by accident. The full number is available only
//! through [`Cccd::expose`].

use std::fmt;

use time::Date;

use crate::error::DomainError;
use crate::person::Gender;

/// Province codes in use for CCCD numbers (63 provinces before 2025; the
/// numbers already issued keep them after the 2025 reorganisation).
pub const PROVINCE_CODES: [(&str, &str); 63] = [
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"),
    ("079", "TP. Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
];

/// A well-formed CCCD number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cccd(String);

impl Cccd {
    /// Checks the form only: 12 digits and a known province code.
    ///
    /// # Errors
    /// Vietnamese message naming the `cccd` field.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                "cccd",
                "Số CCCD phải gồm đúng 12 chữ số.",
            ));
        }
        if !PROVINCE_CODES.iter().any(|(c, _)| *c == &s[..3]) {
            return Err(DomainError::invalid(
                "cccd",
                format!(
                    "Số CCCD có mã tỉnh nơi đăng ký khai sinh «{}» không tồn tại.",
                    &s[..3]
                ),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// Parses and checks that the century/gender digit and the two year digits
    /// agree with the person's gender and date of birth.
    ///
    /// # Errors
    /// Vietnamese message naming the `cccd` field and the mismatch.
    pub fn parse_for(s: &str, gender: Gender, birth: Date) -> Result<Self, DomainError> {
        let c = Self::parse(s)?;
        let expected = century_gender_digit(gender, birth.year()).ok_or_else(|| {
            DomainError::invalid(
                "birth_date",
                "Năm sinh nằm ngoài khoảng mã hóa được của số CCCD (1800–2399).",
            )
        })?;
        let actual = c.0.as_bytes()[3] - b'0';
        if actual != expected {
            return Err(DomainError::invalid(
                "cccd",
                format!(
                    "Chữ số thứ 4 của số CCCD là {actual}, nhưng với giới tính {} sinh năm {} phải là {expected}.",
                    gender.label(),
                    birth.year()
                ),
            ));
        }
        let yy = birth.year().rem_euclid(100);
        if c.0[4..6] != format!("{yy:02}") {
            return Err(DomainError::invalid(
                "cccd",
                format!(
                    "Chữ số thứ 5–6 của số CCCD là {}, không khớp với năm sinh {} (phải là {yy:02}).",
                    &c.0[4..6],
                    birth.year()
                ),
            ));
        }
        Ok(c)
    }

    /// The full number, for storage and for roles that are allowed to see it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `*********789`: the last three digits only (see [`mask`]).
    #[must_use]
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// How many trailing digits a masked CCCD shows.
pub const MASK_SHOWN: usize = 3;

/// Masks any stored CCCD string the same way as [`Cccd::masked`]: only the
/// last three digits. The leading six are the province, the century and
/// gender, and the birth year (Điều 7 Thông tư 07/2016/TT-BCA), which the
/// same pages show beside the mask; showing them would leave a handful of
/// serial digits to guess (issue 12). Six characters or fewer are hidden
/// entirely.
#[must_use]
pub fn mask(s: &str) -> String {
    let n = s.chars().count();
    if n <= 2 * MASK_SHOWN {
        return "*".repeat(n);
    }
    let tail: String = s.chars().skip(n - MASK_SHOWN).collect();
    format!("{}{tail}", "*".repeat(n - MASK_SHOWN))
}

impl fmt::Debug for Cccd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cccd({})", self.masked())
    }
}

impl fmt::Display for Cccd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Điều 7 Thông tư 07/2016/TT-BCA: thế kỷ 20 nam 0 nữ 1; thế kỷ 21 nam 2 nữ 3;
/// thế kỷ 22 nam 4 nữ 5; thế kỷ 23 nam 6 nữ 7; thế kỷ 24 nam 8 nữ 9.
/// (Births in the 1800s are not encoded by the circular; none are living.)
#[must_use]
pub fn century_gender_digit(gender: Gender, year: i32) -> Option<u8> {
    let century = match year {
        1900..=1999 => 0,
        2000..=2099 => 1,
        2100..=2199 => 2,
        2200..=2299 => 3,
        2300..=2399 => 4,
        _ => return None,
    };
    Some(century * 2 + u8::from(gender == Gender::Female))
}

/// A valid CCCD for tests and synthetic data: the given province, the right
/// century/gender digit, the year, and six digits from `serial`.
#[must_use]
pub fn compose(province: &str, gender: Gender, birth_year: i32, serial: u32) -> Option<String> {
    let d = century_gender_digit(gender, birth_year)?;
    Some(format!(
        "{province}{d}{:02}{:06}",
        birth_year.rem_euclid(100),
        serial % 1_000_000
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_woman_born_in_1985_in_hau_giang() {
        let c = Cccd::parse_for("093185000123", Gender::Female, date!(1985 - 03 - 02)).unwrap();
        assert_eq!(c.masked(), "*********123");
        assert_eq!(format!("{c:?}"), "Cccd(*********123)");
    }

    #[test]
    fn the_mask_hides_province_gender_and_birth_year() {
        // 093 Hậu Giang, 1 woman of the 20th century, 85 born 1985
        let m = mask("093185000123");
        assert_eq!(m, "*********123");
        assert!(!m.contains("0931") && !m.contains("85"), "{m}");
        assert_eq!(mask("12345"), "*****");
    }

    #[test]
    fn century_gender_digit_must_agree() {
        let e = Cccd::parse_for("093085000123", Gender::Female, date!(1985 - 03 - 02)).unwrap_err();
        assert_eq!(e.field(), "cccd");
        assert!(e.message().contains("phải là 1"), "{}", e.message());
        let e = Cccd::parse_for("093186000123", Gender::Female, date!(1985 - 03 - 02)).unwrap_err();
        assert!(e.message().contains("năm sinh"), "{}", e.message());
        assert!(Cccd::parse_for("001204000001", Gender::Male, date!(2004 - 01 - 01)).is_ok());
    }

    #[test]
    fn form_errors() {
        assert!(Cccd::parse("12345").is_err());
        assert!(Cccd::parse("00118500012a").is_err());
        let e = Cccd::parse("003185000123").unwrap_err();
        assert!(e.message().contains("003"));
    }

    #[test]
    fn composed_numbers_validate() {
        let s = compose("092", Gender::Male, 1979, 42).unwrap();
        assert!(Cccd::parse_for(&s, Gender::Male, date!(1979 - 05 - 05)).is_ok());
    }
}
