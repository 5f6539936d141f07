//! Dated periods of a person's career: where they worked (employment) and
//! what position they held, each from a start day to an end day inclusive,
//! the last one open. One rule for both: a period ends on or after the day
//! it starts, periods never overlap, and a change dated `from` closes the
//! open period the day before, so it must come after that period's start.
//!
//! Why it matters: service time (*thời gian công tác*) counts in the title
//! criteria (Điều 24–26 Luật Thi đua, khen thưởng 2022) and a reversed or
//! overlapping period counts days twice or not at all.

use time::Date;

use crate::date::format_vn;
use crate::error::DomainError;

/// One period: `value` held from `start` to `end` inclusive (`None`: still
/// held).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenure<T> {
    pub value: T,
    pub start: Date,
    pub end: Option<Date>,
}

/// What is checked, for the messages: `"công tác"`, `"chức vụ"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Employment,
    Position,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Self::Employment => "công tác",
            Self::Position => "giữ chức vụ",
        }
    }

    fn field(self) -> &'static str {
        match self {
            Self::Employment => "from",
            Self::Position => "position_from",
        }
    }
}

/// Checks a person's periods: each ends on or after its start, none
/// overlaps another, at most the last is open.
///
/// # Errors
/// The first faulty period, with its dates.
pub fn check<T>(kind: Kind, periods: &[Tenure<T>]) -> Result<(), DomainError> {
    let mut sorted: Vec<&Tenure<T>> = periods.iter().collect();
    sorted.sort_by_key(|p| p.start);
    for p in &sorted {
        if let Some(end) = p.end {
            if end < p.start {
                return Err(DomainError::invalid(
                    kind.field(),
                    format!(
                        "Thời gian {} kết thúc ngày {} trước ngày bắt đầu {}.",
                        kind.label(),
                        format_vn(end),
                        format_vn(p.start)
                    ),
                ));
            }
        }
    }
    for w in sorted.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a.end.is_none_or(|end| end >= b.start) {
            return Err(DomainError::invalid(
                kind.field(),
                format!(
                    "Thời gian {} từ {} chồng lên thời gian bắt đầu ngày {}.",
                    kind.label(),
                    format_vn(a.start),
                    format_vn(b.start)
                ),
            ));
        }
    }
    Ok(())
}

/// The periods after a change to `value` from `from`: the open period ends
/// the day before, the new one starts on `from`.
///
/// # Errors
/// `from` on or before the start of the open period (the period would end
/// before it starts), or on or before the end of the last closed one.
pub fn change<T: Clone>(
    kind: Kind,
    periods: &[Tenure<T>],
    value: T,
    from: Date,
) -> Result<Vec<Tenure<T>>, DomainError> {
    let mut out: Vec<Tenure<T>> = periods.to_vec();
    out.sort_by_key(|p| p.start);
    if let Some(last) = out.last_mut() {
        let after = match last.end {
            None => last.start,
            Some(end) => end,
        };
        if from <= after {
            return Err(DomainError::invalid(
                kind.field(),
                format!(
                    "Ngày bắt đầu {} phải sau ngày {}: thời gian {} hiện tại bắt đầu ngày {}{}.",
                    format_vn(from),
                    format_vn(after),
                    kind.label(),
                    format_vn(last.start),
                    last.end
                        .map(|e| format!(", kết thúc ngày {}", format_vn(e)))
                        .unwrap_or_default()
                ),
            ));
        }
        if last.end.is_none() {
            last.end = from.previous_day();
        }
    }
    out.push(Tenure {
        value,
        start: from,
        end: None,
    });
    check(kind, &out)?;
    Ok(out)
}

/// The days covered by `periods` (each end inclusive), an open period or
/// one ending later counted to `until` inclusive, a period starting after
/// `until` not at all. Overlaps are counted twice: [`check`] first.
#[must_use]
pub fn total_days<T>(periods: &[Tenure<T>], until: Date) -> i64 {
    periods
        .iter()
        .filter(|p| p.start <= until)
        .map(|p| {
            let end = p.end.map_or(until, |e| e.min(until));
            (end - p.start).whole_days() + 1
        })
        .filter(|d| *d > 0)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn t(start: Date, end: Option<Date>) -> Tenure<&'static str> {
        Tenure {
            value: "x",
            start,
            end,
        }
    }

    #[test]
    fn a_move_dated_before_the_current_job_is_refused_not_stored_reversed() {
        // The reported case: the current job started 2026-12-03; a move
        // dated 2026-01-01 would have closed it on 2025-12-31.
        let now = [t(date!(2026 - 12 - 03), None)];
        let err = change(Kind::Employment, &now, "y", date!(2026 - 01 - 01)).unwrap_err();
        assert_eq!(err.field(), "from");
        assert!(err.to_string().contains("03/12/2026"), "{err}");
        // the same day is refused too: the old period would end the day before it began
        assert!(change(Kind::Employment, &now, "y", date!(2026 - 12 - 03)).is_err());
        let moved = change(Kind::Employment, &now, "y", date!(2026 - 12 - 04)).unwrap();
        assert_eq!(moved[0].end, Some(date!(2026 - 12 - 03)));
        assert_eq!(
            (moved[1].start, moved[1].end),
            (date!(2026 - 12 - 04), None)
        );
    }

    #[test]
    fn reversed_and_overlapping_periods_are_named() {
        assert!(check(
            Kind::Employment,
            &[t(date!(2026 - 12 - 03), Some(date!(2025 - 12 - 31)))]
        )
        .is_err());
        let overlap = [
            t(date!(2020 - 01 - 01), Some(date!(2022 - 06 - 30))),
            t(date!(2022 - 06 - 30), None),
        ];
        let e = check(Kind::Position, &overlap).unwrap_err();
        assert_eq!(e.field(), "position_from");
        assert!(e.to_string().contains("chồng lên"), "{e}");
        let ok = [
            t(date!(2020 - 01 - 01), Some(date!(2022 - 06 - 29))),
            t(date!(2022 - 06 - 30), None),
        ];
        assert!(check(Kind::Employment, &ok).is_ok());
        assert!(check(
            Kind::Employment,
            &[
                t(date!(2020 - 01 - 01), None),
                t(date!(2021 - 01 - 01), None)
            ]
        )
        .is_err());
    }

    #[test]
    fn total_days_counts_both_ends_and_stops_at_the_cut_off() {
        let p = [
            t(date!(2020 - 01 - 01), Some(date!(2020 - 12 - 31))),
            t(date!(2021 - 01 - 01), None),
        ];
        assert_eq!(total_days(&p, date!(2021 - 01 - 10)), 366 + 10);
        assert_eq!(total_days(&p, date!(2020 - 01 - 01)), 1);
    }

    proptest! {
        /// Any sequence of accepted changes leaves valid periods: no
        /// reversed period, no overlap, only the last open.
        #[test]
        fn accepted_changes_keep_periods_valid(steps in proptest::collection::vec(-400i64..400, 1..12)) {
            let mut periods = vec![t(date!(2020 - 01 - 01), None)];
            let mut day = date!(2020 - 01 - 01);
            for s in steps {
                day = day.saturating_add(time::Duration::days(s));
                match change(Kind::Employment, &periods, "x", day) {
                    Ok(next) => {
                        prop_assert!(check(Kind::Employment, &next).is_ok());
                        prop_assert_eq!(next.iter().filter(|p| p.end.is_none()).count(), 1);
                        periods = next;
                    }
                    Err(_) => prop_assert!(day <= periods.last().unwrap().start),
                }
            }
        }
    }
}
