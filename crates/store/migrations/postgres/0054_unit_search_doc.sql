-- a person's search document ends with the words of their unit's name
-- (weight b, migrations 0006 and 0015). the row trigger made that part
-- again for every person written: the unit's name, longer than a person's,
-- split into words and beginnings (search_terms) and made a tsvector, 3,1 of
-- the 3,9 s that the documents of 100 000 people took to make (an import
-- that creates them; issue 16). the unit's part now lives with the unit,
-- made once when it is created or renamed.
alter table org_units add column search_doc tsvector
    generated always as (setweight(to_tsvector('simple', search_terms(search_key)), 'B')) stored;

create or replace function people_search_doc() returns trigger language plpgsql as $$
begin
    new.search_doc := setweight(to_tsvector('simple', search_terms(new.search_key)), 'A')
        || coalesce((select search_doc from org_units where id = new.unit_id), ''::tsvector);
    return new;
end
$$;

-- a renamed unit: an after trigger sees the generated column made again
create or replace function people_search_doc_unit() returns trigger language plpgsql as $$
begin
    update people
    set search_doc = setweight(to_tsvector('simple', search_terms(search_key)), 'A') || new.search_doc
    where unit_id = new.id;
    return null;
end
$$;
