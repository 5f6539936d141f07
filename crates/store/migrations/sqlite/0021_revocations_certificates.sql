-- revocation (issue 14; Điều 93 Luật TĐKT 2022, NĐ 152/2025 Điều 56–58):
-- one row per revoked registry record, with its legal ground, the revoking
-- decision and the reason. award_records.status says 'revoked' (what every
-- reader filters on); this row says why. A record is revoked once: the
-- unique key refuses a second row.
create table revocations (
    id integer primary key,
    record_id integer not null unique references award_records(id),
    -- tdkt_core::revocation::Ground code; 'khong-ghi' for a file imported
    -- without the revocation columns
    ground text not null,
    decision_no text not null default '',
    -- folded decision number, as award_records.decision_key
    decision_key text not null default '',
    decision_date text,
    reason text not null default '',
    source text not null check (source in ('entered', 'imported')),
    revoked_by text not null,
    revoked_at text not null
);
create index revocations_decision on revocations(decision_key);

-- printed certificates: the public verification code of a record, drawn at
-- its first print and kept, so that every reprint carries the same code
-- and QR (/xac-minh/{code}).
create table certificates (
    id integer primary key,
    record_id integer not null unique references award_records(id),
    -- tdkt_core::certificate::Code, 'XXXX-XXXX-XXXX-XXXX'
    code text not null unique,
    issued_by text not null,
    issued_at text not null
);
