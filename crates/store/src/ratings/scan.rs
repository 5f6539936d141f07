//! Reading every person's history for a scan (`tdkt eligibility scan`).
//!
//! One statement, one row per person in id order: each input table is
//! folded into a text column by a correlated aggregate over its person
//! index (`group_concat` / `string_agg`), so a person's awards, ratings,
//! service, discipline and initiatives arrive together and the history is
//! evaluated while the database reads the next people. Rows, not values,
//! are what a driver pays for (SQLite's worker thread hands each row over a
//! channel): 1 M rows instead of one per award and rating, and nothing is
//! held in memory but the person being evaluated. Text fields the verdict
//! does not need (decision numbers, titles) are left empty; the caller
//! explains a subject with [`Store::person_inputs`]. Each person's unit
//! scope (for rule packs scoped to an org unit) is computed once per unit.

use std::collections::{BTreeSet, HashMap};

use tdkt_core::catalogue::{AwardId, Catalogue, Recipient};
use tdkt_core::eligibility::{
    AwardHeld, Discipline, History, Initiative, ServicePeriod, Supplied, YearRating,
};
use tdkt_core::rating::{DisciplineLevel, Rating, Scope};
use time::Date;

use crate::{id_list, with_pool, Backend, Result, Store};

/// A person as a scan lists them.
#[derive(Debug, Clone)]
pub struct ScanPerson {
    pub id: i64,
    pub full_name: String,
    pub cccd_masked: String,
    pub unit_id: i64,
}

/// What a scan read, for its summary line.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanStats {
    pub people: u64,
    pub awards: u64,
    pub ratings: u64,
}

/// One person and their inputs, each list as `field,field;field,field`.
#[derive(sqlx::FromRow)]
struct ScanRow {
    id: i64,
    full_name: String,
    cccd_masked: String,
    unit_id: i64,
    awards: Option<String>,
    ratings: Option<String>,
    service: Option<String>,
    disciplines: Option<String>,
    initiatives: Option<String>,
}

/// The statement of a scan. `$1` is the last year counted; `$2 < id <= $3`
/// the people read.
fn scan_sql(backend: Backend, units: Option<&BTreeSet<i64>>) -> String {
    let agg = backend.text_agg();
    // the award range is a seek into the covering index award_records_person
    // (person_id, year, award_code, status), migration 0012
    let mut sql = format!(
        "select p.id, p.full_name, p.cccd_masked, p.unit_id,
          (select {agg}(cast(a.year as text) || ',' || a.award_code, ';') from award_records a
            where a.person_id = p.id and a.year <= $1 and a.status = 'valid') as awards,
          (select {agg}(cast(r.year as text) || ',' || r.rating, ';') from annual_ratings r
            where r.person_id = p.id and r.year <= $1) as ratings,
          (select {agg}(cast(e.start_date as text) || ',' || coalesce(cast(e.end_date as text), ''), ';')
            from employment_periods e where e.person_id = p.id) as service,
          (select {agg}(d.level || ',' || cast(d.effective_on as text) || ',' || coalesce(cast(d.months as text), ''), ';')
            from discipline_records d where d.person_id = p.id and d.voided_at is null) as disciplines,
          (select {agg}(i.scope || ',' || cast(i.recognised_on as text), ';')
            from initiatives i where i.person_id = p.id and i.voided_at is null) as initiatives
         from people p where p.id > $2 and p.id <= $3"
    );
    if let Some(u) = units {
        sql.push_str(" and p.unit_id in (");
        sql.push_str(&id_list(u));
        sql.push(')');
    }
    sql.push_str(" order by p.id");
    sql
}

/// The entries of a folded list, each split into its fields.
fn entries(list: Option<&str>) -> impl Iterator<Item = std::str::Split<'_, char>> {
    list.unwrap_or_default()
        .split(';')
        .filter(|e| !e.is_empty())
        .map(|e| e.split(','))
}

/// `2019-01-01` as both backends print a date.
fn iso_date(s: &str) -> Option<Date> {
    let mut it = s.get(..10)?.splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// `parse(code)` once per distinct code: a scan sees a handful of codes
/// millions of times.
fn memo<T: Copy>(
    seen: &mut HashMap<String, Option<T>>,
    code: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    if let Some(v) = seen.get(code) {
        return *v;
    }
    let v = parse(code);
    seen.insert(code.to_owned(), v);
    v
}

/// Codes already resolved during one scan.
#[derive(Default)]
struct Codes {
    awards: HashMap<String, Option<AwardId>>,
    ratings: HashMap<String, Option<tdkt_core::eligibility::Rating>>,
}

impl Codes {
    /// Fills `h` (cleared) with the inputs of `row`.
    fn history(&mut self, cat: &Catalogue, row: &ScanRow, h: &mut History<'_>) {
        h.clear();
        h.recipient = Some(Recipient::Individual);
        for mut f in entries(row.awards.as_deref()) {
            let (Some(y), Some(code)) = (f.next().and_then(|y| y.parse().ok()), f.next()) else {
                continue;
            };
            if let Some(award) = memo(&mut self.awards, code, |c| cat.id(c)) {
                h.awards.push(AwardHeld {
                    award,
                    year: y,
                    decision: "",
                    via: None,
                });
            }
        }
        for mut f in entries(row.ratings.as_deref()) {
            let (Some(year), Some(code)) = (f.next().and_then(|y| y.parse().ok()), f.next()) else {
                continue;
            };
            if let Some(rating) = memo(&mut self.ratings, code, Rating::parse) {
                h.ratings.push(YearRating {
                    year,
                    rating,
                    via: None,
                });
            }
        }
        for mut f in entries(row.service.as_deref()) {
            if let Some(from) = f.next().and_then(iso_date) {
                let to = f.next().and_then(iso_date);
                h.service.push(ServicePeriod { from, to });
            }
        }
        for mut f in entries(row.disciplines.as_deref()) {
            let (Some(level), Some(date)) = (
                f.next().and_then(DisciplineLevel::parse),
                f.next().and_then(iso_date),
            ) else {
                continue;
            };
            h.disciplines.push(Discipline {
                level,
                date,
                months: f.next().and_then(|m| m.parse().ok()),
                decision: "",
            });
        }
        for mut f in entries(row.initiatives.as_deref()) {
            if let (Some(scope), Some(recognised)) =
                (f.next().and_then(Scope::parse), f.next().and_then(iso_date))
            {
                h.initiatives.push(Initiative {
                    scope,
                    recognised,
                    title: "",
                });
            }
        }
        // discipline and initiatives are complete registers (no record means
        // none); service is known once one employment period is on file
        h.supplied = Supplied {
            disciplines: true,
            initiatives: true,
            service: !h.service.is_empty(),
        };
    }
}

/// People (by id) in one block of a scan: the two readers take turns,
/// block by block, so that people arrive in id order overall while both
/// connections work. A block of rows is a few megabytes at most.
const BLOCK: i64 = 2048;

impl Store {
    /// Calls `each(person, history)` for every person (in `units` when
    /// given), in ascending id order, with histories up to `year`.
    ///
    /// The ids are cut into blocks of [`BLOCK`] read by two tasks on two
    /// connections at once, the first the even blocks, the second the odd
    /// ones: the database's side (the aggregates, and for SQLite its worker
    /// thread handing each row over) is the slower half of a scan, so two
    /// readers keep both cores busy, while `each` sees block after block in
    /// order. Each reader is at most two blocks ahead of `each` (one waiting
    /// in its channel, one being read): memory stays bounded whatever the
    /// registry's size.
    ///
    /// # Errors
    /// Database failure.
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
        let sql = scan_sql(self.backend(), units);
        let mut stats = ScanStats::default();
        let mut codes = Codes::default();
        // Each unit's scope (for organisation overlays), computed once per unit.
        let lineage = self.lineage().await?;
        let mut scopes: HashMap<i64, Vec<String>> = HashMap::new();
        for u in lineage.units() {
            scopes.insert(u.id, super::history::scope_codes(&lineage, u.id));
        }
        let mut h = History::default();
        let (first, last): (Option<i64>, Option<i64>) = with_pool!(self, |p| {
            sqlx::query_as("select min(id) - 1, max(id) from people")
                .fetch_one(p)
                .await?
        });
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(stats);
        };
        let blocks = (last - first + BLOCK - 1) / BLOCK;
        let mut readers = Vec::with_capacity(2);
        with_pool!(self, |p| {
            for parity in 0..2 {
                let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<ScanRow>>>(1);
                let (pool, sql) = (p.clone(), sql.clone());
                tokio::spawn(async move {
                    for k in (parity..blocks).step_by(2) {
                        let from = first + k * BLOCK;
                        let rows = sqlx::query_as::<_, ScanRow>(&sql)
                            .bind(year)
                            .bind(from)
                            .bind((from + BLOCK).min(last))
                            .fetch_all(&pool)
                            .await
                            .map_err(Into::into);
                        let failed = rows.is_err();
                        // the scan stopped (an error, or its caller gone)
                        if tx.send(rows).await.is_err() || failed {
                            return;
                        }
                    }
                });
                readers.push(rx);
            }
        });
        for k in 0..blocks {
            let block = readers[usize::from(k % 2 == 1)]
                .recv()
                .await
                .ok_or(crate::StoreError::Db(sqlx::Error::WorkerCrashed))??;
            for row in block {
                codes.history(cat, &row, &mut h);
                if let Some(scope) = scopes.get(&row.unit_id) {
                    h.scope.extend(scope.iter().map(String::as_str));
                }
                stats.people += 1;
                stats.awards += h.awards.len() as u64;
                stats.ratings += h.ratings.len() as u64;
                let person = ScanPerson {
                    id: row.id,
                    full_name: row.full_name,
                    cccd_masked: row.cccd_masked,
                    unit_id: row.unit_id,
                };
                each(&person, &h);
            }
        }
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folded_list_splits_into_entries_and_fields() {
        let got: Vec<Vec<&str>> = entries(Some("2019,lao-dong-tien-tien;2020,giay-khen"))
            .map(Iterator::collect)
            .collect();
        assert_eq!(got, [["2019", "lao-dong-tien-tien"], ["2020", "giay-khen"]]);
        assert_eq!(entries(None).count(), 0);
        assert_eq!(entries(Some("")).count(), 0);
    }

    #[test]
    fn dates_read_as_both_backends_print_them() {
        assert_eq!(
            iso_date("2019-01-31"),
            Some(time::macros::date!(2019 - 01 - 31))
        );
        assert_eq!(iso_date("2019-02-30"), None);
        assert_eq!(iso_date(""), None);
    }
}
