-- a name's keys gain each word's first three letters (postgresql's 0053
-- says why): a word of three letters, or a query's beginning of three, had
-- only its first two, a list of 100 000–450 000 entries at 1 m people.
-- k.kind is now the length of the key, 5 for the whole word (of five
-- letters or more); the triggers of 0051 that split a name are made again
-- with the four kinds.

insert into name_keys (key, newest_year, newest_award, person_id, search_key)
select distinct substr(w.value, 1, 3), n.year, n.award_id, n.person_id, p.search_key
from newest_awards n join people p on p.id = n.person_id, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w
where length(w.value) >= 3;

drop trigger name_keys_insert;
drop trigger name_keys_delete;
drop trigger name_keys_update;
drop trigger name_keys_rename;

create trigger name_keys_insert after insert on newest_awards begin
    insert into name_keys (key, newest_year, newest_award, person_id, search_key)
    select distinct case k.kind when 5 then w.value else substr(w.value, 1, k.kind) end, new.year, new.award_id, new.person_id, p.search_key
    from people p, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 3 union all select 4 union all select 5) k
    where p.id = new.person_id and length(w.value) >= k.kind;
end;

create trigger name_keys_delete after delete on newest_awards begin
    delete from name_keys
    where newest_year = old.year and newest_award = old.award_id
      and key in (select case k.kind when 5 then w.value else substr(w.value, 1, k.kind) end from people p, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 3 union all select 4 union all select 5) k
                  where p.id = old.person_id and length(w.value) >= k.kind);
end;

create trigger name_keys_update after update on newest_awards begin
    delete from name_keys
    where newest_year = old.year and newest_award = old.award_id
      and key in (select case k.kind when 5 then w.value else substr(w.value, 1, k.kind) end from people p, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 3 union all select 4 union all select 5) k
                  where p.id = old.person_id and length(w.value) >= k.kind);
    insert into name_keys (key, newest_year, newest_award, person_id, search_key)
    select distinct case k.kind when 5 then w.value else substr(w.value, 1, k.kind) end, new.year, new.award_id, new.person_id, p.search_key
    from people p, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 3 union all select 4 union all select 5) k
    where p.id = new.person_id and length(w.value) >= k.kind;
end;

-- a renamed person: their entries follow the new name
create trigger name_keys_rename after update of search_key on people begin
    delete from name_keys
    where (newest_year, newest_award) in (select year, award_id from newest_awards where person_id = old.id)
      and key in (select case k.kind when 5 then w.value else substr(w.value, 1, k.kind) end from json_each('[' || replace(json_quote(old.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 3 union all select 4 union all select 5) k where length(w.value) >= k.kind);
    insert into name_keys (key, newest_year, newest_award, person_id, search_key)
    select distinct case k.kind when 5 then w.value else substr(w.value, 1, k.kind) end, n.year, n.award_id, n.person_id, new.search_key
    from newest_awards n, json_each('[' || replace(json_quote(new.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 3 union all select 4 union all select 5) k
    where n.person_id = new.id and length(w.value) >= k.kind;
end;
