-- secret ballots (bỏ phiếu kín) and scoring rounds (chấm điểm).
-- the storage design of a secret ballot is in tdkt_core::ballot's module doc:
-- participation, content and receipts share nothing but the ballot id; the
-- content and receipt tables have no timestamp, no serial key, no voter id,
-- and are `without rowid` so their b-tree order is the random key's order.

create table ballots (
    id integer primary key,
    -- the body that runs the vote (council of a province, a cluster's host):
    -- officers whose scope reaches this unit manage the ballot
    unit_id integer not null references org_units(id),
    -- free text, e.g. 'Cụm thi đua Tây Nam bộ 2019'
    context text not null default '',
    title text not null,
    -- tdkt_core::ballot::BallotSpec as json (eligible = number of voters)
    spec_json text not null,
    closed integer not null default 0,
    created_by text not null,
    created_at text not null,
    closed_at text
);
create index ballots_unit on ballots(unit_id);

-- the list of eligible voters (accounts), fixed when the ballot opens
create table ballot_voters (
    ballot_id integer not null references ballots(id),
    user_id integer not null references users(id),
    primary key (ballot_id, user_id)
) without rowid;
create index ballot_voters_user on ballot_voters(user_id);

-- who voted: the unique key makes a second vote fail atomically; the foreign
-- key makes a vote by someone off the list impossible even without the app
create table ballot_participation (
    ballot_id integer not null,
    voter_id integer not null,
    primary key (ballot_id, voter_id),
    foreign key (ballot_id, voter_id) references ballot_voters(ballot_id, user_id)
) without rowid;

-- what the ballots say: id = 16 random bytes (hex), nothing else
create table ballot_content (
    ballot_id integer not null references ballots(id),
    id text not null,
    -- tdkt_core::ballot::Content as json
    content text not null,
    valid integer not null,
    primary key (ballot_id, id)
) without rowid;

-- receipts: sha-256 of the voter's code, not linked to content
create table ballot_receipt (
    ballot_id integer not null references ballots(id),
    hash text not null,
    primary key (ballot_id, hash)
) without rowid;

-- rubrics (bảng tiêu chí chấm điểm): versioned json documents of
-- tdkt_core::rubric::Rubric; a new version is a new row, never an edit
create table rubrics (
    code text not null,
    version integer not null,
    title text not null,
    doc_json text not null,
    created_by text not null,
    created_at text not null,
    primary key (code, version)
);

-- scoring rounds: json documents of tdkt_core::scoring::Round, changed only
-- through its methods, each change audited with before/after
create table scoring_rounds (
    id integer primary key,
    unit_id integer not null references org_units(id),
    context text not null default '',
    title text not null,
    rubric_code text,
    rubric_version integer,
    doc_json text not null,
    closed integer not null default 0,
    created_by text not null,
    created_at text not null
);
create index scoring_rounds_unit on scoring_rounds(unit_id);
