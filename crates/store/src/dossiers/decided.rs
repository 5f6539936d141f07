//! Marking dossiers decided by an issued decision, inside the decision's
//! own write transaction (`mark_dossiers_decided!`) or in one of their own.

use crate::{write_tx, Result, Store};

/// Marks dossiers decided by decision `decision_id`, inside the caller's
/// open write transaction `tx` (of either backend, as in `write_tx!`):
/// each must be `ready`; one timeline row and one audit event each. Any
/// dossier not ready fails the whole transaction with a message naming it.
///
/// `mark_dossiers_decided!(tx, actor: &str, ids: &[i64], decision_id: i64)`
macro_rules! mark_dossiers_decided {
    ($tx:ident, $actor:expr, $ids:expr, $decision_id:expr) => {{
        let actor: &str = $actor;
        let ids: &[i64] = $ids;
        let decision_id: i64 = $decision_id;
        let now = $crate::now_rfc3339();
        for &id in ids {
            let row: Option<(String, i32)> =
                sqlx::query_as("select status, step from dossiers where id = $1")
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
            let Some((status, step)) = row else {
                return Err($crate::StoreError::NotFound(format!("hồ sơ #{id}")));
            };
            if status != "ready" {
                return Err($crate::StoreError::Invalid(tdkt_core::DomainError::invalid(
                    "dossiers",
                    format!(
                        "Hồ sơ #{id} đang ở trạng thái «{}», chưa sẵn sàng quyết định.",
                        tdkt_core::dossier::Status::parse(&status).map_or("?", tdkt_core::dossier::Status::label)
                    ),
                )));
            }
            sqlx::query("update dossiers set status = 'decided', decision_id = $1, version = version + 1 where id = $2")
                .bind(decision_id)
                .bind(id)
                .execute(&mut *$tx)
                .await?;
            let detail = serde_json::json!({ "decision_id": decision_id });
            sqlx::query(
                "insert into dossier_events (dossier_id, at, actor, action, step, from_status, to_status, detail) values ($1, $2, $3, 'decide', $4, 'ready', 'decided', $5)",
            )
            .bind(id)
            .bind(&now)
            .bind(actor)
            .bind(step)
            .bind(detail.to_string())
            .execute(&mut *$tx)
            .await?;
            $crate::audit::audit!($tx, actor, "dossier", id, "decide", Some(r#"{"status":"ready"}"#.to_owned()), $crate::audit::json(&serde_json::json!({"status": "decided", "decision_id": decision_id})));
        }
    }};
}
pub(crate) use mark_dossiers_decided;

impl Store {
    /// [`mark_dossiers_decided!`] in a transaction of its own (tests, and a
    /// decision recorded outside tdkt).
    ///
    /// # Errors
    /// A dossier not ready (nothing is written), `NotFound`.
    pub async fn mark_dossiers_decided(
        &self,
        actor: &str,
        ids: &[i64],
        decision_id: i64,
    ) -> Result<()> {
        write_tx!(self, |tx| {
            crate::dossiers::mark_dossiers_decided!(tx, actor, ids, decision_id);
        });
        Ok(())
    }
}
