//! Award search (issues 5 and 16): by decision number, by full CCCD, by
//! words of a name, and lists by award, year or unit, for everyone or
//! within a scope of units. Which index each takes, and why, is in
//! `docs/registry-scale.md`.

use std::collections::BTreeSet;

use super::walk::{self, Test, Walk};
use super::{
    decision_key, looks_like_decision, push_filters, push_word_starts, AwardFilter, AwardRecord,
    AWARD_SELECT, BROAD_NAME,
};
use crate::{with_pool, Backend, Result, Store};

/// People of a name within a scope whose awards are read at once, before
/// any walk: through the person index, about 8 µs a person (2 ms).
/// As many or more, and the walk goes first.
const FEW_WITHIN: i64 = 250;

/// Where the plans of a search's statements go instead of their rows
/// ([`Store::explain_search_awards`], SQLite, tests); `None` runs them.
pub(super) type Plans<'p> = Option<&'p mut Vec<String>>;

/// `explain query plan ` before a statement whose plan is asked for.
pub(super) fn prefix(plans: Option<&Vec<String>>) -> &'static str {
    if plans.is_some() {
        "explain query plan "
    } else {
        ""
    }
}

/// The `(year, id)` rows of a page statement, or, when its plan is asked
/// for, none and each step of the plan pushed to `plans`.
macro_rules! pairs {
    ($qb:ident, $p:ident, $persistent:expr, $plans:expr) => {
        match $plans {
            Some(plans) => {
                for row in $qb.build().fetch_all($p).await? {
                    plans.push(sqlx::Row::try_get::<String, _>(&row, "detail")?);
                }
                Vec::new()
            }
            None => {
                $qb.build_query_as()
                    .persistent($persistent)
                    .fetch_all($p)
                    .await?
            }
        }
    };
}
pub(super) use pairs;

impl Store {
    /// Award records matching `f`, newest year first, keyset-paginated.
    ///
    /// # Errors
    /// Database failure.
    pub async fn search_awards(&self, f: &AwardFilter) -> Result<Vec<AwardRecord>> {
        self.search(f, None).await
    }

    /// The plan of each statement [`Store::search_awards`] runs to find
    /// its page (SQLite `EXPLAIN QUERY PLAN`, one line a step), the text
    /// index's look-up included; the rows of the page are then read by id.
    ///
    /// # Errors
    /// Database failure; PostgreSQL (its plans have no `detail` column).
    #[cfg(feature = "testing")]
    pub async fn explain_search_awards(&self, f: &AwardFilter) -> Result<Vec<String>> {
        let mut plans = Vec::new();
        self.search(f, Some(&mut plans)).await?;
        Ok(plans)
    }

    async fn search(&self, f: &AwardFilter, plans: Plans<'_>) -> Result<Vec<AwardRecord>> {
        if f.units.as_ref().is_some_and(BTreeSet::is_empty) {
            return Ok(Vec::new());
        }
        let q = f.q.trim();
        let by_name =
            !q.is_empty() && !looks_like_decision(q) && !crate::people::looks_like_cccd(q);
        if by_name {
            return self
                .search_awards_named(f, &crate::people::name_words(q), plans)
                .await;
        }
        if let (Some(units), true, None) = (&f.units, q.is_empty(), f.person_id) {
            // a list within a scope: each unit's newest awards, merged
            let page = self
                .walk_units(units, Test::All, f, Walk::NewestFirst, plans)
                .await?;
            return self.page_rows(&page).await;
        }
        if let Some(plans) = plans {
            // the plan of the page statement below, by its ids
            let sql = {
                let mut qb: sqlx::QueryBuilder<'_, sqlx::Sqlite> =
                    sqlx::QueryBuilder::new("select a.year, a.id from award_records a");
                qb.push(" left join people p on p.id = a.person_id where 1 = 1");
                if looks_like_decision(q) {
                    qb.push(" and a.decision_key = ");
                    qb.push_bind(decision_key(q));
                } else if !q.is_empty() {
                    qb.push(" and p.cccd_hash = ");
                    qb.push_bind(self.secrets.cccd_index(q));
                }
                push_filters(&mut qb, f);
                qb.push(" order by a.year desc, a.id desc limit 1");
                qb.into_sql()
            };
            self.explain_sql(&sql, plans).await?;
            return Ok(Vec::new());
        }
        let rows: Vec<AwardRecord> = with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new(AWARD_SELECT);
            qb.push(" where 1 = 1");
            if looks_like_decision(q) {
                qb.push(" and a.decision_key = ");
                qb.push_bind(decision_key(q));
            } else if !q.is_empty() {
                qb.push(" and p.cccd_hash = ");
                qb.push_bind(self.secrets.cccd_index(q));
            }
            push_filters(&mut qb, f);
            qb.push(" order by a.year desc, a.id desc limit ");
            qb.push_bind(f.limit.max(1));
            qb.build_query_as().fetch_all(p).await?
        });
        let mut rows = rows;
        self.attach_revocations(&mut rows).await?;
        Ok(rows)
    }

    /// The page of a name search: the newest awards of the people whose name
    /// has every word, and the collective awards of the units whose name
    /// has. Each part is its own statement with a plan that cannot go
    /// wrong, and their pages are merged here: as one statement, PostgreSQL
    /// costed the walk as if it read the whole index (it stops after a
    /// page), and beside that cost a sequential scan of every award looked
    /// as cheap as a lookup by id (34 s for `duc nguyen duc`).
    async fn search_awards_named(
        &self,
        f: &AwardFilter,
        words: &[String],
        mut plans: Plans<'_>,
    ) -> Result<Vec<AwardRecord>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let limit = f.limit.max(1);
        // Within a scope (PostgreSQL), first the people of the name who may
        // hold its awards, from the scope's part of one key's list (a key of
        // at most `WalkBounds::keys_most` entries): if they are few, their
        // awards are the page. Many, and the walk below goes first: it
        // finds a common name's page in its first windows. It gives up when
        // few of the name's people have awards in the scope, and the name's
        // people were then read in the whole country (one key's list, or
        // the text index): 25–35 ms of `quan tran duc` as the officer of
        // Cần Thơ, at 1 M people; now the scope's part of that list.
        let scope = f.units.as_ref().filter(|_| plans.is_none());
        // Unless the counts say the scope holds many of them
        // (`WalkBounds::many_within`): reading the scope's part of the key
        // until `FEW_WITHIN` would only confirm it
        // (10–14 ms of `duc nguyen thanh` in Cần Thơ, 16 760 entries read).
        let many = scope.is_some_and(|s| self.many_within(words, s));
        let few = match scope {
            Some(scope) if !many => self
                .people_within(words, Some(scope), FEW_WITHIN)
                .await?
                .filter(|ids| i64::try_from(ids.len()).unwrap_or(i64::MAX) < FEW_WITHIN),
            _ => None,
        };
        // Else through each recipient's newest award (newest.rs): about a
        // page of people, however many share the name. (A plan asked for is
        // the text index's: that walk's plan is its primary key's.)
        let walked = if plans.is_none() && few.is_none() {
            self.newest_named(words, f).await?
        } else {
            None
        };
        if let Some(page) = walked {
            return self.with_collective(page, words, f, plans).await;
        }
        // Else the text index gives the matching people, up to
        // the cut. Fewer → their awards through the person index (entries
        // only: year and id are in it), the newest page of them; as many →
        // the newest awards first, each recipient's name tested, until a
        // page is full. The text index is evaluated once.
        let within = match (few, scope) {
            (Some(few), _) => Some(few),
            (None, Some(scope)) => self.people_within(words, Some(scope), BROAD_NAME).await?,
            (None, None) => None,
        };
        let named = match within {
            Some(named) => named,
            None => {
                self.people_named(words, BROAD_NAME, plans.as_deref_mut())
                    .await?
            }
        };
        let broad = i64::try_from(named.len()).unwrap_or(i64::MAX) >= BROAD_NAME;
        // PostgreSQL, a long list under the cut: the newest awards walked,
        // each recipient tested against the list (hashed), beat a lookup per
        // person. 2 459 people: 1.4 ms against 23 ms; even at 568, 3.6 ms
        // against 5.4. A walk reads about 50 × people / n index entries
        // (55 ns each), the lookups about 8 µs a person: they cost the
        // same at n ≈ 0.6 × √people.
        // Within a scope the list goes through the person index instead
        // (the scope a test on its entries): walked by unit it would repeat
        // the list in every arm of the statement.
        let walk_list = !broad
            && f.units.is_none()
            && self.backend() == Backend::Postgres
            && !named.is_empty()
            && f64::from(u32::try_from(named.len()).unwrap_or(u32::MAX))
                >= 0.6 * self.people_estimate().await?.sqrt();
        let page: Vec<(i32, i64)> = if named.is_empty() {
            // no one has that name: only units may
            Vec::new()
        } else if let (Some(scope), true) = (&f.units, broad) {
            // within a scope, the same walk unit by unit (issue 16): the
            // newest awards of each unit of the scope, each recipient tested
            self.walk_units(
                scope,
                walk::Test::Name(words),
                f,
                Walk::NewestFirst,
                plans.as_deref_mut(),
            )
            .await?
        } else {
            with_pool!(self, |p| {
                let mut qb = sqlx::QueryBuilder::new(prefix(plans.as_deref()));
                qb.push("select a.year, a.id from award_records a ");
                if broad && self.backend() == Backend::Sqlite {
                    // newest first along award_records_recent (year, id,
                    // person_id), migration 0013: index entries and each
                    // recipient's row, no award rows
                    qb.push("join people p on p.id = a.person_id where 1 = 1");
                    push_word_starts(&mut qb, "p.search_key", words);
                } else if broad {
                    // the same walk. As a join, PostgreSQL multiplies the
                    // words' selectivities, expects almost no match, and scans
                    // every person (225 ms for `ha nguyen thu`); a recipient
                    // looked up per award, all words in one test, is a filter on
                    // the walk it cannot turn round (8 ms)
                    qb.push("where (select ' ' || p.search_key || ' ' from people p where p.id = a.person_id) like all (array[");
                    let mut sep = qb.separated(", ");
                    for pattern in self.patterns_to_test(words, 0..words.len(), None) {
                        sep.push_bind(pattern);
                    }
                    qb.push("])");
                } else {
                    // walk_list: `+ 0` makes it a test on the walk, not a lookup
                    // in the person index
                    qb.push(if walk_list {
                        "where a.person_id + 0 in ("
                    } else {
                        "where a.person_id in ("
                    });
                    qb.push(crate::id_list(&named));
                    qb.push(")");
                }
                // a scope here is a test on the person index's entries
                // (unit_id is in it, migration 0046)
                push_filters(&mut qb, f);
                // narrow: sort the matching people's entries (`+ 0` keeps
                // PostgreSQL from walking award_records_recent backwards and
                // testing every award against a short list: 90 ms at 1 M awards)
                qb.push(if broad || walk_list {
                    " order by a.year desc, a.id desc limit "
                } else {
                    " order by a.year + 0 desc, a.id + 0 desc limit "
                });
                qb.push_bind(limit);
                // a statement with a list of ids is not worth keeping prepared
                pairs!(qb, p, broad, plans.as_deref_mut())
            })
        };
        self.with_collective(page, words, f, plans).await
    }

    /// The rows of `page` (people's awards, newest first) with the
    /// collective awards of the units whose name has every word (within
    /// the scope) merged in, newest first (index
    /// award_records_unit_awards, migration 0013).
    async fn with_collective(
        &self,
        mut page: Vec<(i32, i64)>,
        words: &[String],
        f: &AwardFilter,
        plans: Plans<'_>,
    ) -> Result<Vec<AwardRecord>> {
        let limit = f.limit.max(1);
        let units = self.units_named(words).await?;
        let units: Vec<i64> = match &f.units {
            Some(scope) => units.into_iter().filter(|u| scope.contains(u)).collect(),
            None => units,
        };
        if !units.is_empty() {
            let unscoped = AwardFilter {
                units: None,
                ..f.clone()
            };
            let collective: Vec<(i32, i64)> = with_pool!(self, |p| {
                let mut qb = sqlx::QueryBuilder::new(prefix(plans.as_deref()));
                qb.push(
                    "select a.year, a.id from award_records a where a.person_id is null and a.unit_id in (",
                );
                qb.push(crate::id_list(&units));
                qb.push(")");
                push_filters(&mut qb, &unscoped);
                qb.push(" order by a.year desc, a.id desc limit ");
                qb.push_bind(limit);
                pairs!(qb, p, false, plans)
            });
            page.extend(collective);
            page.sort_unstable_by(|a, b| b.cmp(a));
            page.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        self.page_rows(&page).await
    }

    /// The rows of a page of `(year, id)`, in its order (newest first).
    pub(super) async fn page_rows(&self, page: &[(i32, i64)]) -> Result<Vec<AwardRecord>> {
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = page.iter().map(|&(_, id)| id).collect();
        let mut rows: Vec<AwardRecord> = with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new(AWARD_SELECT);
            qb.push(" where a.id in (");
            qb.push(crate::id_list(&ids));
            qb.push(") order by a.year desc, a.id desc");
            qb.build_query_as().persistent(false).fetch_all(p).await?
        });
        self.attach_revocations(&mut rows).await?;
        Ok(rows)
    }

    /// How many people the planner believes there are (PostgreSQL's
    /// statistics: no count of the table); 1 on SQLite.
    async fn people_estimate(&self) -> Result<f64> {
        Ok(match &self.pool {
            crate::Pool::Postgres(p) => sqlx::query_scalar::<_, f32>(
                "select greatest(reltuples, 1) from pg_class where oid = 'people'::regclass",
            )
            .fetch_one(p)
            .await?
            .into(),
            crate::Pool::Sqlite(_) => 1.0,
        })
    }

    /// Ids of the units (of any period) whose name has every word.
    async fn units_named(&self, words: &[String]) -> Result<Vec<i64>> {
        Ok(with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new("select u.id from org_units u where 1 = 1");
            push_word_starts(&mut qb, "u.search_key", words);
            qb.build_query_scalar().fetch_all(p).await?
        }))
    }

    /// The plan of `sql` (SQLite, its parameters unbound: a plan does not
    /// depend on them), one line a step.
    async fn explain_sql(&self, sql: &str, plans: &mut Vec<String>) -> Result<()> {
        with_pool!(self, |p| {
            for row in sqlx::query(&format!("explain query plan {sql}"))
                .fetch_all(p)
                .await?
            {
                plans.push(sqlx::Row::try_get::<String, _>(&row, "detail")?);
            }
        });
        Ok(())
    }

    /// Ids of the people whose name has every word, at most `n` of them:
    /// the one evaluation of the text index a name search makes, returned
    /// as one row (a driver pays per row). Its plan goes to `plans` too.
    /// On PostgreSQL, when one of the words' keys has a short enough list
    /// in `person_keys` (migration 0052), that list instead.
    async fn people_named(&self, words: &[String], n: i64, plans: Plans<'_>) -> Result<Vec<i64>> {
        if let Some(plans) = plans {
            let sql = {
                let mut qb: sqlx::QueryBuilder<'_, sqlx::Sqlite> =
                    sqlx::QueryBuilder::new("select rowid as id from people_fts where 1 = 1");
                crate::people::push_name_match(&mut qb, Backend::Sqlite, words, true);
                qb.push(" limit ");
                qb.push_bind(n);
                qb.into_sql()
            };
            self.explain_sql(&sql, plans).await?;
        }
        if let Some(ids) = self.people_within(words, None, n).await? {
            // one key's list, each name tested (index only), rather than the
            // GIN lists of every word (WalkBounds::keys_most)
            return Ok(ids);
        }
        let ids: Option<String> = with_pool!(self, |p| {
            let agg = self.backend().text_agg();
            let mut qb = sqlx::QueryBuilder::new(match self.backend() {
                Backend::Sqlite => format!(
                    "select {agg}(cast(id as text), ',') from (select rowid as id from people_fts where 1 = 1"
                ),
                Backend::Postgres => format!(
                    "select {agg}(cast(id as text), ',') from (select p.id from people p where 1 = 1"
                ),
            });
            crate::people::push_name_match(&mut qb, self.backend(), words, true);
            qb.push(" limit ");
            qb.push_bind(n);
            qb.push(") m");
            qb.build_query_scalar().fetch_one(p).await?
        });
        Ok(id_list_of(ids))
    }
}

impl Store {
    /// PostgreSQL: ids of the people whose name has every word, at most `n`
    /// (as [`Store::people_named`]: fewer are all of them, `n` mean as many
    /// or more), from the list of the rarest key of the words, each name
    /// tested (index only), until the `n`th: `person_keys` (migration 0052)
    /// for everyone; within a scope, the people who may hold an award of
    /// one of its units, those who work in one (`person_keys`) and those who
    /// hold an award of one but work elsewhere (`award_unit_keys`, migration
    /// 0053), each list read within each unit. `None` on SQLite (its text
    /// index answers), when no word has two letters, or when the key has
    /// more entries in the country than [`crate::WalkBounds::keys_most`]
    /// (or they are not counted yet).
    async fn people_within(
        &self,
        words: &[String],
        scope: Option<&BTreeSet<tdkt_core::org::UnitId>>,
        n: i64,
    ) -> Result<Option<Vec<i64>>> {
        let (crate::Pool::Postgres(p), Some(key)) = (&self.pool, self.rarest_key(words)) else {
            return Ok(None);
        };
        if self
            .key_count(&key)
            .is_none_or(|count| count > self.walk_bounds.keys_most)
        {
            return Ok(None);
        }
        let units: Option<Vec<i64>> = scope.map(|s| s.iter().copied().collect());
        // everyone is on person_keys; away from their unit, only within it
        let lists: &[&str] = match units {
            Some(_) => &["person_keys", "award_unit_keys"],
            None => &["person_keys"],
        };
        let patterns = self.patterns_to_test(words, 0..words.len(), Some(&key));
        let mut qb =
            sqlx::QueryBuilder::new("select string_agg(cast(person_id as text), ',') from (");
        for (i, list) in lists.iter().enumerate() {
            if i > 0 {
                qb.push(" union all ");
            }
            qb.push(format!("(select person_id from {list} where key = "));
            qb.push_bind(key.clone());
            if let Some(units) = &units {
                qb.push(" and unit_id = any(");
                qb.push_bind(units.clone());
                qb.push(")");
            }
            super::push_patterns(&mut qb, "search_key", &patterns);
            qb.push(")");
        }
        qb.push(" limit ");
        qb.push_bind(n);
        qb.push(") m");
        let ids: Option<String> = qb.build_query_scalar().fetch_one(p).await?;
        let mut ids = id_list_of(ids);
        // one who works in one unit of the scope and holds an award of
        // another is listed twice: `n` rows may be fewer people, but not all
        if i64::try_from(ids.len()).unwrap_or(i64::MAX) < n {
            ids.sort_unstable();
            ids.dedup();
        }
        Ok(Some(ids))
    }
}

/// The ids of a `string_agg` / `group_concat` of them.
fn id_list_of(ids: Option<String>) -> Vec<i64> {
    ids.unwrap_or_default()
        .split(',')
        .filter_map(|id| id.parse().ok())
        .collect()
}
