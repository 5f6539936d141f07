#!/usr/bin/env bash
# Import and search benchmark (issue 5): generate PEOPLE people / AWARDS award
# rows, import them with `tdkt import awards` (every row validated, people
# created with encrypted CCCD, one audit event) into a fresh SQLite file and a
# fresh PostgreSQL database, and load the same file raw (no validation, no
# index) with `sqlite3 .import` and `psql \copy` for the ratios. Then the
# re-import (a no-op) and `tdkt bench search` (1,000 mixed queries) on both.
# Usage: benches/import.sh [PEOPLE] [AWARDS]
#   needs sqlite3 and psql; cargo build --release first;
#   BENCH_PG=postgres://postgres@127.0.0.1:5432 (empty: SQLite only)
set -euo pipefail
PEOPLE=${1:-100000}
AWARDS=${2:-1000000}
BIN=${TDKT_BIN:-${CARGO_TARGET_DIR:-target}/release/tdkt}
BIN=$(realpath "$BIN")
. "$(dirname "$0")/raw-floor.sh"
PG=${BENCH_PG-postgres://postgres@127.0.0.1:5432}
DB=tdkt_bench_$$
DIR=$(mktemp -d)
cleanup() {
  cd /
  rm -rf "$DIR"
  if [ -n "$PG" ]; then psql -q "$PG/postgres" -c "drop database if exists $DB" -c "drop database if exists ${DB}_raw" || true; fi
}
trap cleanup EXIT
export TDKT_SECRET_KEY=$(printf '2a%.0s' $(seq 32)) TDKT_LOG=error
cd "$DIR"
now() { date +%s.%N; }
report() { # label rows seconds
  awk -v l="$1" -v r="$2" -v t="$3" 'BEGIN { printf "%-44s %8.2f s %10.0f rows/s\n", l, t, r / t }'
}
"$BIN" gen --people "$PEOPLE" --awards "$AWARDS" --out g
ROWS=$(( $(wc -l < g/awards.csv) - 1 ))
echo "rows: $ROWS (people: $PEOPLE)"

run() { # backend url raw-load-command raw-index-command
  local name=$1 url=$2 raw=$3 raw_index=$4
  "$BIN" --database-url "$url" demo > /dev/null
  local a b c d e f g h
  a=$(now); "$BIN" --database-url "$url" import awards g/awards.csv --quiet; b=$(now)
  c=$(now); "$raw"; d=$(now)
  g=$(now); "$raw_index"; h=$(now)
  e=$(now); "$BIN" --database-url "$url" import awards g/awards.csv --quiet; f=$(now)
  report "tdkt import awards ($name, validated)" "$ROWS" "$(echo "$b - $a" | bc)"
  report "raw load of the same file ($name)" "$ROWS" "$(echo "$d - $c" | bc)"
  awk -v i="$(echo "$b - $a" | bc)" -v r="$(echo "$d - $c" | bc)" -v n="$name" \
    'BEGIN { printf "ratio tdkt/raw (%s): %.2f\n", n, r / i }'
  # the floor under any registry: the same rows, unchecked, with as many
  # indexes as award_records has (built once, sorted, after the load)
  report "raw load + 7 indexes ($name)" "$ROWS" "$(echo "$h - $c" | bc)"
  awk -v i="$(echo "$b - $a" | bc)" -v r="$(echo "$h - $c" | bc)" -v n="$name" \
    'BEGIN { printf "ratio tdkt/(raw + indexes) (%s): %.2f\n", n, r / i }'
  report "re-import, a no-op ($name)" "$ROWS" "$(echo "$f - $e" | bc)"
  "$BIN" --database-url "$url" bench search --from g/awards.csv --queries 1000
}

raw_sqlite() {
  sqlite3 raw.db "$RAW_TABLE"
  sqlite3 raw.db -cmd ".mode csv" ".import --skip 1 g/awards.csv awards"
}
raw_sqlite_indexes() { sqlite3 raw.db "$RAW_INDEXES"; }
run SQLite sqlite:bench.db raw_sqlite raw_sqlite_indexes

if [ -n "$PG" ]; then
  psql -q "$PG/postgres" -c "create database $DB" -c "create database ${DB}_raw"
  raw_pg() {
    psql -q "$PG/${DB}_raw" -c "$RAW_TABLE" \
      -c "\\copy awards from 'g/awards.csv' with (format csv, header true)"
  }
  raw_pg_indexes() { psql -q "$PG/${DB}_raw" -c "$RAW_INDEXES"; }
  run PostgreSQL "$PG/$DB" raw_pg raw_pg_indexes
fi
