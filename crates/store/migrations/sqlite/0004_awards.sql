-- award registry (issue 5): every title and commendation a person or a unit
-- received, by decision. award codes are those of catalogue/awards.toml,
-- checked in rust on every write (the catalogue is data shipped with the
-- binary, not a table).

create table award_records (
    id integer primary key,
    recipient_kind text not null check (recipient_kind in ('person', 'unit')),
    person_id integer references people(id),
    -- a unit recipient: the unit itself; a person: the unit they were in when
    -- awarded. unit history and scope follow this column through lineage.
    unit_id integer not null references org_units(id),
    award_code text not null,
    -- achievement year (the year the title is for)
    year integer not null,
    -- achievement date, when the award is for one act (đột xuất)
    achieved_on text,
    decision_no text not null,
    -- decision number folded, without spaces: exact search, dedupe
    decision_key text not null,
    decision_date text not null,
    authority text not null default '',
    reason text not null default '',
    status text not null default 'valid' check (status in ('valid', 'revoked')),
    source text not null check (source in ('entered', 'imported', 'decided')),
    -- recipient + award + year + decision: re-importing a file is a no-op
    dedupe_key text not null unique,
    created_at text not null,
    check ((recipient_kind = 'person') = (person_id is not null))
);
create index award_records_person on award_records(person_id, year);
create index award_records_unit on award_records(unit_id, year);
create index award_records_decision on award_records(decision_key);
create index award_records_award_year on award_records(award_code, year);

-- people created by an import know only the birth year (from the cccd):
-- birth_date is then 1 january of that year and this flag is set.
alter table people add column birth_date_estimated integer not null default 0;
