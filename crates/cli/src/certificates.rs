//! `tdkt certificate export|verify` and `tdkt award revoke|correct`
//! (issue 14). The drawing, sealing and checking are those of the web
//! (`tdkt_web::routes::certificates`), so a file exported here verifies
//! there and the other way round.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use tdkt_core::certificate::seal;
use tdkt_core::revocation::{Correction, Revocation};
use tdkt_docs::certificate::Print;
use tdkt_store::revocations::corrected_of;
use tdkt_store::Store;
use tdkt_web::routes::certificates::{check_file, export_pdf};

/// The actor of audit events written from the command line.
const ACTOR: &str = "cli";

/// What `tdkt certificate export` prints.
pub struct ExportOptions<'a> {
    pub record: Option<i64>,
    pub decision: Option<&'a str>,
    pub out: &'a Path,
    pub blank: bool,
    pub offset_x: f32,
    pub offset_y: f32,
    pub public_url: &'a str,
}

/// `tdkt certificate export --record ID | --decision SỐ --out FILE.pdf
/// [--blank --offset-x MM --offset-y MM]`.
///
/// # Errors
/// Unknown or revoked record, a decision with no record in force, a file
/// that cannot be written.
pub async fn export(store: &Store, o: &ExportOptions<'_>) -> Result<()> {
    let ids: Vec<i64> = match (o.record, o.decision) {
        (Some(id), None) => vec![id],
        (None, Some(no)) => {
            let records = store.records_of_decision(no).await?;
            if records.is_empty() {
                bail!("không có bản ghi khen thưởng nào theo quyết định «{no}»");
            }
            let skipped: Vec<String> = records
                .iter()
                .filter(|r| r.status != "valid")
                .map(|r| format!("#{} {} ({})", r.id, r.recipient_name(), r.status_text()))
                .collect();
            if !skipped.is_empty() {
                eprintln!("Bỏ qua bản ghi đã hủy bỏ: {}", skipped.join("; "));
            }
            let ids: Vec<i64> = records
                .iter()
                .filter(|r| r.status == "valid")
                .map(|r| r.id)
                .collect();
            if ids.is_empty() {
                bail!("mọi bản ghi của quyết định «{no}» đã bị hủy bỏ: không có gì để in");
            }
            ids
        }
        _ => bail!("ghi đúng một trong hai: --record ID hoặc --decision SỐ"),
    };
    for (name, v) in [("--offset-x", o.offset_x), ("--offset-y", o.offset_y)] {
        if !v.is_finite() || v.abs() > 50.0 {
            bail!("{name}: độ lệch phải từ -50 đến 50 mm");
        }
    }
    let print = if o.blank {
        Print::Blank {
            offset_x_mm: o.offset_x,
            offset_y_mm: o.offset_y,
        }
    } else {
        Print::Full
    };
    let (pdf, issued) = export_pdf(store, ACTOR, &ids, o.public_url, print)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(o.out, &pdf).with_context(|| format!("không ghi được {}", o.out.display()))?;
    for i in &issued {
        println!(
            "{}: {} — {} (mã xác minh {})",
            i.record.id,
            i.record.award_name(),
            i.record.recipient_name(),
            i.code
        );
    }
    println!(
        "Đã ghi {} giấy chứng nhận vào {} ({} byte, đã ký số).",
        issued.len(),
        o.out.display(),
        pdf.len()
    );
    Ok(())
}

/// Where `tdkt certificate verify` takes its key and whether it may ask the
/// database.
pub enum VerifyKey<'a> {
    /// The installation's own key (master key), the database asked.
    Installation(&'a Store),
    /// A published public key file; no database.
    Published(&'a Path),
    /// The installation's key while its database is out of reach: the
    /// signature is checked, the revocation is not (and it says so).
    Offline(ed25519_dalek::VerifyingKey),
}

/// `tdkt certificate verify FILE.pdf [--public-key FILE]`: 0 valid, 3
/// revoked, 1 tampered or unknown, in Vietnamese.
///
/// # Errors
/// An unreadable file or key, a database failure.
pub async fn verify(file: &Path, key: VerifyKey<'_>) -> Result<ExitCode> {
    let bytes =
        std::fs::read(file).with_context(|| format!("không đọc được {}", file.display()))?;
    let verdict = match key {
        VerifyKey::Installation(store) => {
            let k = store.secrets().certificate_public_key();
            check_file(Some(store), &k, &bytes).await
        }
        VerifyKey::Published(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("không đọc được khóa công khai {}", path.display()))?;
            let k = seal::parse_public_key(&text).map_err(anyhow::Error::msg)?;
            check_file(None, &k, &bytes).await
        }
        VerifyKey::Offline(k) => check_file(None, &k, &bytes).await,
    }
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", verdict.message());
    Ok(ExitCode::from(verdict.exit_code()))
}

/// `tdkt award revoke --record ID --ground … --decision … --date … --reason …`.
///
/// # Errors
/// A refused field, an already revoked record (the first revocation named).
pub async fn revoke(
    store: &Store,
    record: i64,
    ground: &str,
    decision: &str,
    date: &str,
    reason: &str,
) -> Result<()> {
    let r = store
        .award_record(record)
        .await
        .with_context(|| format!("không có bản ghi khen thưởng #{record}"))?;
    let group = tdkt_store::awards::catalogue()
        .get(&r.award_code)
        .map_or("", |a| a.group.as_str());
    let rev = Revocation::parse(
        ground,
        decision,
        date,
        reason,
        r.decision_date,
        group,
        tdkt_core::date::today_vn(),
    )?;
    let done = store.revoke_award(ACTOR, record, &rev).await?;
    println!(
        "Đã hủy bỏ #{}: {} — {} ({}; {}).",
        done.id,
        done.award_name(),
        done.recipient_name(),
        rev.summary(),
        rev.ground.citation()
    );
    Ok(())
}

/// The fields `tdkt award correct` may change (each `None` = keep).
pub struct CorrectOptions<'a> {
    pub record: i64,
    pub year: Option<i32>,
    pub decision_no: Option<&'a str>,
    pub decision_date: Option<&'a str>,
    pub authority: Option<&'a str>,
    pub achievement: Option<&'a str>,
    pub reason: &'a str,
}

/// `tdkt award correct --record ID [--year …] [--decision …] [--date …]
/// [--authority …] [--achievement …] --reason …`.
///
/// # Errors
/// Nothing changed, a refused field, a duplicate.
pub async fn correct(store: &Store, o: &CorrectOptions<'_>) -> Result<()> {
    let r = store
        .award_record(o.record)
        .await
        .with_context(|| format!("không có bản ghi khen thưởng #{}", o.record))?;
    let date = r.decision_date.to_string();
    let year = o.year.unwrap_or(r.year).to_string();
    let c = Correction::parse(
        &corrected_of(&r),
        &year,
        o.decision_no.unwrap_or(&r.decision_no),
        o.decision_date.unwrap_or(&date),
        o.authority.unwrap_or(&r.authority),
        o.achievement.unwrap_or(&r.reason),
        o.reason,
    )?;
    let done = store.correct_award(ACTOR, o.record, &c).await?;
    println!(
        "Đã đính chính #{}: quyết định {} ngày {}, năm {}.",
        done.id,
        done.decision_no,
        tdkt_core::date::format_vn(done.decision_date),
        done.year
    );
    Ok(())
}

/// The installation key is needed to verify without `--public-key`; a
/// missing key file is not created for a check.
#[must_use]
pub fn has_installation_key(secret_key: Option<&str>, key_file: &Path) -> bool {
    secret_key.is_some() || key_file.exists()
}

/// Runs `tdkt certificate export|verify`. A verify without the database
/// still checks the signature with the installation's key, if there is one.
///
/// # Errors
/// Those of the command run; a verify with no key at all.
pub async fn run(cli: &crate::Cli, command: &crate::CertificateCommand) -> Result<ExitCode> {
    use crate::CertificateCommand;
    match command {
        CertificateCommand::Export {
            record,
            decision,
            out,
            blank,
            offset_x,
            offset_y,
        } => {
            let store = crate::open(cli).await?;
            export(
                &store,
                &ExportOptions {
                    record: *record,
                    decision: decision.as_deref(),
                    out,
                    blank: *blank,
                    offset_x: *offset_x,
                    offset_y: *offset_y,
                    public_url: &cli.public_url,
                },
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        CertificateCommand::Verify { file, public_key } => {
            if let Some(key) = public_key {
                return verify(file, VerifyKey::Published(key)).await;
            }
            if !has_installation_key(cli.secret_key.as_deref(), &cli.key_file) {
                bail!(
                    "không có khóa của hệ thống (TDKT_SECRET_KEY hoặc tệp {}); người chỉ có khóa công khai dùng --public-key TỆP",
                    cli.key_file.display()
                );
            }
            let store = match crate::open(cli).await {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("Cảnh báo: {e:#}; chỉ kiểm tra được chữ ký.");
                    let key = crate::secrets(cli)?.certificate_public_key();
                    return verify(file, VerifyKey::Offline(key)).await;
                }
            };
            verify(file, VerifyKey::Installation(&store)).await
        }
    }
}

/// Runs `tdkt award revoke|correct`.
///
/// # Errors
/// Those of the command run.
pub async fn award(store: &Store, command: &crate::AwardCommand) -> Result<()> {
    use crate::AwardCommand;
    match command {
        AwardCommand::Revoke {
            record,
            ground,
            decision,
            date,
            reason,
        } => revoke(store, *record, ground, decision, date, reason).await,
        AwardCommand::Correct {
            record,
            year,
            decision,
            date,
            authority,
            achievement,
            reason,
        } => {
            correct(
                store,
                &CorrectOptions {
                    record: *record,
                    year: *year,
                    decision_no: decision.as_deref(),
                    decision_date: date.as_deref(),
                    authority: authority.as_deref(),
                    achievement: achievement.as_deref(),
                    reason,
                },
            )
            .await
        }
    }
}
