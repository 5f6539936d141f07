-- an officer's award search by name without the people of the whole
-- country (issue 16). within a scope, the award walk of name_keys (each
-- recipient's newest award in the country) gives up when few of the name's
-- people have awards in the scope, and the search then read the name's
-- people nationwide (one key of person_keys, up to 100 000 entries, or the
-- gin index): 10–20 ms of the 22 ms p95 at 1 m people / 10 m awards.
--
-- the people who may hold an award of a unit are those who work there now
-- (person_keys, 0052) and those who hold an award of it but work elsewhere
-- now: moved, or commended by a unit they never belonged to. this lists the
-- latter, under the keys of their name by that unit, so that a name's
-- candidates within a scope are a few index ranges per unit of it
-- (awards/search.rs, people_within). a unit's awards are mostly its own
-- people's: the list holds only the exceptions.

-- a name's keys gain each word's first three letters. the lists' keys were
-- each word's first two and four letters, and a whole word of five or more;
-- a word of three letters (duc, hai, thi, van: 840 000 of the 1 m names' 2,9
-- m words) or a beginning of three (a query's words of three letters or
-- fewer are beginnings, `people::is_beginning`) had only its first two, a
-- list of 100 000–450 000 entries at 1 m people (du, ha, ng). a rare name
-- of such words read that much, within a scope too: 13 ms for the 42 878
-- entries of `du` within the subtree of can-tho, for `hai ngo duc`. with
-- them `hai` lists 25 000 people.
create or replace function name_keys_of(k text) returns setof text
language sql immutable parallel safe as $$
    select left(w, n) from regexp_split_to_table(k, ' ') w, (values (2), (3), (4)) l(n)
    where length(w) >= n
    union
    select w from regexp_split_to_table(k, ' ') w where length(w) >= 5
$$;

insert into name_keys (key, newest_year, newest_award, person_id, search_key)
select distinct left(w, 3), n.year, n.award_id, n.person_id, p.search_key
from newest_awards n join people p on p.id = n.person_id, regexp_split_to_table(p.search_key, ' ') w
where length(w) >= 3;

insert into person_keys (key, unit_id, person_id, search_key)
select distinct left(w, 3), p.unit_id, p.id, p.search_key
from people p, regexp_split_to_table(p.search_key, ' ') w
where length(w) >= 3;

create table award_unit_keys (
    key text not null,
    unit_id bigint not null,
    person_id bigint not null,
    search_key text not null,
    primary key (key, unit_id, person_id) include (search_key)
);

create index award_unit_keys_person on award_unit_keys (person_id);

alter table award_unit_keys set (parallel_workers = 0);

-- the entries of some people again, from their awards and their present
-- unit and name (an award added, moved or deleted, a person moved or renamed)
create function award_unit_keys_recount(ids bigint[]) returns void language sql as $$
    delete from award_unit_keys where person_id = any(ids);
    insert into award_unit_keys (key, unit_id, person_id, search_key)
    select b, u.unit_id, p.id, p.search_key
    from (select distinct person_id, unit_id from award_records where person_id = any(ids)) u
        join people p on p.id = u.person_id and p.unit_id <> u.unit_id,
        name_keys_of(p.search_key) b;
$$;

insert into award_unit_keys (key, unit_id, person_id, search_key)
select b, u.unit_id, p.id, p.search_key
from (select distinct a.person_id, a.unit_id from award_records a
      join people p on p.id = a.person_id and p.unit_id <> a.unit_id) u
    join people p on p.id = u.person_id,
    name_keys_of(p.search_key) b;

-- an added award of a unit other than its recipient's: their entries under
-- it (an import inserts thousands of awards a statement, nearly all of their
-- recipients' own units: one look-up of the recipient each)
create function award_unit_keys_add() returns trigger language plpgsql as $$
begin
    insert into award_unit_keys (key, unit_id, person_id, search_key)
    select b, u.unit_id, p.id, p.search_key
    from (select distinct person_id, unit_id from inserted where person_id is not null) u
        join people p on p.id = u.person_id and p.unit_id <> u.unit_id,
        name_keys_of(p.search_key) b
    on conflict do nothing;
    return null;
end
$$;

create trigger award_unit_keys_insert after insert on award_records
referencing new table as inserted for each statement execute function award_unit_keys_add();

-- an award moved to another unit or recipient
create function award_unit_keys_award_moved() returns trigger language plpgsql as $$
begin
    perform award_unit_keys_recount(array(
        select o.person_id from was o join now n on n.id = o.id
        where (o.unit_id, o.person_id) is distinct from (n.unit_id, n.person_id) and o.person_id is not null
        union
        select n.person_id from was o join now n on n.id = o.id
        where (o.unit_id, o.person_id) is distinct from (n.unit_id, n.person_id) and n.person_id is not null));
    return null;
end
$$;

create trigger award_unit_keys_update after update on award_records
referencing old table as was new table as now for each statement execute function award_unit_keys_award_moved();

create function award_unit_keys_award_gone() returns trigger language plpgsql as $$
begin
    perform award_unit_keys_recount(array(select distinct person_id from gone where person_id is not null));
    return null;
end
$$;

create trigger award_unit_keys_delete after delete on award_records
referencing old table as gone for each statement execute function award_unit_keys_award_gone();

-- (a person is deleted only without awards, so without entries)

-- a person moved (an award of their old unit now lies outside their own,
-- one of their new unit no longer does) or renamed
create function award_unit_keys_person_moved() returns trigger language plpgsql as $$
begin
    perform award_unit_keys_recount(array(
        select n.id from added n join dropped o on o.id = n.id
        where (n.search_key, n.unit_id) is distinct from (o.search_key, o.unit_id)));
    return null;
end
$$;

create trigger award_unit_keys_person_update after update on people
referencing old table as dropped new table as added for each statement execute function award_unit_keys_person_moved();
