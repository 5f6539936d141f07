//! Printed certificates (issue 14): the public verification code of each
//! registry record printed (migration 0021), drawn at the first print and
//! kept so that a reprint carries the same code and QR, and what a
//! certificate says about its record ([`Store::certificate_data`]). The PDF
//! itself is drawn by `tdkt-docs` and sealed with
//! [`crate::Secrets::certificate_signing_key`]; the seal is checked by
//! `tdkt_core::certificate::seal`, without a database.

use std::collections::HashMap;

use rand::RngCore;
use tdkt_core::certificate::{CertificateData, Code};
use tdkt_core::lineage::Lineage;
use tdkt_core::org::UnitId;
use tdkt_core::DomainError;

use crate::audit::{audit, json};
use crate::awards::{catalogue, AwardRecord};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// A record with the code of its certificate.
#[derive(Debug, Clone)]
pub struct Issued {
    pub record: AwardRecord,
    pub code: Code,
}

/// Unit kinds whose name is the place of issue printed on a certificate
/// (`Hậu Giang, ngày …`): a province or a centrally-run city (Phụ lục I
/// NĐ 30/2020/NĐ-CP: the place is the province where the issuing body sits).
const PLACE_KINDS: [&str; 2] = ["tinh", "thanh-pho-tw"];

/// The place of issue of a record of `unit` decided on `on`: the province
/// or city above it, by its name then (`Tỉnh Hậu Giang` → `Hậu Giang`).
pub(crate) fn place_of(lineage: &Lineage, unit: UnitId, on: time::Date) -> Option<String> {
    let mut cur = lineage.unit(unit);
    while let Some(u) = cur {
        if PLACE_KINDS.contains(&u.kind.as_str()) {
            let name = lineage.name_at(u.id, on).unwrap_or_else(|| u.name.clone());
            let short = ["Tỉnh ", "Thành phố ", "TP. "]
                .iter()
                .find_map(|p| name.strip_prefix(p))
                .map_or(name.clone(), str::to_owned);
            return Some(short);
        }
        cur = u.parent_id.and_then(|p| lineage.unit(p));
    }
    None
}

impl Store {
    /// The certificate codes of `ids`, drawing one for each record printed
    /// for the first time (one audit event each, in one transaction).
    /// Revoked records are refused: a revoked award is not printed.
    ///
    /// # Errors
    /// `NotFound` for an unknown id; `Invalid` for a revoked record (its
    /// revoking decision named).
    pub async fn issue_certificates(&self, actor: &str, ids: &[i64]) -> Result<Vec<Issued>> {
        let mut records = Vec::with_capacity(ids.len());
        for &id in ids {
            let r = self.award_record(id).await?;
            if r.status == "revoked" {
                return Err(DomainError::invalid(
                    "record",
                    format!(
                        "Bản ghi #{id} ({} — {}) {}: không in giấy chứng nhận.",
                        r.award_name(),
                        r.recipient_name(),
                        r.status_text()
                    ),
                )
                .into());
            }
            records.push(r);
        }
        let mut codes: HashMap<i64, Code> = self.certificate_codes(ids).await?;
        let missing: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !codes.contains_key(id))
            .collect();
        if !missing.is_empty() {
            let now = crate::now_rfc3339();
            let drawn: Vec<(i64, Code)> = missing
                .iter()
                .map(|&id| {
                    let mut b = [0u8; 10];
                    rand::thread_rng().fill_bytes(&mut b);
                    (id, Code::from_bytes(b))
                })
                .collect();
            write_tx!(self, |tx| {
                for (id, code) in &drawn {
                    // a concurrent first print of the same record keeps its
                    // own code: ours is then not inserted, and read back below
                    let inserted: Option<i64> = sqlx::query_scalar(
                        "insert into certificates (record_id, code, issued_by, issued_at) values ($1, $2, $3, $4)
                         on conflict (record_id) do nothing returning id",
                    )
                    .bind(id)
                    .bind(code.as_str())
                    .bind(actor)
                    .bind(&now)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if inserted.is_some() {
                        let after = serde_json::json!({"record_id": id, "code": code.as_str()});
                        audit!(tx, actor, "certificate", id, "issue", None, json(&after));
                    }
                }
            });
            codes = self.certificate_codes(ids).await?;
        }
        records
            .into_iter()
            .map(|r| {
                let code = codes
                    .get(&r.id)
                    .cloned()
                    .ok_or_else(|| StoreError::NotFound(format!("mã giấy chứng nhận #{}", r.id)))?;
                Ok(Issued { record: r, code })
            })
            .collect()
    }

    async fn certificate_codes(&self, ids: &[i64]) -> Result<HashMap<i64, Code>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(i64, String)> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select record_id, code from certificates where record_id in ({})",
            crate::id_list(ids)
        ))
        .persistent(false)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .filter_map(|(id, c)| Code::parse(&c).ok().map(|c| (id, c)))
            .collect())
    }

    /// The record a certificate code belongs to (revocation attached).
    ///
    /// # Errors
    /// Database failure.
    pub async fn record_by_certificate(&self, code: &Code) -> Result<Option<AwardRecord>> {
        let id: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "select record_id from certificates where code = $1"
        )
        .bind(code.as_str())
        .fetch_optional(p)
        .await?);
        match id {
            Some(id) => Ok(Some(self.award_record(id).await?)),
            None => Ok(None),
        }
    }

    /// The records of a decision, by its number (any spacing or case),
    /// oldest first: what a batch print of the decision holds.
    ///
    /// # Errors
    /// Database failure.
    pub async fn records_of_decision(&self, decision_no: &str) -> Result<Vec<AwardRecord>> {
        let mut rows: Vec<AwardRecord> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{} where a.decision_key = $1 order by a.id",
            crate::awards::AWARD_SELECT
        ))
        .bind(crate::awards::decision_key(decision_no))
        .fetch_all(p)
        .await?);
        self.attach_revocations(&mut rows).await?;
        Ok(rows)
    }

    /// What the certificate of `issued` prints, its QR pointing under
    /// `public_url` (`https://tdkt.example.gov.vn`).
    ///
    /// # Errors
    /// Database failure.
    pub async fn certificate_data(
        &self,
        issued: &[Issued],
        public_url: &str,
    ) -> Result<Vec<CertificateData>> {
        let lineage = self.lineage().await?;
        let base = public_url.trim_end_matches('/');
        Ok(issued
            .iter()
            .map(|i| {
                let r = &i.record;
                let award = catalogue().get(&r.award_code);
                let unit = if r.person_id.is_some() {
                    r.unit_name.clone()
                } else {
                    lineage
                        .unit(r.unit_id)
                        .and_then(|u| u.parent_id)
                        .and_then(|p| lineage.name_at(p, r.decision_date))
                        .unwrap_or_default()
                };
                let issuer = if r.authority.trim().is_empty() {
                    award.map_or_else(String::new, |a| a.authority.label().to_owned())
                } else {
                    r.authority.clone()
                };
                CertificateData {
                    signer_title: issuer.clone(),
                    issuer,
                    award: r.award_name().to_owned(),
                    recipient: r.recipient_name().to_owned(),
                    unit,
                    reason: r.reason.clone(),
                    year: r.year,
                    decision_no: r.decision_no.clone(),
                    decision_date: r.decision_date,
                    place: place_of(&lineage, r.unit_id, r.decision_date),
                    signer_name: None,
                    code: i.code.clone(),
                    verify_url: format!("{base}/xac-minh/{}", i.code),
                    kind: award.map_or(tdkt_core::catalogue::AwardKind::Form, |a| a.kind),
                }
            })
            .collect())
    }
}
