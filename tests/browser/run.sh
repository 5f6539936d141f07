#!/usr/bin/env bash
# Starts tdkt with demo data on a throw-away SQLite database and runs the
# browser tests against it (all, or the files named as arguments). Needs:
# chromium (/usr/bin/chromium), node, the `tdkt` binary built (cargo build),
# npm packages installed here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${TDKT_BIN:-$root/target/debug/tdkt}"
work="$(mktemp -d)"
port="${TDKT_BROWSER_PORT:-18080}"
cd "$work"
TDKT_SECRET_KEY=$(printf '7%.0s' $(seq 64)) "$bin" --database-url "sqlite:$work/browser.db" serve --demo --addr "127.0.0.1:$port" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/" > /dev/null 2>&1 && break
  sleep 0.2
done
cd "$here"
# run.sh [file.test.mjs …]: only these files (by name); all by default
files=()
for f in "$@"; do files+=("./$(basename "$f")"); done
[ ${#files[@]} -gt 0 ] || files=(./*.test.mjs)
TDKT_BROWSER_DB="$work/browser.db" TDKT_BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 "${files[@]}"
