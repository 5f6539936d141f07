//! Vietnamese numbers: the one reader ([`parse_vi`]) and writer
//! ([`format_vi`], [`format_decimal`]) of every number a person types or
//! reads, and units of measure.
//!
//! Vietnamese writes a decimal comma and a thousands dot: `8,2%`, `83,41%`,
//! `193.310 tỷ đồng`: the convention of Vietnamese official writing and of
//! every report of the General Statistics Office, and the form seed 001
//! quotes. Everything here works on [`Decimal`]: nothing shown or compared
//! goes through a float.
//!
//! # Rounding rule
//!
//! Figures are rounded **half away from zero** ("làm tròn nửa lên"): the
//! rule taught in Vietnamese schools (*quy ước làm tròn số*, Toán 7) and the
//! one statistical offices use, so `8,245` shown with two decimals is
//! `8,25`, and `8,25` with one decimal is `8,3` (banker's rounding would
//! give `8,2`, which no reader of a report expects). Trailing zeros are then
//! dropped: `57,20` is written `57,2`, `17,00` is written `17`.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Decimals shown for a figure in its own unit (`83,41%`, `9,89%`).
pub const DEFAULT_DECIMALS: u32 = 2;
/// Decimals shown once an amount is scaled to a larger unit: three keeps the
/// precision of the unit it came in (`8493` million USD → `8,493 tỷ USD`).
pub const SCALED_DECIMALS: u32 = 3;

/// Rounds half away from zero to `decimals` places and drops trailing zeros.
/// See the module documentation for why this rule.
#[must_use]
pub fn round(value: Decimal, decimals: u32) -> Decimal {
    value
        .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// A number in Vietnamese form, rounded to at most `decimals` places:
/// `193.310`, `8,2`, `-1.234,5`.
#[must_use]
pub fn format_decimal(value: Decimal, decimals: u32) -> String {
    let v = round(value, decimals);
    let plain = v.abs().to_string();
    let (int, frac) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
    let mut out = String::with_capacity(plain.len() + plain.len() / 3 + 1);
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    let digits = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A percentage as reports write it, no space before the sign: `8,2%`.
#[must_use]
pub fn format_percent(value: Decimal) -> String {
    format!("{}%", format_decimal(value, DEFAULT_DECIMALS))
}

/// Why a number typed or read from a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "«{input}» không phải là số (viết dấu phẩy trước phần thập phân, dấu chấm ngăn hàng nghìn: 8,25 hoặc 193.310)"
)]
pub struct ParseNumberError {
    pub input: String,
}

/// Reads a number a person typed into a form or a file cell: the one
/// reader of numbers for forms, CSV and XLSX cells, rubric points, targets
/// and shares. [`format_vi`] writes what it reads back.
///
/// # The rule, ambiguous input included
///
/// 1. Spaces around the number are ignored; a leading `-` makes it
///    negative. Nothing else may surround the digits (no `%`, no unit).
/// 2. **A comma is the decimal separator** (Vietnamese writing): `8,25`,
///    `1,5`, `1.234,5`. At most one comma, with digits on both sides; the
///    digits before it may be grouped by dots in threes.
/// 3. **Without a comma, dots that can group thousands do**: a first
///    group of one to three digits not starting with `0`, then groups of
///    exactly three digits: `1.500` is one thousand five hundred,
///    `193.310` is 193310, `1.234.567` is 1234567. This is how
///    [`format_decimal`] writes them, so what is shown reads back the same.
/// 4. **Otherwise a single dot is a decimal point**, as spreadsheets, CSV
///    files and English keyboards write it: `8.25`, `9.5`, `0.125`,
///    `1234.5`. None of these can be a Vietnamese thousands grouping, so
///    reading them as decimals loses nothing.
/// 5. Everything else is refused rather than guessed: `1.2.3`, `1.234.5`,
///    `1,2,3`, `1,234.5` (English grouping), `1 500`, `8,`, `,5`.
///
/// The one ambiguous shape is a single dot followed by exactly three digits
/// (`1.500`): Vietnamese reads one thousand five hundred, English reads one
/// and a half. Rule 3 decides for the Vietnamese reading, the convention of
/// every official document and the one this program writes; write `1,5`
/// for one and a half. Spreadsheet cells that hold a number (not text) are
/// never ambiguous: the file readers format them with [`format_vi`] first.
///
/// # Errors
/// [`ParseNumberError`] naming the input.
pub fn parse_vi(input: &str) -> Result<Decimal, ParseNumberError> {
    let err = || ParseNumberError {
        input: input.trim().to_owned(),
    };
    let s = input.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let grouped = |t: &str| {
        let groups: Vec<&str> = t.split('.').collect();
        groups.iter().enumerate().all(|(i, g)| {
            digits(g)
                && if i == 0 {
                    groups.len() == 1 || (g.len() <= 3 && !g.starts_with('0'))
                } else {
                    g.len() == 3
                }
        })
    };
    let plain = match s.split_once(',') {
        // Rule 2: a decimal comma.
        Some((int, frac)) if grouped(int) && digits(frac) => {
            format!("{}.{frac}", int.replace('.', ""))
        }
        Some(_) => return Err(err()),
        // Rule 3: thousands dots.
        None if grouped(s) => s.replace('.', ""),
        // Rule 4: one decimal point.
        None => match s.split_once('.') {
            Some((int, frac)) if digits(int) && digits(frac) => s.to_owned(),
            _ => return Err(err()),
        },
    };
    let v = Decimal::from_str(&plain).map_err(|_| err())?;
    Ok(if neg { -v } else { v })
}

/// A number in Vietnamese form with every decimal it has (no rounding):
/// `1.500`, `8,125`, `-0,5`. What [`parse_vi`] reads back exactly; used
/// wherever a value is shown for editing or written into a file cell.
#[must_use]
pub fn format_vi(value: Decimal) -> String {
    format_decimal(value, 28)
}

/// A count in Vietnamese form: `12.345`.
#[must_use]
pub fn format_count(n: u64) -> String {
    format_decimal(Decimal::from(n), 0)
}

/// The unit an indicator is measured in, by its code in the pledge and
/// indicator files (`percent`, `million_usd`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Percent,
    Vnd,
    MillionVnd,
    BillionVnd,
    Usd,
    MillionUsd,
    BillionUsd,
    Count,
    Persons,
    Thousand,
    Million,
}

/// An unknown unit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("đơn vị tính «{code}» không được hỗ trợ (dùng một trong: {})", Measure::CODES.join(", "))]
pub struct UnknownMeasure {
    pub code: String,
}

/// A value that makes no sense in its unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("giá trị {value} không hợp lệ: {reason}")]
pub struct InvalidValue {
    pub value: String,
    pub reason: String,
}

/// What a percentage measures, which decides the values it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PercentKind {
    /// A share of a whole (*tỷ lệ*: graduation rate, share of poor
    /// households): 0 to 100.
    Rate,
    /// Achievement against a plan (*so với kế hoạch*): not negative, may
    /// exceed 100 (a province may collect 112% of its budget plan).
    OfPlan,
    /// A change (*tốc độ tăng trưởng*, *tăng/giảm so với cùng kỳ*): may be
    /// negative, but nothing falls by more than 100%.
    Change,
}

impl PercentKind {
    /// Guesses the kind from an indicator's key and Vietnamese name, since
    /// the pledge file has no column for it: `…_rate`/*Tỷ lệ…* is a rate,
    /// `…plan…`/*…kế hoạch…* is against plan, `…growth…`/*tăng trưởng* is a
    /// change. Anything else is treated as against plan (not negative, no
    /// upper bound), the loosest check that still refuses a negative.
    #[must_use]
    pub fn infer(key: &str, name: &str) -> Self {
        let name = crate::text::fold(name);
        if key.contains("growth")
            || key.contains("change")
            || name.contains("tang truong")
            || name.contains("so voi cung ky")
        {
            Self::Change
        } else if key.contains("plan") || name.contains("ke hoach") {
            Self::OfPlan
        } else if key.ends_with("rate") || name.starts_with("ty le") {
            Self::Rate
        } else {
            Self::OfPlan
        }
    }
}

const THOUSAND: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
const MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
const BILLION: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

impl Measure {
    /// Every code, in the order of the issue.
    pub const CODES: [&'static str; 11] = [
        "percent",
        "vnd",
        "million_vnd",
        "billion_vnd",
        "usd",
        "million_usd",
        "billion_usd",
        "count",
        "persons",
        "thousand",
        "million",
    ];
    const ALL: [Self; 11] = [
        Self::Percent,
        Self::Vnd,
        Self::MillionVnd,
        Self::BillionVnd,
        Self::Usd,
        Self::MillionUsd,
        Self::BillionUsd,
        Self::Count,
        Self::Persons,
        Self::Thousand,
        Self::Million,
    ];

    /// Reads a unit code; case and surrounding spaces are forgiven.
    ///
    /// # Errors
    /// [`UnknownMeasure`] listing the codes understood.
    pub fn parse(code: &str) -> Result<Self, UnknownMeasure> {
        let c = code.trim().to_ascii_lowercase();
        Self::CODES
            .iter()
            .position(|k| *k == c)
            .map(|i| Self::ALL[i])
            .ok_or_else(|| UnknownMeasure {
                code: code.trim().to_owned(),
            })
    }

    /// The code, as in the files.
    #[must_use]
    pub fn code(self) -> &'static str {
        Self::CODES[Self::ALL.iter().position(|m| *m == self).unwrap_or(0)]
    }

    /// The Vietnamese name of the unit, for forms and table headers.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Percent => "%",
            Self::Vnd => "đồng",
            Self::MillionVnd => "triệu đồng",
            Self::BillionVnd => "tỷ đồng",
            Self::Usd => "USD",
            Self::MillionUsd => "triệu USD",
            Self::BillionUsd => "tỷ USD",
            Self::Count => "",
            Self::Persons => "người",
            Self::Thousand => "nghìn",
            Self::Million => "triệu",
        }
    }

    /// The unit as a form or a table heading names it: [`Measure::label`],
    /// except that a plain count, written without a suffix, is still named
    /// (issue 15 item 9: no blank choice in a picker).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Count => "số lượng (đếm)",
            other => other.label(),
        }
    }

    /// Values of this unit are whole numbers.
    #[must_use]
    pub fn is_integral(self) -> bool {
        matches!(self, Self::Count | Self::Persons)
    }

    /// Checks a reported value against its unit. `kind` matters only for
    /// percentages (see [`PercentKind`]); amounts and counts reported as
    /// indicators are totals and so never negative.
    ///
    /// # Errors
    /// [`InvalidValue`] with the reason in Vietnamese.
    pub fn validate(self, value: Decimal, kind: PercentKind) -> Result<(), InvalidValue> {
        let bad = |reason: &str| {
            Err(InvalidValue {
                value: format_decimal(value, 28),
                reason: reason.to_owned(),
            })
        };
        match self {
            Self::Percent => match kind {
                PercentKind::Rate if value.is_sign_negative() && !value.is_zero() => {
                    bad("tỷ lệ không được âm")
                }
                PercentKind::Rate if value > Decimal::ONE_HUNDRED => {
                    bad("tỷ lệ không được vượt quá 100%")
                }
                PercentKind::OfPlan if value.is_sign_negative() && !value.is_zero() => {
                    bad("tỷ lệ thực hiện so với kế hoạch không được âm")
                }
                PercentKind::Change if value < -Decimal::ONE_HUNDRED => {
                    bad("không thể giảm quá 100%")
                }
                _ => Ok(()),
            },
            _ if value.is_sign_negative() && !value.is_zero() => {
                bad("số liệu chỉ tiêu không được âm")
            }
            m if m.is_integral() && !value.fract().is_zero() => bad("số lượng phải là số nguyên"),
            _ => Ok(()),
        }
    }

    /// A value in this unit as a report writes it, scaled to the largest
    /// unit in which it is at least one: `8493` million USD → `8,493 tỷ
    /// USD`, `193310` billion VND → `193.310 tỷ đồng` (*tỷ* is the largest
    /// unit used, as the press does), `500` million USD stays `500 triệu
    /// USD`.
    #[must_use]
    pub fn format(self, value: Decimal) -> String {
        let with = |v: Decimal, decimals: u32, unit: &str| {
            let n = format_decimal(v, decimals);
            if unit.is_empty() {
                n
            } else {
                format!("{n} {unit}")
            }
        };
        // Amounts are first brought to their base unit, then scaled down.
        let scaled =
            |base: Decimal, steps: &[(Decimal, &str)], unit_of_base: &str, from_base: bool| {
                for (size, unit) in steps {
                    if base.abs() >= *size {
                        return with(base / size, SCALED_DECIMALS, unit);
                    }
                }
                with(
                    base,
                    if from_base {
                        DEFAULT_DECIMALS
                    } else {
                        SCALED_DECIMALS
                    },
                    unit_of_base,
                )
            };
        match self {
            Self::Percent => format_percent(value),
            Self::Vnd | Self::MillionVnd | Self::BillionVnd => {
                let base = value * self.factor();
                let steps = [(BILLION, "tỷ đồng"), (MILLION, "triệu đồng")];
                scaled(base, &steps, "đồng", self == Self::Vnd)
            }
            Self::Usd | Self::MillionUsd | Self::BillionUsd => {
                let base = value * self.factor();
                let steps = [(BILLION, "tỷ USD"), (MILLION, "triệu USD")];
                scaled(base, &steps, "USD", self == Self::Usd)
            }
            Self::Count => with(value, DEFAULT_DECIMALS, ""),
            Self::Persons => with(value, DEFAULT_DECIMALS, "người"),
            Self::Thousand | Self::Million => {
                let base = value * self.factor();
                let steps = [(BILLION, "tỷ"), (MILLION, "triệu"), (THOUSAND, "nghìn")];
                scaled(base, &steps, "", false)
            }
        }
    }

    fn factor(self) -> Decimal {
        match self {
            Self::MillionVnd | Self::MillionUsd | Self::Million => MILLION,
            Self::BillionVnd | Self::BillionUsd => BILLION,
            Self::Thousand => THOUSAND,
            _ => Decimal::ONE,
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Measure {
    type Err = UnknownMeasure;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::prelude::FromPrimitive;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers_take_a_decimal_comma_and_a_thousands_dot() {
        assert_eq!(format_decimal(d("193310"), 2), "193.310");
        assert_eq!(format_decimal(d("8.2"), 2), "8,2");
        assert_eq!(format_decimal(d("57.20"), 2), "57,2");
        assert_eq!(format_decimal(d("17.00"), 2), "17");
        assert_eq!(format_decimal(d("-1234.5"), 2), "-1.234,5");
        assert_eq!(format_decimal(d("999"), 2), "999");
        assert_eq!(format_decimal(d("1000"), 2), "1.000");
        assert_eq!(format_decimal(d("-0.001"), 2), "0");
    }

    #[test]
    fn every_unit_of_measure_has_a_name_a_picker_can_show() {
        for code in Measure::CODES {
            let m = Measure::parse(code).unwrap();
            assert!(!m.name().trim().is_empty(), "{code} has a blank name");
        }
    }

    #[test]
    fn percentages_are_written_as_in_reports() {
        assert_eq!(format_percent(d("8.2")), "8,2%");
        assert_eq!(format_percent(d("83.41")), "83,41%");
        assert_eq!(format_percent(d("63.43333")), "63,43%");
    }

    #[test]
    fn rounding_is_half_away_from_zero_not_bankers() {
        assert_eq!(round(d("8.25"), 1), d("8.3"));
        assert_eq!(round(d("8.35"), 1), d("8.4"));
        assert_eq!(round(d("8.245"), 2), d("8.25"));
        assert_eq!(round(d("-8.25"), 1), d("-8.3"));
        assert_eq!(round(d("48.688333"), 2), d("48.69"));
    }

    #[test]
    fn large_amounts_are_scaled_to_the_largest_sensible_unit() {
        assert_eq!(Measure::MillionUsd.format(d("8493")), "8,493 tỷ USD");
        assert_eq!(Measure::MillionUsd.format(d("500")), "500 triệu USD");
        assert_eq!(Measure::BillionVnd.format(d("193310")), "193.310 tỷ đồng");
        assert_eq!(Measure::Vnd.format(d("2500000")), "2,5 triệu đồng");
        assert_eq!(Measure::Vnd.format(d("950")), "950 đồng");
        assert_eq!(Measure::MillionVnd.format(d("1234.5678")), "1,235 tỷ đồng");
        assert_eq!(Measure::Usd.format(d("12.5")), "12,5 USD");
        assert_eq!(Measure::Thousand.format(d("1200")), "1,2 triệu");
        assert_eq!(Measure::Thousand.format(d("12")), "12 nghìn");
        assert_eq!(Measure::Persons.format(d("1500")), "1.500 người");
        assert_eq!(Measure::Count.format(d("42")), "42");
        assert_eq!(Measure::Percent.format(d("17")), "17%");
    }

    #[test]
    fn unit_codes_parse_and_unknown_ones_are_named() {
        for code in Measure::CODES {
            assert_eq!(Measure::parse(code).unwrap().code(), code);
        }
        assert_eq!(
            Measure::parse(" Million_USD ").unwrap(),
            Measure::MillionUsd
        );
        let e = Measure::parse("kg").unwrap_err().to_string();
        assert!(e.contains("«kg»") && e.contains("million_usd"), "{e}");
    }

    #[test]
    fn values_are_checked_against_their_unit() {
        let p = Measure::Percent;
        assert!(p.validate(d("112"), PercentKind::OfPlan).is_ok());
        assert!(p.validate(d("-3"), PercentKind::OfPlan).is_err());
        assert!(p.validate(d("-2.5"), PercentKind::Change).is_ok());
        assert!(p.validate(d("-101"), PercentKind::Change).is_err());
        let e = p.validate(d("-1"), PercentKind::Rate).unwrap_err();
        assert_eq!(
            e.to_string(),
            "giá trị -1 không hợp lệ: tỷ lệ không được âm"
        );
        assert!(p.validate(d("100.5"), PercentKind::Rate).is_err());
        assert!(Measure::Count
            .validate(d("3.5"), PercentKind::Rate)
            .unwrap_err()
            .reason
            .contains("số nguyên"));
        assert!(Measure::Persons
            .validate(d("12.0"), PercentKind::Rate)
            .is_ok());
        assert!(Measure::MillionUsd
            .validate(d("-5"), PercentKind::Rate)
            .is_err());
    }

    #[test]
    fn percent_kind_is_inferred_from_key_and_name() {
        assert_eq!(
            PercentKind::infer("grdp_growth", "Tốc độ tăng trưởng kinh tế (GRDP)"),
            PercentKind::Change
        );
        assert_eq!(
            PercentKind::infer(
                "budget_revenue_plan_pct",
                "Thu ngân sách so với kế hoạch năm"
            ),
            PercentKind::OfPlan
        );
        assert_eq!(
            PercentKind::infer("hs_graduation_rate", "Tỷ lệ đậu tốt nghiệp"),
            PercentKind::Rate
        );
        assert_eq!(PercentKind::infer("x", "Tỷ lệ hộ nghèo"), PercentKind::Rate);
    }

    #[test]
    fn a_decimal_comma_and_thousands_dots_are_read_the_vietnamese_way() {
        assert_eq!(parse_vi("193.310").unwrap(), d("193310"));
        assert_eq!(parse_vi("1.500").unwrap(), d("1500"));
        assert_eq!(parse_vi("1.234.567").unwrap(), d("1234567"));
        assert_eq!(parse_vi("8,25").unwrap(), d("8.25"));
        assert_eq!(parse_vi("1,500").unwrap(), d("1.5"));
        assert_eq!(parse_vi(" -1.234,5 ").unwrap(), d("-1234.5"));
        assert_eq!(parse_vi("1234").unwrap(), d("1234"));
        assert_eq!(parse_vi("0,125").unwrap(), d("0.125"));
    }

    #[test]
    fn a_dot_that_cannot_group_thousands_is_a_decimal_point() {
        assert_eq!(parse_vi("8.25").unwrap(), d("8.25"));
        assert_eq!(parse_vi("9.5").unwrap(), d("9.5"));
        assert_eq!(parse_vi("1.50").unwrap(), d("1.5"));
        assert_eq!(parse_vi("1.2345").unwrap(), d("1.2345"));
        assert_eq!(parse_vi("0.125").unwrap(), d("0.125"));
        assert_eq!(parse_vi("1234.500").unwrap(), d("1234.5"));
        assert_eq!(parse_vi("-0.5").unwrap(), d("-0.5"));
    }

    #[test]
    fn what_could_only_be_guessed_is_refused() {
        for bad in [
            "1.2.3", "1.234.5", "1,2,3", "1,234.5", "1 500", "1,", ",5", ".5", "5.", "abc", "",
            "-", "8,2%", "1.5e3", "+-1", "01.500,5",
        ] {
            assert!(parse_vi(bad).is_err(), "{bad}");
        }
        let e = parse_vi(" 1,2,3 ").unwrap_err().to_string();
        assert!(e.starts_with("«1,2,3» không phải là số"), "{e}");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(12_345), "12.345");
        assert_eq!(format_vi(d("8.125")), "8,125");
        assert_eq!(format_vi(d("1500.50")), "1.500,5");
    }

    proptest! {
        #[test]
        fn formatting_round_trips(n in -1_000_000_000_000i64..1_000_000_000_000i64, scale in 0u32..=4) {
            let v = Decimal::new(n, scale);
            let shown = format_decimal(v, 4);
            prop_assert_eq!(parse_vi(&shown).unwrap(), v.normalize());
        }

        #[test]
        fn every_value_shown_exactly_reads_back_the_same(n in any::<i64>(), scale in 0u32..=12) {
            let v = Decimal::new(n, scale);
            prop_assert_eq!(parse_vi(&format_vi(v)).unwrap(), v.normalize());
        }

        #[test]
        fn a_machine_written_decimal_reads_as_itself_unless_it_looks_grouped(
            int in 0u64..10_000_000, frac in 0u32..100_000, places in 1usize..=5,
        ) {
            // what a program or an English spreadsheet writes: 8.25
            let frac = format!("{frac:0places$}");
            let frac = &frac[frac.len() - places..];
            let typed = format!("{int}.{frac}");
            let looks_grouped = places == 3 && int > 0 && int < 1000;
            let expected = if looks_grouped {
                Decimal::from_str(&format!("{int}{frac}")).unwrap()
            } else {
                Decimal::from_str(&typed).unwrap()
            };
            prop_assert_eq!(parse_vi(&typed).unwrap(), expected);
        }

        #[test]
        fn any_text_either_fails_or_reads_back_from_its_formatting(s in "[-0-9.,]{0,12}") {
            if let Ok(v) = parse_vi(&s) {
                prop_assert_eq!(parse_vi(&format_vi(v)).unwrap(), v.normalize());
            }
        }

        #[test]
        fn rounding_never_moves_more_than_half_a_unit(x in -1.0e9f64..1.0e9f64, decimals in 0u32..=3) {
            // floats only generate inputs here; every check is on Decimal
            let v = Decimal::from_f64(x).unwrap();
            let r = round(v, decimals);
            let half = Decimal::new(5, decimals + 1);
            prop_assert!((r - v).abs() <= half);
        }
    }
}
