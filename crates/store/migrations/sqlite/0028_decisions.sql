-- commendation decisions at the deciding authority (issue 14, decision
-- half): the authority's data for the number and symbol and the draft's
-- header, decisions drafted then issued, their annexed recipients, and the
-- emulation and commendation fund's ledger (NĐ 152/2025/NĐ-CP Điều 46–55).

-- a unit that issues decisions: the abbreviation of its symbol
-- ('UBND' in 15/QĐ-UBND) and what the header of its documents says.
create table decision_authorities (
    unit_id integer primary key references org_units(id),
    -- capitals, digits and hyphens, checked by tdkt_core::decision::Symbol
    abbreviation text not null,
    -- the issuing body as written in sentences: 'Ủy ban nhân dân thành phố Cần Thơ'
    body text not null,
    -- the governing body above it on the header ('' when none)
    parent_body text not null default '',
    -- the place of the date line: 'Cần Thơ'
    place text not null,
    -- the usual signature title, proposed on a new decision
    signer_title text not null default ''
);

-- a decision: numbered per authority and year (NĐ 30/2020/NĐ-CP Điều 15:
-- numbers restart on 1 january), drafted then issued; issued is final.
create table decisions (
    id integer primary key,
    authority_unit_id integer not null references org_units(id),
    year integer not null,
    seq integer not null,
    -- '15/QĐ-UBND' as written, and folded as award_records.decision_key
    number text not null,
    decision_key text not null,
    decided_on text not null,
    signer_name text not null,
    signer_title text not null,
    title text not null,
    -- legal bases, one per line
    bases text not null,
    status text not null default 'draft' check (status in ('draft', 'issued')),
    -- the dossier (issue 14, dossier half) this decision answers: a plain
    -- nullable integer, no foreign key until the dossier tables land
    dossier_id integer,
    created_by text not null,
    created_at text not null,
    issued_by text,
    issued_at text,
    -- a number is used once per authority and year, drafts included
    unique (authority_unit_id, year, seq)
);
create index decisions_status on decisions(status, decided_on);

-- the annexed list: one line per recipient, in the annex's order.
create table decision_recipients (
    id integer primary key,
    decision_id integer not null references decisions(id),
    position integer not null,
    kind text not null check (kind in ('individual', 'collective', 'household')),
    -- an individual, or the head of a household (chủ hộ)
    person_id integer references people(id),
    -- a collective itself; a person's unit
    unit_id integer not null references org_units(id),
    -- a household as the annex names it ('Hộ ông Trần Văn Hậu')
    household text not null default '',
    award_code text not null,
    -- achievement year
    year integer not null,
    reason text not null default '',
    -- dossier of this line, when it differs from the decision's (no key yet)
    dossier_id integer,
    -- đồng, fixed on issue (tdkt_core::reward on the decision date)
    amount bigint,
    -- the registry record created on issue
    record_id integer references award_records(id),
    unique (decision_id, position),
    check ((kind = 'collective') = (person_id is null))
);
create index decision_recipients_record on decision_recipients(record_id);

-- the fund of a unit, per year: receipts entered by officers, payments
-- written when a decision of the unit is issued.
create table fund_entries (
    id integer primary key,
    unit_id integer not null references org_units(id),
    year integer not null,
    kind text not null check (kind in ('receipt', 'payment')),
    entry_date text not null,
    amount bigint not null check (amount > 0),
    description text not null,
    decision_id integer references decisions(id),
    created_by text not null,
    created_at text not null
);
create index fund_entries_unit_year on fund_entries(unit_id, year, entry_date);
