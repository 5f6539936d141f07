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
