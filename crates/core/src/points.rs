//! Points and shares as exact decimals, and how they are rounded and shown.
//!
//! Scores are compared and ranked, so they are never floats (DESIGN.md,
//! *Numbers*). One rounding rule for the whole evaluation lives here so that
//! the rubric, the scoring round and the ranking cannot disagree. They are
//! read and shown like every other number, by `number::parse_vi` and
//! `number::format_vi`.

use rust_decimal::Decimal;

/// Decimal places kept for points (`8,25` điểm) and percentages (`70,00%`).
pub const POINT_DP: u32 = 2;

/// Rounds points to [`POINT_DP`] places, halves away from zero (`8,125` →
/// `8,13`), as officers round by hand on a paper score sheet.
#[must_use]
pub fn round_points(d: Decimal) -> Decimal {
    crate::number::round(d, POINT_DP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero_and_trailing_zeros_go() {
        assert_eq!(round_points(Decimal::new(8125, 3)), Decimal::new(813, 2));
        assert_eq!(round_points(Decimal::new(-8125, 3)), Decimal::new(-813, 2));
        assert_eq!(round_points(Decimal::new(10, 0)).to_string(), "10");
    }
}
