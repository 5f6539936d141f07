-- public disclosure (công khai) of candidates before the council meets
-- (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP), issue 14: a level publishes one or
-- more dossiers it holds for public comment, from a start day to an end day
-- at least the catalogue's number of working days later; anyone may comment
-- without signing in, and a comment is shown only once an officer approved
-- it. the rule itself: tdkt_core::dossier::disclosure.

create table disclosures (
    id integer primary key,
    -- the publishing level (the unit holding the dossiers)
    unit_id integer not null references org_units(id),
    title text not null,
    starts_on text not null,
    ends_on text not null,
    -- working days the rule asked for when published, and its citation
    required_days integer not null,
    citation text not null,
    created_by text not null,
    created_at text not null
);
create index disclosures_ends on disclosures(ends_on);

-- the dossiers of a disclosure, each with the short achievement summary
-- shown to the public (never a cccd, never a birth date)
create table disclosure_dossiers (
    disclosure_id integer not null references disclosures(id),
    dossier_id integer not null references dossiers(id),
    summary text not null default '',
    primary key (disclosure_id, dossier_id)
);
create index disclosure_dossiers_dossier on disclosure_dossiers(dossier_id);

-- comments from the public: pending until moderated; approved ones are
-- shown on the public page, dismissed ones keep the reason
create table disclosure_comments (
    id integer primary key,
    disclosure_id integer not null references disclosures(id),
    dossier_id integer not null references dossiers(id),
    author_name text,
    contact text,
    body text not null,
    status text not null default 'pending' check (status in ('pending', 'approved', 'dismissed')),
    reason text,
    created_at text not null,
    moderated_by text,
    moderated_at text
);
create index disclosure_comments_dossier on disclosure_comments(dossier_id);
create index disclosure_comments_status on disclosure_comments(status);
