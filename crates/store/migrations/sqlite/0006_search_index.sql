-- search at scale (issue 5): a full-text index of every person's folded
-- name and the folded name of their unit, so that "tran thi ha" or "ha can
-- tho" is a prefix lookup per word (fts5 doclists in id order: keyset pages
-- stop after one page) instead of a like scan of the people table. the
-- index holds its own copy and is kept in step by triggers, whatever code
-- writes people or renames a unit.
create virtual table people_fts using fts5(name, unit, prefix = '1 2 3');

insert into people_fts (rowid, name, unit)
select p.id, p.search_key, u.search_key from people p join org_units u on u.id = p.unit_id;

create trigger people_fts_insert after insert on people begin
    insert into people_fts (rowid, name, unit)
    values (new.id, new.search_key, (select search_key from org_units where id = new.unit_id));
end;

create trigger people_fts_delete after delete on people begin
    delete from people_fts where rowid = old.id;
end;

create trigger people_fts_update after update of search_key, unit_id on people begin
    update people_fts
    set name = new.search_key, unit = (select search_key from org_units where id = new.unit_id)
    where rowid = new.id;
end;

create trigger people_fts_unit_rename after update of search_key on org_units begin
    update people_fts set unit = new.search_key
    where rowid in (select id from people where unit_id = new.id);
end;
