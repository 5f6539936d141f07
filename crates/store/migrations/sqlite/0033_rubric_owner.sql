-- issue 12: a rubric belongs to an org unit and its subtree. Only officers
-- whose scope reaches the owner (and admins) save new versions of it; a
-- rubric owned by no unit is national and only admins version it.
-- Existing rubrics get the scope unit of the account that created them
-- (their first version's author), or none (national) when that account is
-- unknown or has no scope (an admin). Every version of a code carries the
-- owner of its first.
alter table rubrics add column owner_unit_id integer references org_units(id);

update rubrics
   set owner_unit_id = (
       select u.scope_unit_id
         from rubrics first
         join users u on u.username = first.created_by
        where first.code = rubrics.code
          and first.version = (select min(version) from rubrics r2 where r2.code = rubrics.code)
   );
