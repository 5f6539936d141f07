-- dated positions of a person (issue 13): a position (chức vụ) is held
-- from a start day to an end day inclusive, like employment, checked by
-- tdkt_core::tenure (end >= start, no overlap) on every write.
-- people.position and people.is_leader stay as the position held now (the
-- open period), written in the same transaction as the periods, so the
-- lists and documents that show "chức vụ" read one column.
create table position_periods (
    id integer primary key,
    person_id integer not null references people(id),
    title text not null,
    -- a leading or managing position (lãnh đạo, quản lý): the share of
    -- awards to direct workers counts those without one
    is_leader integer not null default 0,
    start_date text not null,
    -- null = still held
    end_date text
);
create index position_periods_person on position_periods(person_id, start_date);

-- the position on file becomes the open period, from the person's first
-- day of employment (the only date known for it)
insert into position_periods (person_id, title, is_leader, start_date)
select p.id, p.position, p.is_leader,
       (select min(e.start_date) from employment_periods e where e.person_id = p.id)
from people p
where p.position <> ''
  and exists (select 1 from employment_periods e where e.person_id = p.id);
