//! A name search's page through each recipient's newest award (issue 16,
//! migration 0051).
//!
//! The newest awards of the people whose name has some words: every
//! recipient has their newest award on `name_keys`, under the first two,
//! three (migration 0053) and four letters of each word of their name and
//! each longer word, and the entries of one key are in the order of those
//! awards.
//! Walking the key of one search word newest first (the one with the
//! shortest list), each entry's name tested for every word (index only),
//! gives the matching people in the order of their newest award; their
//! awards (the person index) are the candidates. No person not yet reached
//! has an award newer than the last one reached: once a page of candidates
//! is at least that new, it is the page. Without filters that is about a
//! page of people, whatever the name: `nguyen` (38 % of people) or a name a
//! hundred people share.
//!
//! The walk reads a bounded number of entries. A rare combination of common
//! words (`loc phan van`), or a filter that most people's awards fail (a
//! scope far smaller than the registry, an old year), would read on: the
//! walk estimates from its first entries how far the page lies and, past
//! the bound, gives the search to the text index, which intersects the
//! words' lists and returns few people.

use super::{push_filters, word_patterns, AwardFilter};
use crate::{with_pool, Result, Store};

/// How long the counts of entries per key are trusted before they
/// are counted again (in the background, the old ones used meanwhile):
/// they only choose which word to walk, and the frequency of names does
/// not change in minutes.
const COUNT_TTL: std::time::Duration = std::time::Duration::from_mins(10);

/// Where a walk stands: every entry newer than this has been read.
type Key = (i32, i64);

/// Entries per key and people per unit, shared: a search takes a handle,
/// not a copy.
type Counts = std::sync::Arc<Census>;

/// What the name searches choose their way by, counted at some instant.
#[derive(Debug, Default)]
pub(crate) struct Census {
    /// Entries of `name_keys` per key.
    keys: std::collections::HashMap<String, i64>,
    /// People working in each unit.
    people: std::collections::HashMap<i64, i64>,
    /// People in all.
    everyone: i64,
}

impl Census {
    /// Entries of the rarest key of query word `i`: about how many people
    /// have that word. `None` for a word of one letter (no key).
    fn word_count(&self, words: &[String], i: usize) -> Option<i64> {
        crate::people::word_keys(words, i)
            .map(|k| self.keys.get(k).copied().unwrap_or(0))
            .min()
    }
}

/// How many entries each key has and how many people each unit, as
/// counted at some instant, shared by a store's clones (each server counts
/// for itself: one pass over each list, 0,4–0,5 s at 1 M people).
#[derive(Debug, Default)]
pub(crate) struct KeyCounts(std::sync::Mutex<Counted>);

#[derive(Debug, Default)]
struct Counted {
    /// The last counts and when they were taken; none before the first.
    last: Option<(Counts, std::time::Instant)>,
    counting: bool,
}

impl Store {
    /// The `(year, id)` page of a name search among people's awards, or
    /// `None` when the walk would read more than its bounds allow (the
    /// text index answers then). Later pages (`f.after`) work the same way:
    /// the people whose newest award is above the cursor are walked again,
    /// and they are at most the earlier pages' recipients.
    pub(super) async fn newest_named(
        &self,
        words: &[String],
        f: &AwardFilter,
    ) -> Result<Option<Vec<Key>>> {
        let Some(key) = self.rarest_key(words) else {
            return Ok(None);
        };
        let limit = usize::try_from(f.limit.max(1)).unwrap_or(usize::MAX);
        let patterns = self.patterns_to_test(words, 0..words.len(), Some(&key));
        let mut page: Vec<Key> = Vec::new();
        let mut from: Option<Key> = None;
        let mut people = f.limit.max(1) + 1;
        let bounds = self.walk_bounds;
        let mut window = bounds.awards_first;
        // entries read, people reached, and how many of them had an award
        // within the filters (a scope, years, an award)
        let (mut read, mut reached, mut useful) = (0, 0, 0);
        loop {
            let step = self
                .walk_key(&key, &patterns, f.year_from, from, window, people)
                .await?;
            if !step.people.is_empty() {
                let ids: Vec<i64> = step.people.iter().map(|&(id, _)| id).collect();
                let awards = self.awards_of(&ids, f).await?;
                let mut with_awards: Vec<i64> = awards.iter().map(|&(_, _, p)| p).collect();
                with_awards.sort_unstable();
                with_awards.dedup();
                useful += i64::try_from(with_awards.len()).unwrap_or(i64::MAX);
                page.extend(awards.into_iter().map(|(year, id, _)| (year, id)));
                page.sort_unstable_by(|a, b| b.cmp(a));
                page.truncate(limit);
            }
            let Some(next) = step.next else {
                // the key's list is read to its end
                return Ok(Some(page));
            };
            if page.len() == limit && page[limit - 1] >= next {
                // no one not yet reached has an award this new
                return Ok(Some(page));
            }
            reached += i64::try_from(step.people.len()).unwrap_or(i64::MAX);
            read += window;
            // at the rate met so far, the entries that hold a page's worth of
            // people with awards within the filters; more than are left (or
            // none met yet): the text index
            let wanted = (f.limit.max(1) - useful).max(1);
            let needed = wanted.saturating_mul(read) / useful.max(1);
            let left = bounds.awards_most - read;
            if useful == 0 || needed > left || reached > bounds.awards_people {
                return Ok(None);
            }
            if !step.filled {
                window = (needed * 2).clamp(bounds.awards_first, left);
            }
            from = Some(next);
            people = (people * 4).min(1_000);
        }
    }

    /// One step of a walk: up to `window` entries of `key` older than
    /// `from` (and not older than `year_from`), newest first, of which the
    /// first `people` whose name matches. Two statements, each walking the
    /// primary key in order with nothing to sort or copy: where the window
    /// ends (its last entry, by an offset over the keys alone), then the
    /// matching entries within it.
    async fn walk_key(
        &self,
        key: &str,
        patterns: &[String],
        year_from: Option<i32>,
        from: Option<Key>,
        window: i64,
        people: i64,
    ) -> Result<Step> {
        let end: Option<Key> = with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new("select newest_year, newest_award");
            push_within(&mut qb, key, from, year_from);
            qb.push(" order by newest_year desc, newest_award desc limit 1 offset ");
            qb.push_bind(window - 1);
            qb.build_query_as().fetch_optional(p).await?
        });
        let rows: Vec<(i64, i32, i64)> = with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new("select person_id, newest_year, newest_award");
            push_within(&mut qb, key, from, year_from);
            if let Some((year, id)) = end {
                qb.push(" and (newest_year, newest_award) >= (");
                qb.push_bind(year);
                qb.push(", ");
                qb.push_bind(id);
                qb.push(")");
            }
            super::push_patterns(&mut qb, "search_key", patterns);
            qb.push(" order by newest_year desc, newest_award desc limit ");
            qb.push_bind(people);
            qb.build_query_as().fetch_all(p).await?
        });
        let people_found: Vec<(i64, Key)> = rows
            .into_iter()
            .map(|(id, year, award)| (id, (year, award)))
            .collect();
        let filled = i64::try_from(people_found.len()).unwrap_or(i64::MAX) >= people;
        let next = if filled {
            // the window holds more: go on after the last person taken
            people_found.last().map(|&(_, key)| key)
        } else {
            // the window's end, or none: the list ends inside the window
            end
        };
        Ok(Step {
            people: people_found,
            filled,
            next,
        })
    }

    /// The newest `f.limit` awards of some people, within `f`'s filters (the
    /// person index: year and id are in its entries), with their recipient.
    async fn awards_of(&self, ids: &[i64], f: &AwardFilter) -> Result<Vec<(i32, i64, i64)>> {
        Ok(with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "select a.year, a.id, a.person_id from award_records a where a.person_id in (",
            );
            qb.push(crate::id_list(ids));
            qb.push(")");
            push_filters(&mut qb, f);
            // `+ 0`: sort these people's entries, never walk every award
            // newest first testing each against the list (search.rs)
            qb.push(" order by a.year + 0 desc, a.id + 0 desc limit ");
            qb.push_bind(f.limit.max(1));
            qb.build_query_as().persistent(false).fetch_all(p).await?
        }))
    }

    /// The key whose list is the shortest among the search words' keys
    /// ([`crate::people::word_keys`]); `None` when no word has two letters.
    /// Before the lists are first counted, the longest key: any key gives
    /// the same page, a rarer one sooner.
    pub(super) fn rarest_key(&self, words: &[String]) -> Option<String> {
        self.rarest_of((0..words.len()).flat_map(|i| crate::people::word_keys(words, i)))
    }

    /// The patterns ([`word_patterns`]) of the words `of`, in the order an
    /// entry of a list is best tested against them: the rarest word first,
    /// the word whose key the list is (`walked`) last. PostgreSQL tests a
    /// filter's conditions in the order written when they cost the same,
    /// and stops at the first that fails: most entries fail at a rare word,
    /// and nearly every entry of a key has the word it was made from.
    /// `duc nguyen thanh` within Cần Thơ, 16 760 entries of `duc` read at
    /// 10 M awards: 13,6–14,4 ms in the order typed, 9,2–10,0 `thanh`
    /// first. Before the lists are counted, the order typed.
    pub(crate) fn patterns_to_test(
        &self,
        words: &[String],
        of: impl IntoIterator<Item = usize>,
        walked: Option<&str>,
    ) -> Vec<String> {
        let patterns = word_patterns(words);
        let mut of: Vec<usize> = of.into_iter().collect();
        if let Some(counts) = self.key_counts() {
            let rarity = |i: usize| {
                if walked.is_some_and(|w| crate::people::word_keys(words, i).any(|k| k == w)) {
                    return i64::MAX;
                }
                // a word of one letter has no key: nearly everyone
                counts.word_count(words, i).unwrap_or(i64::MAX - 1)
            };
            // stable: words of the same rarity keep the order typed
            of.sort_by_key(|&i| rarity(i));
        }
        of.into_iter().map(|i| patterns[i].clone()).collect()
    }

    /// How many entries `key` has, once the lists are counted.
    pub(super) fn key_count(&self, key: &str) -> Option<i64> {
        self.key_counts()
            .map(|c| c.keys.get(key).copied().unwrap_or(0))
    }

    /// How many people of a name a scope holds, as the counts tell
    /// without reading any list: the scope's people times the share of
    /// people whose name has each word (the rarest key of the word), as if
    /// the words were chosen apart. An estimate (names are not chosen
    /// apart: `duc nguyen thanh`, 1 330 expected in Cần Thơ, about 420
    /// there), to choose a way, never to answer: whether it reaches
    /// [`crate::WalkBounds::many_within`]. Not before the counts.
    pub(super) fn many_within(
        &self,
        words: &[String],
        scope: &std::collections::BTreeSet<tdkt_core::org::UnitId>,
    ) -> bool {
        // counts of people and entries are far below 2^32
        let approx = |n: i64| f64::from(u32::try_from(n).unwrap_or(u32::MAX));
        let Some(counts) = self.key_counts() else {
            return false;
        };
        let everyone = approx(counts.everyone);
        if everyone < 1.0 {
            return false;
        }
        let within: i64 = scope.iter().filter_map(|u| counts.people.get(u)).sum();
        let mut expected = approx(within);
        for i in 0..words.len() {
            if let Some(n) = counts.word_count(words, i) {
                expected *= (approx(n) / everyone).min(1.0);
            }
        }
        expected >= approx(self.walk_bounds.many_within)
    }

    /// The rarest of some keys by the counts of `name_keys`, which also
    /// rank `person_keys`' lists (migration 0052): nearly everyone is a
    /// recipient (`th`: 359 214 recipients, 359 218 people at 1 M).
    pub(crate) fn rarest_of<'a>(&self, keys: impl Iterator<Item = &'a str>) -> Option<String> {
        match self.key_counts() {
            Some(counts) => keys.min_by_key(|k| counts.keys.get(*k).copied().unwrap_or(0)),
            None => keys.max_by_key(|k| k.len()),
        }
        .map(str::to_owned)
    }

    /// The entries per key, counted in the background: first when the
    /// server starts ([`Store::count_name_keys`]) or at the first name
    /// search, then again once they are older than [`COUNT_TTL`]. No search
    /// waits for a count: until the first is done, `None`.
    fn key_counts(&self) -> Option<Counts> {
        let c = self.key_counts.0.lock().expect("counts");
        let fresh = c
            .last
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() < COUNT_TTL);
        if !fresh && !c.counting {
            let store = self.clone();
            tokio::spawn(async move {
                if let Err(e) = store.count_name_keys().await {
                    tracing::warn!("đếm lại danh sách tên: {e}");
                }
            });
        }
        c.last.as_ref().map(|(counts, _)| counts.clone())
    }

    /// Counts the name lists' entries now, unless a count is under way, so
    /// that name searches walk the rarest of their words: `tdkt serve` at
    /// start (in the background), `tdkt bench search` before its first
    /// query (a server's steady state), a search when the counts are stale.
    ///
    /// # Errors
    /// Database failure.
    ///
    /// # Panics
    /// If a thread panicked while holding the counts' lock.
    pub async fn count_name_keys(&self) -> Result<()> {
        {
            let mut c = self.key_counts.0.lock().expect("counts");
            if c.counting {
                return Ok(());
            }
            c.counting = true;
        }
        let counted = self.count_keys().await;
        if counted.is_err() {
            self.key_counts.0.lock().expect("counts").counting = false;
        }
        counted
    }

    /// Counts every key's entries and every unit's people (a pass over
    /// each index) and keeps the counts.
    async fn count_keys(&self) -> Result<()> {
        type Tally<K> = Vec<(K, i64)>;
        let (keys, people): (Tally<String>, Tally<i64>) = with_pool!(self, |p| (
            sqlx::query_as("select key, count(*) from name_keys group by key")
                .fetch_all(p)
                .await?,
            sqlx::query_as("select unit_id, count(*) from people group by unit_id")
                .fetch_all(p)
                .await?,
        ));
        let census = Census {
            keys: keys.into_iter().collect(),
            everyone: people.iter().map(|&(_, n)| n).sum(),
            people: people.into_iter().collect(),
        };
        *self.key_counts.0.lock().expect("counts") = Counted {
            last: Some((std::sync::Arc::new(census), std::time::Instant::now())),
            counting: false,
        };
        Ok(())
    }
}

/// ` from name_keys where <the entries of key older than from, not older
/// than year_from>`: no award of a person whose newest is older.
fn push_within<'a, DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'a, DB>,
    key: &str,
    from: Option<Key>,
    year_from: Option<i32>,
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" from name_keys where key = ");
    qb.push_bind(key.to_owned());
    if let Some((year, id)) = from {
        qb.push(" and (newest_year, newest_award) < (");
        qb.push_bind(year);
        qb.push(", ");
        qb.push_bind(id);
        qb.push(")");
    }
    if let Some(year) = year_from {
        qb.push(" and newest_year >= ");
        qb.push_bind(year);
    }
}

/// What one step of a walk found.
#[derive(Debug, Default)]
struct Step {
    /// Matching people and their newest award, newest first.
    people: Vec<(i64, Key)>,
    /// Whether as many people matched as were asked for.
    filled: bool,
    /// Where the next step starts; `None` when the list is read to its end.
    next: Option<Key>,
}

#[cfg(feature = "testing")]
impl Store {
    /// The `(year, id)` page of a name search as the walk gives it, or
    /// `None` when the walk gives up (the search then asks the text index).
    ///
    /// # Errors
    /// Database failure.
    pub async fn walked_name_page(&self, f: &AwardFilter) -> Result<Option<Vec<Key>>> {
        self.newest_named(&crate::people::name_words(&f.q), f).await
    }

    /// How `name_keys` differs from what the registry says it holds
    /// (each recipient's newest award under each distinct key of
    /// their name): the rows missing (`-`) and those too many (`+`), none
    /// when the triggers kept it in step.
    ///
    /// # Errors
    /// Database failure.
    pub async fn name_keys_drift(&self) -> Result<Vec<String>> {
        use std::collections::{BTreeMap, BTreeSet};
        type Row = (String, i32, i64, i64, String);
        let held: Vec<Row> = with_pool!(self, |p| {
            sqlx::query_as(
                "select key, newest_year, newest_award, person_id, search_key from name_keys",
            )
            .fetch_all(p)
            .await?
        });
        let awards: Vec<(i64, String, i32, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
                "select p.id, p.search_key, a.year, a.id from award_records a join people p on p.id = a.person_id",
            )
            .fetch_all(p)
            .await?
        });
        let mut newest: BTreeMap<i64, (String, Key)> = BTreeMap::new();
        for (person, key, year, id) in awards {
            let e = newest.entry(person).or_insert((key, (year, id)));
            e.1 = e.1.max((year, id));
        }
        let mut due: BTreeSet<Row> = BTreeSet::new();
        for (person, (name, (year, id))) in newest {
            for word in name.split(' ') {
                let letters = word.chars().count();
                for (key, from) in [(2, 2), (3, 3), (4, 4), (letters, 5)] {
                    if letters >= from {
                        let key: String = word.chars().take(key).collect();
                        due.insert((key, year, id, person, name.clone()));
                    }
                }
            }
        }
        let held: BTreeSet<Row> = held.into_iter().collect();
        Ok(due
            .difference(&held)
            .map(|r| format!("- {r:?}"))
            .chain(held.difference(&due).map(|r| format!("+ {r:?}")))
            .collect())
    }
}
