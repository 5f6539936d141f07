//! The decisions list as a page (issue 15): filtered by status, year and
//! the caller's units, counted, sorted by a whitelisted column and paged
//! in SQL.

use std::collections::BTreeSet;

use tdkt_core::decision::Status;
use tdkt_core::org::UnitId;

use super::{Decision, DECISION_SELECT};
use crate::listing::{offset, Order, Page, SortKey};
use crate::{with_pool, Result, Store};

/// A column the decisions list may be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecisionSort {
    /// Newest decision first (the register's reading order).
    #[default]
    Newest,
    /// Decision date.
    Date,
    /// Year and number in the year.
    Number,
    /// Issuing body (folded name).
    Body,
    /// Status (drafts before issued), newest first within each.
    Status,
}

impl SortKey for DecisionSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ngay", Self::Date),
        ("so", Self::Number),
        ("co_quan", Self::Body),
        ("trang_thai", Self::Status),
    ];
}

/// A sort of the decisions list and its direction.
pub type DecisionOrder = Order<DecisionSort>;

impl DecisionOrder {
    /// Fixed ORDER BY text per column, ids last so that pages are stable.
    fn clause(self) -> &'static str {
        match (self.sort, self.descending) {
            (DecisionSort::Newest, _) | (DecisionSort::Date, true) => {
                "d.decided_on desc, d.id desc"
            }
            (DecisionSort::Date, false) => "d.decided_on, d.id",
            (DecisionSort::Number, false) => "d.year, d.seq, d.id",
            (DecisionSort::Number, true) => "d.year desc, d.seq desc, d.id desc",
            (DecisionSort::Body, false) => "u.search_key, d.decided_on desc, d.id desc",
            (DecisionSort::Body, true) => "u.search_key desc, d.decided_on desc, d.id desc",
            (DecisionSort::Status, false) => "d.status, d.decided_on desc, d.id desc",
            (DecisionSort::Status, true) => "d.status desc, d.decided_on desc, d.id desc",
        }
    }
}

/// What the decisions list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    /// Issuing units the caller reads (`None`: all, administrators).
    pub units: Option<BTreeSet<UnitId>>,
    pub status: Option<Status>,
    pub year: Option<i32>,
}

impl Store {
    /// Page `page` (from 1) of `limit` decisions matching `filter`, in
    /// `order`, and how many match in all: the list page and its exports.
    ///
    /// # Errors
    /// Database failure.
    pub async fn list_decisions(
        &self,
        filter: &DecisionFilter,
        order: DecisionOrder,
        page: i64,
        limit: i64,
    ) -> Result<Page<Decision>> {
        if filter.units.as_ref().is_some_and(BTreeSet::is_empty) {
            return Ok(Page {
                rows: Vec::new(),
                total: 0,
            });
        }
        let (total, rows) = with_pool!(self, |p| {
            let mut count = sqlx::QueryBuilder::new("select count(*) from decisions d");
            push_where(&mut count, filter);
            let total: i64 = count
                .build_query_scalar()
                .persistent(false)
                .fetch_one(p)
                .await?;
            let mut q = sqlx::QueryBuilder::new(DECISION_SELECT);
            push_where(&mut q, filter);
            q.push(format!(" order by {} limit ", order.clause()));
            q.push_bind(limit.max(1));
            q.push(" offset ");
            q.push_bind(offset(page, limit));
            let rows: Vec<Decision> = q.build_query_as().persistent(false).fetch_all(p).await?;
            (total, rows)
        });
        Ok(Page { rows, total })
    }
}

fn push_where<'a, DB: sqlx::Database>(qb: &mut sqlx::QueryBuilder<'a, DB>, f: &DecisionFilter)
where
    &'static str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" where 1 = 1");
    if let Some(s) = f.status {
        qb.push(" and d.status = ");
        qb.push_bind(s.code());
    }
    if let Some(y) = f.year {
        qb.push(" and d.year = ");
        qb.push_bind(y);
    }
    if let Some(units) = &f.units {
        // unit ids are integers of the lineage, not user text
        qb.push(format!(
            " and d.authority_unit_id in ({})",
            crate::id_list(units)
        ));
    }
}
