-- scoped lists and searches at scale (issue 16). an officer sees the awards
-- of the units of their subtree (with its lineage); these two indexes let
-- every scoped list take an index path instead of scanning the join.

-- a unit's awards newest first, with the recipient: a scoped list or a
-- unit's history walks each unit of the scope along this index and merges
-- the walks in one statement (union all ... order by: a merge append that
-- stops after one page). the id is a key column (the old index stopped at
-- the year, so a page had to sort the unit's awards of a year); person_id
-- is carried for the walk that tests each recipient's name.
drop index award_records_unit;
create index award_records_unit on award_records (unit_id, year, id) include (person_id);

-- the narrow branch of a scoped name search sorts the matching people's
-- entries of this index; with unit_id carried, the scope is a test on
-- those entries, not a visit of each award row
drop index award_records_person;
create index award_records_person on award_records (person_id, year, award_code, status) include (id, unit_id);

-- the people of a scope in id order (the people list of an officer): each
-- unit's people walked by id and merged. a b-tree on unit_id alone keeps
-- equal keys in the order of their place in the table, not of their id.
drop index people_unit;
create index people_unit on people (unit_id, id);
