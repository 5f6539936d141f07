#!/usr/bin/env bash
# What stands between a PostgreSQL award import and the raw load (issue 16).
# `tdkt import awards` loads PEOPLE / AWARDS rows of `tdkt gen` into one
# demo database; the people and awards it wrote are then inserted again,
# in one statement each, into a second demo database, every variant in a
# transaction rolled back, with one part of the schema's work taken away
# at a time: the name lists' triggers (migrations 0051-0053), the text
# indexes, the search document's trigger, the foreign-key checks. Beside
# them, in the same run, the floor that benches/import.sh compares with:
# the file copied raw into a table of text columns, plus 7 indexes.
# Usage: benches/import-floor.sh [PEOPLE] [AWARDS]
#   needs psql; cargo build --release first;
#   BENCH_PG=postgres://postgres@127.0.0.1:5432
set -euo pipefail
PEOPLE=${1:-100000}
AWARDS=${2:-1000000}
BIN=${TDKT_BIN:-${CARGO_TARGET_DIR:-target}/release/tdkt}
BIN=$(realpath "$BIN")
. "$(dirname "$0")/raw-floor.sh"
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
DB=tdkt_floor_$$
DIR=$(mktemp -d)
cleanup() {
  cd /
  rm -rf "$DIR"
  psql -q "$PG/postgres" -c "drop database if exists $DB" -c "drop database if exists ${DB}_src" || true
}
trap cleanup EXIT
export TDKT_SECRET_KEY=$(printf '2a%.0s' $(seq 32)) TDKT_LOG=error
cd "$DIR"
"$BIN" gen --people "$PEOPLE" --awards "$AWARDS" --out g > /dev/null
psql -q "$PG/postgres" -c "create database ${DB}_src" -c "create database $DB"
for db in "${DB}_src" "$DB"; do "$BIN" --database-url "$PG/$db" demo > /dev/null; done
first=$(psql -Atq "$PG/${DB}_src" -c "select max(id) from people")
first_award=$(psql -Atq "$PG/${DB}_src" -c "select max(id) from award_records")
a=$(date +%s.%N)
"$BIN" --database-url "$PG/${DB}_src" import awards g/awards.csv --quiet
b=$(date +%s.%N)
# the rows the import wrote, staged in the second database
psql -q "$PG/$DB" -c "create table stage_people (like people)" \
  -c "create table stage_awards (like award_records)"
psql -q "$PG/${DB}_src" -c "\\copy (select * from people where id > $first) to 'people.copy'" \
  -c "\\copy (select * from award_records where id > $first_award) to 'awards.copy'"
psql -q "$PG/$DB" -c "\\copy stage_people from 'people.copy'" -c "\\copy stage_awards from 'awards.copy'" \
  -c "vacuum analyze stage_people, stage_awards"

# each variant: its set-up untimed, then the one insert timed, rolled back
cat > floor.sql <<'SQL'
\set QUIET on
\set bare_people 'alter table people disable trigger person_keys_insert, disable trigger people_search_doc; drop index people_name_doc, people_search_doc;'
\set people_in 'alter table people disable trigger person_keys_insert, disable trigger people_search_doc; insert into people select * from stage_people;'
-- award_records' secondary indexes as the schema has them, found as the
-- import finds those it drops and builds again (Bulk::suspend_indexes)
create temp table award_indexes as
select indexname, indexdef from pg_indexes
where schemaname = current_schema() and tablename = 'award_records'
  and indexname not in (select conname from pg_constraint where conrelid = 'award_records'::regclass);
\echo @people: as the import writes them
begin;
\timing on
insert into people select * from stage_people;
\timing off
rollback;
\echo @people: without the name list (person_keys trigger)
begin; alter table people disable trigger person_keys_insert;
\timing on
insert into people select * from stage_people;
\timing off
rollback;
\echo @people: and without the two text (gin) indexes
begin; alter table people disable trigger person_keys_insert; drop index people_name_doc, people_search_doc;
\timing on
insert into people select * from stage_people;
\timing off
rollback;
\echo @people: and without the search document (row trigger)
begin; :bare_people
\timing on
insert into people select * from stage_people;
\timing off
rollback;
\echo @awards: as the import writes them (secondary indexes dropped)
begin; :people_in
select format('drop index %I', indexname) from award_indexes \gexec
\timing on
insert into award_records select * from stage_awards;
\timing off
rollback;
\echo @awards: without the name lists (newest_awards, award_unit_keys triggers)
begin; :people_in
select format('drop index %I', indexname) from award_indexes \gexec
alter table award_records disable trigger newest_award_insert, disable trigger award_unit_keys_insert;
\timing on
insert into award_records select * from stage_awards;
\timing off
rollback;
\echo @awards: and without the foreign-key checks
begin; :people_in
select format('drop index %I', indexname) from award_indexes \gexec
set local session_replication_role = replica;
\timing on
insert into award_records select * from stage_awards;
\timing off
rollback;
\echo @awards: the secondary indexes built again
begin; set local session_replication_role = replica;
select format('drop index %I', indexname) from award_indexes \gexec
insert into award_records select * from stage_awards;
\timing on
select indexdef from award_indexes \gexec
\timing off
rollback;
SQL
# label, then the sum of the timings that follow it
psql -X "$PG/$DB" -f floor.sql 2>&1 | awk '
  /^@/ { if (l != "") printf "%-78s %8.2f s\n", l, t / 1000; l = substr($0, 2); t = 0 }
  /^Time: / { t += $2 }
  END { printf "%-78s %8.2f s\n", l, t / 1000 }'

# the floor of benches/import.sh, in the same run
c=$(date +%s.%N)
psql -q "$PG/$DB" -c "$RAW_TABLE" -c "\\copy awards from 'g/awards.csv' with (format csv, header true)" \
  -c "$RAW_INDEXES"
d=$(date +%s.%N)
awk -v t="$(echo "$d - $c" | bc)" 'BEGIN { printf "%-78s %8.2f s\n", "raw load of the file + 7 indexes (the floor of benches/import.sh)", t }'
awk -v t="$(echo "$b - $a" | bc)" 'BEGIN { printf "%-78s %8.2f s\n", "tdkt import awards, the whole import (validated, batched, vacuumed)", t }'
