-- scoped lists and searches at scale (issue 16). an officer sees the awards
-- of the units of their subtree (with its lineage); these two indexes let
-- every scoped list take an index path instead of scanning the join.

-- a unit's awards newest first, with the recipient: a scoped list or a
-- unit's history walks each unit of the scope along this index and merges
-- the walks in one statement (union all ... order by: sqlite merges arms
-- that arrive in order and stops after one page). with person_id in it, a
-- walk testing each recipient's name reads no award row. it serves every
-- query the old (unit_id, year) index served.
drop index award_records_unit;
create index award_records_unit on award_records(unit_id, year, id, person_id);

-- the narrow branch of a scoped name search (crates/store/src/awards.rs,
-- search_awards_named) sorts the matching people's entries of this index;
-- with unit_id in it, the scope is a test on those entries, not a read of
-- each award row. the scan of the eligibility rules (ratings/scan.rs) reads
-- the same columns as before, in the same order.
drop index award_records_person;
create index award_records_person on award_records(person_id, year, award_code, status, unit_id);

-- (the people of a scope in id order walk people_unit (unit_id), whose
-- entries end with the rowid, the person's id: nothing to add here;
-- postgresql needs (unit_id, id), its 0046.)
