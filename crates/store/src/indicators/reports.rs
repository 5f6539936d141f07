//! The review report (*báo cáo sơ kết, tổng kết*) of a cluster for a period,
//! drafted from the current values, and its saved drafts.

use tdkt_core::period::Period;
use tdkt_core::pledge::Indicator;
use tdkt_core::review::{self, MemberValue, Nouns, ReviewDocument, ReviewInput, ReviewReport};
use tdkt_core::DomainError;

use crate::audit::{audit, json};
use crate::clusters::Cluster;
use crate::{with_pool, write_tx, Result, Store, StoreError};

impl Store {
    /// The review report of a cluster for a period, from the current values.
    ///
    /// # Errors
    /// `NotFound` for an unknown cluster-year; the pledge has no indicator.
    pub async fn review(&self, key: &str, period: Period) -> Result<ReviewReport> {
        let cluster = self.cluster(key, period.year()).await?;
        self.review_of(&cluster, period).await
    }

    /// As [`Store::review`], for a cluster already loaded.
    ///
    /// # Errors
    /// The pledge has no indicator.
    pub async fn review_of(&self, cluster: &Cluster, period: Period) -> Result<ReviewReport> {
        let members = self.cluster_members(cluster.id).await?;
        let pledge = self.pledge(cluster.id).await?;
        let values = self.current_values(cluster.id, period).await?;
        let kinds = self.unit_kinds().await?;
        let kind_names: Vec<&str> = members
            .iter()
            .map(|m| {
                kinds
                    .iter()
                    .find(|k| k.code == m.kind)
                    .map_or(m.kind.as_str(), |k| k.name.as_str())
            })
            .collect();
        let nouns = Nouns::derive(&cluster.name, kind_names);
        let names: Vec<String> = members.iter().map(|m| m.name.clone()).collect();
        let values: Vec<MemberValue> = values
            .into_iter()
            .filter_map(|(u, i, value)| {
                let member = members.iter().find(|m| m.id == u)?.name.clone();
                let indicator = pledge.iter().find(|(id, _)| *id == i)?.1.key.clone();
                Some(MemberValue {
                    member,
                    indicator,
                    value,
                })
            })
            .collect();
        let indicators: Vec<Indicator> = pledge.into_iter().map(|(_, i)| i).collect();
        review::draft(&ReviewInput {
            cluster: &cluster.name,
            period,
            nouns: &nouns,
            members: &names,
            indicators: &indicators,
            values: &values,
        })
        .map_err(|e| DomainError::invalid("review", e.to_string()).into())
    }

    /// Saves the officer's edited review text.
    ///
    /// # Errors
    /// Database failure.
    pub async fn save_review_draft(
        &self,
        actor: &str,
        cluster_id: i64,
        period: Period,
        doc: &ReviewDocument,
    ) -> Result<()> {
        let code = period.code();
        let before = self.review_draft(cluster_id, period).await?;
        let body = serde_json::to_string(doc)
            .map_err(|e| StoreError::Invalid(DomainError::invalid("document", e.to_string())))?;
        let at = crate::now_rfc3339();
        write_tx!(self, |tx| {
            sqlx::query("delete from review_drafts where cluster_id = $1 and period = $2")
                .bind(cluster_id)
                .bind(&code)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into review_drafts (cluster_id, period, document_json, updated_at, updated_by) values ($1, $2, $3, $4, $5)",
            )
            .bind(cluster_id)
            .bind(&code)
            .bind(&body)
            .bind(&at)
            .bind(actor)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                actor,
                "review_draft",
                format!("{cluster_id}/{code}"),
                "save",
                before.as_ref().and_then(json),
                Some(body.clone())
            );
        });
        Ok(())
    }

    /// The saved edited review, if any.
    ///
    /// # Errors
    /// Database failure.
    pub async fn review_draft(
        &self,
        cluster_id: i64,
        period: Period,
    ) -> Result<Option<ReviewDocument>> {
        let body: Option<String> = with_pool!(self, |p| sqlx::query_scalar(
            "select document_json from review_drafts where cluster_id = $1 and period = $2"
        )
        .bind(cluster_id)
        .bind(period.code())
        .fetch_optional(p)
        .await?);
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }
}
