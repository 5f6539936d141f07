//! `tdkt import awards FILE.{csv,xlsx} [--skip-invalid]`: reads the file
//! (CSV streamed, XLSX through calamine), hands the rows to the store's
//! validating import, shows a progress bar with rows/s and prints refused
//! rows by row and column. With `--skip-invalid` the refused rows go to a CSV
//! next to the file (`<tên>.loi.csv`, or `--rejects`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use tdkt_core::import::{Report, RowError};
use tdkt_store::awards::file::{self, Rows};
use tdkt_store::awards::import::{ImportOptions, ImportReport, Progress};
use tdkt_store::Store;

/// Opens a CSV (UTF-8, `,` or `;`) or XLSX file (first sheet); see
/// [`file::read_path`].
///
/// # Errors
/// Unreadable file or unknown extension.
pub fn read_rows(path: &Path) -> Result<Rows> {
    Ok(file::read_path(path)?)
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
        move |p: Progress| bar.set_position(p.checked)
    };
    let opts = ImportOptions {
        skip_invalid,
        source_name: file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        max_errors: if skip_invalid { 0 } else { 1000 },
        scope: None,
        rebuild_indexes_after: None,
    };
    let report = store
        .import_awards("cli", &header, rows, &opts, &progress)
        .await
        .with_context(|| format!("không nhập được {}", file.display()))?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    #[expect(
        clippy::cast_precision_loss,
        reason = "a rate shown to people: rows beyond 2^52 never come"
    )]
    let rate = report.file.rows as f64 / secs;
    if !quiet && report.committed {
        println!(
            "{} dòng trong {:.2} s ({:.0} dòng/s): {} bản ghi mới, {} đã có (bỏ qua), {} chuyển sang đã hủy, {} người mới, {} dòng lỗi.",
            report.file.rows, secs, rate, report.inserted, report.duplicates, report.revoked, report.people_created, report.file.rejected_count
        );
    }
    if report.file.rejected_count > 0 {
        if skip_invalid {
            let path = rejects.unwrap_or_else(|| file.with_extension("loi.csv"));
            write_rejects(&path, &header, &report.file.rejected)
                .with_context(|| format!("không ghi được {}", path.display()))?;
            println!(
                "Đã nhập các dòng hợp lệ; {} dòng lỗi kèm lý do ghi tại {}.",
                report.file.rejected_count,
                path.display()
            );
        } else {
            print_rejected(&report.file);
            bail!(
                "không nhập dòng nào: {} dòng lỗi (sửa tệp rồi nhập lại, hoặc dùng --skip-invalid để nhập các dòng hợp lệ)",
                report.file.rejected_count
            );
        }
    }
    Ok(report)
}

/// Refused rows printed at most, before "… và N dòng lỗi khác".
const SHOWN_ERRORS: usize = 50;

/// Prints the first refused rows of an import, one a line, as every
/// import words them.
pub(crate) fn print_rejected(report: &Report) {
    for e in report.rejected.iter().take(SHOWN_ERRORS) {
        eprintln!("{e}");
    }
    let shown = report.rejected.len().min(SHOWN_ERRORS) as u64;
    if report.rejected_count > shown {
        eprintln!("… và {} dòng lỗi khác.", report.rejected_count - shown);
    }
}

/// The refused rows as read, with row, column and reason in front.
pub(crate) fn write_rejects(path: &Path, header: &[String], rejected: &[RowError]) -> Result<()> {
    let f = std::io::BufWriter::new(std::fs::File::create(path)?);
    file::write_rejects_csv(f, header, rejected)?;
    Ok(())
}
