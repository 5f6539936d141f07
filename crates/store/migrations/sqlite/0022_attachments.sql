-- attachments (issue 14): files attached to a dossier (or any owner),
-- stored content-addressed outside the database (object_store: a local
-- directory or S3), key = sha-256 of the bytes, so the same file is stored
-- once however many rows point to it. The row keeps what the upload said.
create table attachments (
    id integer primary key,
    -- what the file belongs to: 'dossier', …, and its id
    owner_kind text not null,
    owner_id integer not null,
    -- the checklist item it answers (to-trinh, bao-cao-thanh-tich, …)
    document_code text not null default '',
    file_name text not null,
    media_type text not null,
    size_bytes integer not null,
    -- hex sha-256 of the content: the storage key, checked on every read
    sha256 text not null,
    uploaded_by text not null,
    uploaded_at text not null
);
create index attachments_owner on attachments(owner_kind, owner_id);
create index attachments_sha256 on attachments(sha256);
