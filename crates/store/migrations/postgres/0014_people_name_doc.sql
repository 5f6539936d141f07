-- an award search matches recipients by their name only. search_doc keeps
-- the name (weight a) and the unit (weight b) together, and gin does not
-- store weights, so 'tr:*a & h:*a' was rechecked on every candidate's row,
-- unit-word matches included (partial names: p95 245 ms at 1 m people).
-- the name alone, indexed as its own document, needs no recheck.
-- (sqlite's people_fts filters by column inside the index: no counterpart.)
create index people_name_doc on people using gin (to_tsvector('simple', search_key));
