-- a decision number searched within a scope (issue 16): the scope is a
-- test on the unit of each entry of this index, walked newest first until
-- the page is full, as migration 0046 did for award_records_person; without
-- the unit here postgresql read every award of the decision (a bitmap heap
-- scan) and sorted them: 2 ms for 1 079 names, linear in the decision.
drop index award_records_decision;
create index award_records_decision on award_records(decision_key, year, id) include (unit_id);
