//! The emulation and commendation fund (*quỹ thi đua, khen thưởng*) of a
//! unit, per year (NĐ 152/2025/NĐ-CP Điều 46–48 for its sources and uses):
//! receipts an officer enters, payments written by [`Store::issue_decision`]
//! for the reward money of each decision the unit issues, the running
//! balance (`tdkt_core::decision::ledger`) and the ledger as XLSX.

use serde::Serialize;
use tdkt_core::date::format_vn;
use tdkt_core::decision::{ledger, Balance, FundKind, NewReceipt};
use tdkt_core::org::UnitId;
use time::Date;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store};

/// One line of a fund's ledger.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FundEntry {
    pub id: i64,
    pub unit_id: i64,
    pub year: i32,
    pub kind: String,
    pub entry_date: Date,
    pub amount: i64,
    pub description: String,
    pub decision_id: Option<i64>,
    pub decision_number: Option<String>,
    pub created_by: String,
}

impl FundEntry {
    #[must_use]
    pub fn kind(&self) -> FundKind {
        FundKind::parse(&self.kind).unwrap_or(FundKind::Receipt)
    }
}

/// A fund's year: its entries in order, each with the balance after it.
#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    pub unit_id: i64,
    pub year: i32,
    pub entries: Vec<(FundEntry, i64)>,
    pub totals: Balance,
}

impl Store {
    /// Records a receipt of `unit_id`'s fund with its audit event.
    ///
    /// # Errors
    /// Unknown unit; database failure.
    pub async fn add_fund_receipt(
        &self,
        actor: &str,
        unit_id: UnitId,
        r: &NewReceipt,
    ) -> Result<i64> {
        self.unit(unit_id).await?;
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into fund_entries (unit_id, year, kind, entry_date, amount, description, created_by, created_at)
                 values ($1, $2, 'receipt', $3, $4, $5, $6, $7) returning id",
            )
            .bind(unit_id)
            .bind(r.entry_date.year())
            .bind(r.entry_date)
            .bind(r.amount)
            .bind(&r.description)
            .bind(actor)
            .bind(crate::now_rfc3339())
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "unit_id": unit_id, "kind": "receipt", "entry_date": r.entry_date.to_string(),
                "amount": r.amount, "description": r.description,
            });
            audit!(tx, actor, "fund_entry", id, "create", None, json(&after));
            id
        });
        Ok(id)
    }

    /// The ledger of `unit_id`'s fund in `year`, by date.
    ///
    /// # Errors
    /// Database failure.
    pub async fn fund_ledger(&self, unit_id: UnitId, year: i32) -> Result<Ledger> {
        let rows: Vec<FundEntry> = with_pool!(self, |p| {
            sqlx::query_as(
            "select f.id, f.unit_id, f.year, f.kind, f.entry_date, f.amount, f.description, f.decision_id,
             d.number as decision_number, f.created_by
             from fund_entries f left join decisions d on d.id = f.decision_id
             where f.unit_id = $1 and f.year = $2 order by f.entry_date, f.id"
        )
        .bind(unit_id)
        .bind(year)
        .fetch_all(p)
        .await?
        });
        let pairs: Vec<(FundKind, i64)> = rows.iter().map(|r| (r.kind(), r.amount)).collect();
        let (running, totals) = ledger(&pairs);
        Ok(Ledger {
            unit_id,
            year,
            entries: rows.into_iter().zip(running).collect(),
            totals,
        })
    }
}

/// The ledger as an XLSX workbook: date, kind, content, decision,
/// receipt, payment, balance, and the totals.
///
/// # Errors
/// The writer failed.
pub fn ledger_xlsx(unit_name: &str, l: &Ledger) -> std::result::Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| format!("không ghi được sổ quỹ: {e}");
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0");
    let money_bold = Format::new().set_num_format("#,##0").set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(format!("Quỹ TĐKT {}", l.year)).map_err(err)?;
    ws.write_string_with_format(
        0,
        0,
        format!("Sổ quỹ thi đua, khen thưởng năm {} — {unit_name}", l.year),
        &bold,
    )
    .map_err(err)?;
    let header = [
        "Ngày",
        "Loại",
        "Nội dung",
        "Quyết định",
        "Thu (đồng)",
        "Chi (đồng)",
        "Tồn quỹ (đồng)",
    ];
    for (c, h) in (0u16..).zip(header) {
        ws.write_string_with_format(2, c, h, &bold).map_err(err)?;
    }
    #[expect(clippy::cast_precision_loss, reason = "đồng amounts far below 2^53")]
    let f = |x: i64| x as f64;
    let mut row = 3u32;
    for (e, balance) in &l.entries {
        ws.write_string(row, 0, format_vn(e.entry_date))
            .map_err(err)?;
        ws.write_string(row, 1, e.kind().label()).map_err(err)?;
        ws.write_string(row, 2, &e.description).map_err(err)?;
        ws.write_string(row, 3, e.decision_number.as_deref().unwrap_or(""))
            .map_err(err)?;
        let col = if e.kind() == FundKind::Receipt { 4 } else { 5 };
        ws.write_number_with_format(row, col, f(e.amount), &money)
            .map_err(err)?;
        ws.write_number_with_format(row, 6, f(*balance), &money)
            .map_err(err)?;
        row += 1;
    }
    ws.write_string_with_format(row, 2, "Cộng", &bold)
        .map_err(err)?;
    ws.write_number_with_format(row, 4, f(l.totals.receipts), &money_bold)
        .map_err(err)?;
    ws.write_number_with_format(row, 5, f(l.totals.payments), &money_bold)
        .map_err(err)?;
    ws.write_number_with_format(row, 6, f(l.totals.balance), &money_bold)
        .map_err(err)?;
    ws.set_column_width(0, 12).map_err(err)?;
    ws.set_column_width(2, 60).map_err(err)?;
    ws.set_column_width(3, 16).map_err(err)?;
    for c in 4..=6 {
        ws.set_column_width(c, 16).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
