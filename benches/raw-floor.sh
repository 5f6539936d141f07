# The floor under any registry, sourced by benches/import.sh and
# benches/import-floor.sh: the award file's rows, unchecked, in a table of
# text columns (RAW_TABLE, loaded by `sqlite3 .import` or `psql \copy`),
# then as many indexes as award_records has, on the raw columns, built once,
# sorted (RAW_INDEXES): dedupe key (not unique: the file repeats some rows),
# person, unit, decision, award and year, newest first, and the collective
# awards.
RAW_TABLE="create table awards (recipient_type text, cccd text, unit_code text, recipient_name text, award text, year integer, decision_no text, decision_date text, authority text);"
RAW_INDEXES="create index r_dedupe on awards (recipient_type, cccd, unit_code, award, year, decision_no);
create index r_person on awards (cccd, year, award);
create index r_unit on awards (unit_code, year);
create index r_decision on awards (decision_no, year);
create index r_award on awards (award, year);
create index r_recent on awards (year, cccd);
create index r_unit_awards on awards (unit_code, year) where recipient_type = 'unit';"
