//! PostgreSQL: a page of the people whose name (or unit's name) has some
//! words, in id order (issue 16).
//!
//! One statement, `… where search_doc @@ q order by id limit 20`, walks the
//! primary key testing each person: quick for a common name (`nguyen`, the
//! page within the first few hundred people), 54 ms for `minh hoang cong`
//! (214 people of 1 M: 109 000 rows tested). The GIN index the other way
//! (every match, then sorted) costs 15 ms for that name and seconds for
//! `nguyen`. So the walk goes first, over a bounded window of people; from
//! how many matched in it, it knows whether the rest of the page lies
//! within a few more windows: if so it walks on, if not the GIN index
//! answers the rest. (SQLite's FTS5 walks its lists in id order and stops
//! after the page: it needs none of this.)
//!
//! Within a scope (an officer's subtree) neither is needed: each unit's
//! people are listed under the keys of their names in id order
//! (`person_keys`, migration 0052), and one key of the words is walked
//! within each unit, the names tested on the way (index only), the walks
//! merged until a page. The GIN index found every match in the country
//! and visited each one's row for its unit: 14 ms on average, 64 ms at
//! worst, at 1 M people.

use std::collections::BTreeSet;

use tdkt_core::org::UnitId;

use super::{name_words, push_name_match, push_scope, word_keys, word_matches, Arm, PeopleScope};
use crate::{Backend, Result, Store};

impl Store {
    /// Ids of the page: the people after `after_id` matching `words`
    /// (within the scope), in id order, at most `limit`.
    pub(super) async fn people_named_pg(
        &self,
        scope: &PeopleScope,
        words: &[String],
        after_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let crate::Pool::Postgres(pool) = &self.pool else {
            return Ok(Vec::new());
        };
        if let PeopleScope::Units(units) = scope {
            if let Some(ids) = self
                .people_keyed(pool, units, words, after_id, limit)
                .await?
            {
                return Ok(ids);
            }
        }
        let (first, most) = (self.walk_bounds.people_first, self.walk_bounds.people_most);
        let after = after_id.unwrap_or(i64::MIN);
        // the window: the first people after the cursor, and where it ends
        let mut ids = matching(pool, scope, words, after, Some(first), limit, false).await?;
        let found = i64::try_from(ids.len()).unwrap_or(i64::MAX);
        if found >= limit {
            return Ok(ids);
        }
        let end: Option<i64> =
            sqlx::query_scalar("select id from people where id > $1 order by id limit 1 offset $2")
                .bind(after)
                .bind(first - 1)
                .fetch_optional(pool)
                .await?;
        let Some(end) = end else {
            // no one after the window
            return Ok(ids);
        };
        // at the rate met in the window, the people to walk for the rest
        let needed = (limit - found).saturating_mul(first) / found.max(1);
        let walk = found > 0 && needed <= most;
        ids.extend(matching(pool, scope, words, end, None, limit - found, !walk).await?);
        Ok(ids)
    }

    /// Ids of the page through `person_keys`, unit by unit; `None` when
    /// some unit leaves words without a key (all of one letter: `t h`).
    /// A word that the unit's own name has is met by all its people (the
    /// search matches the unit's name too, as `search_doc` holds it): a unit
    /// whose name has every word gives all its people, and another walks the
    /// rarest key of the words its name lacks.
    async fn people_keyed(
        &self,
        pool: &sqlx::PgPool,
        units: &BTreeSet<UnitId>,
        words: &[String],
        after_id: Option<i64>,
        limit: i64,
    ) -> Result<Option<Vec<i64>>> {
        let ids: Vec<i64> = units.iter().copied().collect();
        let names: Vec<(i64, String)> =
            sqlx::query_as("select id, search_key from org_units where id = any($1) order by id")
                .bind(ids)
                .fetch_all(pool)
                .await?;
        let mut arms = Vec::with_capacity(names.len());
        for (unit, name) in names {
            // as the text index splits the unit's name
            let unit_words = name_words(&name);
            let lacking: Vec<usize> = (0..words.len())
                .filter(|&i| !unit_words.iter().any(|u| word_matches(words, i, u)))
                .collect();
            if lacking.is_empty() {
                arms.push((unit, Arm::Everyone));
                continue;
            }
            let Some(key) = self.rarest_of(lacking.iter().flat_map(|&i| word_keys(words, i)))
            else {
                return Ok(None);
            };
            let patterns = self.patterns_to_test(words, lacking.iter().copied(), Some(&key));
            arms.push((unit, Arm::Keyed { key, patterns }));
        }
        Ok(Some(self.walk_people_units(&arms, after_id, limit).await?))
    }
}

/// Ids of people after `after` matching `words` within the scope, in id
/// order, at most `limit`: among the next `window` people (walked), or all
/// of them, walked in id order or (`by_index`) found through the GIN index
/// and sorted.
async fn matching(
    pool: &sqlx::PgPool,
    scope: &PeopleScope,
    words: &[String],
    after: i64,
    window: Option<i64>,
    limit: i64,
    by_index: bool,
) -> Result<Vec<i64>> {
    let mut qb = sqlx::QueryBuilder::new("select p.id from ");
    match window {
        Some(n) => {
            qb.push("(select * from people where id > ");
            qb.push_bind(after);
            qb.push(" order by id limit ");
            qb.push_bind(n);
            qb.push(") p where 1 = 1");
        }
        None => {
            qb.push("people p where p.id > ");
            qb.push_bind(after);
        }
    }
    push_name_match(&mut qb, Backend::Postgres, words, false);
    push_scope(&mut qb, scope);
    // `+ 0`: sort what the index found, never walk the primary key
    qb.push(if by_index {
        " order by p.id + 0 limit "
    } else {
        " order by p.id limit "
    });
    qb.push_bind(limit);
    Ok(qb.build_query_scalar().fetch_all(pool).await?)
}

#[cfg(feature = "testing")]
impl Store {
    /// How `person_keys` and `award_unit_keys` differ from what the
    /// people's names and units, and their awards' units, say they hold
    /// (PostgreSQL; SQLite has no such lists): the rows missing (`-`) and
    /// those too many (`+`), each with its list, none when the triggers
    /// kept them in step.
    ///
    /// # Errors
    /// Database failure.
    pub async fn person_keys_drift(&self) -> Result<Vec<String>> {
        let crate::Pool::Postgres(pool) = &self.pool else {
            return Ok(Vec::new());
        };
        let lists = [
            (
                "person_keys",
                "select b, p.unit_id, p.id, p.search_key from people p, name_keys_of(p.search_key) b",
            ),
            (
                "award_unit_keys",
                "select b, u.unit_id, p.id, p.search_key
                 from (select distinct person_id, unit_id from award_records) u
                     join people p on p.id = u.person_id and p.unit_id <> u.unit_id,
                     name_keys_of(p.search_key) b",
            ),
        ];
        let mut drift = Vec::new();
        for (list, due) in lists {
            let held = format!("select key, unit_id, person_id, search_key from {list}");
            for (sign, sql) in [
                ('-', format!("{due} except all {held}")),
                ('+', format!("{held} except all {due}")),
            ] {
                let rows: Vec<(String, i64, i64, String)> =
                    sqlx::query_as(&sql).fetch_all(pool).await?;
                drift.extend(rows.into_iter().map(|r| format!("{list} {sign} {r:?}")));
            }
        }
        Ok(drift)
    }
}
