//! Issuing a draft decision: the decision's new status, one registry record
//! per annexed recipient with the reward amount of the decision date, the
//! fund's payment, the dossiers it decides and an audit event for each, in
//! one transaction (see [`super`]).

use tdkt_core::catalogue::Recipient;
use tdkt_core::date::format_vn;
use tdkt_core::decision as rules;

use super::{line_no, Decision, Issued, NewRecipient, RecipientLine};
use crate::audit::{audit, json};
use crate::awards::{decision_key, dedupe_key, RecipientKind};
use crate::{write_tx, Result, Store, StoreError};

impl Store {
    /// Issues draft `id`: see the module documentation. Everything or
    /// nothing is written.
    ///
    /// # Errors
    /// `NotFound`; already issued (`Conflict`); a line the catalogue
    /// refuses on the decision date; a recipient who already has this
    /// award for that year by this decision number in the registry.
    pub async fn issue_decision(&self, actor: &str, id: i64) -> Result<Issued> {
        let d = self.decision(id).await?;
        if d.issued() {
            return Err(already_issued(&d));
        }
        let lines = self.decision_lines(id).await?;
        let new: Vec<NewRecipient> = lines
            .iter()
            .map(|l| NewRecipient {
                kind: l.recipient(),
                person_id: l.person_id,
                unit_id: l.unit_id,
                household: l.household.clone(),
                award_code: l.award_code.clone(),
                year: l.year,
                reason: l.reason.clone(),
                dossier_id: l.dossier_id,
            })
            .collect();
        let names: Vec<String> = lines.iter().map(RecipientLine::name).collect();
        let amounts = self.check_lines(d.decided_on, &new, &names).await?;
        let total: i64 = amounts.iter().sum();
        let dkey = decision_key(&d.number);
        let authority_text = rules::decided_by(&d.signer_title, &d.body);
        let records: Vec<i64> = write_tx!(self, |tx| {
            // the status changes once: a second issue (another tab, a
            // retry) finds no draft and stops before writing anything
            let changed = sqlx::query(
                "update decisions set status = 'issued', issued_by = $1, issued_at = $2 where id = $3 and status = 'draft'",
            )
            .bind(actor)
            .bind(crate::now_rfc3339())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(already_issued(&d));
            }
            let mut records = Vec::with_capacity(lines.len());
            for ((l, amount), name) in lines.iter().zip(&amounts).zip(&names) {
                let (kind, rid) = match l.person_id {
                    Some(p) => (RecipientKind::Person, p),
                    None => (RecipientKind::Unit, l.unit_id),
                };
                let key = dedupe_key(kind, rid, &l.award_code, l.year, &dkey);
                let reason = match l.recipient() {
                    Recipient::Household if l.reason.is_empty() => name.clone(),
                    Recipient::Household => format!("{name}: {}", l.reason),
                    _ => l.reason.clone(),
                };
                let record: Option<i64> = sqlx::query_scalar(
                    "insert into award_records (recipient_kind, person_id, unit_id, award_code, year, decision_no,
                     decision_key, decision_date, authority, reason, status, source, dedupe_key, created_at)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'valid', 'decided', $11, $12)
                     on conflict (dedupe_key) do nothing returning id",
                )
                .bind(kind.code())
                .bind(l.person_id)
                .bind(l.unit_id)
                .bind(&l.award_code)
                .bind(l.year)
                .bind(&d.number)
                .bind(&dkey)
                .bind(d.decided_on)
                .bind(&authority_text)
                .bind(&reason)
                .bind(&key)
                .bind(crate::now_rfc3339())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(record) = record else {
                    return Err(StoreError::Conflict(
                        "recipients",
                        format!(
                            "{}: sổ khen thưởng đã có «{}» năm {} theo quyết định {}; không ban hành (không ghi gì).",
                            line_no(usize::try_from(l.position).unwrap_or(0), name),
                            l.award_name(),
                            l.year,
                            d.number
                        ),
                    ));
                };
                sqlx::query(
                    "update decision_recipients set amount = $1, record_id = $2 where id = $3",
                )
                .bind(amount)
                .bind(record)
                .bind(l.id)
                .execute(&mut *tx)
                .await?;
                let after = serde_json::json!({
                    "recipient": kind.code(), "household": l.recipient() == Recipient::Household,
                    "person_id": l.person_id, "unit_id": l.unit_id, "award": l.award_code, "year": l.year,
                    "decision_no": d.number, "decision_date": d.decided_on.to_string(), "decision_id": id,
                    "dossier_id": l.dossier_id.or(d.dossier_id), "amount": amount,
                    "status": "valid", "source": "decided",
                });
                audit!(
                    tx,
                    actor,
                    "award_record",
                    record,
                    "create",
                    None,
                    json(&after)
                );
                records.push(record);
            }
            // cấp nào quyết định khen thưởng thì cấp đó chi tiền thưởng từ
            // quỹ của mình (NĐ 152/2025/NĐ-CP, mục quỹ thi đua, khen thưởng,
            // Điều 46–48; the same rule as Điều 66 NĐ 91/2017/NĐ-CP — clause
            // not checked against the 2025 text)
            if total > 0 {
                let description = format!(
                    "Chi tiền thưởng theo Quyết định số {} ngày {} ({} trường hợp)",
                    d.number,
                    format_vn(d.decided_on),
                    records.len()
                );
                let entry: i64 = sqlx::query_scalar(
                    "insert into fund_entries (unit_id, year, kind, entry_date, amount, description, decision_id, created_by, created_at)
                     values ($1, $2, 'payment', $3, $4, $5, $6, $7, $8) returning id",
                )
                .bind(d.authority_unit_id)
                .bind(d.decided_on.year())
                .bind(d.decided_on)
                .bind(total)
                .bind(&description)
                .bind(id)
                .bind(actor)
                .bind(crate::now_rfc3339())
                .fetch_one(&mut *tx)
                .await?;
                let after = serde_json::json!({
                    "unit_id": d.authority_unit_id, "kind": "payment", "amount": total, "decision_id": id,
                });
                audit!(tx, actor, "fund_entry", entry, "create", None, json(&after));
            }
            let after = serde_json::json!({
                "status": "issued", "number": d.number, "records": records, "total": total,
                "dossier_id": d.dossier_id,
            });
            audit!(
                tx,
                actor,
                "decision",
                id,
                "issue",
                json(&serde_json::json!({"status": "draft"})),
                json(&after)
            );
            // The dossiers this decision answers end with it, in the same
            // transaction: each must be ready at its last level, or nothing
            // of the issue is written.
            let mut answered: Vec<i64> = new
                .iter()
                .filter_map(|r| r.dossier_id)
                .chain(d.dossier_id)
                .collect();
            answered.sort_unstable();
            answered.dedup();
            crate::dossiers::mark_dossiers_decided!(tx, actor, &answered, id);
            records
        });
        Ok(Issued {
            decision_id: id,
            number: d.number,
            records,
            total,
        })
    }
}

fn already_issued(d: &Decision) -> StoreError {
    StoreError::Conflict(
        "status",
        format!(
            "Quyết định {} đã ban hành: không sửa, không ban hành lại.",
            d.number
        ),
    )
}
