-- an officer's people search without the gin index (issue 16). within a
-- scope (a subtree's units) the gin index found every match in the country,
-- decoding the posting lists of common words (nguyen, van, thi) and
-- visiting each match's row to test its unit: 14 ms on average, 64 ms at
-- worst, at 1 m people. here each person is listed under the keys of their
-- name (name_keys_of, migration 0051: each word's first two and first four
-- letters, each word longer than four) by unit, in id order, with the name:
-- a search walks one key of its words within each unit of the scope (index
-- only) and stops after a page (people/named.rs). sqlite's fts5 walks its
-- lists in id order and needs none of this.

-- a name's stored search key as its words (tdkt_core::text::search_key,
-- which writes it from now on): "ksor h'bia" becomes "ksor h bia", as the
-- text index splits it, so that the name lists, which split on spaces, and
-- their like tests find her by `bia` too. the triggers of search_doc and
-- name_keys follow.
update people set search_key = trim(regexp_replace(search_key, '[^a-z0-9]+', ' ', 'g'))
where search_key ~ '[^a-z0-9 ]';

create table person_keys (
    key text not null,
    unit_id bigint not null,
    person_id bigint not null,
    search_key text not null,
    primary key (key, unit_id, person_id) include (search_key)
);

insert into person_keys (key, unit_id, person_id, search_key)
select b, p.unit_id, p.id, p.search_key from people p, name_keys_of(p.search_key) b;

create function person_keys_add() returns trigger language plpgsql as $$
begin
    insert into person_keys (key, unit_id, person_id, search_key)
    select b, p.unit_id, p.id, p.search_key from added p, name_keys_of(p.search_key) b;
    return null;
end
$$;

create function person_keys_drop() returns trigger language plpgsql as $$
begin
    delete from person_keys e
    using dropped p, name_keys_of(p.search_key) b
    where e.key = b and e.unit_id = p.unit_id and e.person_id = p.id;
    return null;
end
$$;

-- a person renamed or moved to another unit: their entries follow (any
-- other change leaves them)
create function person_keys_move() returns trigger language plpgsql as $$
begin
    delete from person_keys e
    using dropped o join added n on n.id = o.id
        and (n.search_key, n.unit_id) is distinct from (o.search_key, o.unit_id),
        name_keys_of(o.search_key) b
    where e.key = b and e.unit_id = o.unit_id and e.person_id = o.id;
    insert into person_keys (key, unit_id, person_id, search_key)
    select b, n.unit_id, n.id, n.search_key
    from added n join dropped o on o.id = n.id
        and (n.search_key, n.unit_id) is distinct from (o.search_key, o.unit_id),
        name_keys_of(n.search_key) b;
    return null;
end
$$;

create trigger person_keys_insert after insert on people
referencing new table as added for each statement execute function person_keys_add();
create trigger person_keys_delete after delete on people
referencing old table as dropped for each statement execute function person_keys_drop();
create trigger person_keys_update after update on people
referencing old table as dropped new table as added for each statement execute function person_keys_move();

-- the walks of these lists stop after a page, but the planner, which
-- cannot tell how many names a like pattern passes (it guesses one),
-- costed them as whole scans and ran them in parallel: starting two
-- workers cost 3–5 ms for a walk of 0,1 ms (an officer's name searches
-- at 1 m people on 2 cores: p95 27–32 ms with them, 22–26 ms without).
alter table name_keys set (parallel_workers = 0);
alter table person_keys set (parallel_workers = 0);
