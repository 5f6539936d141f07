-- proposal lists (danh sách đề nghị) of a unit for one award and year
-- (issue 6): the quota clauses of the rule in force are checked on the
-- list, and each candidate's council vote share on its entry, before the
-- list can be submitted.

create table proposal_lists (
    id integer primary key,
    -- the proposing unit; quotas count in its subtree (lineage-aware)
    unit_id integer not null references org_units(id),
    year integer not null,
    -- a catalogue code, checked in rust on every write
    award_code text not null,
    nominee_kind text not null check (nominee_kind in ('person', 'unit')),
    status text not null check (status in ('draft', 'submitted')),
    note text not null default '',
    -- bumped by every change to the entries: a submit checked against an
    -- older version is refused instead of submitting an unchecked list
    version integer not null default 0,
    -- the check as it stood when the list was submitted (json)
    check_json text,
    created_by text not null,
    created_at text not null,
    submitted_by text,
    submitted_at text,
    -- one list per unit, award and year: a quota cannot be split over lists
    unique (unit_id, year, award_code)
);
create index proposal_lists_year on proposal_lists(year, award_code);

create table proposal_entries (
    id integer primary key,
    list_id integer not null references proposal_lists(id),
    person_id integer references people(id),
    nominee_unit_id integer references org_units(id),
    -- the council vote: from its minutes (yes of base) or from a closed
    -- secret ballot held in tdkt (the candidate's id on that ballot)
    vote_source text check (vote_source in ('minutes', 'ballot')),
    vote_yes integer,
    vote_base integer,
    minutes_ref text not null default '',
    ballot_id integer references ballots(id),
    ballot_candidate text,
    created_at text not null,
    check ((person_id is null) <> (nominee_unit_id is null)),
    check (vote_source is null or vote_source <> 'minutes' or (vote_base > 0 and vote_yes >= 0 and vote_yes <= vote_base)),
    check (vote_source is null or vote_source <> 'ballot' or (ballot_id is not null and ballot_candidate is not null))
);
create unique index proposal_entries_person on proposal_entries(list_id, person_id) where person_id is not null;
create unique index proposal_entries_unit on proposal_entries(list_id, nominee_unit_id) where nominee_unit_id is not null;

-- monthly and quarterly evaluations (đánh giá, xếp loại chất lượng theo
-- tháng, quý) that feed a person's annual rating; shown next to it, never
-- turned into it (tdkt_core::evaluation).
create table periodic_evaluations (
    id integer primary key,
    person_id integer not null references people(id),
    -- '2024-03' (a month) or '2024-Q1' (a quarter): tdkt_core::period codes
    period text not null,
    period_kind text not null check (period_kind in ('month', 'quarter')),
    year integer not null,
    level text not null check (level in ('hoan-thanh-xuat-sac', 'hoan-thanh-tot', 'hoan-thanh', 'khong-hoan-thanh')),
    note text not null default '',
    source text not null check (source in ('entered', 'imported')),
    created_at text not null,
    -- one evaluation per person and period
    unique (person_id, period)
);
create index periodic_evaluations_year on periodic_evaluations(person_id, year);

-- a discipline decision or an initiative entered in error is voided, never
-- deleted: who, when and why stay on the row (and in the audit log), and
-- the engine no longer reads it.
alter table discipline_records add column voided_at text;
alter table discipline_records add column voided_by text;
alter table discipline_records add column void_reason text;
alter table initiatives add column voided_at text;
alter table initiatives add column voided_by text;
alter table initiatives add column void_reason text;
