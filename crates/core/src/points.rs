//! Points and shares as exact decimals, and how they are rounded and shown.
//!
//! Scores are compared and ranked, so they are never floats (DESIGN.md,
//! *Numbers*). One rounding rule for the whole evaluation lives here so that
//! the rubric, the scoring round and the ranking cannot disagree.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places kept for points (`8,25` điểm) and percentages (`70,00%`).
pub const POINT_DP: u32 = 2;

/// Rounds points to [`POINT_DP`] places, halves away from zero (`8,125` →
/// `8,13`), as officers round by hand on a paper score sheet.
#[must_use]
pub fn round_points(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(POINT_DP, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Vietnamese notation: decimal comma, no trailing zeros (`8,2`, `10`).
#[must_use]
pub fn vn(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

/// Parses points typed by an officer: `8,5` or `8.5`.
///
/// # Errors
/// The text is not a decimal number.
pub fn parse_vn(s: &str) -> Result<Decimal, String> {
    let t = s.trim().replace(',', ".");
    t.parse::<Decimal>()
        .map_err(|_| format!("“{}” không phải là số", s.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero_and_print_with_a_comma() {
        assert_eq!(vn(round_points(Decimal::new(8125, 3))), "8,13");
        assert_eq!(vn(round_points(Decimal::new(10, 0))), "10");
        assert_eq!(parse_vn(" 8,5 ").unwrap(), Decimal::new(85, 1));
        assert!(parse_vn("tám").is_err());
    }
}
