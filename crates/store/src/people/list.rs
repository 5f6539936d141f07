//! The people list as a page: a count of the matching people, a whitelisted
//! sort, and numbered pages (issue 15). The filters are those of
//! [`Store::search_people`]: the caller's scope, a name or unit query, or a
//! whole CCCD matched by its keyed hash.

use tdkt_core::org::UnitId;

use super::{looks_like_cccd, name_words, push_name_match, PeopleScope, Person, PERSON_SELECT};
use crate::{with_pool, Backend, Result, Store};

/// A column the list may be sorted by. The client names one of these by a
/// word ([`PeopleOrder::parse`]); no SQL ever comes from the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeopleSort {
    /// Order of entry (id): the `people_unit (unit_id, id)` and primary key
    /// walks.
    #[default]
    Entry,
    /// Folded full name, then id: index `people_search (search_key)`.
    Name,
    /// Birth date, then id: index `people_birth (birth_date, id)`
    /// (migration 0049).
    BirthDate,
    /// Unit name (folded), then folded full name: a sort of the joined
    /// rows (no single index can serve it; 117 ms a page at 100 k people
    /// on SQLite, unfiltered).
    Unit,
}

/// A sort of the people list and its direction.
pub type PeopleOrder = crate::listing::Order<PeopleSort>;

impl crate::listing::SortKey for PeopleSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ten", PeopleSort::Name),
        ("ngay_sinh", PeopleSort::BirthDate),
        ("don_vi", PeopleSort::Unit),
    ];
}

impl PeopleOrder {
    /// The ORDER BY clause: fixed text per variant, ids last so that every
    /// page is stable.
    fn clause(self) -> &'static str {
        match (self.sort, self.descending) {
            (PeopleSort::Entry, false) => "p.id",
            (PeopleSort::Entry, true) => "p.id desc",
            (PeopleSort::Name, false) => "p.search_key, p.id",
            (PeopleSort::Name, true) => "p.search_key desc, p.id desc",
            (PeopleSort::BirthDate, false) => "p.birth_date, p.id",
            (PeopleSort::BirthDate, true) => "p.birth_date desc, p.id desc",
            (PeopleSort::Unit, false) => "u.search_key, p.search_key, p.id",
            (PeopleSort::Unit, true) => "u.search_key desc, p.search_key desc, p.id desc",
        }
    }
}

/// One page of the list and how many people match in all.
#[derive(Debug, Clone)]
pub struct PeoplePage {
    pub people: Vec<Person>,
    pub total: i64,
}

/// What the where clause filters on, parsed once from the query.
enum Filter {
    Nothing,
    Cccd(String),
    Words(Vec<String>),
}

impl Store {
    /// The people matching `query` within `scope`, in `order`, page `page`
    /// (from 1) of `limit` rows, and the count of all of them: the list
    /// page and its exports (issue 15).
    ///
    /// # Errors
    /// Database failure.
    pub async fn list_people(
        &self,
        scope: &PeopleScope,
        query: &str,
        order: PeopleOrder,
        page: i64,
        limit: i64,
    ) -> Result<PeoplePage> {
        let empty = PeoplePage {
            people: Vec::new(),
            total: 0,
        };
        if let PeopleScope::Units(units) = scope {
            if units.is_empty() {
                return Ok(empty);
            }
        }
        let q = query.trim();
        let filter = if q.is_empty() {
            Filter::Nothing
        } else if looks_like_cccd(q) {
            Filter::Cccd(self.secrets.cccd_index(q))
        } else {
            let words = name_words(q);
            if words.is_empty() {
                return Ok(empty);
            }
            Filter::Words(words)
        };
        let units: Option<Vec<UnitId>> = match scope {
            PeopleScope::All => None,
            PeopleScope::Units(s) => Some(s.iter().copied().collect()),
        };
        let backend = self.backend();
        let fts = matches!(filter, Filter::Words(_)) && backend == Backend::Sqlite;
        let from = if fts {
            "from people_fts f cross join people p on p.id = f.rowid join org_units u on u.id = p.unit_id"
        } else {
            "from people p join org_units u on u.id = p.unit_id"
        };
        let offset = crate::listing::offset(page, limit);
        let (total, people) = with_pool!(self, |p| {
            let mut count = sqlx::QueryBuilder::new(format!("select count(*) {from}"));
            push_where(&mut count, backend, &filter, units.as_deref());
            let total: i64 = count
                .build_query_scalar()
                .persistent(false)
                .fetch_one(p)
                .await?;
            let select =
                PERSON_SELECT.replace("from people p join org_units u on u.id = p.unit_id", from);
            let mut rows = sqlx::QueryBuilder::new(select);
            push_where(&mut rows, backend, &filter, units.as_deref());
            rows.push(format!(" order by {} limit ", order.clause()));
            rows.push_bind(limit.max(1));
            rows.push(" offset ");
            rows.push_bind(offset);
            let people: Vec<Person> = rows.build_query_as().persistent(false).fetch_all(p).await?;
            (total, people)
        });
        Ok(PeoplePage { people, total })
    }
}

/// ` where …`: the query's filter and the scope's units.
fn push_where<'a, DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'a, DB>,
    backend: Backend,
    filter: &Filter,
    units: Option<&[UnitId]>,
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" where 1 = 1");
    match filter {
        Filter::Nothing => {}
        Filter::Cccd(hash) => {
            qb.push(" and p.cccd_hash = ");
            qb.push_bind(hash.clone());
        }
        Filter::Words(words) => push_name_match(qb, backend, words, false),
    }
    if let Some(units) = units {
        // unit ids are integers of the lineage, not user text
        qb.push(format!(" and p.unit_id in ({})", crate::id_list(units)));
    }
}
