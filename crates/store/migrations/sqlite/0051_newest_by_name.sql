-- a name search's first pages without visiting every matching person
-- (issue 16). "the newest awards of the people whose name has these words"
-- cost, through the text index, every matching person (up to 3 000) and
-- their awards: p95 36 ms at 1 m people / 10 m awards. here each recipient
-- is listed under each word of their name, its first two and first four
-- letters, in the order of their newest award: a
-- search walks the list of one of its words newest first, tests the other
-- words on the entry (index only), and stops after about a page of people,
-- since no later person has an award newer than their newest
-- (crates/store/src/awards/newest.rs). kept in step by triggers, whatever
-- code writes awards or people.

-- each recipient's newest award, the order of every award list (year, id)
create table newest_awards (
    person_id integer primary key,
    year integer not null,
    award_id integer not null
);

-- the largest (year, id) of each person as one number (ids stay below 2^40):
-- one walk of award_records_person, whose entries carry year and id
insert into newest_awards (person_id, year, award_id)
select person_id, k >> 40, k & 1099511627775
from (select person_id, max((year << 40) | id) as k
      from award_records where person_id is not null group by person_id);

-- one entry per distinct key of the name: each word's first two letters,
-- first four letters, and the word itself when longer (a word shorter than
-- a key has none of it). a search word of two or three letters walks its
-- first two; a longer one typed last (a beginning: `people::is_beginning`)
-- its first four, the list of every word so beginning; a whole word of five
-- letters or more its own list. a key of four letters holds the words that
-- begin so and the word itself: the walk tests each entry's name anyway.
-- a folded name (single spaces) is split as a json array of quoted words
-- (json_each is the split sqlite has), each word taken three times (k.kind:
-- the length of the key, 5 for the whole word).
create table name_keys (
    key text not null,
    newest_year integer not null,
    newest_award integer not null,
    person_id integer not null,
    search_key text not null,
    primary key (key, newest_year, newest_award)
) without rowid;

insert into name_keys (key, newest_year, newest_award, person_id, search_key)
select distinct case k.kind when 2 then substr(w.value, 1, 2) when 4 then substr(w.value, 1, 4) else w.value end, n.year, n.award_id, n.person_id, p.search_key
from newest_awards n join people p on p.id = n.person_id, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 4 union all select 5) k
where length(w.value) >= k.kind;

-- an award newer than its recipient's newest becomes it
create trigger newest_award_insert after insert on award_records
when new.person_id is not null begin
    insert into newest_awards (person_id, year, award_id) values (new.person_id, new.year, new.id)
    on conflict (person_id) do update set year = excluded.year, award_id = excluded.award_id
    where (year, award_id) < (excluded.year, excluded.award_id);
end;

-- a corrected year (or an award moved to someone else): the recipients'
-- newest again from their awards
create trigger newest_award_update after update of year, person_id on award_records begin
    delete from newest_awards where person_id in (old.person_id, new.person_id);
    insert into newest_awards (person_id, year, award_id)
    select person_id, k >> 40, k & 1099511627775
    from (select person_id, max((year << 40) | id) as k from award_records
          where person_id in (old.person_id, new.person_id) group by person_id);
end;

create trigger newest_award_delete after delete on award_records
when old.person_id is not null begin
    delete from newest_awards where person_id = old.person_id;
    insert into newest_awards (person_id, year, award_id)
    select person_id, k >> 40, k & 1099511627775
    from (select person_id, max((year << 40) | id) as k from award_records
          where person_id = old.person_id group by person_id);
end;

-- the entries follow each person's newest award
create trigger name_keys_insert after insert on newest_awards begin
    insert into name_keys (key, newest_year, newest_award, person_id, search_key)
    select distinct case k.kind when 2 then substr(w.value, 1, 2) when 4 then substr(w.value, 1, 4) else w.value end, new.year, new.award_id, new.person_id, p.search_key
    from people p, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 4 union all select 5) k
    where p.id = new.person_id and length(w.value) >= k.kind;
end;

create trigger name_keys_delete after delete on newest_awards begin
    delete from name_keys
    where newest_year = old.year and newest_award = old.award_id
      and key in (select case k.kind when 2 then substr(w.value, 1, 2) when 4 then substr(w.value, 1, 4) else w.value end from people p, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 4 union all select 5) k
                  where p.id = old.person_id and length(w.value) >= k.kind);
end;

create trigger name_keys_update after update on newest_awards begin
    delete from name_keys
    where newest_year = old.year and newest_award = old.award_id
      and key in (select case k.kind when 2 then substr(w.value, 1, 2) when 4 then substr(w.value, 1, 4) else w.value end from people p, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 4 union all select 5) k
                  where p.id = old.person_id and length(w.value) >= k.kind);
    insert into name_keys (key, newest_year, newest_award, person_id, search_key)
    select distinct case k.kind when 2 then substr(w.value, 1, 2) when 4 then substr(w.value, 1, 4) else w.value end, new.year, new.award_id, new.person_id, p.search_key
    from people p, json_each('[' || replace(json_quote(p.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 4 union all select 5) k
    where p.id = new.person_id and length(w.value) >= k.kind;
end;

-- a renamed person: their entries follow the new name
create trigger name_keys_rename after update of search_key on people begin
    delete from name_keys
    where (newest_year, newest_award) in (select year, award_id from newest_awards where person_id = old.id)
      and key in (select case k.kind when 2 then substr(w.value, 1, 2) when 4 then substr(w.value, 1, 4) else w.value end from json_each('[' || replace(json_quote(old.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 4 union all select 5) k where length(w.value) >= k.kind);
    insert into name_keys (key, newest_year, newest_award, person_id, search_key)
    select distinct case k.kind when 2 then substr(w.value, 1, 2) when 4 then substr(w.value, 1, 4) else w.value end, n.year, n.award_id, n.person_id, new.search_key
    from newest_awards n, json_each('[' || replace(json_quote(new.search_key), ' ', '","') || ']') w, (select 2 as kind union all select 4 union all select 5) k
    where n.person_id = new.id and length(w.value) >= k.kind;
end;
