-- achievement reports and reminders (issue 14).
--
-- the date a report of achievements (bao-cao-thanh-tich) was made: asked on
-- upload and when a draft is saved, because the content must not be older
-- than 6 months when the dossier goes up (khoản 9 điều 33 nđ 152/2025/nđ-cp).
-- null for other documents and for files attached before this migration.
alter table attachments add column report_date text;

-- an account's e-mail address for the reminder digest (optional).
alter table users add column email text;

-- one digest e-mail per account and day (vietnam time): `tdkt remind` run
-- twice the same day sends nothing the second time.
create table reminder_mails (
    id integer primary key,
    user_id integer not null references users(id),
    sent_on text not null,
    address text not null,
    subject text not null,
    items integer not null,
    sent_at text not null,
    unique (user_id, sent_on)
);
