-- a name search's first pages without visiting every matching person
-- (issue 16): the same two tables as sqlite's 0051, which says why. here
-- the triggers are per statement, on the rows a statement changed (an
-- import inserts thousands of awards a statement).

create table newest_awards (
    person_id bigint primary key,
    year integer not null,
    award_id bigint not null
);

insert into newest_awards (person_id, year, award_id)
select distinct on (person_id) person_id, year, id
from award_records where person_id is not null
order by person_id, year desc, id desc;

-- the distinct keys of a folded name: each word's first two and first four
-- letters, and each word longer than four (sqlite's 0051 says why)
create function name_keys_of(k text) returns setof text
language sql immutable parallel safe as $$
    select left(w, 2) from regexp_split_to_table(k, ' ') w where length(w) >= 2
    union
    select left(w, 4) from regexp_split_to_table(k, ' ') w where length(w) >= 4
    union
    select w from regexp_split_to_table(k, ' ') w where length(w) >= 5
$$;

-- the entries' order is the index's: a walk reads person and name from it
-- (index only), never the table
create table name_keys (
    key text not null,
    newest_year integer not null,
    newest_award bigint not null,
    person_id bigint not null,
    search_key text not null,
    primary key (key, newest_year, newest_award) include (person_id, search_key)
);

insert into name_keys (key, newest_year, newest_award, person_id, search_key)
select b, n.year, n.award_id, n.person_id, p.search_key
from newest_awards n join people p on p.id = n.person_id, name_keys_of(p.search_key) b;

-- an award newer than its recipient's newest becomes it
create function newest_award_insert() returns trigger language plpgsql as $$
begin
    insert into newest_awards (person_id, year, award_id)
    select distinct on (person_id) person_id, year, id from inserted
    where person_id is not null order by person_id, year desc, id desc
    on conflict (person_id) do update set year = excluded.year, award_id = excluded.award_id
    where (newest_awards.year, newest_awards.award_id) < (excluded.year, excluded.award_id);
    return null;
end
$$;

create trigger newest_award_insert after insert on award_records
referencing new table as inserted for each statement execute function newest_award_insert();

-- the newest of some people again from their awards (a corrected year, an
-- award moved or deleted)
create function newest_awards_recount(ids bigint[]) returns void language sql as $$
    delete from newest_awards where person_id = any(ids);
    insert into newest_awards (person_id, year, award_id)
    select distinct on (person_id) person_id, year, id from award_records
    where person_id = any(ids) order by person_id, year desc, id desc;
$$;

create function newest_award_update() returns trigger language plpgsql as $$
begin
    perform newest_awards_recount(array(
        select o.person_id from was o join now n on n.id = o.id
        where (o.year, o.person_id) is distinct from (n.year, n.person_id) and o.person_id is not null
        union
        select n.person_id from was o join now n on n.id = o.id
        where (o.year, o.person_id) is distinct from (n.year, n.person_id) and n.person_id is not null));
    return null;
end
$$;

create trigger newest_award_update after update on award_records
referencing old table as was new table as now for each statement execute function newest_award_update();

create function newest_award_delete() returns trigger language plpgsql as $$
begin
    perform newest_awards_recount(array(select person_id from gone where person_id is not null));
    return null;
end
$$;

create trigger newest_award_delete after delete on award_records
referencing old table as gone for each statement execute function newest_award_delete();

-- the entries follow each person's newest award
create function name_keys_add() returns trigger language plpgsql as $$
begin
    insert into name_keys (key, newest_year, newest_award, person_id, search_key)
    select b, n.year, n.award_id, n.person_id, p.search_key
    from added n join people p on p.id = n.person_id, name_keys_of(p.search_key) b;
    return null;
end
$$;

create function name_keys_drop() returns trigger language plpgsql as $$
begin
    delete from name_keys e
    using dropped o join people p on p.id = o.person_id, name_keys_of(p.search_key) b
    where e.key = b and e.newest_year = o.year and e.newest_award = o.award_id;
    return null;
end
$$;

create trigger name_keys_insert after insert on newest_awards
referencing new table as added for each statement execute function name_keys_add();
create trigger name_keys_delete after delete on newest_awards
referencing old table as dropped for each statement execute function name_keys_drop();
-- an update drops the old entries, then adds the new (triggers of one event
-- fire in the order of their names)
create trigger name_keys_update_1 after update on newest_awards
referencing old table as dropped for each statement execute function name_keys_drop();
create trigger name_keys_update_2 after update on newest_awards
referencing new table as added for each statement execute function name_keys_add();

-- a renamed person: their entries follow the new name (any other change
-- of a person leaves them)
create function name_keys_rename() returns trigger language plpgsql as $$
begin
    delete from name_keys e
    using dropped o join added p on p.id = o.id and p.search_key <> o.search_key
        join newest_awards n on n.person_id = o.id, name_keys_of(o.search_key) b
    where e.key = b and e.newest_year = n.year and e.newest_award = n.award_id;
    insert into name_keys (key, newest_year, newest_award, person_id, search_key)
    select b, n.year, n.award_id, n.person_id, p.search_key
    from added p join dropped o on o.id = p.id and p.search_key <> o.search_key
        join newest_awards n on n.person_id = p.id, name_keys_of(p.search_key) b;
    return null;
end
$$;

create trigger name_keys_rename after update on people
referencing old table as dropped new table as added for each statement execute function name_keys_rename();
