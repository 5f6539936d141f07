-- foundation: org units and lineage, people, accounts, sessions, audit.
-- dates are iso text (yyyy-mm-dd); timestamps rfc 3339 utc text.

create table unit_kinds (
    code text primary key,
    name text not null,
    -- lower rank = higher in the tree (0 trung ương, 1 bộ/tỉnh, 2 sở/huyện…)
    rank integer not null
);

create table org_units (
    id integer primary key,
    code text not null unique,
    name text not null,
    -- folded name for diacritics-insensitive search (see core::text::fold)
    search_key text not null,
    kind text not null references unit_kinds(code),
    parent_id integer references org_units(id),
    valid_from text not null,
    -- inclusive last day; null while the unit is in being
    valid_to text
);
create index org_units_parent on org_units(parent_id);

create table lineage_events (
    id integer primary key,
    kind text not null check (kind in ('merge', 'split', 'rename', 'transfer', 'dissolve')),
    effective text not null,
    -- rename: former name; transfer: former parent code
    detail text,
    note text not null default ''
);

create table lineage_links (
    event_id integer not null references lineage_events(id),
    unit_id integer not null references org_units(id),
    -- 'from' units end (or change) at the event; 'to' units carry them on
    role text not null check (role in ('from', 'to')),
    -- order as the event lists them ("Bến Tre, Vĩnh Long, Trà Vinh")
    position integer not null default 0,
    primary key (event_id, unit_id, role)
);
create index lineage_links_unit on lineage_links(unit_id);

create table people (
    id integer primary key,
    full_name text not null,
    search_key text not null,
    gender text not null check (gender in ('male', 'female')),
    birth_date text not null,
    -- keyed hash (hmac-sha256) of the cccd: exact-match lookup without the number
    cccd_hash text not null unique,
    -- aes-256-gcm ciphertext (nonce || ct), base64: shown only to roles that need it
    cccd_enc text not null,
    cccd_masked text not null,
    unit_id integer not null references org_units(id),
    position text not null default '',
    is_leader integer not null default 0
);
create index people_unit on people(unit_id);
create index people_search on people(search_key);

create table employment_periods (
    id integer primary key,
    person_id integer not null references people(id),
    unit_id integer not null references org_units(id),
    start_date text not null,
    end_date text
);
create index employment_person on employment_periods(person_id);

create table users (
    id integer primary key,
    username text not null unique,
    password_hash text not null,
    full_name text not null,
    role text not null check (role in ('admin', 'officer', 'submitter', 'council', 'viewer')),
    scope_unit_id integer references org_units(id),
    active integer not null default 1
);

create table sessions (
    -- sha-256 of the cookie value: a stolen database yields no live session
    token_hash text primary key,
    user_id integer not null references users(id),
    created_at text not null,
    expires_at text not null
);

create table login_attempts (
    id integer primary key,
    username text not null,
    at text not null,
    success integer not null
);
create index login_attempts_user on login_attempts(username, at);

create table audit_events (
    seq integer primary key,
    at text not null,
    actor text not null,
    entity text not null,
    entity_id text not null,
    action text not null,
    before_json text,
    after_json text,
    prev_hash text not null,
    hash text not null
);

-- the last sequence and hash: catches deletion of the newest events
create table audit_head (
    id integer primary key check (id = 1),
    seq integer not null,
    hash text not null
);
insert into audit_head (id, seq, hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

create trigger audit_events_no_update before update on audit_events
begin select raise(abort, 'audit_events is append-only'); end;
create trigger audit_events_no_delete before delete on audit_events
begin select raise(abort, 'audit_events is append-only'); end;
