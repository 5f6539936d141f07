//! The dossiers list as a page (issue 15): the dossiers that reached a
//! level in the caller's scope (as [`Store::dossiers_in_scope`]), narrowed
//! by status, year and the level holding them, counted, sorted by a
//! whitelisted column and paged in SQL.

use std::collections::BTreeSet;

use tdkt_core::dossier::Status;
use tdkt_core::org::UnitId;

use super::{DossierSummary, SUMMARY};
use crate::listing::{offset, Order, Page, SortKey};
use crate::{id_list, with_pool, Result, Store};

/// A column the dossiers list may be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DossierSort {
    /// Newest dossier first.
    #[default]
    Newest,
    /// Dossier number.
    Number,
    /// Award code.
    Award,
    /// Achievement year.
    Year,
    /// Unit that opened it (folded name).
    Unit,
    /// Level holding it now (folded name).
    Holder,
    /// Status.
    Status,
}

impl SortKey for DossierSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("so", Self::Number),
        ("danh_hieu", Self::Award),
        ("nam", Self::Year),
        ("don_vi", Self::Unit),
        ("cap", Self::Holder),
        ("trang_thai", Self::Status),
    ];
}

/// A sort of the dossiers list and its direction.
pub type DossierOrder = Order<DossierSort>;

impl DossierOrder {
    /// Fixed ORDER BY text per column, ids last so that pages are stable.
    fn clause(self) -> &'static str {
        match (self.sort, self.descending) {
            (DossierSort::Newest, _) | (DossierSort::Number, true) => "d.id desc",
            (DossierSort::Number, false) => "d.id",
            (DossierSort::Award, false) => "d.award_code, d.id desc",
            (DossierSort::Award, true) => "d.award_code desc, d.id desc",
            (DossierSort::Year, false) => "d.year, d.id desc",
            (DossierSort::Year, true) => "d.year desc, d.id desc",
            (DossierSort::Unit, false) => "u.search_key, d.id desc",
            (DossierSort::Unit, true) => "u.search_key desc, d.id desc",
            (DossierSort::Holder, false) => "h.search_key, d.id desc",
            (DossierSort::Holder, true) => "h.search_key desc, d.id desc",
            (DossierSort::Status, false) => "d.status, d.id desc",
            (DossierSort::Status, true) => "d.status desc, d.id desc",
        }
    }
}

/// What the dossiers list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    /// Units whose levels the caller reads (`None`: all, administrators).
    pub scope: Option<BTreeSet<UnitId>>,
    pub status: Option<Status>,
    pub year: Option<i32>,
    /// Only the dossiers this unit's level holds now.
    pub held_by: Option<UnitId>,
}

impl Store {
    /// Page `page` (from 1) of `limit` dossiers matching `filter`, in
    /// `order`, and how many match in all: the list page and its exports.
    ///
    /// # Errors
    /// Database failure.
    pub async fn list_dossiers(
        &self,
        filter: &DossierFilter,
        order: DossierOrder,
        page: i64,
        limit: i64,
    ) -> Result<Page<DossierSummary>> {
        let (total, rows) = with_pool!(self, |p| {
            let mut count = sqlx::QueryBuilder::new(
                "select count(*) from dossiers d
                join dossier_steps s on s.dossier_id = d.id and s.position = d.step",
            );
            push_where(&mut count, filter);
            let total: i64 = count
                .build_query_scalar()
                .persistent(false)
                .fetch_one(p)
                .await?;
            let mut q = sqlx::QueryBuilder::new(SUMMARY);
            push_where(&mut q, filter);
            q.push(format!(" order by {} limit ", order.clause()));
            q.push_bind(limit.max(1));
            q.push(" offset ");
            q.push_bind(offset(page, limit));
            let rows: Vec<DossierSummary> =
                q.build_query_as().persistent(false).fetch_all(p).await?;
            (total, rows)
        });
        Ok(Page { rows, total })
    }
}

fn push_where<'a, DB: sqlx::Database>(qb: &mut sqlx::QueryBuilder<'a, DB>, f: &DossierFilter)
where
    &'static str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" where 1 = 1");
    if let Some(units) = &f.scope {
        // the same reading as `dossiers_in_scope`: a level in scope that the
        // dossier has reached (unit ids are integers, not user text)
        qb.push(format!(
            " and exists (select 1 from dossier_steps x where x.dossier_id = d.id and x.unit_id in ({}) and x.position <= (case when coalesce(d.resume_step, 0) > d.step then d.resume_step else d.step end))",
            id_list(units)
        ));
    }
    if let Some(s) = f.status {
        qb.push(" and d.status = ");
        qb.push_bind(s.code());
    }
    if let Some(y) = f.year {
        qb.push(" and d.year = ");
        qb.push_bind(y);
    }
    if let Some(h) = f.held_by {
        qb.push(" and s.unit_id = ");
        qb.push_bind(h);
    }
}
