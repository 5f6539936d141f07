//! The offices' spreadsheets as rows of strings, and the error report that
//! goes back to them. One reader for the command line (a path, CSV streamed
//! so that ten million rows never sit in memory) and the web upload (bytes
//! already received), one writer of refused rows (CSV and XLSX) for both, so
//! that a file is read and its errors reported the same way whichever door
//! it came through.

use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;
use tdkt_core::csv_cell;

use tdkt_core::import::{self, column_name, not_utf8, reject_header, reject_row, RowError};

/// One row of a file, or why it could not be read (its bytes are not
/// UTF-8, a cell is over the length limit: [`tdkt_core::import`]).
pub type RowResult = std::result::Result<Vec<String>, RowError>;

/// Rows of a file: the header, an iterator of rows, and their number when
/// known before reading them (XLSX, bytes).
pub type Rows = (
    Vec<String>,
    Box<dyn Iterator<Item = RowResult> + Send>,
    Option<u64>,
);

/// Why a file could not be opened; the message is Vietnamese, the cause (if
/// any) is kept as the error's source.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("không nhận dạng được loại tệp «{0}» (cần .csv hoặc .xlsx)")]
    UnknownKind(String),
    #[error("{context}")]
    Read {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{0}")]
    Empty(&'static str),
    /// The header row itself is refused (not UTF-8, a cell too long).
    #[error("{0}")]
    Header(RowError),
}

impl FileError {
    fn read(context: String, e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Read {
            context,
            source: Box::new(e),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Csv,
    Sheet,
}

fn kind_of(name: &str) -> Option<Kind> {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => Some(Kind::Csv),
        "xlsx" | "xlsm" | "xls" | "ods" => Some(Kind::Sheet),
        _ => None,
    }
}

/// Opens a CSV (UTF-8, `,` or `;`) or XLSX file (first sheet) by its
/// extension. A CSV is streamed: its number of rows is not known.
///
/// # Errors
/// Unreadable file or unknown extension.
pub fn read_path(path: &Path) -> Result<Rows, FileError> {
    let shown = path.display().to_string();
    match kind_of(&path.to_string_lossy()) {
        Some(Kind::Csv) => {
            let mut head = Vec::with_capacity(4096);
            std::fs::File::open(path)
                .and_then(|f| f.take(4096).read_to_end(&mut head))
                .map_err(|e| FileError::read(format!("không đọc được {shown}"), e))?;
            let file = std::fs::File::open(path)
                .map_err(|e| FileError::read(format!("không mở được {shown}"), e))?;
            read_csv(&head, BufReader::with_capacity(1 << 20, file), None)
        }
        Some(Kind::Sheet) => {
            let wb = calamine::open_workbook_auto(path)
                .map_err(|e| FileError::read(format!("không mở được {shown}"), e))?;
            read_sheet(wb)
        }
        None => Err(FileError::UnknownKind(shown)),
    }
}

/// Reads an uploaded file (`name` gives its kind) held in memory; the number
/// of rows is counted first, so that a progress bar knows where it ends.
///
/// # Errors
/// Unreadable content or unknown extension.
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<Rows, FileError> {
    match kind_of(name) {
        Some(Kind::Csv) => {
            let total = csv_records(&bytes);
            let head = bytes[..bytes.len().min(4096)].to_vec();
            read_csv(&head, Cursor::new(bytes), Some(total))
        }
        Some(Kind::Sheet) => {
            let wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
                .map_err(|e| FileError::read(format!("không mở được tệp «{name}»"), e))?;
            read_sheet(wb)
        }
        None => Err(FileError::UnknownKind(name.to_owned())),
    }
}

/// The delimiter a spreadsheet program chose: `;` where the decimal comma
/// is the locale's (Vietnamese Excel), `,` otherwise.
fn delimiter(head: &[u8]) -> u8 {
    let head = String::from_utf8_lossy(head);
    let line = head.lines().next().unwrap_or_default();
    if line.matches(';').count() > line.matches(',').count() {
        b';'
    } else {
        b','
    }
}

fn csv_records(bytes: &[u8]) -> u64 {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let mut n = 0;
    while rdr.read_byte_record(&mut rec).unwrap_or(false) {
        n += 1;
    }
    n
}

fn read_csv<R: BufRead + Send + 'static>(
    head: &[u8],
    src: R,
    total: Option<u64>,
) -> Result<Rows, FileError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter(head))
        .flexible(true)
        .from_reader(src);
    let raw = rdr
        .byte_headers()
        .map_err(|e| FileError::read("không đọc được dòng tiêu đề".to_owned(), e))?
        .clone();
    let header = text_row(1, &[], raw.iter()).map_err(FileError::Header)?;
    let names = header.clone();
    // the header is row 1
    let iter = (2_u64..).zip(rdr.into_byte_records()).map(move |(row, r)| {
        let rec = r.map_err(|_| {
            RowError::new(
                row,
                "",
                "không đọc được dòng này của tệp CSV (tệp hỏng hoặc bị cắt).",
            )
        })?;
        text_row(row, &names, rec.iter())
    });
    Ok((header, Box::new(iter), total))
}

/// The cells of a row as text, each checked once for every importer: its
/// bytes are UTF-8 and it is not over [`import::MAX_CELL_CHARS`]. A refused
/// row keeps what could be read of it, for the rejects file.
fn text_row<'a>(row: u64, header: &[String], cells: impl Iterator<Item = &'a [u8]>) -> RowResult {
    let mut out = Vec::new();
    let mut first_error = None;
    for (i, bytes) in cells.enumerate() {
        let cell = match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                first_error.get_or_insert_with(|| not_utf8(row, &column_name(header, i)));
                String::from_utf8_lossy(bytes).into_owned()
            }
        };
        if let Err(e) = import::check_cell(row, &column_name(header, i), &cell) {
            first_error.get_or_insert(e);
        }
        out.push(cell);
    }
    match first_error {
        None => Ok(out),
        Some(e) => Err(e.with_fields(out)),
    }
}

fn read_sheet<RS: std::io::Read + std::io::Seek>(
    mut wb: calamine::Sheets<RS>,
) -> Result<Rows, FileError> {
    use calamine::Reader;
    let range = wb
        .worksheet_range_at(0)
        .ok_or(FileError::Empty("tệp không có trang tính nào"))?
        .map_err(|e| FileError::read("không đọc được trang tính đầu tiên".to_owned(), e))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(cell).collect())
        .unwrap_or_default();
    let header = checked_row(1, &[], header).map_err(FileError::Header)?;
    let body: Vec<RowResult> = (2_u64..)
        .zip(rows)
        .map(|(row, r)| checked_row(row, &header, r.iter().map(cell).collect()))
        .collect();
    let n = body.len() as u64;
    Ok((header, Box::new(body.into_iter()), Some(n)))
}

/// A row of a sheet (already text) checked like a CSV row's.
fn checked_row(row: u64, header: &[String], cells: Vec<String>) -> RowResult {
    let bad = cells
        .iter()
        .enumerate()
        .find_map(|(i, c)| import::check_cell(row, &column_name(header, i), c).err());
    match bad {
        None => Ok(cells),
        Some(e) => Err(e.with_fields(cells)),
    }
}

/// A spreadsheet cell as text, the one reading of cells for every XLSX
/// import (awards, ratings, values, rubrics). A number cell holds a number,
/// not text, so it is written the way `tdkt_core::number::parse_vi` reads
/// back exactly: `1500`, `8,125` (never `1.125`, which that reader would
/// take for one thousand one hundred and twenty-five). Dates come back as
/// `YYYY-MM-DD`.
#[must_use]
pub fn cell(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        // Rust writes the shortest decimal that reads back as the same
        // float (8.25, not 8.2500000000000001), which Decimal then takes.
        Data::Float(f) => f
            .to_string()
            .parse::<rust_decimal::Decimal>()
            .map_or_else(|_| f.to_string(), tdkt_core::number::format_vi),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel serial date (days since 30/12/1899) as `YYYY-MM-DD`.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a spreadsheet date: days since 1899, far within i32"
)]
#[must_use]
pub fn excel_date(serial: f64) -> String {
    let base = time::macros::date!(1899 - 12 - 30).to_julian_day();
    time::Date::from_julian_day(base + serial.floor() as i32)
        .map_or_else(|_| serial.to_string(), |d| d.to_string())
}

/// The refused rows as CSV (UTF-8 with BOM, so that Excel reads the
/// diacritics): row, column and reason in front of the row as read, so
/// that the office can correct the file and import it again.
///
/// # Errors
/// The writer failed.
pub fn write_rejects_csv<W: std::io::Write>(
    mut out: W,
    header: &[String],
    rejected: &[RowError],
) -> std::io::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    // Every cell through csv_cell::neutralise (issue 12, item 8): the rows
    // are written back as read, formulas included.
    w.write_record(csv_cell::record(&reject_header(header)))?;
    for e in rejected {
        w.write_record(csv_cell::record(&reject_row(e)))?;
    }
    w.flush()?;
    Ok(())
}

/// The refused rows as an XLSX workbook (bold, frozen header row; the row
/// number as a number).
///
/// # Errors
/// The writer failed.
pub fn rejects_xlsx(header: &[String], rejected: &[RowError]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| format!("không ghi được báo cáo lỗi: {e}");
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("Dòng lỗi").map_err(err)?;
    for (c, h) in (0u16..).zip(reject_header(header)) {
        ws.write_string_with_format(0, c, h, &bold).map_err(err)?;
    }
    ws.set_column_width(0, 7).map_err(err)?;
    ws.set_column_width(1, 16).map_err(err)?;
    ws.set_column_width(2, 60).map_err(err)?;
    ws.set_freeze_panes(1, 0).map_err(err)?;
    for (i, e) in rejected.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|e| e.to_string())?;
        #[expect(
            clippy::cast_precision_loss,
            reason = "a row number of a file, far below 2^52"
        )]
        ws.write_number(r, 0, e.row as f64).map_err(err)?;
        for (c, v) in (1u16..).zip(reject_row(e).iter().skip(1)) {
            ws.write_string(r, c, v).map_err(err)?;
        }
    }
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(rows: Rows) -> (Vec<String>, Vec<Vec<String>>, Option<u64>) {
        let (h, it, n) = rows;
        (h, it.map(Result::unwrap).collect(), n)
    }

    #[test]
    fn bytes_and_paths_read_alike_and_semicolons_are_understood() {
        let src = "nam;so_qd\n2019;1/QĐ\n2020;\"2/QĐ; bổ sung\"\n";
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, src).unwrap();
        let (h1, r1, n1) = collect(read_path(&p).unwrap());
        let (h2, r2, n2) = collect(read_bytes("a.CSV", src.as_bytes().to_vec()).unwrap());
        assert_eq!((h1.clone(), r1.clone()), (h2, r2));
        assert_eq!(h1, ["nam", "so_qd"]);
        assert_eq!(r1[1], ["2020", "2/QĐ; bổ sung"]);
        assert_eq!((n1, n2), (None, Some(2)));
        assert!(matches!(
            read_bytes("a.pdf", vec![]),
            Err(FileError::UnknownKind(_))
        ));
    }

    #[test]
    fn an_xlsx_upload_reads_like_its_csv_and_dates_come_back_iso() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "năm").unwrap();
        ws.write_string(0, 1, "ngày").unwrap();
        ws.write_number(1, 0, 2019.0).unwrap();
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 1, 10).unwrap();
        let f = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        ws.write_datetime_with_format(1, 1, &d, &f).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let (h, r, n) = collect(read_bytes("b.xlsx", bytes).unwrap());
        assert_eq!(h, ["năm", "ngày"]);
        assert_eq!(r, [["2019", "2020-01-10"]]);
        assert_eq!(n, Some(1));
        assert_eq!(excel_date(43840.0), "2020-01-10");
    }

    /// Issue 12, item 8: the refused rows go back as read, and a formula
    /// in them must not run when the office opens the report.
    #[test]
    fn the_csv_error_report_keeps_formulas_as_text() {
        let header = vec!["authority".to_owned(), "=header".to_owned()];
        let rejected = vec![RowError {
            row: 2,
            column: "authority".into(),
            message: "sai".into(),
            fields: vec!["=HYPERLINK(\"http://evil.example\")".into(), "-12".into()],
        }];
        let mut out = Vec::new();
        write_rejects_csv(&mut out, &header, &rejected).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(&r.headers().unwrap()[4], "'=header");
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[3], "'=HYPERLINK(\"http://evil.example\")");
        assert_eq!(&row[4], "-12", "a negative number stays a number");
    }

    #[test]
    fn the_error_report_names_row_column_and_reason_in_both_formats() {
        let header = vec!["year".to_owned(), "award".to_owned()];
        let rejected = vec![RowError {
            row: 3,
            column: "award".into(),
            message: "mã «x» không có trong danh mục.".into(),
            fields: vec!["2019".into(), "x".into()],
        }];
        let mut csv = Vec::new();
        write_rejects_csv(&mut csv, &header, &rejected).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(
            csv,
            "\u{feff}dòng,cột,lý do lỗi,year,award\n3,award,mã «x» không có trong danh mục.,2019,x\n"
        );
        let xlsx = rejects_xlsx(&header, &rejected).unwrap();
        let (h, r, _) = collect(read_bytes("loi.xlsx", xlsx).unwrap());
        assert_eq!(h, ["dòng", "cột", "lý do lỗi", "year", "award"]);
        assert_eq!(
            r,
            [["3", "award", "mã «x» không có trong danh mục.", "2019", "x"]]
        );
    }

    #[test]
    fn a_csv_in_windows_1258_is_refused_by_row_and_column_not_by_the_parser() {
        // "Nguyên" with ê as Windows-1258 writes it (0xEA)
        let bytes = b"nam,ho_ten\n2019,Nguy\xEAn\n2020,An\n".to_vec();
        let (h, rows, _) = read_bytes("a.csv", bytes).unwrap();
        assert_eq!(h, ["nam", "ho_ten"]);
        let rows: Vec<RowResult> = rows.collect();
        let e = rows[0].as_ref().unwrap_err();
        assert_eq!((e.row, e.column.as_str()), (2, "ho_ten"));
        assert!(e.message.contains("không phải văn bản UTF-8"), "{e}");
        assert!(e.message.contains("CSV UTF-8"), "{e}");
        assert_eq!(e.fields[0], "2019", "the row as read, for the rejects file");
        assert_eq!(rows[1].as_ref().unwrap(), &["2020", "An"]);
        // a header in another encoding: row 1, the column by its letter
        match read_bytes("b.csv", b"n\xE3m,x\n1,2\n".to_vec()) {
            Err(FileError::Header(e)) => {
                assert_eq!(e.to_string().split(':').next(), Some("Dòng 1, cột «A»"));
            }
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("read"),
        }
    }

    #[test]
    fn a_cell_over_the_limit_is_refused_in_csv_and_xlsx_alike() {
        let long = "é".repeat(tdkt_core::import::MAX_CELL_CHARS + 1);
        let csv = format!("nam,ghi_chu\n2019,{long}\n2020,ngắn\n");
        let (_, rows, _) = read_bytes("a.csv", csv.into_bytes()).unwrap();
        let rows: Vec<RowResult> = rows.collect();
        let e = rows[0].as_ref().unwrap_err();
        assert_eq!((e.row, e.column.as_str()), (2, "ghi_chu"));
        assert!(rows[1].is_ok());

        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "nam").unwrap();
        ws.write_string(0, 1, "ghi_chu").unwrap();
        ws.write_number(1, 0, 2019.0).unwrap();
        ws.write_string(1, 1, &long).unwrap();
        let (_, rows, _) = read_bytes("a.xlsx", wb.save_to_buffer().unwrap()).unwrap();
        let rows: Vec<RowResult> = rows.collect();
        let e2 = rows[0].as_ref().unwrap_err();
        assert_eq!(e2.to_string(), e.to_string());
    }

    #[test]
    fn number_cells_come_back_as_the_number_reader_reads_them() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "v").unwrap();
        for (r, v) in (1u32..).zip([1500.0, 8.25, 1.125, 0.1, -2.5]) {
            ws.write_number(r, 0, v).unwrap();
        }
        let (_, rows, _) = read_bytes("n.xlsx", wb.save_to_buffer().unwrap()).unwrap();
        let cells: Vec<String> = rows.map(|r| r.unwrap().remove(0)).collect();
        assert_eq!(cells, ["1500", "8,25", "1,125", "0,1", "-2,5"]);
        let read: Vec<String> = cells
            .iter()
            .map(|c| tdkt_core::number::parse_vi(c).unwrap().to_string())
            .collect();
        assert_eq!(read, ["1500", "8.25", "1.125", "0.1", "-2.5"]);
    }
}
