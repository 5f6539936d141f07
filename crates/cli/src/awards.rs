//! `tdkt import awards FILE.{csv,xlsx} [--skip-invalid]`: reads the file
//! (CSV streamed, XLSX through calamine), hands the rows to the store's
//! validating import, shows a progress bar with rows/s and prints refused
//! rows by row and column. With `--skip-invalid` the refused rows go to a CSV
//! next to the file (`<tên>.loi.csv`, or `--rejects`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use tdkt_store::awards::import::{ImportOptions, ImportReport};
use tdkt_store::Store;

/// Rows of a file: the header and an iterator of rows.
pub type Rows = (
    Vec<String>,
    Box<dyn Iterator<Item = std::result::Result<Vec<String>, String>> + Send>,
    Option<u64>,
);

/// Opens a CSV (UTF-8, `,` or `;`) or XLSX file (first sheet).
///
/// # Errors
/// Unreadable file or unknown extension.
pub fn read_rows(path: &Path) -> Result<Rows> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => read_csv(path),
        "xlsx" | "xlsm" | "xls" | "ods" => read_sheet(path),
        _ => bail!(
            "không nhận dạng được loại tệp «{}» (cần .csv hoặc .xlsx)",
            path.display()
        ),
    }
}

fn read_csv(path: &Path) -> Result<Rows> {
    let first = std::fs::read(path)
        .map(|b| b.iter().take(4096).copied().collect::<Vec<u8>>())
        .with_context(|| format!("không đọc được {}", path.display()))?;
    let head = String::from_utf8_lossy(&first);
    let line = head.lines().next().unwrap_or_default();
    let delim = if line.matches(';').count() > line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let file =
        std::fs::File::open(path).with_context(|| format!("không mở được {}", path.display()))?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let header: Vec<String> = rdr
        .headers()
        .context("không đọc được dòng tiêu đề")?
        .iter()
        .map(str::to_owned)
        .collect();
    let iter = rdr.into_records().map(|r| {
        r.map(|rec| rec.iter().map(str::to_owned).collect())
            .map_err(|e| format!("dòng CSV không đọc được: {e}"))
    });
    Ok((header, Box::new(iter), None))
}

fn read_sheet(path: &Path) -> Result<Rows> {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut wb =
        open_workbook_auto(path).with_context(|| format!("không mở được {}", path.display()))?;
    let range = wb
        .worksheet_range_at(0)
        .context("tệp không có trang tính nào")?
        .context("không đọc được trang tính đầu tiên")?;
    let cell = |c: &Data| -> String {
        match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) => excel_date(d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(cell).collect())
        .unwrap_or_default();
    let body: Vec<Vec<String>> = rows.map(|r| r.iter().map(cell).collect()).collect();
    let n = body.len() as u64;
    Ok((header, Box::new(body.into_iter().map(Ok)), Some(n)))
}

/// An Excel serial date (days since 30/12/1899) as `YYYY-MM-DD`.
#[allow(clippy::cast_possible_truncation)]
fn excel_date(serial: f64) -> String {
    let base = time::macros::date!(1899 - 12 - 30).to_julian_day();
    time::Date::from_julian_day(base + serial.floor() as i32)
        .map_or_else(|_| serial.to_string(), |d| d.to_string())
}

/// Runs an import with a progress bar; prints the outcome in Vietnamese.
///
/// # Errors
/// Unreadable file, missing columns, database failure, or refused rows in an
/// all-or-nothing import.
pub async fn import(
    store: &Store,
    file: &Path,
    skip_invalid: bool,
    rejects: Option<PathBuf>,
    quiet: bool,
) -> Result<ImportReport> {
    let (header, rows, total) = read_rows(file)?;
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        let b = total.map_or_else(ProgressBar::no_length, ProgressBar::new);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {human_pos} dòng · {per_sec} · {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b.set_message("đang nhập");
        b
    };
    let started = Instant::now();
    let progress = {
        let bar = bar.clone();
        move |n: u64| bar.set_position(n)
    };
    let opts = ImportOptions {
        skip_invalid,
        source_name: file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        max_errors: if skip_invalid { 0 } else { 1000 },
    };
    let report = store
        .import_awards("cli", &header, rows, &opts, &progress)
        .await
        .with_context(|| format!("không nhập được {}", file.display()))?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    #[allow(clippy::cast_precision_loss)]
    let rate = report.rows as f64 / secs;
    if !quiet && report.committed {
        println!(
            "{} dòng trong {:.2} s ({:.0} dòng/s): {} bản ghi mới, {} đã có (bỏ qua), {} chuyển sang đã hủy, {} người mới, {} dòng lỗi.",
            report.rows, secs, rate, report.inserted, report.duplicates, report.revoked, report.people_created, report.rejected_count
        );
    }
    if report.rejected_count > 0 {
        if skip_invalid {
            let path = rejects.unwrap_or_else(|| file.with_extension("loi.csv"));
            write_rejects(&path, &header, &report)
                .with_context(|| format!("không ghi được {}", path.display()))?;
            println!(
                "Đã nhập các dòng hợp lệ; {} dòng lỗi kèm lý do ghi tại {}.",
                report.rejected_count,
                path.display()
            );
        } else {
            for e in report.rejected.iter().take(50) {
                eprintln!("{e}");
            }
            if report.rejected_count > 50 {
                eprintln!("… và {} dòng lỗi khác.", report.rejected_count - 50);
            }
            bail!(
                "không nhập dòng nào: {} dòng lỗi (sửa tệp rồi nhập lại, hoặc dùng --skip-invalid để nhập các dòng hợp lệ)",
                report.rejected_count
            );
        }
    }
    Ok(report)
}

/// The refused rows as read, with `dong`, `cot`, `ly_do` in front.
fn write_rejects(path: &Path, header: &[String], report: &ImportReport) -> Result<()> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_path(path)?;
    let mut h = vec!["dong".to_owned(), "cot".to_owned(), "ly_do".to_owned()];
    h.extend(header.iter().cloned());
    w.write_record(&h)?;
    for e in &report.rejected {
        let mut r = vec![e.row.to_string(), e.column.clone(), e.message.clone()];
        r.extend(e.fields.iter().cloned());
        w.write_record(&r)?;
    }
    w.flush()?;
    Ok(())
}
