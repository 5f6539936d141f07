#!/usr/bin/env bash
# Refreshes .ci/advisory-db.tar.xz, the snapshot of the RustSec advisory
# database (https://github.com/rustsec/advisory-db, CC0-1.0) that `cargo
# audit` reads in CI when GitHub cannot be reached. Argument: a clone of
# that repository (a work tree or a bare repository). Keeps only what
# cargo audit reads: crates/, rust/ and the licence, plus SNAPSHOT (commit
# and date).
set -euo pipefail
src="${1:?usage: advisory-db-snapshot.sh PATH-TO-advisory-db-CLONE}"
here="$(cd "$(dirname "$0")" && pwd)"
if [ -d "$src/.git" ]; then gitdir="$src/.git"; else gitdir="$src"; fi
git="git --git-dir=$gitdir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
$git archive HEAD crates rust LICENSE.txt | tar -x -C "$work"
printf 'commit %s\ndate %s\n' "$($git rev-parse HEAD)" "$($git log -1 --format=%cI HEAD)" > "$work/SNAPSHOT"
tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00Z' -cf - . \
  | xz -9 > "$here/advisory-db.tar.xz"
echo "wrote $here/advisory-db.tar.xz ($(wc -c < "$here/advisory-db.tar.xz") bytes): $(head -n1 "$work/SNAPSHOT")"
