-- special tracks of a dossier (issue 14, tdkt_core::dossier::track):
-- sudden awards by the simplified procedure (điều 85 luật tđkt 2022),
-- long-service awards (positions and their periods), resistance awards
-- (the war and the period of participation). checked in rust on every write.

-- thuong | dot-xuat | cong-hien | khang-chien
alter table dossiers add column track text not null default 'thuong'
    check (track in ('thuong', 'dot-xuat', 'cong-hien', 'khang-chien'));
-- thuong | don-gian: chosen by the track, frozen at opening like the route
alter table dossiers add column procedure text not null default 'thuong'
    check (procedure in ('thuong', 'don-gian'));
-- a sudden award: the day of the act
alter table dossiers add column acted_on text;

-- a resistance award: the war (catalogue [[war]] code) and the period
alter table dossier_recipients add column war text;
alter table dossier_recipients add column took_part_from text;
alter table dossier_recipients add column took_part_to text;

-- a long-service award: the positions a recipient held, end inclusive,
-- null = still held on the day the dossier was received
create table dossier_service_periods (
    id integer primary key,
    recipient_id integer not null references dossier_recipients(id),
    position text not null,
    start_on text not null,
    end_on text
);
create index dossier_service_periods_recipient on dossier_service_periods(recipient_id);
