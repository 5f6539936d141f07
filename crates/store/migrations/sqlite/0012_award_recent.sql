-- award lists are shown newest first (year desc, id desc). a name search
-- that matches many people walks this index and stops after one page,
-- instead of collecting every award of every matching person to sort them
-- (crates/store/src/awards.rs, search_awards). inserts land at the end of
-- their year's range, so the import pays little for it.
create index award_records_recent on award_records(year, id);

-- one decision can list thousands of recipients: its page comes newest
-- first straight from the index, without sorting them all
drop index award_records_decision;
create index award_records_decision on award_records(decision_key, year, id);

-- the eligibility scan reads (person, year, award, status) of every award:
-- from this index alone, a tenth of the table's pages (10 M awards: the
-- scan took 119 s reading the table; see ratings/scan.rs)
drop index award_records_person;
create index award_records_person on award_records(person_id, year, award_code, status);
