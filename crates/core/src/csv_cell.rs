//! Cells of the CSV files tdkt writes (exports, error reports), made safe
//! to open in a spreadsheet (issue 12, item 8; OWASP "CSV Injection").
//!
//! A spreadsheet reads a cell that begins with `=`, `+`, `-` or `@` as a
//! formula (`=HYPERLINK(…)`, `@SUM(…)`, DDE `-cmd|…`), and a leading tab or
//! carriage return lets the same text slip past a check of the first
//! character. [`neutralise`] prefixes such a cell with an apostrophe, which
//! makes the spreadsheet keep it as text. Every CSV writer of tdkt passes
//! each cell through it, data and headers alike.
//!
//! Decision: a cell that is only a negative decimal number (`-12`,
//! `-1.500,5`: a minus sign followed by digits, `.` and `,` only) is left as
//! it is, so that real numbers stay numbers; it cannot call a function or
//! reach another cell. Anything else after the `-` (`-1+1`, `-cmd|…`) is
//! prefixed. The apostrophe stays visible in the raw file; XLSX exports need
//! none of this (they store text as text).

use std::borrow::Cow;

/// First characters that make a spreadsheet evaluate a cell.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as written to a CSV file: unchanged, or prefixed with `'` when
/// a spreadsheet would evaluate it.
#[must_use]
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if TRIGGERS.contains(&c) && !is_negative_number(cell) => {
            Cow::Owned(format!("'{cell}"))
        }
        _ => Cow::Borrowed(cell),
    }
}

/// `-` followed by at least one digit and nothing but digits, `.` and `,`.
fn is_negative_number(cell: &str) -> bool {
    cell.strip_prefix('-').is_some_and(|rest| {
        rest.chars().any(|c| c.is_ascii_digit())
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    })
}

/// Every cell of a record through [`neutralise`], as bytes for a CSV
/// writer (`csv::Writer::write_record`).
#[must_use]
pub fn record<S: AsRef<str>>(cells: &[S]) -> Vec<Cow<'_, [u8]>> {
    cells
        .iter()
        .map(|c| match neutralise(c.as_ref()) {
            Cow::Borrowed(b) => Cow::Borrowed(b.as_bytes()),
            Cow::Owned(o) => Cow::Owned(o.into_bytes()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_their_disguises_are_kept_as_text() {
        for cell in [
            "=HYPERLINK(\"http://evil.example\",\"Bấm\")",
            "+1+1",
            "-1+cmd|' /C calc'!A0",
            "@SUM(A1:A2)",
            "\t=1+1",
            "\r=1+1",
            "-",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn ordinary_text_and_negative_numbers_are_unchanged() {
        for cell in [
            "Chiến sĩ thi đua cơ sở",
            "",
            "123/QĐ-UBND",
            "-12",
            "-1.500,5",
            " =x",
            "'=already",
        ] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn a_record_is_neutralised_cell_by_cell() {
        let r = record(&["a", "=b"]);
        assert_eq!(r, vec![&b"a"[..], &b"'=b"[..]]);
    }
}
