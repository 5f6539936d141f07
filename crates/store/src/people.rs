//! People and their CCCD. The number itself is never stored in clear, never
//! written to the audit log, and is found only by exact match.

use std::collections::BTreeSet;

use serde::Serialize;
use tdkt_core::org::UnitId;
use tdkt_core::person::{Gender, NewPerson};
use tdkt_core::tenure::{self, Kind, Tenure};
use tdkt_core::text;
use time::Date;

mod list;
mod named;
mod positions;

pub use list::{PeopleOrder, PeoplePage, PeopleSort};

pub use positions::PositionPeriod;

use crate::audit::{audit, json};
use crate::awards::MERGE_UNITS;
use crate::{with_pool, write_tx, Backend, Result, Store, StoreError};

/// A person as shown: CCCD masked.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub full_name: String,
    pub gender: String,
    pub birth_date: Date,
    pub cccd_masked: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub position: String,
    pub is_leader: bool,
}

impl Person {
    #[must_use]
    pub fn gender(&self) -> Option<Gender> {
        Gender::parse(&self.gender).ok()
    }
}

const PERSON_SELECT: &str = "select p.id, p.full_name, p.gender, p.birth_date, p.cccd_masked, p.unit_id, u.code as unit_code,
    u.name as unit_name, p.position, p.is_leader from people p join org_units u on u.id = p.unit_id";

/// Words of a name query as the search index holds them: folded, split on
/// anything but ASCII letters and digits (so both backends see the same).
#[must_use]
pub fn name_words(q: &str) -> Vec<String> {
    text::search_key(q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Is the query a whole CCCD number (12 digits)? It is then matched exactly,
/// by its keyed hash, never as words.
#[must_use]
pub fn looks_like_cccd(q: &str) -> bool {
    q.len() == 12 && q.bytes().all(|b| b.is_ascii_digit())
}

/// Whether query word `i` may match the beginning of a word of the name,
/// not only a whole word: short words (up to three letters: `tr h`,
/// `ng v binh`) and the last word, which may still be being typed. A longer
/// word before the last is a whole word: `tran thi ha` finds Trần, not
/// Trang. Besides being what was typed, a whole word is what the text index
/// answers fastest: `binh nguyen van` took 6 ms as whole words and 20 ms as
/// beginnings over 1 M people (SQLite FTS5; short beginnings have their own
/// prefix index).
#[must_use]
pub fn is_beginning(words: &[String], i: usize) -> bool {
    words[i].len() <= 3 || i + 1 == words.len()
}

/// Does query word `i` match the folded word `name_word`: begin it where
/// the search takes beginnings ([`is_beginning`]), else equal it?
pub(crate) fn word_matches(words: &[String], i: usize, name_word: &str) -> bool {
    if is_beginning(words, i) {
        name_word.starts_with(words[i].as_str())
    } else {
        name_word == words[i]
    }
}

/// The keys (`name_keys_of`, migrations 0051 and 0053) under which every
/// name with a word that query word `i` matches is listed: its first two
/// letters; of a word of three letters or more its first three, of four or
/// more its first four; a whole word of five letters or more itself. None
/// for a word of one letter.
pub(crate) fn word_keys(words: &[String], i: usize) -> impl Iterator<Item = &str> {
    let w = words[i].as_str();
    let whole = !is_beginning(words, i) && w.len() >= 5;
    [w.get(..2), w.get(..3), w.get(..4), whole.then_some(w)]
        .into_iter()
        .flatten()
}

/// ` and <every word matches a word of the name (or, unless `name_only`,
/// of the unit's name)>`, by [`is_beginning`]. SQLite: the `people_fts`
/// table (joined as the query drives); PostgreSQL: `people.search_doc`, or
/// the name's own index for `name_only` (migration 0014).
pub(crate) fn push_name_match<'a, DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'a, DB>,
    backend: Backend,
    words: &[String],
    name_only: bool,
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let star = |i: usize| if is_beginning(words, i) { "*" } else { "" };
    match backend {
        Backend::Sqlite => {
            let expr = words
                .iter()
                .enumerate()
                .map(|(i, w)| format!("\"{w}\"{}", star(i)))
                .collect::<Vec<_>>()
                .join(" ");
            let expr = if name_only {
                format!("name : ({expr})")
            } else {
                expr
            };
            qb.push(" and people_fts match ");
            qb.push_bind(expr);
        }
        Backend::Postgres => {
            // a short beginning is a lexeme of its own, '0tr' (migration
            // 0015): one posting list, not the union of every word's
            let expr = words
                .iter()
                .enumerate()
                .map(|(i, w)| match star(i) {
                    "" => w.clone(),
                    _ if w.len() <= 3 => format!("0{w}"),
                    _ => format!("{w}:*"),
                })
                .collect::<Vec<_>>()
                .join(" & ");
            // the name alone has its own index (migrations 0014, 0015), on
            // the same expression as here
            qb.push(if name_only {
                " and to_tsvector('simple', search_terms(p.search_key)) @@ to_tsquery('simple', "
            } else {
                " and p.search_doc @@ to_tsquery('simple', "
            });
            qb.push_bind(expr);
            qb.push(")");
        }
    }
}

/// ` and <the person is of a unit of the scope>` on people `p`.
fn push_scope<'a, DB: sqlx::Database>(qb: &mut sqlx::QueryBuilder<'a, DB>, scope: &PeopleScope)
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let PeopleScope::Units(units) = scope {
        qb.push(" and p.unit_id in (");
        let mut sep = qb.separated(", ");
        for u in units {
            sep.push_bind(*u);
        }
        qb.push(")");
    }
}

/// How the people of one unit are walked in id order.
#[derive(Debug, Clone)]
pub(crate) enum Arm {
    /// All of them (`people_unit (unit_id, id)`).
    Everyone,
    /// Those listed under `key` whose folded name matches every pattern
    /// (`person_keys`, PostgreSQL, migration 0052: index only).
    Keyed { key: String, patterns: Vec<String> },
}

/// Which people a search may return.
#[derive(Debug, Clone)]
pub enum PeopleScope {
    All,
    Units(BTreeSet<UnitId>),
}

impl Store {
    /// Adds a person and their first employment period (from `start`).
    ///
    /// # Errors
    /// Unknown unit, a CCCD already on file.
    pub async fn create_person(&self, actor: &str, p: &NewPerson, start: Date) -> Result<Person> {
        // Not into a unit ended (or not yet formed) on the start date.
        let unit = self.unit_in_being(&p.unit_code, start, "unit").await?;
        let cccd = p.cccd.expose();
        let index = self.secrets.cccd_index(cccd);
        let enc = self.secrets.encrypt(cccd)?;
        let masked = p.cccd.masked();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into people (full_name, search_key, gender, birth_date, cccd_hash, cccd_enc, cccd_masked, unit_id, position, is_leader)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
            )
            .bind(&p.full_name)
            .bind(text::search_key(&p.full_name))
            .bind(p.gender.code())
            .bind(p.birth_date)
            .bind(&index)
            .bind(&enc)
            .bind(&masked)
            .bind(unit.id)
            .bind(&p.position)
            .bind(p.is_leader)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique("cccd", format!("Số CCCD {masked} đã có trong hệ thống.")))?;
            sqlx::query("insert into employment_periods (person_id, unit_id, start_date) values ($1, $2, $3)")
                .bind(id)
                .bind(unit.id)
                .bind(start)
                .execute(&mut *tx)
                .await?;
            // the position entered with the person is held from the same day
            // (migration 0047: people.position is the open period)
            if !p.position.is_empty() {
                sqlx::query("insert into position_periods (person_id, title, is_leader, start_date) values ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(&p.position)
                    .bind(p.is_leader)
                    .bind(start)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = serde_json::json!({
                "full_name": p.full_name, "gender": p.gender.code(), "birth_date": p.birth_date.to_string(),
                "cccd": masked, "unit": unit.code, "position": p.position, "is_leader": p.is_leader,
            });
            audit!(tx, actor, "person", id, "create", None, json(&after));
            id
        });
        self.person(id).await
    }

    /// # Errors
    /// `NotFound`.
    pub async fn person(&self, id: i64) -> Result<Person> {
        let row: Option<Person> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{PERSON_SELECT} where p.id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("người #{id}")))
    }

    /// The person holding exactly this CCCD.
    ///
    /// # Errors
    /// Database failure.
    pub async fn person_by_cccd(&self, cccd: &str) -> Result<Option<Person>> {
        let index = self.secrets.cccd_index(cccd.trim());
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{PERSON_SELECT} where p.cccd_hash = $1"
        ))
        .bind(&index)
        .fetch_optional(p)
        .await?))
    }

    /// The full CCCD, for roles allowed to see it (the caller checks).
    ///
    /// # Errors
    /// `NotFound`, or a key that does not open the stored value.
    pub async fn reveal_cccd(&self, person_id: i64) -> Result<String> {
        let enc: Option<String> = with_pool!(self, |p| sqlx::query_scalar(
            "select cccd_enc from people where id = $1"
        )
        .bind(person_id)
        .fetch_optional(p)
        .await?);
        self.secrets
            .decrypt(&enc.ok_or_else(|| StoreError::NotFound(format!("người #{person_id}")))?)
    }

    /// People each word of whose `query` starts a word of their folded name
    /// or of their unit's name (any order, through the index of migration
    /// 0006), or whose CCCD is exactly `query`; keyset-paginated by id.
    ///
    /// # Errors
    /// Database failure.
    pub async fn search_people(
        &self,
        scope: &PeopleScope,
        query: &str,
        after_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Person>> {
        if let PeopleScope::Units(units) = scope {
            if units.is_empty() {
                return Ok(Vec::new());
            }
        }
        let q = query.trim();
        let exact_cccd = looks_like_cccd(q);
        let words = if exact_cccd {
            Vec::new()
        } else {
            name_words(q)
        };
        if !q.is_empty() && !exact_cccd && words.is_empty() {
            return Ok(Vec::new());
        }
        if let (PeopleScope::Units(units), true, false) = (scope, words.is_empty(), exact_cccd) {
            return self.people_of_units(units, after_id, limit).await;
        }
        let backend = self.backend();
        if backend == Backend::Postgres && !words.is_empty() {
            // a bounded walk, then the GIN index (people/named.rs)
            let ids = self.people_named_pg(scope, &words, after_id, limit).await?;
            return self.people_by_ids(&ids).await;
        }
        // SQLite: walk the fts index in id order and stop after one page
        let fts = !words.is_empty() && backend == Backend::Sqlite;
        let id_col = if fts { "f.rowid" } else { "p.id" };
        let rows: Vec<Person> = with_pool!(self, |p| {
            let select = if fts {
                PERSON_SELECT.replace(
                    "from people p",
                    "from people_fts f cross join people p on p.id = f.rowid",
                )
            } else {
                PERSON_SELECT.to_owned()
            };
            let mut qb = sqlx::QueryBuilder::new(format!("{select} where 1 = 1"));
            if exact_cccd {
                qb.push(" and p.cccd_hash = ");
                qb.push_bind(self.secrets.cccd_index(q));
            } else if !words.is_empty() {
                push_name_match(&mut qb, backend, &words, false);
            }
            push_scope(&mut qb, scope);
            if let Some(a) = after_id {
                qb.push(format!(" and {id_col} > "));
                qb.push_bind(a);
            }
            qb.push(format!(" order by {id_col} limit "));
            qb.push_bind(limit);
            qb.build_query_as().fetch_all(p).await?
        });
        Ok(rows)
    }

    /// The people of `ids`, in id order.
    async fn people_by_ids(&self, ids: &[i64]) -> Result<Vec<Person>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, |p| {
            sqlx::query_as(&format!(
                "{PERSON_SELECT} where p.id in ({}) order by p.id",
                crate::id_list(ids)
            ))
            .persistent(false)
            .fetch_all(p)
            .await?
        }))
    }

    /// The people of `units` in id order, a page after `after_id`.
    async fn people_of_units(
        &self,
        units: &BTreeSet<UnitId>,
        after_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Person>> {
        let arms: Vec<(UnitId, Arm)> = units.iter().map(|&u| (u, Arm::Everyone)).collect();
        let ids = self.walk_people_units(&arms, after_id, limit).await?;
        self.people_by_ids(&ids).await
    }

    /// Ids of the people of some units in id order, a page after
    /// `after_id`: each unit's people walked along an index in id order
    /// (its [`Arm`]) and the walks merged in the statement, which stops
    /// after the page (issue 16; as an `in (…)` list SQLite read and sorted
    /// every person of the subtree). Groups of [`MERGE_UNITS`] units, as
    /// award lists.
    pub(crate) async fn walk_people_units(
        &self,
        arms: &[(UnitId, Arm)],
        after_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let limit = limit.max(1);
        let after = after_id.unwrap_or(i64::MIN);
        let pg = self.backend() == Backend::Postgres;
        let mut ids: Vec<i64> = Vec::new();
        for group in arms.chunks(MERGE_UNITS) {
            let found: Vec<i64> = with_pool!(self, |p| {
                // PostgreSQL: one arm alone would carry two ORDER BY clauses
                let mut qb = sqlx::QueryBuilder::new(if pg { "select w.id from (" } else { "" });
                for (i, (unit, arm)) in group.iter().enumerate() {
                    if i > 0 {
                        qb.push(" union all ");
                    }
                    // PostgreSQL sorts a union's arms instead of merging
                    // them: each arm a page of its own there
                    if pg {
                        qb.push("(");
                    }
                    // unit ids are integers of the lineage, not user text
                    match arm {
                        Arm::Everyone => {
                            qb.push(format!(
                                "select p.id from people p where p.unit_id = {unit} and p.id > "
                            ));
                        }
                        Arm::Keyed { key, patterns } => {
                            qb.push("select p.person_id as id from person_keys p where p.key = ");
                            qb.push_bind(key.clone());
                            qb.push(format!(" and p.unit_id = {unit}"));
                            crate::awards::push_patterns(&mut qb, "p.search_key", patterns);
                            qb.push(" and p.person_id > ");
                        }
                    }
                    qb.push_bind(after);
                    if pg {
                        qb.push(" order by 1 limit ");
                        qb.push_bind(limit);
                        qb.push(")");
                    }
                }
                if pg {
                    qb.push(") w");
                }
                qb.push(" order by 1 limit ");
                qb.push_bind(limit);
                qb.build_query_scalar()
                    .persistent(false)
                    .fetch_all(p)
                    .await?
            });
            ids.extend(found);
        }
        ids.sort_unstable();
        ids.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(ids)
    }

    /// Moves a person to another unit (same transaction writes the audit).
    ///
    /// # Errors
    /// Unknown person or unit.
    pub async fn update_person_unit(
        &self,
        actor: &str,
        person_id: i64,
        unit_code: &str,
        from: Date,
    ) -> Result<Person> {
        let before = self.person(person_id).await?;
        // Not into a unit ended (or not yet formed) on the day of the move.
        let unit = self.unit_in_being(unit_code, from, "unit").await?;
        // The periods as they would be after the move, checked by the core:
        // a move dated on or before the current job's start would close it
        // before it began, so it is refused (never stored reversed).
        let current: Vec<Tenure<String>> = self
            .employment(person_id)
            .await?
            .into_iter()
            .map(|(code, _, start, end)| Tenure {
                value: code,
                start,
                end,
            })
            .collect();
        tenure::change(Kind::Employment, &current, unit.code.clone(), from)?;
        let day_before = from.previous_day().unwrap_or(from);
        write_tx!(self, |tx| {
            sqlx::query("update employment_periods set end_date = $1 where person_id = $2 and end_date is null")
                .bind(day_before)
                .bind(person_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("insert into employment_periods (person_id, unit_id, start_date) values ($1, $2, $3)")
                .bind(person_id)
                .bind(unit.id)
                .bind(from)
                .execute(&mut *tx)
                .await?;
            sqlx::query("update people set unit_id = $1 where id = $2")
                .bind(unit.id)
                .bind(person_id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                actor,
                "person",
                person_id,
                "move",
                json(&serde_json::json!({"unit": before.unit_code})),
                json(&serde_json::json!({"unit": unit.code, "from": from.to_string()}))
            );
        });
        self.person(person_id).await
    }

    /// A person's employment periods: (unit code, unit name, start, end).
    ///
    /// # Errors
    /// Database failure.
    pub async fn employment(
        &self,
        person_id: i64,
    ) -> Result<Vec<(String, String, Date, Option<Date>)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "select u.code, u.name, e.start_date, e.end_date from employment_periods e join org_units u on u.id = e.unit_id
             where e.person_id = $1 order by e.start_date"
        )
        .bind(person_id)
        .fetch_all(p)
        .await?
        }))
    }
}
