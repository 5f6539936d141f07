//! A unit's award history as a page (issues 15 and 16): the records of the
//! unit and its predecessors that the caller's scope reads (as
//! [`Store::unit_history`]), narrowed by year and award, counted up to
//! [`COUNT_CAP`], sorted by a whitelisted column and paged in SQL.
//!
//! By year (the default, newest first, or oldest first) the page is the
//! walk of each unit's `award_records_unit (unit_id, year, id, person_id)`
//! entries, merged and stopped after the page ([`super::walk`]): its cost is
//! the page's depth, not the history's size (a generated unit holds 100 000
//! awards at 10 M). By award or decision date no index has the order: the
//! history is sorted, which costs its size; the filters narrow it.

use std::collections::BTreeSet;

use tdkt_core::lineage::Lineage;
use tdkt_core::org::UnitId;

use super::walk::{Test, Walk};
use super::{history_entries, AwardFilter, AwardRecord, HistoryEntry, AWARD_SELECT};
use crate::listing::{offset, Order, Page, SortKey, COUNT_CAP};
use crate::people::PeopleScope;
use crate::{id_list, with_pool, Result, Store};

/// A column a unit's award history may be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnitAwardSort {
    /// Newest year first (the register's reading order).
    #[default]
    Newest,
    Year,
    Award,
    DecisionDate,
}

impl SortKey for UnitAwardSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("nam", Self::Year),
        ("danh_hieu", Self::Award),
        ("ngay_qd", Self::DecisionDate),
    ];
}

/// A sort of a unit's award history and its direction.
pub type UnitAwardOrder = Order<UnitAwardSort>;

/// How a page in a given order is found.
enum Reading {
    /// Along the unit index, stopped after the page.
    Walk(Walk),
    /// Sorted in SQL by this ORDER BY (ids last so that pages are stable).
    Sorted(&'static str),
}

impl UnitAwardOrder {
    fn reading(self) -> Reading {
        match (self.sort, self.descending) {
            (UnitAwardSort::Newest, _) | (UnitAwardSort::Year, true) => {
                Reading::Walk(Walk::NewestFirst)
            }
            (UnitAwardSort::Year, false) => Reading::Walk(Walk::OldestFirst),
            (UnitAwardSort::Award, false) => {
                Reading::Sorted("a.award_code, a.year desc, a.id desc")
            }
            (UnitAwardSort::Award, true) => {
                Reading::Sorted("a.award_code desc, a.year desc, a.id desc")
            }
            (UnitAwardSort::DecisionDate, false) => Reading::Sorted("a.decision_date, a.id"),
            (UnitAwardSort::DecisionDate, true) => {
                Reading::Sorted("a.decision_date desc, a.id desc")
            }
        }
    }
}

/// What a unit's award history is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct UnitAwardFilter {
    pub year: Option<i32>,
    pub award: Option<String>,
}

impl Store {
    /// Page `page` (from 1) of `limit` records of `unit`'s history within
    /// `scope`, matching `filter`, in `order`, and how many match in all.
    ///
    /// # Errors
    /// Database failure.
    #[allow(clippy::too_many_arguments)]
    pub async fn unit_awards_page(
        &self,
        lineage: &Lineage,
        unit: UnitId,
        scope: &PeopleScope,
        filter: &UnitAwardFilter,
        order: UnitAwardOrder,
        page: i64,
        limit: i64,
    ) -> Result<Page<HistoryEntry>> {
        let preds = lineage.predecessors(unit);
        let mut units: BTreeSet<UnitId> = lineage.with_predecessors(unit).into_iter().collect();
        if let PeopleScope::Units(s) = scope {
            units.retain(|u| s.contains(u));
        }
        if units.is_empty() {
            return Ok(Page {
                rows: Vec::new(),
                total: 0,
            });
        }
        let total: i64 = with_pool!(self, |p| {
            let mut count =
                sqlx::QueryBuilder::new("select count(*) from (select 1 from award_records a");
            push_where(&mut count, &units, filter);
            count.push(format!(" limit {}) c", COUNT_CAP + 1));
            count
                .build_query_scalar()
                .persistent(false)
                .fetch_one(p)
                .await?
        });
        let skip = offset(page, limit);
        let records = match order.reading() {
            Reading::Walk(walk) => {
                let f = AwardFilter {
                    award: filter.award.clone(),
                    year_from: filter.year,
                    year_to: filter.year,
                    limit: skip.saturating_add(limit.max(1)),
                    ..AwardFilter::default()
                };
                let mut found = self.walk_units(&units, Test::All, &f, walk, None).await?;
                found.drain(..usize::try_from(skip).unwrap_or(usize::MAX).min(found.len()));
                let mut rows = self.page_rows(&found).await?;
                if walk == Walk::OldestFirst {
                    rows.reverse();
                }
                rows
            }
            Reading::Sorted(clause) => {
                let mut rows: Vec<AwardRecord> = with_pool!(self, |p| {
                    let mut q = sqlx::QueryBuilder::new(AWARD_SELECT);
                    push_where(&mut q, &units, filter);
                    q.push(format!(" order by {clause} limit "));
                    q.push_bind(limit.max(1));
                    q.push(" offset ");
                    q.push_bind(skip);
                    q.build_query_as().persistent(false).fetch_all(p).await?
                });
                self.attach_revocations(&mut rows).await?;
                rows
            }
        };
        Ok(Page {
            rows: history_entries(lineage, &preds, records),
            total,
        })
    }
}

fn push_where<'a, DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'a, DB>,
    units: &BTreeSet<UnitId>,
    f: &UnitAwardFilter,
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    // unit ids are integers of the lineage, not user text
    qb.push(format!(" where a.unit_id in ({})", id_list(units)));
    if let Some(y) = f.year {
        qb.push(" and a.year = ");
        qb.push_bind(y);
    }
    if let Some(code) = f.award.as_deref().filter(|c| !c.is_empty()) {
        qb.push(" and a.award_code = ");
        qb.push_bind(code.to_owned());
    }
}
