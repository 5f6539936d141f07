//! Award lists within a set of units (issue 16): an officer's search and
//! registry list (their subtree with its lineage), a unit's history (the
//! unit and its predecessors). Each unit's awards are walked newest first
//! along `award_records_unit (unit_id, year, id, person_id)` (migration
//! 0046) and the walks are merged in the statement, which stops after one
//! page: `select … where a.unit_id = 1 … union all select … where a.unit_id
//! = 2 … order by 1 desc, 2 desc limit n`. SQLite merges the arms of a
//! compound select with an ORDER BY (each arm delivered in index order, no
//! sort: `MERGE (UNION ALL)`) and stops after the page. PostgreSQL 15 does
//! not merge a union's arms (it appends and sorts them), so there each arm
//! is a page of its own (`(select … order by … limit n)`, an index scan
//! backwards) and the sort takes at most units × n rows. Either way the
//! cost is a page per unit at most, however many awards the units hold.
//!
//! Before, the scope was an `a.unit_id in (…)` list on the statement of an
//! unscoped search: SQLite chose the unit index for the list, read every
//! award of the subtree with its recipient and sorted them (2,3 s for
//! `nguyen van` as the officer of Cần Thơ at 1 M awards, 0,44 s for a unit's
//! page).

use std::collections::BTreeSet;

use tdkt_core::org::UnitId;

use super::search::{pairs, prefix, Plans};
use super::{push_filters, AwardFilter};
use crate::{with_pool, Backend, Result, Store};

/// Most units one statement merges. SQLite refuses a compound select of
/// more than 500 arms (`SQLITE_MAX_COMPOUND_SELECT`); a larger scope is
/// walked in groups of this many, each stopping after a page, and the pages
/// merged here.
pub const MERGE_UNITS: usize = 200;

/// Which end of each unit's awards a walk starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Walk {
    /// Newest year first (the register's reading order).
    NewestFirst,
    /// Oldest year first (a history read from its beginning).
    OldestFirst,
}

impl Walk {
    fn keyword(self) -> &'static str {
        match self {
            Self::NewestFirst => "desc",
            Self::OldestFirst => "asc",
        }
    }
}

/// What each award of the walk must pass besides its unit and the filters.
#[derive(Debug, Clone, Copy)]
pub(super) enum Test<'a> {
    /// Nothing: a list (a unit's history, the registry by award or year).
    All,
    /// The recipient's folded name has every word ([`super::word_patterns`]): a
    /// name that many people share.
    Name(&'a [String]),
}

impl Store {
    /// `(year, id)` of the first `f.limit` awards of `units` in the order
    /// of `walk` that pass `test` and the filters of `f` (its own `units`
    /// aside), in that order.
    pub(super) async fn walk_units(
        &self,
        units: &BTreeSet<UnitId>,
        test: Test<'_>,
        f: &AwardFilter,
        walk: Walk,
        mut plans: Plans<'_>,
    ) -> Result<Vec<(i32, i64)>> {
        let limit = f.limit.max(1);
        let unscoped = AwardFilter {
            units: None,
            q: String::new(),
            ..f.clone()
        };
        let units: Vec<UnitId> = units.iter().copied().collect();
        let mut page: Vec<(i32, i64)> = Vec::new();
        for group in units.chunks(MERGE_UNITS) {
            let found = self
                .walk_group(group, test, &unscoped, limit, walk, plans.as_deref_mut())
                .await?;
            page.extend(found);
        }
        if units.len() > MERGE_UNITS {
            match walk {
                Walk::NewestFirst => page.sort_unstable_by(|a, b| b.cmp(a)),
                Walk::OldestFirst => page.sort_unstable(),
            }
            page.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        Ok(page)
    }

    /// One merged statement over at most [`MERGE_UNITS`] units.
    async fn walk_group(
        &self,
        units: &[UnitId],
        test: Test<'_>,
        f: &AwardFilter,
        limit: i64,
        walk: Walk,
        plans: Plans<'_>,
    ) -> Result<Vec<(i32, i64)>> {
        let dir = walk.keyword();
        let backend = self.backend();
        let patterns = match test {
            Test::Name(words) => self.patterns_to_test(words, 0..words.len(), None),
            Test::All => Vec::new(),
        };
        Ok(with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new(prefix(plans.as_deref()));
            if backend == Backend::Postgres {
                // one arm alone would carry two ORDER BY clauses
                qb.push("select w.year, w.id from (");
            }
            for (i, unit) in units.iter().enumerate() {
                if i > 0 {
                    qb.push(" union all ");
                }
                // PostgreSQL appends the arms and sorts them (no Merge
                // Append for a union's ORDER BY): each arm stops after a
                // page of its own, read backwards along the index
                qb.push(match backend {
                    Backend::Sqlite => "select a.year, a.id from award_records a",
                    Backend::Postgres => "(select a.year, a.id from award_records a",
                });
                if matches!((test, backend), (Test::Name(_), Backend::Sqlite)) {
                    // the recipient's row by its key, after each entry
                    // (cross join: SQLite keeps this order)
                    qb.push(" cross join people p on p.id = a.person_id");
                }
                // unit ids are integers of the lineage, not user text
                qb.push(format!(" where a.unit_id = {unit}"));
                match (test, backend) {
                    (Test::All, _) => {}
                    (Test::Name(words), Backend::Sqlite) => {
                        super::push_word_starts(&mut qb, "p.search_key", words);
                    }
                    (Test::Name(_), Backend::Postgres) => {
                        // looked up per award, all words in one test: a
                        // filter on the walk the planner cannot turn round
                        // (as the unscoped broad walk, `search_awards_named`)
                        qb.push(
                            " and (select ' ' || p.search_key || ' ' from people p where p.id = a.person_id) like all (array[",
                        );
                        let mut sep = qb.separated(", ");
                        for pattern in &patterns {
                            sep.push_bind(pattern.clone());
                        }
                        qb.push("])");
                    }
                }
                push_filters(&mut qb, f);
                if backend == Backend::Postgres {
                    qb.push(format!(" order by a.year {dir}, a.id {dir} limit "));
                    qb.push_bind(limit);
                    qb.push(")");
                }
            }
            if backend == Backend::Postgres {
                qb.push(") w");
            }
            qb.push(format!(" order by 1 {dir}, 2 {dir} limit "));
            qb.push_bind(limit);
            // unit lists differ from one caller to the next: not worth
            // keeping prepared
            pairs!(qb, p, false, plans)
        }))
    }
}
