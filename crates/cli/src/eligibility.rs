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

/// One line of a scan result.
struct Hit {
    award: AwardId,
    person_id: i64,
    name: String,
    cccd: String,
    unit_id: i64,
    eligible: bool,
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

/// `tdkt eligibility scan --year Y [--award CODE] [--unit CODE] [--out FILE.xlsx]`.
///
/// # Errors
/// Unknown award or unit, database failure, unwritable output.
pub async fn scan(store: &Store, o: &ScanOptions<'_>) -> Result<ExitCode> {
    let started = Instant::now();
    // compiled once, before any history is read
    let rules = tdkt_store::rules::current().eligibility();
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
    let mut hits: Vec<Hit> = Vec::new();
    let mut counts = vec![(0u64, 0u64); scanners.len()];
    let mut evaluated = 0u64;
    let stats = store
        .scan_histories(rules.catalogue(), o.year, units.as_ref(), |p, h| {
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
                hits.push(Hit {
                    award: s.award().id,
                    person_id: p.id,
                    name: p.full_name.clone(),
                    cccd: p.cccd_masked.clone(),
                    unit_id: p.unit_id,
                    eligible,
                });
            }
        })
        .await?;
    let elapsed = started.elapsed();
    // two readers interleave their people: list them in a stable order
    hits.sort_unstable_by_key(|h| (h.person_id, h.award));
    let cat = rules.catalogue();
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
    if let Some(out) = o.out {
        let units: std::collections::HashMap<i64, (String, String)> = store
            .units()
            .await?
            .into_iter()
            .map(|u| (u.id, (u.code, u.name)))
            .collect();
        write_xlsx(out, o.year, &hits, cat, &units)?;
        println!("Đã ghi {} dòng vào {}.", hits.len(), out.display());
    } else {
        for h in hits.iter().filter(|h| h.eligible).take(50) {
            println!(
                "{} · {} ({}) · đủ điều kiện",
                cat.award(h.award).name,
                h.name,
                h.cccd
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Rows a worksheet holds under its header (Excel's limit is 1 048 576).
const SHEET_ROWS: usize = 1_048_575;

/// One worksheet per award (an award listing more people than a sheet holds
/// continues on `… (2)`): at 1 M people a year's list is over 2 M rows.
fn write_xlsx(
    path: &Path,
    year: i32,
    hits: &[Hit],
    cat: &tdkt_core::catalogue::Catalogue,
    units: &std::collections::HashMap<i64, (String, String)>,
) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let head = [
        "Danh hiệu/hình thức",
        "Mã",
        "Họ và tên",
        "CCCD",
        "Đơn vị",
        "Kết quả",
        "Mã người",
    ];
    let widths = [34.0, 24.0, 28.0, 16.0, 48.0, 18.0, 12.0];
    let mut by_award: Vec<&Hit> = hits.iter().collect();
    by_award.sort_by_key(|h| (h.award, !h.eligible, h.person_id));
    if by_award.is_empty() {
        wb.add_worksheet().set_name(format!("Năm {year}"))?;
    }
    for award in by_award.chunk_by(|a, b| a.award == b.award) {
        let a = cat.award(award[0].award);
        for (part, rows) in award.chunks(SHEET_ROWS).enumerate() {
            let ws = wb.add_worksheet();
            let code: String = a.code.chars().take(26).collect();
            ws.set_name(if part == 0 {
                code
            } else {
                format!("{code} ({})", part + 1)
            })?;
            for (c, (h, w)) in head.iter().zip(widths).enumerate() {
                let c = u16::try_from(c)?;
                ws.write_string_with_format(0, c, *h, &bold)?;
                ws.set_column_width(c, w)?;
            }
            ws.set_freeze_panes(1, 0)?;
            for (r, h) in rows.iter().enumerate() {
                let row = u32::try_from(r + 1)?;
                let unit = units.get(&h.unit_id).map_or("", |(_, n)| n.as_str());
                ws.write_string(row, 0, &a.name)?;
                ws.write_string(row, 1, &a.code)?;
                ws.write_string(row, 2, &h.name)?;
                ws.write_string(row, 3, &h.cccd)?;
                ws.write_string(row, 4, unit)?;
                ws.write_string(
                    row,
                    5,
                    if h.eligible {
                        "đủ điều kiện"
                    } else {
                        "còn một năm nữa"
                    },
                )?;
                #[expect(clippy::cast_precision_loss, reason = "a person id, far below 2^52")]
                ws.write_number(row, 6, h.person_id as f64)?;
            }
        }
    }
    wb.save(path)
        .with_context(|| format!("không ghi được {}", path.display()))?;
    Ok(())
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
