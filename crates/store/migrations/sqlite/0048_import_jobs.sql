-- award imports started on the web (issue 16): their progress and outcome
-- in the database, not in the memory of the server that took the upload,
-- so that behind a reverse proxy every server of one installation answers
-- the job page, its progress and its error report, and a restart does not
-- forget them. the server running the import writes its counters here
-- about twice a second and the outcome (the import's report as json) once
-- at the end; rows are purged 6 hours after they finish.
create table import_jobs (
    -- random, unguessable (hex of 16 bytes): the url of the job page
    id text primary key,
    owner_id integer not null references users(id),
    file_name text not null,
    skip_invalid integer not null,
    -- the file's header row, json array: the error report repeats it
    header_json text not null,
    -- rows in the file when known beforehand (csv: counted; xlsx: read)
    total_rows integer,
    started_ms integer not null,
    checked integer not null default 0,
    done integer not null default 0,
    inserted integer not null default 0,
    -- null while running; then 'finished' (report_json set) or 'failed'
    state text,
    report_json text,
    failure text,
    secs double precision,
    finished_ms integer
);
create index import_jobs_owner on import_jobs (owner_id, started_ms);
