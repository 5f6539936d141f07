//! Revocation and correction of registry records (issue 14; the rules are
//! in `tdkt_core::revocation`). A revocation turns one record's status to
//! `revoked` and keeps its ground, revoking decision and reason in
//! `revocations` (migration 0021), with one audit event, in one
//! transaction. Every reader that counts awards (eligibility inputs,
//! proposal checks, scans) already reads `status = 'valid'` only, so a
//! revoked award stops counting at once. A correction rewrites the
//! decision fields of a record and keeps the old values in its audit event.

use serde::Serialize;
use tdkt_core::date::format_vn;
use tdkt_core::revocation::{Corrected, Correction, Ground, Revocation};
use tdkt_core::DomainError;
use time::Date;

use crate::audit::{audit, json};
use crate::awards::{check_award, decision_key, dedupe_key, AwardRecord, RecipientKind};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// Why and by what decision a record was revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RevocationRow {
    pub record_id: i64,
    pub ground: String,
    pub decision_no: String,
    pub decision_date: Option<Date>,
    pub reason: String,
    pub source: String,
    pub revoked_by: String,
    pub revoked_at: String,
}

impl RevocationRow {
    #[must_use]
    pub fn ground(&self) -> Ground {
        Ground::parse(&self.ground).unwrap_or(Ground::KhongGhi)
    }

    /// `Quyết định số 12/QĐ-UBND ngày 05/3/2026` (what is known of it).
    #[must_use]
    pub fn decision(&self) -> String {
        match (self.decision_no.is_empty(), self.decision_date) {
            (false, Some(d)) => format!("Quyết định số {} ngày {}", self.decision_no, format_vn(d)),
            (false, None) => format!("Quyết định số {}", self.decision_no),
            (true, Some(d)) => format!("quyết định ngày {}", format_vn(d)),
            (true, None) => "quyết định không ghi số".to_owned(),
        }
    }
}

const REVOCATION_SELECT: &str = "select record_id, ground, decision_no, decision_date, reason, source, revoked_by, revoked_at from revocations";

/// The current decision fields of a record, as a correction sees them.
#[must_use]
pub fn corrected_of(r: &AwardRecord) -> Corrected {
    Corrected {
        year: r.year,
        decision_no: r.decision_no.clone(),
        decision_date: r.decision_date,
        authority: r.authority.clone(),
        achievement: r.reason.clone(),
    }
}

impl Store {
    /// Revokes record `id` (one recipient of its decision) with its audit
    /// event. The caller has checked that `actor` may (scope of the
    /// record's unit) and parsed `r` against the record.
    ///
    /// # Errors
    /// `NotFound`; `Conflict("status")` when the record is already revoked
    /// (the message names the revoking decision).
    pub async fn revoke_award(&self, actor: &str, id: i64, r: &Revocation) -> Result<AwardRecord> {
        let dkey = decision_key(&r.decision_no);
        write_tx!(self, |tx| {
            let changed = sqlx::query(
                "update award_records set status = 'revoked' where id = $1 and status = 'valid'",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                let status: Option<String> =
                    sqlx::query_scalar("select status from award_records where id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                return Err(match status {
                    None => StoreError::NotFound(format!("bản ghi khen thưởng #{id}")),
                    Some(_) => {
                        let prior: Option<RevocationRow> =
                            sqlx::query_as(&format!("{REVOCATION_SELECT} where record_id = $1"))
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await?;
                        already_revoked(id, prior.as_ref())
                    }
                });
            }
            sqlx::query(
                "insert into revocations (record_id, ground, decision_no, decision_key, decision_date, reason, source, revoked_by, revoked_at)
                 values ($1, $2, $3, $4, $5, $6, 'entered', $7, $8)",
            )
            .bind(id)
            .bind(r.ground.code())
            .bind(&r.decision_no)
            .bind(&dkey)
            .bind(r.decision_date)
            .bind(&r.reason)
            .bind(actor)
            .bind(crate::now_rfc3339())
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "status": "revoked", "ground": r.ground.code(), "citation": r.ground.citation(),
                "decision_no": r.decision_no, "decision_date": r.decision_date.to_string(),
                "reason": r.reason,
            });
            audit!(
                tx,
                actor,
                "award_record",
                id,
                "revoke",
                json(&serde_json::json!({"status": "valid"})),
                json(&after)
            );
        });
        self.award_record(id).await
    }

    /// The revocation of record `id`, if it was revoked.
    ///
    /// # Errors
    /// Database failure.
    pub async fn revocation(&self, id: i64) -> Result<Option<RevocationRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{REVOCATION_SELECT} where record_id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?))
    }

    /// Revocations of the records `ids` (only the revoked have one).
    ///
    /// # Errors
    /// Database failure.
    pub async fn revocations_of(&self, ids: &[i64]) -> Result<Vec<RevocationRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{REVOCATION_SELECT} where record_id in ({})",
            crate::id_list(ids)
        ))
        .persistent(false)
        .fetch_all(p)
        .await?))
    }

    /// Corrects the decision fields of record `id` (never its recipient or
    /// award), keeping the old values in the audit event.
    ///
    /// # Errors
    /// `NotFound`; a revoked record; the catalogue checks on the new year
    /// and date; `Conflict` when the corrected record would duplicate
    /// another.
    pub async fn correct_award(&self, actor: &str, id: i64, c: &Correction) -> Result<AwardRecord> {
        let before = self.award_record(id).await?;
        if before.status == "revoked" {
            return Err(DomainError::invalid(
                "status",
                format!("Bản ghi #{id} đã bị hủy bỏ: không đính chính được."),
            )
            .into());
        }
        let kind = if before.person_id.is_some() {
            RecipientKind::Person
        } else {
            RecipientKind::Unit
        };
        let f = &c.fields;
        check_award(
            &before.award_code,
            kind,
            f.year,
            f.decision_date,
            tdkt_core::date::today_vn(),
        )
        .map_err(|(field, m)| DomainError::invalid(field, m))?;
        let dkey = decision_key(&f.decision_no);
        let rid = before.person_id.unwrap_or(before.unit_id);
        let key = dedupe_key(kind, rid, &before.award_code, f.year, &dkey);
        write_tx!(self, |tx| {
            sqlx::query(
                "update award_records set year = $1, decision_no = $2, decision_key = $3, decision_date = $4,
                 authority = $5, reason = $6, dedupe_key = $7 where id = $8",
            )
            .bind(f.year)
            .bind(&f.decision_no)
            .bind(&dkey)
            .bind(f.decision_date)
            .bind(&f.authority)
            .bind(&f.achievement)
            .bind(&key)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "decision_no",
                format!(
                    "Sổ khen thưởng đã có bản ghi cùng người nhận, danh hiệu, năm {} và quyết định {}: không đính chính thành bản ghi trùng.",
                    f.year, f.decision_no
                ),
            ))?;
            let old = corrected_of(&before);
            audit!(
                tx,
                actor,
                "award_record",
                id,
                "correct",
                json(&old),
                json(&serde_json::json!({"fields": f, "reason": c.reason}))
            );
        });
        self.award_record(id).await
    }
}

/// The refusal of a second revocation, naming the first.
fn already_revoked(id: i64, prior: Option<&RevocationRow>) -> StoreError {
    let by = prior.map_or_else(String::new, |p| format!(" theo {}", p.decision()));
    StoreError::Conflict(
        "status",
        format!("Bản ghi khen thưởng #{id} đã bị hủy bỏ{by}; không thể hủy bỏ lần nữa."),
    )
}
