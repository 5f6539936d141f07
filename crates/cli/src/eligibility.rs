//! `tdkt eligibility check|scan`, `tdkt import ratings|discipline|initiatives`
//! and `tdkt bench eligibility`.
//!
//! Exit codes of `check` (documented in docs/rules.md): 0 đủ điều kiện,
//! 3 chưa đủ điều kiện, 4 cần xem xét thêm, 5 no rule in force on the date;
//! 1 an error, 2 a usage error. The rules are those of the process
//! ([`tdkt_store::rules::current`]: `--rules-dir`, else the compiled-in ones).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use tdkt_core::catalogue::{AwardId, Recipient};
use tdkt_core::eligibility::{
    AwardHeld, EvalContext, History, Rating, RuleSet, Scanner, ServicePeriod, Supplied, Verdict,
    YearRating,
};
use tdkt_store::awards::import::ImportOptions;
use tdkt_store::ratings::import::InputFile;
use tdkt_store::Store;

mod sheets;

/// Exit code of a verdict.
#[must_use]
pub fn exit_code(v: Verdict) -> ExitCode {
    match v {
        Verdict::Eligible => ExitCode::SUCCESS,
        Verdict::NotEligible => ExitCode::from(3),
        Verdict::NeedsReview => ExitCode::from(4),
        Verdict::NoRuleInForce => ExitCode::from(5),
    }
}

fn context(year: Option<i32>, at: Option<&str>) -> Result<EvalContext> {
    let at = at
        .map(tdkt_core::date::parse)
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--at: ngày không hợp lệ")?;
    Ok(match (year, at) {
        (Some(y), Some(d)) => EvalContext::at(y, d),
        (None, Some(d)) => EvalContext::at(d.year(), d),
        (Some(y), None) => EvalContext::year_end(y),
        (None, None) => EvalContext::year_end(tdkt_core::date::today_vn().year()),
    })
}

/// Options of `tdkt eligibility check`.
pub struct CheckOptions<'a> {
    pub person: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub award: &'a str,
    pub at: Option<&'a str>,
    pub year: Option<i32>,
    pub json: bool,
}

/// `tdkt eligibility check --person CCCD|--unit CODE --award CODE [--at DATE] [--json]`.
///
/// # Errors
/// Unknown person, unit or award; database failure.
pub async fn check(store: &Store, o: &CheckOptions<'_>) -> Result<ExitCode> {
    let rules = tdkt_store::rules::current().eligibility();
    let cat = rules.catalogue();
    let award = cat.id(o.award).with_context(|| {
        format!(
            "không có mã danh hiệu/hình thức «{}» trong danh mục",
            o.award
        )
    })?;
    let ctx = context(o.year, o.at)?;
    let (subject, inputs) = match (o.person, o.unit) {
        (Some(cccd), None) => {
            let p = store
                .person_by_cccd(cccd)
                .await?
                .context("không có người mang số CCCD này trong hệ thống")?;
            let inputs = store.person_inputs(cat, p.id).await?;
            (
                serde_json::json!({"kind": "person", "id": p.id, "name": p.full_name, "cccd": p.cccd_masked, "unit": p.unit_code}),
                inputs,
            )
        }
        (None, Some(code)) => {
            let u = store
                .unit_by_code(code)
                .await
                .with_context(|| format!("không có đơn vị mã «{code}»"))?;
            let lineage = store.lineage().await?;
            let inputs = store.unit_inputs(cat, &lineage, u.id).await?;
            (
                serde_json::json!({"kind": "unit", "id": u.id, "name": u.name, "code": u.code}),
                inputs,
            )
        }
        _ => bail!("ghi đúng một trong hai: --person CCCD hoặc --unit MÃ"),
    };
    let h = inputs.history();
    let ex = rules.explain(award, &h, &ctx);
    if o.json {
        let out = serde_json::json!({ "subject": subject, "explanation": ex });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        let name = subject["name"].as_str().unwrap_or_default();
        let tag = subject["cccd"]
            .as_str()
            .or_else(|| subject["code"].as_str())
            .unwrap_or_default();
        println!("{name} ({tag})");
        print!("{ex}");
    }
    Ok(exit_code(ex.verdict))
}

/// Options of `tdkt eligibility scan`.
pub struct ScanOptions<'a> {
    pub year: i32,
    pub award: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub out: Option<&'a Path>,
}

/// The scanners of a scan: the award asked for, or every award for
/// individuals with a rule in force at the end of `year`.
fn scanners<'r>(rules: &'r RuleSet, year: i32, award: Option<&str>) -> Result<Vec<Scanner<'r>>> {
    let cat = rules.catalogue();
    let ctx = EvalContext::year_end(year);
    if let Some(code) = award {
        let id = cat
            .id(code)
            .with_context(|| format!("không có mã danh hiệu/hình thức «{code}» trong danh mục"))?;
        return Ok(vec![rules.scanner(id, ctx)]);
    }
    Ok(cat
        .awards()
        .iter()
        .filter(|a| a.accepts(Recipient::Individual))
        .map(|a| rules.scanner(a.id, ctx))
        .filter(Scanner::has_rule)
        .collect())
}

/// Hits handed to the workbook's thread at a time.
const HIT_BATCH: usize = 1024;

/// `tdkt eligibility scan --year Y [--award CODE] [--unit CODE] [--out FILE.xlsx]`.
///
/// # Errors
/// Unknown award or unit, database failure, unwritable output.
pub async fn scan(store: &Store, o: &ScanOptions<'_>) -> Result<ExitCode> {
    scan_with_sheet_rows(store, o, sheets::SHEET_ROWS).await
}

/// [`scan`] with sheets of `rows_per_sheet` rows: fewer than Excel's limit
/// only in tests, to see a list continue on a second sheet.
///
/// # Errors
/// Those of [`scan`].
#[doc(hidden)]
pub async fn scan_with_sheet_rows(
    store: &Store,
    o: &ScanOptions<'_>,
    rows_per_sheet: u32,
) -> Result<ExitCode> {
    let started = Instant::now();
    // compiled once, before any history is read
    let rules = tdkt_store::rules::current().eligibility();
    let cat = rules.catalogue();
    let scanners = scanners(rules, o.year, o.award)?;
    let units: Option<BTreeSet<i64>> = match o.unit {
        None => None,
        Some(code) => {
            let u = store
                .unit_by_code(code)
                .await
                .with_context(|| format!("không có đơn vị mã «{code}»"))?;
            Some(store.lineage().await?.scope(u.id))
        }
    };
    // The workbook is written as the people arrive (in id order) by a
    // thread of its own, so that its XML and the judging share the two
    // cores; without one, the first 50 eligible are kept to be printed.
    let (mut to_book, book) = match o.out {
        Some(out) => {
            let names = store
                .units()
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            let mut b = sheets::ScanBook::new(out, o.year, cat, names, rows_per_sheet)?;
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<sheets::Hit>>(16);
            let writer = std::thread::spawn(move || -> Result<sheets::ScanBook<'static>> {
                for batch in rx {
                    for h in &batch {
                        b.push(h)?;
                    }
                }
                Ok(b)
            });
            (Some((tx, Vec::with_capacity(HIT_BATCH))), Some(writer))
        }
        None => (None, None),
    };
    let mut first: Vec<(AwardId, String, String)> = Vec::new();
    let mut counts = vec![(0u64, 0u64); scanners.len()];
    let mut evaluated = 0u64;
    let stats = store
        .scan_histories(cat, o.year, units.as_ref(), |p, h| {
            for (k, s) in scanners.iter().enumerate() {
                evaluated += 1;
                let eligible = match s.verdict(h) {
                    Verdict::Eligible => true,
                    Verdict::NotEligible if s.verdict_next_year(h) == Verdict::Eligible => false,
                    _ => continue,
                };
                if eligible {
                    counts[k].0 += 1;
                } else {
                    counts[k].1 += 1;
                }
                match &mut to_book {
                    Some((tx, batch)) => {
                        batch.push(sheets::Hit::new(s.award().id, p, eligible));
                        if batch.len() == HIT_BATCH {
                            let full = std::mem::replace(batch, Vec::with_capacity(HIT_BATCH));
                            // a writer that stopped has its error, read below
                            if tx.send(full).is_err() {
                                to_book = None;
                                return;
                            }
                        }
                    }
                    None if o.out.is_none() && eligible && first.len() < 50 => {
                        first.push((s.award().id, p.full_name.clone(), p.cccd_masked.clone()));
                    }
                    None => {}
                }
            }
        })
        .await;
    // the writer's thread ends (or has stopped) before an error of the scan
    // is told; the workbook is saved only when the scan is complete
    let book = match (to_book, book) {
        (tx, Some(writer)) => {
            if let Some((tx, batch)) = tx {
                // a failed send means the writer stopped; join tells why
                let _ = tx.send(batch);
            }
            Some(
                writer
                    .join()
                    .map_err(|_| anyhow::anyhow!("luồng ghi tệp XLSX bị dừng bất thường"))?,
            )
        }
        _ => None,
    };
    let stats = stats?;
    let book = book.transpose()?;
    let elapsed = started.elapsed();
    println!(
        "Năm {}: {} người, {} bản ghi khen thưởng, {} kết quả xếp loại; {} lượt xét trong {:.2} giây.",
        o.year,
        stats.people,
        stats.awards,
        stats.ratings,
        evaluated,
        elapsed.as_secs_f64()
    );
    for (s, (ok, near)) in scanners.iter().zip(&counts) {
        if *ok > 0 || *near > 0 || o.award.is_some() {
            println!(
                "  {}: {ok} người đủ điều kiện, {near} người còn một năm nữa",
                s.award().name
            );
        }
    }
    if let (Some(book), Some(out)) = (book, o.out) {
        let rows = book.finish()?;
        println!("Đã ghi {rows} dòng vào {}.", out.display());
    } else {
        // people in id order, each one's awards in catalogue (id) order
        for (award, name, cccd) in &first {
            println!(
                "{} · {name} ({cccd}) · đủ điều kiện",
                cat.award(*award).name
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `tdkt import ratings|discipline|initiatives|evaluations FILE.csv [--skip-invalid] [--rejected FILE]`.
///
/// # Errors
/// Unreadable file, missing columns, database failure, refused rows in an
/// all-or-nothing import.
pub async fn import(
    store: &Store,
    kind: InputFile,
    file: &Path,
    skip_invalid: bool,
    rejects: Option<PathBuf>,
) -> Result<()> {
    let started = Instant::now();
    let (header, rows, _) = crate::awards::read_rows(file)?;
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
        .import_inputs("cli", kind, &header, rows, &opts)
        .await
        .with_context(|| format!("không nhập được {}", file.display()))?;
    if report.file.rejected_count > 0 && !skip_invalid {
        crate::awards::print_rejected(&report.file);
        bail!(
            "không nhập dòng nào: {} dòng lỗi (sửa tệp rồi nhập lại, hoặc dùng --skip-invalid để nhập các dòng hợp lệ)",
            report.file.rejected_count
        );
    }
    println!(
        "{} dòng trong {:.2} s: {} dòng mới hoặc thay đổi, {} dòng đã có (không đổi), {} dòng lỗi.",
        report.file.rows,
        started.elapsed().as_secs_f64(),
        report.written,
        report.unchanged,
        report.file.rejected_count
    );
    if report.file.rejected_count > 0 {
        let path = rejects.unwrap_or_else(|| file.with_extension("loi.csv"));
        crate::awards::write_rejects(&path, &header, &report.file.rejected)
            .with_context(|| format!("không ghi được {}", path.display()))?;
        println!(
            "Đã nhập các dòng hợp lệ; {} dòng lỗi kèm lý do ghi tại {}.",
            report.file.rejected_count,
            path.display()
        );
    }
    Ok(())
}

/// `tdkt bench eligibility --people N`: the evaluation phase of a scan alone,
/// on histories generated in memory (no database), clearly not a
/// measurement of reading the registry.
///
/// # Errors
/// None in practice (kept `Result` for the CLI).
pub fn bench(people: u64, year: i32, seed: u64) -> Result<()> {
    use rand::{Rng, SeedableRng};
    let started = Instant::now();
    let rules = tdkt_store::rules::current().eligibility();
    let scanners = scanners(rules, year, None)?;
    let compiled = started.elapsed();
    let cat = rules.catalogue();
    let titles: Vec<AwardId> = [
        "lao-dong-tien-tien",
        "chien-si-thi-dua-co-so",
        "chien-si-thi-dua-cap-tinh",
        "bang-khen-cap-tinh",
        "giay-khen",
    ]
    .iter()
    .filter_map(|c| cat.id(c))
    .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut h: History<'static> = History::default();
    let mut counts = vec![(0u64, 0u64); scanners.len()];
    let mut gen_time = std::time::Duration::ZERO;
    let eval_started = Instant::now();
    for _ in 0..people {
        let t = Instant::now();
        h.clear();
        h.recipient = Some(Recipient::Individual);
        h.supplied = Supplied::ALL;
        let first = year - rng.gen_range(0..15);
        h.service.push(ServicePeriod {
            from: time::Date::from_calendar_date(first, time::Month::January, 1)
                .unwrap_or(time::Date::MIN),
            to: None,
        });
        // ~10 awards a person, as in the 1 M people / 10 M awards set
        for y in first..=year {
            let r = match rng.gen_range(0..10) {
                0 => Rating::HoanThanh,
                1..=5 => Rating::HoanThanhTot,
                _ => Rating::HoanThanhXuatSac,
            };
            h.ratings.push(YearRating {
                year: y,
                rating: r,
                via: None,
            });
            if !titles.is_empty() && rng.gen_bool(0.6) {
                h.awards.push(AwardHeld {
                    award: titles[rng.gen_range(0..titles.len())],
                    year: y,
                    decision: "",
                    via: None,
                });
            }
        }
        gen_time += t.elapsed();
        for (k, s) in scanners.iter().enumerate() {
            match s.verdict(&h) {
                Verdict::Eligible => counts[k].0 += 1,
                Verdict::NotEligible if s.verdict_next_year(&h) == Verdict::Eligible => {
                    counts[k].1 += 1;
                }
                _ => {}
            }
        }
    }
    let total = eval_started.elapsed();
    let eval = total.saturating_sub(gen_time);
    println!(
        "Đo trong bộ nhớ (không đọc cơ sở dữ liệu): {people} hồ sơ sinh ngẫu nhiên, {} danh hiệu/hình thức mỗi người.",
        scanners.len()
    );
    println!(
        "Biên dịch quy tắc {:.3} s; sinh hồ sơ {:.2} s; xét {:.2} s ({} lượt xét); tổng {:.2} s.",
        compiled.as_secs_f64(),
        gen_time.as_secs_f64(),
        eval.as_secs_f64(),
        people * scanners.len() as u64,
        started.elapsed().as_secs_f64()
    );
    for (s, (ok, near)) in scanners.iter().zip(&counts) {
        if *ok > 0 || *near > 0 {
            println!(
                "  {}: {ok} đủ điều kiện, {near} còn một năm nữa",
                s.award().name
            );
        }
    }
    Ok(())
}

/// Runs `tdkt eligibility check|scan`; the exit code is the verdict's.
///
/// # Errors
/// Those of the command run.
pub async fn run(store: &Store, command: &crate::EligibilityCommand) -> Result<ExitCode> {
    use crate::EligibilityCommand;
    match command {
        EligibilityCommand::Check {
            person,
            unit,
            award,
            at,
            year,
            json,
        } => {
            let o = CheckOptions {
                person: person.as_deref(),
                unit: unit.as_deref(),
                award,
                at: at.as_deref(),
                year: *year,
                json: *json,
            };
            check(store, &o).await
        }
        EligibilityCommand::Scan {
            year,
            award,
            unit,
            out,
        } => {
            let o = ScanOptions {
                year: *year,
                award: award.as_deref(),
                unit: unit.as_deref(),
                out: out.as_deref(),
            };
            scan(store, &o).await
        }
    }
}
