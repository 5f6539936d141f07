-- collective awards (no person) matched by the unit's name in a search: a
-- short index of their own, so that a name search no longer tests every
-- collective award (2 % of a 10 M registry) against the unit's name
-- (crates/store/src/awards.rs, search_awards)
create index award_records_unit_awards on award_records(unit_id, year, id) where person_id is null;

-- a name search that matches many people walks the newest awards and needs
-- only each one's recipient: with person_id in the index the walk no longer
-- reads the table (10 M awards, a name 1 200 people share: 108 ms → 17 ms)
drop index award_records_recent;
create index award_records_recent on award_records(year, id, person_id);
