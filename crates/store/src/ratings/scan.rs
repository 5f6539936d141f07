//! Reading every person's history for a scan (`tdkt eligibility scan`).
//!
//! One sequential pass per table (no per-person queries, no `order by` that
//! would walk an index into random table pages): rows go into compact
//! columns keyed by the person's position, are sorted once, and then each
//! person's [`History`] is built in one reused buffer and handed to the
//! caller. Text fields the verdict does not need (decision numbers, titles)
//! are left empty; the caller explains a subject with [`Store::person_inputs`].

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use tdkt_core::catalogue::{AwardId, Catalogue, Recipient};
use tdkt_core::eligibility::{
    AwardHeld, Discipline, History, Initiative, Rating, ServicePeriod, Supplied, YearRating,
};
use time::Date;

use super::{parse_discipline, parse_rating, parse_scope};
use crate::{with_pool, Result, Store};

/// A person as a scan lists them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScanPerson {
    pub id: i64,
    pub full_name: String,
    pub cccd_masked: String,
    pub unit_id: i64,
}

/// Timings of the reading phase, for the benchmark note.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanStats {
    pub people: u64,
    pub awards: u64,
    pub ratings: u64,
}

fn sort_by_person<T>(v: &mut [(u32, T)]) {
    v.sort_unstable_by_key(|(i, _)| *i);
}

/// Ranges of `v` (sorted by person) for each person in turn.
struct Cursor {
    at: usize,
}

impl Cursor {
    fn take<'v, T>(&mut self, v: &'v [(u32, T)], person: u32) -> &'v [(u32, T)] {
        let start = self.at;
        while self.at < v.len() && v[self.at].0 == person {
            self.at += 1;
        }
        &v[start..self.at]
    }
}

impl Store {
    /// Calls `each(person, history)` for every person (in `units` when
    /// given), with histories up to `year`.
    ///
    /// # Errors
    /// Database failure.
    #[allow(clippy::too_many_lines)]
    pub async fn scan_histories<F>(
        &self,
        cat: &Catalogue,
        year: i32,
        units: Option<&BTreeSet<i64>>,
        mut each: F,
    ) -> Result<ScanStats>
    where
        F: FnMut(&ScanPerson, &History<'_>),
    {
        let people: Vec<ScanPerson> = with_pool!(self, |p| {
            let mut qb =
                sqlx::QueryBuilder::new("select id, full_name, cccd_masked, unit_id from people");
            if let Some(u) = units {
                qb.push(" where unit_id in (");
                qb.push(
                    u.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                );
                qb.push(")");
            }
            qb.push(" order by id");
            qb.build_query_as().fetch_all(p).await?
        });
        let max_id = people.last().map_or(0, |p| p.id);
        // person id → position + 1 (0 = not in the scan)
        let mut pos = vec![0u32; usize::try_from(max_id).unwrap_or(0) + 1];
        for (i, p) in people.iter().enumerate() {
            pos[usize::try_from(p.id).unwrap_or(0)] = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        let slot = |id: i64| -> Option<u32> {
            usize::try_from(id)
                .ok()
                .and_then(|i| pos.get(i))
                .copied()
                .filter(|&s| s > 0)
                .map(|s| s - 1)
        };

        let mut awards: Vec<(u32, (AwardId, i32))> = Vec::new();
        let mut ratings: Vec<(u32, (i32, Rating))> = Vec::new();
        let mut service: Vec<(u32, ServicePeriod)> = Vec::new();
        let mut disc: Vec<(u32, Discipline<'static>)> = Vec::new();
        let mut init: Vec<(u32, Initiative<'static>)> = Vec::new();
        // award codes → ids, resolved once per distinct code
        let mut codes: std::collections::HashMap<String, Option<AwardId>> =
            std::collections::HashMap::new();
        with_pool!(self, |p| {
            let mut rows = sqlx::query_as::<_, (i64, String, i32)>(
                // `person_id is not null` (= a person's award): a range of
                // the covering index award_records_person (migration 0012);
                // `+year` keeps SQLite from walking award_records_recent,
                // which would read the table (70 s instead of a few at 10 M)
                "select person_id, award_code, year from award_records
                 where person_id is not null and status = 'valid' and +year <= $1",
            )
            .bind(year)
            .fetch(p);
            while let Some((pid, code, y)) = rows.try_next().await? {
                let Some(s) = slot(pid) else { continue };
                let id = match codes.get(&code) {
                    Some(id) => *id,
                    None => {
                        let id = cat.id(&code);
                        codes.insert(code, id);
                        id
                    }
                };
                if let Some(a) = id {
                    awards.push((s, (a, y)));
                }
            }
            drop(rows);
            let mut rows = sqlx::query_as::<_, (i64, i32, String)>(
                "select person_id, year, rating from annual_ratings where subject_kind = 'person' and year <= $1",
            )
            .bind(year)
            .fetch(p);
            while let Some((pid, y, r)) = rows.try_next().await? {
                if let (Some(s), Some(r)) = (slot(pid), parse_rating(&r)) {
                    ratings.push((s, (y, r)));
                }
            }
            drop(rows);
            let mut rows = sqlx::query_as::<_, (i64, Date, Option<Date>)>(
                "select person_id, start_date, end_date from employment_periods",
            )
            .fetch(p);
            while let Some((pid, from, to)) = rows.try_next().await? {
                if let Some(s) = slot(pid) {
                    service.push((s, ServicePeriod { from, to }));
                }
            }
            drop(rows);
            let mut rows = sqlx::query_as::<_, (i64, String, Date, Option<i32>)>(
                "select person_id, level, effective_on, months from discipline_records where voided_at is null",
            )
            .fetch(p);
            while let Some((pid, level, date, months)) = rows.try_next().await? {
                if let (Some(s), Some(level)) = (slot(pid), parse_discipline(&level)) {
                    disc.push((
                        s,
                        Discipline {
                            level,
                            date,
                            months: months.and_then(|m| u16::try_from(m).ok()),
                            decision: "",
                        },
                    ));
                }
            }
            drop(rows);
            let mut rows = sqlx::query_as::<_, (i64, String, Date)>(
                "select person_id, scope, recognised_on from initiatives where voided_at is null",
            )
            .fetch(p);
            while let Some((pid, scope, recognised)) = rows.try_next().await? {
                if let (Some(s), Some(scope)) = (slot(pid), parse_scope(&scope)) {
                    init.push((
                        s,
                        Initiative {
                            scope,
                            recognised,
                            title: "",
                        },
                    ));
                }
            }
        });
        let stats = ScanStats {
            people: people.len() as u64,
            awards: awards.len() as u64,
            ratings: ratings.len() as u64,
        };
        sort_by_person(&mut awards);
        sort_by_person(&mut ratings);
        sort_by_person(&mut service);
        sort_by_person(&mut disc);
        sort_by_person(&mut init);

        let mut h = History::default();
        let (mut ca, mut cr, mut cs, mut cd, mut ci) = (
            Cursor { at: 0 },
            Cursor { at: 0 },
            Cursor { at: 0 },
            Cursor { at: 0 },
            Cursor { at: 0 },
        );
        for (i, person) in people.iter().enumerate() {
            let s = u32::try_from(i).unwrap_or(u32::MAX);
            h.clear();
            h.recipient = Some(Recipient::Individual);
            h.supplied = Supplied {
                disciplines: true,
                initiatives: true,
                service: false,
            };
            h.awards
                .extend(ca.take(&awards, s).iter().map(|(_, (a, y))| AwardHeld {
                    award: *a,
                    year: *y,
                    decision: "",
                    via: None,
                }));
            h.ratings
                .extend(cr.take(&ratings, s).iter().map(|(_, (y, r))| YearRating {
                    year: *y,
                    rating: *r,
                    via: None,
                }));
            let sv = cs.take(&service, s);
            h.supplied.service = !sv.is_empty();
            h.service.extend(sv.iter().map(|(_, p)| *p));
            h.disciplines
                .extend(cd.take(&disc, s).iter().map(|(_, d)| *d));
            h.initiatives
                .extend(ci.take(&init, s).iter().map(|(_, x)| *x));
            each(person, &h);
        }
        Ok(stats)
    }
}
