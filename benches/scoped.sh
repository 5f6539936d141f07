#!/usr/bin/env bash
# Scoped search and list benchmark (issue 16): the registry searched as the
# people who use it. Generates PEOPLE people / AWARDS awards on the demo
# tree, imports them into a fresh SQLite file (and a fresh PostgreSQL
# database unless BENCH_PG is empty), then runs `tdkt bench search --as` for
# the administrator and the officer of Cần Thơ (canbo.cantho, scoped to the
# city and its 2025 predecessors), QUERIES queries each: names, partial
# names, CCCD, decision numbers, unit award pages and award lists, with
# p50/p95/p99 per kind.
#
# Before/after in one run: set TDKT_BIN_BEFORE to the binary of the parent
# commit. The database is then imported and measured with it first; the
# new binary migrates the same database (its time is printed) and is
# measured on the same rows.
#
# Usage: benches/scoped.sh [PEOPLE] [AWARDS] [QUERIES]
#   cargo build --release -p tdkt-cli first; needs psql for PostgreSQL.
set -euo pipefail
PEOPLE=${1:-100000}
AWARDS=${2:-1000000}
QUERIES=${3:-600}
BIN=$(realpath "${TDKT_BIN:-${CARGO_TARGET_DIR:-target}/release/tdkt}")
BEFORE=${TDKT_BIN_BEFORE:+$(realpath "$TDKT_BIN_BEFORE")}
PG=${BENCH_PG-postgres://postgres@127.0.0.1:5432}
DB=tdkt_scoped_$$
DIR=$(mktemp -d)
cleanup() {
  cd /
  rm -rf "$DIR"
  if [ -n "$PG" ]; then psql -q "$PG/postgres" -c "drop database if exists $DB" || true; fi
}
trap cleanup EXIT
export TDKT_SECRET_KEY=$(printf '2a%.0s' $(seq 32)) TDKT_LOG=error
cd "$DIR"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)"
"$BIN" gen --people "$PEOPLE" --awards "$AWARDS" --out g > /dev/null

bench() { # label binary url
  for who in admin canbo.cantho; do
    echo "== $1, $who (load $(cut -d' ' -f1-3 /proc/loadavg))"
    "$2" --database-url "$3" bench search --from g/awards.csv --queries "$QUERIES" --as "$who"
  done
}

run() { # backend url
  local first=${BEFORE:-$BIN}
  "$first" --database-url "$2" demo > /dev/null
  "$first" --database-url "$2" import awards g/awards.csv --quiet
  if [ -n "$BEFORE" ]; then
    bench "$1, before" "$BEFORE" "$2"
    local a b
    a=$(date +%s.%N); "$BIN" --database-url "$2" migrate > /dev/null; b=$(date +%s.%N)
    echo "migration to this build ($1): $(echo "$b - $a" | bc) s"
  fi
  bench "$1, after" "$BIN" "$2"
}

run SQLite sqlite:bench.db
if [ -n "$PG" ]; then
  psql -q "$PG/postgres" -c "create database $DB"
  run PostgreSQL "$PG/$DB"
fi
