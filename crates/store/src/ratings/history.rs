//! What the engine knows about one subject, read from the database: the
//! owned [`Inputs`] and, borrowed from them, the engine's [`History`].
//!
//! A collective's history is lineage-aware: ratings and awards of its
//! predecessors (through merges, splits and renames) count as its own and
//! carry `via` so that the explanation says "kế thừa từ …" (Điều 95 Luật TĐKT
//! 2022 keeps earlier achievements). Its members in a year are the people
//! employed in it (or a predecessor) that year; a year in which no member has
//! a rating gives no member figures, so share clauses say *chưa rõ* rather
//! than 0 %.
//!
//! Discipline and initiatives are read as complete registers: no record
//! means none (the office records every decision it knows of). Service is
//! supplied when the person has at least one employment period.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tdkt_core::catalogue::{AwardId, Catalogue, Recipient};
use tdkt_core::eligibility::{
    inherited_rating, AwardHeld, Discipline, DisciplineLevel, History, Initiative, MemberYear,
    PredecessorRef, Rating, Scope, ServicePeriod, Supplied, YearRating,
};
use tdkt_core::lineage::Lineage;
use time::Date;

use crate::{id_list, with_pool, Result, Store};

/// Owned inputs of one subject; [`Inputs::history`] borrows them.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub recipient: Option<Recipient>,
    pub ratings: Vec<(i32, Rating, Option<String>)>,
    pub awards: Vec<(AwardId, i32, String, Option<String>)>,
    pub disciplines: Vec<(DisciplineLevel, Date, Option<u16>, String)>,
    pub initiatives: Vec<(Scope, Date, String)>,
    /// `None`: no employment period on file.
    pub service: Option<Vec<ServicePeriod>>,
    pub members: Vec<MemberYear>,
    /// (name, date, event label).
    pub predecessors: Vec<(String, Date, String)>,
    pub supplied_disciplines: bool,
    pub supplied_initiatives: bool,
    /// Codes of the units the subject sits under, nearest first (lineage-aware):
    /// a rule pack scoped to one of them applies ([`History::scope`]).
    pub scope: Vec<String>,
}

/// Codes of the units `unit` sits under, nearest first, across lineage
/// ([`Lineage::ancestry_nearest`]): what [`History::scope`] holds.
#[must_use]
pub fn scope_codes(lineage: &Lineage, unit: i64) -> Vec<String> {
    lineage
        .ancestry_nearest(unit)
        .into_iter()
        .filter_map(|u| lineage.unit(u).map(|x| x.code.clone()))
        .collect()
}

impl Inputs {
    #[must_use]
    pub fn history(&self) -> History<'_> {
        History {
            recipient: self.recipient,
            armed_forces: None,
            ratings: self
                .ratings
                .iter()
                .map(|(year, rating, via)| YearRating {
                    year: *year,
                    rating: *rating,
                    via: via.as_deref(),
                })
                .collect(),
            awards: self
                .awards
                .iter()
                .map(|(award, year, decision, via)| AwardHeld {
                    award: *award,
                    year: *year,
                    decision,
                    via: via.as_deref(),
                })
                .collect(),
            disciplines: self
                .disciplines
                .iter()
                .map(|(level, date, months, decision)| Discipline {
                    level: *level,
                    date: *date,
                    months: *months,
                    decision,
                })
                .collect(),
            initiatives: self
                .initiatives
                .iter()
                .map(|(scope, recognised, title)| Initiative {
                    scope: *scope,
                    recognised: *recognised,
                    title,
                })
                .collect(),
            service: self.service.clone().unwrap_or_default(),
            supplied: Supplied {
                disciplines: self.supplied_disciplines,
                initiatives: self.supplied_initiatives,
                service: self.service.is_some(),
            },
            members: self.members.clone(),
            predecessors: self
                .predecessors
                .iter()
                .map(|(name, date, event)| PredecessorRef {
                    name,
                    date: *date,
                    event,
                })
                .collect(),
            scope: self.scope.iter().map(String::as_str).collect(),
        }
    }
}

impl Store {
    /// Everything the rules need about a person.
    ///
    /// # Errors
    /// `NotFound`, database failure.
    pub async fn person_inputs(&self, cat: &Catalogue, person_id: i64) -> Result<Inputs> {
        let person = self.person(person_id).await?;
        let scope = scope_codes(&self.lineage().await?, person.unit_id);
        let ratings = self.person_ratings(person_id).await?;
        let awards: Vec<(String, i32, String)> = with_pool!(self, |p| {
            sqlx::query_as(
            "select award_code, year, decision_no from award_records where person_id = $1 and status = 'valid' order by year"
        )
        .bind(person_id)
        .fetch_all(p)
        .await?
        });
        let disciplines = self.person_disciplines(person_id).await?;
        let initiatives = self.person_initiatives(person_id).await?;
        let periods = self.service_periods(person_id).await?;
        Ok(Inputs {
            recipient: Some(Recipient::Individual),
            ratings: ratings
                .iter()
                .filter_map(|r| Some((r.year, r.rating()?, None)))
                .collect(),
            awards: awards
                .into_iter()
                .filter_map(|(code, year, d)| Some((cat.id(&code)?, year, d, None)))
                .collect(),
            disciplines: disciplines
                .iter()
                .filter_map(|d| {
                    Some((
                        d.level()?,
                        d.effective_on,
                        d.months.and_then(|m| u16::try_from(m).ok()),
                        d.decision_no.clone(),
                    ))
                })
                .collect(),
            initiatives: initiatives
                .iter()
                .filter_map(|i| Some((i.scope()?, i.recognised_on, i.title.clone())))
                .collect(),
            service: (!periods.is_empty()).then(|| {
                periods
                    .iter()
                    .map(|(from, to)| ServicePeriod {
                        from: *from,
                        to: *to,
                    })
                    .collect()
            }),
            members: Vec::new(),
            predecessors: Vec::new(),
            supplied_disciplines: true,
            supplied_initiatives: true,
            scope,
        })
    }

    /// Everything the rules need about a collective, its predecessors'
    /// records included and labelled.
    ///
    /// # Errors
    /// `NotFound`, database failure.
    pub async fn unit_inputs(
        &self,
        cat: &Catalogue,
        lineage: &Lineage,
        unit: i64,
    ) -> Result<Inputs> {
        self.unit(unit).await?;
        let preds = lineage.predecessors(unit);
        let mut via: HashMap<i64, String> = HashMap::new();
        let mut predecessors = Vec::new();
        for p in &preds {
            let name = lineage
                .name_at(p.unit, p.effective.previous_day().unwrap_or(p.effective))
                .unwrap_or_else(|| format!("đơn vị #{}", p.unit));
            via.insert(p.unit, name.clone());
            predecessors.push((name, p.effective, p.kind.label().to_owned()));
        }
        let units: Vec<i64> = lineage.with_predecessors(unit);
        let label = |u: i64| {
            if u == unit {
                None
            } else {
                via.get(&u).cloned()
            }
        };

        // The unit's own rating wins over its predecessors' for the same
        // year; several predecessors rated the same year give the lowest,
        // each named (`inherited_rating`, which says why).
        let mut own: BTreeMap<i32, Rating> = BTreeMap::new();
        let mut inherited: BTreeMap<i32, Vec<(Rating, String)>> = BTreeMap::new();
        for r in self.unit_ratings(&units).await? {
            let Some(rating) = r.rating() else { continue };
            let from = r.unit_id.unwrap_or(unit);
            match label(from) {
                None => {
                    own.insert(r.year, rating);
                }
                Some(name) => inherited.entry(r.year).or_default().push((rating, name)),
            }
        }
        let mut ratings: BTreeMap<i32, (Rating, Option<String>)> =
            own.into_iter().map(|(y, r)| (y, (r, None))).collect();
        for (year, from) in inherited {
            if let (false, Some((r, via))) = (ratings.contains_key(&year), inherited_rating(&from))
            {
                ratings.insert(year, (r, Some(via)));
            }
        }
        let (awards, emp, member_ratings, member_awards, member_disc) = with_pool!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "select award_code, year, decision_no, unit_id from award_records where recipient_kind = 'unit' and status = 'valid' and unit_id in (",
            );
            qb.push(id_list(&units));
            qb.push(") order by year");
            let awards: Vec<(String, i32, String, i64)> = qb.build_query_as().fetch_all(p).await?;

            let mut qb = sqlx::QueryBuilder::new(
                "select person_id, start_date, end_date from employment_periods where unit_id in (",
            );
            qb.push(id_list(&units));
            qb.push(")");
            let emp: Vec<(i64, Date, Option<Date>)> = qb.build_query_as().fetch_all(p).await?;

            let mut qb = sqlx::QueryBuilder::new(
                "select person_id, year, rating from annual_ratings where person_id in (select person_id from employment_periods where unit_id in (",
            );
            qb.push(id_list(&units));
            qb.push("))");
            let mr: Vec<(i64, i32, String)> = qb.build_query_as().fetch_all(p).await?;

            let mut qb = sqlx::QueryBuilder::new(
                "select person_id, award_code, year from award_records where recipient_kind = 'person' and status = 'valid' and unit_id in (",
            );
            qb.push(id_list(&units));
            qb.push(")");
            let ma: Vec<(i64, String, i32)> = qb.build_query_as().fetch_all(p).await?;

            let mut qb = sqlx::QueryBuilder::new(
                "select person_id, level, effective_on, months from discipline_records where voided_at is null and person_id in (select person_id from employment_periods where unit_id in (",
            );
            qb.push(id_list(&units));
            qb.push("))");
            let md: Vec<(i64, String, Date, Option<i32>)> =
                qb.build_query_as().fetch_all(p).await?;
            (awards, emp, mr, ma, md)
        });

        let mut periods: HashMap<i64, Vec<(Date, Option<Date>)>> = HashMap::new();
        for (pid, s, e) in emp {
            periods.entry(pid).or_default().push((s, e));
        }
        let rated: HashMap<(i64, i32), Rating> = member_ratings
            .iter()
            .filter_map(|(pid, y, r)| Some(((*pid, *y), Rating::parse(r)?)))
            .collect();
        let years: BTreeSet<i32> = member_ratings.iter().map(|(_, y, _)| *y).collect();
        let mut members = Vec::new();
        for y in years {
            let in_year: Vec<i64> = periods
                .iter()
                .filter(|(_, ps)| super::employed_in(ps, y))
                .map(|(pid, _)| *pid)
                .collect();
            if !in_year.iter().any(|pid| rated.contains_key(&(*pid, y))) {
                continue;
            }
            let mut by_rating = [0u32; 4];
            for pid in &in_year {
                if let Some(r) = rated.get(&(*pid, y)) {
                    by_rating[*r as usize] += 1;
                }
            }
            let mut titles: BTreeMap<AwardId, BTreeSet<i64>> = BTreeMap::new();
            for (pid, code, ay) in &member_awards {
                if *ay == y {
                    if let Some(a) = cat.id(code) {
                        titles.entry(a).or_default().insert(*pid);
                    }
                }
            }
            let mut disciplined = [0u32; 6];
            let mut worst: HashMap<i64, DisciplineLevel> = HashMap::new();
            for (pid, level, date, months) in &member_disc {
                let Some(level) = DisciplineLevel::parse(level) else {
                    continue;
                };
                let d = Discipline {
                    level,
                    date: *date,
                    months: months.and_then(|m| u16::try_from(m).ok()),
                    decision: "",
                };
                if d.touches_years(y, y) {
                    let w = worst.entry(*pid).or_insert(level);
                    *w = (*w).max(level);
                }
            }
            for l in worst.values() {
                disciplined[*l as usize] += 1;
            }
            members.push(MemberYear {
                year: y,
                members: u32::try_from(in_year.len()).unwrap_or(u32::MAX),
                by_rating,
                titles: titles
                    .into_iter()
                    .map(|(a, ps)| (a, u32::try_from(ps.len()).unwrap_or(u32::MAX)))
                    .collect(),
                disciplined,
            });
        }

        Ok(Inputs {
            recipient: Some(Recipient::Collective),
            ratings: ratings.into_iter().map(|(y, (r, v))| (y, r, v)).collect(),
            awards: awards
                .into_iter()
                .filter_map(|(code, year, d, u)| Some((cat.id(&code)?, year, d, label(u))))
                .collect(),
            disciplines: Vec::new(),
            initiatives: Vec::new(),
            service: None,
            members,
            predecessors,
            supplied_disciplines: false,
            supplied_initiatives: false,
            scope: scope_codes(lineage, unit),
        })
    }
}
