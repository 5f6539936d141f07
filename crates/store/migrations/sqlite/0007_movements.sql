-- movements (phong trào thi đua: regular, thematic, peak campaigns) with an
-- exact window, the units in their scope and the registrations (đăng ký thi
-- đua) of units and people; documents kept in the database (plan, launch
-- decision, a cluster's regulation), size-limited by the application; the
-- organizing unit and the regulation parameters of a cluster-year.
-- timestamps rfc 3339 utc text; json as text.

create table movements (
    id integer primary key,
    -- machine key: 'vung-xanh-2021'
    code text not null unique,
    name text not null,
    kind text not null check (kind in ('regular', 'thematic', 'peak')),
    -- the launching unit (đơn vị phát động)
    unit_id integer not null references org_units(id),
    -- the window as instants, [starts_at, ends_at)
    starts_at text not null,
    ends_at text not null,
    description text not null default '',
    created_at text not null,
    created_by text not null
);

-- units called to take part (each registers for itself)
create table movement_scope (
    movement_id integer not null references movements(id),
    unit_id integer not null references org_units(id),
    primary key (movement_id, unit_id)
);

create table movement_registrations (
    id integer primary key,
    movement_id integer not null references movements(id),
    -- the registering unit, or the unit of the registering person
    unit_id integer not null references org_units(id),
    person_id integer references people(id),
    -- title codes aimed for, json array of strings
    titles_json text not null,
    targets text not null default '',
    registered_at text not null,
    registered_by text not null
);
create unique index movement_registrations_unit
    on movement_registrations(movement_id, unit_id) where person_id is null;
create unique index movement_registrations_person
    on movement_registrations(movement_id, person_id) where person_id is not null;

-- attached files; owner_type says which table owner_id refers to
create table documents (
    id integer primary key,
    owner_type text not null check (owner_type in ('movement', 'cluster')),
    owner_id integer not null,
    -- plan (kế hoạch), launch_decision (quyết định phát động), regulation (quy chế), other
    kind text not null,
    file_name text not null,
    mime text not null,
    size integer not null,
    sha256 text not null,
    content blob not null,
    uploaded_at text not null,
    uploaded_by text not null
);
create index documents_owner on documents(owner_type, owner_id);

-- who runs a cluster-year besides its leader (ban thi đua of the level that
-- set it up), and the parameters of its regulation (core::regulation, json)
create table cluster_settings (
    cluster_id integer primary key references clusters(id),
    organizer_unit_id integer references org_units(id),
    regulation_json text not null default '{}'
);
