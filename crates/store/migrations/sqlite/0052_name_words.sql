-- a name's stored search key as its words (tdkt_core::text::search_key,
-- which writes it from now on): "ksor h'bia" becomes "ksor h bia", as fts5
-- splits it, so that name_keys, which splits on spaces, and the like tests
-- of the walks find her by `bia` too. sqlite has no regexp_replace: the
-- marks a name is written with (apostrophes, hyphens, dots, commas,
-- brackets, slashes) become spaces, and runs of spaces one. the triggers of
-- people_fts and name_keys follow.
update people set search_key = trim(
    replace(replace(replace(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(
            search_key, '''', ' '), '’', ' '), '‘', ' '), '-', ' '), '.', ' '), ',', ' '), '(', ' '), ')', ' '), '/', ' '),
        '  ', ' '), '  ', ' '), '  ', ' '))
where search_key glob '*[^a-z0-9 ]*';
