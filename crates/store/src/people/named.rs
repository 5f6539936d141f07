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

use super::{push_name_match, push_scope, PeopleScope};
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
