//! `tdkt decision list|issue|authority|docx` and `tdkt fund receipt|export`
//! (issue 14, decision half). The rules and writes are those of the web
//! (`tdkt_store::decisions`): a decision issued here is the same as one
//! issued on the web, with its registry records and fund payment.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use tdkt_core::date::format_vn;
use tdkt_core::decision::{format_dong, NewDecision, NewReceipt, DEFAULT_BASES};
use tdkt_store::decisions::AuthorityInput;
use tdkt_store::Store;

/// The actor of audit events written from the command line.
const ACTOR: &str = "cli";

/// One issued decision in `tdkt decision list --json`.
#[derive(Debug)]
pub struct Listed {
    pub id: i64,
    /// `15/QĐ-UBND`.
    pub number: String,
    pub authority: String,
    pub authority_unit: String,
    pub decided_on: String,
    pub title: String,
    pub signer: String,
    pub dossier_id: Option<i64>,
    /// Registry record ids created on issue, in annex order.
    pub records: Vec<i64>,
}

/// `tdkt decision list [--json]`: the issued decisions, newest first.
///
/// # Errors
/// Database failure.
pub async fn list(store: &Store, as_json: bool) -> Result<()> {
    let decisions = store.decisions(true, None).await?;
    let ids: Vec<i64> = decisions.iter().map(|d| d.id).collect();
    let mut records: HashMap<i64, Vec<i64>> = HashMap::new();
    for (d, r) in store.decision_records(&ids).await? {
        records.entry(d).or_default().push(r);
    }
    let listed: Vec<Listed> = decisions
        .into_iter()
        .map(|d| Listed {
            records: records.remove(&d.id).unwrap_or_default(),
            id: d.id,
            number: d.number,
            authority: d.body,
            authority_unit: d.unit_code,
            decided_on: d.decided_on.to_string(),
            title: d.title,
            signer: format!("{} {}", d.signer_title, d.signer_name),
            dossier_id: d.dossier_id,
        })
        .collect();
    if as_json {
        let out: Vec<serde_json::Value> = listed
            .iter()
            .map(|d| {
                serde_json::json!({
                    "id": d.id, "number": d.number, "authority": d.authority,
                    "authority_unit": d.authority_unit, "decided_on": d.decided_on,
                    "title": d.title, "signer": d.signer, "dossier_id": d.dossier_id,
                    "records": d.records,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if listed.is_empty() {
        println!("Chưa có quyết định nào đã ban hành.");
    }
    for d in &listed {
        println!(
            "{}  ngày {}  {} — {} ({} bản ghi: {})",
            d.number,
            d.decided_on,
            d.authority,
            d.title,
            d.records.len(),
            d.records
                .iter()
                .map(|r| format!("#{r}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

/// What `tdkt decision issue` reads.
pub struct IssueOptions<'a> {
    pub file: &'a Path,
    pub authority: &'a str,
    pub number: &'a str,
    pub date: &'a str,
    pub signer: &'a str,
    pub signer_title: Option<&'a str>,
    pub title: &'a str,
    pub bases: &'a [String],
    pub dossier: Option<i64>,
    pub draft_only: bool,
}

/// `tdkt decision issue --file DS.csv --authority MÃ --number 15 --date
/// YYYY-MM-DD --signer "…"`: drafts the decision from the file and issues
/// it (both or neither): prints each refused row, else the records.
///
/// # Errors
/// A refused row or field (every row listed on stderr), a reused number,
/// a file that cannot be read.
pub async fn issue(store: &Store, o: &IssueOptions<'_>) -> Result<()> {
    let unit = store
        .unit_by_code(o.authority)
        .await
        .with_context(|| format!("không có đơn vị mã «{}»", o.authority))?;
    let Some(authority) = store.decision_authority(unit.id).await? else {
        bail!(
            "đơn vị «{}» chưa được khai báo là cơ quan ban hành: chạy `tdkt decision authority --unit {} --abbreviation … --body … --place …` trước",
            o.authority,
            o.authority
        );
    };
    let (header, rows, _) = tdkt_store::awards::file::read_path(o.file)
        .with_context(|| format!("không đọc được {}", o.file.display()))?;
    let recipients = match store.read_recipients(&header, rows).await? {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            bail!(
                "danh sách có {} dòng lỗi: không lập quyết định nào",
                errors.len()
            );
        }
    };
    let bases = if o.bases.is_empty() {
        DEFAULT_BASES.to_owned()
    } else {
        o.bases.join("\n")
    };
    let d = NewDecision::parse(
        &authority.symbol()?,
        o.number,
        o.date,
        o.signer,
        o.signer_title.unwrap_or(&authority.signer_title),
        o.title,
        &bases,
        o.dossier,
        tdkt_core::date::today_vn(),
    )?;
    let id = store
        .create_decision(ACTOR, unit.id, &d, &recipients.lines, &recipients.names)
        .await?;
    if o.draft_only {
        let d = store.decision(id).await?;
        println!("Đã lưu dự thảo quyết định {} (mã {id}).", d.number);
        return Ok(());
    }
    let issued = match store.issue_decision(ACTOR, id).await {
        Ok(i) => i,
        Err(e) => {
            bail!("{e} (dự thảo mã {id} vẫn giữ, chưa ghi bản ghi nào)");
        }
    };
    println!(
        "Đã ban hành Quyết định số {} ngày {}: {} bản ghi khen thưởng, tiền thưởng {} đồng.",
        issued.number,
        format_vn(d.decided_on),
        issued.records.len(),
        format_dong(issued.total)
    );
    println!(
        "Bản ghi: {}",
        issued
            .records
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(())
}

/// `tdkt decision authority --unit MÃ --abbreviation UBND --body … --place …`.
///
/// # Errors
/// Unknown unit, a bad abbreviation.
pub async fn authority(store: &Store, unit: &str, a: &AuthorityInput) -> Result<()> {
    let u = store
        .unit_by_code(unit)
        .await
        .with_context(|| format!("không có đơn vị mã «{unit}»"))?;
    let saved = store.set_decision_authority(ACTOR, u.id, a).await?;
    println!(
        "Đã lưu cơ quan ban hành {} (ký hiệu QĐ-{}, địa danh {}).",
        saved.body, saved.abbreviation, saved.place
    );
    Ok(())
}

/// `tdkt decision docx --id N --out FILE.docx`.
///
/// # Errors
/// Unknown decision; a file that cannot be written.
pub async fn docx(store: &Store, id: i64, out: &Path) -> Result<()> {
    let doc = store.decision_document(id).await?;
    let bytes = tdkt_docs::decision::render(&doc)?;
    std::fs::write(out, bytes).with_context(|| format!("không ghi được {}", out.display()))?;
    println!("Đã ghi {}.", out.display());
    Ok(())
}

/// `tdkt fund receipt --unit MÃ --date … --amount … --description …`.
///
/// # Errors
/// A refused field; unknown unit.
pub async fn receipt(
    store: &Store,
    unit: &str,
    date: &str,
    amount: &str,
    description: &str,
) -> Result<()> {
    let u = store
        .unit_by_code(unit)
        .await
        .with_context(|| format!("không có đơn vị mã «{unit}»"))?;
    let r = NewReceipt::parse(date, amount, description, tdkt_core::date::today_vn())?;
    store.add_fund_receipt(ACTOR, u.id, &r).await?;
    let l = store.fund_ledger(u.id, r.entry_date.year()).await?;
    println!(
        "Đã ghi khoản thu {} đồng. Tồn quỹ năm {}: {} đồng.",
        format_dong(r.amount),
        r.entry_date.year(),
        format_dong(l.totals.balance)
    );
    Ok(())
}

/// `tdkt fund export --unit MÃ --year N --out FILE.xlsx`.
///
/// # Errors
/// Unknown unit; a file that cannot be written.
pub async fn export(store: &Store, unit: &str, year: i32, out: &Path) -> Result<()> {
    let u = store
        .unit_by_code(unit)
        .await
        .with_context(|| format!("không có đơn vị mã «{unit}»"))?;
    let l = store.fund_ledger(u.id, year).await?;
    let bytes =
        tdkt_store::decisions::fund::ledger_xlsx(&u.name, &l).map_err(anyhow::Error::msg)?;
    std::fs::write(out, bytes).with_context(|| format!("không ghi được {}", out.display()))?;
    println!(
        "Đã ghi {} ({} dòng; thu {}, chi {}, tồn {} đồng).",
        out.display(),
        l.entries.len(),
        format_dong(l.totals.receipts),
        format_dong(l.totals.payments),
        format_dong(l.totals.balance)
    );
    Ok(())
}

/// Runs one `tdkt decision` command.
///
/// # Errors
/// Those of the command run.
pub async fn run(store: &Store, command: &crate::DecisionCommand) -> Result<()> {
    use crate::DecisionCommand;
    match command {
        DecisionCommand::List { json } => list(store, *json).await?,
        DecisionCommand::Issue {
            file,
            authority,
            number,
            date,
            signer,
            signer_title,
            title,
            bases,
            dossier,
            draft,
        } => {
            issue(
                store,
                &IssueOptions {
                    file,
                    authority,
                    number,
                    date,
                    signer,
                    signer_title: signer_title.as_deref(),
                    title,
                    bases,
                    dossier: *dossier,
                    draft_only: *draft,
                },
            )
            .await?;
        }
        DecisionCommand::Authority {
            unit,
            abbreviation,
            body,
            parent_body,
            place,
            signer_title,
        } => {
            authority(
                store,
                unit,
                &AuthorityInput {
                    abbreviation: abbreviation.clone(),
                    body: body.clone(),
                    parent_body: parent_body.clone(),
                    place: place.clone(),
                    signer_title: signer_title.clone(),
                },
            )
            .await?;
        }
        DecisionCommand::Docx { id, out } => docx(store, *id, out).await?,
    }
    Ok(())
}

/// Runs one `tdkt fund` command.
///
/// # Errors
/// Those of the command run.
pub async fn fund(store: &Store, command: &crate::FundCommand) -> Result<()> {
    use crate::FundCommand;
    match command {
        FundCommand::Receipt {
            unit,
            date,
            amount,
            description,
        } => receipt(store, unit, date, amount, description).await?,
        FundCommand::Export { unit, year, out } => {
            export(store, unit, *year, out).await?;
        }
    }
    Ok(())
}
