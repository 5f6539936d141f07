//! Pledges (*giao ước thi đua*): the indicators the members of a cluster or
//! block sign up to for a year, and the values they report against them.
//!
//! A cluster signs its pledge at the start of the year (*ký kết giao ước thi
//! đua*, as seeds 000 and 001 describe; the legal basis of clusters and
//! blocks belongs to the rule packs, not here); each
//! indicator has a Vietnamese name, a unit, whether higher or lower is
//! better, how the cluster figure is formed (mean or sum), and optionally a
//! threshold every member pledged to reach and per-member targets.
//!
//! Rows of the import files are parsed here into typed values; each error
//! names its column so the CLI can add the row number.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::number::{self, Measure, PercentKind};
use crate::period::Period;

/// One rejected field of an import row: the column (as in the file header)
/// and why, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("cột «{column}»: {message}")]
pub struct ColumnError {
    pub column: &'static str,
    pub message: String,
}

impl ColumnError {
    fn new(column: &'static str, message: impl fmt::Display) -> Self {
        Self {
            column,
            message: message.to_string(),
        }
    }

    /// The problems of one row as the row error every import reports.
    #[must_use]
    pub fn at_row(row: u64, errors: Vec<Self>) -> crate::import::RowError {
        crate::import::RowError::of_columns(row, errors.into_iter().map(|e| (e.column, e.message)))
    }
}

/// Machine key of an indicator or a cluster: lower-case ASCII letters,
/// digits, `_` and `-`, 1 to 64 characters (`grdp_growth`, `tay-nam-bo`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Key(String);

impl Key {
    /// # Errors
    /// A Vietnamese reason.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() || s.len() > 64 {
            return Err("mã phải có từ 1 đến 64 ký tự".to_owned());
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(format!(
                "mã «{s}» chỉ được gồm chữ thường không dấu, chữ số, dấu _ và -"
            ));
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Key {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<Key> for String {
    fn from(k: Key) -> Self {
        k.0
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// *Càng cao càng tốt*: growth, revenue, graduation rate.
    Higher,
    /// *Càng thấp càng tốt*: poor households, traffic deaths, late dossiers.
    Lower,
}

impl Direction {
    /// `higher`/`lower`, also the Vietnamese `cao`/`thấp`.
    ///
    /// # Errors
    /// A Vietnamese reason.
    pub fn parse(s: &str) -> Result<Self, String> {
        match crate::text::fold(s).as_str() {
            "higher" | "cao" => Ok(Self::Higher),
            "lower" | "thap" => Ok(Self::Lower),
            _ => Err(format!(
                "chiều đánh giá «{}» không hợp lệ (higher hoặc lower)",
                s.trim()
            )),
        }
    }

    /// `a` is strictly better than `b`.
    #[must_use]
    pub fn better(self, a: Decimal, b: Decimal) -> bool {
        match self {
            Self::Higher => a > b,
            Self::Lower => a < b,
        }
    }

    /// `value` reaches `target` (at or beyond it, in the good direction).
    #[must_use]
    pub fn reaches(self, value: Decimal, target: Decimal) -> bool {
        match self {
            Self::Higher => value >= target,
            Self::Lower => value <= target,
        }
    }
}

/// How the cluster figure is formed from the members' values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// *Bình quân*: the plain mean over reporting members (rates, growth).
    Mean,
    /// *Tổng*: the total (export value, revenue in money).
    Sum,
}

impl Aggregate {
    /// `mean`/`sum`, also `binh quan`/`tong`.
    ///
    /// # Errors
    /// A Vietnamese reason.
    pub fn parse(s: &str) -> Result<Self, String> {
        match crate::text::fold(s).as_str() {
            "mean" | "avg" | "average" | "binh quan" => Ok(Self::Mean),
            "sum" | "total" | "tong" => Ok(Self::Sum),
            _ => Err(format!(
                "cách tổng hợp «{}» không hợp lệ (mean hoặc sum)",
                s.trim()
            )),
        }
    }
}

/// One indicator of a pledge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub key: Key,
    /// Vietnamese name as it should read at the start of a sentence.
    pub name: String,
    pub unit: Measure,
    pub direction: Direction,
    pub aggregate: Aggregate,
    /// The level each member pledged to reach, in `unit`.
    pub threshold: Option<Decimal>,
    /// Per-member targets (*chỉ tiêu đăng ký*), by member display name.
    #[serde(default)]
    pub targets: BTreeMap<String, Decimal>,
}

impl Indicator {
    /// What a percentage of this indicator measures (see [`PercentKind`]).
    #[must_use]
    pub fn percent_kind(&self) -> PercentKind {
        PercentKind::infer(self.key.as_str(), &self.name)
    }

    /// Checks a reported value against the unit and kind of the indicator.
    ///
    /// # Errors
    /// [`number::InvalidValue`] with the reason in Vietnamese.
    pub fn validate_value(&self, value: Decimal) -> Result<(), number::InvalidValue> {
        self.unit.validate(value, self.percent_kind())
    }
}

/// The raw fields of a pledge row:
/// `cluster,year,indicator,name,unit,direction,aggregate,threshold`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PledgeFields<'a> {
    pub cluster: &'a str,
    pub year: &'a str,
    pub indicator: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub direction: &'a str,
    pub aggregate: &'a str,
    pub threshold: &'a str,
}

/// A parsed pledge row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeRow {
    pub cluster: Key,
    pub year: i32,
    pub indicator: Indicator,
}

impl PledgeRow {
    /// Parses every field and reports every bad one, not just the first.
    ///
    /// # Errors
    /// One [`ColumnError`] per bad column.
    pub fn parse(f: &PledgeFields<'_>) -> Result<Self, Vec<ColumnError>> {
        let mut errors = Vec::new();
        let cluster = take(&mut errors, "cluster", Key::parse(f.cluster));
        let year = take(&mut errors, "year", parse_year(f.year));
        let key = take(&mut errors, "indicator", Key::parse(f.indicator));
        let name = take(&mut errors, "name", parse_name(f.name));
        let unit = take(
            &mut errors,
            "unit",
            Measure::parse(f.unit).map_err(|e| e.to_string()),
        );
        let direction = take(&mut errors, "direction", Direction::parse(f.direction));
        let aggregate = take(&mut errors, "aggregate", Aggregate::parse(f.aggregate));
        let threshold = take(&mut errors, "threshold", parse_optional_value(f.threshold));
        let (
            Some(cluster),
            Some(year),
            Some(key),
            Some(name),
            Some(unit),
            Some(direction),
            Some(aggregate),
            Some(threshold),
        ) = (
            cluster, year, key, name, unit, direction, aggregate, threshold,
        )
        else {
            return Err(errors);
        };
        let indicator = Indicator {
            key,
            name,
            unit,
            direction,
            aggregate,
            threshold,
            targets: BTreeMap::new(),
        };
        if let Some(t) = threshold {
            if let Err(e) = indicator.validate_value(t) {
                return Err(vec![ColumnError::new("threshold", e)]);
            }
        }
        Ok(Self {
            cluster,
            year,
            indicator,
        })
    }
}

/// The raw fields of an indicator-value row:
/// `cluster,period,member,indicator,value,unit` (other columns ignored).
#[derive(Debug, Clone, Copy, Default)]
pub struct ValueFields<'a> {
    pub cluster: &'a str,
    pub period: &'a str,
    pub member: &'a str,
    pub indicator: &'a str,
    pub value: &'a str,
    pub unit: &'a str,
}

/// A parsed indicator-value row, not yet matched against the pledge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueRow {
    pub cluster: Key,
    pub period: Period,
    /// Member as written in the file: a unit code or name, matched by the
    /// store (diacritics-insensitive) among units valid in the period.
    pub member: String,
    pub indicator: Key,
    pub value: Decimal,
    pub unit: Measure,
}

impl ValueRow {
    /// Parses every field and reports every bad one.
    ///
    /// # Errors
    /// One [`ColumnError`] per bad column.
    pub fn parse(f: &ValueFields<'_>) -> Result<Self, Vec<ColumnError>> {
        let mut errors = Vec::new();
        let cluster = take(&mut errors, "cluster", Key::parse(f.cluster));
        let period = take(
            &mut errors,
            "period",
            Period::parse(f.period).map_err(|e| e.to_string()),
        );
        let member = take(&mut errors, "member", parse_name(f.member));
        let indicator = take(&mut errors, "indicator", Key::parse(f.indicator));
        let value = take(
            &mut errors,
            "value",
            parse_optional_value(f.value).and_then(|v| v.ok_or_else(|| "thiếu giá trị".to_owned())),
        );
        let unit = take(
            &mut errors,
            "unit",
            Measure::parse(f.unit).map_err(|e| e.to_string()),
        );
        match (cluster, period, member, indicator, value, unit) {
            (
                Some(cluster),
                Some(period),
                Some(member),
                Some(indicator),
                Some(value),
                Some(unit),
            ) => Ok(Self {
                cluster,
                period,
                member,
                indicator,
                value,
                unit,
            }),
            _ => Err(errors),
        }
    }

    /// Checks the row against the pledge it reports on: same unit, a value
    /// the unit allows, a period inside the pledge year.
    ///
    /// # Errors
    /// One [`ColumnError`] per problem.
    pub fn check_against(
        &self,
        pledge_year: i32,
        indicator: &Indicator,
    ) -> Result<(), Vec<ColumnError>> {
        let mut errors = Vec::new();
        if !self.period.within_year(pledge_year) {
            errors.push(ColumnError::new(
                "period",
                format!(
                    "kỳ {} nằm ngoài năm {pledge_year} của giao ước",
                    self.period.label()
                ),
            ));
        }
        if self.unit != indicator.unit {
            errors.push(ColumnError::new(
                "unit",
                format!(
                    "chỉ tiêu «{}» tính bằng {}, không phải {}",
                    indicator.name,
                    indicator.unit.code(),
                    self.unit.code()
                ),
            ));
        } else if let Err(e) = indicator.validate_value(self.value) {
            errors.push(ColumnError::new("value", e));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Keeps the value, or records the error under `column`.
fn take<T>(errors: &mut Vec<ColumnError>, column: &'static str, r: Result<T, String>) -> Option<T> {
    r.map_err(|m| errors.push(ColumnError::new(column, m))).ok()
}

fn parse_year(s: &str) -> Result<i32, String> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1945..=2100).contains(y))
        .ok_or_else(|| {
            format!(
                "năm «{}» không hợp lệ (4 chữ số, từ 1945 đến 2100)",
                s.trim()
            )
        })
}

fn parse_name(s: &str) -> Result<String, String> {
    let name = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err("không được để trống".to_owned())
    } else {
        Ok(name)
    }
}

/// A number as files give it, read by [`number::parse_vi`] (`9,89`,
/// `9.89`, `1.234,5`). Empty means absent.
fn parse_optional_value(s: &str) -> Result<Option<Decimal>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    number::parse_vi(s).map(Some).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(unit: &'a str, direction: &'a str, threshold: &'a str) -> PledgeFields<'a> {
        PledgeFields {
            cluster: "tay-nam-bo",
            year: "2019",
            indicator: "budget_revenue_plan_pct",
            name: "Thu ngân sách so với kế hoạch năm",
            unit,
            direction,
            aggregate: "mean",
            threshold,
        }
    }

    #[test]
    fn a_pledge_row_becomes_a_typed_indicator() {
        let row = PledgeRow::parse(&fields("percent", "higher", "55")).unwrap();
        assert_eq!(row.cluster.as_str(), "tay-nam-bo");
        assert_eq!(row.year, 2019);
        let i = row.indicator;
        assert_eq!(
            (i.unit, i.direction, i.aggregate),
            (Measure::Percent, Direction::Higher, Aggregate::Mean)
        );
        assert_eq!(i.threshold, Some(Decimal::from(55)));
        assert_eq!(
            PledgeRow::parse(&fields("percent", "lower", ""))
                .unwrap()
                .indicator
                .threshold,
            None
        );
    }

    #[test]
    fn every_bad_column_is_named() {
        let mut f = fields("kg", "up", "x");
        f.year = "19";
        f.cluster = "Tây Nam Bộ";
        let errs = PledgeRow::parse(&f).unwrap_err();
        let cols: Vec<_> = errs.iter().map(|e| e.column).collect();
        assert_eq!(cols, ["cluster", "year", "unit", "direction", "threshold"]);
        assert!(
            errs[2]
                .to_string()
                .starts_with("cột «unit»: đơn vị tính «kg»"),
            "{}",
            errs[2]
        );
    }

    #[test]
    fn a_threshold_must_suit_the_unit() {
        let errs = PledgeRow::parse(&fields("percent", "higher", "-5")).unwrap_err();
        assert_eq!(errs[0].column, "threshold");
        assert!(errs[0].message.contains("không được âm"));
    }

    #[test]
    fn value_rows_parse_and_are_checked_against_the_pledge() {
        let f = ValueFields {
            cluster: "tay-nam-bo",
            period: "2019-H1",
            member: " Trà  Vinh ",
            indicator: "grdp_growth",
            value: "17",
            unit: "percent",
        };
        let row = ValueRow::parse(&f).unwrap();
        assert_eq!(row.member, "Trà Vinh");
        let grdp = PledgeRow::parse(&PledgeFields {
            indicator: "grdp_growth",
            name: "Tốc độ tăng trưởng kinh tế (GRDP)",
            threshold: "",
            ..fields("percent", "higher", "")
        })
        .unwrap()
        .indicator;
        assert!(row.check_against(2019, &grdp).is_ok());
        let errs = row.check_against(2020, &grdp).unwrap_err();
        assert_eq!(errs[0].column, "period");
        assert!(errs[0].message.contains("6 tháng đầu năm 2019"));

        let bad = ValueRow::parse(&ValueFields {
            value: "mười",
            period: "2019-H5",
            ..f
        })
        .unwrap_err();
        assert_eq!(
            bad.iter().map(|e| e.column).collect::<Vec<_>>(),
            ["period", "value"]
        );
        let comma = ValueRow::parse(&ValueFields { value: "9,89", ..f }).unwrap();
        assert_eq!(comma.value, Decimal::new(989, 2));
        let usd = ValueRow::parse(&ValueFields {
            unit: "million_usd",
            ..f
        })
        .unwrap();
        assert_eq!(
            usd.check_against(2019, &grdp).unwrap_err()[0].column,
            "unit"
        );
    }

    #[test]
    fn direction_decides_better_and_reaching() {
        let (a, b) = (Decimal::from(3), Decimal::from(5));
        assert!(Direction::Lower.better(a, b) && !Direction::Higher.better(a, b));
        assert!(Direction::Higher.reaches(b, b) && Direction::Lower.reaches(a, b));
        assert_eq!(Direction::parse("Thấp").unwrap(), Direction::Lower);
        assert_eq!(Aggregate::parse("Tổng").unwrap(), Aggregate::Sum);
    }
}
