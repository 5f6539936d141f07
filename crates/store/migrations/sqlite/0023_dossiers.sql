-- dossiers (hồ sơ đề nghị khen thưởng, issue 14): one award form for one or
-- more recipients, climbing the levels of a route frozen when the dossier
-- is opened (tdkt_core::dossier::route), held by one level at a time.
-- state and legal transitions: tdkt_core::dossier::machine; every
-- transition is one row of dossier_events, written in the same transaction
-- as the change and its audit event.

create table dossiers (
    id integer primary key,
    -- the opening unit (step 0 of the route)
    unit_id integer not null references org_units(id),
    -- a catalogue code, checked in rust on every write
    award_code text not null,
    recipient_kind text not null check (recipient_kind in ('individual', 'collective', 'household')),
    year integer not null,
    title text not null default '',
    -- the submitted proposal list it was made from, if any
    proposal_list_id integer references proposal_lists(id),
    status text not null check (status in ('draft', 'pending', 'returned', 'rejected', 'ready', 'decided')),
    -- position in dossier_steps of the level holding it
    step integer not null default 0,
    -- returned dossiers: the level they go back to on resubmission
    resume_step integer,
    -- the day the holding level received it: deadlines count from it
    arrived_on text not null,
    -- the day the holding level's appraisal found it wanting: the refusal
    -- notice counts from it (cleared when the dossier moves)
    found_wanting_on text,
    -- the day it was received: decides the regime (khoản 3 Điều 60 NĐ 152/2025)
    received_on text not null,
    regime text not null check (regime in ('nd-98-2023', 'nd-152-2025')),
    -- another form recommended by a higher level (catalogue code)
    recommended_award text,
    -- set by the decision module when the authority decides
    decision_id integer,
    created_by text not null,
    created_at text not null,
    -- bumped by every change
    version integer not null default 0
);
create index dossiers_unit on dossiers(unit_id);
create index dossiers_status on dossiers(status);

-- the levels of a dossier's route, lowest first
create table dossier_steps (
    dossier_id integer not null references dossiers(id),
    position integer not null,
    unit_id integer not null references org_units(id),
    -- tdkt_core::dossier::LevelClass code
    level_class text not null,
    primary key (dossier_id, position)
);
create index dossier_steps_unit on dossier_steps(unit_id);

create table dossier_recipients (
    id integer primary key,
    dossier_id integer not null references dossiers(id),
    person_id integer references people(id),
    recipient_unit_id integer references org_units(id),
    -- a household: its name (chủ hộ) as written
    household_name text,
    check ((person_id is not null) + (recipient_unit_id is not null) + (household_name is not null) = 1)
);
create index dossier_recipients_dossier on dossier_recipients(dossier_id);

-- the timeline: every transition and every appraisal, return or recommendation
create table dossier_events (
    id integer primary key,
    dossier_id integer not null references dossiers(id),
    at text not null,
    actor text not null,
    -- create | forward | return | reject | appraise | recommend | decide
    action text not null,
    -- the level that acted (position in dossier_steps)
    step integer not null,
    from_status text,
    to_status text not null,
    -- what the act said: missing documents, reasons, notes, award (json)
    detail text not null default '{}'
);
create index dossier_events_dossier on dossier_events(dossier_id);
