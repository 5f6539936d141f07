//! What every file import says about the rows it refused: one [`RowError`]
//! ("Dòng N, cột «…»: …"), one [`Report`] of how many rows were read and
//! refused, and one shape of the rejects file (row, column and reason in
//! front of the row as read) for awards, ratings, evaluations, pledges,
//! reported values and rubrics, from the command line or the web.
//!
//! The checks every cell gets whatever the file, before any importer looks
//! at it, live here too: a cell's text must be UTF-8 (a CSV saved by Excel
//! as "CSV (phân cách bằng dấu phẩy)" is Windows-1258, not UTF-8) and not
//! longer than [`MAX_CELL_CHARS`].

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

/// The longest text a cell of an imported file may hold, in characters.
/// The longest legitimate cells (a reason for an award, a note) are a few
/// hundred characters; a one-megabyte cell is a mistake or an attack, and
/// is refused before it reaches a check, a database row or an error report.
pub const MAX_CELL_CHARS: usize = 2000;

/// Cells of a refused row copied into the rejects file at most this long
/// (characters): every cell a file may hold comes back whole, so that the
/// corrected file imports; a cell refused for its length does not carry a
/// megabyte back.
const MAX_ECHOED_CHARS: usize = MAX_CELL_CHARS;

/// A refused row: 1-based row of the file (the header is row 1), the column
/// as the file names it (empty when the whole row is at fault), the reason
/// in Vietnamese, and the row as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: u64,
    pub column: String,
    pub message: String,
    pub fields: Vec<String>,
}

impl RowError {
    /// An error of one cell (or of the row when `column` is empty), without
    /// the row as read.
    #[must_use]
    pub fn new(row: u64, column: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            row,
            column: column.into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// One error for a row refused in several columns: the first column
    /// names it, every problem is in the message (`…; cột «value»: …`), so
    /// that the rejects file holds the row once.
    ///
    /// # Panics
    /// Never: an empty list gives an error of the whole row.
    #[must_use]
    pub fn of_columns<C: Into<String>, M: Into<String>>(
        row: u64,
        errors: impl IntoIterator<Item = (C, M)>,
    ) -> Self {
        let mut it = errors.into_iter().map(|(c, m)| (c.into(), m.into()));
        let (column, mut message) = it.next().unwrap_or_default();
        for (c, m) in it {
            let _ = write!(message, "; cột «{c}»: {m}");
        }
        Self::new(row, column, message)
    }

    /// The same error carrying the row as read, for the rejects file.
    #[must_use]
    pub fn with_fields(mut self, fields: Vec<String>) -> Self {
        self.fields = fields;
        self
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "Dòng {}: {}", self.row, self.message)
        } else {
            write!(
                f,
                "Dòng {}, cột «{}»: {}",
                self.row, self.column, self.message
            )
        }
    }
}

impl std::error::Error for RowError {}

/// The rows of one file: how many were read, how many refused, and the
/// first refused ones kept for the report (all when `limit` is 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub rows: u64,
    pub rejected_count: u64,
    pub rejected: Vec<RowError>,
    /// Refused rows kept at most (0 = all); not part of the answer.
    #[serde(skip)]
    pub limit: usize,
}

impl Report {
    /// A report keeping at most `limit` refused rows (0 = all).
    #[must_use]
    pub fn keeping(limit: usize) -> Self {
        Self {
            limit,
            ..Self::default()
        }
    }

    /// Counts a refused row, and keeps it if there is room.
    pub fn reject(&mut self, e: RowError) {
        self.rejected_count += 1;
        if self.limit == 0 || self.rejected.len() < self.limit {
            self.rejected.push(e);
        }
    }

    /// No row was refused.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.rejected_count == 0
    }
}

/// Columns the rejects file puts before the row as read. Not `lý do`
/// alone: that folds to an accepted name of the awards' `reason` column,
/// and a corrected report imported again would store the error as the
/// reason.
pub const REJECT_COLUMNS: [&str; 3] = ["dòng", "cột", "lý do lỗi"];

/// The header of the rejects file: [`REJECT_COLUMNS`], then the file's own.
#[must_use]
pub fn reject_header(header: &[String]) -> Vec<String> {
    REJECT_COLUMNS
        .iter()
        .map(|s| (*s).to_owned())
        .chain(header.iter().cloned())
        .collect()
}

/// One line of the rejects file: row, column, reason, then the row as read
/// (a cell over [`MAX_CELL_CHARS`] cut there).
#[must_use]
pub fn reject_row(e: &RowError) -> Vec<String> {
    [e.row.to_string(), e.column.clone(), e.message.clone()]
        .into_iter()
        .chain(e.fields.iter().map(|f| {
            if f.chars().count() > MAX_ECHOED_CHARS {
                let mut cut: String = f.chars().take(MAX_ECHOED_CHARS).collect();
                cut.push('…');
                cut
            } else {
                f.clone()
            }
        }))
        .collect()
}

/// How to save a spreadsheet as a CSV this program reads, for messages.
pub const SAVE_AS_UTF8: &str = "trong Excel chọn Tệp (File) → Lưu thành (Save As) → loại «CSV UTF-8 (phân cách bằng dấu phẩy) (*.csv)», rồi tải lên tệp mới";

/// A cell whose bytes are not UTF-8: the file was saved in another
/// encoding (Windows-1258, what Excel's plain "CSV" gives on a Vietnamese
/// Windows). Names the row and column and says how to save it right.
#[must_use]
pub fn not_utf8(row: u64, column: &str) -> RowError {
    RowError::new(
        row,
        column,
        format!(
            "tệp không phải văn bản UTF-8 (có thể được lưu bằng bảng mã Windows-1258 hoặc TCVN3), nên chữ có dấu không đọc được; {SAVE_AS_UTF8}."
        ),
    )
}

/// Checks a cell's length against [`MAX_CELL_CHARS`].
///
/// # Errors
/// A [`RowError`] naming row and column, with the length and the limit.
pub fn check_cell(row: u64, column: &str, text: &str) -> Result<(), RowError> {
    // bytes first: most cells are short, and no count is needed then
    if text.len() <= MAX_CELL_CHARS {
        return Ok(());
    }
    let n = text.chars().count();
    if n <= MAX_CELL_CHARS {
        return Ok(());
    }
    Err(RowError::new(
        row,
        column,
        format!(
            "ô dài {} ký tự, quá giới hạn {} ký tự của một ô; kiểm tra xem có dán nhầm nội dung vào ô này không.",
            crate::number::format_count(n as u64),
            crate::number::format_count(MAX_CELL_CHARS as u64)
        ),
    ))
}

/// The name of column `i` of a header, for a message: the file's own name,
/// or its spreadsheet letter when the header has none (`A`, `AB`).
#[must_use]
pub fn column_name(header: &[String], i: usize) -> String {
    match header.get(i).map(|h| h.trim()) {
        Some(h) if !h.is_empty() => h.to_owned(),
        _ => column_letter(i),
    }
}

/// The spreadsheet letter of a 0-based column: `A`, `Z`, `AA`.
#[must_use]
pub fn column_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(r).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_error_names_row_and_column_the_same_way_everywhere() {
        let e = RowError::new(3, "award", "mã «x» không có trong danh mục.");
        assert_eq!(
            e.to_string(),
            "Dòng 3, cột «award»: mã «x» không có trong danh mục."
        );
        assert_eq!(
            RowError::new(4, "", "dòng trống giữa bảng").to_string(),
            "Dòng 4: dòng trống giữa bảng"
        );
    }

    #[test]
    fn a_row_refused_in_several_columns_is_one_error_naming_each() {
        let e = RowError::of_columns(
            3,
            [
                ("unit", "đơn vị tính «kg»"),
                ("value", "«chín» không phải là số"),
            ],
        );
        assert_eq!(
            e.to_string(),
            "Dòng 3, cột «unit»: đơn vị tính «kg»; cột «value»: «chín» không phải là số"
        );
        assert_eq!(e.column, "unit");
    }

    #[test]
    fn a_report_counts_every_refused_row_and_keeps_the_first() {
        let mut r = Report::keeping(2);
        for i in 2..7 {
            r.reject(RowError::new(i, "a", "x"));
        }
        assert_eq!(r.rejected_count, 5);
        assert_eq!(r.rejected.iter().map(|e| e.row).collect::<Vec<_>>(), [2, 3]);
        assert!(!r.is_clean());
        let mut all = Report::keeping(0);
        all.reject(RowError::new(2, "a", "x"));
        all.reject(RowError::new(3, "a", "x"));
        assert_eq!(all.rejected.len(), 2);
    }

    #[test]
    fn a_cell_over_the_limit_is_refused_naming_row_and_column() {
        assert!(check_cell(2, "ghi chú", &"ệ".repeat(MAX_CELL_CHARS)).is_ok());
        let e = check_cell(5, "ghi chú", &"a".repeat(1 << 20)).unwrap_err();
        assert_eq!((e.row, e.column.as_str()), (5, "ghi chú"));
        assert!(e.message.contains("1.048.576 ký tự"), "{e}");
        assert!(e.message.contains("2.000"), "{e}");
    }

    #[test]
    fn the_rejects_file_echoes_long_cells_cut() {
        let e = RowError::new(2, "a", "x").with_fields(vec!["b".repeat(5000), "c".into()]);
        let row = reject_row(&e);
        assert_eq!(&row[..3], ["2", "a", "x"]);
        assert_eq!(row[3].chars().count(), MAX_ECHOED_CHARS + 1);
        assert_eq!(row[4], "c");
        assert_eq!(
            reject_header(&["năm".to_owned()]),
            ["dòng", "cột", "lý do lỗi", "năm"]
        );
    }

    #[test]
    fn columns_without_a_name_are_named_by_their_letter() {
        let h = vec!["năm".to_owned(), " ".to_owned()];
        assert_eq!(column_name(&h, 0), "năm");
        assert_eq!(column_name(&h, 1), "B");
        assert_eq!(column_name(&h, 2), "C");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn the_not_utf8_message_says_how_to_save_from_excel() {
        let e = not_utf8(3, "họ tên").to_string();
        assert!(
            e.starts_with("Dòng 3, cột «họ tên»: tệp không phải văn bản UTF-8"),
            "{e}"
        );
        assert!(e.contains("CSV UTF-8"), "{e}");
    }
}
