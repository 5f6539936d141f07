-- search at scale (issue 5): a full-text document of every person's folded
-- name and the folded name of their unit, gin-indexed, so that "tran thi
-- ha" or "ha can tho" is a prefix lookup per word ('tran:* & thi:* & ha:*')
-- instead of a like scan of the people table. same words and same matches
-- as the sqlite fts5 index; kept in step by triggers, whatever code writes
-- people or renames a unit.
alter table people add column search_doc tsvector;

-- the name's words weigh 'a', the unit's 'b': a search of award
-- recipients asks for 'a' only (tran:*a), a search of people for either
update people p
set search_doc = setweight(to_tsvector('simple', p.search_key), 'A')
    || setweight(to_tsvector('simple', u.search_key), 'B')
from org_units u where u.id = p.unit_id;

create index people_search_doc on people using gin (search_doc);

create function people_search_doc() returns trigger language plpgsql as $$
begin
    new.search_doc := setweight(to_tsvector('simple', new.search_key), 'A')
        || setweight(to_tsvector('simple',
            coalesce((select search_key from org_units where id = new.unit_id), '')), 'B');
    return new;
end
$$;

create trigger people_search_doc before insert or update of search_key, unit_id on people
for each row execute function people_search_doc();

create function people_search_doc_unit() returns trigger language plpgsql as $$
begin
    update people
    set search_doc = setweight(to_tsvector('simple', search_key), 'A')
        || setweight(to_tsvector('simple', new.search_key), 'B')
    where unit_id = new.id;
    return null;
end
$$;

create trigger people_search_doc_unit after update of search_key on org_units
for each row execute function people_search_doc_unit();
