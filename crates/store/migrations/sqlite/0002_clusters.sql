-- clusters and blocks (cụm, khối thi đua) per year, their pledges (giao ước)
-- with indicators and per-member targets, reported indicator values with
-- their history, submissions (who, when, how) and reporting deadlines, and
-- the officer's edited review drafts. decimals are text (exact, both
-- databases); timestamps rfc 3339 utc text.

create table clusters (
    id integer primary key,
    -- machine key shared by the years of one cluster: 'tay-nam-bo'
    key text not null,
    year integer not null,
    name text not null,
    kind text not null check (kind in ('cluster', 'block')),
    -- cụm trưởng, cụm phó of the year
    leader_unit_id integer references org_units(id),
    deputy_unit_id integer references org_units(id),
    -- the regulation on activity and evaluation adopted (number, date, title)
    regulation text not null default '',
    -- the day the pledge was signed; null until it is
    pledge_signed_on text,
    unique (key, year)
);

create table cluster_members (
    cluster_id integer not null references clusters(id),
    unit_id integer not null references org_units(id),
    -- order in which the members are listed (as the cluster lists them)
    position integer not null,
    primary key (cluster_id, unit_id)
);
create index cluster_members_unit on cluster_members(unit_id);

create table pledge_indicators (
    id integer primary key,
    cluster_id integer not null references clusters(id),
    key text not null,
    name text not null,
    -- measure code: percent, million_usd… (core::number::Measure)
    unit text not null,
    direction text not null check (direction in ('higher', 'lower')),
    aggregate text not null check (aggregate in ('mean', 'sum')),
    -- decimal text; null when the pledge sets no common threshold
    threshold text,
    position integer not null,
    unique (cluster_id, key)
);

-- per-member targets (chỉ tiêu đăng ký), decimal text in the indicator's unit
create table pledge_targets (
    indicator_id integer not null references pledge_indicators(id),
    unit_id integer not null references org_units(id),
    target text not null,
    primary key (indicator_id, unit_id)
);

-- one act of submitting values: a web form or an imported file
create table indicator_submissions (
    id integer primary key,
    at text not null,
    actor text not null,
    via text not null check (via in ('web', 'import')),
    -- file name of an import; empty for the web
    source text not null default ''
);

create table indicator_values (
    id integer primary key,
    submission_id integer not null references indicator_submissions(id),
    cluster_id integer not null references clusters(id),
    -- period code (core::period::Period): 2019, 2019-H1, 2019-Q2, 2019-03…
    period text not null,
    unit_id integer not null references org_units(id),
    indicator_id integer not null references pledge_indicators(id),
    value text not null,
    -- a correction supersedes the current value; the old row is kept
    superseded_at text
);
-- at most one current value per member, indicator and period
create unique index indicator_values_current
    on indicator_values(cluster_id, period, unit_id, indicator_id)
    where superseded_at is null;
create index indicator_values_history
    on indicator_values(cluster_id, period, unit_id, indicator_id);

-- when members must have reported a period (for the late and missing lists)
create table report_deadlines (
    cluster_id integer not null references clusters(id),
    period text not null,
    due_on text not null,
    primary key (cluster_id, period)
);

-- the officer's edited review (core::review::ReviewDocument as json)
create table review_drafts (
    cluster_id integer not null references clusters(id),
    period text not null,
    document_json text not null,
    updated_at text not null,
    updated_by text not null,
    primary key (cluster_id, period)
);
