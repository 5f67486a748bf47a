#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: Debian's postgresql, in a folder of its own,
# listening only on a Unix socket in that folder, password authentication (scram-sha-256) so
# that the daemon's password_file is really used. As root (CI) the server runs as the
# unprivileged user postgres; otherwise as the caller.
#
#   pg_cluster.sh start DIR     initdb + start; writes DIR/conninfo (libpq key=value) and
#                               DIR/password
#   pg_cluster.sh restart DIR   a fast restart (connections are cut, committed data stays)
#   pg_cluster.sh stop DIR      stops and removes the folder
set -euo pipefail
# JK_PG_FSYNC=off for tests that never lose power (the conformance suite); benchmarks keep it on.
opts="-c listen_addresses='' -c max_connections=200 -c fsync=${JK_PG_FSYNC:-on}"
cmd=${1:?start|restart|stop}
dir=${2:?folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "pg_cluster.sh: PostgreSQL ontbreekt (apt-get install postgresql; deploy/install-deps.sh)" >&2
  exit 1
fi
as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    if [ -f "$dir/data/postmaster.pid" ]; then as_server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "jk-test-$$-$RANDOM" >"$dir/password"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir" "$dir/password"; fi
    chmod 700 "$dir"
    as_server "$bin/initdb" -D "$dir/data" -U jk --auth=scram-sha-256 --pwfile="$dir/password" \
      -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "$opts -c unix_socket_directories='$dir'" start >/dev/null
    echo "host=$dir user=jk password=$(cat "$dir/password") dbname=postgres" >"$dir/conninfo"
    ;;
  restart)
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -m fast \
      -o "$opts -c unix_socket_directories='$dir'" restart >/dev/null
    ;;
  halt)  # stopped until `resume` (an outage)
    as_server "$bin/pg_ctl" -D "$dir/data" -w -m fast stop >/dev/null
    ;;
  resume)
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "$opts -c unix_socket_directories='$dir'" start >/dev/null
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_server "$bin/pg_ctl" -D "$dir/data" -w -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "pg_cluster.sh: start, restart, halt, resume of stop" >&2
    exit 2
    ;;
esac
