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
# Accounts: ACCOUNTS (default "admin canbo.cantho xem.cantho": the
# administrator, the officer and the viewer of Cần Thơ).
#
# A registry made once (10 M awards take minutes to generate and import on
# each backend) is measured again without remaking it: BENCH_FILE names the
# `tdkt gen` output it was imported from (its awards.csv), BENCH_SQLITE the
# SQLite file and BENCH_PG_DB the PostgreSQL database (a name on BENCH_PG);
# these are then neither imported nor dropped, and PEOPLE/AWARDS are not
# used. BENCH_SQLITE= (empty) or BENCH_PG= (empty) skips that backend.
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
ACCOUNTS=${ACCOUNTS:-admin canbo.cantho xem.cantho}
FILE=${BENCH_FILE:+$(realpath "$BENCH_FILE")}
SQLITE=${BENCH_SQLITE-}
[ -n "$SQLITE" ] && SQLITE=$(realpath "$SQLITE")
KEEP_PG=${BENCH_PG_DB:-}
DB=${KEEP_PG:-tdkt_scoped_$$}
DIR=$(mktemp -d)
cleanup() {
  cd /
  rm -rf "$DIR"
  if [ -n "$PG" ] && [ -z "$KEEP_PG" ]; then psql -q "$PG/postgres" -c "drop database if exists $DB" || true; fi
}
trap cleanup EXIT
export TDKT_SECRET_KEY=${TDKT_SECRET_KEY:-$(printf '2a%.0s' $(seq 32))} TDKT_LOG=error
cd "$DIR"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)  binary: $BIN"
if [ -z "$FILE" ]; then
  "$BIN" gen --people "$PEOPLE" --awards "$AWARDS" --out g > /dev/null
  FILE=$DIR/g/awards.csv
fi

bench() { # label binary url
  for who in $ACCOUNTS; do
    echo "== $1, $who (load $(cut -d' ' -f1-3 /proc/loadavg))"
    "$2" --database-url "$3" bench search --from "$FILE" --queries "$QUERIES" --as "$who"
  done
}

run() { # backend url made (1: already imported)
  local first=${BEFORE:-$BIN}
  if [ "$3" != 1 ]; then
    "$first" --database-url "$2" demo > /dev/null
    "$first" --database-url "$2" import awards "$FILE" --quiet
  fi
  if [ -n "$BEFORE" ]; then
    bench "$1, before" "$BEFORE" "$2"
    local a b
    a=$(date +%s.%N); "$BIN" --database-url "$2" migrate > /dev/null; b=$(date +%s.%N)
    echo "migration to this build ($1): $(echo "$b - $a" | bc) s"
  fi
  bench "$1, after" "$BIN" "$2"
}

if [ -z "${BENCH_SQLITE+set}" ]; then
  run SQLite sqlite:bench.db 0
elif [ -n "$SQLITE" ]; then
  run SQLite "sqlite:$SQLITE" 1
fi
if [ -n "$PG" ] && [ -n "$KEEP_PG" ]; then
  run PostgreSQL "$PG/$DB" 1
elif [ -n "$PG" ]; then
  psql -q "$PG/postgres" -c "create database $DB"
  run PostgreSQL "$PG/$DB" 0
fi
