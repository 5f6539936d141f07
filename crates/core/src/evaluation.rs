//! Monthly and quarterly evaluations (*đánh giá, xếp loại chất lượng theo
//! tháng, quý*; seed 003: "giao nhiệm vụ, khoán sản phẩm") that feed a
//! person's annual rating.
//!
//! No rule derives the annual level from them: the annual rating stays what
//! the officer enters. NĐ 90/2020/NĐ-CP as amended by NĐ 48/2023/NĐ-CP is
//! reported to make periodic results a basis of the year-end rating, but we
//! have not seen a text that fixes a formula (docs/rules.md), so tdkt only
//! summarises the periods ("12/12 tháng hoàn thành tốt nhiệm vụ trở lên")
//! and warns when the annual level entered plainly contradicts them.

use crate::eligibility::Rating;
use crate::period::Period;
use time::{Date, Month};

/// Reads an evaluation period, a month or a quarter, in the forms officers
/// write: `2024-03`, `03/2024`, `T3/2024`, `tháng 3/2024`; `2024-Q1`,
/// `Q1/2024`, `quý I/2024`. The result is a reporting [`Period`] (its
/// `code()` is the stored form).
///
/// # Errors
/// A Vietnamese reason.
pub fn parse_period(s: &str) -> Result<Period, String> {
    let raw = s.trim();
    let bad = || {
        format!("«{raw}» không phải kỳ đánh giá (tháng: 2024-03 hoặc 03/2024; quý: 2024-Q1 hoặc Q1/2024).")
    };
    let f = crate::text::fold(raw).replace(' ', "");
    let (a, b) = f.split_once(['/', '-']).ok_or_else(bad)?;
    // year first (2024-03, 2024-q1) or last (03/2024, q1/2024)
    let (year, part) = if a.len() == 4 && a.chars().all(|c| c.is_ascii_digit()) {
        (a, b)
    } else {
        (b, a)
    };
    let code = if let Some(q) = part.strip_prefix("quy").or_else(|| part.strip_prefix('q')) {
        let n = match q {
            "1" | "i" => 1,
            "2" | "ii" => 2,
            "3" | "iii" => 3,
            "4" | "iv" => 4,
            _ => return Err(format!("«{raw}»: quý phải từ 1 đến 4.")),
        };
        format!("{year}-Q{n}")
    } else {
        let m = part
            .strip_prefix("thang")
            .or_else(|| part.strip_prefix('t'))
            .unwrap_or(part);
        match m.parse::<u8>() {
            Ok(n) if (1..=12).contains(&n) => format!("{year}-{n:02}"),
            Ok(_) => return Err(format!("«{raw}»: tháng phải từ 1 đến 12.")),
            Err(_) => return Err(bad()),
        }
    };
    match Period::parse(&code) {
        Ok(p @ (Period::Month { .. } | Period::Quarter { .. })) => Ok(p),
        Ok(_) => Err(bad()),
        Err(e) => Err(format!("«{raw}»: {}", e.reason)),
    }
}

/// Does any employment period (start, inclusive end) touch `p`?
#[must_use]
pub fn within_service(p: &Period, periods: &[(Date, Option<Date>)]) -> bool {
    let (start, end) = (p.start_date(), p.end_date());
    periods
        .iter()
        .any(|(s, e)| *s <= end && e.is_none_or(|e| e >= start))
}

/// The evaluations of one year, summarised for the annual rating form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearSummary {
    pub year: i32,
    /// Levels of the months evaluated, in month order.
    pub months: Vec<(u8, Rating)>,
    pub quarters: Vec<(u8, Rating)>,
}

impl YearSummary {
    #[must_use]
    pub fn of(year: i32, evaluations: &[(Period, Rating)]) -> Self {
        let mut s = Self {
            year,
            ..Self::default()
        };
        for (p, r) in evaluations {
            match *p {
                Period::Month { year: y, month } if y == year => {
                    s.months.push((u8::from(month), *r));
                }
                Period::Quarter { year: y, quarter } if y == year => {
                    s.quarters.push((quarter, *r));
                }
                _ => {}
            }
        }
        s.months.sort_unstable();
        s.quarters.sort_unstable();
        s
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.months.is_empty() && self.quarters.is_empty()
    }

    fn levels(&self) -> impl Iterator<Item = Rating> + '_ {
        self.months.iter().chain(&self.quarters).map(|(_, r)| *r)
    }

    /// One line per kind: "12/12 tháng hoàn thành tốt nhiệm vụ trở lên (3
    /// tháng hoàn thành xuất sắc nhiệm vụ)".
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (items, total, unit) in [(&self.months, 12, "tháng"), (&self.quarters, 4, "quý")] {
            if items.is_empty() {
                continue;
            }
            let count = |r: Rating| items.iter().filter(|(_, x)| *x == r).count();
            let good = items
                .iter()
                .filter(|(_, x)| *x >= Rating::HoanThanhTot)
                .count();
            let mut line = format!(
                "{good}/{total} {unit} hoàn thành tốt nhiệm vụ trở lên (đã đánh giá {}/{total} {unit}",
                items.len()
            );
            for r in [
                Rating::HoanThanhXuatSac,
                Rating::HoanThanhTot,
                Rating::HoanThanh,
                Rating::KhongHoanThanh,
            ] {
                let n = count(r);
                if n > 0 {
                    line.push_str(&format!("; {n} {unit} {}", r.label()));
                }
            }
            line.push(')');
            out.push(line);
        }
        out
    }

    /// A warning when the annual level plainly contradicts the periods: it
    /// is higher than every period's level, or it is *hoàn thành tốt* or
    /// better with a period *không hoàn thành nhiệm vụ*. Not a legal rule:
    /// the officer decides, tdkt only points at it.
    #[must_use]
    pub fn warning(&self, annual: Rating) -> Option<String> {
        let best = self.levels().max()?;
        let failed: Vec<String> = self
            .months
            .iter()
            .filter(|(_, r)| *r == Rating::KhongHoanThanh)
            .map(|(m, _)| {
                Period::Month {
                    year: self.year,
                    month: Month::try_from(*m).unwrap_or(Month::January),
                }
                .label()
            })
            .chain(
                self.quarters
                    .iter()
                    .filter(|(_, r)| *r == Rating::KhongHoanThanh)
                    .map(|(q, _)| {
                        Period::Quarter {
                            year: self.year,
                            quarter: *q,
                        }
                        .label()
                    }),
            )
            .collect();
        if annual >= Rating::HoanThanhTot && !failed.is_empty() {
            return Some(format!(
                "Xếp loại năm {} «{}» trong khi {} «{}».",
                self.year,
                annual.label(),
                failed.join(", "),
                Rating::KhongHoanThanh.label()
            ));
        }
        (annual > best).then(|| {
            format!(
                "Xếp loại năm {} «{}» cao hơn mọi kỳ đánh giá trong năm (cao nhất: «{}»).",
                self.year,
                annual.label(),
                best.label()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rating as R;

    fn month(year: i32, m: u8) -> Period {
        Period::Month {
            year,
            month: Month::try_from(m).unwrap(),
        }
    }

    #[test]
    fn periods_are_read_in_the_usual_forms() {
        let m = month(2024, 3);
        let q = Period::Quarter {
            year: 2024,
            quarter: 1,
        };
        for s in [
            "2024-03",
            "03/2024",
            "3/2024",
            "T3/2024",
            "tháng 3/2024",
            "Tháng 03 / 2024",
        ] {
            assert_eq!(parse_period(s), Ok(m), "{s}");
        }
        for s in ["2024-Q1", "Q1/2024", "quý I/2024", "Quý 1/2024", "q1-2024"] {
            assert_eq!(parse_period(s), Ok(q), "{s}");
        }
        for s in [
            "2024-13",
            "Q5/2024",
            "2024",
            "tháng ba",
            "13/2024",
            "",
            "2024-H1",
            "03/1900",
        ] {
            assert!(parse_period(s).is_err(), "{s}");
        }
        assert_eq!(parse_period(&q.code()), Ok(q));
        assert_eq!(q.code(), "2024-Q1");
        assert_eq!(m.code(), "2024-03");
    }

    #[test]
    fn service_must_touch_the_period() {
        let d = |y, m, day| Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap();
        let from_july = [(d(2025, 7, 1), None)];
        assert!(!within_service(&month(2025, 6), &from_july));
        assert!(within_service(&month(2025, 7), &from_july));
        assert!(within_service(
            &Period::Quarter {
                year: 2025,
                quarter: 3
            },
            &from_july
        ));
        let ended = [(d(2019, 1, 1), Some(d(2024, 3, 15)))];
        assert!(within_service(&month(2024, 3), &ended));
        assert!(!within_service(&month(2024, 4), &ended));
    }

    #[test]
    fn the_summary_counts_and_warns_without_deciding() {
        let y = 2024;
        let mut ev: Vec<(Period, Rating)> = (1..=12)
            .map(|m| {
                (
                    month(y, m),
                    if m <= 3 {
                        R::HoanThanhXuatSac
                    } else {
                        R::HoanThanhTot
                    },
                )
            })
            .collect();
        let s = YearSummary::of(y, &ev);
        assert_eq!(
            s.lines(),
            vec!["12/12 tháng hoàn thành tốt nhiệm vụ trở lên (đã đánh giá 12/12 tháng; 3 tháng hoàn thành xuất sắc nhiệm vụ; 9 tháng hoàn thành tốt nhiệm vụ)".to_owned()]
        );
        assert_eq!(s.warning(R::HoanThanhXuatSac), None);
        assert_eq!(
            s.warning(R::HoanThanh),
            None,
            "a lower annual level is the officer's call"
        );
        ev[4].1 = R::KhongHoanThanh;
        let s = YearSummary::of(y, &ev);
        let w = s.warning(R::HoanThanhXuatSac).unwrap();
        assert!(w.contains("tháng 5/2024"), "{w}");
        assert_eq!(s.warning(R::HoanThanh), None);
        let only_ht = YearSummary::of(
            y,
            &[(
                Period::Quarter {
                    year: y,
                    quarter: 2,
                },
                R::HoanThanh,
            )],
        );
        assert!(only_ht
            .warning(R::HoanThanhTot)
            .unwrap()
            .contains("cao hơn mọi kỳ"));
        assert_eq!(only_ht.warning(R::HoanThanh), None);
        assert_eq!(
            YearSummary::of(2023, &ev).warning(R::HoanThanhXuatSac),
            None,
            "no periods that year"
        );
    }
}
