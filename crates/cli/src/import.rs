//! `tdkt import pledge` and `tdkt import indicators`: CSV files in, checked
//! row by row (each error names its file line and column, in Vietnamese),
//! written all or nothing in one transaction, unless `--skip-invalid`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use tdkt_core::pledge::{ColumnError, PledgeFields, PledgeRow, ValueFields};
use tdkt_store::clusters::RowError;
use tdkt_store::Store;

/// Errors printed before "… và N lỗi khác".
const SHOWN_ERRORS: usize = 50;
const ACTOR: &str = "cli";

/// Column positions of a CSV file, found by header name.
struct Columns {
    headers: csv::StringRecord,
}

impl Columns {
    fn index(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.trim() == name)
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

fn reader(file: &Path) -> Result<(csv::Reader<std::fs::File>, Columns)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::None)
        .from_path(file)
        .with_context(|| format!("không mở được tệp {}", file.display()))?;
    let mut headers = rdr
        .headers()
        .with_context(|| format!("không đọc được dòng tiêu đề của {}", file.display()))?
        .clone();
    // A spreadsheet may save a byte-order mark before the first header.
    if let Some(first) = headers.get(0) {
        if let Some(stripped) = first.strip_prefix('\u{feff}') {
            let mut h: Vec<String> = headers.iter().map(str::to_owned).collect();
            stripped.clone_into(&mut h[0]);
            headers = csv::StringRecord::from(h);
        }
    }
    Ok((rdr, Columns { headers }))
}

fn print_errors(errors: &[RowError]) {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let lines: Vec<&str> = lines.iter().flat_map(|l| l.lines()).collect();
    for l in lines.iter().take(SHOWN_ERRORS) {
        eprintln!("{l}");
    }
    if lines.len() > SHOWN_ERRORS {
        eprintln!("… và {} lỗi khác.", lines.len() - SHOWN_ERRORS);
    }
}

fn field(r: &csv::StringRecord, i: Option<usize>) -> &str {
    i.and_then(|i| r.get(i)).unwrap_or("")
}

/// `tdkt import pledge FILE.csv [--create-missing]`.
///
/// # Errors
/// An unreadable file or header, database failure.
pub async fn pledge(store: &Store, file: &Path, create_missing: bool) -> Result<ExitCode> {
    let (mut rdr, cols) = reader(file)?;
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
    let mut errors = Vec::new();
    for rec in rdr.records() {
        let rec =
            rec.with_context(|| format!("tệp {} không đúng định dạng CSV", file.display()))?;
        let line = rec.position().map_or(0, csv::Position::line);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let f = PledgeFields {
            cluster: field(&rec, Some(idx[0])),
            year: field(&rec, Some(idx[1])),
            indicator: field(&rec, Some(idx[2])),
            name: field(&rec, Some(idx[3])),
            unit: field(&rec, Some(idx[4])),
            direction: field(&rec, Some(idx[5])),
            aggregate: field(&rec, Some(idx[6])),
            threshold: field(&rec, Some(idx[7])),
        };
        match PledgeRow::parse(&f) {
            Ok(r) => {
                let n = field(&rec, name_col)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !n.is_empty() {
                    names.insert(r.cluster.to_string(), n);
                }
                rows.push((line, r));
            }
            Err(e) => errors.push(RowError { line, errors: e }),
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
    errors.sort_by_key(|e| e.line);
    print_errors(&errors);
    eprintln!(
        "Không nhập dòng nào từ {}: {} dòng có lỗi.",
        file.display(),
        errors.len()
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
    let size = std::fs::metadata(file).map_or(0, |m| m.len());
    let (mut rdr, cols) = reader(file)?;
    let idx = cols.required(
        &["cluster", "period", "member", "indicator", "value", "unit"],
        file,
    )?;
    let mut plan = store
        .plan_indicators(o.create_missing)
        .await
        .context("không đọc được cụm, giao ước và đơn vị")?;

    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("Đọc và kiểm tra");
    bar.enable_steady_tick(Duration::from_millis(200));
    let mut rejected: Vec<(csv::StringRecord, RowError)> = Vec::new();
    let mut rows = 0u64;
    let mut rec = csv::StringRecord::new();
    loop {
        let more = rdr
            .read_record(&mut rec)
            .with_context(|| format!("tệp {} không đúng định dạng CSV", file.display()))?;
        if !more {
            break;
        }
        let line = rec.position().map_or(0, csv::Position::line);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows += 1;
        if rows.is_multiple_of(8192) {
            bar.set_position(rec.position().map_or(0, csv::Position::byte));
        }
        let f = ValueFields {
            cluster: field(&rec, Some(idx[0])),
            period: field(&rec, Some(idx[1])),
            member: field(&rec, Some(idx[2])),
            indicator: field(&rec, Some(idx[3])),
            value: field(&rec, Some(idx[4])),
            unit: field(&rec, Some(idx[5])),
        };
        if let Err(errors) = plan.push(line, &f) {
            rejected.push((rec.clone(), RowError { line, errors }));
        }
    }
    bar.finish_and_clear();
    let checked = started.elapsed();

    if !rejected.is_empty() && !o.skip_invalid {
        let errors: Vec<RowError> = rejected.into_iter().map(|(_, e)| e).collect();
        print_errors(&errors);
        eprintln!(
            "Không nhập dòng nào từ {}: {} / {rows} dòng có lỗi (dùng --skip-invalid để nhập các dòng hợp lệ).",
            file.display(),
            errors.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let rejected_path = if rejected.is_empty() {
        None
    } else {
        let path = o
            .rejected
            .map_or_else(|| default_rejected(file), Path::to_path_buf);
        write_rejected(&path, &cols.headers, &rejected)?;
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
            rejected.len(),
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

/// The rejected rows as they were, followed by `line,column,reason`.
fn write_rejected(
    path: &Path,
    headers: &csv::StringRecord,
    rejected: &[(csv::StringRecord, RowError)],
) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("không tạo được tệp {}", path.display()))?;
    let mut head: Vec<&str> = headers.iter().collect();
    head.extend(["line", "column", "reason"]);
    // Every cell through csv_cell::neutralise (issue 12, item 8).
    w.write_record(tdkt_core::csv_cell::record(&head))?;
    for (rec, e) in rejected {
        let mut out: Vec<String> = (0..headers.len())
            .map(|i| rec.get(i).unwrap_or("").to_owned())
            .collect();
        out.push(e.line.to_string());
        out.push(
            e.errors
                .iter()
                .map(|c| c.column)
                .collect::<Vec<_>>()
                .join("|"),
        );
        out.push(
            e.errors
                .iter()
                .map(ColumnError::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        );
        w.write_record(tdkt_core::csv_cell::record(&out))?;
    }
    w.flush()
        .with_context(|| format!("không ghi được tệp {}", path.display()))?;
    Ok(())
}
