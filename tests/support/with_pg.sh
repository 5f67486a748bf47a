#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster (pg_cluster.sh): JK_TEST_PG names it
# (libpq key=value), JK_REQUIRE_PG makes a run without it fail instead of skipping PostgreSQL.
#   with_pg.sh COMMAND [ARG...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -u "${TMPDIR:-/tmp}/jk-pg-XXXXXX")
trap '"$here/pg_cluster.sh" stop "$dir"' EXIT
JK_PG_FSYNC=${JK_PG_FSYNC:-off} "$here/pg_cluster.sh" start "$dir"
JK_TEST_PG=$(cat "$dir/conninfo") JK_REQUIRE_PG=1 "$@"
