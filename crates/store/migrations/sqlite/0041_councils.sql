-- Hội đồng Thi đua - Khen thưởng (issue 14): a unit's council as dated
-- membership, its sessions, their agenda of dossiers with each result, and
-- attendance. The vote itself is a ballot (0003): one per session, a yes/no
-- question per dossier, voters = the members present.

create table council_members (
    id integer primary key,
    unit_id integer not null references org_units(id),
    user_id integer not null references users(id),
    -- tdkt_core::council::MemberRole code
    role text not null check (role in ('chu-tich', 'pho-chu-tich', 'uy-vien', 'thu-ky')),
    from_date text not null,
    -- last day of membership; null: still a member
    to_date text,
    created_by text not null,
    created_at text not null
);
create index council_members_unit on council_members(unit_id);

create table council_sessions (
    id integer primary key,
    unit_id integer not null references org_units(id),
    held_on text not null,
    place text not null,
    -- preparing (agenda, attendance) | voting | closed
    status text not null check (status in ('preparing', 'voting', 'closed')),
    -- fixed when voting opens: the members on the list that day and the
    -- quorum rule applied (json of tdkt_core::council::QuorumRule)
    members_total integer not null default 0,
    quorum_json text not null default '',
    ballot_id integer references ballots(id),
    created_by text not null,
    created_at text not null,
    opened_at text,
    closed_at text
);
create index council_sessions_unit on council_sessions(unit_id);

create table council_agenda (
    session_id integer not null references council_sessions(id),
    dossier_id integer not null references dossiers(id),
    position integer not null,
    -- fixed when voting opens (json of tdkt_core::council::VoteRule)
    rule_json text not null default '',
    -- set at close: yes votes, the base counted on, the verdict
    yes integer,
    base integer,
    passed integer,
    explanation text,
    primary key (session_id, dossier_id)
);
create index council_agenda_dossier on council_agenda(dossier_id);

create table council_attendance (
    session_id integer not null references council_sessions(id),
    member_id integer not null references council_members(id),
    present integer not null default 0,
    primary key (session_id, member_id)
);
