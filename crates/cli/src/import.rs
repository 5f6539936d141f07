//! `tdkt import pledge` and `tdkt import indicators`: CSV or XLSX files read
//! by the one reader of import files, checked row by row, each refused row
//! reported as every import reports it ("Dòng N, cột «…»: …",
//! `tdkt_core::import`), written all or nothing in one transaction, unless
//! `--skip-invalid` (the refused rows then go to the same rejects file as
//! every import's).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use tdkt_core::import::{Report, RowError};
use tdkt_core::pledge::{ColumnError, PledgeFields, PledgeRow, ValueFields};
use tdkt_store::awards::file::RowResult;
use tdkt_store::Store;

const ACTOR: &str = "cli";

/// Column positions of a file, found by header name.
struct Columns {
    headers: Vec<String>,
}

impl Columns {
    fn index(&self, name: &str) -> Option<usize> {
        // a spreadsheet may save a byte-order mark before the first header
        self.headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
    }

    fn required(&self, names: &[&str], file: &Path) -> Result<Vec<usize>> {
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| self.index(n).is_none())
            .collect();
        if !missing.is_empty() {
            anyhow::bail!(
                "{}, dòng 1: thiếu cột {} (cần các cột {})",
                file.display(),
                missing
                    .iter()
                    .map(|m| format!("«{m}»"))
                    .collect::<Vec<_>>()
                    .join(", "),
                names.join(",")
            );
        }
        Ok(names.iter().filter_map(|n| self.index(n)).collect())
    }
}

type RowIter = Box<dyn Iterator<Item = RowResult> + Send>;

/// Opens the file through the one reader of import files (CSV or XLSX,
/// every cell checked for UTF-8 and length).
fn reader(file: &Path) -> Result<(RowIter, Columns)> {
    let (headers, rows, _) = crate::awards::read_rows(file)
        .with_context(|| format!("không đọc được tệp {}", file.display()))?;
    Ok((rows, Columns { headers }))
}

fn field(r: &[String], i: usize) -> &str {
    r.get(i).map_or("", String::as_str)
}

/// `tdkt import pledge FILE.csv [--create-missing]`.
///
/// # Errors
/// An unreadable file or header, database failure.
pub async fn pledge(store: &Store, file: &Path, create_missing: bool) -> Result<ExitCode> {
    let (rdr, cols) = reader(file)?;
    let idx = cols.required(
        &[
            "cluster",
            "year",
            "indicator",
            "name",
            "unit",
            "direction",
            "aggregate",
            "threshold",
        ],
        file,
    )?;
    let name_col = cols.index("cluster_name");
    let mut rows = Vec::new();
    let mut names = BTreeMap::new();
    let mut errors: Vec<RowError> = Vec::new();
    // the header is row 1
    for (line, rec) in (2_u64..).zip(rdr) {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let f = PledgeFields {
            cluster: field(&rec, idx[0]),
            year: field(&rec, idx[1]),
            indicator: field(&rec, idx[2]),
            name: field(&rec, idx[3]),
            unit: field(&rec, idx[4]),
            direction: field(&rec, idx[5]),
            aggregate: field(&rec, idx[6]),
            threshold: field(&rec, idx[7]),
        };
        match PledgeRow::parse(&f) {
            Ok(r) => {
                let n = name_col
                    .map_or("", |i| field(&rec, i))
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !n.is_empty() {
                    names.insert(r.cluster.to_string(), n);
                }
                rows.push((line, r));
            }
            Err(e) => errors.push(ColumnError::at_row(line, e)),
        }
    }
    if errors.is_empty() {
        match store
            .import_pledge(ACTOR, &rows, &names, create_missing)
            .await
            .context("không ghi được giao ước")?
        {
            Ok(s) => {
                for c in &s.created_clusters {
                    println!("Đã tạo cụm, khối {c}.");
                }
                println!(
                    "Đã nhập giao ước từ {}: {} dòng; {} chỉ tiêu mới, {} chỉ tiêu cập nhật, {} không đổi.",
                    file.display(),
                    s.rows,
                    s.created_indicators,
                    s.updated_indicators,
                    s.unchanged_indicators
                );
                return Ok(ExitCode::SUCCESS);
            }
            Err(e) => errors = e,
        }
    }
    errors.sort_by_key(|e| e.row);
    let mut report = Report::keeping(0);
    for e in errors {
        report.reject(e);
    }
    crate::awards::print_rejected(&report);
    eprintln!(
        "Không nhập dòng nào từ {}: {} dòng có lỗi.",
        file.display(),
        report.rejected_count
    );
    Ok(ExitCode::FAILURE)
}

/// Options of `tdkt import indicators`.
pub struct IndicatorOptions<'a> {
    pub file: &'a Path,
    pub create_missing: bool,
    pub skip_invalid: bool,
    pub rejected: Option<&'a Path>,
}

/// `tdkt import indicators FILE.csv [--create-missing] [--skip-invalid] [--rejected FILE.csv]`.
///
/// # Errors
/// An unreadable file or header, an unwritable rejects file, database failure.
pub async fn indicators(store: &Store, o: &IndicatorOptions<'_>) -> Result<ExitCode> {
    let started = Instant::now();
    let file = o.file;
    let (rdr, cols) = reader(file)?;
    let idx = cols.required(
        &["cluster", "period", "member", "indicator", "value", "unit"],
        file,
    )?;
    let mut plan = store
        .plan_indicators(o.create_missing)
        .await
        .context("không đọc được cụm, giao ước và đơn vị")?;

    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{msg} [{elapsed_precise}] {human_pos} dòng ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message("Đọc và kiểm tra");
    bar.enable_steady_tick(Duration::from_millis(200));
    let mut report = Report::keeping(0);
    // the header is row 1
    for (line, rec) in (2_u64..).zip(rdr) {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                report.reject(e);
                continue;
            }
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        if report.rows.is_multiple_of(8192) {
            bar.set_position(report.rows);
        }
        let f = ValueFields {
            cluster: field(&rec, idx[0]),
            period: field(&rec, idx[1]),
            member: field(&rec, idx[2]),
            indicator: field(&rec, idx[3]),
            value: field(&rec, idx[4]),
            unit: field(&rec, idx[5]),
        };
        if let Err(errors) = plan.push(line, &f) {
            report.reject(ColumnError::at_row(line, errors).with_fields(rec));
        }
    }
    bar.finish_and_clear();
    let checked = started.elapsed();
    let rows = report.rows;

    if !report.is_clean() && !o.skip_invalid {
        crate::awards::print_rejected(&report);
        eprintln!(
            "Không nhập dòng nào từ {}: {} / {rows} dòng có lỗi (dùng --skip-invalid để nhập các dòng hợp lệ).",
            file.display(),
            report.rejected_count
        );
        return Ok(ExitCode::FAILURE);
    }
    let rejected_path = if report.is_clean() {
        None
    } else {
        let path = o
            .rejected
            .map_or_else(|| default_rejected(file), Path::to_path_buf);
        crate::awards::write_rejects(&path, &cols.headers, &report.rejected)
            .with_context(|| format!("không ghi được {}", path.display()))?;
        Some(path)
    };

    let created = std::mem::take(&mut plan.created);
    let total = plan.len() as u64;
    let write_started = Instant::now();
    let summary = if plan.is_empty() {
        None
    } else {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} dòng ({per_sec}, {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message("Ghi");
        let source = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let s = store
            .apply_indicators(ACTOR, &source, plan, |n| bar.set_position(n))
            .await
            .context("không ghi được số liệu; không dòng nào được nhập")?;
        bar.finish_and_clear();
        Some(s)
    };
    let elapsed = started.elapsed();

    for c in &created {
        println!("{c}");
    }
    let imported = summary.as_ref().map_or(0, |s| s.imported);
    let per_sec = rate(rows, elapsed);
    println!(
        "Đã nhập {imported} / {rows} dòng số liệu từ {} trong {:.1} giây ({per_sec} dòng/giây; kiểm tra {:.1} giây, ghi {:.1} giây).",
        file.display(),
        elapsed.as_secs_f64(),
        checked.as_secs_f64(),
        write_started.elapsed().as_secs_f64(),
    );
    if let Some(s) = &summary {
        if s.superseded > 0 {
            println!(
                "{} giá trị cũ được thay thế (vẫn lưu trong lịch sử).",
                s.superseded
            );
        }
        if s.created_units > 0 || s.added_members > 0 {
            println!(
                "Đã tạo {} đơn vị, thêm {} thành viên vào cụm, khối.",
                s.created_units, s.added_members
            );
        }
    }
    if let Some(path) = rejected_path {
        println!(
            "Bỏ qua {} dòng có lỗi; đã ghi vào {}.",
            report.rejected_count,
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn rate(rows: u64, elapsed: Duration) -> u64 {
    let ms = elapsed.as_millis().max(1);
    u64::try_from(u128::from(rows) * 1000 / ms).unwrap_or(u64::MAX)
}

/// `FILE.rejected.csv` beside `FILE.csv`.
fn default_rejected(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "import".to_owned(), |s| s.to_string_lossy().into_owned());
    file.with_file_name(format!("{stem}.rejected.csv"))
}

/// Runs one `tdkt import` command; the exit code says whether every row went in.
///
/// # Errors
/// Those of the import run.
pub async fn run(store: &Store, command: &crate::ImportCommand) -> Result<ExitCode> {
    use crate::ImportCommand;
    use tdkt_store::ratings::import::InputFile;
    match command {
        ImportCommand::Pledge {
            file,
            create_missing,
        } => return pledge(store, file, *create_missing).await,
        ImportCommand::Indicators {
            file,
            create_missing,
            skip_invalid,
            rejected,
        } => {
            let o = IndicatorOptions {
                file,
                create_missing: *create_missing,
                skip_invalid: *skip_invalid,
                rejected: rejected.as_deref(),
            };
            return indicators(store, &o).await;
        }
        ImportCommand::Awards {
            file,
            skip_invalid,
            rejects,
            quiet,
        } => {
            crate::awards::import(store, file, *skip_invalid, rejects.clone(), *quiet).await?;
        }
        ImportCommand::Ratings {
            file,
            skip_invalid,
            rejects,
        }
        | ImportCommand::Discipline {
            file,
            skip_invalid,
            rejects,
        }
        | ImportCommand::Initiatives {
            file,
            skip_invalid,
            rejects,
        }
        | ImportCommand::Evaluations {
            file,
            skip_invalid,
            rejects,
        } => {
            let kind = match command {
                ImportCommand::Discipline { .. } => InputFile::Discipline,
                ImportCommand::Initiatives { .. } => InputFile::Initiatives,
                ImportCommand::Evaluations { .. } => InputFile::Evaluations,
                _ => InputFile::Ratings,
            };
            crate::eligibility::import(store, kind, file, *skip_invalid, rejects.clone()).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
