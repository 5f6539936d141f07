//! Editing and deleting a decision while it is a draft. Until it is issued
//! a decision has written nothing to the registry or the fund, so its
//! number, date, signer and annexed list may change and the draft may be
//! thrown away; once issued it is the legal act itself and can only be
//! revoked per recipient (Chương VII Luật TĐKT 2022), never edited or
//! deleted. Both writes check the draft status inside their transaction
//! (`where status = 'draft'`), so an issue racing an edit leaves one of
//! them refused, never a half-edited issued decision.

use tdkt_core::decision::{self as rules, NewDecision};
use tdkt_core::org::UnitId;
use tdkt_core::DomainError;

use super::{insert_recipients, line_no, Authority, Decision, NewRecipient};
use crate::audit::{audit, json};
use crate::awards::{catalogue, decision_key};
use crate::{write_tx, Result, Store, StoreError};

/// What a draft's header and list become, checked once for create and edit.
pub(super) struct Checked {
    pub(super) number: String,
    pub(super) reused: String,
}

fn issued(d: &Decision, verb: &str) -> StoreError {
    StoreError::Conflict(
        "status",
        format!(
            "Quyết định {} đã ban hành: không được {verb}. Quyết định đã ban hành chỉ hủy bỏ được từng trường hợp theo Chương VII Luật Thi đua, khen thưởng 2022.",
            d.number
        ),
    )
}

impl Store {
    /// Checks a draft of `authority_unit`: the authority is declared, each
    /// line is within what it manages and meets the catalogue; returns the
    /// number and the message for a reused one.
    pub(super) async fn check_draft(
        &self,
        authority_unit: UnitId,
        d: &NewDecision,
        lines: &[NewRecipient],
        names: &[String],
    ) -> Result<(Authority, Checked)> {
        let authority = self.decision_authority(authority_unit).await?.ok_or_else(|| {
            DomainError::invalid(
                "authority",
                "Đơn vị này chưa được khai báo là cơ quan ban hành quyết định (chữ viết tắt, tên cơ quan, địa danh).",
            )
        })?;
        let symbol = authority.symbol()?;
        // an authority commends within what it manages: its subtree, with
        // the predecessors of its units (lineage)
        let managed = self.lineage().await?.scope(authority_unit);
        if let Some((i, _)) = lines
            .iter()
            .enumerate()
            .find(|(_, l)| !managed.contains(&l.unit_id))
        {
            return Err(DomainError::invalid(
                "recipients",
                format!(
                    "{}: không thuộc phạm vi quản lý của {}.",
                    line_no(i + 1, names.get(i).map_or("", String::as_str)),
                    authority.body
                ),
            )
            .into());
        }
        let class = self.level_classes().await?(&self.unit(authority_unit).await?);
        for (i, l) in lines.iter().enumerate() {
            if let Some(a) = catalogue().get(&l.award_code) {
                if !rules::may_issue(a.authority, class) {
                    return Err(DomainError::invalid(
                        "recipients",
                        format!(
                            "{}: «{}» do {} quyết định, không thuộc thẩm quyền của {}.",
                            line_no(i + 1, names.get(i).map_or("", String::as_str)),
                            a.name,
                            a.authority.label(),
                            authority.body
                        ),
                    )
                    .into());
                }
            }
        }
        self.check_lines(d.decided_on, lines, names).await?;
        let number = rules::number(d.seq, &symbol);
        let year = d.decided_on.year();
        let reused = format!(
            "Số quyết định {number} đã được dùng trong năm {year} của {}: mỗi số chỉ dùng một lần trong năm (Điều 15 Nghị định 30/2020/NĐ-CP). Số còn trống tiếp theo: {}.",
            authority.body,
            self.next_decision_seq(authority_unit, year).await?
        );
        Ok((authority, Checked { number, reused }))
    }

    /// Replaces a draft's number, date, signer, title, bases and annexed
    /// list, checked as a new draft is.
    ///
    /// # Errors
    /// `Conflict("status")` for an issued decision; as
    /// [`Store::create_decision`]; `NotFound`.
    pub async fn update_decision_draft(
        &self,
        actor: &str,
        id: i64,
        d: &NewDecision,
        lines: &[NewRecipient],
        names: &[String],
    ) -> Result<()> {
        let before = self.decision(id).await?;
        if before.issued() {
            return Err(issued(&before, "sửa"));
        }
        let (_, checked) = self
            .check_draft(before.authority_unit_id, d, lines, names)
            .await?;
        let bases = d.bases.join("\n");
        let Checked { number, reused } = checked;
        write_tx!(self, |tx| {
            let changed = sqlx::query(
                "update decisions set year = $2, seq = $3, number = $4, decision_key = $5, decided_on = $6,
                 signer_name = $7, signer_title = $8, title = $9, bases = $10, dossier_id = $11
                 where id = $1 and status = 'draft'",
            )
            .bind(id)
            .bind(d.decided_on.year())
            .bind(i32::try_from(d.seq).unwrap_or(i32::MAX))
            .bind(&number)
            .bind(decision_key(&number))
            .bind(d.decided_on)
            .bind(&d.signer_name)
            .bind(&d.signer_title)
            .bind(&d.title)
            .bind(&bases)
            .bind(d.dossier_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique("number", reused))?
            .rows_affected();
            if changed != 1 {
                return Err(issued(&before, "sửa"));
            }
            sqlx::query("delete from decision_recipients where decision_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            insert_recipients!(tx, id, lines);
            let was = serde_json::json!({
                "number": before.number, "decided_on": before.decided_on.to_string(),
                "signer": before.signer_name, "signer_title": before.signer_title, "title": before.title,
            });
            let after = serde_json::json!({
                "number": number, "decided_on": d.decided_on.to_string(), "signer": d.signer_name,
                "signer_title": d.signer_title, "title": d.title, "dossier_id": d.dossier_id,
                "recipients": lines.iter().map(|l| serde_json::json!({
                    "kind": l.kind.code(), "person_id": l.person_id, "unit_id": l.unit_id,
                    "award": l.award_code, "year": l.year,
                })).collect::<Vec<_>>(),
            });
            audit!(
                tx,
                actor,
                "decision",
                id,
                "update",
                json(&was),
                json(&after)
            );
        });
        Ok(())
    }

    /// Deletes a draft and its annexed list.
    ///
    /// # Errors
    /// `Conflict("status")` for an issued decision; `NotFound`.
    pub async fn delete_decision_draft(&self, actor: &str, id: i64) -> Result<()> {
        let before = self.decision(id).await?;
        if before.issued() {
            return Err(issued(&before, "xóa"));
        }
        let lines = self.decision_lines(id).await?.len();
        write_tx!(self, |tx| {
            // the lines reference the decision: they go first, only while
            // it is a draft; then the draft itself, or nothing
            sqlx::query(
                "delete from decision_recipients where decision_id = $1
                 and exists (select 1 from decisions where id = $1 and status = 'draft')",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let gone = sqlx::query("delete from decisions where id = $1 and status = 'draft'")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone != 1 {
                return Err(issued(&before, "xóa"));
            }
            let was = serde_json::json!({
                "number": before.number, "decided_on": before.decided_on.to_string(),
                "signer": before.signer_name, "title": before.title, "recipients": lines,
            });
            audit!(tx, actor, "decision", id, "delete", json(&was), None);
        });
        Ok(())
    }
}
