-- short beginnings as words of their own. a search word of up to three
-- letters matches the beginning of a name's word ('tr h'). as a gin prefix
-- query ('tr:* & h:*') that unions the posting list of every word that
-- begins so (tran, trang, trinh, truong …) into a bitmap before anything is
-- intersected: partial names p95 130 ms at 1 m people. each word's first
-- one, two and three letters are now indexed as lexemes of their own, '0t
-- 0tr 0tra' for 'tran' (a digit first: no folded word looks like that), so
-- 'tr' is one exact lexeme, as sqlite's fts5 prefix = '1 2 3' index has it.
create function search_terms(k text) returns text
language sql immutable parallel safe as $$
    select k || ' ' || regexp_replace(k, '([a-z0-9])([a-z0-9]?)([a-z0-9]?)[a-z0-9]*', '0\1 0\1\2 0\1\2\3', 'g')
$$;

create or replace function people_search_doc() returns trigger language plpgsql as $$
begin
    new.search_doc := setweight(to_tsvector('simple', search_terms(new.search_key)), 'A')
        || setweight(to_tsvector('simple', search_terms(
            coalesce((select search_key from org_units where id = new.unit_id), ''))), 'B');
    return new;
end
$$;

create or replace function people_search_doc_unit() returns trigger language plpgsql as $$
begin
    update people
    set search_doc = setweight(to_tsvector('simple', search_terms(search_key)), 'A')
        || setweight(to_tsvector('simple', search_terms(new.search_key)), 'B')
    where unit_id = new.id;
    return null;
end
$$;

drop index people_search_doc;
update people p
set search_doc = setweight(to_tsvector('simple', search_terms(p.search_key)), 'A')
    || setweight(to_tsvector('simple', search_terms(u.search_key)), 'B')
from org_units u where u.id = p.unit_id;
create index people_search_doc on people using gin (search_doc);

drop index people_name_doc;
create index people_name_doc on people using gin (to_tsvector('simple', search_terms(search_key)));

-- a name search with few matching people sorts their awards' (year, id)
-- from this index. sqlite's index entries end with the rowid; here the id
-- is carried, so the search reads no award rows: without it, the planner
-- preferred a whole walk of award_records_recent (550 ms for 2 840 people).
drop index award_records_person;
create index award_records_person on award_records (person_id, year, award_code, status) include (id);
