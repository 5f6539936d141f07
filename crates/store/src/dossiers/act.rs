//! Acting on a dossier at the level holding it: who may (`check_holder`),
//! and the act itself (`act_on_dossier`), read, checked by
//! [`tdkt_core::dossier::next`] and written with its timeline row and audit
//! event in one transaction.

use tdkt_core::access::{self, Action, Principal, Role};
use tdkt_core::dossier::{self, Act};
use time::Date;

use super::{award_of, invalid, Dossier, DossierAction, DossierStep, SELECT};
use crate::audit::{audit, json};
use crate::{now_rfc3339, write_tx, Result, Store, StoreError};

impl Store {
    /// Checks that `who` may act on dossier `id` at the level now holding
    /// it (role, then level), and returns the dossier.
    ///
    /// # Errors
    /// `Conflict("actor")` naming the level that holds it; `NotFound`.
    pub async fn dossier_for_holder(&self, who: &Principal, id: i64) -> Result<Dossier> {
        let d = self.dossier(id).await?;
        let steps = self.dossier_steps(id).await?;
        check_holder(who, &d, &steps)?;
        Ok(d)
    }

    /// Applies `action` to dossier `id` for `who`, at the level holding it:
    /// reads, checks, writes the new state, the timeline row and the audit
    /// event in one transaction; any refusal leaves everything as it was.
    ///
    /// # Errors
    /// Not the holding level (`Conflict("actor")`), an act the state does
    /// not allow or documents missing (`Invalid`, Vietnamese, naming them),
    /// an unknown recommended award; `NotFound`.
    pub async fn act_on_dossier(
        &self,
        who: &Principal,
        id: i64,
        action: &DossierAction,
        today: Date,
    ) -> Result<Dossier> {
        let view = self.dossier_view(id).await?;
        if matches!(action, DossierAction::Forward) {
            // a report of achievements older than the limit is not taken
            // up (khoản 9 Điều 33 NĐ 152/2025/NĐ-CP); nothing is written
            self.check_document_ages(&view, today).await?;
        }
        let recommended = match action {
            DossierAction::Recommend { award, .. } => {
                let a = award_of(award)?;
                if a.code == view.dossier.award_code {
                    return Err(invalid(
                        "award",
                        "Hình thức đề xuất trùng hình thức đang đề nghị.",
                    ));
                }
                Some(a)
            }
            _ => None,
        };
        let act = match action {
            DossierAction::Forward => Act::Forward,
            DossierAction::Return { missing } => Act::Return { missing },
            DossierAction::Reject { reasons } => Act::Reject { reasons },
            DossierAction::Appraise { favourable, notes } => Act::Appraise {
                favourable: *favourable,
                notes,
            },
            DossierAction::Recommend { award, reason } => Act::Recommend { award, reason },
        };
        let actor = who.username.as_str();
        let now = now_rfc3339();
        let missing: Vec<&str> = view.missing();
        if matches!(action, DossierAction::Forward) {
            self.council_gate(&view, today).await?;
        }
        let d: Dossier = write_tx!(self, |tx| {
            // read again inside the transaction: the state acted on is the
            // state written over (version check below)
            let cur: Dossier = sqlx::query_as(&format!("{SELECT} where id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            check_holder(who, &cur, &view.steps)?;
            if cur.version != view.dossier.version {
                return Err(StoreError::Conflict(
                    "version",
                    format!("Hồ sơ #{id} vừa được thay đổi: tải lại trang rồi thực hiện lại."),
                ));
            }
            let before = cur.state()?;
            let after = dossier::next(before, view.steps.len(), &act, &missing)?;
            let moved = after.step != before.step || after.status != before.status;
            let found_wanting = match action {
                DossierAction::Appraise {
                    favourable: false, ..
                } => Some(today),
                DossierAction::Appraise {
                    favourable: true, ..
                } => None,
                _ if moved => None,
                _ => cur.found_wanting_on,
            };
            let arrived = if after.step == before.step {
                cur.arrived_on
            } else {
                today
            };
            let rec = recommended
                .as_ref()
                .map(|a| a.code.clone())
                .or(cur.recommended_award.clone());
            let step_i32 = |s: usize| i32::try_from(s).unwrap_or(i32::MAX);
            let n = sqlx::query(
                "update dossiers set status = $1, step = $2, resume_step = $3, arrived_on = $4, found_wanting_on = $5, recommended_award = $6, version = version + 1
                 where id = $7 and version = $8",
            )
            .bind(after.status.code())
            .bind(step_i32(after.step))
            .bind(after.resume.map(step_i32))
            .bind(arrived)
            .bind(found_wanting)
            .bind(&rec)
            .bind(id)
            .bind(cur.version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict(
                    "version",
                    format!("Hồ sơ #{id} vừa được thay đổi: tải lại trang rồi thực hiện lại."),
                ));
            }
            let detail = match action {
                DossierAction::Forward => serde_json::json!({}),
                DossierAction::Return { missing } => {
                    serde_json::json!({"missing": missing.iter().map(|m| m.trim()).filter(|m| !m.is_empty()).collect::<Vec<_>>()})
                }
                DossierAction::Reject { reasons } => serde_json::json!({"reasons": reasons.trim()}),
                DossierAction::Appraise { favourable, notes } => serde_json::json!({
                    "notes": notes.trim(),
                    "verdict": if *favourable { "đủ điều kiện, tiêu chuẩn" } else { "không đủ điều kiện, tiêu chuẩn, thủ tục" },
                }),
                DossierAction::Recommend { reason, .. } => serde_json::json!({
                    "award": recommended.as_ref().map(|a| &a.code),
                    "award_name": recommended.as_ref().map(|a| &a.name),
                    "reason": reason.trim(),
                }),
            };
            sqlx::query(
                "insert into dossier_events (dossier_id, at, actor, action, step, from_status, to_status, detail) values ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(&now)
            .bind(actor)
            .bind(act.code())
            .bind(step_i32(before.step))
            .bind(before.status.code())
            .bind(after.status.code())
            .bind(detail.to_string())
            .execute(&mut *tx)
            .await?;
            let audit_before =
                serde_json::json!({"status": before.status.code(), "step": before.step});
            let audit_after = serde_json::json!({"status": after.status.code(), "step": after.step, "resume": after.resume, "detail": detail});
            audit!(
                tx,
                actor,
                "dossier",
                id,
                act.code(),
                json(&audit_before),
                json(&audit_after)
            );
            let out: Dossier = sqlx::query_as(&format!("{SELECT} where id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            out
        });
        Ok(d)
    }
}

/// Is `who` an account of the level holding `d`?
fn check_holder(who: &Principal, d: &Dossier, steps: &[DossierStep]) -> Result<()> {
    if !access::role_may(who.role, Action::HandleDossiers) {
        return Err(StoreError::Conflict(
            "actor",
            format!(
                "Vai trò «{}» không được xử lý hồ sơ khen thưởng.",
                who.role.label()
            ),
        ));
    }
    let holder = steps.iter().find(|s| s.position == d.step);
    if who.role == Role::Admin {
        return Ok(());
    }
    match holder {
        Some(h) if who.scope_unit == Some(h.unit_id) => Ok(()),
        Some(h) => Err(StoreError::Conflict(
            "actor",
            format!(
                "Hồ sơ #{} đang ở {} «{}» ({}): chỉ cán bộ của cấp này được xử lý.",
                d.id,
                h.class().label(),
                h.unit_name,
                d.status_label()
            ),
        )),
        None => Err(StoreError::NotFound(format!(
            "cấp đang giữ hồ sơ #{}",
            d.id
        ))),
    }
}
